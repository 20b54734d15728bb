// Captions: what is heard, also shown, for visitors who cannot hear it (WCAG 1.2.2, the XR
// Accessibility User Requirements' captions). Each line says what kind of sound it stands for,
// so music and other sounds are named ("[music: 春江花月夜, guqin]", "[sound: a gong]") and
// speech is set apart from them. The kiosk draws them along the bottom of the touch screen; the headset mode
// hangs them in front of the visitor, below their line of sight (kiosk/ACCESSIBILITY.md).
//
// Pure logic on the caller's clock (the kiosk's, on which sound is timed), so the tests check
// that a caption is up while its sound is heard without a screen.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::interaction {

enum class CaptionKind {
  speech,       // the spoken interface, an announcement
  description,  // an exhibit's audio description read aloud
  recitation,   // a poem (or a book's page) being read: the line heard now
  music,        // a scene's sound or a show's music, named: "[music: …]"
  effect,       // a show's other sounds (a gong, firecrackers), named: "[sound: …]"
};

struct Caption {
  CaptionKind kind = CaptionKind::speech;
  std::string text;      // as shown, brackets included for music and effects
  std::string language;  // "zh-CN" or "en"
  double start = 0;      // seconds on the caller's clock
  double end = 0;        // shown until then; a line replaced earlier ends where it was replaced
};

class Captions {
 public:
  // At most this many lines show at once, newest at the bottom; the oldest gives way.
  static constexpr size_t max_lines = 2;
  static constexpr size_t history_limit = 256;

  // Sets aside room for the history's texts (about 40 KiB), so that showing a line of up to
  // 160 bytes allocates nothing: a caption changes while a poem is recited, on the frame thread.
  Captions();

  // Shows `text` from `start` until `end`. A line of the same kind that is still showing is
  // replaced (the next line of a recitation, focus moving on), so kinds do not pile up.
  void show(CaptionKind kind, std::string_view text, std::string_view language, double start, double end);
  // Ends the line of `kind` now (a recitation paused, speech cut short).
  void end(CaptionKind kind, double now);
  void clear(double now);

  // The lines showing at `now`, oldest first; valid until the next call. Allocates nothing.
  std::span<const Caption> showing(double now);
  // The last history_limit lines shown, with their real start and end, for tests (a kiosk runs
  // for months: older lines are dropped).
  std::span<const Caption> history() const { return history_; }

 private:
  // A string from the room set aside, holding `text` (a new one once that is used up).
  std::string take_text(std::string_view text);
  // Drops the lines ended by `now` and those that end before they start, their room kept.
  void drop_ended(double now);

  std::vector<Caption> lines_;  // showing or still to come, in order of start
  std::vector<Caption> history_;
  std::vector<std::string> spare_;  // emptied strings whose room the next lines reuse
};

}  // namespace pavilion::interaction
