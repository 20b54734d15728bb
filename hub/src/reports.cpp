#include "pavilion/hub/reports.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <regex>

namespace pavilion::hub {

using nlohmann::json;
using namespace std::chrono;

std::optional<int64_t> parse_utc_time(std::string_view text) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, pattern)) return std::nullopt;
  const year_month_day date{year{std::stoi(match[1].str())}, month{static_cast<unsigned>(std::stoi(match[2].str()))},
                            day{static_cast<unsigned>(std::stoi(match[3].str()))}};
  if (!date.ok()) return std::nullopt;
  int64_t seconds = 0;
  if (match[4].matched) {
    const int hours = std::stoi(match[4].str());
    const int minutes = std::stoi(match[5].str());
    const int secs = std::stoi(match[6].str());
    if (hours > 23 || minutes > 59 || secs > 59) return std::nullopt;
    seconds = hours * 3600 + minutes * 60 + secs;
  }
  return (duration_cast<milliseconds>(sys_days(date).time_since_epoch()) + std::chrono::seconds(seconds)).count();
}

std::string format_utc_time(int64_t unix_milliseconds) {
  const sys_seconds time = floor<seconds>(sys_time<milliseconds>(milliseconds(unix_milliseconds)));
  const sys_days day = floor<days>(time);
  const year_month_day date(day);
  const hh_mm_ss clock(time - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count());
}

std::string hourly_report_json(int64_t from_ms, int64_t to_ms, const std::vector<HourlyCount>& rows) {
  json hours = json::array();
  for (const HourlyCount& row : rows) {
    const std::string hour = format_utc_time(row.hour_ms);
    if (hours.empty() || hours.back()["hour"] != hour) hours.push_back({{"hour", hour}, {"events", 0}, {"exhibits", json::array()}});
    json& slot = hours.back();
    slot["events"] = slot["events"].get<uint64_t>() + row.events;
    json& exhibits = slot["exhibits"];
    if (exhibits.empty() || exhibits.back()["package_id"] != row.package_id || exhibits.back()["exhibit"] != row.exhibit) {
      exhibits.push_back({{"package_id", row.package_id}, {"exhibit", row.exhibit}, {"events", 0}, {"by_type", json::object()}});
    }
    json& exhibit = exhibits.back();
    exhibit["events"] = exhibit["events"].get<uint64_t>() + row.events;
    exhibit["by_type"][row.type] = row.events;
  }
  return json{{"from", format_utc_time(from_ms)}, {"to", format_utc_time(to_ms)}, {"hours", std::move(hours)}}.dump();
}

std::string completeness_report_json(const std::vector<DeviceCompleteness>& devices) {
  json out = json::array();
  for (const DeviceCompleteness& device : devices) {
    json gaps = json::array();
    for (const auto& [first, last] : device.gaps) gaps.push_back({first, last});
    out.push_back({{"device", device.device_id},
                   {"received", device.received},
                   {"expected", device.expected},
                   {"missing", device.expected > device.received ? device.expected - device.received : 0},
                   {"dropped_over_cap", device.dropped_over_cap},
                   {"dropped_ring_full", device.dropped_ring_full},
                   {"rejected", device.rejected},
                   {"unexplained", device.unexplained()},
                   {"gaps", std::move(gaps)},
                   {"last_seen", format_utc_time(device.last_seen_ms)}});
  }
  return json{{"devices", std::move(out)}}.dump();
}

}  // namespace pavilion::hub
