#include "pavilion/hub/config.h"

#include "pavilion/checking/json_checker.h"
#include "pavilion/core/number.h"
#include "dashboard/time_zone.h"
#include "pavilion/telemetry/wire.h"

#include <algorithm>
#include <cstdlib>

namespace pavilion::hub {
namespace {

using checking::Finding;
using checking::JsonChecker;
using nlohmann::json;

// "host:port" into the config, or a sentence saying what is wrong.
std::optional<std::string> apply_listen(std::string_view text, HubConfig& out) {
  const size_t colon = text.rfind(':');
  const auto port = colon == std::string_view::npos ? std::nullopt : parse_whole_number(text.substr(colon + 1));
  if (colon == 0 || !port || *port > 65535) {
    return fmt::format("'{}' is not host:port, e.g. 127.0.0.1:8470 or 0.0.0.0:8470", text);
  }
  out.listen_address = std::string(text.substr(0, colon));
  out.port = static_cast<uint16_t>(*port);
  return std::nullopt;
}

// The dashboard's fields (hub/DASHBOARD.md, "Settings").
void parse_dashboard_settings(const json& document, JsonChecker& check, HubConfig& out) {
  if (const auto zone = check.string_field(document, "", "time_zone", false)) {
    if (apply_time_zone(*zone)) {
      out.time_zone = *zone;
    } else {
      check.error("time_zone", fmt::format("\"{}\" is not a time zone of this machine; give an IANA name such as Asia/Shanghai", *zone),
                  fmt::format("“{}”不是本机已知的时区；请给出 IANA 名称，例如 Asia/Shanghai", *zone));
    }
  }
  if (document.contains("branches")) {
    const json& branches = document["branches"];
    if (!branches.is_object()) {
      check.error("branches", "must be an object of branch ids and their names: {\"branch-12\": {\"zh-CN\": …, \"en\": …}}",
                  "必须是分馆编号及其名称组成的对象：{\"branch-12\": {\"zh-CN\": …, \"en\": …}}");
    } else {
      for (const auto& [id, name] : branches.items()) {
        if (!telemetry::is_valid_device_id(id)) {
          check.error(JsonChecker::join("branches", id), "a branch id is 1–64 letters, digits, '.', '_' or '-'",
                      "分馆编号须为 1–64 个字母、数字、“.”、“_”或“-”");
          continue;
        }
        out.branches[id] = check.text_field(branches, "branches", id, true);
      }
    }
  }
  if (document.contains("holidays")) {
    const json& holidays = document["holidays"];
    if (!holidays.is_array()) {
      check.error("holidays", "must be a list: [{\"date\": \"2027-02-06\", \"name\": {\"zh-CN\": …, \"en\": …}}]",
                  "必须是列表：[{\"date\": \"2027-02-06\", \"name\": {\"zh-CN\": …, \"en\": …}}]");
    } else {
      for (size_t index = 0; index < holidays.size(); ++index) {
        const std::string path = fmt::format("holidays[{}]", index);
        if (!holidays[index].is_object()) {
          check.error(path, "must be {\"date\": \"2027-02-06\", \"name\": {…}}", "必须是 {\"date\": \"2027-02-06\", \"name\": {…}}");
          continue;
        }
        check.check_fields(holidays[index], path, {"date", "name"});
        const auto date = check.string_field(holidays[index], path, "date", true);
        const auto day = date ? parse_day(*date) : std::nullopt;
        if (date && !day) {
          check.error(JsonChecker::join(path, "date"), fmt::format("\"{}\" is not a day such as 2027-02-06", *date),
                      fmt::format("“{}”不是日期，例如 2027-02-06", *date));
        }
        LocalizedText name = check.text_field(holidays[index], path, "name", true);
        if (day) out.holidays.push_back({*day, std::move(name)});
      }
      std::ranges::sort(out.holidays, {}, &Holiday::day);
    }
  }
  auto seconds = [&](std::string_view key, uint32_t& into) {
    if (const auto number = check.number_field(document, "", key, 1, 86'400)) into = static_cast<uint32_t>(*number);
  };
  seconds("exhibit_seconds", out.exhibit_seconds);
  seconds("book_page_seconds", out.book_page_seconds);
}

// A branch hub's "upstream" (hub/README.md, "Branch hubs"); paths are relative to hub.json.
void parse_upstream(const json& document, const std::filesystem::path& file, JsonChecker& check, HubConfig& out) {
  if (!document.contains("upstream")) return;
  const json& upstream = document["upstream"];
  if (!upstream.is_object()) {
    check.error("upstream", "must be an object: {\"url\": \"https://hub.centre.example:8470\", \"token_file\": …, \"root\": …}",
                "必须是对象：{\"url\": \"https://hub.centre.example:8470\", \"token_file\": …, \"root\": …}");
    return;
  }
  check.check_fields(upstream, "upstream",
                     {"url", "token_file", "ca_file", "root", "channels", "poll_seconds", "forward_events"});
  UpstreamConfig& into = out.upstream;
  if (const auto url = check.string_field(upstream, "upstream", "url", true)) {
    if (!url->starts_with("http://") && !url->starts_with("https://")) {
      check.error("upstream.url", fmt::format("\"{}\" is not an http:// or https:// address", *url),
                  fmt::format("“{}”不是 http:// 或 https:// 地址", *url));
    }
    into.url = *url;
  }
  for (const auto& [key, path] : {std::pair{"token_file", &into.token_file}, std::pair{"ca_file", &into.ca_file},
                                  std::pair{"root", &into.root}}) {
    if (const auto given = check.string_field(upstream, "upstream", key, false)) *path = file.parent_path() / *given;
  }
  if (const auto forward = check.bool_field(upstream, "upstream", "forward_events")) into.forward_events = *forward;
  if (into.token_file.empty() && into.forward_events) {
    check.error("upstream.token_file", "forwarding events needs the relay token's file (pavilion-hub enrol ID --relay at the centre)",
                "转发事件需要中心馆签发的转发令牌文件（在中心馆运行 pavilion-hub enrol ID --relay）");
  }
  if (upstream.contains("channels")) {
    const json& channels = upstream["channels"];
    if (!channels.is_array() || !std::ranges::all_of(channels, [](const json& name) { return name.is_string(); })) {
      check.error("upstream.channels", "must be a list of channel names; empty mirrors every channel",
                  "必须是频道名称的列表；为空则镜像所有频道");
    } else {
      for (const json& name : channels) into.channels.push_back(name.get<std::string>());
    }
  }
  if (const auto seconds = check.number_field(upstream, "upstream", "poll_seconds", 1, 86'400)) {
    into.poll = std::chrono::seconds(static_cast<int64_t>(*seconds));  // whole seconds in hub.json
  }
}

std::optional<HubConfig> parse_hub_config(std::string_view text, const std::filesystem::path& file,
                                          std::vector<Finding>& findings) {
  const auto document =
      checking::parse_json_object(text, file, findings, "hub.json must hold one object { … }", "hub.json 必须是一个对象 { … }");
  if (!document) return std::nullopt;
  JsonChecker check(file, findings);
  check.check_fields(*document, "",
                     {"listen", "database", "admin_token", "max_request_bytes", "max_batch_bytes",
                      "max_events_per_batch", "retention_days", "threads", "idle_timeout_seconds", "tls_certificate",
                      "tls_private_key", "web_root", "time_zone", "branches", "holidays", "exhibit_seconds",
                      "book_page_seconds", "upstream", "repository_folder", "targets_key", "snapshot_key",
                      "timestamp_key"});
  HubConfig out;
  if (const auto listen = check.string_field(*document, "", "listen", false)) {
    if (auto problem = apply_listen(*listen, out)) {
      check.error("listen", *problem, fmt::format("“{}”不是 主机:端口，例如 127.0.0.1:8470", *listen));
    }
  }
  if (const auto database = check.string_field(*document, "", "database", false)) {
    // A relative SQLite path is relative to the file that names it, as people expect.
    const bool postgres = database->starts_with("postgres://") || database->starts_with("postgresql://");
    out.database = postgres || database->starts_with('/') ? *database : (file.parent_path() / *database).string();
  }
  if (const auto token = check.string_field(*document, "", "admin_token", false)) {
    out.admin_token = *token;
    if (token->size() < 16) {
      check.error("admin_token", "must be at least 16 characters; make one with `openssl rand -hex 24`",
                  "至少需要 16 个字符；可用 `openssl rand -hex 24` 生成");
    }
  }
  for (const auto& [key, into] : {std::pair{"tls_certificate", &out.tls_certificate},
                                  std::pair{"tls_private_key", &out.tls_private_key}, std::pair{"web_root", &out.web_root},
                                  std::pair{"repository_folder", &out.repository_folder},
                                  std::pair{"targets_key", &out.targets_key}, std::pair{"snapshot_key", &out.snapshot_key},
                                  std::pair{"timestamp_key", &out.timestamp_key}}) {
    if (const auto path = check.string_field(*document, "", key, false)) *into = file.parent_path() / *path;
  }
  if (out.tls_certificate.empty() != out.tls_private_key.empty()) {
    check.error(out.tls_certificate.empty() ? "tls_certificate" : "tls_private_key",
                "HTTPS needs both tls_certificate and tls_private_key", "HTTPS 需要同时设置 tls_certificate 和 tls_private_key");
  }
  auto count = [&](std::string_view key, double low, double high, auto& into) {
    if (const auto number = check.number_field(*document, "", key, low, high)) {
      into = static_cast<std::remove_reference_t<decltype(into)>>(*number);
    }
  };
  count("max_request_bytes", 1024, 1 << 30, out.max_request_bytes);
  count("max_batch_bytes", 1024, 1 << 30, out.max_batch_bytes);
  count("max_events_per_batch", 1, 1'000'000, out.max_events_per_batch);
  count("retention_days", 0, 100'000, out.retention_days);
  count("threads", 1, 256, out.threads);
  uint32_t idle_seconds = static_cast<uint32_t>(out.idle_timeout.count());
  count("idle_timeout_seconds", 1, 3600, idle_seconds);
  out.idle_timeout = std::chrono::seconds(idle_seconds);
  parse_dashboard_settings(*document, check, out);
  parse_upstream(*document, file, check, out);
  if (check.has_errors()) return std::nullopt;
  return out;
}

}  // namespace

std::filesystem::path default_web_root() {
  // An installed hub (bin/pavilion-hub) has its dashboard in ../share/pavilion/web; a hub run
  // from a build folder (tests, scripts/demo) has none there and uses the build's copy.
  std::error_code failure;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", failure);
  if (!failure) {
    const std::filesystem::path installed = (self.parent_path() / "../share/pavilion/web").lexically_normal();
    if (std::filesystem::is_regular_file(installed / "index.html", failure)) return installed;
  }
  return PAVILION_HUB_DEFAULT_WEB_ROOT;
}

std::optional<std::string> process_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<HubConfig> load_hub_config(const std::optional<std::filesystem::path>& file, const Environment& environment) {
  HubConfig out;
  if (file) {
    PV_TRY_ASSIGN(out, checking::read_json_file(*file, parse_hub_config));
  }
  const char* step = "reading the hub's environment variables";
  if (const auto listen = environment("PAVILION_HUB_LISTEN")) {
    if (auto problem = apply_listen(*listen, out)) return Error(ErrorCode::invalid_input, step, "PAVILION_HUB_LISTEN: " + *problem);
  }
  if (const auto database = environment("PAVILION_HUB_DATABASE")) out.database = *database;
  if (const auto token = environment("PAVILION_HUB_ADMIN_TOKEN")) out.admin_token = *token;
  if (const auto certificate = environment("PAVILION_HUB_TLS_CERTIFICATE")) out.tls_certificate = *certificate;
  if (const auto key = environment("PAVILION_HUB_TLS_PRIVATE_KEY")) out.tls_private_key = *key;
  if (const auto web_root = environment("PAVILION_HUB_WEB_ROOT")) out.web_root = *web_root;
  if (const auto repository = environment("PAVILION_HUB_REPOSITORY")) out.repository_folder = *repository;
  if (out.repository_folder.empty()) {
    const bool postgres = out.database.starts_with("postgres://") || out.database.starts_with("postgresql://");
    out.repository_folder =
        (postgres ? std::filesystem::path() : std::filesystem::path(out.database).parent_path()) / "pavilion-hub-repository";
  }
  if (const auto days = environment("PAVILION_HUB_RETENTION_DAYS")) {
    const auto parsed = parse_whole_number(*days);
    if (!parsed || *parsed > 100'000) {
      return Error(ErrorCode::invalid_input, step, fmt::format("PAVILION_HUB_RETENTION_DAYS: '{}' is not a number of days", *days));
    }
    out.retention_days = static_cast<uint32_t>(*parsed);
  }
  if (const auto threads = environment("PAVILION_HUB_THREADS")) {
    const auto parsed = parse_whole_number(*threads);
    if (!parsed || *parsed == 0 || *parsed > 256) {
      return Error(ErrorCode::invalid_input, step, fmt::format("PAVILION_HUB_THREADS: '{}' is not 1–256", *threads));
    }
    out.threads = static_cast<unsigned>(*parsed);
  }
  return out;
}

}  // namespace pavilion::hub
