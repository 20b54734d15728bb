#include "headset/ring_words.h"

#include "interface/text_table.h"

namespace pavilion::kiosk {
namespace {

enum class RingWords {
  turn_left,
  previous_exhibit,
  back_to_start,
  go_to_exhibit,
  label_shown,
  label_hidden,
  next_exhibit,
  turn_right,
  count,
};

constexpr TextTable<RingWords> ring_table{{
    {"向左转", "Turn left"},
    {"上一件展品", "Previous exhibit"},
    {"回到起点", "Back to the start"},
    {"走到所选展品前", "Go to the selected exhibit"},
    {"展品说明：显示中，按下隐藏", "Exhibit label: shown; press to hide it"},
    {"展品说明：已隐藏，按下显示并朗读", "Exhibit label: hidden; press to show it and hear it"},
    {"下一件展品", "Next exhibit"},
    {"向右转", "Turn right"},
}};

RingWords words_for(interaction::RingAction action, bool on) {
  switch (action) {
    case interaction::RingAction::turn_left: return RingWords::turn_left;
    case interaction::RingAction::previous_exhibit: return RingWords::previous_exhibit;
    case interaction::RingAction::back_to_start: return RingWords::back_to_start;
    case interaction::RingAction::go_to_exhibit: return RingWords::go_to_exhibit;
    case interaction::RingAction::toggle_text: return on ? RingWords::label_shown : RingWords::label_hidden;
    case interaction::RingAction::next_exhibit: return RingWords::next_exhibit;
    case interaction::RingAction::turn_right: return RingWords::turn_right;
  }
  return RingWords::turn_left;
}

}  // namespace

std::string_view ring_button_words(interaction::RingAction action, bool on, Language language) {
  return text_in(ring_table, words_for(action, on), language);
}

void append_ring_words(std::string& glyphs) { append_texts(glyphs, ring_table); }

}  // namespace pavilion::kiosk
