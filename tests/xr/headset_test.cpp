// The engine's XR path (engine/xr) through the real OpenXR loader, with its core validation layer
// and the Vulkan validation layer on, to the simulated headset: the sample scene drawn into both
// eyes, the session's lifecycle, and the sentences a curator sees without a runtime or headset.
#include "golden.h"
#include "headset_rig.h"
#include "pavilion/core/png.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/renderer.h"
#include "pavilion/ui/ui_layer.h"
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
  const procedural::TestScene test_scene = procedural::textured_object();
  testing::HeadsetRig rig;
  ASSERT_TRUE(testing::start_headset(rig, test_scene.scene));
  EXPECT_EQ(rig.headset->runtime_name(), "Pavilion simulated headset");
  EXPECT_EQ(rig.headset->blend_mode(), BlendMode::opaque);

  // The stage's floor centre under the test scene's camera, so the visitor's head is where it was.
  const glm::mat4 stage_to_world =
      glm::translate(glm::mat4(1.0f), glm::vec3(test_scene.camera.eye.x, 0.0f, test_scene.camera.eye.z));
  std::vector<SessionPhase> phases;
  uint32_t drawn = 0;
  bool exit_asked = false;
  for (int loop = 0; loop < 20; ++loop) {
    auto phase = rig.session->poll_events();
    ASSERT_TRUE(phase.ok()) << phase.error().describe();
    if (phases.empty() || phases.back() != *phase) phases.push_back(*phase);
    if (*phase == SessionPhase::exiting) break;
    if (*phase != SessionPhase::running) continue;
    if (drawn == 4 && !exit_asked) {
      ASSERT_TRUE(rig.session->request_exit().ok());
      exit_asked = true;
      continue;
    }
    auto views = rig.session->begin_frame(stage_to_world);
    ASSERT_TRUE(views.ok()) << views.error().describe();
    if (!*views) {
      ASSERT_TRUE(rig.session->skip_frame().ok());
      continue;
    }
    auto outcome = rig.renderer->render(*rig.session, **views);
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
    ++drawn;
  }
  // Stopping, ending and exiting arrive together: the session goes from running to exiting.
  EXPECT_EQ(phases, (std::vector{SessionPhase::running, SessionPhase::exiting}));
  EXPECT_EQ(drawn, 4u);
  EXPECT_TRUE(rig.validation_clean());

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

  // The scene's depth went with each eye (XR_KHR_composition_layer_depth): the runtime's picture
  // of it says how far each pixel is, a grey step per 10 cm, black for the open sky.
  const auto depth = read_png(folder / "frame-3-left-depth.png");
  ASSERT_TRUE(depth.ok()) << depth.error().describe();
  ASSERT_EQ(depth->width, left->width);
  double porcelain_metres = 0;
  uint32_t porcelain = 0;
  for (uint32_t y = 0; y < left->height; ++y) {
    for (uint32_t x = 0; x < left->width; ++x) {
      const uint8_t* pixel = left->at(x, y);
      if (pixel[0] > 200 && pixel[1] > 200 && pixel[2] > 200) {
        porcelain_metres += (255 - depth->at(x, y)[0]) / 10.0;
        ++porcelain;
      }
    }
  }
  ASSERT_GT(porcelain, 0u);
  const glm::vec3 eye(test_scene.camera.eye.x, 1.6f, test_scene.camera.eye.z);
  const double to_centre = glm::distance(eye, test_scene.camera.target);
  EXPECT_GT(porcelain_metres / porcelain, to_centre * 0.5);
  EXPECT_LT(porcelain_metres / porcelain, to_centre * 1.05) << "the vase's near side, not beyond its centre";
  EXPECT_EQ(depth->at(left->width / 2, 0)[0], 0) << "the sky is infinitely far";
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
    testing::HeadsetRig rig;
    ASSERT_TRUE(testing::start_headset(rig, {}));
    auto phase = rig.session->poll_events();
    ASSERT_TRUE(phase.ok() && *phase == SessionPhase::running);
    EXPECT_EQ(rig.session->interaction_profile(), profile);
    auto views = rig.session->begin_frame(glm::mat4(1.0f));
    ASSERT_TRUE(views.ok() && views->has_value());
    auto input = rig.session->read_input();
    ASSERT_TRUE(input.ok()) << input.error().describe();
    const HandInput& right = (*input)->hands[1];
    EXPECT_TRUE(right.tracked);
    EXPECT_TRUE(right.select && right.select_pressed);
    EXPECT_NEAR(right.ray_origin.x, 0.2f, 1e-4f) << "the timeline's resting right hand";
    EXPECT_NEAR(right.ray_direction.z, -1.0f, 1e-4f);
    EXPECT_NEAR((*input)->head_position.y, 1.6f, 1e-4f);
    ASSERT_TRUE(rig.session->skip_frame().ok());
  }
  unsetenv("PAVILION_XR_SIM_TIMELINE");
}

// On an AR headset the room shows through: no sky is drawn, and where nothing stands the
// composed picture is transparent; the vase itself is opaque.
TEST_F(HeadsetTest, AnArHeadsetSeesTheRoomWhereNothingIsDrawn) {
  for (const auto& [mode, expected] : {std::pair{"alpha", BlendMode::alpha_blend}, std::pair{"additive", BlendMode::additive}}) {
    SCOPED_TRACE(mode);
    setenv("PAVILION_XR_SIM_BLEND", mode, 1);
    const procedural::TestScene test_scene = procedural::textured_object();
    testing::HeadsetRig rig;
    ASSERT_TRUE(testing::start_headset(rig, test_scene.scene,
                                       {.shadow_map_size = 512, .msaa_samples = 1, .transparent_background = true}));
    EXPECT_EQ(rig.headset->blend_mode(), expected);
    const glm::mat4 stage_to_world =
        glm::translate(glm::mat4(1.0f), glm::vec3(test_scene.camera.eye.x, 0.0f, test_scene.camera.eye.z));
    uint32_t drawn = 0;
    while (drawn < 3) {
      auto phase = rig.session->poll_events();
      ASSERT_TRUE(phase.ok() && *phase == SessionPhase::running);
      auto views = rig.session->begin_frame(stage_to_world);
      ASSERT_TRUE(views.ok() && views->has_value());
      ASSERT_TRUE(rig.renderer->render(*rig.session, **views).ok());
      ++drawn;
    }
    EXPECT_TRUE(rig.validation_clean());
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

// A Dear ImGui panel drawn into its own swapchain reaches the eye as a quad layer, hung where the
// application placed it and sharp enough to read.
TEST_F(HeadsetTest, AQuadLayerPanelIsReadableInTheComposedImage) {
  setenv("PAVILION_XR_SIM_EYE", "480x360", 1);
  const procedural::TestScene test_scene = procedural::textured_object();
  testing::HeadsetRig rig;
  ASSERT_TRUE(testing::start_headset(rig, test_scene.scene));
  auto ui = ui::UiLayer::create(*rig.renderer);
  ASSERT_TRUE(ui.ok()) << ui.error().describe();
  ASSERT_TRUE((*ui)->set_fonts("青瓷瓶 Celadon vase", {.body_pixels = 40.0f, .title_pixels = 64.0f}).ok());
  auto panel = rig.session->create_panel({512, 256});
  ASSERT_TRUE(panel.ok()) << panel.error().describe();

  // Half a metre ahead of the eyes, facing them, 40 cm wide.
  const glm::mat4 stage_to_world(1.0f);
  (*panel)->place(glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 1.6f, -0.5f)), 0.4f);
  for (int frame = 1; frame <= 3; ++frame) {
    auto phase = rig.session->poll_events();
    ASSERT_TRUE(phase.ok() && *phase == SessionPhase::running);
    auto views = rig.session->begin_frame(stage_to_world);
    ASSERT_TRUE(views.ok() && views->has_value());
    (*ui)->begin_frame(512, 256, 1.0f / 90.0f, {.present = false});
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(512, 256));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(120, 20, 110, 255));  // a plum nothing else in the scene has
    ImGui::Begin("label", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::PushFont((*ui)->title_font());
    ImGui::TextUnformatted("青瓷瓶");
    ImGui::PopFont();
    ImGui::TextUnformatted("Celadon vase");
    ImGui::End();
    ImGui::PopStyleColor();
    ASSERT_TRUE(rig.renderer->render_panel(**panel, (*ui)->end_frame()).ok());
    ASSERT_TRUE(rig.renderer->render(*rig.session, **views).ok());
  }
  EXPECT_TRUE(rig.validation_clean());
  const auto left = read_png(folder / "frame-3-left.png");
  ASSERT_TRUE(left.ok()) << left.error().describe();
  // The panel's plum, where it hangs: 40 cm at 50 cm spans 0.8 of the eye's 2.17 horizontal
  // tangent units (177 of 480 pixels), and it is twice as wide as tall, as its pixels are; the
  // eye's 360 rows cover 2.21 vertical units, so in pixels it is 2 × (480 / 2.17) / (360 / 2.21)
  // = 2.72 times as wide as tall.
  uint32_t min_x = left->width, max_x = 0, min_y = left->height, max_y = 0;
  for (uint32_t y = 0; y < left->height; ++y) {
    for (uint32_t x = 0; x < left->width; ++x) {
      const uint8_t* pixel = left->at(x, y);
      if (pixel[0] > 90 && pixel[0] < 160 && pixel[1] < 50 && pixel[2] > 80 && pixel[2] < 150) {
        min_x = std::min(min_x, x);
        max_x = std::max(max_x, x);
        min_y = std::min(min_y, y);
        max_y = std::max(max_y, y);
      }
    }
  }
  ASSERT_LT(min_x, max_x) << "no panel in the picture";
  const double width = max_x - min_x + 1;
  const double height = max_y - min_y + 1;
  EXPECT_NEAR(width, 177.0, 8.0);
  EXPECT_NEAR(width / height, 2.72, 0.15);
  // Light strokes of text on it, dense enough to read: the title's three characters and a line.
  uint32_t ink = 0;
  for (uint32_t y = min_y; y <= max_y; ++y) {
    for (uint32_t x = min_x; x <= max_x; ++x) {
      const uint8_t* pixel = left->at(x, y);
      ink += pixel[0] > 150 && pixel[1] > 150 && pixel[2] > 150;
    }
  }
  EXPECT_GT(ink, 150u);
  EXPECT_TRUE(testing::matches_golden(*left, "xr_panel_left_eye"));
  panel->reset();
  setenv("PAVILION_XR_SIM_EYE", "160x120", 1);
}

// Where the eyes are in the world, between them, and where they look, from a frame's two views.
std::pair<glm::vec3, glm::vec3> head_of(const std::array<render::View, 2>& views) {
  const glm::mat4 left = glm::inverse(views[0].view);
  const glm::mat4 right = glm::inverse(views[1].view);
  return {(glm::vec3(left[3]) + glm::vec3(right[3])) * 0.5f, -glm::vec3(left[2])};
}

// A seated visitor sees the scene from standing height wherever their head really is; recentring,
// from the application or from the headset's own menu, brings the scene's start to where they are.
TEST_F(HeadsetTest, SeatedVisitorsSeeFromStandingHeightAndRecentringBringsTheStartToThem) {
  // Sitting half a metre to the right, turned to the left; from frame 3 to 5 leaning a metre
  // forward (along −X); at frame 6 the headset's own recentring.
  std::ofstream(folder / "timeline.json") << R"({"recenter_at_frame": 6, "keyframes": [
      {"frame": 1, "head": {"position": [0.5, 1.1, 0.3], "yaw": 90}},
      {"frame": 3, "head": {"position": [0.5, 1.1, 0.3], "yaw": 90}},
      {"frame": 5, "head": {"position": [-0.5, 1.1, 0.3], "yaw": 90}}]})";
  setenv("PAVILION_XR_SIM_TIMELINE", (folder / "timeline.json").c_str(), 1);
  for (const bool seated : {false, true}) {
    SCOPED_TRACE(seated ? "seated" : "standing");
    testing::HeadsetRig rig;
    ASSERT_TRUE(testing::start_headset(rig, {}, {.shadow_map_size = 512, .msaa_samples = 1}, {.seated = seated}));
    std::vector<std::pair<glm::vec3, glm::vec3>> heads;
    for (int frame = 1; frame <= 7; ++frame) {
      auto phase = rig.session->poll_events();
      ASSERT_TRUE(phase.ok() && *phase == SessionPhase::running);
      auto views = rig.session->begin_frame(glm::mat4(1.0f));
      ASSERT_TRUE(views.ok() && views->has_value());
      heads.push_back(head_of(**views));
      ASSERT_TRUE(rig.session->skip_frame().ok());
      if (frame == 2 && !seated) {
        ASSERT_TRUE(rig.session->recenter().ok());
      }
    }
    const auto near = [](const glm::vec3& a, const glm::vec3& b) { return glm::distance(a, b) < 1e-3f; };
    if (seated) {
      // LOCAL starts at the head: the eyes at standing height over the stage's centre, facing −Z.
      EXPECT_TRUE(near(heads[0].first, glm::vec3(0, 1.6f, 0))) << heads[0].first.x << " " << heads[0].first.y;
      EXPECT_TRUE(near(heads[0].second, glm::vec3(0, 0, -1)));
      EXPECT_TRUE(near(heads[4].first, glm::vec3(0, 1.6f, -1.0f))) << "leaning forward a metre";
      EXPECT_TRUE(near(heads[6].first, glm::vec3(0, 1.6f, 0))) << "the headset's recentring";
    } else {
      // The room-scale stage: the head where it is, turned left; after recentring, at the centre
      // facing −Z, at its own height.
      EXPECT_TRUE(near(heads[0].first, glm::vec3(0.5f, 1.1f, 0.3f)));
      EXPECT_TRUE(near(heads[0].second, glm::vec3(-1, 0, 0)));
      EXPECT_TRUE(near(heads[2].first, glm::vec3(0, 1.1f, 0))) << heads[2].first.x << " " << heads[2].first.z;
      EXPECT_TRUE(near(heads[2].second, glm::vec3(0, 0, -1)));
    }
  }
  unsetenv("PAVILION_XR_SIM_TIMELINE");
}

}  // namespace
}  // namespace pavilion::xr
