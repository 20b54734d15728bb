// `pavilion-kiosk --xr PACKAGE`: one package's scene on a headset, through whatever OpenXR
// runtime is active (a real headset's, or the simulated one for previews and tests). The visitor
// stands at the scene's first viewpoint and points at exhibits to select them (squeezing the grip
// picks one up to look at it closely; letting go puts it back), turns and teleports
// with the thumbstick, and goes back to the start with the menu button (headset_interaction.h);
// without controllers, looking at an exhibit for a moment selects it. The run ends when the runtime ends the session (the
// visitor quits from the headset's menu) or after `max_frames`.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::kiosk {

struct HeadsetRunOptions {
  std::filesystem::path package;
  std::vector<std::filesystem::path> trusted_keys;
  bool developer_mode = false;  // accept unsigned packages (previews only)
  bool validation = false;      // the Khronos Vulkan validation layer
  uint64_t max_frames = 0;      // 0: until the session ends
  bool seated = false;          // the visitor sits: the scene is seen from standing height
};

struct HeadsetRunReport {
  uint64_t frames_drawn = 0;
  uint32_t validation_messages = 0;
  std::string interaction_profile;             // the controllers the runtime bound, or empty
  std::vector<std::string> selected_exhibits;  // ids, in the order the visitor selected them
  uint32_t haptic_pulses = 0;
  uint32_t grabs = 0;  // exhibits picked up
  uint32_t turns = 0;
  uint32_t teleports = 0;
  uint32_t sessions_lost = 0;  // the headset dropped out and a new session took over
};

// Fails with one sentence when there is no OpenXR runtime or no headset, when the package cannot
// be shown, or when a headset that dropped out has not come back within a minute.
Result<HeadsetRunReport> run_on_headset(const HeadsetRunOptions& options);

}  // namespace pavilion::kiosk
