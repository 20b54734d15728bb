#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "morphing.glsl"

layout(location = 0) in vec3 in_position;

// Morphed instances are drawn one at a time, in sorted order: gl_InstanceIndex indexes them directly.
layout(set = 0, binding = binding_instances, std430) readonly buffer InstanceBlock { InstanceData instances[]; };

void main() {
  InstanceData instance = instances[gl_InstanceIndex];
  vec3 position = in_position;
  vec3 normal = vec3(0.0);  // unused: the compiler drops its loads
  morph_vertex(instance.morph, position, normal);
  gl_Position = frame.light_view_projection * (instance.model * vec4(position, 1.0));
}
