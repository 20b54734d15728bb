// Morph targets in the vertex stage (glTF's): each target the instance weights this frame adds
// its delta, weighted, to the vertex's position and normal, before skinning. The weights come as
// a sparse list, so targets at zero cost nothing.
#ifndef PAVILION_RENDER_MORPHING_GLSL
#define PAVILION_RENDER_MORPHING_GLSL

#include "gpu_interface.h"

layout(set = 0, binding = binding_morph_deltas, std430) readonly buffer MorphDeltaBlock { uint morph_deltas[]; };
layout(set = 0, binding = binding_morph_weights, std430) readonly buffer MorphWeightBlock { uvec2 morph_weights[]; };

// Adds the weighted deltas of the instance's targets (InstanceData::morph) to this vertex's
// position and normal.
void morph_vertex(uvec4 morph, inout vec3 position, inout vec3 normal) {
  uint vertex = uint(gl_VertexIndex) - morph.w;
  uint count = morph_weights[morph.z].x;
  for (uint pair = 0; pair < count; ++pair) {
    uvec2 weighted = morph_weights[morph.z + 1 + pair];
    float weight = uintBitsToFloat(weighted.y);
    uint word = 3 * (morph.x + weighted.x * morph.y + vertex);
    vec2 xy = unpackHalf2x16(morph_deltas[word]);
    vec2 z_nx = unpackHalf2x16(morph_deltas[word + 1]);
    vec2 ny_nz = unpackHalf2x16(morph_deltas[word + 2]);
    position += weight * vec3(xy, z_nx.x);
    normal += weight * vec3(z_nx.y, ny_nz);
  }
}

#endif
