// Laid-out text (engine/text) drawn as overlay quads over a distance-field atlas: a poem's
// columns on a kiosk's screen, sharp at any size, with the character being recited lit and
// glowing.
#pragma once

#include "pavilion/render/overlay.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/layout.h"

#include <cstdint>
#include <vector>

namespace pavilion::ui {

// Overlay vertices, indices and draws that outlive a frame's building; reused frame to frame.
struct OverlayBuffers {
  std::vector<render::OverlayVertex> vertices;
  std::vector<uint16_t> indices;
  std::vector<render::OverlayDraw> draws;

  void clear();
  render::Overlay view() const { return {vertices, indices, draws}; }
};

struct TextPaint {
  float left = 0;  // where the layout's top-left corner goes, in target pixels
  float top = 0;
  float pixels_per_unit = 1;  // layout units to pixels
  uint32_t ink = 0xFF000000;       // RGBA, R in the lowest byte, sRGB with straight alpha
  uint32_t ruby_ink = 0xFF000000;
  // Characters [lit_first, lit_end) of the text, and their ruby, drawn in `lit_ink` over a glow.
  uint32_t lit_first = 0;
  uint32_t lit_end = 0;
  uint32_t lit_ink = 0xFF000000;
  uint32_t glow = 0;   // the glow's colour; 0 for none
  float glow_width = 0.4f;   // in the atlas's distance units (0.5 is its whole spread)
  // The atlas font the ruby's glyphs are under: 0 when the ruby was set in the text's own font
  // (a package's poem, whose atlas holds one font).
  uint32_t ruby_atlas_font = 1;
  // Pixels outside this rectangle are left alone (the panel the text is in).
  float clip_min_x = 0, clip_min_y = 0, clip_max_x = 1e9f, clip_max_y = 1e9f;
};

// Starts a draw of flat-coloured quads sampling `white` (a 1×1 white overlay texture), unclipped.
void begin_flat_quads(render::OverlayTextureId white, OverlayBuffers& out);
// Appends a quad of one colour, from (x0, y0) to (x1, y1), to the draw begun last.
void append_flat_quad(float x0, float y0, float x1, float y1, uint32_t rgba, OverlayBuffers& out);

// Appends the glyphs of `layout` (each one in `atlas`, a precondition: build the atlas from the
// layout's glyphs_used) as quads sampling `atlas_texture`, the atlas added to the renderer with
// add_overlay_distance_field.
void append_text(const text::TextLayout& layout, const text::GlyphAtlas& atlas, render::OverlayTextureId atlas_texture,
                 const TextPaint& paint, OverlayBuffers& out);

}  // namespace pavilion::ui
