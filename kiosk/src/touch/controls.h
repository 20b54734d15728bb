// The touch screen's input: the pointer (a finger or the mouse), the drag that turns an exhibit,
// and the named touch targets drawn this frame, which the scripted visitor taps by name and the
// target-size check measures.
#pragma once

#include "pavilion/kiosk/kiosk.h"
#include "pavilion/render/window_target.h"
#include "pavilion/ui/ui_layer.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::kiosk {

struct TouchControls {
  // The first finger (or the mouse): ImGui's pointer, the drag, a leaf's corner, a tap.
  ui::Pointer pointer;
  // A second finger at once (a pinch): present only while it touches. The scripted visitor's
  // pinch makes one; in a window, the touch screen's second finger (WindowInput::touches).
  ui::Pointer second_finger{0, 0, false, false};
  bool pointer_was_down = false;
  float drag_last_x = 0;
  bool dragging_scene = false;
  std::vector<Control> controls;  // reused: only the first `count` are this frame's
  size_t count = 0;
  // The first of this frame's controls that belong to a panel drawn over the screen (the
  // accessibility panel, "still there?"): the keypad's focus stays among those while it shows.
  size_t modal_first = 0;
  // read_window's: a finger was the pointer last, and where the mouse was then.
  bool touch_was_pointer = false;
  double mouse_x = 0;
  double mouse_y = 0;

  // The window's fingers this frame: the touch screen's first two touch slots while a finger
  // touches or has just lifted (the pointer is slot 0's finger: a first finger lifting lifts the
  // pointer, and the second keeps its own place), else the mouse. After a touch the mouse's
  // pointer shows again only once the mouse moves or presses, so no hover lingers where a
  // finger lifted.
  void read_window(const render::WindowInput& input);

  // Among the last frame's targets; null when none has the name.
  const Control* find(std::string_view name) const;
  bool hit(std::string_view name, float x, float y) const;
  // The controls the keypad's focus moves among: the panel's while one shows, else the screen's.
  std::span<const Control> focus_order() const {
    return std::span<const Control>(controls).subspan(modal_first, count - modal_first);
  }
};

}  // namespace pavilion::kiosk
