// Skinning on the GPU: glTF's simple_skin (Debian's assimp-testmodels) imported as pavilion-pack
// imports it, played by scene::AnimationPlayer and posed through Renderer::pose_instances, drawn
// at three times of its clip and in both eyes of a stereo pass, its vertices checked against
// skinning done on the CPU, and its bounds following the pose.
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/procedural/primitives.h"
#include "pavilion/scene/animation.h"
#include "pavilion/scene/loader.h"
#include "temporary_folder.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace pavilion::testing {
namespace {

using render::View;

constexpr uint32_t width = 160;
constexpr uint32_t height = 120;
const std::filesystem::path simple_skin = "/usr/share/assimp/models/glTF2/simple_skin/simple_skin.gltf";

// A strip two units tall bending at its middle joint: 45° one way at 0.5 s, straight (its bind
// pose) at 2.5 s, 90° the other way at 4 s.
constexpr std::array<float, 3> clip_times{0.5f, 2.5f, 4.0f};

const procedural::CameraPlacement camera{{0.5f, 1.4f, 3.4f}, {0.5f, 1.0f, 0.0f}, 50.0f};

struct SkinnedScene {
  scene::RenderScene render;
  scene::NodeTree tree;
};

// The model in vermilion, double-sided (a strip seen from either side), over a grey floor that
// catches its shadow.
SkinnedScene skinned_scene(const pack::ImportedModel& model) {
  SkinnedScene out;
  out.render.meshes = model.meshes;
  out.render.instances = model.instances;
  scene::MaterialData vermilion;
  vermilion.name = "vermilion";
  vermilion.base_color_factor = {0.8f, 0.12f, 0.05f, 1.0f};
  vermilion.metallic_factor = 0.0f;
  vermilion.roughness_factor = 0.6f;
  vermilion.double_sided = true;
  out.render.materials.push_back(vermilion);
  for (scene::InstanceData& instance : out.render.instances) instance.material = 0;
  scene::MaterialData floor;
  floor.name = "floor";
  floor.base_color_factor = {0.5f, 0.5f, 0.5f, 1.0f};
  floor.metallic_factor = 0.0f;
  out.render.materials.push_back(floor);
  out.render.meshes.push_back(procedural::make_plane(8.0f));
  scene::NodeTransform below;
  below.translation = {0.5f, -0.01f, 0.0f};
  out.render.instances.push_back(
      scene::InstanceData{below.matrix(), static_cast<uint32_t>(out.render.meshes.size() - 1), 1});
  out.render.light.direction = {0.6f, -1.0f, -0.5f};
  out.tree = model.tree;
  out.tree.instances.push_back(scene::InstanceNode{static_cast<uint32_t>(out.tree.nodes.size()), scene::no_skin});
  out.tree.nodes.push_back(scene::Node{"floor", scene::no_parent, below});
  return out;
}

bool is_vermilion(const uint8_t* rgba) { return rgba[0] > rgba[1] + 40 && rgba[0] > rgba[2] + 40; }

// Which pixels show the model: one byte per pixel, 1 where it is drawn.
std::vector<uint8_t> drawn_silhouette(const ImageRgba8& image) {
  std::vector<uint8_t> mask(size_t{image.width} * image.height);
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) mask[size_t{y} * image.width + x] = is_vermilion(image.at(x, y)) ? 1 : 0;
  }
  return mask;
}

// Which pixel centres the mesh covers, skinned on the CPU with `joints` and seen through `view`.
std::vector<uint8_t> cpu_silhouette(const scene::MeshData& mesh, std::span<const glm::mat4> joints, const View& view) {
  std::vector<glm::vec2> pixels;
  for (size_t vertex = 0; vertex < mesh.vertices.size(); ++vertex) {
    const scene::VertexSkin& skin = mesh.skin[vertex];
    glm::mat4 blended(0.0f);
    for (int slot = 0; slot < 4; ++slot) blended += joints[skin.joints[slot]] * (skin.weights[slot] / 65535.0f);
    const float* p = mesh.vertices[vertex].position;
    const glm::vec4 clip = view.projection * view.view * blended * glm::vec4(p[0], p[1], p[2], 1.0f);
    const glm::vec2 ndc = glm::vec2(clip) / clip.w;
    pixels.emplace_back((ndc.x * 0.5f + 0.5f) * width, (ndc.y * 0.5f + 0.5f) * height);
  }
  auto edge = [](glm::vec2 a, glm::vec2 b, glm::vec2 p) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); };
  std::vector<uint8_t> mask(size_t{width} * height);
  for (size_t first = 0; first + 2 < mesh.indices.size(); first += 3) {
    const glm::vec2 a = pixels[mesh.indices[first]];
    const glm::vec2 b = pixels[mesh.indices[first + 1]];
    const glm::vec2 c = pixels[mesh.indices[first + 2]];
    for (uint32_t y = 0; y < height; ++y) {
      for (uint32_t x = 0; x < width; ++x) {
        const glm::vec2 centre(x + 0.5f, y + 0.5f);
        const float ab = edge(a, b, centre), bc = edge(b, c, centre), ca = edge(c, a, centre);
        if ((ab >= 0 && bc >= 0 && ca >= 0) || (ab <= 0 && bc <= 0 && ca <= 0)) mask[size_t{y} * width + x] = 1;
      }
    }
  }
  return mask;
}

// Intersection over union of two silhouettes.
double overlap(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  size_t both = 0;
  size_t either = 0;
  for (size_t pixel = 0; pixel < a.size(); ++pixel) {
    both += a[pixel] & b[pixel];
    either += a[pixel] | b[pixel];
  }
  return either == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(either);
}

class Skinning : public GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    if (!std::filesystem::exists(simple_skin)) {
      GTEST_SKIP() << simple_skin << " is missing: install Debian's assimp-testmodels (scripts/setup)";
    }
    auto imported = pack::import_model(simple_skin);
    ASSERT_TRUE(imported.ok()) << imported.error().describe();
    model_ = std::move(*imported);
    ASSERT_EQ(model_.meshes.size(), 1u);
    ASSERT_EQ(model_.meshes[0].skin.size(), model_.meshes[0].vertices.size());
    ASSERT_EQ(model_.tree.animations.size(), 1u);
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512, .msaa_samples = 4});
    ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
    renderer_ = std::move(*renderer);
    scene_ = skinned_scene(model_);
    ASSERT_TRUE(renderer_->load_scene(scene_.render).ok());
    player_ = std::make_unique<scene::AnimationPlayer>(scene_.tree);
    world_.resize(scene_.tree.nodes.size());
    joints_.resize(scene::joint_matrix_count(scene_.tree));
  }

  // Poses the model `seconds` into its clip.
  void pose_at(float seconds) {
    player_->play(0, scene::PlayEnd::clamp);
    player_->advance(seconds);
    player_->evaluate(world_, joints_);
    renderer_->pose_instances(scene_.tree, world_, joints_);
  }

  ImageRgba8 render_mono(const View& view) {
    auto target = render::OffscreenTarget::create(context(), {width, height});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    return render_frame(*renderer_, **target, {&view, 1});
  }

  pack::ImportedModel model_;
  SkinnedScene scene_;
  std::unique_ptr<render::Renderer> renderer_;
  std::unique_ptr<scene::AnimationPlayer> player_;
  std::vector<glm::mat4> world_;
  std::vector<glm::mat4> joints_;
};

// Three times of the clip, then both eyes at the last, side by side in one golden strip. Each
// frame's silhouette matches the mesh skinned on the CPU with the same joint matrices.
TEST_F(Skinning, GoldenFramesAtThreeTimesAndInBothEyes) {
  const float aspect = static_cast<float>(width) / height;
  const View view = procedural::camera_view(camera, aspect);
  ImageRgba8 strip(width * 5, height);
  std::vector<ImageRgba8> frames;
  std::vector<std::vector<uint8_t>> expected;
  for (size_t index = 0; index < clip_times.size(); ++index) {
    pose_at(clip_times[index]);
    frames.push_back(render_mono(view));
    paste(strip, frames.back(), width * static_cast<uint32_t>(index));
    EXPECT_EQ(renderer_->last_frame_stats().skinned_instances, 1u);
    expected.push_back(cpu_silhouette(model_.meshes[0], joints_, view));
    EXPECT_GT(overlap(drawn_silhouette(frames.back()), expected.back()), 0.9)
        << "at " << clip_times[index] << " s the GPU draws the pose skinned on the CPU";
  }
  // The check tells an unskinned mesh apart: the poses away from the bind pose (2.5 s) do not
  // match the model drawn in it, and the frames differ where the strip bends.
  EXPECT_LT(overlap(drawn_silhouette(frames[1]), expected[0]), 0.75);
  EXPECT_LT(overlap(drawn_silhouette(frames[1]), expected[2]), 0.75);
  EXPECT_GT(compare_images(frames[0], frames[1], 16).differing_pixels, 200u);
  EXPECT_GT(compare_images(frames[1], frames[2], 16).differing_pixels, 200u);

  // Both eyes in one pass (multiview where the device draws it), at the last pose.
  const glm::vec3 right(1.0f, 0.0f, 0.0f);
  const auto eye_view = [&](float side) {
    procedural::CameraPlacement eye = camera;
    eye.eye += right * (side * 0.15f);
    eye.target += right * (side * 0.15f);
    return procedural::camera_view(eye, aspect);
  };
  const std::array<View, 2> eyes{eye_view(-1.0f), eye_view(1.0f)};
  auto stereo = render::OffscreenTarget::create(context(), {width, height, 2});
  ASSERT_TRUE(stereo.ok()) << stereo.error().describe();
  ASSERT_TRUE(renderer_->render(**stereo, eyes).ok());
  ASSERT_TRUE(renderer_->wait_idle().ok());
  for (uint32_t eye = 0; eye < 2; ++eye) {
    const ImageRgba8 image = (*stereo)->read_pixels(eye);
    paste(strip, image, width * (3 + eye));
    EXPECT_GT(overlap(drawn_silhouette(image), cpu_silhouette(model_.meshes[0], joints_, eyes[eye])), 0.9)
        << "eye " << eye << " draws the skinned pose";
    EXPECT_LT(compare_images(image, render_mono(eyes[eye]), 16).differing_pixels, width * height / 200)
        << "eye " << eye << " matches a mono frame from that eye";
  }
  EXPECT_TRUE(matches_golden(strip, "skinned_simple_skin"));
}

// Culling uses the pose's bounds: joints carried far away take the model with them, a view of
// where it was loaded no longer draws or skins it, and a view of where it went does.
TEST_F(Skinning, CullingFollowsThePoseAndUnseenInstancesAreNotSkinned) {
  pose_at(0.5f);
  const glm::mat4 away = glm::translate(glm::mat4(1.0f), glm::vec3(40.0f, 0.0f, 0.0f));
  for (glm::mat4& joint : joints_) joint = away * joint;
  renderer_->set_instance_joints(0, std::span<const glm::mat4>(joints_).first(2));
  const float aspect = static_cast<float>(width) / height;
  procedural::CameraPlacement there = camera;
  there.eye.x += 40.0f;
  there.target.x += 40.0f;
  const ImageRgba8 seen = render_mono(procedural::camera_view(there, aspect));
  EXPECT_EQ(renderer_->last_frame_stats().skinned_instances, 1u);
  const uint64_t shadow_with_model = renderer_->last_frame_stats().shadow_triangles;
  EXPECT_GT(overlap(drawn_silhouette(seen), cpu_silhouette(model_.meshes[0], joints_, procedural::camera_view(there, aspect))),
            0.9);

  // Looking along +z from in front of the model: it is behind the camera, and so is its shadow.
  procedural::CameraPlacement facing_away = camera;
  facing_away.target = camera.eye + glm::vec3(0.0f, 0.0f, 1.0f);
  render_mono(procedural::camera_view(facing_away, aspect));
  EXPECT_EQ(renderer_->last_frame_stats().skinned_instances, 0u);
  // Where it was loaded, only the floor is drawn now.
  const ImageRgba8 empty = render_mono(procedural::camera_view(camera, aspect));
  EXPECT_EQ(renderer_->last_frame_stats().skinned_instances, 0u);
  EXPECT_EQ(renderer_->last_frame_stats().visible_instances, 1u);
  EXPECT_EQ(renderer_->last_frame_stats().shadow_triangles + model_.meshes[0].indices.size() / 3, shadow_with_model)
      << "its shadow is drawn where it may be seen, and only there";
  const auto nothing = drawn_silhouette(empty);
  EXPECT_EQ(std::count(nothing.begin(), nothing.end(), uint8_t{1}), 0);
}

// The whole path: the model placed as an exhibit in a scene.json (moved and turned), packed by
// pavilion-pack, loaded from the package and posed from the scene's node tree: the joint
// matrices AnimationPlayer makes for the scene's tree carry the exhibit's placement, and the strip
// is drawn where skinning on the CPU puts it.
TEST_F(Skinning, APackagedExhibitIsPosedFromTheScenesTree) {
  TemporaryFolder folder;
  std::filesystem::create_directories(folder / "scene" / "assets");
  std::filesystem::copy_file(simple_skin, folder / "scene" / "assets" / "strip.gltf");
  std::ofstream(folder / "scene" / "scene.json") << R"({
  "id": "skinned-strip",
  "version": "2026.12.1",
  "title": {"zh-CN": "蒙皮", "en": "Skinning"},
  "viewpoints": [{"name": {"zh-CN": "前", "en": "Front"}, "position": [1.5, 1.6, 2.9], "target": [1.5, 1.2, -0.5]}],
  "exhibits": [{
    "id": "strip",
    "kind": "model",
    "model": "assets/strip.gltf",
    "position": [1.0, 0.2, -0.5],
    "rotation": [0, 30, 0],
    "metadata": {"title": {"zh-CN": "条", "en": "A strip"}, "rights": {"zh-CN": "CC0", "en": "CC0"}},
    "alt_text": {"zh-CN": "一条弯曲的带子。", "en": "A bending strip."}
  }]
})";
  const package::KeyPair key = package::generate_key_pair();
  pack::BuildOptions options;
  options.scene_directory = folder / "scene";
  options.output = folder / "strip.pvpkg";
  options.key = &key;
  const auto built = pack::build_package(options);
  ASSERT_TRUE(built.ok()) << built.error().describe();
  auto loaded = scene::load_scene_file(options.output, {{key.public_key}, false, false},
                                       {.bc_textures_supported = context().capabilities().bc_texture_compression});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  scene::Scene& packaged = *loaded;
  ASSERT_EQ(packaged.tree.skins.size(), 1u);
  const auto skinned = std::find_if(packaged.tree.instances.begin(), packaged.tree.instances.end(),
                                    [](const scene::InstanceNode& hung) { return hung.skin != scene::no_skin; });
  ASSERT_NE(skinned, packaged.tree.instances.end());
  const scene::MeshData& mesh = packaged.render.meshes[packaged.render.instances[
      static_cast<size_t>(skinned - packaged.tree.instances.begin())].mesh];
  for (scene::MaterialData& material : packaged.render.materials) {
    material = scene_.render.materials[0];  // vermilion, so the silhouette is found by colour
  }

  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512, .msaa_samples = 4});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(packaged.render).ok());
  scene::AnimationPlayer player(packaged.tree);
  player.play(0, scene::PlayEnd::clamp);
  player.advance(clip_times[0]);
  std::vector<glm::mat4> world(packaged.tree.nodes.size());
  std::vector<glm::mat4> joints(scene::joint_matrix_count(packaged.tree));
  player.evaluate(world, joints);
  (*renderer)->pose_instances(packaged.tree, world, joints);
  procedural::CameraPlacement placed = camera;
  placed.eye += glm::vec3(1.0f, 0.2f, -0.5f);
  placed.target += glm::vec3(1.0f, 0.2f, -0.5f);
  const View view = procedural::camera_view(placed, static_cast<float>(width) / height);
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  const ImageRgba8 image = render_frame(**renderer, **target, {&view, 1});
  EXPECT_EQ((*renderer)->last_frame_stats().skinned_instances, 1u);
  EXPECT_GT(overlap(drawn_silhouette(image), cpu_silhouette(mesh, joints, view)), 0.9);
}

// Animated models of other formats in the corpus play too: two times of their first clip draw two
// different pictures (skinned meshes through their joints, rigid parts through their nodes), kept
// side by side as a golden strip named after the file.
struct CorpusModel {
  const char* path;  // under /usr/share/assimp/models
  const char* golden;
  bool skinned = false;
};

void PrintTo(const CorpusModel& model, std::ostream* out) { *out << model.path; }

class AnimatedCorpusModel : public GpuTest, public ::testing::WithParamInterface<CorpusModel> {};

TEST_P(AnimatedCorpusModel, DrawsItsClipMoving) {
  const std::filesystem::path path = std::filesystem::path("/usr/share/assimp/models") / GetParam().path;
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is missing: install Debian's assimp-testmodels";
  auto imported = pack::import_model(path);
  ASSERT_TRUE(imported.ok()) << imported.error().describe();
  const pack::ImportedModel& model = *imported;
  ASSERT_FALSE(model.tree.animations.empty());
  SkinnedScene built = skinned_scene(model);
  // The floor is not part of the model: view the model alone, from in front of its bounds.
  built.render.instances.pop_back();
  built.render.meshes.pop_back();
  built.tree.instances.pop_back();
  built.tree.nodes.pop_back();
  built.render.light.casts_shadows = false;
  glm::vec3 low(1e30f);
  glm::vec3 high(-1e30f);
  for (const scene::InstanceData& instance : built.render.instances) {
    for (const scene::PackedVertex& vertex : built.render.meshes[instance.mesh].vertices) {
      const glm::vec3 at(instance.transform * glm::vec4(vertex.position[0], vertex.position[1], vertex.position[2], 1));
      low = glm::min(low, at);
      high = glm::max(high, at);
    }
  }
  const glm::vec3 centre = (low + high) * 0.5f;
  const float radius = glm::length(high - low) * 0.5f;
  const View view = render::look_at_view(centre + glm::vec3(0.0f, 1.4f, 2.0f) * radius, centre,
                                         render::symmetric_field_of_view(0.9f, static_cast<float>(width) / height));
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(built.render).ok());
  scene::AnimationPlayer player(built.tree);
  std::vector<glm::mat4> world(built.tree.nodes.size());
  std::vector<glm::mat4> joints(scene::joint_matrix_count(built.tree));
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  const float duration = built.tree.animations[0].duration;
  std::array<ImageRgba8, 2> frames;
  ImageRgba8 strip(width * 2, height);
  for (size_t index = 0; index < frames.size(); ++index) {
    player.play(0, scene::PlayEnd::clamp);
    player.advance(duration * (index == 0 ? 0.2f : 0.6f));
    player.evaluate(world, joints);
    (*renderer)->pose_instances(built.tree, world, joints);
    frames[index] = render_frame(**renderer, **target, {&view, 1});
    paste(strip, frames[index], width * static_cast<uint32_t>(index));
  }
  const auto drawn = drawn_silhouette(frames[0]);
  EXPECT_GT(std::count(drawn.begin(), drawn.end(), uint8_t{1}), 100) << "the model is in view";
  EXPECT_GT(compare_images(frames[0], frames[1], 16).differing_pixels, 50u) << GetParam().path << " moves over its clip";
  if (GetParam().skinned) {
    ASSERT_FALSE(model.tree.skins.empty());
    EXPECT_GT((*renderer)->last_frame_stats().skinned_instances, 0u);
  }
  EXPECT_TRUE(matches_golden(strip, GetParam().golden));
}

INSTANTIATE_TEST_SUITE_P(Skinning, AnimatedCorpusModel,
                         ::testing::Values(CorpusModel{"FBX/animation_with_skeleton.fbx", "animated_fbx_skeleton", true},
                                           CorpusModel{"Collada/box_nested_animation.dae", "animated_collada_nested_boxes"}));

}  // namespace
}  // namespace pavilion::testing
