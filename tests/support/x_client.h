// For tests on a real X server (Xvfb): an X client of the test's own, which finds a window by its
// title, moves and presses the mouse through XTest, and tries to take a window's touch events.
// X11's headers stay in x_client.cpp (their macros, None, Bool, Status…, would meet the tests').
// A test using it compiles support/x_client.cpp and links X11::X11, X11::Xi and X11::Xtst.
#pragma once

#include <cstdint>

struct _XDisplay;

namespace pavilion::testing {

class XClient {
 public:
  using WindowId = unsigned long;  // an X11 Window (XID)
  enum class TouchSelection { taken, refused, failed };

  // Connects to $DISPLAY and speaks XInput 2.2 (touch masks need it).
  XClient();
  ~XClient();
  XClient(const XClient&) = delete;
  XClient& operator=(const XClient&) = delete;
  bool connected() const { return display_ != nullptr; }

  // The top-level window titled `title` (Xvfb has no window manager to reparent it); 0: none.
  WindowId find(const char* title) const;
  // Asks for `window`'s touch events (TouchBegin, TouchUpdate, TouchEnd of every master device).
  // Only one client may take a window's touches: refused (BadAccess) while another has them.
  TouchSelection select_touches(WindowId window) const;
  // Raises `window`, moves the mouse to (x, y) of it and presses or releases its left button.
  void mouse(WindowId window, int x, int y, bool pressed) const;

 private:
  _XDisplay* display_;
};

}  // namespace pavilion::testing
