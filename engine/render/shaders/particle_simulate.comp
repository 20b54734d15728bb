#version 460
#extension GL_GOOGLE_include_directive : require
// One simulation step of every particle: each invocation reads the step before (any slot) and
// writes its own slot only, so no two invocations race and the result does not depend on their
// order. A slot is born from its system's emission (its ring of slots, oldest first) or, in an
// on_death system, when the parent slot it belongs to died in the step before.
#include "particle_common.glsl"

// particle_workgroup: a literal, since a constant here would need maintenance4 (LocalSizeId).
layout(local_size_x = 64) in;

layout(std430, set = 0, binding = binding_particle_systems) readonly buffer Systems { ParticleSystemData systems[]; };
layout(std430, set = 0, binding = binding_particles) readonly buffer Before { Particle before[]; };
layout(std430, set = 0, binding = binding_particles_out) writeonly buffer After { Particle after[]; };
layout(std430, set = 0, binding = binding_particle_steps) readonly buffer Steps { ParticleStep steps[]; };
layout(push_constant) uniform PushBlock { ParticleSimulatePush push; };

// A divergence-free swirl: the curl of a smooth vector potential, by central differences, so
// particles eddy without bunching up.
vec3 potential(vec3 p) {
  return vec3(sin(p.y * 1.3 + 0.7) + 0.5 * sin(p.z * 2.9 + 1.9), sin(p.z * 1.7 + 2.3) + 0.5 * sin(p.x * 2.3 + 0.4),
              sin(p.x * 1.1 + 4.1) + 0.5 * sin(p.y * 3.1 + 2.8));
}
vec3 curl(vec3 p) {
  const float h = 0.05;
  vec3 dx = potential(p + vec3(h, 0, 0)) - potential(p - vec3(h, 0, 0));
  vec3 dy = potential(p + vec3(0, h, 0)) - potential(p - vec3(0, h, 0));
  vec3 dz = potential(p + vec3(0, 0, h)) - potential(p - vec3(0, 0, h));
  return vec3(dy.z - dz.y, dz.x - dx.z, dx.y - dy.x) / (2.0 * h);
}

vec3 emitter_offset(ParticleSystemData system, uint seed) {
  float a = random01(seed, 0u), b = random01(seed, 1u), c = random01(seed, 2u);
  uint shape = system.look.x;
  if (shape == 1u) {  // sphere: uniform in the volume
    float z = 2.0 * a - 1.0, phi = 2.0 * particle_pi * b;
    vec3 on_sphere = vec3(sqrt(1.0 - z * z) * cos(phi), z, sqrt(1.0 - z * z) * sin(phi));
    return on_sphere * system.position.w * pow(c, 1.0 / 3.0);
  }
  if (shape == 2u) return (vec3(a, b, c) - 0.5) * system.box.xyz;  // box
  if (shape == 3u) {  // disc, horizontal: uniform over its area
    float r = system.position.w * sqrt(a), phi = 2.0 * particle_pi * b;
    return vec3(r * cos(phi), 0.0, r * sin(phi));
  }
  return vec3(0.0);
}

// A direction within the cone around `axis` (cos_cone = cos of its half-angle), uniform over the cap.
vec3 cone_direction(vec3 axis, float cos_cone, uint seed) {
  float cos_theta = mix(1.0, cos_cone, random01(seed, 3u));
  float sin_theta = sqrt(max(0.0, 1.0 - cos_theta * cos_theta));
  float phi = 2.0 * particle_pi * random01(seed, 4u);
  vec3 helper = abs(axis.y) < 0.99 ? vec3(0, 1, 0) : vec3(1, 0, 0);
  vec3 u = normalize(cross(helper, axis));
  vec3 v = cross(axis, u);
  return normalize(axis * cos_theta + (u * cos(phi) + v * sin(phi)) * sin_theta);
}

Particle born(ParticleSystemData system, uint system_index, uint seed, vec3 origin, vec3 inherited) {
  Particle p;
  vec3 direction = cone_direction(system.direction.xyz, system.box.w, seed);
  float speed = mix(system.direction.w, system.ranges.z, random01(seed, 5u));
  p.position = vec4(origin + emitter_offset(system, seed), 0.0);
  p.velocity = vec4(direction * speed + inherited, mix(system.ranges.x, system.ranges.y, random01(seed, 6u)));
  p.info = uvec4(seed, particle_alive, system_index, 0u);
  return p;
}

// Moves a living particle on by `seconds`: forces on its velocity, then its velocity (times the
// speed curve) on its place; it dies (flagged, for its on_death) when its life is over.
void advance(inout Particle p, ParticleSystemData system, float seconds) {
  float age = p.position.w + seconds;
  float life = p.velocity.w;
  if (age >= life) {
    p.info.y = particle_died;
    p.position.w = life;
    return;
  }
  vec3 velocity = p.velocity.xyz;
  vec3 acceleration = system.gravity.xyz + system.gravity.w * (system.wind.xyz - velocity);
  if (system.wind.w > 0.0) acceleration += system.wind.w * curl(p.position.xyz / system.motion.x);
  velocity += acceleration * seconds;
  float speed_scale = curve(system.speed_times, system.speeds, key_count(system.look.w, 8u), age / life);
  p.position.xyz += velocity * speed_scale * seconds;
  p.position.w = age;
  p.velocity.xyz = velocity;
}

void main() {
  uint slot = gl_GlobalInvocationID.x;
  if (slot >= push.slot_count) return;
  uint system_index = 0u;
  while (system_index + 1u < push.system_count && slot >= systems[system_index + 1u].slots.x) ++system_index;
  ParticleSystemData system = systems[system_index];
  ParticleStep step = steps[push.first_step + system_index];
  uint local = slot - system.slots.x;
  Particle p = before[slot];
  if (p.info.y == particle_died) p.info.y = 0u;  // its children are born this step, from `before`
  float seconds = step.timing.x;

  uint system_seed = pcg_hash(push.seed ^ pcg_hash(system_index));
  if (local < system.slots.y) {
    uint ring = system.slots.y;
    uint newer = (local + ring - step.emit.x) % ring;  // how many slots after the first new one
    if (newer < step.emit.y) {
      uint number = step.emit.z + newer;
      p = born(system, system_index, pcg_hash(system_seed ^ number), system.position.xyz, vec3(0.0));
      // A continuous system's particle n is born at n / rate: only the rest of the step is its own.
      if (system.slots.w == 0u) seconds = min(seconds, (step.timing.y + float(step.emit.y - 1u - newer)) / step.timing.z);
    }
  } else if (system.parent.x != particle_no_parent) {
    uint child = local - system.slots.y;
    Particle parent = before[system.parent.x + child / system.parent.y];
    if (parent.info.y == particle_died) {
      uint seed = pcg_hash(system_seed ^ pcg_hash(parent.info.x) ^ (child % system.parent.y) * 2654435761u);
      p = born(system, system_index, seed, parent.position.xyz, parent.velocity.xyz);
    }
  }
  if (p.info.y == particle_alive) advance(p, system, seconds);
  after[slot] = p;
}
