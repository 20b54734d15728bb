// Speech synthesised by libespeak-ng on this machine: the kiosk's spoken interface (narrator.h)
// and the content tools' recitations (content_tools/recite) come from these calls.
//
// espeak-ng keeps its state in process globals: calls from any thread are serialised inside.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::speech {

struct VoiceSettings {
  std::string voice = "en-us";  // an espeak-ng voice: "cmn" (Mandarin), "en-us"
  int words_per_minute = 165;
  int pitch = 50;  // 0–100; espeak-ng's default is 50
};

// The voice for a language as the kiosk and the interaction log name languages ("zh-CN", "en").
VoiceSettings voice_for(std::string_view language_tag);

// Where espeak-ng starts a word (for Chinese, a character or a word of characters).
struct WordMark {
  uint32_t first = 0;   // code point index in the text
  uint32_t length = 0;  // in code points, at least 1
  uint64_t sample = 0;  // first sample of its sound
};

struct Synthesis {
  uint32_t sample_rate = 0;
  std::vector<int16_t> samples;  // mono
  std::vector<WordMark> words;
};

// Receives samples as espeak-ng makes them (a few milliseconds of sound at a time), so that
// playing can start before a long sentence is finished. Returns false to stop synthesis.
using SampleSink = std::function<bool(std::span<const int16_t> samples)>;

// Says `text` (UTF-8). Fails with a sentence when espeak-ng, its data or the voice is missing.
Result<Synthesis> synthesize(std::string_view text, const VoiceSettings& voice, const SampleSink& sink = {});

}  // namespace pavilion::speech
