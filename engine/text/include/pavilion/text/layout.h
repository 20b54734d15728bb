// Paragraphs set horizontally or in vertical columns, the way a book would set them.
//
// Vertical text runs top to bottom in columns that follow one another right to left; CJK
// characters stand upright (punctuation in its vertical form), Latin runs lie rotated 90°
// clockwise. Lines and columns break where Chinese typesetting allows: between characters, at
// spaces between Latin words, never with closing punctuation at a column's start or opening
// punctuation at its end (the character before is pushed to the next column instead). Each '\n'
// ends a line or column; an empty line leaves one empty. Ruby (pinyin) sits above horizontal text
// and right of vertical text, centred on its base; a ruby longer than its base spreads the base.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/text/font.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::text {

enum class Orientation { horizontal, vertical };

// Along a line (horizontal) or down a column (vertical). Justify spreads every line but a
// paragraph's last to the full extent.
enum class Alignment { start, center, end, justify };

// An annotation over code points [first, first + count) of the text, all in one paragraph.
struct Ruby {
  size_t first = 0;
  size_t count = 1;
  std::string text;  // UTF-8
};

struct LayoutStyle {
  Orientation orientation = Orientation::vertical;
  float size = 1;              // the text's em size, in layout units
  float extent = 0;            // the most a line or column may hold, in layout units; 0: no limit
  float line_spacing = 1.6f;   // from one line's (column's) centre to the next, in ems; widened to fit ruby
  Alignment alignment = Alignment::start;
  float ruby_size = 0.4f;      // the ruby's em size as a fraction of the text's
  std::string language = "zh-Hans";  // BCP 47: picks the font's regional forms
};

// Where one glyph's outline goes. Layout space has x right and y down, from the layout's
// top-left corner. A point (gx, gy) of the outline in ems (y up) lands at
//   upright: (x + gx * size, y - gy * size)
//   rotated: (x + gy * size, y + gx * size)   (turned 90° clockwise: its top faces right)
struct PlacedGlyph {
  uint32_t glyph = 0;
  uint32_t font = 0;        // 0: the text's font, 1: the ruby's
  bool rotated = false;
  uint32_t character = 0;   // code point index in the text it draws (a ruby's: its base's first)
  uint32_t line = 0;        // line or column, from 0
  float x = 0;
  float y = 0;
  float size = 0;
};

// The box of one character (or ligature) of the text in layout space: what a highlight lights up.
struct CharacterCell {
  uint32_t character = 0;  // first code point index
  uint32_t count = 1;      // code points it covers
  uint32_t line = 0;
  float left = 0;
  float top = 0;
  float right = 0;
  float bottom = 0;
};

struct TextLayout {
  std::vector<PlacedGlyph> glyphs;
  std::vector<CharacterCell> cells;  // in text order; spaces have none
  uint32_t lines = 0;
  float width = 0;
  float height = 0;
};

// Fails, saying which character or ruby, on malformed UTF-8, a character the font cannot draw, or
// a ruby outside the text or across a line break or another ruby.
Result<TextLayout> lay_out(std::string_view text, std::span<const Ruby> ruby, const Font& font, const Font& ruby_font,
                           const LayoutStyle& style);

}  // namespace pavilion::text
