// Deep zoom allocates nothing on the frame's thread: neither while tiles stream in during a zoom
// from the spread to 1:1 (choice, staging, eviction, copies) nor once the picture has converged.
// Counted by replacing the global operator new in this binary (its own process); the workers
// reading tiles allocate freely beside it.
#include "counting_new.h"
#include "keep_loaded.h"
#include "page_tiles_scene.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pavilion::render {
namespace {

TEST(PageTilesAllocations, ZoomingAndSteadyFramesAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  const std::filesystem::path folder = testing::page_tiles_folder("page-tiles-allocations");
  auto source = testing::make_spread_source(folder);
  ASSERT_TRUE(source.ok()) << source.error().describe();
  // Without the validation layer, whose own bookkeeping allocates per call.
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  // A small budget, so the zoom evicts too.
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256, .page_texture_bytes = 2 << 20,
                                               .page_uploads_per_frame = 4});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_pages(*source).ok());
  for (uint32_t page = 0; page < 2; ++page) (*renderer)->show_page(page, testing::spread_placement(page));
  constexpr uint32_t width = 160;
  constexpr uint32_t height = 120;
  auto target = OffscreenTarget::create(**context, {width, height});
  ASSERT_TRUE(target.ok());
  // The first frames build the page pipeline.
  const View spread = testing::spread_view(width, height);
  for (int frame = 0; frame < 3; ++frame) ASSERT_TRUE((*renderer)->render(**target, {&spread, 1}).ok());

  // From the spread down to 1:1 over 24 frames, then 20 frames still.
  const View close = testing::one_to_one_view(width, height, {-1.3f, 0.2f});
  testing::count_this_threads_allocations(true);
  for (int frame = 0; frame <= 44; ++frame) {
    const float along = std::min(1.0f, static_cast<float>(frame) / 24.0f);
    View view = spread;
    view.view = glm::mat4(0.0f);
    for (int column = 0; column < 4; ++column) view.view[column] = glm::mix(spread.view[column], close.view[column], along);
    const auto outcome = (*renderer)->render(**target, {&view, 1});
    if (!outcome.ok()) {
      testing::count_this_threads_allocations(false);
      FAIL() << outcome.error().describe();
    }
    (*renderer)->wait_for_page_reads();
  }
  testing::count_this_threads_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called during deep-zoom frames";
  const PageTileStats stats = (*renderer)->page_tile_stats();
  EXPECT_TRUE(stats.converged());
  EXPECT_GT(stats.uploads, stats.pinned_tiles + 10) << "tiles streamed in while counting";
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace pavilion::render
