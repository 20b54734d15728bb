#include "glyph_ink.h"

#include <fmt/format.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cmath>

namespace pavilion::procedural {

struct GlyphInk::Face {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  std::string name;
  ~Face() {
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
};

GlyphInk::~GlyphInk() = default;

Result<std::unique_ptr<GlyphInk>> GlyphInk::open(const text::Font& font) {
  std::unique_ptr<GlyphInk> ink(new GlyphInk());
  ink->face_ = std::make_unique<Face>();
  ink->face_->name = font.name();
  const std::string step = fmt::format("opening {} to draw its glyphs", font.name());
  if (FT_Init_FreeType(&ink->face_->library) != 0) return Error(ErrorCode::internal, step, "FT_Init_FreeType failed");
  const auto bytes = font.bytes();
  if (FT_New_Memory_Face(ink->face_->library, reinterpret_cast<const FT_Byte*>(bytes.data()), static_cast<FT_Long>(bytes.size()),
                         static_cast<FT_Long>(font.face_index()), &ink->face_->face) != 0) {
    return Error(ErrorCode::invalid_input, step, "FreeType cannot read the face");
  }
  return ink;
}

Result<GlyphBitmap> GlyphInk::render(uint32_t glyph, float pixels_per_em, float stretch_x, float stretch_y) {
  FT_Face face = face_->face;
  const std::string step = fmt::format("drawing glyph {} of {}", glyph, face_->name);
  if (FT_Set_Char_Size(face, 0, static_cast<FT_F26Dot6>(std::lround(pixels_per_em * 64)), 72, 72) != 0) {
    return Error(ErrorCode::internal, step, "FT_Set_Char_Size failed");
  }
  FT_Matrix matrix{static_cast<FT_Fixed>(std::lround(stretch_x * 65536)), 0, 0, static_cast<FT_Fixed>(std::lround(stretch_y * 65536))};
  FT_Set_Transform(face, &matrix, nullptr);
  if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 || FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0) {
    return Error(ErrorCode::invalid_input, step, "FreeType cannot render the glyph");
  }
  const FT_Bitmap& bitmap = face->glyph->bitmap;
  GlyphBitmap out;
  out.width = bitmap.width;
  out.height = bitmap.rows;
  out.left = face->glyph->bitmap_left;
  out.top = face->glyph->bitmap_top;
  out.coverage.resize(size_t{out.width} * out.height);
  for (uint32_t row = 0; row < out.height; ++row) {
    const unsigned char* source = bitmap.buffer + static_cast<ptrdiff_t>(row) * bitmap.pitch;
    for (uint32_t column = 0; column < out.width; ++column) {
      out.coverage[size_t{row} * out.width + column] = static_cast<float>(source[column]) / 255.0f;
    }
  }
  return out;
}

}  // namespace pavilion::procedural
