// The narrator's lines captioned, on the touch screen and in the headset alike: each from its
// first sound to its end (or to where it was cut short). Lines are followed by serial, from the
// last one seen, so a frame reads only the lines new since the last; a line espeak-ng could not
// say is logged once, as the feed passes it.
#pragma once

#include "pavilion/core/log.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/speech/narrator.h"

#include <cstdint>
#include <limits>
#include <optional>

namespace pavilion::kiosk {

class SpeechCaptionFeed {
 public:
  // Shows the lines started since the last call and ends the one whose end came. `kind_of`
  // (CaptionKind(const speech::SpokenLine&)) says how a line is captioned, when it starts.
  template <typename KindOf>
  void update(const speech::Narrator& narrator, interaction::Captions& captions, double now, KindOf&& kind_of) {
    if (open_) {
      const speech::SpokenLine* line = narrator.line(*open_);
      if (!line) {
        captions.end(open_kind_, now);  // 256 lines asked since it started: its end is not kept
        open_.reset();
      } else if (line->ended_at >= 0) {
        captions.end(open_kind_, line->ended_at);
        note_failure(*line);
        open_.reset();
      }
    }
    for (; next_ < narrator.next_serial(); ++next_) {
      const speech::SpokenLine* line = narrator.line(next_);
      if (!line) continue;  // dropped from the history before it was seen
      if (line->started_at < 0) {
        if (line->ended_at < 0) return;  // it waits, and those after it: lines start in the order asked
        note_failure(*line);             // never heard: cut short before its turn, or failed
        continue;
      }
      const interaction::CaptionKind kind = kind_of(*line);
      const bool ended = line->ended_at >= 0;
      captions.show(kind, line->text, line->language, line->started_at,
                    ended ? line->ended_at : std::numeric_limits<double>::infinity());
      if (ended) {
        note_failure(*line);
      } else {
        open_ = next_;
        open_kind_ = kind;
      }
    }
  }

 private:
  static void note_failure(const speech::SpokenLine& line) {
    if (line.failed) log::warn("kiosk", "a spoken line was not said, speech goes on: {}", line.failure);
  }

  uint64_t next_ = 0;             // the serial of the first line not yet captioned or passed
  std::optional<uint64_t> open_;  // the line whose caption waits for its end
  interaction::CaptionKind open_kind_ = interaction::CaptionKind::speech;
};

}  // namespace pavilion::kiosk
