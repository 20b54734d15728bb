// A visitor's session and what they chose during it. A session starts at the first touch and
// ends after a stretch without one (with a "still there?" countdown first) or when the visitor
// leaves; everything they changed then goes back to how the next visitor should find it.
#pragma once

#include <cstdint>

namespace pavilion::kiosk {

enum class Language { zh_cn, en };
// "zh-CN", "en": as the interaction log names a language (engine/telemetry/EVENTS.md).
constexpr const char* language_tag(Language language) { return language == Language::zh_cn ? "zh-CN" : "en"; }

// How long the kiosk waits for a visitor before asking "still there?" and ending the visit
// (the Trace Center's ITM: no timed response that cannot be extended).
enum class TimeChoice {
  standard,   // idle_timeout_seconds, then still_there_seconds (kiosk.json)
  ten_times,  // both ten times as long
  off,        // no question until an hour without any input (unattended_limit_seconds)
};
// An unattended kiosk must come back for the next visitor even when time is "off": after this
// long with no input at all, the visit ends.
inline constexpr double unattended_limit_seconds = 3600;

// What a visitor may change for themselves; reset with each session.
struct VisitorSettings {
  Language language = Language::zh_cn;
  float text_scale = 1.0f;  // 1.0 … 2.0
  bool high_contrast = false;
  bool audio_descriptions = false;  // shows (and, with the audio engine, reads) each exhibit's description for blind visitors
  bool calm = false;                // less motion, no flashing, no fades
  bool seated = false;              // eye height for wheelchair users and seated headset wear
  // Poems announce themselves and are read aloud as soon as they open, and the screen answers
  // to touches in large zones: for visitors who cannot see it.
  bool audio_only = false;
  TimeChoice time = TimeChoice::standard;
  // Every control of every visitor screen within the bottom 55 % of the screen, for a seated
  // visitor's reach (kiosk/ACCESSIBILITY.md).
  bool lower_layout = false;
  // What is heard, also shown (WCAG 1.2.2): on for every visitor, who may turn them off.
  bool captions = true;
  // Easy reading: each exhibit's plain-language description (description_easy), shown and read
  // aloud in place of its description; larger touch targets and text.
  bool simple = false;
  friend bool operator==(const VisitorSettings&, const VisitorSettings&) = default;
};

inline constexpr float min_text_scale = 1.0f;
inline constexpr float max_text_scale = 2.0f;

class VisitorSession {
 public:
  enum class Phase { none, active, still_there };
  enum class Change { none, started, countdown_started, ended_by_timeout };

  VisitorSession(double idle_timeout_seconds, double still_there_seconds)
      : idle_timeout_(idle_timeout_seconds), still_there_(still_there_seconds) {}

  // A touch at `now` (seconds on the kiosk's clock): starts a session, or keeps one going.
  Change touch(double now);
  // Advances to `now`: starts the countdown or ends the session when their time has come, as
  // long as the visitor's `time` choice makes it.
  Change update(double now, TimeChoice time = TimeChoice::standard);
  // The visitor chose to leave.
  void end();

  Phase phase() const { return phase_; }
  bool active() const { return phase_ != Phase::none; }
  // Seconds until the session ends, while "still there?" shows.
  double seconds_left(double now, TimeChoice time = TimeChoice::standard) const;
  // The silence before "still there?", and the question's countdown, under `time`.
  double idle_timeout(TimeChoice time) const;
  double still_there(TimeChoice time) const;
  uint64_t sessions_started() const { return sessions_started_; }

 private:
  double idle_timeout_;
  double still_there_;
  Phase phase_ = Phase::none;
  double last_touch_ = 0;
  uint64_t sessions_started_ = 0;
};

}  // namespace pavilion::kiosk
