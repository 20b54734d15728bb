// pavilion-hub over real HTTP on 127.0.0.1, against both backends: enrolment, tokens, limits,
// malformed and oversized batches, the same batch twice, a kiosk clock hours off, reports,
// /healthz and /metrics.
#include "backends.h"

#include "pavilion/http/client.h"
#include "pavilion/hub/reports.h"
#include "pavilion/hub/server.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <zstd.h>

#include <fstream>
#include <thread>

namespace pavilion::hub {
namespace {

using nlohmann::json;

constexpr std::string_view admin_token = "test-admin-token-0123456789";

std::string zstd(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

using testing::kiosk_event;

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto store = open_store(testing::test_database(GetParam(), folder_));
    ASSERT_TRUE(store.ok()) << store.error().describe();
    HubConfig config;
    config.port = 0;
    config.admin_token = std::string(admin_token);
    config.max_request_bytes = 64 * 1024;
    config.max_batch_bytes = 256 * 1024;
    config.max_events_per_batch = 200;
    config.retention_days = 0;
    config.threads = 2;
    auto server = HubServer::start(config, std::move(store).value());
    ASSERT_TRUE(server.ok()) << server.error().describe();
    server_ = std::move(server).value();
    client_ = std::make_unique<http::Client>(http::Endpoint::parse(server_->url()).value(), std::chrono::seconds(10));
    auto enrolled = send("POST", "/v1/devices", R"({"device":"kiosk-01"})", std::string(admin_token));
    ASSERT_EQ(enrolled.status, 201) << enrolled.body;
    token_ = json::parse(enrolled.body)["token"].get<std::string>();
  }

  http::Response send(std::string method, std::string target, std::string body = {}, std::string token = {},
                      bool compress = false) {
    http::Request request{std::move(method), std::move(target), {}, compress ? zstd(body) : std::move(body)};
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    if (compress) request.headers.emplace_back("Content-Encoding", "zstd");
    auto response = client_->send(request);
    EXPECT_TRUE(response.ok()) << response.error().describe();
    return response.ok() ? *response : http::Response{};
  }
  http::Response upload(const std::vector<telemetry::Event>& events, int64_t sent_ms, std::string device = "kiosk-01") {
    return send("POST", "/v1/events", telemetry::encode_batch({std::move(device), sent_ms, 0, 0}, events), token_, true);
  }
  json completeness() {
    const http::Response response = send("GET", "/v1/reports/completeness", {}, std::string(admin_token));
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body)["devices"];
  }

  testing::TemporaryFolder folder_;
  std::unique_ptr<HubServer> server_;
  std::unique_ptr<http::Client> client_;
  std::string token_;
};

TEST_P(ServerTest, TheSameBatchSentTwiceIsStoredOnce) {
  const int64_t now = telemetry::system_clock_ms();
  std::vector<telemetry::Event> events;
  for (uint64_t sequence = 0; sequence < 50; ++sequence) events.push_back(kiosk_event(sequence, now - 1000));
  const http::Response first = upload(events, now);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(json::parse(first.body)["stored"], 50);
  const http::Response second = upload(events, now + 60'000);  // its answer was lost; the kiosk sends it again
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(json::parse(second.body)["stored"], 0);
  EXPECT_EQ(json::parse(second.body)["duplicates"], 50);
  const json devices = completeness();
  EXPECT_EQ(devices[0]["received"], 50);
  EXPECT_EQ(devices[0]["expected"], 50);
  EXPECT_EQ(devices[0]["unexplained"], 0);
}

TEST_P(ServerTest, AKioskClockHoursOffIsCorrectedToTheHubsTime) {
  const int64_t now = telemetry::system_clock_ms();
  const int64_t kiosk_clock = now - 5 * 3'600'000;  // five hours slow
  ASSERT_EQ(upload({kiosk_event(0, kiosk_clock - 30'000)}, kiosk_clock).status, 200);
  const auto hour_of = [](int64_t ms) { return ms - ms % 3'600'000; };
  const std::string from = format_utc_time(hour_of(now - 30'000 - 120'000));
  const std::string to = format_utc_time(hour_of(now) + 3'600'000);
  const http::Response report =
      send("GET", fmt::format("/v1/reports/hourly?from={}&to={}", from, to), {}, std::string(admin_token));
  ASSERT_EQ(report.status, 200) << report.body;
  const json hours = json::parse(report.body)["hours"];
  ASSERT_EQ(hours.size(), 1u) << report.body;
  EXPECT_EQ(hours[0]["hour"], format_utc_time(hour_of(now - 30'000)));
  EXPECT_EQ(hours[0]["exhibits"][0]["exhibit"], "vase");
}

TEST_P(ServerTest, TokensAreCheckedAndBoundToTheirDevice) {
  const int64_t now = telemetry::system_clock_ms();
  const std::string batch = telemetry::encode_batch({"kiosk-01", now, 0, 0}, std::vector{kiosk_event(0, now)});
  EXPECT_EQ(send("POST", "/v1/events", batch).status, 401);
  const http::Response wrong = send("POST", "/v1/events", batch, "not-a-token");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(json::parse(wrong.body)["error"].get<std::string>().find("enrol the kiosk again"), std::string::npos);
  EXPECT_EQ(upload({kiosk_event(0, now)}, now, "kiosk-02").status, 403);
  // Re-enrolment replaces the token.
  const http::Response again = send("POST", "/v1/devices", R"({"device":"kiosk-01"})", std::string(admin_token));
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(upload({kiosk_event(0, now)}, now).status, 401);
  // Only the admin enrols and reads reports.
  EXPECT_EQ(send("POST", "/v1/devices", R"({"device":"kiosk-03"})", token_).status, 403);
  EXPECT_EQ(send("GET", "/v1/reports/completeness", {}, token_).status, 403);
  EXPECT_EQ(send("POST", "/v1/devices", R"({"device":"kiosk 3"})", std::string(admin_token)).status, 400);
}

TEST_P(ServerTest, MalformedAndOversizedBatchesAreRefusedAndTheConnectionGoesOn) {
  const int64_t now = telemetry::system_clock_ms();
  const http::Response not_json = send("POST", "/v1/events", "{\"schema\":", token_);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(json::parse(not_json.body)["error"], "the body is not JSON");
  EXPECT_EQ(send("POST", "/v1/events", "this is not zstd", token_, false).status, 400);
  http::Request corrupt{"POST", "/v1/events", {{"Authorization", "Bearer " + token_}, {"Content-Encoding", "zstd"}}, "junk"};
  EXPECT_EQ(client_->send(corrupt)->status, 400);
  http::Request gzip{"POST", "/v1/events", {{"Authorization", "Bearer " + token_}, {"Content-Encoding", "gzip"}}, "x"};
  EXPECT_EQ(client_->send(gzip)->status, 415);
  // Too many bytes on the wire: answered 413, and that connection is closed (its body is unread).
  const http::Response huge = send("POST", "/v1/events", std::string(100 * 1024, ' '), token_);
  EXPECT_EQ(huge.status, 413);
  // A small body that inflates beyond the limit (a zstd bomb).
  const std::string bomb = "{\"schema\":1,\"pad\":\"" + std::string(1024 * 1024, 'a') + "\"}";
  EXPECT_EQ(send("POST", "/v1/events", bomb, token_, true).status, 413);
  // More events than a batch may hold.
  std::vector<telemetry::Event> many;
  for (uint64_t sequence = 0; sequence < 201; ++sequence) many.push_back(kiosk_event(sequence, now));
  EXPECT_EQ(upload(many, now).status, 413);
  const http::Response newer = send("POST", "/v1/events", R"({"schema":2,"device":"kiosk-01","sent_ms":1,"events":[]})", token_);
  EXPECT_EQ(newer.status, 422);
  // None of that stored anything, and a good batch still goes through.
  ASSERT_EQ(upload({kiosk_event(0, now)}, now).status, 200);
  EXPECT_EQ(completeness()[0]["received"], 1);
}

TEST_P(ServerTest, InvalidEventsAreRefusedOneByOneWhileTheRestAreStored) {
  const int64_t now = telemetry::system_clock_ms();
  std::vector<telemetry::Event> events{kiosk_event(0, now), kiosk_event(1, 1'000), kiosk_event(2, now)};
  const http::Response response = upload(events, now);
  ASSERT_EQ(response.status, 200) << response.body;
  const json answer = json::parse(response.body);
  EXPECT_EQ(answer["stored"], 2);
  ASSERT_EQ(answer["rejected"].size(), 1u);
  EXPECT_EQ(answer["rejected"][0]["sequence"], 1);
  EXPECT_EQ(answer["rejected"][0]["index"], 1);
  EXPECT_NE(answer["rejected"][0]["reason"].get<std::string>().find("before 2020"), std::string::npos);
  const json devices = completeness();
  EXPECT_EQ(devices[0]["rejected"], 1);
  EXPECT_EQ(devices[0]["unexplained"], 0);
}

TEST_P(ServerTest, HealthAndMetricsAreServed) {
  const int64_t now = telemetry::system_clock_ms();
  const telemetry::Event event = kiosk_event(0, now);
  ASSERT_EQ(upload({event, event}, now).status, 200);
  const http::Response health = send("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["backend"], GetParam());
  const http::Response metrics = send("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4");
  EXPECT_NE(metrics.body.find("pavilion_hub_requests_total{route=\"/v1/events\",status=\"200\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("pavilion_hub_events_total{outcome=\"stored\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("pavilion_hub_events_total{outcome=\"duplicate\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("pavilion_hub_request_seconds_count{route=\"/v1/events\"} 1"), std::string::npos);
  EXPECT_EQ(send("GET", "/nowhere").status, 404);
  const http::Response wrong_method = send("GET", "/v1/events");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(send("GET", "/v1/reports/hourly?from=2026-13-01", {}, std::string(admin_token)).status, 400);
}

// A serving hub applies its retention by itself (at start, then hourly).
TEST(HubRetention, RawEventsPastRetentionAreRemovedWhileServing) {
  testing::TemporaryFolder folder;
  auto store = open_store((folder / "hub.sqlite").string()).value();
  const int64_t now = telemetry::system_clock_ms();
  const int64_t three_days_ago = now - 3 * 86'400'000;
  std::vector<StoredEvent> old_events{testing::stored_event(0, three_days_ago), testing::stored_event(1, three_days_ago)};
  ASSERT_TRUE(store->ingest({"kiosk-01", three_days_ago, 0, 0, {}}, old_events).ok());
  ASSERT_TRUE(store->ingest({"kiosk-01", now, 0, 0, {}}, std::vector{testing::stored_event(2, now)}).ok());
  HubConfig config;
  config.port = 0;
  config.retention_days = 1;
  auto hub = HubServer::start(config, std::move(store)).value();
  auto raw_events = [&] {
    sqlite3* database = nullptr;
    sqlite3_open((folder / "hub.sqlite").c_str(), &database);
    sqlite3_stmt* count = nullptr;
    sqlite3_prepare_v2(database, "SELECT count(*) FROM events", -1, &count, nullptr);
    const int64_t rows = sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int64(count, 0) : -1;
    sqlite3_finalize(count);
    sqlite3_close(database);
    return rows;
  };
  bool expired = false;
  for (int wait = 0; wait < 500 && !expired; ++wait) {
    expired = raw_events() == 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(expired);
  EXPECT_EQ(hub->store().completeness().value().at(0).received, 3u);
  EXPECT_EQ(hub->store().hourly(three_days_ago - 3'600'000, now + 3'600'000).value().size(), 2u) << "the counts stay";
}

// Several hub processes share one PostgreSQL database: the same batch arriving at two of them at
// once is stored once.
TEST(PostgresHubs, TwoHubsOnOneDatabaseStoreARaceOnce) {
  testing::TemporaryFolder folder;
  const std::string database = testing::test_database("postgresql", folder);
  HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  std::vector<std::unique_ptr<HubServer>> hubs;
  for (int index = 0; index < 2; ++index) {
    auto store = open_store(database);  // each migrates, or finds the work done
    ASSERT_TRUE(store.ok()) << store.error().describe();
    hubs.push_back(HubServer::start(config, std::move(store).value()).value());
  }
  const std::string token = enrol_device(hubs[0]->store(), "kiosk-01").value();
  const int64_t now = telemetry::system_clock_ms();
  std::vector<telemetry::Event> events;
  for (uint64_t sequence = 0; sequence < 300; ++sequence) events.push_back(kiosk_event(sequence, now));
  const std::string body = telemetry::encode_batch({"kiosk-01", now, 0, 0}, events);
  std::array<uint64_t, 2> stored{};
  std::vector<std::thread> senders;
  for (size_t index = 0; index < 2; ++index) {
    senders.emplace_back([&, index] {
      http::Client client(http::Endpoint::parse(hubs[index]->url()).value(), std::chrono::seconds(30));
      auto answer = client.send({"POST", "/v1/events", {{"Authorization", "Bearer " + token}}, body});
      if (answer && answer->status == 200) stored[index] = json::parse(answer->body)["stored"].get<uint64_t>();
    });
  }
  for (std::thread& sender : senders) sender.join();
  EXPECT_EQ(stored[0] + stored[1], 300u);
  const auto report = hubs[1]->store().completeness().value();
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].received, 300u);
  EXPECT_EQ(hubs[0]->store().hourly(now - 3'600'000, now + 3'600'000).value().at(0).events, 300u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

TEST(HubConfig, AFileAndTheEnvironmentAreReadWithEveryProblemNamed) {
  testing::TemporaryFolder folder;
  const auto file = folder / "hub.json";
  std::ofstream(file) << R"({"listen": "0.0.0.0:9000", "database": "data/hub.sqlite", "retention_days": 30,
                             "admin_token": "short"})";
  const auto bad = load_hub_config(file, [](const char*) { return std::optional<std::string>(); });
  ASSERT_FALSE(bad.ok());
  const std::string message = bad.error().describe();
  EXPECT_NE(message.find("admin_token"), std::string::npos) << message;
  std::ofstream(file) << R"({"listen": "0.0.0.0:9000", "database": "data/hub.sqlite", "retention_days": 30})";
  const auto good = load_hub_config(file, [](const char* name) {
    return std::string_view(name) == "PAVILION_HUB_LISTEN" ? std::optional<std::string>("127.0.0.1:9100")
                                                           : std::optional<std::string>();
  });
  ASSERT_TRUE(good.ok()) << good.error().describe();
  EXPECT_EQ(good->listen_address, "127.0.0.1");
  EXPECT_EQ(good->port, 9100);
  EXPECT_EQ(good->database, (folder.path() / "data/hub.sqlite").string());
  EXPECT_EQ(good->retention_days, 30u);
  const auto bad_environment =
      load_hub_config(std::nullopt, [](const char*) { return std::optional<std::string>("nonsense"); });
  ASSERT_FALSE(bad_environment.ok());
  EXPECT_NE(bad_environment.error().describe().find("PAVILION_HUB_LISTEN"), std::string::npos);
}

}  // namespace
}  // namespace pavilion::hub
