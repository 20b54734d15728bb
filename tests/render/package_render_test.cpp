// The whole path a curator's scene takes: scene.json and its assets → pavilion-pack → package →
// loader → renderer, checked on the pixels.
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/procedural/textures.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"
#include "damage.h"
#include "sample_packages.h"
#include "temporary_folder.h"

#include <fstream>

namespace pavilion::testing {
namespace {

// The gallery as Tools.PackTheGallery packs it (sample_packages.h); copies that are changed go in
// folder_.
class RenderPackage : public GpuTest {
 protected:
  Result<scene::Scene> open(const std::filesystem::path& path) {
    return scene::load_scene_file(path, {{key_}, false, false},
                                  {.bc_textures_supported = context().capabilities().bc_texture_compression});
  }

  TemporaryFolder folder_;
  const std::filesystem::path path_ = sample_packages_folder / "gallery.pvpkg";
  const package::PublicKey key_ = sample_packages_signer();
};

TEST_F(RenderPackage, TheGalleryLooksAsApproved) {
  const auto gallery = open(path_);
  ASSERT_TRUE(gallery.ok()) << gallery.error().describe();
  const scene::Viewpoint& entrance = gallery->viewpoints[0];
  procedural::TestScene as_test{"gallery", gallery->render, {entrance.position, entrance.target, entrance.vertical_fov_degrees}};
  EXPECT_TRUE(matches_golden(render_test_scene(as_test, 256, 160, {.shadow_map_size = 2048, .msaa_samples = 4}), "gallery"));
}

TEST_F(RenderPackage, ATamperedPackageIsRefusedAndTheLastGoodSceneStays) {
  const auto gallery = open(path_);
  ASSERT_TRUE(gallery.ok());
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_scene(gallery->render).ok());
  auto target = render::OffscreenTarget::create(context(), {96, 64});
  ASSERT_TRUE(target.ok());
  const scene::Viewpoint& entrance = gallery->viewpoints[0];
  const auto view = procedural::camera_view({entrance.position, entrance.target, entrance.vertical_fov_degrees}, 1.5f);
  const ImageRgba8 before = render_frame(**renderer, **target, {&view, 1});

  // An update arrives with one byte of its manifest changed on the way.
  const auto tampered = folder_ / "update.pvpkg";
  std::filesystem::copy_file(path_, tampered);
  {
    std::fstream file(tampered, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(sizeof(package::Header) + 20);
    file.put('#');
  }
  const auto update = open(tampered);
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().why().find("changed after it was signed"), std::string::npos) << update.error().describe();

  const ImageRgba8 after = render_frame(**renderer, **target, {&view, 1});
  EXPECT_EQ(compare_images(after, before, 0).differing_pixels, 0u) << "the gallery is still shown";
}

TEST_F(RenderPackage, DevicesWithoutBlockCompressionGetDecodedTextures) {
  auto reader = package::PackageReader::open(path_, {{key_}, false, false});
  ASSERT_TRUE(reader.ok());
  const auto decoded = scene::load_scene(**reader, {.bc_textures_supported = false});
  const auto compressed = scene::load_scene(**reader, {.bc_textures_supported = true});
  ASSERT_TRUE(decoded.ok() && compressed.ok());
  const scene::Viewpoint& vase = decoded->viewpoints[1];
  procedural::TestScene decoded_scene{"decoded", decoded->render, {vase.position, vase.target, vase.vertical_fov_degrees}};
  procedural::TestScene compressed_scene{"bc", compressed->render, {vase.position, vase.target, vase.vertical_fov_degrees}};
  const ImageRgba8 a = render_test_scene(decoded_scene, 96, 72, {.shadow_map_size = 512});
  const ImageRgba8 b = render_test_scene(compressed_scene, 96, 72, {.shadow_map_size = 512});
  EXPECT_LT(compare_images(a, b, 12).differing_pixels, 96u * 72u / 100) << "the same picture either way";
}

TEST_F(RenderPackage, AProgressiveLoadSharpensIntoTheWholeScene) {
  auto reader = package::PackageReader::open(path_, {{key_}, false, false});
  ASSERT_TRUE(reader.ok());
  const scene::LoadOptions options{.progressive = true,
                                   .bc_textures_supported = context().capabilities().bc_texture_compression};
  const auto partial = scene::load_scene(**reader, options);
  const auto whole = scene::load_scene(**reader, {.bc_textures_supported = options.bc_textures_supported});
  ASSERT_TRUE(partial.ok() && whole.ok());
  ASSERT_FALSE(partial->pending_textures.empty()) << "the gallery has textures larger than their tails";

  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  auto target = render::OffscreenTarget::create(context(), {128, 96});
  ASSERT_TRUE(renderer.ok() && target.ok());
  const scene::Viewpoint& vase = whole->viewpoints[1];
  const auto view = procedural::camera_view({vase.position, vase.target, vase.vertical_fov_degrees}, 128.0f / 96.0f);
  ASSERT_TRUE((*renderer)->load_scene(whole->render).ok());
  const ImageRgba8 sharp = render_frame(**renderer, **target, {&view, 1});

  ASSERT_TRUE((*renderer)->load_scene(partial->render).ok());
  const ImageRgba8 blurred = render_frame(**renderer, **target, {&view, 1});
  EXPECT_GT(compare_images(blurred, sharp, 8).differing_pixels, 0u) << "the first frame is drawn from the small levels";

  const auto rest = scene::load_pending_textures(**reader, *partial, options);
  ASSERT_TRUE(rest.ok()) << rest.error().describe();
  ASSERT_EQ(rest->size(), partial->pending_textures.size());
  const auto updated = (*renderer)->update_textures(*rest);
  ASSERT_TRUE(updated.ok()) << updated.error().describe();
  const ImageRgba8 sharpened = render_frame(**renderer, **target, {&view, 1});
  EXPECT_EQ(compare_images(sharpened, sharp, 0).differing_pixels, 0u) << "the same picture as a whole load";
}

// Deferred textures go from the package straight into upload memory. A small staging buffer
// makes the upload run in batches, and grow for the landscape, larger than all of it.
TEST_F(RenderPackage, DeferredTexturesDrawTheSameAsTexturesInMemory) {
  auto reader = package::PackageReader::open(path_, {{key_}, false, false});
  ASSERT_TRUE(reader.ok());
  const bool bc = context().capabilities().bc_texture_compression;
  const auto in_memory = scene::load_scene(**reader, {.bc_textures_supported = bc});
  const auto deferred = scene::load_scene(**reader, {.bc_textures_supported = bc, .defer_texture_bytes = true});
  ASSERT_TRUE(in_memory.ok() && deferred.ok());
  const scene::Viewpoint& entrance = deferred->viewpoints[0];
  const auto view = procedural::camera_view({entrance.position, entrance.target, entrance.vertical_fov_degrees}, 1.5f);
  auto target = render::OffscreenTarget::create(context(), {96, 64});
  ASSERT_TRUE(target.ok());

  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512, .upload_staging_bytes = 64 << 10});
  ASSERT_TRUE(renderer.ok());
  ASSERT_TRUE((*renderer)->load_scene(in_memory->render).ok());
  const ImageRgba8 expected = render_frame(**renderer, **target, {&view, 1});

  const auto without_reader = (*renderer)->load_scene(deferred->render);
  ASSERT_FALSE(without_reader.ok());
  EXPECT_NE(without_reader.error().why().find("no reader"), std::string::npos) << without_reader.error().describe();

  const scene::PackageTextureReader texture_reader(**reader, *deferred);
  const auto loaded = (*renderer)->load_scene(deferred->render, &texture_reader);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_EQ(compare_images(render_frame(**renderer, **target, {&view, 1}), expected, 0).differing_pixels, 0u);
}

TEST_F(RenderPackage, ADamagedBlobFoundWhileUploadingKeepsTheLastGoodScene) {
  const auto gallery = open(path_);
  ASSERT_TRUE(gallery.ok());
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  auto target = render::OffscreenTarget::create(context(), {96, 64});
  ASSERT_TRUE(renderer.ok() && target.ok());
  ASSERT_TRUE((*renderer)->load_scene(gallery->render).ok());
  const scene::Viewpoint& entrance = gallery->viewpoints[0];
  const auto view = procedural::camera_view({entrance.position, entrance.target, entrance.vertical_fov_degrees}, 1.5f);
  const ImageRgba8 before = render_frame(**renderer, **target, {&view, 1});

  // The package passed its checks when opened; a texture blob goes bad on disk before upload.
  const auto damaged = folder_ / "damaged.pvpkg";
  std::filesystem::copy_file(path_, damaged);
  auto reader = package::PackageReader::open(damaged, {{key_}, false, false});
  ASSERT_TRUE(reader.ok());
  const auto deferred = scene::load_scene(
      **reader, {.bc_textures_supported = context().capabilities().bc_texture_compression, .defer_texture_bytes = true});
  ASSERT_TRUE(deferred.ok());
  const auto landscape = (*reader)->find(deferred->texture_blobs[0].head_blob);
  ASSERT_TRUE(landscape.has_value());
  testing::flip_byte(damaged, (*reader)->index()[*landscape].offset + (*reader)->index()[*landscape].stored_size / 2);
  const scene::PackageTextureReader texture_reader(**reader, *deferred);
  const auto loaded = (*renderer)->load_scene(deferred->render, &texture_reader);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().describe().find(deferred->render.textures[0].name), std::string::npos) << loaded.error().describe();
  const ImageRgba8 after = render_frame(**renderer, **target, {&view, 1});
  EXPECT_EQ(compare_images(after, before, 0).differing_pixels, 0u) << "the gallery is still shown";
}

TEST_F(RenderPackage, ATextureUpdateThatDoesNotFitIsRefusedAndChangesNothing) {
  const auto gallery = open(path_);
  ASSERT_TRUE(gallery.ok());
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  auto target = render::OffscreenTarget::create(context(), {96, 64});
  ASSERT_TRUE(renderer.ok() && target.ok());
  ASSERT_TRUE((*renderer)->load_scene(gallery->render).ok());
  const scene::Viewpoint& vase = gallery->viewpoints[1];
  const auto view = procedural::camera_view({vase.position, vase.target, vase.vertical_fov_degrees}, 1.5f);
  const ImageRgba8 before = render_frame(**renderer, **target, {&view, 1});

  const auto texture_count = static_cast<uint32_t>(gallery->render.textures.size());
  const scene::TextureData& first = gallery->render.textures[0];
  const scene::TextureData smaller =
      procedural::make_texture("smaller", ImageRgba8(4, 4), first.format);
  const std::vector<scene::LoadedTexture> updates[] = {
      {{0, first}, {texture_count, first}},  // the second names a texture the scene lacks
      {{0, smaller}},                         // a different size
  };
  for (const auto& update : updates) {
    const auto result = (*renderer)->update_textures(update);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), ErrorCode::invalid_input) << result.error().describe();
  }
  const ImageRgba8 after = render_frame(**renderer, **target, {&view, 1});
  EXPECT_EQ(compare_images(after, before, 0).differing_pixels, 0u) << "the scene keeps the textures it had";
}

}  // namespace
}  // namespace pavilion::testing
