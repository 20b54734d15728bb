#include "page_tile_choice.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace pavilion::render {
namespace {

struct Choice {
  const scene::PageShape& shape;
  uint32_t levels;
  const PagePlacement& placement;
  std::span<const PageViewScale> views;
  std::vector<NeededTile>& needed;
  float metres_per_texel;  // at level 0, along the page's longer texels
};

// Level-0 pixel (x, y) of the page in the world.
glm::vec3 page_point(const Choice& choice, float x, float y) {
  const glm::vec2 size = choice.placement.size;
  const glm::vec4 local(x / static_cast<float>(choice.shape.width) * size.x - 0.5f * size.x,
                        0.5f * size.y - y / static_cast<float>(choice.shape.height) * size.y, 0.0f, 1.0f);
  return glm::vec3(choice.placement.transform * local);
}

bool quad_in_frustum(const Frustum& frustum, const std::array<glm::vec3, 4>& corners) {
  for (const glm::vec4& plane : frustum.planes) {
    bool inside = false;
    for (const glm::vec3& corner : corners) inside = inside || glm::dot(glm::vec3(plane), corner) + plane.w >= 0.0f;
    if (!inside) return false;
  }
  return true;
}

void visit(const Choice& choice, uint32_t level, uint32_t column, uint32_t row) {
  const uint64_t span = uint64_t{choice.shape.tile_size} << level;  // level-0 pixels a tile spans
  const float x0 = static_cast<float>(column * span);
  const float y0 = static_cast<float>(row * span);
  const float x1 = static_cast<float>(std::min<uint64_t>((column + 1) * span, choice.shape.width));
  const float y1 = static_cast<float>(std::min<uint64_t>((row + 1) * span, choice.shape.height));
  const std::array<glm::vec3, 4> corners{page_point(choice, x0, y0), page_point(choice, x1, y0),
                                         page_point(choice, x0, y1), page_point(choice, x1, y1)};
  bool seen = false;
  float pixels_per_texel = 0.0f;
  for (const PageViewScale& view : choice.views) {
    if (!quad_in_frustum(view.frustum, corners)) continue;
    seen = true;
    float nearest = std::numeric_limits<float>::max();
    for (const glm::vec3& corner : corners) nearest = std::min(nearest, -(view.view * glm::vec4(corner, 1.0f)).z);
    nearest = std::max(nearest, view.near_plane);
    pixels_per_texel = std::max(pixels_per_texel, view.pixels_per_tangent / nearest * choice.metres_per_texel);
  }
  if (!seen) return;
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
  const float metres_per_texel = std::max(placement.size.x / static_cast<float>(shape.width),
                                          placement.size.y / static_cast<float>(shape.height));
  const Choice choice{shape, levels, placement, views, needed, metres_per_texel};
  visit(choice, levels - 1, 0, 0);
}

}  // namespace pavilion::render
