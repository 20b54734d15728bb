// Recitation timings: which character (or line) of a poem is being spoken at each moment of its
// audio, so the exhibit lights it as the visitor hears it.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pavilion::audio {

// One spoken unit: `start` to `end` seconds into the recitation.
struct Cue {
  double start = 0;
  double end = 0;
};

// What a curator's timings must be: one per unit (the poem's spoken characters, or its lines),
// each non-empty, in order without overlapping, inside the audio. The first timing that breaks a
// rule, for the content tools to explain in the curator's language.
struct TimingProblem {
  enum class Kind {
    count,           // `count` timings for `units` units
    empty_or_negative,  // timing `index` runs from `start` to `end`
    overlaps,        // timing `index` starts at `start`, before the previous one ends at `end`
    beyond_audio,    // timing `index` ends at `end`, after the audio's `audio_seconds`
  };
  Kind kind = Kind::count;
  size_t index = 0;  // from 0
  size_t count = 0;
  size_t units = 0;
  double start = 0;
  double end = 0;
  double audio_seconds = 0;
};

std::optional<TimingProblem> find_timing_problem(std::span<const Cue> cues, double audio_seconds, size_t units);

class RecitationTimeline {
 public:
  // Cues without a timing problem (a precondition).
  explicit RecitationTimeline(std::vector<Cue> cues) : cues_(std::move(cues)) {}

  // The unit spoken at `seconds`, nothing in a pause between units or before the first. No
  // allocation: it runs every frame.
  std::optional<size_t> unit_at(double seconds) const;
  size_t size() const { return cues_.size(); }

 private:
  std::vector<Cue> cues_;
};

}  // namespace pavilion::audio
