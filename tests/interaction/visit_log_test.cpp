// A visit as the interaction log keeps it, the same for a touch visitor and a headset visitor.
#include "pavilion/interaction/visit_log.h"
#include "pavilion/telemetry/local_queue.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

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

TEST(InteractionVisitLog, AVisitIsItsSessionItsScenesAndItsExhibitsWithTheirDwell) {
  testing::TemporaryFolder folder;
  {
    auto telemetry = telemetry::Telemetry::start({.queue_file = folder / "events.sqlite"});
    ASSERT_TRUE(telemetry.ok()) << telemetry.error().describe();
    VisitLog visit(telemetry->get());
    visit.enter_scene({"gallery", "1"}, 0.0);
    visit.start_session(InputMethod::controller, 1.0, "zh-CN");
    EXPECT_TRUE(visit.in_session());
    visit.open_exhibit({{"gallery", "1"}, "celadon-vase"}, 2.0);
    // A second exhibit closes the first; this one is another package's.
    visit.open_exhibit({{"poetry-garden", "2"}, "quiet-night"}, 4.5);
    visit.exhibit_event(EventType::poem_play, {{"poetry-garden", "2"}, "quiet-night"});
    visit.event(EventType::language_change, "en", 1);
    visit.end_session("headset_removed", 10.0);
    EXPECT_FALSE(visit.in_session());
    visit.end_session("again", 11.0);  // no session: nothing
    visit.close_exhibit(11.0);         // none open: nothing
    visit.exit_scene(12.0);
  }
  const std::vector<Recorded> expected{
      {EventType::scene_enter, "gallery", "gallery", 0},
      {EventType::session_start, "gallery", "controller", 0},
      {EventType::language_change, "gallery", "zh-CN", 0},
      {EventType::exhibit_open, "gallery", "celadon-vase", 0},
      {EventType::exhibit_close, "gallery", "celadon-vase", 2500},
      {EventType::exhibit_open, "poetry-garden", "quiet-night", 0},
      {EventType::poem_play, "poetry-garden", "quiet-night", 0},
      {EventType::language_change, "gallery", "en", 1},
      {EventType::exhibit_close, "poetry-garden", "quiet-night", 5500},
      {EventType::session_end, "gallery", "headset_removed", 9000},
      {EventType::scene_exit, "gallery", "gallery", 12000}};
  EXPECT_EQ(recorded(folder / "events.sqlite"), expected);
}

TEST(InteractionVisitLog, WithoutATelemetryNothingIsRecordedAndNothingFails) {
  VisitLog visit(nullptr);
  visit.start_session(InputMethod::touch, 0.0);
  visit.open_exhibit({{"gallery", "1"}, "celadon-vase"}, 1.0);
  visit.end_session("timeout", 2.0);
  EXPECT_FALSE(visit.in_session());
}

TEST(InteractionVisitLog, EveryInputMethodHasAName) {
  for (const InputMethod method :
       {InputMethod::touch, InputMethod::keypad, InputMethod::controller, InputMethod::hand, InputMethod::gaze}) {
    EXPECT_NE(to_string(method), "unknown");
  }
}

}  // namespace
}  // namespace pavilion::interaction
