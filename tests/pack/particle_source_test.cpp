// scene.json's "particles": read and checked at their JSON paths in English and Chinese, named by
// a show's bursts, and packed into the scene tables the loader gives back.
#include "pavilion/pack/builder.h"
#include "pavilion/pack/scene_source.h"
#include "pavilion/scene/loader.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace pavilion::pack {
namespace {

// A hall with one hotspot, `particles` as its particle systems and `show` (when not empty).
std::string hall_with(std::string_view particles, std::string_view show = "") {
  return fmt::format(R"({{
  "id": "hall", "version": "1",
  "title": {{"zh-CN": "大厅", "en": "Hall"}},
  "viewpoints": [{{"position": [0, 1.6, 3], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "spot", "kind": "hotspot", "position": [0, 1, 0], "radius": 0.4,
                "metadata": {{"title": {{"zh-CN": "看这里", "en": "Look here"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
                "alt_text": {{"zh-CN": "一个观察点", "en": "A point of interest"}}}}],
  "particles": {}{}
}})",
                     particles, show.empty() ? "" : fmt::format(",\n  \"show\": {}", show));
}

constexpr std::string_view festival = R"([
  {"name": "shell", "emission": "burst", "count": 4, "in_flight": 3, "position": [0, 1, -6], "shape": "disc",
   "radius": 2, "direction": [0, 1, 0], "cone": 8, "speed": [14, 17], "lifetime": [1.4, 1.7], "on_death": "sparks",
   "color": [{"time": 0, "color": "#ffd080", "alpha": 1}], "size": 0.15, "drag": 0.2, "glow": 3, "trail": 0.05},
  {"name": "sparks", "count": 80, "cone": 180, "speed": [3, 6], "lifetime": [1, 1.8],
   "color": [{"time": 0, "color": [1, 0.8, 0.3], "alpha": 1}, {"time": 0.6, "color": "#ff4010", "alpha": 0.8},
             {"time": 1, "color": "#400000", "alpha": 0}],
   "size": [{"time": 0, "value": 0.1}, {"time": 1, "value": 0.03}], "speed_scale": [{"time": 0, "value": 1}],
   "gravity": [0, -2, 0], "drag": 1.5, "turbulence": 0.5, "turbulence_scale": 2, "glow": 5, "trail": 0.12},
  {"name": "lanterns", "emission": "continuous", "rate": 0.4, "position": [0, 0.5, -4], "shape": "box",
   "box": [6, 0, 3], "speed": [0.3, 0.45], "lifetime": 14, "gravity": [0, 0.02, 0], "sway": 0.25,
   "sway_frequency": 0.2, "wind": [0.1, 0, 0], "blend": "alpha", "sprite": "lantern", "soft": 0.4, "glow": 2}
])";

std::vector<std::string> errors_of(std::string_view text, std::optional<SceneSource>* source = nullptr) {
  std::vector<Finding> findings;
  auto parsed = parse_scene_source(text, "scenes/hall/scene.json", findings);
  std::vector<std::string> lines;
  for (const Finding& finding : findings) {
    if (finding.severity != Finding::Severity::error) continue;
    EXPECT_FALSE(finding.message_zh.empty()) << finding.location;
    lines.push_back(finding.location + ": " + finding.message + " / " + finding.message_zh);
  }
  EXPECT_EQ(parsed.has_value(), lines.empty());
  if (source) *source = std::move(parsed);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "\n  " + line;
  return text;
}

bool has(const std::vector<std::string>& lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

TEST(PackParticles, FireworksAndLanternsAreReadWithEveryField) {
  std::optional<SceneSource> source;
  const auto lines = errors_of(hall_with(festival), &source);
  ASSERT_TRUE(source.has_value()) << joined(lines);
  ASSERT_EQ(source->particles.size(), 3u);
  const scene::ParticleSystem& shell = source->particles[0];
  EXPECT_EQ(shell.emission, scene::ParticleEmission::burst);
  EXPECT_EQ(shell.count, 4u);
  EXPECT_EQ(shell.in_flight, 3u);
  EXPECT_EQ(shell.shape, scene::EmitterShape::disc);
  EXPECT_EQ(shell.on_death, 1u);
  EXPECT_FLOAT_EQ(shell.speed_min, 14.0f);
  EXPECT_FLOAT_EQ(shell.speed_max, 17.0f);
  ASSERT_EQ(shell.size.size(), 1u);
  EXPECT_FLOAT_EQ(shell.size[0].value, 0.15f);
  const scene::ParticleSystem& sparks = source->particles[1];
  ASSERT_EQ(sparks.color.size(), 3u);
  EXPECT_FLOAT_EQ(sparks.color[1].time, 0.6f);
  EXPECT_FLOAT_EQ(sparks.color[1].color.a, 0.8f);
  EXPECT_FLOAT_EQ(sparks.turbulence_scale, 2.0f);
  EXPECT_EQ(sparks.on_death, scene::no_particle_system);
  const scene::ParticleSystem& lanterns = source->particles[2];
  EXPECT_EQ(lanterns.emission, scene::ParticleEmission::continuous);
  EXPECT_FLOAT_EQ(lanterns.rate, 0.4f);
  EXPECT_FLOAT_EQ(lanterns.lifetime_min, 14.0f);
  EXPECT_FLOAT_EQ(lanterns.lifetime_max, 14.0f);
  EXPECT_EQ(lanterns.blend, scene::ParticleBlend::alpha);
  EXPECT_EQ(lanterns.sprite, scene::ParticleSprite::lantern);
  EXPECT_FLOAT_EQ(lanterns.soft_distance, 0.4f);
  EXPECT_EQ(lanterns.box_size, glm::vec3(6, 0, 3));
  for (size_t index = 0; index < source->particles.size(); ++index) {
    EXPECT_FALSE(scene::particle_system_problem(source->particles, index).has_value()) << index;
  }
}

TEST(PackParticles, EveryProblemIsNamedAtItsJsonPathInBothLanguages) {
  const auto lines = errors_of(hall_with(R"([
    {"name": "Shell", "emission": "sometimes", "count": 0, "shape": "cube", "cone": 200, "speed": [5, 2],
     "lifetime": -1, "on_death": "embers", "blend": "multiply", "sprite": "dragon", "colour": "#ff0000"},
    {"name": "rain", "emission": "continuous", "color": [{"time": 0.5, "color": "#ffffff"}, {"time": 0.2}],
     "size": [{"time": 0, "value": -1}], "direction": [0, 0, 0]},
    {"name": "rain", "count": 3, "on_death": "rain"},
    {"name": "loop-a", "count": 1, "on_death": "loop-b"},
    {"name": "loop-b", "count": 1, "on_death": "loop-a"}
  ])",
                                         R"({"duration": 5, "tracks": [{"cues": [{"kind": "burst", "start": 1, "emitter": "finale"}]}]})"));
  EXPECT_TRUE(has(lines, "particles[0].name: must be lowercase letters")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].emission: 'sometimes' is not one of: burst, continuous / “sometimes”不在可选值之中"))
      << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].shape: 'cube' is not one of: point, sphere, box, disc")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].cone: must lie between 0 and 180; it is 200")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].speed: must be [lowest, highest]")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].lifetime: must lie between 0.01 and 600")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].on_death: 'embers' is not a particle system of this scene")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].blend: 'multiply' is not one of: additive, alpha")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[0].sprite: 'dragon' is not one of: glow, flake, petal, lantern")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[1].rate: a continuous system needs its rate: particles a second / 持续发射的粒子系统需要发射率")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[1].color[0].time: the first key's time must be 0")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[1].color[1].time: times must increase")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[1].size[0].value: must lie between 0 and 100")) << joined(lines);
  EXPECT_FALSE(has(lines, "particles[1].size[0].value: each key needs its value")) << "one finding for one problem";
  EXPECT_TRUE(has(lines, "particles[1].direction: must point somewhere")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[2].name: another particle system is already named 'rain'")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[2].on_death: 'rain' emits continuously")) << joined(lines);
  EXPECT_TRUE(has(lines, "particles[3].on_death: makes an on_death chain that comes back to itself")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[0].emitter: 'finale' is not a particle system of this scene; describe it "
                         "in \"particles\" (described: Shell, rain, rain, loop-a, loop-b)"))
      << joined(lines);
}

TEST(PackParticles, AnOlderShowsEmittersStandAsPlaceholderBurstsWithAWarning) {
  std::vector<Finding> findings;
  const auto source = parse_scene_source(
      hall_with("[]", R"({"duration": 5, "emitters": [{"name": "climax", "position": [0, 9, 0]}],
                          "tracks": [{"cues": [{"kind": "burst", "start": 1, "emitter": "climax"}]}]})"),
      "scenes/hall/scene.json", findings);
  ASSERT_TRUE(source.has_value());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location, "show.emitters[0]");
  EXPECT_NE(findings[0].message.find("placeholder burst of sparks; describe it in \"particles\""), std::string::npos);
  EXPECT_NE(findings[0].message_zh.find("占位"), std::string::npos);
  ASSERT_EQ(source->particles.size(), 1u);
  EXPECT_EQ(source->particles[0], scene::placeholder_burst("climax", {0, 9, 0}));
  EXPECT_EQ(source->show->show.tracks[0].cues[0].emitter, 0u);
}

TEST(PackParticles, SystemsArePackedAndLoadedWithTheShowNamingThem) {
  testing::TemporaryFolder folder;
  const std::string text =
      hall_with(festival, R"({"duration": 10, "tracks": [{"cues": [{"kind": "burst", "start": 2, "emitter": "shell"}]}]})");
  std::ofstream(folder.path() / "scene.json") << text;
  const std::filesystem::path output = folder.path() / "hall.pvpkg";
  auto built = build_package({.scene_directory = folder.path(), .output = output, .thumbnails = false});
  ASSERT_TRUE(built.ok()) << built.error().describe();
  auto loaded = scene::load_scene_file(output, {.developer_mode = true});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  std::vector<Finding> findings;
  const auto source = parse_scene_source(text, "scene.json", findings);
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(loaded->particles, source->particles);
  ASSERT_TRUE(loaded->show.has_value());
  EXPECT_EQ(loaded->particles.at(loaded->show->tracks[0].cues[0].emitter).name, "shell");
}

}  // namespace
}  // namespace pavilion::pack
