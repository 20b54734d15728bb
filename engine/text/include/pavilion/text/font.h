// One face of a font file, ready for shaping (HarfBuzz) and for outlines (FreeType).
//
// A Font owns a copy of the font's bytes, so it can come from a file or from a package blob and
// outlive either. It is not thread-safe: FreeType faces are not, so a thread that shapes or bakes
// glyphs on its own opens its own Font.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pavilion::text {

// What the font's name table says about its licence; a package records it beside the subset
// font it carries, as the licence requires.
struct FontLicence {
  std::string family;
  std::string copyright;    // name ID 0
  std::string description;  // name ID 13
  std::string url;          // name ID 14
};

// A glyph's ink bounds in em units, y up from the baseline, x right from its origin.
struct GlyphBox {
  float left = 0;
  float bottom = 0;
  float right = 0;
  float top = 0;
};

class Font {
 public:
  // `face_index` picks a face in a collection (.ttc): Noto Sans/Serif CJK's Simplified Chinese
  // faces are index 2.
  static Result<std::unique_ptr<Font>> open(const std::filesystem::path& file, uint32_t face_index = 0);
  // `name` says where the bytes came from, for messages ("poem font in spring.pvpkg").
  static Result<std::unique_ptr<Font>> from_bytes(std::vector<std::byte> bytes, uint32_t face_index, std::string name);

  ~Font();
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  const std::string& name() const { return name_; }
  uint32_t face_index() const { return face_index_; }
  std::span<const std::byte> bytes() const { return bytes_; }
  FontLicence licence() const;

  // Horizontal metrics (hhea) in em units: ascender above the baseline (positive), descender
  // below it (negative).
  float ascender() const { return ascender_; }
  float descender() const { return descender_; }
  // 0 when the font has no glyph for the character.
  uint32_t glyph_for(char32_t code_point) const;
  uint32_t glyph_count() const;
  // Nothing for a glyph without ink (a space).
  std::optional<GlyphBox> glyph_box(uint32_t glyph) const;

  // FreeType and HarfBuzz handles, for this module's own sources (src/font_handles.h).
  struct Handles;
  Handles& handles() const { return *handles_; }

 private:
  Font(std::vector<std::byte> bytes, uint32_t face_index, std::string name);

  std::vector<std::byte> bytes_;
  uint32_t face_index_ = 0;
  std::string name_;
  float ascender_ = 0;
  float descender_ = 0;
  std::unique_ptr<Handles> handles_;
};

}  // namespace pavilion::text
