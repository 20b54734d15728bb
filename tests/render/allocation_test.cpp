// No heap allocation per frame in steady state: counted by replacing the global operator new in
// this test binary (its own process, so no other test sees the counter).
#include "counting_new.h"
#include "keep_loaded.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/animation.h"

#include <glm/gtc/quaternion.hpp>

#include <gtest/gtest.h>

namespace pavilion::render {
namespace {

TEST(RenderFrameAllocations, SteadyStateFramesAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  // Without the validation layer, whose own bookkeeping allocates per call.
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  const auto field = procedural::instance_field(2'000);
  ASSERT_TRUE((*renderer)->load_scene(field.scene).ok());
  auto target = OffscreenTarget::create(**context, {64, 48});
  ASSERT_TRUE(target.ok());
  const View view = procedural::camera_view(field.camera, 64.0f / 48.0f);
  for (int frame = 0; frame < 4; ++frame) ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());

  testing::count_allocations(true);
  for (int frame = 0; frame < 20; ++frame) {
    const auto outcome = (*renderer)->render(**target, {&view, 1});
    if (!outcome.ok()) {
      testing::count_allocations(false);
      FAIL() << outcome.error().describe();
    }
  }
  testing::count_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called during steady-state frames";
  EXPECT_GT((*renderer)->last_frame_stats().visible_instances, 100u);
}

// Two streamed overlay textures updated every frame (a book's thumbnails landing), each within the
// bytes a frame it was made for: the updates' queue is sized for both budgets together at their
// making and each frame slot's staging on its first frame after, so frames updating both
// allocate nothing, from the first.
TEST(RenderFrameAllocations, StreamedOverlayTextureUpdatesAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  auto target = OffscreenTarget::create(**context, {64, 48});
  ASSERT_TRUE(target.ok());
  constexpr uint32_t cell = 16, cells_a_frame = 4;
  auto texture = (*renderer)->add_streamed_overlay_texture(256, 256, 0xFFC8E2ECu, cells_a_frame * cell * cell * 4);
  ASSERT_TRUE(texture.ok()) << texture.error().describe();
  auto other = (*renderer)->add_streamed_overlay_texture(256, 256, 0xFF000000u, cells_a_frame * cell * cell * 4);
  ASSERT_TRUE(other.ok()) << other.error().describe();
  const std::array<OverlayVertex, 4> vertices{{{0, 0, 0, 0, ~0u}, {64, 0, 1, 0, ~0u}, {64, 48, 1, 1, ~0u}, {0, 48, 0, 1, ~0u}}};
  const std::array<uint16_t, 6> indices{0, 1, 2, 0, 2, 3};
  OverlayDraw draw;
  draw.index_count = 6;
  draw.texture = *texture;
  draw.clip_max_x = 64;
  draw.clip_max_y = 48;
  const Overlay overlay{vertices, indices, {&draw, 1}};
  const std::vector<uint8_t> texels(size_t{cell} * cell * 4, 128);
  const View view = procedural::camera_view(procedural::material_grid().camera, 64.0f / 48.0f);
  uint32_t next_cell = 0;
  const auto frame = [&] {
    for (uint32_t update = 0; update < cells_a_frame; ++update, ++next_cell) {
      const uint32_t x = next_cell % 16 * cell, y = next_cell / 16 % 16 * cell;
      if (!(*renderer)->update_overlay_texture(*texture, x, y, cell, cell, texels).ok() ||
          !(*renderer)->update_overlay_texture(*other, x, y, cell, cell, texels).ok()) {
        return false;
      }
    }
    return (*renderer)->render(**target, {&view, 1}, &overlay).ok();
  };
  // Frames that only fill the textures: the first updates are counted below.
  for (int warm = 0; warm < 4; ++warm) ASSERT_TRUE((*renderer)->render(**target, {&view, 1}, &overlay).ok());

  testing::count_allocations(true);
  bool drawn = true;
  for (int index = 0; index < 20 && drawn; ++index) drawn = frame();
  testing::count_allocations(false);
  ASSERT_TRUE(drawn);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called during frames that updated the texture";
}

// Fireworks bursting and lanterns rising, advanced and drawn in stereo every frame: emitting,
// simulating and drawing particles allocate nothing.
TEST(RenderFrameAllocations, ParticleFramesAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_scene(procedural::material_grid().scene).ok());
  std::vector<scene::ParticleSystem> systems{scene::placeholder_burst("shell", {0, 1, 0}),
                                             scene::placeholder_burst("sparks", {0, 0, 0})};
  systems[0].count = 4;
  systems[0].on_death = 1;
  scene::ParticleSystem snow = scene::placeholder_burst("snow", {0, 4, 0});
  snow.emission = scene::ParticleEmission::continuous;
  snow.rate = 200.0f;
  snow.blend = scene::ParticleBlend::alpha;
  snow.sprite = scene::ParticleSprite::flake;
  snow.soft_distance = 0.3f;
  systems.push_back(snow);
  ASSERT_TRUE((*renderer)->load_particles(systems, scene::default_particle_budget, 7).ok());
  auto target = OffscreenTarget::create(**context, {64, 48, 2});
  ASSERT_TRUE(target.ok());
  const View view = procedural::camera_view(procedural::material_grid().camera, 64.0f / 48.0f);
  const std::array<View, 2> views{view, view};
  for (int frame = 0; frame < 4; ++frame) {
    (*renderer)->advance_particles(1.0f / 30.0f);
    ASSERT_TRUE((*renderer)->render(**target, views).ok());
  }

  testing::count_allocations(true);
  for (int frame = 0; frame < 20; ++frame) {
    if (frame % 5 == 0) (*renderer)->burst_particles(0);
    (*renderer)->advance_particles(1.0f / 30.0f);
    const auto outcome = (*renderer)->render(**target, views);
    if (!outcome.ok()) {
      testing::count_allocations(false);
      FAIL() << outcome.error().describe();
    }
  }
  testing::count_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called during frames with particles";
}

// A strip of two joints bending over a clip, in stereo, posed every frame: sampling, posing
// and skinning allocate nothing either.
TEST(RenderFrameAllocations, AnimatedSkinnedStereoFramesAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  scene::RenderScene scene;
  scene::MeshData strip;
  for (uint32_t row = 0; row <= 4; ++row) {
    for (float x : {0.0f, 1.0f}) {
      const float y = static_cast<float>(row) * 0.5f;
      strip.vertices.push_back(scene::pack_vertex({x, y, 0}, {0, 0, 1}, {1, 0, 0, 1}, {x, y}));
      strip.skin.push_back(scene::pack_vertex_skin({0, 1, 0, 0}, {1.0f - y / 2.0f, y / 2.0f, 0, 0}));
    }
  }
  for (uint32_t row = 0; row < 4; ++row) {
    const uint32_t base = row * 2;
    strip.indices.insert(strip.indices.end(), {base, base + 1, base + 3, base, base + 3, base + 2});
  }
  scene.meshes.push_back(strip);
  scene.materials.emplace_back();
  scene.instances.push_back({glm::mat4(1.0f), 0, 0});
  scene::NodeTree tree;
  tree.nodes.push_back({"root", scene::no_parent, {}});
  tree.nodes.push_back({"upper", 0, {glm::vec3(0, 1, 0)}});
  tree.skins.push_back({"strip", {0, 1}, {glm::mat4(1.0f), glm::inverse(tree.nodes[1].local.matrix())}});
  tree.instances.push_back({0, 0});
  scene::AnimationChannel bend{1, scene::AnimatedProperty::rotation, {0.0f, 1.0f}, {}};
  const glm::quat bent = glm::angleAxis(1.2f, glm::vec3(0, 0, 1));
  bend.values = {glm::vec4(0, 0, 0, 1), glm::vec4(bent.x, bent.y, bent.z, bent.w)};
  tree.animations.push_back({"bend", 1.0f, {bend}});
  ASSERT_TRUE((*renderer)->load_scene(scene).ok());
  scene::AnimationPlayer player(tree);
  player.play(0);
  std::vector<glm::mat4> world(tree.nodes.size());
  std::vector<glm::mat4> joints(scene::joint_matrix_count(tree));
  auto target = OffscreenTarget::create(**context, {64, 48, 2});
  ASSERT_TRUE(target.ok());
  const std::array<View, 2> eyes{look_at_view({0.4f, 1, 4}, {0.4f, 1, 0}, symmetric_field_of_view(1.0f, 4.0f / 3.0f)),
                                 look_at_view({0.6f, 1, 4}, {0.6f, 1, 0}, symmetric_field_of_view(1.0f, 4.0f / 3.0f))};
  auto frame = [&] {
    player.advance(1.0f / 90.0f);
    player.evaluate(world, joints);
    (*renderer)->pose_instances(tree, world, joints);
    return (*renderer)->render(**target, eyes);
  };
  for (int warm = 0; warm < 4; ++warm) ASSERT_TRUE(frame().ok());

  testing::count_allocations(true);
  for (int index = 0; index < 20; ++index) {
    const auto outcome = frame();
    if (!outcome.ok()) {
      testing::count_allocations(false);
      FAIL() << outcome.error().describe();
    }
  }
  testing::count_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called while animating and skinning";
  EXPECT_EQ((*renderer)->last_frame_stats().skinned_instances, 1u);
}

// A morphed instance whose weights a clip animates, drawn in both eyes: handing its weights over
// and staging them for the GPU allocates nothing either.
TEST(RenderFrameAllocations, AnimatedMorphTargetsAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  scene::RenderScene scene;
  scene::MeshData quad;
  for (const glm::vec2 corner : {glm::vec2(0, 0), glm::vec2(1, 0), glm::vec2(1, 1), glm::vec2(0, 1)}) {
    quad.vertices.push_back(scene::pack_vertex({corner.x, corner.y, 0}, {0, 0, 1}, {1, 0, 0, 1}, corner));
  }
  for (const glm::vec2 corner : {glm::vec2(0, 0), glm::vec2(1, 0), glm::vec2(1, 1), glm::vec2(0, 1)}) {
    quad.morph_deltas.push_back(scene::pack_morph_delta({0, corner.y * 0.5f, 0}, {0, 0, 0}));  // taller
  }
  for (const glm::vec2 corner : {glm::vec2(0, 0), glm::vec2(1, 0), glm::vec2(1, 1), glm::vec2(0, 1)}) {
    quad.morph_deltas.push_back(scene::pack_morph_delta({corner.x * 0.5f, 0, 0}, {0, 0, 0}));  // wider
  }
  quad.indices = {0, 1, 2, 0, 2, 3};
  quad.morph_weights = {0.0f, 0.0f};
  scene.meshes.push_back(quad);
  scene.materials.emplace_back();
  scene.instances.push_back({glm::mat4(1.0f), 0, 0});
  scene::NodeTree tree;
  tree.nodes.push_back({"quad", scene::no_parent, {}});
  tree.instances.push_back({0, scene::no_skin, 0});
  tree.morphs.push_back({0, {0.0f, 0.0f}});
  scene::Animation grow{"grow", 1.0f, {}, {}};
  grow.weight_channels.push_back({0, {0.0f, 1.0f}, {0.2f, 0.0f, 1.0f, 0.8f}, scene::Interpolation::linear});
  tree.animations.push_back(grow);
  ASSERT_TRUE((*renderer)->load_scene(scene).ok());
  scene::AnimationPlayer player(tree);
  player.play(0);
  std::vector<glm::mat4> world(tree.nodes.size());
  std::vector<float> weights(scene::morph_weight_count(tree));
  auto target = OffscreenTarget::create(**context, {64, 48, 2});
  ASSERT_TRUE(target.ok());
  const std::array<View, 2> eyes{look_at_view({0.4f, 0.6f, 4}, {0.4f, 0.6f, 0}, symmetric_field_of_view(1.0f, 4.0f / 3.0f)),
                                 look_at_view({0.6f, 0.6f, 4}, {0.6f, 0.6f, 0}, symmetric_field_of_view(1.0f, 4.0f / 3.0f))};
  auto frame = [&] {
    player.advance(1.0f / 90.0f);
    player.evaluate(world, {}, weights);
    (*renderer)->pose_instances(tree, world, {}, weights);
    return (*renderer)->render(**target, eyes);
  };
  for (int warm = 0; warm < 4; ++warm) ASSERT_TRUE(frame().ok());

  testing::count_allocations(true);
  for (int index = 0; index < 20; ++index) {
    const auto outcome = frame();
    if (!outcome.ok()) {
      testing::count_allocations(false);
      FAIL() << outcome.error().describe();
    }
  }
  testing::count_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called while animating and morphing";
  EXPECT_EQ((*renderer)->last_frame_stats().morphed_instances, 1u);
}

}  // namespace
}  // namespace pavilion::render
