// GLSL shared by the particle simulation and drawing: the systems' data, curves and the
// counter-based random numbers (a hash of the seed, the particle and what is drawn, never a
// clock), so the same seed and steps give the same particles on every run.
#ifndef PAVILION_RENDER_PARTICLE_COMMON_GLSL
#define PAVILION_RENDER_PARTICLE_COMMON_GLSL

#include "gpu_interface.h"

const float particle_pi = 3.14159265358979;

// PCG's output permutation of a linear congruential step (Jarzynski and Olano, "Hash Functions
// for GPU Rendering", 2020).
uint pcg_hash(uint value) {
  uint state = value * 747796405u + 2891336453u;
  uint word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// A number in [0, 1) for draw `index` of particle `seed`.
float random01(uint seed, uint index) { return float(pcg_hash(seed ^ pcg_hash(index + 0x9E3779B9u)) >> 8) / 16777216.0; }

uint key_count(uint packed, uint shift) { return (packed >> shift) & 15u; }

// A curve of up to four keys at `times` (increasing from 0), linear between, held after the last.
float curve(vec4 times, vec4 values, uint count, float t) {
  float value = values[0];
  for (uint key = 1u; key < count; ++key) {
    if (t >= times[key]) {
      value = values[key];
    } else {
      value = mix(values[key - 1u], values[key], (t - times[key - 1u]) / (times[key] - times[key - 1u]));
      break;
    }
  }
  return value;
}

vec4 color_curve(ParticleSystemData system, float t) {
  uint count = key_count(system.look.w, 0u);
  vec4 color = system.colors[0];
  for (uint key = 1u; key < count; ++key) {
    if (t >= system.color_times[key]) {
      color = system.colors[key];
    } else {
      float along = (t - system.color_times[key - 1u]) / (system.color_times[key] - system.color_times[key - 1u]);
      color = mix(system.colors[key - 1u], system.colors[key], along);
      break;
    }
  }
  return color;
}

#endif
