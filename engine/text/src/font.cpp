#include "font_handles.h"

#include "pavilion/core/file.h"

#include <fmt/format.h>
#include <fmt/std.h>

namespace pavilion::text {

Font::Handles::~Handles() {
  hb_font_destroy(hb_font);
  hb_face_destroy(hb_face);
  hb_blob_destroy(blob);
  if (face != nullptr) FT_Done_Face(face);
  if (library != nullptr) FT_Done_FreeType(library);
}

std::string freetype_error(FT_Error error) {
  const char* message = FT_Error_String(error);
  return message != nullptr ? std::string(message) : fmt::format("FreeType error {}", error);
}

Font::Font(std::vector<std::byte> bytes, uint32_t face_index, std::string name)
    : bytes_(std::move(bytes)), face_index_(face_index), name_(std::move(name)), handles_(std::make_unique<Handles>()) {}

Font::~Font() = default;

Result<std::unique_ptr<Font>> Font::open(const std::filesystem::path& file, uint32_t face_index) {
  auto bytes = read_file(file);
  if (!bytes) return Error(std::move(bytes).error()).add_context("opening a font");
  return from_bytes(std::move(*bytes), face_index, file.string());
}

Result<std::unique_ptr<Font>> Font::from_bytes(std::vector<std::byte> bytes, uint32_t face_index, std::string name) {
  const std::string step = fmt::format("opening the font {} (face {})", name, face_index);
  std::unique_ptr<Font> font(new Font(std::move(bytes), face_index, std::move(name)));
  Handles& handles = *font->handles_;
  if (const FT_Error error = FT_Init_FreeType(&handles.library); error != 0) {
    return Error(ErrorCode::internal, step, fmt::format("FT_Init_FreeType failed: {}", freetype_error(error)));
  }
  const auto* data = reinterpret_cast<const FT_Byte*>(font->bytes_.data());
  if (const FT_Error error = FT_New_Memory_Face(handles.library, data, static_cast<FT_Long>(font->bytes_.size()),
                                                static_cast<FT_Long>(face_index), &handles.face);
      error != 0) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("it is not a font FreeType can read ({}); use a TrueType or OpenType file, and for a "
                             "collection (.ttc) a face index it holds",
                             freetype_error(error)));
  }
  if (!FT_IS_SCALABLE(handles.face)) {
    return Error(ErrorCode::unsupported, step,
                 "it holds only bitmaps; text is drawn from outlines so it stays sharp at any size");
  }
  handles.units_per_em = static_cast<float>(handles.face->units_per_EM);
  // HarfBuzz reads the same bytes; the blob does not copy them (the Font outlives it).
  handles.blob = hb_blob_create(reinterpret_cast<const char*>(data), static_cast<unsigned>(font->bytes_.size()),
                                HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  handles.hb_face = hb_face_create(handles.blob, face_index);
  handles.hb_font = hb_font_create(handles.hb_face);
  hb_font_set_scale(handles.hb_font, static_cast<int>(handles.face->units_per_EM),
                    static_cast<int>(handles.face->units_per_EM));
  font->ascender_ = static_cast<float>(handles.face->ascender) / handles.units_per_em;
  font->descender_ = static_cast<float>(handles.face->descender) / handles.units_per_em;
  return font;
}

namespace {

std::string name_entry(hb_face_t* face, hb_ot_name_id_t id) {
  const hb_language_t english = hb_language_from_string("en", -1);
  unsigned size = hb_ot_name_get_utf8(face, id, english, nullptr, nullptr);
  if (size == 0) return {};
  std::string text(size, '\0');
  ++size;  // room for the terminator HarfBuzz writes
  hb_ot_name_get_utf8(face, id, english, &size, text.data());
  text.resize(size);
  return text;
}

}  // namespace

FontLicence Font::licence() const {
  hb_face_t* face = handles_->hb_face;
  return {name_entry(face, HB_OT_NAME_ID_FONT_FAMILY), name_entry(face, HB_OT_NAME_ID_COPYRIGHT),
          name_entry(face, HB_OT_NAME_ID_LICENSE), name_entry(face, HB_OT_NAME_ID_LICENSE_URL)};
}

uint32_t Font::glyph_for(char32_t code_point) const {
  hb_codepoint_t glyph = 0;
  return hb_font_get_nominal_glyph(handles_->hb_font, code_point, &glyph) ? glyph : 0;
}

uint32_t Font::glyph_count() const { return static_cast<uint32_t>(handles_->face->num_glyphs); }

std::optional<GlyphBox> Font::glyph_box(uint32_t glyph) const {
  hb_glyph_extents_t extents{};
  if (!hb_font_get_glyph_extents(handles_->hb_font, glyph, &extents) || extents.width == 0 || extents.height == 0) {
    return std::nullopt;
  }
  const float unit = 1.0f / handles_->units_per_em;
  // HarfBuzz measures height downwards from the top (negative for ink below it).
  return GlyphBox{static_cast<float>(extents.x_bearing) * unit,
                  static_cast<float>(extents.y_bearing + extents.height) * unit,
                  static_cast<float>(extents.x_bearing + extents.width) * unit,
                  static_cast<float>(extents.y_bearing) * unit};
}

}  // namespace pavilion::text
