#include "x_client.h"

#include <X11/Xlib.h>
#include <X11/extensions/XInput2.h>
#include <X11/extensions/XTest.h>

#include <array>
#include <cstring>

namespace pavilion::testing {
namespace {

int last_error = Success;

int note_error(Display*, XErrorEvent* error) {
  last_error = error->error_code;
  return 0;
}

}  // namespace

XClient::XClient() : display_(XOpenDisplay(nullptr)) {
  int major = 2;
  int minor = 2;
  if (display_ != nullptr) static_cast<void>(XIQueryVersion(display_, &major, &minor));
}

XClient::~XClient() {
  if (display_ != nullptr) XCloseDisplay(display_);
}

XClient::WindowId XClient::find(const char* title) const {
  Window root = 0;
  Window parent = 0;
  Window* children = nullptr;
  unsigned int count = 0;
  Window found = 0;
  if (!XQueryTree(display_, DefaultRootWindow(display_), &root, &parent, &children, &count)) return 0;
  for (unsigned int index = 0; index < count && found == 0; ++index) {
    char* name = nullptr;
    if (XFetchName(display_, children[index], &name) && name != nullptr) {
      if (std::strcmp(name, title) == 0) found = children[index];
      XFree(name);
    }
  }
  if (children != nullptr) XFree(children);
  return found;
}

XClient::TouchSelection XClient::select_touches(WindowId window) const {
  std::array<unsigned char, XIMaskLen(XI_LASTEVENT)> bits{};
  XISetMask(bits.data(), XI_TouchBegin);
  XISetMask(bits.data(), XI_TouchUpdate);
  XISetMask(bits.data(), XI_TouchEnd);
  XIEventMask mask{XIAllMasterDevices, static_cast<int>(bits.size()), bits.data()};
  last_error = Success;
  const XErrorHandler previous = XSetErrorHandler(&note_error);
  XISelectEvents(display_, window, &mask, 1);
  XSync(display_, False);
  XSetErrorHandler(previous);
  if (last_error == Success) return TouchSelection::taken;
  return last_error == BadAccess ? TouchSelection::refused : TouchSelection::failed;
}

void XClient::mouse(WindowId window, int x, int y, bool pressed) const {
  XRaiseWindow(display_, window);
  int root_x = 0;
  int root_y = 0;
  Window child = 0;
  XTranslateCoordinates(display_, window, DefaultRootWindow(display_), x, y, &root_x, &root_y, &child);
  XTestFakeMotionEvent(display_, -1, root_x, root_y, CurrentTime);
  XTestFakeButtonEvent(display_, 1, pressed ? True : False, CurrentTime);
  XSync(display_, False);
}

}  // namespace pavilion::testing
