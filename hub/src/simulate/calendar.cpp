#include "calendar.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::hub::simulation {

using namespace std::chrono;

namespace {

// The first day of the lunar new year, 2020–2035 (the Purple Mountain Observatory's calendar).
constexpr std::array<year_month_day, 16> spring_festivals{
    2020y / January / 25, 2021y / February / 12, 2022y / February / 1,  2023y / January / 22,
    2024y / February / 10, 2025y / January / 29, 2026y / February / 17, 2027y / February / 6,
    2028y / January / 26, 2029y / February / 13, 2030y / February / 3,  2031y / January / 23,
    2032y / February / 11, 2033y / January / 31, 2034y / February / 19, 2035y / February / 8};

bool within(sys_days day, sys_days first, sys_days last) { return day >= first && day <= last; }

}  // namespace

Result<DayPlan> plan_day(sys_days day) {
  const year_month_day date(day);
  const int the_year = static_cast<int>(date.year());
  if (the_year < 2020 || the_year > 2035) {
    return Error(ErrorCode::invalid_input, "planning simulated visits",
                 fmt::format("{} is outside 2020–2035, the years whose Spring Festival dates the simulation knows; "
                             "choose an --end day in them",
                             the_year));
  }
  const sys_days festival = sys_days(spring_festivals[static_cast<size_t>(the_year - 2020)]);
  // A January day may belong to the next festival's school holiday, a late one to the last.
  const sys_days next_festival =
      the_year < 2035 ? sys_days(spring_festivals[static_cast<size_t>(the_year - 2019)]) : festival;
  DayPlan plan;
  const unsigned weekday = std::chrono::weekday(day).iso_encoding();  // 1 Monday … 7 Sunday
  plan.weekend = weekday >= 6;
  // Ordinary weeks: Mondays quiet, Friday evenings and weekends busy.
  constexpr std::array<double, 8> by_weekday{0, 0.75, 0.8, 0.85, 0.85, 0.95, 1.7, 1.55};
  plan.visitors = by_weekday[weekday];

  // Winter holiday: about two and a half weeks before the festival to two and a half after.
  const bool winter = within(day, festival - days(18), festival + days(17)) ||
                      within(day, next_festival - days(18), next_festival + days(17));
  const bool summer = within(day, sys_days(date.year() / July / 10), sys_days(date.year() / August / 31));
  plan.school_holiday = winter || summer;
  if (plan.school_holiday && !plan.weekend) plan.visitors *= 1.45;

  const bool labour_day = within(day, sys_days(date.year() / May / 1), sys_days(date.year() / May / 5));
  const bool national_day = within(day, sys_days(date.year() / October / 1), sys_days(date.year() / October / 7));
  if (labour_day || national_day) {
    plan.public_holiday = true;
    plan.visitors = 1.6 * by_weekday[6];
  }

  for (const sys_days around : {festival, next_festival}) {
    const auto offset = (day - around).count();
    if (offset == -1 || offset == 0) {
      plan.open = false;  // the eve and the first day: families at home
      plan.public_holiday = true;
    } else if (offset >= 1 && offset <= 6) {
      plan.public_holiday = true;
      plan.visitors = (offset <= 2 ? 1.6 : 2.4) * by_weekday[6];  // the temple-fair days
    } else if (offset == 14) {
      plan.visitors *= 1.8;  // the Lantern Festival
    }
    if (offset >= -14 && offset <= 15) plan.campaign = true;
  }
  if (!plan.open) plan.visitors = 0;
  return plan;
}

std::array<double, 24> hour_weights(const DayPlan& day, const Opening& opening) {
  // Term-time weekdays: a quiet morning, after school at 16, after work at 19.
  constexpr std::array<double, 24> weekday{0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0.5, 0.8, 0.8,
                                           0.6, 0.7, 0.9, 1.0, 1.3, 1.2, 1.4, 1.7, 1.4, 0.8, 0.4, 0};
  // Weekends and holidays: families through the middle of the day.
  constexpr std::array<double, 24> leisure{0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0.9, 1.4, 1.5,
                                           1.1, 1.4, 1.7, 1.7, 1.5, 1.2, 1.0, 1.1, 0.9, 0.6, 0.3, 0};
  // The night readers of a 24-hour reading room, against the same scale.
  constexpr std::array<double, 24> night{0.12, 0.06, 0.02, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                         0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0.2, 0.16};
  const bool leisurely = day.weekend || day.public_holiday || day.school_holiday;
  const std::array<double, 24>& profile = leisurely ? leisure : weekday;
  const int close = day.weekend || day.public_holiday ? opening.weekend_close_hour : opening.weekday_close_hour;
  std::array<double, 24> weights{};
  if (!day.open) return weights;
  for (int hour = 0; hour < 24; ++hour) {
    const auto slot = static_cast<size_t>(hour);
    if (hour >= opening.open_hour && hour < close) weights[slot] = std::max(profile[slot], 0.2);
    else if (opening.reading_room_24h) weights[slot] = night[slot];
  }
  return weights;
}

}  // namespace pavilion::hub::simulation
