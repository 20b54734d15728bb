#include "pavilion/scene/particles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pavilion::scene {
namespace {

bool finite(float value) { return std::isfinite(value); }
bool finite(glm::vec3 value) { return std::isfinite(value.x) && std::isfinite(value.y) && std::isfinite(value.z); }

template <class Key>
std::optional<std::string> curve_problem(const std::vector<Key>& keys, std::string_view what) {
  if (keys.empty()) return fmt::format("no keys for its {}", what);
  if (keys.size() > max_particle_keys) return fmt::format("{} keys for its {}; at most {}", keys.size(), what, max_particle_keys);
  if (keys.front().time != 0.0f) return fmt::format("a {} curve that does not start at time 0", what);
  for (size_t key = 1; key < keys.size(); ++key) {
    if (!(keys[key].time > keys[key - 1].time) || keys[key].time > 1.0f) {
      return fmt::format("a {} curve whose times do not increase from 0 to at most 1", what);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> particle_system_problem(std::span<const ParticleSystem> systems, size_t system) {
  const ParticleSystem& s = systems[system];
  if (s.emission == ParticleEmission::continuous && !(s.rate > 0.0f && s.rate <= 1e6f)) {
    return "a continuous emission without a rate from above 0 to 1 000 000 a second";
  }
  if (s.emission == ParticleEmission::burst && (s.count == 0 || s.count > 1'000'000 || s.in_flight == 0 || s.in_flight > 64)) {
    return "a burst of no particles, or of more than 1 000 000, or bursts in flight outside 1 to 64";
  }
  if (!finite(s.position) || !finite(s.box_size) || !finite(s.radius) || s.radius < 0.0f ||
      std::min({s.box_size.x, s.box_size.y, s.box_size.z}) < 0.0f) {
    return "an emitter position or shape out of range";
  }
  if (!finite(s.direction) || std::abs(glm::length(s.direction) - 1.0f) > 1e-3f || !(s.cone_degrees >= 0.0f) ||
      s.cone_degrees > 180.0f) {
    return "a direction that is not a unit vector, or a cone outside 0 to 180 degrees";
  }
  if (!(s.speed_min >= 0.0f) || !(s.speed_max >= s.speed_min) || !finite(s.speed_max) || !(s.lifetime_min > 0.0f) ||
      !(s.lifetime_max >= s.lifetime_min) || s.lifetime_max > 600.0f) {
    return "a speed or lifetime range out of order (a lifetime is above 0 and at most 600 s)";
  }
  if (auto problem = curve_problem(s.color, "colour")) return problem;
  if (auto problem = curve_problem(s.size, "size")) return problem;
  if (auto problem = curve_problem(s.speed_scale, "speed scale")) return problem;
  for (const ParticleColorKey& key : s.color) {
    if (!std::isfinite(key.color.x + key.color.y + key.color.z + key.color.w) ||
        std::min({key.color.x, key.color.y, key.color.z, key.color.w}) < 0.0f || key.color.w > 1.0f) {
      return "a colour key out of range (non-negative, alpha at most 1)";
    }
  }
  for (const auto* curve : {&s.size, &s.speed_scale}) {
    for (const ParticleCurveKey& key : *curve) {
      if (!finite(key.value) || key.value < 0.0f) return "a size or speed scale below 0";
    }
  }
  if (!finite(s.gravity) || !finite(s.wind) || !(s.drag >= 0.0f) || !finite(s.drag) || !(s.turbulence >= 0.0f) ||
      !finite(s.turbulence) || !(s.turbulence_scale > 0.0f) || !(s.sway >= 0.0f) || !finite(s.sway) ||
      !(s.sway_frequency >= 0.0f) || !finite(s.sway_frequency) || !(s.glow >= 0.0f) || !finite(s.glow) ||
      !(s.soft_distance >= 0.0f) || !finite(s.soft_distance) || !(s.trail_seconds >= 0.0f) ||
      !finite(s.trail_seconds)) {
    return "a force, sway, glow, softness or trail out of range";
  }
  if (static_cast<uint32_t>(s.blend) > static_cast<uint32_t>(ParticleBlend::alpha) ||
      static_cast<uint32_t>(s.sprite) > static_cast<uint32_t>(ParticleSprite::lantern) ||
      static_cast<uint32_t>(s.shape) > static_cast<uint32_t>(EmitterShape::disc) ||
      static_cast<uint32_t>(s.emission) > static_cast<uint32_t>(ParticleEmission::burst)) {
    return "an unknown emission, shape, blending or sprite";
  }
  // A system's slots for dying particles belong to one parent's slots.
  const auto parents = std::count_if(systems.begin(), systems.end(),
                                     [&](const ParticleSystem& other) { return other.on_death == system; });
  if (parents > 1) return "two or more systems whose on_death it is; give each its own";
  // Follow the chain of on_death systems: it must end, and soon.
  uint32_t next = s.on_death;
  for (uint32_t generation = 1; next != no_particle_system; ++generation) {
    if (next >= systems.size()) return fmt::format("an on_death system {}, but there are {}", next, systems.size());
    if (next == system) return "an on_death chain that comes back to itself";
    if (generation >= max_particle_generations) {
      return fmt::format("an on_death chain deeper than {} generations", max_particle_generations);
    }
    if (systems[next].emission != ParticleEmission::burst) return "an on_death system that is not a burst";
    next = systems[next].on_death;
  }
  return std::nullopt;
}

std::vector<uint64_t> particle_capacities(std::span<const ParticleSystem> systems) {
  constexpr uint64_t saturated = UINT32_MAX;
  std::vector<uint64_t> own(systems.size());
  for (size_t index = 0; index < systems.size(); ++index) {
    const ParticleSystem& s = systems[index];
    // A continuous ring must outlast the longest life, plus what one frame of 1/10 s emits.
    own[index] = s.emission == ParticleEmission::continuous
                     ? static_cast<uint64_t>(std::ceil(static_cast<double>(s.rate) * (s.lifetime_max + 0.1))) + 1
                     : uint64_t{s.count} * s.in_flight;
    own[index] = std::min(own[index], saturated);
  }
  // A child holds `count` for each slot of its parent (parents first: chains are at most
  // max_particle_generations deep, so as many passes settle them).
  std::vector<uint64_t> total = own;
  for (uint32_t pass = 0; pass < max_particle_generations; ++pass) {
    std::vector<uint64_t> next = own;
    for (size_t parent = 0; parent < systems.size(); ++parent) {
      const uint32_t child = systems[parent].on_death;
      if (child == no_particle_system || child >= systems.size()) continue;
      next[child] = std::min(saturated, next[child] + std::min(saturated, total[parent] * systems[child].count));
    }
    total = std::move(next);
  }
  return total;
}

ParticleSystem placeholder_burst(std::string name, glm::vec3 position) {
  ParticleSystem system;
  system.name = std::move(name);
  system.emission = ParticleEmission::burst;
  system.count = 256;
  system.in_flight = 2;
  system.position = position;
  system.shape = EmitterShape::sphere;
  system.radius = 0.2f;
  system.cone_degrees = 180.0f;
  system.speed_min = 4.0f;
  system.speed_max = 7.0f;
  system.lifetime_min = 1.2f;
  system.lifetime_max = 2.0f;
  system.color = {{0.0f, {1.0f, 0.85f, 0.4f, 1.0f}}, {1.0f, {1.0f, 0.3f, 0.05f, 0.0f}}};
  system.size = {{0.0f, 0.12f}, {1.0f, 0.04f}};
  system.speed_scale = {{0.0f, 1.0f}};
  system.gravity = {0.0f, -3.0f, 0.0f};
  system.drag = 1.2f;
  system.glow = 4.0f;
  system.trail_seconds = 0.08f;
  return system;
}

}  // namespace pavilion::scene
