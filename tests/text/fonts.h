// The faces the text tests set type in, from Debian's font packages (scripts/setup installs them).
#pragma once

#include "pavilion/text/faces.h"
#include "pavilion/text/font.h"

#include <gtest/gtest.h>

#include <memory>

namespace pavilion::testing {

// Noto Serif CJK SC: a Song face, the book face of the poetry exhibit.
inline std::unique_ptr<text::Font> song_font() {
  auto font = text::Font::open(text::song_face().file, text::song_face().index);
  EXPECT_TRUE(font.ok()) << font.error().describe();
  return font.ok() ? std::move(*font) : nullptr;
}

// LXGW WenKai: a Kai (calligraphic) face with pinyin.
inline std::unique_ptr<text::Font> kai_font() {
  auto font = text::Font::open(text::kai_face().file, text::kai_face().index);
  EXPECT_TRUE(font.ok()) << font.error().describe();
  return font.ok() ? std::move(*font) : nullptr;
}

}  // namespace pavilion::testing
