// A real window on a real X server (the test runs under xvfb-run): frames are presented through a
// swapchain, the window is resized, and what it shows is read back from the swapchain.
#include "golden.h"
#include "keep_loaded.h"
#include "pavilion/core/png.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/window_target.h"
#include "x_client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace pavilion::testing {
namespace {

using namespace render;

class Window : public ::testing::Test {
 protected:
  void SetUp() override {
    keep_gpu_libraries_loaded();
    auto extensions = window_instance_extensions();
    ASSERT_TRUE(extensions.ok()) << extensions.error().describe();
    ContextConfig config;
    config.application_name = "pavilion-window-tests";
    config.validation = true;
    config.presentation = true;
    config.instance_extensions = *extensions;
    auto context = GpuContext::create(config);
    ASSERT_TRUE(context.ok()) << context.error().describe();
    context_ = std::move(*context);
    auto renderer = Renderer::create(*context_, {.shadow_map_size = 512});
    ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
    renderer_ = std::move(*renderer);
    ASSERT_TRUE(renderer_->load_scene(scene_.scene).ok());
    auto window = WindowTarget::create(*context_, {.title = "Pavilion window test", .width = 160, .height = 120});
    ASSERT_TRUE(window.ok()) << window.error().describe();
    window_ = std::move(*window);
  }

  void TearDown() override {
    window_.reset();
    renderer_.reset();
    if (!context_) return;
    const auto report = context_->take_validation_report();
    EXPECT_EQ(report.errors + report.warnings, 0u) << (report.messages.empty() ? "" : report.messages.front());
  }

  // Renders frames until one is drawn at the window's current size; returns its screenshot.
  ImageRgba8 present_and_capture() {
    for (int attempt = 0; attempt < 50; ++attempt) {
      window_->poll_events();
      const VkExtent2D extent = window_->framebuffer_extent();
      const View view = procedural::camera_view(scene_.camera, float(extent.width) / float(extent.height));
      window_->request_screenshot();
      const auto outcome = renderer_->render(*window_, {&view, 1});
      EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
      EXPECT_TRUE(renderer_->wait_idle().ok());
      if (outcome.ok() && *outcome == FrameOutcome::drawn) {
        if (auto screenshot = window_->take_screenshot()) return *screenshot;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "no frame was presented";
    return {};
  }

  // Waits for the X server to apply a requested size.
  bool wait_for_extent(uint32_t width, uint32_t height) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      window_->poll_events();
      const VkExtent2D extent = window_->framebuffer_extent();
      if (extent.width == width && extent.height == height) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  procedural::TestScene scene_ = procedural::material_grid();
  std::unique_ptr<GpuContext> context_;
  std::unique_ptr<Renderer> renderer_;
  std::unique_ptr<WindowTarget> window_;
};

// With touch on, the window's reader opens on Xvfb (XInput 2.2) and holds the window's touch
// events: another client asking for them is refused, as it is not for a window without the
// reader. Xvfb has no touch device and XTest makes no touches, so no finger can be put on it
// here (tests/kiosk/touch_screen_test.cpp feeds the reader touch events instead); the mouse,
// through XTest, still reaches the window, and no touch shows.
TEST_F(Window, TheTouchReaderTakesTheWindowsTouchesAndTheMouseStillWorks) {
  auto touch_window = WindowTarget::create(*context_, {.title = "Pavilion touch test", .width = 160, .height = 120, .touch = true});
  ASSERT_TRUE(touch_window.ok()) << touch_window.error().describe();
  WindowTarget& window = **touch_window;
  window.poll_events();
  EXPECT_TRUE(window.input().touch_reader) << "Xvfb speaks XInput 2.2: the reader opens";

  XClient client;
  ASSERT_TRUE(client.connected());
  const XClient::WindowId touch_x_window = client.find("Pavilion touch test");
  const XClient::WindowId plain_x_window = client.find("Pavilion window test");
  ASSERT_NE(touch_x_window, 0u);
  ASSERT_NE(plain_x_window, 0u);
  EXPECT_EQ(client.select_touches(touch_x_window), XClient::TouchSelection::refused) << "the reader holds the window's touches";
  EXPECT_EQ(client.select_touches(plain_x_window), XClient::TouchSelection::taken) << "a window without the reader has no taker";

  client.mouse(touch_x_window, 40, 30, /*pressed=*/true);
  bool pressed = false;
  for (int attempt = 0; attempt < 100 && !pressed; ++attempt) {
    window.poll_events();
    pressed = window.input().primary_button;
    if (!pressed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(pressed) << "the mouse's button reached the window through GLFW";
  EXPECT_DOUBLE_EQ(window.input().cursor_x, 40.0);
  EXPECT_DOUBLE_EQ(window.input().cursor_y, 30.0);
  for (const TouchPoint& point : window.input().touches) EXPECT_FALSE(point.present) << "the mouse is no finger";
  client.mouse(touch_x_window, 50, 30, /*pressed=*/false);
  for (int attempt = 0; attempt < 100 && window.input().primary_button; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    window.poll_events();
  }
  EXPECT_FALSE(window.input().primary_button);
  EXPECT_DOUBLE_EQ(window.input().cursor_x, 50.0);
}

TEST_F(Window, PresentsWhatAnOffscreenTargetWouldShow) {
  for (int frame = 0; frame < 3; ++frame) {
    window_->poll_events();
    const View view = procedural::camera_view(scene_.camera, 160.0f / 120.0f);
    ASSERT_TRUE(renderer_->render(*window_, {&view, 1}).ok());
  }
  const ImageRgba8 screenshot = present_and_capture();
  ASSERT_EQ(screenshot.width, 160u);
  ASSERT_EQ(screenshot.height, 120u);

  auto offscreen = OffscreenTarget::create(*context_, {160, 120});
  ASSERT_TRUE(offscreen.ok());
  const View view = procedural::camera_view(scene_.camera, 160.0f / 120.0f);
  ASSERT_TRUE(renderer_->render(**offscreen, {&view, 1}).ok());
  ASSERT_TRUE(renderer_->wait_idle().ok());
  const ImageRgba8 expected = (*offscreen)->read_pixels();
  const auto difference = compare_images(screenshot, expected, 8);
  EXPECT_LT(difference.differing_pixels, 160u * 120u / 200) << "the window shows the same picture, in the same colours";
  static_cast<void>(write_png(test_output_path("window_screenshot.png"), screenshot));
}

TEST_F(Window, SurvivesResizingAndDrawsAtTheNewSize) {
  const uint32_t rebuilds_before = window_->swapchain_rebuilds();
  window_->request_size(240, 180);
  ASSERT_TRUE(wait_for_extent(240, 180)) << "the X server did not apply the new size";
  const ImageRgba8 larger = present_and_capture();
  EXPECT_EQ(larger.width, 240u);
  EXPECT_EQ(larger.height, 180u);
  EXPECT_GT(window_->swapchain_rebuilds(), rebuilds_before);

  // A burst of sizes, as when a person drags the window's corner.
  for (uint32_t step = 0; step < 6; ++step) {
    window_->request_size(120 + step * 30, 100 + step * 10);
    window_->poll_events();
    const VkExtent2D extent = window_->framebuffer_extent();
    const View view = procedural::camera_view(scene_.camera, float(extent.width) / float(std::max(extent.height, 1u)));
    const auto outcome = renderer_->render(*window_, {&view, 1});
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  }
  window_->request_size(200, 100);
  ASSERT_TRUE(wait_for_extent(200, 100));
  const ImageRgba8 wide = present_and_capture();
  EXPECT_EQ(wide.width, 200u);
  EXPECT_EQ(wide.height, 100u);
  // The sky is at the top and a golden sphere in the middle: the picture is drawn, not garbage.
  EXPECT_GT(wide.at(100, 2)[2], wide.at(100, 2)[0]);
}

}  // namespace
}  // namespace pavilion::testing
