// The kiosk's voice: what the spoken interface says (a control getting focus, help, the
// "still there?" question, a setting changed, an exhibit's audio description), said beside the
// listener's ears through the kiosk's sound device, one line at a time.
//
// Synthesis runs on the narrator's own thread and sound starts with espeak-ng's first samples,
// so the frame loop never waits for it (except in synchronous mode, for scripted visits that
// must hear the same on every run). A line asked to interrupt stops what is being said and
// drops what waits: focus moved on, and the old label no longer matters.
//
// Every line said is kept with its times, for captions (engine/interaction/captions.h), for the
// tests (the text and language of each, when its first sound reached the device) and for the
// focus-to-sound figure (bench/speech_bench).
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/core/error.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace pavilion::speech {

struct NarratorOptions {
  // Waits in update() for a line being synthesised (the whole line, made when it starts), so a
  // scripted visit on a virtual clock hears every line start on the same frame each run.
  // espeak-ng carries its pitch flutter from one sentence to the next within a process, which
  // moves a line's end by a few milliseconds: times repeat exactly for the same lines said since
  // the process started (a visit run in a fresh process, or forked from the same point).
  bool synchronous = false;
  float volume = 1.0f;  // 0–1, the visitor's keypad volume
};

struct SpokenLine {
  std::string text;
  std::string language;    // "zh-CN" or "en"
  double asked_at = 0;     // the clock given to say()
  double started_at = -1;  // when its first sound was handed to the device; -1: not yet
  double ended_at = -1;    // when it finished or was cut short; -1: not yet
  bool cut_short = false;  // interrupted or silenced before its end
};

class Narrator {
 public:
  // Speaks through `device`, which must outlive the narrator. Fails with a sentence when
  // espeak-ng cannot start.
  static Result<std::unique_ptr<Narrator>> open(audio::AudioDevice& device, const NarratorOptions& options = {});
  ~Narrator();
  Narrator(const Narrator&) = delete;
  Narrator& operator=(const Narrator&) = delete;

  // Says `text` in `language_tag` ("zh-CN", "en") after what is being said, or, with
  // `interrupt`, at once instead of it and of everything waiting. `now`: the kiosk's clock.
  void say(std::string_view text, std::string_view language_tag, bool interrupt, double now);
  // Stops speaking and forgets what waits.
  void silence(double now);

  void set_volume(float volume);
  float volume() const;

  // Every frame, on the frame thread: starts the next line's sound, feeds and ends it.
  // Allocates nothing while nothing new is said.
  Result<void> update(double now, double seconds);

  // A line is being said or waits to be.
  bool speaking() const;
  // The line being heard now, or null; valid until the next say() or silence().
  const SpokenLine* current() const;
  // The last 256 lines asked for, oldest first, lines still waiting included (a kiosk runs for
  // months: older lines are dropped).
  std::span<const SpokenLine> history() const;

  struct Impl;

 private:
  explicit Narrator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pavilion::speech
