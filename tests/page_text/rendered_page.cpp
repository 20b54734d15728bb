#include "rendered_page.h"

#include "pavilion/core/utf8.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>

namespace pavilion::page_text::testing {
namespace {

// Noto Serif CJK (fonts-noto-cjk, in scripts/setup): face 3 is Traditional Chinese, and its
// Latin letters serve the English page.
constexpr const char* font_file = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
constexpr FT_Long traditional_face = 3;

struct Font {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  explicit Font(uint32_t pixel_size) {
    if (FT_Init_FreeType(&library) != 0 || FT_New_Face(library, font_file, traditional_face, &face) != 0) {
      ADD_FAILURE() << "FreeType could not open " << font_file;
      return;
    }
    FT_Set_Pixel_Sizes(face, 0, pixel_size);
  }
  ~Font() {
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;
};

struct Bounds {
  int32_t left = INT32_MAX, top = INT32_MAX, right = INT32_MIN, bottom = INT32_MIN;
  Region region() const { return {left, top, right - left, bottom - top}; }
};

ImageRgba8 white_page(uint32_t width, uint32_t height) {
  ImageRgba8 image(width, height);
  std::fill(image.pixels.begin(), image.pixels.end(), uint8_t{255});
  return image;
}

// Draws the loaded glyph's bitmap with its top-left at (x, y), darkening the page.
void draw_glyph(ImageRgba8& image, const FT_Bitmap& bitmap, int32_t x, int32_t y, Bounds& inked) {
  for (uint32_t row = 0; row < bitmap.rows; ++row) {
    for (uint32_t column = 0; column < bitmap.width; ++column) {
      const uint8_t coverage = bitmap.buffer[row * static_cast<uint32_t>(bitmap.pitch) + column];
      const int32_t px = x + static_cast<int32_t>(column);
      const int32_t py = y + static_cast<int32_t>(row);
      if (coverage == 0 || px < 0 || py < 0 || px >= static_cast<int32_t>(image.width) ||
          py >= static_cast<int32_t>(image.height)) {
        continue;
      }
      uint8_t* pixel = image.at(static_cast<uint32_t>(px), static_cast<uint32_t>(py));
      for (int channel = 0; channel < 3; ++channel) pixel[channel] = std::min<uint8_t>(pixel[channel], 255 - coverage);
      inked.left = std::min(inked.left, px);
      inked.top = std::min(inked.top, py);
      inked.right = std::max(inked.right, px + 1);
      inked.bottom = std::max(inked.bottom, py + 1);
    }
  }
}

}  // namespace

std::u32string code_points(std::string_view text) {
  auto decoded = decode_utf8(text);
  EXPECT_TRUE(decoded.ok()) << decoded.error().describe();
  return decoded.ok() ? *decoded : std::u32string();
}

RenderedPage render_horizontal(const std::vector<std::string>& lines, uint32_t pixel_size, uint32_t width,
                               uint32_t height) {
  Font font(pixel_size);
  RenderedPage page{white_page(width, height), {}};
  if (!font.face) return page;
  const auto margin = static_cast<int32_t>(pixel_size);
  int32_t baseline = margin + static_cast<int32_t>(pixel_size);
  for (const std::string& text : lines) {
    Bounds inked;
    int32_t pen = margin;
    for (const char32_t code_point : code_points(text)) {
      if (FT_Load_Char(font.face, code_point, FT_LOAD_RENDER) != 0) continue;
      const FT_GlyphSlot glyph = font.face->glyph;
      draw_glyph(page.image, glyph->bitmap, pen + glyph->bitmap_left, baseline - glyph->bitmap_top, inked);
      pen += static_cast<int32_t>(glyph->advance.x >> 6);
    }
    page.lines.push_back({text, inked.region()});
    baseline += static_cast<int32_t>(pixel_size * 2);
  }
  return page;
}

RenderedPage render_vertical(const std::vector<std::string>& columns, uint32_t pixel_size, uint32_t width,
                             uint32_t height) {
  Font font(pixel_size);
  RenderedPage page{white_page(width, height), {}};
  if (!font.face) return page;
  const auto cell = static_cast<int32_t>(pixel_size);
  const int32_t pitch = cell * 2;  // a column and the space between columns
  int32_t column_left = static_cast<int32_t>(width) - cell - pitch / 2 - cell / 2;
  for (const std::string& text : columns) {
    Bounds inked;
    int32_t cell_top = cell;
    for (const char32_t code_point : code_points(text)) {
      if (FT_Load_Char(font.face, code_point, FT_LOAD_RENDER) != 0) continue;
      const FT_Bitmap& bitmap = font.face->glyph->bitmap;
      draw_glyph(page.image, bitmap, column_left + (cell - static_cast<int32_t>(bitmap.width)) / 2,
                 cell_top + (cell - static_cast<int32_t>(bitmap.rows)) / 2, inked);
      cell_top += cell + cell / 8;
    }
    page.lines.push_back({text, inked.region()});
    column_left -= pitch;
  }
  return page;
}

bool tesseract_installed() { return std::system("command -v tesseract >/dev/null 2>&1") == 0; }

}  // namespace pavilion::page_text::testing
