// A mounted scroll around a poem's text: a hanging scroll (rollers at the top and bottom) for
// vertical text, a hand scroll (rollers at the sides) for horizontal. Measured in the text's ems,
// so the poem screen draws it in pixels and the scene hangs it in metres.
#pragma once

#include "pavilion/render/overlay.h"
#include "pavilion/text/layout.h"
#include "pavilion/text/recitation.h"
#include "pavilion/ui/text_overlay.h"

#include <array>
#include <cstdint>

namespace pavilion::exhibits {

struct ScrollRect {
  float min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

struct ScrollShape {
  float width = 0;  // rollers' knobs left out
  float height = 0;
  ScrollRect mount;                   // the silk around the paper
  ScrollRect paper;
  std::array<ScrollRect, 2> rollers;  // knobs included: they reach past the scroll's sides
  float text_left = 0;                // where the layout's top-left corner goes
  float text_top = 0;
};

ScrollShape scroll_shape(const text::TextLayout& layout, bool vertical);

// Rice paper, pine-soot ink and vermilion for the character being recited.
struct ScrollColors {
  uint32_t mount;     // RGBA, R in the lowest byte (render::OverlayVertex), sRGB
  uint32_t paper;
  uint32_t rollers;
  uint32_t ink;
  uint32_t ruby_ink;
  uint32_t lit_ink;
  uint32_t glow;
};

inline constexpr ScrollColors scroll_colors{0xFFA6A38F, 0xFFD8E6EE, 0xFF1E2A3B, 0xFF1E1E26,
                                            0xFF6E5A50, 0xFF2430C8, 0xB040C8F0};
inline constexpr ScrollColors scroll_colors_high_contrast{0xFFFFFFFF, 0xFFFFFFFF, 0xFF000000, 0xFF000000,
                                                          0xFF000000, 0xFF0000C0, 0xFF00FFFF};

// How a scroll's text is painted: ink, pinyin, the characters `lit` (being recited) and, unless
// `calm`, their glow. Where it goes (left, top, scale, clip) is the caller's.
ui::TextPaint scroll_paint(const ScrollColors& colors, text::TextSpan lit, bool calm);

// Appends the scroll's mount, paper and rollers as flat quads sampling `white` (a 1×1 white
// overlay texture), `units_per_em` to an em, from (left, top).
void append_scroll(const ScrollShape& shape, const ScrollColors& colors, render::OverlayTextureId white, float left,
                   float top, float units_per_em, ui::OverlayBuffers& out);

}  // namespace pavilion::exhibits
