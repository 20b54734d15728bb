#include "pavilion/core/bytes.h"
#include "pavilion/text/atlas.h"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

namespace pavilion::text {
namespace {

constexpr uint32_t atlas_magic = 0x41475650;  // "PVGA"
constexpr uint32_t max_side = 16384;
static_assert(std::is_trivially_copyable_v<AtlasGlyph> && sizeof(AtlasGlyph) == 40, "stored as it is in memory");

Error damaged(std::string why) { return Error(ErrorCode::invalid_input, "reading a glyph atlas", std::move(why)); }

}  // namespace

std::vector<std::byte> encode_atlas(const GlyphAtlas& atlas) {
  ByteWriter out;
  out.write(atlas_magic);
  out.write(atlas.width);
  out.write(atlas.height);
  out.write(atlas.em_pixels);
  out.write(atlas.spread_pixels);
  out.write_array(std::span<const AtlasGlyph>(atlas.glyphs));
  out.write_array(std::span<const uint8_t>(atlas.distances));
  return out.take();
}

Result<GlyphAtlas> decode_atlas(std::span<const std::byte> bytes) {
  ByteReader in(bytes, "a glyph atlas");
  PV_TRY_ASSIGN(const uint32_t magic, in.read<uint32_t>("the magic number"));
  if (magic != atlas_magic) return damaged("the blob does not hold a glyph atlas");
  GlyphAtlas atlas;
  PV_TRY_ASSIGN(atlas.width, in.read<uint32_t>("the width"));
  PV_TRY_ASSIGN(atlas.height, in.read<uint32_t>("the height"));
  PV_TRY_ASSIGN(atlas.em_pixels, in.read<uint32_t>("the texels per em"));
  PV_TRY_ASSIGN(atlas.spread_pixels, in.read<uint32_t>("the spread"));
  if (atlas.width == 0 || atlas.height == 0 || atlas.width > max_side || atlas.height > max_side ||
      atlas.em_pixels == 0 || atlas.em_pixels > 1024 || atlas.spread_pixels == 0) {
    return damaged(fmt::format("a {}×{} atlas at {} texels per em and a spread of {} is implausible", atlas.width,
                               atlas.height, atlas.em_pixels, atlas.spread_pixels));
  }
  PV_TRY_ASSIGN(atlas.glyphs, in.read_array<AtlasGlyph>("the glyphs", 1u << 20));
  PV_TRY_ASSIGN(atlas.distances, in.read_array<uint8_t>("the distances", max_side * max_side));
  if (atlas.distances.size() != size_t{atlas.width} * atlas.height) {
    return damaged(fmt::format("{} distances for {}×{} texels", atlas.distances.size(), atlas.width, atlas.height));
  }
  for (size_t index = 0; index < atlas.glyphs.size(); ++index) {
    const AtlasGlyph& glyph = atlas.glyphs[index];
    // Written so that no sum can wrap around.
    const bool inside = glyph.x <= atlas.width && glyph.width <= atlas.width - glyph.x && glyph.y <= atlas.height &&
                        glyph.height <= atlas.height - glyph.y;
    const bool sorted = index == 0 || atlas.glyphs[index - 1].key < glyph.key;
    if (!inside || !sorted) {
      return damaged(fmt::format("glyph {} lies outside the atlas or out of order", index));
    }
  }
  if (in.remaining() != 0) return damaged(fmt::format("{} bytes too many", in.remaining()));
  return atlas;
}

}  // namespace pavilion::text
