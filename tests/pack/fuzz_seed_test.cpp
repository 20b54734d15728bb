// The fuzzers' binary seeds (fuzz/corpus) must be what this version of the tools writes: a seed
// the parsers refuse at its first bytes only fuzzes the refusal. When a format changes, this test
// fails; `PAVILION_UPDATE_FUZZ_SEEDS=1 ctest -R FuzzSeeds` writes fresh seeds into fuzz/corpus.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/procedural/textures.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/scene_tables.h"
#include "pavilion/scene/sound.h"
#include "pavilion/scene/thumbnail.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/font.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <cstring>

namespace pavilion::pack {
namespace {

const std::filesystem::path corpus = PAVILION_FUZZ_CORPUS_DIR;

// Small on purpose: every byte of a seed is a byte the fuzzer mutates. A 96-pixel image is
// larger than a texture's tail, so the package holds a texture split into head and tail; the
// gallery's banner brings a node tree with a skin and an animation, which the show plays.
constexpr std::string_view seed_scene = R"({
  "id": "seed", "version": "1", "title": {"zh-CN": "种子", "en": "Seed"},
  "viewpoints": [{"name": {"zh-CN": "正面", "en": "Front"}, "position": [0, 1, 2], "target": [0, 1, 0]}],
  "camera_paths": [{"id": "tour", "loop": true, "keys": [
    {"time": 0, "position": [0, 1, 2], "target": [0, 1, 0]},
    {"time": 4, "position": [1, 1, 2], "target": [0, 1, 0]}]}],
  "exhibits": [
    {"id": "scan", "kind": "panel", "image": "scan.png", "size": [1, 1], "position": [0, 1, 0],
     "text": {"zh-CN": "说明", "en": "Caption"},
     "metadata": {"title": {"zh-CN": "扫描", "en": "Scan"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一幅图。", "en": "A picture."}},
    {"id": "banner", "kind": "model", "model": "silk_banner.gltf", "position": [1, 2, 0],
     "metadata": {"title": {"zh-CN": "红绸", "en": "Banner"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一条红绸。", "en": "A red banner."}},
    {"id": "spot", "kind": "hotspot", "position": [0, 1, 0.5], "radius": 0.2,
     "metadata": {"title": {"zh-CN": "看这里", "en": "Look here"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一个观察点。", "en": "A point of interest."},
     "description_easy": {"zh-CN": "看这里。", "en": "Look here."}},
    {"id": "dawn", "kind": "poem", "position": [-1, 1.5, 0],
     "metadata": {"title": {"zh-CN": "春晓", "en": "Spring Dawn"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一句诗。", "en": "A line of verse."},
     "poem": {"text": "春眠不觉晓", "pinyin": "chūn mián bù jué xiǎo", "translation": "Spring sleep."}},
    {"id": "leaves", "kind": "book", "position": [0, 1, -1],
     "metadata": {"title": {"zh-CN": "书", "en": "Book"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一本书。", "en": "A book."},
     "book": {"folder": "pages", "thread_bound": true, "start": 2}}
  ],
  "particles": [
    {"name": "shell", "count": 2, "position": [0, 3, 0], "cone": 10, "speed": [8, 9], "lifetime": 1, "on_death": "sparks",
     "color": [{"time": 0, "color": "#ffd080", "alpha": 1}, {"time": 1, "color": [1, 0.2, 0], "alpha": 0}]},
    {"name": "sparks", "count": 8, "cone": 180, "speed": [2, 3], "lifetime": [0.5, 1], "size": [{"time": 0, "value": 0.1}],
     "drag": 1, "trail": 0.1, "glow": 3},
    {"name": "snow", "emission": "continuous", "rate": 4, "shape": "box", "box": [4, 0, 4], "gravity": [0, -0.5, 0],
     "turbulence": 0.3, "blend": "alpha", "sprite": "flake", "soft": 0.2}],
  "show": {"duration": 8,
    "tracks": [{"name": "all", "cues": [
      {"kind": "camera", "keys": [{"time": 0, "position": [0, 1, 2], "target": [0, 1, 0]},
                                  {"time": 2, "position": [1, 1, 2], "target": [0, 1, 0], "easing": "ease_in"}]},
      {"kind": "clip", "start": 1, "exhibit": "banner", "clip": "sway", "loop": true},
      {"kind": "light", "start": 2, "keys": [{"time": 0, "intensity": 1}, {"time": 1, "intensity": 2}]},
      {"kind": "burst", "start": 3, "emitter": "shell", "calm": "skip"},
      {"kind": "title", "start": 4, "duration": 2, "text": {"zh-CN": "春", "en": "Spring"}}]}],
    "moments": [{"exhibit": "spot", "trigger": "point", "event": "spot_seen",
                 "cues": [{"kind": "clip", "exhibit": "banner", "clip": "sway"}]}]}
})";

struct Seeds {
  std::vector<std::byte> package;
  std::vector<std::byte> scene_tables;
  std::vector<std::vector<std::byte>> meshes;
  std::vector<std::byte> thumbnail;
  std::vector<std::byte> atlas;
  std::vector<std::byte> sound;
};

Result<Seeds> make_seeds(const std::filesystem::path& folder) {
  const auto scene_directory = folder / "seed";
  std::filesystem::create_directories(scene_directory);
  PV_TRY(write_file_atomic(scene_directory / "scene.json",
                           std::as_bytes(std::span(seed_scene.data(), seed_scene.size()))));
  for (const char* file : {"silk_banner.gltf", "silk_banner.bin"}) {
    std::filesystem::copy_file(std::filesystem::path(PAVILION_SCENES_DIR) / "gallery" / "assets" / file, scene_directory / file);
  }
  PV_TRY(write_png(scene_directory / "scan.png", procedural::generate_image(96, [](float u, float v) {
                     return glm::vec4(u, v, 0.5f, 1.0f);
                   })));
  // A book of two small pages (one tile each), so the seed's tables hold a book.
  std::filesystem::create_directories(scene_directory / "pages");
  for (const char* page : {"p1.png", "p2.png"}) {
    PV_TRY(write_png(scene_directory / "pages" / page, procedural::generate_image(8, [](float u, float v) {
                       return glm::vec4(1.0f, u, v, 1.0f);
                     })));
  }
  BuildOptions options;
  options.scene_directory = scene_directory;
  options.output = folder / "seed.pvpkg";
  options.cache_directory = folder / "cache";
  options.thumbnails = false;  // large pictures would slow the fuzzer; the thumbnail seed is separate
  const package::KeyPair key = package::generate_key_pair();
  options.key = &key;
  PV_TRY(build_package(options));

  Seeds seeds;
  ImageRgba8 picture(4, 2);
  for (size_t byte = 0; byte < picture.pixels.size(); ++byte) picture.pixels[byte] = static_cast<uint8_t>(byte * 37);
  seeds.thumbnail = scene::encode_thumbnail({"vase", picture});
  seeds.sound = scene::encode_sound({8'000, 1, {0, 1200, -1200, 300}});  // a few samples, as a package stores them
  PV_TRY_ASSIGN(seeds.package, read_file(options.output));
  PV_TRY_ASSIGN(const auto reader, package::PackageReader::open(options.output, {{key.public_key}, false, false}));
  for (uint32_t index = 0; index < reader->index().size(); ++index) {
    const package::BlobKind kind = reader->index()[index].kind;
    if (kind == package::BlobKind::scene) {
      PV_TRY_ASSIGN(seeds.scene_tables, reader->read_blob(index));
    } else if (kind == package::BlobKind::font) {
      // The atlas seed: a few glyphs of the poem's font at a few texels each, to keep it small.
      PV_TRY_ASSIGN(auto font_bytes, reader->read_blob(index));
      PV_TRY_ASSIGN(const auto font, text::Font::from_bytes(std::move(font_bytes), 0, "seed font"));
      const std::array<const text::Font*, 1> fonts{font.get()};
      const std::array<text::GlyphKey, 3> glyphs{{{0, 1}, {0, 2}, {0, 3}}};
      PV_TRY_ASSIGN(const auto atlas, text::build_atlas(fonts, glyphs, {.em_pixels = 10, .spread_pixels = 2}));
      seeds.atlas = text::encode_atlas(atlas);
    } else if (kind == package::BlobKind::mesh) {
      PV_TRY_ASSIGN(auto mesh, reader->read_blob(index));
      seeds.meshes.push_back(std::move(mesh));
    }
  }
  return seeds;
}

TEST(FuzzSeeds, AreWhatTheToolsWriteNow) {
  if (std::getenv("PAVILION_UPDATE_FUZZ_SEEDS") != nullptr) {
    testing::TemporaryFolder folder;
    const auto seeds = make_seeds(folder.path());
    ASSERT_TRUE(seeds.ok()) << seeds.error().describe();
    ASSERT_FALSE(seeds->scene_tables.empty() || seeds->meshes.empty() || seeds->atlas.empty() || seeds->sound.empty());
    std::filesystem::remove_all(corpus / "package");
    std::filesystem::remove_all(corpus / "scene_tables");
    std::vector<std::pair<std::filesystem::path, const std::vector<std::byte>*>> files = {
        {corpus / "package" / "seed.pvpkg", &seeds->package},
        {corpus / "scene_tables" / "scene.bin", &seeds->scene_tables},
        {corpus / "scene_tables" / "thumbnail.bin", &seeds->thumbnail},
        {corpus / "scene_tables" / "atlas.bin", &seeds->atlas},
        {corpus / "scene_tables" / "sound.bin", &seeds->sound}};
    for (size_t index = 0; index < seeds->meshes.size(); ++index) {
      files.emplace_back(corpus / "scene_tables" / fmt::format("mesh_{}.bin", index), &seeds->meshes[index]);
    }
    for (const auto& [path, bytes] : files) {
      std::filesystem::create_directories(path.parent_path());
      const auto written = write_file_atomic(path, *bytes);
      ASSERT_TRUE(written.ok()) << written.error().describe();
    }
  }
  const std::string remedy = "; run PAVILION_UPDATE_FUZZ_SEEDS=1 ctest -R FuzzSeeds to write fresh seeds";
  size_t packages = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus / "package")) {
    ++packages;
    const auto reader = package::PackageReader::open(entry.path(), {{}, true, false});
    ASSERT_TRUE(reader.ok()) << entry.path() << ": " << reader.error().describe() << remedy;
    const auto loaded = scene::load_scene(**reader);
    EXPECT_TRUE(loaded.ok()) << entry.path() << ": " << loaded.error().describe() << remedy;
  }
  size_t tables = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus / "scene_tables")) {
    ++tables;
    const auto bytes = read_file(entry.path());
    ASSERT_TRUE(bytes.ok());
    EXPECT_TRUE(scene::decode_scene_tables(*bytes).ok() || scene::decode_mesh(*bytes, "seed").ok() ||
                scene::decode_thumbnail(*bytes).ok() || text::decode_atlas(*bytes).ok() || scene::decode_sound(*bytes).ok())
        << entry.path() << " is not a scene, mesh, thumbnail, glyph atlas or sound blob of this version" << remedy;
    // Version 3 tables still decode, but a seed of the version before fuzzes none of the poems.
    if (const auto decoded = scene::decode_scene_tables(*bytes); decoded.ok()) {
      EXPECT_FALSE(decoded->poems.empty()) << entry.path() << " has no poem" << remedy;
      EXPECT_TRUE(decoded->show.has_value()) << entry.path() << " has no show" << remedy;
      EXPECT_FALSE(decoded->books.empty()) << entry.path() << " has no book" << remedy;
      uint32_t version = 0;
      std::memcpy(&version, bytes->data() + 4, sizeof(version));
      EXPECT_EQ(version, scene::scene_tables_version) << entry.path() << " is of an older version" << remedy;
    }
  }
  EXPECT_GT(packages, 0u);
  EXPECT_GT(tables, 0u);
}

}  // namespace
}  // namespace pavilion::pack
