#include "skinning.h"

#include <algorithm>
#include <limits>

namespace pavilion::render {

uint32_t joint_count(const scene::MeshData& mesh) {
  uint32_t count = 0;
  for (const scene::VertexSkin& skin : mesh.skin) {
    for (const uint16_t joint : skin.joints) count = std::max<uint32_t>(count, joint + 1u);
  }
  return count;
}

std::vector<glm::vec4> joint_spheres(const scene::MeshData& mesh) {
  const uint32_t count = joint_count(mesh);
  std::vector<glm::vec3> low(count, glm::vec3(std::numeric_limits<float>::max()));
  std::vector<glm::vec3> high(count, glm::vec3(std::numeric_limits<float>::lowest()));
  for (size_t vertex = 0; vertex < mesh.skin.size(); ++vertex) {
    const glm::vec3 position(mesh.vertices[vertex].position[0], mesh.vertices[vertex].position[1],
                             mesh.vertices[vertex].position[2]);
    const scene::VertexSkin& skin = mesh.skin[vertex];
    for (int slot = 0; slot < 4; ++slot) {
      if (skin.weights[slot] == 0) continue;
      low[skin.joints[slot]] = glm::min(low[skin.joints[slot]], position);
      high[skin.joints[slot]] = glm::max(high[skin.joints[slot]], position);
    }
  }
  std::vector<glm::vec4> spheres(count, glm::vec4(0.0f, 0.0f, 0.0f, -1.0f));
  for (uint32_t joint = 0; joint < count; ++joint) {
    if (low[joint].x > high[joint].x) continue;
    spheres[joint] = glm::vec4((low[joint] + high[joint]) * 0.5f, glm::length(high[joint] - low[joint]) * 0.5f);
  }
  return spheres;
}

glm::vec4 transform_sphere(const glm::mat4& transform, const glm::vec4& sphere) {
  const float scale = std::max({glm::length(glm::vec3(transform[0])), glm::length(glm::vec3(transform[1])),
                                glm::length(glm::vec3(transform[2]))});
  return glm::vec4(glm::vec3(transform * glm::vec4(glm::vec3(sphere), 1.0f)), sphere.w * scale);
}

glm::vec4 skinned_bounds(std::span<const glm::vec4> spheres, std::span<const glm::mat4> joints, float growth) {
  // Two passes over the carried spheres: their box's centre, then the radius that reaches the
  // farthest of them from it.
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (size_t joint = 0; joint < spheres.size(); ++joint) {
    if (spheres[joint].w < 0.0f) continue;
    const glm::vec4 carried = transform_sphere(joints[joint], spheres[joint] + glm::vec4(0.0f, 0.0f, 0.0f, growth));
    low = glm::min(low, glm::vec3(carried) - carried.w);
    high = glm::max(high, glm::vec3(carried) + carried.w);
  }
  if (low.x > high.x) return glm::vec4(0.0f);
  const glm::vec3 centre = (low + high) * 0.5f;
  float radius = 0.0f;
  for (size_t joint = 0; joint < spheres.size(); ++joint) {
    if (spheres[joint].w < 0.0f) continue;
    const glm::vec4 carried = transform_sphere(joints[joint], spheres[joint] + glm::vec4(0.0f, 0.0f, 0.0f, growth));
    radius = std::max(radius, glm::distance(centre, glm::vec3(carried)) + carried.w);
  }
  return glm::vec4(centre, radius);
}

}  // namespace pavilion::render
