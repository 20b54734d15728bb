// The OpenXR side of HeadsetSession and HeadsetPanel, private to engine/xr.
#pragma once

#include "swapchain.h"
#include "controller_actions.h"
#include "xr_state.h"

#include <array>
#include <optional>
#include <string>

namespace pavilion::xr {

struct HeadsetPanel::State {
  HeadsetSession::State* session = nullptr;  // null once the session is gone
  Swapchain swapchain;
  glm::mat4 panel_to_world{1.0f};
  float width_metres = 0.0f;  // 0: not placed, not shown
  uint32_t shown_rows = 0;    // 0: all
  bool drawn_this_frame = false;

  // The panel as a quad layer in `stage`, if it was drawn this frame and is placed; it is shown
  // once: the next frame must draw it again.
  bool quad_layer(XrSpace stage, const glm::mat4& world_to_stage, XrCompositionLayerQuad& quad);
};

struct HeadsetSession::State {
  static constexpr size_t max_panels = 4;

  Headset::State& headset;
  render::GpuContext& context;
  XrSession session = XR_NULL_HANDLE;
  XrSpace stage = XR_NULL_HANDLE;  // STAGE where the runtime has one, LOCAL otherwise
  XrReferenceSpaceCreateInfo stage_info{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};  // how it was made
  VkFormat format = VK_FORMAT_UNDEFINED;
  Swapchain eyes;
  std::optional<Swapchain> eye_depth;  // where the runtime takes the scene's depth
  std::array<HeadsetPanel::State*, max_panels> panels{};
  XrSessionState state = XR_SESSION_STATE_UNKNOWN;
  bool running = false;
  SessionPhase phase = SessionPhase::waiting;
  XrFrameState frame{XR_TYPE_FRAME_STATE};
  bool frame_begun = false;
  double waited_seconds = 0;  // in the last xrWaitFrame
  std::array<XrView, 2> views{{{XR_TYPE_VIEW}, {XR_TYPE_VIEW}}};
  glm::mat4 stage_to_world{1.0f};  // the begun frame's
  ControllerActions controllers;
  HeadsetInput input;
  std::string interaction_profile;

  State(Headset::State& owner, render::GpuContext& gpu) : headset(owner), context(gpu) {}
  Result<XrResult> check(XrResult result, const char* call) const { return xr_check(headset.instance, result, call); }
  Result<void> end_frame(uint32_t layer_count, const XrCompositionLayerBaseHeader* const* layers);
};

}  // namespace pavilion::xr
