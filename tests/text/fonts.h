// The faces the text tests set type in, from Debian's font packages (scripts/setup installs them).
#pragma once

#include "pavilion/text/font.h"

#include <gtest/gtest.h>

#include <memory>

namespace pavilion::testing {

// Noto Serif CJK SC: a Song face, the book face of the poetry exhibit.
inline std::unique_ptr<text::Font> song_font() {
  auto font = text::Font::open("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2);
  EXPECT_TRUE(font.ok()) << font.error().describe();
  return font.ok() ? std::move(*font) : nullptr;
}

// LXGW WenKai: a Kai (calligraphic) face with pinyin.
inline std::unique_ptr<text::Font> kai_font() {
  auto font = text::Font::open("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf");
  EXPECT_TRUE(font.ok()) << font.error().describe();
  return font.ok() ? std::move(*font) : nullptr;
}

}  // namespace pavilion::testing
