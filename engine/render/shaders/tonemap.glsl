// The tonemap pass, whose four variants (tonemap*.frag) differ in two defines:
// PAVILION_TONEMAP_MULTISAMPLED resolves a multisampled HDR image here, and
// PAVILION_LIMIT_FLASHES caps how far each pixel's luminance moves from the last frame's (the
// flash limiter: RendererConfig::max_luminance_step) and writes what it showed for the next frame.
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

// tonemapped(texel): the display-referred colour of one pixel and how much of it the scene covers
// (1 wherever the sky is drawn; less at the edges of what stands before a transparent background,
// for an AR headset to lay over the room).
#ifdef PAVILION_TONEMAP_MULTISAMPLED
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
#else
layout(set = 0, binding = binding_hdr) uniform sampler2DArray hdr_image;

vec4 tonemapped(ivec3 texel) {
  vec4 hdr = texelFetch(hdr_image, texel, 0);
  return vec4(tonemap(hdr.rgb), hdr.a);
}
#endif

#ifdef PAVILION_LIMIT_FLASHES
layout(set = 0, binding = binding_luminance_history) uniform sampler2DArray previous_luminance;
layout(location = 1) out float out_luminance;

// WCAG 2.2's relative luminance of linear sRGB.
float relative_luminance(vec3 color) { return dot(color, vec3(0.2126, 0.7152, 0.0722)); }

// `color` (linear, 0 to 1) at the luminance nearest its own within `step` of `previous`, its hue
// and saturation kept: scaled, so its chromaticity stays; black, which has none, becomes grey;
// a channel that scaling would push past 1 is held there by mixing towards the grey of the same
// luminance, which the display can show (mixing keeps the luminance: the weights add up to 1).
vec3 limit_luminance_change(vec3 color, float previous, float step) {
  float luminance = relative_luminance(color);
  float limited = clamp(luminance, previous - step, previous + step);
  if (limited == luminance) return color;
  if (luminance <= 0.0) return vec3(limited);
  vec3 scaled = color * (limited / luminance);
  float peak = max(scaled.r, max(scaled.g, scaled.b));
  if (peak <= 1.0) return scaled;
  return mix(scaled, vec3(limited), (peak - 1.0) / (peak - limited));
}
#endif

void main() {
  ivec3 texel = ivec3(gl_FragCoord.xy, gl_ViewIndex + push.view_offset);
  vec4 color = tonemapped(texel);
#ifdef PAVILION_LIMIT_FLASHES
  // Before the dither below: the limit and the memory of it are in exact values, not 8-bit steps.
  if (push.history_valid != 0u) {
    color.rgb = limit_luminance_change(color.rgb, texelFetch(previous_luminance, texel, 0).r, push.max_luminance_step);
  }
  out_luminance = relative_luminance(color.rgb);
#endif
  // Half a step of interleaved-gradient noise, added where the 8-bit steps are, hides banding in
  // the sky's gradients. sRGB targets encode again on write, so they get the decoded value. The
  // colour is premultiplied by its coverage (empty samples are black), as OpenXR layers expect,
  // so the noise is too: nothing is added where nothing was drawn.
  float noise = fract(52.9829189 * fract(dot(gl_FragCoord.xy, vec2(0.06711056, 0.00583715)))) - 0.5;
  vec3 encoded = clamp(linear_to_srgb(color.rgb) + noise * color.a / 255.0, 0.0, 1.0);
  out_color = vec4(encode_srgb ? encoded : srgb_to_linear(encoded), color.a);
}

#endif
