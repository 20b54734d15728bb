#include "session_state.h"

#include "pavilion/core/log.h"
#include "pavilion/render/vulkan_check.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>

#include <chrono>
#include <cmath>
#include <limits>

namespace pavilion::xr {
namespace {

// Where a seated visitor's eyes are put above the scene's floor.
constexpr float standing_eye_height = 1.6f;

}  // namespace

HeadsetSession::HeadsetSession(std::unique_ptr<State> state) : state_(std::move(state)) {}

HeadsetSession::~HeadsetSession() {
  State& s = *state_;
  // The GPU may still be drawing into the swapchain's images.
  static_cast<void>(s.context.wait_idle());
  s.eyes = {};
  s.eye_depth.reset();
  // Panels outliving the session (a precondition broken) at least do not reach into it.
  for (HeadsetPanel::State* panel : s.panels) {
    if (panel != nullptr) {
      panel->swapchain = {};
      panel->session = nullptr;
    }
  }
  s.controllers = {};  // its spaces and actions go before the session
  if (s.stage != XR_NULL_HANDLE) xrDestroySpace(s.stage);
  if (s.session != XR_NULL_HANDLE) xrDestroySession(s.session);
}

Result<std::unique_ptr<HeadsetSession>> HeadsetSession::create(Headset& headset, render::GpuContext& context,
                                                               const SessionOptions& options) {
  const char* step = "starting a headset session";
  auto state = std::make_unique<State>(*headset.state_, context);
  State& s = *state;
  std::unique_ptr<HeadsetSession> session(new HeadsetSession(std::move(state)));

  XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
  binding.instance = context.instance();
  binding.physicalDevice = context.physical_device();
  binding.device = context.device();
  binding.queueFamilyIndex = context.queue_family();
  binding.queueIndex = 0;
  XrSessionCreateInfo info{XR_TYPE_SESSION_CREATE_INFO};
  info.next = &binding;
  info.systemId = s.headset.system;
  if (const XrResult created = xrCreateSession(s.headset.instance, &info, &s.session); XR_FAILED(created)) {
    const Error failure = s.check(created, "xrCreateSession").error();
    return Error(failure.code(), step,
                 fmt::format("The headset's OpenXR runtime could not start a session ({}); its own messages say why.",
                             failure.why()));
  }

  uint32_t count = 0;
  PV_TRY(s.check(xrEnumerateReferenceSpaces(s.session, 0, &count, nullptr), "xrEnumerateReferenceSpaces"));
  std::vector<XrReferenceSpaceType> spaces(count);
  PV_TRY(s.check(xrEnumerateReferenceSpaces(s.session, count, &count, spaces.data()), "xrEnumerateReferenceSpaces"));
  // A room-scale stage puts the floor where it is; seated (or without a stage), LOCAL starts at
  // the head, so the floor goes a standing eye height below it.
  const bool has_stage = std::find(spaces.begin(), spaces.end(), XR_REFERENCE_SPACE_TYPE_STAGE) != spaces.end();
  const bool use_stage = has_stage && !options.seated;
  XrReferenceSpaceCreateInfo& space_info = s.stage_info;
  space_info.referenceSpaceType = use_stage ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
  space_info.poseInReferenceSpace.orientation.w = 1.0f;
  if (!use_stage) space_info.poseInReferenceSpace.position.y = -standing_eye_height;
  PV_TRY(s.check(xrCreateReferenceSpace(s.session, &space_info, &s.stage), "xrCreateReferenceSpace").add_context(step));
  PV_TRY_ASSIGN(s.controllers, ControllerActions::create(s.headset, s.session));

  PV_TRY_ASSIGN(s.format, choose_srgb_format(s.headset.instance, s.session).add_context(step));
  // Both eyes in one image: one multiview pass draws them.
  PV_TRY_ASSIGN(s.eyes, Swapchain::create(s.headset.instance, s.session, context.device(), s.format,
                                          s.headset.eye_extent, 2)
                            .add_context(step));
  // The scene's depth too, where the runtime takes it: it reprojects a late frame with it, and
  // sorts panels against the scene.
  if (s.headset.depth_layers) {
    PV_TRY_ASSIGN(const std::optional<VkFormat> depth_format, find_depth_format(s.headset.instance, s.session));
    if (depth_format) {
      PV_TRY_ASSIGN(s.eye_depth, Swapchain::create(s.headset.instance, s.session, context.device(), *depth_format,
                                                   s.headset.eye_extent, 2)
                                     .add_context(step));
    }
  }
  return session;
}

Result<SessionPhase> HeadsetSession::poll_events() {
  State& s = *state_;
  XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
  for (;;) {
    PV_TRY_ASSIGN(const XrResult polled, s.check(xrPollEvent(s.headset.instance, &event), "xrPollEvent"));
    if (polled == XR_EVENT_UNAVAILABLE) break;
    if (event.type == XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING) s.phase = SessionPhase::lost;
    if (event.type == XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING) {
      // The visitor recentred from the headset's own menu: LOCAL (and a seated stage with it)
      // follows by itself; poses from the change time on are in the new space.
      const auto& pending = reinterpret_cast<const XrEventDataReferenceSpaceChangePending&>(event);
      log::info("xr", "the headset recentred its {} space", pending.referenceSpaceType == XR_REFERENCE_SPACE_TYPE_STAGE ? "stage" : "local");
    }
    if (event.type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED) {
      PV_TRY_ASSIGN(s.interaction_profile, s.controllers.interaction_profile(s.session));
      log::info("xr", "controllers: {}", s.interaction_profile.empty() ? "none bound" : s.interaction_profile);
    }
    if (event.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
      const auto& changed = reinterpret_cast<const XrEventDataSessionStateChanged&>(event);
      if (changed.session == s.session) {
        s.state = changed.state;
        switch (changed.state) {
          case XR_SESSION_STATE_READY: {
            XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
            begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
            PV_TRY(s.check(xrBeginSession(s.session, &begin), "xrBeginSession"));
            s.running = true;
            s.phase = SessionPhase::running;
            break;
          }
          case XR_SESSION_STATE_STOPPING:
            PV_TRY(s.check(xrEndSession(s.session), "xrEndSession"));
            s.running = false;
            s.phase = SessionPhase::waiting;
            break;
          case XR_SESSION_STATE_EXITING: s.phase = SessionPhase::exiting; break;
          case XR_SESSION_STATE_LOSS_PENDING: s.phase = SessionPhase::lost; break;
          default: break;
        }
      }
    }
    event = {XR_TYPE_EVENT_DATA_BUFFER};
  }
  return s.phase;
}

Result<void> HeadsetSession::request_exit() {
  State& s = *state_;
  if (!s.running) return {};
  PV_TRY(s.check(xrRequestExitSession(s.session), "xrRequestExitSession"));
  return {};
}

Result<std::optional<std::array<render::View, 2>>> HeadsetSession::begin_frame(const glm::mat4& stage_to_world) {
  State& s = *state_;
  s.frame = {XR_TYPE_FRAME_STATE};
  const auto wait_start = std::chrono::steady_clock::now();
  const XrResult waited = xrWaitFrame(s.session, nullptr, &s.frame);
  s.waited_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_start).count();
  if (waited == XR_ERROR_SESSION_LOST) {
    s.phase = SessionPhase::lost;
    return std::optional<std::array<render::View, 2>>{};
  }
  PV_TRY(s.check(waited, "xrWaitFrame"));
  PV_TRY(s.check(xrBeginFrame(s.session, nullptr), "xrBeginFrame"));
  s.frame_begun = true;
  if (!s.frame.shouldRender) return std::optional<std::array<render::View, 2>>{};

  // Every pose is for the moment the frame will be seen, not now.
  XrViewLocateInfo locate{XR_TYPE_VIEW_LOCATE_INFO};
  locate.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  locate.displayTime = s.frame.predictedDisplayTime;
  locate.space = s.stage;
  XrViewState view_state{XR_TYPE_VIEW_STATE};
  uint32_t count = 0;
  PV_TRY(s.check(xrLocateViews(s.session, &locate, &view_state, 2, &count, s.views.data()), "xrLocateViews"));
  constexpr XrViewStateFlags located = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
  if (count != 2 || (view_state.viewStateFlags & located) != located) return std::optional<std::array<render::View, 2>>{};
  s.stage_to_world = stage_to_world;
  const glm::mat4 world_to_stage = glm::inverse(stage_to_world);
  std::array<render::View, 2> views;
  for (size_t eye = 0; eye < 2; ++eye) {
    const XrPosef& pose = s.views[eye].pose;
    const XrFovf& fov = s.views[eye].fov;
    const render::FieldOfView tangents{std::tan(fov.angleLeft), std::tan(fov.angleRight), std::tan(fov.angleUp),
                                       std::tan(fov.angleDown)};
    const render::View in_stage = render::pose_view(to_glm(pose.position), to_glm(pose.orientation), tangents);
    views[eye] = {in_stage.view * world_to_stage, in_stage.projection};
  }
  return std::optional(views);
}

Result<const HeadsetInput*> HeadsetSession::read_input() {
  State& s = *state_;
  PV_TRY(s.controllers.read(s.session, s.stage, s.frame.predictedDisplayTime, s.stage_to_world, s.input));
  // The head is between the eyes, looking where they look.
  const glm::mat4 left = s.stage_to_world * to_matrix(s.views[0].pose);
  const glm::mat4 right = s.stage_to_world * to_matrix(s.views[1].pose);
  s.input.head_position = (glm::vec3(left[3]) + glm::vec3(right[3])) * 0.5f;
  s.input.head_forward = glm::normalize(-glm::vec3(left[2]));
  return &s.input;
}

Result<void> HeadsetSession::recenter() {
  State& s = *state_;
  // The head (between the eyes, level, on the floor) in the present stage becomes its new origin.
  const glm::vec3 head = (to_glm(s.views[0].pose.position) + to_glm(s.views[1].pose.position)) * 0.5f;
  const glm::vec3 ahead = to_glm(s.views[0].pose.orientation) * glm::vec3(0, 0, -1);
  const glm::quat heading = glm::angleAxis(std::atan2(-ahead.x, -ahead.z), glm::vec3(0, 1, 0));
  const XrPosef& old_pose = s.stage_info.poseInReferenceSpace;
  const glm::quat old_orientation = to_glm(old_pose.orientation);
  const glm::vec3 moved = to_glm(old_pose.position) + old_orientation * glm::vec3(head.x, 0.0f, head.z);
  const glm::quat turned = glm::normalize(old_orientation * heading);
  XrReferenceSpaceCreateInfo info = s.stage_info;
  info.poseInReferenceSpace.position = {moved.x, moved.y, moved.z};
  info.poseInReferenceSpace.orientation = {turned.x, turned.y, turned.z, turned.w};
  XrSpace recentred = XR_NULL_HANDLE;
  PV_TRY(s.check(xrCreateReferenceSpace(s.session, &info, &recentred), "xrCreateReferenceSpace").add_context("recentring"));
  xrDestroySpace(s.stage);
  s.stage = recentred;
  s.stage_info = info;
  return {};
}

Result<void> HeadsetSession::pulse(Hand hand, float seconds, float amplitude) {
  return state_->controllers.pulse(state_->session, hand, seconds, amplitude);
}

double HeadsetSession::last_wait_seconds() const { return state_->waited_seconds; }

double HeadsetSession::display_time_seconds() const { return static_cast<double>(state_->frame.predictedDisplayTime) * 1e-9; }

const std::string& HeadsetSession::interaction_profile() const { return state_->interaction_profile; }

Result<void> HeadsetSession::State::end_frame(uint32_t layer_count, const XrCompositionLayerBaseHeader* const* layers) {
  XrFrameEndInfo end{XR_TYPE_FRAME_END_INFO};
  end.displayTime = frame.predictedDisplayTime;
  end.environmentBlendMode = headset.xr_blend;
  end.layerCount = layer_count;
  end.layers = layers;
  frame_begun = false;
  const XrResult ended = xrEndFrame(session, &end);
  if (ended == XR_ERROR_SESSION_LOST) {
    phase = SessionPhase::lost;
    return {};
  }
  PV_TRY(check(ended, "xrEndFrame"));
  return {};
}

Result<void> HeadsetSession::skip_frame() {
  if (!state_->frame_begun) return {};
  return state_->end_frame(0, nullptr);
}

Result<std::optional<render::AcquiredImage>> HeadsetSession::acquire(uint32_t) {
  State& s = *state_;
  if (!s.frame_begun) return std::optional<render::AcquiredImage>{};
  PV_TRY_ASSIGN(render::AcquiredImage acquired, s.eyes.acquire());
  if (s.eye_depth) PV_TRY(s.eye_depth->acquire_depth(acquired.image));
  return std::optional(acquired);
}

void HeadsetSession::record_after_render(VkCommandBuffer, const render::AcquiredImage&) {}

Result<void> HeadsetSession::present(const render::AcquiredImage&) {
  State& s = *state_;
  PV_TRY(s.eyes.release());
  if (s.eye_depth) PV_TRY(s.eye_depth->release());
  std::array<XrCompositionLayerProjectionView, 2> views{{{XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW},
                                                         {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW}}};
  std::array<XrCompositionLayerDepthInfoKHR, 2> depths{{{XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR},
                                                        {XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR}}};
  for (uint32_t eye = 0; eye < 2; ++eye) {
    views[eye].pose = s.views[eye].pose;
    views[eye].fov = s.views[eye].fov;
    views[eye].subImage = s.eyes.sub_image(eye);
    if (!s.eye_depth) continue;
    // Reverse-Z with an infinite far plane: depth 0 is infinitely far, 1 the near plane.
    depths[eye].subImage = s.eye_depth->sub_image(eye);
    depths[eye].minDepth = 0.0f;
    depths[eye].maxDepth = 1.0f;
    depths[eye].nearZ = std::numeric_limits<float>::infinity();
    depths[eye].farZ = render::default_near_plane;
    views[eye].next = &depths[eye];
  }
  XrCompositionLayerProjection projection{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
  // An alpha-blending AR headset lays the picture over the room by its alpha (premultiplied, as
  // the renderer's transparent background leaves it); VR and additive headsets ignore alpha.
  if (s.headset.blend == BlendMode::alpha_blend) projection.layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT;
  projection.space = s.stage;
  projection.viewCount = 2;
  projection.views = views.data();
  // The scene first, then the panels drawn this frame over it, as quads in the stage.
  std::array<const XrCompositionLayerBaseHeader*, 1 + State::max_panels> layers{
      reinterpret_cast<const XrCompositionLayerBaseHeader*>(&projection)};
  std::array<XrCompositionLayerQuad, State::max_panels> quads{};
  uint32_t layer_count = 1;
  const glm::mat4 world_to_stage = glm::inverse(s.stage_to_world);
  for (HeadsetPanel::State* panel : s.panels) {
    if (panel == nullptr) continue;
    XrCompositionLayerQuad& quad = quads[layer_count - 1];
    if (!panel->quad_layer(s.stage, world_to_stage, quad)) continue;
    layers[layer_count++] = reinterpret_cast<const XrCompositionLayerBaseHeader*>(&quad);
  }
  return s.end_frame(layer_count, layers.data());
}

Result<std::unique_ptr<HeadsetPanel>> HeadsetSession::create_panel(VkExtent2D pixels) {
  State& s = *state_;
  const auto free_slot = std::find(s.panels.begin(), s.panels.end(), nullptr);
  if (free_slot == s.panels.end()) {
    return Error(ErrorCode::unsupported, "adding a headset panel", fmt::format("at most {} panels", State::max_panels));
  }
  PV_TRY_ASSIGN(Swapchain swapchain,
                Swapchain::create(s.headset.instance, s.session, s.context.device(), s.format, pixels, 1)
                    .add_context("adding a headset panel"));
  auto panel_state = std::make_unique<HeadsetPanel::State>();
  panel_state->session = &s;
  panel_state->swapchain = std::move(swapchain);
  *free_slot = panel_state.get();
  return std::unique_ptr<HeadsetPanel>(new HeadsetPanel(std::move(panel_state)));
}

}  // namespace pavilion::xr
