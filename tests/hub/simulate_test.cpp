// pavilion-hub simulate: three branches over thirty days around the Spring Festival of 2027
// (6 February), through the real ingest. The same seed gives the same data on both backends,
// every event passes the hub's checks, and the patterns the dashboard is for are there.
#include "backends.h"

#include "pavilion/hub/simulate.h"
#include "pavilion/telemetry/book_events.h"
#include "simulate/visits.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <tuple>

namespace pavilion::hub {
namespace {

using namespace std::chrono;
using testing::TemporaryFolder;

constexpr sys_days last_day = 2027y / February / 18;
constexpr sys_days first_day = last_day - days(29);
constexpr int64_t day_ms = 86'400'000;

SimulationOptions small_options() {
  SimulationOptions options;
  options.branches = 3;
  options.days = 30;
  options.last_day = last_day;
  options.seed = 20;
  return options;
}

std::vector<HourlyCount> all_counts(Store& store) {
  return store.hourly(first_day.time_since_epoch().count() * day_ms - 2 * day_ms,
                      last_day.time_since_epoch().count() * day_ms + 2 * day_ms)
      .value();
}

// Visits begun on each local day (China Standard Time, as the simulation's branches).
std::map<sys_days, uint64_t> visits_by_day(const std::vector<HourlyCount>& counts) {
  std::map<sys_days, uint64_t> visits;
  for (sys_days day = first_day; day <= last_day; day += days(1)) visits[day] = 0;
  for (const HourlyCount& row : counts) {
    if (row.type != "session_start") continue;
    visits[floor<days>(sys_time<milliseconds>(milliseconds(row.hour_ms)) + hours(8))] += row.events;
  }
  return visits;
}

bool same_counts(const std::vector<HourlyCount>& one, const std::vector<HourlyCount>& other) {
  return std::ranges::equal(one, other, [](const HourlyCount& a, const HourlyCount& b) {
    return std::tie(a.hour_ms, a.package_id, a.exhibit, a.type, a.events) ==
           std::tie(b.hour_ms, b.package_id, b.exhibit, b.type, b.events);
  });
}

double mean_visits(const std::map<sys_days, uint64_t>& visits, sys_days from, sys_days to, bool weekends) {
  double total = 0;
  int count = 0;
  for (sys_days day = from; day <= to; day += days(1)) {
    if ((weekday(day).iso_encoding() >= 6) != weekends) continue;
    total += static_cast<double>(visits.at(day));
    ++count;
  }
  return total / count;
}

TEST(HubSimulate, TheSameSeedGivesTheSameDataOnBothBackendsAndEveryEventIsAccepted) {
  TemporaryFolder folder;
  std::vector<std::vector<HourlyCount>> runs;
  for (const std::string backend : {"sqlite", "sqlite-again", "postgresql"}) {
    SCOPED_TRACE(backend);
    const auto store = testing::open_test_store(
        backend == "postgresql" ? testing::test_database(backend, folder) : (folder / (backend + ".sqlite")).string());
    ASSERT_NE(store, nullptr);
    size_t progress_calls = 0;
    SimulationOptions options = small_options();
    options.days = 14;  // around the festival; three runs of thirty days would only be slower
    options.progress = [&](const SimulationProgress& progress) {
      ++progress_calls;
      EXPECT_EQ(progress.branches, 3u);
    };
    const auto summary = simulate(*store, options);
    ASSERT_TRUE(summary.ok()) << summary.error().describe();
    EXPECT_EQ(progress_calls, 3u);
    EXPECT_EQ(summary->rejected, 0u);
    EXPECT_EQ(summary->duplicates, 0u);
    EXPECT_EQ(summary->stored, summary->events);
    EXPECT_GT(summary->sessions, 500u);
    EXPECT_GT(summary->events, 10 * summary->sessions);
    runs.push_back(all_counts(*store));
  }
  ASSERT_FALSE(runs[0].empty());
  EXPECT_TRUE(same_counts(runs[0], runs[1])) << "two runs with one seed differ";
  EXPECT_TRUE(same_counts(runs[0], runs[2])) << "SQLite and PostgreSQL hold different counts";
}

TEST(HubSimulate, AnotherSeedGivesOtherVisitsAndARunRepeatedAddsNothing) {
  TemporaryFolder folder;
  const auto store = testing::open_test_store((folder / "hub.sqlite").string());
  ASSERT_NE(store, nullptr);
  SimulationOptions options = small_options();
  options.days = 7;
  const auto first = simulate(*store, options).value();
  const auto again = simulate(*store, options).value();
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.duplicates, first.events);
  options.seed = 21;
  const auto other = simulate(*store, options).value();
  EXPECT_EQ(other.duplicates, 0u);
  EXPECT_NE(other.sessions, first.sessions);
}

TEST(HubSimulate, WeekendsHolidaysAndTheSpringFestivalShowAndClosedDaysAreEmpty) {
  TemporaryFolder folder;
  const auto store = testing::open_test_store((folder / "hub.sqlite").string());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(simulate(*store, small_options()).ok());
  const auto counts = all_counts(*store);
  const auto visits = visits_by_day(counts);

  // The festival's eve and first day the libraries are closed; the temple-fair days after it are
  // the year's peak, far above the winter holiday's weekdays before it.
  EXPECT_EQ(visits.at(2027y / February / 5), 0u);
  EXPECT_EQ(visits.at(2027y / February / 6), 0u);
  const double holiday_weekdays = mean_visits(visits, 2027y / January / 20, 2027y / February / 3, false);
  const double holiday_weekends = mean_visits(visits, 2027y / January / 20, 2027y / February / 3, true);
  const double peak = (visits.at(2027y / February / 9) + visits.at(2027y / February / 10) +
                       visits.at(2027y / February / 11) + visits.at(2027y / February / 12)) / 4.0;
  EXPECT_GT(holiday_weekdays, 30);
  EXPECT_GT(holiday_weekends, 1.15 * holiday_weekdays);
  EXPECT_GT(peak, 2.0 * holiday_weekdays);

  // No branch opens before 8 (the night readers' tail ends at 3), and afternoons are far busier
  // than the first hour of the morning.
  std::array<uint64_t, 24> by_hour{};
  for (const HourlyCount& row : counts) {
    if (row.type == "session_start") by_hour[static_cast<size_t>(((row.hour_ms / 3'600'000) + 8) % 24)] += row.events;
  }
  for (size_t hour = 3; hour < 7; ++hour) EXPECT_EQ(by_hour[hour], 0u) << hour << ":00";
  EXPECT_GT(by_hour[15], 3 * by_hour[8]);
}

TEST(HubSimulate, ItsEventsAreTheBundledScenesExhibitsWithEveryKindOfEvent) {
  TemporaryFolder folder;
  const auto store = testing::open_test_store((folder / "hub.sqlite").string());
  ASSERT_NE(store, nullptr);
  SimulationOptions options = small_options();
  options.days = 7;
  ASSERT_TRUE(simulate(*store, options).ok());
  std::map<std::string, uint64_t> by_type;
  std::map<std::string, uint64_t> opened;
  for (const HourlyCount& row : all_counts(*store)) {
    by_type[row.type] += row.events;
    if (row.type == "exhibit_open") opened[row.package_id + "/" + row.exhibit] += row.events;
  }
  for (const char* type : {"session_start", "session_end", "scene_enter", "scene_exit", "exhibit_open", "exhibit_close",
                           "poem_play", "poem_complete", "poem_abort", "page_turn", "zoom", "opening_dwell",
                           "book_close", "language_change", "accessibility_change"}) {
    EXPECT_GT(by_type[type], 0u) << type;
  }
  // Whole visits, but for the 40 events demo-branch-03's first kiosk reports it lost.
  EXPECT_LE(std::max(by_type["session_start"], by_type["session_end"]) - std::min(by_type["session_start"], by_type["session_end"]), 40u);
  EXPECT_LE(std::max(by_type["exhibit_open"], by_type["exhibit_close"]) - std::min(by_type["exhibit_open"], by_type["exhibit_close"]), 40u);
  for (const char* exhibit : {"gallery/celadon-vase", "gallery/bronze-ding", "poetry-garden/quiet-night",
                              "poetry-garden/water-melody", "rare-books/yongle-encyclopedia"}) {
    EXPECT_GT(opened[exhibit], 0u) << exhibit;
  }
  // The vase draws more visitors than the banner, as its attraction says.
  EXPECT_GT(opened["gallery/celadon-vase"], 2 * opened["gallery/silk-banner"]);

  // Every device is a demonstration one, enrolled as simulated under the branch in its name.
  const auto devices = store->device_summaries().value();
  ASSERT_GE(devices.size(), 3u);
  for (const DeviceSummary& device : devices) {
    EXPECT_TRUE(device.simulated) << device.device_id;
    EXPECT_TRUE(device.device_id.starts_with(device.branch + "-")) << device.device_id;
    EXPECT_TRUE(device.branch.starts_with("demo-branch-0")) << device.branch;
    EXPECT_GT(device.received, 0u) << device.device_id;
  }
}

// A book read in a simulated visit is recorded as the kiosk's player records it (EVENTS.md,
// "Books"): every book event's subject names an opening, `id#N`; on each opening, a zoom of 2×,
// 4× or 8× at most once (200, 400, 800), then its opening_dwell; a turn goes from the opening to
// the next; the close follows the last opening's dwell and counts the openings seen.
TEST(HubSimulate, ABookIsReadAsTheKiosksPlayerRecordsIt) {
  simulation::Random random(20, 3);
  std::vector<telemetry::Event> events;
  int64_t at = 1'800'000'000'000;
  for (int visit = 0; visit < 400; ++visit) {
    at = simulation::simulate_visit(random, {}, at, events) + 60'000;
  }
  std::map<telemetry::EventType, int> seen;
  std::optional<uint32_t> opening;  // of the book open, once its first event came
  bool dwelt = false;               // on `opening`
  for (const telemetry::Event& event : events) {
    if (!telemetry::is_book_event(event.type)) continue;
    ++seen[event.type];
    const telemetry::BookSubject subject = telemetry::parse_book_subject(event.subject.view());
    ASSERT_TRUE(subject.opening.has_value()) << event.subject.view();
    EXPECT_TRUE(subject.exhibit_id == "yongle-encyclopedia" || subject.exhibit_id == "kangxi-dictionary")
        << subject.exhibit_id;
    if (!opening) {
      EXPECT_EQ(*subject.opening, 1u) << "a book opens at its first opening";
      opening = 1;
      dwelt = false;
    }
    EXPECT_EQ(*subject.opening, *opening);
    switch (event.type) {
      case telemetry::EventType::zoom:
        EXPECT_TRUE(event.value == 200 || event.value == 400 || event.value == 800) << event.value;
        EXPECT_FALSE(dwelt);
        break;
      case telemetry::EventType::opening_dwell:
        EXPECT_FALSE(dwelt) << "one dwell an opening";
        EXPECT_GT(event.value, 0);
        dwelt = true;
        break;
      case telemetry::EventType::page_turn:
        EXPECT_TRUE(dwelt) << "the dwell comes before the turn";
        EXPECT_EQ(event.value, int64_t{*opening} + 1);
        opening = static_cast<uint32_t>(event.value);
        dwelt = false;
        break;
      case telemetry::EventType::book_close:
        EXPECT_TRUE(dwelt) << "the last dwell comes before the close";
        EXPECT_EQ(event.value, int64_t{*opening}) << "openings 1 to this one seen";
        opening.reset();
        break;
      default: ADD_FAILURE() << "not a book event the player records";
    }
  }
  EXPECT_FALSE(opening.has_value()) << "every book read is closed";
  EXPECT_GT(seen[telemetry::EventType::book_close], 20);
  EXPECT_GT(seen[telemetry::EventType::page_turn], seen[telemetry::EventType::book_close]);
  EXPECT_GT(seen[telemetry::EventType::zoom], 0);
  EXPECT_EQ(seen[telemetry::EventType::opening_dwell],
            seen[telemetry::EventType::page_turn] + seen[telemetry::EventType::book_close]);
}

}  // namespace
}  // namespace pavilion::hub
