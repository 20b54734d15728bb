// A scripted visitor in the simulated headset, for tests of `pavilion-kiosk --xr`: positions and
// aims written as the simulated runtime's timeline wants them, and one run of the headset mode
// through the real OpenXR loader and its core validation layer (Vulkan validation on), with the
// interaction log's events read back.
#pragma once

#include "pavilion/kiosk/headset_mode.h"
#include "pavilion/scene/thumbnail.h"
#include "pavilion/telemetry/local_queue.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/mat4x4.hpp>
#include <glm/trigonometric.hpp>
#include <glm/vec3.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace pavilion::testing {

// A position on the stage whose origin is `stage_origin` in the world, of a point in the world.
inline std::string stage_position(const glm::vec3& world, const glm::vec3& stage_origin) {
  const glm::vec3 at = world - stage_origin;
  return fmt::format("[{:.4f}, {:.4f}, {:.4f}]", at.x, at.y, at.z);
}

// The yaw and pitch (degrees) that aim a hand (or the head) at `from` (in the world) at `target`.
inline std::string aim_at(const glm::vec3& from, const glm::vec3& target) {
  const glm::vec3 to = target - from;
  return fmt::format(R"("yaw": {:.3f}, "pitch": {:.3f})", glm::degrees(std::atan2(-to.x, -to.z)),
                     glm::degrees(std::atan2(to.y, std::hypot(to.x, to.z))));
}

// The frame a book exhibit at `place` of `radius` metres lies in when the scene's one viewpoint
// is at `viewpoint` looking at it, as the headset lays it (book_hands.cpp): x across, y up, z out
// of the page towards the visitor, its origin at the exhibit's place.
inline glm::mat4 book_frame(const glm::vec3& place, float radius, const glm::vec3& viewpoint) {
  scene::Exhibit exhibit;
  exhibit.position = place;
  exhibit.radius = radius;
  scene::Viewpoint from;
  from.position = viewpoint;
  from.target = place;
  const scene::ExhibitFraming framing = scene::frame_exhibit(exhibit, {from}, 0.0f, scene::standing_eye_height);
  const glm::vec3 out = glm::normalize(framing.eye - exhibit.position);
  const glm::vec3 up = glm::normalize(glm::cross(out, framing.right));
  const glm::vec3 across = glm::cross(up, out);
  return {glm::vec4(across, 0.0f), glm::vec4(up, 0.0f), glm::vec4(out, 0.0f), glm::vec4(place, 1.0f)};
}

struct HeadsetVisit {
  kiosk::HeadsetRunReport report;
  std::vector<telemetry::Event> events;
};

// `options` run on the simulated headset following `timeline`, each eye `eye` pixels ("160x120")
// and captured at `frames` ("4,24") into `capture` as frame-N-left.png and frame-N-right.png.
// Expects the run, both validation layers and the log to be clean.
inline HeadsetVisit visit_headset(const kiosk::HeadsetRunOptions& options, const std::string& timeline,
                                  const std::filesystem::path& capture, const char* frames, const char* eye) {
  std::ofstream(capture / "timeline.json") << timeline;
  setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
  setenv("XR_ENABLE_API_LAYERS", "XR_APILAYER_LUNARG_core_validation", 1);
  setenv("XR_CORE_VALIDATION_EXPORT_TYPE", "text", 1);
  setenv("XR_CORE_VALIDATION_FILE_NAME", (capture / "core_validation.txt").c_str(), 1);
  setenv("PAVILION_XR_SIM_EYE", eye, 1);
  setenv("PAVILION_XR_SIM_TIMELINE", (capture / "timeline.json").c_str(), 1);
  setenv("PAVILION_XR_SIM_CAPTURE_DIR", capture.c_str(), 1);
  setenv("PAVILION_XR_SIM_CAPTURE_FRAMES", frames, 1);
  auto report = kiosk::run_on_headset(options);
  for (const char* name : {"XR_RUNTIME_JSON", "XR_ENABLE_API_LAYERS", "PAVILION_XR_SIM_TIMELINE", "PAVILION_XR_SIM_CAPTURE_DIR",
                           "PAVILION_XR_SIM_CAPTURE_FRAMES", "PAVILION_XR_SIM_EYE"}) {
    unsetenv(name);
  }
  std::stringstream core_validation;
  core_validation << std::ifstream(capture / "core_validation.txt").rdbuf();
  EXPECT_EQ(core_validation.str().find("VUID"), std::string::npos) << core_validation.str();
  HeadsetVisit out;
  EXPECT_TRUE(report.ok()) << report.error().describe();
  if (!report.ok()) return out;
  EXPECT_EQ(report->validation_messages, 0u);
  out.report = std::move(*report);
  auto queue = telemetry::LocalQueue::open(options.config.telemetry_queue, 1000);
  EXPECT_TRUE(queue.ok()) << queue.error().describe();
  if (!queue.ok()) return out;
  auto events = (*queue)->oldest(500);
  EXPECT_TRUE(events.ok());
  if (events.ok()) out.events = std::move(*events);
  return out;
}

}  // namespace pavilion::testing
