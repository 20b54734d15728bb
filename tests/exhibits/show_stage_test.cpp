// ShowStage: a show's frames acted on in the renderer. A box lifted and turned by a clip, a light
// ramp and a camera move, played against a 30 fps clock and drawn at three times of the show into
// one golden strip; the frames differ where the show changes them; a show naming what the scene
// lacks is refused.
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/exhibits/show_stage.h"
#include "show_stage_scene.h"

#include <array>

namespace pavilion::testing {
namespace {

constexpr uint32_t width = 160;
constexpr uint32_t height = 120;

// Mean of the red channel over the box's middle third of the image's columns and rows.
double mean_red(const ImageRgba8& image) {
  double sum = 0.0;
  size_t count = 0;
  for (uint32_t y = height / 3; y < 2 * height / 3; ++y) {
    for (uint32_t x = width / 3; x < 2 * width / 3; ++x, ++count) sum += image.at(x, y)[0];
  }
  return sum / static_cast<double>(count);
}

class ShowStageTest : public GpuTest {};

// At 0 s: the box at rest, lit dimly, from the front. At 1.5 s: the clip half played (the box
// risen and turned 45°), the light brighter and redder, the camera half way round. At 3 s: the
// clip over (held at its last pose), the light at its last key, the camera at its last.
TEST_F(ShowStageTest, PlaysAClipALightRampAndACameraMoveIntoGoldenFrames) {
  const scene::Scene scene = show_stage_scene();
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(scene.render).ok());
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok()) << target.error().describe();
  auto stage = exhibits::ShowStage::create(scene);
  ASSERT_TRUE(stage.ok()) << stage.error().describe();
  scene::ShowPlayer player(*scene.show, {.loop = false});

  constexpr std::array<int, 3> drawn_frames{0, 45, 90};  // 0, 1.5 and 3 s at 30 fps
  ImageRgba8 strip(width * 3, height);
  std::array<ImageRgba8, 3> frames;
  size_t next = 0;
  for (int frame = 0; frame <= drawn_frames.back(); ++frame) {
    const scene::ShowFrame& played = player.update(frame * static_cast<double>(show_frame_seconds));
    stage->apply(played, frame == 0 ? 0.0f : show_frame_seconds, **renderer);
    if (frame != drawn_frames[next]) continue;
    const render::View view = exhibits::show_view(exhibits::show_camera(played, scene), static_cast<float>(width) / height);
    frames[next] = render_frame(**renderer, **target, {&view, 1});
    for (uint32_t row = 0; row < height; ++row) {
      std::copy_n(frames[next].at(0, row), width * 4, strip.at(width * static_cast<uint32_t>(next), row));
    }
    ++next;
  }
  EXPECT_EQ(stage->exhibits_animated(), 1u) << "the clamped clip holds its last pose";
  EXPECT_TRUE(matches_golden(strip, "show_stage_strip", {.channel = 16, .differing_fraction = 0.01}));
  // The light ramp reaches the picture: the middle grows redder and brighter.
  EXPECT_GT(mean_red(frames[1]), mean_red(frames[0]) + 20.0);
  EXPECT_GT(mean_red(frames[2]), mean_red(frames[1]) + 20.0);
  EXPECT_GT(compare_images(frames[0], frames[1], 16).differing_pixels, 2'000u);
}

// A clip cue with a duration stops its clip at its end: half way through, the box is not where a
// show without the clip has it; after the end, the two shows' frames are the same.
TEST_F(ShowStageTest, AClipWithADurationReturnsToItsRestPoseAtItsEnd) {
  scene::Scene scene = show_stage_scene();
  scene.show->tracks[1].cues[0].duration = 1.0f;  // from 0.5 s to 1.5 s
  scene::Scene still = scene;
  still.show->tracks[1].cues.clear();
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  const auto draw_at = [&](const scene::Scene& played_scene, int last_frame) {
    EXPECT_TRUE(renderer->get()->load_scene(played_scene.render).ok());
    auto stage = exhibits::ShowStage::create(played_scene);
    EXPECT_TRUE(stage.ok());
    scene::ShowPlayer player(*played_scene.show, {.loop = false});
    render::View view;
    for (int frame = 0; frame <= last_frame; ++frame) {
      const scene::ShowFrame& played = player.update(frame * static_cast<double>(show_frame_seconds));
      stage->apply(played, frame == 0 ? 0.0f : show_frame_seconds, **renderer);
      view = exhibits::show_view(exhibits::show_camera(played, played_scene), static_cast<float>(width) / height);
    }
    return render_frame(**renderer, **target, {&view, 1});
  };
  // Half way through the clip the box has moved; after its end it is back where it rests.
  EXPECT_GT(compare_images(draw_at(scene, 30), draw_at(still, 30), 16).differing_pixels, 200u);
  EXPECT_EQ(compare_images(draw_at(scene, 60), draw_at(still, 60), 16).differing_pixels, 0u);
}

// A clip that keys morph weights plays them: the box, given a target that stretches its top 0.5 m
// up, is stretched half way 1 s into its clip (the weights reach the renderer through ShowStage),
// where the same show whose clip keys no weights draws it at rest.
TEST_F(ShowStageTest, AClipPlaysItsMorphTargetWeights) {
  scene::Scene still = show_stage_scene();
  scene::MeshData& box = still.render.meshes[0];
  for (const scene::PackedVertex& vertex : box.vertices) {
    box.morph_deltas.push_back(scene::pack_morph_delta({0.0f, vertex.position[1] > 0.0f ? 0.5f : 0.0f, 0.0f}, {}));
  }
  box.morph_weights = {0.0f};
  still.tree.morphs.push_back({1, {0.0f}});
  still.tree.instances[0].morph = 0;
  scene::Scene stretching = still;
  stretching.tree.animations[0].weight_channels.push_back(
      {0, {0.0f, 2.0f}, {0.0f, 1.0f}, scene::Interpolation::linear});
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  const auto draw_at = [&](const scene::Scene& played_scene, int last_frame) {
    EXPECT_TRUE(renderer->get()->load_scene(played_scene.render).ok());
    auto stage = exhibits::ShowStage::create(played_scene);
    EXPECT_TRUE(stage.ok()) << stage.error().describe();
    scene::ShowPlayer player(*played_scene.show, {.loop = false});
    render::View view;
    for (int frame = 0; frame <= last_frame; ++frame) {
      const scene::ShowFrame& played = player.update(frame * static_cast<double>(show_frame_seconds));
      stage->apply(played, frame == 0 ? 0.0f : show_frame_seconds, **renderer);
      view = exhibits::show_view(exhibits::show_camera(played, played_scene), static_cast<float>(width) / height);
    }
    return render_frame(**renderer, **target, {&view, 1});
  };
  const ImageRgba8 at_rest = draw_at(still, 45);
  EXPECT_EQ((*renderer)->last_frame_stats().morphed_instances, 0u);
  const ImageRgba8 stretched = draw_at(stretching, 45);
  EXPECT_EQ((*renderer)->last_frame_stats().morphed_instances, 1u);
  EXPECT_GT(compare_images(stretched, at_rest, 16).differing_pixels, 200u) << "the box's top is raised 0.25 m";
}

// A burst cue bursts its particle system: at 1.3 s the sparks show over the box, where the same
// show with the system loaded but no burst has none.
TEST_F(ShowStageTest, ABurstCueFiresItsParticleSystem) {
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  const auto draw_at = [&](const scene::Scene& played_scene, int last_frame) {
    EXPECT_TRUE(renderer->get()->load_scene(played_scene.render).ok());
    auto stage = exhibits::ShowStage::create(played_scene);
    EXPECT_TRUE(stage.ok()) << stage.error().describe();
    EXPECT_TRUE(stage->load_particles(**renderer, 7).ok());
    scene::ShowPlayer player(*played_scene.show, {.loop = false});
    render::View view;
    for (int frame = 0; frame <= last_frame; ++frame) {
      const scene::ShowFrame& played = player.update(frame * static_cast<double>(show_frame_seconds));
      stage->apply(played, frame == 0 ? 0.0f : show_frame_seconds, **renderer);
      view = exhibits::show_view(exhibits::show_camera(played, played_scene), static_cast<float>(width) / height);
    }
    return render_frame(**renderer, **target, {&view, 1});
  };
  const scene::Scene bursting = show_stage_scene_with_burst();
  scene::Scene quiet = bursting;
  quiet.show->tracks.pop_back();
  EXPECT_EQ(compare_images(draw_at(bursting, 25), draw_at(quiet, 25), 16).differing_pixels, 0u)
      << "nothing before the burst's cue";
  EXPECT_GT(compare_images(draw_at(bursting, 40), draw_at(quiet, 40), 16).differing_pixels, 30u)
      << "the sparks after it";
}

TEST(ShowStageCreate, RefusesAShowNamingWhatTheSceneLacks) {
  scene::Scene scene = show_stage_scene();
  scene.show->tracks[1].cues[0].animation = 3;
  auto refused = exhibits::ShowStage::create(scene);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().describe().find("show.tracks[1].cues[0] plays clip 3, but the scene's tree has 1 clips"),
            std::string::npos)
      << refused.error().describe();
  scene = show_stage_scene();
  scene.exhibits[0].instance_count = 0;
  refused = exhibits::ShowStage::create(scene);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().describe().find("exhibit 'lantern', which draws nothing"), std::string::npos);
  scene = show_stage_scene_with_burst();
  scene.particles.clear();
  refused = exhibits::ShowStage::create(scene);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().describe().find("show.tracks[3].cues[0] bursts particle system 0, but the scene has 0"),
            std::string::npos)
      << refused.error().describe();
  scene = show_stage_scene();
  scene.show.reset();
  EXPECT_FALSE(exhibits::ShowStage::create(scene).ok());
}

TEST(ShowStageView, TheCameraIsTheMovesOnceStartedElseTheFirstViewpoint) {
  const scene::Scene scene = show_stage_scene();
  scene::ShowFrame frame;
  EXPECT_EQ(exhibits::show_camera(frame, scene).position, scene.viewpoints[0].position);
  frame.has_camera = true;
  frame.camera.position = {1.0f, 2.0f, 3.0f};
  frame.camera.vertical_fov_degrees = 90.0f;
  EXPECT_EQ(exhibits::show_camera(frame, scene).position, frame.camera.position);
  const render::View view = exhibits::show_view(frame.camera, 2.0f);
  EXPECT_NEAR(view.projection[1][1], -1.0f, 1e-5f) << "90° vertically: tan 45° = 1 (Vulkan's y points down)";
  EXPECT_NEAR(view.projection[0][0], 0.5f, 1e-5f);
  const glm::vec3 eye = render::view_position(view);
  EXPECT_NEAR(eye.x, 1.0f, 1e-4f);
  EXPECT_NEAR(eye.z, 3.0f, 1e-4f);
}

}  // namespace
}  // namespace pavilion::testing
