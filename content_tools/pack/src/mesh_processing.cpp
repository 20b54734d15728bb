#include "pavilion/pack/mesh_processing.h"

#include <meshoptimizer.h>

#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace pavilion::pack {
namespace {

struct FullVertex {
  glm::vec3 position;
  glm::vec3 normal;
  glm::vec4 tangent;
  glm::vec2 uv;
  scene::VertexSkin skin;  // zero for a mesh without one
};
// meshoptimizer compares vertices byte by byte: padding would make equal vertices differ.
static_assert(sizeof(FullVertex) == 3 * 4 + 3 * 4 + 4 * 4 + 2 * 4 + sizeof(scene::VertexSkin));

// Per-vertex tangents from the texture-coordinate gradients of the triangles around it, made
// orthogonal to the normal. The handedness follows glTF: the bitangent cross(normal, tangent) × w
// points to decreasing v ("up" in the image).
std::vector<glm::vec4> compute_tangents(const RawMesh& mesh) {
  const size_t count = mesh.positions.size();
  std::vector<glm::vec3> along_u(count, glm::vec3(0.0f));
  std::vector<glm::vec3> along_v(count, glm::vec3(0.0f));
  if (!mesh.uvs.empty()) {
    for (size_t triangle = 0; triangle + 2 < mesh.indices.size(); triangle += 3) {
      const uint32_t a = mesh.indices[triangle];
      const uint32_t b = mesh.indices[triangle + 1];
      const uint32_t c = mesh.indices[triangle + 2];
      const glm::vec3 edge1 = mesh.positions[b] - mesh.positions[a];
      const glm::vec3 edge2 = mesh.positions[c] - mesh.positions[a];
      const glm::vec2 duv1 = mesh.uvs[b] - mesh.uvs[a];
      const glm::vec2 duv2 = mesh.uvs[c] - mesh.uvs[a];
      const float determinant = duv1.x * duv2.y - duv2.x * duv1.y;
      if (std::abs(determinant) < 1e-12f) continue;
      const float inverse = 1.0f / determinant;
      const glm::vec3 u_direction = (edge1 * duv2.y - edge2 * duv1.y) * inverse;
      const glm::vec3 v_direction = (edge2 * duv1.x - edge1 * duv2.x) * inverse;
      for (uint32_t vertex : {a, b, c}) {
        along_u[vertex] += u_direction;
        along_v[vertex] += v_direction;
      }
    }
  }
  std::vector<glm::vec4> tangents(count);
  for (size_t vertex = 0; vertex < count; ++vertex) {
    const glm::vec3 normal = mesh.normals[vertex];
    glm::vec3 tangent = along_u[vertex] - normal * glm::dot(normal, along_u[vertex]);
    if (glm::length(tangent) < 1e-8f) {
      // No usable texture coordinates: any direction across the surface will do.
      tangent = std::abs(normal.x) < 0.9f ? glm::cross(normal, glm::vec3(1, 0, 0)) : glm::cross(normal, glm::vec3(0, 1, 0));
    }
    tangent = glm::normalize(tangent);
    const float handedness = glm::dot(glm::cross(normal, tangent), -along_v[vertex]) < 0.0f ? -1.0f : 1.0f;
    tangents[vertex] = glm::vec4(tangent, handedness);
  }
  return tangents;
}

// Simpler versions of the mesh, each about half the triangles of the one before, appended after
// the full index list. Errors are stored as fractions of the bounding radius, as culling wants.
void append_levels_of_detail(scene::MeshData& out, const std::vector<uint32_t>& full,
                             const std::vector<FullVertex>& vertices) {
  constexpr size_t smallest_worth_simplifying = 3 * 64;
  if (full.size() < smallest_worth_simplifying) return;
  const float* positions = &vertices[0].position.x;
  const float scale = meshopt_simplifyScale(positions, vertices.size(), sizeof(FullVertex));
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (const FullVertex& vertex : vertices) {
    low = glm::min(low, vertex.position);
    high = glm::max(high, vertex.position);
  }
  const float radius = std::max(glm::length(high - low) * 0.5f, 1e-6f);
  std::vector<uint32_t> previous = full;
  std::vector<uint32_t> simplified(full.size());
  while (out.lods.size() < scene::max_mesh_lods) {
    float relative_error = 0.0f;
    // The border of an open mesh stays put, so a page or a panel keeps its outline.
    const size_t count = meshopt_simplify(simplified.data(), full.data(), full.size(), positions, vertices.size(),
                                          sizeof(FullVertex), previous.size() / 2, 0.05f,
                                          meshopt_SimplifyLockBorder, &relative_error);
    if (count == 0 || count > previous.size() * 3 / 4) break;  // no longer worth a level
    simplified.resize(count);
    meshopt_optimizeVertexCache(simplified.data(), simplified.data(), count, vertices.size());
    out.lods.push_back({static_cast<uint32_t>(out.indices.size()), static_cast<uint32_t>(count),
                        relative_error * scale / radius});
    out.indices.insert(out.indices.end(), simplified.begin(), simplified.end());
    previous.assign(simplified.begin(), simplified.end());
    simplified.resize(full.size());
  }
}

}  // namespace

scene::MeshData optimize_and_pack(const RawMesh& mesh) {
  const std::vector<glm::vec4> tangents = compute_tangents(mesh);
  std::vector<FullVertex> vertices(mesh.positions.size());
  for (size_t vertex = 0; vertex < vertices.size(); ++vertex) {
    vertices[vertex] = {mesh.positions[vertex], mesh.normals[vertex], tangents[vertex],
                        mesh.uvs.empty() ? glm::vec2(0.0f) : mesh.uvs[vertex],
                        mesh.skin.empty() ? scene::VertexSkin{} : mesh.skin[vertex]};
  }

  // A vertex's morph deltas, all targets side by side, travel with it: two vertices are one only
  // when these match too.
  const size_t targets = mesh.morph_weights.size();
  const size_t morph_stride = targets * 6;
  std::vector<float> morphs(vertices.size() * morph_stride);
  for (size_t target = 0; target < targets; ++target) {
    for (size_t vertex = 0; vertex < vertices.size(); ++vertex) {
      float* out = &morphs[vertex * morph_stride + target * 6];
      const glm::vec3& position = mesh.morph_positions[target * vertices.size() + vertex];
      const glm::vec3& normal = mesh.morph_normals[target * vertices.size() + vertex];
      out[0] = position.x, out[1] = position.y, out[2] = position.z;
      out[3] = normal.x, out[4] = normal.y, out[5] = normal.z;
    }
  }

  // Shared identical vertices, then orders that suit the GPU: the post-transform cache, fewer
  // hidden fragments, and memory read in order.
  std::vector<uint32_t> remap(vertices.size());
  const std::array<meshopt_Stream, 2> streams{{{vertices.data(), sizeof(FullVertex), sizeof(FullVertex)},
                                               {morphs.data(), morph_stride * sizeof(float), morph_stride * sizeof(float)}}};
  const size_t unique = meshopt_generateVertexRemapMulti(remap.data(), mesh.indices.data(), mesh.indices.size(),
                                                         vertices.size(), streams.data(), targets > 0 ? 2 : 1);
  std::vector<uint32_t> indices(mesh.indices.size());
  meshopt_remapIndexBuffer(indices.data(), mesh.indices.data(), mesh.indices.size(), remap.data());
  std::vector<FullVertex> unique_vertices(unique);
  meshopt_remapVertexBuffer(unique_vertices.data(), vertices.data(), vertices.size(), sizeof(FullVertex), remap.data());
  std::vector<float> unique_morphs(unique * morph_stride);
  if (targets > 0) {
    meshopt_remapVertexBuffer(unique_morphs.data(), morphs.data(), vertices.size(), morph_stride * sizeof(float),
                              remap.data());
  }
  meshopt_optimizeVertexCache(indices.data(), indices.data(), indices.size(), unique);
  meshopt_optimizeOverdraw(indices.data(), indices.data(), indices.size(), &unique_vertices[0].position.x, unique,
                           sizeof(FullVertex), 1.05f);
  std::vector<uint32_t> fetch_order(unique);
  meshopt_optimizeVertexFetchRemap(fetch_order.data(), indices.data(), indices.size(), unique);
  meshopt_remapIndexBuffer(indices.data(), indices.data(), indices.size(), fetch_order.data());
  meshopt_remapVertexBuffer(unique_vertices.data(), unique_vertices.data(), unique, sizeof(FullVertex), fetch_order.data());
  if (targets > 0) {
    meshopt_remapVertexBuffer(unique_morphs.data(), unique_morphs.data(), unique, morph_stride * sizeof(float),
                              fetch_order.data());
  }

  scene::MeshData packed;
  packed.name = mesh.name;
  packed.lods.push_back({0, static_cast<uint32_t>(indices.size()), 0.0f});
  packed.indices = indices;
  append_levels_of_detail(packed, indices, unique_vertices);
  packed.vertices.reserve(unique);
  for (const FullVertex& vertex : unique_vertices) {
    packed.vertices.push_back(scene::pack_vertex(vertex.position, vertex.normal, vertex.tangent, vertex.uv));
    if (!mesh.skin.empty()) packed.skin.push_back(vertex.skin);
  }
  packed.morph_weights = mesh.morph_weights;
  packed.morph_deltas.reserve(targets * unique);
  for (size_t target = 0; target < targets; ++target) {
    for (size_t vertex = 0; vertex < unique; ++vertex) {
      const float* in = &unique_morphs[vertex * morph_stride + target * 6];
      packed.morph_deltas.push_back(scene::pack_morph_delta({in[0], in[1], in[2]}, {in[3], in[4], in[5]}));
    }
  }
  return packed;
}

}  // namespace pavilion::pack
