// The poems of a package hung as scrolls in its scene by engine/exhibits: what the kiosk, the
// headset and the curator's previews all draw. The package is the poetry garden as
// Tools.PackThePoetryGarden packs it (unsigned, so read in developer mode).
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/exhibits/hung_poems.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace pavilion::testing {
namespace {

// Pixels within a little of `rgba`'s colour (R in the lowest byte, as ScrollColors give it).
size_t pixels_near(const ImageRgba8& image, uint32_t rgba) {
  size_t count = 0;
  for (size_t pixel = 0; pixel < size_t{image.width} * image.height; ++pixel) {
    bool near = true;
    for (size_t channel = 0; channel < 3; ++channel) {
      const int wanted = static_cast<int>((rgba >> (8 * channel)) & 0xFF);
      near = near && std::abs(static_cast<int>(image.pixels[pixel * 4 + channel]) - wanted) <= 12;
    }
    count += near ? 1 : 0;
  }
  return count;
}

class HungPoemsTest : public GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    auto reader = package::PackageReader::open(PAVILION_TEST_OUTPUT_DIR "/tools/poetry_garden.pvpkg", {{}, true, false});
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    reader_ = std::move(*reader);
    auto loaded = scene::load_scene(*reader_, {.bc_textures_supported = context().capabilities().bc_texture_compression});
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    scene_ = std::move(*loaded);
    auto renderer = render::Renderer::create(context(), {});
    ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
    renderer_ = std::move(*renderer);
    ASSERT_TRUE(renderer_->load_scene(scene_.render).ok());
    auto target = render::OffscreenTarget::create(context(), {160, 120});
    ASSERT_TRUE(target.ok()) << target.error().describe();
    target_ = std::move(*target);
  }
  void TearDown() override {
    target_.reset();
    renderer_.reset();
    GpuTest::TearDown();
  }

  // The garden from its entrance, as a visitor first sees it, with `world` hung in it.
  ImageRgba8 draw(std::span<const render::WorldOverlay> world) {
    const scene::Viewpoint& entrance = scene_.viewpoints.at(0);
    return draw_from(entrance.position, entrance.target, entrance.vertical_fov_degrees, world);
  }
  ImageRgba8 draw_from(const glm::vec3& eye, const glm::vec3& target, float fov_degrees,
                       std::span<const render::WorldOverlay> world) {
    const render::View view =
        render::look_at_view(eye, target, render::symmetric_field_of_view(glm::radians(fov_degrees), 160.0f / 120.0f));
    EXPECT_TRUE(renderer_->render(*target_, {&view, 1}, nullptr, world).ok());
    EXPECT_TRUE(renderer_->wait_idle().ok());
    return target_->read_pixels();
  }

  std::unique_ptr<package::PackageReader> reader_;
  scene::Scene scene_;
  std::unique_ptr<render::Renderer> renderer_;
  std::unique_ptr<render::OffscreenTarget> target_;
};

TEST_F(HungPoemsTest, EveryPoemOfTheGardenHangsAsAScrollFacingTheEntrance) {
  ASSERT_EQ(scene_.poems.size(), 5u);
  auto hung = exhibits::HungPoems::open(*reader_, "poetry_garden.pvpkg", scene_.poems, scene_.exhibits, scene_.viewpoints,
                                        *renderer_);
  ASSERT_TRUE(hung.ok()) << hung.error().describe();
  EXPECT_TRUE((*hung)->problems().empty()) << (*hung)->problems().front().describe();
  const auto scrolls = (*hung)->overlays(exhibits::scroll_colors, false);
  ASSERT_EQ(scrolls.size(), 5u);
  // Each hangs at its poem's exhibit, its face turned to the entrance.
  for (size_t index = 0; index < scrolls.size(); ++index) {
    const glm::vec3 normal(scrolls[index].plane_to_world[2]);
    glm::vec3 to_entrance = scene_.viewpoints[0].position - scene_.exhibits[scene_.poems[index].exhibit].position;
    to_entrance.y = 0;
    EXPECT_GT(glm::dot(normal, glm::normalize(to_entrance)), 0.999f) << "scroll " << index;
  }

  const ImageRgba8 bare = draw({});
  const ImageRgba8 garden = draw(scrolls);
  EXPECT_EQ(pixels_near(bare, exhibits::scroll_colors.paper), 0u) << "nothing paper-coloured stands in the bare garden";
  EXPECT_GT(pixels_near(garden, exhibits::scroll_colors.paper), 400u) << "the scrolls' paper shows";
  EXPECT_GT(pixels_near(garden, exhibits::scroll_colors.mount), 100u) << "and their silk mounts";
  EXPECT_TRUE(matches_golden(garden, "exhibits_poetry_garden"));
}

TEST_F(HungPoemsTest, TheCharactersBeingHeardAreLitOnTheirScroll) {
  auto hung = exhibits::HungPoems::open(*reader_, "poetry_garden.pvpkg", scene_.poems, scene_.exhibits, scene_.viewpoints,
                                        *renderer_);
  ASSERT_TRUE(hung.ok()) << hung.error().describe();
  // Close before the first poem's scroll, as a visitor who walked up to it.
  const glm::vec3 scroll = scene_.exhibits[scene_.poems[0].exhibit].position;
  glm::vec3 towards_entrance = scene_.viewpoints[0].position - scroll;
  towards_entrance.y = 0;
  const glm::vec3 eye = scroll + glm::normalize(towards_entrance) * 2.0f;
  const auto close_up = [&](std::optional<exhibits::LitPoem> lit) {
    // Calm mode leaves out the glow, so only the ink's colour changes.
    return draw_from(eye, scroll, 50.0f, (*hung)->overlays(exhibits::scroll_colors, true, lit));
  };
  const ImageRgba8 quiet = close_up(std::nullopt);
  const ImageRgba8 heard = close_up(exhibits::LitPoem{0, {0, 1000}});  // every character of the first poem
  EXPECT_EQ(pixels_near(quiet, exhibits::scroll_colors.lit_ink), 0u);
  EXPECT_GT(pixels_near(heard, exhibits::scroll_colors.lit_ink), 3u);
}

}  // namespace
}  // namespace pavilion::testing
