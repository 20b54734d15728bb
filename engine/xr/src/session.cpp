#include "controller_actions.h"
#include "xr_state.h"

#include "pavilion/core/log.h"
#include "pavilion/render/vulkan_check.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>

#include <cmath>

namespace pavilion::xr {

struct HeadsetSession::State {
  Headset::State& headset;
  render::GpuContext& context;
  XrSession session = XR_NULL_HANDLE;
  XrSpace stage = XR_NULL_HANDLE;  // STAGE where the runtime has one, LOCAL otherwise
  XrSwapchain swapchain = XR_NULL_HANDLE;
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkExtent2D extent{};
  struct SwapchainImage {
    VkImage image = VK_NULL_HANDLE;
    VkImageView array_view = VK_NULL_HANDLE;
    std::array<VkImageView, 2> layer_views{};
  };
  std::vector<SwapchainImage> images;
  XrSessionState state = XR_SESSION_STATE_UNKNOWN;
  bool running = false;
  SessionPhase phase = SessionPhase::waiting;
  XrFrameState frame{XR_TYPE_FRAME_STATE};
  bool frame_begun = false;
  std::array<XrView, 2> views{{{XR_TYPE_VIEW}, {XR_TYPE_VIEW}}};
  glm::mat4 stage_to_world{1.0f};  // the begun frame's
  ControllerActions controllers;
  HeadsetInput input;
  std::string interaction_profile;

  State(Headset::State& owner, render::GpuContext& gpu) : headset(owner), context(gpu) {}
  Result<XrResult> check(XrResult result, const char* call) const { return xr_check(headset.instance, result, call); }
  Result<void> end_frame(uint32_t layer_count, const XrCompositionLayerBaseHeader* const* layers);
};

namespace {

Result<VkImageView> make_view(VkDevice device, VkImage image, VkFormat format, VkImageViewType type, uint32_t first_layer,
                              uint32_t layers) {
  VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  info.image = image;
  info.viewType = type;
  info.format = format;
  info.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, first_layer, layers};
  VkImageView view = VK_NULL_HANDLE;
  PV_TRY(render::vk_check(vkCreateImageView(device, &info, nullptr, &view), "vkCreateImageView")
             .add_context("viewing a headset swapchain image"));
  return view;
}

}  // namespace

HeadsetSession::HeadsetSession(std::unique_ptr<State> state) : state_(std::move(state)) {}

HeadsetSession::~HeadsetSession() {
  State& s = *state_;
  // The GPU may still be drawing into the swapchain's images.
  static_cast<void>(s.context.wait_idle());
  for (const State::SwapchainImage& image : s.images) {
    vkDestroyImageView(s.context.device(), image.array_view, nullptr);
    for (const VkImageView view : image.layer_views) vkDestroyImageView(s.context.device(), view, nullptr);
  }
  s.controllers = {};  // its spaces and actions go before the session
  if (s.swapchain != XR_NULL_HANDLE) xrDestroySwapchain(s.swapchain);
  if (s.stage != XR_NULL_HANDLE) xrDestroySpace(s.stage);
  if (s.session != XR_NULL_HANDLE) xrDestroySession(s.session);
}

Result<std::unique_ptr<HeadsetSession>> HeadsetSession::create(Headset& headset, render::GpuContext& context) {
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
  PV_TRY(s.check(xrCreateSession(s.headset.instance, &info, &s.session), "xrCreateSession").add_context(step));

  uint32_t count = 0;
  PV_TRY(s.check(xrEnumerateReferenceSpaces(s.session, 0, &count, nullptr), "xrEnumerateReferenceSpaces"));
  std::vector<XrReferenceSpaceType> spaces(count);
  PV_TRY(s.check(xrEnumerateReferenceSpaces(s.session, count, &count, spaces.data()), "xrEnumerateReferenceSpaces"));
  // A room-scale stage puts the floor where it is; a seated (LOCAL) headset gets a floor 1.6 m down.
  const bool has_stage = std::find(spaces.begin(), spaces.end(), XR_REFERENCE_SPACE_TYPE_STAGE) != spaces.end();
  XrReferenceSpaceCreateInfo space_info{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  space_info.referenceSpaceType = has_stage ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
  space_info.poseInReferenceSpace.orientation.w = 1.0f;
  if (!has_stage) space_info.poseInReferenceSpace.position.y = -1.6f;
  PV_TRY(s.check(xrCreateReferenceSpace(s.session, &space_info, &s.stage), "xrCreateReferenceSpace").add_context(step));
  PV_TRY_ASSIGN(s.controllers, ControllerActions::create(s.headset, s.session));

  PV_TRY(s.check(xrEnumerateSwapchainFormats(s.session, 0, &count, nullptr), "xrEnumerateSwapchainFormats"));
  std::vector<int64_t> formats(count);
  PV_TRY(s.check(xrEnumerateSwapchainFormats(s.session, count, &count, formats.data()), "xrEnumerateSwapchainFormats"));
  // sRGB, as every target the renderer draws into: tonemapping writes linear light for it to encode.
  for (const VkFormat wanted : {VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_B8G8R8A8_SRGB}) {
    if (std::find(formats.begin(), formats.end(), wanted) != formats.end()) {
      s.format = wanted;
      break;
    }
  }
  if (s.format == VK_FORMAT_UNDEFINED) {
    return Error(ErrorCode::unsupported, step, "the headset's runtime offers no 8-bit sRGB swapchain format");
  }
  s.extent = s.headset.eye_extent;
  XrSwapchainCreateInfo swapchain_info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
  swapchain_info.usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT;
  swapchain_info.format = s.format;
  swapchain_info.sampleCount = 1;
  swapchain_info.width = s.extent.width;
  swapchain_info.height = s.extent.height;
  swapchain_info.faceCount = 1;
  swapchain_info.arraySize = 2;  // both eyes in one image: one multiview pass draws them
  swapchain_info.mipCount = 1;
  PV_TRY(s.check(xrCreateSwapchain(s.session, &swapchain_info, &s.swapchain), "xrCreateSwapchain").add_context(step));
  PV_TRY(s.check(xrEnumerateSwapchainImages(s.swapchain, 0, &count, nullptr), "xrEnumerateSwapchainImages"));
  std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  PV_TRY(s.check(xrEnumerateSwapchainImages(s.swapchain, count, &count,
                                            reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())),
                 "xrEnumerateSwapchainImages"));
  for (const XrSwapchainImageVulkan2KHR& image : images) {
    State::SwapchainImage& views = s.images.emplace_back();
    views.image = image.image;
    PV_TRY_ASSIGN(views.array_view,
                  make_view(context.device(), image.image, s.format, VK_IMAGE_VIEW_TYPE_2D_ARRAY, 0, 2));
    for (uint32_t layer = 0; layer < 2; ++layer) {
      PV_TRY_ASSIGN(views.layer_views[layer],
                    make_view(context.device(), image.image, s.format, VK_IMAGE_VIEW_TYPE_2D, layer, 1));
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
  const XrResult waited = xrWaitFrame(s.session, nullptr, &s.frame);
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

Result<void> HeadsetSession::pulse(Hand hand, float seconds, float amplitude) {
  return state_->controllers.pulse(state_->session, hand, seconds, amplitude);
}

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
  uint32_t index = 0;
  PV_TRY(s.check(xrAcquireSwapchainImage(s.swapchain, nullptr, &index), "xrAcquireSwapchainImage"));
  XrSwapchainImageWaitInfo wait{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
  wait.timeout = 1'000'000'000;  // a second: a compositor that holds an image longer has hung
  PV_TRY_ASSIGN(const XrResult waited, s.check(xrWaitSwapchainImage(s.swapchain, &wait), "xrWaitSwapchainImage"));
  if (waited == XR_TIMEOUT_EXPIRED) {
    return Error(ErrorCode::gpu, "xrWaitSwapchainImage", "the headset's compositor held the image for over a second");
  }
  render::AcquiredImage acquired;
  acquired.index = index;
  acquired.image.image = s.images[index].image;
  acquired.image.view = s.images[index].array_view;
  acquired.image.format = s.format;
  acquired.image.extent = s.extent;
  acquired.image.layers = 2;
  acquired.image.layer_views = s.images[index].layer_views;
  // OpenXR's Vulkan binding takes colour images back in this layout.
  acquired.image.layout_after_render = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  return std::optional(acquired);
}

void HeadsetSession::record_after_render(VkCommandBuffer, const render::AcquiredImage&) {}

Result<void> HeadsetSession::present(const render::AcquiredImage&) {
  State& s = *state_;
  PV_TRY(s.check(xrReleaseSwapchainImage(s.swapchain, nullptr), "xrReleaseSwapchainImage"));
  std::array<XrCompositionLayerProjectionView, 2> views{{{XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW},
                                                         {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW}}};
  for (uint32_t eye = 0; eye < 2; ++eye) {
    views[eye].pose = s.views[eye].pose;
    views[eye].fov = s.views[eye].fov;
    views[eye].subImage.swapchain = s.swapchain;
    views[eye].subImage.imageRect = {{0, 0}, {static_cast<int32_t>(s.extent.width), static_cast<int32_t>(s.extent.height)}};
    views[eye].subImage.imageArrayIndex = eye;
  }
  XrCompositionLayerProjection layer{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
  // An alpha-blending AR headset lays the picture over the room by its alpha (premultiplied, as
  // the renderer's transparent background leaves it); VR and additive headsets ignore alpha.
  if (s.headset.blend == BlendMode::alpha_blend) layer.layerFlags = XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT;
  layer.space = s.stage;
  layer.viewCount = 2;
  layer.views = views.data();
  const std::array<const XrCompositionLayerBaseHeader*, 1> layers{reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer)};
  return s.end_frame(1, layers.data());
}

}  // namespace pavilion::xr
