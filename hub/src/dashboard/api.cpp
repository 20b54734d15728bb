#include "api.h"

#include "../json_text.h"
#include "time_zone.h"

#include "pavilion/core/log.h"
#include "pavilion/core/utf8.h"
#include "pavilion/hub/dashboard.h"
#include "pavilion/hub/reports.h"  // format_utc_time
#include "pavilion/hub/server.h"
#include "pavilion/telemetry/wire.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <array>

namespace pavilion::hub {
namespace {

namespace http = boost::beast::http;
using Request = DashboardApi::Request;
using Response = DashboardApi::Response;
using nlohmann::json;

constexpr std::string_view cookie_name = "pavilion_session";
constexpr int64_t session_ms = 8 * 3'600'000;
constexpr int64_t default_days = 28;
constexpr int64_t longest_days = 3660;  // ten years: more is a typing mistake, not a question
const LockoutRule lockout;

Response answer(const Request& request, http::status status, std::string body,
                std::string_view content_type = "application/json") {
  Response response(status, request.version());
  response.set(http::field::server, "pavilion-hub");
  response.set(http::field::content_type, content_type);
  // Numbers about visitors and a session's CSRF token: never kept by a cache on the way.
  response.set(http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

// The page shows `message` in the reader's language; `error` is the English one, as everywhere
// else in the hub's API.
Response refuse(const Request& request, http::status status, std::string_view english, std::string_view chinese) {
  return answer(request, status,
                json_text(json{{"error", english}, {"message", {{"en", english}, {"zh-CN", chinese}}}}));
}

Response unavailable(const Request& request, const Error& error) {
  log::error("hub", "{}", error.describe());
  return refuse(request, http::status::service_unavailable, "the hub cannot reach its database; try again in a minute",
                "分析中心暂时无法访问数据库，请稍后再试");
}

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// A query parameter, percent-decoded ('+' as a space, as forms send it); nullopt when absent or
// badly encoded.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != name) continue;
    std::string value;
    const std::string_view encoded = pair.substr(equals + 1);
    for (size_t index = 0; index < encoded.size(); ++index) {
      if (encoded[index] == '+') {
        value.push_back(' ');
      } else if (encoded[index] != '%') {
        value.push_back(encoded[index]);
      } else {
        if (index + 2 >= encoded.size()) return std::nullopt;
        const int high = hex_value(encoded[index + 1]);
        const int low = hex_value(encoded[index + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        value.push_back(static_cast<char>(high * 16 + low));
        index += 2;
      }
    }
    return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> cookie_value(const Request& request, std::string_view name) {
  std::string_view cookies = request[http::field::cookie];
  while (!cookies.empty()) {
    const size_t end = std::min(cookies.find(';'), cookies.size());
    std::string_view pair = cookies.substr(0, end);
    cookies.remove_prefix(std::min(end + 1, cookies.size()));
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') return pair.substr(name.size() + 1);
  }
  return std::nullopt;
}

std::string random_token() {
  std::array<unsigned char, 32> secret{};
  randombytes_buf(secret.data(), secret.size());
  std::string token(secret.size() * 2 + 1, '\0');
  sodium_bin2hex(token.data(), token.size(), secret.data(), secret.size());
  token.pop_back();
  return token;
}

bool same_secret(std::string_view given, std::string_view expected) {
  return given.size() == expected.size() && sodium_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

// A browser names the page that sent a request in Origin; it must be this hub (its Host, by either
// scheme, since a reverse proxy may do the TLS).
bool origin_matches(const Request& request) {
  const std::string_view origin = request[http::field::origin];
  if (origin.empty()) return true;  // not a browser, or a same-origin GET
  const std::string_view host = request[http::field::host];
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme) && origin.substr(scheme.size()) == host && !host.empty()) return true;
  }
  return false;
}

std::string set_cookie(std::string_view value, int64_t max_age_seconds, bool secure) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", cookie_name, value, max_age_seconds,
                     secure ? "; Secure" : "");
}

json session_json(const UserAccount& user, const WebSession& session) {
  return {{"user", user.name},
          {"role", role_name(user.role)},
          {"branch", user.branch ? json(*user.branch) : json(nullptr)},
          {"csrf", session.csrf_token}};
}

// The period a request asks for, as days of the hub's time zone: `to` is the last day.
struct Period {
  int64_t from_ms = 0;
  int64_t to_ms = 0;  // exclusive
  std::string first_day;
  std::string last_day;
};

std::optional<Period> read_period(std::string_view query, int64_t now_ms) {
  const auto from_text = query_value(query, "from");
  const auto to_text = query_value(query, "to");
  const auto last = to_text ? parse_day(*to_text) : std::optional<int64_t>(local_day(now_ms));
  if (!last) return std::nullopt;
  const auto first = from_text ? parse_day(*from_text) : std::optional<int64_t>(*last - (default_days - 1));
  if (!first || *last < *first || *last - *first >= longest_days) return std::nullopt;
  return Period{local_midnight_ms(*first), local_midnight_ms(*last + 1), day_text(*first), day_text(*last)};
}

Response bad_period(const Request& request) {
  return refuse(request, http::status::bad_request,
                "give from and to as days (2026-11-01), to on or after from, at most ten years apart",
                "请以日期（2026-11-01）给出 from 和 to，to 不早于 from，相隔不超过十年");
}

}  // namespace

// Who is asking: a signed-in person and their session.
struct DashboardApi::Caller {
  UserAccount user;
  WebSession session;
};

DashboardApi::DashboardApi(const HubConfig& config, Store& store, std::function<int64_t()> now_ms, bool tls)
    : config_(config), store_(store), now_ms_(std::move(now_ms)), tls_(tls) {}

void DashboardApi::audit(std::string_view user, std::string_view action, std::string detail) const {
  // The answer goes out even if the audit log could not be written; the failure is logged.
  if (auto written = store_.audit({now_ms_(), std::string(user), std::string(action), std::move(detail)}); !written) {
    log::error("hub", "{}", written.error().describe());
  }
}

Response DashboardApi::handle(const Request& request, std::string& route) const {
  const std::string_view target = request.target();
  const size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const bool changes = request.method() != http::verb::get && request.method() != http::verb::head;
  if (path == "/api/session") {
    route = "/api/session";
    if (request.method() == http::verb::post) {
      if (!origin_matches(request)) {
        return refuse(request, http::status::forbidden, "this request came from another site's page",
                      "此请求来自其他网站的页面");
      }
      return sign_in(request);
    }
  } else if (path == "/api/filters" || path == "/api/audit") {
    route = std::string(path);
  } else if (path.starts_with("/api/views/")) {
    route = "/api/views";
  } else {
    route = "/api/other";
    return refuse(request, http::status::not_found, fmt::format("there is no {} here", path), "没有这个地址");
  }

  // Only a browser's session opens the rest; a kiosk's or the admin's bearer token is not one.
  const auto token = cookie_value(request, cookie_name);
  if (!token) return refuse(request, http::status::unauthorized, "sign in first", "请先登录");
  auto signed_in = store_.web_session(hash_token(*token), now_ms_());
  if (!signed_in) return unavailable(request, signed_in.error());
  if (!*signed_in) {
    return refuse(request, http::status::unauthorized, "your session has ended; sign in again", "登录已过期，请重新登录");
  }
  auto person = store_.user((*signed_in)->user);
  if (!person) return unavailable(request, person.error());
  if (!*person) return refuse(request, http::status::unauthorized, "this account no longer exists", "此账户已不存在");
  const Caller caller{std::move(**person), std::move(**signed_in)};

  if (changes) {
    if (!origin_matches(request)) {
      return refuse(request, http::status::forbidden, "this request came from another site's page", "此请求来自其他网站的页面");
    }
    if (!same_secret(request["X-CSRF-Token"], caller.session.csrf_token)) {
      return refuse(request, http::status::forbidden,
                    "send the session's CSRF token in X-CSRF-Token (reload the page if it is open in another tab)",
                    "请求缺少有效的 CSRF 令牌；请重新加载页面");
    }
  }
  const auto method_not_allowed = [&](std::string_view allowed) {
    Response response = refuse(request, http::status::method_not_allowed, fmt::format("{} takes {}", path, allowed),
                               fmt::format("{} 只接受 {}", path, allowed));
    response.set(http::field::allow, allowed);
    return response;
  };
  if (path == "/api/session") {
    if (request.method() == http::verb::get) return session(request, caller);
    if (request.method() == http::verb::delete_) return sign_out(request, caller);
    return method_not_allowed("GET, POST, DELETE");
  }
  if (request.method() != http::verb::get) return method_not_allowed("GET");
  if (path == "/api/filters") return filters(request, caller);
  if (path == "/api/audit") return audit_log(request, caller);
  return view(request, caller, path.substr(std::string_view("/api/views/").size()), route);
}

Response DashboardApi::sign_in(const Request& request) const {
  const json body = json::parse(request.body(), nullptr, false);
  if (!body.is_object() || !body.contains("user") || !body["user"].is_string() || !body.contains("password") ||
      !body["password"].is_string()) {
    return refuse(request, http::status::bad_request, R"(send {"user": "…", "password": "…"})",
                  R"(请发送 {"user": "…", "password": "…"})");
  }
  const std::string name = body["user"].get<std::string>();
  const std::string password = body["password"].get<std::string>();
  const int64_t now = now_ms_();
  const auto locked = [&](int64_t until) {
    const int64_t minutes = std::max<int64_t>(1, (until - now + 59'999) / 60'000);
    Response response = refuse(
        request, http::status::too_many_requests,
        fmt::format("too many failed sign-ins for this name; try again in {} minutes", minutes),
        fmt::format("此账户登录失败次数过多，请 {} 分钟后再试", minutes));
    response.set(http::field::retry_after, std::to_string((until - now + 999) / 1000));
    return response;
  };
  auto locked_until = store_.locked_until(name, now);
  if (!locked_until) return unavailable(request, locked_until.error());
  if (*locked_until > now) {
    audit(name, "sign_in_failed", "locked");
    return locked(*locked_until);
  }
  auto account = store_.user(name);
  if (!account) return unavailable(request, account.error());
  // An unknown name costs the same Argon2id verification as a known one.
  const bool known = account->has_value();
  const bool right = verify_password(known ? (*account)->password_hash : decoy_password_hash(), password) && known;
  if (!right) {
    auto until = store_.count_sign_in_failure(name, now, lockout);
    if (!until) return unavailable(request, until.error());
    audit(name, "sign_in_failed", "wrong name or password");
    if (*until > now) return locked(*until);
    return refuse(request, http::status::unauthorized, "the name or the password is wrong", "用户名或密码错误");
  }
  if (auto cleared = store_.clear_sign_in_failures(name); !cleared) return unavailable(request, cleared.error());
  const std::string token = random_token();
  const WebSession session{hash_token(token), name, random_token(), now + session_ms};
  if (auto added = store_.add_web_session(session, now); !added) return unavailable(request, added.error());
  audit(name, "sign_in", "");
  Response response = answer(request, http::status::ok, json_text(session_json(**account, session)));
  response.set(http::field::set_cookie, set_cookie(token, session_ms / 1000, tls_));
  return response;
}

Response DashboardApi::session(const Request& request, const Caller& caller) const {
  return answer(request, http::status::ok, json_text(session_json(caller.user, caller.session)));
}

Response DashboardApi::sign_out(const Request& request, const Caller& caller) const {
  if (auto removed = store_.remove_web_session(caller.session.token_hash); !removed) {
    return unavailable(request, removed.error());
  }
  audit(caller.user.name, "sign_out", "");
  Response response(http::status::no_content, request.version());
  response.set(http::field::server, "pavilion-hub");
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::set_cookie, set_cookie("", 0, tls_));
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

Response DashboardApi::filters(const Request& request, const Caller& caller) const {
  auto answer_json = filters_json(store_, config_, caller.user.role == Role::librarian ? caller.user.branch : std::nullopt);
  if (!answer_json) return unavailable(request, answer_json.error());
  return answer(request, http::status::ok, std::move(answer_json).value());
}

Response DashboardApi::view(const Request& request, const Caller& caller, std::string_view rest,
                            std::string& route) const {
  const size_t slash = rest.find('/');
  const std::string_view view_text = rest.substr(0, slash);
  const auto view_id = parse_view(view_text);
  if (!view_id) {
    return refuse(request, http::status::not_found, fmt::format("there is no view called {}", view_text),
                  fmt::format("没有名为 {} 的视图", view_text));
  }
  std::optional<std::string> table_id;
  if (slash != std::string_view::npos) {
    const std::string_view file = rest.substr(slash + 1);
    if (!file.ends_with(".csv") || file.size() <= 4 || file.find('/') != std::string_view::npos) {
      return refuse(request, http::status::not_found, fmt::format("there is no {} here", request.target()), "没有这个地址");
    }
    table_id = std::string(file.substr(0, file.size() - 4));
  }
  route = fmt::format("/api/views/{}{}", view_name(*view_id), table_id ? "/csv" : "");

  const std::string_view target = request.target();
  const std::string_view query = target.find('?') == std::string_view::npos ? "" : target.substr(target.find('?') + 1);
  const auto period = read_period(query, now_ms_());
  if (!period) return bad_period(request);
  ViewFilter filter{period->from_ms, period->to_ms, query_value(query, "branch"), query_value(query, "package")};
  if (filter.branch && filter.branch->empty()) filter.branch.reset();
  if (filter.package && filter.package->empty()) filter.package.reset();
  // Names go to the database as text: bytes that are not a name (PostgreSQL refuses what is not
  // UTF-8) are the address's mistake, not the database's.
  if ((filter.branch && !telemetry::is_valid_device_id(*filter.branch)) ||
      (filter.package && (filter.package->size() > decltype(telemetry::Event::package_id)::max_bytes || !decode_utf8(*filter.package)))) {
    return refuse(request, http::status::bad_request,
                  "the branch or scene in the address is not one the hub names; choose it from the lists",
                  "地址中的分馆或场景名称无效，请从列表中选择");
  }
  if (caller.user.role == Role::librarian) {
    if (filter.branch && filter.branch != caller.user.branch) {
      return refuse(request, http::status::forbidden, "a librarian sees their own branch only",
                    "馆员只能查看本馆的数据");
    }
    filter.branch = caller.user.branch;
  }
  auto data = build_view(store_, config_, *view_id, filter);
  if (!data) return unavailable(request, data.error());
  suppress_small_counts(*data);
  const std::string detail = fmt::format("{} from={} to={} branch={} package={}", view_name(*view_id), period->first_day,
                                         period->last_day, filter.branch.value_or("*"), filter.package.value_or("*"));
  if (!table_id) {
    audit(caller.user.name, "view", detail);
    return answer(request, http::status::ok, view_json(*data, period->first_day, period->last_day));
  }
  const auto table = std::ranges::find(data->tables, *table_id, &Table::id);
  if (table == data->tables.end()) {
    return refuse(request, http::status::not_found,
                  fmt::format("the {} view has no table called {}", view_name(*view_id), *table_id),
                  fmt::format("视图 {} 中没有名为 {} 的表", view_name(*view_id), *table_id));
  }
  audit(caller.user.name, "export", fmt::format("{} table={}", detail, *table_id));
  // A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
  Response response = answer(request, http::status::ok, "\xEF\xBB\xBF" + table_csv(*table), "text/csv; charset=utf-8");
  response.set(http::field::content_disposition,
               fmt::format("attachment; filename=\"pavilion-{}-{}-{}-{}.csv\"", view_name(*view_id), *table_id,
                           period->first_day, period->last_day));
  return response;
}

Response DashboardApi::audit_log(const Request& request, const Caller& caller) const {
  if (caller.user.role != Role::administrator) {
    return refuse(request, http::status::forbidden, "only an administrator reads the audit log", "只有管理员可以查看审计日志");
  }
  const std::string_view target = request.target();
  const std::string_view query = target.find('?') == std::string_view::npos ? "" : target.substr(target.find('?') + 1);
  const auto period = read_period(query, now_ms_());
  if (!period) return bad_period(request);
  auto entries = store_.audit_log(period->from_ms, period->to_ms);
  if (!entries) return unavailable(request, entries.error());
  json list = json::array();
  for (const AuditEntry& entry : *entries) {
    list.push_back({{"time", format_utc_time(entry.time_ms)},
                    {"user", entry.user},
                    {"action", entry.action},
                    {"detail", entry.detail}});
  }
  return answer(request, http::status::ok,
                json_text(json{{"from", period->first_day}, {"to", period->last_day}, {"entries", std::move(list)}}));
}

}  // namespace pavilion::hub
