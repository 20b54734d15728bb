#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
// Particles over a multisampled depth: a pixel's first sample, the one the depth resolve keeps.
#include "particle_common.glsl"

layout(set = 1, binding = binding_particle_depth) uniform sampler2DMSArray scene_depth;

#include "particle_fragment.glsl"

float scene_depth_at(ivec2 pixel, int layer) { return texelFetch(scene_depth, ivec3(pixel, layer), 0).r; }
