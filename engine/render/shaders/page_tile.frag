#version 460
#extension GL_GOOGLE_include_directive : require
#include "page_tile_interface.h"

// Samples the finest level of the page's pyramid that is resident at this pixel's own level or
// coarser. Each tile's border pixels are its neighbours' edges (the pyramid's overlap), so
// bilinear filtering inside one slot has no seams.
layout(push_constant) uniform PushBlock { PagePush push; };
layout(set = 1, binding = binding_page_atlas) uniform sampler2DArray atlas;
layout(std430, set = 1, binding = binding_page_shapes) readonly buffer Shapes { PageData pages[]; };
layout(std430, set = 1, binding = binding_page_table) readonly buffer Table { uint entries[]; };

layout(location = 0) in vec2 uv;
layout(location = 0) out vec4 out_color;  // linear radiance, before exposure and tonemapping

void main() {
  PageData page = pages[push.page.x];
  vec2 pixel = uv * vec2(page.shape.xy);  // level 0's pixels
  // The level at which one texel spans this pixel, judged by depth as the CPU chose the tiles
  // (page_tile_choice.h), so the level wanted is never finer than the tiles asked for. (Screen
  // derivatives would weigh a slant too, but lavapipe's jump along the rectangle's diagonal.)
  float footprint = push.size.z / gl_FragCoord.w;
  uint levels = page.shape.z;
  uint level = uint(clamp(floor(log2(max(footprint, 1e-6))), 0.0, float(levels - 1u)));
  uint tile_size = page.tiling.x;
  uint overlap = page.tiling.y;
  // Blank paper (linear) where no level is resident: the page's coarsest tile could not be read (a
  // placeholder page whose scan is missing, say), and the renderer gave up on it.
  vec4 color = vec4(0.81, 0.73, 0.58, 1.0);
  for (; level < levels; ++level) {
    uvec4 shape = page.levels[level];
    vec2 at = clamp(pixel / float(1u << level), vec2(0.0), vec2(shape.xy));
    uvec2 tile = min(uvec2(at) / tile_size, uvec2(shape.z - 1u, (shape.y + tile_size - 1u) / tile_size - 1u));
    uint entry = entries[page.shape.w + shape.w + tile.y * shape.z + tile.x];
    if (entry == 0u) continue;
    // The tile's pixels start one overlap before its own square, except at the level's edge.
    uvec2 start = tile * tile_size - min(tile * tile_size, uvec2(overlap));
    uvec2 end = min((tile + 1u) * tile_size + overlap, shape.xy);
    vec2 local = clamp(at - vec2(start), vec2(0.5), vec2(end - start) - 0.5);
    uint slot = entry - 1u;
    uvec2 slots = push.page.zw;
    uint in_layer = slot % (slots.x * slots.y);
    vec2 slot_origin = vec2(in_layer % slots.x, in_layer / slots.x) * float(page_slot_size);
    vec3 coordinate = vec3((slot_origin + local) / vec2(slots * page_slot_size), float(slot / (slots.x * slots.y)));
    color = vec4(textureLod(atlas, coordinate, 0.0).rgb, 1.0);
    break;
  }
  out_color = color;
}
