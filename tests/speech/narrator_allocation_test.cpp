// The narrator's update() on the frame thread allocates nothing while nothing new is said: on
// idle frames, and on the frames of a line being heard after the one it started on (the kiosk's
// allocation test counts every frame's heap allocations). Synchronous (scripted visits) and not
// (real kiosks: there the synthesis thread allocates as it makes the sound, so only the frame
// thread's allocations are counted).
#include "counting_new.h"
#include "pavilion/audio/device.h"
#include "pavilion/speech/narrator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace pavilion::speech {
namespace {

void expect_frames_allocate_nothing(bool synchronous) {
  auto device = audio::AudioDevice::open_loopback({.sample_rate = 48'000});
  ASSERT_TRUE(device.ok()) << device.error().describe();
  auto narrator = Narrator::open(**device, {.synchronous = synchronous});
  ASSERT_TRUE(narrator.ok()) << narrator.error().describe();
  std::vector<float> block(800 * 2);
  double now = 0;
  const auto frame = [&] {
    EXPECT_TRUE((*narrator)->update(now, 1.0 / 60).ok());
    (*device)->render(block);
    now += 1.0 / 60;
  };
  // Counts the frame thread's allocations over `count` frames (update, then mix).
  const auto frames = [&](int count) {
    testing::reset_counted_allocations();
    testing::count_this_threads_allocations(true);
    for (int index = 0; index < count; ++index) frame();
    testing::count_this_threads_allocations(false);
    return testing::counted_allocations();
  };

  EXPECT_EQ(frames(30), 0u) << "idle";
  (*narrator)->say("Help: up and down move between the controls", "en", false, now);
  // The line starts: its voice and stream are made (not counted). Without waiting, that is once
  // its head start is made: a few milliseconds, polled for at most two seconds.
  for (int tries = 0; tries < 1000 && (*narrator)->current() == nullptr; ++tries) {
    frame();
    if ((*narrator)->current() == nullptr) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_NE((*narrator)->current(), nullptr) << "not started";
  EXPECT_EQ(frames(60), 0u) << "while the line is heard";
  ASSERT_TRUE((*narrator)->speaking()) << "the line should still be heard";
  (*narrator)->set_volume(0.5f);
  EXPECT_EQ(frames(240), 0u) << "to the line's end and after";
  EXPECT_FALSE((*narrator)->speaking());
  ASSERT_EQ((*narrator)->history().size(), 1u);
  EXPECT_GT((*narrator)->history()[0].ended_at, 1.0);
  EXPECT_FALSE((*narrator)->history()[0].cut_short);
}

TEST(SpeechNarratorAllocation, UpdateAllocatesNothingWhileNothingNewIsSaid) { expect_frames_allocate_nothing(true); }

TEST(SpeechNarratorAllocation, WithoutWaitingTheFrameThreadAllocatesNothingEither) {
  expect_frames_allocate_nothing(false);
}

}  // namespace
}  // namespace pavilion::speech
