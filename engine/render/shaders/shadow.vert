#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(location = 0) in vec3 in_position;

// The shadow pass draws every instance, in sorted order: gl_InstanceIndex indexes them directly.
layout(set = 0, binding = binding_instances, std430) readonly buffer InstanceBlock { InstanceData instances[]; };

void main() {
  gl_Position = frame.light_view_projection * (instances[gl_InstanceIndex].model * vec4(in_position, 1.0));
}
