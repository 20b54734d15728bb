#include "x11_touch.h"

#include "pavilion/core/log.h"

namespace pavilion::render {
namespace {

// What selecting raised, caught by a handler set only around that request and its XSync.
int selection_error = 0;

int note_selection_error(Display*, XErrorEvent* error) {
  selection_error = error->error_code;
  return 0;
}

// Why touches come as the pointer, said once a process: a kiosk made again after a lost GPU
// device opens its window again, and the reason has not changed.
void say_once_why_without_touch(std::string_view why) {
  static bool said = false;
  if (said) return;
  said = true;
  log::warn("window", "touches come as GLFW's pointer, one finger at a time (no pinch): {}", why);
}

}  // namespace

void TouchSlots::begin_poll() {
  for (size_t slot = 0; slot < points_.size(); ++slot) {
    TouchPoint& point = points_[slot];
    Holder& holder = holders_[slot];
    if (point.present && !point.down) {
      point = {};
      holder = {};
    } else if (holder.lift_next_poll) {
      point.down = false;
      holder.lift_next_poll = false;
    }
    holder.began_this_poll = false;
  }
}

TouchPoint* TouchSlots::find(const XIDeviceEvent& event) {
  for (size_t slot = 0; slot < points_.size(); ++slot) {
    const Holder& holder = holders_[slot];
    if (points_[slot].down && !holder.lift_next_poll && holder.source == event.sourceid &&
        holder.touch == static_cast<unsigned int>(event.detail)) {
      return &points_[slot];
    }
  }
  return nullptr;
}

void TouchSlots::lift(TouchPoint& point) {
  Holder& holder = holders_[static_cast<size_t>(&point - points_.data())];
  // A tap shorter than a frame must still be seen pressed by what reads one poll at a time.
  if (holder.began_this_poll) {
    holder.lift_next_poll = true;
  } else {
    point.down = false;
  }
}

void TouchSlots::take(const XIDeviceEvent& event, double scale) {
  const double x = event.event_x * scale;
  const double y = event.event_y * scale;
  switch (event.evtype) {
    case XI_TouchBegin: {
      if (TouchPoint* held = find(event)) {  // already followed: nothing new, only where it is
        held->x = x;
        held->y = y;
        return;
      }
      for (size_t slot = 0; slot < points_.size(); ++slot) {
        if (points_[slot].present) continue;
        points_[slot] = {x, y, true, true};
        holders_[slot] = {event.sourceid, static_cast<unsigned int>(event.detail), true, false};
        return;
      }
      return;
    }
    case XI_TouchUpdate:
    case XI_TouchEnd: {
      TouchPoint* point = find(event);
      if (point == nullptr) return;  // not followed, or already lifted (a TouchEnd after its pending end)
      point->x = x;
      point->y = y;
      // The end, or the finger off the screen while another client's grab decides whose the
      // touch is; either way the finger has gone, and a touch another client takes ends here too.
      if (event.evtype == XI_TouchEnd || (event.flags & XITouchPendingEnd) != 0) lift(*point);
      return;
    }
    default: return;
  }
}

std::unique_ptr<X11TouchReader> X11TouchReader::open(Display* glfw_display, Window window) {
  if (glfw_display == nullptr || window == 0) {
    say_once_why_without_touch("the window is not an X11 window");
    return nullptr;
  }
  Display* display = XOpenDisplay(DisplayString(glfw_display));
  if (display == nullptr) {
    say_once_why_without_touch("a second connection to the X server could not be opened");
    return nullptr;
  }
  int opcode = 0;
  int first_event = 0;
  int first_error = 0;
  int major = 2;
  int minor = 2;
  if (!XQueryExtension(display, "XInputExtension", &opcode, &first_event, &first_error) ||
      XIQueryVersion(display, &major, &minor) != Success || major < 2 || (major == 2 && minor < 2)) {
    XCloseDisplay(display);
    say_once_why_without_touch("the X server has no XInput 2.2");
    return nullptr;
  }
  std::array<unsigned char, XIMaskLen(XI_LASTEVENT)> bits{};
  XISetMask(bits.data(), XI_TouchBegin);
  XISetMask(bits.data(), XI_TouchUpdate);
  XISetMask(bits.data(), XI_TouchEnd);
  XIEventMask mask{XIAllMasterDevices, static_cast<int>(bits.size()), bits.data()};
  selection_error = 0;
  XErrorHandler previous = XSetErrorHandler(&note_selection_error);
  XISelectEvents(display, window, &mask, 1);
  XSync(display, False);
  XSetErrorHandler(previous);
  if (selection_error != 0) {
    // BadAccess: another client of this window already takes its touches.
    std::array<char, 128> text{};
    XGetErrorText(display, selection_error, text.data(), static_cast<int>(text.size()));
    XCloseDisplay(display);
    say_once_why_without_touch(fmt::format("selecting touch events on the window failed ({})", text.data()));
    return nullptr;
  }
  log::debug("window", "reading touches through XInput {}.{}", major, minor);
  return std::unique_ptr<X11TouchReader>(new X11TouchReader(display, opcode));
}

X11TouchReader::~X11TouchReader() { XCloseDisplay(display_); }

void X11TouchReader::drain(TouchSlots& slots, double scale) {
  // XPending reads what the socket holds without waiting. Touch events are all this connection
  // selects, so every XInput event on it is an XIDeviceEvent.
  while (XPending(display_) > 0) {
    XEvent event;
    XNextEvent(display_, &event);
    XGenericEventCookie& cookie = event.xcookie;
    if (cookie.type != GenericEvent || cookie.extension != opcode_ || !XGetEventData(display_, &cookie)) continue;
    slots.take(*static_cast<const XIDeviceEvent*>(cookie.data), scale);
    XFreeEventData(display_, &cookie);
  }
}

}  // namespace pavilion::render
