// The touch screen's fingers for a GLFW window on X11, from XInput 2.2 touch events.
//
// GLFW selects no touch events and drops the XInput events it does not know, so the reader has
// its own connection to the same X server, selects XI_TouchBegin/Update/End on GLFW's window and
// is drained once a frame without blocking. Selecting touch events on the window ends pointer
// emulation for it (XI2 protocol, "Pointer emulation from multitouch events": a window whose
// client takes touch events gets no emulated pointer events for them), so from then on every
// finger, the first and only one of a tap included, comes from here; the mouse still comes
// through GLFW.
//
// X11 headers define None, Bool, Status…: only window_target.cpp and tests include this.
#pragma once

#include "pavilion/render/window_target.h"

#include <X11/Xlib.h>
#include <X11/extensions/XInput2.h>

#include <array>
#include <memory>

namespace pavilion::render {

// The fingers as XI touch events describe them, each kept in one slot from its TouchBegin to
// the poll after its end (WindowInput::touches says what a slot shows). Allocates nothing.
class TouchSlots {
 public:
  // Starts a poll: fingers shown lifted at the previous poll leave their slots, and fingers that
  // touched and ended within the previous poll show lifted now.
  void begin_poll();
  // One XI device event of the window's: TouchBegin, TouchUpdate and TouchEnd move fingers (a
  // TouchUpdate flagged XITouchPendingEnd is a finger off the screen whose end waits on another
  // client's grab); other events are not touches and change nothing. `scale`: framebuffer
  // pixels per window pixel. A finger beyond the slots is not followed.
  void take(const XIDeviceEvent& event, double scale);
  const std::array<TouchPoint, max_touch_points>& points() const { return points_; }

 private:
  // Which finger a slot holds: touch ids are unique per source device.
  struct Holder {
    int source = 0;
    unsigned int touch = 0;
    bool began_this_poll = false;  // a tap whose end comes in the same poll still shows down once
    bool lift_next_poll = false;
  };
  TouchPoint* find(const XIDeviceEvent& event);
  void lift(TouchPoint& point);

  std::array<TouchPoint, max_touch_points> points_{};
  std::array<Holder, max_touch_points> holders_{};
};

// The reader's connection, open only where the X server speaks XInput 2.2 and selecting touch
// events on the window raised no X error.
class X11TouchReader {
 public:
  // On the X server `glfw_display` is connected to, touch events of `window` (a GLFW window).
  // Null, having said why in the log once per process, where touches must come as GLFW's pointer.
  static std::unique_ptr<X11TouchReader> open(Display* glfw_display, Window window);
  ~X11TouchReader();
  X11TouchReader(const X11TouchReader&) = delete;
  X11TouchReader& operator=(const X11TouchReader&) = delete;

  // Takes every event that has arrived, without waiting, into `slots`.
  void drain(TouchSlots& slots, double scale);

 private:
  X11TouchReader(Display* display, int opcode) : display_(display), opcode_(opcode) {}
  Display* display_;
  int opcode_;  // XInputExtension's major opcode: its events' cookie.extension
};

}  // namespace pavilion::render
