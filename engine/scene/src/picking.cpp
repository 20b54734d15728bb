#include "pavilion/scene/picking.h"

#include <glm/geometric.hpp>

#include <cmath>

namespace pavilion::scene {

std::optional<ExhibitHit> first_exhibit_hit(std::span<const Exhibit> exhibits, const glm::vec3& origin,
                                            const glm::vec3& direction, float reach) {
  std::optional<ExhibitHit> nearest;
  const glm::vec3 unit = glm::normalize(direction);
  for (uint32_t index = 0; index < exhibits.size(); ++index) {
    const Exhibit& exhibit = exhibits[index];
    const glm::vec3 to_centre = exhibit.position - origin;
    const float radius_squared = exhibit.radius * exhibit.radius;
    if (glm::dot(to_centre, to_centre) <= radius_squared) continue;  // standing inside it
    const float along = glm::dot(to_centre, unit);
    if (along <= 0.0f) continue;  // behind
    const float miss_squared = glm::dot(to_centre, to_centre) - along * along;
    if (miss_squared > radius_squared) continue;
    const float entry = along - std::sqrt(radius_squared - miss_squared);
    if (entry > reach || (nearest && entry >= nearest->distance)) continue;
    nearest = ExhibitHit{index, entry};
  }
  return nearest;
}

}  // namespace pavilion::scene
