// The narrator heard through OpenAL Soft's loopback device, a frame at a time on a virtual clock:
// lines heard and then silence, queued lines in order, an interrupting line cutting the one
// before, silence, volume, a line espeak-ng cannot say passed over, the same times on every run,
// and a bounded history; without waiting (as real kiosks speak) as well as synchronously.
#include "pavilion/audio/device.h"
#include "pavilion/speech/narrator.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <thread>

namespace pavilion::speech {
namespace {

constexpr uint32_t device_rate = 48'000;
constexpr double frame_seconds = 1.0 / 60;
constexpr size_t frame_samples = device_rate / 60;
// Quieter than any stretch of speech a frame long that has a syllable in it.
constexpr double audible = 0.01;

struct Frame {
  double at = 0;        // the clock when it was mixed
  double loudness = 0;  // root mean square of both channels
};

// A kiosk's frame loop without a screen: update the narrator, mix a frame of sound.
class Listener {
 public:
  explicit Listener(NarratorOptions options = {.synchronous = true}) : paced(!options.synchronous) {
    auto opened = audio::AudioDevice::open_loopback({.sample_rate = device_rate});
    EXPECT_TRUE(opened.ok()) << opened.error().describe();
    device = std::move(*opened);
    auto narrating = Narrator::open(*device, options);
    EXPECT_TRUE(narrating.ok()) << narrating.error().describe();
    narrator = std::move(*narrating);
  }

  // Without waiting, a frame with a line waiting for its head start and none heard leaves the
  // synthesis thread 2 ms of real time: a line starts within a few frames of being asked.
  void frame() {
    if (paced && narrator->speaking() && narrator->current() == nullptr) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const auto updated = narrator->update(now, frame_seconds);
    EXPECT_TRUE(updated.ok()) << updated.error().describe();
    device->render(block);
    double sum = 0;
    for (const float sample : block) sum += double{sample} * sample;
    frames.push_back({now, std::sqrt(sum / static_cast<double>(block.size()))});
    now += frame_seconds;
  }
  void run(double seconds) {
    const double until = now + seconds - frame_seconds / 2;
    while (now < until) frame();
  }
  // Runs until `line` (a serial) is heard, at most 500 frames: false if it never was.
  bool run_until_heard(uint64_t serial) {
    for (int frame_count = 0; frame_count < 500; ++frame_count) {
      const SpokenLine* line = narrator->line(serial);
      if (line != nullptr && line->started_at >= 0) return true;
      frame();
    }
    return false;
  }
  // Runs until nothing is said or waits (at most 20 s), then half a second more.
  void run_out() {
    for (int frame_count = 0; narrator->speaking() && frame_count < 20 * 60; ++frame_count) frame();
    run(0.5);
  }

  // The loudness of the frames mixed from `from` until before `to`.
  double loudness(double from, double to) const {
    double sum = 0;
    size_t count = 0;
    for (const Frame& heard : frames) {
      if (heard.at >= from - 1e-9 && heard.at < to - 1e-9) {
        sum += heard.loudness * heard.loudness;
        ++count;
      }
    }
    return count == 0 ? 0.0 : std::sqrt(sum / static_cast<double>(count));
  }
  double loudest_after(double from) const {
    double loudest = 0;
    for (const Frame& heard : frames) {
      if (heard.at >= from - 1e-9) loudest = std::max(loudest, heard.loudness);
    }
    return loudest;
  }

  std::unique_ptr<audio::AudioDevice> device;  // outlives the narrator
  std::unique_ptr<Narrator> narrator;
  std::vector<float> block = std::vector<float>(frame_samples * 2);
  std::vector<Frame> frames;
  double now = 0;
  bool paced = false;
};

void expect_heard_then_silent(const Listener& listener, const SpokenLine& line) {
  ASSERT_GE(line.started_at, 0) << line.text;
  ASSERT_GT(line.ended_at, line.started_at) << line.text;
  EXPECT_GT(listener.loudness(line.started_at, line.ended_at), 2 * audible) << line.text;
}

TEST(SpeechNarrator, ALineIsHeardWhileItPlaysAndSilenceFollows) {
  Listener listener;
  listener.run(0.1);
  listener.narrator->say("高对比度，已打开", "zh-CN", false, listener.now);
  EXPECT_TRUE(listener.narrator->speaking());
  const double asked = listener.now;
  listener.run_out();

  ASSERT_EQ(listener.narrator->history().size(), 1u);
  const SpokenLine& line = listener.narrator->history()[0];
  EXPECT_EQ(line.text, "高对比度，已打开");
  EXPECT_EQ(line.language, "zh-CN");
  EXPECT_EQ(line.asked_at, asked);
  EXPECT_EQ(line.started_at, asked);  // synchronous: on the frame it was asked
  EXPECT_FALSE(line.cut_short);
  EXPECT_GT(line.ended_at - line.started_at, 0.8);
  expect_heard_then_silent(listener, line);
  EXPECT_LT(listener.loudness(0, asked), 1e-6);
  EXPECT_LT(listener.loudest_after(line.ended_at), 1e-6);
  EXPECT_EQ(listener.narrator->current(), nullptr);
  EXPECT_FALSE(listener.narrator->speaking());
}

TEST(SpeechNarrator, WithoutWaitingALineStartsOnceItsFirstSoundIsMade) {
  Listener listener({.synchronous = false});
  listener.narrator->say("High contrast, on", "en", false, listener.now);
  // Frames 2 ms apart in real time: espeak-ng makes the line's head start in about a millisecond.
  for (int frame = 0; frame < 500 && listener.narrator->current() == nullptr; ++frame) {
    listener.frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_NE(listener.narrator->current(), nullptr) << "not started after a second";
  listener.run_out();
  const SpokenLine& line = listener.narrator->history()[0];
  EXPECT_FALSE(line.cut_short);
  EXPECT_GT(line.ended_at - line.started_at, 0.6);
  expect_heard_then_silent(listener, line);
  EXPECT_LT(listener.loudest_after(line.ended_at), 1e-6);
}

TEST(SpeechNarrator, LinesQueueInTheOrderAsked) {
  Listener listener;
  listener.narrator->say("Exhibits", "en", false, listener.now);
  listener.narrator->say("展品", "zh-CN", false, listener.now);
  listener.narrator->say("Text size, 150 percent", "en", false, listener.now);
  listener.frame();
  ASSERT_NE(listener.narrator->current(), nullptr);
  EXPECT_EQ(listener.narrator->current()->text, "Exhibits");
  listener.run_out();

  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].text, "Exhibits");
  EXPECT_EQ(history[1].text, "展品");
  EXPECT_EQ(history[1].language, "zh-CN");
  EXPECT_EQ(history[2].text, "Text size, 150 percent");
  for (size_t index = 0; index < history.size(); ++index) {
    EXPECT_FALSE(history[index].cut_short) << index;
    expect_heard_then_silent(listener, history[index]);
    // Each starts on the frame the one before ended: no gap, no overlap.
    if (index > 0) {
      EXPECT_EQ(history[index].started_at, history[index - 1].ended_at) << index;
    }
  }
  EXPECT_LT(listener.loudest_after(history[2].ended_at), 1e-6);
}

TEST(SpeechNarrator, AnInterruptingLineCutsTheOneSaidAndDropsTheOnesWaiting) {
  Listener listener;
  listener.narrator->say("The Orchid Pavilion Preface, a copy in running script", "en", false, listener.now);
  listener.narrator->say("This waits and is never heard", "en", false, listener.now);
  listener.run(0.5);
  const double moved = listener.now;
  listener.narrator->say("高对比度，已打开", "zh-CN", true, moved);
  listener.run_out();

  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_TRUE(history[0].cut_short);
  EXPECT_EQ(history[0].ended_at, moved);
  EXPECT_TRUE(history[1].cut_short);
  EXPECT_EQ(history[1].started_at, -1);
  EXPECT_EQ(history[1].ended_at, moved);
  EXPECT_FALSE(history[2].cut_short);
  EXPECT_EQ(history[2].started_at, moved);
  expect_heard_then_silent(listener, history[2]);
  EXPECT_GT(history[2].ended_at - history[2].started_at, 0.8);  // heard whole
  EXPECT_LT(listener.loudest_after(history[2].ended_at), 1e-6);
}

TEST(SpeechNarrator, SilenceStopsTheSound) {
  Listener listener;
  listener.narrator->say("The Orchid Pavilion Preface, a copy in running script", "en", false, listener.now);
  listener.narrator->say("This waits and is never heard", "en", false, listener.now);
  listener.run(0.6);
  EXPECT_GT(listener.loudness(0, listener.now), 2 * audible);
  const double stopped = listener.now;
  listener.narrator->silence(stopped);
  EXPECT_FALSE(listener.narrator->speaking());
  listener.run(1.0);
  EXPECT_LT(listener.loudest_after(stopped), 1e-6);
  for (const SpokenLine& line : listener.narrator->history()) {
    EXPECT_TRUE(line.cut_short) << line.text;
    EXPECT_EQ(line.ended_at, stopped) << line.text;
  }
}

TEST(SpeechNarrator, VolumeScalesTheLevel) {
  Listener listener;
  EXPECT_EQ(listener.narrator->volume(), 1.0f);
  listener.narrator->say("Volume", "en", false, listener.now);
  listener.run_out();
  listener.narrator->set_volume(0.25f);
  EXPECT_EQ(listener.narrator->volume(), 0.25f);
  listener.narrator->say("Volume", "en", false, listener.now);
  listener.run_out();
  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 2u);
  const double full = listener.loudness(history[0].started_at, history[0].ended_at);
  const double quarter = listener.loudness(history[1].started_at, history[1].ended_at);
  EXPECT_GT(full, 2 * audible);
  EXPECT_NEAR(quarter / full, 0.25, 0.03);

  // Set while a line is heard, it applies at once.
  listener.narrator->set_volume(1.0f);
  listener.narrator->say("Volume, volume, volume", "en", false, listener.now);
  listener.run(0.5);
  const double before = listener.now;
  listener.narrator->set_volume(0.0f);
  listener.frame();  // the voice takes the new gain at its next update
  listener.run(0.5);
  EXPECT_LT(listener.loudest_after(before + frame_seconds), 1e-6);
}

// A scripted visit: focus moving (interrupting), a setting confirmed (queued), help.
std::vector<SpokenLine> scripted_visit() {
  Listener listener;
  listener.run(0.2);
  listener.narrator->say("开始参观", "zh-CN", true, listener.now);
  listener.run(0.3);
  listener.narrator->say("Language: English", "en", true, listener.now);
  listener.narrator->say("English selected", "en", false, listener.now);
  listener.run(1.8);
  listener.narrator->say("Help: up and down move between the controls", "en", true, listener.now);
  listener.run_out();
  const auto history = listener.narrator->history();
  return {history.begin(), history.end()};
}

// The visit in a child forked from this process, so that both runs start from the same
// espeak-ng state (narrator.h: its pitch flutter carries over within a process).
std::vector<SpokenLine> scripted_visit_in_a_child() {
  std::array<int, 2> pipe_ends{};
  EXPECT_EQ(pipe(pipe_ends.data()), 0);
  const pid_t child = fork();
  if (child == 0) {
    close(pipe_ends[0]);
    for (const SpokenLine& line : scripted_visit()) {
      const std::array<double, 3> times{line.started_at, line.ended_at, line.cut_short ? 1.0 : 0.0};
      if (write(pipe_ends[1], times.data(), sizeof(times)) != sizeof(times)) _exit(2);
    }
    _exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  close(pipe_ends[1]);
  std::vector<SpokenLine> lines;
  std::array<double, 3> times{};
  while (read(pipe_ends[0], times.data(), sizeof(times)) == sizeof(times)) {
    lines.push_back({.started_at = times[0], .ended_at = times[1], .cut_short = times[2] != 0});
  }
  close(pipe_ends[0]);
  int status = 0;
  EXPECT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the visit failed in the child";
  return lines;
}

TEST(SpeechNarrator, ASynchronousNarratorStartsEachLineOnTheSameFrameEveryRun) {
  const std::vector<SpokenLine> first = scripted_visit_in_a_child();
  const std::vector<SpokenLine> second = scripted_visit_in_a_child();
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(second.size(), first.size());
  for (size_t index = 0; index < first.size(); ++index) {
    EXPECT_EQ(second[index].started_at, first[index].started_at) << "line " << index;
    EXPECT_EQ(second[index].ended_at, first[index].ended_at) << "line " << index;
    EXPECT_EQ(second[index].cut_short, first[index].cut_short) << "line " << index;
  }
  // Focus moving cut the first line; the confirmation queued behind "Language: English" started
  // when it ended; help was heard whole.
  EXPECT_TRUE(first[0].cut_short);
  EXPECT_FALSE(first[1].cut_short);
  EXPECT_EQ(first[2].started_at, first[1].ended_at);
  EXPECT_TRUE(first[2].cut_short);
  EXPECT_FALSE(first[3].cut_short);
  EXPECT_GT(first[3].ended_at, first[3].started_at + 1.0);

  // In this process too, interrupting lines start on the frame they are asked.
  const std::vector<SpokenLine> here = scripted_visit();
  ASSERT_EQ(here.size(), 4u);
  for (const size_t interrupting : {0u, 1u, 3u}) EXPECT_EQ(here[interrupting].started_at, first[interrupting].started_at);
}

TEST(SpeechNarrator, TheHistoryKeepsTheLast256Lines) {
  Listener listener;
  for (int index = 0; index < 300; ++index) {
    listener.narrator->say(std::to_string(index), "en", true, listener.now);
  }
  listener.run_out();
  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 256u);
  EXPECT_EQ(history.front().text, "44");
  EXPECT_EQ(history.back().text, "299");
  EXPECT_TRUE(history.front().cut_short);
  EXPECT_FALSE(history.back().cut_short);
  expect_heard_then_silent(listener, history.back());
}

TEST(SpeechNarrator, ClosingMidSentenceDoesNotWait) {
  auto opened = audio::AudioDevice::open_loopback({.sample_rate = device_rate});
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  auto narrator = Narrator::open(**opened);
  ASSERT_TRUE(narrator.ok()) << narrator.error().describe();
  std::string long_text;
  for (int sentence = 0; sentence < 200; ++sentence) long_text += "The pavilion stands by the stream. ";
  (*narrator)->say(long_text, "en", false, 0);
  (*narrator)->say(long_text, "en", false, 0);
  // Let espeak-ng get into the first of them.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto closing = std::chrono::steady_clock::now();
  narrator->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - closing, std::chrono::milliseconds(200));
}

}  // namespace
}  // namespace pavilion::speech

namespace pavilion::speech {
namespace {

// Real kiosks do not wait for synthesis: lines start once their first sound is made, a few
// frames after they are asked, so these tests poll (a bounded number of frames) instead of
// expecting a given frame.

TEST(SpeechNarratorWithoutWaiting, ALineIsHeardWholeAndSilenceFollows) {
  Listener listener({.synchronous = false});
  listener.run(0.1);
  const double asked = listener.now;
  listener.narrator->say("高对比度，已打开", "zh-CN", false, asked);
  ASSERT_TRUE(listener.run_until_heard(0));
  listener.run_out();
  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].text, "高对比度，已打开");
  EXPECT_EQ(history[0].language, "zh-CN");
  EXPECT_EQ(history[0].serial, 0u);
  EXPECT_GE(history[0].started_at, asked);
  EXPECT_FALSE(history[0].cut_short);
  EXPECT_FALSE(history[0].failed);
  EXPECT_GT(history[0].ended_at - history[0].started_at, 0.8);
  expect_heard_then_silent(listener, history[0]);
  EXPECT_LT(listener.loudness(0, history[0].started_at), 1e-6);
  EXPECT_LT(listener.loudest_after(history[0].ended_at), 1e-6);
}

TEST(SpeechNarratorWithoutWaiting, AnInterruptingLineCutsTheOneSaidAndDropsTheOnesWaiting) {
  Listener listener({.synchronous = false});
  listener.narrator->say("The Orchid Pavilion Preface, a copy in running script", "en", false, listener.now);
  listener.narrator->say("This waits and is never heard", "en", false, listener.now);
  ASSERT_TRUE(listener.run_until_heard(0));
  listener.run(0.5);
  ASSERT_EQ(listener.narrator->current(), listener.narrator->line(0)) << "the first line should still be heard";
  const double moved = listener.now;
  listener.narrator->say("高对比度，已打开", "zh-CN", true, moved);
  ASSERT_TRUE(listener.run_until_heard(2));
  listener.run_out();

  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_TRUE(history[0].cut_short);
  EXPECT_EQ(history[0].ended_at, moved);
  EXPECT_TRUE(history[1].cut_short);
  EXPECT_EQ(history[1].started_at, -1);
  EXPECT_EQ(history[1].ended_at, moved);
  EXPECT_EQ(history[2].text, "高对比度，已打开");
  EXPECT_FALSE(history[2].cut_short);
  EXPECT_GE(history[2].started_at, moved);
  // Nothing of the cut line is heard after the cut, while the new one's head start is made.
  EXPECT_LT(listener.loudness(moved, history[2].started_at), 1e-6);
  expect_heard_then_silent(listener, history[2]);
  EXPECT_GT(history[2].ended_at - history[2].started_at, 0.8);  // heard whole
  EXPECT_LT(listener.loudest_after(history[2].ended_at), 1e-6);
}

TEST(SpeechNarratorWithoutWaiting, SilenceStopsTheSound) {
  Listener listener({.synchronous = false});
  listener.narrator->say("The Orchid Pavilion Preface, a copy in running script", "en", false, listener.now);
  listener.narrator->say("This waits and is never heard", "en", false, listener.now);
  ASSERT_TRUE(listener.run_until_heard(0));
  listener.run(0.6);
  EXPECT_GT(listener.loudness(0, listener.now), 2 * audible);
  const double stopped = listener.now;
  listener.narrator->silence(stopped);
  EXPECT_FALSE(listener.narrator->speaking());
  listener.run(1.0);
  EXPECT_LT(listener.loudest_after(stopped), 1e-6);
  EXPECT_EQ(listener.narrator->current(), nullptr);
  for (const SpokenLine& line : listener.narrator->history()) {
    EXPECT_TRUE(line.cut_short) << line.text;
    EXPECT_EQ(line.ended_at, stopped) << line.text;
  }
}

// A language espeak-ng has no voice for: that line is marked failed, with why, and the next line
// is heard; update() goes on succeeding (Listener::frame checks every call).
void expect_failed_line_passed_over(bool synchronous) {
  Listener listener({.synchronous = synchronous});
  listener.narrator->say("Qapla'", "tlh", false, listener.now);
  listener.narrator->say("Exhibits", "en", false, listener.now);
  ASSERT_TRUE(listener.run_until_heard(1));
  listener.run_out();
  const auto history = listener.narrator->history();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_TRUE(history[0].failed);
  EXPECT_NE(history[0].failure.find("tlh"), std::string::npos) << history[0].failure;
  EXPECT_NE(history[0].failure.find("Qapla'"), std::string::npos) << history[0].failure;
  EXPECT_EQ(history[0].started_at, -1);
  EXPECT_GE(history[0].ended_at, 0);
  EXPECT_FALSE(history[1].failed);
  EXPECT_TRUE(history[1].failure.empty());
  if (synchronous) {
    EXPECT_EQ(history[1].started_at, history[0].ended_at);
  } else {
    // Without waiting, the next line starts at its first sound, which the synthesis thread may
    // make a frame or a few after the failure was noticed, but never before it.
    EXPECT_GE(history[1].started_at, history[0].ended_at);
    EXPECT_LT(history[1].started_at - history[0].ended_at, 0.5);
  }
  expect_heard_then_silent(listener, history[1]);
}

TEST(SpeechNarrator, ALineThatCannotBeSaidIsMarkedAndTheNextIsHeard) { expect_failed_line_passed_over(true); }

TEST(SpeechNarratorWithoutWaiting, ALineThatCannotBeSaidIsMarkedAndTheNextIsHeard) {
  expect_failed_line_passed_over(false);
}

TEST(SpeechNarrator, LinesAreFoundByTheirSerial) {
  Listener listener;
  for (int index = 0; index < 300; ++index) listener.narrator->say(std::to_string(index), "en", false, listener.now);
  EXPECT_EQ(listener.narrator->next_serial(), 300u);
  EXPECT_EQ(listener.narrator->line(43), nullptr);  // dropped from the history
  ASSERT_NE(listener.narrator->line(44), nullptr);
  EXPECT_EQ(listener.narrator->line(44)->text, "44");
  EXPECT_EQ(listener.narrator->line(44)->serial, 44u);
  EXPECT_EQ(listener.narrator->line(299)->text, "299");
  EXPECT_EQ(listener.narrator->line(300), nullptr);  // not asked yet
  // Lines asked faster than they are heard: the oldest waiting give way, cut short unheard.
  listener.frame();
  const auto history = listener.narrator->history();
  EXPECT_TRUE(history.front().cut_short);
  EXPECT_EQ(history.front().started_at, -1);
  EXPECT_FALSE(history.back().cut_short);
  EXPECT_FALSE(listener.narrator->line(268)->cut_short);  // the last 32 still wait
  EXPECT_TRUE(listener.narrator->line(267)->cut_short);
}

}  // namespace
}  // namespace pavilion::speech
