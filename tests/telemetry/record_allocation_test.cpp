// Recording an event is safe on the render thread: no heap allocation (counted by replacing the
// global operator new in this binary), while the writer thread moves events into the queue file.
#include "counting_new.h"
#include "pavilion/telemetry/telemetry.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

namespace pavilion::telemetry {
namespace {

TEST(TelemetryAllocations, RecordingAllocatesNothing) {
  testing::TemporaryFolder folder;
  auto telemetry = Telemetry::start({.queue_file = folder / "events.sqlite", .flush_interval = std::chrono::milliseconds(5)});
  ASSERT_TRUE(telemetry.ok()) << telemetry.error().describe();
  Telemetry& log = **telemetry;
  log.set_package("gallery", "2026.11.1");
  log.record(EventType::session_start);  // the first event seeds this thread's id generator
  // The writer thread sets up its batch on its first turn, which a loaded machine can delay past
  // the start of counting: a flush waits for that turn.
  ASSERT_TRUE(log.flush().ok());
  // Counted in every thread: the writer's C++ side allocates nothing either (SQLite's own
  // memory comes from malloc, which is not counted).
  testing::reset_counted_allocations();
  testing::count_allocations(true);
  for (int event = 0; event < 2000; ++event) {
    log.record(event % 2 == 0 ? EventType::exhibit_open : EventType::exhibit_close, "celadon-vase", event);
  }
  testing::count_allocations(false);
  EXPECT_EQ(testing::counted_allocations(), 0u);
  ASSERT_TRUE(log.flush().ok());
  EXPECT_EQ(log.stats().written, 2001u);
}

}  // namespace
}  // namespace pavilion::telemetry
