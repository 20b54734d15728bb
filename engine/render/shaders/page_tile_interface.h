// Shared by C++ and GLSL: the page virtual texture's bindings and data (src/page_tiles.cpp).
// Built from 16-byte members only, as gpu_interface.h's structs are.
#ifndef PAVILION_RENDER_PAGE_TILE_INTERFACE_H
#define PAVILION_RENDER_PAGE_TILE_INTERFACE_H

#include "gpu_interface.h"

#ifdef __cplusplus
namespace pavilion::render::gpu {
#define PV_CONSTANT constexpr uint32_t
#else
#define PV_CONSTANT const uint
#endif

// 256 × 256 texels: a tile of 254 plus its overlap on both sides.
PV_CONSTANT page_slot_size = 256u;
// Levels a page may have: 254 × 2^15 pixels on its longer side.
PV_CONSTANT max_page_levels = 16u;

// Descriptor set 1 of the page pipeline (set 0 is the frame's).
PV_CONSTANT binding_page_atlas = 0u;   // sampler2DArray: the tile slots, columns × rows per layer
PV_CONSTANT binding_page_shapes = 1u;  // storage PageData[]
PV_CONSTANT binding_page_table = 2u;   // storage uint[]: per tile, its slot + 1, or 0 when not resident

struct PageData {
  uvec4 shape;   // x, y: level 0's size; z: level count; w: the page's first entry in the table
  uvec4 tiling;  // x: tile size; y: overlap
  uvec4 levels[max_page_levels];  // x, y: the level's size; z: its columns; w: its first entry, after the page's
};

struct PagePush {
  mat4 page_to_world;
  vec4 size;  // xy: the page's size in metres; z: level-0 texels a pixel spans per metre of depth
  uvec4 page; // x: the page; y: view offset (as ScenePush's); z, w: columns and rows of slots in an atlas layer
};

#ifdef __cplusplus
}  // namespace pavilion::render::gpu
#undef PV_CONSTANT
#endif

#endif
