// A visitor reading a book, as the interaction log records it: turns from one opening to another,
// the time on each, each new depth of zoom and the book closed.
#include "pavilion/interaction/book_reading.h"
#include "pavilion/telemetry/local_queue.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <tuple>
#include <vector>

namespace pavilion::interaction {
namespace {

using telemetry::EventType;
using Recorded = std::tuple<EventType, std::string, std::string, int64_t>;  // type, package, subject, value

std::vector<Recorded> recorded(const std::filesystem::path& queue_file) {
  auto queue = telemetry::LocalQueue::open(queue_file, 1000);
  EXPECT_TRUE(queue.ok()) << queue.error().describe();
  if (!queue.ok()) return {};
  const auto events = (*queue)->oldest(100);
  EXPECT_TRUE(events.ok());
  std::vector<Recorded> out;
  if (!events.ok()) return out;
  for (const telemetry::Event& event : *events) {
    out.emplace_back(event.type, std::string(event.package_id.view()), std::string(event.subject.view()), event.value);
  }
  return out;
}

TEST(InteractionBookReading, TurnsZoomsAndTheCloseAreEventsNamingTheOpening) {
  testing::TemporaryFolder folder;
  {
    auto telemetry = telemetry::Telemetry::start({.queue_file = folder / "events.sqlite"});
    ASSERT_TRUE(telemetry.ok()) << telemetry.error().describe();
    VisitLog visit(telemetry->get());
    visit.start_session(InputMethod::touch, 0.0);
    visit.open_exhibit({{"rare-books", "1"}, "analects"}, 1.0);
    BookReading reading(visit, {{"rare-books", "1"}, "analects"}, 1, 1.0);
    // The scan has 4 scan pixels a screen pixel with the whole opening in view (scale 0.25).
    reading.zoom(1.5f, 0.375f);  // not yet twice: nothing
    reading.zoom(2.2f, 0.55f);
    reading.zoom(3.9f, 0.975f);  // still the 2× level: nothing new
    reading.zoom(9.0f, 2.25f);   // past 4× and 8× in one gesture: the deepest level once
    reading.zoom(1.0f, 0.25f);   // back to the whole opening: the deepest stays 2.25
    reading.turn_to(2, 13.5);
    reading.turn_to(2, 14.0);    // staying put: nothing
    reading.zoom(2.0f, 0.5f);    // a new opening starts from the whole view again
    reading.zoom(1.0f, 0.25f);
    reading.turn_to(1, 20.0);  // back: still two openings seen
    reading.close(22.25);
    reading.close(30.0);       // once only
    reading.turn_to(3, 31.0);  // closed: nothing
    EXPECT_TRUE(reading.closed());
    visit.close_exhibit(22.25);
    visit.end_session("end_visit", 23.0);
  }
  const std::vector<Recorded> expected{
      {EventType::session_start, "", "touch", 0},
      {EventType::exhibit_open, "rare-books", "analects", 0},
      {EventType::zoom, "rare-books", "analects#1", 200},
      {EventType::zoom, "rare-books", "analects#1", 800},
      {EventType::zoom_reached, "rare-books", "analects#1", 2250},  // 2.25 screen pixels a scan pixel
      {EventType::opening_dwell, "rare-books", "analects#1", 12500},
      {EventType::page_turn, "rare-books", "analects#1", 2},
      {EventType::zoom, "rare-books", "analects#2", 200},
      {EventType::zoom_reached, "rare-books", "analects#2", 500},
      {EventType::opening_dwell, "rare-books", "analects#2", 6500},
      {EventType::page_turn, "rare-books", "analects#2", 1},
      {EventType::opening_dwell, "rare-books", "analects#1", 2250},
      {EventType::book_close, "rare-books", "analects#1", 2},
      {EventType::exhibit_close, "rare-books", "analects", 21250},
      {EventType::session_end, "", "end_visit", 23000}};
  EXPECT_EQ(recorded(folder / "events.sqlite"), expected);
}

// A magnification past any book's (an infinite one, from a pinch that began with no width) is the
// deepest level, 2^30, recorded once; one that is not a number is none.
TEST(InteractionBookReading, AnInfiniteMagnificationIsTheDeepestLevelAndNaNIsNone) {
  testing::TemporaryFolder folder;
  {
    auto telemetry = telemetry::Telemetry::start({.queue_file = folder / "events.sqlite"});
    ASSERT_TRUE(telemetry.ok()) << telemetry.error().describe();
    VisitLog visit(telemetry->get());
    visit.start_session(InputMethod::touch, 0.0);
    BookReading reading(visit, {{"rare-books", "1"}, "analects"}, 1, 1.0);
    reading.zoom(std::numeric_limits<float>::quiet_NaN(), 1.0f);
    reading.zoom(std::numeric_limits<float>::infinity(), 1.0f);
    reading.zoom(std::numeric_limits<float>::infinity(), 1.0f);
  }
  std::vector<Recorded> zooms;
  for (const Recorded& event : recorded(folder / "events.sqlite")) {
    if (std::get<0>(event) == EventType::zoom) zooms.push_back(event);
  }
  EXPECT_EQ(zooms, (std::vector<Recorded>{{EventType::zoom, "rare-books", "analects#1", int64_t{100} << 30}}));
}

TEST(InteractionBookReading, WithoutATelemetryNothingIsRecordedAndTheReadingStillFollows) {
  VisitLog visit(nullptr);
  BookReading reading(visit, {{"rare-books", "1"}, "codex"}, 4, 0.0);
  reading.turn_to(5, 1.0);
  EXPECT_EQ(reading.opening(), 5u);
  reading.close(2.0);
  EXPECT_TRUE(reading.closed());
}

}  // namespace
}  // namespace pavilion::interaction
