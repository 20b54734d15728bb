#include "headset/surroundings.h"

#include "pavilion/scene/thumbnail.h"

#include <glm/geometric.hpp>

namespace pavilion::kiosk {

std::optional<uint32_t> SceneWithoutSurroundings::first_loaded(const scene::Exhibit& exhibit) const {
  if (exhibit.instance_count == 0 || exhibit.first_instance >= loaded_instance.size()) return std::nullopt;
  const uint32_t first = loaded_instance[exhibit.first_instance];
  if (first == scene::no_body_instance) return std::nullopt;
  return first;
}

SceneWithoutSurroundings without_surroundings(const scene::Scene& shown, const glm::mat4& stage_to_world) {
  const glm::vec3 eyes = glm::vec3(stage_to_world * glm::vec4(0.0f, scene::standing_eye_height, 0.0f, 1.0f));
  SceneWithoutSurroundings out;
  out.loaded_instance.assign(shown.render.instances.size(), 0);
  for (const scene::Exhibit& exhibit : shown.exhibits) {
    if (glm::distance(exhibit.position, eyes) > exhibit.radius) continue;
    for (uint32_t index = 0; index < exhibit.instance_count; ++index) {
      out.loaded_instance[exhibit.first_instance + index] = scene::no_body_instance;
    }
  }
  out.render = shown.render;
  out.render.instances.clear();
  for (size_t index = 0; index < shown.render.instances.size(); ++index) {
    if (out.loaded_instance[index] == scene::no_body_instance) continue;
    out.loaded_instance[index] = static_cast<uint32_t>(out.render.instances.size());
    out.render.instances.push_back(shown.render.instances[index]);
  }
  out.book_bodies = shown.book_bodies;
  for (scene::BookBody& body : out.book_bodies) {
    for (uint32_t& instance : body.instances) {
      if (instance != scene::no_body_instance) instance = out.loaded_instance[instance];
    }
  }
  return out;
}

}  // namespace pavilion::kiosk
