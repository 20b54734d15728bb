// The simulated headset's desktop preview, on a real X server (Xvfb): both eyes side by side in a
// window, and the curator's mouse and keys moving the visitor's head and controller.
#include "headset_rig.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/renderer.h"
#include "pavilion/xr/headset.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>
// After GoogleTest: Xlib's macros (None, Bool, Status) would rename GoogleTest's own types.
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <cstdlib>
#include <cstring>

namespace pavilion::xr {
namespace {

// The preview's window among the root's children, by its title.
Window find_preview(Display* display) {
  Window root = 0;
  Window parent = 0;
  Window* children = nullptr;
  unsigned count = 0;
  Window found = 0;
  if (XQueryTree(display, DefaultRootWindow(display), &root, &parent, &children, &count) == 0) return 0;
  for (unsigned index = 0; index < count && found == 0; ++index) {
    char* name = nullptr;
    if (XFetchName(display, children[index], &name) != 0 && name != nullptr) {
      if (std::strcmp(name, "Pavilion simulated headset") == 0) found = children[index];
      XFree(name);
    }
  }
  if (children != nullptr) XFree(children);
  return found;
}

void send_key(Display* display, Window window, KeySym key, bool down) {
  XEvent event{};
  event.xkey.type = down ? KeyPress : KeyRelease;
  event.xkey.display = display;
  event.xkey.window = window;
  event.xkey.keycode = XKeysymToKeycode(display, key);
  XSendEvent(display, window, False, down ? KeyPressMask : KeyReleaseMask, &event);
}

void send_button(Display* display, Window window, unsigned button, int x, int y, bool down) {
  XEvent event{};
  event.xbutton.type = down ? ButtonPress : ButtonRelease;
  event.xbutton.display = display;
  event.xbutton.window = window;
  event.xbutton.button = button;
  event.xbutton.x = x;
  event.xbutton.y = y;
  XSendEvent(display, window, False, down ? ButtonPressMask : ButtonReleaseMask, &event);
}

TEST(DesktopPreview, ShowsBothEyesAndTheCuratorsMouseAndKeysMoveTheVisitor) {
  ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "runs under Xvfb (CTest starts it)";
  setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
  setenv("PAVILION_XR_SIM_MODE", "desktop", 1);
  setenv("PAVILION_XR_SIM_EYE", "160x120", 1);
  const procedural::TestScene test_scene = procedural::textured_object();
  testing::HeadsetRig rig;
  ASSERT_TRUE(testing::start_headset(rig, test_scene.scene));

  Display* display = XOpenDisplay(nullptr);
  ASSERT_NE(display, nullptr);
  std::array<glm::vec3, 2> heads{};
  std::array<HandInput, 2> right_hands{};
  SessionPhase phase = SessionPhase::waiting;
  Window window = 0;
  bool pressed_seen = false;
  for (int frame = 1; frame <= 60 && phase != SessionPhase::exiting; ++frame) {
    auto polled = rig.session->poll_events();
    ASSERT_TRUE(polled.ok()) << polled.error().describe();
    phase = *polled;
    if (phase != SessionPhase::running) continue;
    auto views = rig.session->begin_frame(glm::mat4(1.0f));
    ASSERT_TRUE(views.ok()) << views.error().describe();
    if (!views->has_value()) {
      ASSERT_TRUE(rig.session->skip_frame().ok());
      continue;
    }
    auto input = rig.session->read_input();
    ASSERT_TRUE(input.ok()) << input.error().describe();
    ASSERT_TRUE(rig.renderer->render(*rig.session, **views).ok());
    if (frame == 2) {
      heads[0] = (*input)->head_position;
      right_hands[0] = (*input)->hands[1];
      window = find_preview(display);
      ASSERT_NE(window, 0u) << "the preview's window is open";
      // What the window shows: both eyes' sky and floor, side by side.
      XImage* shown = XGetImage(display, window, 0, 0, 320, 120, AllPlanes, ZPixmap);
      ASSERT_NE(shown, nullptr);
      for (const int x : {80, 240}) {
        const unsigned long sky = XGetPixel(shown, x, 5);
        EXPECT_GT(sky & 0xff, (sky >> 16) & 0xff) << "blue sky over eye at x " << x;
      }
      XDestroyImage(shown);
      // Walk forward, and point at the middle of the left eye and press the trigger.
      send_key(display, window, XK_w, true);
      send_key(display, window, XK_w, false);
      send_button(display, window, Button1, 40, 60, true);
      XSync(display, False);  // the server has them: the runtime reads them at a coming frame
    }
    // The frame the press arrives at: a press is an edge, seen in that frame alone.
    if (frame > 2 && !pressed_seen && (*input)->hands[1].select) {
      pressed_seen = true;
      heads[1] = (*input)->head_position;
      right_hands[1] = (*input)->hands[1];
      send_key(display, window, XK_Escape, true);  // the curator quits
      XSync(display, False);
    }
  }
  XCloseDisplay(display);
  ASSERT_TRUE(pressed_seen) << "the left button's press reached the engine";
  EXPECT_EQ(phase, SessionPhase::exiting) << "Escape ends the session";
  EXPECT_NEAR(heads[1].z - heads[0].z, -0.1f, 1e-4f) << "W walks ten centimetres ahead";
  EXPECT_FALSE(right_hands[0].select);
  EXPECT_TRUE(right_hands[1].select && right_hands[1].select_pressed) << "the left button pulls the trigger";
  // The pointer at (40, 60) is left of the left eye's middle: the controller turned left of ahead.
  EXPECT_LT(right_hands[1].ray_direction.x, -0.2f);
  EXPECT_TRUE(rig.validation_clean());
  unsetenv("PAVILION_XR_SIM_MODE");
}

}  // namespace
}  // namespace pavilion::xr
