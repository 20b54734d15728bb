// What an AR headset draws of the scene: not its own room. Exhibits around the visitor's starting
// place (walls, floor, a pavilion's roof) give way to the real room the headset shows, so the
// renderer loads fewer instances than the scene has and numbers them anew: what moves an instance
// (a carried exhibit, a book's body) asks for it by its loaded number.
#pragma once

#include "pavilion/scene/book_body.h"
#include "pavilion/scene/scene.h"

#include <glm/mat4x4.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace pavilion::kiosk {

struct SceneWithoutSurroundings {
  scene::RenderScene render;  // what the renderer loads
  // Scene::render.instances' numbers in `render`, or no_body_instance for one dropped.
  std::vector<uint32_t> loaded_instance;
  // Scene::book_bodies with their instances numbered as `render` holds them.
  std::vector<scene::BookBody> book_bodies;
  // Where an exhibit's instances begin in `render`; none when they were dropped (an exhibit is
  // dropped or kept whole, so its instances stay together).
  std::optional<uint32_t> first_loaded(const scene::Exhibit& exhibit) const;
};

// `shown` without the exhibits whose reach (radius) holds the eyes of a visitor standing at the
// stage's origin (`stage_to_world`).
SceneWithoutSurroundings without_surroundings(const scene::Scene& shown, const glm::mat4& stage_to_world);

}  // namespace pavilion::kiosk
