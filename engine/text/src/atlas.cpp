#include "pavilion/text/atlas.h"

#include "font_handles.h"
#include "pavilion/core/parallel.h"

#include FT_MODULE_H
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pavilion::text {
namespace {

struct Bitmap {
  AtlasGlyph placement;
  std::vector<uint8_t> texels;
};

// A FreeType face over a Font's bytes for one worker thread: faces are not thread-safe, the bytes
// they read are shared.
class Rasterizer {
 public:
  Rasterizer() = default;
  Rasterizer(const Rasterizer&) = delete;
  Rasterizer& operator=(const Rasterizer&) = delete;
  ~Rasterizer() {
    if (face_ != nullptr) FT_Done_Face(face_);
    if (library_ != nullptr) FT_Done_FreeType(library_);
  }

  Result<void> open(const Font& font, const AtlasOptions& options) {
    const std::string step = fmt::format("preparing the font {} for baking", font.name());
    if (const FT_Error error = FT_Init_FreeType(&library_); error != 0) {
      return Error(ErrorCode::internal, step, fmt::format("FT_Init_FreeType failed: {}", freetype_error(error)));
    }
    // The spread is a property of FreeType's two distance renderers (outline and bitmap based).
    const FT_Int spread = static_cast<FT_Int>(options.spread_pixels);
    FT_Property_Set(library_, "sdf", "spread", &spread);
    FT_Property_Set(library_, "bsdf", "spread", &spread);
    const std::span<const std::byte> bytes = font.bytes();
    if (const FT_Error error =
            FT_New_Memory_Face(library_, reinterpret_cast<const FT_Byte*>(bytes.data()),
                               static_cast<FT_Long>(bytes.size()), static_cast<FT_Long>(font.face_index()), &face_);
        error != 0) {
      return Error(ErrorCode::internal, step, fmt::format("FT_New_Memory_Face failed: {}", freetype_error(error)));
    }
    if (const FT_Error error = FT_Set_Pixel_Sizes(face_, 0, options.em_pixels); error != 0) {
      return Error(ErrorCode::internal, step, fmt::format("FT_Set_Pixel_Sizes failed: {}", freetype_error(error)));
    }
    return {};
  }

  bool is_open() const { return face_ != nullptr; }

  Result<Bitmap> render(const Font& font, GlyphKey key, const AtlasOptions& options) const {
    const std::string step = fmt::format("baking glyph {} of the font {}", key.glyph, font.name());
    if (key.glyph >= static_cast<uint32_t>(face_->num_glyphs)) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("the font has {} glyphs; this one is not among them", face_->num_glyphs));
    }
    // Unhinted: the atlas is scaled at draw time, so outlines keep their designed shape.
    if (const FT_Error error = FT_Load_Glyph(face_, key.glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP); error != 0) {
      return Error(ErrorCode::invalid_input, step, fmt::format("FT_Load_Glyph failed: {}", freetype_error(error)));
    }
    Bitmap out;
    out.placement.key = key;
    FT_GlyphSlot slot = face_->glyph;
    if (slot->outline.n_points == 0) return out;  // no ink
    // Coverage first, then distances from it (FreeType's "bsdf"): four times faster than
    // distances from the outline on CJK faces' many curves (text_bench), and as good at 64 texels
    // per em.
    if (const FT_Error error = FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL); error != 0) {
      return Error(ErrorCode::internal, step, fmt::format("FT_Render_Glyph failed: {}", freetype_error(error)));
    }
    if (const FT_Error error = FT_Render_Glyph(slot, FT_RENDER_MODE_SDF); error != 0) {
      return Error(ErrorCode::internal, step, fmt::format("FT_Render_Glyph (SDF) failed: {}", freetype_error(error)));
    }
    const FT_Bitmap& bitmap = slot->bitmap;
    out.placement.width = bitmap.width;
    out.placement.height = bitmap.rows;
    const float texel = 1.0f / static_cast<float>(options.em_pixels);
    out.placement.left = static_cast<float>(slot->bitmap_left) * texel;
    out.placement.top = static_cast<float>(slot->bitmap_top) * texel;
    out.placement.right = out.placement.left + static_cast<float>(bitmap.width) * texel;
    out.placement.bottom = out.placement.top - static_cast<float>(bitmap.rows) * texel;
    out.texels.resize(size_t{bitmap.width} * bitmap.rows);
    for (uint32_t row = 0; row < bitmap.rows; ++row) {
      const unsigned char* source = bitmap.buffer + static_cast<ptrdiff_t>(row) * bitmap.pitch;
      std::copy(source, source + bitmap.width, out.texels.begin() + static_cast<ptrdiff_t>(row) * bitmap.width);
    }
    return out;
  }

 private:
  FT_Library library_ = nullptr;
  FT_Face face_ = nullptr;
};

}  // namespace

const AtlasGlyph* GlyphAtlas::find(GlyphKey key) const {
  const auto found =
      std::lower_bound(glyphs.begin(), glyphs.end(), key, [](const AtlasGlyph& a, GlyphKey b) { return a.key < b; });
  return found != glyphs.end() && found->key == key ? &*found : nullptr;
}

std::vector<GlyphKey> glyphs_used(const TextLayout& layout) {
  std::vector<GlyphKey> keys;
  keys.reserve(layout.glyphs.size());
  for (const PlacedGlyph& glyph : layout.glyphs) keys.push_back({glyph.font, glyph.glyph});
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

Result<GlyphAtlas> build_atlas(std::span<const Font* const> fonts, std::span<const GlyphKey> glyphs,
                               const AtlasOptions& options) {
  std::vector<GlyphKey> keys(glyphs.begin(), glyphs.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  for (const GlyphKey& key : keys) {
    if (key.font >= fonts.size()) {
      return Error(ErrorCode::invalid_input, "building a glyph atlas",
                   fmt::format("glyph {} names font {}, but {} fonts were given", key.glyph, key.font, fonts.size()));
    }
  }
  // Glyphs are baked in contiguous slices, one per worker, each with its own FreeType faces.
  std::vector<Bitmap> bitmaps(keys.size());
  const uint32_t workers = std::max<uint32_t>(1, std::min<uint32_t>(processor_count(), static_cast<uint32_t>(keys.size() / 16)));
  auto baked = parallel_for(workers, workers, [&](size_t worker) -> Result<void> {
    std::vector<Rasterizer> rasterizers(fonts.size());
    for (size_t index = keys.size() * worker / workers; index < keys.size() * (worker + 1) / workers; ++index) {
      const GlyphKey key = keys[index];
      Rasterizer& rasterizer = rasterizers[key.font];
      if (!rasterizer.is_open()) {
        if (auto opened = rasterizer.open(*fonts[key.font], options); !opened) return opened;
      }
      auto bitmap = rasterizer.render(*fonts[key.font], key, options);
      if (!bitmap) return std::move(bitmap).error();
      bitmaps[index] = std::move(*bitmap);
    }
    return {};
  });
  if (!baked) return Error(std::move(baked).error()).add_context("building a glyph atlas");
  size_t area = 0;
  for (const Bitmap& bitmap : bitmaps) area += size_t{bitmap.placement.width + 1} * (bitmap.placement.height + 1);

  // Shelf packing, tallest first: rows of similar height waste little for CJK's square glyphs.
  GlyphAtlas atlas;
  atlas.em_pixels = options.em_pixels;
  atlas.spread_pixels = options.spread_pixels;
  uint32_t widest = 0;
  for (const Bitmap& bitmap : bitmaps) widest = std::max(widest, bitmap.placement.width + 2);
  atlas.width = 64;
  while (atlas.width < options.max_width && (size_t{atlas.width} * atlas.width < area || atlas.width < widest)) {
    atlas.width *= 2;
  }
  std::vector<size_t> order(bitmaps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return bitmaps[a].placement.height > bitmaps[b].placement.height;
  });
  uint32_t x = 0;
  uint32_t y = 0;
  uint32_t row_height = 0;
  for (const size_t index : order) {
    AtlasGlyph& placement = bitmaps[index].placement;
    if (placement.width == 0) continue;
    if (placement.width + 1 > atlas.width) {
      return Error(ErrorCode::unsupported, "building a glyph atlas",
                   fmt::format("glyph {} is {} texels wide, wider than the atlas may be", placement.key.glyph,
                               placement.width));
    }
    if (x + placement.width + 1 > atlas.width) {
      x = 0;
      y += row_height;
      row_height = 0;
    }
    // One texel of "far outside" between glyphs, so filtering never blends in a neighbour.
    placement.x = x + 1;
    placement.y = y + 1;
    x += placement.width + 1;
    row_height = std::max(row_height, placement.height + 1);
  }
  atlas.height = (y + row_height + 1 + 3) / 4 * 4;
  if (atlas.height > options.max_width) {
    return Error(ErrorCode::unsupported, "building a glyph atlas",
                 fmt::format("{} glyphs need {}×{} texels, more than the {} allowed each way; bake them at fewer "
                             "texels per em or in more than one atlas",
                             keys.size(), atlas.width, atlas.height, options.max_width));
  }
  atlas.distances.assign(size_t{atlas.width} * atlas.height, 0);
  atlas.glyphs.reserve(bitmaps.size());
  for (const Bitmap& bitmap : bitmaps) {
    const AtlasGlyph& placement = bitmap.placement;
    for (uint32_t row = 0; row < placement.height; ++row) {
      std::copy_n(bitmap.texels.begin() + static_cast<ptrdiff_t>(row) * placement.width, placement.width,
                  atlas.distances.begin() + static_cast<ptrdiff_t>(placement.y + row) * atlas.width + placement.x);
    }
    atlas.glyphs.push_back(placement);
  }
  return atlas;
}

}  // namespace pavilion::text
