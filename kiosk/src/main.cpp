// pavilion-kiosk: the unattended exhibition app. See kiosk/README.md.
#include "pavilion/core/log.h"
#include "pavilion/kiosk/headset_mode.h"
#include "pavilion/kiosk/kiosk.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cstdio>
#include <string_view>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-kiosk [--config kiosk.json | --content DIR (--trust KEY.pub ... | --developer)]
                      [--headless] [--size WxH] [--fullscreen] [--script visit.json]
                      [--screenshots DIR] [--frames N] [--validation]
       pavilion-kiosk --xr PACKAGE (--config kiosk.json | --trust KEY.pub ... | --developer) [--seated]
                      [--calm] [--text-size PERCENT] [--language zh-CN|en] [--frames N] [--validation]

Shows the scene packages of a content folder as an unattended kiosk: attract loop, touch menu,
visitor sessions with an idle reset, accessibility settings, opening hours and campaigns, and an
operator menu (three taps in the top-left corner, then the PIN).

  --config FILE      the kiosk's settings (kiosk/README.md describes them)
  --content DIR      instead of --config: show every package in DIR…
  --trust FILE       …signed by this public key (repeatable)
  --developer        …or accept unsigned packages (previews only, never on a library floor)
  --headless         draw offscreen: no display needed (with --script, for tests and demos)
  --size WxH         window or image size in pixels (default 1280x720)
  --fullscreen       cover the primary monitor (a kiosk's normal mode)
  --script FILE      play a scripted visitor on a virtual clock, then exit
  --screenshots DIR  where the script's screenshots go (default: the current folder)
  --frames N         stop after N frames
  --validation       turn on the Khronos validation layer
  --xr PACKAGE       show one package's scene on a headset, through the active OpenXR runtime; with
                     --config, its trusted keys, and each visit kept and sent to its hub
  --seated           (with --xr) a seated visitor: the scene is seen from standing height
  --calm             (with --xr) reduced motion: snap turns and teleports with a comfort vignette
  --text-size N      (with --xr) the label's and captions' text, 100 to 200 percent
  --language L       (with --xr) the captions' language: zh-CN (default) or en

Exit status: 0 when closed or the script ended, 1 on an error or a failed script step,
2 for a wrong command line, 75 when the operator chose Restart (systemd starts it again).
)";

constexpr int exit_restart = 75;  // EX_TEMPFAIL: "try again", which the service unit restarts on

template <class Number>
bool parse_number(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

int fail_usage(std::string_view message) {
  fmt::print(stderr, "pavilion-kiosk: {}\n\n{}", message, usage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto problem = log::configure_from_environment()) fmt::print(stderr, "pavilion-kiosk: {}\n", *problem);
  kiosk::KioskOptions options;
  std::optional<std::filesystem::path> config_file;
  kiosk::KioskConfig config = kiosk::default_kiosk_config();
  bool content_given = false;
  std::filesystem::path script_file;
  std::filesystem::path xr_package;
  bool seated = false;
  bool calm = false;
  uint32_t text_percent = 100;
  kiosk::Language language = kiosk::Language::zh_cn;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    const bool has_value = index + 1 < argc;
    auto value = [&]() { return std::string_view(argv[++index]); };
    if (argument == "--help" || argument == "-h") {
      fmt::print("{}", usage);
      return 0;
    } else if (argument == "--config" && has_value) {
      config_file = value();
    } else if (argument == "--content" && has_value) {
      config.content = value();
      content_given = true;
    } else if (argument == "--trust" && has_value) {
      config.trusted_keys.emplace_back(value());
    } else if (argument == "--developer") {
      config.developer_mode = true;
    } else if (argument == "--headless") {
      options.headless = true;
    } else if (argument == "--fullscreen") {
      options.fullscreen = true;
    } else if (argument == "--validation") {
      options.validation = true;
    } else if (argument == "--size" && has_value) {
      const std::string_view size = value();
      const size_t x = size.find('x');
      if (x == std::string_view::npos || !parse_number(size.substr(0, x), options.width) ||
          !parse_number(size.substr(x + 1), options.height) || options.width < 64 || options.height < 64 ||
          options.width > 16384 || options.height > 16384) {
        return fail_usage(fmt::format("'{}' is not a size; write it as 1280x720 (64 to 16384 pixels each way)", size));
      }
    } else if (argument == "--script" && has_value) {
      script_file = value();
    } else if (argument == "--screenshots" && has_value) {
      options.screenshot_folder = value();
    } else if (argument == "--seated") {
      seated = true;
    } else if (argument == "--calm") {
      calm = true;
    } else if (argument == "--text-size" && has_value) {
      if (!parse_number(value(), text_percent) || text_percent < 100 || text_percent > 200) {
        return fail_usage("--text-size takes a percentage from 100 to 200");
      }
    } else if (argument == "--language" && has_value) {
      const std::string_view tag = value();
      if (tag != "zh-CN" && tag != "en") return fail_usage("--language is zh-CN or en");
      language = tag == "en" ? kiosk::Language::en : kiosk::Language::zh_cn;
    } else if (argument == "--xr" && has_value) {
      xr_package = value();
    } else if (argument == "--frames" && has_value) {
      if (!parse_number(value(), options.max_frames)) return fail_usage("--frames takes a whole number");
    } else {
      return fail_usage(fmt::format("'{}' is not an option here (or lacks its value)", argument));
    }
  }
  if (!xr_package.empty()) {
    if (content_given) return fail_usage("--xr shows one package: leave out --content");
    if (config_file) {
      // The kiosk's own settings: its trusted keys, and its interaction log and hub for the visits.
      auto read = kiosk::read_kiosk_config(*config_file);
      if (!read) {
        fmt::print(stderr, "pavilion-kiosk: {}\n", read.error().describe());
        return 1;
      }
      config = std::move(*read);
      if (xr_package.has_parent_path()) config.content = xr_package.parent_path();
    } else {
      if (config.trusted_keys.empty() && !config.developer_mode) {
        return fail_usage("name the curators' keys to trust with --trust KEY.pub (or --developer for a preview)");
      }
      config.content = xr_package.has_parent_path() ? xr_package.parent_path() : std::filesystem::path(".");
    }
    auto shown = kiosk::run_on_headset({.config = config,
                                        .package = xr_package.filename().string(),
                                        .validation = options.validation,
                                        .max_frames = options.max_frames,
                                        .seated = seated,
                                        .reduced_motion = calm,
                                        .text_scale = static_cast<float>(text_percent) / 100.0f,
                                        .language = language});
    if (!shown) {
      fmt::print(stderr, "pavilion-kiosk: {}\n", shown.error().why());
      return 1;
    }
    fmt::print("pavilion-kiosk: {} frames shown on the headset; controllers: {}; exhibits selected: {}\n",
               shown->frames_drawn, shown->interaction_profile.empty() ? "none" : shown->interaction_profile,
               shown->selected_exhibits.empty() ? "none" : fmt::format("{}", fmt::join(shown->selected_exhibits, ", ")));
    return shown->validation_messages == 0 ? 0 : 1;
  }
  if (config_file && content_given) return fail_usage("give either --config or --content, not both");
  if (!config_file && !content_given) return fail_usage("say where the content is: --config FILE or --content DIR");
  if (config_file) {
    auto read = kiosk::read_kiosk_config(*config_file);
    if (!read) {
      fmt::print(stderr, "pavilion-kiosk: {}\n", read.error().describe());
      return 1;
    }
    config = std::move(*read);
  } else if (config.trusted_keys.empty() && !config.developer_mode) {
    return fail_usage("name the curators' keys to trust with --trust KEY.pub (or --developer for a preview)");
  }
  if (!script_file.empty()) {
    auto script = kiosk::read_visit_script(script_file);
    if (!script) {
      fmt::print(stderr, "pavilion-kiosk: {}\n", script.error().describe());
      return 1;
    }
    options.script = std::move(*script);
    std::error_code error;
    std::filesystem::create_directories(options.screenshot_folder, error);
  }

  auto created = kiosk::Kiosk::create(config, options);
  if (!created) {
    fmt::print(stderr, "pavilion-kiosk: {}\n", created.error().describe());
    return 1;
  }
  kiosk::Kiosk& app = **created;
  const auto ended = app.run();
  if (!ended) {
    fmt::print(stderr, "pavilion-kiosk: {}\n", ended.error().describe());
    return 1;
  }
  const kiosk::KioskReport& report = app.report();
  for (const std::string& failure : report.script_failures) fmt::print(stderr, "pavilion-kiosk: script: {}\n", failure);
  for (const std::string& control : report.undersized_controls) {
    fmt::print(stderr, "pavilion-kiosk: the control '{}' is smaller than 9 mm on this screen\n", control);
  }
  if (!report.screenshots.empty()) {
    fmt::print("pavilion-kiosk: {} screenshots in {}\n", report.screenshots.size(),
               std::filesystem::absolute(options.screenshot_folder).string());
  }
  switch (*ended) {
    case kiosk::RunEnd::closed: return 0;
    case kiosk::RunEnd::restart_requested: return exit_restart;
    case kiosk::RunEnd::script_failed: return 1;
  }
  return 1;
}
