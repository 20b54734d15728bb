// libFuzzer target: any request to the dashboard's /api, as a browser or an attacker could send
// it: a method, a target with its query (days, branch, package, a view and table name), a body
// (a sign-in's JSON) and, picked by the first byte, a signed-in administrator's or librarian's
// cookie and CSRF token. The routes must answer every request with a status and a JSON or CSV
// body, never crash, and never let the librarian read another branch (a 200 for a view that names
// another branch is a failure).
#include "dashboard/api.h"
#include "pavilion/hub/accounts.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/server.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>

namespace {

using namespace pavilion::hub;
using Request = DashboardApi::Request;

struct Browser {
  std::string cookie;
  std::string csrf;
};

struct Hub {
  HubConfig config;
  std::unique_ptr<Store> store;
  std::unique_ptr<DashboardApi> api;
  Browser administrator;
  Browser librarian;
};

constexpr int64_t now_ms = 1'795'428'000'000;  // 2026-11-22
constexpr std::string_view password = "fuzzing the dashboard";

// Nothing when the name is locked (inputs may have failed five sign-ins for it).
std::optional<Browser> sign_in(const DashboardApi& api, std::string_view name) {
  Request request(boost::beast::http::verb::post, "/api/session", 11);
  request.body() = nlohmann::json{{"user", name}, {"password", password}}.dump();
  request.prepare_payload();
  std::string route;
  const auto answer = api.handle(request, route);
  if (answer.result_int() != 200) return std::nullopt;
  const std::string cookie(answer[boost::beast::http::field::set_cookie]);
  const size_t start = cookie.find('=') + 1;
  return Browser{cookie.substr(start, cookie.find(';') - start), nlohmann::json::parse(answer.body()).value("csrf", "")};
}

// One hub for the whole run: an SQLite file with two people and a kiosk at each of two branches.
Hub& hub() {
  static Hub* hub = [] {
    auto* made = new Hub;
    static const auto folder =
        std::filesystem::temp_directory_path() / ("pavilion-fuzz-hub-api-" + std::to_string(getpid()));
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    // Not left behind in /tmp by every run (libFuzzer ends its runs through exit()).
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(folder, ignored);
    });
    auto store = open_sqlite_store((folder / "hub.sqlite").string());
    if (!store) std::abort();
    made->store = std::move(store).value();
    if (!enrol_device(*made->store, "east-kiosk-1", {.branch = "east"}) ||
        !enrol_device(*made->store, "west-kiosk-1", {.branch = "west"}) ||
        !add_person(*made->store, "ada", Role::administrator, std::nullopt, password) ||
        !add_person(*made->store, "lin", Role::librarian, "east", password)) {
      std::abort();
    }
    made->api = std::make_unique<DashboardApi>(made->config, *made->store, [] { return now_ms; }, false);
    auto administrator = sign_in(*made->api, "ada");
    auto librarian = sign_in(*made->api, "lin");
    if (!administrator || !librarian) std::abort();
    made->administrator = *administrator;
    made->librarian = *librarian;
    return made;
  }();
  return *hub;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  Hub& state = hub();
  // Byte 0: the method (bits 0-1), who asks (bits 2-3: nobody, the administrator, the
  // librarian), whether with the CSRF token (bit 4); then the target up to the first newline,
  // the body after it.
  const uint8_t choice = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t newline = rest.find('\n');
  std::string target(rest.substr(0, newline));
  if (!target.starts_with("/api/")) target.insert(0, "/api/");
  using boost::beast::http::verb;
  constexpr verb methods[] = {verb::get, verb::post, verb::delete_, verb::put};
  Request request(methods[choice % 4], target, 11);
  if (newline != std::string_view::npos) request.body() = std::string(rest.substr(newline + 1));
  const int asker = ((choice >> 2) & 3) % 3;
  Browser* browser = asker == 1 ? &state.administrator : asker == 2 ? &state.librarian : nullptr;
  if (browser) {
    request.set(boost::beast::http::field::cookie, "pavilion_session=" + browser->cookie);
    if (choice & 0x10) request.set("X-CSRF-Token", browser->csrf);
  }
  request.prepare_payload();
  std::string route;
  const auto answer = state.api->handle(request, route);
  if (answer.result_int() < 200 || answer.result_int() > 599 || route.empty()) std::abort();
  // Signed out by this input: sign in again, so the next inputs still reach the views.
  if (browser && answer.result_int() == 204) {
    if (auto again = sign_in(*state.api, asker == 1 ? "ada" : "lin")) *browser = *again;
  }
  // Another branch's numbers never reach a librarian, whatever the query looks like: every view
  // she is answered is her own branch's.
  if (asker == 2 && answer.result_int() == 200 && answer.body().starts_with("{\"view\"")) {
    const auto view = nlohmann::json::parse(answer.body(), nullptr, false);
    if (view.is_discarded() || view["filter"]["branch"] != "east") std::abort();
  }
  return 0;
}
