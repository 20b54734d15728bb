// A small show for ShowStage's tests: a vermilion box (exhibit "lantern") on a grey floor, a clip
// that lifts and turns it, a light ramp from dim white to bright warm red, and a camera move
// around it.
#pragma once

#include "pavilion/procedural/primitives.h"
#include "pavilion/scene/scene.h"

#include <glm/gtc/quaternion.hpp>

namespace pavilion::testing {

inline constexpr float show_frame_seconds = 1.0f / 30.0f;

inline glm::vec4 quaternion_value(const glm::quat& rotation) { return {rotation.x, rotation.y, rotation.z, rotation.w}; }

// The clip starts at 0.5 s and lasts 2 s: the box rises 0.6 m and turns 90° about the vertical.
// The light goes from 0.4 of white at 0 s to 4 of warm red at 3 s; the camera swings from the
// front to the right between 0 and 2 s.
inline scene::Scene show_stage_scene() {
  scene::Scene out;
  out.id = "show-stage-test";
  scene::RenderScene& render = out.render;
  render.meshes.push_back(procedural::make_box(glm::vec3(0.3f)));
  render.meshes.push_back(procedural::make_plane(6.0f));
  scene::MaterialData vermilion;
  vermilion.name = "vermilion";
  vermilion.base_color_factor = {0.8f, 0.12f, 0.05f, 1.0f};
  vermilion.metallic_factor = 0.0f;
  vermilion.roughness_factor = 0.6f;
  render.materials.push_back(vermilion);
  scene::MaterialData floor;
  floor.name = "floor";
  floor.base_color_factor = {0.5f, 0.5f, 0.5f, 1.0f};
  floor.metallic_factor = 0.0f;
  render.materials.push_back(floor);
  render.light.direction = {0.5f, -1.0f, -0.4f};

  scene::NodeTree& tree = out.tree;
  tree.nodes.push_back({"lantern", scene::no_parent, {glm::vec3(0.0f, 0.3f, 0.0f)}});
  tree.nodes.push_back({"box", 0, {}});
  tree.nodes.push_back({"floor", scene::no_parent, {}});
  tree.instances = {{1, scene::no_skin}, {2, scene::no_skin}};
  render.instances = {{tree.nodes[0].local.matrix(), 0, 0}, {glm::mat4(1.0f), 1, 1}};
  scene::AnimationChannel lift{1, scene::AnimatedProperty::translation, {0.0f, 2.0f},
                               {glm::vec4(0.0f), glm::vec4(0.0f, 0.6f, 0.0f, 0.0f)}};
  scene::AnimationChannel turn{1, scene::AnimatedProperty::rotation, {0.0f, 2.0f},
                               {quaternion_value(glm::quat(1.0f, 0.0f, 0.0f, 0.0f)),
                                quaternion_value(glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 1, 0)))}};
  tree.animations.push_back({"lantern: rise", 2.0f, {lift, turn}});

  scene::Exhibit lantern;
  lantern.id = "lantern";
  lantern.first_instance = 0;
  lantern.instance_count = 1;
  out.exhibits.push_back(lantern);
  out.viewpoints.push_back({{}, glm::vec3(0.0f, 1.4f, 3.0f), glm::vec3(0.0f, 0.5f, 0.0f), 50.0f});

  scene::Show show;
  show.duration = 4.0f;
  scene::ShowCue camera;
  camera.kind = scene::CueKind::camera;
  camera.duration = 2.0f;
  camera.camera_keys = {{0.0f, glm::vec3(0.0f, 1.4f, 3.0f), glm::vec3(0.0f, 0.5f, 0.0f), 50.0f, scene::Easing::linear},
                        {2.0f, glm::vec3(2.4f, 1.8f, 1.8f), glm::vec3(0.0f, 0.6f, 0.0f), 50.0f, scene::Easing::ease_in_out}};
  scene::ShowCue clip;
  clip.kind = scene::CueKind::clip;
  clip.start = 0.5f;
  clip.exhibit = 0;
  clip.animation = 0;
  scene::ShowCue light;
  light.kind = scene::CueKind::light;
  light.duration = 3.0f;
  light.light_keys = {{0.0f, glm::vec3(1.0f), 0.4f, scene::Easing::linear},
                      {3.0f, glm::vec3(1.0f, 0.45f, 0.3f), 4.0f, scene::Easing::linear}};
  show.tracks = {{"camera", {camera}}, {"lantern", {clip}}, {"light", {light}}};
  out.show = show;
  return out;
}

// The same, with a burst of golden sparks above the box at 1 s (track "sparks").
inline scene::Scene show_stage_scene_with_burst() {
  scene::Scene out = show_stage_scene();
  out.particles.push_back(scene::placeholder_burst("sparks", glm::vec3(0.0f, 1.2f, 0.0f)));
  scene::ShowCue burst;
  burst.kind = scene::CueKind::burst;
  burst.start = 1.0f;
  burst.emitter = 0;
  out.show->tracks.push_back({"sparks", {burst}});
  return out;
}

}  // namespace pavilion::testing
