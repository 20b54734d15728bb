// The Spring Festival sample (scenes/spring_festival) as a visitor sees it: packed by pavilion-pack
// from the build's gathered folder (the ctest fixture festival_package), loaded, its show played by
// ShowStage at 30 frames a second and drawn on lavapipe: the courtyard at night with the birds posed by their clips, and a strip of the
// show at five seconds (the README's pictures are these goldens).
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/exhibits/show_stage.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/scene/loader.h"

#include <array>
#include <span>

namespace pavilion::testing {
namespace {

constexpr float frame_seconds = 1.0f / 30.0f;
// A shell rises for 1.3 s and its sparks live up to 2.2 s.
constexpr float particle_history_seconds = 3.6f;

double mean_luminance(const ImageRgba8& image) {
  double sum = 0.0;
  for (size_t texel = 0; texel < image.pixels.size(); texel += 4) {
    sum += 0.2126 * image.pixels[texel] + 0.7152 * image.pixels[texel + 1] + 0.0722 * image.pixels[texel + 2];
  }
  return sum / static_cast<double>(image.pixels.size() / 4);
}

// The package Tools.PackTheSpringFestival built (pavilion-pack, its flash check included), unsigned.
class SpringFestival : public GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    auto loaded = scene::load_scene_file(PAVILION_SPRING_FESTIVAL_PACKAGE, {.developer_mode = true},
                                         {.bc_textures_supported = context().capabilities().bc_texture_compression});
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    scene_ = std::move(*loaded);
    ASSERT_TRUE(scene_.show.has_value());
  }

  // Plays the show from its start to each of `seconds` (increasing) and draws it there, through
  // `camera` (nothing: the show's own).
  std::vector<ImageRgba8> play(std::span<const float> seconds, uint32_t width, uint32_t height,
                               const scene::Viewpoint* camera = nullptr) {
    std::vector<ImageRgba8> frames;
    // One sample a pixel, as kiosks on a CPU renderer draw: particles are not drawn into a
    // multisampled target yet.
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 2048, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    if (!renderer.ok()) return frames;
    EXPECT_TRUE((*renderer)->load_scene(scene_.render).ok());
    auto target = render::OffscreenTarget::create(context(), {width, height});
    EXPECT_TRUE(target.ok());
    auto stage = exhibits::ShowStage::create(scene_);
    EXPECT_TRUE(stage.ok()) << stage.error().describe();
    if (!target.ok() || !stage.ok()) return frames;
    const auto particles = stage->load_particles(**renderer, 2026);
    EXPECT_TRUE(particles.ok()) << particles.error().describe();
    scene::ShowPlayer player(*scene_.show, {.loop = false});
    const float aspect = static_cast<float>(width) / static_cast<float>(height);
    const auto view_of = [&](const scene::ShowFrame& played) {
      return camera ? procedural::camera_view({camera->position, camera->target, camera->vertical_fov_degrees}, aspect)
                    : exhibits::show_view(exhibits::show_camera(played, scene_), aspect);
    };
    for (int frame = 0; frames.size() < seconds.size(); ++frame) {
      const float now = static_cast<float>(frame) * frame_seconds;
      const scene::ShowFrame& played = player.update(now);
      stage->apply(played, frame == 0 ? 0.0f : frame_seconds, **renderer);
      const float until = seconds[frames.size()] - now;
      if (until > 0.5f * frame_seconds) {
        // Particles move only in frames drawn: draw the last seconds before, so the fireworks in
        // the air have risen and burst.
        if (until < particle_history_seconds) {
          const render::View view = view_of(played);
          EXPECT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
        }
        continue;
      }
      const render::View view = view_of(played);
      frames.push_back(render_frame(**renderer, **target, {&view, 1}));
    }
    return frames;
  }

  scene::Scene scene_;
};

// At night (24 s into the show), the phoenix alighted and looking about, the rooster on its drum:
// from the courtyard's front, the lanterns and windows glowing; and under the veranda, the
// couplet legible on the pillars either side of the doors, lanterns with 福 before the windows'
// paper-cuts.
TEST_F(SpringFestival, TheCourtyardAtNightLooksAsApproved) {
  const std::array<float, 1> at{24.0f};
  const std::vector<ImageRgba8> front = play(at, 480, 270, &scene_.viewpoints[0]);
  ASSERT_EQ(front.size(), 1u);
  EXPECT_TRUE(matches_golden(front[0], "spring_festival", {.channel = 16, .differing_fraction = 0.01}));
  const std::vector<ImageRgba8> couplet = play(at, 480, 270, &scene_.viewpoints[3]);
  ASSERT_EQ(couplet.size(), 1u);
  EXPECT_TRUE(matches_golden(couplet[0], "spring_festival_couplet", {.channel = 16, .differing_fraction = 0.01}));
}

// The show at dusk (6 s), the phoenix alighting (16 s), the couplet (33 s), fireworks over the wall at
// the climax (44.5 s) and the rooster crowing at dawn (51 s): every frame its own, and dawn brighter than night.
TEST_F(SpringFestival, TheShowPlaysIntoAFrameStrip) {
  constexpr uint32_t width = 256;
  constexpr uint32_t height = 144;
  const std::array<float, 5> at{6.0f, 16.0f, 33.0f, 44.5f, 51.0f};
  const std::vector<ImageRgba8> frames = play(at, width, height);
  ASSERT_EQ(frames.size(), at.size());
  ImageRgba8 strip(width * static_cast<uint32_t>(at.size()), height);
  for (size_t index = 0; index < frames.size(); ++index) {
    paste(strip, frames[index], width * static_cast<uint32_t>(index));
    for (size_t other = 0; other < index; ++other) {
      EXPECT_GT(compare_images(frames[index], frames[other], 16).differing_pixels, width * height / 4)
          << "the frames at " << at[index] << " s and " << at[other] << " s";
    }
  }
  EXPECT_GT(mean_luminance(frames[4]), mean_luminance(frames[2]) + 10.0) << "dawn is brighter than the night";
  EXPECT_TRUE(matches_golden(strip, "spring_festival_show", {.channel = 16, .differing_fraction = 0.01}));
}

}  // namespace
}  // namespace pavilion::testing
