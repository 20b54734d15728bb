#version 460
#extension GL_GOOGLE_include_directive : require
#include "gpu_interface.h"
#include "srgb.glsl"

// Set for targets that encode sRGB on write: vertex colours are decoded so blending happens in
// linear light. UNORM targets blend the encoded values, as desktop toolkits do.
layout(constant_id = 0) const bool srgb_target = true;

layout(push_constant) uniform PushBlock { OverlayPush push; };
layout(set = 0, binding = binding_overlay_texture) uniform sampler2D overlay_texture;

layout(location = 0) in vec2 uv;
layout(location = 1) in vec4 color;
layout(location = 0) out vec4 out_color;

// Coverage of a distance-field glyph: a pixel-wide ramp across the outline at any scale, or a
// soft glow reaching `push.coverage.y` below it.
float distance_coverage(float distance) {
  if (push.coverage.y > 0.0) return smoothstep(0.5 - push.coverage.y, 0.5, distance);
  float ramp = max(fwidth(distance) * 0.5, 1.0 / 255.0);
  return smoothstep(0.5 - ramp, 0.5 + ramp, distance);
}

void main() {
  vec4 texel = texture(overlay_texture, uv);  // decoded to linear by the sRGB format
  if (push.coverage.x > 0.5) texel = vec4(1.0, 1.0, 1.0, distance_coverage(texel.r));
  if (srgb_target) {
    out_color = vec4(srgb_to_linear(color.rgb) * texel.rgb, color.a * texel.a);
  } else {
    out_color = vec4(color.rgb * linear_to_srgb(texel.rgb), color.a * texel.a);
  }
}
