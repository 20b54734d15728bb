// GLSL helpers shared by the scene passes. Includers enable GL_EXT_multiview.
#ifndef PAVILION_RENDER_COMMON_GLSL
#define PAVILION_RENDER_COMMON_GLSL

#include "gpu_interface.h"

const float pi = 3.14159265358979;

layout(set = 0, binding = binding_frame) uniform FrameBlock { FrameData frame; };
layout(push_constant) uniform PushBlock { ScenePush push; };

// Which view this invocation draws: multiview passes draw every view at once (gl_ViewIndex),
// single-view passes (for drivers whose multiview is unusable) one at a time (view_offset).
uint view_index() { return gl_ViewIndex + push.view_offset; }

// The sky's radiance in direction `direction` (unit length): a gradient from the horizon up to the
// zenith and down to the ground, with a soft glow and a disc where the sun is.
vec3 sky_radiance(vec3 direction, bool with_sun) {
  float up = direction.y;
  vec3 color = up >= 0.0 ? mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, sqrt(up))
                         : mix(frame.sky_horizon.rgb, frame.ground.rgb, sqrt(min(-up * 4.0, 1.0)));
  if (with_sun) {
    float toward_sun = max(dot(direction, frame.light_direction.xyz), 0.0);
    color += frame.light_radiance.rgb * (pow(toward_sun, 64.0) * 0.15 + smoothstep(0.9995, 0.9998, toward_sun) * 8.0);
  }
  return color;
}

#endif
