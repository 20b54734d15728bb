// Steady frames of a show allocate nothing: ShowPlayer::update, ShowStage::apply (a clip starting
// and playing, the light ramp, the camera move, a burst of sparks) and the render, counted by replacing the global
// operator new in this test binary.
#include "counting_new.h"
#include "keep_loaded.h"
#include "pavilion/exhibits/show_stage.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "show_stage_scene.h"

#include <gtest/gtest.h>

namespace pavilion::testing {
namespace {

TEST(ShowStageAllocations, SteadyShowFramesAllocateNothing) {
  keep_gpu_libraries_loaded();
  // Without the validation layer, whose own bookkeeping allocates per call.
  auto context = render::GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = render::Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  const scene::Scene scene = show_stage_scene_with_burst();
  ASSERT_TRUE((*renderer)->load_scene(scene.render).ok());
  auto target = render::OffscreenTarget::create(**context, {64, 48});
  ASSERT_TRUE(target.ok());
  auto stage = exhibits::ShowStage::create(scene);
  ASSERT_TRUE(stage.ok()) << stage.error().describe();
  ASSERT_TRUE(stage->load_particles(**renderer, 7).ok());
  scene::ShowPlayer player(*scene.show, {.loop = true});

  // The first frames (before the clip's cue at 0.5 s) set up the renderer's buffers.
  int frame = 0;
  const auto play_frame = [&]() {
    const scene::ShowFrame& played = player.update(frame * static_cast<double>(show_frame_seconds));
    stage->apply(played, show_frame_seconds, **renderer);
    const render::View view = exhibits::show_view(exhibits::show_camera(played, scene), 64.0f / 48.0f);
    ++frame;
    return (*renderer)->render(**target, {&view, 1});
  };
  for (; frame < 6;) ASSERT_TRUE(play_frame().ok());

  // From 0.2 s through the clip's start, the burst at 1 s and the show's loop at 4 s, to 4.5 s.
  count_allocations(true);
  while (frame < 135) {
    const auto outcome = play_frame();
    if (!outcome.ok()) {
      count_allocations(false);
      FAIL() << outcome.error().describe();
    }
  }
  count_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(counted_allocations(), 0u) << "operator new was called while the show played";
  EXPECT_EQ(stage->exhibits_animated(), 1u);
}

}  // namespace
}  // namespace pavilion::testing
