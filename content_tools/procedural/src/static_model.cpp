#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/procedural/festival_courtyard.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <limits>

namespace pavilion::procedural {

namespace {

constexpr int float_type = 5126;
constexpr int unsigned_int_type = 5125;
constexpr int array_buffer = 34962;
constexpr int element_array_buffer = 34963;
constexpr int linear_filter = 9729;
constexpr int trilinear_filter = 9987;
constexpr int clamp_to_edge = 33071;
constexpr int repeat_wrap = 10497;

}  // namespace

Result<void> write_static_gltf(const StaticModel& model, const std::filesystem::path& folder) {
  nlohmann::json gltf;
  gltf["asset"] = {{"version", "2.0"}, {"generator", "Pavilion pavilion-festival-assets"}};
  std::vector<std::byte> bin;
  auto add = [&](const void* data, size_t count, size_t element_size, int component_type, const char* type, int target) {
    while (bin.size() % 4 != 0) bin.push_back(std::byte{0});
    gltf["bufferViews"].push_back(
        {{"buffer", 0}, {"byteOffset", bin.size()}, {"byteLength", count * element_size}, {"target", target}});
    const auto* bytes = static_cast<const std::byte*>(data);
    bin.insert(bin.end(), bytes, bytes + count * element_size);
    gltf["accessors"].push_back({{"bufferView", gltf["bufferViews"].size() - 1},
                                 {"componentType", component_type},
                                 {"count", count},
                                 {"type", type}});
    return gltf["accessors"].size() - 1;
  };

  // Samplers: 0 clamps at the edges, 1 repeats.
  for (const int wrap : {clamp_to_edge, repeat_wrap}) {
    gltf["samplers"].push_back(
        {{"magFilter", linear_filter}, {"minFilter", trilinear_filter}, {"wrapS", wrap}, {"wrapT", wrap}});
  }
  std::vector<std::pair<std::string, const ImageRgba8*>> images;
  auto texture = [&](const ImageRgba8& image, const std::string& kind, const StaticMaterial& material) {
    const std::string file = fmt::format("{}_{}_{}.png", model.name, material.name, kind);
    gltf["images"].push_back({{"uri", file}});
    gltf["textures"].push_back({{"source", gltf["images"].size() - 1}, {"sampler", material.repeat ? 1 : 0}});
    images.emplace_back(file, &image);
    return gltf["textures"].size() - 1;
  };
  for (const StaticMaterial& material : model.materials) {
    const glm::vec4& factor = material.base_color;
    nlohmann::json pbr = {{"baseColorFactor", {factor.r, factor.g, factor.b, factor.a}},
                          {"metallicFactor", material.metallic},
                          {"roughnessFactor", material.roughness}};
    if (!material.base_color_texture.pixels.empty()) {
      pbr["baseColorTexture"] = {{"index", texture(material.base_color_texture, "color", material)}};
    }
    nlohmann::json entry = {{"name", material.name}, {"pbrMetallicRoughness", pbr}};
    if (!material.emissive_texture.pixels.empty()) {
      entry["emissiveFactor"] = {1.0f, 1.0f, 1.0f};
      entry["emissiveTexture"] = {{"index", texture(material.emissive_texture, "glow", material)}};
    } else if (material.emissive != glm::vec3(0.0f)) {
      entry["emissiveFactor"] = {material.emissive.r, material.emissive.g, material.emissive.b};
    }
    gltf["materials"].push_back(entry);
  }

  nlohmann::json primitives = nlohmann::json::array();
  for (size_t index = 0; index < model.parts.size(); ++index) {
    const StaticPart& part = model.parts[index];
    if (part.indices.empty()) continue;
    std::vector<glm::vec3> positions;
    std::vector<glm::vec3> normals;
    std::vector<glm::vec2> uvs;
    glm::vec3 low(std::numeric_limits<float>::max());
    glm::vec3 high(std::numeric_limits<float>::lowest());
    for (const StaticVertex& vertex : part.vertices) {
      positions.push_back(vertex.position);
      normals.push_back(vertex.normal);
      uvs.push_back(vertex.uv);
      low = glm::min(low, vertex.position);
      high = glm::max(high, vertex.position);
    }
    const size_t count = part.vertices.size();
    const size_t position = add(positions.data(), count, sizeof(glm::vec3), float_type, "VEC3", array_buffer);
    gltf["accessors"][position]["min"] = {low.x, low.y, low.z};
    gltf["accessors"][position]["max"] = {high.x, high.y, high.z};
    const size_t normal = add(normals.data(), count, sizeof(glm::vec3), float_type, "VEC3", array_buffer);
    const size_t uv = add(uvs.data(), count, sizeof(glm::vec2), float_type, "VEC2", array_buffer);
    const nlohmann::json attributes = {{"POSITION", position}, {"NORMAL", normal}, {"TEXCOORD_0", uv}};
    const size_t indices =
        add(part.indices.data(), part.indices.size(), sizeof(uint32_t), unsigned_int_type, "SCALAR", element_array_buffer);
    primitives.push_back({{"attributes", attributes}, {"indices", indices}, {"material", index}});
  }
  gltf["meshes"] = {{{"name", model.name}, {"primitives", primitives}}};
  gltf["nodes"] = {{{"name", model.name}, {"mesh", 0}}};
  gltf["scenes"] = {{{"name", model.name}, {"nodes", {0}}}};
  gltf["scene"] = 0;
  const std::string bin_file = model.name + ".bin";
  gltf["buffers"] = {{{"uri", bin_file}, {"byteLength", bin.size()}}};
  const std::string text = gltf.dump(1) + "\n";

  PV_TRY(write_file_atomic(folder / bin_file, bin).add_context(fmt::format("writing {}", (folder / bin_file).string())));
  for (const auto& [file, image] : images) {
    PV_TRY(write_png(folder / file, *image).add_context(fmt::format("writing {}", (folder / file).string())));
  }
  const std::filesystem::path gltf_file = folder / (model.name + ".gltf");
  return write_file_atomic(gltf_file, std::as_bytes(std::span(text.data(), text.size())))
      .add_context(fmt::format("writing {}", gltf_file.string()));
}

}  // namespace pavilion::procedural
