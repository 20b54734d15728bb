#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "gpu_interface.h"

layout(set = 0, binding = binding_frame) uniform FrameBlock { FrameData frame; };
layout(push_constant) uniform PushBlock { WorldOverlayPush push; };

layout(location = 0) in vec2 position;  // metres on the overlay's plane, y down
layout(location = 1) in vec2 uv;
layout(location = 2) in vec4 color;     // sRGB-encoded, straight alpha

layout(location = 0) out vec2 out_uv;
layout(location = 1) out vec4 out_color;

void main() {
  out_uv = uv;
  out_color = color;
  vec4 world = push.plane_to_world * vec4(position.x, -position.y, 0.0, 1.0);
  gl_Position = frame.views[gl_ViewIndex + push.view.x].view_projection * world;
}
