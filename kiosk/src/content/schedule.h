// The calendar's say in what the kiosk shows: the packages in season today, and whether the
// library is open (outside opening hours the screen goes dark, and the monitor sleeps).
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace pavilion::kiosk {

struct Schedule {
  std::vector<size_t> active;  // entries of the playlist shown today
  std::chrono::year_month_day active_date{};
  double closed_notice_until = -1;  // a touch while closed shows when it opens
  bool display_asleep = false;
  bool display_power_warned = false;
};

}  // namespace pavilion::kiosk
