// Morph targets on the GPU: the glTF sample AnimatedMorphCube (Debian's assimp-testmodels)
// imported as pavilion-pack imports it, its weights played by scene::AnimationPlayer and handed
// over by Renderer::pose_instances, drawn at rest and at a time when both targets are in play, and
// in both eyes of a stereo pass; each frame's silhouette checked against the cube morphed on the
// CPU. Then: weights of zero draw what no morph draws, a morph that carries a mesh far outside its
// rest bounds is not culled, and a skinned mesh is morphed before it is skinned.
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/model_import.h"
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
const std::filesystem::path morph_cube =
    "/usr/share/assimp/models/glTF2/glTF-Sample-Models/AnimatedMorphCube-glTF/AnimatedMorphCube.gltf";

// The clip 'Square' starts at rest (weights 0, 0); at 2 s 'thin' is at 0.81 and 'angle' at 0.19,
// which lift the bottom face by about 0.016 (the cube is 0.02 across, before its node's scale)
// towards the top, and tilt it: a slab.
constexpr std::array<float, 2> clip_times{0.0f, 2.0f};

scene::MaterialData vermilion() {
  scene::MaterialData material;
  material.name = "vermilion";
  material.base_color_factor = {0.8f, 0.12f, 0.05f, 1.0f};
  material.metallic_factor = 0.0f;
  material.roughness_factor = 0.6f;
  return material;
}

bool is_vermilion(const uint8_t* rgba) { return rgba[0] > rgba[1] + 40 && rgba[0] > rgba[2] + 40; }

std::vector<uint8_t> drawn_silhouette(const ImageRgba8& image) {
  std::vector<uint8_t> mask(size_t{image.width} * image.height);
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) mask[size_t{y} * image.width + x] = is_vermilion(image.at(x, y)) ? 1 : 0;
  }
  return mask;
}

size_t count_drawn(const std::vector<uint8_t>& mask) { return static_cast<size_t>(std::count(mask.begin(), mask.end(), uint8_t{1})); }

// Vertex `vertex` of `mesh` with its targets weighted by `weights`, in the mesh's space.
glm::vec3 morphed_position(const scene::MeshData& mesh, size_t vertex, std::span<const float> weights) {
  const float* p = mesh.vertices[vertex].position;
  glm::vec3 position(p[0], p[1], p[2]);
  for (size_t target = 0; target < weights.size(); ++target) {
    position += weights[target] * scene::morph_position_delta(mesh.morph_deltas[target * mesh.vertices.size() + vertex]);
  }
  return position;
}

// Which pixel centres the mesh covers, morphed on the CPU by `weights`, placed by `model` and seen
// through `view`.
std::vector<uint8_t> cpu_silhouette(const scene::MeshData& mesh, std::span<const float> weights,
                                    const glm::mat4& model, const View& view) {
  std::vector<glm::vec2> pixels;
  for (size_t vertex = 0; vertex < mesh.vertices.size(); ++vertex) {
    const glm::vec4 clip = view.projection * view.view * model * glm::vec4(morphed_position(mesh, vertex, weights), 1.0f);
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

double overlap(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  size_t both = 0;
  size_t either = 0;
  for (size_t pixel = 0; pixel < a.size(); ++pixel) {
    both += a[pixel] & b[pixel];
    either += a[pixel] | b[pixel];
  }
  return either == 0 ? 0.0 : static_cast<double>(both) / static_cast<double>(either);
}

// A view of the cube (its node scales it 100 times: 2 m across) from above and to the side.
View cube_view(const glm::vec3& side = glm::vec3(0.0f)) {
  return render::look_at_view(glm::vec3(3.5f, 4.5f, 7.0f) + side, glm::vec3(0.0f) + side,
                              render::symmetric_field_of_view(0.4f, static_cast<float>(width) / height));
}

class Morphing : public GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    if (!std::filesystem::exists(morph_cube)) {
      GTEST_SKIP() << morph_cube << " is missing: install Debian's assimp-testmodels (scripts/setup)";
    }
    auto imported = pack::import_model(morph_cube);
    ASSERT_TRUE(imported.ok()) << imported.error().describe();
    model_ = std::move(*imported);
    ASSERT_EQ(model_.meshes.size(), 1u);
    ASSERT_EQ(model_.meshes[0].morph_target_count(), 2u);
    ASSERT_EQ(model_.tree.animations.size(), 1u);
    scene_.meshes = model_.meshes;
    scene_.instances = model_.instances;
    scene_.materials.push_back(vermilion());
    for (scene::InstanceData& instance : scene_.instances) instance.material = 0;
    scene_.light.direction = {0.4f, -1.0f, -0.6f};
    scene_.light.casts_shadows = false;
  }

  std::unique_ptr<render::Renderer> make_renderer(const scene::RenderScene& scene) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(scene).ok());
    return std::move(*renderer);
  }

  ImageRgba8 render_mono(render::Renderer& renderer, const View& view) {
    auto target = render::OffscreenTarget::create(context(), {width, height});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    return render_frame(renderer, **target, {&view, 1});
  }

  pack::ImportedModel model_;
  scene::RenderScene scene_;
};

// Rest and 2 s into the clip, then both eyes at 2 s, side by side in one golden strip. Each frame
// draws the silhouette of the cube morphed on the CPU with the same weights, and the two times
// differ where the targets lift the top.
TEST_F(Morphing, GoldenFramesAtTwoTimesAndInBothEyes) {
  auto renderer = make_renderer(scene_);
  const scene::NodeTree& tree = model_.tree;
  scene::AnimationPlayer player(tree);
  std::vector<glm::mat4> world(tree.nodes.size());
  std::vector<float> weights(scene::morph_weight_count(tree));
  const View view = cube_view();
  ImageRgba8 strip(width * 4, height);
  std::array<ImageRgba8, 2> frames;
  std::array<std::vector<uint8_t>, 2> expected;
  for (size_t index = 0; index < clip_times.size(); ++index) {
    player.play(0, scene::PlayEnd::clamp);
    player.advance(clip_times[index]);
    player.evaluate(world, {}, weights);
    renderer->pose_instances(tree, world, {}, weights);
    frames[index] = render_mono(*renderer, view);
    paste(strip, frames[index], width * static_cast<uint32_t>(index));
    const glm::mat4 model = world[tree.instances[0].node];
    expected[index] = cpu_silhouette(model_.meshes[0], weights, model, view);
    EXPECT_GT(overlap(drawn_silhouette(frames[index]), expected[index]), 0.9)
        << "at " << clip_times[index] << " s the GPU draws the cube morphed on the CPU";
    EXPECT_EQ(renderer->last_frame_stats().morphed_instances, index == 0 ? 0u : 1u)
        << "at rest the cube is drawn unmorphed, in play morphed";
  }
  EXPECT_NEAR(weights[0], 0.8056f, 1e-3f);
  EXPECT_NEAR(weights[1], 0.1944f, 1e-3f);
  // The morph is what the pixels show: the cube thinned to a slab, which the rest pose does not match.
  EXPECT_LT(overlap(drawn_silhouette(frames[1]), expected[0]), 0.8);
  EXPECT_LT(count_drawn(drawn_silhouette(frames[1])), count_drawn(drawn_silhouette(frames[0])) * 3 / 4)
      << "'thin' flattens the cube to a slab";
  EXPECT_GT(compare_images(frames[0], frames[1], 16).differing_pixels, 300u);

  // Both eyes in one pass (multiview where the device draws it).
  const std::array<View, 2> eyes{cube_view(glm::vec3(-0.3f, 0.0f, 0.0f)), cube_view(glm::vec3(0.3f, 0.0f, 0.0f))};
  auto stereo = render::OffscreenTarget::create(context(), {width, height, 2});
  ASSERT_TRUE(stereo.ok()) << stereo.error().describe();
  ASSERT_TRUE(renderer->render(**stereo, eyes).ok());
  ASSERT_TRUE(renderer->wait_idle().ok());
  EXPECT_EQ(renderer->last_frame_stats().morphed_instances, 1u);
  const glm::mat4 model = world[tree.instances[0].node];
  for (uint32_t eye = 0; eye < 2; ++eye) {
    const ImageRgba8 image = (*stereo)->read_pixels(eye);
    paste(strip, image, width * (2 + eye));
    EXPECT_GT(overlap(drawn_silhouette(image), cpu_silhouette(model_.meshes[0], weights, model, eyes[eye])), 0.9)
        << "eye " << eye << " draws the morphed cube";
    EXPECT_LT(compare_images(image, render_mono(*renderer, eyes[eye]), 16).differing_pixels, width * height / 200)
        << "eye " << eye << " matches a mono frame from that eye";
  }
  EXPECT_TRUE(matches_golden(strip, "morphed_animated_cube"));
}

// The whole path: the cube placed as an exhibit in a scene.json, packed by pavilion-pack, loaded
// from the package and posed from the scene's node tree with its clip's weights: drawn where (and
// as thin as) morphing on the CPU puts it.
TEST_F(Morphing, APackagedExhibitPlaysItsWeights) {
  TemporaryFolder folder;
  std::filesystem::create_directories(folder / "scene" / "assets");
  std::filesystem::copy_file(morph_cube, folder / "scene" / "assets" / "AnimatedMorphCube.gltf");
  std::filesystem::copy_file(morph_cube.parent_path() / "AnimatedMorphCube.bin",
                             folder / "scene" / "assets" / "AnimatedMorphCube.bin");
  std::ofstream(folder / "scene" / "scene.json") << R"({
  "id": "morphed-cube",
  "version": "2026.12.1",
  "title": {"zh-CN": "变形", "en": "Morphing"},
  "viewpoints": [{"name": {"zh-CN": "前", "en": "Front"}, "position": [3.5, 4.5, 7.0], "target": [0, 0, 0]}],
  "exhibits": [{
    "id": "cube",
    "kind": "model",
    "model": "assets/AnimatedMorphCube.gltf",
    "position": [0.0, 0.0, 0.0],
    "metadata": {"title": {"zh-CN": "立方", "en": "A cube"}, "rights": {"zh-CN": "CC-BY 4.0", "en": "CC-BY 4.0"}},
    "alt_text": {"zh-CN": "一个变薄的立方体。", "en": "A cube that thins."}
  }]
})";
  const package::KeyPair key = package::generate_key_pair();
  pack::BuildOptions options;
  options.scene_directory = folder / "scene";
  options.output = folder / "cube.pvpkg";
  options.key = &key;
  const auto built = pack::build_package(options);
  ASSERT_TRUE(built.ok()) << built.error().describe();
  auto loaded = scene::load_scene_file(options.output, {{key.public_key}, false, false},
                                       {.bc_textures_supported = context().capabilities().bc_texture_compression});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  scene::Scene& packaged = *loaded;
  ASSERT_EQ(packaged.tree.morphs.size(), 1u);
  const auto morphed = std::find_if(packaged.tree.instances.begin(), packaged.tree.instances.end(),
                                    [](const scene::InstanceNode& hung) { return hung.morph != scene::no_morph; });
  ASSERT_NE(morphed, packaged.tree.instances.end());
  const size_t instance = static_cast<size_t>(morphed - packaged.tree.instances.begin());
  const scene::MeshData& mesh = packaged.render.meshes[packaged.render.instances[instance].mesh];
  for (scene::MaterialData& material : packaged.render.materials) material = vermilion();
  packaged.render.light.casts_shadows = false;

  auto renderer = make_renderer(packaged.render);
  scene::AnimationPlayer player(packaged.tree);
  player.play(0, scene::PlayEnd::clamp);
  player.advance(clip_times[1]);
  std::vector<glm::mat4> world(packaged.tree.nodes.size());
  std::vector<glm::mat4> joints(scene::joint_matrix_count(packaged.tree));
  std::vector<float> weights(scene::morph_weight_count(packaged.tree));
  player.evaluate(world, joints, weights);
  renderer->pose_instances(packaged.tree, world, joints, weights);
  const View view = cube_view();
  const ImageRgba8 image = render_mono(*renderer, view);
  EXPECT_EQ(renderer->last_frame_stats().morphed_instances, 1u);
  EXPECT_GT(overlap(drawn_silhouette(image), cpu_silhouette(mesh, weights, world[morphed->node], view)), 0.9);
}

// Weights of zero cost nothing and change nothing: the frame is the one the same mesh without
// morph targets draws, pixel for pixel, and no instance is morphed.
TEST_F(Morphing, WeightsOfZeroDrawWhatNoMorphDraws) {
  scene::RenderScene plain = scene_;
  plain.meshes[0].morph_weights.clear();
  plain.meshes[0].morph_deltas.clear();
  auto unmorphed = make_renderer(plain);
  const ImageRgba8 expected = render_mono(*unmorphed, cube_view());

  auto renderer = make_renderer(scene_);
  // Away from zero and back: the instance returns to the plain pipeline.
  const std::array<float, 2> lifted{1.0f, 0.0f};
  renderer->set_instance_weights(0, lifted);
  const ImageRgba8 morphed = render_mono(*renderer, cube_view());
  EXPECT_EQ(renderer->last_frame_stats().morphed_instances, 1u);
  EXPECT_GT(compare_images(morphed, expected, 16).differing_pixels, 300u);
  const std::array<float, 2> zero{0.0f, 0.0f};
  renderer->set_instance_weights(0, zero);
  const ImageRgba8 at_zero = render_mono(*renderer, cube_view());
  EXPECT_EQ(renderer->last_frame_stats().morphed_instances, 0u);
  EXPECT_EQ(renderer->last_frame_stats().draw_calls, 1u);
  EXPECT_EQ(compare_images(at_zero, expected, 0).differing_pixels, 0u);
}

// A quad at the origin whose one target carries it 10 m along x: looking at where it goes (its
// rest bounds far outside the view), it is drawn at weight 1 and not at weight 0; its shadow
// follows it too.
TEST_F(Morphing, AMorphFarOutsideTheRestBoundsIsStillDrawn) {
  scene::RenderScene scene;
  scene::MeshData quad;
  for (const glm::vec2 corner : {glm::vec2(-0.5f, -0.5f), glm::vec2(0.5f, -0.5f), glm::vec2(0.5f, 0.5f), glm::vec2(-0.5f, 0.5f)}) {
    quad.vertices.push_back(scene::pack_vertex({corner.x, corner.y, 0.0f}, {0, 0, 1}, {1, 0, 0, 1}, {corner.x, corner.y}));
    quad.morph_deltas.push_back(scene::pack_morph_delta({10.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f}));
  }
  quad.indices = {0, 1, 2, 0, 2, 3};
  quad.morph_weights = {0.0f};
  scene.meshes.push_back(quad);
  scene.materials.push_back(vermilion());
  scene.instances.push_back({glm::mat4(1.0f), 0, 0});
  scene.light.direction = {0.0f, -0.3f, -1.0f};
  auto renderer = make_renderer(scene);
  const View there = render::look_at_view({10.0f, 0.0f, 3.0f}, {10.0f, 0.0f, 0.0f},
                                          render::symmetric_field_of_view(0.5f, static_cast<float>(width) / height));
  EXPECT_EQ(count_drawn(drawn_silhouette(render_mono(*renderer, there))), 0u);
  EXPECT_EQ(renderer->last_frame_stats().visible_instances, 0u);
  const std::array<float, 1> one{1.0f};
  renderer->set_instance_weights(0, one);
  const ImageRgba8 moved = render_mono(*renderer, there);
  EXPECT_EQ(renderer->last_frame_stats().visible_instances, 1u);
  EXPECT_EQ(renderer->last_frame_stats().morphed_instances, 1u);
  EXPECT_EQ(renderer->last_frame_stats().shadow_triangles, 2u) << "its shadow is drawn where it went";
  EXPECT_GT(overlap(drawn_silhouette(moved), cpu_silhouette(quad, one, glm::mat4(1.0f), there)), 0.9);
}

// A two-joint strip whose upper joint is carried 1 m up and whose one target moves every vertex
// 0.5 m along x in the bind pose: glTF morphs first, so the top half lands 0.5 m right and 1 m up
// (skinning first would move it the same here, but the target's x also widens the bounds the
// joints carry: it is still drawn, and where the CPU puts it).
TEST_F(Morphing, ASkinnedMeshIsMorphedBeforeItIsSkinned) {
  scene::RenderScene scene;
  scene::MeshData strip;
  for (uint32_t row = 0; row <= 4; ++row) {
    for (float x : {0.0f, 1.0f}) {
      const float y = static_cast<float>(row) * 0.5f;
      strip.vertices.push_back(scene::pack_vertex({x, y, 0}, {0, 0, 1}, {1, 0, 0, 1}, {x, y}));
      strip.skin.push_back(scene::pack_vertex_skin({0, 1, 0, 0}, {y < 1.0f ? 1.0f : 0.0f, y < 1.0f ? 0.0f : 1.0f, 0, 0}));
      strip.morph_deltas.push_back(scene::pack_morph_delta({0.5f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f}));
    }
  }
  for (uint32_t row = 0; row < 4; ++row) {
    const uint32_t base = row * 2;
    strip.indices.insert(strip.indices.end(), {base, base + 1, base + 3, base, base + 3, base + 2});
  }
  strip.morph_weights = {1.0f};
  scene.meshes.push_back(strip);
  scene.materials.push_back(vermilion());
  scene.materials[0].double_sided = true;
  scene.instances.push_back({glm::mat4(1.0f), 0, 0});
  scene.light.casts_shadows = false;
  auto renderer = make_renderer(scene);
  const std::array<glm::mat4, 2> joints{glm::mat4(1.0f), glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 1.0f, 0.0f))};
  renderer->set_instance_joints(0, joints);
  const View view = render::look_at_view({1.0f, 1.5f, 5.0f}, {1.0f, 1.5f, 0.0f},
                                         render::symmetric_field_of_view(0.9f, static_cast<float>(width) / height));
  const ImageRgba8 image = render_mono(*renderer, view);
  EXPECT_EQ(renderer->last_frame_stats().morphed_instances, 1u);
  EXPECT_EQ(renderer->last_frame_stats().skinned_instances, 1u);
  // On the CPU: the rows below y = 1 stay (moved 0.5 right), the rows from 1 up rise by 1.
  scene::MeshData placed = strip;
  for (size_t vertex = 0; vertex < placed.vertices.size(); ++vertex) {
    glm::vec3 position = morphed_position(strip, vertex, std::array<float, 1>{1.0f});
    if (position.y >= 1.0f) position.y += 1.0f;
    placed.vertices[vertex] = scene::pack_vertex(position, {0, 0, 1}, {1, 0, 0, 1}, {0, 0});
  }
  placed.morph_deltas.clear();
  EXPECT_GT(overlap(drawn_silhouette(image), cpu_silhouette(placed, {}, glm::mat4(1.0f), view)), 0.9);
}

}  // namespace
}  // namespace pavilion::testing
