// What the ALTO and hOCR readers share: lines as the source gives them, in its units, made into
// a page in the image's pixels (scaled, rounded, joined, their direction settled).
#pragma once

#include "pavilion/page_text/page_text.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::page_text::detail {

// Corners in the source's units.
struct SourceBox {
  double left = 0;
  double top = 0;
  double right = 0;
  double bottom = 0;
};

struct SourceWord {
  std::string text;
  SourceBox box;
  std::optional<float> confidence;
  bool space_before = false;
};

struct SourceLine {
  std::string text;  // used when the line has no words
  SourceBox box;
  std::optional<WritingDirection> direction;  // when the source says; otherwise from the block's shape
  std::string language;
  std::vector<SourceWord> words;
  size_t block = 0;  // lines of one block share a direction
};

// How many image pixels one source unit is, across and down.
struct Scale {
  double x = 1;
  double y = 1;
};

// The page in `size` pixels: regions scaled and rounded (edges, not sizes, so adjacent boxes stay
// adjacent), lines in the order given, a block's undeclared direction taken from the shape of its
// lines of two characters or more (taller than wide: vertical).
PageText finish_page(std::vector<SourceLine> lines, PixelSize size, Scale scale);

// BCP 47 for a language as sources write it: Tesseract's codes ("eng", "chi_tra_vert") become
// "en", "zh-Hant"; anything else is kept.
std::string bcp47_language(std::string_view language);

// Whether a word break between these two characters is a space: not between two CJK characters.
bool is_cjk(char32_t code_point);

}  // namespace pavilion::page_text::detail
