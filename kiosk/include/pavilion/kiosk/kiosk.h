// The kiosk: an unattended exhibition app. It shows the installed scenes in an attract loop,
// lets a visitor choose exhibits from a touch menu, resets itself after each visitor, follows
// the opening hours and campaign dates, and gives the operator a status screen behind a PIN.
//
// Screens: attract → (touch) home → exhibit ⇄ home; "still there?" over any of them when the
// visitor has gone quiet; closed outside opening hours; operator PIN → operator menu → test
// pattern. The frame loop never blocks on loading: scenes load on another thread behind a fade.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/kiosk/script.h"
#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/scene/show.h"
#include "pavilion/speech/narrator.h"

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace pavilion::kiosk {

enum class Screen { attract, home, exhibit, closed, operator_pin, operator_menu, test_pattern };
std::string_view to_string(Screen screen);

// A named touch target drawn in a frame (what a scripted visitor taps by name), its rectangle in
// pixels from the screen's top-left corner.
struct Control {
  std::string name;
  float min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  // What the spoken interface says for it, in the visitor's language: its label in words and its
  // state ("High contrast, on"). Empty: not in the keypad's focus order (the operator's corner).
  std::string spoken;
};

// A line the spoken interface said (kiosk/ACCESSIBILITY.md), times on the kiosk's clock.
using SpokenLine = speech::SpokenLine;

// What happened during a run, for tests and benchmarks.
struct KioskReport {
  uint64_t frames = 0;
  uint64_t sessions = 0;
  uint64_t device_recoveries = 0;
  Screen screen = Screen::attract;
  std::string shown_package;  // file name (or ID@VERSION) of the package on screen, as scenes change
  std::vector<std::string> skipped_packages;  // file names, with the operator screen's reason
  std::vector<std::string> validation_messages;  // with KioskOptions::validation
  std::vector<std::string> script_failures;
  std::vector<std::string> screenshots;  // files written
  // Controls drawn smaller than 9 mm (WCAG 2.2 target size, with our margin), by name.
  std::vector<std::string> undersized_controls;
  // The last frame's costs (with after_frame, frame by frame; benchmarks): the frame loop's own
  // work before it hands the frame to the renderer (input, exhibits, interface), the renderer's
  // CPU work on it (culling, recording, submitting), and the GPU time its timestamps measured for
  // a frame a few before (0 where the device has no timestamps).
  double frame_work_ms = 0;
  double render_cpu_ms = 0;
  double gpu_ms = 0;
  double last_touch_to_frame_ms = 0;  // from a touch that chose a scene to that scene's first frame
  double last_load_to_frame_ms = 0;   // of that: from the start of loading (after the fade out)
  // Root mean square of the last frame's sound, 0 to 1, when it is mixed into memory (a scripted
  // visit, or no sound card): what a visitor would have heard.
  double sound_level = 0;
  // Every line the narrator said (its last 256), as the run ends; and the keypad's focus as of the
  // last frame (a control's name; empty: none).
  std::vector<SpokenLine> spoken;
  std::string focused_control;
  // The last frame's named controls in the order drawn (geometry and focus-order tests), where
  // its camera stood (scene metres) and how far it had faded to black (0: the scene shows, 1:
  // black): with after_frame, frame by frame.
  std::vector<Control> controls;
  std::array<float, 3> camera_eye{};
  float fade = 0;
  // Every caption shown (the last 256), with its kind, language, start and end on the kiosk's
  // clock (a line still showing at the end of the run ends at infinity): at the end of a run.
  std::vector<interaction::Caption> captions;
  // Where the last frame drew its captions' band (left, top, right, bottom in pixels; all 0:
  // none was drawn).
  std::array<float, 4> caption_band{};
  // The description the last frame's info panel showed (simple mode: the plain-language one;
  // empty: no info panel).
  std::string description_shown;
  // Every word the last frame's info panel drew (its title, headings, values, the exhibit
  // player's rows and last lines), each on a line of its own; empty: no info panel.
  std::string panel_text;
  // The shown scene's festival show, frame by frame (with after_frame): whether one plays, the
  // clock it was moved on to (seconds since it started), the music's own clock (seconds into the
  // music heard; negative: none playing), where in the show it is, its events this frame, its
  // sounds heard, the titles drawn (and the first one's opacity), whether it loops and is calm.
  struct ShowState {
    bool playing = false;
    double clock_seconds = 0;
    double music_seconds = -1;
    float show_seconds = 0;
    uint32_t pass = 0;
    bool finished = false;
    bool looping = false;
    bool calm = false;
    bool camera_used = false;  // the kiosk's view is the show's camera this frame
    std::vector<scene::ShowEvent> events;
    uint32_t sounds_playing = 0;
    uint32_t titles_drawn = 0;
    float first_title_alpha = 0;
  };
  ShowState show;
  // Every show moment a visitor started, as logged ("lantern_released@lantern"): the whole run.
  std::vector<std::string> show_moments;
};

struct KioskOptions {
  bool headless = false;  // draw offscreen (no display needed); otherwise a window
  bool fullscreen = false;
  uint32_t width = 1280;
  uint32_t height = 720;
  bool validation = false;  // the Khronos validation layer (tests)
  // Played on a virtual clock instead of waiting for touches; the kiosk exits when it ends.
  std::optional<VisitScript> script;
  std::filesystem::path screenshot_folder = ".";
  uint64_t max_frames = 0;  // stop after this many frames (0: run until closed)
  // Called after each frame drawn, with the report so far: for tests and benchmarks that look
  // at frames one by one.
  std::function<void(const KioskReport&)> after_frame;
};

// How a run ended, for the process's exit status.
enum class RunEnd {
  closed,             // the window was closed, or the script or frame budget ran out
  restart_requested,  // the operator chose Restart: the service manager starts it again
  script_failed,      // an "expect" step did not hold
};


class Kiosk {
 public:
  static Result<std::unique_ptr<Kiosk>> create(const KioskConfig& config, const KioskOptions& options);
  ~Kiosk();
  Kiosk(const Kiosk&) = delete;
  Kiosk& operator=(const Kiosk&) = delete;

  // Runs until the window closes, the script ends or the operator restarts it.
  Result<RunEnd> run();
  const KioskReport& report() const;

  struct State;

 private:
  explicit Kiosk(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pavilion::kiosk
