// The narrator's update() on the frame thread allocates nothing while nothing new is said: on
// idle frames, and on the frames of a line being heard after the one it started on (the kiosk's
// allocation test counts every frame's heap allocations).
#include "counting_new.h"
#include "pavilion/audio/device.h"
#include "pavilion/speech/narrator.h"

#include <gtest/gtest.h>

namespace pavilion::speech {
namespace {

TEST(SpeechNarratorAllocation, UpdateAllocatesNothingWhileNothingNewIsSaid) {
  auto device = audio::AudioDevice::open_loopback({.sample_rate = 48'000});
  ASSERT_TRUE(device.ok()) << device.error().describe();
  auto narrator = Narrator::open(**device, {.synchronous = true});
  ASSERT_TRUE(narrator.ok()) << narrator.error().describe();
  std::vector<float> block(800 * 2);
  double now = 0;
  // Counts the allocations of `frames` frames (update, then mix).
  const auto frames = [&](int count) {
    testing::reset_counted_allocations();
    testing::count_allocations(true);
    for (int frame = 0; frame < count; ++frame) {
      EXPECT_TRUE((*narrator)->update(now, 1.0 / 60).ok());
      (*device)->render(block);
      now += 1.0 / 60;
    }
    testing::count_allocations(false);
    return testing::counted_allocations();
  };

  EXPECT_EQ(frames(30), 0u) << "idle";
  (*narrator)->say("Help: up and down move between the controls", "en", false, now);
  frames(1);  // the line starts: its voice and stream are made
  ASSERT_TRUE((*narrator)->speaking());
  EXPECT_EQ(frames(60), 0u) << "while the line is heard";
  ASSERT_TRUE((*narrator)->speaking()) << "the line should still be heard";
  (*narrator)->set_volume(0.5f);
  EXPECT_EQ(frames(240), 0u) << "to the line's end and after";
  EXPECT_FALSE((*narrator)->speaking());
  ASSERT_EQ((*narrator)->history().size(), 1u);
  EXPECT_GT((*narrator)->history()[0].ended_at, 1.0);
}

}  // namespace
}  // namespace pavilion::speech
