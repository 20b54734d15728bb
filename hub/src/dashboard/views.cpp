// The dashboard's six views, read from the rollup (visit_rollup.h) and the devices' progress,
// never from raw events. hub/DASHBOARD.md defines every table, column and measure.
#include "pavilion/hub/config.h"
#include "pavilion/hub/dashboard.h"
#include "pavilion/hub/reports.h"

#include "../json_text.h"
#include "measures.h"
#include "time_zone.h"
#include "visit_rollup.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace pavilion::hub {
namespace {

Cell text_cell(std::string text) { return {CellKind::text, std::move(text)}; }
Cell count_cell(int64_t people) { return {CellKind::count, {}, static_cast<double>(people)}; }
Cell device_cell(double number) { return {CellKind::device_count, {}, number}; }
Cell measure_cell(std::optional<double> value, int64_t base) {
  Cell cell{CellKind::measure, {}, value.value_or(0), static_cast<uint64_t>(std::max<int64_t>(base, 0))};
  cell.missing = !value;
  return cell;
}

// What a view reads: the filter as local days and rollup keys.
struct Scope {
  std::string branch;   // "*" for every branch the caller may see
  std::string package;  // "" for whole visits
  bool one_package = false;
  int64_t first_day = 0;
  int64_t last_day = 0;  // inclusive
  int64_t days() const { return last_day - first_day + 1; }
};

Scope scope_of(const ViewFilter& filter) {
  Scope scope;
  scope.branch = filter.branch.value_or(std::string(all_branches));
  scope.one_package = filter.package.has_value();
  scope.package = filter.package.value_or("");
  scope.first_day = local_day(filter.from_ms);
  scope.last_day = std::max(scope.first_day, local_day(filter.to_ms - 1));
  return scope;
}

// Rows about visitors: of one package, or of whole visits ("") when the filter names none.
RollupQuery visitor_query(const Scope& scope, std::vector<std::string> measures, bool by_day) {
  return {std::move(measures), scope.branch, false, scope.package, scope.first_day, scope.last_day, by_day};
}
// Rows about exhibits (kept under their real package): of one package, or of every one.
RollupQuery exhibit_query(const Scope& scope, std::vector<std::string> measures) {
  return {std::move(measures), scope.branch, false,
          scope.one_package ? std::optional<std::string>(scope.package) : std::nullopt, scope.first_day, scope.last_day,
          false};
}

Result<ViewData> overview(Store& store, const Scope& scope) {
  RollupQuery query = visitor_query(scope, {"visitors", "length", "opened"}, true);
  query.first_day = scope.first_day - scope.days();  // the previous period too
  PV_TRY_ASSIGN(const std::vector<RollupRow> rows, store.rollup(query));
  std::map<int64_t, int64_t> visitors;
  std::map<int64_t, int64_t> opened;
  std::map<int64_t, Histogram> lengths;
  for (const RollupRow& row : rows) {
    if (row.measure == "visitors") visitors[row.day] += row.amount;
    if (row.measure == "opened") opened[row.day] += row.amount;
    if (row.measure == "length") lengths[row.day][row.bucket] += row.amount;
  }
  struct PeriodTotals {
    int64_t visitors = 0;
    int64_t opened = 0;
    Histogram lengths;
  };
  auto period = [&](int64_t first, int64_t last) {
    PeriodTotals out;
    for (int64_t day = first; day <= last; ++day) {
      out.visitors += visitors[day];
      out.opened += opened[day];
      for (const auto& [bucket, amount] : lengths[day]) out.lengths[bucket] += amount;
    }
    return out;
  };
  const PeriodTotals current = period(scope.first_day, scope.last_day);
  const PeriodTotals previous = period(scope.first_day - scope.days(), scope.first_day - 1);
  Table totals{"totals", {{"measure", CellKind::text}, {"current", CellKind::count}, {"previous", CellKind::count}}, {}, {}};
  totals.rows.push_back({text_cell("visitors"), count_cell(current.visitors), count_cell(previous.visitors)});
  totals.rows.push_back({text_cell("exhibits_opened"), count_cell(current.opened), count_cell(previous.opened)});
  totals.rows.push_back({text_cell("median_visit_seconds"), measure_cell(median_seconds(current.lengths), current.visitors),
                         measure_cell(median_seconds(previous.lengths), previous.visitors)});
  Table by_day{"by_day",
               {{"day", CellKind::text},
                {"visitors", CellKind::count},
                {"exhibits_opened", CellKind::count},
                {"median_visit_seconds", CellKind::measure},
                {"previous_visitors", CellKind::count}},
               {},
               {}};
  for (int64_t day = scope.first_day; day <= scope.last_day; ++day) {
    by_day.rows.push_back({text_cell(day_text(day)), count_cell(visitors[day]), count_cell(opened[day]),
                           measure_cell(median_seconds(lengths[day]), visitors[day]),
                           count_cell(visitors[day - scope.days()])});
  }
  ViewData data;
  data.tables = {std::move(totals), std::move(by_day)};
  return data;
}

// Weekends and holidays are the library's days off; a holiday is shown as one whatever its weekday.
std::string_view day_kind(const HubConfig& config, int64_t day) {
  if (std::ranges::binary_search(config.holidays, day, {}, &Holiday::day)) return "holiday";
  return weekday_of(day) >= 6 ? "weekend" : "weekday";
}

Result<ViewData> when(Store& store, const HubConfig& config, const Scope& scope) {
  PV_TRY_ASSIGN(const std::vector<RollupRow> rows, store.rollup(visitor_query(scope, {"hour"}, true)));
  std::array<std::array<int64_t, 24>, 7> grid{};
  std::map<int64_t, int64_t> by_day;
  // [daypart][0 weekday, 1 day off]
  std::array<std::array<int64_t, 2>, 4> dayparts{};
  for (const RollupRow& row : rows) {
    const auto hour = static_cast<size_t>(std::clamp<int64_t>(row.bucket, 0, 23));
    grid[static_cast<size_t>(weekday_of(row.day) - 1)][hour] += row.amount;
    by_day[row.day] += row.amount;
    const size_t part = hour >= 6 && hour < 12 ? 0 : hour >= 12 && hour < 18 ? 1 : hour >= 18 && hour < 22 ? 2 : 3;
    dayparts[part][day_kind(config, row.day) == "weekday" ? 0 : 1] += row.amount;
  }
  Table heatmap{"heatmap", {{"weekday", CellKind::device_count}, {"hour", CellKind::device_count}, {"visitors", CellKind::count}}, {}, {}};
  for (size_t weekday = 0; weekday < 7; ++weekday) {
    for (size_t hour = 0; hour < 24; ++hour) {
      heatmap.rows.push_back({device_cell(static_cast<double>(weekday + 1)), device_cell(static_cast<double>(hour)),
                              count_cell(grid[weekday][hour])});
    }
  }
  // A weekday's hours add up to that weekday's visitors, an hour's weekdays to that hour's.
  for (size_t weekday = 0; weekday < 7; ++weekday) {
    auto& row_group = heatmap.partitions.emplace_back();
    for (size_t hour = 0; hour < 24; ++hour) row_group.emplace_back(weekday * 24 + hour, 2);
  }
  for (size_t hour = 0; hour < 24; ++hour) {
    auto& column_group = heatmap.partitions.emplace_back();
    for (size_t weekday = 0; weekday < 7; ++weekday) column_group.emplace_back(weekday * 24 + hour, 2);
  }
  Table calendar{"calendar", {{"day", CellKind::text}, {"day_kind", CellKind::text}, {"visitors", CellKind::count}}, {}, {}};
  for (int64_t day = scope.first_day; day <= scope.last_day; ++day) {
    calendar.rows.push_back({text_cell(day_text(day)), text_cell(std::string(day_kind(config, day))), count_cell(by_day[day])});
  }
  Table parts{"dayparts",
              {{"daypart", CellKind::text}, {"weekday_visitors", CellKind::count}, {"weekend_visitors", CellKind::count}},
              {},
              {}};
  constexpr std::array<std::string_view, 4> names{"morning", "afternoon", "evening", "night"};
  for (size_t part = 0; part < names.size(); ++part) {
    parts.rows.push_back({text_cell(std::string(names[part])), count_cell(dayparts[part][0]), count_cell(dayparts[part][1])});
  }
  ViewData data;
  data.tables = {std::move(heatmap), std::move(calendar), std::move(parts)};
  return data;
}

// Visitors of the period → opened an exhibit → played a poem → heard one to its end. The steps
// are nested, so they are no partition; what a reader could subtract — the visitors who stopped
// at a step, the step's visitors minus the next's — is a column of its own, and each step's
// relation (reached k = reached k+1 + stopped at k) is a group, so that privacy never leaves
// exactly one of the three unknown. The first step is the view's visitors, shown elsewhere: it
// is in no group, so it is never withheld to protect another cell.
Result<Table> funnel(Store& store, const Scope& scope) {
  PV_TRY_ASSIGN(const std::vector<RollupRow> rows, store.rollup(visitor_query(scope, {"visitors", "funnel"}, false)));
  constexpr std::array<std::string_view, 4> steps{"visited", "opened_exhibit", "played_poem", "completed_poem"};
  std::array<int64_t, steps.size()> stopped{};  // visitors whose last step it was
  for (const RollupRow& row : rows) {
    if (row.measure == "visitors") stopped[0] += row.amount;
    if (row.measure == "funnel" && row.bucket >= 1 && row.bucket < static_cast<int64_t>(steps.size())) {
      stopped[static_cast<size_t>(row.bucket)] += row.amount;
      stopped[0] -= row.amount;
    }
  }
  Table table{"funnel", {{"step", CellKind::text}, {"visitors", CellKind::count}, {"stopped", CellKind::count}}, {}, {}};
  table.count_columns_are_groups = false;
  int64_t reached = 0;
  for (const int64_t amount : stopped) reached += amount;
  for (size_t step = 0; step < steps.size(); ++step) {
    // Nobody goes on from the last step: its "stopped" would only repeat its visitors.
    Cell stopped_cell = count_cell(stopped[step]);
    stopped_cell.missing = step + 1 == steps.size();
    table.rows.push_back({text_cell(std::string(steps[step])), count_cell(reached), std::move(stopped_cell)});
    reached -= stopped[step];
  }
  constexpr size_t visitors = 1;
  constexpr size_t stopped_column = 2;
  table.partitions.push_back({{0, stopped_column}, {1, visitors}});
  for (size_t step = 1; step + 1 < steps.size(); ++step) {
    table.partitions.push_back({{step, stopped_column}, {step + 1, visitors}, {step, visitors}});
  }
  return table;
}

Result<ViewData> what(Store& store, const HubConfig& config, const Scope& scope) {
  PV_TRY_ASSIGN(const std::vector<RollupRow> rows,
                store.rollup(exhibit_query(scope, {"visitors", "length", "scene_ms", "scene_opened", "exhibit", "dwell", "depth",
                                                   "completed", "abandoned", "listening"})));
  std::map<std::string, SceneFigures> scenes;
  std::map<std::pair<std::string, std::string>, ExhibitFigures> exhibits;
  for (const RollupRow& row : rows) {
    if (row.exhibit.empty()) {
      add_scene_row(scenes[row.package_id], row);
    } else {
      add_exhibit_row(exhibits[{row.package_id, row.exhibit}], row);
    }
  }
  for (const auto& [key, exhibit] : exhibits) {
    if (exhibit.visitors > 0) ++scenes[key.first].exhibits;
  }
  Table exhibit_table{"exhibits",
                      {{"package", CellKind::text},
                       {"exhibit", CellKind::text},
                       {"visitors", CellKind::count},
                       {"attraction_power", CellKind::measure},
                       {"median_dwell_seconds", CellKind::measure},
                       {"needed_seconds", CellKind::measure},
                       {"holding_power", CellKind::measure},
                       {"poems_completed", CellKind::count},
                       {"poems_abandoned", CellKind::count},
                       {"median_page_depth", CellKind::measure}},
                      {},
                      {}};
  for (const auto& [key, exhibit] : exhibits) {
    const SceneFigures& scene = scenes[key.first];
    const ExhibitMeasures measures = exhibit_measures(exhibit, scene.visitors, config);
    const bool poem = exhibit.is_poem();
    exhibit_table.rows.push_back(
        {text_cell(key.first), text_cell(key.second), count_cell(exhibit.visitors),
         measure_cell(measures.attraction_power, scene.visitors), measure_cell(measures.median_dwell_seconds, exhibit.dwelt()),
         measure_cell(measures.needed_seconds, measures.needed_base),
         measure_cell(measures.holding_power, exhibit.dwelt()),
         poem ? count_cell(exhibit.completed) : Cell{CellKind::count, {}, 0, 0, true},
         poem ? count_cell(exhibit.abandoned) : Cell{CellKind::count, {}, 0, 0, true},
         measure_cell(measures.median_page_depth, exhibit.paged())});
  }
  Table scene_table{"scenes",
                    {{"package", CellKind::text},
                     {"visitors", CellKind::count},
                     {"median_time_seconds", CellKind::measure},
                     {"exhibits", CellKind::device_count},
                     {"sweep_rate_index", CellKind::measure},
                     {"diligent_share", CellKind::measure}},
                    {},
                    {}};
  for (const auto& [package, scene] : scenes) {
    if (scene.visitors == 0) continue;
    scene_table.rows.push_back({text_cell(package), count_cell(scene.visitors),
                                measure_cell(median_seconds(scene.lengths), scene.visitors),
                                device_cell(static_cast<double>(scene.exhibits)),
                                measure_cell(sweep_rate_index(scene), scene.visitors),
                                measure_cell(diligent_share(scene), scene.visitors)});
  }
  PV_TRY_ASSIGN(Table steps, funnel(store, scope));
  ViewData data;
  data.tables = {std::move(exhibit_table), std::move(scene_table), std::move(steps)};
  return data;
}

Result<ViewData> how(Store& store, const Scope& scope) {
  PV_TRY_ASSIGN(const std::vector<RollupRow> rows, store.rollup(visitor_query(scope, {"language", "feature", "device", "input"}, false)));
  std::map<std::string, std::map<std::string, int64_t>> counts;  // measure → value → visitors
  for (const RollupRow& row : rows) counts[row.measure][row.exhibit] += row.amount;
  // Every known value has a row, also at zero; a value the kiosks send beyond those is added.
  auto table = [&](std::string id, std::string column, std::string_view measure, std::vector<std::string> known) {
    std::map<std::string, int64_t>& values = counts[std::string(measure)];
    for (const auto& [value, visitors] : values) {
      if (std::ranges::find(known, value) == known.end()) known.push_back(value);
    }
    Table out{std::move(id), {{std::move(column), CellKind::text}, {"visitors", CellKind::count}}, {}, {}};
    for (const std::string& value : known) out.rows.push_back({text_cell(value), count_cell(values[value])});
    return out;
  };
  ViewData data;
  data.tables = {table("languages", "language", "language", {"zh-CN", "en"}),
                 table("accessibility", "feature", "feature",
                       {"text_scale", "high_contrast", "audio_descriptions", "calm", "seated", "audio_only"}),
                 table("devices", "device_kind", "device", {"kiosk", "headset"}),
                 table("inputs", "input", "input", {"touch", "keypad", "controller", "hand", "gaze"})};
  return data;
}

Result<ViewData> campaigns(Store& store, const Scope& scope, const ViewFilter& filter) {
  // Each branch's own rows: every branch, or the one the filter names.
  auto per_branch = [&](RollupQuery query) {
    query.per_branch = !filter.branch.has_value();
    return store.rollup(query);
  };
  PV_TRY_ASSIGN(const std::vector<RollupRow> visitor_rows, per_branch(visitor_query(scope, {"visitors", "length", "opened"}, false)));
  PV_TRY_ASSIGN(const std::vector<RollupRow> exhibit_rows, per_branch(exhibit_query(scope, {"exhibit", "completed"})));
  PV_TRY_ASSIGN(const std::vector<RollupRow> day_rows, per_branch(visitor_query(scope, {"visitors"}, true)));
  struct BranchFigures {
    int64_t visitors = 0;
    int64_t opened = 0;
    int64_t exhibit_visits = 0;  // visitors summed over exhibits
    int64_t completed = 0;
    Histogram lengths;
  };
  std::map<std::string, BranchFigures> branches;
  for (const RollupRow& row : visitor_rows) {
    BranchFigures& figures = branches[row.branch];
    if (row.measure == "visitors") figures.visitors += row.amount;
    if (row.measure == "opened") figures.opened += row.amount;
    if (row.measure == "length") figures.lengths[row.bucket] += row.amount;
  }
  std::set<std::pair<std::string, std::string>> exhibits;  // opened anywhere in the period
  for (const RollupRow& row : exhibit_rows) {
    if (row.measure == "exhibit" && row.amount > 0) {
      branches[row.branch].exhibit_visits += row.amount;
      exhibits.emplace(row.package_id, row.exhibit);
    }
    if (row.measure == "completed") branches[row.branch].completed += row.amount;
  }
  Table table{"branches",
              {{"branch", CellKind::text},
               {"visitors", CellKind::count},
               {"median_visit_seconds", CellKind::measure},
               {"exhibits_opened", CellKind::count},
               {"attraction_power", CellKind::measure},
               {"poems_completed", CellKind::count}},
              {},
              {}};
  for (const auto& [branch, figures] : branches) {
    if (figures.visitors == 0) continue;
    table.rows.push_back({text_cell(branch), count_cell(figures.visitors),
                          measure_cell(median_seconds(figures.lengths), figures.visitors), count_cell(figures.opened),
                          measure_cell(mean_attraction_power(figures.exhibit_visits, figures.visitors, exhibits.size()),
                                       figures.visitors),
                          count_cell(figures.completed)});
  }
  std::map<std::pair<int64_t, std::string>, int64_t> daily;
  for (const RollupRow& row : day_rows) daily[{row.day, row.branch}] += row.amount;
  Table by_day{"by_day", {{"day", CellKind::text}, {"branch", CellKind::text}, {"visitors", CellKind::count}}, {}, {}};
  for (int64_t day = scope.first_day; day <= scope.last_day; ++day) {
    // A day's branches add up to the day's visitors, which the overview shows.
    auto& group = by_day.partitions.emplace_back();
    for (const auto& [branch, figures] : branches) {
      if (figures.visitors == 0) continue;
      group.emplace_back(by_day.rows.size(), 2);
      by_day.rows.push_back({text_cell(day_text(day)), text_cell(branch), count_cell(daily[{day, branch}])});
    }
  }
  ViewData data;
  data.tables = {std::move(table), std::move(by_day)};
  return data;
}

Table health(const std::vector<DeviceSummary>& devices, const ViewFilter& filter) {
  Table table{"devices", {{"device", CellKind::text}, {"branch", CellKind::text}}, {}, {}};
  for (const char* id : {"received", "expected", "missing", "dropped_over_cap", "dropped_ring_full", "rejected", "unexplained"}) {
    table.columns.push_back({id, CellKind::device_count});
  }
  table.columns.push_back({"last_seen", CellKind::text});
  for (const DeviceSummary& device : devices) {
    if (filter.branch && device.branch != *filter.branch) continue;
    DeviceCompleteness completeness;
    completeness.received = device.received;
    completeness.expected = device.expected;
    completeness.dropped_over_cap = device.dropped_over_cap;
    completeness.dropped_ring_full = device.dropped_ring_full;
    completeness.rejected = device.rejected;
    const uint64_t missing = device.expected > device.received ? device.expected - device.received : 0;
    Cell last_seen = text_cell(device.last_seen_ms > 0 ? format_utc_time(device.last_seen_ms) : std::string());
    last_seen.missing = device.last_seen_ms == 0;
    table.rows.push_back({text_cell(device.device_id), text_cell(device.branch),
                          device_cell(static_cast<double>(device.received)), device_cell(static_cast<double>(device.expected)),
                          device_cell(static_cast<double>(missing)), device_cell(static_cast<double>(device.dropped_over_cap)),
                          device_cell(static_cast<double>(device.dropped_ring_full)),
                          device_cell(static_cast<double>(device.rejected)),
                          device_cell(static_cast<double>(completeness.unexplained())), std::move(last_seen)});
  }
  return table;
}

}  // namespace

std::optional<View> parse_view(std::string_view name) {
  for (const View view : {View::overview, View::when, View::what, View::how, View::campaigns, View::health}) {
    if (view_name(view) == name) return view;
  }
  return std::nullopt;
}

std::string_view view_name(View view) {
  switch (view) {
    case View::overview: return "overview";
    case View::when: return "when";
    case View::what: return "what";
    case View::how: return "how";
    case View::campaigns: return "campaigns";
    case View::health: return "health";
  }
  return "overview";
}

Result<ViewData> build_view(Store& store, const HubConfig& config, View view, const ViewFilter& filter) {
  const Scope scope = scope_of(filter);
  PV_TRY_ASSIGN(const std::vector<DeviceSummary> devices, store.device_summaries());
  auto tables = [&]() -> Result<ViewData> {
    switch (view) {
      case View::overview: return overview(store, scope);
      case View::when: return when(store, config, scope);
      case View::what: return what(store, config, scope);
      case View::how: return how(store, scope);
      case View::campaigns: return campaigns(store, scope, filter);
      case View::health: break;
    }
    ViewData data;
    data.tables.push_back(health(devices, filter));
    return data;
  };
  PV_TRY_ASSIGN(ViewData data, tables());
  data.view = view;
  data.filter = filter;
  if (view == View::health) {
    // Devices, not visits: a simulated one in the list is enough.
    data.simulated = std::ranges::any_of(devices, [&](const DeviceSummary& device) {
      return device.simulated && (!filter.branch || device.branch == *filter.branch);
    });
  } else {
    // Whether the days the view reads (the overview's previous period too) hold visits that
    // simulated devices sent.
    RollupQuery query = visitor_query(scope, {"simulated"}, false);
    if (view == View::overview) query.first_day = scope.first_day - scope.days();
    PV_TRY_ASSIGN(const std::vector<RollupRow> rows, store.rollup(query));
    data.simulated = std::ranges::any_of(rows, [](const RollupRow& row) { return row.amount > 0; });
  }
  return data;
}

Result<std::string> filters_json(Store& store, const HubConfig& config, const std::optional<std::string>& only_branch) {
  PV_TRY_ASSIGN(const std::vector<DeviceSummary> devices, store.device_summaries());
  PV_TRY_ASSIGN(const std::vector<std::string> packages, store.rollup_packages());
  PV_TRY_ASSIGN(const auto days, store.rollup_days());
  std::set<std::string> ids;
  bool simulated = false;
  for (const DeviceSummary& device : devices) {
    if (only_branch && device.branch != *only_branch) continue;
    if (!device.branch.empty()) ids.insert(device.branch);
    simulated = simulated || device.simulated;
  }
  for (const auto& [id, name] : config.branches) {
    if (!only_branch || id == *only_branch) ids.insert(id);
  }
  if (only_branch) ids.insert(*only_branch);
  nlohmann::json branches = nlohmann::json::array();
  for (const std::string& id : ids) {
    const auto named = config.branches.find(id);
    const LocalizedText name = named != config.branches.end() ? named->second : LocalizedText{id, id};
    branches.push_back({{"id", id}, {"name", {{"zh-CN", name.zh_cn.empty() ? name.en : name.zh_cn},
                                               {"en", name.en.empty() ? name.zh_cn : name.en}}}});
  }
  return json_text(nlohmann::json{{"branches", std::move(branches)},
                        {"packages", packages},
                        {"first_day", days ? nlohmann::json(day_text(days->first)) : nlohmann::json(nullptr)},
                        {"last_day", days ? nlohmann::json(day_text(days->second)) : nlohmann::json(nullptr)},
                        {"time_zone", time_zone_name(config.time_zone)},
                        {"simulated", simulated}});
}

}  // namespace pavilion::hub
