#include "visit/time_and_reach_text.h"

#include "interface/text_table.h"


namespace pavilion::kiosk {
namespace {

constexpr TextTable<TimeAndReachText> time_and_reach_table{{
    {"更多时间：标准", "More time: standard"},
    {"更多时间：十倍", "More time: ten times"},
    {"更多时间：不限时", "More time: no limit"},
    {"低位布局（坐着也能够到）", "Lower layout (seated reach)"},
    {"上一页设置", "Previous settings"},
    {"更多设置", "More settings"},
}};

}  // namespace

std::string_view text(TimeAndReachText id, Language language) { return text_in(time_and_reach_table, id, language); }

std::string_view more_time_text(TimeChoice time, Language language) {
  switch (time) {
    case TimeChoice::standard: return text(TimeAndReachText::more_time_standard, language);
    case TimeChoice::ten_times: return text(TimeAndReachText::more_time_ten_times, language);
    case TimeChoice::off: return text(TimeAndReachText::more_time_off, language);
  }
  return text(TimeAndReachText::more_time_standard, language);
}

std::string all_time_and_reach_text() {
  std::string all;
  append_texts(all, time_and_reach_table);
  return all;
}

}  // namespace pavilion::kiosk
