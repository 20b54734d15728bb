// HarfBuzz shaping of one run of text in one font and one direction.
#pragma once

#include "pavilion/text/font.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace pavilion::text {

enum class Direction {
  horizontal,  // left to right
  vertical,    // top to bottom, glyphs upright; the font's vertical forms (`vert`) replace punctuation
};

// One glyph in em units, in layout space (x right, y down). The pen moves by `advance` along the
// direction (x for horizontal, y for vertical); the glyph's own origin, where its outline's (0, 0)
// lies, is the pen plus the offset. For vertical runs the pen sits on the column's centre line at
// the top of the character's cell, so the offset carries the font's vertical origin.
struct ShapedGlyph {
  uint32_t glyph = 0;
  uint32_t cluster = 0;  // index of the first code point of `text` this glyph draws
  float advance = 0;
  float x_offset = 0;
  float y_offset = 0;
};

// Shapes text[first, first + count) with the rest of `text` as context; `language` is a BCP 47
// tag ("zh-Hans") that picks the font's regional forms.
std::vector<ShapedGlyph> shape(const Font& font, std::u32string_view text, size_t first, size_t count,
                               Direction direction, std::string_view language);

}  // namespace pavilion::text
