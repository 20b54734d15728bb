// Particle systems' binary form in the scene tables (version 11), and its checks on reading.
#include "pavilion/scene/scene_tables.h"

#include <fmt/format.h>

namespace pavilion::scene {
namespace {

Error invalid(std::string why) {
  return Error(ErrorCode::invalid_input, "reading the scene's particle systems", std::move(why));
}

template <class Enum>
Result<Enum> read_enum(ByteReader& in, std::string_view what, Enum last) {
  PV_TRY_ASSIGN(const uint32_t value, in.read<uint32_t>(what));
  if (value > static_cast<uint32_t>(last)) return invalid(fmt::format("{} is {}, which is unknown", what, value));
  return static_cast<Enum>(value);
}

}  // namespace

void write_particle_systems(ByteWriter& out, std::span<const ParticleSystem> systems) {
  out.write(static_cast<uint32_t>(systems.size()));
  for (const ParticleSystem& s : systems) {
    out.write_string(s.name);
    out.write(static_cast<uint32_t>(s.emission));
    out.write(s.rate);
    out.write(s.count);
    out.write(s.in_flight);
    out.write(s.position);
    out.write(static_cast<uint32_t>(s.shape));
    out.write(s.radius);
    out.write(s.box_size);
    out.write(s.direction);
    out.write(s.cone_degrees);
    out.write(s.speed_min);
    out.write(s.speed_max);
    out.write(s.lifetime_min);
    out.write(s.lifetime_max);
    out.write_array(std::span<const ParticleColorKey>(s.color));
    out.write_array(std::span<const ParticleCurveKey>(s.size));
    out.write_array(std::span<const ParticleCurveKey>(s.speed_scale));
    out.write(s.gravity);
    out.write(s.drag);
    out.write(s.wind);
    out.write(s.turbulence);
    out.write(s.turbulence_scale);
    out.write(s.sway);
    out.write(s.sway_frequency);
    out.write(s.glow);
    out.write(static_cast<uint32_t>(s.blend));
    out.write(static_cast<uint32_t>(s.sprite));
    out.write(s.soft_distance);
    out.write(s.trail_seconds);
    out.write(s.on_death);
  }
}

Result<std::vector<ParticleSystem>> read_particle_systems(ByteReader& in) {
  PV_TRY_ASSIGN(const uint32_t count, in.read<uint32_t>("the particle system count"));
  if (count > max_particle_systems) {
    return invalid(fmt::format("there are {} particle systems; at most {} are read", count, max_particle_systems));
  }
  std::vector<ParticleSystem> systems(count);
  for (ParticleSystem& s : systems) {
    PV_TRY_ASSIGN(s.name, in.read_string("a particle system's name"));
    PV_TRY_ASSIGN(s.emission, read_enum(in, "a particle system's emission", ParticleEmission::burst));
    PV_TRY_ASSIGN(s.rate, in.read<float>("a particle system's rate"));
    PV_TRY_ASSIGN(s.count, in.read<uint32_t>("a particle system's count"));
    PV_TRY_ASSIGN(s.in_flight, in.read<uint32_t>("a particle system's bursts in flight"));
    PV_TRY_ASSIGN(s.position, in.read<glm::vec3>("a particle system's position"));
    PV_TRY_ASSIGN(s.shape, read_enum(in, "a particle system's shape", EmitterShape::disc));
    PV_TRY_ASSIGN(s.radius, in.read<float>("a particle system's radius"));
    PV_TRY_ASSIGN(s.box_size, in.read<glm::vec3>("a particle system's box"));
    PV_TRY_ASSIGN(s.direction, in.read<glm::vec3>("a particle system's direction"));
    PV_TRY_ASSIGN(s.cone_degrees, in.read<float>("a particle system's cone"));
    PV_TRY_ASSIGN(s.speed_min, in.read<float>("a particle system's speed"));
    PV_TRY_ASSIGN(s.speed_max, in.read<float>("a particle system's speed"));
    PV_TRY_ASSIGN(s.lifetime_min, in.read<float>("a particle system's lifetime"));
    PV_TRY_ASSIGN(s.lifetime_max, in.read<float>("a particle system's lifetime"));
    PV_TRY_ASSIGN(s.color, in.read_array<ParticleColorKey>("a particle system's colour curve", max_particle_keys));
    PV_TRY_ASSIGN(s.size, in.read_array<ParticleCurveKey>("a particle system's size curve", max_particle_keys));
    PV_TRY_ASSIGN(s.speed_scale, in.read_array<ParticleCurveKey>("a particle system's speed curve", max_particle_keys));
    PV_TRY_ASSIGN(s.gravity, in.read<glm::vec3>("a particle system's gravity"));
    PV_TRY_ASSIGN(s.drag, in.read<float>("a particle system's drag"));
    PV_TRY_ASSIGN(s.wind, in.read<glm::vec3>("a particle system's wind"));
    PV_TRY_ASSIGN(s.turbulence, in.read<float>("a particle system's turbulence"));
    PV_TRY_ASSIGN(s.turbulence_scale, in.read<float>("a particle system's turbulence scale"));
    PV_TRY_ASSIGN(s.sway, in.read<float>("a particle system's sway"));
    PV_TRY_ASSIGN(s.sway_frequency, in.read<float>("a particle system's sway frequency"));
    PV_TRY_ASSIGN(s.glow, in.read<float>("a particle system's glow"));
    PV_TRY_ASSIGN(s.blend, read_enum(in, "a particle system's blending", ParticleBlend::alpha));
    PV_TRY_ASSIGN(s.sprite, read_enum(in, "a particle system's sprite", ParticleSprite::lantern));
    PV_TRY_ASSIGN(s.soft_distance, in.read<float>("a particle system's softness"));
    PV_TRY_ASSIGN(s.trail_seconds, in.read<float>("a particle system's trail"));
    PV_TRY_ASSIGN(s.on_death, in.read<uint32_t>("a particle system's on_death system"));
  }
  for (size_t index = 0; index < systems.size(); ++index) {
    if (auto problem = particle_system_problem(systems, index)) {
      return invalid(fmt::format("particle system {} ('{}') has {}", index, systems[index].name, *problem));
    }
  }
  return systems;
}

}  // namespace pavilion::scene
