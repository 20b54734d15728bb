// Glyph outlines rasterised at print size by FreeType, for the rare books' pages: a layout from
// engine/text says which glyph goes where; this draws it at the hundreds of pixels an em that a
// scan of a page holds (engine/text's atlas is a signed-distance field for the screen instead).
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/text/font.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace pavilion::procedural {

struct GlyphBitmap {
  uint32_t width = 0;
  uint32_t height = 0;
  int32_t left = 0;  // from the glyph's origin to the bitmap's left column, pixels right
  int32_t top = 0;   // from the origin up to the bitmap's top row, pixels up
  std::vector<float> coverage;  // rows top first, 0–1
};

class GlyphInk {
 public:
  // `font` must outlive this object (its bytes are shared with FreeType).
  static Result<std::unique_ptr<GlyphInk>> open(const text::Font& font);
  ~GlyphInk();
  GlyphInk(const GlyphInk&) = delete;
  GlyphInk& operator=(const GlyphInk&) = delete;

  // The glyph at `pixels_per_em`, stretched by `stretch_x` and `stretch_y` (1: as designed).
  Result<GlyphBitmap> render(uint32_t glyph, float pixels_per_em, float stretch_x = 1, float stretch_y = 1);

 private:
  GlyphInk() = default;
  struct Face;
  std::unique_ptr<Face> face_;
};

}  // namespace pavilion::procedural
