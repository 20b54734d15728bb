// The keypad's focus over a screen's controls: those drawn this frame that have words to speak,
// in drawing order (a control with none, such as the operator's corner, is never in it). The
// focus is held by name, so it stays on its control while the screen is drawn again each frame
// and the control moves or changes its face. Pure logic over the frame's controls, so its tests
// need no screen.
#pragma once

#include "touch/controls.h"

#include <span>
#include <string>
#include <string_view>

namespace pavilion::kiosk {

class FocusRing {
 public:
  enum class Move { none, moved, wrapped_to_first, wrapped_to_last };

  FocusRing() { name_.reserve(128); }

  // Keeps the focus on its control when `controls` still has it; otherwise (another screen, the
  // control gone) puts it on the first. Returns whether the focused control changed.
  bool sync(std::span<const Control> controls);
  // Moves the focus `step` controls on (+1 down, −1 up), wrapping around the ends; with none
  // focused, down goes to the first and up to the last.
  Move move(std::span<const Control> controls, int step);
  // Focuses the control named `name` when `controls` has it (and it has words).
  bool focus(std::span<const Control> controls, std::string_view name);
  // The focused control among `controls`, or null.
  const Control* focused(std::span<const Control> controls) const;
  std::string_view name() const { return name_; }
  void clear() { name_.clear(); }

 private:
  std::string name_;  // reserved once: focus moves every frame a key is pressed and must not allocate
};

// Whether `control` is in the focus order.
inline bool focusable(const Control& control) { return !control.spoken.empty(); }

}  // namespace pavilion::kiosk
