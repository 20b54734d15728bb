#include "pavilion/scene/render_scene.h"

#include "pavilion/core/error.h"

#include <glm/gtc/packing.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::scene {
namespace {

int16_t to_snorm16(float value) {
  return static_cast<int16_t>(std::lround(std::clamp(value, -1.0f, 1.0f) * 32767.0f));
}

float from_snorm16(int16_t value) { return std::max(static_cast<float>(value) / 32767.0f, -1.0f); }

// Octahedral encoding maps the unit sphere to a square with nearly uniform precision.
glm::vec2 octahedral_encode(glm::vec3 n) {
  n /= std::abs(n.x) + std::abs(n.y) + std::abs(n.z);
  glm::vec2 e(n.x, n.y);
  if (n.z < 0.0f) {
    e = (1.0f - glm::abs(glm::vec2(n.y, n.x))) * glm::vec2(n.x >= 0.0f ? 1.0f : -1.0f, n.y >= 0.0f ? 1.0f : -1.0f);
  }
  return e;
}

}  // namespace

PackedVertex pack_vertex(const glm::vec3& position, const glm::vec3& normal, const glm::vec4& tangent,
                         const glm::vec2& uv) {
  expects(glm::length(normal) > 0.0f, "a vertex normal is not zero");
  PackedVertex vertex{};
  vertex.position[0] = position.x;
  vertex.position[1] = position.y;
  vertex.position[2] = position.z;
  const glm::vec2 octahedral = octahedral_encode(glm::normalize(normal));
  vertex.normal_octahedral[0] = to_snorm16(octahedral.x);
  vertex.normal_octahedral[1] = to_snorm16(octahedral.y);
  const glm::vec3 direction = glm::length(glm::vec3(tangent)) > 0.0f ? glm::normalize(glm::vec3(tangent)) : glm::vec3(1, 0, 0);
  vertex.tangent[0] = to_snorm16(direction.x);
  vertex.tangent[1] = to_snorm16(direction.y);
  vertex.tangent[2] = to_snorm16(direction.z);
  vertex.tangent[3] = tangent.w < 0.0f ? int16_t{-32767} : int16_t{32767};
  const uint32_t packed_uv = glm::packHalf2x16(uv);
  vertex.uv[0] = static_cast<uint16_t>(packed_uv & 0xffff);
  vertex.uv[1] = static_cast<uint16_t>(packed_uv >> 16);
  return vertex;
}

glm::vec3 unpack_normal(const PackedVertex& vertex) {
  const glm::vec2 e(from_snorm16(vertex.normal_octahedral[0]), from_snorm16(vertex.normal_octahedral[1]));
  glm::vec3 n(e.x, e.y, 1.0f - std::abs(e.x) - std::abs(e.y));
  if (n.z < 0.0f) {
    const glm::vec2 folded = (1.0f - glm::abs(glm::vec2(n.y, n.x))) *
                             glm::vec2(n.x >= 0.0f ? 1.0f : -1.0f, n.y >= 0.0f ? 1.0f : -1.0f);
    n.x = folded.x;
    n.y = folded.y;
  }
  return glm::normalize(n);
}

bool is_block_compressed(TextureFormat format) {
  return format != TextureFormat::rgba8_srgb && format != TextureFormat::rgba8_unorm;
}

bool is_srgb(TextureFormat format) {
  return format == TextureFormat::rgba8_srgb || format == TextureFormat::bc1_srgb || format == TextureFormat::bc3_srgb;
}

bool is_known(TextureFormat format) { return static_cast<uint32_t>(format) <= static_cast<uint32_t>(TextureFormat::bc5_unorm); }

uint32_t texture_mip_bytes(TextureFormat format, uint32_t width, uint32_t height, uint32_t level) {
  const uint32_t level_width = std::max(1u, width >> level);
  const uint32_t level_height = std::max(1u, height >> level);
  const uint32_t blocks = ((level_width + 3) / 4) * ((level_height + 3) / 4);
  switch (format) {
    case TextureFormat::rgba8_srgb:
    case TextureFormat::rgba8_unorm: return level_width * level_height * 4;
    case TextureFormat::bc1_srgb:
    case TextureFormat::bc1_unorm: return blocks * 8;
    case TextureFormat::bc3_srgb:
    case TextureFormat::bc5_unorm: return blocks * 16;
  }
  return 0;
}

}  // namespace pavilion::scene
