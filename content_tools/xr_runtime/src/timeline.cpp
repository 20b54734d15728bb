// Scripted visits for the headless headset: a JSON timeline of keyframes.
//
//   {
//     "interaction_profile": "/interaction_profiles/valve/index_controller",
//     "end_session_at_frame": 90,       (the visitor quits from the headset's menu)
//     "lose_session_at_frame": 0,       (the headset drops out; 0 or absent: never)
//     "recenter_at_frame": 40,          (the visitor recentres: LOCAL moves to where the head is)
//     "keyframes": [
//       {"frame": 1,  "head": {"position": [0, 1.6, 0], "yaw": 0, "pitch": 0},
//                     "right": {"position": [0.2, 1.3, -0.3], "yaw": 20, "pitch": -10}},
//       {"frame": 30, "right": {"trigger": 1}},
//       {"frame": 40, "left": {"tracked": false}}
//     ]
//   }
//
// Angles are degrees: yaw turns left about +Y, pitch looks up, roll leans left. A keyframe says
// only what changes; the rest carries over from the one before. Poses glide from keyframe to
// keyframe; buttons, triggers and sticks hold until a keyframe changes them, as fingers do.
// Before the first keyframe the head and hands rest where a visitor stands at the stage's centre.
#include "runtime.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace pavilion::xr_runtime {
namespace {

using nlohmann::json;

// Thrown while reading, caught once: names where in the file the problem is.
struct TimelineError {
  std::string what;
};

float number(const json& object, const char* field, const std::string& where) {
  const json& value = object.at(field);
  if (!value.is_number()) throw TimelineError{where + "'" + field + "' must be a number"};
  const float read = value.get<float>();
  if (!std::isfinite(read)) throw TimelineError{where + "'" + field + "' must be finite"};
  return read;
}

bool boolean(const json& object, const char* field, const std::string& where) {
  const json& value = object.at(field);
  if (!value.is_boolean()) throw TimelineError{where + "'" + field + "' must be true or false"};
  return value.get<bool>();
}

float unit(const json& object, const char* field, const std::string& where) {
  const float read = number(object, field, where);
  if (read < 0.0f || read > 1.0f) throw TimelineError{where + "'" + field + "' must be between 0 and 1"};
  return read;
}

glm::vec3 triple(const json& value, const std::string& where) {
  if (!value.is_array() || value.size() != 3 || !value[0].is_number() || !value[1].is_number() || !value[2].is_number()) {
    throw TimelineError{where + "'position' must be three numbers (metres)"};
  }
  return {value[0].get<float>(), value[1].get<float>(), value[2].get<float>()};
}

// Reads what a keyframe says of a pose over what it was; angles replace the whole orientation.
void read_pose(const json& object, Pose& pose, const std::string& where) {
  if (object.contains("position")) pose.position = triple(object["position"], where);
  if (object.contains("yaw") || object.contains("pitch") || object.contains("roll")) {
    const auto angle = [&](const char* field) { return object.contains(field) ? glm::radians(number(object, field, where)) : 0.0f; };
    pose.orientation = glm::angleAxis(angle("yaw"), glm::vec3(0, 1, 0)) * glm::angleAxis(angle("pitch"), glm::vec3(1, 0, 0)) *
                       glm::angleAxis(angle("roll"), glm::vec3(0, 0, 1));
  }
}

void read_hand(const json& object, HandState& hand, const std::string& where) {
  if (!object.is_object()) throw TimelineError{where + "must be an object"};
  read_pose(object, hand.pose, where);
  if (object.contains("tracked")) hand.tracked = boolean(object, "tracked", where);
  if (object.contains("trigger")) hand.trigger = unit(object, "trigger", where);
  if (object.contains("squeeze")) hand.squeeze = unit(object, "squeeze", where);
  if (object.contains("thumbstick")) {
    const json& stick = object["thumbstick"];
    if (!stick.is_array() || stick.size() != 2 || !stick[0].is_number() || !stick[1].is_number() ||
        std::abs(stick[0].get<float>()) > 1.0f || std::abs(stick[1].get<float>()) > 1.0f) {
      throw TimelineError{where + "'thumbstick' must be two numbers between -1 and 1"};
    }
    hand.thumbstick = {stick[0].get<float>(), stick[1].get<float>()};
  }
  if (object.contains("thumbstick_click")) hand.thumbstick_click = boolean(object, "thumbstick_click", where);
  if (object.contains("menu")) hand.menu = boolean(object, "menu", where);
  if (object.contains("a")) hand.a = boolean(object, "a", where);
  if (object.contains("b")) hand.b = boolean(object, "b", where);
}

uint64_t frame_number(const json& object, const char* field, const std::string& where) {
  const json& value = object.at(field);
  if (!value.is_number_unsigned()) throw TimelineError{where + "'" + field + "' must be a frame number (counted from 1)"};
  return value.get<uint64_t>();
}

}  // namespace

bool read_timeline(const std::string& file, Timeline& timeline, std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = file + ": cannot be read";
    return false;
  }
  const json document = json::parse(in, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    error = file + ": is not a JSON object";
    return false;
  }
  try {
    Timeline read;
    const std::string top = file + ": ";
    if (document.contains("interaction_profile")) {
      if (!document["interaction_profile"].is_string()) throw TimelineError{top + "'interaction_profile' must be a path"};
      read.interaction_profile = document["interaction_profile"].get<std::string>();
    }
    if (document.contains("end_session_at_frame")) read.end_session_at_frame = frame_number(document, "end_session_at_frame", top);
    if (document.contains("recenter_at_frame")) read.recenter_at_frame = frame_number(document, "recenter_at_frame", top);
    if (document.contains("lose_session_at_frame")) read.lose_session_at_frame = frame_number(document, "lose_session_at_frame", top);
    if (!document.contains("keyframes") || !document["keyframes"].is_array()) {
      throw TimelineError{top + "'keyframes' must be a list"};
    }
    Sample carried;
    for (size_t index = 0; index < document["keyframes"].size(); ++index) {
      const json& key = document["keyframes"][index];
      const std::string where = file + ": keyframe " + std::to_string(index + 1) + ": ";
      if (!key.is_object() || !key.contains("frame")) throw TimelineError{where + "needs a 'frame'"};
      const uint64_t frame = frame_number(key, "frame", where);
      if (frame == 0 || (!read.keys.empty() && frame <= read.keys.back().frame)) {
        throw TimelineError{where + "frames must start at 1 and go forward"};
      }
      if (key.contains("head")) {
        if (!key["head"].is_object()) throw TimelineError{where + "'head' must be an object"};
        read_pose(key["head"], carried.head, where + "head: ");
      }
      if (key.contains("left")) read_hand(key["left"], carried.hands[0], where + "left: ");
      if (key.contains("right")) read_hand(key["right"], carried.hands[1], where + "right: ");
      read.keys.push_back({frame, carried});
    }
    timeline = std::move(read);
    return true;
  } catch (const TimelineError& problem) {
    error = problem.what;
  } catch (const json::exception& problem) {
    error = file + ": " + problem.what();
  }
  return false;
}

Sample sample_timeline(const Timeline& timeline, uint64_t frame) {
  if (timeline.keys.empty()) return {};
  const auto after = std::find_if(timeline.keys.begin(), timeline.keys.end(), [&](const Timeline::Key& key) { return key.frame > frame; });
  if (after == timeline.keys.begin()) return {};  // before the first keyframe: at rest
  const Timeline::Key& before = *(after - 1);
  if (after == timeline.keys.end()) return before.sample;
  Sample sample = before.sample;
  const float t = static_cast<float>(frame - before.frame) / static_cast<float>(after->frame - before.frame);
  const auto glide = [t](Pose& pose, const Pose& to) {
    pose.position = glm::mix(pose.position, to.position, t);
    pose.orientation = glm::slerp(pose.orientation, to.orientation, t);
  };
  glide(sample.head, after->sample.head);
  for (size_t hand = 0; hand < 2; ++hand) glide(sample.hands[hand].pose, after->sample.hands[hand].pose);
  return sample;
}

}  // namespace pavilion::xr_runtime
