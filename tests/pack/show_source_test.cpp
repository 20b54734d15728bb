// scene.json's "show": read and checked at its JSON paths in English and Chinese, packed with its
// clips and sounds resolved, and a cue naming a clip its model lacks refused in a sentence.
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

const std::filesystem::path gallery_assets = std::filesystem::path(PAVILION_SCENES_DIR) / "gallery" / "assets";

// A courtyard with a banner (a model with the clip "sway"), a gong (an audio exhibit), a lantern
// (a hotspot), fireworks (the particle system "climax"), and `show` as its show.
std::string festival_scene(std::string_view show) {
  return fmt::format(R"({{
  "id": "courtyard", "version": "1",
  "title": {{"zh-CN": "庭院", "en": "Courtyard"}},
  "viewpoints": [{{"position": [0, 1.6, 3], "target": [0, 1, 0]}}],
  "exhibits": [
    {{"id": "banner", "kind": "model", "model": "silk_banner.gltf", "position": [1, 2, 0],
     "metadata": {{"title": {{"zh-CN": "红绸", "en": "Banner"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "一条红绸。", "en": "A red banner."}}}},
    {{"id": "gong", "kind": "audio", "sound": "guqin_note.wav", "position": [0, 1, 0],
     "metadata": {{"title": {{"zh-CN": "锣", "en": "Gong"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "锣声。", "en": "A gong."}}}},
    {{"id": "lantern", "kind": "hotspot", "position": [0, 2, -1], "radius": 0.3,
     "metadata": {{"title": {{"zh-CN": "灯笼", "en": "Lantern"}}, "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
     "alt_text": {{"zh-CN": "一盏红灯笼。", "en": "A red lantern."}}}}
  ],
  "particles": [{{"name": "climax", "count": 100, "position": [0, 12, -4], "cone": 180, "speed": [3, 5]}}],
  "show": {}
}})",
                     show);
}

constexpr std::string_view good_show = R"({
  "duration": 60, "loop": true,
  "tracks": [
    {"name": "opening", "cues": [
      {"kind": "camera", "start": 0, "keys": [
        {"time": 0, "position": [0, 1.6, 5], "target": [0, 1, 0], "fov": 60},
        {"time": 8, "position": [2, 2, 3], "target": [0, 2, 0], "fov": 45, "easing": "ease_in_out"}]},
      {"kind": "clip", "start": 1, "exhibit": "banner", "clip": "sway", "speed": 0.5, "loop": true, "fade": 0.3},
      {"kind": "sound", "start": 0.5, "sound": "gong", "gain_db": -3},
      {"kind": "title", "start": 2, "duration": 5, "text": {"zh-CN": "丹凤来仪", "en": "The phoenix alights"},
       "position": [0, 2.5, -1], "font": "calligraphy"}]},
    {"name": "climax", "cues": [
      {"kind": "light", "start": 40, "calm": "skip", "keys": [
        {"time": 0, "color": "#ffffff", "intensity": 1}, {"time": 2, "color": "#ff4020", "intensity": 3, "easing": "ease_out"}]},
      {"kind": "burst", "start": 42, "emitter": "climax"}]}
  ],
  "moments": [
    {"exhibit": "lantern", "trigger": "touch", "event": "lantern_released", "cues": [
      {"kind": "sound", "start": 0, "sound": "gong"},
      {"kind": "clip", "start": 0, "exhibit": "banner", "clip": "sway"}]}
  ]
})";

class PackShowSource : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* file : {"silk_banner.gltf", "silk_banner.bin", "guqin_note.wav"}) {
      std::filesystem::copy_file(gallery_assets / file, folder.path() / file);
    }
  }

  std::vector<Finding> parse(std::string_view text, std::optional<SceneSource>& source) const {
    std::vector<Finding> findings;
    source = parse_scene_source(text, folder.path() / "scene.json", findings);
    return findings;
  }

  // The error findings as "location: message".
  std::vector<std::string> errors(std::string_view show) const {
    std::optional<SceneSource> source;
    std::vector<std::string> lines;
    for (const Finding& finding : parse(festival_scene(show), source)) {
      if (finding.severity != Finding::Severity::error) continue;
      EXPECT_FALSE(finding.message_zh.empty()) << finding.location;
      lines.push_back(finding.location + ": " + finding.message);
    }
    EXPECT_EQ(source.has_value(), lines.empty());
    return lines;
  }

  testing::TemporaryFolder folder;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += "\n  " + line;
  return text;
}

bool has(const std::vector<std::string>& lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

TEST_F(PackShowSource, AShowIsReadWithEveryKindOfCue) {
  std::optional<SceneSource> source;
  const std::vector<Finding> findings = parse(festival_scene(good_show), source);
  ASSERT_TRUE(source.has_value()) << findings.front().describe();
  ASSERT_TRUE(source->show.has_value());
  const scene::Show& show = source->show->show;
  EXPECT_FLOAT_EQ(show.duration, 60.0f);
  EXPECT_TRUE(show.loop_in_attract);
  ASSERT_EQ(show.tracks.size(), 2u);
  ASSERT_EQ(show.tracks[0].cues.size(), 4u);
  const scene::ShowCue& camera = show.tracks[0].cues[0];
  EXPECT_EQ(camera.kind, scene::CueKind::camera);
  EXPECT_FLOAT_EQ(camera.duration, 8.0f);
  EXPECT_EQ(camera.camera_keys[1].easing, scene::Easing::ease_in_out);
  EXPECT_FLOAT_EQ(camera.camera_keys[1].vertical_fov_degrees, 45.0f);
  EXPECT_EQ(show.tracks[0].cues[1].exhibit, 0u);
  EXPECT_EQ(source->show->track_cues[0][1].clip, "sway");
  EXPECT_EQ(source->show->track_cues[0][2].sound_exhibit, 1u);
  EXPECT_FLOAT_EQ(show.tracks[0].cues[2].gain_db, -3.0f);
  EXPECT_EQ(show.tracks[0].cues[3].text.en, "The phoenix alights");
  EXPECT_EQ(show.tracks[1].cues[0].calm, scene::CalmRule::skip);
  EXPECT_EQ(show.tracks[1].cues[1].emitter, 0u);
  ASSERT_EQ(show.moments.size(), 1u);
  EXPECT_EQ(show.moments[0].exhibit, 2u);
  EXPECT_EQ(show.moments[0].event, "lantern_released");
  EXPECT_EQ(show.moments[0].response.size(), 2u);
}

TEST_F(PackShowSource, EveryProblemIsNamedAtItsJsonPath) {
  const auto lines = errors(R"({
    "tracks": [{"name": "a", "cues": [
      {"kind": "clip", "exhibit": "lantern", "clip": "sway"},
      {"kind": "clip", "exhibit": "phoenix", "clip": "fly"},
      {"kind": "burst", "start": 3, "emitter": "fireworks"},
      {"kind": "sound", "start": 3, "sound": "banner"},
      {"kind": "camera", "start": 2, "keys": [{"time": 0, "position": [0, 1, 2], "target": [0, 1, 0]},
                                            {"time": 0, "position": [0, 1, 2], "target": [0, 1, 0], "easing": "bounce"}]},
      {"kind": "title", "start": 70, "text": {"zh-CN": "金鸡", "en": "Rooster"}},
      {"kind": "firework", "start": 1}]}],
    "moments": [{"exhibit": "rooster", "trigger": "shout", "event": "Rooster Crowed", "cues": []}]
  })");
  EXPECT_TRUE(has(lines, "show.duration: a show needs its duration")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[0].exhibit: 'lantern' is a hotspot exhibit; name one of the scene's model exhibits: banner"))
      << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[1].exhibit: 'phoenix' is not an exhibit of this scene")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[2].emitter: 'fireworks' is not a particle system of this scene; describe "
                         "it in \"particles\" (described: climax)"))
      << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[3].sound: 'banner' is a model exhibit; name one of the scene's audio exhibits: gong"))
      << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[4].keys[1].time: times must increase")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[4].keys[1].easing: 'bounce' is not one of: linear, ease_in")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[5].duration: a title needs its duration")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[6].kind: 'firework' is not one of: camera, clip, burst")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.moments[0].exhibit: 'rooster' is not an exhibit of this scene")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.moments[0].trigger: 'shout' is not one of: touch, point")) << joined(lines);
  EXPECT_TRUE(has(lines, "show.moments[0].event: must be lowercase letters")) << joined(lines);
}

TEST_F(PackShowSource, ACueAfterTheShowEndsIsNamed) {
  const auto lines = errors(R"({"duration": 10, "tracks": [{"cues": [{"kind": "burst", "start": 12, "emitter": "climax"}]}]})");
  EXPECT_TRUE(has(lines, "show.tracks[0].cues[0].start: starts at 12 s, when the show (10 s long) is over")) << joined(lines);
}

TEST_F(PackShowSource, TheShowIsPackedWithItsClipsAndSounds) {
  std::ofstream(folder.path() / "scene.json") << festival_scene(good_show);
  const std::filesystem::path output = folder.path() / "courtyard.pvpkg";
  auto built = build_package({.scene_directory = folder.path(), .output = output, .thumbnails = false});
  ASSERT_TRUE(built.ok()) << built.error().describe();
  auto loaded = scene::load_scene_file(output, {.developer_mode = true});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_TRUE(loaded->show.has_value());
  const scene::Show& show = *loaded->show;
  const scene::ShowCue& clip = show.tracks[0].cues[1];
  ASSERT_LT(clip.animation, loaded->tree.animations.size());
  EXPECT_EQ(loaded->tree.animations[clip.animation].name, "banner: sway");
  EXPECT_EQ(loaded->exhibits.at(clip.exhibit).id, "banner");
  const scene::ShowCue& gong = show.tracks[0].cues[2];
  ASSERT_LT(gong.sound, loaded->audio.size());
  EXPECT_EQ(loaded->exhibits.at(loaded->audio[gong.sound].exhibit).id, "gong");
  EXPECT_EQ(show.moments[0].response[0].sound, gong.sound);
  EXPECT_EQ(show.moments[0].response[1].animation, clip.animation);
  ASSERT_LT(show.tracks[1].cues[1].emitter, loaded->particles.size());
  EXPECT_EQ(loaded->particles[show.tracks[1].cues[1].emitter].name, "climax");
}

TEST_F(PackShowSource, AClipTheModelLacksIsRefusedInASentence) {
  std::string show(good_show);
  show.replace(show.find(R"("clip": "sway", "speed")"), 14, R"("clip": "flap")");
  std::ofstream(folder.path() / "scene.json") << festival_scene(show);
  auto built = build_package({.scene_directory = folder.path(), .output = folder.path() / "x.pvpkg", .thumbnails = false});
  ASSERT_FALSE(built.ok());
  const std::string described = built.error().describe();
  EXPECT_NE(described.find("show.tracks[0].cues[1].clip: error: plays clip 'flap' of exhibit 'banner', but its model "
                           "silk_banner.gltf has only 'sway'"),
            std::string::npos)
      << described;
  EXPECT_NE(described.find("但其模型 silk_banner.gltf 只有 'sway'"), std::string::npos) << described;
  EXPECT_FALSE(std::filesystem::exists(folder.path() / "x.pvpkg"));
}

}  // namespace
}  // namespace pavilion::pack
