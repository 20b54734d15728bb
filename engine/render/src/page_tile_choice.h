// Which tiles of a page the views need, on the CPU from the page's rectangle and the views'
// matrices: nothing is read back from the GPU. Pure CPU code, allocation-free once `needed` has
// grown to its capacity.
#pragma once

#include "culling.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/page_tiles.h"

#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::render {

// What a view needs to know to judge a page's texels: where it sees, and how many of the
// target's pixels a unit of tangent spans (pixels per metre at one metre's depth).
struct PageViewScale {
  glm::mat4 view{1.0f};
  Frustum frustum{};
  float pixels_per_tangent = 1.0f;
  float near_plane = default_near_plane;
};

PageViewScale page_view_scale(const View& view, uint32_t target_width, uint32_t target_height);

struct NeededTile {
  uint32_t level = 0;
  uint32_t column = 0;
  uint32_t row = 0;
};

// Appends the tiles of the page's crop that some view sees (a tile wholly outside it is never
// needed), from the coarsest level down to the level at
// which, for every view, a screen pixel covers at most one texel: a tile is needed when a view sees
// it, and its four children are looked at when some view sees it finer than its own level. The
// finest demand over a tile is judged at its corner nearest a view (depth, not angle: a page seen
// at a slant gets the level its sharper direction needs). Coarser levels come before finer ones
// under each tile; `levels` is page_level_count(shape).
void choose_page_tiles(const scene::PageShape& shape, uint32_t levels, const PagePlacement& placement,
                       std::span<const PageViewScale> views, std::vector<NeededTile>& needed);

// A face of the turning leaf as the tile choice sees it: its grid's points in the world and where
// each falls in the page's level-0 pixels (origin + column / columns × along_columns + row / rows
// × along_rows; the two directions independent).
struct LeafSurface {
  std::span<const glm::vec3> points;  // (columns + 1) × (rows + 1), row by row
  uint32_t columns = 1;
  uint32_t rows = 1;
  glm::vec2 origin{0.0f};
  glm::vec2 along_columns{1.0f, 0.0f};
  glm::vec2 along_rows{0.0f, 1.0f};
  float metres_per_texel = 1.0f;  // at level 0, the coarser of the two directions' texels
};

// As choose_page_tiles, for a face of a bent leaf: a tile is judged by the grid's points over it
// and the points where its corners fall, so the bulge of a bend between its corners counts.
void choose_leaf_tiles(const scene::PageShape& shape, uint32_t levels, const LeafSurface& leaf,
                       std::span<const PageViewScale> views, std::vector<NeededTile>& needed);

// The level at which a texel of a page spans at least a pixel, given the pixels one level-0
// texel spans; 0 when the page is seen at or beyond its scan's own resolution.
uint32_t level_for_pixels_per_texel(float pixels_per_texel, uint32_t levels);

}  // namespace pavilion::render
