// Analysing a frame allocates nothing after the first (counted by replacing the global operator
// new in this binary), so the pack's renderer can feed the analyser frame by frame.
#include "clips.h"
#include "counting_new.h"

#include <gtest/gtest.h>

namespace pavilion::flash {
namespace {

TEST(FlashAllocations, FramesAfterTheFirstAllocateNothing) {
  FlashAnalyser analyser(FlashViewing::headset(90, 100));
  ImageRgba8 image(160, 120);
  // Flashing whole-view, in a red patch, and stripes: every rule fails and opens its failure.
  auto paint = [](size_t frame, ImageRgba8& picture) {
    const bool light = test::light_at(frame, 5, 90);
    test::fill(picture, light ? 255 : 0, light ? 255 : 0, light ? 255 : 0);
    test::fill(picture, light ? 255 : 120, 0, 0, 0, 0, 80, 60);
    for (uint32_t x = 0; x < picture.width; x += 16) test::fill(picture, 40, 40, 40, x, 60, 8, 60);
  };
  paint(0, image);
  ASSERT_TRUE(analyser.add_frame(image.width, image.height, image.pixels));
  size_t failing_frames = 0;
  testing::reset_counted_allocations();
  for (size_t frame = 1; frame < 270; ++frame) {
    paint(frame, image);
    testing::count_allocations(true);
    const auto report = analyser.add_frame(image.width, image.height, image.pixels);
    testing::count_allocations(false);
    ASSERT_TRUE(report);
    failing_frames += report->verdict.has_value();
  }
  EXPECT_EQ(testing::counted_allocations(), 0u);
  EXPECT_GT(failing_frames, 200u);
  EXPECT_FALSE(analyser.finish().safe);
}

}  // namespace
}  // namespace pavilion::flash
