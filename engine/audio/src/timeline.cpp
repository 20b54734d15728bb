#include "pavilion/audio/timeline.h"

#include <algorithm>

namespace pavilion::audio {

std::optional<TimingProblem> find_timing_problem(std::span<const Cue> cues, double audio_seconds, size_t units) {
  using Kind = TimingProblem::Kind;
  if (cues.size() != units) return TimingProblem{.kind = Kind::count, .count = cues.size(), .units = units};
  for (size_t index = 0; index < cues.size(); ++index) {
    const Cue& cue = cues[index];
    // Written to be false for NaN too.
    if (!(cue.start >= 0) || !(cue.end > cue.start)) {
      return TimingProblem{.kind = Kind::empty_or_negative, .index = index, .start = cue.start, .end = cue.end};
    }
    if (index > 0 && cue.start < cues[index - 1].end) {
      return TimingProblem{.kind = Kind::overlaps, .index = index, .start = cue.start, .end = cues[index - 1].end};
    }
    if (cue.end > audio_seconds) {
      return TimingProblem{.kind = Kind::beyond_audio, .index = index, .end = cue.end, .audio_seconds = audio_seconds};
    }
  }
  return std::nullopt;
}

std::optional<size_t> RecitationTimeline::unit_at(double seconds) const {
  // The first cue that ends after `seconds`; it is being spoken if it has started.
  const auto cue = std::upper_bound(cues_.begin(), cues_.end(), seconds,
                                    [](double time, const Cue& candidate) { return time < candidate.end; });
  if (cue == cues_.end() || seconds < cue->start) return std::nullopt;
  return static_cast<size_t>(cue - cues_.begin());
}

}  // namespace pavilion::audio
