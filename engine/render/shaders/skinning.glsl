// Linear blend skinning in the vertex stage: up to four joints per vertex, their matrices taken
// from the frame's joint buffer, where each skinned instance has its own run of them.
#ifndef PAVILION_RENDER_SKINNING_GLSL
#define PAVILION_RENDER_SKINNING_GLSL

#include "gpu_interface.h"

layout(location = 4) in uvec4 in_joints;   // indices into the instance's skin
layout(location = 5) in vec4 in_weights;   // sum to one

layout(set = 0, binding = binding_joints, std430) readonly buffer JointBlock { mat4 joints[]; };

// The blend of the vertex's joint matrices: from the mesh at bind time to the world now.
mat4 skin_matrix(uint first_joint) {
  return in_weights.x * joints[first_joint + in_joints.x] + in_weights.y * joints[first_joint + in_joints.y] +
         in_weights.z * joints[first_joint + in_joints.z] + in_weights.w * joints[first_joint + in_joints.w];
}

#endif
