// Pages of known text drawn with FreeType for the recognition tests: black on white, one line
// (or, for vertical text, one column) at a time, each line's region recorded as the truth.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/page_text/page_text.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::page_text::testing {

struct TruthLine {
  std::string text;
  Region region;  // the inked pixels' bounds
};

struct RenderedPage {
  ImageRgba8 image;
  std::vector<TruthLine> lines;
};

// The code points of UTF-8 text written in the tests (a failure when it is not UTF-8).
std::u32string code_points(std::string_view text);

// Whether Debian's tesseract is on PATH (scripts/setup installs it; a machine without it skips
// the tests that run it).
bool tesseract_installed();

// Horizontal lines, left to right, top to bottom, `pixel_size` px glyphs.
RenderedPage render_horizontal(const std::vector<std::string>& lines, uint32_t pixel_size, uint32_t width,
                               uint32_t height);

// Columns top to bottom, the first at the right; each character centred in a square cell.
RenderedPage render_vertical(const std::vector<std::string>& columns, uint32_t pixel_size, uint32_t width,
                             uint32_t height);

}  // namespace pavilion::page_text::testing
