#include "culling.h"

namespace pavilion::render {

Frustum frustum_from_view_projection(const glm::mat4& m) {
  // Rows of the matrix (glm is column-major: m[column][row]).
  const glm::vec4 row0(m[0][0], m[1][0], m[2][0], m[3][0]);
  const glm::vec4 row1(m[0][1], m[1][1], m[2][1], m[3][1]);
  const glm::vec4 row2(m[0][2], m[1][2], m[2][2], m[3][2]);
  const glm::vec4 row3(m[0][3], m[1][3], m[2][3], m[3][3]);
  // Inside: −w ≤ x ≤ w, −w ≤ y ≤ w, and z ≤ w (depth ≤ 1 at the near plane, reverse-Z).
  Frustum frustum{{row3 + row0, row3 - row0, row3 + row1, row3 - row1, row3 - row2}};
  for (glm::vec4& plane : frustum.planes) plane /= glm::length(glm::vec3(plane));
  return frustum;
}

bool sphere_in_frustum(const Frustum& frustum, const glm::vec4& sphere) {
  for (const glm::vec4& plane : frustum.planes) {
    if (glm::dot(glm::vec3(plane), glm::vec3(sphere)) + plane.w < -sphere.w) return false;
  }
  return true;
}

uint32_t cull_and_batch(std::span<const Frustum> frusta, std::span<const glm::vec4> spheres,
                        std::span<const DrawKey> keys, uint32_t* visible, std::vector<DrawBatch>& batches) {
  batches.clear();
  uint32_t visible_count = 0;
  for (uint32_t instance = 0; instance < spheres.size(); ++instance) {
    bool inside = false;
    for (const Frustum& frustum : frusta) {
      if (sphere_in_frustum(frustum, spheres[instance])) {
        inside = true;
        break;
      }
    }
    if (!inside) continue;
    if (batches.empty() || !(batches.back().key == keys[instance])) {
      batches.push_back(DrawBatch{keys[instance], visible_count, 0});
    }
    ++batches.back().count;
    visible[visible_count++] = instance;
  }
  return visible_count;
}

}  // namespace pavilion::render
