// Deep zoom allocates nothing on the frame's thread: neither while tiles stream in during a zoom
// from the spread to 1:1 (choice, staging, eviction, copies) nor once the picture has converged,
// nor while a leaf turns with its pages' pictures.
// Counted by replacing the global operator new in this binary (its own process); the workers
// reading tiles allocate freely beside it.
#include "counting_new.h"
#include "keep_loaded.h"
#include "page_tiles_scene.h"
#include "pavilion/book/leaf_turn.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <array>
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

// A leaf turning over the spread (Renderer::show_turning_leaf each frame, its grid shaped by
// book::LeafTurn into arrays kept here), both faces the pages' pictures, the pages beneath shown:
// its frames allocate nothing, from its first to its landing.
TEST(PageTilesAllocations, ATurningLeafAllocatesNothing) {
  testing::keep_gpu_libraries_loaded();
  const std::filesystem::path folder = testing::page_tiles_folder("page-tiles-leaf-allocations");
  auto source = testing::make_spread_source(folder);
  ASSERT_TRUE(source.ok()) << source.error().describe();
  auto context = GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = Renderer::create(**context, {.shadow_map_size = 256, .page_texture_bytes = 2 << 20,
                                               .page_uploads_per_frame = 4});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_pages(*source).ok());
  for (uint32_t page = 0; page < 2; ++page) (*renderer)->show_page(page, testing::spread_placement(page));
  constexpr uint32_t width = 160;
  constexpr uint32_t height = 120;
  auto target = OffscreenTarget::create(**context, {width, height});
  ASSERT_TRUE(target.ok());
  const View spread = testing::spread_view(width, height);
  for (int frame = 0; frame < 3; ++frame) ASSERT_TRUE((*renderer)->render(**target, {&spread, 1}).ok());

  // The right page's leaf (2 m × 2 m, its spine at x = 0) turning over onto the left page.
  constexpr uint32_t columns = 16;
  constexpr uint32_t rows = 8;
  std::array<glm::vec3, (columns + 1) * (rows + 1)> positions{};
  std::array<glm::vec3, (columns + 1) * (rows + 1)> normals{};
  book::LeafTurn turn({testing::page_metres, testing::page_metres}, book::book_paper,
                      book::ViewingDirection::left_to_right);
  const book::LeafPicture front = book::leaf_picture(book::ViewingDirection::left_to_right, true);
  const book::LeafPicture back = book::leaf_picture(book::ViewingDirection::left_to_right, false);
  TurningLeaf leaf;
  leaf.front = {1, {}, front.origin, front.along_columns, front.along_rows};
  leaf.back = {0, {}, back.origin, back.along_columns, back.along_rows};
  // The book's frame has the pages' bottom edge on its x axis, a millimetre above them.
  leaf.transform = glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, -0.5f * testing::page_metres, 0.001f));
  leaf.columns = columns;
  leaf.rows = rows;
  leaf.positions = positions;
  leaf.normals = normals;

  testing::reset_counted_allocations();
  testing::count_this_threads_allocations(true);
  turn.turn_over();
  int frames = 0;
  for (; frames < 120 && turn.moving(); ++frames) {
    turn.advance(1.0f / 60.0f);
    book::shape_leaf(turn.shape(), turn.size(), turn.direction(), columns, rows, positions, normals);
    (*renderer)->show_turning_leaf(leaf);
    const auto outcome = (*renderer)->render(**target, {&spread, 1});
    if (!outcome.ok()) {
      testing::count_this_threads_allocations(false);
      FAIL() << outcome.error().describe();
    }
    (*renderer)->wait_for_page_reads();
  }
  (*renderer)->hide_turning_leaf();
  testing::count_this_threads_allocations(false);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called during a leaf's turn";
  EXPECT_GT(frames, 20) << "the leaf turned over frames";
  EXPECT_FALSE(turn.moving()) << "and landed";
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace pavilion::render
