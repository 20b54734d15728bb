// Where a scripted visitor (kiosk/README.md) is in its steps: taps in progress, waits, the
// screenshot asked for, a lost device to simulate.
#pragma once

#include "pavilion/kiosk/script.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::kiosk {

struct ScriptedVisitor {
  // Where the visitor is in its (possibly repeated) steps.
  struct Cursor {
    const std::vector<ScriptStep>* steps = nullptr;
    size_t next = 0;
    uint32_t rounds_left = 1;
  };
  enum class TapPhase { none, pressed, released };

  std::vector<Cursor> stack;
  double wait_until = 0;
  TapPhase tap_phase = TapPhase::none;
  // A drag underway: the finger went down at `from` at `started` and moves by `by` until
  // started + seconds, then is held a frame and lifted (as a tap is).
  struct Drag {
    float from_x = 0, from_y = 0, by_x = 0, by_y = 0;
    double started = 0;
    double seconds = 0;
  };
  std::optional<Drag> drag;
  // A pinch underway: two fingers about `centre`, `from` pixels apart at `started`, `to` apart at
  // started + seconds, then held a frame and lifted (as a tap is).
  struct Pinch {
    float centre_x = 0, centre_y = 0, from = 0, to = 0;
    double started = 0;
    double seconds = 0;
  };
  std::optional<Pinch> pinch;
  bool screenshot_wanted = false;
  std::string screenshot_name;
  bool lose_device_next_frame = false;
};

}  // namespace pavilion::kiosk
