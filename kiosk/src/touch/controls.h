// The touch screen's input: the pointer (a finger or the mouse), the drag that turns an exhibit,
// and the named touch targets drawn this frame, which the scripted visitor taps by name and the
// target-size check measures.
#pragma once

#include "pavilion/ui/ui_layer.h"

#include <string>
#include <string_view>
#include <vector>

namespace pavilion::kiosk {

// A named touch target drawn this frame.
struct Control {
  std::string name;
  float min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

struct TouchControls {
  ui::Pointer pointer;
  bool pointer_was_down = false;
  float drag_last_x = 0;
  bool dragging_scene = false;
  std::vector<Control> controls;  // reused: only the first `count` are this frame's
  size_t count = 0;

  // Among the last frame's targets; null when none has the name.
  const Control* find(std::string_view name) const;
  bool hit(std::string_view name, float x, float y) const;
};

}  // namespace pavilion::kiosk
