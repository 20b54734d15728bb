#include "show_source.h"

#include "json_choice.h"
#include "particle_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <regex>
#include <utility>

namespace pavilion::pack {
namespace {

using nlohmann::json;
using Checker = checking::JsonChecker;

constexpr double longest_show = scene::longest_show_seconds;

constexpr std::array<std::pair<std::string_view, scene::Easing>, 5> easings{{
    {"linear", scene::Easing::linear},
    {"ease_in", scene::Easing::ease_in},
    {"ease_out", scene::Easing::ease_out},
    {"ease_in_out", scene::Easing::ease_in_out},
    {"step", scene::Easing::step},
}};

std::string exhibit_list(const SceneSource& source, std::optional<scene::ExhibitKind> kind) {
  std::string listed;
  for (const ExhibitSource& exhibit : source.exhibits) {
    if (kind && exhibit.kind != *kind) continue;
    listed += listed.empty() ? exhibit.id : ", " + exhibit.id;
  }
  return listed.empty() ? "none" : listed;
}

// The exhibit named by object[key], by its index; it must be of `kind` when one is given.
std::optional<size_t> exhibit_field(Checker& check, const json& object, const std::string& path, std::string_view key,
                                    bool required, const SceneSource& source,
                                    std::optional<scene::ExhibitKind> kind) {
  const auto id = check.string_field(object, path, key, required);
  if (!id) return std::nullopt;
  const auto found = std::find_if(source.exhibits.begin(), source.exhibits.end(),
                                  [&](const ExhibitSource& exhibit) { return exhibit.id == *id; });
  const std::string field = Checker::join(path, key);
  if (found == source.exhibits.end()) {
    check.error(field,
                fmt::format("'{}' is not an exhibit of this scene; its {}exhibits are: {}", *id,
                            kind ? fmt::format("{} ", scene::to_string(*kind)) : "", exhibit_list(source, kind)),
                fmt::format("“{}”不是本场景的展品；本场景的{}展品有：{}", *id,
                            kind ? fmt::format("{} 类", scene::to_string(*kind)) : "", exhibit_list(source, kind)));
    return std::nullopt;
  }
  if (kind && found->kind != *kind) {
    check.error(field,
                fmt::format("'{}' is a {} exhibit; name one of the scene's {} exhibits: {}", *id, scene::to_string(found->kind),
                            scene::to_string(*kind), exhibit_list(source, kind)),
                fmt::format("“{}”是 {} 类展品；请指定 {} 类展品：{}", *id, scene::to_string(found->kind),
                            scene::to_string(*kind), exhibit_list(source, kind)));
    return std::nullopt;
  }
  return static_cast<size_t>(found - source.exhibits.begin());
}

// "keys": a list of keys from time 0 at increasing times, each read by `read_key`, which returns
// its time. Returns the last key's time (the cue's duration).
template <class ReadKey>
float keys_field(Checker& check, const json& cue, const std::string& path, size_t least, ReadKey&& read_key) {
  const std::string keys_path = Checker::join(path, "keys");
  const auto keys = cue.find("keys");
  if (keys == cue.end() || !keys->is_array() || keys->size() < least) {
    check.error(keys_path, fmt::format("needs {} or more keys, each {{\"time\": …, …}}", least),
                fmt::format("至少需要 {} 个关键帧，每个为 {{\"time\": …, …}}", least));
    return 0.0f;
  }
  float last = 0.0f;
  for (size_t index = 0; index < keys->size(); ++index) {
    const std::string key_path = fmt::format("{}[{}]", keys_path, index);
    const json& key = (*keys)[index];
    if (!key.is_object()) {
      check.error(key_path, "each key must be an object { … }", "每个关键帧必须是一个对象 { … }");
      continue;
    }
    const auto time = check.number_field(key, key_path, "time", 0.0, longest_show);
    if (!time) {
      check.error(Checker::join(key_path, "time"), "each key needs its time in seconds from the cue's start",
                  "每个关键帧都需要从提示开始计的时间（秒）");
    } else if (index == 0 && *time != 0.0) {
      check.error(Checker::join(key_path, "time"), "the first key's time must be 0: the cue's start",
                  "第一个关键帧的时间必须为 0，即提示开始之时");
    } else if (index > 0 && static_cast<float>(*time) <= last) {
      check.error(Checker::join(key_path, "time"), "times must increase from one key to the next",
                  "关键帧的时间必须逐个递增");
    }
    last = std::max(last, static_cast<float>(time.value_or(0.0)));
    read_key(key, key_path, static_cast<float>(time.value_or(0.0)));
  }
  return last;
}

class ShowReader {
 public:
  ShowReader(Checker& check, SceneSource& source, ShowSource& show) : check_(check), source_(source), out_(show) {}

  // One cue at `path`; `show_end` bounds its start (a track's cue), or is absent (a response's).
  std::optional<std::pair<scene::ShowCue, ShowCueSource>> cue(const json& value, const std::string& path,
                                                              std::optional<float> show_end);

 private:
  Checker& check_;
  SceneSource& source_;
  ShowSource& out_;
};

std::optional<std::pair<scene::ShowCue, ShowCueSource>> ShowReader::cue(const json& value, const std::string& path,
                                                                        std::optional<float> show_end) {
  if (!value.is_object()) {
    check_.error(path, "each cue must be an object {\"kind\": …, \"start\": …, …}",
                 "每个提示必须是一个对象 {\"kind\": …, \"start\": …, …}");
    return std::nullopt;
  }
  static constexpr std::array<std::pair<std::string_view, scene::CueKind>, 6> kinds{{
      {"camera", scene::CueKind::camera},
      {"clip", scene::CueKind::clip},
      {"burst", scene::CueKind::burst},
      {"light", scene::CueKind::light},
      {"sound", scene::CueKind::sound},
      {"title", scene::CueKind::title},
  }};
  scene::ShowCue cue;
  ShowCueSource cue_source;
  cue_source.json_path = path;
  cue.kind = choice(check_, value, path, "kind", kinds, true);
  switch (cue.kind) {
    case scene::CueKind::camera: check_.check_fields(value, path, {"kind", "start", "calm", "keys"}); break;
    case scene::CueKind::light: check_.check_fields(value, path, {"kind", "start", "calm", "keys"}); break;
    case scene::CueKind::clip:
      check_.check_fields(value, path, {"kind", "start", "calm", "exhibit", "clip", "duration", "speed", "loop", "fade"});
      break;
    case scene::CueKind::burst: check_.check_fields(value, path, {"kind", "start", "calm", "emitter"}); break;
    case scene::CueKind::sound: check_.check_fields(value, path, {"kind", "start", "calm", "sound", "gain_db"}); break;
    case scene::CueKind::title:
      check_.check_fields(value, path,
                          {"kind", "start", "calm", "text", "duration", "position", "exhibit", "fade", "font"});
      break;
  }
  cue.start = static_cast<float>(check_.number_field(value, path, "start", 0.0, longest_show).value_or(0.0));
  if (show_end && cue.start >= *show_end) {
    check_.error(Checker::join(path, "start"),
                 fmt::format("starts at {} s, when the show ({} s long) is over; start it earlier or lengthen the "
                             "show's \"duration\"",
                             cue.start, *show_end),
                 fmt::format("开始于 {} 秒，此时演出（全长 {} 秒）已结束；请提前开始，或延长演出的 \"duration\"",
                             cue.start, *show_end));
  }
  cue.calm = choice(check_, value, path, "calm",
                    std::array<std::pair<std::string_view, scene::CalmRule>, 3>{{{"rules", scene::CalmRule::rules},
                                                                                {"skip", scene::CalmRule::skip},
                                                                                {"keep", scene::CalmRule::keep}}});
  switch (cue.kind) {
    case scene::CueKind::camera:
      cue.duration = keys_field(check_, value, path, 2, [&](const json& key, const std::string& key_path, float time) {
        check_.check_fields(key, key_path, {"time", "position", "target", "fov", "easing"});
        scene::CameraMoveKey out;
        out.time = time;
        out.position = check_.vector_field(key, key_path, "position", true).value_or(out.position);
        out.target = check_.vector_field(key, key_path, "target", true).value_or(out.target);
        out.vertical_fov_degrees =
            static_cast<float>(check_.number_field(key, key_path, "fov", 10.0, 120.0).value_or(out.vertical_fov_degrees));
        out.easing = choice(check_, key, key_path, "easing", easings);
        if (glm::distance(out.position, out.target) < 1e-3f) {
          check_.error(Checker::join(key_path, "target"), "must differ from the position: it is the point looked at",
                       "必须与位置不同：它是视线所指的点");
        }
        cue.camera_keys.push_back(out);
      });
      break;
    case scene::CueKind::light:
      cue.duration = keys_field(check_, value, path, 1, [&](const json& key, const std::string& key_path, float time) {
        check_.check_fields(key, key_path, {"time", "color", "intensity", "easing"});
        scene::LightKey out;
        out.time = time;
        out.color = check_.color_field(key, key_path, "color").value_or(out.color);
        out.intensity = static_cast<float>(check_.number_field(key, key_path, "intensity", 0.0, 100.0).value_or(1.0));
        out.easing = choice(check_, key, key_path, "easing", easings);
        cue.light_keys.push_back(out);
      });
      break;
    case scene::CueKind::clip:
      if (const auto exhibit = exhibit_field(check_, value, path, "exhibit", true, source_, scene::ExhibitKind::model)) {
        cue.exhibit = static_cast<uint32_t>(*exhibit);
      }
      cue_source.clip = check_.string_field(value, path, "clip", true).value_or("");
      cue.duration = static_cast<float>(check_.number_field(value, path, "duration", 0.0, longest_show).value_or(0.0));
      cue.speed = static_cast<float>(check_.number_field(value, path, "speed", 0.01, 100.0).value_or(1.0));
      cue.loop = check_.bool_field(value, path, "loop").value_or(false);
      cue.fade_seconds = static_cast<float>(check_.number_field(value, path, "fade", 0.0, 60.0).value_or(0.0));
      break;
    case scene::CueKind::burst: {
      const auto emitter = check_.string_field(value, path, "emitter", true);
      if (!emitter) break;
      if (const auto system = find_particle_system(check_, source_, Checker::join(path, "emitter"), *emitter)) {
        cue.emitter = *system;
      }
      break;
    }
    case scene::CueKind::sound:
      if (const auto exhibit = exhibit_field(check_, value, path, "sound", true, source_, scene::ExhibitKind::audio)) {
        cue_source.sound_exhibit = *exhibit;
      }
      cue.gain_db = static_cast<float>(check_.number_field(value, path, "gain_db", -60.0, 12.0).value_or(0.0));
      break;
    case scene::CueKind::title:
      cue.text = check_.text_field(value, path, "text", true);
      cue.duration = static_cast<float>(check_.number_field(value, path, "duration", 0.1, longest_show).value_or(0.0));
      if (cue.duration == 0.0f) {
        check_.error(Checker::join(path, "duration"), "a title needs its duration: how many seconds it shows",
                     "标题需要时长：显示多少秒");
      }
      cue.position = check_.vector_field(value, path, "position", false).value_or(cue.position);
      if (const auto exhibit = exhibit_field(check_, value, path, "exhibit", false, source_, std::nullopt)) {
        cue.exhibit = static_cast<uint32_t>(*exhibit);
      }
      cue.fade_seconds = static_cast<float>(check_.number_field(value, path, "fade", 0.0, 10.0).value_or(0.5));
      cue.font = choice(check_, value, path, "font",
                        std::array<std::pair<std::string_view, scene::FontRole>, 2>{
                            {{"calligraphy", scene::FontRole::calligraphy}, {"body", scene::FontRole::body}}});
      break;
  }
  return std::pair{std::move(cue), std::move(cue_source)};
}

// object["cues"]: a list of cues, each by ShowReader::cue.
void read_cues(Checker& check, ShowReader& reader, const json& object, const std::string& path,
               std::optional<float> show_end, std::vector<scene::ShowCue>& cues,
               std::vector<ShowCueSource>& sources) {
  const std::string cues_path = Checker::join(path, "cues");
  const auto list = object.find("cues");
  if (list == object.end() || !list->is_array()) {
    check.error(cues_path, "must be a list [ … ] of cues", "必须是提示列表 [ … ]");
    return;
  }
  for (size_t index = 0; index < list->size(); ++index) {
    if (auto read = reader.cue((*list)[index], fmt::format("{}[{}]", cues_path, index), show_end)) {
      cues.push_back(std::move(read->first));
      sources.push_back(std::move(read->second));
    }
  }
}

}  // namespace

void parse_show(Checker& check, const json& root, SceneSource& source) {
  const auto found = root.find("show");
  if (found == root.end()) return;
  if (!found->is_object()) {
    check.error("show", "must be an object {\"duration\": …, \"tracks\": […]}", "必须是一个对象 {\"duration\": …, \"tracks\": […]}");
    return;
  }
  const json& show = *found;
  check.check_fields(show, "show", {"duration", "loop", "emitters", "tracks", "moments"});
  ShowSource out;
  const auto duration = check.number_field(show, "show", "duration", scene::shortest_show_seconds, longest_show);
  if (!duration) {
    check.error("show.duration", "a show needs its duration in seconds: when it ends, or starts again in attract mode",
                "演出需要时长（秒）：何时结束，或在吸引模式下何时重新开始");
  }
  out.show.duration = static_cast<float>(duration.value_or(longest_show));
  out.show.loop_in_attract = check.bool_field(show, "show", "loop").value_or(true);

  // Before particle systems were described, a show declared its emitters as a name and a place:
  // each still stands, as a placeholder burst of sparks there, until it is described.
  if (const auto emitters = show.find("emitters"); emitters != show.end()) {
    if (!emitters->is_array()) check.error("show.emitters", "must be a list [ … ] of emitters", "必须是发射器列表 [ … ]");
    for (size_t index = 0; emitters->is_array() && index < emitters->size(); ++index) {
      const std::string path = fmt::format("show.emitters[{}]", index);
      const json& emitter = (*emitters)[index];
      if (!emitter.is_object()) {
        check.error(path, "each emitter must be an object {\"name\": …, \"position\": […]}",
                    "每个发射器必须是一个对象 {\"name\": …, \"position\": […]}");
        continue;
      }
      check.check_fields(emitter, path, {"name", "position"});
      const std::string name = check.string_field(emitter, path, "name", true).value_or("");
      const glm::vec3 position = check.vector_field(emitter, path, "position", true).value_or(glm::vec3(0.0f));
      const bool described = std::any_of(source.particles.begin(), source.particles.end(),
                                          [&](const scene::ParticleSystem& system) { return system.name == name; });
      if (name.empty() || described) continue;
      check.warning(path,
                    fmt::format("emitter '{}' is a placeholder burst of sparks; describe it in \"particles\" instead", name),
                    fmt::format("发射器“{}”只是占位的火花爆发；请改在 \"particles\" 中描述它", name));
      source.particles.push_back(scene::placeholder_burst(name, position));
    }
  }

  ShowReader reader(check, source, out);
  const auto tracks = show.find("tracks");
  if (tracks == show.end() || !tracks->is_array() || tracks->empty()) {
    check.error("show.tracks", "a show needs one or more tracks: {\"name\": …, \"cues\": […]}",
                "演出至少需要一条轨道：{\"name\": …, \"cues\": […]}");
  } else {
    for (size_t index = 0; index < tracks->size(); ++index) {
      const std::string path = fmt::format("show.tracks[{}]", index);
      const json& track = (*tracks)[index];
      if (!track.is_object()) {
        check.error(path, "each track must be an object {\"name\": …, \"cues\": […]}",
                    "每条轨道必须是一个对象 {\"name\": …, \"cues\": […]}");
        continue;
      }
      check.check_fields(track, path, {"name", "cues"});
      scene::ShowTrack out_track;
      out_track.name = check.string_field(track, path, "name", false).value_or(fmt::format("track {}", index));
      out.track_cues.emplace_back();
      read_cues(check, reader, track, path, out.show.duration, out_track.cues, out.track_cues.back());
      out.show.tracks.push_back(std::move(out_track));
    }
  }

  if (const auto moments = show.find("moments"); moments != show.end()) {
    if (!moments->is_array()) {
      check.error("show.moments", "must be a list [ … ] of interactive moments", "必须是互动时刻列表 [ … ]");
    }
    static const std::regex event_pattern("[a-z][a-z0-9_]{0,63}");
    for (size_t index = 0; moments->is_array() && index < moments->size(); ++index) {
      const std::string path = fmt::format("show.moments[{}]", index);
      const json& moment = (*moments)[index];
      if (!moment.is_object()) {
        check.error(path, "each moment must be an object {\"exhibit\": …, \"trigger\": …, \"event\": …, \"cues\": […]}",
                    "每个互动时刻必须是一个对象 {\"exhibit\": …, \"trigger\": …, \"event\": …, \"cues\": […]}");
        continue;
      }
      check.check_fields(moment, path, {"exhibit", "trigger", "event", "cues"});
      scene::InteractiveMoment out_moment;
      const auto exhibit = exhibit_field(check, moment, path, "exhibit", true, source, std::nullopt);
      out_moment.exhibit = static_cast<uint32_t>(exhibit.value_or(0));
      out_moment.trigger = choice(check, moment, path, "trigger",
                                  std::array<std::pair<std::string_view, scene::MomentTrigger>, 2>{
                                      {{"touch", scene::MomentTrigger::touch}, {"point", scene::MomentTrigger::point}}},
                                  true);
      out_moment.event = check.string_field(moment, path, "event", true).value_or("");
      if (!out_moment.event.empty() && !std::regex_match(out_moment.event, event_pattern)) {
        check.error(Checker::join(path, "event"),
                    "must be lowercase letters, digits and '_', starting with a letter, at most 64 (it is logged)",
                    "只能由小写字母、数字和“_”组成，以字母开头，最多 64 个（它会被记录）");
      }
      out.moment_cues.emplace_back();
      read_cues(check, reader, moment, path, std::nullopt, out_moment.response, out.moment_cues.back());
      out.show.moments.push_back(std::move(out_moment));
    }
  }
  source.show = std::move(out);
}

}  // namespace pavilion::pack
