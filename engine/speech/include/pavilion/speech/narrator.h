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

#include <cstddef>
#include <cstdint>
#include <iterator>
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
  uint64_t serial = 0;     // its place among every line asked since the narrator opened, from 0
  // espeak-ng could not say it (a language it has no voice for): it ended where it stopped, or
  // without a sound, and speech went on with the next line. `failure` says why, in a sentence.
  bool failed = false;
  std::string failure;
};

// The lines kept, oldest first, seen in the narrator's ring without copying; valid until the
// next say().
class SpokenHistory {
 public:
  SpokenHistory(std::span<const SpokenLine> ring, size_t oldest) : ring_(ring), oldest_(oldest) {}
  size_t size() const { return ring_.size(); }
  bool empty() const { return ring_.empty(); }
  const SpokenLine& operator[](size_t index) const { return ring_[(oldest_ + index) % ring_.size()]; }
  const SpokenLine& front() const { return (*this)[0]; }
  const SpokenLine& back() const { return (*this)[size() - 1]; }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = SpokenLine;
    using difference_type = std::ptrdiff_t;
    using pointer = const SpokenLine*;
    using reference = const SpokenLine&;

    iterator() = default;
    // Holds the ring itself, not the history it came from, which may be a temporary.
    iterator(const SpokenHistory& lines, size_t index) : ring_(lines.ring_), oldest_(lines.oldest_), index_(index) {}
    const SpokenLine& operator*() const { return ring_[(oldest_ + index_) % ring_.size()]; }
    const SpokenLine* operator->() const { return &**this; }
    iterator& operator++() {
      ++index_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const iterator& other) const { return index_ == other.index_; }

   private:
    std::span<const SpokenLine> ring_;
    size_t oldest_ = 0;
    size_t index_ = 0;
  };
  iterator begin() const { return {*this, 0}; }
  iterator end() const { return {*this, size()}; }

 private:
  std::span<const SpokenLine> ring_;
  size_t oldest_;
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
  // Allocates nothing while nothing new is said. Fails only when the sound device does (a line
  // espeak-ng cannot say is marked failed in the history, and the next one is said).
  Result<void> update(double now, double seconds);

  // A line is being said or waits to be.
  bool speaking() const;
  // The line being heard now, or null; valid until the next say() or silence().
  const SpokenLine* current() const;
  // The last 256 lines asked for, oldest first, lines still waiting included (a kiosk runs for
  // months: older lines are dropped).
  SpokenHistory history() const;
  // The line of `serial`, or null when it was dropped from the history or not yet asked: a
  // caller that follows the lines (captions) resumes where it stopped instead of reading them all.
  const SpokenLine* line(uint64_t serial) const;
  // The serial the next line asked will have.
  uint64_t next_serial() const;

  struct Impl;

 private:
  explicit Narrator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace pavilion::speech
