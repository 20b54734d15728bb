// pavilion-pack's build stages one at a time, each on a context made by hand with only what that
// stage reads: what a curator is told when a stage fails, and that a failed build leaves nothing
// behind.
#include "build_context.h"
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/procedural/textures.h"
#include "stages.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace pavilion::pack {
namespace {

const std::filesystem::path assets = std::filesystem::path(PAVILION_SCENES_DIR) / "gallery" / "assets";

// A scene source in `folder` with no exhibits yet.
SceneSource scene_in(const std::filesystem::path& folder) {
  SceneSource source;
  source.directory = folder;
  source.file = folder / "scene.json";
  source.id = "hall";
  source.version = "1";
  return source;
}

ExhibitSource& add_exhibit(SceneSource& source, scene::ExhibitKind kind, std::string id) {
  ExhibitSource& exhibit = source.exhibits.emplace_back();
  exhibit.id = std::move(id);
  exhibit.json_path = "exhibits[" + std::to_string(source.exhibits.size() - 1) + "]";
  exhibit.kind = kind;
  return exhibit;
}

// Every name in `folder`, one level deep.
std::set<std::string> names_in(const std::filesystem::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) names.insert(entry.path().filename().string());
  return names;
}

void write_text(const std::filesystem::path& path, std::string_view text) {
  ASSERT_TRUE(write_file_atomic(path, std::as_bytes(std::span(text.data(), text.size()))).ok());
}

std::string read_text(const std::filesystem::path& path) {
  const std::vector<std::byte> bytes = read_file(path).value();
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

::testing::AssertionResult says(const Result<void>& result, std::initializer_list<std::string_view> parts) {
  if (result) return ::testing::AssertionFailure() << "the stage succeeded";
  const std::string described = result.error().describe();
  for (const std::string_view part : parts) {
    if (described.find(part) == std::string::npos) return ::testing::AssertionFailure() << "no \"" << part << "\" in: " << described;
  }
  return ::testing::AssertionSuccess();
}

class PackStages : public ::testing::Test {
 protected:
  testing::TemporaryFolder folder;
  BuildOptions options{.scene_directory = folder.path(), .jobs = 2, .thumbnails = false};
  BuildContext context{options};
  SceneSource& source = context.report.source;

  void SetUp() override { source = scene_in(folder.path()); }
};

TEST_F(PackStages, ReadSourceKeepsTheWarningsAndRefusesAnErrorAtItsJsonPath) {
  write_text(folder / "scene.json", R"({"id": "hall", "version": "1", "title": {"zh-CN": "大厅"},
    "viewpoints": [{"position": [0, 1.6, 3], "target": [0, 1, 0]}], "exhibits": []})");
  ASSERT_TRUE(stages::read_source(context).ok());
  EXPECT_EQ(context.report.used_files, std::vector<std::filesystem::path>{folder / "scene.json"});
  ASSERT_EQ(source.warnings.size(), 1u);
  EXPECT_EQ(source.warnings[0].location, "title.en");

  write_text(folder / "scene.json", R"({"id": "hall", "version": 1})");
  BuildContext again(options);
  EXPECT_TRUE(says(stages::read_source(again), {"scene.json", "version: error:"}));
}

TEST_F(PackStages, AModelThatIsGoneIsNamedWithItsJsonPath) {
  add_exhibit(source, scene::ExhibitKind::model, "vase").model = folder / "vase.gltf";
  EXPECT_TRUE(says(stages::import_models(context), {"scene.json: exhibits[0].model", "vase.gltf"}));
}

TEST_F(PackStages, ModelsWarnOfMissingTexturesAndNoteSkinsInTheExhibitsOrder) {
  // The vase without its three images beside it, then the banner with its skin and animation.
  for (const char* file : {"celadon_vase.gltf", "celadon_vase.bin", "silk_banner.gltf", "silk_banner.bin"}) {
    std::filesystem::copy_file(assets / file, folder / file);
  }
  add_exhibit(source, scene::ExhibitKind::model, "vase").model = folder / "celadon_vase.gltf";
  add_exhibit(source, scene::ExhibitKind::model, "banner").model = folder / "silk_banner.gltf";
  ASSERT_TRUE(stages::import_models(context).ok());
  ASSERT_EQ(context.models.size(), 2u);
  EXPECT_EQ(context.report.assets_processed, 2u);
  const std::vector<Finding>& notes = context.report.notes;
  ASSERT_EQ(notes.size(), 4u);
  for (size_t index = 0; index < 3; ++index) {
    EXPECT_EQ(notes[index].severity, Finding::Severity::warning);
    EXPECT_EQ(notes[index].location, "exhibits[0].model");
    EXPECT_NE(notes[index].message.find("the material 'celadon glaze' uses the texture"), std::string::npos)
        << notes[index].message;
  }
  EXPECT_EQ(notes[3].severity, Finding::Severity::note);
  EXPECT_EQ(notes[3].location, "exhibits[1].model");
  EXPECT_NE(notes[3].message.find("silk_banner.gltf is skinned or animated (skins: 1, animations: 1)"), std::string::npos)
      << notes[3].message;
}

TEST_F(PackStages, ATextureThatIsNotAnImageIsNamedWithTheExhibitUsingIt) {
  write_text(folder / "scan.png", "not a picture");
  add_exhibit(source, scene::ExhibitKind::panel, "scan").image = folder / "scan.png";
  EXPECT_TRUE(says(stages::process_textures(context), {"scene.json: exhibits[0].image", "scan.png"}));
}

TEST_F(PackStages, ATextureThatIsGoneIsNamedWithTheExhibitUsingIt) {
  add_exhibit(source, scene::ExhibitKind::panel, "scan").image = folder / "gone.png";
  EXPECT_TRUE(says(stages::process_textures(context),
                   {"scene.json: exhibits[0].image: reading a texture a model or panel uses", "gone.png"}));
}

TEST_F(PackStages, TexturesAreGatheredOnceEachModelsFirst) {
  ASSERT_TRUE(write_png(folder / "scan.png", procedural::generate_image(8, [](float u, float v) {
                          return glm::vec4(u, v, 0.5f, 1.0f);
                        })).ok());
  add_exhibit(source, scene::ExhibitKind::panel, "scan").image = folder / "scan.png";
  add_exhibit(source, scene::ExhibitKind::panel, "same-scan").image = folder / "scan.png";
  add_exhibit(source, scene::ExhibitKind::model, "model");
  ModelResult& model = context.models.emplace_back();
  model.model.textures.push_back({.file = folder / "scan.png", .name = "scan.png", .use = TextureUse::normal});
  ASSERT_TRUE(stages::process_textures(context).ok());
  ASSERT_EQ(context.textures.size(), 2u) << "one file in two uses";
  EXPECT_EQ(context.textures[0].place, (folder / "scene.json").string() + ": exhibits[2].model");
  EXPECT_EQ(model.texture_indices, std::vector<uint32_t>{0});
  EXPECT_EQ(context.panel_texture, (std::map<size_t, uint32_t>{{0, 1}, {1, 1}}));
  EXPECT_EQ(context.report.assets_processed, 2u);
}

TEST_F(PackStages, ASoundThatIsGoneIsNamedWithItsJsonPath) {
  add_exhibit(source, scene::ExhibitKind::audio, "guqin").sound = folder / "guqin.wav";
  EXPECT_TRUE(says(stages::process_sounds(context), {"scene.json: exhibits[0].sound", "guqin.wav"}));
}

TEST_F(PackStages, ARecitationThatIsNotASoundIsNamedWithItsJsonPath) {
  // The poem's title is empty, so nothing is said about it: the recitation is its only sound.
  add_exhibit(source, scene::ExhibitKind::poem, "dawn").poem.recitation = folder / "dawn.wav";
  write_text(folder / "dawn.wav", "RIFF, but no more");
  EXPECT_TRUE(says(stages::process_sounds(context), {"scene.json: exhibits[0].poem.recitation", "dawn.wav"}));
}

TEST_F(PackStages, PoemsRefuseEveryCueAfterItsRecitationAtOnce) {
  for (const char* id : {"dawn", "night"}) {
    ExhibitSource& poem = add_exhibit(source, scene::ExhibitKind::poem, id);
    poem.poem.text = "春眠不觉晓";
    poem.poem.recitation = folder / (std::string(id) + ".wav");
    poem.poem.cues = {{0.0, 1.0}, {1.0, 2.5}};
    context.sounds.push_back({source.exhibits.size() - 1, SoundJob::Role::recitation, poem.poem.recitation});
    // Two seconds of sound: the second cue ends after it.
    context.tables.audio.push_back({.sample_rate = 1000, .channels = 1, .frames = 2000});
  }
  context.synthesised_cues.resize(2);
  EXPECT_TRUE(says(stages::prepare_poems(context),
                   {"2 problems", "exhibits[0].poem.timings.cues[1]: error: ends at 2.500 s, after the recitation ends (2.000 s)",
                    "exhibits[1].poem.timings.cues[1]"}));
  EXPECT_TRUE(context.tables.poems.empty());
}

TEST_F(PackStages, APoemWithACharacterItsFontLacksIsNamed) {
  add_exhibit(source, scene::ExhibitKind::poem, "dawn").poem.text = "春眠\uE000晓";
  EXPECT_TRUE(says(stages::prepare_poems(context), {"scene.json: exhibits[0].poem", "has no glyph for", "(U+E000)"}));
}

TEST_F(PackStages, PanelsShareOneQuadEachWithItsOwnMaterialAndSize) {
  for (const char* id : {"left", "right"}) {
    ExhibitSource& panel = add_exhibit(source, scene::ExhibitKind::panel, id);
    panel.panel_size = {2.0f, 1.0f};
    context.panel_texture[source.exhibits.size() - 1] = static_cast<uint32_t>(context.textures.size());
    context.textures.push_back({.reference = {.name = std::string(id) + ".png"}});
  }
  ASSERT_TRUE(stages::place_exhibits(context).ok());
  const scene::SceneTables& tables = context.tables;
  EXPECT_EQ(context.meshes.size(), 1u);
  ASSERT_EQ(tables.instances.size(), 2u);
  EXPECT_EQ(tables.instances[0].mesh, tables.instances[1].mesh);
  ASSERT_EQ(tables.materials.size(), 2u);
  EXPECT_EQ(tables.materials[1].name, "right panel");
  EXPECT_EQ(tables.materials[1].base_color_texture, 1);
  ASSERT_EQ(tables.tree.nodes.size(), 4u) << "each exhibit's node, and its panel's under it";
  EXPECT_EQ(tables.tree.nodes[3].parent, 2);
  EXPECT_EQ(tables.tree.nodes[3].local.scale, glm::vec3(2.0f, 1.0f, 1.0f));
  EXPECT_EQ(tables.textures.size(), 2u);
  EXPECT_NEAR(tables.exhibits[0].radius, glm::length(glm::vec2(2.0f, 1.0f)) / 2, 1e-4f);
}

TEST_F(PackStages, ValidationRefusesWhatTheRendererCouldNotDraw) {
  context.meshes.push_back({.name = "empty"});
  EXPECT_TRUE(says(stages::validate_scene(context),
                   {"checking the scene before writing the package", "mesh 0 ('empty') has no triangles"}));
}

TEST_F(PackStages, AThumbnailDraftThatCannotBeWrittenFailsLeavingNothing) {
  options.thumbnails = true;
  options.output = folder / "no-such-folder" / "hall.pvpkg";
  const std::set<std::string> before = names_in(folder.path());
  EXPECT_TRUE(says(stages::draw_thumbnails(context), {"writing a draft to draw thumbnails from"}));
  EXPECT_EQ(names_in(folder.path()), before);
}

TEST_F(PackStages, AFailedWriteLeavesNoTemporaryFile) {
  // A folder where the package should go: the rename at the end of the write fails.
  options.output = folder / "hall.pvpkg";
  std::filesystem::create_directory(options.output);
  EXPECT_TRUE(says(stages::write_package(context), {"writing " + options.output.string()}));
  EXPECT_EQ(names_in(folder.path()), std::set<std::string>{"hall.pvpkg"});
  EXPECT_TRUE(std::filesystem::is_empty(options.output));
}

// A scene of a panel and a poem whose font lacks one of its characters: it fails late, in the
// poems stage, once its textures and sounds are processed.
class PackBuildFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(scene);
    ASSERT_TRUE(write_png(scene / "scan.png", procedural::generate_image(8, [](float u, float v) {
                            return glm::vec4(u, v, 0.5f, 1.0f);
                          })).ok());
    write_text(scene / "scene.json", R"({
  "id": "hall", "version": "1", "title": {"zh-CN": "大厅", "en": "Hall"},
  "viewpoints": [{"position": [0, 1.6, 3], "target": [0, 1, 0]}],
  "exhibits": [
    {"id": "scan", "kind": "panel", "image": "scan.png", "size": [1, 1], "position": [0, 1, 0],
     "metadata": {"title": {"zh-CN": "扫描", "en": "Scan"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一幅图。", "en": "A picture."}},
    {"id": "dawn", "kind": "poem", "position": [-1, 1.5, 0],
     "metadata": {"title": {"zh-CN": "春晓", "en": ""}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一句诗。", "en": "A line of verse."},
     "poem": {"text": "春眠不觉晓)" "\uE000" R"("}}]
})");
    std::filesystem::create_directories(output_folder);
  }

  testing::TemporaryFolder folder;
  std::filesystem::path scene = folder / "hall";
  std::filesystem::path output_folder = folder / "out";
  std::filesystem::path output = output_folder / "hall.pvpkg";
  BuildOptions options{.scene_directory = scene, .output = output, .jobs = 2, .cache_directory = folder / "cache"};
};

TEST_F(PackBuildFailure, ALateFailureLeavesNoOutputAndThePackageAlreadyThereAsItWas) {
  auto built = build_package(options);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().describe().find("exhibits[1].poem"), std::string::npos) << built.error().describe();
  EXPECT_TRUE(std::filesystem::is_empty(output_folder)) << "no package, no temporary file, no draft";

  write_text(output, "last week's package");
  ASSERT_FALSE(build_package(options).ok());
  EXPECT_EQ(names_in(output_folder), std::set<std::string>{"hall.pvpkg"});
  EXPECT_EQ(read_text(output), "last week's package");
}

TEST_F(PackBuildFailure, AFailureInTheLastStageLeavesNoTemporaryFileOrDraft) {
  // The poem fixed, and a folder where the package should go: the build fails writing it, after
  // its thumbnails were drawn from a draft beside it.
  std::string text = read_text(scene / "scene.json");
  text.erase(text.find("\uE000"), std::string_view("\uE000").size());
  write_text(scene / "scene.json", text);
  std::filesystem::create_directory(output);
  auto built = build_package(options);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().describe().find("writing " + output.string()), std::string::npos) << built.error().describe();
  EXPECT_EQ(names_in(output_folder), std::set<std::string>{"hall.pvpkg"});
  EXPECT_TRUE(std::filesystem::is_empty(output));
}

}  // namespace
}  // namespace pavilion::pack
