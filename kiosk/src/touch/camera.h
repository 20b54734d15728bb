// The touch kiosk's camera: gliding along the scene's attract path, or framing the exhibit shown
// and turned by the visitor's drag; never a jump, except in calm mode (reduced motion), which
// cuts between still viewpoints instead of flying.
#pragma once

#include "pavilion/scene/show.h"

#include <glm/vec3.hpp>

#include <cstddef>
#include <optional>

namespace pavilion::kiosk {

struct Camera {
  size_t attract_position = 0;  // index into the schedule's active entries
  double attract_time = 0;
  float orbit_yaw = 0;  // radians, dragged by the visitor
  glm::vec3 eye{0.0f, 1.6f, 3.0f};
  glm::vec3 look_at{0.0f, 1.0f, 0.0f};
  bool placed = false;
  // The shown scene's show moving the camera (outside the exhibit screen): the move started last,
  // and this frame's pose (its own field of view); none before a move or once the show is over.
  const scene::ShowCue* show_move = nullptr;
  std::optional<scene::CameraPose> show_pose;
};

}  // namespace pavilion::kiosk
