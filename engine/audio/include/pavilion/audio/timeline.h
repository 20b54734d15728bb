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

// What a curator's timings must be: one per unit (`units`: the poem's characters, or its lines),
// each non-empty, in order without overlapping, inside the audio. The error names the first
// timing that breaks a rule, counting from 1, and what to change.
Result<void> check_timings(std::span<const Cue> cues, double audio_seconds, size_t units);

class RecitationTimeline {
 public:
  // Cues that passed check_timings (a precondition).
  explicit RecitationTimeline(std::vector<Cue> cues) : cues_(std::move(cues)) {}

  // The unit spoken at `seconds`, nothing in a pause between units or before the first. No
  // allocation: it runs every frame.
  std::optional<size_t> unit_at(double seconds) const;
  size_t size() const { return cues_.size(); }

 private:
  std::vector<Cue> cues_;
};

}  // namespace pavilion::audio
