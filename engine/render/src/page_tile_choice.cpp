#include "page_tile_choice.h"

#include "gpu_interface.h"

#include <glm/matrix.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>

namespace pavilion::render {
namespace {

// A page's surface as the choice sees it: for the level-0 pixel rectangle of a tile, the world
// points that stand for it (calling `point` with each), or false when the tile lies outside the
// part of the page shown.
class FlatPage {
 public:
  FlatPage(const scene::PageShape& shape, const PagePlacement& placement)
      : placement_(placement),
        crop_min_(placement.crop.min * glm::vec2(shape.width, shape.height)),
        crop_max_(placement.crop.max * glm::vec2(shape.width, shape.height)) {}

  float metres_per_texel() const {
    const glm::vec2 shown = crop_max_ - crop_min_;
    return std::max(placement_.size.x / shown.x, placement_.size.y / shown.y);
  }

  template <typename Point>
  bool points(glm::vec2 from, glm::vec2 to, Point&& point) const {
    from = glm::max(from, crop_min_);
    to = glm::min(to, crop_max_);
    if (from.x >= to.x || from.y >= to.y) return false;
    for (const glm::vec2 corner : {from, glm::vec2(to.x, from.y), glm::vec2(from.x, to.y), to}) point(world(corner));
    return true;
  }

 private:
  glm::vec3 world(glm::vec2 pixel) const {
    const glm::vec2 at = (pixel - crop_min_) / (crop_max_ - crop_min_);
    const glm::vec4 local((at.x - 0.5f) * placement_.size.x, (0.5f - at.y) * placement_.size.y, 0.0f, 1.0f);
    return glm::vec3(placement_.transform * local);
  }

  const PagePlacement& placement_;
  glm::vec2 crop_min_;
  glm::vec2 crop_max_;
};

class BentLeaf {
 public:
  explicit BentLeaf(const LeafSurface& leaf)
      : leaf_(leaf), to_grid_(glm::inverse(glm::mat2(leaf.along_columns, leaf.along_rows))) {}

  float metres_per_texel() const { return leaf_.metres_per_texel; }

  template <typename Point>
  bool points(glm::vec2 from, glm::vec2 to, Point&& point) const {
    // The tile's corners in the grid's (column / columns, row / rows), clipped to the grid.
    glm::vec2 low(std::numeric_limits<float>::max());
    glm::vec2 high(std::numeric_limits<float>::lowest());
    for (const glm::vec2 corner : {from, glm::vec2(to.x, from.y), glm::vec2(from.x, to.y), to}) {
      const glm::vec2 at = to_grid_ * (corner - leaf_.origin);
      low = glm::min(low, at);
      high = glm::max(high, at);
    }
    low = glm::max(low, glm::vec2(0.0f));
    high = glm::min(high, glm::vec2(1.0f));
    if (low.x >= high.x || low.y >= high.y) return false;
    for (const glm::vec2 corner : {low, glm::vec2(high.x, low.y), glm::vec2(low.x, high.y), high}) point(at(corner));
    const glm::vec2 cells(leaf_.columns, leaf_.rows);
    const glm::uvec2 first(glm::ceil(low * cells));
    const glm::uvec2 last(glm::floor(high * cells));
    for (uint32_t row = first.y; row <= last.y; ++row) {
      for (uint32_t column = first.x; column <= last.x; ++column) point(leaf_.points[row * (leaf_.columns + 1) + column]);
    }
    return true;
  }

 private:
  // The grid's surface at (s, t), between its points.
  glm::vec3 at(glm::vec2 grid) const {
    const glm::vec2 cell = grid * glm::vec2(leaf_.columns, leaf_.rows);
    const uint32_t column = std::min(static_cast<uint32_t>(cell.x), leaf_.columns - 1);
    const uint32_t row = std::min(static_cast<uint32_t>(cell.y), leaf_.rows - 1);
    const glm::vec2 within = cell - glm::vec2(column, row);
    const auto point = [&](uint32_t c, uint32_t r) { return leaf_.points[r * (leaf_.columns + 1) + c]; };
    const glm::vec3 bottom = glm::mix(point(column, row), point(column + 1, row), within.x);
    const glm::vec3 top = glm::mix(point(column, row + 1), point(column + 1, row + 1), within.x);
    return glm::mix(bottom, top, within.y);
  }

  const LeafSurface& leaf_;
  glm::mat2 to_grid_;
};

template <typename Surface>
struct Choice {
  const scene::PageShape& shape;
  uint32_t levels;
  const Surface& surface;
  std::span<const PageViewScale> views;
  std::vector<NeededTile>& needed;
};

// A view sees a set of points unless they all lie outside one of its frustum's planes.
struct Seen {
  std::array<bool, std::size(Frustum{}.planes)> inside{};
  float nearest = std::numeric_limits<float>::max();
};

template <typename Surface>
void visit(const Choice<Surface>& choice, uint32_t level, uint32_t column, uint32_t row) {
  const uint64_t span = uint64_t{choice.shape.tile_size} << level;  // level-0 pixels a tile spans
  const glm::vec2 from(static_cast<float>(column * span), static_cast<float>(row * span));
  const glm::vec2 to(static_cast<float>(std::min<uint64_t>((column + 1) * span, choice.shape.width)),
                     static_cast<float>(std::min<uint64_t>((row + 1) * span, choice.shape.height)));
  std::array<Seen, gpu::max_views> seen{};
  const size_t view_count = std::min(choice.views.size(), seen.size());
  const bool shown = choice.surface.points(from, to, [&](const glm::vec3& point) {
    for (size_t index = 0; index < view_count; ++index) {
      const PageViewScale& view = choice.views[index];
      for (size_t plane = 0; plane < seen[index].inside.size(); ++plane) {
        const glm::vec4& p = view.frustum.planes[plane];
        seen[index].inside[plane] = seen[index].inside[plane] || glm::dot(glm::vec3(p), point) + p.w >= 0.0f;
      }
      seen[index].nearest = std::min(seen[index].nearest, -(view.view * glm::vec4(point, 1.0f)).z);
    }
  });
  if (!shown) return;
  bool any = false;
  float pixels_per_texel = 0.0f;
  for (size_t index = 0; index < view_count; ++index) {
    if (!std::all_of(seen[index].inside.begin(), seen[index].inside.end(), [](bool inside) { return inside; })) continue;
    any = true;
    const PageViewScale& view = choice.views[index];
    const float nearest = std::max(seen[index].nearest, view.near_plane);
    pixels_per_texel = std::max(pixels_per_texel, view.pixels_per_tangent / nearest * choice.surface.metres_per_texel());
  }
  if (!any) return;
  choice.needed.push_back({level, column, row});
  if (level == 0 || level_for_pixels_per_texel(pixels_per_texel, choice.levels) >= level) return;
  const scene::PageLevelGrid finer = scene::page_level(choice.shape, level - 1);
  for (uint32_t child_row = row * 2; child_row < std::min(row * 2 + 2, finer.rows); ++child_row) {
    for (uint32_t child_column = column * 2; child_column < std::min(column * 2 + 2, finer.columns); ++child_column) {
      visit(choice, level - 1, child_column, child_row);
    }
  }
}

}  // namespace

PageViewScale page_view_scale(const View& view, uint32_t target_width, uint32_t target_height) {
  PageViewScale scale;
  scale.view = view.view;
  scale.frustum = frustum_from_view_projection(view.projection * view.view);
  // A projection maps tan(angle) × projection[0][0] to half the target's width (and [1][1] to
  // half its height); the larger of the two is the finer pixel.
  scale.pixels_per_tangent = std::max(0.5f * static_cast<float>(target_width) * std::abs(view.projection[0][0]),
                                      0.5f * static_cast<float>(target_height) * std::abs(view.projection[1][1]));
  // Reverse-Z with an infinite far plane puts the near plane's distance at [3][2].
  if (view.projection[3][2] > 0.0f) scale.near_plane = view.projection[3][2];
  return scale;
}

uint32_t level_for_pixels_per_texel(float pixels_per_texel, uint32_t levels) {
  if (!(pixels_per_texel < 1.0f)) return 0;
  if (pixels_per_texel <= 0.0f) return levels - 1;
  const float level = std::floor(std::log2(1.0f / pixels_per_texel));
  return std::min(static_cast<uint32_t>(level), levels - 1);
}

void choose_page_tiles(const scene::PageShape& shape, uint32_t levels, const PagePlacement& placement,
                       std::span<const PageViewScale> views, std::vector<NeededTile>& needed) {
  const FlatPage page(shape, placement);
  visit(Choice<FlatPage>{shape, levels, page, views, needed}, levels - 1, 0, 0);
}

void choose_leaf_tiles(const scene::PageShape& shape, uint32_t levels, const LeafSurface& leaf,
                       std::span<const PageViewScale> views, std::vector<NeededTile>& needed) {
  const BentLeaf surface(leaf);
  visit(Choice<BentLeaf>{shape, levels, surface, views, needed}, levels - 1, 0, 0);
}

}  // namespace pavilion::render
