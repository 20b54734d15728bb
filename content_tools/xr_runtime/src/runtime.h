// The simulated headset's private state: what an OpenXR runtime keeps per instance. Handles given
// to the application are pointers to these objects; every entry point looks them up among the
// live ones before use, so a stale or made-up handle is refused, never followed.
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <glm/gtc/quaternion.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pavilion::xr_runtime {

// The one system this runtime offers: a stereo head-mounted display.
inline constexpr XrSystemId headset_system = 1;

struct Pose {
  glm::quat orientation{1.0f, 0.0f, 0.0f, 0.0f};
  glm::vec3 position{0.0f};
};

inline Pose compose(const Pose& parent, const Pose& child) {
  return {parent.orientation * child.orientation, parent.position + parent.orientation * child.position};
}

inline Pose inverse(const Pose& pose) {
  const glm::quat turned_back = glm::inverse(pose.orientation);
  return {turned_back, turned_back * -pose.position};
}

inline XrPosef to_xr(const Pose& pose) {
  return {{pose.orientation.x, pose.orientation.y, pose.orientation.z, pose.orientation.w},
          {pose.position.x, pose.position.y, pose.position.z}};
}

inline constexpr float standing_eye_height = 1.6f;

// One controller as the timeline holds it at a frame. Its pose is the aim pose (where a pointing
// ray starts and looks along −Z); the grip pose is the same, as a simple controller's is.
struct HandState {
  bool tracked = true;
  Pose pose;
  float trigger = 0.0f;   // 0..1
  float squeeze = 0.0f;   // 0..1
  glm::vec2 thumbstick{0.0f};  // also a Vive's trackpad
  bool thumbstick_click = false;
  bool menu = false;
  bool a = false;  // also X on a left Touch controller
  bool b = false;  // also Y
};

// Where the head and both hands are, and what is pressed, at one frame.
struct Sample {
  Pose head{glm::quat(1, 0, 0, 0), glm::vec3(0, standing_eye_height, 0)};
  std::array<HandState, 2> hands{{{true, {glm::quat(1, 0, 0, 0), glm::vec3(-0.2f, 1.2f, -0.3f)}},
                                  {true, {glm::quat(1, 0, 0, 0), glm::vec3(0.2f, 1.2f, -0.3f)}}}};
};

// A scripted visit (PAVILION_XR_SIM_TIMELINE=file.json, timeline.cpp): keyframes of head and
// controllers, the controllers' interaction profile, and when the visitor quits or the headset
// drops out.
struct Timeline {
  struct Key {
    uint64_t frame = 1;
    Sample sample;
  };
  std::string interaction_profile = "/interaction_profiles/oculus/touch_controller";
  std::vector<Key> keys;  // by frame
  uint64_t end_session_at_frame = 0;   // 0: never
  uint64_t recenter_at_frame = 0;      // the visitor holds the system button: LOCAL moves to the head
  uint64_t lose_session_at_frame = 0;  // 0: never
};

// Reads a timeline; false with `error` naming the file, keyframe and field when it is not one.
bool read_timeline(const std::string& file, Timeline& timeline, std::string& error);
// The state at `frame`: poses interpolated between the keyframes around it, buttons and sticks as
// the last keyframe at or before it left them.
Sample sample_timeline(const Timeline& timeline, uint64_t frame);

// What the simulated headset is, from PAVILION_XR_SIM_* environment variables (read once per
// instance), so tests and curators can ask for an AR headset or for none at all.
struct HeadsetSettings {
  bool present = true;                 // PAVILION_XR_SIM_HEADSET=absent: no headset plugged in
  bool desktop = false;                // PAVILION_XR_SIM_MODE=desktop: a window, mouse and keyboard
  bool augmented_reality = false;      // PAVILION_XR_SIM_BLEND=additive|alpha: an AR headset
  XrEnvironmentBlendMode ar_blend = XR_ENVIRONMENT_BLEND_MODE_ADDITIVE;
  uint32_t eye_width = 640;            // PAVILION_XR_SIM_EYE=640x720: recommended per-eye size
  uint32_t eye_height = 720;
  uint64_t lose_session_after_frames = 0;  // PAVILION_XR_SIM_LOSE_AFTER_FRAMES=N: the headset drops out
  // PAVILION_XR_SIM_END_SESSION_AT_FRAME=N (or the timeline's end_session_at_frame): the visitor
  // quits at frame N. 0: never, as on a worn headset, where only the application ends a session.
  uint64_t end_session_at_frame = 0;
  // Headless capture: PAVILION_XR_SIM_CAPTURE_DIR=folder and PAVILION_XR_SIM_CAPTURE_FRAMES=1,5
  // write what each eye sees at those frames (counted from 1) to folder/frame-N-left.png, -right.png.
  std::string capture_folder;
  std::vector<uint64_t> capture_frames;
  Timeline timeline;
};

// False with `error` when PAVILION_XR_SIM_TIMELINE names a file that is not a timeline.
bool read_headset_settings(HeadsetSettings& settings, std::string& error);

// A binding an application suggested: `binding` (/user/hand/right/input/trigger/value) drives `action`.
struct SuggestedBinding {
  XrAction action = XR_NULL_HANDLE;
  XrPath binding = XR_NULL_PATH;
};

struct Instance {
  uint64_t handle = 0;
  bool vulkan_enable2 = false;
  HeadsetSettings headset;
  bool vulkan_requirements_asked = false;  // the application must ask before it makes a device
  VkInstance vulkan_instance = VK_NULL_HANDLE;  // the one xrGetVulkanGraphicsDevice2KHR was asked about
  std::mutex mutex;
  std::deque<XrEventDataBuffer> events;
  bool hand_interaction = false;  // XR_MSFT_hand_interaction enabled
  bool depth_layers = false;      // XR_KHR_composition_layer_depth enabled
  std::vector<std::string> paths;  // XrPath n is paths[n - 1]
  // By interaction profile: the latest suggestion for each replaces the one before.
  std::vector<std::pair<XrPath, std::vector<SuggestedBinding>>> suggested_bindings;
};

// The text of `path`, or empty when it is not one of the instance's.
std::string path_text(Instance& instance, XrPath path);

// The instance behind `handle`, or null when it is not one of ours (XR_ERROR_HANDLE_INVALID).
Instance* instance_from(XrInstance handle);

// Handles are numbers never given out twice in the process's life: a destroyed object's handle
// stays dead, so an application or layer that remembers it is never confused by a newcomer that
// happens to reuse its memory.
inline std::atomic<uint64_t> next_handle{0x1000};

// Live objects of one kind (each with a `uint64_t handle` member), found by their handle.
template <class Object>
class Registry {
 public:
  Object* add(std::unique_ptr<Object> object) {
    const std::lock_guard lock(mutex_);
    object->handle = next_handle++;
    objects_.push_back(std::move(object));
    return objects_.back().get();
  }
  Object* find(const void* handle) {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(objects_.begin(), objects_.end(), [&](const auto& object) { return matches(*object, handle); });
    return found == objects_.end() ? nullptr : found->get();
  }
  bool remove(const void* handle) {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(objects_.begin(), objects_.end(), [&](const auto& object) { return matches(*object, handle); });
    if (found == objects_.end()) return false;
    objects_.erase(found);
    return true;
  }
  template <class Predicate>
  bool any(Predicate matches) {
    const std::lock_guard lock(mutex_);
    return std::any_of(objects_.begin(), objects_.end(), [&](const auto& object) { return matches(*object); });
  }
  // Removes every object `doomed` says goes with its owner (a destroyed session's spaces).
  template <class Predicate>
  void remove_if(Predicate doomed) {
    const std::lock_guard lock(mutex_);
    std::erase_if(objects_, [&](const auto& object) { return doomed(*object); });
  }

 private:
  static bool matches(const Object& object, const void* handle) { return object.handle == reinterpret_cast<uint64_t>(handle); }

  std::mutex mutex_;
  std::vector<std::unique_ptr<Object>> objects_;
};

// The handle the application holds for a registered object.
template <class Handle, class Object>
Handle handle_of(const Object& object) {
  return reinterpret_cast<Handle>(object.handle);
}

// One eye's composed picture.
struct Picture {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint8_t> rgba;  // sRGB-encoded bytes, premultiplied alpha (as layers are by default)
};

struct DesktopPreview;
struct DesktopPreviewDeleter {
  void operator()(DesktopPreview* preview) const;
};

// The Vulkan objects the compositor reads swapchains back with (compositor.cpp).
struct Readback;
struct ReadbackDeleter {
  void operator()(Readback* readback) const;
};

// Action sets and actions (input.cpp). A session keeps what it bound by their handles, which are
// never given out twice, so it stays recognisable even if the application destroys and remakes
// actions.
struct ActionSet {
  uint64_t handle = 0;
  Instance* instance = nullptr;
  std::string name;
  std::string localized_name;
  uint32_t priority = 0;
  bool attached = false;  // to a session: no more actions or suggested bindings for it
};

struct Action {
  uint64_t handle = 0;
  ActionSet* set = nullptr;
  std::string name;
  std::string localized_name;
  XrActionType type = XR_ACTION_TYPE_BOOLEAN_INPUT;
  std::vector<XrPath> subaction_paths;
};

// One input of the chosen interaction profile bound to an action, on one hand.
struct BoundInput {
  uint64_t action = 0;
  uint64_t action_set = 0;
  XrActionType type = XR_ACTION_TYPE_BOOLEAN_INPUT;
  size_t hand = 0;        // 0 left, 1 right
  std::string component;  // after /input/ or /output/: "trigger/value", "aim/pose", "haptic"
  XrPath binding = XR_NULL_PATH;
};

// An action's value on one hand as the last xrSyncActions found it.
struct ActionValue {
  uint64_t action = 0;
  size_t hand = 0;
  bool active = false;
  glm::vec2 value{0.0f};  // x alone for booleans (0 or 1) and floats
  bool changed = false;
  XrTime last_change = 0;
};

struct SessionInput {
  bool attached = false;
  std::vector<uint64_t> attached_sets;
  XrPath interaction_profile = XR_NULL_PATH;  // chosen at attachment from the suggested ones
  std::vector<BoundInput> bound;
  std::vector<ActionValue> values;
  std::vector<uint64_t> active_sets;  // as of the last sync
  uint64_t haptic_pulses = 0;
};

// One session: its Vulkan binding, where it stands in the lifecycle and the frame loop.
struct Session {
  uint64_t handle = 0;
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
  Sample sample;                // head and hands in STAGE space, at the frame last waited for
  Pose local_origin;            // LOCAL in STAGE: the head's place and heading when last centred
  SessionInput input;
  std::unique_ptr<Readback, ReadbackDeleter> readback;  // made at the first capture
  std::unique_ptr<DesktopPreview, DesktopPreviewDeleter> desktop;  // the desktop preview's window
  std::chrono::steady_clock::time_point desktop_next_frame{};
};

// A reference space, or (with `action` set) a space that follows a pose action's controller.
struct Space {
  uint64_t handle = 0;
  Session* session = nullptr;
  XrReferenceSpaceType type = XR_REFERENCE_SPACE_TYPE_STAGE;
  uint64_t action = 0;
  XrPath subaction_path = XR_NULL_PATH;
  Pose pose_in_reference;
};

// The hand a pose action's space follows now, or null when no tracked controller is bound to it.
const HandState* action_space_hand(const Session& session, const Space& space);

Session* session_from(XrSession handle);

// Where each eye is (in STAGE space) and what it sees, at the frame last waited for.
struct EyeView {
  Pose pose;
  XrFovf fov{};
};
std::array<EyeView, 2> eyes_in_stage(const Session& session);
// Where a space is in STAGE space now; nullopt for an unknown space or an untracked controller's.
std::optional<Pose> space_in_stage(XrSpace space);

// The image of `swapchain` the application released last: what a layer naming it shows.
struct ReleasedImage {
  VkImage image = VK_NULL_HANDLE;
  VkFormat format = VK_FORMAT_UNDEFINED;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t layers = 0;
};
bool last_released_image(XrSwapchain swapchain, ReleasedImage& out);

// Puts new swapchain images in the layout XR_KHR_vulkan_enable2 promises at their first acquire
// (a colour or depth attachment's), on the application's queue. False on a Vulkan failure.
bool prepare_new_images(Session& session, std::span<const VkImage> images, VkFormat format, uint32_t layers);

// Composes the frame's layers into each eye's picture; writes them as PNG files when the headset
// settings ask for this frame, and shows them in the desktop preview's window when it is open.
// Vulkan failures come back as XR_ERROR_RUNTIME_FAILURE.
XrResult present_frame(Session& session, const XrFrameEndInfo& frame, uint64_t frame_number);

// desktop.cpp: the curator's preview window (PAVILION_XR_SIM_MODE=desktop). Opened with the
// session (null without an X display, with `error` saying so); each xrWaitFrame reads its mouse
// and keyboard into the session's head and hands; each composed frame is shown in it.
std::unique_ptr<DesktopPreview, DesktopPreviewDeleter> open_desktop_preview(const HeadsetSettings& headset, std::string& error);
// Reads the window's events into `sample`; false when the curator closed the window (or pressed
// Escape): the session should end.
bool read_desktop_controls(DesktopPreview& preview, const std::array<EyeView, 2>& eyes, Sample& sample);
void show_on_desktop(DesktopPreview& preview, const std::array<Picture, 2>& eyes);

}  // namespace pavilion::xr_runtime
