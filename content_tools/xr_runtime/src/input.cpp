// Actions: action sets and actions, suggested bindings, attachment, syncing, action states,
// action spaces and haptics.
//
// The simulated controllers are of the timeline's interaction profile (Oculus Touch unless it says
// otherwise). At attachment the session takes that profile's suggested bindings, or, when the
// application suggested none for it, those for khr/simple_controller, as runtimes remap a
// controller they know to the bindings an application offers. Values come from the timeline's
// sample at the frame last waited for, which is the predicted display time's.
#include "entry_points.h"

#include <cstdio>
#include <cstring>
#include <string_view>

namespace pavilion::xr_runtime {
namespace {

Registry<ActionSet> action_sets;
Registry<Action> actions;

enum class Kind { scalar, vector, pose, haptic };

// Top-level user paths, by index: the simulated headset tracks the two hands; the head's and a
// gamepad's inputs can be bound (profiles must accept them) but never change.
constexpr std::array<std::string_view, 4> user_paths{"/user/hand/left", "/user/hand/right", "/user/head", "/user/gamepad"};
constexpr size_t head_user = 2;
constexpr int both_hands = -1;

struct Component {
  int user;  // both_hands, or an index into user_paths
  std::string_view name;
};

struct Profile {
  std::string_view path;
  std::string_view display_name;
  bool needs_hand_interaction;
  std::vector<Component> components;
};

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> known{
      {"/interaction_profiles/khr/simple_controller", "Simple Controller", false,
       {{-1, "select/click"}, {-1, "menu/click"}, {-1, "grip/pose"}, {-1, "aim/pose"}, {-1, "haptic"}}},
      {"/interaction_profiles/oculus/touch_controller", "Oculus Touch Controller", false,
       {{0, "x/click"}, {0, "x/touch"}, {0, "y/click"}, {0, "y/touch"}, {0, "menu/click"}, {1, "a/click"},
        {1, "a/touch"}, {1, "b/click"}, {1, "b/touch"}, {1, "system/click"}, {-1, "squeeze/value"},
        {-1, "trigger/value"}, {-1, "trigger/touch"}, {-1, "thumbstick"}, {-1, "thumbstick/x"}, {-1, "thumbstick/y"},
        {-1, "thumbstick/click"}, {-1, "thumbstick/touch"}, {-1, "thumbrest/touch"}, {-1, "grip/pose"},
        {-1, "aim/pose"}, {-1, "haptic"}}},
      {"/interaction_profiles/valve/index_controller", "Valve Index Controller", false,
       {{-1, "system/click"}, {-1, "system/touch"}, {-1, "a/click"}, {-1, "a/touch"}, {-1, "b/click"}, {-1, "b/touch"},
        {-1, "squeeze/value"}, {-1, "squeeze/force"}, {-1, "trigger/click"}, {-1, "trigger/value"},
        {-1, "trigger/touch"}, {-1, "thumbstick"}, {-1, "thumbstick/x"}, {-1, "thumbstick/y"},
        {-1, "thumbstick/click"}, {-1, "thumbstick/touch"}, {-1, "trackpad"}, {-1, "trackpad/x"},
        {-1, "trackpad/y"}, {-1, "trackpad/force"}, {-1, "trackpad/touch"}, {-1, "grip/pose"}, {-1, "aim/pose"},
        {-1, "haptic"}}},
      {"/interaction_profiles/htc/vive_controller", "Vive Controller", false,
       {{-1, "system/click"}, {-1, "squeeze/click"}, {-1, "menu/click"}, {-1, "trigger/click"}, {-1, "trigger/value"},
        {-1, "trackpad"}, {-1, "trackpad/x"}, {-1, "trackpad/y"}, {-1, "trackpad/click"}, {-1, "trackpad/touch"},
        {-1, "grip/pose"}, {-1, "aim/pose"}, {-1, "haptic"}}},
      // The other controllers of OpenXR 1.0: their bindings are accepted (an application suggests
      // for every controller it knows) though the simulated hands are never one of them.
      {"/interaction_profiles/google/daydream_controller", "Daydream Controller", false,
       {{-1, "select/click"}, {-1, "trackpad"}, {-1, "trackpad/x"}, {-1, "trackpad/y"}, {-1, "trackpad/click"},
        {-1, "trackpad/touch"}, {-1, "grip/pose"}, {-1, "aim/pose"}}},
      {"/interaction_profiles/htc/vive_pro", "Vive Pro", false,
       {{2, "system/click"}, {2, "volume_up/click"}, {2, "volume_down/click"}, {2, "mute_mic/click"}}},
      {"/interaction_profiles/microsoft/motion_controller", "Mixed Reality Motion Controller", false,
       {{-1, "menu/click"}, {-1, "squeeze/click"}, {-1, "trigger/value"}, {-1, "thumbstick"}, {-1, "thumbstick/x"},
        {-1, "thumbstick/y"}, {-1, "thumbstick/click"}, {-1, "trackpad"}, {-1, "trackpad/x"}, {-1, "trackpad/y"},
        {-1, "trackpad/click"}, {-1, "trackpad/touch"}, {-1, "grip/pose"}, {-1, "aim/pose"}, {-1, "haptic"}}},
      {"/interaction_profiles/microsoft/xbox_controller", "Xbox Controller", false,
       {{3, "menu/click"}, {3, "view/click"}, {3, "a/click"}, {3, "b/click"}, {3, "x/click"}, {3, "y/click"},
        {3, "dpad_down/click"}, {3, "dpad_right/click"}, {3, "dpad_up/click"}, {3, "dpad_left/click"},
        {3, "shoulder_left/click"}, {3, "shoulder_right/click"}, {3, "thumbstick_left/click"},
        {3, "thumbstick_right/click"}, {3, "trigger_left/value"}, {3, "trigger_right/value"}, {3, "thumbstick_left"},
        {3, "thumbstick_left/x"}, {3, "thumbstick_left/y"}, {3, "thumbstick_right"}, {3, "thumbstick_right/x"},
        {3, "thumbstick_right/y"}, {3, "haptic_left"}, {3, "haptic_right"}, {3, "haptic_left_trigger"},
        {3, "haptic_right_trigger"}}},
      {"/interaction_profiles/oculus/go_controller", "Oculus Go Controller", false,
       {{-1, "system/click"}, {-1, "trigger/click"}, {-1, "back/click"}, {-1, "trackpad"}, {-1, "trackpad/x"},
        {-1, "trackpad/y"}, {-1, "trackpad/click"}, {-1, "trackpad/touch"}, {-1, "grip/pose"}, {-1, "aim/pose"}}},
      {"/interaction_profiles/microsoft/hand_interaction", "Hand", true,
       {{-1, "select/value"}, {-1, "squeeze/value"}, {-1, "aim/pose"}, {-1, "grip/pose"}}},
  };
  return known;
}

const Profile* find_profile(std::string_view path) {
  for (const Profile& profile : profiles()) {
    if (profile.path == path) return &profile;
  }
  return nullptr;
}

Kind kind_of(std::string_view component) {
  if (component.starts_with("haptic")) return Kind::haptic;
  if (component.ends_with("/pose")) return Kind::pose;
  if (component.find('/') == std::string_view::npos) return Kind::vector;  // thumbstick, trackpad
  return Kind::scalar;
}

bool fits(XrActionType type, Kind kind) {
  switch (type) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
    case XR_ACTION_TYPE_FLOAT_INPUT: return kind == Kind::scalar;
    case XR_ACTION_TYPE_VECTOR2F_INPUT: return kind == Kind::vector;
    case XR_ACTION_TYPE_POSE_INPUT: return kind == Kind::pose;
    case XR_ACTION_TYPE_VIBRATION_OUTPUT: return kind == Kind::haptic;
    default: return false;
  }
}

// Splits "/user/hand/right/input/trigger/value" into the user (1, the right hand) and
// "trigger/value"; outputs keep their name ("haptic").
bool split_binding(std::string_view binding, size_t& user, std::string_view& component) {
  for (size_t index = 0; index < user_paths.size(); ++index) {
    if (!binding.starts_with(user_paths[index]) || binding.size() <= user_paths[index].size() ||
        binding[user_paths[index].size()] != '/') {
      continue;
    }
    user = index;
    binding.remove_prefix(user_paths[index].size() + 1);
    if (binding.starts_with("input/")) {
      component = binding.substr(6);
      return kind_of(component) != Kind::haptic;
    }
    if (binding.starts_with("output/")) {
      component = binding.substr(7);
      return kind_of(component) == Kind::haptic;
    }
  }
  return false;
}

bool offers(const Profile& profile, size_t user, std::string_view component) {
  return std::any_of(profile.components.begin(), profile.components.end(), [&](const Component& offered) {
    return offered.name == component && (offered.user == both_hands ? user < head_user : static_cast<size_t>(offered.user) == user);
  });
}

// A scalar input's value: buttons are 0 or 1; the system button belongs to the runtime.
float scalar(const HandState& hand, std::string_view component) {
  const auto pressed = [](bool down) { return down ? 1.0f : 0.0f; };
  if (component == "trigger/value" || component == "select/value") return hand.trigger;
  if (component == "trigger/click" || component == "select/click") return pressed(hand.trigger >= 0.5f);
  if (component == "trigger/touch") return pressed(hand.trigger > 0.0f);
  if (component == "squeeze/value" || component == "squeeze/force") return hand.squeeze;
  if (component == "squeeze/click") return pressed(hand.squeeze >= 0.5f);
  if (component == "menu/click") return pressed(hand.menu);
  if (component.starts_with("a/") || component.starts_with("x/")) return pressed(hand.a);
  if (component.starts_with("b/") || component.starts_with("y/")) return pressed(hand.b);
  if (component == "thumbstick/x" || component == "trackpad/x") return hand.thumbstick.x;
  if (component == "thumbstick/y" || component == "trackpad/y") return hand.thumbstick.y;
  if (component == "thumbstick/click" || component == "trackpad/click" || component == "trackpad/force") {
    return pressed(hand.thumbstick_click);
  }
  if (component == "thumbstick/touch" || component == "trackpad/touch") {
    return pressed(hand.thumbstick_click || hand.thumbstick != glm::vec2(0.0f));
  }
  return 0.0f;  // system buttons, thumb rests
}

glm::vec2 value_of(const BoundInput& input, const HandState& hand) {
  if (input.type == XR_ACTION_TYPE_VECTOR2F_INPUT) return hand.thumbstick;
  const float read = scalar(hand, input.component);
  // A boolean action on an analogue input is pressed past half way.
  if (input.type == XR_ACTION_TYPE_BOOLEAN_INPUT) return {read >= 0.5f ? 1.0f : 0.0f, 0.0f};
  return {read, 0.0f};
}

// The user a subaction path names (an index into user_paths), or SIZE_MAX for XR_NULL_PATH (any).
constexpr size_t either_hand = SIZE_MAX;

XrResult hand_of(Instance& instance, XrPath subaction_path, size_t& hand) {
  if (subaction_path == XR_NULL_PATH) {
    hand = either_hand;
    return XR_SUCCESS;
  }
  const std::string text = path_text(instance, subaction_path);
  if (text.empty()) return XR_ERROR_PATH_INVALID;
  const auto found = std::find(user_paths.begin(), user_paths.end(), text);
  if (found == user_paths.end()) return XR_ERROR_PATH_UNSUPPORTED;
  hand = static_cast<size_t>(found - user_paths.begin());
  return XR_SUCCESS;
}

// Action and action set names: lower-case letters, digits, '-', '_' and '.', as path segments.
bool well_formed_name(const char* name, size_t capacity) {
  const size_t length = strnlen(name, capacity);
  if (length == 0 || length == capacity) return false;
  return std::all_of(name, name + length, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

bool localized_name_given(const char* name, size_t capacity) {
  const size_t length = strnlen(name, capacity);
  return length > 0 && length < capacity;
}

// Finds the action an application names for this session, checking it may be asked about.
XrResult attached_action(Session& session, XrAction handle, XrPath subaction_path, const Action*& action, size_t& hand) {
  action = actions.find(handle);
  if (action == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (action->set->instance != session.instance) return XR_ERROR_HANDLE_INVALID;
  const SessionInput& input = session.input;
  if (std::find(input.attached_sets.begin(), input.attached_sets.end(), action->set->handle) == input.attached_sets.end()) {
    return XR_ERROR_ACTIONSET_NOT_ATTACHED;
  }
  if (const XrResult checked = hand_of(*session.instance, subaction_path, hand); XR_FAILED(checked)) return checked;
  if (subaction_path != XR_NULL_PATH && std::find(action->subaction_paths.begin(), action->subaction_paths.end(),
                                                  subaction_path) == action->subaction_paths.end()) {
    return XR_ERROR_PATH_UNSUPPORTED;
  }
  return XR_SUCCESS;
}

XrResult usable_session(XrSession handle, Session*& session) {
  session = session_from(handle);
  if (session == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  return XR_SUCCESS;
}

// The state of `action` on `hand` (or both hands): active when any bound input is, with the
// value of largest magnitude, as the specification combines several bindings.
struct Combined {
  bool active = false;
  glm::vec2 value{0.0f};
  bool changed = false;
  XrTime last_change = 0;
};

Combined combined(const Session& session, uint64_t action, size_t hand) {
  Combined out;
  for (const ActionValue& value : session.input.values) {
    if (value.action != action || !value.active || (hand != either_hand && value.hand != hand)) continue;
    if (!out.active || glm::length(value.value) > glm::length(out.value)) out.value = value.value;
    out.active = true;
    out.changed = out.changed || value.changed;
    out.last_change = std::max(out.last_change, value.last_change);
  }
  return out;
}

struct StateRequest {
  Session* session = nullptr;
  const Action* action = nullptr;
  size_t hand = 0;
};

// Checks an xrGetActionState* call: the session, the structures, the action and its type.
template <class State>
XrResult state_request(XrSession handle, const XrActionStateGetInfo* info, State* state, XrStructureType state_type,
                       XrActionType action_type, StateRequest& request) {
  if (const XrResult checked = usable_session(handle, request.session); XR_FAILED(checked)) return checked;
  if (info == nullptr || state == nullptr || info->type != XR_TYPE_ACTION_STATE_GET_INFO || state->type != state_type) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  if (const XrResult checked = attached_action(*request.session, info->action, info->subactionPath, request.action, request.hand);
      XR_FAILED(checked)) {
    return checked;
  }
  return request.action->type == action_type ? XR_SUCCESS : XR_ERROR_ACTION_TYPE_MISMATCH;
}

// The value of an input action's state, filled into any of the three state structures.
template <class State, class Value>
XrResult input_state(XrSession handle, const XrActionStateGetInfo* info, State* state, XrStructureType state_type,
                     XrActionType action_type, Value value) {
  StateRequest request;
  if (const XrResult checked = state_request(handle, info, state, state_type, action_type, request); XR_FAILED(checked)) {
    return checked;
  }
  const Combined read = combined(*request.session, request.action->handle, request.hand);
  state->isActive = read.active;
  state->currentState = value(read.value);
  state->changedSinceLastSync = read.changed;
  state->lastChangeTime = read.last_change;
  return XR_SUCCESS;
}

}  // namespace

void destroy_action_sets_of(const Instance& instance) {
  actions.remove_if([&](const Action& action) { return action.set->instance == &instance; });
  action_sets.remove_if([&](const ActionSet& set) { return set.instance == &instance; });
}

const HandState* action_space_hand(const Session& session, const Space& space) {
  for (const BoundInput& input : session.input.bound) {
    if (input.action != space.action) continue;
    const std::string text = path_text(*session.instance, space.subaction_path);
    const bool wanted_hand = space.subaction_path == XR_NULL_PATH ||
                             text == (input.hand == 0 ? "/user/hand/left" : "/user/hand/right");
    const HandState& hand = session.sample.hands[input.hand];
    if (wanted_hand && hand.tracked) return &hand;
  }
  return nullptr;
}

XrResult XRAPI_CALL create_action_set(XrInstance handle, const XrActionSetCreateInfo* info, XrActionSet* out) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_ACTION_SET_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (!well_formed_name(info->actionSetName, XR_MAX_ACTION_SET_NAME_SIZE)) return XR_ERROR_PATH_FORMAT_INVALID;
  if (!localized_name_given(info->localizedActionSetName, XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE)) {
    return XR_ERROR_LOCALIZED_NAME_INVALID;
  }
  auto set = std::make_unique<ActionSet>();
  set->instance = instance;
  set->name = info->actionSetName;
  set->localized_name = info->localizedActionSetName;
  set->priority = info->priority;
  if (action_sets.any([&](const ActionSet& other) { return other.instance == instance && other.name == set->name; })) {
    return XR_ERROR_NAME_DUPLICATED;
  }
  if (action_sets.any([&](const ActionSet& other) {
        return other.instance == instance && other.localized_name == set->localized_name;
      })) {
    return XR_ERROR_LOCALIZED_NAME_DUPLICATED;
  }
  *out = handle_of<XrActionSet>(*action_sets.add(std::move(set)));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL destroy_action_set(XrActionSet handle) {
  ActionSet* set = action_sets.find(handle);
  if (set == nullptr) return XR_ERROR_HANDLE_INVALID;
  actions.remove_if([&](const Action& action) { return action.set == set; });
  action_sets.remove(handle);
  return XR_SUCCESS;
}

XrResult XRAPI_CALL create_action(XrActionSet handle, const XrActionCreateInfo* info, XrAction* out) {
  ActionSet* set = action_sets.find(handle);
  if (set == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_ACTION_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (set->attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  if (!well_formed_name(info->actionName, XR_MAX_ACTION_NAME_SIZE)) return XR_ERROR_PATH_FORMAT_INVALID;
  if (!localized_name_given(info->localizedActionName, XR_MAX_LOCALIZED_ACTION_NAME_SIZE)) {
    return XR_ERROR_LOCALIZED_NAME_INVALID;
  }
  switch (info->actionType) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
    case XR_ACTION_TYPE_FLOAT_INPUT:
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
    case XR_ACTION_TYPE_POSE_INPUT:
    case XR_ACTION_TYPE_VIBRATION_OUTPUT: break;
    default: return XR_ERROR_VALIDATION_FAILURE;
  }
  auto action = std::make_unique<Action>();
  action->set = set;
  action->name = info->actionName;
  action->localized_name = info->localizedActionName;
  action->type = info->actionType;
  for (uint32_t index = 0; index < info->countSubactionPaths; ++index) {
    size_t hand = 0;
    const XrPath path = info->subactionPaths[index];
    if (path == XR_NULL_PATH) return XR_ERROR_PATH_INVALID;
    if (const XrResult checked = hand_of(*set->instance, path, hand); XR_FAILED(checked)) return checked;
    if (std::find(action->subaction_paths.begin(), action->subaction_paths.end(), path) != action->subaction_paths.end()) {
      return XR_ERROR_PATH_UNSUPPORTED;
    }
    action->subaction_paths.push_back(path);
  }
  if (actions.any([&](const Action& other) { return other.set == set && other.name == action->name; })) {
    return XR_ERROR_NAME_DUPLICATED;
  }
  if (actions.any([&](const Action& other) { return other.set == set && other.localized_name == action->localized_name; })) {
    return XR_ERROR_LOCALIZED_NAME_DUPLICATED;
  }
  *out = handle_of<XrAction>(*actions.add(std::move(action)));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL destroy_action(XrAction handle) {
  return actions.remove(handle) ? XR_SUCCESS : XR_ERROR_HANDLE_INVALID;
}

XrResult XRAPI_CALL suggest_interaction_profile_bindings(XrInstance handle,
                                                         const XrInteractionProfileSuggestedBinding* suggested) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (suggested == nullptr || suggested->type != XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING ||
      suggested->countSuggestedBindings == 0 || suggested->suggestedBindings == nullptr) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  const std::string profile_path = path_text(*instance, suggested->interactionProfile);
  if (profile_path.empty()) return XR_ERROR_PATH_INVALID;
  const Profile* profile = find_profile(profile_path);
  if (profile == nullptr || (profile->needs_hand_interaction && !instance->hand_interaction)) return XR_ERROR_PATH_UNSUPPORTED;
  std::vector<SuggestedBinding> bindings;
  for (uint32_t index = 0; index < suggested->countSuggestedBindings; ++index) {
    const XrActionSuggestedBinding& binding = suggested->suggestedBindings[index];
    const Action* action = actions.find(binding.action);
    if (action == nullptr || action->set->instance != instance) return XR_ERROR_HANDLE_INVALID;
    if (action->set->attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
    const std::string binding_path = path_text(*instance, binding.binding);
    if (binding_path.empty()) return XR_ERROR_PATH_INVALID;
    size_t hand = 0;
    std::string_view component;
    if (!split_binding(binding_path, hand, component) || !offers(*profile, hand, component) ||
        !fits(action->type, kind_of(component))) {
      return XR_ERROR_PATH_UNSUPPORTED;
    }
    bindings.push_back({binding.action, binding.binding});
  }
  const std::lock_guard lock(instance->mutex);
  auto& all = instance->suggested_bindings;
  std::erase_if(all, [&](const auto& entry) { return entry.first == suggested->interactionProfile; });
  all.emplace_back(suggested->interactionProfile, std::move(bindings));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL attach_session_action_sets(XrSession handle, const XrSessionActionSetsAttachInfo* info) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO || info->countActionSets == 0 ||
      info->actionSets == nullptr) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  SessionInput& input = session->input;
  if (input.attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  std::vector<ActionSet*> sets;
  for (uint32_t index = 0; index < info->countActionSets; ++index) {
    ActionSet* set = action_sets.find(info->actionSets[index]);
    if (set == nullptr || set->instance != session->instance) return XR_ERROR_HANDLE_INVALID;
    sets.push_back(set);
  }
  Instance& instance = *session->instance;
  // The controllers' own profile if the application knows it, else the simple controller's.
  const std::string wanted = instance.headset.timeline.interaction_profile;
  const Profile* controllers = find_profile(wanted);
  std::vector<SuggestedBinding> chosen;
  {
    const std::lock_guard lock(instance.mutex);
    for (const std::string_view candidate : {std::string_view(wanted), std::string_view("/interaction_profiles/khr/simple_controller")}) {
      for (const auto& [profile, bindings] : instance.suggested_bindings) {
        if (!chosen.empty() || instance.paths[profile - 1] != candidate) continue;
        chosen = bindings;
        input.interaction_profile = profile;
      }
    }
  }
  // A hand-tracking headset has no controllers to remap: only its own profile's bindings work.
  if (controllers != nullptr && controllers->needs_hand_interaction && path_text(instance, input.interaction_profile) != wanted) {
    chosen.clear();
    input.interaction_profile = XR_NULL_PATH;
  }
  for (ActionSet* set : sets) {
    set->attached = true;
    input.attached_sets.push_back(set->handle);
  }
  for (const SuggestedBinding& binding : chosen) {
    // Only actions still alive and in an attached set are bound.
    const Action* action = actions.find(binding.action);
    if (action == nullptr ||
        std::find(input.attached_sets.begin(), input.attached_sets.end(), action->set->handle) == input.attached_sets.end()) {
      continue;
    }
    size_t hand = 0;
    std::string_view component;
    // Only the hands are simulated: the head's buttons and a gamepad stay unbound.
    const std::string binding_path = path_text(instance, binding.binding);  // `component` points into it
    if (!split_binding(binding_path, hand, component) || hand >= head_user) continue;
    input.bound.push_back({action->handle, action->set->handle, action->type, hand, std::string(component), binding.binding});
    if (action->type != XR_ACTION_TYPE_POSE_INPUT && action->type != XR_ACTION_TYPE_VIBRATION_OUTPUT &&
        std::none_of(input.values.begin(), input.values.end(),
                     [&](const ActionValue& value) { return value.action == action->handle && value.hand == hand; })) {
      input.values.push_back({action->handle, hand});
    }
  }
  input.attached = true;
  if (input.interaction_profile != XR_NULL_PATH) {
    XrEventDataBuffer buffer{XR_TYPE_EVENT_DATA_BUFFER};
    auto& changed = reinterpret_cast<XrEventDataInteractionProfileChanged&>(buffer);
    changed = {XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED, nullptr, handle};
    post_event(instance, buffer);
  }
  return XR_SUCCESS;
}

XrResult XRAPI_CALL get_current_interaction_profile(XrSession handle, XrPath top_level_user_path,
                                                    XrInteractionProfileState* profile) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (profile == nullptr || profile->type != XR_TYPE_INTERACTION_PROFILE_STATE) return XR_ERROR_VALIDATION_FAILURE;
  if (!session->input.attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
  const std::string user = path_text(*session->instance, top_level_user_path);
  if (user.empty()) return XR_ERROR_PATH_INVALID;
  const auto found = std::find(user_paths.begin(), user_paths.end(), user);
  if (found == user_paths.end()) return XR_ERROR_PATH_UNSUPPORTED;
  const bool hand = static_cast<size_t>(found - user_paths.begin()) < head_user;
  profile->interactionProfile = hand ? session->input.interaction_profile : XR_NULL_PATH;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL sync_actions(XrSession handle, const XrActionsSyncInfo* info) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_ACTIONS_SYNC_INFO ||
      (info->countActiveActionSets > 0 && info->activeActionSets == nullptr)) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  SessionInput& input = session->input;
  std::vector<uint64_t> active;
  for (uint32_t index = 0; index < info->countActiveActionSets; ++index) {
    const ActionSet* set = action_sets.find(info->activeActionSets[index].actionSet);
    if (set == nullptr || set->instance != session->instance) return XR_ERROR_HANDLE_INVALID;
    if (std::find(input.attached_sets.begin(), input.attached_sets.end(), set->handle) == input.attached_sets.end()) {
      return XR_ERROR_ACTIONSET_NOT_ATTACHED;
    }
    size_t hand = 0;
    if (const XrResult checked = hand_of(*session->instance, info->activeActionSets[index].subactionPath, hand);
        XR_FAILED(checked)) {
      return checked;
    }
    active.push_back(set->handle);
  }
  // Out of focus (a system menu over the application) every action is inactive.
  const bool focused = session->state == XR_SESSION_STATE_FOCUSED;
  input.active_sets = focused ? active : std::vector<uint64_t>{};
  for (ActionValue& value : input.values) {
    const HandState& hand = session->sample.hands[value.hand];
    bool active_now = false;
    glm::vec2 read{0.0f};
    for (const BoundInput& bound : input.bound) {
      if (bound.action != value.action || bound.hand != value.hand || !hand.tracked ||
          std::find(input.active_sets.begin(), input.active_sets.end(), bound.action_set) == input.active_sets.end()) {
        continue;
      }
      const glm::vec2 candidate = value_of(bound, hand);
      if (!active_now || glm::length(candidate) > glm::length(read)) read = candidate;
      active_now = true;
    }
    // An inactive action reads as zero, so one that wakes up pressed has changed.
    value.changed = active_now && read != (value.active ? value.value : glm::vec2(0.0f));
    if (value.changed || (active_now && !value.active)) value.last_change = session->now;
    value.active = active_now;
    value.value = active_now ? read : glm::vec2(0.0f);
  }
  return focused ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}

XrResult XRAPI_CALL get_action_state_boolean(XrSession handle, const XrActionStateGetInfo* info, XrActionStateBoolean* state) {
  return input_state(handle, info, state, XR_TYPE_ACTION_STATE_BOOLEAN, XR_ACTION_TYPE_BOOLEAN_INPUT,
                     [](glm::vec2 value) -> XrBool32 { return value.x >= 0.5f; });
}

XrResult XRAPI_CALL get_action_state_float(XrSession handle, const XrActionStateGetInfo* info, XrActionStateFloat* state) {
  return input_state(handle, info, state, XR_TYPE_ACTION_STATE_FLOAT, XR_ACTION_TYPE_FLOAT_INPUT,
                     [](glm::vec2 value) { return value.x; });
}

XrResult XRAPI_CALL get_action_state_vector2f(XrSession handle, const XrActionStateGetInfo* info,
                                              XrActionStateVector2f* state) {
  return input_state(handle, info, state, XR_TYPE_ACTION_STATE_VECTOR2F, XR_ACTION_TYPE_VECTOR2F_INPUT,
                     [](glm::vec2 value) { return XrVector2f{value.x, value.y}; });
}

XrResult XRAPI_CALL get_action_state_pose(XrSession handle, const XrActionStateGetInfo* info, XrActionStatePose* state) {
  StateRequest request;
  if (const XrResult checked = state_request(handle, info, state, XR_TYPE_ACTION_STATE_POSE, XR_ACTION_TYPE_POSE_INPUT, request);
      XR_FAILED(checked)) {
    return checked;
  }
  const SessionInput& input = request.session->input;
  const bool set_active =
      std::find(input.active_sets.begin(), input.active_sets.end(), request.action->set->handle) != input.active_sets.end();
  state->isActive = set_active && std::any_of(input.bound.begin(), input.bound.end(), [&](const BoundInput& bound) {
    return bound.action == request.action->handle && (request.hand == either_hand || bound.hand == request.hand);
  });
  return XR_SUCCESS;
}

XrResult XRAPI_CALL enumerate_bound_sources_for_action(XrSession handle, const XrBoundSourcesForActionEnumerateInfo* info,
                                                       uint32_t capacity, uint32_t* count, XrPath* sources) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  const Action* action = nullptr;
  size_t hand = 0;
  if (const XrResult checked = attached_action(*session, info->action, XR_NULL_PATH, action, hand); XR_FAILED(checked)) {
    return checked;
  }
  std::vector<XrPath> bound;
  for (const BoundInput& input : session->input.bound) {
    if (input.action == action->handle) bound.push_back(input.binding);
  }
  return fill_array(bound, capacity, count, sources);
}

XrResult XRAPI_CALL get_input_source_localized_name(XrSession handle, const XrInputSourceLocalizedNameGetInfo* info,
                                                    uint32_t capacity, uint32_t* count, char* buffer) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_INPUT_SOURCE_LOCALIZED_NAME_GET_INFO || info->whichComponents == 0) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  if (!session->input.attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
  const std::string source = path_text(*session->instance, info->sourcePath);
  size_t hand = 0;
  std::string_view component;
  if (source.empty() || !split_binding(source, hand, component)) return XR_ERROR_PATH_INVALID;
  std::string name;
  const auto add = [&](std::string_view part) {
    if (!name.empty()) name += ' ';
    name += part;
  };
  if (info->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT) {
    constexpr std::array<std::string_view, 4> user_names{"Left Hand", "Right Hand", "Head", "Gamepad"};
    add(user_names[hand]);
  }
  if (info->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT) {
    const Profile* profile = find_profile(path_text(*session->instance, session->input.interaction_profile));
    add(profile != nullptr ? profile->display_name : "Controller");
  }
  if (info->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_COMPONENT_BIT) {
    std::string part(component.substr(0, component.find('/')));
    part[0] = static_cast<char>(part[0] - 'a' + 'A');
    add(part);
  }
  return fill_array(std::span<const char>(name.c_str(), name.size() + 1), capacity, count, buffer);
}

XrResult XRAPI_CALL apply_haptic_feedback(XrSession handle, const XrHapticActionInfo* info,
                                          const XrHapticBaseHeader* feedback) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || feedback == nullptr || info->type != XR_TYPE_HAPTIC_ACTION_INFO ||
      feedback->type != XR_TYPE_HAPTIC_VIBRATION) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  const Action* action = nullptr;
  size_t hand = 0;
  if (const XrResult checked = attached_action(*session, info->action, info->subactionPath, action, hand); XR_FAILED(checked)) {
    return checked;
  }
  if (action->type != XR_ACTION_TYPE_VIBRATION_OUTPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  const auto& vibration = reinterpret_cast<const XrHapticVibration&>(*feedback);
  if (vibration.amplitude < 0.0f || vibration.amplitude > 1.0f) return XR_ERROR_VALIDATION_FAILURE;
  // Felt only when the action set is active and a controller's motor is bound to it.
  const bool felt = session->state == XR_SESSION_STATE_FOCUSED &&
                    std::any_of(session->input.bound.begin(), session->input.bound.end(), [&](const BoundInput& bound) {
                      return bound.action == action->handle && (hand == either_hand || bound.hand == hand) &&
                             session->sample.hands[bound.hand].tracked;
                    });
  if (!felt) return XR_SUCCESS;
  ++session->input.haptic_pulses;
  // Pulses are written beside the captured images, so a scripted visit can check what was felt.
  const HeadsetSettings& headset = session->instance->headset;
  if (!headset.capture_folder.empty()) {
    if (FILE* log = std::fopen((headset.capture_folder + "/haptics.log").c_str(), "a")) {
      const double seconds = vibration.duration == XR_MIN_HAPTIC_DURATION ? 0.01 : static_cast<double>(vibration.duration) * 1e-9;
      std::fprintf(log, "frame %llu %s %.3f s amplitude %.2f\n", static_cast<unsigned long long>(session->frames_waited),
                   hand == 0 ? "left" : hand == 1 ? "right" : "both", seconds, static_cast<double>(vibration.amplitude));
      std::fclose(log);
    }
  }
  return XR_SUCCESS;
}

XrResult XRAPI_CALL stop_haptic_feedback(XrSession handle, const XrHapticActionInfo* info) {
  Session* session = nullptr;
  if (const XrResult checked = usable_session(handle, session); XR_FAILED(checked)) return checked;
  if (info == nullptr || info->type != XR_TYPE_HAPTIC_ACTION_INFO) return XR_ERROR_VALIDATION_FAILURE;
  const Action* action = nullptr;
  size_t hand = 0;
  if (const XrResult checked = attached_action(*session, info->action, info->subactionPath, action, hand); XR_FAILED(checked)) {
    return checked;
  }
  return action->type == XR_ACTION_TYPE_VIBRATION_OUTPUT ? XR_SUCCESS : XR_ERROR_ACTION_TYPE_MISMATCH;
}

XrResult check_action_space(Session& session, const XrActionSpaceCreateInfo& info, uint64_t& action_id) {
  const Action* action = actions.find(info.action);
  if (action == nullptr || action->set->instance != session.instance) return XR_ERROR_HANDLE_INVALID;
  if (action->type != XR_ACTION_TYPE_POSE_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  size_t hand = 0;
  if (const XrResult checked = hand_of(*session.instance, info.subactionPath, hand); XR_FAILED(checked)) return checked;
  if (info.subactionPath != XR_NULL_PATH && std::find(action->subaction_paths.begin(), action->subaction_paths.end(),
                                                      info.subactionPath) == action->subaction_paths.end()) {
    return XR_ERROR_PATH_UNSUPPORTED;
  }
  action_id = action->handle;
  return XR_SUCCESS;
}

}  // namespace pavilion::xr_runtime
