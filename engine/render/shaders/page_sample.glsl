// Sampling the page virtual texture (src/page_tiles.h): shared by the pages lying open and the
// turning leaf. Each tile's border pixels are its neighbours' edges (the pyramid's overlap), so
// bilinear filtering inside one slot has no seams.
#ifndef PAVILION_RENDER_PAGE_SAMPLE_GLSL
#define PAVILION_RENDER_PAGE_SAMPLE_GLSL

#include "page_tile_interface.h"

layout(set = 1, binding = binding_page_atlas) uniform sampler2DArray atlas;
layout(std430, set = 1, binding = binding_page_shapes) readonly buffer Shapes { PageData pages[]; };
layout(std430, set = 1, binding = binding_page_table) readonly buffer Table { uint entries[]; };

// The colour of page `page_index` at `pixel` (level 0's pixels), from the finest level of its
// pyramid that is resident at the level where one texel spans the screen pixel (`footprint`:
// level-0 texels the pixel spans) or coarser. `slots`: columns and rows of slots in an atlas layer.
// The footprint is judged by depth as the CPU chose the tiles (page_tile_choice.h), so the level
// wanted is never finer than the tiles asked for. (Screen derivatives would weigh a slant too, but
// lavapipe's jump along a rectangle's diagonal.)
// Linear; the turning leaf's blank face (TurningLeaf::paper) is the same.
const vec3 page_paper = vec3(0.81, 0.73, 0.58);

vec3 sample_page(uint page_index, vec2 pixel, float footprint, uvec2 slots) {
  PageData page = pages[page_index];
  uint levels = page.shape.z;
  uint level = uint(clamp(floor(log2(max(footprint, 1e-6))), 0.0, float(levels - 1u)));
  uint tile_size = page.tiling.x;
  uint overlap = page.tiling.y;
  for (; level < levels; ++level) {
    // page_level: the level's size rounds up, as its grid of tiles does.
    uvec2 size = (page.shape.xy + (1u << level) - 1u) >> level;
    uvec2 grid = (size + tile_size - 1u) / tile_size;
    vec2 at = clamp(pixel / float(1u << level), vec2(0.0), vec2(size));
    uvec2 tile = min(uvec2(at) / tile_size, grid - 1u);
    uint entry = entries[page.shape.w + page.level_first[level >> 2][level & 3u] + tile.y * grid.x + tile.x];
    if (entry == 0u) continue;
    // The tile's pixels start one overlap before its own square, except at the level's edge: the
    // geometry of page_level and page_tile_span in engine/scene's page_tiles.h, whose tests hold
    // the pyramid's tiles to it.
    uvec2 start = tile * tile_size - min(tile * tile_size, uvec2(overlap));
    uvec2 end = min((tile + 1u) * tile_size + overlap, size);
    vec2 local = clamp(at - vec2(start), vec2(0.5), vec2(end - start) - 0.5);
    uint slot = entry - 1u;
    uint in_layer = slot % (slots.x * slots.y);
    vec2 slot_origin = vec2(in_layer % slots.x, in_layer / slots.x) * float(page_slot_size);
    vec3 coordinate = vec3((slot_origin + local) / vec2(slots * page_slot_size), float(slot / (slots.x * slots.y)));
    return textureLod(atlas, coordinate, 0.0).rgb;
  }
  // No level resident here: the page's coarsest tile could not be read (a placeholder page whose
  // scan is missing, say), and the renderer gave up on it. Blank paper, not an alarm colour.
  return page_paper;
}

#endif
