// No heap allocation per frame in steady state: counted by replacing the global operator new in
// this test binary (its own process, so no other test sees the counter).
#include "counting_new.h"
#include "keep_loaded.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

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

}  // namespace
}  // namespace pavilion::render
