#include "pavilion/pack/model_import.h"

#include "pavilion/bounded_child/bounded_child.h"
#include "pavilion/core/bytes.h"
#include "pavilion/core/parallel.h"
#include "pavilion/pack/mesh_processing.h"
#include "pavilion/scene/scene_tables.h"
#include "texture_paths.h"

#include <assimp/GltfMaterial.h>
#include <assimp/DefaultIOSystem.h>
#include <assimp/Importer.hpp>
#include <assimp/material.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace pavilion::pack {
namespace {

using bounded_child::ChildEnd;
using bounded_child::ChildOutcome;
using bounded_child::run_in_children;

glm::mat4 to_glm(const aiMatrix4x4& m) {
  // Assimp's matrices are row-major; glm's are column-major.
  return glm::mat4(m.a1, m.b1, m.c1, m.d1, m.a2, m.b2, m.c2, m.d2, m.a3, m.b3, m.c3, m.d3, m.a4, m.b4, m.c4, m.d4);
}

class MaterialReader {
 public:
  MaterialReader(const aiScene& scene, const std::filesystem::path& model, ImportedModel& out)
      : scene_(scene), model_(model), out_(out), paths_(model.parent_path()) {}

  scene::MaterialData read(const aiMaterial& material) {
    scene::MaterialData data;
    aiString name;
    if (material.Get(AI_MATKEY_NAME, name) == AI_SUCCESS) data.name = name.C_Str();

    aiColor4D base(1, 1, 1, 1);
    aiColor4D diffuse(1, 1, 1, 1);
    if (material.Get(AI_MATKEY_BASE_COLOR, base) != AI_SUCCESS && material.Get(AI_MATKEY_COLOR_DIFFUSE, diffuse) == AI_SUCCESS) {
      base = diffuse;
    }
    data.base_color_factor = glm::vec4(base.r, base.g, base.b, base.a);

    float metallic = 0.0f;
    float roughness = 0.0f;
    float glossiness = 0.0f;
    float shininess = 0.0f;
    if (material.Get(AI_MATKEY_METALLIC_FACTOR, metallic) == AI_SUCCESS) {
      data.metallic_factor = metallic;
      data.roughness_factor = material.Get(AI_MATKEY_ROUGHNESS_FACTOR, roughness) == AI_SUCCESS ? roughness : 1.0f;
    } else if (material.Get(AI_MATKEY_GLOSSINESS_FACTOR, glossiness) == AI_SUCCESS) {
      // Specular-glossiness: a strong, coloured specular reflectance means metal.
      aiColor4D specular(0.04f, 0.04f, 0.04f, 1.0f);
      material.Get(AI_MATKEY_COLOR_SPECULAR, specular);
      const float strongest = std::max({specular.r, specular.g, specular.b});
      data.metallic_factor = std::clamp((strongest - 0.04f) / 0.96f, 0.0f, 1.0f);
      data.roughness_factor = 1.0f - glossiness;
      const glm::vec3 specular_color(specular.r, specular.g, specular.b);
      data.base_color_factor = glm::vec4(
          glm::mix(glm::vec3(data.base_color_factor), specular_color, data.metallic_factor), data.base_color_factor.a);
    } else {
      // Phong: a dielectric whose highlight size gives the roughness (Blinn-Phong to GGX).
      data.metallic_factor = 0.0f;
      data.roughness_factor = material.Get(AI_MATKEY_SHININESS, shininess) == AI_SUCCESS && shininess > 0.0f
                                  ? std::sqrt(2.0f / (shininess + 2.0f))
                                  : 0.8f;
    }
    aiColor3D emissive(0, 0, 0);
    if (material.Get(AI_MATKEY_COLOR_EMISSIVE, emissive) == AI_SUCCESS) {
      data.emissive_factor = glm::vec3(emissive.r, emissive.g, emissive.b);
    }
    int two_sided = 0;
    if (material.Get(AI_MATKEY_TWOSIDED, two_sided) == AI_SUCCESS) data.double_sided = two_sided != 0;

    data.base_color_texture = texture(material, data.name, {aiTextureType_BASE_COLOR, aiTextureType_DIFFUSE}, TextureUse::color);
    data.metallic_roughness_texture = texture(material, data.name, {aiTextureType_UNKNOWN}, TextureUse::surface);
    data.normal_texture = texture(material, data.name, {aiTextureType_NORMALS}, TextureUse::normal);
    data.occlusion_texture =
        texture(material, data.name, {aiTextureType_LIGHTMAP, aiTextureType_AMBIENT_OCCLUSION}, TextureUse::surface);
    data.emissive_texture = texture(material, data.name, {aiTextureType_EMISSIVE}, TextureUse::color);
    if (data.emissive_texture != scene::no_texture && data.emissive_factor == glm::vec3(0.0f)) {
      data.emissive_factor = glm::vec3(1.0f);  // a texture without a factor means "glow as painted"
    }
    return data;
  }

 private:
  int32_t texture(const aiMaterial& material, const std::string& material_name, std::initializer_list<aiTextureType> types,
                  TextureUse use) {
    for (aiTextureType type : types) {
      aiString path;
      if (material.GetTexture(type, 0, &path) != AI_SUCCESS || path.length == 0) continue;
      const std::string reference = path.C_Str();
      const std::string key = fmt::format("{}|{}", reference, static_cast<int>(use));
      if (auto known = indices_.find(key); known != indices_.end()) return known->second;
      TextureSource source;
      source.use = use;
      if (const aiTexture* embedded = scene_.GetEmbeddedTexture(reference.c_str())) {
        source.name = fmt::format("{} (embedded {})", model_.filename().string(), reference);
        if (embedded->mHeight == 0) {
          const auto* bytes = reinterpret_cast<const std::byte*>(embedded->pcData);
          source.embedded.assign(bytes, bytes + embedded->mWidth);
        } else {
          source.pixels = ImageRgba8(embedded->mWidth, embedded->mHeight);
          for (size_t texel = 0; texel < size_t{embedded->mWidth} * embedded->mHeight; ++texel) {
            const aiTexel& value = embedded->pcData[texel];
            uint8_t* out = &source.pixels.pixels[texel * 4];
            out[0] = value.r;
            out[1] = value.g;
            out[2] = value.b;
            out[3] = value.a;
          }
        }
      } else if (const std::optional<std::filesystem::path> file = paths_.find(reference)) {
        source.file = *file;
        source.name = file->filename().string();
      } else {
        // Left out, and named once per material, so the curator can add the image.
        if (missing_.emplace(reference, material_name).second) out_.missing_textures.push_back({reference, material_name});
        return scene::no_texture;
      }
      out_.textures.push_back(std::move(source));
      const auto index = static_cast<int32_t>(out_.textures.size() - 1);
      indices_.emplace(key, index);
      return index;
    }
    return scene::no_texture;
  }

  const aiScene& scene_;
  std::filesystem::path model_;
  ImportedModel& out_;
  TexturePathResolver paths_;
  std::map<std::string, int32_t> indices_;
  std::set<std::pair<std::string, std::string>> missing_;  // path and material
};

scene::NodeTransform decompose(const aiMatrix4x4& matrix) {
  aiVector3D scale;
  aiQuaternion rotation;
  aiVector3D translation;
  matrix.Decompose(scale, rotation, translation);
  scene::NodeTransform transform;
  transform.translation = glm::vec3(translation.x, translation.y, translation.z);
  transform.scale = glm::vec3(scale.x, scale.y, scale.z);
  const glm::quat quaternion(rotation.w, rotation.x, rotation.y, rotation.z);
  // A node scaled to nothing (a way to hide a part) has no recoverable rotation; none is needed.
  const float length = glm::length(quaternion);
  if (std::isfinite(length) && length > 0.0f) transform.rotation = quaternion / length;
  return transform;
}

// The tree in parent-first order, and an instance for every mesh a node holds.
void add_nodes(const aiNode& node, int32_t parent, const aiScene& scene, ImportedModel& out) {
  const auto index = static_cast<uint32_t>(out.tree.nodes.size());
  out.tree.nodes.push_back({node.mName.C_Str(), parent, decompose(node.mTransformation)});
  for (unsigned int slot = 0; slot < node.mNumMeshes; ++slot) {
    const unsigned int mesh = node.mMeshes[slot];
    out.instances.push_back({glm::mat4(1.0f), mesh, scene.mMeshes[mesh]->mMaterialIndex});
    out.tree.instances.push_back({index, scene::no_skin});
  }
  for (unsigned int child = 0; child < node.mNumChildren; ++child) {
    add_nodes(*node.mChildren[child], static_cast<int32_t>(index), scene, out);
  }
}

Error import_error(const std::filesystem::path& path, std::string why) {
  return Error(ErrorCode::invalid_input, fmt::format("importing the model {}", path), std::move(why));
}

// Up to four joints per vertex (aiProcess_LimitBoneWeights has already dropped the lightest).
std::vector<scene::VertexSkin> vertex_skins(const aiMesh& mesh) {
  std::vector<std::array<uint16_t, 4>> joints(mesh.mNumVertices, std::array<uint16_t, 4>{});
  std::vector<glm::vec4> weights(mesh.mNumVertices, glm::vec4(0.0f));
  std::vector<uint8_t> used(mesh.mNumVertices, 0);
  for (unsigned int bone = 0; bone < mesh.mNumBones; ++bone) {
    for (unsigned int entry = 0; entry < mesh.mBones[bone]->mNumWeights; ++entry) {
      const aiVertexWeight& weight = mesh.mBones[bone]->mWeights[entry];
      if (weight.mVertexId >= mesh.mNumVertices || used[weight.mVertexId] == 4 || !(weight.mWeight > 0.0f)) continue;
      const uint8_t slot = used[weight.mVertexId]++;
      joints[weight.mVertexId][slot] = static_cast<uint16_t>(bone);
      weights[weight.mVertexId][slot] = weight.mWeight;
    }
  }
  std::vector<scene::VertexSkin> skins(mesh.mNumVertices);
  for (unsigned int vertex = 0; vertex < mesh.mNumVertices; ++vertex) {
    // A vertex no bone moves follows the first joint, so it stays with the model.
    skins[vertex] = used[vertex] == 0 ? scene::pack_vertex_skin({0, 0, 0, 0}, glm::vec4(1, 0, 0, 0))
                                      : scene::pack_vertex_skin(joints[vertex], weights[vertex]);
  }
  return skins;
}

Result<scene::Skin> read_skin(const aiMesh& mesh, const std::string& name, const std::map<std::string, uint32_t>& nodes,
                              const std::filesystem::path& path) {
  if (mesh.mNumBones > 65536) {
    return import_error(path, fmt::format("mesh '{}' has {} bones; at most 65536 are supported", name, mesh.mNumBones));
  }
  scene::Skin skin;
  skin.name = name;
  for (unsigned int index = 0; index < mesh.mNumBones; ++index) {
    const aiBone& bone = *mesh.mBones[index];
    const auto node = nodes.find(bone.mName.C_Str());
    if (node == nodes.end()) {
      return import_error(path, fmt::format("bone '{}' of mesh '{}' names no node of the model", bone.mName.C_Str(), name));
    }
    skin.joints.push_back(node->second);
    skin.inverse_bind_matrices.push_back(to_glm(bone.mOffsetMatrix));
  }
  return skin;
}

// The rest value of a node's property, in an animation key's form.
glm::vec4 rest_value(const scene::NodeTransform& local, scene::AnimatedProperty property) {
  switch (property) {
    case scene::AnimatedProperty::translation: return glm::vec4(local.translation, 0.0f);
    case scene::AnimatedProperty::rotation: return glm::vec4(local.rotation.x, local.rotation.y, local.rotation.z, local.rotation.w);
    case scene::AnimatedProperty::scale: return glm::vec4(local.scale, 0.0f);
  }
  return glm::vec4(0.0f);
}

// A clip that cannot be played, said with the model, the clip and the node, before Assimp's own
// check (aiProcess_ValidateDataStructure) refuses some of these without naming them: a channel
// without keys, keys whose times are not numbers from 0 up, each after the one before, or keys
// whose values are not numbers (or a rotation of no length).
Result<void> check_animations(const aiScene& scene, const std::filesystem::path& path) {
  for (unsigned int index = 0; index < scene.mNumAnimations; ++index) {
    const aiAnimation& animation = *scene.mAnimations[index];
    const std::string name = animation.mName.length > 0 ? animation.mName.C_Str() : fmt::format("animation {}", index);
    const double ticks_per_second = animation.mTicksPerSecond > 0.0 ? animation.mTicksPerSecond : 25.0;
    if (!std::isfinite(ticks_per_second)) {
      // Assimp's BVH reader counts 1 / Frame Time ticks a second: a frame time of 0 gives infinity.
      return import_error(path, fmt::format("its animation '{}' cannot be played: its frames last no time (a frame time "
                                            "of 0, such as a BVH file's 'Frame Time: 0'), so every key falls at one "
                                            "instant; export it again with the frame time it was recorded at",
                                            name));
    }
    for (unsigned int channel_index = 0; channel_index < animation.mNumChannels; ++channel_index) {
      const aiNodeAnim& channel = *animation.mChannels[channel_index];
      const auto unplayable = [&](std::string_view why) {
        return import_error(path, fmt::format("its animation '{}' cannot be played: {} for node '{}' (export the "
                                              "animation again, or leave it out of the model)",
                                              name, why, channel.mNodeName.C_Str()));
      };
      if (channel.mNumPositionKeys == 0 && channel.mNumRotationKeys == 0 && channel.mNumScalingKeys == 0) {
        return unplayable("it has no keys");
      }
      auto check = [&](scene::AnimatedProperty property, const auto* keys, unsigned int count, auto finite) -> Result<void> {
        for (unsigned int key = 0; key < count; ++key) {
          const double time = keys[key].mTime / ticks_per_second;
          // Compared as the tables keep them (floats), where keys too close together become one.
          const bool after_previous =
              key == 0 || static_cast<float>(time) > static_cast<float>(keys[key - 1].mTime / ticks_per_second);
          if (!std::isfinite(time) || time < 0.0 || !after_previous) {
            return unplayable(fmt::format("its {} key {} is at {} s, and key times must be numbers from 0 up, each "
                                          "after the one before",
                                          scene::to_string(property), key, time));
          }
          if (!finite(keys[key].mValue)) {
            return unplayable(fmt::format("its {} key {} (at {} s) has a value that is not a number",
                                          scene::to_string(property), key, time));
          }
        }
        return {};
      };
      const auto finite_vector = [](const aiVector3D& v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); };
      const auto finite_rotation = [](const aiQuaternion& q) {
        const double length = std::sqrt(double{q.x} * q.x + double{q.y} * q.y + double{q.z} * q.z + double{q.w} * q.w);
        return std::isfinite(length) && length > 1e-6;
      };
      PV_TRY(check(scene::AnimatedProperty::translation, channel.mPositionKeys, channel.mNumPositionKeys, finite_vector));
      PV_TRY(check(scene::AnimatedProperty::rotation, channel.mRotationKeys, channel.mNumRotationKeys, finite_rotation));
      PV_TRY(check(scene::AnimatedProperty::scale, channel.mScalingKeys, channel.mNumScalingKeys, finite_vector));
    }
  }
  return {};
}

// Every channel comes out linear (rotations spherical): Assimp 5.2.5, Debian 12's, keeps no
// interpolation with its keys. Its aiVectorKey and aiQuatKey (assimp/anim.h) hold only mTime and
// mValue; mInterpolation (aiAnimInterpolation) arrived in Assimp 5.3. Its glTF importer keeps
// each cubic-spline key's value and drops the tangents (baked to linear), and passes step keys on
// as plain keys, so a stepped glTF channel plays linearly between its keys; FBX, Collada, MD5 and
// BVH keys are linear or sampled already. Our tables carry step and cubic spline for an importer
// that gives them.
Result<scene::Animation> read_animation(const aiAnimation& source, size_t index, const std::map<std::string, uint32_t>& nodes,
                                        std::span<const scene::Node> tree_nodes, const std::filesystem::path& path) {
  // Assimp counts time in ticks; a file that does not say how fast they pass gets its default.
  const double ticks_per_second = source.mTicksPerSecond > 0.0 ? source.mTicksPerSecond : 25.0;
  scene::Animation animation;
  animation.name = source.mName.length > 0 ? source.mName.C_Str() : fmt::format("animation {}", index);
  animation.duration = static_cast<float>(source.mDuration / ticks_per_second);
  for (unsigned int index_in_animation = 0; index_in_animation < source.mNumChannels; ++index_in_animation) {
    const aiNodeAnim& channel = *source.mChannels[index_in_animation];
    const auto node = nodes.find(channel.mNodeName.C_Str());
    if (node == nodes.end()) {
      return import_error(path, fmt::format("animation '{}' moves node '{}', which the model does not have", animation.name,
                                            channel.mNodeName.C_Str()));
    }
    auto add = [&](scene::AnimatedProperty property, unsigned int count, auto key_time, auto key_value) {
      if (count == 0) return;
      // check_animations has found the times increasing and the values finite.
      scene::AnimationChannel out{node->second, property, {}, {}, scene::Interpolation::linear};
      for (unsigned int key = 0; key < count; ++key) {
        const auto time = static_cast<float>(key_time(key) / ticks_per_second);
        out.times.push_back(time);
        out.values.push_back(key_value(key));
      }
      // Importers fill the properties an animation leaves alone with one key at the rest value:
      // such a channel changes nothing.
      const glm::vec4 rest = rest_value(tree_nodes[node->second].local, property);
      if (out.times.size() == 1 && glm::all(glm::lessThan(glm::abs(out.values[0] - rest), glm::vec4(1e-6f)))) return;
      animation.channels.push_back(std::move(out));
    };
    add(scene::AnimatedProperty::translation, channel.mNumPositionKeys,
        [&](unsigned int key) { return channel.mPositionKeys[key].mTime; },
        [&](unsigned int key) {
          const aiVector3D& value = channel.mPositionKeys[key].mValue;
          return glm::vec4(value.x, value.y, value.z, 0.0f);
        });
    add(scene::AnimatedProperty::rotation, channel.mNumRotationKeys,
        [&](unsigned int key) { return channel.mRotationKeys[key].mTime; },
        [&](unsigned int key) {
          const aiQuaternion& value = channel.mRotationKeys[key].mValue;
          return glm::normalize(glm::vec4(value.x, value.y, value.z, value.w));
        });
    add(scene::AnimatedProperty::scale, channel.mNumScalingKeys,
        [&](unsigned int key) { return channel.mScalingKeys[key].mTime; },
        [&](unsigned int key) {
          const aiVector3D& value = channel.mScalingKeys[key].mValue;
          return glm::vec4(value.x, value.y, value.z, 0.0f);
        });
  }
  return animation;
}

// A mesh's morph targets: Assimp keeps each target's positions and normals whole (the base plus
// glTF's delta), so the deltas are its values less the mesh's. A target without normals leaves
// them as they are. A mesh whose targets cannot be played keeps none, said in both languages.
void read_morph_targets(const aiMesh& mesh, const std::string& name, const std::string& file, RawMesh& raw,
                        std::vector<UnplayableMorph>& unplayable) {
  if (mesh.mNumAnimMeshes == 0) return;
  if (mesh.mNumAnimMeshes > scene::max_morph_targets) {
    unplayable.push_back({fmt::format("{}: mesh '{}' has {} morph targets, more than the {} a mesh may have; it is "
                                      "packed without them and shown in its base shape (keep the shapes the "
                                      "exhibit needs, or split the mesh)",
                                      file, name, mesh.mNumAnimMeshes, scene::max_morph_targets),
                          fmt::format("{}：网格“{}”有 {} 个形变目标，超过每个网格最多 {} 个的限制；已不带形变目标打包，"
                                      "以基础形状显示（只保留展品需要的形状，或拆分网格）",
                                      file, name, mesh.mNumAnimMeshes, scene::max_morph_targets)});
    return;
  }
  for (unsigned int target = 0; target < mesh.mNumAnimMeshes; ++target) {
    const aiAnimMesh& shape = *mesh.mAnimMeshes[target];
    if (shape.mNumVertices != mesh.mNumVertices) {
      unplayable.push_back({fmt::format("{}: morph target {} of mesh '{}' has {} vertices, but the mesh has {}; the "
                                        "mesh is packed without its morph targets (export the targets from the same "
                                        "mesh again)",
                                        file, target, name, shape.mNumVertices, mesh.mNumVertices),
                            fmt::format("{}：网格“{}”的形变目标 {} 有 {} 个顶点，而网格有 {} 个；该网格已不带形变目标"
                                        "打包（请从同一网格重新导出形变目标）",
                                        file, name, target, shape.mNumVertices, mesh.mNumVertices)});
      raw.morph_weights.clear();
      raw.morph_positions.clear();
      raw.morph_normals.clear();
      return;
    }
    raw.morph_weights.push_back(std::isfinite(shape.mWeight) ? shape.mWeight : 0.0f);
    for (unsigned int vertex = 0; vertex < mesh.mNumVertices; ++vertex) {
      const aiVector3D& base = mesh.mVertices[vertex];
      raw.morph_positions.push_back(shape.mVertices == nullptr
                                        ? glm::vec3(0.0f)
                                        : glm::vec3(shape.mVertices[vertex].x - base.x, shape.mVertices[vertex].y - base.y,
                                                    shape.mVertices[vertex].z - base.z));
      const bool normals = shape.mNormals != nullptr && mesh.mNormals != nullptr;
      raw.morph_normals.push_back(!normals ? glm::vec3(0.0f)
                                           : glm::vec3(shape.mNormals[vertex].x - mesh.mNormals[vertex].x,
                                                       shape.mNormals[vertex].y - mesh.mNormals[vertex].y,
                                                       shape.mNormals[vertex].z - mesh.mNormals[vertex].z));
    }
  }
}

// One Morph per node whose meshes have targets (glTF gives a node's meshes one set of weights);
// a mesh whose target count differs from the node's first keeps its base shape.
void add_morphs(const std::string& file, ImportedModel& out) {
  std::vector<int32_t> node_morph(out.tree.nodes.size(), scene::no_morph);
  for (size_t instance = 0; instance < out.instances.size(); ++instance) {
    const scene::MeshData& mesh = out.meshes[out.instances[instance].mesh];
    if (mesh.morph_target_count() == 0) continue;
    const uint32_t node = out.tree.instances[instance].node;
    if (node_morph[node] == scene::no_morph) {
      node_morph[node] = static_cast<int32_t>(out.tree.morphs.size());
      out.tree.morphs.push_back({node, mesh.morph_weights});
    }
    const scene::Morph& morph = out.tree.morphs[static_cast<size_t>(node_morph[node])];
    if (morph.weights.size() != mesh.morph_target_count()) {
      const std::string& node_name = out.tree.nodes[node].name;
      out.unplayable_morphs.push_back(
          {fmt::format("{}: mesh '{}' has {} morph targets, but node '{}', which holds it, has meshes of {}; it is "
                       "shown in its base shape (give every mesh of a node the same targets)",
                       file, mesh.name, mesh.morph_target_count(), node_name, morph.weights.size()),
           fmt::format("{}：网格“{}”有 {} 个形变目标，而持有它的节点“{}”的网格有 {} 个；它以基础形状显示"
                       "（请让同一节点的各网格具有相同的形变目标）",
                       file, mesh.name, mesh.morph_target_count(), node_name, morph.weights.size())});
      continue;
    }
    out.tree.instances[instance].morph = node_morph[node];
  }
}

// The node a morph channel animates: Assimp's glTF importer names it by its node; other
// importers by the mesh, so a mesh's name finds the node holding it.
std::optional<uint32_t> morph_channel_node(const ImportedModel& model, const std::string& name) {
  for (uint32_t node = 0; node < model.tree.nodes.size(); ++node) {
    if (model.tree.nodes[node].name == name) return node;
  }
  for (size_t instance = 0; instance < model.instances.size(); ++instance) {
    if (model.meshes[model.instances[instance].mesh].name == name) return model.tree.instances[instance].node;
  }
  return std::nullopt;
}

// A clip's morph weight channels (glTF's `weights` paths), each keying every target of a node's
// Morph. Assimp 5.2.5 keeps no interpolation here either: linear, as its other channels. A channel
// that cannot be played is left out, said in both languages; the clip's other channels stay.
void read_weight_channels(const aiAnimation& source, scene::Animation& animation, const std::string& file,
                          ImportedModel& model) {
  const double ticks_per_second = source.mTicksPerSecond > 0.0 ? source.mTicksPerSecond : 25.0;
  for (unsigned int index = 0; index < source.mNumMorphMeshChannels; ++index) {
    const aiMeshMorphAnim& channel = *source.mMorphMeshChannels[index];
    const std::string name = channel.mName.C_Str();
    const auto unplayable = [&](const std::string& en, const std::string& zh_cn) {
      model.unplayable_morphs.push_back(
          {fmt::format("{}: animation '{}' changes the morph weights of '{}', but {}; that channel is left out and the "
                       "rest of the animation plays",
                       file, animation.name, name, en),
           fmt::format("{}：动画“{}”改变“{}”的形变权重，但{}；该通道已被略去，动画其余部分照常播放", file,
                       animation.name, name, zh_cn)});
    };
    const std::optional<uint32_t> node = morph_channel_node(model, name);
    const auto morph = !node ? model.tree.morphs.end()
                             : std::find_if(model.tree.morphs.begin(), model.tree.morphs.end(),
                                            [&](const scene::Morph& candidate) { return candidate.node == *node; });
    if (morph == model.tree.morphs.end()) {
      unplayable("the model has no node or mesh of that name with morph targets",
                 "模型中没有带形变目标、名为此名的节点或网格");
      continue;
    }
    const size_t targets = morph->weights.size();
    scene::WeightChannel out;
    out.morph = static_cast<uint32_t>(morph - model.tree.morphs.begin());
    bool playable = channel.mNumKeys > 0;
    for (unsigned int key = 0; key < channel.mNumKeys && playable; ++key) {
      const aiMeshMorphKey& source_key = channel.mKeys[key];
      const auto time = static_cast<float>(source_key.mTime / ticks_per_second);
      if (!std::isfinite(time) || time < 0.0f || (!out.times.empty() && !(time > out.times.back()))) {
        unplayable(fmt::format("its key {} is at {} s, and key times must be numbers from 0 up, each after the one "
                               "before", key, time),
                   fmt::format("其第 {} 个关键帧位于 {} 秒，而关键帧时间必须是从 0 起、逐个递增的数", key, time));
        playable = false;
        break;
      }
      out.times.push_back(time);
      out.values.resize(out.values.size() + targets, 0.0f);
      for (unsigned int value = 0; value < source_key.mNumValuesAndWeights; ++value) {
        const unsigned int target = source_key.mValues[value];
        const auto weight = static_cast<float>(source_key.mWeights[value]);
        if (target >= targets || !std::isfinite(weight)) {
          unplayable(fmt::format("its key {} (at {} s) weights target {} by {}, and its meshes have {} targets", key,
                                 time, target, weight, targets),
                     fmt::format("其第 {} 个关键帧（{} 秒）给目标 {} 的权重为 {}，而其网格只有 {} 个形变目标", key, time,
                                 target, weight, targets));
          playable = false;
          break;
        }
        out.values[out.values.size() - targets + target] = weight;
      }
    }
    if (channel.mNumKeys == 0) unplayable("the channel has no keys", "该通道没有关键帧");
    if (playable) animation.weight_channels.push_back(std::move(out));
  }
}

// Assimp's file access, noting every file opened so the build cache knows what an import used.
class RecordingIoSystem final : public Assimp::DefaultIOSystem {
 public:
  Assimp::IOStream* Open(const char* file, const char* mode) override {
    Assimp::IOStream* stream = Assimp::DefaultIOSystem::Open(file, mode);
    if (stream) files.emplace_back(file);
    return stream;
  }
  std::vector<std::filesystem::path> files;
};

std::string assimp_reason(const Assimp::Importer& importer) {
  const std::string said = importer.GetErrorString();
  return fmt::format("{} (check that the file is a complete model in a format Assimp reads, such as glTF, FBX, OBJ or "
                     "COLLADA)",
                     said.empty() ? "Assimp could not read it and gave no reason" : said);
}

// An exhibit is drawn from surfaces: a file of points, lines or cameras alone is refused in those
// words, before post-processing drops the points and lines and leaves Assimp's "No meshes remaining".
Result<void> check_surfaces(const aiScene& scene, const std::filesystem::path& path) {
  // Assimp stands a skeleton mesh in for the meshes of a scene it marks incomplete.
  const bool incomplete = (scene.mFlags & AI_SCENE_FLAGS_INCOMPLETE) != 0;
  unsigned int types = 0;
  for (unsigned int index = 0; index < scene.mNumMeshes && !incomplete; ++index) types |= scene.mMeshes[index]->mPrimitiveTypes;
  if (types & (aiPrimitiveType_TRIANGLE | aiPrimitiveType_POLYGON)) return {};
  std::vector<std::string> held;
  if (types & aiPrimitiveType_POINT) held.emplace_back("points");
  if (types & aiPrimitiveType_LINE) held.emplace_back("lines");
  if (scene.mNumCameras > 0) held.emplace_back("cameras");
  if (scene.mNumLights > 0) held.emplace_back("lights");
  if (scene.mNumAnimations > 0) held.emplace_back("animations");
  if (held.empty()) {
    return import_error(path, incomplete ? "Assimp read only part of it and found nothing to draw; an exhibit needs "
                                           "surfaces (triangles or polygons)"
                                         : "it holds nothing to draw; an exhibit needs surfaces (triangles or polygons)");
  }
  std::string listed = held.front();
  for (size_t index = 1; index < held.size(); ++index) listed += (index + 1 == held.size() ? " and " : ", ") + held[index];
  return import_error(path, fmt::format("it holds only {}, no surfaces; an exhibit needs surfaces (triangles or "
                                        "polygons): export the model's faces, not a point cloud, a wireframe or a camera",
                                        listed));
}

// The import itself, in whichever process calls it.
Result<ImportedModel> import_here(const std::filesystem::path& path) {
  Assimp::Importer importer;
  auto* io = new RecordingIoSystem();  // the importer owns it
  importer.SetIOHandler(io);
  // Points and lines beside a model's surfaces are dropped (SortByPType + this flag).
  importer.SetPropertyInteger(AI_CONFIG_PP_SBP_REMOVE, aiPrimitiveType_POINT | aiPrimitiveType_LINE);
  const aiScene* scene = importer.ReadFile(path.string(), 0);
  if (!scene) return import_error(path, assimp_reason(importer));
  PV_TRY(check_surfaces(*scene, path));
  PV_TRY(check_animations(*scene, path));
  constexpr unsigned int flags = aiProcess_Triangulate | aiProcess_GenSmoothNormals | aiProcess_JoinIdenticalVertices |
                                 aiProcess_SortByPType | aiProcess_ValidateDataStructure | aiProcess_FindInvalidData |
                                 aiProcess_FlipUVs | aiProcess_LimitBoneWeights;
  scene = importer.ApplyPostProcessing(flags);
  if (!scene || !scene->mRootNode) return import_error(path, assimp_reason(importer));

  ImportedModel out;
  add_nodes(*scene->mRootNode, scene::no_parent, *scene, out);
  std::map<std::string, uint32_t> nodes_by_name;
  for (uint32_t index = 0; index < out.tree.nodes.size(); ++index) nodes_by_name.emplace(out.tree.nodes[index].name, index);
  std::vector<int32_t> mesh_skins(scene->mNumMeshes, scene::no_skin);
  for (unsigned int index = 0; index < scene->mNumMeshes; ++index) {
    const aiMesh& mesh = *scene->mMeshes[index];
    RawMesh raw;
    raw.name = mesh.mName.length > 0 ? mesh.mName.C_Str() : fmt::format("{} mesh {}", path.filename().string(), index);
    for (unsigned int vertex = 0; vertex < mesh.mNumVertices; ++vertex) {
      const aiVector3D& position = mesh.mVertices[vertex];
      const aiVector3D& normal = mesh.mNormals[vertex];
      raw.positions.emplace_back(position.x, position.y, position.z);
      const glm::vec3 n(normal.x, normal.y, normal.z);
      raw.normals.push_back(glm::length(n) > 0.0f ? glm::normalize(n) : glm::vec3(0, 1, 0));
      if (mesh.HasTextureCoords(0)) raw.uvs.emplace_back(mesh.mTextureCoords[0][vertex].x, mesh.mTextureCoords[0][vertex].y);
    }
    for (unsigned int face = 0; face < mesh.mNumFaces; ++face) {
      if (mesh.mFaces[face].mNumIndices != 3) continue;
      raw.indices.insert(raw.indices.end(), mesh.mFaces[face].mIndices, mesh.mFaces[face].mIndices + 3);
    }
    if (raw.indices.empty()) return import_error(path, fmt::format("mesh '{}' has no triangles", raw.name));
    if (mesh.HasBones()) {
      PV_TRY_ASSIGN(scene::Skin skin, read_skin(mesh, raw.name, nodes_by_name, path));
      mesh_skins[index] = static_cast<int32_t>(out.tree.skins.size());
      out.tree.skins.push_back(std::move(skin));
      raw.skin = vertex_skins(mesh);
    }
    read_morph_targets(mesh, raw.name, path.filename().string(), raw, out.unplayable_morphs);
    out.meshes.push_back(optimize_and_pack(raw));
  }
  MaterialReader materials(*scene, path, out);
  for (unsigned int index = 0; index < scene->mNumMaterials; ++index) {
    out.materials.push_back(materials.read(*scene->mMaterials[index]));
  }
  add_morphs(path.filename().string(), out);
  for (unsigned int index = 0; index < scene->mNumAnimations; ++index) {
    PV_TRY_ASSIGN(scene::Animation animation, read_animation(*scene->mAnimations[index], index, nodes_by_name, out.tree.nodes, path));
    read_weight_channels(*scene->mAnimations[index], animation, path.filename().string(), out);
    out.tree.animations.push_back(std::move(animation));
  }
  const std::vector<glm::mat4> world = scene::world_transforms(out.tree.nodes);
  for (size_t index = 0; index < out.instances.size(); ++index) {
    out.instances[index].transform = world[out.tree.instances[index].node];
    out.tree.instances[index].skin = mesh_skins[out.instances[index].mesh];
  }
  PV_TRY(scene::validate(out.tree).add_context(fmt::format("importing the model {}", path)));
  std::sort(io->files.begin(), io->files.end());
  io->files.erase(std::unique(io->files.begin(), io->files.end()), io->files.end());
  out.files_read = io->files;
  if (out.instances.empty()) return import_error(path, "it holds no visible meshes");
  return out;
}

// What the child sends back: the model, or the error that refused it.
std::vector<std::byte> encode_import_result(const Result<ImportedModel>& result) {
  ByteWriter out;
  out.write(static_cast<uint8_t>(result.ok()));
  if (result) {
    out.write_bytes(encode_imported_model(*result));
    return out.take();
  }
  const Error& error = result.error();
  out.write(static_cast<uint32_t>(error.code()));
  out.write_string(error.what());
  out.write_string(error.why());
  out.write(static_cast<uint32_t>(error.context().size()));
  for (const std::string& step : error.context()) out.write_string(step);
  return out.take();
}

// The child's refusals name the model already; only a garbled answer needs to say whose it is.
Result<ImportedModel> decode_import_result(std::span<const std::byte> bytes, const std::filesystem::path& path) {
  ByteReader in(bytes, fmt::format("the answer of the import of {}", path));
  PV_TRY_ASSIGN(const uint8_t imported, in.read<uint8_t>("its outcome"));
  if (imported) {
    return decode_imported_model(bytes.subspan(in.offset())).add_context(fmt::format("importing the model {}", path));
  }
  PV_TRY_ASSIGN(const uint32_t code, in.read<uint32_t>("an error code"));
  PV_TRY_ASSIGN(std::string what, in.read_string("what failed"));
  PV_TRY_ASSIGN(std::string why, in.read_string("why"));
  PV_TRY_ASSIGN(const uint32_t steps, in.read<uint32_t>("the error's steps"));
  if (code > static_cast<uint32_t>(ErrorCode::internal)) {
    return Error(ErrorCode::internal, fmt::format("reading the answer of the import of {}", path), "an unknown error code");
  }
  Error error(static_cast<ErrorCode>(code), std::move(what), std::move(why));
  for (uint32_t index = 0; index < steps; ++index) {
    PV_TRY_ASSIGN(std::string step, in.read_string("a step"));
    error.add_context(std::move(step));
  }
  return error;
}

std::string amount_of_memory(uint64_t bytes) {
  constexpr uint64_t mebibyte = uint64_t{1} << 20;
  constexpr uint64_t gibibyte = uint64_t{1} << 30;
  if (bytes % gibibyte == 0) return fmt::format("{} GiB", bytes / gibibyte);
  return fmt::format("{} MiB", (bytes + mebibyte - 1) / mebibyte);
}

// The model a child sent back, or a sentence for how its import ended.
Result<ImportedModel> model_from(Result<ChildOutcome> outcome, const std::filesystem::path& path, const ImportLimits& limits) {
  if (!outcome) return std::move(outcome).error().add_context(fmt::format("importing the model {}", path));
  constexpr std::string_view remedy =
      "the file is probably damaged (a header may announce more vertices or faces than it holds): export it again, "
      "or convert it to glTF";
  switch (outcome->end) {
    case ChildEnd::finished: return decode_import_result(outcome->output, path);
    case ChildEnd::out_of_memory:
      return import_error(path, fmt::format("its import needed more than {} of memory, the limit for one model; {}",
                                            amount_of_memory(limits.memory_bytes), remedy));
    case ChildEnd::out_of_cpu_time:
      return import_error(path, fmt::format("its import used more than {} s of processor time, the limit for one "
                                            "model; {}",
                                            limits.cpu_time.count(), remedy));
    case ChildEnd::out_of_wall_time:
      return import_error(path, fmt::format("its import did not finish within {} s, the limit for one model; {}",
                                            limits.wall_time.count(), remedy));
    case ChildEnd::crashed:
      return import_error(path, fmt::format("the importer (Assimp) crashed on it ({}); {}", outcome->crash, remedy));
  }
  return Error(ErrorCode::internal, fmt::format("importing the model {}", path), "an unknown end of the import");
}

}  // namespace

Result<ImportedModel> import_model(const std::filesystem::path& path, const ImportLimits& limits) {
  return std::move(import_models(std::span(&path, 1), limits, 1).front());
}

std::vector<Result<ImportedModel>> import_models(std::span<const std::filesystem::path> paths, const ImportLimits& limits,
                                                 uint32_t jobs, const std::function<void(size_t)>& ended) {
  std::vector<Result<ChildOutcome>> outcomes = run_in_children(
      paths.size(), jobs == 0 ? processor_count() : jobs, {limits.memory_bytes, limits.cpu_time, limits.wall_time},
      [&](size_t index) { return encode_import_result(import_here(paths[index])); }, ended);
  std::vector<Result<ImportedModel>> models;
  for (size_t index = 0; index < paths.size(); ++index) models.push_back(model_from(std::move(outcomes[index]), paths[index], limits));
  return models;
}

std::vector<std::byte> encode_imported_model(const ImportedModel& model) {
  ByteWriter out;
  out.write(static_cast<uint32_t>(model.meshes.size()));
  for (const scene::MeshData& mesh : model.meshes) {
    out.write_string(mesh.name);
    out.write_array(std::span<const std::byte>(scene::encode_mesh(mesh)));
  }
  out.write(static_cast<uint32_t>(model.materials.size()));
  for (const scene::MaterialData& material : model.materials) scene::write_material(out, material);
  out.write(static_cast<uint32_t>(model.textures.size()));
  for (const TextureSource& texture : model.textures) {
    out.write_string(texture.file.string());
    out.write_array(std::span<const std::byte>(texture.embedded));
    out.write(texture.pixels.width);
    out.write(texture.pixels.height);
    out.write_array(std::span<const uint8_t>(texture.pixels.pixels));
    out.write_string(texture.name);
    out.write(static_cast<uint32_t>(texture.use));
  }
  out.write_array(std::span<const scene::InstanceData>(model.instances));
  scene::write_node_tree(out, model.tree);
  scene::write_morphs(out, model.tree);
  out.write(static_cast<uint32_t>(model.files_read.size()));
  for (const auto& file : model.files_read) out.write_string(file.string());
  out.write(static_cast<uint32_t>(model.missing_textures.size()));
  for (const MissingTexture& missing : model.missing_textures) {
    out.write_string(missing.path);
    out.write_string(missing.material);
  }
  out.write(static_cast<uint32_t>(model.unplayable_morphs.size()));
  for (const UnplayableMorph& unplayable : model.unplayable_morphs) {
    out.write_string(unplayable.en);
    out.write_string(unplayable.zh_cn);
  }
  return out.take();
}

Result<ImportedModel> decode_imported_model(std::span<const std::byte> bytes) {
  ByteReader in(bytes, "a cached model");
  ImportedModel model;
  PV_TRY_ASSIGN(const uint32_t mesh_count, in.read<uint32_t>("meshes"));
  for (uint32_t index = 0; index < mesh_count; ++index) {
    PV_TRY_ASSIGN(std::string name, in.read_string("a mesh's name"));
    PV_TRY_ASSIGN(const auto encoded, in.read_array<std::byte>("a mesh"));
    PV_TRY_ASSIGN(auto mesh, scene::decode_mesh(encoded, std::move(name)));
    model.meshes.push_back(std::move(mesh));
  }
  PV_TRY_ASSIGN(const uint32_t material_count, in.read<uint32_t>("materials"));
  for (uint32_t index = 0; index < material_count; ++index) {
    PV_TRY_ASSIGN(scene::MaterialData material, scene::read_material(in));
    model.materials.push_back(std::move(material));
  }
  PV_TRY_ASSIGN(const uint32_t texture_count, in.read<uint32_t>("textures"));
  for (uint32_t index = 0; index < texture_count; ++index) {
    TextureSource texture;
    PV_TRY_ASSIGN(const std::string file, in.read_string("a texture's file"));
    texture.file = file;
    PV_TRY_ASSIGN(texture.embedded, in.read_array<std::byte>("an embedded texture"));
    PV_TRY_ASSIGN(texture.pixels.width, in.read<uint32_t>("a width"));
    PV_TRY_ASSIGN(texture.pixels.height, in.read<uint32_t>("a height"));
    PV_TRY_ASSIGN(texture.pixels.pixels, in.read_array<uint8_t>("pixels"));
    PV_TRY_ASSIGN(texture.name, in.read_string("a texture's name"));
    PV_TRY_ASSIGN(const uint32_t use, in.read<uint32_t>("a texture's use"));
    if (use > static_cast<uint32_t>(TextureUse::surface) ||
        texture.pixels.pixels.size() != size_t{texture.pixels.width} * texture.pixels.height * 4) {
      return Error(ErrorCode::invalid_input, "reading a cached model", "a texture entry is damaged");
    }
    texture.use = static_cast<TextureUse>(use);
    model.textures.push_back(std::move(texture));
  }
  PV_TRY_ASSIGN(model.instances, in.read_array<scene::InstanceData>("instances"));
  PV_TRY_ASSIGN(model.tree, scene::read_node_tree(in));
  PV_TRY(scene::read_morphs(in, model.tree));
  PV_TRY_ASSIGN(const uint32_t file_count, in.read<uint32_t>("files"));
  for (uint32_t index = 0; index < file_count; ++index) {
    PV_TRY_ASSIGN(const std::string file, in.read_string("a file read"));
    model.files_read.emplace_back(file);
  }
  PV_TRY_ASSIGN(const uint32_t missing_count, in.read<uint32_t>("missing textures"));
  for (uint32_t index = 0; index < missing_count; ++index) {
    MissingTexture missing;
    PV_TRY_ASSIGN(missing.path, in.read_string("a missing texture's path"));
    PV_TRY_ASSIGN(missing.material, in.read_string("its material"));
    model.missing_textures.push_back(std::move(missing));
  }
  PV_TRY_ASSIGN(const uint32_t unplayable_count, in.read<uint32_t>("unplayable morphs"));
  for (uint32_t index = 0; index < unplayable_count; ++index) {
    UnplayableMorph unplayable;
    PV_TRY_ASSIGN(unplayable.en, in.read_string("an unplayable morph's sentence"));
    PV_TRY_ASSIGN(unplayable.zh_cn, in.read_string("its sentence in Chinese"));
    model.unplayable_morphs.push_back(std::move(unplayable));
  }
  for (const auto& instance : model.instances) {
    if (instance.mesh >= model.meshes.size() || instance.material >= model.materials.size()) {
      return Error(ErrorCode::invalid_input, "reading a cached model", "an instance refers outside the model");
    }
  }
  PV_TRY(scene::validate_skinning(model.tree, model.meshes, model.instances).add_context("reading a cached model"));
  for (const auto& material : model.materials) {
    for (int32_t texture : {material.base_color_texture, material.metallic_roughness_texture, material.normal_texture,
                            material.occlusion_texture, material.emissive_texture}) {
      if (texture != scene::no_texture && (texture < 0 || static_cast<uint32_t>(texture) >= model.textures.size())) {
        return Error(ErrorCode::invalid_input, "reading a cached model", "a material refers outside the model");
      }
    }
  }
  return model;
}

}  // namespace pavilion::pack
