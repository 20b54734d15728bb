// The dashboard's people over real HTTP on 127.0.0.1, against both backends: signing in and out,
// the cookie, lockout, session expiry, CSRF and Origin, who may read what (a librarian sees only
// their branch through every endpoint), and the audit log. The hub's clock is the test's, so
// fifteen minutes and eight hours pass at once.
#include "backends.h"

#include "pavilion/http/client.h"
#include "pavilion/hub/accounts.h"
#include "pavilion/hub/server.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <set>

namespace pavilion::hub {
namespace {

using nlohmann::json;

constexpr std::string_view admin_token = "test-admin-token-0123456789";
constexpr int64_t minute_ms = 60'000;
constexpr std::string_view good_password = "a long enough pass phrase";

std::string header(const http::Response& response, std::string_view name) {
  for (const auto& [field, value] : response.headers) {
    if (field.size() == name.size() && std::equal(field.begin(), field.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

// Argon2id is slow on purpose: each person's hash is made once per test program.
const std::string& password_hash() {
  static const std::string hash = hash_password(good_password).value();
  return hash;
}

class DashboardAccessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto store = open_store(testing::test_database(GetParam(), folder_));
    ASSERT_TRUE(store.ok()) << store.error().describe();
    for (const UserAccount& person : {UserAccount{"ada", Role::administrator, std::nullopt, password_hash()},
                                      UserAccount{"lin", Role::librarian, "branch-a", password_hash()},
                                      UserAccount{"vic", Role::viewer, std::nullopt, password_hash()}}) {
      ASSERT_TRUE((*store)->add_user(person).value());
    }
    HubConfig config;
    config.port = 0;
    config.admin_token = std::string(admin_token);
    config.retention_days = 0;
    config.threads = 2;
    auto server = HubServer::start(config, std::move(store).value(), [this] { return now_.load(); });
    ASSERT_TRUE(server.ok()) << server.error().describe();
    server_ = std::move(server).value();
    client_ = std::make_unique<http::Client>(http::Endpoint::parse(server_->url()).value(), std::chrono::seconds(10));
  }

  // A browser's request: its cookie, and its CSRF token and Origin when it changes something.
  struct Browser {
    std::string cookie;
    std::string csrf;
  };

  http::Response send(std::string method, std::string target, const Browser& browser = {}, std::string body = {},
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    // The client names the host without its port; a browser names both, and Origin is checked
    // against it.
    headers.emplace_back("Host", fmt::format("127.0.0.1:{}", server_->port()));
    if (!browser.cookie.empty()) headers.emplace_back("Cookie", "pavilion_session=" + browser.cookie);
    if (!browser.csrf.empty()) headers.emplace_back("X-CSRF-Token", browser.csrf);
    auto response = client_->send({std::move(method), std::move(target), std::move(headers), std::move(body)});
    EXPECT_TRUE(response.ok()) << response.error().describe();
    return response.ok() ? *response : http::Response{};
  }

  http::Response try_sign_in(std::string_view name, std::string_view password) {
    return send("POST", "/api/session", {}, json{{"user", name}, {"password", password}}.dump());
  }

  Browser sign_in(std::string_view name) {
    const http::Response answer = try_sign_in(name, good_password);
    EXPECT_EQ(answer.status, 200) << answer.body;
    const std::string cookie = header(answer, "Set-Cookie");
    const size_t start = cookie.find('=') + 1;
    return {cookie.substr(start, cookie.find(';') - start), json::parse(answer.body).value("csrf", "")};
  }

  json audit_entries(const Browser& administrator) {
    const http::Response answer = send("GET", "/api/audit", administrator);
    EXPECT_EQ(answer.status, 200) << answer.body;
    return json::parse(answer.body)["entries"];
  }

  std::atomic<int64_t> now_{telemetry::system_clock_ms()};
  testing::TemporaryFolder folder_;
  std::unique_ptr<HubServer> server_;
  std::unique_ptr<http::Client> client_;
};

TEST_P(DashboardAccessTest, SigningInSetsAnHttpOnlyStrictCookieWhoseValueTheHubDoesNotKeep) {
  const http::Response answer = try_sign_in("lin", good_password);
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json body = json::parse(answer.body);
  EXPECT_EQ(body["user"], "lin");
  EXPECT_EQ(body["role"], "librarian");
  EXPECT_EQ(body["branch"], "branch-a");
  EXPECT_EQ(body["csrf"].get<std::string>().size(), 64u);
  EXPECT_EQ(header(answer, "Cache-Control"), "no-store");
  const std::string cookie = header(answer, "Set-Cookie");
  ASSERT_TRUE(cookie.starts_with("pavilion_session=")) << cookie;
  const std::string token = cookie.substr(17, cookie.find(';') - 17);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(cookie.substr(cookie.find(';')), "; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict") << "no Secure over HTTP";
  EXPECT_FALSE(server_->store().web_session(token, now_).value().has_value()) << "the token itself is not stored";
  EXPECT_TRUE(server_->store().web_session(hash_token(token), now_).value().has_value());

  const http::Response again = send("GET", "/api/session", {token, {}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body), body);
}

TEST_P(DashboardAccessTest, AWrongPasswordAndAnUnknownNameGetTheSameAnswer) {
  const http::Response wrong = try_sign_in("vic", "not the password at all");
  const http::Response unknown = try_sign_in("nobody", "not the password at all");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_TRUE(header(wrong, "Set-Cookie").empty());
  EXPECT_EQ(try_sign_in("vic", "").status, 401);
  EXPECT_EQ(send("POST", "/api/session", {}, R"({"user": "vic"})").status, 400);
}

TEST_P(DashboardAccessTest, FiveFailuresLockANameForFifteenMinutesWhetherOrNotItExists) {
  for (const std::string_view name : {"vic", "nobody"}) {
    for (int attempt = 1; attempt <= 4; ++attempt) {
      EXPECT_EQ(try_sign_in(name, "a wrong guess, number n").status, 401) << name << " attempt " << attempt;
      now_ += minute_ms;
    }
    const http::Response fifth = try_sign_in(name, "a wrong guess, number 5");
    EXPECT_EQ(fifth.status, 429) << name;
    EXPECT_EQ(fifth.retry_after, "900");
    EXPECT_NE(json::parse(fifth.body)["error"].get<std::string>().find("try again in 15 minutes"), std::string::npos);
    now_ += 14 * minute_ms;
    const http::Response locked = try_sign_in(name, good_password);
    EXPECT_EQ(locked.status, 429) << "even the right password waits";
    EXPECT_EQ(locked.retry_after, "60");
    now_ += minute_ms;
    EXPECT_EQ(try_sign_in(name, good_password).status, name == "vic" ? 200 : 401) << name;
  }
  // Failures spread over more than the window never add up to a lock.
  for (int attempt = 0; attempt < 8; ++attempt) {
    EXPECT_EQ(try_sign_in("ada", "a wrong guess").status, 401) << attempt;
    now_ += 4 * minute_ms;
  }
}

TEST_P(DashboardAccessTest, ASessionEndsAfterEightHours) {
  const Browser browser = sign_in("vic");
  now_ += 8 * 60 * minute_ms - 1000;
  EXPECT_EQ(send("GET", "/api/session", browser).status, 200);
  now_ += 1000;
  const http::Response ended = send("GET", "/api/session", browser);
  EXPECT_EQ(ended.status, 401);
  EXPECT_EQ(json::parse(ended.body)["message"]["zh-CN"], "登录已过期，请重新登录");
}

TEST_P(DashboardAccessTest, SigningOutEndsTheSessionAndClearsTheCookie) {
  const Browser browser = sign_in("vic");
  const http::Response out = send("DELETE", "/api/session", browser);
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_EQ(header(out, "Set-Cookie"), "pavilion_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  EXPECT_EQ(send("GET", "/api/session", browser).status, 401);
}

TEST_P(DashboardAccessTest, ChangesNeedTheSessionsCsrfTokenAndThisHubsOrigin) {
  const Browser browser = sign_in("vic");
  EXPECT_EQ(send("DELETE", "/api/session", {browser.cookie, {}}).status, 403) << "no token";
  EXPECT_EQ(send("DELETE", "/api/session", {browser.cookie, std::string(64, '0')}).status, 403) << "a wrong token";
  EXPECT_EQ(send("DELETE", "/api/session", {browser.cookie, browser.csrf.substr(1)}).status, 403) << "a shorter one";
  EXPECT_EQ(send("DELETE", "/api/session", browser, {}, {{"Origin", "https://elsewhere.example"}}).status, 403);
  EXPECT_EQ(send("DELETE", "/api/session", browser, {}, {{"Origin", "null"}}).status, 403);
  EXPECT_EQ(send("GET", "/api/session", browser).status, 200) << "none of that signed out";
  // Signing in from another site's page is refused too (login CSRF).
  EXPECT_EQ(send("POST", "/api/session", {}, json{{"user", "vic"}, {"password", good_password}}.dump(),
                 {{"Origin", "http://elsewhere.example"}})
                .status,
            403);
  const std::string origin = fmt::format("http://127.0.0.1:{}", server_->port());
  EXPECT_EQ(send("DELETE", "/api/session", browser, {}, {{"Origin", origin}}).status, 204);
}

TEST_P(DashboardAccessTest, KioskTokensAndTheAdminTokenOpenNoPage) {
  const std::string kiosk = enrol_device(server_->store(), "kiosk-01").value();
  for (const std::string_view token : {admin_token, std::string_view(kiosk)}) {
    for (const char* target : {"/api/session", "/api/filters", "/api/views/overview", "/api/views/health/devices.csv",
                               "/api/audit"}) {
      const http::Response answer = send("GET", target, {}, {}, {{"Authorization", fmt::format("Bearer {}", token)}});
      EXPECT_EQ(answer.status, 401) << target;
    }
  }
  // Nor does a cookie holding a token, or nothing.
  EXPECT_EQ(send("GET", "/api/session", {std::string(admin_token), {}}).status, 401);
  EXPECT_EQ(send("GET", "/api/filters").status, 401);
}

TEST_P(DashboardAccessTest, RemovingAPersonOrChangingTheirPasswordEndsTheirSessions) {
  const Browser viewer = sign_in("vic");
  const Browser librarian = sign_in("lin");
  ASSERT_TRUE(change_password(server_->store(), "vic", "another long pass phrase").ok());
  EXPECT_EQ(send("GET", "/api/session", viewer).status, 401);
  EXPECT_EQ(try_sign_in("vic", "another long pass phrase").status, 200);
  ASSERT_TRUE(server_->store().remove_user("lin").value());
  EXPECT_EQ(send("GET", "/api/session", librarian).status, 401);
  EXPECT_EQ(try_sign_in("lin", good_password).status, 401);
}

TEST_P(DashboardAccessTest, OnlyAnAdministratorReadsTheAuditLogOfSignIns) {
  EXPECT_EQ(try_sign_in("lin", "a wrong guess").status, 401);
  for (const char* name : {"vic", "lin"}) {
    const http::Response refused = send("GET", "/api/audit", sign_in(name));
    EXPECT_EQ(refused.status, 403) << name;
    EXPECT_EQ(json::parse(refused.body)["error"], "only an administrator reads the audit log");
  }
  const json entries = audit_entries(sign_in("ada"));
  std::vector<std::string> seen;
  for (const json& entry : entries) seen.push_back(entry["user"].get<std::string>() + " " + entry["action"].get<std::string>());
  EXPECT_EQ(seen, (std::vector<std::string>{"lin sign_in_failed", "vic sign_in", "lin sign_in", "ada sign_in"}));
  EXPECT_EQ(send("GET", "/api/audit?from=2026-11-30&to=2026-11-01", sign_in("ada")).status, 400);
}

// Found by fuzz_hub_api: a query's branch, percent-decoded, can be bytes that are not UTF-8, and
// the answer echoes the filter; the hub must answer and go on, for the name tried at sign-in too.
TEST_P(DashboardAccessTest, BytesThatAreNotUtf8InAQueryOrANameAreAnsweredAndTheHubGoesOn) {
  const Browser administrator = sign_in("ada");
  for (const char* query : {"branch=%FB%FB", "package=%C3", "branch=east%00", "package=%E4%B8%AD%C3"}) {
    const http::Response view = send("GET", fmt::format("/api/views/overview?{}", query), administrator);
    EXPECT_EQ(view.status, 400) << query;
    EXPECT_EQ(json::parse(view.body)["error"],
              "the branch or scene in the address is not one the hub names; choose it from the lists");
  }
  EXPECT_EQ(send("GET", "/api/views/overview?package=%E4%B8%AD", administrator).status, 200) << "中: a name";
  EXPECT_EQ(send("GET", "/api/views/%FB", administrator).status, 404);
  EXPECT_EQ(send("GET", "/api/views/overview/%FB.csv", administrator).status, 404);
  EXPECT_EQ(send("POST", "/api/session", {}, "{\"user\": \"\xfb\", \"password\": \"x\"}").status, 400);
  EXPECT_EQ(send("GET", "/api/audit", administrator).status, 200);
  EXPECT_EQ(send("GET", "/healthz").status, 200);
}

TEST_P(DashboardAccessTest, PeopleAreAddedWithAReasonWhenTheyCannotBe) {
  Store& store = server_->store();
  const auto too_short = add_person(store, "kim", Role::viewer, std::nullopt, "eleven char");
  ASSERT_FALSE(too_short.ok());
  EXPECT_NE(too_short.error().why().find("at least 12 characters"), std::string::npos) << too_short.error().why();
  EXPECT_NE(too_short.error().why().find("至少需要 12 个字符"), std::string::npos);
  EXPECT_TRUE(add_person(store, "kim", Role::viewer, std::nullopt, "十二个字的中文密码也可以用").ok()) << "characters, not bytes";
  const auto no_branch = add_person(store, "lee", Role::librarian, std::nullopt, good_password);
  ASSERT_FALSE(no_branch.ok());
  EXPECT_NE(no_branch.error().why().find("--branch"), std::string::npos);
  EXPECT_FALSE(add_person(store, "lee", Role::viewer, "branch-a", good_password).ok());
  EXPECT_FALSE(add_person(store, "lee", Role::librarian, "*", good_password).ok()) << "not a branch id";
  EXPECT_FALSE(add_person(store, "ada", Role::viewer, std::nullopt, good_password).ok()) << "taken";
  EXPECT_FALSE(add_person(store, "two words", Role::viewer, std::nullopt, good_password).ok());
  const auto people = store.users().value();
  ASSERT_EQ(people.size(), 4u);
  EXPECT_EQ(people[2].name, "lin");
  EXPECT_EQ(people[2].branch, "branch-a");
  EXPECT_EQ(people[3].name, "vic");
  EXPECT_FALSE(people[3].branch.has_value());
  EXPECT_TRUE(people[1].password_hash.starts_with("$argon2id$")) << people[1].password_hash;
}

TEST(DashboardAccess, OverHttpsTheCookieIsSecure) {
  testing::TemporaryFolder folder;
  const testing::Certificate certificate = testing::make_certificate(folder.path());
  auto store = open_store((folder / "hub.sqlite").string()).value();
  ASSERT_TRUE(store->add_user({"vic", Role::viewer, std::nullopt, password_hash()}).value());
  HubConfig config;
  config.port = 0;
  config.retention_days = 0;
  config.tls_certificate = certificate.certificate;
  config.tls_private_key = certificate.key;
  auto hub = HubServer::start(config, std::move(store)).value();
  http::Client client(http::Endpoint::parse(fmt::format("https://localhost:{}", hub->port())).value(),
                      std::chrono::seconds(10), certificate.certificate);
  const auto answer =
      client.send({"POST", "/api/session", {}, json{{"user", "vic"}, {"password", good_password}}.dump()});
  ASSERT_TRUE(answer.ok()) << answer.error().describe();
  ASSERT_EQ(answer->status, 200) << answer->body;
  EXPECT_TRUE(header(*answer, "Set-Cookie").ends_with("; HttpOnly; SameSite=Strict; Secure")) << header(*answer, "Set-Cookie");
}

// Two branches with a kiosk each, and what a librarian of the first may see of them.
class BranchAccessTest : public DashboardAccessTest {
 protected:
  void SetUp() override {
    DashboardAccessTest::SetUp();
    if (HasFatalFailure()) return;
    const int64_t now = telemetry::system_clock_ms();
    for (const auto& [device, branch] : {std::pair{"kiosk-a", "branch-a"}, std::pair{"kiosk-b", "branch-b"}}) {
      const std::string token = enrol_device(server_->store(), device, {branch, false}).value();
      std::vector<telemetry::Event> events;
      for (uint64_t sequence = 0; sequence < 3; ++sequence) events.push_back(testing::kiosk_event(sequence, now - 60'000));
      const http::Response stored = client_->send(
          {"POST", "/v1/events", {{"Authorization", "Bearer " + token}}, telemetry::encode_batch({device, now, 0, 0}, events)}).value();
      ASSERT_EQ(stored.status, 200) << stored.body;
    }
  }

  // The devices the health view shows to `browser` (with `query`), by the table's device column.
  std::set<std::string> health_devices(const Browser& browser, std::string_view query = "") {
    const http::Response answer = send("GET", fmt::format("/api/views/health{}", query), browser);
    EXPECT_EQ(answer.status, 200) << answer.body;
    std::set<std::string> devices;
    const json body = json::parse(answer.body);
    for (const json& row : body["tables"]["devices"]["rows"]) devices.insert(row[0].get<std::string>());
    return devices;
  }
};

TEST_P(BranchAccessTest, ALibrarianSeesNoOtherBranchThroughAnyEndpoint) {
  const Browser librarian = sign_in("lin");
  for (const char* view : {"overview", "when", "what", "how", "campaigns", "health"}) {
    EXPECT_EQ(send("GET", fmt::format("/api/views/{}?branch=branch-b", view), librarian).status, 403) << view;
    const http::Response own = send("GET", fmt::format("/api/views/{}", view), librarian);
    ASSERT_EQ(own.status, 200) << view << ": " << own.body;
    EXPECT_EQ(json::parse(own.body)["filter"]["branch"], "branch-a") << view;
  }
  EXPECT_EQ(send("GET", "/api/views/health?branch=branch-a", librarian).status, 200);
  EXPECT_EQ(health_devices(librarian), (std::set<std::string>{"kiosk-a"}));
  EXPECT_EQ(send("GET", "/api/views/health/devices.csv?branch=branch-b", librarian).status, 403);
  const http::Response csv = send("GET", "/api/views/health/devices.csv", librarian);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("kiosk-a"), std::string::npos);
  EXPECT_EQ(csv.body.find("kiosk-b"), std::string::npos);
  EXPECT_EQ(csv.body.find("branch-b"), std::string::npos);

  const http::Response filters = send("GET", "/api/filters", librarian);
  ASSERT_EQ(filters.status, 200) << filters.body;
  std::vector<std::string> branches;
  const json listed = json::parse(filters.body);
  for (const json& branch : listed["branches"]) branches.push_back(branch["id"].get<std::string>());
  EXPECT_EQ(branches, std::vector<std::string>{"branch-a"});
  EXPECT_EQ(send("GET", "/api/audit", librarian).status, 403);

  // Someone who sees every branch sees both kiosks, and may ask for either branch.
  const Browser viewer = sign_in("vic");
  EXPECT_EQ(health_devices(viewer), (std::set<std::string>{"kiosk-a", "kiosk-b"}));
  EXPECT_EQ(health_devices(viewer, "?branch=branch-b"), (std::set<std::string>{"kiosk-b"}));
}

TEST_P(BranchAccessTest, AnExportIsAnAttachmentAndIsAudited) {
  const Browser administrator = sign_in("ada");
  const http::Response csv = send("GET", "/api/views/health/devices.csv?from=2026-11-01&to=2026-11-28&branch=branch-b",
                                  administrator);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(header(csv, "Content-Disposition"),
            "attachment; filename=\"pavilion-health-devices-2026-11-01-2026-11-28.csv\"");
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF" "device,")) << csv.body;
  EXPECT_EQ(send("GET", "/api/views/health/nothing.csv", administrator).status, 404);
  EXPECT_EQ(send("GET", "/api/views/nowhere", administrator).status, 404);
  EXPECT_EQ(send("GET", "/api/views/health?from=2026-02-30", administrator).status, 400);
  const json entries = audit_entries(administrator);
  ASSERT_GE(entries.size(), 2u);
  const json& export_entry = entries[entries.size() - 1];
  EXPECT_EQ(export_entry["user"], "ada");
  EXPECT_EQ(export_entry["action"], "export");
  EXPECT_EQ(export_entry["detail"], "health from=2026-11-01 to=2026-11-28 branch=branch-b package=* table=devices");
}

INSTANTIATE_TEST_SUITE_P(Backends, BranchAccessTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, DashboardAccessTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace pavilion::hub
