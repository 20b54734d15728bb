// pavilion-preview: shows a package, or the built-in scenes, in a window, as a curator's desktop
// preview. Drag to orbit, scroll to zoom, space for the next scene, Esc to quit. Left alone, the
// camera circles slowly, as a kiosk's attract loop would. A package is shown as soon as its small
// texture levels are in; the large ones stream in on another thread.
#include "pavilion/core/log.h"
#include "pavilion/exhibits/hung_poems.h"
#include "pavilion/package/signing.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/window_target.h"
#include "pavilion/scene/loader.h"

#include <fmt/format.h>
#include <glm/gtc/constants.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-preview [PACKAGE.pvpkg [--trust KEY.pub | --developer]] [--scene NAME]
                        [--size WxH] [--frames N] [--fullscreen]

Shows a scene package, or the built-in scenes, in a window. Drag to orbit, scroll to zoom,
space for the next viewpoint (or scene), Esc to quit.

  --trust FILE   a public key whose packages are trusted (repeatable)
  --developer    accept unsigned packages and unknown signers
  --scene NAME   start with material-grid, textured-object or instance-field
  --size WxH     window size in pixels (default 1280x720)
  --frames N     quit after N frames, the last with every texture level in (for scripted runs)
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

struct PreviewOptions {
  std::string package;
  std::vector<std::filesystem::path> trusted_keys;
  bool developer = false;
  std::string scene = "textured-object";
  uint64_t frames = 0;
  uint32_t width = 1280;
  uint32_t height = 720;
  bool fullscreen = false;
};

// What space steps through: a package's viewpoints, or the built-in scenes.
struct Stop {
  size_t scene = 0;
  procedural::CameraPlacement camera;
  std::string name;
};

struct Showcase {
  std::vector<scene::RenderScene> scenes;
  std::vector<Stop> stops;
  size_t first = 0;
  // A package's large texture levels, read on another thread while the small ones are shown.
  std::unique_ptr<package::PackageReader> package;
  std::future<Result<std::vector<scene::LoadedTexture>>> streaming;
  // A package's exhibits, poems and viewpoints: its poems hang as scrolls, as on the kiosk.
  std::vector<scene::Exhibit> exhibits;
  std::vector<scene::Poem> poems;
  std::vector<scene::Viewpoint> viewpoints;
};

Result<Showcase> gather(const PreviewOptions& options, const render::GpuContext& context) {
  Showcase showcase;
  if (!options.package.empty()) {
    PV_TRY_ASSIGN(const auto trust, package::trust_key_files(options.trusted_keys, options.developer));
    PV_TRY_ASSIGN(showcase.package, package::PackageReader::open(options.package, trust));
    const scene::LoadOptions load_options{.progressive = true,
                                          .bc_textures_supported = context.capabilities().bc_texture_compression};
    PV_TRY_ASSIGN(scene::Scene loaded, scene::load_scene(*showcase.package, load_options));
    for (const scene::Viewpoint& viewpoint : loaded.viewpoints) {
      showcase.stops.push_back({0, {viewpoint.position, viewpoint.target, viewpoint.vertical_fov_degrees},
                                viewpoint.name.en.empty() ? loaded.title.en : viewpoint.name.en});
    }
    showcase.scenes.push_back(std::move(loaded.render));
    showcase.exhibits = loaded.exhibits;
    showcase.poems = loaded.poems;
    showcase.viewpoints = loaded.viewpoints;
    // The rest of the scene moves into the task, which reads its list of pending textures.
    showcase.streaming = std::async(std::launch::async, [&reader = *showcase.package, load_options,
                                                         partial = std::move(loaded)] {
      return scene::load_pending_textures(reader, partial, load_options);
    });
    return showcase;
  }
  for (std::string_view name : procedural::test_scene_names()) {
    auto test_scene = procedural::make_test_scene(name);
    if (name == options.scene) showcase.first = showcase.stops.size();
    showcase.stops.push_back({showcase.scenes.size(), test_scene->camera, std::string(name)});
    showcase.scenes.push_back(std::move(test_scene->scene));
  }
  if (procedural::make_test_scene(options.scene) == std::nullopt) {
    return Error(ErrorCode::not_found, "choosing the scene", fmt::format("there is no scene '{}'", options.scene));
  }
  return showcase;
}

Result<void> preview(const PreviewOptions& options) {
  PV_TRY_ASSIGN(auto extensions, render::window_instance_extensions());
  render::ContextConfig context_config;
  context_config.application_name = "pavilion-preview";
  context_config.instance_extensions = extensions;
  context_config.presentation = true;
  PV_TRY_ASSIGN(auto context, render::GpuContext::create(context_config));
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(*context));
  PV_TRY_ASSIGN(Showcase showcase, gather(options, *context));
  PV_TRY_ASSIGN(auto window, render::WindowTarget::create(*context, {.title = "Pavilion preview",
                                                                     .width = options.width,
                                                                     .height = options.height,
                                                                     .fullscreen = options.fullscreen}));

  std::unique_ptr<exhibits::HungPoems> hung_poems;
  if (showcase.package) {
    PV_TRY_ASSIGN(hung_poems, exhibits::HungPoems::open(*showcase.package, options.package, showcase.poems,
                                                         showcase.exhibits, showcase.viewpoints, *renderer));
    for (const Error& problem : hung_poems->problems()) log::warn("preview", "a poem is left out: {}", problem.describe());
  }

  size_t stop_index = showcase.first;
  size_t loaded_scene = SIZE_MAX;
  auto visit = [&](size_t index) -> Result<Orbit> {
    const Stop& stop = showcase.stops[index];
    if (stop.scene != loaded_scene) {
      PV_TRY(renderer->load_scene(showcase.scenes[stop.scene]));
      loaded_scene = stop.scene;
    }
    log::info("preview", "showing {}", stop.name);
    return Orbit::around(stop.camera);
  };
  PV_TRY_ASSIGN(Orbit orbit, visit(stop_index));

  double last_x = 0;
  double last_y = 0;
  bool dragging = false;
  auto last_frame = std::chrono::steady_clock::now();
  for (uint64_t frame = 0; options.frames == 0 || frame < options.frames; ++frame) {
    window->poll_events();
    const render::WindowInput& input = window->input();
    if (window->close_requested() || input.escape_pressed) break;
    const auto now = std::chrono::steady_clock::now();
    const float seconds = std::chrono::duration<float>(now - last_frame).count();
    last_frame = now;

    // A scripted run waits for the large levels before its last frame, so that frame is the same
    // on every run.
    const bool last_scripted_frame = options.frames != 0 && frame + 1 == options.frames;
    if (showcase.streaming.valid() &&
        (last_scripted_frame || showcase.streaming.wait_for(std::chrono::seconds(0)) == std::future_status::ready)) {
      // A failure here (a blob damaged on disk) leaves the small levels on screen: still a scene.
      auto rest = showcase.streaming.get();
      if (!rest) {
        log::error("preview", "the large texture levels could not be loaded: {}", rest.error().describe());
      } else if (auto updated = renderer->update_textures(*rest); !updated) {
        log::error("preview", "the large texture levels could not be shown: {}", updated.error().describe());
      } else {
        log::info("preview", "all texture levels are in ({} textures sharpened)", rest->size());
      }
    }
    if (input.space_pressed) {
      stop_index = (stop_index + 1) % showcase.stops.size();
      PV_TRY_ASSIGN(orbit, visit(stop_index));
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
    const auto world = hung_poems ? hung_poems->overlays(exhibits::scroll_colors, false)
                                  : std::span<const render::WorldOverlay>();
    PV_TRY(renderer->render(*window, {&view, 1}, nullptr, world));
  }
  return renderer->wait_idle();
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) std::fprintf(stderr, "pavilion-preview: %s\n", problem->c_str());
  PreviewOptions options;
  auto usage_error = [](const std::string& problem) {
    std::fprintf(stderr, "pavilion-preview: %s\n\n%s", problem.c_str(), usage.data());
    return 2;
  };
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    const bool has_value = index + 1 < argc;
    if (argument == "--help") {
      std::fputs(usage.data(), stdout);
      return 0;
    } else if (argument == "--fullscreen") {
      options.fullscreen = true;
    } else if (argument == "--developer") {
      options.developer = true;
    } else if (argument == "--scene" && has_value) {
      options.scene = argv[++index];
    } else if (argument == "--trust" && has_value) {
      options.trusted_keys.emplace_back(argv[++index]);
    } else if (argument == "--size" && has_value) {
      const std::string_view text = argv[++index];
      const size_t x = text.find('x');
      const bool valid = x != std::string_view::npos &&
                         std::from_chars(text.data(), text.data() + x, options.width).ec == std::errc() &&
                         std::from_chars(text.data() + x + 1, text.data() + text.size(), options.height).ec == std::errc() &&
                         options.width > 0 && options.height > 0;
      if (!valid) return usage_error(fmt::format("'{}' is not a size like 1280x720", text));
    } else if (argument == "--frames" && has_value) {
      const std::string_view text = argv[++index];
      if (std::from_chars(text.data(), text.data() + text.size(), options.frames).ec != std::errc()) {
        return usage_error(fmt::format("'{}' is not a number of frames", text));
      }
    } else if (!argument.starts_with("-") && options.package.empty()) {
      options.package = argument;
    } else {
      return usage_error(fmt::format("'{}' is not understood here", argument));
    }
  }
  if (auto result = preview(options); !result) {
    std::fprintf(stderr, "pavilion-preview: %s\n", result.error().describe().c_str());
    return 1;
  }
  return 0;
}
