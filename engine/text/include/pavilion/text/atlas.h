// Signed-distance glyph atlases: the glyphs a package uses, baked once (at pack time) so text
// stays sharp at any distance and angle, and a package carries only what it draws.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/text/font.h"
#include "pavilion/text/layout.h"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::text {

struct GlyphKey {
  uint32_t font = 0;  // index into the fonts the atlas was built from (PlacedGlyph::font)
  uint32_t glyph = 0;
  auto operator<=>(const GlyphKey&) const = default;
};

struct AtlasOptions {
  uint32_t em_pixels = 64;     // texels per em: enough for the thinnest strokes of a Song face
  uint32_t spread_pixels = 8;  // distances up to this far from the outline are kept
  uint32_t max_width = 4096;
};

// One glyph's place: its texels, and the quad they cover in ems around the glyph's origin
// (y up), spread margin included, so a renderer draws the quad and samples the rectangle.
struct AtlasGlyph {
  GlyphKey key;
  uint32_t x = 0;
  uint32_t y = 0;
  uint32_t width = 0;   // 0 for a glyph without ink (a space): nothing to draw
  uint32_t height = 0;
  float left = 0;
  float top = 0;
  float right = 0;
  float bottom = 0;
};

// One channel, row-major, top row first. 128 is the outline; each step of 127 / spread_pixels
// is a texel further inside (larger) or outside (smaller).
struct GlyphAtlas {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t em_pixels = 0;
  uint32_t spread_pixels = 0;
  std::vector<uint8_t> distances;
  std::vector<AtlasGlyph> glyphs;  // sorted by key

  const AtlasGlyph* find(GlyphKey key) const;
};

// The distinct glyphs a layout draws, sorted.
std::vector<GlyphKey> glyphs_used(const TextLayout& layout);

// The atlas as a package stores it (engine/package/FORMAT.md, "Glyph atlas"). Decoding checks every
// size and rectangle, so a damaged blob is refused, never drawn.
std::vector<std::byte> encode_atlas(const GlyphAtlas& atlas);
Result<GlyphAtlas> decode_atlas(std::span<const std::byte> bytes);

// Bakes `glyphs` from `fonts` (indexed by GlyphKey::font). Fails when a glyph is not in its font
// or the atlas would be wider and taller than max_width.
Result<GlyphAtlas> build_atlas(std::span<const Font* const> fonts, std::span<const GlyphKey> glyphs,
                               const AtlasOptions& options);

}  // namespace pavilion::text
