// The words of the accessibility panel's time and reach settings, in Chinese and English. Kept
// apart from interface/strings.cpp so that settings added beside them never shift its table.
#pragma once

#include "pavilion/kiosk/visitor_session.h"

#include <string>
#include <string_view>

namespace pavilion::kiosk {

enum class TimeAndReachText {
  more_time_standard,
  more_time_ten_times,
  more_time_off,
  lower_layout,
  previous_settings,  // the accessibility panel's page arrows, in the lower layout with large text
  more_settings,
  count,
};

std::string_view text(TimeAndReachText id, Language language);
// The "more time" control's words for `time`.
std::string_view more_time_text(TimeChoice time, Language language);

// Every string above in both languages, for building the font atlas.
std::string all_time_and_reach_text();

}  // namespace pavilion::kiosk
