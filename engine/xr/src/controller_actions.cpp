#include "controller_actions.h"

#include <glm/gtc/matrix_transform.hpp>

#include <cstring>
#include <utility>

namespace pavilion::xr {
namespace {

// Which input drives which action, controller by controller. A suffix names the same input on
// both hands unless `only_hand` names one ("/user/hand/left/").
struct BindingRow {
  XrAction ControllerActions::*action;
  const char* input;
  const char* only_hand = nullptr;
};

constexpr const char* left_hand = "/user/hand/left/";
constexpr const char* right_hand = "/user/hand/right/";

struct ProfileBindings {
  const char* profile;
  bool needs_hand_interaction;
  std::vector<BindingRow> rows;
};

}  // namespace

// Member pointers to private fields are taken inside the class's own scope.
struct ControllerActionsTable {
  static std::vector<ProfileBindings> profiles() {
    using A = ControllerActions;
    const std::vector<BindingRow> pose_and_haptic{
        {&A::aim_, "input/aim/pose"}, {&A::grip_, "input/grip/pose"}, {&A::haptic_, "output/haptic"}};
    const auto with = [&](std::vector<BindingRow> rows) {
      rows.insert(rows.end(), pose_and_haptic.begin(), pose_and_haptic.end());
      return rows;
    };
    return {
        {"/interaction_profiles/khr/simple_controller", false,
         with({{&A::select_, "input/select/click"}, {&A::menu_, "input/menu/click"}})},
        {"/interaction_profiles/oculus/touch_controller", false,
         with({{&A::select_, "input/trigger/value"}, {&A::grab_, "input/squeeze/value"},
               // The menu button is the left controller's only (the right's is the system's): B
               // is the right hand's, so back to the start is there for either hand alone.
               {&A::menu_, "input/menu/click", left_hand}, {&A::menu_, "input/b/click", right_hand},
               {&A::move_, "input/thumbstick"}})},
        {"/interaction_profiles/valve/index_controller", false,
         with({{&A::select_, "input/trigger/click"}, {&A::grab_, "input/squeeze/value"}, {&A::menu_, "input/b/click"},
               {&A::move_, "input/thumbstick"}})},
        {"/interaction_profiles/htc/vive_controller", false,
         with({{&A::select_, "input/trigger/click"}, {&A::grab_, "input/squeeze/click"}, {&A::menu_, "input/menu/click"},
               {&A::move_, "input/trackpad"}})},
        // Tracked hands: pinch selects, a fist grabs; there is no motor to buzz.
        {"/interaction_profiles/microsoft/hand_interaction", true,
         {{&A::select_, "input/select/value"}, {&A::grab_, "input/squeeze/value"}, {&A::aim_, "input/aim/pose"},
          {&A::grip_, "input/grip/pose"}}},
    };
  }
};

ControllerActions::ControllerActions(ControllerActions&& other) noexcept { *this = std::move(other); }

ControllerActions& ControllerActions::operator=(ControllerActions&& other) noexcept {
  if (this == &other) return *this;
  destroy();
  instance_ = std::exchange(other.instance_, XR_NULL_HANDLE);
  set_ = std::exchange(other.set_, XR_NULL_HANDLE);
  select_ = other.select_;
  grab_ = other.grab_;
  menu_ = other.menu_;
  move_ = other.move_;
  aim_ = other.aim_;
  grip_ = other.grip_;
  haptic_ = other.haptic_;
  hands_ = other.hands_;
  aim_spaces_ = std::exchange(other.aim_spaces_, {});
  grip_spaces_ = std::exchange(other.grip_spaces_, {});
  return *this;
}

ControllerActions::~ControllerActions() { destroy(); }

void ControllerActions::destroy() {
  for (const XrSpace space : aim_spaces_) {
    if (space != XR_NULL_HANDLE) xrDestroySpace(space);
  }
  for (const XrSpace space : grip_spaces_) {
    if (space != XR_NULL_HANDLE) xrDestroySpace(space);
  }
  aim_spaces_ = {};
  grip_spaces_ = {};
  // Destroying the set destroys its actions.
  if (set_ != XR_NULL_HANDLE) xrDestroyActionSet(set_);
  set_ = XR_NULL_HANDLE;
}

Result<ControllerActions> ControllerActions::create(const Headset::State& headset, XrSession session) {
  const char* step = "binding the headset's controllers";
  const XrInstance instance = headset.instance;
  const auto check = [&](XrResult result, const char* call) { return xr_check(instance, result, call); };
  ControllerActions made;
  made.instance_ = instance;
  PV_TRY(check(xrStringToPath(instance, "/user/hand/left", &made.hands_[0]), "xrStringToPath"));
  PV_TRY(check(xrStringToPath(instance, "/user/hand/right", &made.hands_[1]), "xrStringToPath"));

  XrActionSetCreateInfo set_info{XR_TYPE_ACTION_SET_CREATE_INFO};
  std::strcpy(set_info.actionSetName, "exhibition");
  std::strcpy(set_info.localizedActionSetName, "Exhibition");
  PV_TRY(check(xrCreateActionSet(instance, &set_info, &made.set_), "xrCreateActionSet").add_context(step));
  struct ActionRow {
    XrAction* action;
    const char* name;
    const char* localized;
    XrActionType type;
  };
  const std::array<ActionRow, 7> rows{{
      {&made.select_, "select", "Select", XR_ACTION_TYPE_BOOLEAN_INPUT},
      {&made.grab_, "grab", "Grab", XR_ACTION_TYPE_BOOLEAN_INPUT},
      {&made.menu_, "menu", "Menu", XR_ACTION_TYPE_BOOLEAN_INPUT},
      {&made.move_, "move", "Turn and teleport", XR_ACTION_TYPE_VECTOR2F_INPUT},
      {&made.aim_, "aim", "Aim", XR_ACTION_TYPE_POSE_INPUT},
      {&made.grip_, "grip", "Grip", XR_ACTION_TYPE_POSE_INPUT},
      {&made.haptic_, "haptic", "Haptic pulse", XR_ACTION_TYPE_VIBRATION_OUTPUT},
  }};
  for (const ActionRow& row : rows) {
    XrActionCreateInfo info{XR_TYPE_ACTION_CREATE_INFO};
    std::strcpy(info.actionName, row.name);
    std::strcpy(info.localizedActionName, row.localized);
    info.actionType = row.type;
    info.countSubactionPaths = 2;
    info.subactionPaths = made.hands_.data();
    PV_TRY(check(xrCreateAction(made.set_, &info, row.action), "xrCreateAction").add_context(step));
  }

  for (const ProfileBindings& profile : ControllerActionsTable::profiles()) {
    if (profile.needs_hand_interaction && !headset.hand_interaction) continue;
    std::vector<XrActionSuggestedBinding> suggested;
    for (const BindingRow& row : profile.rows) {
      for (const char* hand : {left_hand, right_hand}) {
        if (row.only_hand != nullptr && std::strcmp(hand, row.only_hand) != 0) continue;
        XrPath path = XR_NULL_PATH;
        PV_TRY(check(xrStringToPath(instance, (std::string(hand) + row.input).c_str(), &path), "xrStringToPath"));
        suggested.push_back({made.*row.action, path});
      }
    }
    XrInteractionProfileSuggestedBinding info{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
    PV_TRY(check(xrStringToPath(instance, profile.profile, &info.interactionProfile), "xrStringToPath"));
    info.countSuggestedBindings = static_cast<uint32_t>(suggested.size());
    info.suggestedBindings = suggested.data();
    PV_TRY(check(xrSuggestInteractionProfileBindings(instance, &info), "xrSuggestInteractionProfileBindings")
               .add_context(profile.profile));
  }
  XrSessionActionSetsAttachInfo attach{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
  attach.countActionSets = 1;
  attach.actionSets = &made.set_;
  PV_TRY(check(xrAttachSessionActionSets(session, &attach), "xrAttachSessionActionSets").add_context(step));

  for (size_t hand = 0; hand < 2; ++hand) {
    XrActionSpaceCreateInfo space{XR_TYPE_ACTION_SPACE_CREATE_INFO};
    space.subactionPath = made.hands_[hand];
    space.poseInActionSpace.orientation.w = 1.0f;
    space.action = made.aim_;
    PV_TRY(check(xrCreateActionSpace(session, &space, &made.aim_spaces_[hand]), "xrCreateActionSpace").add_context(step));
    space.action = made.grip_;
    PV_TRY(check(xrCreateActionSpace(session, &space, &made.grip_spaces_[hand]), "xrCreateActionSpace").add_context(step));
  }
  return made;
}

Result<void> ControllerActions::read(XrSession session, XrSpace stage, XrTime time, const glm::mat4& stage_to_world,
                                     HeadsetInput& out) const {
  const auto check = [&](XrResult result, const char* call) { return xr_check(instance_, result, call); };
  const XrActiveActionSet active{set_, XR_NULL_PATH};
  XrActionsSyncInfo sync{XR_TYPE_ACTIONS_SYNC_INFO};
  sync.countActiveActionSets = 1;
  sync.activeActionSets = &active;
  // XR_SESSION_NOT_FOCUSED (a system menu is over the scene): every action reads inactive.
  PV_TRY(check(xrSyncActions(session, &sync), "xrSyncActions"));
  const auto boolean = [&](XrAction action, XrPath hand, bool& held, bool& pressed) -> Result<void> {
    XrActionStateGetInfo info{XR_TYPE_ACTION_STATE_GET_INFO};
    info.action = action;
    info.subactionPath = hand;
    XrActionStateBoolean state{XR_TYPE_ACTION_STATE_BOOLEAN};
    PV_TRY(check(xrGetActionStateBoolean(session, &info, &state), "xrGetActionStateBoolean"));
    held = state.isActive && state.currentState;
    pressed = held && state.changedSinceLastSync;
    return {};
  };
  for (size_t index = 0; index < 2; ++index) {
    HandInput& hand = out.hands[index];
    hand = {};
    bool menu_held = false;
    PV_TRY(boolean(select_, hands_[index], hand.select, hand.select_pressed));
    PV_TRY(boolean(grab_, hands_[index], hand.grab, hand.grab_pressed));
    PV_TRY(boolean(menu_, hands_[index], menu_held, hand.menu_pressed));
    XrActionStateGetInfo info{XR_TYPE_ACTION_STATE_GET_INFO};
    info.action = move_;
    info.subactionPath = hands_[index];
    XrActionStateVector2f stick{XR_TYPE_ACTION_STATE_VECTOR2F};
    PV_TRY(check(xrGetActionStateVector2f(session, &info, &stick), "xrGetActionStateVector2f"));
    if (stick.isActive) hand.thumbstick = {stick.currentState.x, stick.currentState.y};

    constexpr XrSpaceLocationFlags located = XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT;
    XrSpaceLocation aim{XR_TYPE_SPACE_LOCATION};
    PV_TRY(check(xrLocateSpace(aim_spaces_[index], stage, time, &aim), "xrLocateSpace"));
    XrSpaceLocation grip{XR_TYPE_SPACE_LOCATION};
    PV_TRY(check(xrLocateSpace(grip_spaces_[index], stage, time, &grip), "xrLocateSpace"));
    hand.tracked = (aim.locationFlags & located) == located;
    if (!hand.tracked) continue;
    const glm::mat4 aim_to_world = stage_to_world * to_matrix(aim.pose);
    hand.ray_origin = glm::vec3(aim_to_world[3]);
    hand.ray_direction = glm::normalize(-glm::vec3(aim_to_world[2]));  // an aim pose points along −Z
    hand.grip_to_world = (grip.locationFlags & located) == located ? stage_to_world * to_matrix(grip.pose) : aim_to_world;
  }
  return {};
}

Result<void> ControllerActions::pulse(XrSession session, Hand hand, float seconds, float amplitude) const {
  XrHapticActionInfo info{XR_TYPE_HAPTIC_ACTION_INFO};
  info.action = haptic_;
  info.subactionPath = hands_[static_cast<size_t>(hand)];
  XrHapticVibration vibration{XR_TYPE_HAPTIC_VIBRATION};
  vibration.duration = static_cast<XrDuration>(seconds * 1e9f);
  vibration.frequency = XR_FREQUENCY_UNSPECIFIED;
  vibration.amplitude = amplitude;
  PV_TRY(xr_check(instance_,
                  xrApplyHapticFeedback(session, &info, reinterpret_cast<const XrHapticBaseHeader*>(&vibration)),
                  "xrApplyHapticFeedback"));
  return {};
}

Result<std::string> ControllerActions::interaction_profile(XrSession session) const {
  for (const XrPath hand : hands_) {
    XrInteractionProfileState state{XR_TYPE_INTERACTION_PROFILE_STATE};
    PV_TRY(xr_check(instance_, xrGetCurrentInteractionProfile(session, hand, &state), "xrGetCurrentInteractionProfile"));
    if (state.interactionProfile == XR_NULL_PATH) continue;
    std::array<char, XR_MAX_PATH_LENGTH> text{};
    uint32_t length = 0;
    PV_TRY(xr_check(instance_, xrPathToString(instance_, state.interactionProfile, text.size(), &length, text.data()),
                    "xrPathToString"));
    return std::string(text.data());
  }
  return std::string();
}

}  // namespace pavilion::xr
