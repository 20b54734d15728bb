// The engine's XR path (engine/xr) through the real OpenXR loader, with its core validation layer
// and the Vulkan validation layer on, to the simulated headset: the sample scene drawn into both
// eyes, the session's lifecycle, and the sentences a curator sees without a runtime or headset.
#include "golden.h"
#include "pavilion/core/png.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/renderer.h"
#include "pavilion/xr/headset.h"
#include "temporary_folder.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pavilion::xr {
namespace {

class HeadsetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
    setenv("XR_ENABLE_API_LAYERS", "XR_APILAYER_LUNARG_core_validation", 1);
    setenv("XR_CORE_VALIDATION_EXPORT_TYPE", "text", 1);
    setenv("XR_CORE_VALIDATION_FILE_NAME", (folder / "core_validation.txt").c_str(), 1);
    setenv("PAVILION_XR_SIM_EYE", "160x120", 1);
    setenv("PAVILION_XR_SIM_CAPTURE_DIR", folder.path().c_str(), 1);
    setenv("PAVILION_XR_SIM_CAPTURE_FRAMES", "3", 1);
    unsetenv("PAVILION_XR_SIM_HEADSET");
    unsetenv("PAVILION_XR_SIM_BLEND");
    unsetenv("PAVILION_XR_SIM_LOSE_AFTER_FRAMES");
  }

  void TearDown() override {
    std::ifstream log(folder / "core_validation.txt");
    std::stringstream text;
    text << log.rdbuf();
    EXPECT_EQ(text.str().find("VUID"), std::string::npos) << "core validation:\n" << text.str();
    EXPECT_EQ(text.str().find("Error"), std::string::npos) << "core validation:\n" << text.str();
    unsetenv("PAVILION_XR_SIM_CAPTURE_DIR");
    unsetenv("PAVILION_XR_SIM_CAPTURE_FRAMES");
  }

  testing::TemporaryFolder folder;
};

// Where the porcelain (the brightest pixels) is across the image, on average.
double porcelain_centre(const ImageRgba8& image) {
  double sum = 0;
  double count = 0;
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      const uint8_t* pixel = image.at(x, y);
      if (pixel[0] > 200 && pixel[1] > 200 && pixel[2] > 200) {
        sum += x;
        ++count;
      }
    }
  }
  return count > 0 ? sum / count : -1.0;
}

TEST_F(HeadsetTest, TheSampleSceneInBothEyesAndTheSessionsLifecycle) {
  auto headset = Headset::open({.application_name = "pavilion tests"});
  ASSERT_TRUE(headset.ok()) << headset.error().describe();
  EXPECT_EQ((*headset)->runtime_name(), "Pavilion simulated headset");
  EXPECT_EQ((*headset)->blend_mode(), BlendMode::opaque);
  render::ContextConfig config;
  config.application_name = "pavilion tests";
  config.validation = true;
  config.hooks = headset->get();
  auto context = render::GpuContext::create(config);
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = render::Renderer::create(**context, {.shadow_map_size = 512, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  const procedural::TestScene test_scene = procedural::textured_object();
  ASSERT_TRUE((*renderer)->load_scene(test_scene.scene).ok());
  auto session = HeadsetSession::create(**headset, **context);
  ASSERT_TRUE(session.ok()) << session.error().describe();

  // The stage's floor centre under the test scene's camera, so the visitor's head is where it was.
  const glm::mat4 stage_to_world =
      glm::translate(glm::mat4(1.0f), glm::vec3(test_scene.camera.eye.x, 0.0f, test_scene.camera.eye.z));
  std::vector<SessionPhase> phases;
  uint32_t drawn = 0;
  bool exit_asked = false;
  for (int loop = 0; loop < 20; ++loop) {
    auto phase = (*session)->poll_events();
    ASSERT_TRUE(phase.ok()) << phase.error().describe();
    if (phases.empty() || phases.back() != *phase) phases.push_back(*phase);
    if (*phase == SessionPhase::exiting) break;
    if (*phase != SessionPhase::running) continue;
    if (drawn == 4 && !exit_asked) {
      ASSERT_TRUE((*session)->request_exit().ok());
      exit_asked = true;
      continue;
    }
    auto views = (*session)->begin_frame(stage_to_world);
    ASSERT_TRUE(views.ok()) << views.error().describe();
    if (!*views) {
      ASSERT_TRUE((*session)->skip_frame().ok());
      continue;
    }
    auto outcome = (*renderer)->render(**session, **views);
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
    ++drawn;
  }
  // Stopping, ending and exiting arrive together: the session goes from running to exiting.
  EXPECT_EQ(phases, (std::vector{SessionPhase::running, SessionPhase::exiting}));
  EXPECT_EQ(drawn, 4u);
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  const render::ValidationReport validation = (*context)->take_validation_report();
  EXPECT_EQ(validation.errors + validation.warnings, 0u) << (validation.messages.empty() ? "" : validation.messages[0]);

  const auto left = read_png(folder / "frame-3-left.png");
  const auto right = read_png(folder / "frame-3-right.png");
  ASSERT_TRUE(left.ok()) << left.error().describe();
  ASSERT_TRUE(right.ok()) << right.error().describe();
  EXPECT_TRUE(testing::matches_golden(*left, "xr_left_eye"));
  EXPECT_TRUE(testing::matches_golden(*right, "xr_right_eye"));
  const double left_centre = porcelain_centre(*left);
  const double right_centre = porcelain_centre(*right);
  ASSERT_GT(left_centre, 0);
  ASSERT_GT(right_centre, 0);
  // The vase stands ahead: each eye sees it towards the other eye's side.
  EXPECT_GT(left_centre - right_centre, 0.5) << "left " << left_centre << ", right " << right_centre;
}

TEST_F(HeadsetTest, WithoutARuntimeOrAHeadsetItSaysSoInOneSentence) {
  setenv("XR_RUNTIME_JSON", (folder / "no_runtime.json").c_str(), 1);
  auto no_runtime = Headset::open({});
  ASSERT_FALSE(no_runtime.ok());
  EXPECT_NE(no_runtime.error().why().find("No OpenXR runtime"), std::string::npos) << no_runtime.error().describe();

  setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
  setenv("PAVILION_XR_SIM_HEADSET", "absent", 1);
  auto no_headset = Headset::open({});
  unsetenv("PAVILION_XR_SIM_HEADSET");
  ASSERT_FALSE(no_headset.ok());
  EXPECT_NE(no_headset.error().why().find("No headset is connected"), std::string::npos) << no_headset.error().describe();
}

// Whatever controllers the headset has, the engine's suggested bindings reach them: the runtime
// picks the matching profile, and a pulled trigger (or a pinch) selects.
TEST_F(HeadsetTest, EveryKnownControllerAndTrackedHandsAreBound) {
  for (const char* profile : {"/interaction_profiles/khr/simple_controller", "/interaction_profiles/oculus/touch_controller",
                              "/interaction_profiles/valve/index_controller", "/interaction_profiles/htc/vive_controller",
                              "/interaction_profiles/microsoft/hand_interaction"}) {
    SCOPED_TRACE(profile);
    std::ofstream(folder / "timeline.json") << R"({"interaction_profile": ")" << profile
                                            << R"(", "keyframes": [{"frame": 1, "right": {"trigger": 1}}]})";
    setenv("PAVILION_XR_SIM_TIMELINE", (folder / "timeline.json").c_str(), 1);
    auto headset = Headset::open({});
    ASSERT_TRUE(headset.ok()) << headset.error().describe();
    render::ContextConfig config;
    config.hooks = headset->get();
    auto context = render::GpuContext::create(config);
    ASSERT_TRUE(context.ok()) << context.error().describe();
    auto session = HeadsetSession::create(**headset, **context);
    ASSERT_TRUE(session.ok()) << session.error().describe();
    auto phase = (*session)->poll_events();
    ASSERT_TRUE(phase.ok() && *phase == SessionPhase::running);
    EXPECT_EQ((*session)->interaction_profile(), profile);
    auto views = (*session)->begin_frame(glm::mat4(1.0f));
    ASSERT_TRUE(views.ok() && views->has_value());
    auto input = (*session)->read_input();
    ASSERT_TRUE(input.ok()) << input.error().describe();
    const HandInput& right = (*input)->hands[1];
    EXPECT_TRUE(right.tracked);
    EXPECT_TRUE(right.select && right.select_pressed);
    EXPECT_NEAR(right.ray_origin.x, 0.2f, 1e-4f) << "the timeline's resting right hand";
    EXPECT_NEAR(right.ray_direction.z, -1.0f, 1e-4f);
    EXPECT_NEAR((*input)->head_position.y, 1.6f, 1e-4f);
    ASSERT_TRUE((*session)->skip_frame().ok());
  }
  unsetenv("PAVILION_XR_SIM_TIMELINE");
}

// On an AR headset the room shows through: no sky is drawn, and where nothing stands the
// composed picture is transparent; the vase itself is opaque.
TEST_F(HeadsetTest, AnArHeadsetSeesTheRoomWhereNothingIsDrawn) {
  for (const auto& [mode, expected] : {std::pair{"alpha", BlendMode::alpha_blend}, std::pair{"additive", BlendMode::additive}}) {
    SCOPED_TRACE(mode);
    setenv("PAVILION_XR_SIM_BLEND", mode, 1);
    auto headset = Headset::open({});
    ASSERT_TRUE(headset.ok()) << headset.error().describe();
    EXPECT_EQ((*headset)->blend_mode(), expected);
    render::ContextConfig config;
    config.validation = true;
    config.hooks = headset->get();
    auto context = render::GpuContext::create(config);
    ASSERT_TRUE(context.ok()) << context.error().describe();
    auto renderer = render::Renderer::create(**context, {.shadow_map_size = 512, .msaa_samples = 1, .transparent_background = true});
    ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
    const procedural::TestScene test_scene = procedural::textured_object();
    ASSERT_TRUE((*renderer)->load_scene(test_scene.scene).ok());
    auto session = HeadsetSession::create(**headset, **context);
    ASSERT_TRUE(session.ok()) << session.error().describe();
    const glm::mat4 stage_to_world =
        glm::translate(glm::mat4(1.0f), glm::vec3(test_scene.camera.eye.x, 0.0f, test_scene.camera.eye.z));
    uint32_t drawn = 0;
    while (drawn < 3) {
      auto phase = (*session)->poll_events();
      ASSERT_TRUE(phase.ok() && *phase == SessionPhase::running);
      auto views = (*session)->begin_frame(stage_to_world);
      ASSERT_TRUE(views.ok() && views->has_value());
      ASSERT_TRUE((*renderer)->render(**session, **views).ok());
      ++drawn;
    }
    ASSERT_TRUE((*renderer)->wait_idle().ok());
    const render::ValidationReport validation = (*context)->take_validation_report();
    EXPECT_EQ(validation.errors + validation.warnings, 0u) << (validation.messages.empty() ? "" : validation.messages[0]);
    const auto left = read_png(folder / "frame-3-left.png");
    ASSERT_TRUE(left.ok()) << left.error().describe();
    uint32_t transparent = 0;
    uint32_t opaque_porcelain = 0;
    for (uint32_t y = 0; y < left->height; ++y) {
      for (uint32_t x = 0; x < left->width; ++x) {
        const uint8_t* pixel = left->at(x, y);
        transparent += pixel[3] == 0;
        opaque_porcelain += pixel[3] == 255 && pixel[0] > 200 && pixel[1] > 200 && pixel[2] > 200;
      }
    }
    EXPECT_EQ(left->at(0, 0)[3], 0) << "the sky is the room's ceiling now";
    EXPECT_GT(transparent, left->width * left->height / 4);
    EXPECT_GT(opaque_porcelain, 20u);
    if (expected == BlendMode::alpha_blend) {
      EXPECT_TRUE(testing::matches_golden(*left, "xr_ar_left_eye"));
    }
    std::filesystem::remove(folder / "frame-3-left.png");
  }
  unsetenv("PAVILION_XR_SIM_BLEND");
}

}  // namespace
}  // namespace pavilion::xr
