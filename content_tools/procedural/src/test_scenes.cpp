#include "pavilion/procedural/test_scenes.h"

#include "pavilion/procedural/primitives.h"
#include "pavilion/procedural/textures.h"

#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include <array>
#include <cmath>

namespace pavilion::procedural {
namespace {

using scene::MaterialData;
using scene::TextureFormat;

constexpr uint32_t texture_size = 256;

uint32_t add_texture(scene::RenderScene& scene, scene::TextureData texture) {
  scene.textures.push_back(std::move(texture));
  return static_cast<uint32_t>(scene.textures.size() - 1);
}

uint32_t add_material(scene::RenderScene& scene, MaterialData material) {
  scene.materials.push_back(std::move(material));
  return static_cast<uint32_t>(scene.materials.size() - 1);
}

uint32_t add_mesh(scene::RenderScene& scene, scene::MeshData mesh) {
  scene.meshes.push_back(std::move(mesh));
  return static_cast<uint32_t>(scene.meshes.size() - 1);
}

void add_instance(scene::RenderScene& scene, const glm::mat4& transform, uint32_t mesh, uint32_t material) {
  scene.instances.push_back(scene::InstanceData{transform, mesh, material});
}

glm::mat4 placed(const glm::vec3& position, const glm::vec3& scale = glm::vec3(1.0f), float yaw = 0.0f) {
  return glm::scale(glm::rotate(glm::translate(glm::mat4(1.0f), position), yaw, glm::vec3(0, 1, 0)), scale);
}

// Metallic-roughness texels: roughness in green, metallic in blue (glTF).
glm::vec4 metallic_roughness(float roughness, float metallic) { return {0.0f, roughness, metallic, 1.0f}; }

// Square tiles with recessed grout; `tiles` per texture side.
float tile_height(float u, float v, int tiles) {
  const float x = std::fmod(u * static_cast<float>(tiles), 1.0f);
  const float y = std::fmod(v * static_cast<float>(tiles), 1.0f);
  const float edge = std::min({x, 1.0f - x, y, 1.0f - y});
  return std::clamp(edge / 0.04f, 0.0f, 1.0f);
}

// Blue-and-white porcelain: bands of cobalt around the body and a ring of petals at the waist.
float cobalt_pattern(float u, float v) {
  const float band = (std::abs(v - 0.22f) < 0.015f || std::abs(v - 0.78f) < 0.015f || std::abs(v - 0.30f) < 0.006f ||
                      std::abs(v - 0.70f) < 0.006f)
                         ? 1.0f
                         : 0.0f;
  const float petal_phase = std::abs(std::sin(u * glm::pi<float>() * 12.0f));
  const float petal_extent = 0.16f * std::pow(petal_phase, 0.6f);
  const float petal = (std::abs(v - 0.5f) < petal_extent && std::abs(v - 0.5f) > petal_extent - 0.02f) ? 1.0f : 0.0f;
  const float scroll = std::abs(v - 0.5f) < 0.012f ? 1.0f : 0.0f;
  return std::max({band, petal, scroll});
}

}  // namespace

render::View camera_view(const CameraPlacement& camera, float aspect_ratio) {
  return render::look_at_view(camera.eye, camera.target,
                              render::symmetric_field_of_view(glm::radians(camera.vertical_fov_degrees), aspect_ratio));
}

TestScene material_grid() {
  TestScene test;
  test.name = "material-grid";
  scene::RenderScene& scene = test.scene;
  const uint32_t sphere = add_mesh(scene, make_sphere(48, 24));
  const uint32_t floor = add_mesh(scene, make_plane(14.0f));
  constexpr int steps = 5;
  for (int row = 0; row < steps; ++row) {
    for (int column = 0; column < steps; ++column) {
      MaterialData material;
      material.name = "metallic " + std::to_string(row) + ", roughness " + std::to_string(column);
      material.base_color_factor = glm::vec4(0.91f, 0.72f, 0.38f, 1.0f);
      material.metallic_factor = static_cast<float>(row) / (steps - 1);
      material.roughness_factor = 0.05f + 0.95f * static_cast<float>(column) / (steps - 1);
      const uint32_t index = add_material(scene, material);
      add_instance(scene, placed({static_cast<float>(column) - 2.0f, 0.7f + static_cast<float>(row), 0.0f}, glm::vec3(0.4f)),
                   sphere, index);
    }
  }
  MaterialData ground;
  ground.name = "matte floor";
  ground.base_color_factor = glm::vec4(0.35f, 0.35f, 0.37f, 1.0f);
  ground.metallic_factor = 0.0f;
  ground.roughness_factor = 0.85f;
  add_instance(scene, glm::mat4(1.0f), floor, add_material(scene, ground));
  scene.light.direction = glm::vec3(-0.5f, -1.0f, -0.7f);
  // Metals show little but what they reflect: a brighter sky reads them better.
  scene.environment.ambient_intensity = 1.0f;
  test.camera = CameraPlacement{{0.0f, 2.7f, 9.0f}, {0.0f, 2.7f, 0.0f}, 40.0f};
  return test;
}

TestScene textured_object() {
  TestScene test;
  test.name = "textured-object";
  scene::RenderScene& scene = test.scene;

  // Floor: stone tiles with recessed grout, darker in the joints.
  constexpr int tiles = 4;
  const auto floor_color = generate_image(texture_size, [](float u, float v) {
    const float variation = tiling_noise(u, v, 16, 1) * 0.12f + tiling_noise(u, v, 4, 2) * 0.08f;
    const float grout = 1.0f - tile_height(u, v, tiles);
    const glm::vec3 stone = glm::vec3(0.62f, 0.57f, 0.50f) * (0.9f + variation);
    return glm::vec4(glm::mix(stone, glm::vec3(0.30f, 0.28f, 0.26f), grout), 1.0f);
  });
  const auto floor_normal = normal_map_from_heights(
      texture_size, [](float u, float v) { return tile_height(u, v, tiles) * 0.02f + tiling_noise(u, v, 32, 3) * 0.004f; },
      1.0f);
  const auto floor_surface = generate_image(texture_size, [](float u, float v) {
    return metallic_roughness(0.55f + 0.35f * (1.0f - tile_height(u, v, tiles)) + tiling_noise(u, v, 16, 4) * 0.1f, 0.0f);
  });
  const auto floor_occlusion = generate_image(texture_size, [](float u, float v) {
    const float occlusion = 0.55f + 0.45f * tile_height(u, v, tiles);
    return glm::vec4(occlusion, occlusion, occlusion, 1.0f);
  });
  MaterialData floor;
  floor.name = "stone tiles";
  floor.base_color_texture = static_cast<int32_t>(add_texture(scene, make_texture("floor colour", floor_color, TextureFormat::rgba8_srgb)));
  floor.normal_texture = static_cast<int32_t>(add_texture(scene, make_texture("floor normal", floor_normal, TextureFormat::rgba8_unorm)));
  floor.metallic_roughness_texture = static_cast<int32_t>(add_texture(scene, make_texture("floor surface", floor_surface, TextureFormat::rgba8_unorm)));
  floor.occlusion_texture = static_cast<int32_t>(add_texture(scene, make_texture("floor occlusion", floor_occlusion, TextureFormat::rgba8_unorm)));

  // Plinth: dark lacquered wood, its grain in the colour and a faint ripple in the normals.
  auto grain = [](float u, float v) {
    return 0.5f + 0.5f * std::sin((v * 12.0f + tiling_noise(u, v, 4, 5) * 2.0f) * 2.0f * glm::pi<float>());
  };
  const auto wood_color = generate_image(texture_size, [&](float u, float v) {
    const float fibre = tiling_noise(u, v * 0.25f, 64, 6) * 0.08f;
    return glm::vec4(glm::mix(glm::vec3(0.32f, 0.13f, 0.07f), glm::vec3(0.45f, 0.22f, 0.11f), grain(u, v)) * (0.95f + fibre), 1.0f);
  });
  const auto wood_normal = normal_map_from_heights(
      texture_size, [&](float u, float v) { return grain(u, v) * 0.002f; }, 1.0f);
  MaterialData wood;
  wood.name = "lacquered wood";
  wood.base_color_texture = static_cast<int32_t>(add_texture(scene, make_texture("wood colour", wood_color, TextureFormat::rgba8_srgb)));
  wood.normal_texture = static_cast<int32_t>(add_texture(scene, make_texture("wood normal", wood_normal, TextureFormat::rgba8_unorm)));
  wood.metallic_factor = 0.0f;
  wood.roughness_factor = 0.35f;

  // Vase: glazed porcelain with cobalt decoration, the glaze pooling slightly over the painting.
  const auto porcelain_color = generate_image(texture_size, [](float u, float v) {
    return glm::vec4(glm::mix(glm::vec3(0.93f, 0.94f, 0.92f), glm::vec3(0.08f, 0.18f, 0.55f), cobalt_pattern(u, v)), 1.0f);
  });
  const auto porcelain_normal = normal_map_from_heights(
      texture_size, [](float u, float v) { return cobalt_pattern(u, v) * 0.003f; }, 1.0f);
  const auto porcelain_surface = generate_image(texture_size, [](float u, float v) {
    return metallic_roughness(0.12f + cobalt_pattern(u, v) * 0.1f, 0.0f);
  });
  MaterialData porcelain;
  porcelain.name = "blue-and-white porcelain";
  porcelain.base_color_texture = static_cast<int32_t>(add_texture(scene, make_texture("porcelain colour", porcelain_color, TextureFormat::rgba8_srgb)));
  porcelain.normal_texture = static_cast<int32_t>(add_texture(scene, make_texture("porcelain normal", porcelain_normal, TextureFormat::rgba8_unorm)));
  porcelain.metallic_roughness_texture = static_cast<int32_t>(add_texture(scene, make_texture("porcelain surface", porcelain_surface, TextureFormat::rgba8_unorm)));

  const uint32_t floor_material = add_material(scene, floor);
  const uint32_t wood_material = add_material(scene, wood);
  const uint32_t porcelain_material = add_material(scene, porcelain);
  add_instance(scene, glm::mat4(1.0f), add_mesh(scene, make_plane(8.0f, 2.0f)), floor_material);
  add_instance(scene, placed({0.0f, 0.45f, 0.0f}), add_mesh(scene, make_box({0.5f, 0.45f, 0.5f})), wood_material);
  add_instance(scene, placed({0.0f, 1.45f, 0.0f}, {0.42f, 0.55f, 0.42f}, 0.6f), add_mesh(scene, make_sphere(64, 32)),
               porcelain_material);
  scene.light.direction = glm::vec3(0.5f, -1.0f, -0.6f);
  scene.light.intensity = 3.2f;
  test.camera = CameraPlacement{{1.7f, 1.9f, 2.9f}, {0.0f, 0.95f, 0.0f}, 42.0f};
  return test;
}

TestScene instance_field(uint32_t count) {
  TestScene test;
  test.name = "instance-field";
  scene::RenderScene& scene = test.scene;
  const std::array<uint32_t, 3> meshes{add_mesh(scene, make_box({0.25f, 0.25f, 0.25f})),
                                       add_mesh(scene, make_sphere(16, 8)),
                                       add_mesh(scene, make_box({0.12f, 0.6f, 0.12f}))};
  const std::array<glm::vec3, 6> colors{{{0.80f, 0.18f, 0.12f}, {0.95f, 0.70f, 0.20f}, {0.15f, 0.45f, 0.30f},
                                         {0.15f, 0.30f, 0.65f}, {0.85f, 0.85f, 0.82f}, {0.55f, 0.35f, 0.60f}}};
  std::array<uint32_t, colors.size()> materials{};
  for (size_t index = 0; index < colors.size(); ++index) {
    MaterialData material;
    material.name = "field colour " + std::to_string(index);
    material.base_color_factor = glm::vec4(colors[index], 1.0f);
    material.metallic_factor = index % 3 == 1 ? 1.0f : 0.0f;
    material.roughness_factor = 0.25f + 0.12f * static_cast<float>(index);
    materials[index] = add_material(scene, material);
  }
  const auto side = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(count))));
  const float spacing = 1.1f;
  const float extent = static_cast<float>(side) * spacing;
  uint32_t random = 0x9e3779b9u;
  auto next = [&random] {  // xorshift32: the same field on every machine
    random ^= random << 13;
    random ^= random >> 17;
    random ^= random << 5;
    return static_cast<float>(random & 0xffffff) / static_cast<float>(0x1000000);
  };
  for (uint32_t index = 0; index < count; ++index) {
    const float x = (static_cast<float>(index % side) + 0.5f) * spacing - extent * 0.5f + (next() - 0.5f) * 0.5f;
    const float z = (static_cast<float>(index / side) + 0.5f) * spacing - extent * 0.5f + (next() - 0.5f) * 0.5f;
    const uint32_t shape = static_cast<uint32_t>(next() * meshes.size()) % meshes.size();
    const float scale = 0.7f + next() * 0.6f;
    const float lift = shape == 2 ? 0.6f : 0.25f;
    const uint32_t material = materials[static_cast<uint32_t>(next() * materials.size()) % materials.size()];
    add_instance(scene, placed({x, lift * scale, z}, glm::vec3(shape == 1 ? 0.25f * scale : scale), next() * 6.28f),
                 meshes[shape], material);
  }
  MaterialData ground;
  ground.name = "field floor";
  ground.base_color_factor = glm::vec4(0.42f, 0.40f, 0.36f, 1.0f);
  ground.metallic_factor = 0.0f;
  ground.roughness_factor = 0.9f;
  add_instance(scene, glm::mat4(1.0f), add_mesh(scene, make_plane(extent + 4.0f)), add_material(scene, ground));
  scene.light.direction = glm::vec3(-0.4f, -1.0f, -0.5f);
  test.camera = CameraPlacement{{0.0f, 9.0f, 16.0f}, {0.0f, 0.0f, 2.0f}, 50.0f};
  return test;
}

std::span<const std::string_view> test_scene_names() {
  static constexpr std::array<std::string_view, 3> names{"material-grid", "textured-object", "instance-field"};
  return names;
}

std::optional<TestScene> make_test_scene(std::string_view name, uint32_t instance_count) {
  if (name == "material-grid") return material_grid();
  if (name == "textured-object") return textured_object();
  if (name == "instance-field") return instance_field(instance_count);
  return std::nullopt;
}

}  // namespace pavilion::procedural
