#include "pavilion/audio/timeline.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::audio {

Result<void> check_timings(std::span<const Cue> cues, double audio_seconds, size_t units) {
  const char* step = "checking the recitation's timings";
  if (cues.size() != units) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("there are {} timings for {} {}; give exactly one timing for each", cues.size(), units,
                             units == 1 ? "unit" : "units"));
  }
  for (size_t index = 0; index < cues.size(); ++index) {
    const Cue& cue = cues[index];
    const size_t number = index + 1;
    if (!(cue.start >= 0) || !(cue.end > cue.start)) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("timing {} runs from {:.3f} s to {:.3f} s; it must start at 0 s or later and end "
                               "after it starts",
                               number, cue.start, cue.end));
    }
    if (index > 0 && cue.start < cues[index - 1].end) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("timing {} starts at {:.3f} s, before timing {} ends ({:.3f} s); timings must follow "
                               "one another in the order they are spoken",
                               number, cue.start, index, cues[index - 1].end));
    }
    if (cue.end > audio_seconds) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("timing {} ends at {:.3f} s, after the recitation's audio ends ({:.3f} s)", number,
                               cue.end, audio_seconds));
    }
  }
  return {};
}

std::optional<size_t> RecitationTimeline::unit_at(double seconds) const {
  // The first cue that ends after `seconds`; it is being spoken if it has started.
  const auto cue = std::upper_bound(cues_.begin(), cues_.end(), seconds,
                                    [](double time, const Cue& candidate) { return time < candidate.end; });
  if (cue == cues_.end() || seconds < cue->start) return std::nullopt;
  return static_cast<size_t>(cue - cues_.begin());
}

}  // namespace pavilion::audio
