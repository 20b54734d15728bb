// Interaction logging on the kiosk's side: ids, the lock-free ring, the durable queue, losses
// that are counted and never silent, and a process killed mid-run.
#include "pavilion/telemetry/telemetry.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

namespace pavilion::telemetry {
namespace {

using testing::TemporaryFolder;
using namespace std::chrono_literals;

TEST(Uuid, Version7CarriesItsTimeAndSortsByIt) {
  const Uuid early = make_uuid_v7(1'700'000'000'000);
  const Uuid later = make_uuid_v7(1'700'000'000'001);
  EXPECT_EQ(early.bytes[6] >> 4, 7);
  EXPECT_EQ(early.bytes[8] >> 6, 2);
  EXPECT_LT(early.bytes, later.bytes);
  std::array<char, 37> text{};
  format_uuid(early, text);
  EXPECT_EQ(std::string_view(text.data()).substr(0, 14), "018bcfe5-6800-");
  EXPECT_EQ(text[14], '7');
  EXPECT_NE(make_uuid_v4(), make_uuid_v4());
  EXPECT_EQ(make_uuid_v4().bytes[6] >> 4, 4);
}

TEST(FixedText, CutsOnlyBetweenCharacters) {
  FixedText<8> text;
  text.assign("青瓷瓶");  // 9 bytes: the third character does not fit whole
  EXPECT_EQ(text.view(), "青瓷");
  text.assign("vase");
  EXPECT_EQ(text.view(), "vase");
}

TelemetryConfig config_in(const TemporaryFolder& folder) {
  TelemetryConfig config;
  config.queue_file = folder / "events.sqlite";
  config.flush_interval = 20ms;
  return config;
}

TEST(Telemetry, EventsReachTheQueueInOrderWithSessionsAndPackages) {
  TemporaryFolder folder;
  {
    auto telemetry = Telemetry::start(config_in(folder));
    ASSERT_TRUE(telemetry.ok()) << telemetry.error().describe();
    Telemetry& log = **telemetry;
    log.set_package("gallery", "2026.11.1");
    EXPECT_TRUE(log.record(EventType::scene_enter, "gallery"));
    EXPECT_TRUE(log.record(EventType::session_start));
    EXPECT_TRUE(log.record(EventType::exhibit_open, "celadon-vase"));
    EXPECT_TRUE(log.record(EventType::exhibit_close, "celadon-vase", 12'500));
    EXPECT_TRUE(log.record(EventType::session_end, "timeout", 95'000));
    EXPECT_TRUE(log.record(EventType::language_change, "en"));
    ASSERT_TRUE(log.flush().ok());
    EXPECT_EQ(log.stats().written, 6u);
  }
  auto queue = LocalQueue::open(folder / "events.sqlite", 1000);
  ASSERT_TRUE(queue.ok());
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 6u);
  for (size_t index = 0; index < events->size(); ++index) EXPECT_EQ((*events)[index].sequence, index);
  const Uuid none{};
  EXPECT_EQ((*events)[0].session, none);
  EXPECT_NE((*events)[1].session, none);
  EXPECT_EQ((*events)[1].session, (*events)[4].session);
  EXPECT_EQ((*events)[5].session, none);
  EXPECT_EQ((*events)[3].type, EventType::exhibit_close);
  EXPECT_EQ((*events)[3].subject.view(), "celadon-vase");
  EXPECT_EQ((*events)[3].value, 12'500);
  EXPECT_EQ((*events)[3].package_id.view(), "gallery");
  EXPECT_EQ((*events)[3].package_version.view(), "2026.11.1");
  EXPECT_LE((*events)[0].id.bytes, (*events)[5].id.bytes);
}

TEST(Telemetry, SequenceNumbersGoOnAfterARestart) {
  TemporaryFolder folder;
  for (int run = 0; run < 2; ++run) {
    auto telemetry = Telemetry::start(config_in(folder));
    ASSERT_TRUE(telemetry.ok());
    for (int event = 0; event < 3; ++event) (*telemetry)->record(EventType::scene_enter, "gallery");
  }
  auto queue = LocalQueue::open(folder / "events.sqlite", 1000);
  ASSERT_TRUE(queue.ok());
  const auto events = (*queue)->oldest(100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 6u);
  EXPECT_EQ(events->back().sequence, 5u);
  EXPECT_EQ((*queue)->counters()->next_sequence, 6u);
}

TEST(Telemetry, AFullRingDropsAreCountedAndLeaveGaps) {
  TemporaryFolder folder;
  TelemetryConfig config = config_in(folder);
  config.ring_capacity = 16;
  config.flush_interval = 1h;  // the writer sleeps: nothing drains the ring until flush()
  {
    auto telemetry = Telemetry::start(config);
    ASSERT_TRUE(telemetry.ok());
    size_t accepted = 0;
    for (int event = 0; event < 40; ++event) accepted += (*telemetry)->record(EventType::zoom, "scan", event) ? 1 : 0;
    EXPECT_EQ(accepted, 16u);
    ASSERT_TRUE((*telemetry)->flush().ok());
    EXPECT_EQ((*telemetry)->stats().dropped_ring_full, 24u);
    EXPECT_TRUE((*telemetry)->record(EventType::zoom, "scan", 40));
  }
  auto queue = LocalQueue::open(folder / "events.sqlite", 1000);
  ASSERT_TRUE(queue.ok());
  const QueueCounters counters = *(*queue)->counters();
  EXPECT_EQ(counters.queued, 17u);
  EXPECT_EQ(counters.dropped_ring_full, 24u);
  EXPECT_EQ(counters.next_sequence, 41u);
  const auto events = (*queue)->oldest(100);
  EXPECT_EQ(events->back().sequence, 40u);  // 16 … 39 are the gap the hub will report
}

TEST(LocalQueue, TheCapDropsTheOldestAndCountsThem) {
  TemporaryFolder folder;
  auto queue = LocalQueue::open(folder / "events.sqlite", 10);
  ASSERT_TRUE(queue.ok());
  std::vector<Event> events(25);
  for (size_t index = 0; index < events.size(); ++index) events[index].sequence = index;
  ASSERT_TRUE((*queue)->append(events, 0, 25).ok());
  const QueueCounters counters = *(*queue)->counters();
  EXPECT_EQ(counters.queued, 10u);
  EXPECT_EQ(counters.dropped_over_cap, 15u);
  EXPECT_EQ((*queue)->oldest(1)->front().sequence, 15u);
}

TEST(LocalQueue, AcknowledgedEventsGiveTheirSpaceBack) {
  TemporaryFolder folder;
  const auto file = folder / "events.sqlite";
  auto queue = LocalQueue::open(file, 1'000'000);
  ASSERT_TRUE(queue.ok());
  std::vector<Event> events(20'000);
  std::vector<uint64_t> sequences;
  for (size_t index = 0; index < events.size(); ++index) {
    events[index].sequence = index;
    events[index].subject.assign("an exhibit with a fairly long identifier");
    sequences.push_back(index);
  }
  ASSERT_TRUE((*queue)->append(events, 0, events.size()).ok());
  const auto full_size = std::filesystem::file_size(file) + std::filesystem::file_size(file.string() + "-wal");
  ASSERT_TRUE((*queue)->acknowledge(sequences).ok());
  const auto emptied_size = std::filesystem::file_size(file) + std::filesystem::file_size(file.string() + "-wal");
  EXPECT_EQ((*queue)->counters()->queued, 0u);
  EXPECT_LT(emptied_size * 4, full_size) << full_size << " bytes before, " << emptied_size << " after";
}

TEST(LocalQueue, ANewerSchemaIsRefusedWithASentence) {
  TemporaryFolder folder;
  { ASSERT_TRUE(LocalQueue::open(folder / "events.sqlite", 10).ok()); }
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open((folder / "events.sqlite").c_str(), &database), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(database, "PRAGMA user_version = 9", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(database);
  auto reopened = LocalQueue::open(folder / "events.sqlite", 10);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code(), ErrorCode::unsupported);
  EXPECT_NE(reopened.error().why().find("newer Pavilion"), std::string::npos);
}

// kill -9 after the flush interval: every event recorded before it is in the file.
TEST(Telemetry, AKilledProcessLosesNothingAlreadyFlushed) {
  TemporaryFolder folder;
  const TelemetryConfig config = config_in(folder);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto telemetry = Telemetry::start(config);
    if (!telemetry.ok()) _exit(2);
    for (int event = 0; event < 500; ++event) (*telemetry)->record(EventType::gaze_dwell, "vase", event);
    std::this_thread::sleep_for(config.flush_interval * 10);
    const char byte = 1;
    if (write(ready[1], &byte, 1) != 1) _exit(3);
    for (;;) pause();  // killed here, mid-run
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  close(ready[0]);
  close(ready[1]);
  auto queue = LocalQueue::open(config.queue_file, 1000);
  ASSERT_TRUE(queue.ok()) << queue.error().describe();
  EXPECT_EQ((*queue)->counters()->queued, 500u);
  EXPECT_EQ((*queue)->oldest(1000)->back().value, 499);
}

// A full disk (here: a file-size limit on the process) makes writes fail; the failure is reported,
// the batch is kept for the next try, and the kiosk goes on recording.
TEST(Telemetry, AFullDiskIsReportedAndNothingIsLostFromMemory) {
  TemporaryFolder folder;
  const TelemetryConfig config = config_in(folder);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto telemetry = Telemetry::start(config);  // created while there is room
    if (!telemetry.ok()) _exit(2);
    std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead of killing
    const rlimit limit{64 * 1024, 64 * 1024};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(3);
    for (int event = 0; event < 3000; ++event) {
      (*telemetry)->record(EventType::exhibit_open, "an exhibit with a fairly long identifier, to fill pages", event);
    }
    const auto flushed = (*telemetry)->flush();
    const TelemetryStats stats = (*telemetry)->stats();
    if (flushed.ok() || stats.write_failures == 0 || stats.last_error.empty()) _exit(4);
    if (!(*telemetry)->record(EventType::exhibit_close, "still recording")) _exit(5);
    _exit(0);  // without flushing on the way out: the disk is still full
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: no start, 3: no limit, 4: the failure went unreported, 5: recording stopped";
}

}  // namespace
}  // namespace pavilion::telemetry
