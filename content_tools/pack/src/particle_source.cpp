#include "particle_source.h"

#include "json_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>
#include <set>
#include <utility>

namespace pavilion::pack {
namespace {

using nlohmann::json;
using Checker = checking::JsonChecker;

// object[key]: a number, or [lowest, highest], each within [low, high].
std::optional<std::pair<float, float>> range_field(Checker& check, const json& object, const std::string& path,
                                                   std::string_view key, double low, double high) {
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  const std::string field = Checker::join(path, key);
  if (found->is_number()) {
    const auto value = check.number_field(object, path, key, low, high);
    if (!value) return std::nullopt;
    return std::pair{static_cast<float>(*value), static_cast<float>(*value)};
  }
  if (!found->is_array() || found->size() != 2 || !(*found)[0].is_number() || !(*found)[1].is_number()) {
    check.error(field, "must be a number or two numbers [lowest, highest]", "必须是一个数字，或两个数字 [最小, 最大]");
    return std::nullopt;
  }
  const double lowest = (*found)[0].get<double>();
  const double highest = (*found)[1].get<double>();
  if (!(lowest >= low) || !(highest <= high) || !(lowest <= highest)) {
    check.error(field, fmt::format("must be [lowest, highest] with {} ≤ lowest ≤ highest ≤ {}", low, high),
                fmt::format("必须为 [最小, 最大]，且 {} ≤ 最小 ≤ 最大 ≤ {}", low, high));
    return std::nullopt;
  }
  return std::pair{static_cast<float>(lowest), static_cast<float>(highest)};
}

// object[key]: keys over a particle's life, each {"time": 0…1, …} read by `read_key`, times
// increasing from 0; or a plain number (for value curves), the same all its life.
template <class Key, class ReadKey>
std::vector<Key> curve_field(Checker& check, const json& object, const std::string& path, std::string_view key,
                             std::vector<Key> fallback, ReadKey&& read_key) {
  const auto found = object.find(key);
  if (found == object.end()) return fallback;
  const std::string field = Checker::join(path, key);
  if (found->is_number()) {
    Key plain;
    if (!read_key(object, path, key, plain)) return fallback;
    return {plain};
  }
  if (!found->is_array() || found->empty() || found->size() > scene::max_particle_keys) {
    check.error(field, fmt::format("must be a list of 1 to {} keys {{\"time\": 0…1, …}} over a particle's life",
                                   scene::max_particle_keys),
                fmt::format("必须是 1 至 {} 个关键帧的列表 {{\"time\": 0…1, …}}，覆盖粒子的一生", scene::max_particle_keys));
    return fallback;
  }
  std::vector<Key> keys;
  for (size_t index = 0; index < found->size(); ++index) {
    const std::string key_path = fmt::format("{}[{}]", field, index);
    const json& entry = (*found)[index];
    if (!entry.is_object()) {
      check.error(key_path, "each key must be an object {\"time\": …, …}", "每个关键帧必须是一个对象 {\"time\": …, …}");
      continue;
    }
    Key out;
    const auto time = check.number_field(entry, key_path, "time", 0.0, 1.0);
    if (!time) {
      check.error(Checker::join(key_path, "time"), "each key needs its time: 0 at birth, 1 at death",
                  "每个关键帧都需要时间：出生为 0，消亡为 1");
      continue;
    }
    out.time = static_cast<float>(*time);
    if (index == 0 && out.time != 0.0f) {
      check.error(Checker::join(key_path, "time"), "the first key's time must be 0: the particle's birth",
                  "第一个关键帧的时间必须为 0，即粒子出生之时");
    } else if (!keys.empty() && !(out.time > keys.back().time)) {
      check.error(Checker::join(key_path, "time"), "times must increase from one key to the next", "关键帧的时间必须逐个递增");
    }
    if (read_key(entry, key_path, std::string_view{}, out)) keys.push_back(out);
  }
  return keys.empty() ? fallback : keys;
}

scene::ParticleSystem read_system(Checker& check, const json& value, const std::string& path) {
  check.check_fields(value, path,
                     {"name", "emission", "rate", "count", "in_flight", "position", "shape", "radius", "box", "direction",
                      "cone", "speed", "lifetime", "color", "size", "speed_scale", "gravity", "drag", "wind",
                      "turbulence", "turbulence_scale", "sway", "sway_frequency", "glow", "blend", "sprite", "soft",
                      "trail", "on_death"});
  scene::ParticleSystem s;
  s.name = check.string_field(value, path, "name", true).value_or("");
  s.emission = choice(check, value, path, "emission",
                      std::array<std::pair<std::string_view, scene::ParticleEmission>, 2>{
                          {{"burst", scene::ParticleEmission::burst}, {"continuous", scene::ParticleEmission::continuous}}});
  if (s.emission == scene::ParticleEmission::continuous) {
    const auto rate = check.number_field(value, path, "rate", 0.001, 1e6);
    if (!rate && value.find("rate") == value.end()) {
      check.error(Checker::join(path, "rate"), "a continuous system needs its rate: particles a second",
                  "持续发射的粒子系统需要发射率：每秒粒子数");
    }
    s.rate = static_cast<float>(rate.value_or(1.0));
  } else {
    const auto count = check.number_field(value, path, "count", 1, 1'000'000);
    if (!count && value.find("count") == value.end()) {
      check.error(Checker::join(path, "count"), "a burst system needs its count: particles a burst",
                  "爆发式粒子系统需要数量：每次爆发的粒子数");
    }
    s.count = static_cast<uint32_t>(count.value_or(1.0));
    s.in_flight = static_cast<uint32_t>(check.number_field(value, path, "in_flight", 1, 64).value_or(1.0));
  }
  s.position = check.vector_field(value, path, "position", false).value_or(s.position);
  s.shape = choice(check, value, path, "shape",
                   std::array<std::pair<std::string_view, scene::EmitterShape>, 4>{{{"point", scene::EmitterShape::point},
                                                                                   {"sphere", scene::EmitterShape::sphere},
                                                                                   {"box", scene::EmitterShape::box},
                                                                                   {"disc", scene::EmitterShape::disc}}});
  s.radius = static_cast<float>(check.number_field(value, path, "radius", 0.0, 1000.0).value_or(0.0));
  s.box_size = check.vector_field(value, path, "box", false).value_or(s.box_size);
  if (std::min({s.box_size.x, s.box_size.y, s.box_size.z}) < 0.0f) {
    check.error(Checker::join(path, "box"), "a box's sizes must not be negative", "盒子的尺寸不能为负");
  }
  if (const auto direction = check.vector_field(value, path, "direction", false)) {
    if (glm::length(*direction) < 1e-6f) {
      check.error(Checker::join(path, "direction"), "must point somewhere: not [0, 0, 0]", "必须指向某个方向，不能为 [0, 0, 0]");
    } else {
      s.direction = glm::normalize(*direction);
    }
  }
  s.cone_degrees = static_cast<float>(check.number_field(value, path, "cone", 0.0, 180.0).value_or(0.0));
  if (const auto speed = range_field(check, value, path, "speed", 0.0, 1000.0)) std::tie(s.speed_min, s.speed_max) = *speed;
  if (const auto life = range_field(check, value, path, "lifetime", 0.01, 600.0)) {
    std::tie(s.lifetime_min, s.lifetime_max) = *life;
  }
  s.color = curve_field<scene::ParticleColorKey>(
      check, value, path, "color", {{0.0f, glm::vec4(1.0f)}},
      [&](const json& key, const std::string& key_path, std::string_view plain, scene::ParticleColorKey& out) {
        if (!plain.empty()) {
          check.error(Checker::join(key_path, plain), "must be a list of keys {\"time\": …, \"color\": …, \"alpha\": …}",
                      "必须是关键帧列表 {\"time\": …, \"color\": …, \"alpha\": …}");
          return false;
        }
        check.check_fields(key, key_path, {"time", "color", "alpha"});
        const glm::vec3 rgb = check.color_field(key, key_path, "color").value_or(glm::vec3(1.0f));
        const auto alpha = check.number_field(key, key_path, "alpha", 0.0, 1.0).value_or(1.0);
        out.color = glm::vec4(rgb, static_cast<float>(alpha));
        return true;
      });
  auto value_key = [&](double high) {
    return [&check, high](const json& key, const std::string& key_path, std::string_view plain,
                          scene::ParticleCurveKey& out) {
      if (!plain.empty()) {
        const auto number = check.number_field(key, key_path, plain, 0.0, high);
        out.value = static_cast<float>(number.value_or(1.0));
        return number.has_value();
      }
      check.check_fields(key, key_path, {"time", "value"});
      const auto number = check.number_field(key, key_path, "value", 0.0, high);
      if (!number && key.find("value") == key.end()) {
        check.error(Checker::join(key_path, "value"), fmt::format("each key needs its value, 0 to {}", high),
                    fmt::format("每个关键帧都需要取值，0 至 {}", high));
      }
      out.value = static_cast<float>(number.value_or(1.0));
      return number.has_value();
    };
  };
  s.size = curve_field<scene::ParticleCurveKey>(check, value, path, "size", {{0.0f, 0.1f}}, value_key(100.0));
  s.speed_scale = curve_field<scene::ParticleCurveKey>(check, value, path, "speed_scale", {{0.0f, 1.0f}}, value_key(100.0));
  s.gravity = check.vector_field(value, path, "gravity", false).value_or(s.gravity);
  s.drag = static_cast<float>(check.number_field(value, path, "drag", 0.0, 100.0).value_or(0.0));
  s.wind = check.vector_field(value, path, "wind", false).value_or(s.wind);
  s.turbulence = static_cast<float>(check.number_field(value, path, "turbulence", 0.0, 1000.0).value_or(0.0));
  s.turbulence_scale = static_cast<float>(check.number_field(value, path, "turbulence_scale", 0.01, 1000.0).value_or(1.0));
  s.sway = static_cast<float>(check.number_field(value, path, "sway", 0.0, 100.0).value_or(0.0));
  s.sway_frequency = static_cast<float>(check.number_field(value, path, "sway_frequency", 0.0, 10.0).value_or(0.3));
  s.glow = static_cast<float>(check.number_field(value, path, "glow", 0.0, 1000.0).value_or(1.0));
  s.blend = choice(check, value, path, "blend",
                   std::array<std::pair<std::string_view, scene::ParticleBlend>, 2>{
                       {{"additive", scene::ParticleBlend::additive}, {"alpha", scene::ParticleBlend::alpha}}});
  s.sprite = choice(check, value, path, "sprite",
                    std::array<std::pair<std::string_view, scene::ParticleSprite>, 4>{{{"glow", scene::ParticleSprite::glow},
                                                                                      {"flake", scene::ParticleSprite::flake},
                                                                                      {"petal", scene::ParticleSprite::petal},
                                                                                      {"lantern", scene::ParticleSprite::lantern}}});
  s.soft_distance = static_cast<float>(check.number_field(value, path, "soft", 0.0, 100.0).value_or(0.0));
  s.trail_seconds = static_cast<float>(check.number_field(value, path, "trail", 0.0, 10.0).value_or(0.0));
  return s;
}

std::string system_list(const SceneSource& source) {
  std::string listed;
  for (const scene::ParticleSystem& system : source.particles) listed += listed.empty() ? system.name : ", " + system.name;
  return listed.empty() ? "none" : listed;
}

}  // namespace

std::optional<uint32_t> find_particle_system(Checker& check, const SceneSource& source, const std::string& field,
                                             const std::string& name) {
  const auto found = std::find_if(source.particles.begin(), source.particles.end(),
                                  [&](const scene::ParticleSystem& system) { return system.name == name; });
  if (found != source.particles.end()) return static_cast<uint32_t>(found - source.particles.begin());
  check.error(field,
              fmt::format("'{}' is not a particle system of this scene; describe it in \"particles\" (described: {})",
                          name, system_list(source)),
              fmt::format("“{}”不是本场景的粒子系统；请在 \"particles\" 中描述它（已描述：{}）", name, system_list(source)));
  return std::nullopt;
}

void parse_particles(Checker& check, const json& root, SceneSource& source) {
  const auto found = root.find("particles");
  if (found == root.end()) return;
  if (!found->is_array()) {
    check.error("particles", "must be a list [ … ] of particle systems", "必须是粒子系统列表 [ … ]");
    return;
  }
  if (found->size() > scene::max_particle_systems) {
    check.error("particles", fmt::format("holds {} systems; a scene may have at most {}", found->size(), scene::max_particle_systems),
                fmt::format("包含 {} 个粒子系统；一个场景最多 {} 个", found->size(), scene::max_particle_systems));
    return;
  }
  static const std::regex name_pattern("[a-z0-9][a-z0-9_-]{0,63}");
  std::set<std::string> names;
  std::vector<std::optional<std::string>> on_death(found->size());
  for (size_t index = 0; index < found->size(); ++index) {
    const std::string path = fmt::format("particles[{}]", index);
    const json& value = (*found)[index];
    if (!value.is_object()) {
      check.error(path, "each particle system must be an object {\"name\": …, \"emission\": …, …}",
                  "每个粒子系统必须是一个对象 {\"name\": …, \"emission\": …, …}");
      source.particles.emplace_back();
      continue;
    }
    scene::ParticleSystem system = read_system(check, value, path);
    if (!system.name.empty() && !std::regex_match(system.name, name_pattern)) {
      check.error(Checker::join(path, "name"), "must be lowercase letters, digits, '-' or '_', at most 64",
                  "只能由小写字母、数字、“-”或“_”组成，最多 64 个");
    } else if (!system.name.empty() && !names.insert(system.name).second) {
      check.error(Checker::join(path, "name"), fmt::format("another particle system is already named '{}'", system.name),
                  fmt::format("已有粒子系统名为“{}”", system.name));
    }
    on_death[index] = check.string_field(value, path, "on_death", false);
    source.particles.push_back(std::move(system));
  }
  // on_death names any system, before or after this one: resolved once all are read.
  for (size_t index = 0; index < on_death.size(); ++index) {
    if (!on_death[index]) continue;
    const std::string field = fmt::format("particles[{}].on_death", index);
    const auto child = find_particle_system(check, source, field, *on_death[index]);
    if (!child) continue;
    if (source.particles[*child].emission != scene::ParticleEmission::burst) {
      check.error(field, fmt::format("'{}' emits continuously; a dying particle bursts a burst system", *on_death[index]),
                  fmt::format("“{}”是持续发射的；消亡的粒子只能引发爆发式粒子系统", *on_death[index]));
      continue;
    }
    source.particles[index].on_death = *child;
  }
  for (size_t index = 0; index < source.particles.size(); ++index) {
    if (source.particles[index].on_death == scene::no_particle_system) continue;
    // Cycles and chains too deep: the scene's own check, named at the system's on_death.
    const auto problem = scene::particle_system_problem(source.particles, index);
    if (problem && problem->find("on_death") != std::string::npos) {
      check.error(fmt::format("particles[{}].on_death", index),
                  fmt::format("makes {}; a chain of on_death systems must end within {} generations", *problem,
                              scene::max_particle_generations),
                  fmt::format("形成了循环或过深的 on_death 链；on_death 链必须在 {} 代之内结束",
                              scene::max_particle_generations));
      source.particles[index].on_death = scene::no_particle_system;
    }
  }
}

}  // namespace pavilion::pack
