// The hub's local time: the days, hours and weekdays of every dashboard view are those of
// HubConfig::time_zone. GCC 12's libstdc++ has no std::chrono::tzdb, so the C library answers:
// the zone is set for the whole process (TZ) once, when the settings are read, before any thread
// starts, and localtime_r/mktime read it from then on. The aggregates record local days and hours
// as events arrive, so a changed time_zone applies to events that arrive after the change.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pavilion::hub {

// Makes `name` (an IANA name such as "Asia/Shanghai", found under /usr/share/zoneinfo) the
// process's time zone; an empty name keeps the machine's. Call before threads start.
Result<void> apply_time_zone(const std::string& name);
// The zone's name as the dashboard shows it: the configured one, else the machine's.
std::string time_zone_name(const std::string& configured);

constexpr int64_t day_ms = 86'400'000;
constexpr int64_t hour_ms = 3'600'000;

// A local day: days since 1970-01-01 in the hub's zone.
int64_t local_day(int64_t utc_ms);
// The local hour of the day, 0–23.
int local_hour(int64_t utc_ms);
// The UTC milliseconds of `day`'s local midnight (the first instant of that day).
int64_t local_midnight_ms(int64_t day);
// 1 Monday … 7 Sunday.
int weekday_of(int64_t day);
// The first day of `day`'s month, and of the month after it.
int64_t month_start(int64_t day);
int64_t next_month_start(int64_t day);
// "2026-11-23", and back (nullopt for anything else).
std::string day_text(int64_t day);
std::optional<int64_t> parse_day(std::string_view text);

}  // namespace pavilion::hub
