#version 460
#extension GL_GOOGLE_include_directive : require
#include "gpu_interface.h"

layout(push_constant) uniform PushBlock { OverlayPush push; };

layout(location = 0) in vec2 position;  // pixels
layout(location = 1) in vec2 uv;
layout(location = 2) in vec4 color;     // sRGB-encoded, straight alpha

layout(location = 0) out vec2 out_uv;
layout(location = 1) out vec4 out_color;

void main() {
  out_uv = uv;
  out_color = color;
  gl_Position = vec4(position * push.scale_and_offset.xy + push.scale_and_offset.zw, 0.0, 1.0);
}
