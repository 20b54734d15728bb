// When simulated visitors come: the Chinese school and public calendar as a library feels it,
// and a branch's opening hours. Days are local days (China Standard Time, UTC+8, no daylight
// saving), the libraries the demonstration stands for.
#pragma once

#include "pavilion/core/error.h"

#include <array>
#include <chrono>

namespace pavilion::hub::simulation {

inline constexpr int64_t utc_offset_ms = 8 * 3'600'000;

struct DayPlan {
  bool open = true;             // libraries close on Spring Festival's eve and first day
  bool weekend = false;
  bool school_holiday = false;  // winter (around Spring Festival) and summer
  bool public_holiday = false;  // the Spring Festival week, Labour Day and National Day weeks
  bool campaign = false;        // the Spring Festival campaign: the poetry garden promoted
  double visitors = 1.0;        // against an ordinary weekday in term time
};

// Fails for a day outside 2020–2035, the years whose Spring Festival dates it knows.
Result<DayPlan> plan_day(std::chrono::sys_days day);

// A branch's opening hours: [open, close) local hours, weekdays and weekends.
struct Opening {
  int open_hour = 9;
  int weekday_close_hour = 21;
  int weekend_close_hour = 18;
  bool reading_room_24h = false;  // its kiosk stays on through the night, for the night readers
};

// How a day's visitors spread over its 24 local hours (weights, not normalised): after work and
// school on weekdays, the middle of the day on weekends and holidays, none when closed, and a
// small tail around midnight where a reading room stays open.
std::array<double, 24> hour_weights(const DayPlan& day, const Opening& opening);

}  // namespace pavilion::hub::simulation
