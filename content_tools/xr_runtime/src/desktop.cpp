// The desktop preview: a curator sees what a headset would show, both eyes side by side in an X
// window, and plays the visitor with mouse and keyboard.
//
//   mouse            the active controller points where the pointer is
//   left button      trigger (select)          right button   squeeze (grab)
//   1 / 2            left / right controller active (the other hangs at the visitor's side)
//   arrow keys       thumbstick (← → snap-turn, ↑ aim a teleport, let go to land)
//   M                menu                      W A S D        walk
//   Q / E            turn the head             R / F          look up / down
//   Escape, or closing the window              quit (the session ends)
//
// Plain Xlib: the composed pictures are already in memory, so the window needs no GPU of its own.
#include "entry_points.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <glm/gtc/quaternion.hpp>

#include <cmath>
#include <cstring>

namespace pavilion::xr_runtime {

struct DesktopPreview {
  Display* display = nullptr;
  Window window = 0;
  GC context = nullptr;
  Atom close_atom = 0;
  XImage* image = nullptr;  // both eyes side by side, in the window's pixel format
  uint32_t eye_width = 0;
  uint32_t eye_height = 0;
  // The visitor the curator plays.
  glm::vec3 head{0.0f, standing_eye_height, 0.0f};
  float yaw = 0.0f;    // radians, left positive
  float pitch = 0.0f;  // radians, up positive
  size_t active_hand = 1;
  int mouse_x = -1;
  int mouse_y = -1;
  bool trigger = false;
  bool squeeze = false;
  bool menu = false;
  glm::vec2 stick{0.0f};
};

void DesktopPreviewDeleter::operator()(DesktopPreview* preview) const {
  if (preview->image != nullptr) XDestroyImage(preview->image);  // frees its pixels too
  if (preview->context != nullptr) XFreeGC(preview->display, preview->context);
  if (preview->window != 0) XDestroyWindow(preview->display, preview->window);
  if (preview->display != nullptr) XCloseDisplay(preview->display);
  delete preview;
}

std::unique_ptr<DesktopPreview, DesktopPreviewDeleter> open_desktop_preview(const HeadsetSettings& headset,
                                                                            std::string& error) {
  std::unique_ptr<DesktopPreview, DesktopPreviewDeleter> preview(new DesktopPreview);
  preview->display = XOpenDisplay(nullptr);
  if (preview->display == nullptr) {
    error = "the desktop preview needs a display (DISPLAY is unset or the X server refused); use the headless mode";
    return nullptr;
  }
  Display* display = preview->display;
  const int screen = DefaultScreen(display);
  if (DefaultDepth(display, screen) < 24) {
    error = "the desktop preview needs a 24-bit display";
    return nullptr;
  }
  preview->eye_width = headset.eye_width;
  preview->eye_height = headset.eye_height;
  const uint32_t width = headset.eye_width * 2;
  preview->window = XCreateSimpleWindow(display, RootWindow(display, screen), 0, 0, width, headset.eye_height, 0,
                                        BlackPixel(display, screen), BlackPixel(display, screen));
  XStoreName(display, preview->window, "Pavilion simulated headset");
  XSelectInput(display, preview->window,
               KeyPressMask | KeyReleaseMask | ButtonPressMask | ButtonReleaseMask | PointerMotionMask | StructureNotifyMask);
  preview->close_atom = XInternAtom(display, "WM_DELETE_WINDOW", False);
  XSetWMProtocols(display, preview->window, &preview->close_atom, 1);
  preview->context = XCreateGC(display, preview->window, 0, nullptr);
  auto* pixels = static_cast<char*>(std::calloc(size_t{width} * headset.eye_height, 4));
  preview->image = XCreateImage(display, DefaultVisual(display, screen), static_cast<unsigned>(DefaultDepth(display, screen)),
                                ZPixmap, 0, pixels, width, headset.eye_height, 32, 0);
  if (preview->image == nullptr) {
    std::free(pixels);
    error = "the desktop preview could not make its picture";
    return nullptr;
  }
  XMapWindow(display, preview->window);
  XFlush(display);
  return preview;
}

namespace {

constexpr float step_metres = 0.1f;
constexpr float turn_radians = 0.2618f;  // 15°

void press(DesktopPreview& preview, KeySym key, bool down) {
  const glm::vec3 ahead(-std::sin(preview.yaw), 0.0f, -std::cos(preview.yaw));
  const glm::vec3 right(std::cos(preview.yaw), 0.0f, -std::sin(preview.yaw));
  switch (key) {
    case XK_Left: preview.stick.x = down ? -1.0f : 0.0f; break;
    case XK_Right: preview.stick.x = down ? 1.0f : 0.0f; break;
    case XK_Up: preview.stick.y = down ? 1.0f : 0.0f; break;
    case XK_Down: preview.stick.y = down ? -1.0f : 0.0f; break;
    case XK_m: preview.menu = down; break;
    case XK_1: preview.active_hand = 0; break;
    case XK_2: preview.active_hand = 1; break;
    default: break;
  }
  if (!down) return;
  switch (key) {
    case XK_w: preview.head += ahead * step_metres; break;
    case XK_s: preview.head -= ahead * step_metres; break;
    case XK_a: preview.head -= right * step_metres; break;
    case XK_d: preview.head += right * step_metres; break;
    case XK_q: preview.yaw += turn_radians; break;
    case XK_e: preview.yaw -= turn_radians; break;
    case XK_r: preview.pitch = std::min(preview.pitch + turn_radians, 1.3f); break;
    case XK_f: preview.pitch = std::max(preview.pitch - turn_radians, -1.3f); break;
    default: break;
  }
}

// The ray through the pointer's pixel, in STAGE space, from the eye whose half it is over.
std::optional<glm::vec3> pointer_direction(const DesktopPreview& preview, const std::array<EyeView, 2>& eyes) {
  if (preview.mouse_x < 0 || preview.mouse_y < 0) return std::nullopt;
  const auto x = static_cast<uint32_t>(preview.mouse_x);
  const size_t eye = x < preview.eye_width ? 0 : 1;
  const float u = (static_cast<float>(x % preview.eye_width) + 0.5f) / static_cast<float>(preview.eye_width);
  const float v = (static_cast<float>(preview.mouse_y) + 0.5f) / static_cast<float>(preview.eye_height);
  const XrFovf& fov = eyes[eye].fov;
  const glm::vec3 in_eye(std::tan(fov.angleLeft) + u * (std::tan(fov.angleRight) - std::tan(fov.angleLeft)),
                         std::tan(fov.angleUp) - v * (std::tan(fov.angleUp) - std::tan(fov.angleDown)), -1.0f);
  return glm::normalize(eyes[eye].pose.orientation * in_eye);
}

}  // namespace

bool read_desktop_controls(DesktopPreview& preview, const std::array<EyeView, 2>& eyes, Sample& sample) {
  bool open = true;
  while (XPending(preview.display) > 0) {
    XEvent event;
    XNextEvent(preview.display, &event);
    switch (event.type) {
      case KeyPress:
      case KeyRelease: {
        const KeySym key = XLookupKeysym(&event.xkey, 0);
        if (key == XK_Escape) open = false;
        press(preview, key, event.type == KeyPress);
        break;
      }
      case ButtonPress:
      case ButtonRelease:
        if (event.xbutton.button == Button1) preview.trigger = event.type == ButtonPress;
        if (event.xbutton.button == Button3) preview.squeeze = event.type == ButtonPress;
        preview.mouse_x = event.xbutton.x;
        preview.mouse_y = event.xbutton.y;
        break;
      case MotionNotify:
        preview.mouse_x = event.xmotion.x;
        preview.mouse_y = event.xmotion.y;
        break;
      case ClientMessage:
        if (static_cast<Atom>(event.xclient.data.l[0]) == preview.close_atom) open = false;
        break;
      default: break;
    }
  }
  sample.head = {glm::angleAxis(preview.yaw, glm::vec3(0, 1, 0)) * glm::angleAxis(preview.pitch, glm::vec3(1, 0, 0)),
                 preview.head};
  // Both hands hang at the visitor's sides; the active one follows the pointer.
  for (size_t hand = 0; hand < 2; ++hand) {
    HandState& state = sample.hands[hand];
    const float side = hand == 0 ? -0.2f : 0.2f;
    state = {};
    state.pose = {glm::angleAxis(preview.yaw, glm::vec3(0, 1, 0)),
                  preview.head + glm::angleAxis(preview.yaw, glm::vec3(0, 1, 0)) * glm::vec3(side, -0.4f, -0.3f)};
    if (hand != preview.active_hand) continue;
    if (const auto direction = pointer_direction(preview, eyes)) {
      state.pose.orientation = glm::quat(glm::vec3(0, 0, -1), *direction);  // turns −Z onto the pointer
    }
    state.trigger = preview.trigger ? 1.0f : 0.0f;
    state.squeeze = preview.squeeze ? 1.0f : 0.0f;
    state.menu = preview.menu;
    state.thumbstick = preview.stick;
  }
  return open;
}

void show_on_desktop(DesktopPreview& preview, const std::array<Picture, 2>& eyes) {
  XImage& image = *preview.image;
  for (size_t eye = 0; eye < 2; ++eye) {
    const Picture& picture = eyes[eye];
    for (uint32_t y = 0; y < picture.height && y < preview.eye_height; ++y) {
      for (uint32_t x = 0; x < picture.width && x < preview.eye_width; ++x) {
        const uint8_t* rgba = picture.rgba.data() + (size_t{y} * picture.width + x) * 4;
        const unsigned long pixel = (static_cast<unsigned long>(rgba[0]) << 16) | (static_cast<unsigned long>(rgba[1]) << 8) | rgba[2];
        XPutPixel(&image, static_cast<int>(x + eye * preview.eye_width), static_cast<int>(y), pixel);
      }
    }
  }
  XPutImage(preview.display, preview.window, preview.context, &image, 0, 0, 0, 0, image.width, image.height);
  XFlush(preview.display);
}

}  // namespace pavilion::xr_runtime
