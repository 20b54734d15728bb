#include "pavilion/kiosk/config.h"

#include "pavilion/http/client.h"
#include "pavilion/telemetry/wire.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <regex>

namespace pavilion::kiosk {
namespace {

using checking::JsonChecker;
using nlohmann::json;
using namespace std::chrono;

constexpr std::array<std::string_view, 7> weekday_names{"sunday",   "monday", "tuesday", "wednesday",
                                                        "thursday", "friday", "saturday"};

std::optional<year_month_day> parse_date(std::string_view text) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2}))");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, pattern)) return std::nullopt;
  const year_month_day date{year{std::stoi(match[1].str())}, month{static_cast<unsigned>(std::stoi(match[2].str()))},
                            day{static_cast<unsigned>(std::stoi(match[3].str()))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

// "09:00-18:00": two minutes of the day (24:00 allowed as the end of the day), in any order.
std::optional<std::pair<uint32_t, uint32_t>> parse_minutes_range(std::string_view text) {
  static const std::regex pattern(R"((\d{2}):(\d{2})-(\d{2}):(\d{2}))");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, pattern)) return std::nullopt;
  const auto minute = [&](size_t hours, size_t minutes) {
    return static_cast<uint32_t>(std::stoi(match[hours].str()) * 60 + std::stoi(match[minutes].str()));
  };
  const uint32_t from = minute(1, 2);
  const uint32_t until = minute(3, 4);
  if (std::stoi(match[2].str()) > 59 || std::stoi(match[4].str()) > 59 || from > 24 * 60 || until > 24 * 60) {
    return std::nullopt;
  }
  return std::pair{from, until};
}

// "09:00-18:00" or "closed".
std::optional<OpeningHours::Day> parse_hours(std::string_view text) {
  if (text == "closed") return OpeningHours::Day{false, 0, 0};
  const auto range = parse_minutes_range(text);
  if (!range || range->first >= range->second) return std::nullopt;
  return OpeningHours::Day{true, range->first, range->second};
}

std::optional<year_month_day> date_field(JsonChecker& check, const json& object, const std::string& path,
                                         std::string_view key) {
  const auto text = check.string_field(object, path, key, false);
  if (!text) return std::nullopt;
  const auto date = parse_date(*text);
  if (!date) {
    check.error(JsonChecker::join(path, key), fmt::format("'{}' is not a date; write it as YYYY-MM-DD, e.g. 2027-02-10", *text),
                fmt::format("“{}”不是日期；请写成 YYYY-MM-DD，例如 2027-02-10", *text));
  }
  return date;
}

void parse_hub(JsonChecker& check, const json& hub, const std::filesystem::path& directory, KioskConfig& out) {
  const std::string path = "hub";
  if (!hub.is_object()) {
    check.error(path, "must be an object such as {\"url\": \"http://hub:8470\", \"device_id\": \"kiosk-1\", \"token_file\": \"token\"}",
                "必须是对象，例如 {\"url\": \"http://hub:8470\", \"device_id\": \"kiosk-1\", \"token_file\": \"token\"}");
    return;
  }
  check.check_fields(hub, path, {"url", "device_id", "token_file", "ca_file", "embedded"});
  HubLink link;
  if (const auto device = check.string_field(hub, path, "device_id", true)) {
    if (!telemetry::is_valid_device_id(*device)) {
      check.error(JsonChecker::join(path, "device_id"), "must be 1–64 letters, digits, '.', '_' or '-', e.g. \"branch-12-kiosk-1\"",
                  "必须是 1–64 个字母、数字、'.'、'_' 或 '-'，例如 \"branch-12-kiosk-1\"");
    }
    link.device_id = *device;
  }
  if (const auto embedded = hub.find("embedded"); embedded != hub.end()) {
    const std::string embedded_path = JsonChecker::join(path, "embedded");
    check.check_fields(*embedded, embedded_path, {"listen", "database"});
    HubLink::Embedded own;
    if (const auto listen = check.string_field(*embedded, embedded_path, "listen", false)) {
      static const std::regex pattern(R"(([0-9.]+):(\d{1,5}))");
      std::smatch match;
      if (!std::regex_match(*listen, match, pattern) || std::stoi(match[2].str()) > 65535) {
        check.error(JsonChecker::join(embedded_path, "listen"), "must be address:port, e.g. \"127.0.0.1:8470\"",
                    "必须是 地址:端口，例如 \"127.0.0.1:8470\"");
      } else {
        own.listen_address = match[1].str();
        own.port = static_cast<uint16_t>(std::stoi(match[2].str()));
      }
    }
    own.database = directory / check.string_field(*embedded, embedded_path, "database", true).value_or("");
    link.embedded = own;
  } else {
    link.url = check.string_field(hub, path, "url", true).value_or("");
    if (!link.url.empty() && !http::Endpoint::parse(link.url)) {
      check.error(JsonChecker::join(path, "url"), fmt::format("'{}' is not an address such as https://hub.library.example:8470", link.url),
                  fmt::format("“{}”不是服务器地址，例如 https://hub.library.example:8470", link.url));
    }
    if (const auto token = check.string_field(hub, path, "token_file", true)) link.token_file = directory / *token;
    if (const auto authority = check.string_field(hub, path, "ca_file", false)) link.ca_file = directory / *authority;
  }
  out.hub = std::move(link);
}

void parse_updates(JsonChecker& check, const json& updates, const std::filesystem::path& directory, KioskConfig& out) {
  const std::string path = "updates";
  if (!updates.is_object()) {
    check.error(path, "must be an object such as {\"channels\": [\"permanent\"], \"root\": \"root.json\", \"state\": \"updates\"}",
                "必须是对象，例如 {\"channels\": [\"permanent\"], \"root\": \"root.json\", \"state\": \"updates\"}");
    return;
  }
  check.check_fields(updates, path,
                     {"url", "ca_file", "channels", "branch", "root", "state", "disk_budget_mb", "bytes_per_second",
                      "download_window", "poll_seconds"});
  UpdateSettings settings;
  // The repository is usually the hub the events go to.
  if (out.hub) {
    settings.url = out.hub->url;
    settings.ca_file = out.hub->ca_file;
  }
  if (const auto url = check.string_field(updates, path, "url", false)) {
    settings.url = *url;
    if (!http::Endpoint::parse(*url)) {
      check.error(JsonChecker::join(path, "url"), fmt::format("'{}' is not an address such as https://hub.library.example:8470", *url),
                  fmt::format("“{}”不是服务器地址，例如 https://hub.library.example:8470", *url));
    }
  } else if (settings.url.empty()) {
    check.error(JsonChecker::join(path, "url"), "name the hub that publishes the packages, e.g. \"https://hub.library.example:8470\"",
                "请写发布场景包的服务器地址，例如 \"https://hub.library.example:8470\"");
  }
  if (const auto authority = check.string_field(updates, path, "ca_file", false)) settings.ca_file = directory / *authority;
  const std::string channels_path = JsonChecker::join(path, "channels");
  const auto channels = updates.find("channels");
  if (channels == updates.end() || !channels->is_array() || channels->empty() ||
      !std::all_of(channels->begin(), channels->end(), [](const json& item) { return item.is_string() && !item.get<std::string>().empty(); })) {
    check.error(channels_path, "must list the channels this kiosk follows, e.g. [\"permanent\"]",
                "必须列出本展台订阅的频道，例如 [\"permanent\"]");
  } else {
    for (const json& item : *channels) settings.channels.push_back(item.get<std::string>());
  }
  settings.branch = check.string_field(updates, path, "branch", false).value_or("");
  settings.root = directory / check.string_field(updates, path, "root", true).value_or("");
  settings.state = directory / check.string_field(updates, path, "state", true).value_or("");
  if (const auto budget = check.number_field(updates, path, "disk_budget_mb", 1, 16 * 1024 * 1024)) {
    settings.disk_budget_bytes = static_cast<uint64_t>(*budget) << 20;
  }
  if (const auto rate = check.number_field(updates, path, "bytes_per_second", 0, 1e12)) {
    settings.bytes_per_second = static_cast<uint64_t>(*rate);
  }
  if (const auto window = check.string_field(updates, path, "download_window", false)) {
    const auto range = parse_minutes_range(*window);
    if (!range || range->first == range->second) {
      check.error(JsonChecker::join(path, "download_window"),
                  fmt::format("'{}' is not a time range; write the library's local hours, e.g. \"01:00-05:00\" or \"22:00-06:00\"", *window),
                  fmt::format("“{}”不是时间段；请写本馆当地时间，例如 \"01:00-05:00\" 或 \"22:00-06:00\"", *window));
    } else {
      settings.download_window = UpdateSettings::Window{range->first, range->second};
    }
  }
  settings.poll_seconds = check.number_field(updates, path, "poll_seconds", 10, 86400).value_or(settings.poll_seconds);
  out.updates = std::move(settings);
}

void parse_opening_hours(JsonChecker& check, const json& hours, KioskConfig& out) {
  const std::string path = "opening_hours";
  if (!hours.is_object()) {
    check.error(path, "must be an object such as {\"daily\": \"09:00-18:00\", \"monday\": \"closed\"}",
                "必须是对象，例如 {\"daily\": \"09:00-18:00\", \"monday\": \"closed\"}");
    return;
  }
  check.check_fields(hours, path,
                     {"daily", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"});
  auto read_day = [&](std::string_view key) -> std::optional<OpeningHours::Day> {
    const auto text = check.string_field(hours, path, key, false);
    if (!text) return std::nullopt;
    const auto day = parse_hours(*text);
    if (!day) {
      check.error(JsonChecker::join(path, key),
                  fmt::format("'{}' is not a time range; write \"09:00-18:00\" (closing after opening) or \"closed\"", *text),
                  fmt::format("“{}”不是时间段；请写成 \"09:00-18:00\"（闭馆晚于开馆）或 \"closed\"", *text));
    }
    return day;
  };
  if (const auto daily = read_day("daily")) out.opening_hours.days.fill(*daily);
  for (size_t weekday = 0; weekday < weekday_names.size(); ++weekday) {
    if (const auto day = read_day(weekday_names[weekday])) out.opening_hours.days[weekday] = *day;
  }
}

void parse_playlist(JsonChecker& check, const json& playlist, KioskConfig& out) {
  if (!playlist.is_array()) {
    check.error("playlist", "must be a list of packages: [{\"package\": \"gallery.pvpkg\"}, …]",
                "必须是场景包列表：[{\"package\": \"gallery.pvpkg\"}, …]");
    return;
  }
  for (size_t index = 0; index < playlist.size(); ++index) {
    const std::string path = fmt::format("playlist[{}]", index);
    const json& entry = playlist[index];
    if (!entry.is_object()) {
      check.error(path, "each entry must be an object {\"package\": \"….pvpkg\"}", "每一项必须是对象 {\"package\": \"….pvpkg\"}");
      continue;
    }
    check.check_fields(entry, path, {"package", "from", "until"});
    PlaylistEntry out_entry;
    out_entry.package = check.string_field(entry, path, "package", true).value_or("");
    if (!out_entry.package.empty() && std::filesystem::path(out_entry.package).has_parent_path()) {
      check.error(JsonChecker::join(path, "package"), "name a file inside the content folder, without a folder",
                  "请写内容文件夹中的文件名，不要带文件夹");
    }
    out_entry.from = date_field(check, entry, path, "from");
    out_entry.until = date_field(check, entry, path, "until");
    if (out_entry.from && out_entry.until && *out_entry.until < *out_entry.from) {
      check.error(JsonChecker::join(path, "until"), "the campaign ends before it starts; swap 'from' and 'until'",
                  "活动的结束日期早于开始日期；请交换 from 与 until");
    }
    out.playlist.push_back(std::move(out_entry));
  }
}

std::vector<std::filesystem::path> path_list(JsonChecker& check, const json& root, std::string_view key,
                                             const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> paths;
  const auto found = root.find(key);
  if (found == root.end()) return paths;
  if (!found->is_array() || !std::all_of(found->begin(), found->end(), [](const json& item) { return item.is_string(); })) {
    check.error(std::string(key), "must be a list of file names in quotes", "必须是带引号的文件名列表");
    return paths;
  }
  for (const json& item : *found) paths.push_back(directory / item.get<std::string>());
  return paths;
}

}  // namespace

LocalTime to_local(sys_seconds utc, minutes utc_offset) {
  const auto local = utc + utc_offset;
  const sys_days day = floor<days>(local);
  LocalTime time;
  time.date = year_month_day{day};
  time.weekday = weekday{day};
  time.minute_of_day = static_cast<uint32_t>(duration_cast<minutes>(local - day).count());
  return time;
}

bool OpeningHours::is_open(const LocalTime& time) const {
  const Day& day = days[time.weekday.c_encoding()];
  return day.open && time.minute_of_day >= day.opens && time.minute_of_day < day.closes;
}

std::optional<std::pair<weekday, uint32_t>> OpeningHours::next_opening(const LocalTime& time) const {
  for (unsigned ahead = 0; ahead <= 7; ++ahead) {
    const weekday candidate = time.weekday + std::chrono::days{ahead};
    const Day& day = days[candidate.c_encoding()];
    if (!day.open) continue;
    if (ahead == 0 && time.minute_of_day >= day.opens) continue;
    return std::pair{candidate, day.opens};
  }
  return std::nullopt;
}

bool UpdateSettings::Window::contains(uint32_t minute_of_day) const {
  // "22:00-06:00" runs past midnight.
  return from < until ? minute_of_day >= from && minute_of_day < until : minute_of_day >= from || minute_of_day < until;
}

bool limits_flashes(FlashLimit setting, bool scene_has_show, bool package_flash_checked) {
  switch (setting) {
    case FlashLimit::off: return false;
    case FlashLimit::unchecked: return scene_has_show && !package_flash_checked;
    case FlashLimit::always: return true;
  }
  return true;
}

bool PlaylistEntry::active_on(year_month_day date) const {
  return (!from || date >= *from) && (!until || date <= *until);
}

KioskConfig default_kiosk_config() {
  KioskConfig config;
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  config.utc_offset = duration_cast<minutes>(seconds{local.tm_gmtoff});
  return config;
}

std::optional<KioskConfig> parse_kiosk_config(std::string_view text, const std::filesystem::path& file,
                                              std::vector<checking::Finding>& findings) {
  std::optional<json> parsed =
      checking::parse_json_object(text, file, findings, "kiosk.json must hold one object { … }", "kiosk.json 必须包含一个对象 { … }");
  if (!parsed) return std::nullopt;
  const json& root = *parsed;
  JsonChecker check(file, findings);
  check.check_fields(root, "",
                     {"content", "trusted_keys", "developer_mode", "library_name", "idle_timeout_seconds",
                      "still_there_seconds", "operator_pin", "pixels_per_mm", "utc_offset_minutes", "opening_hours",
                      "playlist", "telemetry_queue", "hub", "updates", "flash_limit"});
  const std::filesystem::path directory = file.parent_path();
  KioskConfig out = default_kiosk_config();
  out.file = file;
  out.content = directory / check.string_field(root, "", "content", true).value_or("");
  out.trusted_keys = path_list(check, root, "trusted_keys", directory);
  out.developer_mode = check.bool_field(root, "", "developer_mode").value_or(false);
  if (const auto queue = check.string_field(root, "", "telemetry_queue", false)) out.telemetry_queue = directory / *queue;
  if (const auto hub = root.find("hub"); hub != root.end()) parse_hub(check, *hub, directory, out);
  if (const auto updates = root.find("updates"); updates != root.end()) parse_updates(check, *updates, directory, out);
  if (out.hub && out.telemetry_queue.empty()) {
    check.error("hub", "needs \"telemetry_queue\": the events to send are kept there until the hub has them",
                "需要同时设置 \"telemetry_queue\"：待上传的事件先保存在那里，直到服务器确认收到");
  }
  if (root.contains("library_name")) out.library_name = check.text_field(root, "", "library_name", true);
  out.idle_timeout_seconds = check.number_field(root, "", "idle_timeout_seconds", 10, 3600).value_or(out.idle_timeout_seconds);
  out.still_there_seconds = check.number_field(root, "", "still_there_seconds", 5, 120).value_or(out.still_there_seconds);
  if (const auto pin = check.string_field(root, "", "operator_pin", true)) {
    static const std::regex digits("[0-9]{4,8}");
    if (!std::regex_match(*pin, digits)) {
      check.error("operator_pin", "must be 4 to 8 digits in quotes, e.g. \"2468\"", "必须是加引号的 4 到 8 位数字，例如 \"2468\"");
    } else {
      out.operator_pin = *pin;
    }
  }
  out.pixels_per_mm = check.number_field(root, "", "pixels_per_mm", 0.5, 100).value_or(out.pixels_per_mm);
  if (const auto offset = check.number_field(root, "", "utc_offset_minutes", -14 * 60, 14 * 60)) {
    out.utc_offset = minutes{static_cast<int64_t>(*offset)};
  }
  if (const auto hours = root.find("opening_hours"); hours != root.end()) parse_opening_hours(check, *hours, out);
  if (const auto limit = check.string_field(root, "", "flash_limit", false)) {
    if (*limit == "off") {
      out.flash_limit = FlashLimit::off;
    } else if (*limit == "unchecked") {
      out.flash_limit = FlashLimit::unchecked;
    } else if (*limit == "always") {
      out.flash_limit = FlashLimit::always;
    } else {
      check.error("flash_limit",
                  fmt::format("'{}' is not a choice; write \"unchecked\" (limit flashes in shows no flash check "
                              "passed: the default), \"always\" or \"off\"", *limit),
                  fmt::format("“{}”不是可选值；请写 \"unchecked\"（未通过闪烁检查的演出限制闪烁，默认）、\"always\" 或 \"off\"", *limit));
    }
  }
  if (const auto playlist = root.find("playlist"); playlist != root.end()) parse_playlist(check, *playlist, out);
  if (!out.developer_mode && out.trusted_keys.empty()) {
    check.error("trusted_keys", "name at least one curator's public key (…pub), or the kiosk can show nothing",
                "请至少列出一个策展人公钥（….pub），否则展台无内容可显示");
  }
  if (check.has_errors()) return std::nullopt;
  return out;
}

Result<KioskConfig> read_kiosk_config(const std::filesystem::path& file) {
  return checking::read_json_file(file, parse_kiosk_config);
}

}  // namespace pavilion::kiosk
