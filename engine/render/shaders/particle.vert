#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
// A particle as a quad facing the eye (six vertices a particle, gl_VertexIndex / 6 its slot),
// stretched back along its velocity when its system trails; a dead slot collapses to a point.
#include "particle_common.glsl"

layout(set = 0, binding = binding_frame) uniform FrameBlock { FrameData frame; };
layout(std430, set = 1, binding = binding_particle_systems) readonly buffer Systems { ParticleSystemData systems[]; };
layout(std430, set = 1, binding = binding_particles) readonly buffer Particles { Particle particles[]; };
layout(push_constant) uniform PushBlock { ParticleDrawPush push; };

layout(location = 0) out vec2 out_corner;  // -1 to 1 across (x) and along (y) the quad
layout(location = 1) out vec4 out_color;   // linear, glow applied; alpha
layout(location = 2) out vec3 out_world;
layout(location = 3) flat out uvec3 out_sprite;  // x: sprite, y: the particle's seed, z: 1 alpha blending
layout(location = 4) flat out float out_soft;

const vec2 corners[6] = vec2[](vec2(-1, -1), vec2(1, -1), vec2(1, 1), vec2(-1, -1), vec2(1, 1), vec2(-1, 1));

void main() {
  Particle p = particles[push.first_slot + gl_VertexIndex / 6];
  if (p.info.y != particle_alive) {
    gl_Position = vec4(2.0, 2.0, 0.5, 1.0);  // all six at one point outside the view: nothing drawn
    return;
  }
  ParticleSystemData system = systems[p.info.z];
  vec2 corner = corners[gl_VertexIndex % 6];
  float t = p.position.w / p.velocity.w;
  vec4 color = color_curve(system, t);
  float size = curve(system.size_times, system.sizes, key_count(system.look.w, 4u), t);

  vec3 center = p.position.xyz;
  // A gentle sway: a slow figure around where the particle drifts, its phase its own.
  if (system.motion.y > 0.0) {
    float phase = 2.0 * particle_pi * (system.motion.z * p.position.w + random01(p.info.x, 7u));
    center += system.motion.y * vec3(sin(phase), 0.0, 0.5 * sin(phase * 0.73 + 1.3));
  }
  // Both eyes turn the quad towards the first view's eye, so it is the same quad in each.
  vec3 to_eye = normalize(frame.views[push.view_offset].position.xyz - center);
  vec3 helper = abs(to_eye.y) < 0.99 ? vec3(0, 1, 0) : vec3(1, 0, 0);
  vec3 side = normalize(cross(helper, to_eye));
  vec3 along = cross(to_eye, side);
  float half_length = 0.5 * size;
  vec3 middle = center;
  if (system.ranges.w > 0.0) {
    // Trailing: the quad runs from where the particle was `trail` seconds ago to where it is.
    vec3 velocity = p.velocity.xyz - dot(p.velocity.xyz, to_eye) * to_eye;
    float streak = length(velocity) * system.ranges.w;
    if (streak > 1e-4) {
      along = velocity / length(velocity);
      side = cross(along, to_eye);
      half_length += 0.5 * streak;
      middle -= along * (0.5 * streak);
    }
  }
  vec3 world = middle + side * (corner.x * 0.5 * size) + along * (corner.y * half_length);
  out_corner = corner;
  out_color = vec4(color.rgb * system.motion.w, color.a);
  out_world = world;
  out_sprite = uvec3(system.look.y, p.info.x, system.look.z);
  out_soft = system.soft.x;
  gl_Position = frame.views[gl_ViewIndex + push.view_offset].view_projection * vec4(world, 1.0);
}
