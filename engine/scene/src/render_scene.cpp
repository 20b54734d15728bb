#include "pavilion/scene/render_scene.h"

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <fmt/format.h>

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

Error invalid(std::string why) { return Error(ErrorCode::invalid_input, "checking the scene", std::move(why)); }

bool finite(const glm::mat4& matrix) {
  for (int column = 0; column < 4; ++column) {
    for (int row = 0; row < 4; ++row) {
      if (!std::isfinite(matrix[column][row])) return false;
    }
  }
  return true;
}

bool finite(const glm::vec4& vector) {
  return std::isfinite(vector.x) && std::isfinite(vector.y) && std::isfinite(vector.z) && std::isfinite(vector.w);
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

VertexSkin pack_vertex_skin(const std::array<uint16_t, 4>& joints, const glm::vec4& weights) {
  const float total = weights.x + weights.y + weights.z + weights.w;
  expects(total > 0.0f && glm::all(glm::greaterThanEqual(weights, glm::vec4(0.0f))), "weights are non-negative, not all zero");
  VertexSkin skin{};
  uint32_t sum = 0;
  size_t heaviest = 0;
  for (size_t slot = 0; slot < 4; ++slot) {
    skin.joints[slot] = joints[slot];
    skin.weights[slot] = static_cast<uint16_t>(std::lround(weights[static_cast<glm::length_t>(slot)] / total * 65535.0f));
    sum += skin.weights[slot];
    if (skin.weights[slot] > skin.weights[heaviest]) heaviest = slot;
  }
  // Rounding may miss the total by a few units; the heaviest weight absorbs it unnoticed.
  skin.weights[heaviest] = static_cast<uint16_t>(int64_t{skin.weights[heaviest]} + 65535 - int64_t{sum});
  return skin;
}

MorphDelta pack_morph_delta(const glm::vec3& position, const glm::vec3& normal) {
  MorphDelta delta{};
  for (glm::length_t axis = 0; axis < 3; ++axis) {
    delta.position[axis] = static_cast<uint16_t>(glm::packHalf1x16(position[axis]));
    delta.normal[axis] = static_cast<uint16_t>(glm::packHalf1x16(normal[axis]));
  }
  return delta;
}

glm::vec3 morph_position_delta(const MorphDelta& delta) {
  return {glm::unpackHalf1x16(delta.position[0]), glm::unpackHalf1x16(delta.position[1]),
          glm::unpackHalf1x16(delta.position[2])};
}

glm::vec3 morph_normal_delta(const MorphDelta& delta) {
  return {glm::unpackHalf1x16(delta.normal[0]), glm::unpackHalf1x16(delta.normal[1]), glm::unpackHalf1x16(delta.normal[2])};
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

std::vector<MeshLod> mesh_lods(const MeshData& mesh) {
  if (!mesh.lods.empty()) return mesh.lods;
  return {MeshLod{0, static_cast<uint32_t>(mesh.indices.size()), 0.0f}};
}

std::vector<uint32_t> texture_level_sizes(const TextureData& texture) {
  std::vector<uint32_t> sizes;
  for (uint32_t level = texture.first_level; level < texture.mip_levels; ++level) {
    sizes.push_back(texture_mip_bytes(texture.format, texture.width, texture.height, level));
  }
  return sizes;
}

size_t texture_byte_count(const TextureData& texture) {
  size_t bytes = 0;
  for (uint32_t level = texture.first_level; level < texture.mip_levels; ++level) {
    bytes += texture_mip_bytes(texture.format, texture.width, texture.height, level);
  }
  return bytes;
}

Result<void> validate(const TextureData& texture) {
  const std::string name = fmt::format("texture '{}'", texture.name);
  if (!is_known(texture.format)) return invalid(name + " has an unknown format");
  if (texture.width == 0 || texture.height == 0 || texture.width > 16384 || texture.height > 16384) {
    return invalid(fmt::format("{} is {}×{}; sizes from 1 to 16384 are supported", name, texture.width, texture.height));
  }
  if (texture.mip_levels == 0 || texture.mip_levels > mip_level_count(texture.width, texture.height)) {
    return invalid(fmt::format("{} claims {} mip levels; a {}×{} image has at most {}", name, texture.mip_levels,
                               texture.width, texture.height, mip_level_count(texture.width, texture.height)));
  }
  if (texture.first_level >= texture.mip_levels) {
    return invalid(fmt::format("{} starts at level {} of its {} levels", name, texture.first_level, texture.mip_levels));
  }
  if (texture.deferred) {
    if (!texture.bytes.empty()) return invalid(fmt::format("{} is deferred but holds {} bytes", name, texture.bytes.size()));
    return {};
  }
  const size_t expected = texture_byte_count(texture);
  if (texture.bytes.size() != expected) {
    return invalid(fmt::format("{} holds {} bytes; its format and {} mip levels need {}", name, texture.bytes.size(),
                               texture.mip_levels - texture.first_level, expected));
  }
  return {};
}

Result<void> validate(const RenderScene& scene) {
  for (size_t index = 0; index < scene.meshes.size(); ++index) {
    const MeshData& mesh = scene.meshes[index];
    const std::string name = fmt::format("mesh {} ('{}')", index, mesh.name);
    if (mesh.vertices.empty() || mesh.indices.empty()) return invalid(name + " has no triangles");
    if (mesh.lods.size() > max_mesh_lods) {
      return invalid(fmt::format("{} has {} levels of detail; at most {} are supported", name, mesh.lods.size(), max_mesh_lods));
    }
    for (const MeshLod& lod : mesh.lods) {
      if (lod.index_count == 0 || lod.index_count % 3 != 0 || lod.first_index > mesh.indices.size() ||
          lod.index_count > mesh.indices.size() - lod.first_index || !std::isfinite(lod.error) || lod.error < 0.0f) {
        return invalid(name + " has a level of detail outside its indices");
      }
    }
    if (mesh.indices.size() % 3 != 0) {
      return invalid(fmt::format("{} has {} indices, which is not a whole number of triangles", name, mesh.indices.size()));
    }
    const auto bad_index = std::find_if(mesh.indices.begin(), mesh.indices.end(),
                                        [&](uint32_t vertex) { return vertex >= mesh.vertices.size(); });
    if (bad_index != mesh.indices.end()) {
      return invalid(fmt::format("{} refers to vertex {} at index {}, but has {} vertices", name, *bad_index,
                                 bad_index - mesh.indices.begin(), mesh.vertices.size()));
    }
    for (const PackedVertex& vertex : mesh.vertices) {
      if (!std::isfinite(vertex.position[0]) || !std::isfinite(vertex.position[1]) || !std::isfinite(vertex.position[2])) {
        return invalid(name + " has a vertex position that is not a finite number");
      }
    }
    if (!mesh.skin.empty() && mesh.skin.size() != mesh.vertices.size()) {
      return invalid(fmt::format("{} has skin weights for {} of its {} vertices", name, mesh.skin.size(), mesh.vertices.size()));
    }
    for (const VertexSkin& skin : mesh.skin) {
      if (uint32_t{skin.weights[0]} + skin.weights[1] + skin.weights[2] + skin.weights[3] != 65535) {
        return invalid(name + " has a vertex whose skin weights do not add up to one");
      }
    }
    if (mesh.morph_target_count() > max_morph_targets ||
        mesh.morph_deltas.size() != mesh.morph_target_count() * mesh.vertices.size()) {
      return invalid(fmt::format("{} has {} morph targets and {} deltas; it needs one delta per target and vertex, "
                                 "and at most {} targets", name, mesh.morph_target_count(), mesh.morph_deltas.size(),
                                 max_morph_targets));
    }
    for (const float weight : mesh.morph_weights) {
      if (!std::isfinite(weight)) return invalid(name + " has a morph target whose weight is not a finite number");
    }
    for (const MorphDelta& delta : mesh.morph_deltas) {
      if (!finite(glm::vec4(morph_position_delta(delta), 0.0f)) || !finite(glm::vec4(morph_normal_delta(delta), 0.0f))) {
        return invalid(name + " has a morph delta that is not a finite number");
      }
    }
  }
  for (size_t index = 0; index < scene.textures.size(); ++index) {
    PV_TRY(validate(scene.textures[index]).add_context(fmt::format("texture {}", index)));
  }
  const auto texture_count = static_cast<int32_t>(scene.textures.size());
  for (size_t index = 0; index < scene.materials.size(); ++index) {
    const MaterialData& material = scene.materials[index];
    for (int32_t texture : {material.base_color_texture, material.metallic_roughness_texture, material.normal_texture,
                            material.occlusion_texture, material.emissive_texture}) {
      if (texture != no_texture && (texture < 0 || texture >= texture_count)) {
        return invalid(fmt::format("material {} ('{}') uses texture {}, but the scene has {} textures", index,
                                   material.name, texture, texture_count));
      }
    }
    if (!finite(material.base_color_factor) || !std::isfinite(material.metallic_factor) ||
        !std::isfinite(material.roughness_factor) || !finite(glm::vec4(material.emissive_factor, material.normal_scale))) {
      return invalid(fmt::format("material {} ('{}') has a factor that is not a finite number", index, material.name));
    }
  }
  for (size_t index = 0; index < scene.instances.size(); ++index) {
    const InstanceData& instance = scene.instances[index];
    if (instance.mesh >= scene.meshes.size()) {
      return invalid(fmt::format("instance {} uses mesh {}, but the scene has {} meshes", index, instance.mesh,
                                 scene.meshes.size()));
    }
    if (instance.material >= scene.materials.size()) {
      return invalid(fmt::format("instance {} uses material {}, but the scene has {} materials", index,
                                 instance.material, scene.materials.size()));
    }
    if (!finite(instance.transform)) {
      return invalid(fmt::format("instance {} has a transform that is not made of finite numbers", index));
    }
  }
  if (glm::length(scene.light.direction) == 0.0f || !finite(glm::vec4(scene.light.direction, scene.light.intensity))) {
    return invalid("the light's direction must be a non-zero vector and its intensity a finite number");
  }
  return {};
}

}  // namespace pavilion::scene
