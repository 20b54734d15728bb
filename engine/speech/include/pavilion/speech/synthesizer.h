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

// The voice for a language as the kiosk and the interaction log name languages ("zh-CN", "en");
// another tag is taken as an espeak-ng voice name ("fr", "de").
VoiceSettings voice_for(std::string_view language_tag);

// Where espeak-ng starts a word (for Chinese, a character or a word of characters). A
// synthesis's marks go forward in the text and in the sound alike.
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

// Receives samples as espeak-ng makes them (20 ms of sound at a time), so that playing can
// start before a long sentence is finished. Returns false to stop synthesis. Called on the
// thread that called synthesize(), with espeak-ng's lock held: it must not call synthesize().
using SampleSink = std::function<bool(std::span<const int16_t> samples)>;

// Says `text` (UTF-8). With a sink the samples go to it alone (Synthesis::samples stays empty;
// the word marks still come back); a sink that stops the synthesis is not a failure: the result
// holds the marks of the sound made until then. Fails with a sentence when espeak-ng's data or
// the voice is missing.
Result<Synthesis> synthesize(std::string_view text, const VoiceSettings& voice, const SampleSink& sink = {});

}  // namespace pavilion::speech
