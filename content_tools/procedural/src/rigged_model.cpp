#include "pavilion/procedural/rigged_model.h"

#include "pavilion/core/file.h"
#include "pavilion/core/png.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/type_ptr.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace pavilion::procedural {

float Clip::duration() const {
  float longest = 0.0f;
  for (const ClipChannel& channel : channels) {
    if (!channel.times.empty()) longest = std::max(longest, channel.times.back());
  }
  return longest;
}

std::vector<glm::vec3> joint_rest_positions(const RiggedModel& model) {
  std::vector<glm::vec3> positions(model.joints.size());
  for (size_t index = 0; index < model.joints.size(); ++index) {
    const Joint& joint = model.joints[index];
    positions[index] = joint.translation + (joint.parent >= 0 ? positions[static_cast<size_t>(joint.parent)] : glm::vec3(0.0f));
  }
  return positions;
}

namespace {

glm::quat to_quat(const glm::vec4& xyzw) { return glm::quat(xyzw.w, xyzw.x, xyzw.y, xyzw.z); }

// The channel's value at `time`, linear between keys (spherical for rotations), held at the ends.
glm::vec4 sample(const ClipChannel& channel, float time) {
  const auto& times = channel.times;
  if (time <= times.front()) return channel.values.front();
  if (time >= times.back()) return channel.values.back();
  const size_t next = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), time) - times.begin());
  const float blend = (time - times[next - 1]) / (times[next] - times[next - 1]);
  const glm::vec4& a = channel.values[next - 1];
  const glm::vec4& b = channel.values[next];
  if (channel.path == ClipPath::translation) return glm::mix(a, b, blend);
  const glm::quat q = glm::slerp(to_quat(a), to_quat(b), blend);
  return glm::vec4(q.x, q.y, q.z, q.w);
}

}  // namespace

std::vector<glm::mat4> joint_world_matrices(const RiggedModel& model, const Clip& clip, float time) {
  std::vector<glm::vec3> translations;
  std::vector<glm::quat> rotations(model.joints.size(), glm::quat(1.0f, 0.0f, 0.0f, 0.0f));
  for (const Joint& joint : model.joints) translations.push_back(joint.translation);
  for (const ClipChannel& channel : clip.channels) {
    const glm::vec4 value = sample(channel, time);
    if (channel.path == ClipPath::translation) translations[channel.joint] = glm::vec3(value);
    else rotations[channel.joint] = glm::normalize(to_quat(value));
  }
  std::vector<glm::mat4> world(model.joints.size());
  for (size_t index = 0; index < model.joints.size(); ++index) {
    const glm::mat4 local = glm::translate(glm::mat4(1.0f), translations[index]) * glm::mat4_cast(rotations[index]);
    const int32_t parent = model.joints[index].parent;
    world[index] = parent >= 0 ? world[static_cast<size_t>(parent)] * local : local;
  }
  return world;
}

RiggedModel bake_pose(const RiggedModel& model, const Clip& clip, float time, std::string name) {
  const std::vector<glm::mat4> world = joint_world_matrices(model, clip, time);
  const std::vector<glm::vec3> rest = joint_rest_positions(model);
  RiggedModel posed = model;
  posed.name = std::move(name);
  posed.clips.clear();
  for (SkinnedVertex& vertex : posed.vertices) {
    glm::mat4 skin(0.0f);
    for (size_t slot = 0; slot < 4; ++slot) {
      const uint16_t joint = vertex.joints[slot];
      skin += vertex.weights[static_cast<glm::length_t>(slot)] * (world[joint] * glm::translate(glm::mat4(1.0f), -rest[joint]));
    }
    vertex.position = glm::vec3(skin * glm::vec4(vertex.position, 1.0f));
    const glm::vec3 normal = glm::mat3(skin) * vertex.normal;
    vertex.normal = glm::length(normal) > 0.0f ? glm::normalize(normal) : glm::vec3(0.0f, 1.0f, 0.0f);
  }
  return posed;
}

namespace {

// Accessors and buffer views appended to one binary buffer, each view 4-byte aligned.
class GltfBuffers {
 public:
  explicit GltfBuffers(nlohmann::json& gltf) : gltf_(gltf) {}

  size_t add(const void* data, size_t count, size_t element_size, int component_type, const char* type, int target) {
    while (bin_.size() % 4 != 0) bin_.push_back(std::byte{0});
    nlohmann::json view = {{"buffer", 0}, {"byteOffset", bin_.size()}, {"byteLength", count * element_size}};
    if (target != 0) view["target"] = target;
    const auto* bytes = static_cast<const std::byte*>(data);
    bin_.insert(bin_.end(), bytes, bytes + count * element_size);
    gltf_["bufferViews"].push_back(view);
    gltf_["accessors"].push_back({{"bufferView", gltf_["bufferViews"].size() - 1},
                                  {"componentType", component_type},
                                  {"count", count},
                                  {"type", type}});
    return gltf_["accessors"].size() - 1;
  }

  std::vector<std::byte>& bytes() { return bin_; }

 private:
  nlohmann::json& gltf_;
  std::vector<std::byte> bin_;
};

constexpr int float_type = 5126;
constexpr int unsigned_short_type = 5123;
constexpr int unsigned_int_type = 5125;
constexpr int array_buffer = 34962;
constexpr int element_array_buffer = 34963;

Result<void> write_bytes(const std::filesystem::path& path, std::span<const std::byte> bytes) {
  return write_file_atomic(path, bytes).add_context(fmt::format("writing {}", path.string()));
}

}  // namespace

Result<void> write_gltf(const RiggedModel& model, const std::filesystem::path& folder) {
  nlohmann::json gltf;
  gltf["asset"] = {{"version", "2.0"}, {"generator", "Pavilion pavilion-festival-assets"}};
  GltfBuffers buffers(gltf);

  std::vector<glm::vec3> positions;
  std::vector<glm::vec3> normals;
  std::vector<glm::vec2> uvs;
  std::vector<std::array<uint16_t, 4>> joints;
  std::vector<glm::vec4> weights;
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (const SkinnedVertex& vertex : model.vertices) {
    positions.push_back(vertex.position);
    normals.push_back(vertex.normal);
    uvs.push_back(vertex.uv);
    joints.push_back(vertex.joints);
    weights.push_back(vertex.weights);
    low = glm::min(low, vertex.position);
    high = glm::max(high, vertex.position);
  }
  const size_t count = model.vertices.size();
  const size_t position_accessor = buffers.add(positions.data(), count, sizeof(glm::vec3), float_type, "VEC3", array_buffer);
  gltf["accessors"][position_accessor]["min"] = {low.x, low.y, low.z};
  gltf["accessors"][position_accessor]["max"] = {high.x, high.y, high.z};
  nlohmann::json attributes;
  attributes["POSITION"] = position_accessor;
  attributes["NORMAL"] = buffers.add(normals.data(), count, sizeof(glm::vec3), float_type, "VEC3", array_buffer);
  attributes["TEXCOORD_0"] = buffers.add(uvs.data(), count, sizeof(glm::vec2), float_type, "VEC2", array_buffer);
  attributes["JOINTS_0"] = buffers.add(joints.data(), count, sizeof(joints[0]), unsigned_short_type, "VEC4", array_buffer);
  attributes["WEIGHTS_0"] = buffers.add(weights.data(), count, sizeof(glm::vec4), float_type, "VEC4", array_buffer);
  const size_t indices = buffers.add(model.indices.data(), model.indices.size(), sizeof(uint32_t), unsigned_int_type, "SCALAR",
                                     element_array_buffer);

  const std::string image_file = model.name + "_color.png";
  gltf["images"] = {{{"uri", image_file}}};
  gltf["samplers"] = {{{"magFilter", 9729}, {"minFilter", 9987}, {"wrapS", 33071}, {"wrapT", 33071}}};
  gltf["textures"] = {{{"source", 0}, {"sampler", 0}}};
  gltf["materials"] = {{{"name", model.name + "_plumage"},
                        {"pbrMetallicRoughness",
                         {{"baseColorTexture", {{"index", 0}}}, {"metallicFactor", 0.0f}, {"roughnessFactor", model.roughness}}}}};
  nlohmann::json primitive = {{"attributes", attributes}, {"indices", indices}, {"material", 0}};
  nlohmann::json mesh = {{"name", model.name}, {"primitives", nlohmann::json::array({primitive})}};
  gltf["meshes"] = nlohmann::json::array({mesh});

  // Node 0 holds the model; node 1 its skinned mesh; the joints follow in the model's order.
  constexpr size_t first_joint_node = 2;
  gltf["nodes"].push_back({{"name", model.name}, {"children", {1, first_joint_node}}});
  gltf["nodes"].push_back({{"name", model.name + "_mesh"}, {"mesh", 0}, {"skin", 0}});
  std::vector<nlohmann::json> joint_nodes;
  for (const Joint& joint : model.joints) {
    joint_nodes.push_back({{"name", joint.name}, {"translation", {joint.translation.x, joint.translation.y, joint.translation.z}}});
  }
  for (size_t index = 0; index < model.joints.size(); ++index) {
    const int32_t parent = model.joints[index].parent;
    if (parent >= 0) joint_nodes[static_cast<size_t>(parent)]["children"].push_back(first_joint_node + index);
  }
  for (nlohmann::json& node : joint_nodes) gltf["nodes"].push_back(std::move(node));

  std::vector<glm::mat4> inverse_binds;
  nlohmann::json skin_joints = nlohmann::json::array();
  for (size_t index = 0; index < model.joints.size(); ++index) skin_joints.push_back(first_joint_node + index);
  for (const glm::vec3& rest : joint_rest_positions(model)) inverse_binds.push_back(glm::translate(glm::mat4(1.0f), -rest));
  gltf["skins"] = {{{"name", model.name + "_skeleton"},
                    {"joints", skin_joints},
                    {"skeleton", first_joint_node},
                    {"inverseBindMatrices", buffers.add(inverse_binds.data(), inverse_binds.size(), sizeof(glm::mat4), float_type,
                                                         "MAT4", 0)}}};

  for (const Clip& clip : model.clips) {
    nlohmann::json samplers = nlohmann::json::array();
    nlohmann::json channels = nlohmann::json::array();
    for (const ClipChannel& channel : clip.channels) {
      const size_t input = buffers.add(channel.times.data(), channel.times.size(), sizeof(float), float_type, "SCALAR", 0);
      gltf["accessors"][input]["min"] = {channel.times.front()};
      gltf["accessors"][input]["max"] = {channel.times.back()};
      size_t output = 0;
      if (channel.path == ClipPath::translation) {
        std::vector<glm::vec3> values;
        for (const glm::vec4& value : channel.values) values.emplace_back(value);
        output = buffers.add(values.data(), values.size(), sizeof(glm::vec3), float_type, "VEC3", 0);
      } else {
        output = buffers.add(channel.values.data(), channel.values.size(), sizeof(glm::vec4), float_type, "VEC4", 0);
      }
      samplers.push_back({{"input", input}, {"output", output}, {"interpolation", "LINEAR"}});
      channels.push_back({{"sampler", samplers.size() - 1},
                          {"target",
                           {{"node", first_joint_node + channel.joint},
                            {"path", channel.path == ClipPath::translation ? "translation" : "rotation"}}}});
    }
    gltf["animations"].push_back({{"name", clip.name}, {"samplers", samplers}, {"channels", channels}});
  }
  gltf["scenes"] = {{{"name", model.name}, {"nodes", {0}}}};
  gltf["scene"] = 0;

  const std::string bin_file = model.name + ".bin";
  gltf["buffers"] = {{{"uri", bin_file}, {"byteLength", buffers.bytes().size()}}};
  const std::string text = gltf.dump(1) + "\n";
  PV_TRY(write_bytes(folder / bin_file, buffers.bytes()));
  PV_TRY(write_png(folder / image_file, model.color).add_context(fmt::format("writing {}", (folder / image_file).string())));
  return write_bytes(folder / (model.name + ".gltf"), std::as_bytes(std::span(text.data(), text.size())));
}

}  // namespace pavilion::procedural
