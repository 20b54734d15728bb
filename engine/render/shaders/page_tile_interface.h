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
PV_CONSTANT binding_leaf_points = 3u;  // storage LeafPoint[]: the turning leaf's grid, in the world

// A turning leaf's grid: at most 32 × 32 cells.
PV_CONSTANT max_leaf_points = 33u * 33u;
PV_CONSTANT no_leaf_page = 0xFFFFFFFFu;

struct PageData {
  uvec4 shape;   // x, y: level 0's size; z: level count; w: the page's first entry in the table
  uvec4 tiling;  // x: tile size; y: overlap
  // Each level's first entry, after the page's: level l's is level_first[l / 4][l % 4]. Levels'
  // sizes and grids are not stored: the shader derives them (page_level in engine/scene's
  // page_tiles.h), which keeps a 5 000-page book's shapes to a third of a megabyte.
  uvec4 level_first[max_page_levels / 4u];
};

struct PagePush {
  mat4 page_to_world;
  vec4 size;  // xy: the page's size in metres; z: level-0 texels a pixel spans per metre of depth
  uvec4 page; // x: the page; y: view offset (as ScenePush's); z, w: columns and rows of slots in an atlas layer
  vec4 crop;  // the part of the scan shown, in level-0 pixels: xy its top-left corner, zw its size
};

struct LeafPoint {
  vec4 position;  // xyz, world
  vec4 normal;    // xyz, world, of the front face
};

// Per face, where grid point (column, row) of a (columns × rows)-cell grid falls in its page's
// level-0 pixels: origin + column / columns × along_columns + row / rows × along_rows.
struct LeafPush {
  vec4 front_origin;  // xy: origin; zw: along_columns
  vec4 front_rows;    // xy: along_rows; z: level-0 texels a pixel spans per metre of depth
  vec4 back_origin;
  vec4 back_rows;
  vec4 light;  // xyz: towards the light, world, unit length
  vec4 paper;  // rgb: a blank face, linear
  uvec4 leaf;  // x, y: the front's and back's pages (no_leaf_page: blank); z: view offset; w: columns
  uvec4 grid;  // x: rows; y, z: columns and rows of slots in an atlas layer
};

#ifdef __cplusplus
}  // namespace pavilion::render::gpu
#undef PV_CONSTANT
#endif

#endif
