// pavilion-pack on the sample scene: build, cache, verify, inspect, diff and lint, as a curator
// and an operator would use them.
#include "pavilion/core/file.h"
#include "pavilion/pack/commands.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <algorithm>
#include <regex>

namespace pavilion::pack {
namespace {

// Runs a command with its output captured.
struct Captured {
  int exit_code = -1;
  std::string out;
  std::string err;
};

template <class Command>
Captured run(Command&& command, bool chinese = false) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  CommandContext context;
  context.out = out;
  context.err = err;
  context.chinese = chinese;
  Captured captured;
  auto result = command(context);
  captured.exit_code = result ? *result : -1;
  auto read = [](std::FILE* file) {
    std::rewind(file);
    std::string text;
    char buffer[4096];
    while (size_t count = std::fread(buffer, 1, sizeof buffer, file)) text.append(buffer, count);
    std::fclose(file);
    return text;
  };
  captured.out = read(out);
  captured.err = read(err) + (result ? "" : result.error().describe());
  return captured;
}

class PackBuild : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy(PAVILION_SCENES_DIR "/gallery", scene_, std::filesystem::copy_options::recursive);
    key_ = package::generate_key_pair();
    ASSERT_TRUE(package::write_key_files(key_, folder_ / "curator.key", folder_ / "curator.pub").ok());
  }

  BuildCommand build_command(const std::filesystem::path& output) const {
    BuildCommand command;
    command.scene_directory = scene_;
    command.output = output;
    command.key_file = folder_ / "curator.key";
    command.cache_directory = folder_ / "cache";
    command.jobs = 2;
    return command;
  }

  Captured build(const std::filesystem::path& output) const {
    return run([&](const CommandContext& context) { return command_build(context, build_command(output)); });
  }

  Captured verify(const std::filesystem::path& package, std::vector<std::filesystem::path> trusted) const {
    return run([&](const CommandContext& context) { return command_verify(context, package, trusted); });
  }

  testing::TemporaryFolder folder_;
  std::filesystem::path scene_ = folder_ / "gallery";
  package::KeyPair key_;
};

TEST_F(PackBuild, TheSampleSceneBuildsIntoASignedPackageTheEngineLoads) {
  const auto output = folder_ / "gallery.pvpkg";
  const Captured built = build(output);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_NE(built.out.find("15 assets processed, 0 from the cache"), std::string::npos) << built.out;

  auto reader = package::PackageReader::open(output, {{key_.public_key}, false, false});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const auto scene = scene::load_scene(**reader);
  ASSERT_TRUE(scene.ok()) << scene.error().describe();
  EXPECT_EQ(scene->id, "gallery");
  EXPECT_EQ(scene->exhibits.size(), 7u);
  EXPECT_EQ(scene->viewpoints.size(), 3u);
  ASSERT_EQ(scene->camera_paths.size(), 1u);
  EXPECT_FLOAT_EQ(scene->camera_paths[0].duration(), 32.0f);
  ASSERT_EQ(scene->audio.size(), 1u);
  EXPECT_EQ(scene->audio[0].sample_rate, 22'050u);
  EXPECT_GE(scene->render.textures.size(), 10u);
  for (const auto& texture : scene->render.textures) {
    EXPECT_TRUE(scene::is_block_compressed(texture.format)) << texture.name;
    EXPECT_GT(texture.mip_levels, 1u) << texture.name;
  }
  const auto& vase = scene->exhibits[1];
  EXPECT_EQ(vase.metadata.title.en, "Longquan celadon vase with crackled glaze (replica)");
  EXPECT_NEAR(vase.position.y, 0.9f + 0.375f, 0.05f) << "the vase's centre sits on its plinth";
  EXPECT_TRUE(scene::validate(scene->render).ok());

  // The node tree: every instance sits at its node's world transform; the banner keeps its skin
  // (four joints) and its swaying animation (three turning joints).
  const scene::NodeTree& tree = scene->tree;
  ASSERT_EQ(tree.instances.size(), scene->render.instances.size());
  const std::vector<glm::mat4> world = scene::world_transforms(tree.nodes);
  for (size_t index = 0; index < tree.instances.size(); ++index) {
    const glm::mat4& drawn = scene->render.instances[index].transform;
    const glm::mat4& hung = world[tree.instances[index].node];
    for (int column = 0; column < 4; ++column) {
      EXPECT_LT(glm::distance(drawn[column], hung[column]), 1e-5f) << "instance " << index << ", column " << column;
    }
  }
  const auto banner = std::find_if(tree.nodes.begin(), tree.nodes.end(), [](const auto& node) { return node.name == "silk-banner"; });
  ASSERT_NE(banner, tree.nodes.end());
  EXPECT_EQ(banner->parent, scene::no_parent);
  EXPECT_EQ(banner->local.translation, glm::vec3(3.0f, 3.1f, -2.9f)) << "placed where scene.json says";
  ASSERT_EQ(tree.skins.size(), 1u);
  EXPECT_EQ(tree.skins[0].joints.size(), 4u);
  ASSERT_EQ(tree.animations.size(), 1u);
  EXPECT_EQ(tree.animations[0].name, "silk-banner: sway");
  EXPECT_NEAR(tree.animations[0].duration, 4.0f, 1e-4f);
  ASSERT_EQ(tree.animations[0].channels.size(), 3u);
  for (const auto& channel : tree.animations[0].channels) {
    EXPECT_EQ(channel.property, scene::AnimatedProperty::rotation);
    EXPECT_EQ(channel.times.size(), 9u);
    EXPECT_NE(std::find(tree.skins[0].joints.begin(), tree.skins[0].joints.end(), channel.node), tree.skins[0].joints.end())
        << "it turns a joint of the banner's skin";
  }
  const auto skinned = std::find_if(tree.instances.begin(), tree.instances.end(),
                                    [](const auto& instance) { return instance.skin == 0; });
  ASSERT_NE(skinned, tree.instances.end());
  const scene::MeshData& silk = scene->render.meshes[scene->render.instances[static_cast<size_t>(skinned - tree.instances.begin())].mesh];
  ASSERT_EQ(silk.skin.size(), silk.vertices.size());
  const auto lowest = std::min_element(silk.vertices.begin(), silk.vertices.end(),
                                       [](const auto& a, const auto& b) { return a.position[1] < b.position[1]; });
  const scene::VertexSkin& foot = silk.skin[static_cast<size_t>(lowest - silk.vertices.begin())];
  EXPECT_EQ(foot.weights[0] == 65535 ? foot.joints[0] : foot.joints[1], 3) << "the banner's foot follows the lowest joint";
}

TEST_F(PackBuild, AnUnchangedSceneRebuildsFromTheCache) {
  ASSERT_EQ(build(folder_ / "first.pvpkg").exit_code, 0);
  const Captured second = build(folder_ / "second.pvpkg");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("0 assets processed, 15 from the cache"), std::string::npos) << second.out;
  EXPECT_EQ(read_file(folder_ / "first.pvpkg").value(), read_file(folder_ / "second.pvpkg").value())
      << "the same sources give the same bytes";
}

TEST_F(PackBuild, AChangedBufferFileInvalidatesOnlyItsModel) {
  ASSERT_EQ(build(folder_ / "first.pvpkg").exit_code, 0);
  // The vase's geometry lives in celadon_vase.bin beside its .gltf: the importer read it, so the
  // cache knows it.
  auto buffer = read_file(scene_ / "assets" / "celadon_vase.bin").value();
  buffer[12] = std::byte{static_cast<uint8_t>(static_cast<uint8_t>(buffer[12]) ^ 1)};
  ASSERT_TRUE(write_file_atomic(scene_ / "assets" / "celadon_vase.bin", buffer).ok());
  const Captured second = build(folder_ / "second.pvpkg");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("1 assets processed, 14 from the cache"), std::string::npos) << second.out;
}

TEST_F(PackBuild, VerifySaysWhatFailedThroughItsExitCode) {
  const auto output = folder_ / "gallery.pvpkg";
  ASSERT_EQ(build(output).exit_code, 0);
  EXPECT_EQ(verify(output, {folder_ / "curator.pub"}).exit_code, 0);

  const auto stranger = package::generate_key_pair();
  ASSERT_TRUE(package::write_key_files(stranger, folder_ / "other.key", folder_ / "other.pub").ok());
  const Captured untrusted = verify(output, {folder_ / "other.pub"});
  EXPECT_EQ(untrusted.exit_code, exit_signature);
  EXPECT_NE(untrusted.out.find("not on the trust list"), std::string::npos) << untrusted.out;

  // A damaged blob: the last byte of the file belongs to the last blob.
  const auto damaged = folder_ / "damaged.pvpkg";
  std::filesystem::copy_file(output, damaged);
  {
    std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-1, std::ios::end);
    file.put('\x7f');
  }
  const Captured broken_blob = verify(damaged, {folder_ / "curator.pub"});
  EXPECT_EQ(broken_blob.exit_code, exit_blob_damaged) << broken_blob.out << broken_blob.err;

  const auto truncated = folder_ / "truncated.pvpkg";
  std::filesystem::copy_file(output, truncated);
  std::filesystem::resize_file(truncated, 1000);
  const Captured cut = verify(truncated, {});
  EXPECT_EQ(cut.exit_code, exit_damaged);
  EXPECT_NE(cut.err.find("truncated"), std::string::npos) << cut.err;
}

TEST_F(PackBuild, DiffCountsOnlyWhatAKioskMustDownload) {
  const auto before = folder_ / "before.pvpkg";
  ASSERT_EQ(build(before).exit_code, 0);
  // The curator fixes a description and adds nothing else.
  auto text = read_file(scene_ / "scene.json").value();
  std::string json(reinterpret_cast<const char*>(text.data()), text.size());
  json.replace(json.find("2026.11.1"), 9, "2026.11.2");
  json.replace(json.find("A plum-green glaze"), 18, "A plum-green glaze, thick and soft,");
  ASSERT_TRUE(write_file_atomic(scene_ / "scene.json", std::as_bytes(std::span(json.data(), json.size()))).ok());
  const auto after = folder_ / "after.pvpkg";
  ASSERT_EQ(build(after).exit_code, 0);

  const Captured diff = run([&](const CommandContext& context) { return command_diff(context, before, after); });
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_NE(diff.out.find("version 2026.11.1 → 2026.11.2"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("~ exhibit celadon-vase (metadata changed)"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("1 blobs added, 1 removed"), std::string::npos) << "only the scene tables changed:\n" << diff.out;
  std::smatch megabytes;
  ASSERT_TRUE(std::regex_search(diff.out, megabytes, std::regex(R"(downloads ([0-9.]+) MB \(of ([0-9.]+) MB\))"))) << diff.out;
  EXPECT_LT(std::stod(megabytes[1]), std::stod(megabytes[2]) / 10) << "a small change is a small download";
}

TEST_F(PackBuild, InspectShowsExhibitsBlobsAndTheBudget) {
  const auto output = folder_ / "gallery.pvpkg";
  ASSERT_EQ(build(output).exit_code, 0);
  const Captured inspected = run([&](const CommandContext& context) { return command_inspect(context, output); });
  ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
  for (std::string_view expected : {"id gallery  version 2026.11.1", "celadon-vase", "龙泉窑青瓷开片瓶（仿制）",
                                    "celadon_color.png", "guqin_note.wav", "scene tables", "budget for kiosk-pc",
                                    "signed by a key not on the trust list"}) {
    EXPECT_NE(inspected.out.find(expected), std::string::npos) << "missing \"" << expected << "\" in\n" << inspected.out;
  }
}

TEST_F(PackBuild, LintFindsWhatACuratorShouldFix) {
  const Captured clean = run([&](const CommandContext& context) { return command_lint(context, build_command({})); });
  EXPECT_EQ(clean.exit_code, 0) << "the sample scene is clean:\n" << clean.out << clean.err;
  EXPECT_NE(clean.out.find("exhibits[4].model: note: silk_banner.gltf is skinned or animated"), std::string::npos)
      << "a note, which needs no change, says the banner will hang still for now:\n" << clean.out;

  // An exhibit without rights or alt text, an image nothing uses, and a headset's smaller budget.
  auto text = read_file(scene_ / "scene.json").value();
  std::string json(reinterpret_cast<const char*>(text.data()), text.size());
  const size_t alt = json.rfind(",", json.find("\"alt_text\": {\"zh-CN\": \"一声拨弦"));
  json.erase(alt, json.find('}', json.find("一声拨弦")) + 1 - alt);
  ASSERT_TRUE(write_file_atomic(scene_ / "scene.json", std::as_bytes(std::span(json.data(), json.size()))).ok());
  std::filesystem::copy_file(scene_ / "assets" / "landscape.png", scene_ / "assets" / "old_landscape.png");
  BuildCommand command = build_command({});
  const Captured lint = run([&](const CommandContext& context) { return command_lint(context, command); });
  EXPECT_EQ(lint.exit_code, exit_findings);
  EXPECT_NE(lint.out.find("exhibits[6].alt_text: warning: no alt text"), std::string::npos) << lint.out << lint.err;
  EXPECT_NE(lint.out.find("'assets/old_landscape.png' is in the scene's folder but nothing in scene.json uses it"),
            std::string::npos)
      << lint.out;
  const Captured chinese = run([&](const CommandContext& context) { return command_lint(context, command); }, true);
  EXPECT_NE(chinese.out.find("缺少替代文本"), std::string::npos) << chinese.out;
}

TEST_F(PackBuild, ABrokenModelIsNamedWithItsPlaceInTheScene) {
  const std::string broken = R"({"asset": {"version": "2.0"}, "meshes": [{"primitives": [{"attributes": {"POSITION": 7}}]}]})";
  ASSERT_TRUE(write_file_atomic(scene_ / "assets" / "celadon_vase.gltf", std::as_bytes(std::span(broken.data(), broken.size()))).ok());
  const auto output = folder_ / "gallery.pvpkg";
  const Captured built = build(output);
  EXPECT_NE(built.exit_code, 0);
  EXPECT_NE(built.err.find("exhibits[1].model"), std::string::npos) << built.err;
  EXPECT_NE(built.err.find("celadon_vase.gltf"), std::string::npos) << built.err;
  EXPECT_FALSE(std::filesystem::exists(output)) << "no partial package is left behind";
}

TEST_F(PackBuild, ModelsBringTheirMaterialsAndTextures) {
  const auto model = import_model(scene_ / "assets" / "celadon_vase.gltf");
  ASSERT_TRUE(model.ok()) << model.error().describe();
  ASSERT_EQ(model->instances.size(), 1u);
  EXPECT_NE(std::find(model->files_read.begin(), model->files_read.end(), scene_ / "assets" / "celadon_vase.bin"),
            model->files_read.end())
      << "the importer's reads are recorded for the cache";
  const auto round_trip = decode_imported_model(encode_imported_model(*model));
  ASSERT_TRUE(round_trip.ok()) << round_trip.error().describe();
  EXPECT_EQ(round_trip->meshes[0].indices, model->meshes[0].indices);
  EXPECT_EQ(round_trip->materials[0].name, model->materials[0].name);
  EXPECT_EQ(round_trip->files_read, model->files_read);
  const scene::MaterialData& glaze = model->materials[model->instances[0].material];
  EXPECT_EQ(glaze.name, "celadon glaze");
  EXPECT_NEAR(glaze.roughness_factor, 1.0f, 1e-6f);
  ASSERT_EQ(model->textures.size(), 3u);
  EXPECT_EQ(model->textures[static_cast<size_t>(glaze.normal_texture)].use, TextureUse::normal);
  EXPECT_EQ(model->textures[static_cast<size_t>(glaze.base_color_texture)].use, TextureUse::color);
  EXPECT_EQ(model->textures[static_cast<size_t>(glaze.metallic_roughness_texture)].use, TextureUse::surface);
}

}  // namespace
}  // namespace pavilion::pack
