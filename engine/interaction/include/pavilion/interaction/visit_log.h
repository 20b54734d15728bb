// One visitor's visit as the interaction log keeps it (engine/telemetry/EVENTS.md): a session
// from the visitor's first input to its end, the scene they are in, the exhibit they have open
// and for how long, the poems they hear, the settings they change. The touch kiosk and the
// headset each keep their visits through it, so a headset visit reaches the hub as a touch visit
// does, with the input that started it.
//
// The render thread only. Nothing is allocated: events are fixed-size and the ids kept between
// calls are copied into fixed text. Without a Telemetry nothing is recorded, and the visit still
// keeps its times.
#pragma once

#include "pavilion/telemetry/event.h"
#include "pavilion/telemetry/telemetry.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace pavilion::interaction {

// How a visitor acts: what started a session (session_start's subject).
enum class InputMethod : uint8_t { touch, keypad, controller, hand, gaze };
std::string_view to_string(InputMethod method);

// An exhibit, named as the interaction log names it: by its package and its id.
struct ExhibitRef {
  telemetry::PackageRef package;
  std::string_view exhibit_id;
};

class VisitLog {
 public:
  // `telemetry` (null: nothing is recorded) must outlive this object.
  explicit VisitLog(telemetry::Telemetry* telemetry) : telemetry_(telemetry) {}

  // A visitor's first input: session_start, its subject the input method; then, when the screen
  // shows one language (a BCP 47 tag), language_change with it and the value 0, so the hub counts
  // every visit under the language it was read in, not only the visits of those who switched
  // (their language_change has the value 1). The headset's labels show both languages: none.
  void start_session(InputMethod method, double now, std::string_view language = {});
  // The open exhibit is closed, then session_end with the session's length and `reason`
  // (EVENTS.md lists them). Nothing without a session.
  void end_session(std::string_view reason, double now);
  bool in_session() const { return session_since_.has_value(); }

  // scene_exit for the scene shown before (with the time in it), then scene_enter for this one:
  // later events not about an exhibit name its package.
  void enter_scene(const telemetry::PackageRef& package, double now);
  void exit_scene(double now);

  // exhibit_open under the exhibit's own package; the exhibit open before is closed first.
  void open_exhibit(const ExhibitRef& exhibit, double now);
  // exhibit_close with the dwell; nothing when no exhibit is open.
  void close_exhibit(double now);

  // Any other event about an exhibit (a poem played, heard to its end or abandoned, a page
  // turned, a gaze that selected it), under its own package.
  void exhibit_event(telemetry::EventType type, const ExhibitRef& exhibit, int64_t value = 0);
  // Events about the visit itself: a language or accessibility change, an error.
  void event(telemetry::EventType type, std::string_view subject = {}, int64_t value = 0);

 private:
  static int64_t milliseconds(double seconds) { return static_cast<int64_t>(seconds * 1000.0); }

  telemetry::Telemetry* telemetry_;
  std::optional<double> session_since_;
  struct Shown {
    telemetry::FixedText<48> id;
    double since = 0;
  };
  std::optional<Shown> scene_;
  struct Open {
    telemetry::FixedText<48> package_id;
    telemetry::FixedText<24> package_version;
    telemetry::FixedText<64> exhibit_id;
    double since = 0;
  };
  std::optional<Open> exhibit_;
};

}  // namespace pavilion::interaction
