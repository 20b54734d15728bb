// pavilion-preview: shows the built-in scenes in a window, as a curator's desktop preview.
// Drag to orbit, scroll to zoom, space for the next scene, Esc to quit. Left alone, the camera
// circles slowly, as a kiosk's attract loop would.
#include "pavilion/core/log.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/window_target.h"

#include <fmt/format.h>
#include <glm/gtc/constants.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-preview [--scene NAME] [--size WxH] [--frames N] [--fullscreen]

Shows the built-in scenes in a window. Drag to orbit, scroll to zoom, space for the next scene,
Esc to quit.

  --scene NAME   start with material-grid, textured-object or instance-field
  --size WxH     window size in pixels (default 1280x720)
  --frames N     quit after N frames (for scripted runs)
  --fullscreen   cover the primary monitor
)";

// A camera circling the scene's point of interest, starting from the scene's own placement.
struct Orbit {
  glm::vec3 target{0.0f};
  float distance = 5.0f;
  float yaw = 0.0f;    // radians around +Y
  float pitch = 0.3f;  // radians above the horizon
  float fov_degrees = 45.0f;

  static Orbit around(const procedural::CameraPlacement& camera) {
    const glm::vec3 offset = camera.eye - camera.target;
    Orbit orbit;
    orbit.target = camera.target;
    orbit.distance = glm::length(offset);
    orbit.yaw = std::atan2(offset.x, offset.z);
    orbit.pitch = std::asin(offset.y / orbit.distance);
    orbit.fov_degrees = camera.vertical_fov_degrees;
    return orbit;
  }

  render::View view(float aspect) const {
    const glm::vec3 direction(std::cos(pitch) * std::sin(yaw), std::sin(pitch), std::cos(pitch) * std::cos(yaw));
    return procedural::camera_view({target + direction * distance, target, fov_degrees}, aspect);
  }
};

Result<void> preview(std::string_view first_scene, uint64_t frame_limit, uint32_t width, uint32_t height, bool fullscreen) {
  const auto names = procedural::test_scene_names();
  size_t scene_index = 0;
  while (scene_index < names.size() && names[scene_index] != first_scene) ++scene_index;
  if (scene_index == names.size()) {
    return Error(ErrorCode::not_found, "choosing the scene", fmt::format("there is no scene '{}'", first_scene));
  }

  PV_TRY_ASSIGN(auto extensions, render::window_instance_extensions());
  render::ContextConfig context_config;
  context_config.application_name = "pavilion-preview";
  context_config.instance_extensions = extensions;
  context_config.presentation = true;
  PV_TRY_ASSIGN(auto context, render::GpuContext::create(context_config));
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(*context));
  PV_TRY_ASSIGN(auto window, render::WindowTarget::create(
                    *context, {.title = "Pavilion preview", .width = width, .height = height, .fullscreen = fullscreen}));

  auto load = [&](size_t index) -> Result<Orbit> {
    auto scene = procedural::make_test_scene(names[index]);
    PV_TRY(renderer->load_scene(scene->scene));
    log::info("preview", "showing {}", names[index]);
    return Orbit::around(scene->camera);
  };
  PV_TRY_ASSIGN(Orbit orbit, load(scene_index));

  double last_x = 0;
  double last_y = 0;
  bool dragging = false;
  auto last_frame = std::chrono::steady_clock::now();
  for (uint64_t frame = 0; frame_limit == 0 || frame < frame_limit; ++frame) {
    window->poll_events();
    const render::WindowInput& input = window->input();
    if (window->close_requested() || input.escape_pressed) break;
    const auto now = std::chrono::steady_clock::now();
    const float seconds = std::chrono::duration<float>(now - last_frame).count();
    last_frame = now;

    if (input.space_pressed) {
      scene_index = (scene_index + 1) % names.size();
      PV_TRY_ASSIGN(orbit, load(scene_index));
    }
    if (input.primary_button && dragging) {
      orbit.yaw -= static_cast<float>(input.cursor_x - last_x) * 0.005f;
      orbit.pitch = std::clamp(orbit.pitch + static_cast<float>(input.cursor_y - last_y) * 0.005f, -0.2f, 1.5f);
    } else if (!input.primary_button) {
      orbit.yaw += seconds * 0.15f;  // the slow circling of an unattended screen
    }
    dragging = input.primary_button;
    last_x = input.cursor_x;
    last_y = input.cursor_y;
    orbit.distance = std::clamp(orbit.distance * std::pow(0.9f, static_cast<float>(input.scroll)), 0.5f, 200.0f);

    const VkExtent2D extent = window->framebuffer_extent();
    const render::View view = orbit.view(static_cast<float>(extent.width) / static_cast<float>(std::max(extent.height, 1u)));
    PV_TRY(renderer->render(*window, {&view, 1}));
  }
  return renderer->wait_idle();
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) std::fprintf(stderr, "pavilion-preview: %s\n", problem->c_str());
  std::string_view scene = "textured-object";
  uint64_t frames = 0;
  uint32_t width = 1280;
  uint32_t height = 720;
  bool fullscreen = false;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    if (argument == "--fullscreen") {
      fullscreen = true;
    } else if (argument == "--scene" && index + 1 < argc) {
      scene = argv[++index];
    } else if (argument == "--size" && index + 1 < argc) {
      const std::string_view text = argv[++index];
      const size_t x = text.find('x');
      const bool valid = x != std::string_view::npos &&
                         std::from_chars(text.data(), text.data() + x, width).ec == std::errc() &&
                         std::from_chars(text.data() + x + 1, text.data() + text.size(), height).ec == std::errc() &&
                         width > 0 && height > 0;
      if (!valid) {
        std::fprintf(stderr, "pavilion-preview: '%s' is not a size like 1280x720\n\n%s", argv[index], usage.data());
        return 2;
      }
    } else if (argument == "--frames" && index + 1 < argc) {
      const std::string_view text = argv[++index];
      if (std::from_chars(text.data(), text.data() + text.size(), frames).ec != std::errc()) {
        std::fprintf(stderr, "pavilion-preview: '%s' is not a number of frames\n\n%s", argv[index], usage.data());
        return 2;
      }
    } else {
      std::fputs(usage.data(), argument == "--help" ? stdout : stderr);
      return argument == "--help" ? 0 : 2;
    }
  }
  if (auto result = preview(scene, frames, width, height, fullscreen); !result) {
    std::fprintf(stderr, "pavilion-preview: %s\n", result.error().describe().c_str());
    return 1;
  }
  return 0;
}
