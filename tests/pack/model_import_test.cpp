// Models as curators receive them: damaged files that would make the importer run away, texture
// paths written on another machine, files without surfaces. Fixtures are written by the tests.
#include "pavilion/core/png.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/model_import.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>

#include <sys/stat.h>

namespace pavilion::pack {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A file of a few hundred bytes whose header announces 150 million vertices and faces: Assimp
// 5.2 allocates and loops for them all (gigabytes, tens of seconds) before it finds them absent.
std::string off_announcing_millions() {
  return "OFF\n150000000 150000000 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n";
}

std::string ply_announcing_millions() {
  return "ply\nformat ascii 1.0\nelement vertex 150000000\nproperty float x\nproperty float y\nproperty float z\n"
         "element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n";
}

// Small limits, so the tests finish in seconds. Under AddressSanitizer, where the memory limit is
// watched rather than enforced at each allocation, the damaged files reach 128 MiB within a few
// seconds of processor time.
constexpr ImportLimits test_limits{uint64_t{128} << 20, std::chrono::seconds(10), std::chrono::seconds(20)};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(PackModelImport, AHeaderAnnouncingMillionsOfVerticesIsRefusedAtTheMemoryLimit) {
  testing::TemporaryFolder folder;
  write_text(folder / "damaged.off", off_announcing_millions());
  const auto start = std::chrono::steady_clock::now();
  const auto model = import_model(folder / "damaged.off", test_limits);
  ASSERT_FALSE(model.ok());
  const std::string said = model.error().describe();
  EXPECT_NE(said.find("damaged.off"), std::string::npos) << said;
  EXPECT_NE(said.find("needed more than 128 MiB of memory"), std::string::npos) << said;
  EXPECT_LT(seconds_since(start), 10.0) << said;
}

TEST(PackModelImport, AnImportThatWorksOnAndOnIsStoppedAtTheProcessorTimeLimit) {
  testing::TemporaryFolder folder;
  write_text(folder / "damaged.ply", ply_announcing_millions());
  const ImportLimits limits{uint64_t{4} << 30, std::chrono::seconds(1), std::chrono::seconds(20)};
  const auto model = import_model(folder / "damaged.ply", limits);
  ASSERT_FALSE(model.ok());
  const std::string said = model.error().describe();
  EXPECT_NE(said.find("damaged.ply"), std::string::npos) << said;
  EXPECT_NE(said.find("used more than 1 s of processor time"), std::string::npos) << said;
}

TEST(PackModelImport, AnImportThatWaitsForeverIsStoppedAtTheWallClockLimit) {
  testing::TemporaryFolder folder;
  // A pipe with nobody writing: opening it blocks, taking no processor time.
  ASSERT_EQ(::mkfifo((folder / "stalled.obj").c_str(), 0600), 0);
  const ImportLimits limits{uint64_t{512} << 20, std::chrono::seconds(10), std::chrono::seconds(1)};
  const auto start = std::chrono::steady_clock::now();
  const auto model = import_model(folder / "stalled.obj", limits);
  ASSERT_FALSE(model.ok());
  const std::string said = model.error().describe();
  EXPECT_NE(said.find("stalled.obj"), std::string::npos) << said;
  EXPECT_NE(said.find("did not finish within 1 s"), std::string::npos) << said;
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST(PackModelImport, ABuildRefusesADamagedModelNamingItsPlaceAndTheLimit) {
  testing::TemporaryFolder folder;
  write_text(folder / "hall" / "scene.json", R"({
    "id": "hall", "version": "1", "title": {"zh-CN": "大厅", "en": "Hall"},
    "viewpoints": [{"position": [0, 1.6, 3], "target": [0, 1, 0]}],
    "exhibits": [
      {"id": "tile", "kind": "model", "model": "tile.obj", "position": [1, 1, 0],
       "metadata": {"title": {"zh-CN": "瓦", "en": "Tile"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
       "alt_text": {"zh-CN": "一片瓦", "en": "A tile"}},
      {"id": "scan", "kind": "model", "model": "scan.off", "position": [0, 1, 0],
       "metadata": {"title": {"zh-CN": "扫描", "en": "Scan"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
       "alt_text": {"zh-CN": "一件扫描品", "en": "A scanned object"}}]
  })");
  write_text(folder / "hall" / "tile.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
  write_text(folder / "hall" / "scan.off", off_announcing_millions());
  BuildOptions options;
  options.scene_directory = folder / "hall";
  options.thumbnails = false;
  options.jobs = 2;  // both imports at once
  options.model_limits = test_limits;
  const auto report = build_package(options);
  ASSERT_FALSE(report.ok());
  const std::string said = report.error().describe();
  EXPECT_NE(said.find("exhibits[1].model"), std::string::npos) << said;
  EXPECT_NE(said.find("scan.off"), std::string::npos) << said;
  EXPECT_NE(said.find("128 MiB"), std::string::npos) << said;
}

TEST(PackModelImport, ModelsWithoutSurfacesAreRefusedSayingWhatTheyHold) {
  testing::TemporaryFolder folder;
  write_text(folder / "points.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\np 1 2 3\n");
  write_text(folder / "lines.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nl 1 2 3\n");
  write_text(folder / "cloud.ply",
             "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
             "0 0 0\n1 0 0\n0 1 0\n");
  // Assimp marks a scene of cameras incomplete and gives no error: the refusal used to have no reason.
  write_text(folder / "camera.dae", R"(<?xml version="1.0" encoding="utf-8"?>
<COLLADA xmlns="http://www.collada.org/2005/11/COLLADASchema" version="1.4.1">
  <asset><unit meter="1"/><up_axis>Y_UP</up_axis></asset>
  <library_cameras><camera id="view"><optics><technique_common><perspective>
    <yfov>45</yfov><aspect_ratio>1</aspect_ratio><znear>0.1</znear><zfar>100</zfar>
  </perspective></technique_common></optics></camera></library_cameras>
  <library_visual_scenes><visual_scene id="room"><node id="eye"><instance_camera url="#view"/></node></visual_scene></library_visual_scenes>
  <scene><instance_visual_scene url="#room"/></scene>
</COLLADA>
)");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"points.obj", "only points"}, {"lines.obj", "only lines"}, {"cloud.ply", "only points"}, {"camera.dae", "only cameras"}};
  for (const auto& [file, words] : expected) {
    const auto model = import_model(folder / file);
    ASSERT_FALSE(model.ok()) << file;
    const std::string& why = model.error().why();
    EXPECT_NE(why.find(words), std::string::npos) << file << ": " << why;
    EXPECT_NE(why.find("an exhibit needs surfaces"), std::string::npos) << file << ": " << why;
  }
}

TEST(PackModelImport, EveryRefusalHasAReason) {
  testing::TemporaryFolder folder;
  write_text(folder / "empty.obj", "");
  constexpr char fbx_header_then_noise[] = "Kaydara FBX Binary  \0\x1a\0\xe8\x1c\0\0garbage";
  write_text(folder / "noise.fbx", std::string_view(fbx_header_then_noise, sizeof fbx_header_then_noise - 1));
  write_text(folder / "words.gltf", R"({"asset": {"version": "2.0"}, "meshes": 7})");
  write_text(folder / "unknown.xyz", "not a model at all\n");
  for (const char* file : {"empty.obj", "noise.fbx", "words.gltf", "unknown.xyz", "absent.obj"}) {
    const auto model = import_model(folder / file);
    ASSERT_FALSE(model.ok()) << file;
    const std::string& why = model.error().why();
    ASSERT_FALSE(why.empty()) << file;
    EXPECT_NE(why.front(), ' ') << file << ": " << why;
    EXPECT_NE(why.front(), '(') << file << ": " << why;
  }
}

// A triangle on node 'flag' and an animation 'wave' sliding it through three keys at `times`
// with `values` (x of each key; y and z are 0), as glTF with its buffer beside it.
void write_waving_flag(const fs::path& folder, std::array<float, 3> times, std::array<float, 3> values) {
  write_text(folder / "flag.gltf", R"({
    "asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}],
    "nodes": [{"name": "flag", "mesh": 0}],
    "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
    "buffers": [{"uri": "flag.bin", "byteLength": 84}],
    "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36}, {"buffer": 0, "byteOffset": 36, "byteLength": 12},
                    {"buffer": 0, "byteOffset": 48, "byteLength": 36}],
    "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
                  {"bufferView": 1, "componentType": 5126, "count": 3, "type": "SCALAR"},
                  {"bufferView": 2, "componentType": 5126, "count": 3, "type": "VEC3"}],
    "animations": [{"name": "wave", "channels": [{"sampler": 0, "target": {"node": 0, "path": "translation"}}],
                    "samplers": [{"input": 1, "output": 2, "interpolation": "LINEAR"}]}]
  })");
  std::vector<float> floats = {0, 0, 0, 1, 0, 0, 0, 1, 0};
  floats.insert(floats.end(), times.begin(), times.end());
  for (float x : values) floats.insert(floats.end(), {x, 0.0f, 0.0f});
  std::ofstream(folder / "flag.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(floats.data()), static_cast<std::streamsize>(floats.size() * sizeof(float)));
}

TEST(PackModelImport, AnimationsArriveAsLinearChannelsWithTheirKeys) {
  testing::TemporaryFolder folder;
  write_waving_flag(folder.path(), {0.0f, 0.5f, 2.0f}, {0.0f, 3.0f, 1.0f});
  const auto model = import_model(folder / "flag.gltf", test_limits);
  ASSERT_TRUE(model.ok()) << model.error().describe();
  ASSERT_EQ(model->tree.animations.size(), 1u);
  const scene::Animation& wave = model->tree.animations[0];
  EXPECT_EQ(wave.name, "wave");
  ASSERT_EQ(wave.channels.size(), 1u);
  const scene::AnimationChannel& channel = wave.channels[0];
  EXPECT_EQ(channel.interpolation, scene::Interpolation::linear);
  EXPECT_EQ(channel.property, scene::AnimatedProperty::translation);
  ASSERT_EQ(channel.times.size(), 3u);
  EXPECT_NEAR(channel.times[1], 0.5f, 1e-6f);
  EXPECT_EQ(channel.values[1], glm::vec4(3, 0, 0, 0));
}

TEST(PackModelImport, AnAnimationThatCannotBePlayedIsRefusedNamingTheModelTheClipAndTheNode) {
  testing::TemporaryFolder folder;
  const auto refusal = [&](std::array<float, 3> times, std::array<float, 3> values) {
    write_waving_flag(folder.path(), times, values);
    const auto model = import_model(folder / "flag.gltf", test_limits);
    return model.ok() ? std::string("accepted") : model.error().describe();
  };
  const std::string stalled = refusal({0.0f, 1.0f, 1.0f}, {0.0f, 1.0f, 2.0f});
  for (const char* part : {"flag.gltf", "animation 'wave' cannot be played", "translation key 2 is at 1 s", "node 'flag'"}) {
    EXPECT_NE(stalled.find(part), std::string::npos) << part << " in: " << stalled;
  }
  const std::string broken = refusal({0.0f, 1.0f, 2.0f}, {0.0f, NAN, 2.0f});
  for (const char* part : {"flag.gltf", "animation 'wave' cannot be played", "translation key 1 (at 1 s) has a value that "
                           "is not a number", "node 'flag'"}) {
    EXPECT_NE(broken.find(part), std::string::npos) << part << " in: " << broken;
  }
}

// An OBJ whose materials name their images as another machine wrote them.
constexpr std::string_view bunker_obj = R"(mtllib bunker.mtl
v 0 0 0
v 1 0 0
v 0 1 0
vt 0 0
vt 1 0
vt 0 1
usemtl wall
f 1/1 2/2 3/3
usemtl floor
f 1/1 3/3 2/2
usemtl globe
f 2/2 1/1 3/3
usemtl shelf
f 2/2 3/3 1/1
usemtl lost
f 3/3 1/1 2/2
)";

constexpr std::string_view bunker_mtl = R"(newmtl wall
map_Kd C:\Users\curator\Desktop\bunker.jpg
newmtl floor
map_Kd Textures\albedo.png
newmtl globe
map_Kd Q:/maps/earthSpherical.jpg
newmtl shelf
map_Kd Textures
newmtl lost
map_Kd D:\nowhere\lost.png
)";

// The images the materials mean, in the model's folder, in other places and letter cases.
void write_bunker(const fs::path& folder) {
  write_text(folder / "bunker.obj", bunker_obj);
  write_text(folder / "bunker.mtl", bunker_mtl);
  const ImageRgba8 image(4, 4);
  fs::create_directories(folder / "textures" / "walls");
  for (const fs::path& file :
       {folder / "textures" / "walls" / "Bunker.JPG", folder / "textures" / "albedo.png", folder / "earthspherical.jpg"}) {
    ASSERT_TRUE(write_png(file, image).ok()) << file;  // stb_image reads PNG whatever the name says
  }
}

std::vector<fs::path> texture_files(const ImportedModel& model) {
  std::vector<fs::path> files;
  for (const TextureSource& texture : model.textures) files.push_back(fs::weakly_canonical(texture.file));
  std::sort(files.begin(), files.end());
  return files;
}

TEST(PackModelImport, TexturePathsFromAnotherMachineAreFoundAsModellingToolsFindThem) {
  testing::TemporaryFolder folder;
  write_bunker(folder.path());
  const auto model = import_model(folder / "bunker.obj");
  ASSERT_TRUE(model.ok()) << model.error().describe();
  std::vector<fs::path> expected = {fs::weakly_canonical(folder / "textures" / "walls" / "Bunker.JPG"),
                                    fs::weakly_canonical(folder / "textures" / "albedo.png"),
                                    fs::weakly_canonical(folder / "earthspherical.jpg")};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(texture_files(*model), expected);
  // A path naming a folder, and one whose file is nowhere: the materials lose those textures.
  ASSERT_EQ(model->missing_textures.size(), 2u);
  EXPECT_EQ(model->missing_textures[0].path, "Textures");
  EXPECT_EQ(model->missing_textures[0].material, "shelf");
  EXPECT_EQ(model->missing_textures[1].path, "D:\\nowhere\\lost.png");
  EXPECT_EQ(model->missing_textures[1].material, "lost");
  for (const scene::MaterialData& material : model->materials) {
    EXPECT_EQ(material.base_color_texture == scene::no_texture, material.name == "shelf" || material.name == "lost" ||
                                                                    material.name == "DefaultMaterial")
        << material.name;
  }
}

TEST(PackModelImport, ABuildPacksAModelWithoutItsMissingTextureAndWarnsNamingItAndTheMaterial) {
  testing::TemporaryFolder folder;
  write_text(folder / "hall" / "scene.json", R"({
    "id": "hall", "version": "1", "title": {"zh-CN": "大厅", "en": "Hall"},
    "viewpoints": [{"position": [0, 1.6, 3], "target": [0, 1, 0]}],
    "exhibits": [{"id": "bunker", "kind": "model", "model": "models/bunker.obj", "position": [0, 1, 0],
                  "metadata": {"title": {"zh-CN": "地堡", "en": "Bunker"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
                  "alt_text": {"zh-CN": "一座地堡", "en": "A bunker"}}]
  })");
  write_bunker(folder / "hall" / "models");
  BuildOptions options;
  options.scene_directory = folder / "hall";
  options.cache_directory = folder / "cache";
  options.thumbnails = false;
  options.model_limits = test_limits;
  auto warnings_about = [](const BuildReport& report, std::string_view text) {
    return std::count_if(report.notes.begin(), report.notes.end(), [&](const Finding& note) {
      return note.severity == Finding::Severity::warning && note.message.find(text) != std::string::npos;
    });
  };
  const auto first = build_package(options);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(warnings_about(*first, "the material 'lost' uses the texture 'D:\\nowhere\\lost.png'"), 1);
  EXPECT_EQ(warnings_about(*first, "the material 'shelf' uses the texture 'Textures'"), 1);
  for (const Finding& note : first->notes) {
    EXPECT_EQ(note.location, "exhibits[0].model");
    EXPECT_FALSE(note.message_zh.empty());
  }
  // The image turns up: the next build finds it, though the model file did not change.
  ASSERT_TRUE(write_png(folder / "hall" / "models" / "lost.png", ImageRgba8(4, 4)).ok());
  const auto second = build_package(options);
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(warnings_about(*second, "lost.png"), 0);
  EXPECT_EQ(warnings_about(*second, "'Textures'"), 1);
}

}  // namespace
}  // namespace pavilion::pack
