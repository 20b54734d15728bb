// The tonemap pass's shared part. The includer declares `hdr_image` and defines
// `vec4 tonemapped(ivec3 texel)`, which returns the display-referred colour of one pixel and how
// much of it the scene covers (1 wherever the sky is drawn; less at the edges of what stands
// before a transparent background, for an AR headset to lay over the room).
#ifndef PAVILION_RENDER_TONEMAP_GLSL
#define PAVILION_RENDER_TONEMAP_GLSL

#include "gpu_interface.h"
#include "srgb.glsl"

// Set when the target's format stores sRGB-encoded values without converting (UNORM swapchains).
layout(constant_id = 0) const bool encode_srgb = false;

layout(push_constant) uniform PushBlock { TonemapPush push; };

layout(location = 0) out vec4 out_color;

// Khronos PBR Neutral: linear below 0.76, then a gentle shoulder with a touch of desaturation.
// Base colours a curator authored come out as authored, unlike filmic curves.
vec3 pbr_neutral(vec3 color) {
  const float start_compression = 0.8 - 0.04;
  const float desaturation = 0.15;
  float x = min(color.r, min(color.g, color.b));
  float offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
  color -= offset;
  float peak = max(color.r, max(color.g, color.b));
  if (peak < start_compression) return color;
  const float d = 1.0 - start_compression;
  float new_peak = 1.0 - d * d / (peak + d - start_compression);
  color *= new_peak / peak;
  float g = 1.0 - 1.0 / (desaturation * (peak - new_peak) + 1.0);
  return mix(color, vec3(new_peak), g);
}

vec3 tonemap(vec3 hdr) { return clamp(pbr_neutral(max(hdr * push.exposure, vec3(0.0))), 0.0, 1.0); }

vec4 tonemapped(ivec3 texel);

void main() {
  vec4 color = tonemapped(ivec3(gl_FragCoord.xy, gl_ViewIndex + push.view_offset));
  // Half a step of interleaved-gradient noise, added where the 8-bit steps are, hides banding in
  // the sky's gradients. sRGB targets encode again on write, so they get the decoded value. The
  // colour is premultiplied by its coverage (empty samples are black), as OpenXR layers expect,
  // so the noise is too: nothing is added where nothing was drawn.
  float noise = fract(52.9829189 * fract(dot(gl_FragCoord.xy, vec2(0.06711056, 0.00583715)))) - 0.5;
  vec3 encoded = clamp(linear_to_srgb(color.rgb) + noise * color.a / 255.0, 0.0, 1.0);
  out_color = vec4(encode_srgb ? encoded : srgb_to_linear(encoded), color.a);
}

#endif
