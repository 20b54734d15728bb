// What a listener hears, through OpenAL Soft's loopback device: sides, timing, pauses, fades.
#include "pavilion/audio/device.h"
#include "pavilion/audio/timeline.h"
#include "pavilion/audio/voice.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>

namespace pavilion::audio {
namespace {

constexpr uint32_t device_rate = 48'000;

std::vector<int16_t> tone(uint32_t rate, double seconds, double frequency = 440, double amplitude = 0.5) {
  std::vector<int16_t> samples(static_cast<size_t>(seconds * rate));
  for (size_t i = 0; i < samples.size(); ++i) {
    const double phase = 2 * std::numbers::pi * frequency * static_cast<double>(i) / rate;
    samples[i] = static_cast<int16_t>(std::lround(std::sin(phase) * amplitude * 32767));
  }
  return samples;
}

struct Heard {
  double left = 0;   // root mean square
  double right = 0;
};

class AudioLoopbackTest : public ::testing::Test {
 protected:
  void open(Hrtf hrtf = Hrtf::off) {
    auto opened = AudioDevice::open_loopback({.sample_rate = device_rate, .hrtf = hrtf});
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    device = std::move(*opened);
    ASSERT_TRUE(device->set_listener({0, 0, 0}, {0, 0, -1}, {0, 1, 0}).ok());
  }

  std::unique_ptr<Voice> play(std::span<const int16_t> samples, uint32_t rate, const VoiceOptions& options,
                              bool start = true) {
    auto voice = device->play(memory_stream(samples, rate, 1), options, start);
    EXPECT_TRUE(voice.ok()) << voice.error().describe();
    return voice.ok() ? std::move(*voice) : nullptr;
  }

  // Mixes `seconds` in 5 ms pieces (a sound card's period), updating the voice every 16 ms (a
  // frame); returns the loudness of each channel.
  Heard listen(Voice& voice, double seconds) {
    const auto frames = static_cast<size_t>(seconds * device_rate);
    std::vector<float> block(240 * 2);
    Heard heard;
    size_t since_update = 0;
    for (size_t done = 0; done < frames; done += 240) {
      device->render(block);
      rendered += 240;
      for (size_t i = 0; i < block.size(); i += 2) {
        heard.left += double{block[i]} * block[i];
        heard.right += double{block[i + 1]} * block[i + 1];
      }
      since_update += 240;
      if (since_update >= 768) {
        EXPECT_TRUE(voice.update(static_cast<double>(since_update) / device_rate).ok());
        since_update = 0;
      }
    }
    heard.left = std::sqrt(heard.left / static_cast<double>(frames));
    heard.right = std::sqrt(heard.right / static_cast<double>(frames));
    return heard;
  }

  std::unique_ptr<AudioDevice> device;
  uint64_t rendered = 0;  // frames mixed so far
};

class AudioSidesTest : public AudioLoopbackTest, public ::testing::WithParamInterface<Hrtf> {};

TEST_P(AudioSidesTest, ASourceOnTheLeftIsLouderInTheLeftEarAndOnTheRightInTheRight) {
  open(GetParam());
  ASSERT_EQ(device->hrtf(), GetParam() == Hrtf::on);
  // 2 kHz: high enough for the head to shadow the far ear, as it does for speech's consonants.
  const std::vector<int16_t> samples = tone(device_rate, 1.0, 2000);
  {
    auto left = play(samples, device_rate, {.position = {-2, 0, 0}});
    const Heard heard = listen(*left, 0.5);
    EXPECT_GT(heard.left, 0.02);
    EXPECT_GT(heard.left, 2 * heard.right) << "left " << heard.left << ", right " << heard.right;
  }
  {
    auto right = play(samples, device_rate, {.position = {2, 0, 0}});
    const Heard heard = listen(*right, 0.5);
    EXPECT_GT(heard.right, 2 * heard.left) << "left " << heard.left << ", right " << heard.right;
  }
  {
    // Twice as far is half as loud.
    auto near = play(samples, device_rate, {.position = {0, 0, -1}});
    const Heard close_by = listen(*near, 0.3);
    near.reset();
    auto far = play(samples, device_rate, {.position = {0, 0, -2}});
    const Heard far_away = listen(*far, 0.3);
    EXPECT_NEAR(far_away.left / close_by.left, 0.5, 0.1);
  }
}

INSTANTIATE_TEST_SUITE_P(Audio, AudioSidesTest, ::testing::Values(Hrtf::off, Hrtf::on),
                         [](const auto& test) { return test.param == Hrtf::on ? "hrtf" : "panning"; });

TEST_F(AudioLoopbackTest, TheHighlightFollowsWhatIsHeardWithin20Milliseconds) {
  open();
  // A recitation at espeak-ng's 22 050 Hz: eight syllables, each a 300 ms tone, 200 ms apart.
  constexpr uint32_t rate = 22'050;
  std::vector<Cue> cues;
  std::vector<int16_t> samples(static_cast<size_t>(4.2 * rate), 0);
  for (int syllable = 0; syllable < 8; ++syllable) {
    const double start = 0.1 + 0.5 * syllable;
    cues.push_back({start, start + 0.3});
    const std::vector<int16_t> voice_part = tone(rate, 0.3, 300 + 40 * syllable);
    std::copy(voice_part.begin(), voice_part.end(), samples.begin() + static_cast<ptrdiff_t>(start * rate));
  }
  ASSERT_FALSE(find_timing_problem(cues, 4.2, 8).has_value());
  const RecitationTimeline timeline(cues);
  auto voice = play(samples, rate, {.spatial = false});

  // Each 16 ms frame: what the clock says against what has come out of the device.
  std::vector<float> block(240 * 2);
  double worst = 0;
  size_t mismatches_far_from_a_boundary = 0;
  std::vector<double> onsets;  // when the output turns loud, as a listener would notice
  bool loud = false;
  for (int frame = 0; frame < 250; ++frame) {
    for (int piece = 0; piece < 3; ++piece) {
      device->render(block);
      for (size_t i = 0; i < block.size(); i += 2) {
        const bool now_loud = std::abs(block[i]) > 0.05f;
        if (now_loud && !loud) onsets.push_back(static_cast<double>(rendered + i / 2) / device_rate);
        // Loud until a quiet stretch longer than a period of the lowest tone.
        if (now_loud) loud = true;
      }
      rendered += 240;
      float peak = 0;
      for (const float sample : block) peak = std::max(peak, std::abs(sample));
      if (peak < 0.01f) loud = false;
    }
    ASSERT_TRUE(voice->update(720.0 / device_rate).ok());
    const double heard = static_cast<double>(rendered) / device_rate;
    const double clock = voice->playback_seconds();
    if (voice->finished()) break;
    worst = std::max(worst, std::abs(clock - heard));
    const bool near_boundary = std::any_of(cues.begin(), cues.end(), [&](const Cue& cue) {
      return std::abs(cue.start - heard) < 0.02 || std::abs(cue.end - heard) < 0.02;
    });
    if (timeline.unit_at(clock) != timeline.unit_at(heard) && !near_boundary) ++mismatches_far_from_a_boundary;
  }
  EXPECT_LT(worst, 0.020) << "the clock strayed " << worst * 1000 << " ms from what was heard";
  EXPECT_EQ(mismatches_far_from_a_boundary, 0u);
  // And the sound itself is where the timings say.
  ASSERT_EQ(onsets.size(), cues.size());
  for (size_t i = 0; i < cues.size(); ++i) EXPECT_NEAR(onsets[i], cues[i].start, 0.020) << "syllable " << i;
}

TEST_F(AudioLoopbackTest, PausingHoldsTheClockAndSilenceUntilResumed) {
  open();
  const std::vector<int16_t> samples = tone(device_rate, 2.0);
  auto voice = play(samples, device_rate, {.spatial = false});
  listen(*voice, 0.4);
  ASSERT_TRUE(voice->pause().ok());
  const double paused_at = voice->playback_seconds();
  EXPECT_NEAR(paused_at, 0.4, 0.02);
  const Heard silence = listen(*voice, 0.3);
  EXPECT_LT(silence.left, 0.001);
  EXPECT_DOUBLE_EQ(voice->playback_seconds(), paused_at);
  ASSERT_TRUE(voice->resume().ok());
  const Heard again = listen(*voice, 0.3);
  EXPECT_GT(again.left, 0.1);
  EXPECT_NEAR(voice->playback_seconds(), 0.7, 0.02);
  // Replay: back to the start.
  ASSERT_TRUE(voice->restart().ok());
  EXPECT_DOUBLE_EQ(voice->playback_seconds(), 0.0);
  EXPECT_FALSE(voice->playing());
}

TEST_F(AudioLoopbackTest, AShortSoundFinishesAndItsClockStopsAtItsEnd) {
  open();
  const std::vector<int16_t> samples = tone(device_rate, 0.25);
  auto voice = play(samples, device_rate, {.spatial = false});
  listen(*voice, 0.6);
  EXPECT_TRUE(voice->finished());
  EXPECT_NEAR(voice->playback_seconds(), 0.25, 1e-6);
}

TEST_F(AudioLoopbackTest, AnAmbientBedLoopsWithoutEndAndFadesIn) {
  open();
  const std::vector<int16_t> samples = tone(device_rate, 0.25, 220);
  auto bed = play(samples, device_rate, {.spatial = false, .gain = 0.0f, .loop = true});
  bed->fade_to(1.0f, 1.0);
  const Heard start = listen(*bed, 0.2);
  listen(*bed, 0.8);
  const Heard full = listen(*bed, 0.3);
  EXPECT_FLOAT_EQ(bed->gain(), 1.0f);
  EXPECT_LT(start.left * 3, full.left) << "start " << start.left << ", full " << full.left;
  EXPECT_FALSE(bed->finished());
  EXPECT_LT(bed->playback_seconds(), 0.25);
  // Fading out takes it to silence.
  bed->fade_to(0.0f, 0.2);
  listen(*bed, 0.3);
  const Heard after = listen(*bed, 0.2);
  EXPECT_LT(after.left, 0.001);
  // A fade over no time is a step.
  bed->fade_to(1.0f, 0.0);
  EXPECT_GT(listen(*bed, 0.2).left, full.left * 0.9);
  bed->fade_to(0.0f, 0.0);
  listen(*bed, 0.05);  // until the next update() and OpenAL's own few-millisecond ramp
  EXPECT_LT(listen(*bed, 0.2).left, 0.001);
}

TEST_F(AudioLoopbackTest, AStereoSoundCannotBePlacedInTheScene) {
  open();
  // Nor can an empty one (looping, it would spin for ever looking for a sample) or a surround one.
  const std::vector<int16_t> nothing;
  EXPECT_FALSE(device->play(memory_stream(nothing, device_rate, 1), {.loop = true}).ok());
  const std::vector<int16_t> six_channels(6 * 480, 0);
  EXPECT_FALSE(device->play(memory_stream(six_channels, device_rate, 6), {.spatial = false}).ok());
  const std::vector<int16_t> stereo(9600, 0);
  auto voice = device->play(memory_stream(stereo, device_rate, 2), {.spatial = true});
  ASSERT_FALSE(voice.ok());
  EXPECT_NE(voice.error().describe().find("must be mono"), std::string::npos) << voice.error().describe();
}

TEST(AudioStream, SoundFilesDecodeWhileTheyPlayAndBrokenOnesSayWhy) {
  testing::TemporaryFolder folder;
  const std::vector<int16_t> samples = tone(device_rate, 0.5);
  for (const int format : {SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_FLAC | SF_FORMAT_PCM_16,
                           SF_FORMAT_OGG | SF_FORMAT_VORBIS, SF_FORMAT_OGG | SF_FORMAT_OPUS}) {
    const std::filesystem::path path = folder / ("recitation" + std::to_string(format));
    SF_INFO info{.frames = 0, .samplerate = device_rate, .channels = 1, .format = format, .sections = 0, .seekable = 0};
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
    sf_writef_short(file, samples.data(), static_cast<sf_count_t>(samples.size()));
    sf_close(file);

    auto stream = open_sound_file(path);
    ASSERT_TRUE(stream.ok()) << stream.error().describe();
    EXPECT_EQ((*stream)->channels(), 1u);
    std::vector<int16_t> decoded(samples.size() * 2);
    size_t total = 0;
    for (;;) {
      auto read = (*stream)->read(std::span(decoded).subspan(total, 1000));
      ASSERT_TRUE(read.ok()) << read.error().describe();
      if (*read == 0) break;
      total += *read;
    }
    EXPECT_NEAR(static_cast<double>(total), static_cast<double>(samples.size()), 0.02 * device_rate) << format;
    if ((format & SF_FORMAT_TYPEMASK) != SF_FORMAT_OGG) {
      EXPECT_TRUE(std::equal(samples.begin(), samples.end(), decoded.begin())) << "lossless formats are exact";
    }
    ASSERT_TRUE((*stream)->rewind().ok());
    auto first = (*stream)->read(std::span(decoded).first(100));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(*first, 100u);
  }
  const std::filesystem::path broken = folder / "broken.flac";
  std::ofstream(broken) << "fLaC but not really";
  auto stream = open_sound_file(broken);
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.error().describe().find("broken.flac"), std::string::npos) << stream.error().describe();
}

TEST(AudioTimeline, TheFirstTimingProblemIsFoundWithWhatMakesItOne) {
  using Kind = TimingProblem::Kind;
  const auto problem = [](std::vector<Cue> cues, double seconds, size_t units) {
    return find_timing_problem(cues, seconds, units).value_or(TimingProblem{.kind = Kind::count, .index = 999});
  };
  const TimingProblem count = problem({{0, 1}, {1, 2}}, 5, 3);
  EXPECT_EQ(count.kind, Kind::count);
  EXPECT_EQ(count.count, 2u);
  EXPECT_EQ(count.units, 3u);
  const TimingProblem overlap = problem({{0, 1}, {0.9, 2}, {2, 3}}, 5, 3);
  EXPECT_EQ(overlap.kind, Kind::overlaps);
  EXPECT_EQ(overlap.index, 1u);
  EXPECT_DOUBLE_EQ(overlap.start, 0.9);
  EXPECT_DOUBLE_EQ(overlap.end, 1.0);
  const TimingProblem late = problem({{0, 1}, {1, 2}, {2, 5.5}}, 5, 3);
  EXPECT_EQ(late.kind, Kind::beyond_audio);
  EXPECT_EQ(late.index, 2u);
  EXPECT_DOUBLE_EQ(late.audio_seconds, 5);
  EXPECT_EQ(problem({{-0.5, 1}}, 5, 1).kind, Kind::empty_or_negative);
  EXPECT_EQ(problem({{0, 1}, {1.5, 1.5}}, 5, 2).index, 1u);
  EXPECT_EQ(problem({{0, std::nan("")}}, 5, 1).kind, Kind::empty_or_negative);
  EXPECT_FALSE(find_timing_problem(std::vector<Cue>{{0, 1}, {1, 2}}, 2, 2).has_value());

  const RecitationTimeline timeline({{0.1, 0.4}, {0.5, 0.9}, {0.9, 1.2}});
  EXPECT_EQ(timeline.unit_at(0.0), std::nullopt);
  EXPECT_EQ(timeline.unit_at(0.1), 0u);
  EXPECT_EQ(timeline.unit_at(0.45), std::nullopt);
  EXPECT_EQ(timeline.unit_at(0.899), 1u);
  EXPECT_EQ(timeline.unit_at(0.9), 2u);
  EXPECT_EQ(timeline.unit_at(1.2), std::nullopt);
}

}  // namespace
}  // namespace pavilion::audio
