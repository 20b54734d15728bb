// A foldout unfolding allocates nothing on the frame's thread: the player's BookFoldout laying its
// panels each frame (lay_foldout, the fit, the zoom's placements) and the renderer drawing them
// (Renderer::show_foldout: tiles chosen per panel, one draw each), from folded to open and back.
// Counted by replacing the global operator new in this binary (its own process).
#include "counting_new.h"
#include "exhibits/book/book_foldout.h"
#include "exhibits/book/book_zoom.h"
#include "foldout_pages.h"
#include "keep_loaded.h"

#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/view.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

namespace pavilion::kiosk {
namespace {

TEST(BookFoldoutAllocations, UnfoldingAndFoldingAllocateNothing) {
  testing::keep_gpu_libraries_loaded();
  // Without the validation layer, whose own bookkeeping allocates per call.
  auto context = render::GpuContext::create({});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = render::Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_pages(std::make_shared<testing::FoldoutBookPages>()).ok());
  const scene::Book book = testing::foldout_book();
  const book::Openings openings = book.openings();
  BookFoldout foldout;
  BookZoom zoom;
  foldout.follow(book, openings, 1, 0.3f);
  ASSERT_TRUE(foldout.present());
  constexpr uint32_t width = 160;
  constexpr uint32_t height = 96;
  auto target = render::OffscreenTarget::create(**context, {width, height});
  ASSERT_TRUE(target.ok());
  const render::View view = render::look_at_view(
      {0.05f, 0.15f, 0.6f}, {0.0f, 0.15f, 0.0f},
      render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(width) / height));
  const auto frame = [&] {
    zoom.begin_layout();
    foldout.show(**renderer, zoom, foldout.fit(book, openings.sequence[1]), glm::mat4(1.0f));
    return (*renderer)->render(**target, {&view, 1});
  };
  // The first frames build the page pipeline.
  for (int warm = 0; warm < 3; ++warm) ASSERT_TRUE(frame().ok());

  testing::reset_counted_allocations();
  testing::count_this_threads_allocations(true);
  int frames = 0;
  bool failed = false;
  foldout.open();
  for (const bool opening : {true, false}) {
    if (!opening) foldout.fold();
    while (frames < 200 && foldout.advance(1.0 / 60.0, false)) {
      ++frames;
      if (!frame().ok()) failed = true;
      (*renderer)->wait_for_page_reads();
    }
  }
  testing::count_this_threads_allocations(false);
  ASSERT_FALSE(failed);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  EXPECT_EQ(testing::counted_allocations(), 0u) << "operator new was called while the foldout unfolded";
  EXPECT_GE(frames, 70) << "0.6 s each way at 60 frames a second";
  EXPECT_TRUE(foldout.folded());
}

}  // namespace
}  // namespace pavilion::kiosk
