#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "tonemap.glsl"

layout(set = 0, binding = binding_hdr) uniform sampler2DArray hdr_image;

vec4 tonemapped(ivec3 texel) {
  vec4 hdr = texelFetch(hdr_image, texel, 0);
  return vec4(tonemap(hdr.rgb), hdr.a);
}
