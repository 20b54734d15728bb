// Recitations synthesised by espeak-ng's Mandarin voice, timed character by character: the sample
// poems' audio is made at build time from Debian's packages, so the repository carries none.
#pragma once

#include "pavilion/audio/timeline.h"
#include "pavilion/core/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::recite {

struct ReciteOptions {
  std::string voice = "cmn";
  int words_per_minute = 110;  // slower than speech (espeak-ng's 175): a poem is read, not said
  int pitch = 40;              // 0–100; espeak-ng's default is 50
};

struct Recitation {
  uint32_t sample_rate = 0;
  std::vector<int16_t> samples;  // mono
  // One cue per spoken character of the text (text::spoken_characters), from when espeak-ng
  // starts it to the end of its sound, trailing silence left out.
  std::vector<audio::Cue> cues;
};

// Speaks `text` (UTF-8; each line ends with a pause). Fails with a sentence when espeak-ng or its
// voice is missing, or when it leaves a character without a timing. One recitation at a time
// per process: espeak-ng keeps its state in globals (calls are serialised).
Result<Recitation> recite(std::string_view text, const ReciteOptions& options = {});

struct Speech {
  uint32_t sample_rate = 0;
  std::vector<int16_t> samples;  // mono
};

// Says `text` (UTF-8) untimed, in any espeak-ng voice ("en-us", "cmn"): a poem's title and poet
// announced, its translation read aloud. Fails as recite() does.
Result<Speech> speak(std::string_view text, const ReciteOptions& options);

// The cues as scene.json's "timings": {"unit": "character", "cues": [[start, end], …]}.
std::string timings_json(const Recitation& recitation);

}  // namespace pavilion::recite
