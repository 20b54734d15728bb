#version 460
#extension GL_GOOGLE_include_directive : require
#include "gpu_interface.h"
#include "distance_field.glsl"
#include "srgb.glsl"

// Set for targets that encode sRGB on write: vertex colours are decoded so blending happens in
// linear light. UNORM targets blend the encoded values, as desktop toolkits do.
layout(constant_id = 0) const bool srgb_target = true;

layout(push_constant) uniform PushBlock { OverlayPush push; };
layout(set = 0, binding = binding_overlay_texture) uniform sampler2D overlay_texture;

layout(location = 0) in vec2 uv;
layout(location = 1) in vec4 color;
layout(location = 0) out vec4 out_color;

void main() {
  vec4 texel = texture(overlay_texture, uv);  // decoded to linear by the sRGB format
  if (push.coverage.x > 0.5) texel = vec4(1.0, 1.0, 1.0, distance_coverage(texel.r, push.coverage.y));
  if (srgb_target) {
    out_color = vec4(srgb_to_linear(color.rgb) * texel.rgb, color.a * texel.a);
  } else {
    out_color = vec4(color.rgb * linear_to_srgb(texel.rgb), color.a * texel.a);
  }
}
