#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "page_tile_interface.h"

// A page's rectangle, made here from the vertex index: two triangles, no vertex buffer.
layout(set = 0, binding = binding_frame) uniform FrameBlock { FrameData frame; };
layout(push_constant) uniform PushBlock { PagePush push; };

layout(location = 0) out vec2 out_uv;  // (0, 0) at the top-left corner of the part shown

const vec2 corners[6] = vec2[](vec2(0, 0), vec2(0, 1), vec2(1, 1), vec2(0, 0), vec2(1, 1), vec2(1, 0));

void main() {
  vec2 uv = corners[gl_VertexIndex];
  out_uv = uv;
  vec4 local = vec4((uv.x - 0.5) * push.size.x, (0.5 - uv.y) * push.size.y, 0.0, 1.0);
  gl_Position = frame.views[gl_ViewIndex + push.page.y].view_projection * (push.page_to_world * local);
}
