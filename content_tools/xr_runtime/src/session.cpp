// Sessions, their lifecycle and frame loop, and reference spaces.
//
// The lifecycle follows the specification's state machine: a new session is IDLE then READY;
// xrBeginSession starts it, and the first xrWaitFrame takes it through SYNCHRONIZED and VISIBLE
// to FOCUSED; xrRequestExitSession (or the headset being taken off) takes it back to STOPPING,
// where xrEndSession makes it IDLE (and EXITING when the application asked to exit). A scripted
// loss (PAVILION_XR_SIM_LOSE_AFTER_FRAMES) reports LOSS_PENDING, after which the session answers
// XR_ERROR_SESSION_LOST. Time is virtual: each xrWaitFrame advances the display clock by one
// 90 Hz frame, so a scripted run is the same every time.
#include "entry_points.h"

#include <glm/gtc/matrix_transform.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>
#include <optional>

namespace pavilion::xr_runtime {
namespace {

Registry<Session> sessions;
Registry<Space> spaces;

constexpr XrDuration frame_period = 11'111'111;  // 90 Hz, in nanoseconds
constexpr XrTime first_frame_time = 1'000'000'000;
constexpr float interpupillary_distance = 0.064f;
constexpr uint32_t max_layers = 16;

constexpr std::array<XrReferenceSpaceType, 3> reference_spaces{
    XR_REFERENCE_SPACE_TYPE_VIEW, XR_REFERENCE_SPACE_TYPE_LOCAL, XR_REFERENCE_SPACE_TYPE_STAGE};

void change_state(Session& session, XrSessionState state) {
  session.state = state;
  XrEventDataBuffer buffer{XR_TYPE_EVENT_DATA_BUFFER};
  auto& changed = reinterpret_cast<XrEventDataSessionStateChanged&>(buffer);
  changed = {XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED, nullptr, handle_of<XrSession>(session), state,
             session.now};
  post_event(*session.instance, buffer);
}

// Checks a session handle and that the session still exists for the caller's purposes.
XrResult usable(XrSession handle, Session*& session) {
  session = session_from(handle);
  if (session == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  return XR_SUCCESS;
}

Pose to_pose(const XrPosef& pose) {
  return {glm::quat(pose.orientation.w, pose.orientation.x, pose.orientation.y, pose.orientation.z),
          glm::vec3(pose.position.x, pose.position.y, pose.position.z)};
}

bool valid_pose(const XrPosef& pose) {
  const XrQuaternionf& q = pose.orientation;
  const float length = std::sqrt(q.x * q.x + q.y * q.y + q.z * q.z + q.w * q.w);
  return std::abs(length - 1.0f) < 0.01f;
}

// Where a reference space's origin is in STAGE space: the stage's centre on the floor; LOCAL at
// the head's place and heading (level) when the session started or the visitor last recentred;
// VIEW the head itself.
Pose reference_origin(const Session& session, XrReferenceSpaceType type) {
  switch (type) {
    case XR_REFERENCE_SPACE_TYPE_VIEW: return session.sample.head;
    case XR_REFERENCE_SPACE_TYPE_LOCAL: return session.local_origin;
    default: return {};
  }
}

// Where a space is in STAGE space, or nullopt when it follows a controller that is not tracked.
std::optional<Pose> in_stage(const Space& space) {
  if (space.action == 0) return compose(reference_origin(*space.session, space.type), space.pose_in_reference);
  const HandState* hand = action_space_hand(*space.session, space);
  if (hand == nullptr) return std::nullopt;
  return compose(hand->pose, space.pose_in_reference);
}

// The head's place with only its heading: LOCAL stays level however the head was tilted.
Pose level(const Pose& head) {
  const glm::vec3 ahead = head.orientation * glm::vec3(0, 0, -1);
  const float yaw = std::atan2(-ahead.x, -ahead.z);
  return {glm::angleAxis(yaw, glm::vec3(0, 1, 0)), head.position};
}

// Moves LOCAL to where the head is now and tells the application, with LOCAL's new pose in its
// old one, as a runtime does when the visitor recentres from the system menu.
void recenter(Session& session) {
  const Pose before = session.local_origin;
  session.local_origin = level(session.sample.head);
  XrEventDataBuffer buffer{XR_TYPE_EVENT_DATA_BUFFER};
  auto& pending = reinterpret_cast<XrEventDataReferenceSpaceChangePending&>(buffer);
  pending = {XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING};
  pending.session = handle_of<XrSession>(session);
  pending.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_LOCAL;
  pending.changeTime = session.now;
  pending.poseValid = XR_TRUE;
  pending.poseInPreviousSpace = to_xr(compose(inverse(before), session.local_origin));
  post_event(*session.instance, buffer);
}

// Takes a running session through STOPPING, as when the visitor quits or takes the headset off.
void stop(Session& session) {
  if (session.state == XR_SESSION_STATE_FOCUSED) change_state(session, XR_SESSION_STATE_VISIBLE);
  if (session.state == XR_SESSION_STATE_VISIBLE) change_state(session, XR_SESSION_STATE_SYNCHRONIZED);
  if (session.state != XR_SESSION_STATE_STOPPING) change_state(session, XR_SESSION_STATE_STOPPING);
}

}  // namespace

Session* session_from(XrSession handle) { return sessions.find(handle); }

void destroy_sessions_of(const Instance& instance) {
  spaces.remove_if([&](const Space& space) { return space.session->instance == &instance; });
  sessions.remove_if([&](const Session& session) {
    if (session.instance != &instance) return false;
    destroy_swapchains_of(session);
    return true;
  });
}

XrResult XRAPI_CALL create_session(XrInstance handle, const XrSessionCreateInfo* info, XrSession* out) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_SESSION_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (info->systemId != headset_system || !instance->headset.present) return XR_ERROR_SYSTEM_INVALID;
  const auto* binding = static_cast<const XrGraphicsBindingVulkanKHR*>(info->next);
  // A headless session (no graphics binding) needs an extension this runtime does not offer.
  if (binding == nullptr || binding->type != XR_TYPE_GRAPHICS_BINDING_VULKAN_KHR) return XR_ERROR_GRAPHICS_DEVICE_INVALID;
  {
    const std::lock_guard lock(instance->mutex);
    if (!instance->vulkan_requirements_asked) return XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING;
  }
  if (binding->instance == VK_NULL_HANDLE || binding->physicalDevice == VK_NULL_HANDLE || binding->device == VK_NULL_HANDLE) {
    return XR_ERROR_GRAPHICS_DEVICE_INVALID;
  }
  auto session = std::make_unique<Session>();
  if (instance->headset.desktop) {
    std::string error;
    session->desktop = open_desktop_preview(instance->headset, error);
    if (!session->desktop) {
      std::fprintf(stderr, "Pavilion simulated headset: %s\n", error.c_str());
      return XR_ERROR_RUNTIME_FAILURE;
    }
  }
  const HeadsetSettings& headset = instance->headset;
  if (!headset.desktop && headset.capture_folder.empty() && headset.end_session_at_frame == 0) {
    // A developer's first run: nothing on screen and no end. Said once, so that a healthy session
    // (frames served as fast as the application draws them) does not pass for a stalled one.
    std::fprintf(stderr,
                 "Pavilion simulated headset: headless, so no window shows the frames (PAVILION_XR_SIM_MODE=desktop "
                 "opens one); the session runs until the application ends it, or until the frame named by "
                 "PAVILION_XR_SIM_END_SESSION_AT_FRAME\n");
  }
  session->instance = instance;
  session->binding = *binding;
  session->binding.next = nullptr;
  session->now = first_frame_time;
  session->sample = sample_timeline(instance->headset.timeline, 1);
  session->local_origin = level(session->sample.head);
  Session* created = sessions.add(std::move(session));
  *out = handle_of<XrSession>(*created);
  change_state(*created, XR_SESSION_STATE_IDLE);
  change_state(*created, XR_SESSION_STATE_READY);
  return XR_SUCCESS;
}

XrResult XRAPI_CALL destroy_session(XrSession handle) {
  Session* session = session_from(handle);
  if (session == nullptr) return XR_ERROR_HANDLE_INVALID;
  spaces.remove_if([&](const Space& space) { return space.session == session; });
  destroy_swapchains_of(*session);
  sessions.remove(handle);
  return XR_SUCCESS;
}

XrResult XRAPI_CALL begin_session(XrSession handle, const XrSessionBeginInfo* info) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_SESSION_BEGIN_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (info->primaryViewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) {
    return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  }
  if (session->running) return XR_ERROR_SESSION_RUNNING;
  if (session->state != XR_SESSION_STATE_READY) return XR_ERROR_SESSION_NOT_READY;
  session->running = true;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL end_session(XrSession handle) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (session->state != XR_SESSION_STATE_STOPPING) return XR_ERROR_SESSION_NOT_STOPPING;
  session->running = false;
  change_state(*session, XR_SESSION_STATE_IDLE);
  // Exiting only when the application asked; otherwise the headset may come back (READY again).
  change_state(*session, session->exit_requested ? XR_SESSION_STATE_EXITING : XR_SESSION_STATE_READY);
  return XR_SUCCESS;
}

XrResult XRAPI_CALL request_exit_session(XrSession handle) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  session->exit_requested = true;
  stop(*session);
  return XR_SUCCESS;
}

XrResult XRAPI_CALL wait_frame(XrSession handle, const XrFrameWaitInfo* info, XrFrameState* state) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (state == nullptr || state->type != XR_TYPE_FRAME_STATE || (info != nullptr && info->type != XR_TYPE_FRAME_WAIT_INFO)) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  const uint64_t lose_after = session->instance->headset.lose_session_after_frames;
  if (lose_after > 0 && session->frames_waited >= lose_after) {
    session->lost = true;
    change_state(*session, XR_SESSION_STATE_LOSS_PENDING);
    return XR_ERROR_SESSION_LOST;
  }
  ++session->frames_waited;
  session->now += frame_period;
  const Timeline& timeline = session->instance->headset.timeline;
  if (session->desktop) {
    // A person is watching: frames come at the headset's pace, and the mouse and keys move it.
    std::this_thread::sleep_until(session->desktop_next_frame);
    session->desktop_next_frame = std::max(session->desktop_next_frame + std::chrono::nanoseconds(frame_period),
                                           std::chrono::steady_clock::now());
    if (!read_desktop_controls(*session->desktop, eyes_in_stage(*session), session->sample) &&
        session->state == XR_SESSION_STATE_FOCUSED) {
      session->exit_requested = true;
      stop(*session);
    }
  } else {
    session->sample = sample_timeline(timeline, session->frames_waited);
  }
  if (timeline.recenter_at_frame > 0 && session->frames_waited == timeline.recenter_at_frame) recenter(*session);
  const uint64_t end_at = session->instance->headset.end_session_at_frame;
  if (end_at > 0 && session->frames_waited == end_at) {
    // The visitor quit from the headset's own menu: the session stops and then exits.
    session->exit_requested = true;
    stop(*session);
  }
  if (session->state == XR_SESSION_STATE_READY) {
    change_state(*session, XR_SESSION_STATE_SYNCHRONIZED);
    change_state(*session, XR_SESSION_STATE_VISIBLE);
    change_state(*session, XR_SESSION_STATE_FOCUSED);
  }
  state->predictedDisplayTime = session->now;
  state->predictedDisplayPeriod = frame_period;
  state->shouldRender = session->state == XR_SESSION_STATE_VISIBLE || session->state == XR_SESSION_STATE_FOCUSED;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL begin_frame(XrSession handle, const XrFrameBeginInfo* info) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (info != nullptr && info->type != XR_TYPE_FRAME_BEGIN_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (session->frames_begun >= session->frames_waited) return XR_ERROR_CALL_ORDER_INVALID;
  // A frame begun and never ended is dropped in favour of this one.
  const bool discarded = session->frames_begun > session->frames_ended;
  session->frames_begun = session->frames_waited;
  if (discarded) session->frames_ended = session->frames_begun - 1;
  return discarded ? XR_FRAME_DISCARDED : XR_SUCCESS;
}

XrResult XRAPI_CALL end_frame(XrSession handle, const XrFrameEndInfo* info) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_FRAME_END_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (!session->running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (session->frames_ended >= session->frames_begun) return XR_ERROR_CALL_ORDER_INVALID;
  if (info->displayTime <= 0) return XR_ERROR_TIME_INVALID;
  const HeadsetSettings& headset = session->instance->headset;
  const XrEnvironmentBlendMode offered = headset.augmented_reality ? headset.ar_blend : XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  if (info->environmentBlendMode != offered) return XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED;
  if (info->layerCount > max_layers) return XR_ERROR_LAYER_LIMIT_EXCEEDED;
  if (info->layerCount > 0 && info->layers == nullptr) return XR_ERROR_LAYER_INVALID;
  for (uint32_t index = 0; index < info->layerCount; ++index) {
    if (info->layers[index] == nullptr) return XR_ERROR_LAYER_INVALID;
  }
  session->frames_ended = session->frames_begun;
  return present_frame(*session, *info, session->frames_ended);
}

XrResult XRAPI_CALL enumerate_reference_spaces(XrSession handle, uint32_t capacity, uint32_t* count,
                                               XrReferenceSpaceType* types) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  return fill_array(reference_spaces, capacity, count, types);
}

XrResult XRAPI_CALL create_reference_space(XrSession handle, const XrReferenceSpaceCreateInfo* info, XrSpace* out) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_REFERENCE_SPACE_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (std::find(reference_spaces.begin(), reference_spaces.end(), info->referenceSpaceType) == reference_spaces.end()) {
    return XR_ERROR_REFERENCE_SPACE_UNSUPPORTED;
  }
  if (!valid_pose(info->poseInReferenceSpace)) return XR_ERROR_POSE_INVALID;
  auto space = std::make_unique<Space>();
  space->session = session;
  space->type = info->referenceSpaceType;
  space->pose_in_reference = to_pose(info->poseInReferenceSpace);
  *out = handle_of<XrSpace>(*spaces.add(std::move(space)));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL create_action_space(XrSession handle, const XrActionSpaceCreateInfo* info, XrSpace* out) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_ACTION_SPACE_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (!valid_pose(info->poseInActionSpace)) return XR_ERROR_POSE_INVALID;
  auto space = std::make_unique<Space>();
  if (const XrResult checked = check_action_space(*session, *info, space->action); XR_FAILED(checked)) return checked;
  space->session = session;
  space->subaction_path = info->subactionPath;
  space->pose_in_reference = to_pose(info->poseInActionSpace);
  *out = handle_of<XrSpace>(*spaces.add(std::move(space)));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL destroy_space(XrSpace handle) {
  return spaces.remove(handle) ? XR_SUCCESS : XR_ERROR_HANDLE_INVALID;
}

XrResult XRAPI_CALL locate_space(XrSpace handle, XrSpace base_handle, XrTime time, XrSpaceLocation* location) {
  Space* space = spaces.find(handle);
  Space* base = spaces.find(base_handle);
  if (space == nullptr || base == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (space->session != base->session) return XR_ERROR_VALIDATION_FAILURE;
  if (space->session->lost) return XR_ERROR_SESSION_LOST;
  if (location == nullptr || location->type != XR_TYPE_SPACE_LOCATION) return XR_ERROR_VALIDATION_FAILURE;
  if (time <= 0) return XR_ERROR_TIME_INVALID;
  const std::optional<Pose> located = in_stage(*space);
  const std::optional<Pose> base_located = in_stage(*base);
  if (!located || !base_located) {
    location->locationFlags = 0;
    return XR_SUCCESS;
  }
  location->pose = to_xr(compose(inverse(*base_located), *located));
  location->locationFlags = XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT |
                            XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT | XR_SPACE_LOCATION_POSITION_TRACKED_BIT;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL locate_views(XrSession handle, const XrViewLocateInfo* info, XrViewState* state, uint32_t capacity,
                                 uint32_t* count, XrView* views) {
  Session* session = nullptr;
  if (const XrResult checked = usable(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || state == nullptr || info->type != XR_TYPE_VIEW_LOCATE_INFO || state->type != XR_TYPE_VIEW_STATE) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  if (info->viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) {
    return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  }
  if (info->displayTime <= 0) return XR_ERROR_TIME_INVALID;
  const Space* base = spaces.find(info->space);
  if (base == nullptr || base->session != session) return XR_ERROR_HANDLE_INVALID;
  const std::optional<Pose> base_in_stage = in_stage(*base);
  if (!base_in_stage) {  // views relative to an untracked controller are nowhere
    state->viewStateFlags = 0;
    return fill_array(std::array<XrView, 2>{}, capacity, count, views, [](XrView&, const XrView&) {});
  }
  const Pose base_from_stage = inverse(*base_in_stage);
  state->viewStateFlags = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT |
                          XR_VIEW_STATE_ORIENTATION_TRACKED_BIT | XR_VIEW_STATE_POSITION_TRACKED_BIT;
  return fill_array(eyes_in_stage(*session), capacity, count, views, [&](XrView& view, const EyeView& eye) {
    view.pose = to_xr(compose(base_from_stage, eye.pose));
    view.fov = eye.fov;
  });
}

std::array<EyeView, 2> eyes_in_stage(const Session& session) {
  // A little wider towards the temple, as headsets' lenses are.
  const std::array<XrFovf, 2> fovs{{{-0.87f, 0.78f, 0.82f, -0.85f}, {-0.78f, 0.87f, 0.82f, -0.85f}}};
  std::array<EyeView, 2> eyes;
  for (size_t eye = 0; eye < 2; ++eye) {
    const float side = eye == 0 ? -1.0f : 1.0f;
    const Pose eye_in_head{glm::quat(1, 0, 0, 0), glm::vec3(side * interpupillary_distance * 0.5f, 0, 0)};
    eyes[eye] = {compose(session.sample.head, eye_in_head), fovs[eye]};
  }
  return eyes;
}

std::optional<Pose> space_in_stage(XrSpace handle) {
  const Space* space = spaces.find(handle);
  if (space == nullptr) return std::nullopt;
  return in_stage(*space);
}

}  // namespace pavilion::xr_runtime
