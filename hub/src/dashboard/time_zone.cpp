#include "time_zone.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace pavilion::hub {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t floor_div(int64_t value, int64_t divisor) { return value / divisor - ((value % divisor) < 0 ? 1 : 0); }

// The local wall clock of an instant, as milliseconds since 1970-01-01 00:00 local.
int64_t local_ms(int64_t utc_ms) {
  const time_t seconds = static_cast<time_t>(floor_div(utc_ms, 1000));
  tm local{};
  localtime_r(&seconds, &local);
  return utc_ms + static_cast<int64_t>(local.tm_gmtoff) * 1000;
}

}  // namespace

Result<void> apply_time_zone(const std::string& name) {
  if (name.empty()) return {};
  const std::filesystem::path file = std::filesystem::path("/usr/share/zoneinfo") / name;
  std::error_code error;
  if (name.find("..") != std::string::npos || name.starts_with('/') || !std::filesystem::is_regular_file(file, error)) {
    return Error(ErrorCode::invalid_input, "setting the hub's time zone",
                 fmt::format("\"{}\" is not a time zone of this machine; give an IANA name such as Asia/Shanghai "
                             "(the tzdata package holds them)",
                             name));
  }
  setenv("TZ", name.c_str(), 1);
  tzset();
  return {};
}

std::string time_zone_name(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* zone = std::getenv("TZ"); zone != nullptr && *zone != '\0') return zone;
  std::error_code error;
  const std::string target = std::filesystem::read_symlink("/etc/localtime", error).string();
  const size_t at = target.find("zoneinfo/");
  return error || at == std::string::npos ? std::string("UTC") : target.substr(at + 9);
}

int64_t local_day(int64_t utc_ms) { return floor_div(local_ms(utc_ms), day_ms); }

int local_hour(int64_t utc_ms) { return static_cast<int>(floor_div(local_ms(utc_ms), hour_ms) - local_day(utc_ms) * 24); }

int64_t local_midnight_ms(int64_t day) {
  const Civil date = civil_from_days(day);
  tm local{};
  local.tm_year = static_cast<int>(date.year - 1900);
  local.tm_mon = static_cast<int>(date.month - 1);
  local.tm_mday = static_cast<int>(date.day);
  local.tm_isdst = -1;
  return static_cast<int64_t>(mktime(&local)) * 1000;
}

int weekday_of(int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; }

int64_t month_start(int64_t day) {
  const Civil date = civil_from_days(day);
  return days_from_civil(date.year, date.month, 1);
}

int64_t next_month_start(int64_t day) {
  const Civil date = civil_from_days(day);
  return date.month == 12 ? days_from_civil(date.year + 1, 1, 1) : days_from_civil(date.year, date.month + 1, 1);
}

std::string day_text(int64_t day) {
  const Civil date = civil_from_days(day);
  return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day);
}

std::optional<int64_t> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t at, size_t length) -> std::optional<unsigned> {
    unsigned value = 0;
    const auto parsed = std::from_chars(text.data() + at, text.data() + at + length, value);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + at + length) return std::nullopt;
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 || *day > 31) return std::nullopt;
  const int64_t days = days_from_civil(*year, *month, *day);
  if (civil_from_days(days).day != *day) return std::nullopt;  // 2026-02-30
  return days;
}

}  // namespace pavilion::hub
