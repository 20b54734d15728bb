#include "culling.h"

#include <algorithm>

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

bool swept_sphere_in_frustum(const Frustum& frustum, const glm::vec4& sphere, const glm::vec3& sweep) {
  // The swept shape is convex: it lies beyond a plane only if both ends of the sweep do.
  for (const glm::vec4& plane : frustum.planes) {
    const float start = glm::dot(glm::vec3(plane), glm::vec3(sphere)) + plane.w;
    const float end = start + glm::dot(glm::vec3(plane), sweep);
    if (std::max(start, end) < -sphere.w) return false;
  }
  return true;
}

uint32_t coarsest_lod_within(const MeshDetail& detail, float radius, float tolerated_error) {
  uint32_t lod = 0;
  while (lod + 1 < detail.lod_count && detail.errors[lod + 1] * radius <= tolerated_error) ++lod;
  return lod;
}

uint32_t choose_lod(const MeshDetail& detail, const glm::vec4& sphere, const LodChoice& choice) {
  const float distance = std::max(glm::distance(glm::vec3(sphere), choice.eye) - sphere.w, 1e-3f);
  // The error that covers the tolerated pixels at the sphere's nearest point.
  return coarsest_lod_within(detail, sphere.w, choice.tolerated_pixels * distance / choice.pixels_per_radian);
}

uint32_t cull_and_batch(std::span<const Frustum> frusta, std::span<const glm::vec4> spheres,
                        std::span<const DrawKey> keys, std::span<const MeshDetail> meshes, const LodChoice& choice,
                        uint32_t* visible, std::span<uint8_t> lod_scratch, std::vector<DrawBatch>& batches) {
  batches.clear();
  uint32_t visible_count = 0;
  for (size_t start = 0; start < spheres.size();) {
    size_t end = start + 1;
    while (end < spheres.size() && keys[end] == keys[start]) ++end;
    // A counting sort by level of detail keeps a group's instances in at most one batch per level.
    const MeshDetail& detail = meshes[keys[start].mesh];
    std::array<uint32_t, scene::max_mesh_lods> counts{};
    for (size_t instance = start; instance < end; ++instance) {
      bool inside = false;
      for (const Frustum& frustum : frusta) {
        if (sphere_in_frustum(frustum, spheres[instance])) {
          inside = true;
          break;
        }
      }
      const uint32_t lod = inside ? choose_lod(detail, spheres[instance], choice) : culled_lod;
      lod_scratch[instance] = static_cast<uint8_t>(lod);
      if (inside) ++counts[lod];
    }
    std::array<uint32_t, scene::max_mesh_lods> next{};
    for (uint32_t lod = 0; lod < detail.lod_count; ++lod) {
      next[lod] = visible_count;
      if (counts[lod] == 0) continue;
      DrawKey key = keys[start];
      key.lod = lod;
      batches.push_back(DrawBatch{key, visible_count, counts[lod]});
      visible_count += counts[lod];
    }
    for (size_t instance = start; instance < end; ++instance) {
      if (lod_scratch[instance] != culled_lod) visible[next[lod_scratch[instance]]++] = static_cast<uint32_t>(instance);
    }
    start = end;
  }
  return visible_count;
}

}  // namespace pavilion::render
