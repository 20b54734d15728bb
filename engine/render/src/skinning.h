// Bounds of skinned meshes for culling, from the joints that move them. Pure CPU code.
#pragma once

#include "pavilion/scene/render_scene.h"

#include <glm/glm.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::render {

// How many joint matrices a skinned mesh reads: one more than the largest joint index its
// vertices name, weighted or not (the vertex stage reads all four; 0 for a mesh without a skin).
uint32_t joint_count(const scene::MeshData& mesh);

// For each of the mesh's joint_count joints, a sphere (xyz centre, w radius) around the vertices
// it moves, in the mesh's space at bind time; w is negative for a joint that moves none.
std::vector<glm::vec4> joint_spheres(const scene::MeshData& mesh);

// A sphere holding the mesh posed by `joints` (one per joint sphere): each skinned vertex is a
// weighted mean of its joints' matrices applied to it, so it lies within the hull of its joints'
// spheres carried by their matrices. `growth` widens each joint sphere before it is carried: how
// far morph targets may move a vertex before it is skinned. Allocates nothing.
glm::vec4 skinned_bounds(std::span<const glm::vec4> spheres, std::span<const glm::mat4> joints, float growth = 0.0f);

// The sphere around `sphere` (xyz centre, w radius) carried by `transform`, its radius grown by
// the transform's largest scale.
glm::vec4 transform_sphere(const glm::mat4& transform, const glm::vec4& sphere);

}  // namespace pavilion::render
