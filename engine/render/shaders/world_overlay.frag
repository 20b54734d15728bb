#version 460
#extension GL_GOOGLE_include_directive : require
#include "gpu_interface.h"
#include "distance_field.glsl"
#include "srgb.glsl"

layout(push_constant) uniform PushBlock { WorldOverlayPush push; };
layout(set = 1, binding = binding_overlay_texture) uniform sampler2D overlay_texture;

layout(location = 0) in vec2 uv;
layout(location = 1) in vec4 color;
layout(location = 0) out vec4 out_color;  // linear radiance, before exposure and tonemapping

void main() {
  vec4 texel = texture(overlay_texture, uv);
  if (push.coverage.x > 0.5) texel = vec4(1.0, 1.0, 1.0, distance_coverage(texel.r, push.coverage.y));
  out_color = vec4(srgb_to_linear(color.rgb) * texel.rgb, color.a * texel.a);
}
