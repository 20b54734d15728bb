// Particle systems as scene.json describes them (its "particles" list) and the scene tables store
// them: pure data. The renderer simulates and draws them (render::Renderer::load_particles); a
// show's burst cue names one by its index.
//
// A system emits either continuously (`rate` a second, from the moment it is loaded) or in bursts
// of `count` (when a show's cue or the program asks). A system named by another's `on_death` is
// also emitted where each of that system's particles dies: `count` of its particles at the place
// and with the velocity of the one that died (a rising shell bursting into sparks).
//
// Each particle lives a lifetime drawn from [lifetime_min, lifetime_max]; its colour, size and
// speed follow curves over that life (keys at times 0 to 1 of it, linear between them).
#pragma once

#include <glm/glm.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pavilion::scene {

inline constexpr uint32_t no_particle_system = UINT32_MAX;
// How many particles a scene's systems may hold at once when the program names no budget: 64 Ki
// particles, 6 MiB of GPU memory.
inline constexpr uint32_t default_particle_budget = 65'536;
inline constexpr uint32_t max_particle_systems = 64;
inline constexpr uint32_t max_particle_keys = 4;  // per curve
// A chain of on_death systems (shell → sparks → embers) at most this deep.
inline constexpr uint32_t max_particle_generations = 3;

enum class ParticleEmission : uint32_t { continuous = 0, burst = 1 };
// Where new particles start, around the system's position: a point; anywhere in a sphere of
// `radius`; in a box of `box_size`; on a horizontal disc of `radius`.
enum class EmitterShape : uint32_t { point = 0, sphere = 1, box = 2, disc = 3 };
enum class ParticleBlend : uint32_t { additive = 0, alpha = 1 };
// What one particle looks like, drawn by the shader: a soft glowing dot (sparks, embers), a round
// flake (snow), a petal (an ellipse turning as it falls), a lantern (a red body with gold caps,
// lit from inside, with a halo).
enum class ParticleSprite : uint32_t { glow = 0, flake = 1, petal = 2, lantern = 3 };

struct ParticleColorKey {
  float time = 0.0f;       // 0 to 1 of the particle's life
  glm::vec4 color{1.0f};   // linear RGB, alpha
  friend bool operator==(const ParticleColorKey&, const ParticleColorKey&) = default;
};

struct ParticleCurveKey {
  float time = 0.0f;  // 0 to 1 of the particle's life
  float value = 1.0f;
  friend bool operator==(const ParticleCurveKey&, const ParticleCurveKey&) = default;
};

struct ParticleSystem {
  std::string name;
  ParticleEmission emission = ParticleEmission::burst;
  float rate = 0.0f;        // continuous: particles a second
  uint32_t count = 0;       // burst: particles a burst (and at each death of an on_death parent)
  uint32_t in_flight = 1;   // burst: bursts alive at once; a further one takes the oldest's particles
  glm::vec3 position{0.0f};
  EmitterShape shape = EmitterShape::point;
  float radius = 0.0f;          // sphere, disc: metres
  glm::vec3 box_size{0.0f};     // box: metres along x, y and z
  glm::vec3 direction{0.0f, 1.0f, 0.0f};  // unit: the middle of the cone new particles leave in
  float cone_degrees = 0.0f;    // half-angle around `direction`; 180: every way
  float speed_min = 0.0f;       // metres a second
  float speed_max = 0.0f;
  float lifetime_min = 1.0f;    // seconds
  float lifetime_max = 1.0f;
  std::vector<ParticleColorKey> color;          // 1 to max_particle_keys keys, times increasing from 0
  std::vector<ParticleCurveKey> size;           // metres across
  std::vector<ParticleCurveKey> speed_scale;    // times the particle's velocity, over its life
  glm::vec3 gravity{0.0f, -9.81f, 0.0f};        // metres a second²
  float drag = 0.0f;                            // per second: how fast velocity follows the wind
  glm::vec3 wind{0.0f};                         // metres a second: the air's velocity
  float turbulence = 0.0f;                      // metres a second²: swirling (curl-like) noise
  float turbulence_scale = 1.0f;                // metres: the size of its swirls
  float sway = 0.0f;                            // metres: a gentle side-to-side drift
  float sway_frequency = 0.3f;                  // Hz
  float glow = 1.0f;                            // emissive: the colour's multiple in HDR (> 1 glows)
  ParticleBlend blend = ParticleBlend::additive;
  ParticleSprite sprite = ParticleSprite::glow;
  float soft_distance = 0.0f;   // metres: fades out this close in front of the scene's surfaces
  float trail_seconds = 0.0f;   // drawn stretched back along its velocity over this long (a streak)
  uint32_t on_death = no_particle_system;  // index of the system a dying particle bursts into
  friend bool operator==(const ParticleSystem&, const ParticleSystem&) = default;
};

// What is wrong with a system, in a sentence that fits after its name ("… 'sparks' has …"), or
// nothing. `system` indexes `systems`, whose on_death indices are checked too (in range, no cycle,
// at most max_particle_generations deep, each system the on_death of one other at most).
std::optional<std::string> particle_system_problem(std::span<const ParticleSystem> systems, size_t system);

// How many particles each system can hold at once, in order: a continuous one what it emits in its
// longest lifetime (and a frame more), a burst one `count` × `in_flight`, and an on_death system
// also `count` for each particle its parent can hold. Saturates at UINT32_MAX.
std::vector<uint64_t> particle_capacities(std::span<const ParticleSystem> systems);

// The system that stands for a show emitter of scene tables before version 10, which named only
// a place: a burst of golden sparks there.
ParticleSystem placeholder_burst(std::string name, glm::vec3 position);

}  // namespace pavilion::scene
