// The run-time flash limiter (RendererConfig::max_luminance_step): a picture that flashes black and
// white every frame is held under WCAG 2.3.1's flash threshold, as the content tools' analyser
// (pavilion::flash) judges it, while a slow change passes untouched.
#include "gpu_test.h"
#include "golden.h"
#include "pavilion/core/image.h"
#include "pavilion/flash/flash.h"
#include "pavilion/procedural/primitives.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::testing {
namespace {

using render::View;

constexpr uint32_t width = 64;
constexpr uint32_t height = 48;
constexpr float frames_per_second = 24;
const float cap = render::flash_safe_luminance_step(frames_per_second);

// A wall facing the camera in a black world, lit head-on by `light_intensity` and glowing with
// `emissive`: black where the wall is not.
scene::RenderScene wall_scene(glm::vec3 emissive, glm::vec3 base_color, float light_intensity) {
  scene::RenderScene scene;
  scene.meshes.push_back(procedural::make_plane(40.0f));
  scene::MaterialData material;
  material.base_color_factor = glm::vec4(base_color, 1.0f);
  material.metallic_factor = 0.0f;
  material.roughness_factor = 1.0f;
  material.emissive_factor = emissive;
  scene.materials.push_back(material);
  // The plane faces +Y; turned to face +Z, towards the camera.
  scene.instances.push_back({glm::rotate(glm::mat4(1.0f), glm::radians(90.0f), glm::vec3(1, 0, 0)), 0, 0});
  scene.light.direction = glm::vec3(0, 0, -1);
  scene.light.color = glm::vec3(1.0f);
  scene.light.intensity = light_intensity;
  scene.light.casts_shadows = false;
  scene.environment.sky_zenith = scene.environment.sky_horizon = scene.environment.ground = glm::vec3(0.0f);
  scene.environment.ambient_intensity = 0.0f;
  return scene;
}

const View camera =
    render::look_at_view({0, 0, 3}, {0, 0, 0}, render::symmetric_field_of_view(0.9f, float(width) / height));

// The wall out of sight: behind the camera.
const glm::mat4 wall_away = glm::translate(glm::mat4(1.0f), glm::vec3(0, 0, 100));

double mean_luminance(const ImageRgba8& image) {
  double sum = 0;
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      const uint8_t* pixel = image.at(x, y);
      sum += 0.2126 * srgb_to_linear(pixel[0]) + 0.7152 * srgb_to_linear(pixel[1]) + 0.0722 * srgb_to_linear(pixel[2]);
    }
  }
  return sum / (double(image.width) * image.height);
}

class FlashLimiter : public GpuTest {
 protected:
  std::unique_ptr<render::Renderer> make_renderer(float step, uint32_t samples = 1) {
    auto renderer = render::Renderer::create(
        context(), {.shadow_map_size = 64, .msaa_samples = samples, .max_luminance_step = step});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    return renderer.ok() ? std::move(*renderer) : nullptr;
  }
  std::unique_ptr<render::OffscreenTarget> make_target(uint32_t layers = 1, uint32_t target_width = width) {
    auto target = render::OffscreenTarget::create(context(), {target_width, height, layers});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    return target.ok() ? std::move(*target) : nullptr;
  }

  // A second (24 frames) of a white glowing wall shown on odd frames only: a flash every two frames.
  flash::FlashVerdict analyse_flashing_wall(float step, uint32_t layers, std::vector<double>* luminances = nullptr,
                                            uint32_t samples = 1) {
    auto renderer = make_renderer(step, samples);
    auto target = make_target(layers);
    if (!renderer || !target) return {};
    EXPECT_TRUE(renderer->load_scene(wall_scene(glm::vec3(4.0f), glm::vec3(0.0f), 0.0f)).ok());
    const std::array<View, 2> views{camera, camera};
    std::vector<flash::FlashAnalyser> analysers;
    for (uint32_t layer = 0; layer < layers; ++layer) {
      analysers.emplace_back(flash::FlashViewing::screen(frames_per_second));
    }
    for (uint32_t frame = 0; frame < 2 * frames_per_second; ++frame) {
      renderer->move_instances(0, 1, frame % 2 == 1 ? glm::mat4(1.0f) : wall_away);
      const auto outcome = renderer->render(*target, std::span(views).first(layers));
      EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
      EXPECT_TRUE(renderer->wait_idle().ok());
      for (uint32_t layer = 0; layer < layers; ++layer) {
        const ImageRgba8 image = target->read_pixels(layer);
        if (luminances && layer == layers - 1) luminances->push_back(mean_luminance(image));
        EXPECT_TRUE(analysers[layer].add_frame(image.width, image.height, image.pixels).ok());
      }
    }
    flash::FlashVerdict verdict = analysers.back().finish();
    for (uint32_t layer = 0; layer + 1 < layers; ++layer) {
      EXPECT_EQ(analysers[layer].finish().safe, verdict.safe) << "layer " << layer << " as the last";
    }
    return verdict;
  }
};

TEST_F(FlashLimiter, AWallFlashingEveryFrameFailsTheFlashCheckWithoutTheLimiter) {
  const flash::FlashVerdict verdict = analyse_flashing_wall(0.0f, 1);
  ASSERT_FALSE(verdict.safe);
  EXPECT_EQ(verdict.failures.front().kind, flash::FailureKind::general_flash);
}

TEST_F(FlashLimiter, TheLimiterHoldsAWallFlashingEveryFrameUnderTheFlashThreshold) {
  std::vector<double> luminances;
  const flash::FlashVerdict verdict = analyse_flashing_wall(cap, 1, &luminances);
  EXPECT_TRUE(verdict.safe) << (verdict.failures.empty() ? ""
                                                         : flash::describe(verdict.failures.front(), flash::Language::en));
  // The first frame (black) shows as it is; each lit frame after it is one step above black.
  ASSERT_EQ(luminances.size(), 2 * frames_per_second);
  for (size_t frame = 0; frame < luminances.size(); ++frame) {
    EXPECT_NEAR(luminances[frame], frame % 2 == 1 ? cap : 0.0, 0.002) << "frame " << frame;
  }
}

TEST_F(FlashLimiter, BothEyesOfAStereoTargetAreLimited) {
  std::vector<double> luminances;
  const flash::FlashVerdict verdict = analyse_flashing_wall(cap, 2, &luminances);
  EXPECT_TRUE(verdict.safe);
  EXPECT_LT(*std::max_element(luminances.begin(), luminances.end()), cap + 0.002) << "the second eye";
}

// The multisampled resolve has its own limited shader.
TEST_F(FlashLimiter, AMultisampledTargetIsLimitedToo) {
  std::vector<double> luminances;
  const flash::FlashVerdict verdict = analyse_flashing_wall(cap, 1, &luminances, 4);
  EXPECT_TRUE(verdict.safe);
  EXPECT_LT(*std::max_element(luminances.begin(), luminances.end()), cap + 0.002);
  EXPECT_GT(luminances[1], cap / 2) << "the wall's first lit frame still shows, one step up";
}

// A cut to a steady orange glow fades in at the cap, one step a frame, in the glow's own hue.
TEST_F(FlashLimiter, ACutFadesInAtTheCapKeepingItsHue) {
  const glm::vec3 orange(1.2f, 0.45f, 0.1f);
  auto unlimited = make_renderer(0.0f);
  auto limited = make_renderer(cap);
  auto target = make_target();
  ASSERT_TRUE(unlimited && limited && target);
  ASSERT_TRUE(unlimited->load_scene(wall_scene(orange, glm::vec3(0.0f), 0.0f)).ok());
  ASSERT_TRUE(limited->load_scene(wall_scene(orange, glm::vec3(0.0f), 0.0f)).ok());
  const ImageRgba8 full = render_frame(*unlimited, *target, {&camera, 1});
  limited->move_instances(0, 1, wall_away);
  render_frame(*limited, *target, {&camera, 1});  // black, as it is
  limited->move_instances(0, 1, glm::mat4(1.0f));
  ImageRgba8 faded;
  constexpr uint32_t steps = 24;
  for (uint32_t frame = 1; frame <= steps; ++frame) {
    faded = render_frame(*limited, *target, {&camera, 1});
    EXPECT_NEAR(mean_luminance(faded), frame * cap, 0.003) << "frame " << frame;
  }
  // The same chromaticity: each channel scaled by the same factor (linear values).
  const uint8_t* shown = faded.at(width / 2, height / 2);
  const uint8_t* meant = full.at(width / 2, height / 2);
  const float scale = srgb_to_linear(shown[0]) / srgb_to_linear(meant[0]);
  EXPECT_NEAR(scale, steps * cap / mean_luminance(full), 0.03);
  EXPECT_NEAR(srgb_to_linear(shown[1]), scale * srgb_to_linear(meant[1]), 0.01);
  EXPECT_NEAR(srgb_to_linear(shown[2]), scale * srgb_to_linear(meant[2]), 0.01);
}

// A wall turning slowly under a light changes by less than the cap a frame: drawn exactly as
// without the limiter.
TEST_F(FlashLimiter, ASlowChangePassesUnchanged) {
  auto unlimited = make_renderer(0.0f);
  auto limited = make_renderer(cap);
  auto target = make_target();
  ASSERT_TRUE(unlimited && limited && target);
  const scene::RenderScene scene = wall_scene(glm::vec3(0.0f), glm::vec3(0.8f), 2.0f);
  ASSERT_TRUE(unlimited->load_scene(scene).ok());
  ASSERT_TRUE(limited->load_scene(scene).ok());
  double first = 0;
  double last = 0;
  for (uint32_t frame = 0; frame < 30; ++frame) {
    const glm::mat4 turned = glm::rotate(glm::mat4(1.0f), glm::radians(float(frame)), glm::vec3(0, 1, 0));
    unlimited->move_instances(0, 1, turned);
    limited->move_instances(0, 1, turned);
    const ImageRgba8 expected = render_frame(*unlimited, *target, {&camera, 1});
    const ImageRgba8 actual = render_frame(*limited, *target, {&camera, 1});
    EXPECT_EQ(compare_images(actual, expected, 1).differing_pixels, 0u) << "frame " << frame;
    (frame == 0 ? first : last) = mean_luminance(actual);
  }
  EXPECT_GT(first - last, 0.02) << "the wall darkens as it turns away from the light";
}

// After the target changes size there is no last frame to limit against: the first shows as is.
TEST_F(FlashLimiter, TheFirstFrameAfterAResizeShowsAsItIs) {
  auto renderer = make_renderer(cap);
  auto small = make_target(1, width);
  auto wide = make_target(1, width * 2);
  ASSERT_TRUE(renderer && small && wide);
  ASSERT_TRUE(renderer->load_scene(wall_scene(glm::vec3(4.0f), glm::vec3(0.0f), 0.0f)).ok());
  renderer->move_instances(0, 1, wall_away);
  render_frame(*renderer, *small, {&camera, 1});
  renderer->move_instances(0, 1, glm::mat4(1.0f));
  EXPECT_LT(mean_luminance(render_frame(*renderer, *small, {&camera, 1})), cap + 0.002);
  const View wide_camera =
      render::look_at_view({0, 0, 3}, {0, 0, 0}, render::symmetric_field_of_view(0.9f, 2.0f * width / height));
  EXPECT_GT(mean_luminance(render_frame(*renderer, *wide, {&wide_camera, 1})), 0.9);
}

TEST_F(FlashLimiter, TurnedOnWhileRunningItStartsFromWhatItShowsNext) {
  auto renderer = make_renderer(0.0f);
  auto target = make_target();
  ASSERT_TRUE(renderer && target);
  ASSERT_TRUE(renderer->load_scene(wall_scene(glm::vec3(4.0f), glm::vec3(0.0f), 0.0f)).ok());
  renderer->move_instances(0, 1, wall_away);
  render_frame(*renderer, *target, {&camera, 1});
  renderer->move_instances(0, 1, glm::mat4(1.0f));
  renderer->set_max_luminance_step(cap);
  EXPECT_GT(mean_luminance(render_frame(*renderer, *target, {&camera, 1})), 0.9) << "its first frame is as it is";
  renderer->move_instances(0, 1, wall_away);
  EXPECT_GT(mean_luminance(render_frame(*renderer, *target, {&camera, 1})), 0.9 - cap - 0.002) << "then it limits";
}

}  // namespace
}  // namespace pavilion::testing
