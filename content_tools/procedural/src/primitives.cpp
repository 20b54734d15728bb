#include "pavilion/procedural/primitives.h"

#include <glm/gtc/constants.hpp>

#include <cmath>

namespace pavilion::procedural {
namespace {

using scene::MeshData;
using scene::pack_vertex;

// One rectangle facing `normal`: texture u runs along `u_axis`, v along `v_axis` (v grows down
// the image). The bitangent's handedness and the winding follow from the axes, so any face
// orientation comes out front-facing and correctly tangent-framed.
void add_quad(MeshData& mesh, const glm::vec3& center, const glm::vec3& normal, const glm::vec3& u_axis,
              const glm::vec3& v_axis, float uv_repeat) {
  const float handedness = glm::dot(glm::cross(normal, u_axis), -v_axis) > 0.0f ? 1.0f : -1.0f;
  const glm::vec4 tangent(glm::normalize(u_axis), handedness);
  const auto first = static_cast<uint32_t>(mesh.vertices.size());
  const glm::vec2 corners[4] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
  for (const glm::vec2& corner : corners) {
    const glm::vec3 position = center + u_axis * (corner.x * 2.0f - 1.0f) + v_axis * (corner.y * 2.0f - 1.0f);
    mesh.vertices.push_back(pack_vertex(position, normal, tangent, corner * uv_repeat));
  }
  // Counter-clockwise seen from the side the normal points to.
  const bool counter_clockwise = glm::dot(glm::cross(u_axis, v_axis), normal) > 0.0f;
  const uint32_t order[6] = {0, 1, 2, 0, 2, 3};
  const uint32_t reversed[6] = {0, 2, 1, 0, 3, 2};
  for (uint32_t index : counter_clockwise ? order : reversed) mesh.indices.push_back(first + index);
}

}  // namespace

MeshData make_sphere(uint32_t segments, uint32_t rings) {
  MeshData mesh;
  mesh.name = "sphere";
  const float pi = glm::pi<float>();
  for (uint32_t ring = 0; ring <= rings; ++ring) {
    const float v = static_cast<float>(ring) / static_cast<float>(rings);
    const float theta = v * pi;  // from the north pole
    for (uint32_t segment = 0; segment <= segments; ++segment) {
      const float u = static_cast<float>(segment) / static_cast<float>(segments);
      const float phi = u * 2.0f * pi;
      const glm::vec3 normal(std::sin(theta) * std::cos(phi), std::cos(theta), -std::sin(theta) * std::sin(phi));
      // d(position)/du, which stays defined at the poles.
      const glm::vec3 tangent(-std::sin(phi), 0.0f, -std::cos(phi));
      mesh.vertices.push_back(pack_vertex(normal, normal, glm::vec4(tangent, 1.0f), glm::vec2(u, v)));
    }
  }
  const uint32_t row = segments + 1;
  for (uint32_t ring = 0; ring < rings; ++ring) {
    for (uint32_t segment = 0; segment < segments; ++segment) {
      const uint32_t a = ring * row + segment;
      const uint32_t b = a + row;
      // The caps' degenerate triangles are skipped.
      if (ring != 0) mesh.indices.insert(mesh.indices.end(), {a, b, a + 1});
      if (ring != rings - 1) mesh.indices.insert(mesh.indices.end(), {a + 1, b, b + 1});
    }
  }
  return mesh;
}

MeshData make_box(const glm::vec3& half) {
  MeshData mesh;
  mesh.name = "box";
  const glm::vec3 x(1, 0, 0);
  const glm::vec3 y(0, 1, 0);
  const glm::vec3 z(0, 0, 1);
  add_quad(mesh, z * half.z, z, x * half.x, -y * half.y, 1.0f);    // front
  add_quad(mesh, -z * half.z, -z, -x * half.x, -y * half.y, 1.0f);  // back
  add_quad(mesh, x * half.x, x, -z * half.z, -y * half.y, 1.0f);    // right
  add_quad(mesh, -x * half.x, -x, z * half.z, -y * half.y, 1.0f);   // left
  add_quad(mesh, y * half.y, y, x * half.x, z * half.z, 1.0f);      // top
  add_quad(mesh, -y * half.y, -y, x * half.x, -z * half.z, 1.0f);   // bottom
  return mesh;
}

MeshData make_plane(float size, float uv_repeat) {
  MeshData mesh;
  mesh.name = "plane";
  const float half = size * 0.5f;
  add_quad(mesh, glm::vec3(0.0f), glm::vec3(0, 1, 0), glm::vec3(half, 0, 0), glm::vec3(0, 0, half), uv_repeat);
  return mesh;
}

}  // namespace pavilion::procedural
