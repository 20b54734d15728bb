// The kiosk's uploader against a real hub: batches arrive and leave the queue only once
// acknowledged; a hub down for a long stretch is retried with growing, jittered backoff and then
// caught up; a refused token keeps everything; refused events are set aside; the disk cap's
// drops reach the completeness report; shutdown sends what is queued; and kill -9 at random
// points loses nothing that reached the queue and counts nothing twice.
#include "backends.h"

#include <fmt/format.h>

#include "pavilion/hub/server.h"
#include "pavilion/telemetry/telemetry.h"
#include "pavilion/telemetry/uploader.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>
#include <thread>

namespace pavilion::hub {
namespace {

using namespace std::chrono_literals;
using telemetry::EventType;
using telemetry::LocalQueue;
using telemetry::Telemetry;
using telemetry::TelemetryConfig;
using telemetry::Uploader;
using telemetry::UploaderConfig;

std::unique_ptr<HubServer> start_hub(const std::string& database, uint16_t port = 0) {
  HubConfig config;
  config.port = port;
  config.retention_days = 0;
  config.threads = 2;
  auto store = open_store(database);
  EXPECT_TRUE(store.ok()) << store.error().describe();
  if (!store) return nullptr;
  auto server = HubServer::start(config, std::move(store).value());
  EXPECT_TRUE(server.ok()) << server.error().describe();
  return server ? std::move(server).value() : nullptr;
}

// Waits up to `limit` for `done`.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds limit = 20s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class UploadTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = testing::test_database(GetParam(), folder_);
    hub_ = start_hub(database_);
    ASSERT_NE(hub_, nullptr);
    token_ = enrol_device(hub_->store(), "kiosk-01").value();
  }
  UploaderConfig uploader_config() const {
    UploaderConfig config;
    config.queue_file = queue_file_;
    config.hub_url = hub_ ? hub_->url() : std::string();
    config.device_id = "kiosk-01";
    config.token = token_;
    config.batch_events = 10;
    config.batch_age = 20ms;
    config.poll_interval = 5ms;
    config.backoff_initial = 20ms;
    config.backoff_max = 200ms;
    return config;
  }
  std::unique_ptr<Telemetry> record(int count, uint64_t cap = 2'000'000) {
    TelemetryConfig config;
    config.queue_file = queue_file_;
    config.max_queued_events = cap;
    auto telemetry = Telemetry::start(config);
    EXPECT_TRUE(telemetry.ok());
    for (int index = 0; index < count; ++index) {
      (*telemetry)->record(EventType::exhibit_open, "vase", index);
      if (index % 1000 == 999) {
        EXPECT_TRUE((*telemetry)->flush().ok());  // within the ring's 4096
      }
    }
    EXPECT_TRUE((*telemetry)->flush().ok());
    return std::move(telemetry).value();
  }
  DeviceCompleteness device() {
    const auto report = hub_->store().completeness();
    EXPECT_TRUE(report.ok());
    return report.ok() && !report->empty() ? report->front() : DeviceCompleteness{};
  }
  telemetry::QueueCounters queue_counters() const { return LocalQueue::open(queue_file_, 2'000'000).value()->counters().value(); }

  testing::TemporaryFolder folder_;
  std::filesystem::path queue_file_ = folder_ / "events.sqlite";
  std::string database_;
  std::unique_ptr<HubServer> hub_;
  std::string token_;
};

TEST_P(UploadTest, RecordedEventsArriveInBatchesAndLeaveTheQueueOnlyWhenAcknowledged) {
  const auto telemetry = record(35);
  auto uploader = Uploader::start(uploader_config());
  ASSERT_TRUE(uploader.ok()) << uploader.error().describe();
  ASSERT_TRUE((*uploader)->upload_now().ok()) << (*uploader)->stats().last_error;
  const auto stats = (*uploader)->stats();
  EXPECT_EQ(stats.batches_acknowledged, 4u);
  EXPECT_EQ(stats.events_stored, 35u);
  EXPECT_GT(stats.last_success_ms, 0);
  EXPECT_EQ(queue_counters().queued, 0u);
  EXPECT_EQ(device().received, 35u);
  EXPECT_EQ(device().expected, 35u);
}

TEST_P(UploadTest, AHubDownForALongStretchIsRetriedWithBackoffThenCaughtUp) {
  const uint16_t port = hub_->port();
  UploaderConfig config = uploader_config();
  hub_.reset();  // the hub goes down
  config.batch_events = 500;
  auto uploader = Uploader::start(config);
  ASSERT_TRUE(uploader.ok());
  const auto telemetry = record(5'000);  // days of a kiosk offline, in small
  ASSERT_TRUE(eventually([&] { return (*uploader)->stats().consecutive_failures >= 6; }));
  const auto failing = (*uploader)->stats();
  EXPECT_EQ(queue_counters().queued, 5'000u) << "nothing is deleted without an acknowledgement";
  EXPECT_NE(failing.last_error.find("connecting"), std::string::npos) << failing.last_error;
  // Past the doubling, each wait is the ceiling's half plus jitter up to the other half.
  EXPECT_GE(failing.current_backoff, 100ms);
  EXPECT_LE(failing.current_backoff, 200ms);
  // Recording goes on meanwhile without waiting for anything.
  const auto started = std::chrono::steady_clock::now();
  for (int index = 0; index < 1'000; ++index) telemetry->record(EventType::gaze_dwell, "vase", index);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 100ms);
  ASSERT_TRUE(telemetry->flush().ok());

  hub_ = start_hub(database_, port);  // back up, same address
  ASSERT_NE(hub_, nullptr);
  ASSERT_TRUE(eventually([&] { return queue_counters().queued == 0; })) << (*uploader)->stats().last_error;
  EXPECT_EQ(device().received, 6'000u);
  EXPECT_EQ(device().unexplained(), 0u);
  // The queue empties a moment before the uploader counts the batch that emptied it, so the
  // count is awaited too: 6 000 events in batches of at most 500.
  EXPECT_TRUE(eventually([&] { return (*uploader)->stats().batches_acknowledged >= 12; }))
      << (*uploader)->stats().batches_acknowledged << " batches acknowledged";
  EXPECT_EQ((*uploader)->stats().consecutive_failures, 0u);
}

TEST_P(UploadTest, ARefusedTokenKeepsEveryEventAndSaysWhatToDo) {
  UploaderConfig config = uploader_config();
  config.token = "revoked-or-mistyped";
  const auto telemetry = record(5);
  auto uploader = Uploader::start(config);
  ASSERT_TRUE(uploader.ok());
  const auto sent = (*uploader)->upload_now();
  ASSERT_FALSE(sent.ok());
  const auto stats = (*uploader)->stats();
  EXPECT_TRUE(stats.token_refused);
  EXPECT_NE(stats.last_error.find("enrol the kiosk again"), std::string::npos) << stats.last_error;
  EXPECT_GE(stats.current_backoff, 100ms);  // the longest wait: an operator must act first
  EXPECT_EQ(queue_counters().queued, 5u);
}

// A kiosk whose real-time clock battery died: its clock says early 1973.
int64_t dead_battery_clock() { return telemetry::system_clock_ms() - 1'700'000'000'000; }

TEST_P(UploadTest, EventsTheHubRefusesAreSetAsideAndNotSentAgain) {
  TelemetryConfig telemetry_config;
  telemetry_config.queue_file = queue_file_;
  telemetry_config.wall_clock_ms = dead_battery_clock;
  {
    auto telemetry = Telemetry::start(telemetry_config).value();
    for (int index = 0; index < 3; ++index) telemetry->record(EventType::exhibit_open, "vase", index);
  }
  UploaderConfig config = uploader_config();
  config.wall_clock_ms = dead_battery_clock;
  auto uploader = Uploader::start(config);
  ASSERT_TRUE(uploader.ok());
  ASSERT_TRUE((*uploader)->upload_now().ok()) << (*uploader)->stats().last_error;
  EXPECT_EQ((*uploader)->stats().events_rejected, 3u);
  const auto counters = queue_counters();
  EXPECT_EQ(counters.queued, 0u);
  EXPECT_EQ(counters.quarantined, 3u);
  const auto aside = LocalQueue::open(queue_file_, 100).value()->quarantined().value();
  ASSERT_EQ(aside.size(), 3u);
  EXPECT_NE(aside[0].reason.find("before 2020"), std::string::npos) << aside[0].reason;
  ASSERT_TRUE((*uploader)->upload_now().ok());
  EXPECT_EQ((*uploader)->stats().batches_acknowledged, 1u) << "nothing was left to send";
  EXPECT_EQ(device().rejected, 3u);
  EXPECT_EQ(device().unexplained(), 0u);
}

TEST_P(UploadTest, TheDiskCapsDropsReachTheCompletenessReport) {
  const auto telemetry = record(80, 50);
  UploaderConfig config = uploader_config();
  config.max_queued_events = 50;
  auto uploader = Uploader::start(config);
  ASSERT_TRUE(uploader.ok());
  ASSERT_TRUE((*uploader)->upload_now().ok());
  const DeviceCompleteness report = device();
  EXPECT_EQ(report.received, 50u);
  EXPECT_EQ(report.expected, 80u);
  EXPECT_EQ(report.dropped_over_cap, 30u);
  EXPECT_EQ(report.unexplained(), 0u);
  ASSERT_FALSE(report.gaps.empty());
  EXPECT_EQ(report.gaps.front(), std::make_pair(uint64_t{0}, uint64_t{29}));
}

TEST_P(UploadTest, ShuttingDownSendsWhatIsQueued) {
  UploaderConfig config = uploader_config();
  config.batch_age = std::chrono::hours(1);  // would otherwise wait for a full batch
  auto uploader = Uploader::start(config);
  ASSERT_TRUE(uploader.ok());
  const auto telemetry = record(7);
  uploader->reset();
  EXPECT_EQ(queue_counters().queued, 0u);
  EXPECT_EQ(device().received, 7u);
}

TEST_P(UploadTest, KilledAtRandomPointsEveryQueuedEventArrivesExactlyOnce) {
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(30, 400);
  const std::string device_token = enrol_device(hub_->store(), "fault-kiosk").value();
  auto child = [&](const char* mode) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::execl(PAVILION_FAULT_CHILD, PAVILION_FAULT_CHILD, queue_file_.c_str(), hub_->url().c_str(),
              device_token.c_str(), mode, static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return pid;
  };
  std::set<uint64_t> reached_queue;  // every sequence seen in the queue file between kills
  for (int round = 0; round < 8; ++round) {
    const pid_t pid = child("run");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended on its own: " << status;
    const auto queued = LocalQueue::open(queue_file_, 2'000'000).value()->oldest(10'000'000).value();
    for (const auto& event : queued) reached_queue.insert(event.sequence);
  }
  const pid_t drain = child("drain");
  int status = 0;
  ASSERT_EQ(::waitpid(drain, &status, 0), drain);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(queue_counters().queued, 0u);

  const auto report = hub_->store().completeness().value();
  const auto found = std::ranges::find(report, "fault-kiosk", &DeviceCompleteness::device_id);
  ASSERT_NE(found, report.end());
  ASSERT_GT(found->received, 100u) << "the child should have got some work done";
  // Exactly once: received rows plus the missing ranges make up every number handed out.
  uint64_t missing = 0;
  for (const auto& [first, last] : found->gaps) {
    missing += last - first + 1;
    // What reached the queue file is never missing; a gap is only what a kill took from memory.
    for (uint64_t sequence = first; sequence <= last; ++sequence) {
      EXPECT_FALSE(reached_queue.contains(sequence)) << "sequence " << sequence << " was queued but never arrived";
    }
  }
  ASSERT_LT(found->gaps.size(), 100u) << "too many gaps to check them all";
  EXPECT_EQ(found->received + missing, found->expected);
  EXPECT_GE(found->received, reached_queue.size());
  RecordProperty("events_stored", static_cast<int>(found->received));
  RecordProperty("events_lost_from_memory_by_kills", static_cast<int>(missing));
}

// A hub that accepts the connection and then says nothing (a hung process, a broken proxy): the
// uploader gives up after its timeout, keeps every event and backs off.
TEST(SilentHub, ARequestThatIsNeverAnsweredTimesOutAndKeepsTheEvents) {
  testing::TemporaryFolder folder;
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  {
    TelemetryConfig telemetry_config;
    telemetry_config.queue_file = folder / "events.sqlite";
    auto telemetry = Telemetry::start(telemetry_config).value();
    telemetry->record(EventType::exhibit_open, "vase");
  }
  UploaderConfig upload;
  upload.queue_file = folder / "events.sqlite";
  upload.hub_url = fmt::format("http://127.0.0.1:{}", ntohs(address.sin_port));
  upload.device_id = "kiosk-01";
  upload.token = "token";
  upload.request_timeout = 300ms;
  auto uploader = Uploader::start(upload).value();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_FALSE(uploader->upload_now().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_NE(uploader->stats().last_error.find("no progress within 300 ms"), std::string::npos) << uploader->stats().last_error;
  EXPECT_EQ(uploader->stats().queued, 1u);
  EXPECT_GT(uploader->stats().current_backoff, 0ms);
  ::close(listener);
}

TEST(HttpsUpload, EventsTravelEncryptedToAHubWhoseCertificateIsChecked) {
  testing::TemporaryFolder folder;
  const testing::Certificate certificate = testing::make_certificate(folder.path());
  HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.tls_certificate = certificate.certificate;
  config.tls_private_key = certificate.key;
  auto hub = HubServer::start(config, open_store((folder / "hub.sqlite").string()).value());
  ASSERT_TRUE(hub.ok()) << hub.error().describe();
  ASSERT_TRUE((*hub)->url().starts_with("https://"));
  const std::string token = enrol_device((*hub)->store(), "kiosk-01").value();
  {
    TelemetryConfig telemetry_config;
    telemetry_config.queue_file = folder / "events.sqlite";
    auto telemetry = Telemetry::start(telemetry_config).value();
    for (int index = 0; index < 12; ++index) telemetry->record(EventType::exhibit_open, "vase", index);
  }
  UploaderConfig upload;
  upload.queue_file = folder / "events.sqlite";
  upload.device_id = "kiosk-01";
  upload.token = token;
  upload.backoff_initial = 20ms;
  upload.backoff_max = 40ms;
  const std::string port = std::to_string((*hub)->port());

  // Not trusted: the system's store does not know our self-signed authority.
  upload.hub_url = "https://localhost:" + port;
  {
    auto untrusted = Uploader::start(upload).value();
    ASSERT_FALSE(untrusted->upload_now().ok());
    EXPECT_NE(untrusted->stats().last_error.find("certificate"), std::string::npos) << untrusted->stats().last_error;
  }
  // Trusted, but the certificate names another host.
  upload.ca_file = certificate.certificate;
  upload.hub_url = "https://127.0.0.1:" + port;
  {
    auto wrong_name = Uploader::start(upload).value();
    ASSERT_FALSE(wrong_name->upload_now().ok());
    EXPECT_NE(wrong_name->stats().last_error.find("certificate"), std::string::npos) << wrong_name->stats().last_error;
  }
  ASSERT_TRUE((*hub)->store().completeness().value().empty()) << "nothing may reach a hub that was not verified";
  // Trusted and the right name.
  upload.hub_url = "https://localhost:" + port;
  auto uploader = Uploader::start(upload).value();
  ASSERT_TRUE(uploader->upload_now().ok()) << uploader->stats().last_error;
  EXPECT_EQ((*hub)->store().completeness().value().at(0).received, 12u);
}

INSTANTIATE_TEST_SUITE_P(Backends, UploadTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace pavilion::hub
