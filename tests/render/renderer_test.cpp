// What the renderer promises, checked on rendered pixels and frame statistics.
#include "golden.h"
#include "gpu_test.h"
#include "memory.h"
#include "pavilion/procedural/primitives.h"

#include <glm/gtc/matrix_transform.hpp>

#include <cmath>

namespace pavilion::testing {
namespace {

using render::View;

class Renderer : public GpuTest {
 protected:
  std::unique_ptr<render::Renderer> make_renderer(const render::RendererConfig& config = {}) {
    auto renderer = render::Renderer::create(context(), config);
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    return renderer.ok() ? std::move(*renderer) : nullptr;
  }
  std::unique_ptr<render::OffscreenTarget> make_target(uint32_t width, uint32_t height, uint32_t layers = 1) {
    auto target = render::OffscreenTarget::create(context(), {width, height, layers});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    return target.ok() ? std::move(*target) : nullptr;
  }
};

float luminance(const uint8_t* pixel) { return 0.2126f * pixel[0] + 0.7152f * pixel[1] + 0.0722f * pixel[2]; }

TEST_F(Renderer, ExplainsWhichDeviceItChose) {
  const auto& choice = context().device_choice();
  EXPECT_FALSE(choice.name.empty());
  EXPECT_FALSE(choice.type.empty());
  EXPECT_FALSE(choice.reason.empty());
  EXPECT_GE(choice.api_version, static_cast<uint32_t>(VK_API_VERSION_1_3));
}

// lavapipe's anisotropic filter once held a kiosk frame for 40 s: software rasterizers filter
// trilinearly (on this machine the device is lavapipe, so the check runs in every CI run).
TEST_F(Renderer, ASoftwareRasterizerFiltersWithoutAnisotropy) {
  if (!context().device_choice().software) GTEST_SKIP() << "a hardware device: anisotropic filtering stays on";
  EXPECT_EQ(context().capabilities().max_sampler_anisotropy, 1.0f);
}

TEST_F(Renderer, AnEmptySceneShowsSkyAboveAndGroundBelow) {
  auto renderer = make_renderer();
  auto target = make_target(64, 64);
  const View view = render::look_at_view({0, 1, 0}, {0, 1, -1}, render::symmetric_field_of_view(1.2f, 1.0f));
  const ImageRgba8 image = render_frame(*renderer, *target, {&view, 1});
  const uint8_t* sky = image.at(32, 2);
  const uint8_t* ground = image.at(32, 61);
  EXPECT_GT(sky[2], sky[0] + 20) << "the sky is blue";
  EXPECT_GE(ground[0], ground[2]) << "the ground is warm grey";
  EXPECT_EQ(renderer->last_frame_stats().draw_calls, 0u);
}

TEST_F(Renderer, KeepsTheLastGoodSceneWhenALoadFails) {
  auto renderer = make_renderer();
  auto target = make_target(96, 72);
  const auto grid = procedural::material_grid();
  ASSERT_TRUE(renderer->load_scene(grid.scene).ok());
  const View view = procedural::camera_view(grid.camera, 96.0f / 72.0f);
  const ImageRgba8 before = render_frame(*renderer, *target, {&view, 1});

  auto broken = grid.scene;
  broken.instances[3].mesh = 99;
  const auto loaded = renderer->load_scene(broken);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code(), ErrorCode::invalid_input);
  EXPECT_NE(loaded.error().why().find("instance 3 uses mesh 99"), std::string::npos) << loaded.error().describe();

  const ImageRgba8 after = render_frame(*renderer, *target, {&view, 1});
  EXPECT_EQ(compare_images(after, before, 0).differing_pixels, 0u) << "the previous scene is still drawn";
}

struct BrokenScene {
  const char* name;
  void (*corrupt)(scene::RenderScene&);
  const char* explanation;
  friend void PrintTo(const BrokenScene& scene, std::ostream* out) { *out << scene.name; }
};

class RendererRejects : public Renderer, public ::testing::WithParamInterface<BrokenScene> {};

TEST_P(RendererRejects, MalformedSceneData) {
  auto scene = procedural::textured_object().scene;
  GetParam().corrupt(scene);
  auto renderer = make_renderer();
  const auto loaded = renderer->load_scene(scene);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code(), ErrorCode::invalid_input);
  EXPECT_NE(loaded.error().why().find(GetParam().explanation), std::string::npos) << loaded.error().describe();
}

INSTANTIATE_TEST_SUITE_P(
    Render, RendererRejects,
    ::testing::Values(
        BrokenScene{"IndexPastTheVertices", [](scene::RenderScene& s) { s.meshes[0].indices[4] = 1000; },
                    "refers to vertex 1000 at index 4"},
        BrokenScene{"PartialTriangles", [](scene::RenderScene& s) { s.meshes[1].indices.pop_back(); },
                    "not a whole number of triangles"},
        BrokenScene{"TruncatedTexture", [](scene::RenderScene& s) { s.textures[2].bytes.resize(100); },
                    "holds 100 bytes"},
        BrokenScene{"TooManyMipLevels", [](scene::RenderScene& s) { s.textures[0].mip_levels = 12; },
                    "claims 12 mip levels"},
        BrokenScene{"MissingTexture", [](scene::RenderScene& s) { s.materials[1].normal_texture = 40; },
                    "uses texture 40"},
        BrokenScene{"NotANumber", [](scene::RenderScene& s) { s.instances[0].transform[3][1] = std::nanf(""); },
                    "not made of finite numbers"},
        BrokenScene{"UnknownMaterial", [](scene::RenderScene& s) { s.instances[2].material = 7; },
                    "uses material 7"}),
    [](const ::testing::TestParamInfo<BrokenScene>& param) { return std::string(param.param.name); });

TEST_F(Renderer, ShadowsOnlyTakeLightAway) {
  auto lit = procedural::textured_object();
  auto unshadowed = lit;
  unshadowed.scene.light.casts_shadows = false;
  const ImageRgba8 with_shadows = render_test_scene(lit, 160, 120);
  const ImageRgba8 without_shadows = render_test_scene(unshadowed, 160, 120);
  uint32_t darker = 0;
  uint32_t brighter = 0;
  for (uint32_t y = 0; y < 120; ++y) {
    for (uint32_t x = 0; x < 160; ++x) {
      const float difference = luminance(with_shadows.at(x, y)) - luminance(without_shadows.at(x, y));
      darker += difference < -20.0f;
      brighter += difference > 4.0f;
    }
  }
  EXPECT_GT(darker, 160u * 120u / 50) << "the vase and plinth cast visible shadows";
  EXPECT_EQ(brighter, 0u) << "a shadow never adds light";
}

// An emissive quad, turned so its edges run diagonally, in front of a black sky: without
// multisampling every pixel is either the quad or black; with it, edges get partial coverage.
TEST_F(Renderer, MultisamplingBlendsEdges) {
  scene::RenderScene scene;
  scene.environment = {glm::vec3(0.0f), glm::vec3(0.0f), glm::vec3(0.0f), 0.0f, 1.0f};
  scene.light.intensity = 0.0f;
  scene.meshes.push_back(procedural::make_plane(1.0f));
  scene::MaterialData glow;
  glow.base_color_factor = glm::vec4(0.0f, 0.0f, 0.0f, 1.0f);
  glow.emissive_factor = glm::vec3(0.6f);
  glow.double_sided = true;
  scene.materials.push_back(glow);
  const glm::mat4 facing_camera = glm::rotate(glm::rotate(glm::mat4(1.0f), 0.5f, glm::vec3(0, 0, 1)),
                                              glm::radians(90.0f), glm::vec3(1, 0, 0));
  scene.instances.push_back({facing_camera, 0, 0});
  const View view = render::look_at_view({0, 0, 2}, {0, 0, 0}, render::symmetric_field_of_view(0.9f, 1.0f));

  auto partial_pixels = [&](uint32_t samples) {
    auto renderer = make_renderer({.shadow_map_size = 256, .msaa_samples = samples});
    EXPECT_TRUE(renderer->load_scene(scene).ok());
    auto target = make_target(64, 64);
    const ImageRgba8 image = render_frame(*renderer, *target, {&view, 1});
    const float full = luminance(image.at(32, 32));
    uint32_t partial = 0;
    for (uint32_t y = 0; y < 64; ++y) {
      for (uint32_t x = 0; x < 64; ++x) {
        const float value = luminance(image.at(x, y));
        partial += value > full * 0.2f && value < full * 0.8f;
      }
    }
    return std::pair{partial, renderer->msaa_samples()};
  };
  const auto [aliased, one] = partial_pixels(1);
  const auto [smoothed, samples] = partial_pixels(4);
  EXPECT_EQ(one, 1u);
  if (samples == 1) GTEST_SKIP() << "the device offers no multisampling";
  EXPECT_LT(aliased, 3u);
  EXPECT_GT(smoothed, 30u) << "a 4×-sampled quad edge blends along its length";
}

// Both eyes in one multiview pass: each layer matches a mono render from that eye, and near
// objects shift between the eyes in the direction binocular vision expects.
TEST_F(Renderer, StereoLayersEachShowTheirOwnEye) {
  const auto test_scene = procedural::textured_object();
  auto renderer = make_renderer();
  ASSERT_TRUE(renderer->load_scene(test_scene.scene).ok());
  const glm::vec3 right = glm::normalize(glm::cross(test_scene.camera.target - test_scene.camera.eye, glm::vec3(0, 1, 0)));
  const float half_ipd = 0.2f;  // exaggerated so the shift is many pixels at this size
  const auto eye_view = [&](float side) {
    procedural::CameraPlacement eye = test_scene.camera;
    eye.eye += right * (side * half_ipd);
    eye.target += right * (side * half_ipd);
    return procedural::camera_view(eye, 1.0f);
  };
  const std::array<View, 2> eyes{eye_view(-1.0f), eye_view(1.0f)};
  auto stereo = make_target(96, 96, 2);
  ASSERT_TRUE(renderer->render(*stereo, eyes).ok());
  ASSERT_TRUE(renderer->wait_idle().ok());
  const ImageRgba8 left = stereo->read_pixels(0);
  const ImageRgba8 right_eye = stereo->read_pixels(1);

  auto mono = make_target(96, 96);
  const ImageRgba8 left_mono = render_frame(*renderer, *mono, {&eyes[0], 1});
  EXPECT_LT(compare_images(left, left_mono, 16).differing_pixels, 96u * 96u / 200);

  auto porcelain_centre = [](const ImageRgba8& image) {
    double sum = 0;
    double count = 0;
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        if (luminance(image.at(x, y)) > 215.0f) {
          sum += x;
          ++count;
        }
      }
    }
    return count > 0 ? sum / count : -1.0;
  };
  const double left_centre = porcelain_centre(left);
  const double right_centre = porcelain_centre(right_eye);
  ASSERT_GT(left_centre, 0);
  ASSERT_GT(right_centre, 0);
  EXPECT_GT(left_centre - right_centre, 2.0) << "the vase sits further right in the left eye's image";
}

TEST_F(Renderer, CullsWhatNoViewSeesAndBatchesTheRest) {
  auto renderer = make_renderer({.shadow_map_size = 256});
  const auto field = procedural::instance_field(2'000);
  ASSERT_TRUE(renderer->load_scene(field.scene).ok());
  auto target = make_target(64, 48);
  const View overview = render::look_at_view({0, 120, 1}, {0, 0, 0}, render::symmetric_field_of_view(1.0f, 4.0f / 3.0f));
  render_frame(*renderer, *target, {&overview, 1});
  EXPECT_EQ(renderer->last_frame_stats().visible_instances, 2'001u) << "from high above, everything is in view";
  // At most one draw per mesh and material pair: 3 meshes × 6 colours, and the floor.
  EXPECT_LE(renderer->last_frame_stats().draw_calls, 19u);

  const View corner = render::look_at_view({20, 2, 20}, {30, 0, 30}, render::symmetric_field_of_view(0.8f, 4.0f / 3.0f));
  render_frame(*renderer, *target, {&corner, 1});
  const auto corner_stats = renderer->last_frame_stats();
  EXPECT_GT(corner_stats.visible_instances, 0u);
  EXPECT_LT(corner_stats.visible_instances, 2'001u / 4);

  // Looking straight up, only the floor's bounding sphere (which surrounds the camera) remains.
  const View sky = render::look_at_view({0, 2, 0}, {0, 10, 0}, render::symmetric_field_of_view(0.8f, 4.0f / 3.0f));
  render_frame(*renderer, *target, {&sky, 1});
  EXPECT_LE(renderer->last_frame_stats().visible_instances, 1u);
  EXPECT_LE(renderer->last_frame_stats().draw_calls, 1u);
}

// A dense mesh drawn near and far: far away, a simpler level of detail is drawn.
TEST_F(Renderer, DistantMeshesAreDrawnWithFewerTriangles) {
  scene::RenderScene scene = procedural::material_grid().scene;
  scene::MeshData& sphere = scene.meshes[0];
  const auto full = static_cast<uint32_t>(sphere.indices.size());
  // A stand-in coarse level: the first tenth of the triangles, said to stray by half the radius,
  // which shows from 6 m in this small view and does not from 400 m.
  sphere.lods = {{0, full, 0.0f}, {0, full / 30 * 3, 0.5f}};
  auto renderer = make_renderer({.shadow_map_size = 256});
  ASSERT_TRUE(renderer->load_scene(scene).ok());
  auto target = make_target(64, 48);
  const auto fov = render::symmetric_field_of_view(0.8f, 4.0f / 3.0f);
  const View near = render::look_at_view({0, 2.7f, 6}, {0, 2.7f, 0}, fov);
  render_frame(*renderer, *target, {&near, 1});
  const uint64_t near_triangles = renderer->last_frame_stats().triangles;
  const View far = render::look_at_view({0, 2.7f, 400}, {0, 2.7f, 0}, fov);
  render_frame(*renderer, *target, {&far, 1});
  const uint64_t far_triangles = renderer->last_frame_stats().triangles;
  EXPECT_EQ(renderer->last_frame_stats().visible_instances, 26u);
  EXPECT_LT(far_triangles, near_triangles / 4) << near_triangles << " near, " << far_triangles << " far";
}

// The shadow map sees the whole scene at one scale: detail finer than its texels is left out.
TEST_F(Renderer, ShadowsDrawLevelsOfDetailFitForTheirTexels) {
  scene::RenderScene scene = procedural::material_grid().scene;
  scene::MeshData& sphere = scene.meshes[0];
  const auto full = static_cast<uint32_t>(sphere.indices.size());
  // A stand-in coarse level straying by 5 % of the radius: less than a texel of a 256² shadow map
  // over this scene, more than a texel of a 4096² one.
  sphere.lods = {{0, full, 0.0f}, {0, full / 30 * 3, 0.05f}};
  auto target = make_target(32, 24);
  const View view = render::look_at_view({0, 2.7f, 6}, {0, 2.7f, 0}, render::symmetric_field_of_view(0.8f, 4.0f / 3.0f));
  uint64_t shadow_triangles[2] = {};
  for (const uint32_t size : {256u, 4096u}) {
    auto renderer = make_renderer({.shadow_map_size = size});
    ASSERT_TRUE(renderer->load_scene(scene).ok());
    render_frame(*renderer, *target, {&view, 1});
    shadow_triangles[size == 4096u] = renderer->last_frame_stats().shadow_triangles;
  }
  uint64_t full_detail = 0;
  for (const scene::InstanceData& instance : scene.instances) {
    full_detail += scene::mesh_lods(scene.meshes[instance.mesh]).front().index_count / 3;
  }
  EXPECT_EQ(shadow_triangles[1], full_detail) << "a fine shadow map draws full detail";
  EXPECT_LT(shadow_triangles[0], full_detail / 2) << "a coarse one draws the spheres at their simpler level";
}

TEST_F(Renderer, GpuMemoryComesFromAFewLargeBlocks) {
  auto renderer = make_renderer();
  ASSERT_TRUE(renderer->load_scene(procedural::textured_object().scene).ok());
  const auto stats = context().allocator().stats();
  // Textures, buffers, attachments: dozens of resources in a handful of vkAllocateMemory blocks.
  EXPECT_GE(stats.allocations, 20u);
  EXPECT_LE(stats.device_memory_objects, 6u);
}

TEST_F(Renderer, TimesEachPassOnTheGpu) {
  if (!context().capabilities().timestamps) GTEST_SKIP() << "the device has no timestamp queries";
  auto renderer = make_renderer({.shadow_map_size = 256});
  ASSERT_TRUE(renderer->load_scene(procedural::material_grid().scene).ok());
  auto target = make_target(64, 48);
  const View view = procedural::camera_view(procedural::material_grid().camera, 64.0f / 48.0f);
  for (int frame = 0; frame < 4; ++frame) render_frame(*renderer, *target, {&view, 1});
  const auto& stats = renderer->last_frame_stats();
  EXPECT_GT(stats.gpu_total_ms, 0.0);
  EXPECT_GE(stats.gpu_total_ms, stats.gpu_opaque_ms);
  EXPECT_LT(stats.gpu_frame, stats.frame) << "GPU figures arrive after the frame they measure";
}

TEST_F(Renderer, FollowsTargetsOfChangingSize) {
  auto renderer = make_renderer({.shadow_map_size = 256});
  ASSERT_TRUE(renderer->load_scene(procedural::material_grid().scene).ok());
  for (const auto& [width, height] : {std::pair{80u, 40u}, {40u, 80u}, {80u, 40u}}) {
    auto target = make_target(width, height);
    const View view = procedural::camera_view(procedural::material_grid().camera, float(width) / float(height));
    const ImageRgba8 image = render_frame(*renderer, *target, {&view, 1});
    EXPECT_EQ(image.width, width);
    EXPECT_EQ(image.height, height);
  }
}

// A texture the frames fill (a book's thumbnails): its fill shows on the first frame, and an update
// queued between frames shows on the next one, with no wait for the GPU; an update outside it is
// refused with a sentence.
TEST_F(Renderer, AStreamedOverlayTextureIsFilledThenUpdatedByTheNextFrame) {
  auto renderer = make_renderer({.shadow_map_size = 256});
  auto target = make_target(32, 16);
  ASSERT_TRUE(renderer && target);
  const uint32_t blue = 0xFFFF2010u;  // R in the lowest byte
  auto texture = renderer->add_streamed_overlay_texture(8, 8, blue, 4 * 8 * 4);
  ASSERT_TRUE(texture.ok()) << texture.error().describe();
  // The whole target, textured with the whole texture.
  const std::array<render::OverlayVertex, 4> vertices{{{0, 0, 0, 0, 0xFFFFFFFFu},
                                                       {32, 0, 1, 0, 0xFFFFFFFFu},
                                                       {32, 16, 1, 1, 0xFFFFFFFFu},
                                                       {0, 16, 0, 1, 0xFFFFFFFFu}}};
  const std::array<uint16_t, 6> indices{0, 1, 2, 0, 2, 3};
  render::OverlayDraw draw;
  draw.index_count = 6;
  draw.texture = *texture;
  draw.clip_max_x = 32;
  draw.clip_max_y = 16;
  const render::Overlay overlay{vertices, indices, {&draw, 1}};
  const View view = procedural::camera_view(procedural::material_grid().camera, 2.0f);
  const auto frame = [&] {
    EXPECT_TRUE(renderer->render(*target, {&view, 1}, &overlay).ok());
    EXPECT_TRUE(renderer->wait_idle().ok());
    return target->read_pixels();
  };
  const auto near = [](const uint8_t* pixel, std::array<int, 3> rgb) {
    return std::abs(pixel[0] - rgb[0]) < 8 && std::abs(pixel[1] - rgb[1]) < 8 && std::abs(pixel[2] - rgb[2]) < 8;
  };
  ImageRgba8 image = frame();
  ASSERT_EQ(image.width, 32u);
  EXPECT_TRUE(near(image.at(4, 8), {0x10, 0x20, 0xFF})) << "the fill";
  EXPECT_TRUE(near(image.at(28, 8), {0x10, 0x20, 0xFF})) << "the fill";

  // The left half turned red: the next frame shows it.
  std::vector<uint8_t> red(4 * 8 * 4);
  for (size_t texel = 0; texel < red.size(); texel += 4) std::copy_n(std::array<uint8_t, 4>{240, 0, 0, 255}.data(), 4, &red[texel]);
  ASSERT_TRUE(renderer->update_overlay_texture(*texture, 0, 0, 4, 8, red).ok());
  image = frame();
  EXPECT_TRUE(near(image.at(4, 8), {240, 0, 0})) << "the update, on the next frame";
  EXPECT_TRUE(near(image.at(28, 8), {0x10, 0x20, 0xFF})) << "the rest as it was";

  const auto outside = renderer->update_overlay_texture(*texture, 6, 0, 4, 8, red);
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.error().describe().find("do not fit"), std::string::npos) << outside.error().describe();
  EXPECT_TRUE(renderer->remove_overlay_texture(*texture).ok());
}

// A streamed texture with a larger budget made while a frame that copied another's updates is
// still in flight: the frame slots' staging grows only once their frame has finished, never under
// the GPU (the validation layer, checked by the fixture, reports a buffer destroyed in use).
TEST_F(Renderer, AStreamedOverlayTextureMadeWhileFramesAreInFlightLeavesTheirStagingAlone) {
  auto renderer = make_renderer({.shadow_map_size = 256});
  auto target = make_target(32, 16);
  ASSERT_TRUE(renderer && target);
  auto small = renderer->add_streamed_overlay_texture(128, 128, 0xFFFFFFFFu, 64 * 1024);
  ASSERT_TRUE(small.ok()) << small.error().describe();
  const std::vector<uint8_t> texels(64 * 64 * 4, 200);
  ASSERT_TRUE(renderer->update_overlay_texture(*small, 0, 0, 64, 64, texels).ok());
  const View view = procedural::camera_view(procedural::material_grid().camera, 2.0f);
  ASSERT_TRUE(renderer->render(*target, {&view, 1}).ok());
  auto large = renderer->add_streamed_overlay_texture(1024, 1024, 0xFFFFFFFFu, 4 * 1024 * 1024);
  ASSERT_TRUE(large.ok()) << large.error().describe();
  const std::vector<uint8_t> more(512 * 512 * 4, 90);
  ASSERT_TRUE(renderer->update_overlay_texture(*large, 0, 0, 512, 512, more).ok());
  for (int frame = 0; frame < 3; ++frame) ASSERT_TRUE(renderer->render(*target, {&view, 1}).ok());
  ASSERT_TRUE(renderer->wait_idle().ok());
  EXPECT_TRUE(renderer->remove_overlay_texture(*small).ok());
  EXPECT_TRUE(renderer->remove_overlay_texture(*large).ok());
}

}  // namespace
}  // namespace pavilion::testing
