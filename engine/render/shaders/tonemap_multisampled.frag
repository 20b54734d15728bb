#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "tonemap.glsl"

// The MSAA resolve happens here: each sample is tonemapped before the average, so an edge between
// a bright highlight and a dark surface blends in display terms and stays smooth instead of
// collapsing to the bright side, as a plain HDR average would.
layout(constant_id = 1) const int sample_count = 4;

layout(set = 0, binding = binding_hdr) uniform sampler2DMSArray hdr_image;

vec4 tonemapped(ivec3 texel) {
  vec4 sum = vec4(0.0);
  for (int sample_index = 0; sample_index < sample_count; ++sample_index) {
    vec4 hdr = texelFetch(hdr_image, texel, sample_index);
    sum += vec4(tonemap(hdr.rgb), hdr.a);
  }
  return sum / float(sample_count);
}
