#include "pavilion/recite/recite.h"

#include "pavilion/core/utf8.h"
#include "pavilion/speech/synthesizer.h"
#include "pavilion/text/recitation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace pavilion::recite {
namespace {

// The last sample of `samples[begin, end)` louder than a whisper, plus a moment of release.
uint64_t end_of_sound(const std::vector<int16_t>& samples, uint64_t begin, uint64_t end, uint32_t rate) {
  constexpr int threshold = 600;  // about −35 dBFS
  uint64_t last = begin;
  for (uint64_t at = begin; at < end; ++at) {
    if (std::abs(samples[at]) > threshold) last = at;
  }
  return std::min<uint64_t>(end, last + rate / 50);
}

speech::VoiceSettings voice(const ReciteOptions& options) {
  return {.voice = options.voice, .words_per_minute = options.words_per_minute, .pitch = options.pitch};
}

}  // namespace

Result<Speech> speak(std::string_view text, const ReciteOptions& options) {
  const char* step = "speaking with espeak-ng";
  if (text.find_first_not_of(" \t\n") == std::string_view::npos) {
    return Error(ErrorCode::invalid_input, step, "the text has nothing to say");
  }
  PV_TRY_ASSIGN(speech::Synthesis synthesis, speech::synthesize(text, voice(options)));
  Speech speech;
  speech.sample_rate = synthesis.sample_rate;
  speech.samples = std::move(synthesis.samples);
  speech.samples.resize(end_of_sound(speech.samples, 0, speech.samples.size(), speech.sample_rate));
  return speech;
}

Result<Recitation> recite(std::string_view text, const ReciteOptions& options) {
  const char* step = "reciting a poem with espeak-ng";
  PV_TRY_ASSIGN(std::u32string code_points, decode_utf8(text));
  const std::vector<text::TextSpan> spoken = text::spoken_characters(code_points);
  if (spoken.empty()) return Error(ErrorCode::invalid_input, step, "the text has no characters to speak");
  // A full stop for each line break (one code point for one, so positions still match): espeak-ng
  // pauses at it as a reader pauses at the end of a line.
  std::string spoken_text;
  for (const char32_t c : code_points) append_utf8(spoken_text, c == U'\n' ? U'。' : c);
  PV_TRY_ASSIGN(speech::Synthesis synthesis, speech::synthesize(spoken_text, voice(options)).add_context(step));

  Recitation out;
  const uint32_t rate = synthesis.sample_rate;
  out.sample_rate = rate;
  out.samples = std::move(synthesis.samples);
  // Each spoken character gets its word's share of the time until the next word starts.
  std::vector<std::pair<uint64_t, uint64_t>> spans(spoken.size(), {UINT64_MAX, 0});
  for (size_t word = 0; word < synthesis.words.size(); ++word) {
    const speech::WordMark& start = synthesis.words[word];
    const uint64_t next = word + 1 < synthesis.words.size() ? synthesis.words[word + 1].sample : out.samples.size();
    std::vector<size_t> inside;
    for (size_t index = 0; index < spoken.size(); ++index) {
      if (spoken[index].first >= start.first && spoken[index].first < start.first + start.length) inside.push_back(index);
    }
    for (size_t share = 0; share < inside.size(); ++share) {
      const uint64_t length = next > start.sample ? next - start.sample : 0;
      spans[inside[share]] = {start.sample + length * share / inside.size(),
                              start.sample + length * (share + 1) / inside.size()};
    }
  }
  for (size_t index = 0; index < spoken.size(); ++index) {
    const auto [begin, end] = spans[index];
    if (begin == UINT64_MAX || end <= begin || end > out.samples.size()) {
      std::string character;
      append_utf8(character, code_points[spoken[index].first]);
      return Error(ErrorCode::internal, step,
                   fmt::format("espeak-ng gave no timing for '{}' (character {}); time it by hand", character,
                               spoken[index].first + 1));
    }
    const uint64_t sounded = std::max(begin + 1, end_of_sound(out.samples, begin, end, out.sample_rate));
    out.cues.push_back({static_cast<double>(begin) / rate, static_cast<double>(sounded) / rate});
  }
  return out;
}

std::string timings_json(const Recitation& recitation) {
  std::string json = R"({"unit": "character", "cues": [)";
  for (size_t index = 0; index < recitation.cues.size(); ++index) {
    // Rounded down, so an end never passes the audio's end and a start never precedes the
    // previous end.
    const auto milliseconds = [](double seconds) { return std::floor(seconds * 1000) / 1000; };
    json += fmt::format("{}[{:.3f}, {:.3f}]", index == 0 ? "" : ", ", milliseconds(recitation.cues[index].start),
                        milliseconds(recitation.cues[index].end));
  }
  return json + "]}";
}

}  // namespace pavilion::recite
