// make-gallery-assets: writes the models (glTF 2.0), images (PNG) and sound (WAV) of the sample
// scene scenes/gallery, from formulas, so the repository needs no downloads. The output is
// deterministic: running it again gives the same bytes.
//
//   make-gallery-assets <scenes/gallery/assets>
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/pack/mesh_processing.h"
#include "pavilion/procedural/textures.h"

#include <fmt/format.h>
#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

namespace {

using namespace pavilion;
using pack::RawMesh;
constexpr float pi = glm::pi<float>();

// A surface of revolution around +Y through the (radius, height) points of `profile`, with u
// around and v along the profile (top first, as images run downwards).
RawMesh lathe(const std::string& name, const std::vector<glm::vec2>& profile, uint32_t segments) {
  RawMesh mesh;
  mesh.name = name;
  float length = 0;
  std::vector<float> along{0};
  for (size_t i = 1; i < profile.size(); ++i) along.push_back(length += glm::distance(profile[i], profile[i - 1]));
  for (size_t ring = 0; ring < profile.size(); ++ring) {
    // The profile's normal in the (radius, height) plane, from its neighbours.
    const glm::vec2 before = profile[ring == 0 ? 0 : ring - 1];
    const glm::vec2 after = profile[std::min(ring + 1, profile.size() - 1)];
    const glm::vec2 tangent = glm::normalize(after - before);
    const glm::vec2 outward(tangent.y, -tangent.x);
    for (uint32_t segment = 0; segment <= segments; ++segment) {
      const float u = static_cast<float>(segment) / static_cast<float>(segments);
      const float angle = u * 2.0f * pi;
      const glm::vec3 around(std::sin(angle), 0.0f, std::cos(angle));
      mesh.positions.push_back(around * profile[ring].x + glm::vec3(0, profile[ring].y, 0));
      glm::vec3 normal = around * outward.x + glm::vec3(0, outward.y, 0);
      mesh.normals.push_back(glm::length(normal) > 0 ? glm::normalize(normal) : glm::vec3(0, 1, 0));
      mesh.uvs.emplace_back(u, 1.0f - along[ring] / length);
    }
  }
  const uint32_t row = segments + 1;
  for (uint32_t ring = 0; ring + 1 < profile.size(); ++ring) {
    for (uint32_t segment = 0; segment < segments; ++segment) {
      const uint32_t a = ring * row + segment;
      const uint32_t b = a + row;
      // Profiles run from the foot upwards; counter-clockwise seen from outside.
      mesh.indices.insert(mesh.indices.end(), {a, a + 1, b, a + 1, b + 1, b});
    }
  }
  return mesh;
}

RawMesh box(const std::string& name, glm::vec3 center, glm::vec3 half, float uv_scale) {
  RawMesh mesh;
  mesh.name = name;
  const glm::vec3 axes[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int axis = 0; axis < 3; ++axis) {
    for (float side : {1.0f, -1.0f}) {
      const glm::vec3 normal = axes[axis] * side;
      const glm::vec3 u_axis = axes[(axis + 1) % 3] * side;
      const glm::vec3 v_axis = glm::cross(normal, u_axis);
      const auto first = static_cast<uint32_t>(mesh.positions.size());
      for (const glm::vec2 corner : {glm::vec2(-1, -1), glm::vec2(1, -1), glm::vec2(1, 1), glm::vec2(-1, 1)}) {
        const glm::vec3 offset = normal * glm::dot(half, axes[axis]) + u_axis * (corner.x * glm::dot(half, glm::abs(u_axis))) +
                                 v_axis * (corner.y * glm::dot(half, glm::abs(v_axis)));
        mesh.positions.push_back(center + offset);
        mesh.normals.push_back(normal);
        const glm::vec3 world = center + offset;
        mesh.uvs.emplace_back(glm::dot(world, u_axis) * uv_scale, -glm::dot(world, v_axis) * uv_scale);
      }
      mesh.indices.insert(mesh.indices.end(), {first, first + 1, first + 2, first, first + 2, first + 3});
    }
  }
  return mesh;
}

void append(RawMesh& to, const RawMesh& from) {
  const auto base = static_cast<uint32_t>(to.positions.size());
  to.positions.insert(to.positions.end(), from.positions.begin(), from.positions.end());
  to.normals.insert(to.normals.end(), from.normals.begin(), from.normals.end());
  to.uvs.insert(to.uvs.end(), from.uvs.begin(), from.uvs.end());
  for (uint32_t index : from.indices) to.indices.push_back(base + index);
}

struct GltfMaterial {
  std::string name;
  std::string base_color;          // PNG file, or empty
  std::string metallic_roughness;  // PNG file, or empty
  std::string normal;              // PNG file, or empty
  glm::vec4 base_color_factor{1.0f};
  float metallic = 0.0f;
  float roughness = 1.0f;
  bool double_sided = false;
};

// A chain of joints hanging down from the model's origin, `segment` metres apart, skinning the
// model's meshes by height and swaying them: each joint turns about Z, back and forth, a little
// later and further than the one above it.
struct GltfSway {
  uint32_t joints = 0;
  float segment = 0.0f;
  float degrees = 0.0f;  // at the lowest joint
  float period = 0.0f;   // seconds
};

// Writes <name>.gltf and <name>.bin: one mesh per (RawMesh, material) pair, all in one node,
// skinned and animated when `sway` has joints.
void write_gltf(const std::filesystem::path& folder, const std::string& name,
                const std::vector<std::pair<RawMesh, GltfMaterial>>& parts, const GltfSway& sway = {}) {
  nlohmann::json gltf;
  gltf["asset"] = {{"version", "2.0"}, {"generator", "Pavilion make-gallery-assets"}};
  std::vector<std::byte> buffer;
  auto add_view = [&](const void* data, size_t size, int target) {
    while (buffer.size() % 4) buffer.push_back(std::byte{0});
    const size_t offset = buffer.size();
    const auto* bytes = static_cast<const std::byte*>(data);
    buffer.insert(buffer.end(), bytes, bytes + size);
    nlohmann::json view = {{"buffer", 0}, {"byteOffset", offset}, {"byteLength", size}};
    if (target != 0) view["target"] = target;  // vertex and index data; animation and skin data have none
    gltf["bufferViews"].push_back(view);
    return gltf["bufferViews"].size() - 1;
  };
  auto add_accessor = [&](const void* data, size_t count, size_t element_size, int component, const char* type, int target) {
    gltf["accessors"].push_back({{"bufferView", add_view(data, count * element_size, target)},
                                 {"componentType", component}, {"count", count}, {"type", type}});
    return gltf["accessors"].size() - 1;
  };
  std::map<std::string, size_t> images;
  auto texture = [&](const std::string& file) {
    if (!images.contains(file)) {
      gltf["images"].push_back({{"uri", file}});
      gltf["textures"].push_back({{"source", gltf["images"].size() - 1}});
      images[file] = gltf["textures"].size() - 1;
    }
    return images[file];
  };
  nlohmann::json primitives = nlohmann::json::array();
  for (const auto& [mesh, material] : parts) {
    glm::vec3 low(1e9f);
    glm::vec3 high(-1e9f);
    for (const auto& p : mesh.positions) {
      low = glm::min(low, p);
      high = glm::max(high, p);
    }
    const size_t count = mesh.positions.size();
    const auto positions = add_accessor(mesh.positions.data(), count, sizeof(glm::vec3), 5126, "VEC3", 34962);
    gltf["accessors"][positions]["min"] = {low.x, low.y, low.z};
    gltf["accessors"][positions]["max"] = {high.x, high.y, high.z};
    const auto normals = add_accessor(mesh.normals.data(), count, sizeof(glm::vec3), 5126, "VEC3", 34962);
    const auto uvs = add_accessor(mesh.uvs.data(), count, sizeof(glm::vec2), 5126, "VEC2", 34962);
    const auto indices = add_accessor(mesh.indices.data(), mesh.indices.size(), sizeof(uint32_t), 5125, "SCALAR", 34963);
    nlohmann::json pbr = {{"baseColorFactor", {material.base_color_factor.r, material.base_color_factor.g,
                                               material.base_color_factor.b, material.base_color_factor.a}},
                          {"metallicFactor", material.metallic},
                          {"roughnessFactor", material.roughness}};
    if (!material.base_color.empty()) pbr["baseColorTexture"] = {{"index", texture(material.base_color)}};
    if (!material.metallic_roughness.empty()) pbr["metallicRoughnessTexture"] = {{"index", texture(material.metallic_roughness)}};
    nlohmann::json out_material = {{"name", material.name}, {"pbrMetallicRoughness", pbr}};
    if (!material.normal.empty()) out_material["normalTexture"] = {{"index", texture(material.normal)}};
    if (material.double_sided) out_material["doubleSided"] = true;
    gltf["materials"].push_back(out_material);
    nlohmann::json attributes = {{"POSITION", positions}, {"NORMAL", normals}, {"TEXCOORD_0", uvs}};
    if (sway.joints > 0) {
      // Each vertex follows the two joints around its height, blended linearly between them.
      std::vector<std::array<uint16_t, 4>> joints;
      std::vector<glm::vec4> weights;
      for (const glm::vec3& position : mesh.positions) {
        const float along = std::clamp(-position.y / sway.segment, 0.0f, static_cast<float>(sway.joints - 1));
        const auto upper = std::min(static_cast<uint16_t>(along), static_cast<uint16_t>(sway.joints - 2));
        const float blend = along - upper;
        joints.push_back({upper, static_cast<uint16_t>(upper + 1), 0, 0});
        weights.emplace_back(1.0f - blend, blend, 0.0f, 0.0f);
      }
      attributes["JOINTS_0"] = add_accessor(joints.data(), count, sizeof(joints[0]), 5123, "VEC4", 34962);
      attributes["WEIGHTS_0"] = add_accessor(weights.data(), count, sizeof(glm::vec4), 5126, "VEC4", 34962);
    }
    primitives.push_back({{"attributes", attributes}, {"indices", indices}, {"material", gltf["materials"].size() - 1}});
  }
  gltf["meshes"] = {{{"name", name}, {"primitives", primitives}}};
  gltf["nodes"] = {{{"name", name}, {"mesh", 0}}};
  gltf["scenes"] = {{{"nodes", {0}}}};
  if (sway.joints > 0) {
    nlohmann::json joint_nodes = nlohmann::json::array();
    std::vector<glm::mat4> inverse_binds;
    std::vector<float> times;
    constexpr int keys = 9;
    for (int key = 0; key < keys; ++key) times.push_back(sway.period * static_cast<float>(key) / (keys - 1));
    nlohmann::json samplers = nlohmann::json::array();
    nlohmann::json channels = nlohmann::json::array();
    const auto time_accessor = add_accessor(times.data(), times.size(), sizeof(float), 5126, "SCALAR", 0);
    gltf["accessors"][time_accessor]["min"] = {0.0f};
    gltf["accessors"][time_accessor]["max"] = {sway.period};
    for (uint32_t joint = 0; joint < sway.joints; ++joint) {
      const size_t node = gltf["nodes"].size();
      nlohmann::json joint_node = {{"name", fmt::format("{} joint {}", name, joint)},
                                   {"translation", {0.0f, joint == 0 ? 0.0f : -sway.segment, 0.0f}}};
      if (joint + 1 < sway.joints) joint_node["children"] = {node + 1};
      gltf["nodes"].push_back(joint_node);
      joint_nodes.push_back(node);
      inverse_binds.push_back(glm::translate(glm::mat4(1.0f), glm::vec3(0, static_cast<float>(joint) * sway.segment, 0)));
      if (joint == 0) continue;  // the top hangs still
      std::vector<glm::vec4> rotations;
      const float amplitude = glm::radians(sway.degrees) * static_cast<float>(joint) / static_cast<float>(sway.joints - 1);
      for (float time : times) {
        const float angle = amplitude / 2 * std::sin(2 * pi * (time / sway.period) - 0.6f * static_cast<float>(joint));
        rotations.emplace_back(0.0f, 0.0f, std::sin(angle / 2), std::cos(angle / 2));  // x, y, z, w
      }
      const auto output = add_accessor(rotations.data(), rotations.size(), sizeof(glm::vec4), 5126, "VEC4", 0);
      samplers.push_back({{"input", time_accessor}, {"output", output}, {"interpolation", "LINEAR"}});
      channels.push_back({{"sampler", samplers.size() - 1}, {"target", {{"node", node}, {"path", "rotation"}}}});
    }
    gltf["nodes"][0]["skin"] = 0;
    gltf["scenes"][0]["nodes"].push_back(joint_nodes[0]);
    gltf["skins"] = {{{"joints", joint_nodes},
                      {"inverseBindMatrices", add_accessor(inverse_binds.data(), inverse_binds.size(), sizeof(glm::mat4),
                                                           5126, "MAT4", 0)}}};
    gltf["animations"] = {{{"name", "sway"}, {"samplers", samplers}, {"channels", channels}}};
  }
  gltf["scene"] = 0;
  gltf["buffers"] = {{{"uri", name + ".bin"}, {"byteLength", buffer.size()}}};
  const std::string text = gltf.dump(1);
  if (!write_file_atomic(folder / (name + ".bin"), buffer) ||
      !write_file_atomic(folder / (name + ".gltf"), std::as_bytes(std::span(text.data(), text.size())))) {
    std::fprintf(stderr, "make-gallery-assets: could not write %s\n", name.c_str());
    std::exit(1);
  }
}

void write_image(const std::filesystem::path& path, const ImageRgba8& image) {
  if (auto written = write_png(path, image); !written) {
    std::fprintf(stderr, "make-gallery-assets: %s\n", written.error().describe().c_str());
    std::exit(1);
  }
}

glm::vec4 surface(float roughness, float metallic) { return {0.0f, roughness, metallic, 1.0f}; }

// A plucked string (guqin-like): a few decaying partials, as 16-bit mono WAV.
void write_chime(const std::filesystem::path& path) {
  constexpr uint32_t rate = 22'050;
  constexpr float seconds = 2.5f;
  const auto frames = static_cast<uint32_t>(rate * seconds);
  std::vector<int16_t> samples(frames);
  for (uint32_t frame = 0; frame < frames; ++frame) {
    const float t = static_cast<float>(frame) / rate;
    float value = 0;
    for (int partial = 1; partial <= 5; ++partial) {
      value += std::sin(2 * pi * 196.0f * partial * t) * std::exp(-t * (1.2f + partial)) / partial;
    }
    samples[frame] = static_cast<int16_t>(std::clamp(value * 0.5f, -1.0f, 1.0f) * 32767.0f);
  }
  std::vector<std::byte> wav;
  auto put = [&](const void* data, size_t size) {
    const auto* bytes = static_cast<const std::byte*>(data);
    wav.insert(wav.end(), bytes, bytes + size);
  };
  const uint32_t data_size = frames * 2;
  const uint32_t riff_size = 36 + data_size;
  const uint32_t format_size = 16;
  const uint16_t pcm = 1;
  const uint16_t channels = 1;
  const uint32_t byte_rate = rate * 2;
  const uint16_t block = 2;
  const uint16_t bits = 16;
  put("RIFF", 4);
  put(&riff_size, 4);
  put("WAVEfmt ", 8);
  put(&format_size, 4);
  put(&pcm, 2);
  put(&channels, 2);
  put(&rate, 4);
  put(&byte_rate, 4);
  put(&block, 2);
  put(&bits, 2);
  put("data", 4);
  put(&data_size, 4);
  put(samples.data(), data_size);
  if (!write_file_atomic(path, wav)) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make-gallery-assets <output folder>\n");
    return 2;
  }
  const std::filesystem::path folder = argv[1];
  std::filesystem::create_directories(folder);
  constexpr uint32_t size = 256;
  using procedural::generate_image;
  using procedural::normal_map_from_heights;
  using procedural::tiling_noise;

  // --- the room: stone floor, lime-plastered walls, plinths ---
  auto tile = [](float u, float v) {
    const float x = std::fmod(u * 2.0f, 1.0f);
    const float y = std::fmod(v * 2.0f, 1.0f);
    return std::clamp(std::min({x, 1 - x, y, 1 - y}) / 0.03f, 0.0f, 1.0f);
  };
  write_image(folder / "floor_color.png", generate_image(size, [&](float u, float v) {
    const float shade = 0.85f + tiling_noise(u, v, 8, 11) * 0.15f;
    return glm::vec4(glm::mix(glm::vec3(0.25f, 0.24f, 0.22f), glm::vec3(0.52f, 0.50f, 0.46f) * shade, tile(u, v)), 1);
  }));
  write_image(folder / "floor_normal.png", normal_map_from_heights(size, [&](float u, float v) { return tile(u, v) * 0.015f; }, 1.0f));
  write_image(folder / "floor_surface.png", generate_image(size, [&](float u, float v) {
    return surface(0.45f + 0.4f * (1 - tile(u, v)) + tiling_noise(u, v, 16, 12) * 0.1f, 0.0f);
  }));
  write_image(folder / "plaster_color.png", generate_image(size, [&](float u, float v) {
    return glm::vec4(glm::vec3(0.80f, 0.76f, 0.68f) * (0.94f + tiling_noise(u, v, 32, 13) * 0.06f), 1);
  }));
  GltfMaterial floor{"stone floor", "floor_color.png", "floor_surface.png", "floor_normal.png"};
  GltfMaterial plaster{"lime plaster", "plaster_color.png", "", "", glm::vec4(1), 0.0f, 0.9f};
  GltfMaterial lacquer{"black lacquer", "", "", "", glm::vec4(0.03f, 0.025f, 0.02f, 1), 0.0f, 0.25f};
  RawMesh walls = box("back wall", {0, 1.75f, -3.1f}, {5.0f, 1.75f, 0.1f}, 0.5f);
  append(walls, box("left wall", {-5.1f, 1.75f, 0}, {0.1f, 1.75f, 3.2f}, 0.5f));
  append(walls, box("right wall", {5.1f, 1.75f, 0}, {0.1f, 1.75f, 3.2f}, 0.5f));
  RawMesh plinths = box("plinth", {-1.6f, 0.45f, -1.0f}, {0.4f, 0.45f, 0.4f}, 1.0f);
  append(plinths, box("plinth", {1.6f, 0.35f, -1.0f}, {0.45f, 0.35f, 0.45f}, 1.0f));
  write_gltf(folder, "room",
             {{box("floor", {0, -0.05f, 0}, {5.0f, 0.05f, 3.0f}, 0.5f), floor}, {walls, plaster}, {plinths, lacquer}});

  // --- a celadon vase with a crackled glaze (Song dynasty Longquan ware, in spirit) ---
  auto crackle = [](float u, float v) {
    const float cells = std::abs(tiling_noise(u, v * 2, 24, 21) - tiling_noise(u, v * 2, 24, 22));
    return 1.0f - std::clamp(cells / 0.04f, 0.0f, 1.0f);
  };
  write_image(folder / "celadon_color.png", generate_image(size, [&](float u, float v) {
    const glm::vec3 glaze = glm::mix(glm::vec3(0.46f, 0.62f, 0.52f), glm::vec3(0.58f, 0.72f, 0.60f), tiling_noise(u, v, 6, 23));
    return glm::vec4(glm::mix(glaze, glm::vec3(0.30f, 0.38f, 0.30f), crackle(u, v) * 0.6f), 1);
  }));
  write_image(folder / "celadon_normal.png", normal_map_from_heights(size, [&](float u, float v) { return -crackle(u, v) * 0.002f; }, 1.0f));
  write_image(folder / "celadon_surface.png", generate_image(size, [&](float u, float v) { return surface(0.15f + crackle(u, v) * 0.2f, 0.0f); }));
  const std::vector<glm::vec2> vase_profile{{0.0f, 0.0f},   {0.11f, 0.0f},  {0.12f, 0.02f}, {0.15f, 0.12f}, {0.19f, 0.28f},
                                            {0.20f, 0.36f}, {0.17f, 0.46f}, {0.09f, 0.56f}, {0.06f, 0.62f}, {0.065f, 0.70f},
                                            {0.09f, 0.74f}, {0.085f, 0.75f}, {0.055f, 0.72f}, {0.05f, 0.62f}};
  write_gltf(folder, "celadon_vase",
             {{lathe("celadon vase", vase_profile, 64), {"celadon glaze", "celadon_color.png", "celadon_surface.png", "celadon_normal.png"}}});

  // --- a bronze ding: a round cauldron on three legs with two upright handles ---
  write_image(folder / "bronze_color.png", generate_image(size, [&](float u, float v) {
    const float patina = std::clamp(tiling_noise(u, v, 8, 31) * 1.6f - 0.45f, 0.0f, 1.0f);
    const float band = std::abs(v - 0.25f) < 0.08f ? 0.5f + 0.5f * std::sin(u * 2 * pi * 24) : 0.0f;  // taotie band
    return glm::vec4(glm::mix(glm::vec3(0.55f, 0.40f, 0.22f) * (0.8f + band * 0.3f), glm::vec3(0.25f, 0.45f, 0.38f), patina), 1);
  }));
  write_image(folder / "bronze_surface.png", generate_image(size, [&](float u, float v) {
    const float patina = std::clamp(tiling_noise(u, v, 8, 31) * 1.6f - 0.45f, 0.0f, 1.0f);
    return surface(glm::mix(0.35f, 0.85f, patina), glm::mix(1.0f, 0.0f, patina));
  }));
  RawMesh ding = lathe("ding bowl", {{0.0f, 0.18f}, {0.14f, 0.19f}, {0.22f, 0.26f}, {0.25f, 0.36f}, {0.25f, 0.45f},
                                      {0.27f, 0.47f}, {0.24f, 0.47f}, {0.22f, 0.40f}, {0.0f, 0.40f}},
                       48);
  for (int leg = 0; leg < 3; ++leg) {
    const float angle = static_cast<float>(leg) * 2 * pi / 3;
    append(ding, lathe("ding leg", {{0.0f, 0.0f}, {0.03f, 0.0f}, {0.035f, 0.10f}, {0.03f, 0.22f}, {0.0f, 0.22f}}, 12));
    const size_t first = ding.positions.size() - 5 * 13;
    for (size_t vertex = first; vertex < ding.positions.size(); ++vertex) {
      ding.positions[vertex] += glm::vec3(std::sin(angle) * 0.15f, 0, std::cos(angle) * 0.15f);
    }
  }
  append(ding, box("ding handle", {-0.2f, 0.53f, 0}, {0.015f, 0.07f, 0.06f}, 4.0f));
  append(ding, box("ding handle", {0.2f, 0.53f, 0}, {0.015f, 0.07f, 0.06f}, 4.0f));
  write_gltf(folder, "bronze_ding", {{ding, {"bronze", "bronze_color.png", "bronze_surface.png", "", glm::vec4(1), 1.0f, 1.0f}}});

  // --- an ink-wash landscape for the wall panel: mountains fading into mist ---
  write_image(folder / "landscape.png", generate_image(512, [&](float u, float v) {
    float ink = 0.0f;
    for (int range = 0; range < 3; ++range) {
      const float ridge = 0.35f + 0.15f * range + 0.12f * std::sin(u * (5 + 2 * range) + range) * tiling_noise(u, 0.5f, 6, 40 + range);
      if (v > ridge) ink = std::max(ink, (0.85f - 0.25f * range) * std::clamp((v - ridge) * 6.0f, 0.0f, 1.0f) * (1.0f - v * 0.5f));
    }
    const glm::vec3 silk(0.86f, 0.80f, 0.66f);
    return glm::vec4(glm::mix(silk, glm::vec3(0.12f, 0.12f, 0.13f), ink * 0.9f), 1);
  }));
  // --- a red silk banner for the Spring Festival, swaying in a draught ---
  RawMesh banner;
  banner.name = "silk banner";
  constexpr uint32_t rows = 24;
  for (uint32_t row = 0; row <= rows; ++row) {
    const float v = static_cast<float>(row) / rows;
    for (float u : {0.0f, 0.5f, 1.0f}) {
      banner.positions.emplace_back((u - 0.5f) * 0.5f, -v * 1.2f, 0.0f);
      banner.normals.emplace_back(0.0f, 0.0f, 1.0f);
      banner.uvs.emplace_back(u, v);
    }
  }
  for (uint32_t row = 0; row < rows; ++row) {
    for (uint32_t column = 0; column < 2; ++column) {
      const uint32_t a = row * 3 + column;
      banner.indices.insert(banner.indices.end(), {a, a + 3, a + 1, a + 1, a + 3, a + 4});
    }
  }
  write_gltf(folder, "silk_banner",
             {{banner, {"red silk", "", "", "", glm::vec4(0.55f, 0.04f, 0.03f, 1), 0.0f, 0.55f, true}}},
             {.joints = 4, .segment = 0.4f, .degrees = 12.0f, .period = 4.0f});
  write_chime(folder / "guqin_note.wav");
  std::printf("wrote the gallery's assets to %s\n", folder.c_str());
  return 0;
}
