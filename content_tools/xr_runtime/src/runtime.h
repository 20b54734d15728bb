// The simulated headset's private state: what an OpenXR runtime keeps per instance. Handles given
// to the application are pointers to these objects; every entry point looks them up among the
// live ones before use, so a stale or made-up handle is refused, never followed.
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace pavilion::xr_runtime {

// The one system this runtime offers: a stereo head-mounted display.
inline constexpr XrSystemId headset_system = 1;

// What the simulated headset is, from PAVILION_XR_SIM_* environment variables (read once per
// instance), so tests and curators can ask for an AR headset or for none at all.
struct HeadsetSettings {
  bool present = true;                 // PAVILION_XR_SIM_HEADSET=absent: no headset plugged in
  bool augmented_reality = false;      // PAVILION_XR_SIM_BLEND=additive|alpha: an AR headset
  XrEnvironmentBlendMode ar_blend = XR_ENVIRONMENT_BLEND_MODE_ADDITIVE;
  uint32_t eye_width = 640;            // PAVILION_XR_SIM_EYE=640x720: recommended per-eye size
  uint32_t eye_height = 720;
};

HeadsetSettings read_headset_settings();

struct Instance {
  std::string application_name;
  bool vulkan_enable2 = false;
  bool composition_layer_depth = false;
  HeadsetSettings headset;
  bool vulkan_requirements_asked = false;  // the application must ask before it makes a device
  VkInstance vulkan_instance = VK_NULL_HANDLE;  // the one xrGetVulkanGraphicsDevice2KHR was asked about
  std::mutex mutex;
  std::deque<XrEventDataBuffer> events;
  std::vector<std::string> paths;  // XrPath n is paths[n - 1]
};

// The instance behind `handle`, or null when it is not one of ours (XR_ERROR_HANDLE_INVALID).
Instance* instance_from(XrInstance handle);

}  // namespace pavilion::xr_runtime
