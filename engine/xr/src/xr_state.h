// The OpenXR side of Headset and HeadsetSession, private to engine/xr.
#pragma once

#include "pavilion/xr/headset.h"

#define XR_USE_GRAPHICS_API_VULKAN
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <glm/gtc/quaternion.hpp>

#include <source_location>
#include <string>
#include <vector>

namespace pavilion::xr {

// Every OpenXR result is checked here: failures (negative results) become errors naming the
// call and the result; qualified successes (XR_SESSION_LOSS_PENDING, XR_FRAME_DISCARDED…) are
// the caller's to look at.
Result<XrResult> xr_check(XrInstance instance, XrResult result, const char* call,
                          std::source_location where = std::source_location::current());

inline glm::vec3 to_glm(const XrVector3f& vector) { return {vector.x, vector.y, vector.z}; }
inline glm::quat to_glm(const XrQuaternionf& rotation) { return {rotation.w, rotation.x, rotation.y, rotation.z}; }
inline glm::mat4 to_matrix(const XrPosef& pose) {
  glm::mat4 matrix = glm::mat4_cast(to_glm(pose.orientation));
  matrix[3] = glm::vec4(to_glm(pose.position), 1.0f);
  return matrix;
}

struct Headset::State {
  XrInstance instance = XR_NULL_HANDLE;
  XrSystemId system = XR_NULL_SYSTEM_ID;
  std::string runtime_name;
  std::string system_name;
  BlendMode blend = BlendMode::opaque;
  XrEnvironmentBlendMode xr_blend = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  VkExtent2D eye_extent{};
  bool hand_interaction = false;  // XR_MSFT_hand_interaction enabled
  bool depth_layers = false;      // XR_KHR_composition_layer_depth enabled
  PFN_xrGetVulkanGraphicsRequirements2KHR graphics_requirements = nullptr;
  PFN_xrCreateVulkanInstanceKHR create_vulkan_instance = nullptr;
  PFN_xrGetVulkanGraphicsDevice2KHR graphics_device = nullptr;
  PFN_xrCreateVulkanDeviceKHR create_vulkan_device = nullptr;
};

}  // namespace pavilion::xr
