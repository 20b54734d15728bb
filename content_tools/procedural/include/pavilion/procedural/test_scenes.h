// The built-in scenes that pavilion-snapshot, the tests and the benchmarks render until scene
// packages exist: each exercises a part of the renderer a person can judge at a glance.
#pragma once

#include "pavilion/scene/render_scene.h"
#include "pavilion/render/view.h"

#include <glm/glm.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pavilion::procedural {

struct CameraPlacement {
  glm::vec3 eye{0.0f, 1.6f, 4.0f};
  glm::vec3 target{0.0f, 1.0f, 0.0f};
  float vertical_fov_degrees = 45.0f;
};

// The view from `camera` for an image of the given width / height.
render::View camera_view(const CameraPlacement& camera, float aspect_ratio);

struct TestScene {
  std::string name;
  scene::RenderScene scene;
  CameraPlacement camera;
};

// Spheres in a 5×5 grid, metallic rising upwards and roughness to the right, above a floor.
TestScene material_grid();
// A glazed porcelain vase-like sphere on a stone plinth, on a tiled floor: base colour, normal,
// metallic-roughness and occlusion maps, and the shadow they cast.
TestScene textured_object();
// `count` small objects of a few meshes and materials scattered over a large floor.
TestScene instance_field(uint32_t count = 10'000);

std::span<const std::string_view> test_scene_names();
// By name ("material-grid", "textured-object", "instance-field"); nullopt for an unknown name.
std::optional<TestScene> make_test_scene(std::string_view name, uint32_t instance_count = 10'000);

}  // namespace pavilion::procedural
