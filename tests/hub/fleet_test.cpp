// The fleet (hub/README.md, "The fleet") over real HTTP on 127.0.0.1, against both backends:
// kiosks of two branches report their update status (one through the kiosk's StatusReporter),
// and the report shows per branch and kiosk what is installed, pending and failed, since when,
// and when each was last seen; only the admin reads it; a malformed status is refused with a
// reason and changes nothing.
#include "backends.h"

#include "pavilion/http/client.h"
#include "pavilion/hub/forwarder.h"
#include "pavilion/hub/reports.h"
#include "pavilion/hub/server.h"
#include "pavilion/telemetry/device_status.h"
#include "pavilion/telemetry/status_reporter.h"
#include "pavilion/telemetry/wire.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <thread>

namespace pavilion::hub {
namespace {

using nlohmann::json;
using telemetry::PackageStatus;
using telemetry::UpdateStatus;

constexpr std::string_view admin_token = "test-admin-token-0123456789";

// A kiosk showing gallery 1.0.0 with 1.1.0 staged for a campaign, all well.
UpdateStatus staging_kiosk() {
  UpdateStatus status;
  status.packages = {{"gallery", "1.0.0", "showing", ""}, {"gallery", "1.1.0", "staged", "switches 2027-01-28T00:00:00+08:00"}};
  status.root_version = 1;
  status.timestamp_version = 42;
  status.snapshot_version = 7;
  status.targets_version = 7;
  status.disk_used = 180'000'000;
  status.disk_budget = 2'000'000'000;
  status.disk_free = 40'000'000'000;
  status.last_check_ms = telemetry::system_clock_ms() - 5'000;
  status.last_result = "ok";
  return status;
}

// A kiosk whose new package failed its hash check, still showing the old one.
UpdateStatus failing_kiosk() {
  UpdateStatus status;
  status.packages = {{"garden", "2.0.0", "showing", ""},
                     {"spring-festival", "1.0.0", "failed", "blob 3f2a… has the wrong hash"}};
  status.root_version = 1;
  status.timestamp_version = 40;
  status.snapshot_version = 6;
  status.targets_version = 6;
  status.disk_used = 90'000'000;
  status.disk_budget = 1'000'000'000;
  status.disk_free = 12'000'000'000;
  status.last_check_ms = telemetry::system_clock_ms() - 60'000;
  status.last_result = "blob 3f2a… has the wrong hash";
  status.last_error = {"更新失败：下载的内容已损坏，将重新下载。", "The update failed: a download was damaged; it will be fetched again."};
  return status;
}

class FleetReport : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = testing::test_database(GetParam(), folder_);
    ASSERT_NO_FATAL_FAILURE(start_hub(0));
    client_ = std::make_unique<http::Client>(http::Endpoint::parse(server_->url()).value(), std::chrono::seconds(10));
    for (const auto& [device, branch] : {std::pair{"kiosk-a1", "branch-a"}, {"kiosk-a2", "branch-a"}, {"kiosk-b1", "branch-b"}}) {
      const http::Response enrolled =
          send("POST", "/v1/devices", json{{"device", device}, {"branch", branch}}.dump(), std::string(admin_token));
      ASSERT_EQ(enrolled.status, 201) << enrolled.body;
      tokens_[device] = json::parse(enrolled.body)["token"].get<std::string>();
    }
    // A demonstration device (`pavilion-hub simulate`) is no kiosk of the fleet.
    ASSERT_TRUE(enrol_device(server_->store(), "demo-branch-01-kiosk-1", {"demo-branch-01", true}).ok());
  }

  void start_hub(uint16_t port) {
    auto store = open_store(database_);
    ASSERT_TRUE(store.ok()) << store.error().describe();
    HubConfig config;
    config.port = port;
    config.admin_token = std::string(admin_token);
    config.retention_days = 0;
    config.threads = 2;
    auto server = HubServer::start(config, std::move(store).value());
    ASSERT_TRUE(server.ok()) << server.error().describe();
    server_ = std::move(server).value();
  }
  http::Response send(std::string method, std::string target, std::string body = {}, std::string token = {}) {
    http::Request request{std::move(method), std::move(target), {}, std::move(body)};
    if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
    auto response = client_->send(request);
    EXPECT_TRUE(response.ok()) << response.error().describe();
    return response.ok() ? *response : http::Response{};
  }
  http::Response put_status(const std::string& device, const UpdateStatus& status, const std::string& token) {
    return send("PUT", "/v1/devices/status", telemetry::encode_status(device, telemetry::system_clock_ms(), status), token);
  }
  json fleet() {
    const http::Response response = send("GET", "/v1/reports/fleet", {}, std::string(admin_token));
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body, nullptr, false);
  }
  std::unique_ptr<telemetry::StatusReporter> reporter(const std::string& device) {
    auto started = telemetry::StatusReporter::start(
        {.hub_url = server_->url(), .device_id = device, .token = tokens_.at(device), .backoff_initial = std::chrono::milliseconds(50),
         .backoff_max = std::chrono::milliseconds(200)});
    EXPECT_TRUE(started.ok()) << started.error().describe();
    return started.ok() ? std::move(started).value() : nullptr;
  }

  testing::TemporaryFolder folder_;
  std::string database_;
  std::unique_ptr<HubServer> server_;
  std::unique_ptr<http::Client> client_;
  std::map<std::string, std::string> tokens_;
};

// Waits (at most 5 s) until `done` holds.
template <class Condition>
bool eventually(Condition done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST_P(FleetReport, ShowsPerBranchAndKioskWhatIsInstalledPendingAndFailedAndWhenLastSeen) {
  const int64_t before = telemetry::system_clock_ms();
  auto kiosk = reporter("kiosk-a1");
  ASSERT_NE(kiosk, nullptr);
  kiosk->report(staging_kiosk());
  ASSERT_TRUE(kiosk->send_now().ok()) << kiosk->stats().last_error;
  const http::Response stored = put_status("kiosk-b1", failing_kiosk(), tokens_["kiosk-b1"]);
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string after = format_utc_time(telemetry::system_clock_ms() + 1000);
  const std::string earliest = format_utc_time(before - 1000);

  const json report = fleet();
  ASSERT_EQ(report["branches"].size(), 2u) << report.dump(2);  // no demonstration branch
  const json& branch_a = report["branches"][0];
  const json& branch_b = report["branches"][1];
  EXPECT_EQ(branch_a["branch"], "branch-a");
  EXPECT_EQ(branch_b["branch"], "branch-b");
  ASSERT_EQ(branch_a["kiosks"].size(), 2u);
  ASSERT_EQ(branch_b["kiosks"].size(), 1u);

  const json& a1 = branch_a["kiosks"][0];
  EXPECT_EQ(a1["device"], "kiosk-a1");
  EXPECT_EQ(a1["installed"], json::parse(R"([{"id":"gallery","version":"1.0.0","since":)" +
                                         a1["reported"].dump() + "}]"));
  ASSERT_EQ(a1["pending"].size(), 1u);
  EXPECT_EQ(a1["pending"][0]["version"], "1.1.0");
  EXPECT_EQ(a1["pending"][0]["state"], "staged");
  EXPECT_EQ(a1["pending"][0]["detail"], "switches 2027-01-28T00:00:00+08:00");
  EXPECT_TRUE(a1["failed"].empty());
  EXPECT_EQ(a1["metadata"], json::parse(R"({"root":1,"timestamp":42,"snapshot":7,"targets":7})"));
  EXPECT_EQ(a1["disk"], json::parse(R"({"used":180000000,"budget":2000000000,"free":40000000000})"));
  EXPECT_EQ(a1["last_result"], "ok");
  // Times are the hub's, ISO 8601 UTC: they sort as text.
  for (const char* field : {"last_seen", "reported"}) {
    ASSERT_TRUE(a1[field].is_string()) << field;
    EXPECT_GE(a1[field].get<std::string>(), earliest) << field;
    EXPECT_LE(a1[field].get<std::string>(), after) << field;
  }
  EXPECT_EQ(a1["last_seen"], a1["reported"]);
  // The kiosk checked 5 s before it sent: so it says, by the hub's clock.
  ASSERT_TRUE(a1["last_check"].is_string());
  EXPECT_GE(a1["last_check"].get<std::string>(), format_utc_time(before - 7'000));
  EXPECT_LT(a1["last_check"].get<std::string>(), a1["reported"].get<std::string>());

  // A kiosk that never reported is in the report, seen never.
  const json& a2 = branch_a["kiosks"][1];
  EXPECT_EQ(a2["device"], "kiosk-a2");
  EXPECT_TRUE(a2["last_seen"].is_null());
  EXPECT_TRUE(a2["reported"].is_null());
  EXPECT_TRUE(a2["installed"].empty());

  const json& b1 = branch_b["kiosks"][0];
  EXPECT_EQ(b1["device"], "kiosk-b1");
  ASSERT_EQ(b1["installed"].size(), 1u);
  EXPECT_EQ(b1["installed"][0]["id"], "garden");
  EXPECT_TRUE(b1["pending"].empty());
  ASSERT_EQ(b1["failed"].size(), 1u);
  EXPECT_EQ(b1["failed"][0]["id"], "spring-festival");
  EXPECT_EQ(b1["failed"][0]["state"], "failed");
  EXPECT_EQ(b1["failed"][0]["detail"], "blob 3f2a… has the wrong hash");
  EXPECT_EQ(b1["failed"][0]["since"], b1["reported"]);
  EXPECT_EQ(b1["last_error"]["zh-CN"], "更新失败：下载的内容已损坏，将重新下载。");
  EXPECT_EQ(b1["last_error"]["en"], "The update failed: a download was damaged; it will be fetched again.");
  EXPECT_LT(b1["last_check"].get<std::string>(), b1["reported"].get<std::string>());

  // The command line's table says the same.
  auto kiosks = server_->store().fleet();
  ASSERT_TRUE(kiosks.ok()) << kiosks.error().describe();
  const std::string table = fleet_report_text(*kiosks);
  EXPECT_NE(table.find("gallery 1.0.0"), std::string::npos) << table;
  EXPECT_NE(table.find("gallery 1.1.0 (staged)"), std::string::npos) << table;
  EXPECT_NE(table.find("spring-festival 1.0.0 (failed)"), std::string::npos) << table;
  EXPECT_NE(table.find("1/42/7/7"), std::string::npos) << table;
  EXPECT_NE(table.find("180.0 MB / 2.0 GB (40.0 GB)"), std::string::npos) << table;
  EXPECT_NE(table.find("kiosk-b1: spring-festival 1.0.0 failed since "), std::string::npos) << table;
  EXPECT_NE(table.find("(no status yet)"), std::string::npos) << table;
  EXPECT_EQ(table.find("demo-branch-01"), std::string::npos) << table;
}

TEST_P(FleetReport, AnEventBatchAlsoCountsAsSeen) {
  const int64_t now = telemetry::system_clock_ms();
  const http::Response uploaded =
      send("POST", "/v1/events", telemetry::encode_batch({"kiosk-a2", now, 0, 0}, std::vector{testing::kiosk_event(0, now)}),
           tokens_["kiosk-a2"]);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  const json a2 = fleet()["branches"][0]["kiosks"][1];
  EXPECT_EQ(a2["device"], "kiosk-a2");
  EXPECT_TRUE(a2["last_seen"].is_string()) << a2.dump();
  EXPECT_TRUE(a2["reported"].is_null());
}

TEST_P(FleetReport, AStateKeepsItsFirstTimeWhileItLastsAndALaterStatusReplacesTheEarlier) {
  Store& store = server_->store();
  UpdateStatus status = failing_kiosk();
  ASSERT_TRUE(store.put_device_status("kiosk-b1", 1'800'000'000'000, status).ok());
  ASSERT_TRUE(store.put_device_status("kiosk-b1", 1'800'000'600'000, status).ok());
  auto kiosks = store.fleet();
  ASSERT_TRUE(kiosks.ok()) << kiosks.error().describe();
  const FleetKiosk& b1 = kiosks->back();
  ASSERT_EQ(b1.device_id, "kiosk-b1");
  EXPECT_EQ(b1.reported_ms, 1'800'000'600'000);
  EXPECT_EQ(b1.since_ms, (std::vector<int64_t>{1'800'000'000'000, 1'800'000'000'000}));
  EXPECT_EQ(b1.status, status);

  // The failed package is fetched again and staged; the one shown stays.
  status.packages[1].state = "staged";
  status.packages[1].detail.clear();
  status.packages.push_back({"gallery", "3.0.0", "downloading", ""});
  status.last_result = "ok";
  status.last_error = {};
  ASSERT_TRUE(store.put_device_status("kiosk-b1", 1'800'001'200'000, status).ok());
  kiosks = store.fleet();
  ASSERT_TRUE(kiosks.ok()) << kiosks.error().describe();
  EXPECT_EQ(kiosks->back().status, status);
  EXPECT_EQ(kiosks->back().since_ms,
            (std::vector<int64_t>{1'800'000'000'000, 1'800'001'200'000, 1'800'001'200'000}));
}

TEST_P(FleetReport, OnlyTheAdminReadsTheFleetAndAKioskReportsOnlyItself) {
  ASSERT_EQ(put_status("kiosk-a1", staging_kiosk(), tokens_["kiosk-a1"]).status, 200);
  EXPECT_EQ(send("GET", "/v1/reports/fleet", {}, tokens_["kiosk-a1"]).status, 403);
  EXPECT_EQ(send("GET", "/v1/reports/fleet").status, 403);
  EXPECT_EQ(put_status("kiosk-a1", staging_kiosk(), std::string(admin_token)).status, 401);
  EXPECT_EQ(put_status("kiosk-a1", staging_kiosk(), {}).status, 401);
  const http::Response other = put_status("kiosk-b1", failing_kiosk(), tokens_["kiosk-a1"]);
  EXPECT_EQ(other.status, 403);
  EXPECT_NE(json::parse(other.body)["error"].get<std::string>().find("kiosk-a1"), std::string::npos) << other.body;
  EXPECT_EQ(send("POST", "/v1/devices/status", {}, tokens_["kiosk-a1"]).status, 405);
  EXPECT_TRUE(fleet()["branches"][1]["kiosks"][0]["reported"].is_null());  // kiosk-b1's was refused
}

TEST_P(FleetReport, AMalformedStatusIsRefusedWithAReasonAndChangesNothing) {
  const std::string token = tokens_["kiosk-a1"];
  ASSERT_EQ(put_status("kiosk-a1", staging_kiosk(), token).status, 200);
  const json before = fleet();
  json wrong_state = json::parse(telemetry::encode_status("kiosk-a1", telemetry::system_clock_ms(), failing_kiosk()));
  wrong_state["packages"][1]["state"] = "shown";
  json negative = json::parse(telemetry::encode_status("kiosk-a1", telemetry::system_clock_ms(), failing_kiosk()));
  negative["disk"]["free"] = -1;
  json missing = json::parse(telemetry::encode_status("kiosk-a1", telemetry::system_clock_ms(), failing_kiosk()));
  missing.erase("metadata");
  json too_many = json::parse(telemetry::encode_status("kiosk-a1", telemetry::system_clock_ms(), failing_kiosk()));
  too_many["packages"] = json::array();
  for (int index = 0; index < 257; ++index) too_many["packages"].push_back({{"id", "p"}, {"version", "1"}, {"state", "showing"}, {"detail", ""}});
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{\"schema\": 1, \"device\": ", "the status is not JSON"},
      {wrong_state.dump(), "packages[1].state: \"shown\" is not a package state"},
      {negative.dump(), "disk.free: must be a whole number"},
      {missing.dump(), "metadata: must be an object"},
      {too_many.dump(), "packages: 257 packages, more than the 256"},
      {R"({"schema": 2})", "schema: 2 is not a status schema"}};
  for (const auto& [body, reason] : cases) {
    const http::Response refused = send("PUT", "/v1/devices/status", body, token);
    EXPECT_EQ(refused.status, 400) << body;
    const json answer = json::parse(refused.body, nullptr, false);
    ASSERT_TRUE(answer.is_object()) << refused.body;
    EXPECT_NE(answer["error"].get<std::string>().find(reason), std::string::npos) << answer["error"];
  }
  EXPECT_EQ(fleet(), before);  // nothing was stored
}

TEST_P(FleetReport, TheReporterSendsAChangedStatusAtOnceAndAnUnchangedOneNotAgain) {
  auto kiosk = reporter("kiosk-a1");
  ASSERT_NE(kiosk, nullptr);
  UpdateStatus status = staging_kiosk();
  kiosk->report(status);
  ASSERT_TRUE(eventually([&] { return kiosk->stats().sent == 1; })) << kiosk->stats().last_error;
  kiosk->report(status);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(kiosk->stats().sent, 1u);
  status.packages[0].state = "rolled_back";
  status.packages[0].detail = "gallery 1.0.0 did not load: its scene has no camera";
  kiosk->report(status);
  ASSERT_TRUE(eventually([&] { return kiosk->stats().sent == 2; })) << kiosk->stats().last_error;
  const json a1 = fleet()["branches"][0]["kiosks"][0];
  ASSERT_EQ(a1["failed"].size(), 1u) << a1.dump();
  EXPECT_EQ(a1["failed"][0]["state"], "rolled_back");
  EXPECT_EQ(a1["installed"].size(), 0u);
}

TEST_P(FleetReport, TheReporterTriesAgainUntilTheHubIsBack) {
  auto kiosk = reporter("kiosk-a1");
  ASSERT_NE(kiosk, nullptr);
  const uint16_t port = server_->port();
  server_.reset();
  kiosk->report(staging_kiosk());
  ASSERT_TRUE(eventually([&] { return kiosk->stats().failed_attempts >= 2; })) << "it tries again";
  EXPECT_FALSE(kiosk->stats().last_error.empty());
  EXPECT_EQ(kiosk->stats().sent, 0u);
  ASSERT_NO_FATAL_FAILURE(start_hub(port));
  ASSERT_TRUE(eventually([&] { return kiosk->stats().sent == 1; })) << kiosk->stats().last_error;
  EXPECT_TRUE(kiosk->stats().last_error.empty());
  EXPECT_EQ(fleet()["branches"][0]["kiosks"][0]["pending"][0]["version"], "1.1.0");
}

// A branch hub's kiosk reports to the branch; the branch's forwarder sends the status on to the
// centre (PUT /v1/relay/status), once per new status, and the centre shows the kiosk under the
// relay's branch.
TEST_P(FleetReport, ABranchHubForwardsItsKiosksStatusesToTheCentreOncePerChange) {
  const auto relay_token = enrol_relay(server_->store(), "branch-c-hub", "branch-c");
  ASSERT_TRUE(relay_token.ok()) << relay_token.error().describe();
  UpstreamConfig upstream;
  upstream.url = server_->url();
  upstream.token_file = folder_ / "relay-token";
  std::ofstream(upstream.token_file) << *relay_token << "\n";
  const std::string branch_database =
      GetParam() == "sqlite" ? (folder_ / "branch.sqlite").string() : testing::test_database(GetParam(), folder_);
  std::shared_ptr<Store> branch_store = testing::open_test_store(branch_database);
  ASSERT_NE(branch_store, nullptr);
  HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.upstream = upstream;
  auto branch = HubServer::start(config, branch_store);
  ASSERT_TRUE(branch.ok()) << branch.error().describe();
  const auto kiosk_token = enrol_device(*branch_store, "kiosk-c1", {"branch-c", false});
  ASSERT_TRUE(kiosk_token.ok());
  http::Client to_branch(http::Endpoint::parse((*branch)->url()).value(), std::chrono::seconds(10));
  auto kiosk_reports = [&](const UpdateStatus& status) {
    auto answer = to_branch.send({"PUT", "/v1/devices/status", {{"Authorization", "Bearer " + *kiosk_token}},
                                  telemetry::encode_status("kiosk-c1", telemetry::system_clock_ms(), status)});
    ASSERT_TRUE(answer.ok()) << answer.error().describe();
    ASSERT_EQ(answer->status, 200) << answer->body;
  };
  // Statuses the centre has taken from relays, by its /metrics.
  auto relayed = [&] {
    const http::Response metrics = send("GET", "/metrics");
    static const std::regex line(R"re(pavilion_hub_requests_total\{route="/v1/relay/status",status="200"\} (\d+))re");
    std::smatch found;
    return std::regex_search(metrics.body, found, line) ? std::stoull(found[1].str()) : 0ull;
  };
  kiosk_reports(failing_kiosk());

  ForwarderTiming timing;
  timing.backoff_initial = std::chrono::milliseconds(20);
  timing.backoff_max = std::chrono::milliseconds(100);
  auto forwarder = EventForwarder::start(upstream, branch_store, timing);
  ASSERT_TRUE(forwarder.ok()) << forwarder.error().describe();
  ASSERT_TRUE((*forwarder)->forward_now().ok()) << (*forwarder)->stats().last_error;
  EXPECT_EQ(relayed(), 1u);
  json report = fleet();
  ASSERT_EQ(report["branches"].size(), 3u) << report.dump(2);
  json c1 = report["branches"][2]["kiosks"][0];
  EXPECT_EQ(report["branches"][2]["branch"], "branch-c");
  EXPECT_EQ(c1["device"], "kiosk-c1");
  ASSERT_EQ(c1["failed"].size(), 1u) << c1.dump();
  EXPECT_EQ(c1["failed"][0]["id"], "spring-festival");
  EXPECT_EQ(c1["last_error"]["en"], "The update failed: a download was damaged; it will be fetched again.");

  // Nothing new: nothing goes. A new status: it goes.
  ASSERT_TRUE((*forwarder)->forward_now().ok());
  EXPECT_EQ(relayed(), 1u);
  kiosk_reports(staging_kiosk());
  ASSERT_TRUE((*forwarder)->forward_now().ok()) << (*forwarder)->stats().last_error;
  EXPECT_EQ(relayed(), 2u);
  c1 = fleet()["branches"][2]["kiosks"][0];
  EXPECT_TRUE(c1["failed"].empty()) << c1.dump();
  EXPECT_EQ(c1["pending"][0]["version"], "1.1.0");

  // A kiosk's token opens no relay route.
  EXPECT_EQ(send("PUT", "/v1/relay/status", telemetry::encode_status("kiosk-a1", telemetry::system_clock_ms(), staging_kiosk()),
                 tokens_["kiosk-a1"]).status, 401);
}

INSTANTIATE_TEST_SUITE_P(Fleet, FleetReport, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

TEST(FleetStatus, EncodesAndDecodesEveryField) {
  const UpdateStatus status = failing_kiosk();
  const auto decoded = telemetry::decode_status(telemetry::encode_status("kiosk-b1", 1'800'000'000'000, status));
  ASSERT_TRUE(std::holds_alternative<telemetry::DecodedStatus>(decoded)) << std::get<std::string>(decoded);
  const auto& read = std::get<telemetry::DecodedStatus>(decoded);
  EXPECT_EQ(read.device_id, "kiosk-b1");
  EXPECT_EQ(read.sent_ms, 1'800'000'000'000);
  EXPECT_EQ(read.status, status);
}

TEST(FleetStatus, TextsAreBoundedAndFreeOfNul) {
  UpdateStatus status = failing_kiosk();
  status.packages[0].detail = std::string(telemetry::StatusLimits::sentence_bytes + 1, 'x');
  auto decoded = telemetry::decode_status(telemetry::encode_status("kiosk-b1", 1'800'000'000'000, status));
  ASSERT_TRUE(std::holds_alternative<std::string>(decoded));
  EXPECT_EQ(std::get<std::string>(decoded), "packages[0].detail: longer than 1024 bytes");
  status = failing_kiosk();
  status.last_error.en = std::string("a\0b", 3);
  decoded = telemetry::decode_status(telemetry::encode_status("kiosk-b1", 1'800'000'000'000, status));
  ASSERT_TRUE(std::holds_alternative<std::string>(decoded));
  EXPECT_EQ(std::get<std::string>(decoded), "last_error.en: must not contain a NUL character");
  status = failing_kiosk();
  status.packages[1].id.clear();
  decoded = telemetry::decode_status(telemetry::encode_status("kiosk-b1", 1'800'000'000'000, status));
  ASSERT_TRUE(std::holds_alternative<std::string>(decoded));
  EXPECT_EQ(std::get<std::string>(decoded), "packages[1].id: must not be empty");
}

}  // namespace
}  // namespace pavilion::hub
