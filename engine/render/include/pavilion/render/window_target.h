// A desktop window (GLFW) with a Vulkan swapchain: the kiosk's screen and the curator's preview.
// It survives resizing, minimising and out-of-date surfaces by rebuilding its swapchain.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/render/context.h"
#include "pavilion/render/render_target.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::render {

struct WindowConfig {
  std::string title = "Pavilion";
  uint32_t width = 1280;
  uint32_t height = 720;
  bool fullscreen = false;  // on the primary monitor at its current mode
  bool vsync = true;        // FIFO presentation; without it, mailbox or immediate where offered
  // Read the touch screen's fingers (X11 XInput 2.2) into WindowInput::touches. Touches then no
  // longer come as the mouse (the X server stops emulating a pointer for a window that takes
  // touch events), so only an app that reads every finger from `touches` asks for it.
  bool touch = false;
};

// The keys an app may answer: what a kiosk's keypad (kiosk/ACCESSIBILITY.md) or a keyboard
// sends. Others are not reported.
enum class Key : uint8_t {
  up, down, left, right, enter, space, backspace, escape, f1, h,
  slash,   // the "/ ?" key, with or without Shift
  equals,  // the "= +" key, with or without Shift
  minus,
  keypad_0, keypad_2, keypad_5, keypad_8, keypad_enter, keypad_add, keypad_subtract, keypad_multiply,
};

// A finger on the touch screen (WindowConfig::touch), as of the last poll_events().
struct TouchPoint {
  double x = 0;  // in framebuffer pixels from the top left
  double y = 0;
  bool down = false;     // on the screen
  bool present = false;  // on the screen, or lifted since the previous poll (then where it lifted)
};

inline constexpr size_t max_touch_points = 10;

// Pointer and keyboard state as of the last poll_events().
struct WindowInput {
  double cursor_x = 0;  // in framebuffer pixels from the top left
  double cursor_y = 0;
  bool primary_button = false;    // left mouse button, or a touch
  bool secondary_button = false;  // right mouse button
  double scroll = 0;              // wheel steps since the previous poll
  bool escape_pressed = false;    // since the previous poll
  bool space_pressed = false;     // since the previous poll
  // Keys pressed since the previous poll, in order (held keys do not repeat); at most 16.
  std::array<Key, 16> keys{};
  uint32_t key_count = 0;
  // The fingers on the touch screen, each in the slot it took when it touched (the lowest free
  // one) until the poll after it lifted: the first two are the first two fingers of a pinch
  // whatever their order on the wire, and a finger lifting never moves another to its slot.
  // A finger that touched and lifted between two polls shows down once, and lifted at the next.
  std::array<TouchPoint, max_touch_points> touches{};
  // Touches are read (WindowConfig::touch, and the X server has XInput 2.2): they come only in
  // `touches`; the cursor and buttons are the mouse's alone.
  bool touch_reader = false;
};

// Instance extensions a window needs. Initialises GLFW; fails with a clear message when there is
// no display to connect to.
Result<std::vector<std::string>> window_instance_extensions();

class WindowTarget final : public RenderTarget {
 public:
  // The context must have been created with window_instance_extensions() and presentation on,
  // and must outlive the window.
  static Result<std::unique_ptr<WindowTarget>> create(GpuContext& context, const WindowConfig& config);
  ~WindowTarget() override;

  // Processes window-system events; call once per frame.
  void poll_events();
  bool close_requested() const;
  const WindowInput& input() const { return input_; }
  VkExtent2D framebuffer_extent() const;
  // Asks the window system for a new client size (it may refuse or adjust).
  void request_size(uint32_t width, uint32_t height);

  // Copies the next frame drawn; take_screenshot() returns it once that frame has finished on
  // the GPU (after Renderer::wait_idle()), as sRGB-encoded RGBA8.
  void request_screenshot();
  std::optional<ImageRgba8> take_screenshot();

  uint32_t swapchain_rebuilds() const { return swapchain_rebuilds_; }

  // Turns the monitor off (standby) or on again, where the display server allows it (X11 DPMS);
  // a kiosk sleeps outside opening hours. Fails, changing nothing, where it cannot.
  Result<void> set_display_power(bool on);

  Result<std::optional<AcquiredImage>> acquire(uint32_t frame_slot) override;
  void record_after_render(VkCommandBuffer command_buffer, const AcquiredImage& image) override;
  Result<void> present(const AcquiredImage& image) override;

 private:
  struct Platform;
  struct Swapchain;
  explicit WindowTarget(GpuContext& context, const WindowConfig& config);
  Result<void> rebuild_swapchain();

  GpuContext& context_;
  WindowConfig config_;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Swapchain> swapchain_;
  WindowInput input_;
  bool swapchain_stale_ = false;
  bool screenshot_requested_ = false;
  bool screenshot_recorded_ = false;
  uint32_t swapchain_rebuilds_ = 0;
};

}  // namespace pavilion::render
