// Words the book shows on its panels, in the visitor's language (zh-CN and English). The ones the
// touch kiosk's panel (book_player.cpp) and the headset's (book_hands.cpp) both show live here, so
// the two never say the same button differently.
#pragma once

#include "pavilion/kiosk/visitor_session.h"

namespace pavilion::kiosk {

struct BookWords {
  const char* zh_cn;
  const char* en;
  const char* in(Language language) const { return language == Language::zh_cn ? zh_cn : en; }
};

// A hand scroll's buttons (book_scroll.h): a section back, a section on.
inline constexpr BookWords roll_back{"往回卷", "Roll back"};
inline constexpr BookWords unroll_on{"向前展开", "Unroll"};
// The table of contents (book_contents.h): the kiosk panel's heading, the headset's button.
inline constexpr BookWords contents_words{"目录", "Contents"};

}  // namespace pavilion::kiosk
