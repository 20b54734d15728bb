// A scripted visitor (--script visit.json, documented in kiosk/README.md): touches, waits and
// screenshots played on a virtual clock, one fixed step per frame, so a run is the same every
// time. For tests, demos and load tests.
#pragma once

#include "pavilion/checking/json_checker.h"
#include "pavilion/core/error.h"
#include "pavilion/kiosk/keypad.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pavilion::kiosk {

struct WaitStep {
  double seconds = 0;
};
// Touches a named control (as the interface names them: "begin", "exhibit:gallery/celadon-vase",
// "pin:4"…) or a point in pixels, pressing for one frame and lifting on the next.
struct TapStep {
  std::string control;
  float x = 0, y = 0;
};
struct ScreenshotStep {
  std::filesystem::path file;  // relative to the screenshot folder
};
// Fails the run unless the kiosk shows this screen ("attract", "home", "exhibit", "still-there",
// "operator-pin", "operator", "test-pattern", "closed").
struct ExpectStep {
  std::string screen;
};
// Presses a keypad key for one frame (kiosk/ACCESSIBILITY.md); a select waits for the tap it
// makes on the focused control to finish.
struct KeyStep {
  KeypadKey key = KeypadKey::down;
};
// Fails the run unless the keypad's focus is on the control with this name.
struct ExpectFocusStep {
  std::string control;
};
// Presses on a named control (or a point in pixels), moves the finger by `by` pixels evenly over
// `seconds`, holds it there for a frame and lifts it: a drag (a book's leaf turned by its corner).
struct DragStep {
  std::string control;
  float x = 0, y = 0;
  float by_x = 0, by_y = 0;
  double seconds = 0.5;
};
// Puts two fingers down `from` pixels apart, side by side about a named control's centre (or a
// point), moves them apart or together to `to` pixels over `seconds`, holds them a frame and
// lifts them: a pinch (a book zoomed into, or out of).
struct PinchStep {
  std::string control;
  float x = 0, y = 0;
  float from = 0, to = 0;
  double seconds = 0.5;
};
// Makes the next frame report a lost GPU device, to exercise recovery.
struct LoseDeviceStep {};
// Repeats its steps `times` times (load tests: a thousand visitors).
struct RepeatStep;

using ScriptStep =
    std::variant<WaitStep, TapStep, DragStep, PinchStep, ScreenshotStep, ExpectStep, LoseDeviceStep, KeyStep, ExpectFocusStep, RepeatStep>;

struct RepeatStep {
  uint32_t times = 1;
  std::vector<ScriptStep> steps;
};

struct VisitScript {
  std::filesystem::path file;
  std::chrono::sys_seconds start{};  // the virtual clock's first instant
  double frame_seconds = 1.0 / 30.0;
  std::vector<ScriptStep> steps;
};

Result<VisitScript> read_visit_script(const std::filesystem::path& file);
std::optional<VisitScript> parse_visit_script(std::string_view text, const std::filesystem::path& file,
                                              std::vector<checking::Finding>& findings);

// "2027-01-28T10:00:00+08:00" or "…Z".
std::optional<std::chrono::sys_seconds> parse_iso8601(std::string_view text);

}  // namespace pavilion::kiosk
