// pavilion-snapshot: renders a scene to a PNG, headless.
//
//   pavilion-snapshot --scene textured-object --size 640x480 -o textured.png
//   pavilion-snapshot --scene instance-field --instances 100000 --eye 0,30,40 --target 0,0,0 -o field.png
//   pavilion-snapshot festival.pvpkg --developer --show-at 5,20,41 -o strip.png   # the show, three frames side by side
#include "pavilion/core/log.h"
#include "pavilion/core/png.h"
#include "pavilion/exhibits/hung_poems.h"
#include "pavilion/exhibits/show_stage.h"
#include "pavilion/exhibits/show_titles.h"
#include "pavilion/package/signing.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/loader.h"
#include "pavilion/ui/ui_layer.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-snapshot PACKAGE.pvpkg -o OUTPUT.png [--viewpoint N] [--trust KEY.pub | --developer] [options]
       pavilion-snapshot --scene NAME -o OUTPUT.png [options]

Renders a scene package, or a built-in test scene, offscreen and writes it as a PNG.

  --viewpoint N       which of the package's viewpoints to look from (default 0)
  --show-at S[,S...]  play the package's show and draw it at these seconds, from the show's
                      camera, with its titles as the kiosk shows them, side by side in one
                      image (each frame --size)
  --trust FILE        a public key whose packages are trusted (repeatable)
  --developer         accept unsigned packages and unknown signers
  --scene NAME        material-grid, textured-object or instance-field
  -o, --output FILE   where to write the PNG
  --size WxH          image size in pixels (default 640x480)
  --eye X,Y,Z         camera position (default: the scene's own camera)
  --target X,Y,Z      point the camera looks at
  --fov DEGREES       vertical field of view
  --instances N       objects in instance-field (default 10000)
  --msaa N            samples per pixel: 1, 2 or 4 (default: 4 on GPUs, 1 on CPU renderers)
  --gpu NAME          use the device whose name contains NAME
  --validation        enable the Vulkan validation layer; any message fails the run
  --list              print the scene names and exit
)";

struct Options {
  std::string package;
  uint32_t viewpoint = 0;
  std::vector<float> show_seconds;  // increasing
  std::vector<std::filesystem::path> trusted_keys;
  bool developer = false;
  std::string scene;
  std::string output;
  uint32_t width = 640;
  uint32_t height = 480;
  std::optional<glm::vec3> eye;
  std::optional<glm::vec3> target;
  std::optional<float> fov_degrees;
  uint32_t instances = 10'000;
  uint32_t msaa = render::automatic_msaa;
  std::string gpu;
  bool validation = false;
  bool list = false;
};

template <class Number>
bool parse_number(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

bool parse_vector(std::string_view text, glm::vec3& value) {
  for (int component = 0; component < 3; ++component) {
    const size_t comma = text.find(',');
    if ((comma == std::string_view::npos) != (component == 2)) return false;
    if (!parse_number(text.substr(0, comma), value[component])) return false;
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return true;
}

// Returns the options, or a sentence saying what is wrong with the command line.
std::variant<Options, std::string> parse_arguments(int argc, char** argv) {
  Options options;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    auto value = [&]() -> std::optional<std::string_view> {
      if (index + 1 >= argc) return std::nullopt;
      return std::string_view(argv[++index]);
    };
    auto missing = [&] { return fmt::format("{} needs a value", argument); };
    auto invalid = [&](std::string_view text) { return fmt::format("'{}' is not a valid value for {}", text, argument); };
    if (argument == "--list") {
      options.list = true;
    } else if (argument == "--validation") {
      options.validation = true;
    } else if (argument == "--developer") {
      options.developer = true;
    } else if (!argument.starts_with("-")) {
      if (!options.package.empty()) return fmt::format("one package at a time; '{}' is a second", argument);
      options.package = argument;
    } else if (argument == "--help" || argument == "-h") {
      return std::string();
    } else {
      const auto text = value();
      if (!text) return missing();
      if (argument == "--scene") {
        options.scene = *text;
      } else if (argument == "--trust") {
        options.trusted_keys.emplace_back(*text);
      } else if (argument == "--viewpoint") {
        if (!parse_number(*text, options.viewpoint)) return invalid(*text);
      } else if (argument == "--show-at") {
        for (std::string_view rest = *text; !rest.empty();) {
          const size_t comma = rest.find(',');
          float seconds = 0.0f;
          if (!parse_number(rest.substr(0, comma), seconds) || seconds < 0.0f ||
              (!options.show_seconds.empty() && seconds <= options.show_seconds.back())) {
            return fmt::format(
                "'{}' is not a valid value for --show-at: give seconds of the show, increasing, separated by commas", *text);
          }
          options.show_seconds.push_back(seconds);
          rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
      } else if (argument == "-o" || argument == "--output") {
        options.output = *text;
      } else if (argument == "--gpu") {
        options.gpu = *text;
      } else if (argument == "--size") {
        const size_t separator = text->find('x');
        if (separator == std::string_view::npos || !parse_number(text->substr(0, separator), options.width) ||
            !parse_number(text->substr(separator + 1), options.height) || options.width == 0 || options.height == 0 ||
            options.width > 16384 || options.height > 16384) {
          return invalid(*text);
        }
      } else if (argument == "--eye" || argument == "--target") {
        glm::vec3 vector;
        if (!parse_vector(*text, vector)) return invalid(*text);
        (argument == "--eye" ? options.eye : options.target) = vector;
      } else if (argument == "--fov") {
        float degrees = 0;
        if (!parse_number(*text, degrees) || degrees <= 1.0f || degrees >= 179.0f) return invalid(*text);
        options.fov_degrees = degrees;
      } else if (argument == "--instances") {
        if (!parse_number(*text, options.instances) || options.instances == 0) return invalid(*text);
      } else if (argument == "--msaa") {
        if (!parse_number(*text, options.msaa) || (options.msaa != 1 && options.msaa != 2 && options.msaa != 4)) {
          return invalid(*text);
        }
      } else {
        return fmt::format("unknown option '{}'", argument);
      }
    }
  }
  if (!options.list && ((options.scene.empty() == options.package.empty()) || options.output.empty())) {
    return std::string("give a package or --scene, and -o");
  }
  if (!options.show_seconds.empty() && options.package.empty()) {
    return std::string("--show-at plays a package's show: give a package");
  }
  return options;
}

// The scene to draw and the camera to draw it from: a package's viewpoint, or a test scene's camera.
struct ChosenScene {
  std::unique_ptr<package::PackageReader> package;  // where a package's textures are read from while uploading
  scene::Scene scene;
  procedural::CameraPlacement camera;
};

Result<ChosenScene> choose_scene(const Options& options, const render::GpuContext& context) {
  if (options.package.empty()) {
    auto test_scene = procedural::make_test_scene(options.scene, options.instances);
    if (!test_scene) {
      return Error(ErrorCode::not_found, "choosing the scene",
                   fmt::format("there is no scene '{}' (see --list)", options.scene));
    }
    ChosenScene chosen{nullptr, {}, test_scene->camera};
    chosen.scene.render = std::move(test_scene->scene);
    return chosen;
  }
  PV_TRY_ASSIGN(const auto trust, package::trust_key_files(options.trusted_keys, options.developer));
  PV_TRY_ASSIGN(auto package, package::PackageReader::open(options.package, trust));
  PV_TRY_ASSIGN(scene::Scene loaded,
                scene::load_scene(*package, {.bc_textures_supported = context.capabilities().bc_texture_compression,
                                             .defer_texture_bytes = true}));
  if (options.viewpoint >= loaded.viewpoints.size()) {
    return Error(ErrorCode::not_found, "choosing the viewpoint",
                 fmt::format("the package has {} viewpoints, numbered from 0; there is no viewpoint {}",
                             loaded.viewpoints.size(), options.viewpoint));
  }
  const scene::Viewpoint& viewpoint = loaded.viewpoints[options.viewpoint];
  const procedural::CameraPlacement camera{viewpoint.position, viewpoint.target, viewpoint.vertical_fov_degrees};
  return ChosenScene{std::move(package), std::move(loaded), camera};
}

// Fireworks and petals fall the same way in every snapshot.
constexpr uint64_t snapshot_particle_seed = 2026;

// The kiosk's interface is laid out for a screen this many pixels high: titles are drawn at its
// font sizes scaled to the picture's height, as large in the picture as on the kiosk's screen.
constexpr float kiosk_reference_height = 720.0f;
constexpr ui::FontSizes kiosk_font_sizes{};

// The show played as the kiosk plays it, at 30 frames a second from its start (clips advance and
// cross-fade frame by frame), drawn at each of the seconds asked for from the show's camera, with
// its titles over the scene as the kiosk's screen draws them (in Chinese, the kiosk's first
// language). Sounds are the kiosk's, not played here.
Result<void> draw_show(const Options& options, const scene::Scene& scene, render::Renderer& renderer,
    render::OffscreenTarget& target,
                       std::span<const render::WorldOverlay> world) {
  if (!scene.show) {
    return Error(ErrorCode::not_found, "playing the show",
        fmt::format("{} has no show to play (--show-at)", options.package));
  }
  if (options.show_seconds.back() > scene.show->duration) {
    return Error(ErrorCode::invalid_input, "playing the show",
                 fmt::format("the show lasts {} s; there is no second {} in it", scene.show->duration,
                     options.show_seconds.back()));
  }
  PV_TRY_ASSIGN(exhibits::ShowStage stage, exhibits::ShowStage::create(scene));
  PV_TRY(stage.load_particles(renderer, snapshot_particle_seed));
  PV_TRY_ASSIGN(const std::unique_ptr<ui::UiLayer> titles, ui::UiLayer::create(renderer));
  const float font_scale = static_cast<float>(options.height) / kiosk_reference_height;
  PV_TRY(titles->set_fonts(exhibits::show_title_text(*scene.show),
                           {kiosk_font_sizes.body_pixels * font_scale, kiosk_font_sizes.title_pixels * font_scale}));
  scene::ShowPlayer player(*scene.show, {.loop = false});
  constexpr double frame_seconds = 1.0 / 30.0;
  const float aspect = static_cast<float>(options.width) / static_cast<float>(options.height);
  ImageRgba8 strip(options.width * static_cast<uint32_t>(options.show_seconds.size()), options.height);
  double previous = 0.0;
  for (size_t drawn = 0, frame = 0; drawn < options.show_seconds.size(); ++frame) {
    const double now = std::min(static_cast<double>(frame) * frame_seconds,
        static_cast<double>(options.show_seconds[drawn]));
    const scene::ShowFrame& played = player.update(now);
    stage.apply(played, static_cast<float>(now - previous), renderer);
    previous = now;
    if (now < options.show_seconds[drawn]) continue;
    const render::View view = exhibits::show_view(exhibits::show_camera(played, scene), aspect);
    titles->begin_frame(static_cast<float>(options.width), static_cast<float>(options.height),
                        static_cast<float>(frame_seconds), {.present = false});
    const exhibits::ShowTitlesDrawn titles_drawn = exhibits::draw_show_titles(
        *ImGui::GetBackgroundDrawList(), ImGui::GetIO().DisplaySize, *scene.show, played.titles, scene.exhibits,
        view.projection * view.view, true, 1.0f, {titles->title_font(), titles->body_font()});
    const render::Overlay& overlay = titles->end_frame();
    PV_TRY(renderer.render(target, {&view, 1}, &overlay, world));
    PV_TRY(renderer.wait_idle());
    const ImageRgba8 pixels = target.read_pixels();
    for (uint32_t row = 0; row < options.height; ++row) {
      std::copy_n(pixels.at(0, row), size_t{options.width} * 4,
          strip.at(options.width * static_cast<uint32_t>(drawn), row));
    }
    log::info("snapshot", "drew the show at {} s with {} title{}", options.show_seconds[drawn], titles_drawn.count,
              titles_drawn.count == 1 ? "" : "s");
    ++drawn;
  }
  return write_png(options.output, strip);
}

Result<void> snapshot(const Options& options) {
  render::ContextConfig context_config;
  context_config.application_name = "pavilion-snapshot";
  context_config.validation = options.validation;
  context_config.preferred_device = options.gpu;
  PV_TRY_ASSIGN(auto context, render::GpuContext::create(context_config));
  render::RendererConfig renderer_config;
  renderer_config.msaa_samples = options.msaa;
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(*context, renderer_config));
  PV_TRY_ASSIGN(const ChosenScene chosen, choose_scene(options, *context));
  std::optional<scene::PackageTextureReader> package_textures;
  if (chosen.package) package_textures.emplace(*chosen.package, chosen.scene);
  PV_TRY(renderer->load_scene(chosen.scene.render, package_textures ? &*package_textures : nullptr));
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(*context, {options.width, options.height}));

  procedural::CameraPlacement camera = chosen.camera;
  camera.eye = options.eye.value_or(camera.eye);
  camera.target = options.target.value_or(camera.target);
  camera.vertical_fov_degrees = options.fov_degrees.value_or(camera.vertical_fov_degrees);
  const render::View view =
      procedural::camera_view(camera, static_cast<float>(options.width) / static_cast<float>(options.height));
  // The package's exhibits as a visitor sees them: its poems hung as scrolls.
  std::unique_ptr<exhibits::HungPoems> hung_poems;
  std::span<const render::WorldOverlay> world;
  if (chosen.package) {
    PV_TRY_ASSIGN(hung_poems, exhibits::HungPoems::open(*chosen.package, options.package, chosen.scene.poems,
                                                         chosen.scene.exhibits, chosen.scene.viewpoints, *renderer));
    for (const Error& problem : hung_poems->problems()) log::warn("snapshot", "a poem is left out: {}",
        problem.describe());
    world = hung_poems->overlays(exhibits::scroll_colors, false);
  }
  if (options.show_seconds.empty()) {
    PV_TRY(renderer->render(*target, {&view, 1}, nullptr, world));
    PV_TRY(renderer->wait_idle());
    PV_TRY(write_png(options.output, target->read_pixels()));
  } else {
    PV_TRY(draw_show(options, chosen.scene, *renderer, *target, world));
  }

  const auto report = context->take_validation_report();
  if (report.errors + report.warnings > 0) {
    return Error(ErrorCode::internal, "rendering with validation",
                 fmt::format("the validation layer reported {} errors and {} warnings", report.errors,
                     report.warnings));
  }
  const auto& stats = renderer->last_frame_stats();
  log::info("snapshot", "wrote {} ({}×{}, {} of {} instances visible, {} draws, {} poems hung)", options.output,
      options.width,
            options.height, stats.visible_instances, stats.instances, stats.draw_calls, world.size());
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) std::fprintf(stderr, "pavilion-snapshot: %s\n",
      problem->c_str());
  auto parsed = parse_arguments(argc, argv);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    if (!problem->empty()) std::fprintf(stderr, "pavilion-snapshot: %s\n\n", problem->c_str());
    std::fputs(usage.data(), problem->empty() ? stdout : stderr);
    return problem->empty() ? 0 : 2;
  }
  const Options& options = std::get<Options>(parsed);
  if (options.list) {
    for (std::string_view name : procedural::test_scene_names()) std::printf("%.*s\n", static_cast<int>(name.size()),
        name.data());
    return 0;
  }
  if (auto result = snapshot(options); !result) {
    std::fprintf(stderr, "pavilion-snapshot: %s\n", result.error().describe().c_str());
    return 1;
  }
  return 0;
}
