// Triangle meshes to the GPU vertex format: tangents from the texture coordinates, then
// meshoptimizer's vertex-cache, overdraw and vertex-fetch ordering, up to three simpler levels of
// detail (each about half the triangles), then quantised packing.
#pragma once

#include "pavilion/scene/render_scene.h"

#include <glm/glm.hpp>

#include <string>
#include <vector>

namespace pavilion::pack {

struct RawMesh {
  std::string name;
  std::vector<glm::vec3> positions;
  std::vector<glm::vec3> normals;  // unit length, one per position
  std::vector<glm::vec2> uvs;      // one per position, or empty; v grows down the image (glTF)
  std::vector<uint32_t> indices;   // triangles, counter-clockwise
  std::vector<scene::VertexSkin> skin;  // one per position for a skinned mesh, or empty
  // Morph targets: each one's weight at rest, and its position and normal deltas, target after
  // target, one per position (deltas[target × positions + vertex]).
  std::vector<float> morph_weights;
  std::vector<glm::vec3> morph_positions;
  std::vector<glm::vec3> morph_normals;
};

scene::MeshData optimize_and_pack(const RawMesh& mesh);

}  // namespace pavilion::pack
