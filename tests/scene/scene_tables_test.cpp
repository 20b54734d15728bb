#include "pavilion/package/writer.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/scene_tables.h"
#include "damage.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <glm/gtc/quaternion.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>
#include <squish.h>

namespace pavilion::scene {
namespace {

// One cue of each kind (the burst names sample_particles' first system) and a moment, for sample_tables' one exhibit, clip
// and sound.
// A shell bursting into sparks, and lanterns rising.
std::vector<ParticleSystem> sample_particles() {
  ParticleSystem shell = placeholder_burst("shell", {0, 1, -3});
  shell.count = 3;
  shell.cone_degrees = 10.0f;
  shell.on_death = 1;
  shell.sprite = ParticleSprite::glow;
  ParticleSystem sparks = placeholder_burst("sparks", {0, 0, 0});
  sparks.trail_seconds = 0.1f;
  ParticleSystem lanterns;
  lanterns.name = "lanterns";
  lanterns.emission = ParticleEmission::continuous;
  lanterns.rate = 0.5f;
  lanterns.shape = EmitterShape::disc;
  lanterns.radius = 3.0f;
  lanterns.speed_min = 0.3f;
  lanterns.speed_max = 0.5f;
  lanterns.lifetime_min = 12.0f;
  lanterns.lifetime_max = 16.0f;
  lanterns.color = {{0.0f, {1.0f, 0.2f, 0.1f, 0.0f}}, {0.1f, {1.0f, 0.2f, 0.1f, 1.0f}}, {1.0f, {1.0f, 0.2f, 0.1f, 0.0f}}};
  lanterns.size = {{0.0f, 0.4f}};
  lanterns.speed_scale = {{0.0f, 1.0f}};
  lanterns.gravity = {0.0f, 0.05f, 0.0f};
  lanterns.sway = 0.2f;
  lanterns.blend = ParticleBlend::alpha;
  lanterns.sprite = ParticleSprite::lantern;
  lanterns.soft_distance = 0.3f;
  return {shell, sparks, lanterns};
}

Show sample_show() {
  Show show;
  show.duration = 30.0f;
  show.loop_in_attract = false;
  ShowCue camera;
  camera.kind = CueKind::camera;
  camera.duration = 4.0f;
  camera.calm = CalmRule::keep;
  camera.camera_keys = {{0, {0, 1.6f, 5}, {0, 1, 0}, 60, Easing::linear}, {4, {2, 2, 3}, {0, 2, 0}, 45, Easing::ease_in_out}};
  ShowCue clip;
  clip.kind = CueKind::clip;
  clip.start = 1.5f;
  clip.duration = 6.0f;
  clip.exhibit = 0;
  clip.animation = 0;
  clip.speed = 0.75f;
  clip.loop = true;
  clip.fade_seconds = 0.4f;
  ShowCue burst;
  burst.kind = CueKind::burst;
  burst.start = 20.0f;
  burst.emitter = 0;
  ShowCue light;
  light.kind = CueKind::light;
  light.start = 19.0f;
  light.duration = 2.0f;
  light.calm = CalmRule::skip;
  light.light_keys = {{0, {1, 1, 1}, 1, Easing::linear}, {2, {1, 0.3f, 0.1f}, 3, Easing::ease_out}};
  ShowCue gong;
  gong.kind = CueKind::sound;
  gong.start = 0.5f;
  gong.sound = 0;
  gong.gain_db = -3.0f;
  ShowCue title;
  title.kind = CueKind::title;
  title.start = 2.0f;
  title.duration = 5.0f;
  title.fade_seconds = 0.5f;
  title.text = {"丹凤来仪", "The phoenix alights"};
  title.position = {0, 2.5f, -1};
  show.tracks.push_back({"opening", {camera, clip, gong, title}});
  show.tracks.push_back({"climax", {light, burst}});
  show.moments.push_back({0, MomentTrigger::touch, "scroll_unrolled", {gong}});
  return show;
}

SceneTables sample_tables() {
  SceneTables tables;
  tables.id = "hall";
  tables.version = "1.2";
  tables.title = {"大厅", "Hall"};
  tables.meshes.push_back({hash_content(std::as_bytes(std::span("mesh", 4))), "triangle"});
  tables.textures.push_back({ContentHash{}, hash_content(std::as_bytes(std::span("tex", 3))), 0, "checker",
                             TextureFormat::bc1_srgb, 8, 8, 4});
  MaterialData material;
  material.name = "paint";
  material.base_color_texture = 0;
  material.double_sided = true;
  material.emissive_factor = glm::vec3(0.5f, 0.25f, 0.0f);
  tables.materials.push_back(material);
  tables.instances.push_back({glm::mat4(2.0f), 0, 0});
  tables.light.casts_shadows = false;
  tables.environment.exposure = 1.5f;
  Exhibit exhibit;
  exhibit.id = "scroll";
  exhibit.kind = ExhibitKind::panel;
  exhibit.metadata.title = {"手卷", "Handscroll"};
  exhibit.metadata.language = "lzh";
  exhibit.metadata.date = {"南宋", "Southern Song"};
  exhibit.alt_text = {"一卷展开的画", "An unrolled painting"};
  exhibit.description_easy = {"这是一幅很长的画。", "This is a very long painting."};
  exhibit.first_instance = 0;
  exhibit.instance_count = 1;
  tables.exhibits.push_back(exhibit);
  tables.viewpoints.push_back({{"入口", "Entrance"}, {0, 1.6f, 3}, {0, 1, 0}, 50});
  // Once around a circle of radius 5, in four legs of four seconds.
  tables.camera_paths.push_back({{"环游", "Tour"},
                                 true,
                                 {{0, {0, 1, 5}, {0, 1, 0}},
                                  {4, {5, 1, 0}, {0, 1, 0}},
                                  {8, {0, 1, -5}, {0, 1, 0}},
                                  {12, {-5, 1, 0}, {0, 1, 0}},
                                  {16, {0, 1, 5}, {0, 1, 0}}}});
  AudioSource audio;
  audio.name = "narration.wav";
  audio.frames = 48'000;
  audio.loop = true;
  audio.caption = {"讲解", "a guide speaking"};
  tables.audio.push_back(audio);
  // The scroll's node, and a roller under it that an animation turns through a quarter turn.
  tables.tree.nodes.push_back({"scroll", no_parent, {{0, 1, -2}, glm::quat(1, 0, 0, 0), glm::vec3(2.0f)}});
  tables.tree.nodes.push_back({"roller", 0, {{0.5f, 0, 0}, glm::angleAxis(0.3f, glm::vec3(0, 0, 1)), glm::vec3(1.0f)}});
  tables.tree.skins.push_back({"scroll skin", {0, 1}, {glm::mat4(1.0f), glm::mat4(0.5f)}});
  tables.tree.instances.push_back({1, no_skin});
  tables.tree.animations.push_back(
      {"unroll", 2.0f, {{1, AnimatedProperty::rotation, {0.0f, 2.0f}, {{0, 0, 0, 1}, {0, 0.7071068f, 0, 0.7071068f}}}}});
  Exhibit poem_exhibit;
  poem_exhibit.id = "spring-dawn";
  poem_exhibit.kind = ExhibitKind::poem;
  poem_exhibit.metadata.title = {"春晓", "Spring Dawn"};
  tables.exhibits.push_back(poem_exhibit);
  Poem poem;
  poem.exhibit = 1;
  poem.dynasty = {"唐", "Tang"};
  poem.text = "春眠不觉晓，\n处处闻啼鸟。";
  poem.pinyin = {"chūn", "mián", "bù", "jué", "xiǎo", "chù", "chù", "wén", "tí", "niǎo"};
  poem.translation = "Spring sleep, unaware of dawn; birds sing everywhere.";
  poem.vertical = false;
  poem.font = hash_content(std::as_bytes(std::span("font", 4)));
  poem.atlas = hash_content(std::as_bytes(std::span("atlas", 5)));
  poem.font_credit = {"LXGW WenKai", "Copyright 2021 LXGW", "SIL Open Font License 1.1", "https://openfontlicense.org"};
  poem.recitation = 0;
  poem.cues_by_line = true;
  poem.cues = {{0.1f, 1.9f}, {2.3f, 4.0f}};
  poem.announcement_en = 0;
  tables.poems.push_back(poem);
  tables.show = sample_show();
  tables.particles = sample_particles();
  return tables;
}

TEST(SceneTables, RoundTripEveryField) {
  const SceneTables tables = sample_tables();
  const auto decoded = decode_scene_tables(encode_scene_tables(tables));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->id, "hall");
  EXPECT_EQ(decoded->title, tables.title);
  EXPECT_EQ(decoded->textures[0].format, TextureFormat::bc1_srgb);
  EXPECT_EQ(decoded->materials[0].emissive_factor, glm::vec3(0.5f, 0.25f, 0.0f));
  EXPECT_TRUE(decoded->materials[0].double_sided);
  EXPECT_EQ(decoded->instances[0].transform, glm::mat4(2.0f));
  EXPECT_FALSE(decoded->light.casts_shadows);
  EXPECT_EQ(decoded->exhibits[0].metadata, tables.exhibits[0].metadata);
  EXPECT_EQ(decoded->exhibits[0].alt_text.zh_cn, "一卷展开的画");
  EXPECT_EQ(decoded->exhibits[0].description_easy, tables.exhibits[0].description_easy);
  EXPECT_EQ(decoded->audio[0].caption, tables.audio[0].caption);
  EXPECT_EQ(decoded->viewpoints[0].name.en, "Entrance");
  ASSERT_EQ(decoded->camera_paths.size(), 1u);
  EXPECT_EQ(decoded->camera_paths[0].keys.size(), 5u);
  EXPECT_EQ(decoded->camera_paths[0].name.en, "Tour");
  EXPECT_TRUE(decoded->audio[0].loop);
  EXPECT_EQ(decoded->audio[0].frames, 48'000u);
  const NodeTree& tree = decoded->tree;
  ASSERT_EQ(tree.nodes.size(), 2u);
  EXPECT_EQ(tree.nodes[1].name, "roller");
  EXPECT_EQ(tree.nodes[1].parent, 0);
  EXPECT_EQ(tree.nodes[1].local, tables.tree.nodes[1].local);
  ASSERT_EQ(tree.skins.size(), 1u);
  EXPECT_EQ(tree.skins[0].joints, tables.tree.skins[0].joints);
  EXPECT_EQ(tree.skins[0].inverse_bind_matrices[1], glm::mat4(0.5f));
  EXPECT_EQ(tree.instances[0].node, 1u);
  ASSERT_EQ(tree.animations.size(), 1u);
  EXPECT_EQ(tree.animations[0].name, "unroll");
  EXPECT_EQ(tree.animations[0].channels[0].property, AnimatedProperty::rotation);
  EXPECT_EQ(tree.animations[0].channels[0].values, tables.tree.animations[0].channels[0].values);
  ASSERT_EQ(decoded->poems.size(), 1u);
  const Poem& poem = decoded->poems[0];
  EXPECT_EQ(poem.exhibit, 1u);
  EXPECT_EQ(poem.dynasty.en, "Tang");
  EXPECT_EQ(poem.text, tables.poems[0].text);
  EXPECT_EQ(poem.pinyin, tables.poems[0].pinyin);
  EXPECT_EQ(poem.translation, tables.poems[0].translation);
  EXPECT_FALSE(poem.vertical);
  EXPECT_EQ(poem.font, tables.poems[0].font);
  EXPECT_EQ(poem.atlas, tables.poems[0].atlas);
  EXPECT_EQ(poem.font_credit.url, "https://openfontlicense.org");
  EXPECT_EQ(poem.recitation, 0u);
  EXPECT_TRUE(poem.cues_by_line);
  ASSERT_EQ(poem.cues.size(), 2u);
  EXPECT_FLOAT_EQ(poem.cues[1].end, 4.0f);
  EXPECT_EQ(poem.announcement_zh_cn, no_sound);
  EXPECT_EQ(poem.announcement_en, 0u);
  EXPECT_EQ(poem.translation_reading, no_sound);
  ASSERT_TRUE(decoded->show.has_value());
  EXPECT_EQ(*decoded->show, *tables.show);
  EXPECT_EQ(decoded->particles, tables.particles);
}

// Tables as version 11 wrote them: without the node tree's morphs at the end (version 12).
std::vector<std::byte> as_version_eleven(const SceneTables& tables) {
  std::vector<std::byte> bytes = encode_scene_tables(tables);
  ByteWriter morphs;
  write_morphs(morphs, tables.tree);
  bytes.resize(bytes.size() - morphs.bytes().size());
  const uint32_t eleven = 11;
  std::memcpy(bytes.data() + 4, &eleven, 4);
  return bytes;
}

// Tables as version 8 wrote them: without what later versions end with, the particle count (11),
// the show flag (9) and the book count (10).
std::vector<std::byte> as_version_eight(const SceneTables& tables) {
  SceneTables without_show = tables;
  without_show.show.reset();
  without_show.particles.clear();
  without_show.books.clear();
  std::vector<std::byte> bytes = as_version_eleven(without_show);
  bytes.resize(bytes.size() - sizeof(uint32_t) - 1 - sizeof(uint32_t));
  const uint32_t eight = 8;
  std::memcpy(bytes.data() + 4, &eight, 4);
  return bytes;
}

TEST(SceneTables, VersionEightTablesAreStillReadWithoutAShow) {
  const SceneTables tables = sample_tables();
  const auto decoded = decode_scene_tables(as_version_eight(tables));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_FALSE(decoded->show.has_value());
  EXPECT_EQ(decoded->tree.animations[0].channels[0].values, tables.tree.animations[0].channels[0].values);
  EXPECT_EQ(decoded->audio[0].caption, tables.audio[0].caption);
  // A scene without a show is written with the flag alone.
  SceneTables without_show = tables;
  without_show.show.reset();
  const auto plain = decode_scene_tables(encode_scene_tables(without_show));
  ASSERT_TRUE(plain.ok()) << plain.error().describe();
  EXPECT_FALSE(plain->show.has_value());
}

TEST(SceneTables, AShowsBrokenCueIsRefusedNamingTheTrackAndCue) {
  const std::vector<std::pair<std::function<void(Show&)>, std::string>> spoils{
      {[](Show& show) { show.tracks[0].cues[1].animation = 4; },
       "the show's track 0 ('opening'), cue 1 (clip) names clip 4, but there are 1"},
      {[](Show& show) { show.tracks[0].cues[1].exhibit = 9; }, "cue 1 (clip) names exhibit 9, but there are 2"},
      {[](Show& show) { show.tracks[1].cues[1].emitter = 3; },
       "the show's track 1 ('climax'), cue 1 (burst) names particle system 3, but there are 3"},
      {[](Show& show) { show.tracks[0].cues[2].sound = 3; }, "cue 2 (sound) names sound 3, but there are 1"},
      {[](Show& show) { show.tracks[0].cues[0].camera_keys[1].time = 0.0f; },
       "cue 0 (camera) is a camera move that key 1 is not later than the key before it"},
      {[](Show& show) { show.tracks[1].cues[0].light_keys[1].time = 3.0f; },
       "cue 0 (light) is a light ramp that has keys beyond its duration"},
      {[](Show& show) { show.tracks[0].cues[3].start = 31.0f; }, "starts at or after the show's end (30 s)"},
      {[](Show& show) { show.tracks[0].cues[1].speed = 0.0f; }, "has a speed, fade, gain or position out of range"},
      {[](Show& show) { show.moments[0].exhibit = 2; }, "the show's interactive moment 0 names exhibit 2, but there are 2"},
      {[](Show& show) { show.moments[0].response[0].sound = 1; },
       "the show's interactive moment 0, cue 0 (sound) names sound 1, but there are 1"},
      {[](Show& show) { show.duration = 0.0f; }, "the show lasts 0 s"},
      // Shorter than a second: a player would count passes without end.
      {[](Show& show) { show.duration = 1e-30f; }, "the show lasts 1e-30 s; it must last from 1 s to a day"},
  };
  for (const auto& [spoil, expected] : spoils) {
    SceneTables tables = sample_tables();
    spoil(*tables.show);
    const auto decoded = decode_scene_tables(encode_scene_tables(tables));
    ASSERT_FALSE(decoded.ok()) << expected;
    EXPECT_EQ(decoded.error().code(), ErrorCode::invalid_input);
    EXPECT_NE(decoded.error().why().find(expected), std::string::npos) << decoded.error().why();
  }
}

// A version 10 show named its emitters (a name and a place) itself, before the particle systems:
// they are read as placeholder bursts, which its bursts name.
TEST(SceneTables, AnOlderShowsEmittersAreReadAsPlaceholderBursts) {
  SceneTables tables = sample_tables();
  tables.particles.clear();
  tables.show->tracks[1].cues[1].emitter = 0;
  std::vector<std::byte> bytes = as_version_eleven(tables);
  // Where the particle count (0) and the show flag are followed by the show's duration and loop.
  ByteWriter marker;
  marker.write(uint32_t{0});
  marker.write(uint8_t{1});
  marker.write(tables.show->duration);
  marker.write(uint8_t{0});
  const auto& pattern = marker.bytes();
  const auto found = std::search(bytes.begin(), bytes.end(), pattern.begin(), pattern.end());
  ASSERT_NE(found, bytes.end());
  const auto at = found - bytes.begin();
  ByteWriter emitters;
  emitters.write(uint32_t{1});
  emitters.write_string("climax");
  emitters.write(glm::vec3(0, 12, -3));
  bytes.insert(bytes.begin() + at + static_cast<ptrdiff_t>(pattern.size()), emitters.bytes().begin(),
               emitters.bytes().end());
  bytes.erase(bytes.begin() + at, bytes.begin() + at + 4);
  const uint32_t ten = 10;
  std::memcpy(bytes.data() + 4, &ten, 4);
  const auto decoded = decode_scene_tables(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  ASSERT_EQ(decoded->particles.size(), 1u);
  EXPECT_EQ(decoded->particles[0], placeholder_burst("climax", {0, 12, -3}));
  EXPECT_EQ(decoded->show->tracks[1].cues[1].emitter, 0u);
}

TEST(SceneTables, ABrokenParticleSystemIsRefusedNamingIt) {
  const std::vector<std::pair<std::function<void(std::vector<ParticleSystem>&)>, std::string>> spoils{
      {[](auto& systems) { systems[1].on_death = 0; }, "particle system 0 ('shell') has an on_death chain that comes back"},
      {[](auto& systems) { systems[0].on_death = 7; }, "('shell') has an on_death system 7, but there are 3"},
      {[](auto& systems) { systems[0].on_death = 2; }, "('shell') has an on_death system that is not a burst"},
      {[](auto& systems) { systems[2].rate = 0.0f; }, "('lanterns') has a continuous emission without a rate"},
      {[](auto& systems) { systems[2].color.clear(); }, "('lanterns') has no keys for its colour"},
      {[](auto& systems) { systems[2].size[0].time = 0.5f; }, "a size curve that does not start at time 0"},
      {[](auto& systems) { systems[1].lifetime_max = 0.5f; }, "a speed or lifetime range out of order"},
      {[](auto& systems) { systems[1].direction = {0, 2, 0}; }, "a direction that is not a unit vector"},
  };
  for (const auto& [spoil, expected] : spoils) {
    SceneTables tables = sample_tables();
    spoil(tables.particles);
    const auto decoded = decode_scene_tables(encode_scene_tables(tables));
    ASSERT_FALSE(decoded.ok()) << expected;
    EXPECT_NE(decoded.error().why().find(expected), std::string::npos) << decoded.error().why();
  }
}

TEST(SceneTables, ParticleCapacitiesCountEveryBurstInFlightAndEveryParentsChildren) {
  const std::vector<ParticleSystem> systems = sample_particles();
  const std::vector<uint64_t> capacities = particle_capacities(systems);
  // shell: 3 × 2 bursts in flight; sparks: 256 × 2 of its own and 256 for each of the shell's 6;
  // lanterns: 0.5 a second for 16.1 s, and one more.
  EXPECT_EQ(capacities, (std::vector<uint64_t>{6, 256 * 2 + 256 * 6, 10}));
}

// Tables of one animation channel as version 7 wrote them: without the channel's interpolation,
// found where the encodings of two interpolations differ.
std::vector<std::byte> as_version_seven(const SceneTables& tables) {
  SceneTables linear = tables;
  linear.show.reset();
  linear.tree.animations.at(0).channels.at(0).interpolation = Interpolation::linear;
  SceneTables stepped = linear;
  stepped.tree.animations[0].channels[0].interpolation = Interpolation::step;
  const std::vector<std::byte> linear_bytes = encode_scene_tables(linear);
  const std::vector<std::byte> stepped_bytes = encode_scene_tables(stepped);
  const auto field = std::mismatch(linear_bytes.begin(), linear_bytes.end(), stepped_bytes.begin()).first;
  std::vector<std::byte> bytes = as_version_eight(tables);
  const auto offset = field - linear_bytes.begin();
  bytes.erase(bytes.begin() + offset, bytes.begin() + offset + 4);
  const uint32_t seven = 7;
  std::memcpy(bytes.data() + 4, &seven, 4);
  return bytes;
}

TEST(SceneTables, VersionSevenTablesAreStillReadWithLinearChannels) {
  const SceneTables tables = sample_tables();
  const auto decoded = decode_scene_tables(as_version_seven(tables));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->tree.animations[0].channels[0].interpolation, Interpolation::linear);
  EXPECT_EQ(decoded->tree.animations[0].channels[0].values, tables.tree.animations[0].channels[0].values);
  EXPECT_EQ(decoded->audio[0].caption, tables.audio[0].caption);
}

// Tables as version 6 wrote them: without the exhibits' easy descriptions and the sounds'
// captions at the end.
std::vector<std::byte> as_version_six(const SceneTables& tables) {
  std::vector<std::byte> bytes = as_version_seven(tables);
  const auto text_bytes = [](const LocalizedText& text) { return 8 + text.zh_cn.size() + text.en.size(); };
  for (const Exhibit& exhibit : tables.exhibits) bytes.resize(bytes.size() - text_bytes(exhibit.description_easy));
  for (const AudioSource& audio : tables.audio) bytes.resize(bytes.size() - text_bytes(audio.caption));
  const uint32_t six = 6;
  std::memcpy(bytes.data() + 4, &six, 4);
  return bytes;
}

TEST(SceneTables, VersionSixTablesAreStillReadWithoutEasyDescriptionsOrCaptions) {
  const SceneTables tables = sample_tables();
  const auto decoded = decode_scene_tables(as_version_six(tables));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->exhibits[0].metadata.date, tables.exhibits[0].metadata.date);
  EXPECT_EQ(decoded->exhibits[0].description_easy, LocalizedText{});
  EXPECT_EQ(decoded->audio[0].caption, LocalizedText{});
}

// Tables as a version before 6 wrote them: without the exhibits' Chinese dates at the end.
std::vector<std::byte> without_chinese_dates(const SceneTables& tables) {
  std::vector<std::byte> bytes = as_version_six(tables);
  for (const Exhibit& exhibit : tables.exhibits) bytes.resize(bytes.size() - 4 - exhibit.metadata.date.zh_cn.size());
  return bytes;
}

TEST(SceneTables, VersionFiveTablesAreStillReadWithOneDateForEveryLanguage) {
  const SceneTables tables = sample_tables();
  std::vector<std::byte> bytes = without_chinese_dates(tables);
  const uint32_t five = 5;
  std::memcpy(bytes.data() + 4, &five, 4);
  const auto decoded = decode_scene_tables(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_EQ(decoded->exhibits[0].metadata.date, (LocalizedText{"Southern Song", "Southern Song"}));
}

TEST(SceneTables, VersionThreeTablesAreStillReadWithoutPoems) {
  SceneTables tables = sample_tables();
  tables.exhibits.pop_back();
  tables.poems.clear();
  std::vector<std::byte> bytes = without_chinese_dates(tables);
  const uint32_t three = 3;
  std::memcpy(bytes.data() + 4, &three, 4);
  bytes.resize(bytes.size() - 4);  // version 3 ends with the node tree
  const auto decoded = decode_scene_tables(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  EXPECT_TRUE(decoded->poems.empty());
  EXPECT_EQ(decoded->exhibits.size(), 1u);
}

TEST(SceneTables, VersionFourTablesAreStillReadWithoutAudioOnlySounds) {
  std::vector<std::byte> bytes = without_chinese_dates(sample_tables());
  const uint32_t four = 4;
  std::memcpy(bytes.data() + 4, &four, 4);
  bytes.resize(bytes.size() - 12);  // version 4 ends with the last poem's cues
  const auto decoded = decode_scene_tables(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  ASSERT_EQ(decoded->poems.size(), 1u);
  EXPECT_EQ(decoded->poems[0].announcement_en, no_sound);
}

TEST(SceneNodeTree, WorldTransformsComposeParentsFirst) {
  const NodeTree tree = sample_tables().tree;
  const std::vector<glm::mat4> world = world_transforms(tree.nodes);
  const glm::vec3 roller_origin = world[1] * glm::vec4(0, 0, 0, 1);
  EXPECT_LT(glm::distance(roller_origin, glm::vec3(1.0f, 1.0f, -2.0f)), 1e-6f) << "0.5 m along x, scaled by its parent's 2";
  const glm::vec3 along_x = world[1] * glm::vec4(1, 0, 0, 0);
  EXPECT_LT(glm::distance(along_x, 2.0f * glm::vec3(std::cos(0.3f), std::sin(0.3f), 0.0f)), 1e-5f) << "turned, then scaled";
}

TEST(SceneNodeTree, BrokenTreesAreRefusedWithTheReason) {
  const auto refusal = [](auto&& damage) {
    SceneTables tables = sample_tables();
    damage(tables.tree);
    const auto decoded = decode_scene_tables(encode_scene_tables(tables));
    return decoded.ok() ? std::string("accepted") : decoded.error().why();
  };
  EXPECT_NE(refusal([](NodeTree& tree) { tree.nodes[0].parent = 1; }).find("does not come before it"), std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.nodes[1].local.rotation = glm::quat(2, 0, 0, 0); }).find("unit quaternion"),
            std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.skins[0].joints[1] = 7; }).find("node 7"), std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.skins[0].inverse_bind_matrices.pop_back(); }).find("inverse bind"),
            std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.instances[0].skin = 4; }).find("instance 0"), std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.instances.clear(); }).find("hang from nodes"), std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.animations[0].channels[0].times = {1.0f, 1.0f}; }).find("key 1"),
            std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.animations[0].channels[0].values.pop_back(); }).find("each key needs"),
            std::string::npos);
  EXPECT_NE(refusal([](NodeTree& tree) { tree.animations[0].channels[0].node = 2; }).find("no such node"),
            std::string::npos);
}

TEST(SceneMeshes, SkinWeightsRoundTripAndAlwaysSumToOne) {
  const VertexSkin skin = pack_vertex_skin({3, 1, 0, 0}, glm::vec4(0.2f, 0.2f, 0.2f, 0.0f));
  EXPECT_EQ(uint32_t{skin.weights[0]} + skin.weights[1] + skin.weights[2] + skin.weights[3], 65535u);
  EXPECT_EQ(skin.joints[0], 3);
  EXPECT_EQ(skin.weights[3], 0);
  MeshData mesh;
  mesh.name = "bent";
  for (const glm::vec3& corner : {glm::vec3(0, 0, 0), glm::vec3(1, 0, 0), glm::vec3(0, 1, 0)}) {
    mesh.vertices.push_back(pack_vertex(corner, {0, 0, 1}, {1, 0, 0, 1}, glm::vec2(corner)));
    mesh.skin.push_back(pack_vertex_skin({0, 1, 0, 0}, glm::vec4(1.0f - corner.y, corner.y, 0, 0)));
  }
  mesh.indices = {0, 1, 2};
  const auto decoded = decode_mesh(encode_mesh(mesh), "bent");
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  ASSERT_EQ(decoded->skin.size(), 3u);
  EXPECT_EQ(decoded->skin[2].weights[1], 65535);
  RenderScene scene;
  scene.meshes = {*decoded};
  scene.meshes[0].skin.pop_back();
  EXPECT_NE(validate(scene).error().why().find("skin weights for 2 of its 3 vertices"), std::string::npos);
}

// Every truncation is refused with an error, never a crash or a half-read table.
TEST(SceneTables, EveryTruncationIsRefused) {
  const auto bytes = encode_scene_tables(sample_tables());
  for (size_t length = 0; length < bytes.size(); ++length) {
    const auto decoded = decode_scene_tables(std::span(bytes).first(length));
    ASSERT_FALSE(decoded.ok()) << "accepted " << length << " of " << bytes.size() << " bytes";
    EXPECT_EQ(decoded.error().code(), ErrorCode::invalid_input);
  }
}

TEST(SceneTables, ReferencesOutsideTheTablesAreRefused) {
  SceneTables tables = sample_tables();
  tables.instances[0].mesh = 3;
  EXPECT_NE(decode_scene_tables(encode_scene_tables(tables)).error().why().find("instance 0"), std::string::npos);
  tables = sample_tables();
  tables.exhibits[0].instance_count = 5;
  EXPECT_NE(decode_scene_tables(encode_scene_tables(tables)).error().why().find("'scroll'"), std::string::npos);
  tables = sample_tables();
  tables.materials[0].normal_texture = 9;
  EXPECT_FALSE(decode_scene_tables(encode_scene_tables(tables)).ok());
  // A poem must belong to a poem exhibit, and name a sound that exists when it has cues.
  for (const auto& spoil : std::initializer_list<void (*)(Poem&)>{
           [](Poem& poem) { poem.exhibit = 0; }, [](Poem& poem) { poem.recitation = 4; },
           [](Poem& poem) { poem.recitation = no_sound; }, [](Poem& poem) { poem.cues.clear(); },
           [](Poem& poem) { poem.translation_reading = 7; }}) {
    tables = sample_tables();
    spoil(tables.poems[0]);
    const auto decoded = decode_scene_tables(encode_scene_tables(tables));
    ASSERT_FALSE(decoded.ok());
    EXPECT_NE(decoded.error().why().find("poem 0 is malformed"), std::string::npos) << decoded.error().why();
  }
}

TEST(SceneCameraPaths, PassThroughEveryKeyAndLoopSmoothly) {
  const CameraPath path = sample_tables().camera_paths[0];
  for (const CameraKey& key : path.keys) {
    EXPECT_LT(glm::distance(sample(path, key.time).position, key.position), 1e-4f) << "at " << key.time << " s";
  }
  const glm::vec3 halfway = sample(path, 2.0f).position;
  EXPECT_GT(glm::length(glm::vec2(halfway.x, halfway.z)), glm::length(glm::vec2(2.5f, 2.5f)) + 0.5f)
      << "the path bows outwards around the circle, not straight across";
  EXPECT_LT(glm::distance(sample(path, 18.0f).position, sample(path, 2.0f).position), 1e-4f) << "loops after 16 s";
  EXPECT_LT(glm::distance(sample(path, 15.9f).position, sample(path, 0.1f).position), 1.0f) << "no jump where it loops";
  CameraPath once = path;
  once.loop = false;
  EXPECT_LT(glm::distance(sample(once, 20.0f).position, path.keys.back().position), 1e-4f) << "stops at its end";
}

TEST(SceneTables, CameraPathsOutOfOrderAreRefused) {
  SceneTables tables = sample_tables();
  tables.camera_paths[0].keys[1].time = 9;
  EXPECT_NE(decode_scene_tables(encode_scene_tables(tables)).error().why().find("increasing times"), std::string::npos);
}

TEST(SceneTables, MeshesRoundTrip) {
  MeshData mesh;
  mesh.vertices.push_back(pack_vertex({1, 2, 3}, {0, 1, 0}, {1, 0, 0, 1}, {0.5f, 0.5f}));
  mesh.indices = {0, 0, 0};
  const auto decoded = decode_mesh(encode_mesh(mesh), "dot");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->vertices.size(), 1u);
  EXPECT_EQ(decoded->indices, mesh.indices);
  const auto encoded = encode_mesh(mesh);
  EXPECT_FALSE(decode_mesh(std::span(encoded).first(10), "dot").ok());
}

// A package with one triangle and one BC1 texture, loaded as is and with BC decoding.
class SceneLoader : public ::testing::Test {
 protected:
  void SetUp() override { write_hall([](SceneTables&) {}); }

  // Writes the package, with `change` made to its tables, and opens it.
  void write_hall(const std::function<void(SceneTables&)>& change) {
    package::PackageWriter writer;
    MeshData mesh;
    mesh.name = "triangle";
    for (const glm::vec3& corner : {glm::vec3(0, 0, 0), glm::vec3(1, 0, 0), glm::vec3(0, 1, 0)}) {
      mesh.vertices.push_back(pack_vertex(corner, {0, 0, 1}, {1, 0, 0, 1}, glm::vec2(corner)));
    }
    mesh.indices = {0, 1, 2};
    const auto mesh_hash = writer.add(package::prepare_blob(package::BlobKind::mesh, encode_mesh(mesh)));
    // An 8×8 texture, pure red, with its four BC1 levels (8, 4, 2, 1 texels square).
    std::vector<std::byte> texture;
    for (int size : {8, 4, 2, 1}) {
      std::vector<squish::u8> rgba(static_cast<size_t>(size * size * 4), 0);
      for (size_t texel = 0; texel < rgba.size(); texel += 4) rgba[texel] = rgba[texel + 3] = 255;
      std::vector<std::byte> blocks(static_cast<size_t>(squish::GetStorageRequirements(size, size, squish::kDxt1)));
      squish::CompressImage(rgba.data(), size, size, blocks.data(), squish::kDxt1);
      texture.insert(texture.end(), blocks.begin(), blocks.end());
    }
    // Levels 0–1 (40 bytes) in the head blob, 2–3 in the tail, as pavilion-pack splits large textures.
    const std::span<const std::byte> levels(texture);
    const auto head = writer.add(package::prepare_blob(package::BlobKind::texture, levels.first(40)));
    const auto tail = writer.add(package::prepare_blob(package::BlobKind::texture, levels.subspan(40)));
    SceneTables tables = sample_tables();
    tables.meshes = {{mesh_hash, "triangle"}};
    tables.textures = {{head, tail, 2, "red", TextureFormat::bc1_srgb, 8, 8, 4}};
    change(tables);
    writer.add(package::prepare_blob(package::BlobKind::scene, encode_scene_tables(tables)));
    writer.set_manifest("{}");
    ASSERT_TRUE(writer.write(path_, nullptr).ok());
    auto reader = package::PackageReader::open(path_, {{}, true, false});
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    reader_ = std::move(*reader);
  }

  testing::TemporaryFolder folder_;
  std::filesystem::path path_ = folder_ / "hall.pvpkg";
  std::unique_ptr<package::PackageReader> reader_;
};

TEST_F(SceneLoader, BuildsTheRuntimeSceneFromBlobs) {
  const auto loaded = load_scene(*reader_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(loaded->id, "hall");
  EXPECT_EQ(loaded->render.meshes[0].indices.size(), 3u);
  EXPECT_EQ(loaded->render.textures[0].format, TextureFormat::bc1_srgb);
  EXPECT_EQ(loaded->render.textures[0].bytes.size(), 4u * 8 + 8 + 8 + 8) << "BC1: 8 bytes a 4×4 block, one block at least";
  EXPECT_EQ(loaded->exhibits[0].metadata.title.zh_cn, "手卷");
  EXPECT_TRUE(validate(loaded->render).ok()) << validate(loaded->render).error().describe();
}

TEST_F(SceneLoader, AProgressiveLoadStartsWithTheSmallLevels) {
  const auto first = load_scene(*reader_, {.progressive = true});
  ASSERT_TRUE(first.ok()) << first.error().describe();
  const TextureData& small = first->render.textures[0];
  EXPECT_EQ(small.first_level, 2u);
  EXPECT_EQ(small.bytes.size(), 16u) << "only the 2×2 and 1×1 levels";
  EXPECT_TRUE(validate(first->render).ok()) << "drawable as it is";
  ASSERT_EQ(first->pending_textures.size(), 1u);

  const auto rest = load_pending_textures(*reader_, *first);
  ASSERT_TRUE(rest.ok()) << rest.error().describe();
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].texture, 0u);
  EXPECT_EQ((*rest)[0].data.first_level, 0u);
  const auto whole = load_scene(*reader_);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ((*rest)[0].data.bytes, whole->render.textures[0].bytes) << "the same texture as a whole load gives";
  EXPECT_TRUE(whole->pending_textures.empty());
}

TEST_F(SceneLoader, ADamagedLargeLevelStillLetsTheFirstFrameThrough) {
  // One byte of the head blob (levels 0–1) changes on disk after the package was written.
  const TextureReference reference = [&] {
    const auto first = load_scene(*reader_, {.progressive = true});
    EXPECT_TRUE(first.ok());
    return first->texture_blobs.at(first->pending_textures.at(0));
  }();
  const auto head_index = reader_->find(reference.head_blob);
  ASSERT_TRUE(head_index.has_value());
  const uint64_t offset = reader_->index()[*head_index].offset + 2;
  reader_.reset();
  testing::flip_byte(path_, offset);
  auto reopened = package::PackageReader::open(path_, {{}, true, false});
  ASSERT_TRUE(reopened.ok()) << reopened.error().describe();

  const auto first = load_scene(**reopened, {.progressive = true});
  ASSERT_TRUE(first.ok()) << "the small levels are intact: " << first.error().describe();
  const auto rest = load_pending_textures(**reopened, *first);
  ASSERT_FALSE(rest.ok());
  EXPECT_NE(rest.error().describe().find("texture 'red'"), std::string::npos) << rest.error().describe();
  EXPECT_FALSE(load_scene(**reopened).ok()) << "a whole load reads the damaged blob too";
}

TEST_F(SceneLoader, KeepsTheNodeTreeAndRefusesASkinWithoutWeights) {
  const auto loaded = load_scene(*reader_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(loaded->tree.nodes.size(), 2u);
  EXPECT_EQ(loaded->tree.animations.at(0).name, "unroll");

  write_hall([](SceneTables& tables) { tables.tree.instances[0].skin = 0; });
  const auto refused = load_scene(*reader_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().why().find("mesh 'triangle' has no weights"), std::string::npos) << refused.error().describe();
}

TEST_F(SceneLoader, DeferredTexturesAreReadStraightIntoTheCallersMemory) {
  const auto whole = load_scene(*reader_);
  const auto deferred = load_scene(*reader_, {.defer_texture_bytes = true});
  ASSERT_TRUE(whole.ok() && deferred.ok());
  const TextureData& texture = deferred->render.textures[0];
  EXPECT_TRUE(texture.deferred);
  EXPECT_TRUE(texture.bytes.empty());
  EXPECT_TRUE(validate(deferred->render).ok()) << "a deferred texture is a valid one";
  std::vector<std::byte> bytes(texture_byte_count(texture));
  const PackageTextureReader reader(*reader_, *deferred);
  ASSERT_TRUE(reader.read(0, bytes).ok());
  EXPECT_EQ(bytes, whole->render.textures[0].bytes);

  // Progressive and deferred: just the small levels, still in the package.
  const auto small = load_scene(*reader_, {.progressive = true, .defer_texture_bytes = true});
  ASSERT_TRUE(small.ok());
  std::vector<std::byte> tail(texture_byte_count(small->render.textures[0]));
  EXPECT_EQ(tail.size(), 16u);
  ASSERT_TRUE(PackageTextureReader(*reader_, *small).read(0, tail).ok());
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), whole->render.textures[0].bytes.end() - 16));

  // A device without BC sampling needs the texture decoded now: it is not deferred.
  const auto decoded = load_scene(*reader_, {.bc_textures_supported = false, .defer_texture_bytes = true});
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->render.textures[0].deferred);
  EXPECT_EQ(decoded->render.textures[0].format, TextureFormat::rgba8_srgb);
}

TEST_F(SceneLoader, DecodesBlockCompressionForDevicesWithout) {
  const auto loaded = load_scene(*reader_, {.bc_textures_supported = false, .worker_threads = 2});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const TextureData& texture = loaded->render.textures[0];
  EXPECT_EQ(texture.format, TextureFormat::rgba8_srgb);
  ASSERT_EQ(texture.bytes.size(), (64u + 16 + 4 + 1) * 4);
  EXPECT_EQ(static_cast<uint8_t>(texture.bytes[0]), 255) << "red survives the round trip";
  EXPECT_EQ(static_cast<uint8_t>(texture.bytes[1]), 0);
  EXPECT_TRUE(validate(loaded->render).ok());
}

}  // namespace
}  // namespace pavilion::scene
