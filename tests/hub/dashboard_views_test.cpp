// The dashboard's views against hand-computed figures, on both backends: visitors, openings and
// visit lengths by local day, the hour × weekday heatmap in a zone that is not UTC, the
// calendar's holidays, the exhibits' attraction and holding power, scenes' sweep rate and
// diligent visitors, languages and accessibility, campaigns per branch and every kiosk's health.
// Visits arrive over several batches in any order, and a resent batch changes nothing.
//
// Times are Asia/Shanghai (UTC+8): Monday 2026-11-23 00:00 there is Sunday 16:00 UTC. Medians are
// read from log-scale buckets (visit_rollup.h): within 4.4% of the value.
#include "backends.h"

#include "pavilion/hub/config.h"
#include "pavilion/hub/dashboard.h"
#include "pavilion/hub/server.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

namespace pavilion::hub {
namespace {

using testing::TemporaryFolder;

constexpr int64_t minute = 60'000;
constexpr int64_t hour = 3'600'000;
constexpr int64_t day = 24 * hour;
// Monday 2026-11-23 00:00 in Shanghai.
constexpr int64_t monday = 1'795'363'200'000;
constexpr double bucket_tolerance = 0.045;

// A visit's events as a kiosk records them, in the order they happened.
class Visit {
 public:
  Visit(int number, int64_t start_ms, std::string input = "touch")
      : session_(fmt::format("6f1c0000-0000-4000-8000-{:012}", number)), at_(start_ms) {
    add("session_start", input, 0, "");
  }
  // An event `after_ms` after the previous one.
  Visit& then(int64_t after_ms, std::string type, std::string subject, int64_t value = 0, std::string package = "gallery") {
    at_ += after_ms;
    return add(std::move(type), std::move(subject), value, std::move(package));
  }
  Visit& open(const std::string& exhibit, int64_t dwell_ms) {
    then(minute / 6, "exhibit_open", exhibit);
    return then(dwell_ms, "exhibit_close", exhibit, dwell_ms);
  }
  Visit& end(int64_t length_ms) { return then(1'000, "session_end", "timeout", length_ms, ""); }
  const std::vector<StoredEvent>& events() const { return events_; }

 private:
  Visit& add(std::string type, std::string subject, int64_t value, std::string package) {
    StoredEvent event = testing::stored_event(0, at_, std::move(type), std::move(subject));
    event.session = session_;
    event.value = value;
    event.package_id = std::move(package);
    if (event.package_id.empty()) event.exhibit.clear();
    events_.push_back(std::move(event));
    return *this;
  }
  std::string session_;
  int64_t at_;
  std::vector<StoredEvent> events_;
};

class DashboardViewsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(read_settings());
    database_ = testing::test_database(GetParam(), folder_);
    store_ = testing::open_test_store(database_);
    ASSERT_NE(store_, nullptr);
  }

  // The hub.json of these tests; reading it makes Asia/Shanghai the process's zone.
  bool read_settings() {
    const std::filesystem::path file = folder_ / "hub.json";
    std::ofstream(file) << R"({"time_zone": "Asia/Shanghai",
      "holidays": [{"date": "2026-11-24", "name": {"zh-CN": "测试假日", "en": "Test holiday"}}],
      "branches": {"north": {"zh-CN": "北馆", "en": "North Branch"}}, "book_page_seconds": 30})";
    auto config = load_hub_config(file, [](const char*) { return std::optional<std::string>(); });
    if (!config) return false;
    config_ = *config;
    return true;
  }

  // Stores `events` as one batch from `device`.
  IngestCounts send(const std::vector<StoredEvent>& events, const std::string& device = "kiosk-01") {
    const auto counts = store_->ingest({device, monday + 30 * day, 0, 0, {}}, events);
    EXPECT_TRUE(counts.ok()) << counts.error().describe();
    return counts.ok() ? *counts : IngestCounts{};
  }
  // Stores the visits' events as one batch, numbered on from the device's last sequence.
  void send_visits(const std::vector<Visit>& visits, const std::string& device = "kiosk-01") {
    std::vector<StoredEvent> events;
    for (const Visit& visit : visits) events.insert(events.end(), visit.events().begin(), visit.events().end());
    for (StoredEvent& event : events) event.sequence = next_sequence_[device]++;
    send(events, device);
  }

  ViewData view(View which, int64_t first_day_ms, int days, std::optional<std::string> branch = std::nullopt,
                std::optional<std::string> package = std::nullopt) {
    auto data = build_view(*store_, config_, which, {first_day_ms, first_day_ms + days * day, branch, package});
    EXPECT_TRUE(data.ok()) << data.error().describe();
    return data.ok() ? std::move(data).value() : ViewData{};
  }

  static const Table& table(const ViewData& data, std::string_view id) {
    for (const Table& candidate : data.tables) {
      if (candidate.id == id) return candidate;
    }
    ADD_FAILURE() << "no table " << id;
    static const Table none;
    return none;
  }
  static size_t column(const Table& table, std::string_view id) {
    for (size_t index = 0; index < table.columns.size(); ++index) {
      if (table.columns[index].id == id) return index;
    }
    ADD_FAILURE() << "no column " << id << " in " << table.id;
    return 0;
  }
  // The row whose first cells' texts are `keys`.
  static const std::vector<Cell>& row(const Table& table, std::vector<std::string> keys) {
    for (const auto& candidate : table.rows) {
      bool match = true;
      for (size_t index = 0; index < keys.size(); ++index) match = match && candidate[index].text == keys[index];
      if (match) return candidate;
    }
    ADD_FAILURE() << "no row " << keys.front() << " in " << table.id;
    static const std::vector<Cell> none(20);
    return none;
  }
  static double number(const Table& table, std::vector<std::string> keys, std::string_view id) {
    return row(table, std::move(keys))[column(table, id)].number;
  }
  static const Cell& cell(const Table& table, std::vector<std::string> keys, std::string_view id) {
    return row(table, std::move(keys))[column(table, id)];
  }

  HubConfig config_;
  TemporaryFolder folder_;
  std::string database_;
  std::unique_ptr<Store> store_;
  std::map<std::string, uint64_t> next_sequence_;
};

void expect_near_bucket(double actual, double expected) { EXPECT_NEAR(actual, expected, expected * bucket_tolerance); }

// Sunday 11:00 (the previous period), Monday 10:00 and 15:00, Tuesday 20:00.
std::vector<Visit> overview_visits() {
  std::vector<Visit> visits;
  visits.push_back(Visit(1, monday - day + 11 * hour).open("vase", 20'000).end(60'000));
  // session_end says 120 s although its events span 130 s: the kiosk's own length wins.
  visits.push_back(Visit(2, monday + 10 * hour).open("vase", 30'000).open("ding", 10'000).then(80'000, "zoom", "ding", 150).end(120'000));
  // No session_end: from the first event to the last, 200 s.
  visits.push_back(Visit(3, monday + 15 * hour).open("vase", 60'000).then(200'000 - 70'000, "zoom", "vase", 120));
  visits.push_back(Visit(4, monday + day + 20 * hour, "gaze").open("vase", 5'000).end(300'000));
  return visits;
}

TEST_P(DashboardViewsTest, OverviewCountsVisitorsOpeningsAndMedianLengthsAgainstThePreviousPeriod) {
  send_visits(overview_visits());
  const ViewData data = view(View::overview, monday, 2);
  const Table& totals = table(data, "totals");
  EXPECT_EQ(number(totals, {"visitors"}, "current"), 3);
  EXPECT_EQ(number(totals, {"visitors"}, "previous"), 1);
  EXPECT_EQ(number(totals, {"exhibits_opened"}, "current"), 4);
  EXPECT_EQ(number(totals, {"exhibits_opened"}, "previous"), 1);
  // {120, 200, 300} s.
  expect_near_bucket(number(totals, {"median_visit_seconds"}, "current"), 200);
  EXPECT_EQ(cell(totals, {"median_visit_seconds"}, "current").base, 3u);
  expect_near_bucket(number(totals, {"median_visit_seconds"}, "previous"), 60);

  const Table& by_day = table(data, "by_day");
  ASSERT_EQ(by_day.rows.size(), 2u);
  EXPECT_EQ(number(by_day, {"2026-11-23"}, "visitors"), 2);
  EXPECT_EQ(number(by_day, {"2026-11-23"}, "exhibits_opened"), 3);
  // The lower median of {120, 200}.
  expect_near_bucket(number(by_day, {"2026-11-23"}, "median_visit_seconds"), 120);
  EXPECT_EQ(number(by_day, {"2026-11-23"}, "previous_visitors"), 0);  // Saturday
  EXPECT_EQ(number(by_day, {"2026-11-24"}, "visitors"), 1);
  expect_near_bucket(number(by_day, {"2026-11-24"}, "median_visit_seconds"), 300);
  EXPECT_EQ(number(by_day, {"2026-11-24"}, "previous_visitors"), 1);  // Sunday
  EXPECT_EQ(by_day.columns[column(by_day, "visitors")].kind, CellKind::count);
  EXPECT_EQ(by_day.columns[column(by_day, "median_visit_seconds")].kind, CellKind::measure);
}

TEST_P(DashboardViewsTest, WhenPlacesVisitsByLocalWeekdayAndHourAndKnowsHolidaysAndDayparts) {
  std::vector<Visit> visits = overview_visits();
  // Monday 01:30 in Shanghai is Sunday 17:30 UTC: it belongs to Monday's night.
  visits.push_back(Visit(5, monday + 90 * minute).open("vase", 10'000).end(30'000));
  send_visits(visits);
  const ViewData data = view(View::when, monday - day, 3);
  const Table& heatmap = table(data, "heatmap");
  ASSERT_EQ(heatmap.rows.size(), 168u);
  auto at = [&](int weekday, int local_hour) { return heatmap.rows[static_cast<size_t>((weekday - 1) * 24 + local_hour)][2].number; };
  EXPECT_EQ(heatmap.rows[24 + 3][0].number, 2);  // Tuesday
  EXPECT_EQ(heatmap.rows[24 + 3][1].number, 3);  // 03:00
  EXPECT_EQ(at(1, 1), 1);
  EXPECT_EQ(at(7, 17), 0);
  EXPECT_EQ(at(1, 10), 1);
  EXPECT_EQ(at(1, 15), 1);
  EXPECT_EQ(at(2, 20), 1);
  EXPECT_EQ(at(7, 11), 1);
  double total = 0;
  for (const auto& cells : heatmap.rows) total += cells[2].number;
  EXPECT_EQ(total, 5);
  // Each weekday's 24 hours and each hour's 7 weekdays are groups for privacy.
  ASSERT_EQ(heatmap.partitions.size(), 7u + 24u);
  EXPECT_EQ(heatmap.partitions[0].size(), 24u);
  EXPECT_EQ(heatmap.partitions[7].size(), 7u);

  const Table& calendar = table(data, "calendar");
  ASSERT_EQ(calendar.rows.size(), 3u);
  EXPECT_EQ(cell(calendar, {"2026-11-22"}, "day_kind").text, "weekend");
  EXPECT_EQ(cell(calendar, {"2026-11-23"}, "day_kind").text, "weekday");
  EXPECT_EQ(cell(calendar, {"2026-11-24"}, "day_kind").text, "holiday");
  EXPECT_EQ(number(calendar, {"2026-11-23"}, "visitors"), 3);

  const Table& dayparts = table(data, "dayparts");
  EXPECT_EQ(number(dayparts, {"morning"}, "weekday_visitors"), 1);    // Monday 10:00
  EXPECT_EQ(number(dayparts, {"morning"}, "weekend_visitors"), 1);    // Sunday 11:00
  EXPECT_EQ(number(dayparts, {"afternoon"}, "weekday_visitors"), 1);  // Monday 15:00
  EXPECT_EQ(number(dayparts, {"evening"}, "weekend_visitors"), 1);    // the Tuesday holiday, 20:00
  EXPECT_EQ(number(dayparts, {"night"}, "weekday_visitors"), 1);      // Monday 01:30
  EXPECT_EQ(number(dayparts, {"evening"}, "weekday_visitors"), 0);
}

// Four visitors of the gallery: a vase (no kind of its own), a poem and a book.
std::vector<Visit> gallery_visits() {
  std::vector<Visit> visits;
  visits.push_back(Visit(11, monday + 9 * hour)
                       .then(1'000, "scene_enter", "gallery")
                       .open("vase", 40'000)
                       .then(1'000, "exhibit_open", "poem")
                       .then(1'000, "poem_play", "poem")
                       .then(90'000, "poem_complete", "poem", 90'000)
                       .then(9'000, "exhibit_close", "poem", 100'000)
                       .then(1'000, "exhibit_open", "book")
                       .then(10'000, "page_turn", "book", 3)
                       .then(10'000, "page_turn", "book", 5)
                       .then(70'000, "exhibit_close", "book", 90'000)
                       .then(1'000, "scene_exit", "gallery", 300'000));
  visits.push_back(Visit(12, monday + 10 * hour)
                       .open("vase", 80'000)
                       .then(1'000, "exhibit_open", "poem")
                       .then(1'000, "poem_play", "poem")
                       .then(20'000, "poem_abort", "poem", 20'000)
                       .then(4'000, "exhibit_close", "poem", 25'000)
                       .then(1'000, "scene_exit", "gallery", 120'000));
  visits.push_back(Visit(13, monday + 11 * hour).open("vase", 60'000).then(1'000, "scene_exit", "gallery", 60'000));
  visits.push_back(Visit(14, monday + 12 * hour).then(1'000, "scene_enter", "gallery").then(1'000, "scene_exit", "gallery", 30'000));
  return visits;
}

TEST_P(DashboardViewsTest, WhatGivesAttractionHoldingPowerPageDepthAndPoemsPerExhibit) {
  send_visits(gallery_visits());
  const ViewData data = view(View::what, monday, 1);
  const Table& exhibits = table(data, "exhibits");
  ASSERT_EQ(exhibits.rows.size(), 3u);
  // The vase: 3 of 4 visitors; dwells {40, 60, 80} s; it needs exhibit_seconds (60).
  EXPECT_EQ(number(exhibits, {"gallery", "vase"}, "visitors"), 3);
  EXPECT_DOUBLE_EQ(number(exhibits, {"gallery", "vase"}, "attraction_power"), 0.75);
  EXPECT_EQ(cell(exhibits, {"gallery", "vase"}, "attraction_power").base, 4u);
  expect_near_bucket(number(exhibits, {"gallery", "vase"}, "median_dwell_seconds"), 60);
  EXPECT_EQ(number(exhibits, {"gallery", "vase"}, "needed_seconds"), 60);
  expect_near_bucket(number(exhibits, {"gallery", "vase"}, "holding_power"), 1.0);
  EXPECT_TRUE(cell(exhibits, {"gallery", "vase"}, "poems_completed").missing);
  EXPECT_TRUE(cell(exhibits, {"gallery", "vase"}, "median_page_depth").missing);
  // The poem: needs its completed recitation (90 s); dwells {25, 100}: the lower median is 25.
  EXPECT_DOUBLE_EQ(number(exhibits, {"gallery", "poem"}, "attraction_power"), 0.5);
  EXPECT_EQ(number(exhibits, {"gallery", "poem"}, "poems_completed"), 1);
  EXPECT_EQ(number(exhibits, {"gallery", "poem"}, "poems_abandoned"), 1);
  expect_near_bucket(number(exhibits, {"gallery", "poem"}, "needed_seconds"), 90);
  EXPECT_NEAR(number(exhibits, {"gallery", "poem"}, "holding_power"), 25.0 / 90, 25.0 / 90 * 2 * bucket_tolerance);
  // The book: the highest page anyone reached (5) × book_page_seconds (30 in this hub.json).
  EXPECT_EQ(number(exhibits, {"gallery", "book"}, "needed_seconds"), 150);
  EXPECT_EQ(number(exhibits, {"gallery", "book"}, "median_page_depth"), 5);
  EXPECT_EQ(cell(exhibits, {"gallery", "book"}, "median_page_depth").base, 1u);
  expect_near_bucket(number(exhibits, {"gallery", "book"}, "holding_power"), 90.0 / 150);

  const Table& scenes = table(data, "scenes");
  ASSERT_EQ(scenes.rows.size(), 1u);
  EXPECT_EQ(number(scenes, {"gallery"}, "visitors"), 4);
  EXPECT_EQ(number(scenes, {"gallery"}, "exhibits"), 3);
  // Times in the scene {30, 60, 120, 300} s: a mean of 2.125 minutes, so 3 / 2.125 exhibits a minute.
  EXPECT_DOUBLE_EQ(number(scenes, {"gallery"}, "sweep_rate_index"), 3 / 2.125);
  expect_near_bucket(number(scenes, {"gallery"}, "median_time_seconds"), 60);
  // More than half of 3 exhibits: the first visitor (3) and the second (2).
  EXPECT_DOUBLE_EQ(number(scenes, {"gallery"}, "diligent_share"), 0.5);
}

// 40 visitors on Monday: 5 open nothing, 15 only the vase, 8 start the poem and leave it, 12 hear
// it to its end (one of them lost its poem_play: a poem heard to its end was played).
std::vector<Visit> funnel_visits() {
  std::vector<Visit> visits;
  int number = 60;
  for (int index = 0; index < 5; ++index) visits.push_back(Visit(number++, monday + 9 * hour + index * minute).end(30'000));
  for (int index = 0; index < 15; ++index) {
    visits.push_back(Visit(number++, monday + 10 * hour + index * minute).open("vase", 20'000).end(60'000));
  }
  for (int index = 0; index < 8; ++index) {
    visits.push_back(Visit(number++, monday + 11 * hour + index * minute).open("vase", 5'000)
                         .then(1'000, "poem_play", "poem").then(10'000, "poem_abort", "poem", 10'000).end(60'000));
  }
  for (int index = 0; index < 12; ++index) {
    Visit visit(number++, monday + 12 * hour + index * minute);
    if (index > 0) visit.then(1'000, "poem_play", "poem");
    visits.push_back(visit.then(90'000, "poem_complete", "poem", 90'000).end(120'000));
  }
  return visits;
}

TEST_P(DashboardViewsTest, WhatFunnelFollowsVisitorsToAPoemHeardToItsEnd) {
  send_visits(funnel_visits());
  const ViewData data = view(View::what, monday, 1);
  const Table& funnel = table(data, "funnel");
  ASSERT_EQ(funnel.rows.size(), 4u);
  EXPECT_EQ(number(funnel, {"visited"}, "visitors"), 40);
  EXPECT_EQ(number(funnel, {"opened_exhibit"}, "visitors"), 35);
  EXPECT_EQ(number(funnel, {"played_poem"}, "visitors"), 20);
  EXPECT_EQ(number(funnel, {"completed_poem"}, "visitors"), 12);
  EXPECT_EQ(number(funnel, {"visited"}, "stopped"), 5);
  EXPECT_EQ(number(funnel, {"opened_exhibit"}, "stopped"), 15);
  EXPECT_EQ(number(funnel, {"played_poem"}, "stopped"), 8);
  EXPECT_TRUE(cell(funnel, {"completed_poem"}, "stopped").missing);
  // The gallery's own funnel: the 5 who opened nothing never entered it.
  const ViewData gallery_data = view(View::what, monday, 1, std::nullopt, "gallery");
  const Table& gallery = table(gallery_data, "funnel");
  EXPECT_EQ(number(gallery, {"visited"}, "visitors"), 35);
  EXPECT_EQ(number(gallery, {"visited"}, "stopped"), 0);
  EXPECT_EQ(number(gallery, {"completed_poem"}, "visitors"), 12);
  // A day without visits: every step is zero.
  EXPECT_EQ(number(table(view(View::what, monday + day, 1), "funnel"), {"opened_exhibit"}, "visitors"), 0);
}

// The 5 who stopped before an exhibit and the 8 who left the poem are withheld; subtraction must
// not give them back: 40 − 35 would be 5, and 20 − 12 would be 8. So "opened an exhibit" (35) and
// "completed" (12) are withheld too, and then "stopped after opening" (15), or 35 would be 20 +
// 15. The period's visitors (40, shown in the overview) stay.
TEST_P(DashboardViewsTest, FunnelWithholdsWhatSubtractingItsStepsWouldGiveBack) {
  send_visits(funnel_visits());
  ViewData data = view(View::what, monday, 1);
  suppress_small_counts(data);
  const Table& funnel = table(data, "funnel");
  auto withheld = [&](std::string step, std::string_view column) { return cell(funnel, {std::move(step)}, column).suppressed; };
  EXPECT_FALSE(withheld("visited", "visitors"));
  EXPECT_TRUE(withheld("visited", "stopped"));
  EXPECT_TRUE(withheld("opened_exhibit", "visitors"));
  EXPECT_TRUE(withheld("opened_exhibit", "stopped"));
  EXPECT_FALSE(withheld("played_poem", "visitors"));
  EXPECT_TRUE(withheld("played_poem", "stopped"));
  EXPECT_TRUE(withheld("completed_poem", "visitors"));
  EXPECT_FALSE(withheld("completed_poem", "stopped"));  // missing: nothing to hide
}

// 20 visitors all open the poem and start it, 5 hear it to its end: only those 5 and the 15 who
// left it are withheld. The steps' column adds up to nothing, so no second step is withheld to
// protect them (the period's 20 visitors least of all: the overview shows them).
TEST_P(DashboardViewsTest, FunnelStepsAreNoGroupOfTheirOwn) {
  std::vector<Visit> visits;
  for (int index = 0; index < 20; ++index) {
    Visit visit(100 + index, monday + 9 * hour + index * minute);
    visit.then(1'000, "poem_play", "poem");
    if (index < 5) visit.then(90'000, "poem_complete", "poem", 90'000);
    visits.push_back(visit.end(120'000));
  }
  send_visits(visits);
  ViewData data = view(View::what, monday, 1, std::nullopt, "gallery");
  suppress_small_counts(data);
  const Table& funnel = table(data, "funnel");
  auto withheld = [&](std::string step, std::string_view column) { return cell(funnel, {std::move(step)}, column).suppressed; };
  EXPECT_TRUE(withheld("completed_poem", "visitors"));
  EXPECT_TRUE(withheld("played_poem", "stopped"));
  EXPECT_FALSE(withheld("visited", "visitors"));
  EXPECT_FALSE(withheld("opened_exhibit", "visitors"));
  EXPECT_FALSE(withheld("played_poem", "visitors"));
  EXPECT_FALSE(withheld("visited", "stopped"));
  EXPECT_EQ(number(funnel, {"played_poem"}, "visitors"), 20);
}

// The demonstration banner follows the period's visits, not the devices enrolled.
TEST_P(DashboardViewsTest, ViewsAreSimulatedOnlyWhereThePeriodHoldsSimulatedVisits) {
  ASSERT_TRUE(enrol_device(*store_, "north-1", {"north", false}).ok());
  ASSERT_TRUE(enrol_device(*store_, "demo-1", {"demo", true}).ok());
  send_visits({Visit(90, monday + 9 * hour).open("vase", 1'000)}, "north-1");
  send_visits({Visit(91, monday + day + 9 * hour).open("vase", 1'000)}, "demo-1");
  EXPECT_FALSE(view(View::when, monday, 1).simulated);
  EXPECT_TRUE(view(View::when, monday, 2).simulated);
  EXPECT_TRUE(view(View::what, monday + day, 1, std::nullopt, "gallery").simulated);
  EXPECT_FALSE(view(View::what, monday + day, 1, std::nullopt, "poetry").simulated);
  EXPECT_FALSE(view(View::campaigns, monday, 2, "north").simulated);
  EXPECT_TRUE(view(View::campaigns, monday, 2, "demo").simulated);
  // The overview also shows the period before: Tuesday's simulated visit is in Wednesday's.
  EXPECT_TRUE(view(View::overview, monday + 2 * day, 1).simulated);
  EXPECT_FALSE(view(View::overview, monday + 3 * day, 1).simulated);
  EXPECT_FALSE(view(View::how, monday + 3 * day, 1).simulated);
}

TEST_P(DashboardViewsTest, HowCountsLanguagesFeaturesDeviceKindsAndInputsOncePerVisitor) {
  std::vector<Visit> visits;
  visits.push_back(Visit(21, monday + 9 * hour, "touch").then(1'000, "language_change", "en", 0, "")
                       .then(1'000, "accessibility_change", "text_scale", 120, ""));
  visits.push_back(Visit(22, monday + 9 * hour, "keypad").then(1'000, "language_change", "zh-CN", 0, "")
                       .then(1'000, "language_change", "en", 0, "").then(1'000, "language_change", "en", 0, "")
                       .then(1'000, "accessibility_change", "text_scale", 100, ""));
  visits.push_back(Visit(23, monday + 9 * hour, "gaze").then(1'000, "accessibility_change", "high_contrast", 1, "")
                       .then(1'000, "accessibility_change", "seated", 1, "").then(1'000, "accessibility_change", "seated", 0, ""));
  visits.push_back(Visit(24, monday + 9 * hour, "hand"));
  send_visits(visits);
  const ViewData data = view(View::how, monday, 1);
  EXPECT_EQ(number(table(data, "languages"), {"en"}, "visitors"), 2);
  EXPECT_EQ(number(table(data, "languages"), {"zh-CN"}, "visitors"), 1);
  const Table& accessibility = table(data, "accessibility");
  ASSERT_EQ(accessibility.rows.size(), 6u);
  EXPECT_EQ(number(accessibility, {"text_scale"}, "visitors"), 1);
  EXPECT_EQ(number(accessibility, {"high_contrast"}, "visitors"), 1);
  EXPECT_EQ(number(accessibility, {"seated"}, "visitors"), 1);
  EXPECT_EQ(number(accessibility, {"audio_only"}, "visitors"), 0);
  EXPECT_EQ(number(table(data, "devices"), {"kiosk"}, "visitors"), 2);
  EXPECT_EQ(number(table(data, "devices"), {"headset"}, "visitors"), 2);
  EXPECT_EQ(number(table(data, "inputs"), {"keypad"}, "visitors"), 1);
  EXPECT_EQ(number(table(data, "inputs"), {"hand"}, "visitors"), 1);
  EXPECT_EQ(number(table(data, "inputs"), {"controller"}, "visitors"), 0);
}

TEST_P(DashboardViewsTest, CampaignsCompareBranchesAndABranchFilterSeesOnlyItsOwn) {
  ASSERT_TRUE(enrol_device(*store_, "north-1", {"north", false}).ok());
  ASSERT_TRUE(enrol_device(*store_, "south-1", {"south", false}).ok());
  std::vector<Visit> gallery = gallery_visits();
  send_visits({gallery[0], gallery[1]}, "north-1");
  send_visits({gallery[2], gallery[3], Visit(30, monday + day + 9 * hour).then(1'000, "scene_enter", "other", 0, "other")},
              "south-1");
  const ViewData data = view(View::campaigns, monday, 2, std::nullopt, "gallery");
  const Table& branches = table(data, "branches");
  ASSERT_EQ(branches.rows.size(), 2u);
  EXPECT_EQ(number(branches, {"north"}, "visitors"), 2);
  EXPECT_EQ(number(branches, {"north"}, "exhibits_opened"), 5);
  EXPECT_EQ(number(branches, {"north"}, "poems_completed"), 1);
  // North: 5 exhibit visits by 2 visitors of 3 exhibits; south: 1 by 2 visitors.
  EXPECT_DOUBLE_EQ(number(branches, {"north"}, "attraction_power"), 5.0 / 6);
  EXPECT_DOUBLE_EQ(number(branches, {"south"}, "attraction_power"), 1.0 / 6);
  EXPECT_EQ(number(branches, {"south"}, "visitors"), 2);  // the visitor of "other" is not the campaign's
  expect_near_bucket(number(branches, {"north"}, "median_visit_seconds"), 120);
  const Table& by_day = table(data, "by_day");
  ASSERT_EQ(by_day.rows.size(), 4u);
  EXPECT_EQ(number(by_day, {"2026-11-23", "north"}, "visitors"), 2);
  EXPECT_EQ(number(by_day, {"2026-11-24", "south"}, "visitors"), 0);
  ASSERT_EQ(by_day.partitions.size(), 2u);

  const ViewData north = view(View::overview, monday, 2, "north");
  EXPECT_EQ(number(table(north, "totals"), {"visitors"}, "current"), 2);
  const ViewData south_how = view(View::campaigns, monday, 2, "south", "gallery");
  ASSERT_EQ(table(south_how, "branches").rows.size(), 1u);
  EXPECT_EQ(table(south_how, "branches").rows[0][0].text, "south");
  const ViewData everyone = view(View::overview, monday, 2);
  EXPECT_EQ(number(table(everyone, "totals"), {"visitors"}, "current"), 5);
}

TEST_P(DashboardViewsTest, PeriodsOverMonthsReadWholeMonthsAndTheDaysAroundThemAlike) {
  ASSERT_TRUE(enrol_device(*store_, "north-1", {"north", false}).ok());
  // 2026-10-31, 2026-11-15 and 2026-12-01: a day before November, November whole, a day after.
  const int64_t october_31 = monday - 23 * day;
  send_visits({Visit(60, october_31 + 10 * hour).open("vase", 30'000), Visit(61, monday - 8 * day + 10 * hour).open("vase", 30'000),
               Visit(62, monday + 8 * day + 10 * hour).open("vase", 30'000).open("ding", 30'000)},
              "north-1");
  const ViewData data = view(View::campaigns, october_31, 32, std::nullopt, "gallery");
  const Table& branches = table(data, "branches");
  ASSERT_EQ(branches.rows.size(), 1u);
  EXPECT_EQ(number(branches, {"north"}, "visitors"), 3);
  EXPECT_EQ(number(branches, {"north"}, "exhibits_opened"), 4);
  EXPECT_DOUBLE_EQ(number(branches, {"north"}, "attraction_power"), 4.0 / 6);
  const ViewData november = view(View::campaigns, october_31 + day, 30, std::nullopt, "gallery");
  EXPECT_EQ(number(table(november, "branches"), {"north"}, "visitors"), 1);
  const ViewData what = view(View::what, october_31, 32);
  EXPECT_EQ(number(table(what, "exhibits"), {"gallery", "vase"}, "visitors"), 3);
  EXPECT_EQ(number(table(what, "scenes"), {"gallery"}, "visitors"), 3);
  const ViewData how = view(View::how, october_31, 32);
  EXPECT_EQ(number(table(how, "inputs"), {"touch"}, "visitors"), 3);
}

TEST_P(DashboardViewsTest, HealthShowsEveryKioskAndWhatItIsMissing) {
  ASSERT_TRUE(enrol_device(*store_, "north-1", {"north", false}).ok());
  ASSERT_TRUE(enrol_device(*store_, "south-1", {"south", true}).ok());
  std::vector<StoredEvent> events = Visit(40, monday + 9 * hour).open("vase", 1'000).events();
  events[0].sequence = 0;
  events[1].sequence = 1;
  events[2].sequence = 4;  // 2 and 3 never arrived; the kiosk says it dropped one
  ASSERT_TRUE(store_->ingest({"north-1", monday + 10 * hour, 1, 0, {}}, events).ok());
  const ViewData data = view(View::health, monday, 1);
  const Table& devices = table(data, "devices");
  ASSERT_EQ(devices.rows.size(), 2u);
  EXPECT_EQ(cell(devices, {"north-1"}, "branch").text, "north");
  EXPECT_EQ(number(devices, {"north-1"}, "received"), 3);
  EXPECT_EQ(number(devices, {"north-1"}, "expected"), 5);
  EXPECT_EQ(number(devices, {"north-1"}, "missing"), 2);
  EXPECT_EQ(number(devices, {"north-1"}, "dropped_over_cap"), 1);
  EXPECT_EQ(number(devices, {"north-1"}, "unexplained"), 1);
  EXPECT_EQ(cell(devices, {"north-1"}, "last_seen").text, "2026-11-23T02:00:00Z");
  EXPECT_EQ(cell(devices, {"north-1"}, "received").kind, CellKind::device_count);
  EXPECT_TRUE(cell(devices, {"south-1"}, "last_seen").missing);
  EXPECT_TRUE(data.simulated);
  EXPECT_FALSE(view(View::health, monday, 1, "north").simulated);
  EXPECT_EQ(table(view(View::health, monday, 1, "north"), "devices").rows.size(), 1u);
}

TEST_P(DashboardViewsTest, AVisitSplitOverBatchesInReverseOrderCountsOnceOnItsFirstDay) {
  // Starts Monday 23:59 and ends Tuesday: the later half arrives first.
  const Visit visit = Visit(50, monday + day - minute).open("vase", 90'000).end(100'000);
  std::vector<StoredEvent> events = visit.events();
  for (size_t index = 0; index < events.size(); ++index) events[index].sequence = index;
  const std::vector<StoredEvent> first_half(events.begin(), events.begin() + 2);
  const std::vector<StoredEvent> second_half(events.begin() + 2, events.end());
  send(second_half);
  EXPECT_EQ(number(table(view(View::overview, monday, 2), "by_day"), {"2026-11-24"}, "visitors"), 1);
  send(first_half);
  const IngestCounts again = send(first_half);
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.duplicates, 2u);
  send(events);

  const ViewData data = view(View::overview, monday, 2);
  EXPECT_EQ(number(table(data, "totals"), {"visitors"}, "current"), 1);
  EXPECT_EQ(number(table(data, "totals"), {"exhibits_opened"}, "current"), 1);
  expect_near_bucket(number(table(data, "totals"), {"median_visit_seconds"}, "current"), 100);
  EXPECT_EQ(number(table(data, "by_day"), {"2026-11-23"}, "visitors"), 1);
  EXPECT_EQ(number(table(data, "by_day"), {"2026-11-24"}, "visitors"), 0);
  const ViewData when = view(View::when, monday, 2);
  const Table& heatmap = table(when, "heatmap");
  EXPECT_EQ(heatmap.rows[23][2].number, 1);      // Monday 23:00
  EXPECT_EQ(heatmap.rows[24 + 0][2].number, 0);  // Tuesday 00:00
  const ViewData what = view(View::what, monday, 2);
  const Table& exhibits = table(what, "exhibits");
  EXPECT_EQ(number(exhibits, {"gallery", "vase"}, "visitors"), 1);
  expect_near_bucket(number(exhibits, {"gallery", "vase"}, "median_dwell_seconds"), 90);
}

TEST_P(DashboardViewsTest, FiltersNameTheBranchesPackagesDaysAndZone) {
  ASSERT_TRUE(enrol_device(*store_, "north-1", {"north", false}).ok());
  ASSERT_TRUE(enrol_device(*store_, "demo-1", {"demo", true}).ok());
  send_visits(gallery_visits(), "north-1");
  const auto all = filters_json(*store_, config_, std::nullopt);
  ASSERT_TRUE(all.ok()) << all.error().describe();
  const auto json = nlohmann::json::parse(*all);
  ASSERT_EQ(json["branches"].size(), 2u);
  EXPECT_EQ(json["branches"][0]["id"], "demo");
  EXPECT_EQ(json["branches"][0]["name"]["en"], "demo");
  EXPECT_EQ(json["branches"][1]["name"]["zh-CN"], "北馆");
  EXPECT_EQ(json["packages"], nlohmann::json::array({"gallery"}));
  EXPECT_EQ(json["first_day"], "2026-11-23");
  EXPECT_EQ(json["last_day"], "2026-11-23");
  EXPECT_EQ(json["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(json["simulated"], true);
  const auto north = nlohmann::json::parse(filters_json(*store_, config_, "north").value());
  ASSERT_EQ(north["branches"].size(), 1u);
  EXPECT_EQ(north["branches"][0]["id"], "north");
  EXPECT_EQ(north["simulated"], false);
}

INSTANTIATE_TEST_SUITE_P(Backends, DashboardViewsTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

TEST(DashboardSettings, EveryProblemIsNamedByItsField) {
  TemporaryFolder folder;
  const std::filesystem::path file = folder / "hub.json";
  std::ofstream(file) << R"({"time_zone": "Mars/Olympus", "holidays": [{"date": "2027-02-30", "name": {"en": "x", "zh-CN": "x"}}],
    "branches": {"bad id!": {"en": "x", "zh-CN": "x"}}, "exhibit_seconds": 0})";
  const auto config = load_hub_config(file, [](const char*) { return std::optional<std::string>(); });
  ASSERT_FALSE(config.ok());
  const std::string why = config.error().describe();
  EXPECT_NE(why.find("time_zone"), std::string::npos) << why;
  EXPECT_NE(why.find("Mars/Olympus"), std::string::npos) << why;
  EXPECT_NE(why.find("holidays[0].date"), std::string::npos) << why;
  EXPECT_NE(why.find("bad id!"), std::string::npos) << why;
  EXPECT_NE(why.find("exhibit_seconds"), std::string::npos) << why;
}

TEST(DashboardSettings, DefaultsAreTheMachinesZoneAndTheDocumentedTimes) {
  const auto config = load_hub_config(std::nullopt, [](const char*) { return std::optional<std::string>(); });
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->time_zone, "");
  EXPECT_EQ(config->exhibit_seconds, 60u);
  EXPECT_EQ(config->book_page_seconds, 20u);
  EXPECT_TRUE(config->branches.empty());
  EXPECT_TRUE(config->holidays.empty());
}

}  // namespace
}  // namespace pavilion::hub
