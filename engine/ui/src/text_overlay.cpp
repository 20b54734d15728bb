#include "pavilion/ui/text_overlay.h"

#include <array>
#include <utility>
#include <limits>

namespace pavilion::ui {
namespace {

constexpr size_t max_vertices_per_draw = std::numeric_limits<uint16_t>::max() + size_t{1};

void start_draw(const TextPaint& paint, render::OverlayTextureId texture, float glow, OverlayBuffers& out) {
  render::OverlayDraw draw;
  draw.first_index = static_cast<uint32_t>(out.indices.size());
  draw.vertex_offset = static_cast<int32_t>(out.vertices.size());
  draw.texture = texture;
  draw.clip_min_x = paint.clip_min_x;
  draw.clip_min_y = paint.clip_min_y;
  draw.clip_max_x = paint.clip_max_x;
  draw.clip_max_y = paint.clip_max_y;
  draw.glow = glow;
  out.draws.push_back(draw);
}

// One glyph's quad: its atlas rectangle over the em box the atlas recorded, turned with the glyph.
void append_quad(const text::PlacedGlyph& glyph, const text::AtlasGlyph& entry, const text::GlyphAtlas& atlas,
                 const TextPaint& paint, uint32_t rgba, render::OverlayTextureId texture, float glow,
                 OverlayBuffers& out) {
  render::OverlayDraw& draw = out.draws.back();
  const auto base = static_cast<size_t>(draw.vertex_offset);
  if (out.vertices.size() - base + 4 > max_vertices_per_draw) start_draw(paint, texture, glow, out);
  const auto local = static_cast<uint16_t>(out.vertices.size() - static_cast<size_t>(out.draws.back().vertex_offset));

  const float u0 = static_cast<float>(entry.x) / static_cast<float>(atlas.width);
  const float v0 = static_cast<float>(entry.y) / static_cast<float>(atlas.height);
  const float u1 = static_cast<float>(entry.x + entry.width) / static_cast<float>(atlas.width);
  const float v1 = static_cast<float>(entry.y + entry.height) / static_cast<float>(atlas.height);
  // Corners in ems around the glyph's origin (y up), then into layout space as PlacedGlyph says.
  const std::array<std::array<float, 4>, 4> corners{{
      {entry.left, entry.top, u0, v0},
      {entry.right, entry.top, u1, v0},
      {entry.right, entry.bottom, u1, v1},
      {entry.left, entry.bottom, u0, v1},
  }};
  for (const auto& [em_x, em_y, u, v] : corners) {
    const float x = glyph.rotated ? glyph.x + em_y * glyph.size : glyph.x + em_x * glyph.size;
    const float y = glyph.rotated ? glyph.y + em_x * glyph.size : glyph.y - em_y * glyph.size;
    out.vertices.push_back({paint.left + x * paint.pixels_per_unit, paint.top + y * paint.pixels_per_unit, u, v, rgba});
  }
  for (const uint16_t corner : {0, 1, 2, 0, 2, 3}) out.indices.push_back(static_cast<uint16_t>(local + corner));
  out.draws.back().index_count += 6;
}

const text::AtlasGlyph* find(const text::GlyphAtlas& atlas, const text::PlacedGlyph& glyph, const TextPaint& paint) {
  return atlas.find({glyph.font == 0 ? 0 : paint.ruby_atlas_font, glyph.glyph});
}

bool lit(const text::PlacedGlyph& glyph, const TextPaint& paint) {
  return glyph.character >= paint.lit_first && glyph.character < paint.lit_end;
}

}  // namespace

void OverlayBuffers::clear() {
  vertices.clear();
  indices.clear();
  draws.clear();
}

void begin_flat_quads(render::OverlayTextureId white, OverlayBuffers& out) {
  render::OverlayDraw draw;
  draw.first_index = static_cast<uint32_t>(out.indices.size());
  draw.vertex_offset = static_cast<int32_t>(out.vertices.size());
  draw.texture = white;
  draw.clip_max_x = draw.clip_max_y = 1e9f;
  out.draws.push_back(draw);
}

void append_flat_quad(float x0, float y0, float x1, float y1, uint32_t rgba, OverlayBuffers& out) {
  render::OverlayDraw& draw = out.draws.back();
  const auto first = static_cast<uint16_t>(out.vertices.size() - static_cast<size_t>(draw.vertex_offset));
  for (const auto& [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}) {
    out.vertices.push_back({x, y, 0.5f, 0.5f, rgba});
  }
  for (const uint16_t corner : {0, 1, 2, 0, 2, 3}) out.indices.push_back(static_cast<uint16_t>(first + corner));
  draw.index_count += 6;
}

void append_text(const text::TextLayout& layout, const text::GlyphAtlas& atlas, render::OverlayTextureId atlas_texture,
                 const TextPaint& paint, OverlayBuffers& out) {
  // The glow goes under the lit glyphs, in a draw of its own: it softens the outline differently.
  if (paint.glow != 0 && paint.lit_end > paint.lit_first) {
    start_draw(paint, atlas_texture, paint.glow_width, out);
    for (const text::PlacedGlyph& glyph : layout.glyphs) {
      const text::AtlasGlyph* entry = find(atlas, glyph, paint);
      if (entry != nullptr && entry->width != 0 && lit(glyph, paint)) {
        append_quad(glyph, *entry, atlas, paint, paint.glow, atlas_texture, paint.glow_width, out);
      }
    }
  }
  start_draw(paint, atlas_texture, 0, out);
  for (const text::PlacedGlyph& glyph : layout.glyphs) {
    const text::AtlasGlyph* entry = find(atlas, glyph, paint);
    if (entry == nullptr || entry->width == 0) continue;  // a space
    const uint32_t rgba = lit(glyph, paint) ? paint.lit_ink : glyph.font == 0 ? paint.ink : paint.ruby_ink;
    append_quad(glyph, *entry, atlas, paint, rgba, atlas_texture, 0, out);
  }
}

}  // namespace pavilion::ui
