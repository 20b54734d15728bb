#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(location = 0) out vec4 out_color;

void main() {
  ViewData view = frame.views[view_index()];
  vec2 ndc = gl_FragCoord.xy * frame.screen.zw * 2.0 - 1.0;
  // A point on the near plane (depth 1 with reverse-Z) in the world gives the ray direction.
  vec4 near_point = view.inverse_view_projection * vec4(ndc, 1.0, 1.0);
  vec3 direction = normalize(near_point.xyz / near_point.w - view.position.xyz);
  out_color = vec4(sky_radiance(direction, true), 1.0);
}
