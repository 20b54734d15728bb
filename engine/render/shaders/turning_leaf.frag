#version 460
#extension GL_GOOGLE_include_directive : require
#include "page_tile_interface.h"

// The turning leaf's faces: each its page's picture from the page virtual texture (or blank
// paper), lit as matte paper by a light out of the open pages (TurningLeaf in page_tiles.h).
layout(push_constant) uniform PushBlock { LeafPush push; };
#include "page_sample.glsl"

layout(location = 0) in vec2 grid;
layout(location = 1) in vec3 front_normal;
layout(location = 2) flat in uint front;
layout(location = 0) out vec4 out_color;  // linear radiance, before exposure and tonemapping

// What every side of the paper gets from the room, and the share of the light that thin paper
// lets through to the face turned from it.
const float room_light = 0.5;
const float through_paper = 0.15;

void main() {
  bool is_front = front == 1u;
  vec4 origin = is_front ? push.front_origin : push.back_origin;
  vec4 rows = is_front ? push.front_rows : push.back_rows;
  uint page = is_front ? push.leaf.x : push.leaf.y;
  vec3 albedo = push.paper.rgb;
  if (page != no_leaf_page) {
    vec2 pixel = origin.xy + grid.x * origin.zw + grid.y * rows.xy;  // level 0's pixels
    albedo = sample_page(page, pixel, rows.z / gl_FragCoord.w, push.grid.yz);
  }
  vec3 normal = normalize(is_front ? front_normal : -front_normal);
  float facing = dot(normal, push.light.xyz);
  float light = room_light + (1.0 - room_light) * max(facing, 0.0) + through_paper * max(-facing, 0.0);
  out_color = vec4(albedo * light, 1.0);
}
