#include "pavilion/exhibits/scroll_mount.h"

namespace pavilion::exhibits {
namespace {

constexpr float margin_ems = 1.4f;  // paper around the text
constexpr float mount_ems = 0.7f;   // silk around the paper
constexpr float roller_ems = 0.6f;
constexpr float knob_ems = 0.2f;    // how far a roller's ends reach past the scroll

}  // namespace

ScrollShape scroll_shape(const text::TextLayout& layout, bool vertical) {
  ScrollShape shape;
  const float rollers = 2 * roller_ems;  // across the scroll's ends: they add to its length
  shape.width = layout.width + 2 * (margin_ems + mount_ems) + (vertical ? 0 : rollers);
  shape.height = layout.height + 2 * (margin_ems + mount_ems) + (vertical ? rollers : 0);
  shape.mount = vertical ? ScrollRect{0, roller_ems, shape.width, shape.height - roller_ems}
                         : ScrollRect{roller_ems, 0, shape.width - roller_ems, shape.height};
  shape.paper = {shape.mount.min_x + mount_ems, shape.mount.min_y + mount_ems, shape.mount.max_x - mount_ems,
                 shape.mount.max_y - mount_ems};
  if (vertical) {
    shape.rollers = {ScrollRect{-knob_ems, 0, shape.width + knob_ems, roller_ems},
                     ScrollRect{-knob_ems, shape.height - roller_ems, shape.width + knob_ems, shape.height}};
  } else {
    shape.rollers = {ScrollRect{0, -knob_ems, roller_ems, shape.height + knob_ems},
                     ScrollRect{shape.width - roller_ems, -knob_ems, shape.width, shape.height + knob_ems}};
  }
  shape.text_left = shape.paper.min_x + margin_ems;
  shape.text_top = shape.paper.min_y + margin_ems;
  return shape;
}

ui::TextPaint scroll_paint(const ScrollColors& colors, text::TextSpan lit, bool calm) {
  ui::TextPaint paint;
  paint.ink = colors.ink;
  paint.ruby_ink = colors.ruby_ink;
  paint.lit_first = lit.first;
  paint.lit_end = lit.end;
  paint.lit_ink = colors.lit_ink;
  // Calm mode keeps the light and leaves out the glow's shimmer around it.
  paint.glow = calm ? 0 : colors.glow;
  paint.ruby_atlas_font = 0;  // a package's poem has one font, for the text and its pinyin
  return paint;
}

void append_scroll(const ScrollShape& shape, const ScrollColors& colors, render::OverlayTextureId white, float left,
                   float top, float units_per_em, ui::OverlayBuffers& out) {
  ui::begin_flat_quads(white, out);
  const auto quad = [&](const ScrollRect& rect, uint32_t rgba) {
    ui::append_flat_quad(left + rect.min_x * units_per_em, top + rect.min_y * units_per_em, left + rect.max_x * units_per_em,
                         top + rect.max_y * units_per_em, rgba, out);
  };
  quad(shape.mount, colors.mount);
  quad(shape.paper, colors.paper);
  for (const ScrollRect& roller : shape.rollers) quad(roller, colors.rollers);
}

}  // namespace pavilion::exhibits
