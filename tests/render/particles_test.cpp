// GPU particles: fireworks (a shell bursting into trailing sparks) and lanterns rising from load,
// drawn in both eyes of a stereo pass and compared with approved frames under a seed; the same
// seed gives the same frames, another seed others; the soft fade against the scene's depth; and a
// budget too small refused in a sentence. The fixture fails on any validation message.
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/procedural/primitives.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>

namespace pavilion::testing {
namespace {

using render::View;

constexpr uint32_t width = 96;
constexpr uint32_t height = 64;
constexpr uint64_t seed = 20260101;

const procedural::CameraPlacement camera{{0.0f, 3.5f, 12.0f}, {0.0f, 4.2f, 0.0f}, 60.0f};

// A night courtyard: a dark floor and a wall behind, under a deep blue sky.
scene::RenderScene night() {
  scene::RenderScene scene;
  scene.meshes.push_back(procedural::make_plane(30.0f));
  scene.meshes.push_back(procedural::make_box({6.0f, 1.0f, 0.2f}));
  scene::MaterialData stone;
  stone.name = "stone";
  stone.base_color_factor = {0.3f, 0.28f, 0.26f, 1.0f};
  stone.metallic_factor = 0.0f;
  stone.roughness_factor = 0.9f;
  scene.materials.push_back(stone);
  scene.instances.push_back({glm::mat4(1.0f), 0, 0});
  scene.instances.push_back({glm::translate(glm::mat4(1.0f), {0.0f, 1.0f, -4.0f}), 1, 0});
  scene.light.intensity = 0.15f;
  scene.light.color = {0.6f, 0.7f, 1.0f};
  scene.environment.sky_zenith = {0.005f, 0.008f, 0.03f};
  scene.environment.sky_horizon = {0.02f, 0.025f, 0.06f};
  scene.environment.ambient_intensity = 0.3f;
  return scene;
}

// A shell rising from the floor that bursts, near the top of its flight, into sparks that trail.
std::vector<scene::ParticleSystem> fireworks() {
  scene::ParticleSystem shell;
  shell.name = "shell";
  shell.count = 2;
  shell.position = {0.0f, 0.2f, 0.0f};
  shell.shape = scene::EmitterShape::disc;
  shell.radius = 2.5f;
  shell.cone_degrees = 6.0f;
  shell.speed_min = 9.0f;
  shell.speed_max = 10.0f;
  shell.lifetime_min = 0.9f;
  shell.lifetime_max = 1.0f;
  shell.color = {{0.0f, {1.0f, 0.8f, 0.45f, 1.0f}}};
  shell.size = {{0.0f, 0.25f}};
  shell.speed_scale = {{0.0f, 1.0f}};
  shell.gravity = {0.0f, -6.0f, 0.0f};
  shell.glow = 3.0f;
  shell.trail_seconds = 0.06f;
  shell.on_death = 1;
  scene::ParticleSystem sparks;
  sparks.name = "sparks";
  sparks.count = 60;
  sparks.cone_degrees = 180.0f;
  sparks.speed_min = 5.0f;
  sparks.speed_max = 7.0f;
  sparks.lifetime_min = 1.0f;
  sparks.lifetime_max = 1.6f;
  sparks.color = {{0.0f, {1.0f, 0.9f, 0.5f, 1.0f}}, {0.5f, {1.0f, 0.25f, 0.08f, 0.9f}}, {1.0f, {0.5f, 0.02f, 0.0f, 0.0f}}};
  sparks.size = {{0.0f, 0.3f}, {1.0f, 0.12f}};
  sparks.speed_scale = {{0.0f, 1.0f}};
  sparks.gravity = {0.0f, -1.5f, 0.0f};
  sparks.drag = 1.2f;
  sparks.turbulence = 0.4f;
  sparks.glow = 6.0f;
  sparks.trail_seconds = 0.1f;
  return {shell, sparks};
}

// Red lanterns rising slowly from a strip of floor, swaying, glowing, fading in and out.
scene::ParticleSystem lanterns() {
  scene::ParticleSystem system;
  system.name = "lanterns";
  system.emission = scene::ParticleEmission::continuous;
  system.rate = 3.0f;
  system.position = {0.0f, 0.3f, 0.0f};
  system.shape = scene::EmitterShape::box;
  system.box_size = {8.0f, 0.0f, 2.0f};
  system.speed_min = 1.0f;
  system.speed_max = 1.4f;
  system.lifetime_min = 5.0f;
  system.lifetime_max = 6.0f;
  system.color = {{0.0f, {0.9f, 0.12f, 0.04f, 0.0f}}, {0.1f, {0.9f, 0.12f, 0.04f, 1.0f}}, {0.8f, {0.9f, 0.12f, 0.04f, 1.0f}},
                  {1.0f, {0.9f, 0.12f, 0.04f, 0.0f}}};
  system.size = {{0.0f, 0.9f}};
  system.speed_scale = {{0.0f, 1.0f}};
  system.gravity = {0.0f, 0.05f, 0.0f};
  system.sway = 0.3f;
  system.sway_frequency = 0.4f;
  system.wind = {0.2f, 0.0f, 0.0f};
  system.drag = 0.1f;
  system.glow = 2.5f;
  system.blend = scene::ParticleBlend::alpha;
  system.sprite = scene::ParticleSprite::lantern;
  system.soft_distance = 0.5f;
  return system;
}

std::array<View, 2> eyes() {
  const float aspect = static_cast<float>(width) / height;
  const glm::vec3 right(1.0f, 0.0f, 0.0f);
  auto eye = [&](float side) {
    procedural::CameraPlacement placed = camera;
    placed.eye += right * (side * 0.032f);
    placed.target += right * (side * 0.032f);
    return procedural::camera_view(placed, aspect);
  };
  return {eye(-1.0f), eye(1.0f)};
}

// The brightness of a frame: the sum of its pixels' red, green and blue.
uint64_t light_in(const ImageRgba8& image) {
  uint64_t sum = 0;
  for (size_t index = 0; index < image.pixels.size(); index += 4) sum += image.pixels[index] + image.pixels[index + 1] + image.pixels[index + 2];
  return sum;
}

class RenderParticles : public GpuTest {
 protected:
  std::unique_ptr<render::Renderer> make_renderer(uint32_t msaa, std::span<const scene::ParticleSystem> systems,
                                                  uint64_t with_seed) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = msaa});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(night()).ok());
    const auto loaded = (*renderer)->load_particles(systems, scene::default_particle_budget, with_seed);
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    return std::move(*renderer);
  }

  // Frames of a shell burst at 0 s, at 30 frames a second, in stereo: both eyes at each of `times`.
  std::vector<std::array<ImageRgba8, 2>> fireworks_frames(uint64_t with_seed, std::span<const float> times) {
    const auto systems = fireworks();
    auto renderer = make_renderer(4, systems, with_seed);
    auto stereo = render::OffscreenTarget::create(context(), {width, height, 2});
    EXPECT_TRUE(stereo.ok());
    renderer->burst_particles(0);
    std::vector<std::array<ImageRgba8, 2>> frames;
    int frame = 0;
    for (const float time : times) {
      for (; static_cast<float>(frame) / 30.0f < time - 1e-4f; ++frame) {
        renderer->advance_particles(1.0f / 30.0f);
        EXPECT_TRUE(renderer->render(**stereo, eyes()).ok());
      }
      frames.push_back({(*stereo)->read_pixels(0), (*stereo)->read_pixels(1)});
    }
    EXPECT_TRUE(renderer->wait_idle().ok());
    return frames;
  }
};

TEST_F(RenderParticles, AShellBurstsIntoTrailingSparksInBothEyes) {
  const std::array<float, 3> times{0.6f, 1.3f, 1.8f};
  const auto frames = fireworks_frames(seed, times);
  ImageRgba8 strip(width * 6, height);
  for (size_t time = 0; time < times.size(); ++time) {
    for (uint32_t eye = 0; eye < 2; ++eye) paste(strip, frames[time][eye], width * static_cast<uint32_t>(time * 2 + eye));
  }
  EXPECT_TRUE(matches_golden(strip, "particles_fireworks"));
  // The sparks of two shells outshine the two shells, in each eye; the eyes see nearly the same.
  for (uint32_t eye = 0; eye < 2; ++eye) {
    EXPECT_GT(light_in(frames[1][eye]), light_in(frames[0][eye]) + uint64_t{width} * height) << "eye " << eye;
  }
  EXPECT_GT(compare_images(frames[1][0], frames[1][1], 16).differing_pixels, 0u) << "each eye has its own view";
  EXPECT_LT(compare_images(frames[1][0], frames[1][1], 16).differing_pixels, uint64_t{width} * height / 5);
}

TEST_F(RenderParticles, TheSameSeedGivesTheSameFramesAndAnotherSeedOthers) {
  const std::array<float, 1> times{1.5f};
  const auto first = fireworks_frames(seed, times);
  const auto again = fireworks_frames(seed, times);
  const auto other = fireworks_frames(seed + 1, times);
  EXPECT_EQ(first[0][0].pixels, again[0][0].pixels);
  EXPECT_EQ(first[0][1].pixels, again[0][1].pixels);
  EXPECT_GT(compare_images(first[0][0], other[0][0], 16).differing_pixels, 20u);
}

TEST_F(RenderParticles, LanternsRiseFromLoadSwayingAndGlowing) {
  const std::array<scene::ParticleSystem, 1> systems{lanterns()};
  auto renderer = make_renderer(1, systems, seed);
  auto stereo = render::OffscreenTarget::create(context(), {width, height, 2});
  ASSERT_TRUE(stereo.ok());
  ImageRgba8 strip(width * 4, height);
  // The height of the lanterns' red light, weighted by it: it climbs as they rise.
  auto red_height = [](const ImageRgba8& image) {
    double weight = 0.0, sum = 0.0;
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const uint8_t* pixel = image.at(x, y);
        const double red = std::max(0, pixel[0] - pixel[2] - 20);
        weight += red;
        sum += red * (image.height - y);
      }
    }
    return weight > 0.0 ? sum / weight : 0.0;
  };
  std::array<double, 2> heights{};
  for (int frame = 1; frame <= 40; ++frame) {
    renderer->advance_particles(0.1f);
    ASSERT_TRUE(renderer->render(**stereo, eyes()).ok());
    if (frame == 20 || frame == 40) {
      const int at = frame / 20 - 1;
      for (uint32_t eye = 0; eye < 2; ++eye) paste(strip, (*stereo)->read_pixels(eye), width * static_cast<uint32_t>(at * 2 + eye));
      heights[static_cast<size_t>(at)] = red_height((*stereo)->read_pixels(0));
    }
  }
  ASSERT_TRUE(renderer->wait_idle().ok());
  EXPECT_TRUE(matches_golden(strip, "particles_lanterns"));
  EXPECT_GT(heights[0], 0.0) << "lanterns are drawn by 2 s without any burst";
  EXPECT_GT(heights[1], heights[0] + 2.0) << "as more rise, their light climbs";
}

// Without multiview (RendererConfig::multiview off, or a device whose probe failed, as llvmpipe's)
// each eye has a pass of its own, and so a particle pass of its own between them: the first eye's
// must leave the second eye's depth as that eye's scene pass wants it. With and without
// multisampling, under the layer's synchronization checks, no message, and the lanterns' red light
// in both eyes.
TEST_F(RenderParticles, AnEyeInAPassOfItsOwnDrawsParticlesWithoutDisturbingTheOther) {
  const std::array<scene::ParticleSystem, 1> systems{lanterns()};
  render::ContextConfig synchronized_config;
  synchronized_config.synchronization_validation = true;
  auto synchronized = render::GpuContext::create(synchronized_config);
  ASSERT_TRUE(synchronized.ok()) << synchronized.error().describe();
  auto red_pixels = [](const ImageRgba8& image) {
    uint64_t count = 0;
    for (size_t index = 0; index < image.pixels.size(); index += 4) count += image.pixels[index] > image.pixels[index + 2] + 40;
    return count;
  };
  for (const uint32_t msaa : {1u, 4u}) {
    SCOPED_TRACE(msaa);
    auto renderer = render::Renderer::create(**synchronized, {.shadow_map_size = 256, .msaa_samples = msaa, .multiview = false});
    ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
    ASSERT_TRUE((*renderer)->load_scene(night()).ok());
    ASSERT_TRUE((*renderer)->load_particles(systems, scene::default_particle_budget, seed).ok());
    EXPECT_FALSE((*renderer)->uses_multiview());
    auto stereo = render::OffscreenTarget::create(**synchronized, {width, height, 2});
    ASSERT_TRUE(stereo.ok());
    for (int frame = 0; frame < 20; ++frame) {
      (*renderer)->advance_particles(0.1f);
      ASSERT_TRUE((*renderer)->render(**stereo, eyes()).ok());
    }
    for (uint32_t eye = 0; eye < 2; ++eye) EXPECT_GT(red_pixels((*stereo)->read_pixels(eye)), 20u) << "eye " << eye;
    ASSERT_TRUE((*renderer)->wait_idle().ok());
    const auto report = (*synchronized)->take_validation_report();
    EXPECT_EQ(report.errors + report.warnings, 0u) << (report.messages.empty() ? "" : report.messages.front());
  }
}

// One glowing particle just in front of the wall: with a soft distance, it fades into the wall
// instead of being cut where it meets it.
TEST_F(RenderParticles, ASoftParticleFadesWhereItMeetsTheScene) {
  auto glow_in_floor = [&](float soft) {
    scene::ParticleSystem glow;
    glow.name = "glow";
    glow.count = 1;
    glow.position = {0.0f, 1.0f, -3.6f};
    glow.lifetime_min = glow.lifetime_max = 100.0f;
    glow.color = {{0.0f, {0.2f, 0.6f, 1.0f, 1.0f}}};
    glow.size = {{0.0f, 2.0f}};
    glow.speed_scale = {{0.0f, 1.0f}};
    glow.gravity = {0.0f, 0.0f, 0.0f};
    glow.glow = 2.0f;
    glow.soft_distance = soft;
    const std::array<scene::ParticleSystem, 1> systems{glow};
    auto renderer = make_renderer(4, systems, seed);
    auto target = render::OffscreenTarget::create(context(), {width, height});
    renderer->burst_particles(0);
    renderer->advance_particles(0.01f);
    const View view =
        procedural::camera_view({{0.0f, 1.5f, 2.0f}, {0.0f, 1.0f, -4.0f}, 50.0f}, static_cast<float>(width) / height);
    ImageRgba8 image = render_frame(*renderer, **target, {&view, 1});
    EXPECT_TRUE(renderer->wait_idle().ok());
    return image;
  };
  const ImageRgba8 hard = glow_in_floor(0.0f);
  const ImageRgba8 soft = glow_in_floor(1.0f);
  // Where the wall is close behind it, the hard particle is bright, the soft one faded.
  int brighter = 0;
  for (uint32_t x = width / 2 - 6; x < width / 2 + 6; ++x) {
    for (uint32_t y = 0; y < height; ++y) brighter += hard.at(x, y)[2] > soft.at(x, y)[2] + 8 ? 1 : 0;
  }
  EXPECT_GT(brighter, 60) << "the soft particle is dimmer where it nears the wall";
  EXPECT_LT(light_in(soft), light_in(hard)) << "and nowhere brighter";
}

TEST_F(RenderParticles, MoreThanTheBudgetIsRefusedNamingEachSystemsShare) {
  const auto systems = fireworks();
  auto renderer = make_renderer(1, systems, seed);
  const std::array<scene::ParticleSystem, 1> more{lanterns()};
  const auto refused = renderer->load_particles(more, 10, seed);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::invalid_input);
  EXPECT_NE(refused.error().why().find("can hold 20 particles at once ('lanterns' 20), more than its budget of 10"),
            std::string::npos)
      << refused.error().why();
  // The fireworks loaded before stay, and burst.
  auto target = render::OffscreenTarget::create(context(), {width, height});
  renderer->burst_particles(1);
  renderer->advance_particles(0.1f);
  const auto views = eyes();
  EXPECT_GT(light_in(render_frame(*renderer, **target, {&views[0], 1})), 0u);
  ASSERT_TRUE(renderer->wait_idle().ok());
}

}  // namespace
}  // namespace pavilion::testing
