// The visitor's controllers as OpenXR actions: one action set, suggested bindings for every
// controller Pavilion knows, and a space for each hand's aim and grip. Private to engine/xr.
#pragma once

#include "xr_state.h"

#include <array>
#include <string>

namespace pavilion::xr {

class ControllerActions {
 public:
  // Creates the actions, suggests their bindings and attaches them to `session`.
  static Result<ControllerActions> create(const Headset::State& headset, XrSession session);
  ControllerActions() = default;
  ControllerActions(ControllerActions&& other) noexcept;
  ControllerActions& operator=(ControllerActions&& other) noexcept;
  ~ControllerActions();

  // Syncs the actions and reads both hands at `time`, placed in the world by `stage_to_world`.
  Result<void> read(XrSession session, XrSpace stage, XrTime time, const glm::mat4& stage_to_world, HeadsetInput& out) const;
  Result<void> pulse(XrSession session, Hand hand, float seconds, float amplitude) const;
  // The profile the runtime chose for the hands, as a path; empty when none.
  Result<std::string> interaction_profile(XrSession session) const;

 private:
  friend struct ControllerActionsTable;  // the bindings table names the actions
  void destroy();

  XrInstance instance_ = XR_NULL_HANDLE;
  XrActionSet set_ = XR_NULL_HANDLE;
  XrAction select_ = XR_NULL_HANDLE;
  XrAction grab_ = XR_NULL_HANDLE;
  XrAction menu_ = XR_NULL_HANDLE;
  XrAction move_ = XR_NULL_HANDLE;
  XrAction aim_ = XR_NULL_HANDLE;
  XrAction grip_ = XR_NULL_HANDLE;
  XrAction haptic_ = XR_NULL_HANDLE;
  std::array<XrPath, 2> hands_{};
  std::array<XrSpace, 2> aim_spaces_{};
  std::array<XrSpace, 2> grip_spaces_{};
};

}  // namespace pavilion::xr
