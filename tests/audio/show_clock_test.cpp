// A show played against a real playback clock: looping music through OpenAL Soft's loopback
// device, its Voice's clock fed to a ShowPlayer every frame, and each cue reported within one
// frame of when the music reaches it, pass after pass.
#include "pavilion/audio/device.h"
#include "pavilion/audio/voice.h"
#include "pavilion/scene/show.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

namespace pavilion::audio {
namespace {

constexpr uint32_t rate = 48'000;

TEST(AudioShowClock, CuesLandWithinOneFrameOfTheMusicAt60And90Fps) {
  // Two seconds of music (a quiet hum), looping, and a gong at uneven times.
  const double length = 2.0;
  std::vector<int16_t> music(static_cast<size_t>(length * rate));
  for (size_t i = 0; i < music.size(); ++i) {
    music[i] = static_cast<int16_t>(std::lround(3000 * std::sin(2 * 3.14159265358979 * 220 * double(i) / rate)));
  }
  scene::Show show;
  show.duration = static_cast<float>(length);
  scene::ShowTrack gongs{"gongs", {}};
  for (const float start : {0.0f, 0.137f, 0.4513f, 0.8871f, 1.2345f, 1.7013f, 1.9917f}) {
    scene::ShowCue cue;
    cue.kind = scene::CueKind::sound;
    cue.start = start;
    gongs.cues.push_back(cue);
  }
  show.tracks.push_back(gongs);

  for (const double fps : {60.0, 90.0}) {
    SCOPED_TRACE(testing::Message() << fps << " fps");
    auto device = AudioDevice::open_loopback({.sample_rate = rate});
    ASSERT_TRUE(device.ok()) << device.error().describe();
    auto voice = (*device)->play(memory_stream(music, rate, 1), {.spatial = false, .loop = true}, true);
    ASSERT_TRUE(voice.ok()) << voice.error().describe();
    scene::ShowPlayer player(show, {.clock_period = (*voice)->duration_seconds()});

    std::vector<float> block(240 * 2);
    uint64_t rendered = 0;
    std::map<uint32_t, int> starts;
    double earliest = 1.0;
    double latest = -1.0;
    const double frame = 1.0 / fps;
    const int frames = static_cast<int>((5 * length + 0.05) * fps);  // five passes and a little
    for (int index = 1; index <= frames; ++index) {
      // The sound card mixes in 5 ms periods; a frame sees whatever periods have passed.
      const uint64_t before = rendered;
      while (static_cast<double>(rendered) < index * frame * rate) {
        (*device)->render(block);
        rendered += 240;
      }
      ASSERT_TRUE((*voice)->update(static_cast<double>(rendered - before) / rate).ok());
      const double heard = static_cast<double>(rendered) / rate;
      for (const scene::ShowEvent& event : player.update((*voice)->playback_seconds()).events) {
        const double pass = std::floor(event.play_seconds / length + 1e-6);
        if (pass < 5) ++starts[event.cue];
        const double due = pass * length + show.tracks[0].cues[event.cue].start;
        earliest = std::min(earliest, heard - due);
        latest = std::max(latest, heard - due);
      }
    }
    // Heard within a frame after it was due, give or take the clock's 20 ms against the output.
    EXPECT_GE(earliest, -0.020);
    EXPECT_LE(latest, frame + 0.020);
    ASSERT_EQ(starts.size(), gongs.cues.size());
    for (const auto& [cue, count] : starts) EXPECT_EQ(count, 5) << "cue " << cue;
  }
}

}  // namespace
}  // namespace pavilion::audio
