#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "page_tile_interface.h"

// The turning leaf (src/page_tiles.h): two triangles per cell of its grid, made here from the
// vertex index and the grid's points in the world; no vertex buffer.
layout(set = 0, binding = binding_frame) uniform FrameBlock { FrameData frame; };
layout(push_constant) uniform PushBlock { LeafPush push; };
layout(std430, set = 1, binding = binding_leaf_points) readonly buffer Points { LeafPoint points[]; };

layout(location = 0) out vec2 out_grid;       // (column / columns, row / rows)
layout(location = 1) out vec3 out_normal;     // the front face's, in the world
layout(location = 2) flat out uint out_front; // 1 where this view sees the triangle's front face

const uvec2 corners[6] = uvec2[](uvec2(0, 0), uvec2(1, 0), uvec2(0, 1), uvec2(1, 0), uvec2(1, 1), uvec2(0, 1));

uint point_index(uvec2 at) { return at.y * (push.leaf.w + 1u) + at.x; }

void main() {
  uint columns = push.leaf.w;
  uint cell = uint(gl_VertexIndex) / 6u;
  uint corner = uint(gl_VertexIndex) % 6u;
  uvec2 cell_at = uvec2(cell % columns, cell / columns);
  LeafPoint point = points[point_index(cell_at + corners[corner])];
  // Which face this view sees is the side of the triangle's plane its eye is on, the plane's
  // normal turned to agree with the front's normals: the same for all three vertices, whatever
  // way the grid winds (a right-to-left book's is a mirror image).
  uint first = corner < 3u ? 0u : 3u;
  LeafPoint a = points[point_index(cell_at + corners[first])];
  LeafPoint b = points[point_index(cell_at + corners[first + 1u])];
  LeafPoint c = points[point_index(cell_at + corners[first + 2u])];
  vec3 plane = cross(b.position.xyz - a.position.xyz, c.position.xyz - a.position.xyz);
  if (dot(plane, a.normal.xyz + b.normal.xyz + c.normal.xyz) < 0.0) plane = -plane;
  ViewData view = frame.views[gl_ViewIndex + push.leaf.z];
  out_front = dot(plane, view.position.xyz - a.position.xyz) >= 0.0 ? 1u : 0u;
  out_grid = vec2(cell_at + corners[corner]) / vec2(columns, push.grid.x);
  out_normal = point.normal.xyz;
  gl_Position = view.view_projection * vec4(point.position.xyz, 1.0);
}
