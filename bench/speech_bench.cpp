// speech_bench: what the kiosk's spoken interface costs (issue 21: focus to first audible sound,
// goal 150 ms; the memory and package bytes that speech adds).
//
//   Focus to first sound: the narrator (engine/speech) on a loopback device driven in real time
//   at 60 frames a second, as the kiosk drives its sound: each frame updates the narrator and
//   mixes 1/60 s. A focus move says a control's label (interrupting) at the start of a frame;
//   the figure runs from say() to the first audible sample (above −40 dBFS) in the mixed sound,
//   placed in time by its offset within the frame's block. A sound card adds its own period
//   (5–20 ms) after that. Labels in zh-CN and en as the kiosk says them.
//   espeak-ng alone, in the same run: from speech::synthesize() to its first chunk of samples
//   and to the whole label, and how much of its sound comes before the first audible sample
//   (the leading silence, a stop consonant's closure).
//   Memory: resident memory before the narrator opens, after (espeak-ng's data and both voices
//   loaded), and after it has said every label in both languages (freed heap handed back
//   first), with the peak while it spoke.
//
//   speech_bench [--rounds N]
#include "pavilion/audio/device.h"
#include "pavilion/speech/narrator.h"
#include "pavilion/speech/synthesizer.h"
#include "process_memory.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

struct Label {
  std::string_view text;
  std::string_view language;
};

// What the kiosk says as focus moves: controls with their states, screens, exhibit titles.
constexpr std::array<Label, 20> labels{{
    {"高对比度，已打开", "zh-CN"},
    {"文字大小，百分之一百五十", "zh-CN"},
    {"仅音频模式，已关闭", "zh-CN"},
    {"语言：中文", "zh-CN"},
    {"返回", "zh-CN"},
    {"下一件展品", "zh-CN"},
    {"静夜思，李白", "zh-CN"},
    {"兰亭集序，王羲之", "zh-CN"},
    {"还在吗？按任意键继续", "zh-CN"},
    {"音量，百分之八十", "zh-CN"},
    {"High contrast, on", "en"},
    {"Text size, 150 percent", "en"},
    {"Audio only mode, off", "en"},
    {"Language: English", "en"},
    {"Back", "en"},
    {"Next exhibit", "en"},
    {"Quiet Night Thought, Li Bai", "en"},
    {"The Orchid Pavilion Preface, Wang Xizhi", "en"},
    {"Still there? Press any key to go on", "en"},
    {"Volume, 80 percent", "en"},
}};

constexpr uint32_t device_rate = 48'000;
constexpr int frames_per_second = 60;
constexpr size_t frame_samples = device_rate / frames_per_second;
constexpr float audible = 0.01f;  // −40 dBFS
constexpr int16_t audible_pcm = 328;

double ms(Clock::duration duration) { return std::chrono::duration<double, std::milli>(duration).count(); }

struct Spread {
  double median = 0;
  double max = 0;
};
Spread spread(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {values[values.size() / 2], values.back()};
}
std::string figure(const std::vector<double>& values) {
  const Spread s = spread(values);
  return fmt::format("median {:6.1f} ms, max {:6.1f} ms", s.median, s.max);
}

struct EspeakTimes {
  std::vector<double> first_chunk, whole;
  std::vector<double> onset;  // milliseconds of sound before its first audible sample
};

void time_espeak(const Label& label, EspeakTimes& times) {
  const auto start = Clock::now();
  bool chunk_seen = false;
  size_t before_audible = 0;
  bool audible_seen = false;
  auto made = speech::synthesize(label.text, speech::voice_for(label.language), [&](std::span<const int16_t> samples) {
    if (!chunk_seen) times.first_chunk.push_back(ms(Clock::now() - start));
    chunk_seen = true;
    for (const int16_t sample : samples) {
      if (audible_seen) break;
      audible_seen = std::abs(sample) > audible_pcm;
      if (!audible_seen) ++before_audible;
    }
    return true;
  });
  times.onset.push_back(1000.0 * static_cast<double>(before_audible) / 22'050);
  times.whole.push_back(ms(Clock::now() - start));
  if (!made) {
    fmt::print(stderr, "{}\n", made.error().describe());
    std::exit(1);
  }
}

// A kiosk's frame loop in real time: a frame every 1/60 s updates the narrator, then mixes.
class FrameLoop {
 public:
  FrameLoop(audio::AudioDevice& device, speech::Narrator& narrator) : device_(device), narrator_(narrator) {}

  // Runs frames until the first audible sample; returns its time after `asked` in
  // milliseconds, or a negative number if none came within a second.
  double until_audible(Clock::time_point asked) {
    for (int frame = 0; frame < frames_per_second; ++frame) {
      const Clock::time_point mixed = next_frame();
      for (size_t at = 0; at < block_.size(); at += 2) {
        if (std::max(std::abs(block_[at]), std::abs(block_[at + 1])) > audible) {
          return ms(mixed - asked) + 1000.0 * static_cast<double>(at / 2) / device_rate;
        }
      }
    }
    return -1;
  }
  void run(int frames) {
    for (int frame = 0; frame < frames; ++frame) next_frame();
  }
  // The kiosk's clock: seconds of frames run.
  double seconds() const { return seconds_; }
  // Waits for the next frame's start (the time the kiosk's input handling would say a label).
  Clock::time_point wait_for_frame() {
    std::this_thread::sleep_until(next_);
    return Clock::now();
  }

 private:
  // One frame: update and mix at its start; returns when the mixing began.
  Clock::time_point next_frame() {
    std::this_thread::sleep_until(next_);
    const Clock::time_point started = Clock::now();
    const auto updated = narrator_.update(seconds_, 1.0 / frames_per_second);
    if (!updated) {
      fmt::print(stderr, "{}\n", updated.error().describe());
      std::exit(1);
    }
    device_.render(block_);
    next_ += std::chrono::microseconds(1'000'000 / frames_per_second);
    seconds_ += 1.0 / frames_per_second;
    return started;
  }

  audio::AudioDevice& device_;
  speech::Narrator& narrator_;
  std::vector<float> block_ = std::vector<float>(frame_samples * 2);
  Clock::time_point next_ = Clock::now();
  double seconds_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  for (int index = 1; index + 1 < argc; index += 2) {
    if (std::string_view(argv[index]) == "--rounds") std::from_chars(argv[index + 1], argv[index + 1] + std::strlen(argv[index + 1]), rounds);
  }

  auto device = audio::AudioDevice::open_loopback({.sample_rate = device_rate});
  if (!device) {
    fmt::print(stderr, "{}\n", device.error().describe());
    return 1;
  }
  bench::reset_peak_resident();
  const double before_mb = bench::resident_mb();
  auto narrator = speech::Narrator::open(**device);
  if (!narrator) {
    fmt::print(stderr, "{}\n", narrator.error().describe());
    return 1;
  }
  const double opened_mb = bench::resident_mb();

  // Focus moving through the labels, a label every 20 frames, interrupting as focus does.
  FrameLoop loop(**device, **narrator);
  std::vector<double> focus_zh, focus_en;
  double slowest = 0;
  std::string_view slowest_label;
  for (int round = 0; round < rounds; ++round) {
    for (const Label& label : labels) {
      const Clock::time_point asked = loop.wait_for_frame();
      (*narrator)->say(label.text, label.language, true, loop.seconds());
      const double heard = loop.until_audible(asked);
      if (heard < 0) {
        fmt::print(stderr, "nothing audible within a second of saying '{}'\n", label.text);
        return 1;
      }
      (label.language == "en" ? focus_en : focus_zh).push_back(heard);
      if (heard > slowest) {
        slowest = heard;
        slowest_label = label.text;
      }
      loop.run(20);
    }
  }
  (*narrator)->silence(loop.seconds());
  loop.run(2);
  const double peak_mb = bench::peak_resident_mb();
  bench::reset_peak_resident();  // freed heap (the lines' samples) handed back: what speech keeps
  const double spoken_mb = bench::resident_mb();

  EspeakTimes espeak_zh, espeak_en;
  for (int round = 0; round < rounds; ++round) {
    for (const Label& label : labels) time_espeak(label, label.language == "en" ? espeak_en : espeak_zh);
  }

  std::vector<double> focus_all = focus_zh;
  focus_all.insert(focus_all.end(), focus_en.begin(), focus_en.end());
  fmt::print("speech_bench: {} labels x {} rounds, loopback at {} Hz, {} frames a second (goal: first sound <= 150 ms)\n",
             labels.size(), rounds, device_rate, frames_per_second);
  fmt::print("focus to first audible sound   zh-CN {}   en {}   all {}\n", figure(focus_zh), figure(focus_en),
             figure(focus_all));
  fmt::print("slowest: '{}', {:.1f} ms\n", slowest_label, slowest);
  fmt::print("espeak-ng to first chunk       zh-CN {}   en {}\n", figure(espeak_zh.first_chunk),
             figure(espeak_en.first_chunk));
  fmt::print("espeak-ng's sound before audible zh-CN {}   en {}\n", figure(espeak_zh.onset), figure(espeak_en.onset));
  fmt::print("espeak-ng whole label          zh-CN {}   en {}\n", figure(espeak_zh.whole), figure(espeak_en.whole));
  fmt::print("resident memory: {:.1f} MB before the narrator, {:.1f} MB open (+{:.1f}), {:.1f} MB after both languages "
             "(+{:.1f}; peak {:.1f})\n",
             before_mb, opened_mb, opened_mb - before_mb, spoken_mb, spoken_mb - before_mb, peak_mb);
  fmt::print("package bytes for speech: 0 (labels are synthesised on the kiosk)\n");
  return 0;
}
