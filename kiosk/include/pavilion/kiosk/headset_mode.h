// `pavilion-kiosk --xr PACKAGE`: one package's scene on a headset, through whatever OpenXR
// runtime is active (a real headset's, or the simulated one for previews and tests). The visitor
// stands at the scene's first viewpoint; the run ends when the runtime ends the session (the
// visitor quits from the headset's menu) or after `max_frames`.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace pavilion::kiosk {

struct HeadsetRunOptions {
  std::filesystem::path package;
  std::vector<std::filesystem::path> trusted_keys;
  bool developer_mode = false;  // accept unsigned packages (previews only)
  bool validation = false;      // the Khronos Vulkan validation layer
  uint64_t max_frames = 0;      // 0: until the session ends
};

struct HeadsetRunReport {
  uint64_t frames_drawn = 0;
  uint32_t validation_messages = 0;
};

// Fails with one sentence when there is no OpenXR runtime or no headset, or when the package
// cannot be shown.
Result<HeadsetRunReport> run_on_headset(const HeadsetRunOptions& options);

}  // namespace pavilion::kiosk
