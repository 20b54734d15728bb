// `pavilion-kiosk --xr PACKAGE`: one package's scene on a headset, through whatever OpenXR
// runtime is active (a real headset's, or the simulated one for previews and tests). The visitor
// stands at the scene's first viewpoint and points at exhibits to select them (squeezing the grip
// picks one up to look at it closely; letting go puts it back), turns and teleports
// with the thumbstick, and goes back to the start with the menu button
// (engine/interaction/headset.h); without controllers, looking at an exhibit for a moment selects
// it. The run ends when the runtime ends the session (the visitor quits from the headset's menu)
// or after `max_frames`.
//
// The package is read from the kiosk's content like a touch kiosk's, and each visitor's visit —
// from putting the headset on to taking it off — is kept in the interaction log and sent to the
// hub as kiosk.json says (engine/interaction/visit_log.h).
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/kiosk/config.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::kiosk {

struct HeadsetRunOptions {
  // Its content folder, trusted keys, interaction log and hub; the playlist is not consulted.
  KioskConfig config;
  std::string package;          // a file name in config.content
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
  uint32_t visits = 0;         // visitors' sessions in the interaction log
};

// Fails with one sentence when there is no OpenXR runtime or no headset, when the package cannot
// be shown, or when a headset that dropped out has not come back within a minute.
Result<HeadsetRunReport> run_on_headset(const HeadsetRunOptions& options);

}  // namespace pavilion::kiosk
