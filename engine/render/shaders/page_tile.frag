#version 460
#extension GL_GOOGLE_include_directive : require
#include "page_tile_interface.h"

// A page lying open: the part of its scan the placement crops, from the page virtual texture.
layout(push_constant) uniform PushBlock { PagePush push; };
#include "page_sample.glsl"

layout(location = 0) in vec2 uv;
layout(location = 0) out vec4 out_color;  // linear radiance, before exposure and tonemapping

void main() {
  vec2 pixel = push.crop.xy + uv * push.crop.zw;  // level 0's pixels
  out_color = vec4(sample_page(push.page.x, pixel, push.size.z / gl_FragCoord.w, push.page.zw), 1.0);
}
