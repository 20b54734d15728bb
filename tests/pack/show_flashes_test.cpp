// The flash check of pavilion-pack's lint and build: a show whose light strobes five times a second
// at full intensity fails both, naming the second, the part of the view and what flashed, in
// English and Chinese, with a picture of its worst frame written where the error says; a calm
// light ramp passes. An interactive moment whose response strobes fails the build at its place in
// show.moments, naming how it is triggered, beside a moment whose response dims calmly.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/pack/commands.h"
#include "pavilion/package/reader.h"
#include "temporary_folder.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <string>
#include <string_view>

namespace pavilion::pack {
namespace {

const std::filesystem::path gallery_assets = std::filesystem::path(PAVILION_SCENES_DIR) / "gallery" / "assets";

// A light ramp's keys: `intensity(time)` every `step` seconds over `seconds`, each held until the
// next (step easing) or reached linearly.
template <class Intensity>
std::string light_keys(double seconds, double step, bool held, Intensity intensity) {
  std::string keys;
  for (int index = 0; index * step <= seconds + 1e-9; ++index) {
    const double time = index * step;
    keys += fmt::format(R"({}{{"time": {:.2f}, "intensity": {:.2f}{}}})", keys.empty() ? "" : ", ", time,
                        intensity(time), held ? R"(, "easing": "step")" : "");
  }
  return keys;
}

// An ink landscape panel filling the view, lit head-on by the sun, and a show of `seconds` with
// `keys` for the sun's intensity, `moments` and `particles` (JSON, the lists' contents), seen from
// a metre in front of the panel.
std::string lit_panel_scene(const std::string& keys, int seconds = 3, const std::string& moments = "",
                            const std::string& particles = "") {
  return fmt::format(R"({{
  "id": "strobe", "version": "1",
  "title": {{"zh-CN": "频闪", "en": "Strobe"}},
  "environment": {{"sun": {{"direction": [0, -0.2, -1], "intensity": 2, "shadows": false}}, "ambient": 0.05}},
  "viewpoints": [{{"position": [0, 1.6, 1.0], "target": [0, 1.6, 0]}}],
  "exhibits": [{{
    "id": "landscape", "kind": "panel", "image": "assets/landscape.png", "size": [3, 3], "position": [0, 1.6, 0],
    "metadata": {{"title": {{"zh-CN": "山水", "en": "Landscape"}}, "creator": {{"zh-CN": "程序生成", "en": "Made procedurally"}},
                 "rights": {{"zh-CN": "CC0 公有领域", "en": "CC0, public domain"}}}},
    "alt_text": {{"zh-CN": "水墨山峦。", "en": "Ink mountains."}},
    "description_easy": {{"zh-CN": "这是一幅画。", "en": "This is a picture."}}
  }}],{}
  "show": {{"duration": {}, "loop": false, "tracks": [{{"name": "sun", "cues": [
    {{"kind": "light", "start": 0, "keys": [{}]}}]}}], "moments": [{}]}}
}})",
                     particles.empty() ? "" : fmt::format(R"(
  "particles": [{}],)", particles),
                     seconds, keys, moments);
}

struct Captured {
  int exit_code = -1;  // -1: the command failed with an error
  std::string out;
  std::string error;  // the error, in English then Chinese
};

template <class Command>
Captured run(Command&& command) {
  std::FILE* out = std::tmpfile();
  CommandContext context;
  context.out = out;
  context.err = out;
  context.quiet = true;
  Captured captured;
  auto result = command(context);
  captured.exit_code = result ? *result : -1;
  std::rewind(out);
  char buffer[4096];
  while (size_t count = std::fread(buffer, 1, sizeof buffer, out)) captured.out.append(buffer, count);
  std::fclose(out);
  if (!result) captured.error = result.error().describe();
  return captured;
}

class PackShowFlashes : public ::testing::Test {
 protected:
  void write_scene(const std::string& keys, int seconds = 3, const std::string& moments = "",
                   const std::string& particles = "") {
    std::filesystem::create_directories(scene_ / "assets");
    std::filesystem::copy_file(gallery_assets / "landscape.png", scene_ / "assets" / "landscape.png");
    const std::string json = lit_panel_scene(keys, seconds, moments, particles);
    ASSERT_TRUE(write_file_atomic(scene_ / "scene.json", std::as_bytes(std::span(json.data(), json.size()))).ok());
  }

  BuildCommand command(const std::filesystem::path& output) const {
    BuildCommand built;
    built.scene_directory = scene_;
    built.output = output;
    built.jobs = 2;
    built.cache_directory = folder_ / "cache";
    return built;
  }

  // The picture an error names: "… is drawn in <path>, …".
  static std::filesystem::path named_picture(const std::string& error) {
    std::smatch match;
    if (!std::regex_search(error, match, std::regex(R"(is drawn in (\S+\.flash\.png))"))) return {};
    return match[1].str();
  }

  // The picture is the show's frame with a magenta outline.
  static void expect_outlined_frame(const std::filesystem::path& picture) {
    auto image = read_png(picture);
    ASSERT_TRUE(image.ok()) << picture << ": " << image.error().describe();
    EXPECT_EQ(image->width, 128u);
    EXPECT_EQ(image->height, 128u);
    size_t magenta = 0;
    for (size_t pixel = 0; pixel < image->pixels.size(); pixel += 4) {
      const uint8_t* rgba = &image->pixels[pixel];
      magenta += rgba[0] == 255 && rgba[1] == 0 && rgba[2] == 255;
    }
    EXPECT_GT(magenta, 40u) << "the flashing 10° field is outlined";
  }

  testing::TemporaryFolder folder_;
  std::filesystem::path scene_ = folder_ / "strobe";
};

// A second of steady light, then the sun switched between off and full five times a second.
std::string strobing_keys() {
  return light_keys(3.0, 0.1, true, [](double time) { return time < 1.0 ? 2.0 : (static_cast<int>(time * 10 + 0.5) % 2 == 0 ? 6.0 : 0.0); });
}

TEST_F(PackShowFlashes, AStrobingLightFailsTheBuildNamingTheSecondAndDrawingTheWorstFrame) {
  write_scene(strobing_keys());
  const auto output = folder_ / "strobe.pvpkg";
  const Captured built = run([&](const CommandContext& context) { return command_build(context, command(output)); });
  ASSERT_EQ(built.exit_code, -1) << built.out;
  EXPECT_FALSE(std::filesystem::exists(output)) << "a show that could provoke seizures is not packaged";
  EXPECT_NE(built.error.find("show: error: could provoke seizures on a headset: In seconds 2–4 (1.00–3.01 s), "), std::string::npos) << built.error;
  EXPECT_NE(built.error.find("the centre of the view flashes"), std::string::npos) << built.error;
  EXPECT_NE(built.error.find("Its worst frame (1.00 s, the centre of the view) is drawn in " + (folder_ / "strobe.flash.png").string()), std::string::npos)
      << built.error;
  EXPECT_NE(built.error.find("在头显中可能诱发光敏性癫痫：第2–4秒（1.00–3.01秒）"), std::string::npos) << built.error;
  expect_outlined_frame(folder_ / "strobe.flash.png");
  EXPECT_EQ(named_picture(built.error), folder_ / "strobe.flash.png");
}

TEST_F(PackShowFlashes, AStrobingLightFailsLintWithAPictureInTheTemporaryFolder) {
  write_scene(strobing_keys());
  const Captured lint = run([&](const CommandContext& context) { return command_lint(context, command({})); });
  EXPECT_EQ(lint.exit_code, -1) << lint.out;
  EXPECT_NE(lint.error.find("show: error: could provoke seizures on a headset: In seconds 2–4 (1.00–3.01 s), "), std::string::npos) << lint.error;
  const std::filesystem::path picture = named_picture(lint.error);
  ASSERT_FALSE(picture.empty()) << lint.error;
  EXPECT_EQ(picture.parent_path(), std::filesystem::temp_directory_path());
  expect_outlined_frame(picture);
  std::filesystem::remove(picture);
}

TEST_F(PackShowFlashes, ACalmLightRampPasses) {
  // From dim to full over the three seconds: one change of light, not a flash.
  write_scene(light_keys(3.0, 3.0, false, [](double time) { return 0.5 + 1.5 * time; }));
  const auto output = folder_ / "strobe.pvpkg";
  const Captured built = run([&](const CommandContext& context) { return command_build(context, command(output)); });
  EXPECT_EQ(built.exit_code, 0) << built.out << built.error;
  EXPECT_TRUE(std::filesystem::exists(output));
  EXPECT_FALSE(std::filesystem::exists(folder_ / "strobe.flash.png"));
  // The package says its show was checked, so a kiosk plays it without the run-time limiter.
  auto reader = package::PackageReader::open(output, {{}, false, true});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const auto manifest = nlohmann::json::parse((*reader)->manifest());
  ASSERT_TRUE(manifest.contains("flash_check")) << manifest.dump();
  EXPECT_TRUE(manifest["flash_check"].value("passed", false));
  EXPECT_EQ(manifest["flash_check"].value("frames_per_second", 0.0), 90.0);
  const Captured lint = run([&](const CommandContext& context) { return command_lint(context, command({})); });
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.error;
}

// A moment on the panel whose response is a light cue of `keys`.
std::string light_moment(std::string_view trigger, std::string_view event, const std::string& keys) {
  return fmt::format(R"({{"exhibit": "landscape", "trigger": "{}", "event": "{}", "cues": [
    {{"kind": "light", "start": 0, "keys": [{}]}}]}})",
                     trigger, event, keys);
}

// The sun held at the show's opening intensity: a timeline that never flashes.
std::string steady_keys() { return light_keys(1.0, 1.0, false, [](double) { return 2.0; }); }

// Touching the panel dims the sun slowly (safe); pointing at it strobes the sun five times a second
// for a second and a half (not).
const std::string safe_moment =
    light_moment("touch", "sun_dimmed", light_keys(1.0, 1.0, false, [](double time) { return 2.0 - time; }));
const std::string strobing_moment = light_moment("point", "sun_strobed", light_keys(1.5, 0.1, true, [](double time) {
                                                   return static_cast<int>(time * 10 + 0.5) % 2 == 0 ? 6.0 : 0.0;
                                                 }));

TEST_F(PackShowFlashes, AMomentsStrobingResponseFailsTheBuildNamingTheMomentAndASafeOneDoesNot) {
  // The timeline is steady: only the response is to blame.
  write_scene(steady_keys(), 1, safe_moment + ", " + strobing_moment);
  const auto output = folder_ / "strobe.pvpkg";
  const Captured built = run([&](const CommandContext& context) { return command_build(context, command(output)); });
  ASSERT_EQ(built.exit_code, -1) << built.out;
  EXPECT_FALSE(std::filesystem::exists(output)) << "a moment that could provoke seizures is not packaged";
  EXPECT_EQ(built.error.find("show: error"), std::string::npos) << built.error;
  EXPECT_EQ(built.error.find("show.moments[0]"), std::string::npos) << "the slow dimming passes: " << built.error;
  EXPECT_NE(built.error.find("show.moments[1]: error: the response to pointing at \"landscape\" (event sun_strobed), "
                             "played from the scene at rest with the visitor looking at it and timed from one frame "
                             "before the pointing, could provoke seizures on a headset: In second"),
            std::string::npos)
      << built.error;
  EXPECT_NE(built.error.find("the centre of the view flashes"), std::string::npos) << built.error;
  EXPECT_NE(built.error.find("指向“landscape”的响应（事件 sun_strobed）从静止的场景播放"), std::string::npos) << built.error;
  EXPECT_NE(built.error.find("在头显中可能诱发光敏性癫痫：第1"), std::string::npos) << built.error;
  const std::filesystem::path picture = folder_ / "strobe.moment-1.flash.png";
  EXPECT_NE(built.error.find("is drawn in " + picture.string()), std::string::npos) << built.error;
  expect_outlined_frame(picture);
  EXPECT_FALSE(std::filesystem::exists(folder_ / "strobe.moment-0.flash.png"));
  EXPECT_FALSE(std::filesystem::exists(folder_ / "strobe.flash.png"));
}

TEST_F(PackShowFlashes, AShowWhoseMomentsRespondCalmlyPassesWithItsMomentsCounted) {
  write_scene(steady_keys(), 1, safe_moment);
  const auto output = folder_ / "strobe.pvpkg";
  const Captured built = run([&](const CommandContext& context) { return command_build(context, command(output)); });
  ASSERT_EQ(built.exit_code, 0) << built.out << built.error;
  auto reader = package::PackageReader::open(output, {{}, false, true});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const auto manifest = nlohmann::json::parse((*reader)->manifest());
  ASSERT_TRUE(manifest.contains("flash_check")) << manifest.dump();
  EXPECT_TRUE(manifest["flash_check"].value("passed", false));
  EXPECT_EQ(manifest["flash_check"].value("moments", 0), 1);
}

// The worst frame's picture is the frame the analyser saw. Touching the panel bursts a shell that
// bursts into green sparks as it dies at 0.3 s, sparks that die 0.66 s later, and strobes the sun
// from the second second on: every failing frame comes after the sparks have gone, so the picture
// holds none. Drawn again on its own, the worst frame would catch up on a second of particles in a
// few long steps, the sparks born late, still alive.
TEST_F(PackShowFlashes, TheWorstFramesPictureIsTheFrameAsPlayedWithItsParticlesWhereTheyWere) {
  const std::string sparks = R"({"name": "shell", "emission": "burst", "count": 1, "position": [0, 1.6, 0.5],
      "speed": 0, "lifetime": 0.3, "color": [{"time": 0, "color": "#000000", "alpha": 0}], "size": 0.01,
      "gravity": [0, 0, 0], "on_death": "green-sparks"},
    {"name": "green-sparks", "emission": "burst", "count": 200, "cone": 180, "speed": 0.05, "lifetime": 0.66,
      "color": [{"time": 0, "color": "#00ff00", "alpha": 1}], "size": 0.05, "glow": 1, "gravity": [0, 0, 0]})";
  const std::string strobe = light_keys(2.5, 0.1, true, [](double time) {
    return time < 1.0 ? 2.0 : (static_cast<int>(time * 10 + 0.5) % 2 == 0 ? 6.0 : 0.0);
  });
  const std::string moment = fmt::format(R"({{"exhibit": "landscape", "trigger": "touch", "event": "sparked", "cues": [
    {{"kind": "burst", "start": 0, "emitter": "shell"}}, {{"kind": "light", "start": 0, "keys": [{}]}}]}})",
                                         strobe);
  write_scene(steady_keys(), 1, moment, sparks);
  const auto output = folder_ / "strobe.pvpkg";
  const Captured built = run([&](const CommandContext& context) { return command_build(context, command(output)); });
  ASSERT_EQ(built.exit_code, -1) << built.out;
  const std::filesystem::path picture = folder_ / "strobe.moment-0.flash.png";
  ASSERT_NE(built.error.find("is drawn in " + picture.string()), std::string::npos) << built.error;
  auto image = read_png(picture);
  ASSERT_TRUE(image.ok()) << image.error().describe();
  size_t green = 0;
  for (size_t pixel = 0; pixel < image->pixels.size(); pixel += 4) {
    const uint8_t* rgba = &image->pixels[pixel];
    green += rgba[1] > rgba[0] + 30 && rgba[1] > rgba[2] + 30;
  }
  EXPECT_EQ(green, 0u) << "the sparks died before the first failing frame";
}

// Three panels, each a burst of sparks on touch: the left and right ones' the same sparks a metre
// in front of their panels (the right panel nearer the eye), the middle one's larger sparks.
std::string three_sparkling_panels() {
  const auto panel = [](std::string_view id, double x, double z) {
    return fmt::format(R"({{
    "id": "{}", "kind": "panel", "image": "assets/landscape.png", "size": [1, 1], "position": [{}, 1.6, {}],
    "metadata": {{"title": {{"zh-CN": "山水", "en": "Landscape"}}, "creator": {{"zh-CN": "程序生成", "en": "Made procedurally"}},
                 "rights": {{"zh-CN": "CC0 公有领域", "en": "CC0, public domain"}}}},
    "alt_text": {{"zh-CN": "水墨山峦。", "en": "Ink mountains."}},
    "description_easy": {{"zh-CN": "这是一幅画。", "en": "This is a picture."}}}})",
                       id, x, z);
  };
  const auto sparks = [](std::string_view name, double x, double z, double size) {
    return fmt::format(R"({{"name": "{}", "emission": "burst", "count": 20, "position": [{}, 1.6, {}],
      "cone": 180, "speed": 0.3, "lifetime": 0.3, "color": [{{"time": 0, "color": "#ffd080", "alpha": 1}}],
      "size": {}, "glow": 1}})",
                       name, x, z, size);
  };
  const auto moment = [](std::string_view exhibit, std::string_view emitter) {
    return fmt::format(R"({{"exhibit": "{}", "trigger": "touch", "event": "sparked",
      "cues": [{{"kind": "burst", "start": 0, "emitter": "{}"}}]}})",
                       exhibit, emitter);
  };
  return fmt::format(R"({{
  "id": "strobe", "version": "1",
  "title": {{"zh-CN": "火花", "en": "Sparks"}},
  "environment": {{"sun": {{"direction": [0, -0.2, -1], "intensity": 2, "shadows": false}}, "ambient": 0.05}},
  "viewpoints": [{{"position": [0, 1.6, 3.0], "target": [0, 1.6, 0]}}],
  "exhibits": [{}, {}, {}],
  "particles": [{}, {}, {}],
  "show": {{"duration": 1, "loop": false, "tracks": [{{"name": "sun", "cues": [
    {{"kind": "light", "start": 0, "keys": [{{"time": 0, "intensity": 2}}]}}]}}], "moments": [{}, {}, {}]}}
}})",
                     panel("left", -1.5, 0), panel("middle", 0, 0), panel("right", 1.5, 0.5),
                     sparks("left-sparks", -1.5, 1, 0.05), sparks("middle-sparks", 0, 1, 0.2),
                     sparks("right-sparks", 1.5, 1.5, 0.05), moment("left", "left-sparks"),
                     moment("middle", "middle-sparks"), moment("right", "right-sparks"));
}

TEST_F(PackShowFlashes, MomentsThatDrawTheSameOnTheirExhibitsArePlayedOnceAndADifferentOneIsPlayedToo) {
  std::filesystem::create_directories(scene_ / "assets");
  std::filesystem::copy_file(gallery_assets / "landscape.png", scene_ / "assets" / "landscape.png");
  const std::string json = three_sparkling_panels();
  ASSERT_TRUE(write_file_atomic(scene_ / "scene.json", std::as_bytes(std::span(json.data(), json.size()))).ok());
  const auto output = folder_ / "strobe.pvpkg";
  const Captured built = run([&](const CommandContext& context) { return command_build(context, command(output)); });
  ASSERT_EQ(built.exit_code, 0) << built.out << built.error;
  auto reader = package::PackageReader::open(output, {{}, false, true});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const auto manifest = nlohmann::json::parse((*reader)->manifest());
  ASSERT_TRUE(manifest.contains("flash_check")) << manifest.dump();
  EXPECT_EQ(manifest["flash_check"].value("moments", 0), 3);
  EXPECT_EQ(manifest["flash_check"].value("moments_checked", 0), 2) << "the middle panel's and one of the others'";
  EXPECT_EQ(manifest["flash_check"].value("moments_covered", 0), 1);
}

}  // namespace
}  // namespace pavilion::pack
