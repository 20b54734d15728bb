#include "visit_rollup.h"

#include "time_zone.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace pavilion::hub {
namespace {

using nlohmann::json;

constexpr std::string_view month_prefix = "month:";
constexpr std::string_view no_session = "00000000-0000-0000-0000-000000000000";
constexpr std::array<std::string_view, 6> feature_names{"text_scale", "high_contrast", "audio_descriptions",
                                                        "calm",       "seated",        "audio_only"};

struct SceneState {
  int64_t first_ms = INT64_MAX;
  int64_t last_ms = INT64_MIN;
  int64_t exit_ms = -1;  // the sum of its scene_exit times; -1 without one
  int64_t poems = 0;     // 1: a recitation started here (poem_play), 2: one was heard to its end
};

struct ExhibitState {
  int64_t dwell_ms = 0;  // the sum of its exhibit_close dwells
  int64_t max_page = 0;
};

struct VisitState {
  int64_t first_ms = INT64_MAX;
  int64_t last_ms = INT64_MIN;
  int64_t length_ms = -1;  // session_end's value; -1 without one
  std::string input;       // session_start's subject
  uint32_t features = 0;   // bit i: feature_names[i] was on at some time
  std::set<std::string> languages;
  std::map<std::string, SceneState> scenes;
  std::map<std::pair<std::string, std::string>, ExhibitState> exhibits;  // (package, exhibit)
};

VisitState read_state(const std::string& text) {
  VisitState state;
  const json stored = json::parse(text, nullptr, false);
  if (!stored.is_object()) return state;
  state.first_ms = stored.value("f", INT64_MAX);
  state.last_ms = stored.value("l", INT64_MIN);
  state.length_ms = stored.value("n", int64_t{-1});
  state.input = stored.value("i", std::string());
  state.features = stored.value("a", 0u);
  for (const auto& language : stored.value("g", json::array())) state.languages.insert(language.get<std::string>());
  for (const auto& scene : stored.value("s", json::array())) {
    state.scenes[scene.at(0).get<std::string>()] = {scene.at(1).get<int64_t>(), scene.at(2).get<int64_t>(),
                                                    scene.at(3).get<int64_t>(), scene.size() > 4 ? scene.at(4).get<int64_t>() : 0};
  }
  for (const auto& exhibit : stored.value("e", json::array())) {
    state.exhibits[{exhibit.at(0).get<std::string>(), exhibit.at(1).get<std::string>()}] = {
        exhibit.at(2).get<int64_t>(), exhibit.at(3).get<int64_t>()};
  }
  return state;
}

std::string write_state(const VisitState& state) {
  json scenes = json::array();
  for (const auto& [package, scene] : state.scenes) {
    scenes.push_back({package, scene.first_ms, scene.last_ms, scene.exit_ms, scene.poems});
  }
  json exhibits = json::array();
  for (const auto& [key, exhibit] : state.exhibits) exhibits.push_back({key.first, key.second, exhibit.dwell_ms, exhibit.max_page});
  return json{{"f", state.first_ms}, {"l", state.last_ms}, {"n", state.length_ms}, {"i", state.input},
              {"a", state.features}, {"g", state.languages}, {"s", scenes}, {"e", exhibits}}
      .dump();
}

void merge(VisitState& state, const StoredEvent& event) {
  state.first_ms = std::min(state.first_ms, event.corrected_ms);
  state.last_ms = std::max(state.last_ms, event.corrected_ms);
  const std::string_view type = event.type;
  if (type == "session_start") state.input = event.subject;
  if (type == "session_end") state.length_ms = std::max(state.length_ms, event.value);
  if (type == "language_change") state.languages.insert(event.subject);
  if (type == "accessibility_change") {
    const auto named = std::ranges::find(feature_names, event.subject);
    const bool on = event.subject == "text_scale" ? event.value > 100 : event.value != 0;
    if (named != feature_names.end() && on) state.features |= 1u << (named - feature_names.begin());
  }
  if (event.package_id.empty()) return;
  SceneState& scene = state.scenes[event.package_id];
  scene.first_ms = std::min(scene.first_ms, event.corrected_ms);
  scene.last_ms = std::max(scene.last_ms, event.corrected_ms);
  if (type == "scene_exit") scene.exit_ms = std::max<int64_t>(scene.exit_ms, 0) + event.value;
  // A poem heard to its end was played, even when its poem_play was lost.
  if (type == "poem_play") scene.poems = std::max<int64_t>(scene.poems, 1);
  if (type == "poem_complete") scene.poems = 2;
  if (event.exhibit.empty()) return;
  ExhibitState& exhibit = state.exhibits[{event.package_id, event.exhibit}];
  if (type == "exhibit_close") exhibit.dwell_ms += std::max<int64_t>(event.value, 0);
  if (type == "page_turn") exhibit.max_page = std::max(exhibit.max_page, event.value);
}

// (measure, package, day, exhibit, bucket) → amount, before the branch is added.
using Contributions = std::map<std::tuple<std::string, std::string, int64_t, std::string, int64_t>, int64_t>;

// What one visit adds to the rollup (hub/DASHBOARD.md defines each measure). A simulated device's
// visits are also counted as such, so a view knows whether its period holds any.
void contribute(const VisitState& visit, bool simulated, int64_t sign, Contributions& out) {
  if (visit.first_ms == INT64_MAX) return;
  const int64_t day = local_day(visit.first_ms);
  const int hour = local_hour(visit.first_ms);
  auto add = [&](std::string_view measure, const std::string& package, std::string_view exhibit, int64_t bucket,
                 int64_t amount) {
    out[{std::string(measure), package, day, std::string(exhibit), bucket}] += sign * amount;
  };
  std::map<std::string, int64_t> opened;  // package → exhibits opened there ("" for all)
  for (const auto& [key, exhibit] : visit.exhibits) {
    ++opened[key.first];
    ++opened[""];
    add("exhibit", key.first, key.second, 0, 1);
    if (exhibit.dwell_ms > 0) add("dwell", key.first, key.second, time_bucket(exhibit.dwell_ms), 1);
    if (exhibit.max_page > 0) add("depth", key.first, key.second, exhibit.max_page, 1);
  }
  const bool kiosk = visit.input == "touch" || visit.input == "keypad";
  int64_t poems = 0;  // the deepest poem step in any scene
  for (const auto& [package, scene] : visit.scenes) poems = std::max(poems, scene.poems);
  // `poems` as in SceneState; the funnel's step is the last one the visit reached (1 opened an
  // exhibit, 2 played a poem, 3 heard one to its end), counted only from step 1: step 0 is the
  // visitors' own row.
  auto as_visitor = [&](const std::string& package, int64_t length_ms, int64_t package_poems) {
    add("visitors", package, "", 0, 1);  // one row a day, for tables by day across branches
    const int64_t step = package_poems > 0 ? 1 + package_poems : opened[package] > 0 ? 1 : 0;
    if (step > 0) add("funnel", package, "", step, 1);
    if (simulated) add("simulated", package, "", 0, 1);
    add("hour", package, "", hour, 1);
    add("length", package, "", time_bucket(length_ms), 1);
    add("opened", package, "", 0, opened[package]);
    for (const std::string& language : visit.languages) add("language", package, language, 0, 1);
    for (size_t index = 0; index < feature_names.size(); ++index) {
      if ((visit.features & (1u << index)) != 0) add("feature", package, feature_names[index], 0, 1);
    }
    if (!visit.input.empty()) {
      add("device", package, kiosk ? "kiosk" : "headset", 0, 1);
      add("input", package, visit.input, 0, 1);
    }
  };
  as_visitor("", visit.length_ms >= 0 ? visit.length_ms : visit.last_ms - visit.first_ms, poems);
  for (const auto& [package, scene] : visit.scenes) {
    const int64_t in_scene = scene.exit_ms >= 0 ? scene.exit_ms : scene.last_ms - scene.first_ms;
    as_visitor(package, in_scene, scene.poems);
    add("scene_ms", package, "", 0, in_scene);
    add("scene_opened", package, "", opened[package], 1);
  }
}

// Amounts that follow single events rather than visits: a poem's recitations, by the day they
// happened.
void contribute_event(const StoredEvent& event, Contributions& out) {
  if (event.exhibit.empty() || (event.type != "poem_complete" && event.type != "poem_abort")) return;
  const int64_t day = local_day(event.corrected_ms);
  const bool complete = event.type == "poem_complete";
  out[{complete ? "completed" : "abandoned", event.package_id, day, event.exhibit, 0}] += 1;
  if (complete) out[{"listening", event.package_id, day, event.exhibit, time_bucket(event.value)}] += 1;
}

}  // namespace

int64_t time_bucket(int64_t milliseconds) {
  if (milliseconds < 1000) return 0;
  return 1 + static_cast<int64_t>(std::floor(8 * std::log2(static_cast<double>(milliseconds) / 1000)));
}

double bucket_seconds(int64_t bucket) { return bucket == 0 ? 0.5 : std::exp2((static_cast<double>(bucket) - 0.5) / 8); }

std::vector<std::string> touched_sessions(std::span<const StoredEvent* const> new_events) {
  std::set<std::string_view> sessions;
  for (const StoredEvent* event : new_events) {
    if (event->session != no_session) sessions.insert(event->session);
  }
  return {sessions.begin(), sessions.end()};
}

VisitUpdate plan_visit_update(std::span<const StoredEvent* const> new_events, const std::string& device_id,
                              const std::string& branch, bool simulated,
                              const std::unordered_map<std::string, std::string>& old_states) {
  std::map<std::string_view, std::vector<const StoredEvent*>> by_session;
  Contributions change;
  for (const StoredEvent* event : new_events) {
    if (event->session != no_session) by_session[event->session].push_back(event);
    contribute_event(*event, change);
  }
  VisitUpdate update;
  for (const auto& [session, events] : by_session) {
    const auto old = old_states.find(std::string(session));
    VisitState state = old == old_states.end() ? VisitState{} : read_state(old->second);
    contribute(state, simulated, -1, change);
    for (const StoredEvent* event : events) merge(state, *event);
    contribute(state, simulated, 1, change);
    update.visits.push_back({std::string(session), device_id, state.first_ms, write_state(state)});
  }
  // Days of one month share its row, which PostgreSQL's upsert must see once.
  Contributions by_month;
  for (const auto& [key, amount] : change) {
    const auto& [measure, package, day, exhibit, bucket] = key;
    by_month[{std::string(month_prefix) + measure, package, month_start(day), exhibit, bucket}] += amount;
  }
  for (const auto& [key, amount] : change) {
    if (amount == 0) continue;
    const auto& [measure, package, day, exhibit, bucket] = key;
    for (const std::string_view into : {std::string_view(branch), all_branches}) {
      update.rollup.push_back({measure, std::string(into), package, day, exhibit, bucket, amount});
    }
  }
  for (const auto& [key, amount] : by_month) {
    if (amount == 0) continue;
    const auto& [measure, package, month, exhibit, bucket] = key;
    for (const std::string_view into : {std::string_view(branch), all_branches}) {
      if (kept_by_month(std::string_view(measure).substr(month_prefix.size()), into)) {
        update.rollup.push_back({measure, std::string(into), package, month, exhibit, bucket, amount});
      }
    }
  }
  return update;
}

bool kept_by_month(std::string_view measure, std::string_view branch) {
  constexpr std::array<std::string_view, 5> compared{"visitors", "length", "opened", "exhibit", "completed"};
  return branch == all_branches || std::ranges::find(compared, measure) != compared.end();
}

RollupSql rollup_sql(const RollupQuery& query, SqlDialect dialect) {
  const bool postgresql = dialect == SqlDialect::postgresql;
  const std::string_view prefix = postgresql ? "$" : "?";
  const bool summed = postgresql && !query.by_day;
  RollupSql out;
  auto parameter = [&](std::variant<std::string, int64_t> value) {
    out.parameters.push_back(std::move(value));
    return fmt::format("{}{}", prefix, out.parameters.size());
  };
  // Each real branch is read by its key, so the rows of other branches are never scanned
  // (PostgreSQL's planner does so only for an array of them).
  const std::string branch = !query.per_branch ? "branch = " + parameter(query.branch)
                             : postgresql      ? std::string("branch = ANY (ARRAY(SELECT DISTINCT branch FROM devices))")
                                               : std::string("branch IN (SELECT DISTINCT branch FROM devices)");
  const std::string package = query.package ? "package_id = " + parameter(*query.package) : std::string("package_id <> ''");
  // One SELECT of `measures` (under `prefix_of_rows`) over days [first, last].
  auto select = [&](std::string_view rows_prefix, int64_t first, int64_t last) {
    std::string measures;
    for (const std::string& measure : query.measures) {
      measures += (measures.empty() ? "" : ", ") + parameter(fmt::format("{}{}", rows_prefix, measure));
    }
    return fmt::format(
        "SELECT substr(measure, {0}) AS measure, branch, package_id, {1} AS day, exhibit, bucket, amount FROM visit_rollup "
        "WHERE measure IN ({2}) AND {3} AND {4} AND day BETWEEN {5} AND {6}",
        rows_prefix.size() + 1, query.by_day ? "day" : "0", measures, branch, package, parameter(first), parameter(last));
  };
  // Per-branch rows are a real branch's ("" stands for any of them here).
  const std::string_view rows_branch = query.per_branch ? std::string_view() : std::string_view(query.branch);
  const bool by_month = !query.by_day && std::ranges::all_of(query.measures, [&](const std::string& measure) {
    return kept_by_month(measure, rows_branch);
  });
  const int64_t first_month = query.first_day == month_start(query.first_day) ? query.first_day : next_month_start(query.first_day);
  const int64_t end_month = month_start(query.last_day + 1);  // the first day after the last whole month
  std::string rows;
  if (by_month && first_month < end_month) {
    rows = select(month_prefix, first_month, end_month - 1);
    if (query.first_day < first_month) rows += " UNION ALL " + select("", query.first_day, first_month - 1);
    if (end_month <= query.last_day) rows += " UNION ALL " + select("", end_month, query.last_day);
  } else {
    rows = select("", query.first_day, query.last_day);
  }
  out.sql = summed ? fmt::format(
                        "SELECT measure, branch, package_id, day, exhibit, bucket, sum(amount) FROM ({}) AS r "
                        "GROUP BY measure, branch, package_id, day, exhibit, bucket",
                        rows)
                  : rows;
  return out;
}

void RollupSums::add(std::string_view measure, std::string_view branch, std::string_view package, int64_t day,
                     std::string_view exhibit, int64_t bucket, int64_t amount) {
  key_.clear();
  fmt::format_to(std::back_inserter(key_), "{}\x1f{}\x1f{}\x1f{}\x1f{}\x1f{}", measure, branch, package, day, exhibit, bucket);
  const auto [at, added] = index_.try_emplace(key_, rows_.size());
  if (added) {
    rows_.push_back({std::string(measure), std::string(branch), std::string(package), day, std::string(exhibit), bucket, amount});
  } else {
    rows_[at->second].amount += amount;
  }
}

}  // namespace pavilion::hub
