// Frustum culling and batching of sorted instances into instanced draws. Pure CPU code.
#pragma once

#include "pavilion/scene/render_scene.h"

#include <glm/glm.hpp>

#include <array>
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
// Whether the sphere swept along `sweep` (from its centre to its centre + sweep) may reach into
// the frustum: where a shadow caster's shadow may fall, with `sweep` along the light.
bool swept_sphere_in_frustum(const Frustum& frustum, const glm::vec4& sphere, const glm::vec3& sweep);

// What must match for instances to share one instanced draw.
struct DrawKey {
  uint32_t pipeline = 0;
  uint32_t material = 0;
  uint32_t mesh = 0;
  uint32_t lod = 0;  // chosen per frame; the sort order of instances ignores it
  friend bool operator==(const DrawKey&, const DrawKey&) = default;
};

// How coarse a mesh may be drawn: its levels of detail, and the view's scale.
struct MeshDetail {
  uint32_t lod_count = 1;
  std::array<float, scene::max_mesh_lods> errors{};  // per LOD, as a fraction of the mesh's bounding radius
};

struct LodChoice {
  glm::vec3 eye{0.0f};
  float pixels_per_radian = 1000.0f;  // the view's height in pixels over its vertical field of view
  float tolerated_pixels = 1.0f;      // a LOD is used when its error looks smaller than this
};

// The coarsest level of detail of an instance of `radius` (metres) whose error, in metres, stays
// within `tolerated_error`.
uint32_t coarsest_lod_within(const MeshDetail& detail, float radius, float tolerated_error);

// The coarsest level of detail whose error, seen from `choice.eye`, stays within the tolerance.
uint32_t choose_lod(const MeshDetail& detail, const glm::vec4& sphere, const LodChoice& choice);

struct DrawBatch {
  DrawKey key;
  uint32_t first = 0;  // index of the first entry in the visible list
  uint32_t count = 0;
};

// cull_and_batch's level of detail for an instance no view sees.
inline constexpr uint8_t culled_lod = 0xff;

// Tests each instance's bounding sphere against every frustum (visible if inside any), chooses a
// level of detail for each visible one (into `lod_scratch`, culled_lod for the rest), and writes the indices of visible instances to `visible`
// with one batch for each run of equal keys and each level of detail within it. `keys` must be
// sorted so equal keys (lod 0) are adjacent. `lod_scratch` holds one entry per instance. Nothing
// allocates once `batches` has grown to its capacity. Returns how many instances are visible.
uint32_t cull_and_batch(std::span<const Frustum> frusta, std::span<const glm::vec4> spheres,
                        std::span<const DrawKey> keys, std::span<const MeshDetail> meshes, const LodChoice& choice,
                        uint32_t* visible, std::span<uint8_t> lod_scratch, std::vector<DrawBatch>& batches);

}  // namespace pavilion::render
