// A branch hub forwarding its kiosks' events to the centre (hub/README.md, "Branch hubs"), real
// hubs on loopback: with the WAN cut the branch keeps every event and forwards each exactly once
// when the centre is back; a branch killed between sending and recording sends again and the
// centre counts nothing twice; relay and device tokens each open only their own routes; the
// kiosks' drops, the branch's refusals and the centre's own refusals reach the centre's
// completeness report; a malformed answer from the centre is a failed attempt, never a crash.
#include "backends.h"

#include "pavilion/hub/config.h"
#include "pavilion/hub/forwarder.h"
#include "pavilion/hub/server.h"
#include "pavilion/http/client.h"
#include "pavilion/telemetry/telemetry.h"
#include "pavilion/telemetry/uploader.h"
#include "pavilion/telemetry/wire.h"
#include "periodic.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <thread>

namespace pavilion::hub {
namespace {

using namespace std::chrono_literals;
using telemetry::EventType;

constexpr std::string_view device_id = "branch-12-kiosk-1";

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

// Runs `sql` on a hub's database directly: what no hub does, to put a database in the state a
// killed process leaves.
void execute_sql(const std::string& database, const char* sql) {
  if (database.starts_with("postgresql://")) {
    PGconn* connection = PQconnectdb(database.c_str());
    PGresult* result = PQexec(connection, sql);
    EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
    return;
  }
  sqlite3* connection = nullptr;
  ASSERT_EQ(sqlite3_open(database.c_str(), &connection), SQLITE_OK);
  char* problem = nullptr;
  EXPECT_EQ(sqlite3_exec(connection, sql, nullptr, nullptr, &problem), SQLITE_OK) << (problem ? problem : "");
  sqlite3_free(problem);
  sqlite3_close(connection);
}

class Relay : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    centre_database_ = database("centre");
    branch_database_ = database("branch");
    centre_ = start_hub(centre_database_, 0, {});
    ASSERT_NE(centre_, nullptr);
    centre_port_ = centre_->port();
    const auto relay_token = enrol_relay(centre_->store(), "branch-12-hub", "branch-12");
    ASSERT_TRUE(relay_token.ok()) << relay_token.error().describe();
    relay_token_ = *relay_token;
    std::ofstream(token_file_) << relay_token_ << "\n";
    upstream_.url = centre_->url();
    upstream_.token_file = token_file_;
    upstream_.poll = 20ms;
    branch_ = start_hub(branch_database_, 0, upstream_);
    ASSERT_NE(branch_, nullptr);
    device_token_ = enrol_device(branch_->store(), device_id, {"branch-12", false}).value();
  }

  std::string database(const std::string& name) {
    if (GetParam() == "sqlite") return (folder_ / (name + ".sqlite")).string();
    return testing::test_database(GetParam(), folder_);
  }

  static std::unique_ptr<HubServer> start_hub(const std::string& database, uint16_t port, const UpstreamConfig& upstream) {
    HubConfig config;
    config.port = port;
    config.retention_days = 0;
    config.threads = 2;
    config.upstream = upstream;
    auto store = open_store(database);
    EXPECT_TRUE(store.ok()) << store.error().describe();
    if (!store) return nullptr;
    auto server = HubServer::start(config, std::move(store).value());
    EXPECT_TRUE(server.ok()) << server.error().describe();
    return server ? std::move(server).value() : nullptr;
  }

  // The branch's forwarder over its own connection to the branch's database, as `serve` runs it.
  std::unique_ptr<EventForwarder> start_forwarder() {
    std::shared_ptr<Store> store = testing::open_test_store(branch_database_);
    ForwarderTiming timing;
    timing.batch_events = 20;
    timing.backoff_initial = 20ms;
    timing.backoff_max = 100ms;
    timing.request_timeout = 2s;
    auto forwarder = EventForwarder::start(upstream_, std::move(store), timing);
    EXPECT_TRUE(forwarder.ok()) << forwarder.error().describe();
    return forwarder ? std::move(forwarder).value() : nullptr;
  }

  // A kiosk of the branch records `count` events (its clock `clock`) and uploads them to the branch.
  void kiosk_sends(int count, telemetry::WallClock clock = telemetry::system_clock_ms, uint64_t cap = 2'000'000) {
    telemetry::TelemetryConfig recording;
    recording.queue_file = folder_ / "kiosk-queue.sqlite";
    recording.max_queued_events = cap;
    recording.wall_clock_ms = clock;
    {
      auto telemetry = telemetry::Telemetry::start(recording);
      ASSERT_TRUE(telemetry.ok());
      for (int index = 0; index < count; ++index) (*telemetry)->record(EventType::exhibit_open, "vase", index);
      ASSERT_TRUE((*telemetry)->flush().ok());
    }
    telemetry::UploaderConfig uploading;
    uploading.queue_file = recording.queue_file;
    uploading.hub_url = branch_->url();
    uploading.device_id = std::string(device_id);
    uploading.token = device_token_;
    uploading.max_queued_events = cap;
    uploading.batch_events = 25;
    uploading.wall_clock_ms = clock;
    auto uploader = telemetry::Uploader::start(uploading);
    ASSERT_TRUE(uploader.ok()) << uploader.error().describe();
    ASSERT_TRUE((*uploader)->upload_now().ok()) << (*uploader)->stats().last_error;
  }

  std::optional<DeviceCompleteness> at_centre() {
    const auto report = centre_->store().completeness();
    EXPECT_TRUE(report.ok());
    for (const DeviceCompleteness& device : report.value()) {
      if (device.device_id == device_id) return device;
    }
    return std::nullopt;
  }

  uint64_t hourly_events_at_centre() {
    const int64_t now = telemetry::system_clock_ms();
    const auto rows = centre_->store().hourly(now - 86'400'000, now + 86'400'000);
    EXPECT_TRUE(rows.ok());
    return std::accumulate(rows->begin(), rows->end(), uint64_t{0},
                           [](uint64_t sum, const HourlyCount& row) { return sum + row.events; });
  }

  size_t outbox() {
    const auto pending = branch_->store().events_to_forward(1'000'000);
    EXPECT_TRUE(pending.ok());
    size_t events = 0;
    for (const ForwardBatch& batch : pending.value()) events += batch.events.size();
    return events;
  }

  http::Response post(const std::string& url, const std::string& target, const std::string& token, const std::string& body) {
    http::Client client(http::Endpoint::parse(url).value(), 5s);
    http::Request request;
    request.target = target;
    request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    request.body = body;
    auto response = client.send(request);
    EXPECT_TRUE(response.ok()) << response.error().describe();
    return response ? *response : http::Response{};
  }

  testing::TemporaryFolder folder_;
  std::filesystem::path token_file_ = folder_ / "relay-token";
  std::string centre_database_;
  std::string branch_database_;
  std::unique_ptr<HubServer> centre_;
  uint16_t centre_port_ = 0;
  UpstreamConfig upstream_;
  std::unique_ptr<HubServer> branch_;
  std::string relay_token_;
  std::string device_token_;
};

TEST_P(Relay, WithTheWanCutTheBranchHoldsEveryEventAndForwardsEachExactlyOnceWhenTheCentreIsBack) {
  centre_.reset();  // the WAN is cut: nothing listens at the centre's address
  auto forwarder = start_forwarder();
  ASSERT_NE(forwarder, nullptr);
  kiosk_sends(120);
  EXPECT_EQ(outbox(), 120u);
  EXPECT_FALSE(forwarder->forward_now().ok());
  ASSERT_TRUE(eventually([&] { return forwarder->stats().consecutive_failures >= 3; }))
      << "the thread keeps trying, with backoff";
  EXPECT_EQ(outbox(), 120u) << "nothing leaves the outbox without the centre's acknowledgement";
  EXPECT_NE(forwarder->stats().last_error.find("connecting"), std::string::npos) << forwarder->stats().last_error;

  centre_ = start_hub(centre_database_, centre_port_, {});  // the WAN is back
  ASSERT_NE(centre_, nullptr);
  ASSERT_TRUE(eventually([&] { return outbox() == 0; })) << forwarder->stats().last_error;
  ASSERT_TRUE(eventually([&] { return forwarder->stats().events_stored == 120; })) << forwarder->stats().events_stored;
  const auto device = at_centre();
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->received, 120u);
  EXPECT_EQ(device->expected, 120u);
  EXPECT_EQ(device->unexplained(), 0u);
  EXPECT_EQ(hourly_events_at_centre(), 120u);
  EXPECT_EQ(forwarder->stats().events_duplicate, 0u);
  // The centre enrolled the kiosk it never saw under the relay's branch.
  const auto devices = centre_->store().device_summaries().value();
  const auto kiosk = std::ranges::find(devices, device_id, &DeviceSummary::device_id);
  ASSERT_NE(kiosk, devices.end());
  EXPECT_EQ(kiosk->branch, "branch-12");
}

TEST_P(Relay, ABranchKilledBetweenSendingAndRecordingSendsAgainAndTheCentreCountsNothingTwice) {
  {
    auto forwarder = start_forwarder();
    ASSERT_NE(forwarder, nullptr);
    kiosk_sends(60);
    ASSERT_TRUE(forwarder->forward_now().ok()) << forwarder->stats().last_error;
    EXPECT_EQ(forwarder->stats().events_stored, 60u);
  }
  // What a branch killed after the centre's answer and before its own commit holds: every event
  // still in its outbox. Then the branch restarts.
  branch_.reset();
  execute_sql(branch_database_, "INSERT INTO relay_outbox SELECT id, device_id, received_ms FROM events");
  branch_ = start_hub(branch_database_, 0, upstream_);
  ASSERT_NE(branch_, nullptr);
  EXPECT_EQ(outbox(), 60u);
  auto restarted = start_forwarder();
  ASSERT_NE(restarted, nullptr);
  ASSERT_TRUE(restarted->forward_now().ok()) << restarted->stats().last_error;
  EXPECT_EQ(restarted->stats().events_duplicate, 60u);
  EXPECT_EQ(restarted->stats().events_stored, 0u);
  EXPECT_EQ(outbox(), 0u);
  EXPECT_EQ(at_centre()->received, 60u);
  EXPECT_EQ(hourly_events_at_centre(), 60u);
  // And the kiosk's later events go on as usual.
  kiosk_sends(5);
  ASSERT_TRUE(restarted->forward_now().ok());
  EXPECT_EQ(at_centre()->received, 65u);
  EXPECT_EQ(at_centre()->unexplained(), 0u);
}

// A kiosk whose real-time clock battery died: its clock says early 1973.
int64_t dead_battery_clock() { return telemetry::system_clock_ms() - 1'700'000'000'000; }

TEST_P(Relay, TheKiosksDropsAndTheBranchsRefusalsReachTheCentresCompletenessReport) {
  auto forwarder = start_forwarder();
  ASSERT_NE(forwarder, nullptr);
  kiosk_sends(3, dead_battery_clock);  // refused at the branch: made before 2020
  kiosk_sends(40, telemetry::system_clock_ms, 30);  // the kiosk's queue holds 30: 10 dropped
  ASSERT_TRUE(forwarder->forward_now().ok()) << forwarder->stats().last_error;
  const auto device = at_centre();
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->received, 30u);
  EXPECT_EQ(device->expected, 43u);
  EXPECT_EQ(device->rejected, 3u);
  EXPECT_EQ(device->dropped_over_cap, 10u);
  EXPECT_EQ(device->unexplained(), 0u);
}

// Events the centre refuses outright leave the outbox (sent again they would be refused for
// ever), yet the centre's completeness report counts them as rejected, not unexplained.
TEST_P(Relay, EventsTheCentreRefusesAreCountedThereAsRejected) {
  ASSERT_TRUE(enrol_device(centre_->store(), device_id, {"branch-7", false}).ok());
  auto forwarder = start_forwarder();
  ASSERT_NE(forwarder, nullptr);
  kiosk_sends(5);
  ASSERT_TRUE(forwarder->forward_now().ok()) << forwarder->stats().last_error;  // 409: another branch's kiosk
  EXPECT_EQ(forwarder->stats().events_refused, 5u);
  EXPECT_EQ(outbox(), 0u);
  // The kiosk moves to this branch at the centre; its next batch is taken.
  ASSERT_TRUE(enrol_device(centre_->store(), device_id, {"branch-12", false}).ok());
  kiosk_sends(3);
  ASSERT_TRUE(forwarder->forward_now().ok()) << forwarder->stats().last_error;
  const auto device = at_centre();
  ASSERT_TRUE(device.has_value());
  EXPECT_EQ(device->received, 3u);
  EXPECT_EQ(device->expected, 8u);
  EXPECT_EQ(device->rejected, 5u);
  EXPECT_EQ(device->unexplained(), 0u);
}

TEST_P(Relay, ARelayTokenOpensOnlyTheRelayRouteAndADeviceTokenNeverOpensIt) {
  telemetry::Event event = testing::kiosk_event(0, telemetry::system_clock_ms());
  const std::string batch = telemetry::encode_batch({std::string(device_id), telemetry::system_clock_ms(), 0, 0, {}},
                                                    std::span(&event, 1));
  EXPECT_EQ(post(centre_->url(), "/v1/events", relay_token_, batch).status, 401);
  EXPECT_EQ(post(branch_->url(), "/v1/relay/events", device_token_, batch).status, 401);
  const auto kiosk_at_centre = enrol_device(centre_->store(), "centre-kiosk", {"centre", false}).value();
  EXPECT_EQ(post(centre_->url(), "/v1/relay/events", kiosk_at_centre, batch).status, 401);
  // A relay speaks only for devices of its own branch.
  const std::string elsewhere = telemetry::encode_batch({"centre-kiosk", telemetry::system_clock_ms(), 0, 0, {}},
                                                        std::span(&event, 1));
  const http::Response conflict = post(centre_->url(), "/v1/relay/events", relay_token_, elsewhere);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_NE(conflict.body.find("branch"), std::string::npos) << conflict.body;
  const http::Response stored = post(centre_->url(), "/v1/relay/events", relay_token_, batch);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(nlohmann::json::parse(stored.body).value("stored", 0), 1);
  EXPECT_EQ(post(centre_->url(), "/v1/relay/events", relay_token_, batch).body.find("\"duplicates\":1") != std::string::npos,
            true);
}

INSTANTIATE_TEST_SUITE_P(Hub, Relay, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

// A centre that answers every request with the same status, headers and body (a centre under
// maintenance, a proxy's page, a hub of another version).
class CannedCentre {
 public:
  CannedCentre(int status, std::string body, std::string headers = "") {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(listener_, 4), 0);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    const std::string answer = fmt::format(
        "HTTP/1.1 {} Canned\r\n{}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        status, headers, body.size(), body);
    thread_ = std::thread([this, answer] {
      for (;;) {
        const int connection = accept(listener_, nullptr, nullptr);
        if (connection < 0) return;
        std::string request;
        std::array<char, 4096> buffer{};
        // Reads the head and the body its Content-Length names, then answers and closes.
        for (;;) {
          const ssize_t got = recv(connection, buffer.data(), buffer.size(), 0);
          if (got <= 0) break;
          request.append(buffer.data(), static_cast<size_t>(got));
          const size_t head_end = request.find("\r\n\r\n");
          if (head_end == std::string::npos) continue;
          const size_t length_at = request.find("Content-Length: ");
          const size_t body_length = length_at == std::string::npos ? 0 : std::stoul(request.substr(length_at + 16));
          if (request.size() >= head_end + 4 + body_length) break;
        }
        ++requests_;
        send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
        close(connection);
      }
    });
  }
  ~CannedCentre() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }
  std::string url() const { return fmt::format("http://127.0.0.1:{}", port_); }
  int requests() const { return requests_; }

 private:
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<int> requests_ = 0;
  std::thread thread_;
};

TEST(HubRelay, ACentreAskingToRetryLaterIsNotAskedAgainBeforeThen) {
  testing::TemporaryFolder folder;
  CannedCentre centre(503, R"({"error": "maintenance."})", "Retry-After: 2\r\n");
  std::shared_ptr<Store> store = testing::open_test_store((folder / "branch.sqlite").string());
  ASSERT_NE(store, nullptr);
  const int64_t now = telemetry::system_clock_ms();
  const std::vector<StoredEvent> events{testing::stored_event(0, now)};
  ASSERT_TRUE(store->ingest({"branch-12-kiosk-1", now, 0, 0, {}, true}, events).ok());
  std::ofstream(folder / "relay-token") << "token\n";
  UpstreamConfig upstream;
  upstream.url = centre.url();
  upstream.token_file = folder / "relay-token";
  upstream.poll = 10ms;
  ForwarderTiming timing;
  timing.backoff_initial = 10ms;  // far below what the centre asks for
  timing.backoff_max = 20ms;
  auto forwarder = EventForwarder::start(upstream, store, timing);
  ASSERT_TRUE(forwarder.ok()) << forwarder.error().describe();
  ASSERT_TRUE(eventually([&] { return centre.requests() >= 1; }));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(centre.requests(), 1) << "asked again before the 2 s the centre named";
  const ForwarderStats stats = (*forwarder)->stats();
  EXPECT_GE(stats.current_backoff, 2s);
  EXPECT_NE(stats.last_error.find("maintenance."), std::string::npos) << stats.last_error;
  EXPECT_EQ(store->events_to_forward(10).value().size(), 1u) << "the event stays in the outbox";
}

// An answer of the wrong shape is a failed attempt: the batch stays in the outbox and goes again
// later; the forwarder's thread never dies of it.
TEST(HubRelay, AMalformedAnswerFromTheCentreIsAFailedAttemptAndTheBatchGoesAgain) {
  testing::TemporaryFolder folder;
  std::shared_ptr<Store> store = testing::open_test_store((folder / "branch.sqlite").string());
  ASSERT_NE(store, nullptr);
  const int64_t now = telemetry::system_clock_ms();
  const std::vector<StoredEvent> events{testing::stored_event(0, now)};
  ASSERT_TRUE(store->ingest({"branch-12-kiosk-1", now, 0, 0, {}, true}, events).ok());
  std::ofstream(folder / "relay-token") << "token\n";
  for (const std::string answer : {R"({"stored": "1"})", R"({"duplicates": -1})", R"({"rejected": ["not an object"]})",
                                   R"({"rejected": {"reason": "x"}})", R"([1, 2])", "<html>proxy</html>"}) {
    CannedCentre centre(200, answer);
    UpstreamConfig upstream;
    upstream.url = centre.url();
    upstream.token_file = folder / "relay-token";
    upstream.poll = 10ms;
    ForwarderTiming timing;
    timing.backoff_initial = 10ms;
    timing.backoff_max = 20ms;
    auto forwarder = EventForwarder::start(upstream, store, timing);
    ASSERT_TRUE(forwarder.ok()) << forwarder.error().describe();
    EXPECT_TRUE(eventually([&] { return centre.requests() >= 3; })) << answer << ": tried again after the failure";
    const ForwarderStats stats = (*forwarder)->stats();
    EXPECT_EQ(stats.batches, 0u) << answer;
    EXPECT_NE(stats.last_error.find("not a hub's answer"), std::string::npos) << answer << ": " << stats.last_error;
    EXPECT_EQ(store->events_to_forward(10).value().size(), 1u) << answer << ": the event stays in the outbox";
  }
}

// A round that throws (a bug: rounds return their failures) fails, and the rounds go on.
TEST(HubPeriodic, ARoundThatThrowsFailsAndTheThreadLivesOn) {
  std::atomic<bool> throwing = true;
  std::atomic<int> rounds = 0;
  Periodic periodic(
      1h,
      [&](const std::atomic<bool>&) -> Result<void> {
        ++rounds;
        if (throwing) throw std::runtime_error("a library threw");
        return {};
      },
      [] { return 1h; });
  const Result<void> failed = periodic.run_now();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().why().find("a library threw"), std::string::npos) << failed.error().describe();
  throwing = false;
  EXPECT_TRUE(periodic.run_now().ok());
  EXPECT_GE(rounds.load(), 2);
}

// hub.json's "upstream", its paths relative to the file, and what is refused.
TEST(HubRelay, TheUpstreamSettingsAreReadFromHubJsonAndCheckedWithSentences) {
  testing::TemporaryFolder folder;
  const auto none = [](const char*) { return std::optional<std::string>(); };
  const auto file = folder / "hub.json";
  std::ofstream(file) << R"({"upstream": {"url": "https://hub.centre.example:8470", "token_file": "relay-token",
      "root": "keys/root.json", "channels": ["permanent", "spring-festival"], "poll_seconds": 30}})";
  const auto config = load_hub_config(file, none);
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_EQ(config->upstream.url, "https://hub.centre.example:8470");
  EXPECT_EQ(config->upstream.token_file, folder / "relay-token");
  EXPECT_EQ(config->upstream.root, folder / "keys/root.json");
  EXPECT_EQ(config->upstream.channels, (std::vector<std::string>{"permanent", "spring-festival"}));
  EXPECT_EQ(config->upstream.poll, 30s);
  EXPECT_TRUE(config->upstream.forward_events);
  EXPECT_TRUE(load_hub_config(std::nullopt, none)->upstream.url.empty()) << "a central hub by default";

  std::ofstream(file, std::ios::trunc) << R"({"upstream": {"url": "hub.centre.example", "channels": "permanent"}})";
  const auto refused = load_hub_config(file, none);
  ASSERT_FALSE(refused.ok());
  const std::string why = refused.error().describe();
  EXPECT_NE(why.find("upstream.url"), std::string::npos) << why;
  EXPECT_NE(why.find("upstream.token_file"), std::string::npos) << why;
  EXPECT_NE(why.find("upstream.channels"), std::string::npos) << why;
}

}  // namespace
}  // namespace pavilion::hub
