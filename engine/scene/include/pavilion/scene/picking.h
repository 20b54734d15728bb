// Which exhibit a pointing ray (a headset controller's, a visitor's gaze) meets first.
#pragma once

#include "pavilion/scene/scene.h"

#include <glm/vec3.hpp>

#include <cstdint>
#include <optional>
#include <span>

namespace pavilion::scene {

struct ExhibitHit {
  uint32_t exhibit = 0;  // index into the exhibits
  float distance = 0;    // along the ray, in metres
};

// The nearest exhibit whose picking sphere (position, radius) the ray enters within `reach`.
// Exhibits around the ray's start are skipped: a visitor standing inside a room-sized exhibit
// points at what is in the room, not at the room.
std::optional<ExhibitHit> first_exhibit_hit(std::span<const Exhibit> exhibits, const glm::vec3& origin,
                                            const glm::vec3& direction, float reach);

}  // namespace pavilion::scene
