// Frustum culling and batching of sorted instances into instanced draws. Pure CPU code.
#pragma once

#include <glm/glm.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::render {

// Planes (xyz normal pointing inside, w distance) of a reverse-Z, infinite-far frustum: left,
// right, bottom, top, near. There is no far plane to test.
struct Frustum {
  glm::vec4 planes[5];
};

Frustum frustum_from_view_projection(const glm::mat4& view_projection);
bool sphere_in_frustum(const Frustum& frustum, const glm::vec4& sphere);  // xyz centre, w radius

// What must match for instances to share one instanced draw.
struct DrawKey {
  uint32_t pipeline = 0;
  uint32_t material = 0;
  uint32_t mesh = 0;
  friend bool operator==(const DrawKey&, const DrawKey&) = default;
};

struct DrawBatch {
  DrawKey key;
  uint32_t first = 0;  // index of the first entry in the visible list
  uint32_t count = 0;
};

// Tests each instance's bounding sphere against every frustum (visible if inside any) and
// writes the indices of visible instances to `visible` in order, with one batch for each run of
// equal keys. `keys` must be sorted so equal keys are adjacent. `batches` is cleared and refilled
// without allocating once its capacity has grown to the instance count. Returns how many are visible.
uint32_t cull_and_batch(std::span<const Frustum> frusta, std::span<const glm::vec4> spheres,
                        std::span<const DrawKey> keys, uint32_t* visible, std::vector<DrawBatch>& batches);

}  // namespace pavilion::render
