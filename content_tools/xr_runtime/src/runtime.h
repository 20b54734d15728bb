// The simulated headset's private state: what an OpenXR runtime keeps per instance. Handles given
// to the application are pointers to these objects; every entry point looks them up among the
// live ones before use, so a stale or made-up handle is refused, never followed.
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <glm/gtc/quaternion.hpp>
#include <glm/vec3.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
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
  uint64_t lose_session_after_frames = 0;  // PAVILION_XR_SIM_LOSE_AFTER_FRAMES=N: the headset drops out
  // Headless capture: PAVILION_XR_SIM_CAPTURE_DIR=folder and PAVILION_XR_SIM_CAPTURE_FRAMES=1,5
  // write what each eye sees at those frames (counted from 1) to folder/frame-N-left.png, -right.png.
  std::string capture_folder;
  std::vector<uint64_t> capture_frames;
};

HeadsetSettings read_headset_settings();

struct Instance {
  bool vulkan_enable2 = false;
  HeadsetSettings headset;
  bool vulkan_requirements_asked = false;  // the application must ask before it makes a device
  VkInstance vulkan_instance = VK_NULL_HANDLE;  // the one xrGetVulkanGraphicsDevice2KHR was asked about
  std::mutex mutex;
  std::deque<XrEventDataBuffer> events;
  std::vector<std::string> paths;  // XrPath n is paths[n - 1]
};

// The instance behind `handle`, or null when it is not one of ours (XR_ERROR_HANDLE_INVALID).
Instance* instance_from(XrInstance handle);

// Live objects of one kind, found by the handle the application holds (the object's address).
template <class Object>
class Registry {
 public:
  Object* add(std::unique_ptr<Object> object) {
    const std::lock_guard lock(mutex_);
    objects_.push_back(std::move(object));
    return objects_.back().get();
  }
  Object* find(const void* handle) {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(objects_.begin(), objects_.end(), [&](const auto& object) { return object.get() == handle; });
    return found == objects_.end() ? nullptr : found->get();
  }
  bool remove(const void* handle) {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(objects_.begin(), objects_.end(), [&](const auto& object) { return object.get() == handle; });
    if (found == objects_.end()) return false;
    objects_.erase(found);
    return true;
  }
  // Removes every object `doomed` says goes with its owner (a destroyed session's spaces).
  template <class Predicate>
  void remove_if(Predicate doomed) {
    const std::lock_guard lock(mutex_);
    std::erase_if(objects_, [&](const auto& object) { return doomed(*object); });
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Object>> objects_;
};

// The Vulkan objects the compositor reads swapchains back with (compositor.cpp).
struct Readback;
struct ReadbackDeleter {
  void operator()(Readback* readback) const;
};

struct Pose {
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 position{0.0f};
};

// One session: its Vulkan binding, where it stands in the lifecycle and the frame loop.
struct Session {
  Instance* instance = nullptr;
  XrGraphicsBindingVulkanKHR binding{};
  XrSessionState state = XR_SESSION_STATE_UNKNOWN;
  bool running = false;         // between xrBeginSession and xrEndSession
  bool exit_requested = false;
  bool lost = false;
  XrTime now = 0;               // the virtual display clock, advanced a frame per xrWaitFrame
  uint64_t frames_waited = 0;
  uint64_t frames_begun = 0;
  uint64_t frames_ended = 0;
  Pose head;                    // in STAGE space
  std::unique_ptr<Readback, ReadbackDeleter> readback;  // made at the first capture
};

struct Space {
  Session* session = nullptr;
  XrReferenceSpaceType type = XR_REFERENCE_SPACE_TYPE_STAGE;
  Pose pose_in_reference;
};

Session* session_from(XrSession handle);

// The image of `swapchain` the application released last: what a layer naming it shows.
struct ReleasedImage {
  VkImage image = VK_NULL_HANDLE;
  VkFormat format = VK_FORMAT_UNDEFINED;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t layers = 0;
};
bool last_released_image(XrSwapchain swapchain, ReleasedImage& out);

// Composes the frame's layers into each eye's picture and writes them as PNG files, when the
// headset settings ask for this frame. Vulkan failures come back as XR_ERROR_RUNTIME_FAILURE.
XrResult capture_frame(Session& session, const XrFrameEndInfo& frame, uint64_t frame_number);

}  // namespace pavilion::xr_runtime
