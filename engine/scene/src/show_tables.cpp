// A show's binary form in the scene tables (version 11; 9 and 10 read too), and its checks on reading.
#include "pavilion/scene/scene_tables.h"

#include "localized_text_codec.h"

#include <fmt/format.h>

#include <cmath>

namespace pavilion::scene {
namespace {

constexpr uint32_t max_show_entries = 1u << 16;

Error invalid(std::string why) { return Error(ErrorCode::invalid_input, "reading the scene's show", std::move(why)); }

bool finite(float value) { return std::isfinite(value); }
bool finite(glm::vec3 value) { return std::isfinite(value.x) && std::isfinite(value.y) && std::isfinite(value.z); }

void write_cue(ByteWriter& out, const ShowCue& cue) {
  out.write(static_cast<uint32_t>(cue.kind));
  out.write(cue.start);
  out.write(cue.duration);
  out.write(static_cast<uint32_t>(cue.calm));
  out.write(static_cast<uint32_t>(cue.camera_keys.size()));
  for (const CameraMoveKey& key : cue.camera_keys) {
    out.write(key.time);
    out.write(key.position);
    out.write(key.target);
    out.write(key.vertical_fov_degrees);
    out.write(static_cast<uint32_t>(key.easing));
  }
  out.write(static_cast<uint32_t>(cue.light_keys.size()));
  for (const LightKey& key : cue.light_keys) {
    out.write(key.time);
    out.write(key.color);
    out.write(key.intensity);
    out.write(static_cast<uint32_t>(key.easing));
  }
  out.write(cue.exhibit);
  out.write(cue.animation);
  out.write(cue.speed);
  out.write(static_cast<uint8_t>(cue.loop));
  out.write(cue.fade_seconds);
  out.write(cue.emitter);
  out.write(cue.sound);
  out.write(cue.gain_db);
  write_text(out, cue.text);
  out.write(cue.position);
  out.write(static_cast<uint32_t>(cue.font));
}

Result<Easing> read_easing(ByteReader& in) {
  PV_TRY_ASSIGN(const uint32_t easing, in.read<uint32_t>("a key's easing"));
  if (easing > static_cast<uint32_t>(Easing::step)) return invalid(fmt::format("a key has an unknown easing {}", easing));
  return static_cast<Easing>(easing);
}

// Keys from time 0 at increasing times, up to the cue's duration.
template <class Key>
std::optional<std::string> keys_problem(const std::vector<Key>& keys, float duration) {
  if (keys.empty()) return "has no keys";
  if (keys.front().time != 0.0f) return "does not begin with a key at 0 s";
  for (size_t key = 1; key < keys.size(); ++key) {
    if (!(keys[key].time > keys[key - 1].time)) return fmt::format("key {} is not later than the key before it", key);
  }
  if (keys.back().time > duration + 1e-4f) return "has keys beyond its duration";
  return std::nullopt;
}

Result<ShowCue> read_cue(ByteReader& in) {
  ShowCue cue;
  PV_TRY_ASSIGN(const uint32_t kind, in.read<uint32_t>("a cue's kind"));
  if (kind < static_cast<uint32_t>(CueKind::camera) || kind > static_cast<uint32_t>(CueKind::title)) {
    return invalid(fmt::format("is of an unknown kind {}", kind));
  }
  cue.kind = static_cast<CueKind>(kind);
  PV_TRY_ASSIGN(cue.start, in.read<float>("a cue's start"));
  PV_TRY_ASSIGN(cue.duration, in.read<float>("a cue's duration"));
  PV_TRY_ASSIGN(const uint32_t calm, in.read<uint32_t>("a cue's calm rule"));
  if (calm > static_cast<uint32_t>(CalmRule::keep)) return invalid(fmt::format("has an unknown calm rule {}", calm));
  cue.calm = static_cast<CalmRule>(calm);
  PV_TRY_ASSIGN(const uint32_t camera_keys, in.read<uint32_t>("a camera move's key count"));
  if (camera_keys > max_show_entries) return invalid("has an implausible number of camera keys");
  for (uint32_t index = 0; index < camera_keys; ++index) {
    CameraMoveKey key;
    PV_TRY_ASSIGN(key.time, in.read<float>("a camera key's time"));
    PV_TRY_ASSIGN(key.position, in.read<glm::vec3>("a camera key's position"));
    PV_TRY_ASSIGN(key.target, in.read<glm::vec3>("a camera key's target"));
    PV_TRY_ASSIGN(key.vertical_fov_degrees, in.read<float>("a camera key's field of view"));
    PV_TRY_ASSIGN(key.easing, read_easing(in));
    if (!finite(key.position) || !finite(key.target) || !(key.vertical_fov_degrees > 0.0f) ||
        !(key.vertical_fov_degrees < 180.0f)) {
      return invalid(fmt::format("has camera key {} with a position, target or field of view out of range", index));
    }
    cue.camera_keys.push_back(key);
  }
  PV_TRY_ASSIGN(const uint32_t light_keys, in.read<uint32_t>("a light ramp's key count"));
  if (light_keys > max_show_entries) return invalid("has an implausible number of light keys");
  for (uint32_t index = 0; index < light_keys; ++index) {
    LightKey key;
    PV_TRY_ASSIGN(key.time, in.read<float>("a light key's time"));
    PV_TRY_ASSIGN(key.color, in.read<glm::vec3>("a light key's colour"));
    PV_TRY_ASSIGN(key.intensity, in.read<float>("a light key's intensity"));
    PV_TRY_ASSIGN(key.easing, read_easing(in));
    if (!finite(key.color) || !finite(key.intensity) || key.intensity < 0.0f) {
      return invalid(fmt::format("has light key {} with a colour or intensity out of range", index));
    }
    cue.light_keys.push_back(key);
  }
  PV_TRY_ASSIGN(cue.exhibit, in.read<uint32_t>("a cue's exhibit"));
  PV_TRY_ASSIGN(cue.animation, in.read<uint32_t>("a cue's clip"));
  PV_TRY_ASSIGN(cue.speed, in.read<float>("a clip's speed"));
  PV_TRY_ASSIGN(const uint8_t loop, in.read<uint8_t>("a clip's loop flag"));
  if (loop > 1) return invalid(fmt::format("has a loop flag of {}", loop));
  cue.loop = loop == 1;
  PV_TRY_ASSIGN(cue.fade_seconds, in.read<float>("a cue's fade"));
  PV_TRY_ASSIGN(cue.emitter, in.read<uint32_t>("a burst's emitter"));
  PV_TRY_ASSIGN(cue.sound, in.read<uint32_t>("a cue's sound"));
  PV_TRY_ASSIGN(cue.gain_db, in.read<float>("a sound's gain"));
  PV_TRY_ASSIGN(cue.text, read_text(in, "a title's text"));
  PV_TRY_ASSIGN(cue.position, in.read<glm::vec3>("a title's position"));
  PV_TRY_ASSIGN(const uint32_t font, in.read<uint32_t>("a title's font role"));
  if (font > static_cast<uint32_t>(FontRole::body)) return invalid(fmt::format("has an unknown font role {}", font));
  cue.font = static_cast<FontRole>(font);
  return cue;
}

// The cue's own ranges, and every index it holds against the tables' counts.
std::optional<std::string> cue_problem(const ShowCue& cue, const ShowLimits& limits) {
  if (!finite(cue.start) || cue.start < 0.0f || !finite(cue.duration) || cue.duration < 0.0f ||
      cue.duration > longest_show_seconds) {
    return "starts before 0 s or lasts an impossible time";
  }
  if (!finite(cue.speed) || !(cue.speed > 0.0f) || !finite(cue.fade_seconds) || cue.fade_seconds < 0.0f ||
      !finite(cue.gain_db) || cue.gain_db > 24.0f || !finite(cue.position)) {
    return "has a speed, fade, gain or position out of range";
  }
  const auto index_problem = [](std::string_view what, uint32_t index, size_t count) -> std::optional<std::string> {
    if (index < count) return std::nullopt;
    return fmt::format("names {} {}, but there are {}", what, index, count);
  };
  switch (cue.kind) {
    case CueKind::camera:
      if (auto problem = keys_problem(cue.camera_keys, cue.duration)) return "is a camera move that " + *problem;
      break;
    case CueKind::light:
      if (auto problem = keys_problem(cue.light_keys, cue.duration)) return "is a light ramp that " + *problem;
      break;
    case CueKind::clip:
      if (auto problem = index_problem("exhibit", cue.exhibit, limits.exhibits)) return problem;
      if (auto problem = index_problem("clip", cue.animation, limits.animations)) return problem;
      break;
    case CueKind::burst: return index_problem("particle system", cue.emitter, limits.particle_systems);
    case CueKind::sound: return index_problem("sound", cue.sound, limits.sounds);
    case CueKind::title:
      if (cue.exhibit != no_show_index) return index_problem("exhibit", cue.exhibit, limits.exhibits);
      break;
  }
  return std::nullopt;
}

}  // namespace

void write_show(ByteWriter& out, const Show& show) {
  out.write(show.duration);
  out.write(static_cast<uint8_t>(show.loop_in_attract));
  out.write(static_cast<uint32_t>(show.tracks.size()));
  for (const ShowTrack& track : show.tracks) {
    out.write_string(track.name);
    out.write(static_cast<uint32_t>(track.cues.size()));
    for (const ShowCue& cue : track.cues) write_cue(out, cue);
  }
  out.write(static_cast<uint32_t>(show.moments.size()));
  for (const InteractiveMoment& moment : show.moments) {
    out.write(moment.exhibit);
    out.write(static_cast<uint32_t>(moment.trigger));
    out.write_string(moment.event);
    out.write(static_cast<uint32_t>(moment.response.size()));
    for (const ShowCue& cue : moment.response) write_cue(out, cue);
  }
}

Result<Show> read_show(ByteReader& in, const ShowLimits& given_limits, uint32_t version,
                       std::vector<ParticleSystem>* particles) {
  Show show;
  ShowLimits limits = given_limits;
  PV_TRY_ASSIGN(show.duration, in.read<float>("the show's duration"));
  if (!finite(show.duration) || !(show.duration >= shortest_show_seconds) || show.duration > longest_show_seconds) {
    return invalid(fmt::format("the show lasts {} s; it must last from {} s to a day", show.duration, shortest_show_seconds));
  }
  PV_TRY_ASSIGN(const uint8_t loop, in.read<uint8_t>("the show's loop flag"));
  if (loop > 1) return invalid(fmt::format("the show's loop flag is {}, not 0 or 1", loop));
  show.loop_in_attract = loop == 1;
  if (version < 11) {
    expects(particles != nullptr && particles->empty(), "older tables have no particle systems of their own");
    PV_TRY_ASSIGN(const uint32_t emitters, in.read<uint32_t>("the show's emitter count"));
    if (emitters > max_particle_systems) return invalid("the show's emitter count is implausible");
    for (uint32_t index = 0; index < emitters; ++index) {
      PV_TRY_ASSIGN(std::string name, in.read_string("an emitter's name"));
      PV_TRY_ASSIGN(const glm::vec3 position, in.read<glm::vec3>("an emitter's position"));
      if (!finite(position)) return invalid(fmt::format("the show's emitter {} has a position out of range", index));
      particles->push_back(placeholder_burst(std::move(name), position));
    }
    limits.particle_systems = particles->size();
  }
  PV_TRY_ASSIGN(const uint32_t tracks, in.read<uint32_t>("the show's track count"));
  if (tracks > max_show_entries) return invalid("the show's track count is implausible");
  for (uint32_t track_index = 0; track_index < tracks; ++track_index) {
    ShowTrack track;
    PV_TRY_ASSIGN(track.name, in.read_string("a track's name"));
    const std::string where = fmt::format("the show's track {} ('{}')", track_index, track.name);
    PV_TRY_ASSIGN(const uint32_t cues, in.read<uint32_t>(fmt::format("{}'s cue count", where)));
    if (cues > max_show_entries) return invalid(fmt::format("{} has an implausible number of cues", where));
    for (uint32_t index = 0; index < cues; ++index) {
      auto cue = read_cue(in);
      if (!cue.ok()) return Error(cue.error()).add_context(fmt::format("reading {}, cue {}", where, index));
      std::optional<std::string> problem = cue_problem(*cue, limits);
      if (!problem && cue->start >= show.duration) problem = fmt::format("starts at or after the show's end ({} s)", show.duration);
      if (problem) return invalid(fmt::format("{}, cue {} ({}) {}", where, index, to_string(cue->kind), *problem));
      track.cues.push_back(std::move(*cue));
    }
    show.tracks.push_back(std::move(track));
  }
  PV_TRY_ASSIGN(const uint32_t moments, in.read<uint32_t>("the show's moment count"));
  if (moments > max_show_entries) return invalid("the show's moment count is implausible");
  for (uint32_t moment_index = 0; moment_index < moments; ++moment_index) {
    InteractiveMoment moment;
    const std::string where = fmt::format("the show's interactive moment {}", moment_index);
    PV_TRY_ASSIGN(moment.exhibit, in.read<uint32_t>("a moment's exhibit"));
    PV_TRY_ASSIGN(const uint32_t trigger, in.read<uint32_t>("a moment's trigger"));
    PV_TRY_ASSIGN(moment.event, in.read_string("a moment's event"));
    if (moment.exhibit >= limits.exhibits) {
      return invalid(fmt::format("{} names exhibit {}, but there are {}", where, moment.exhibit, limits.exhibits));
    }
    if (trigger < static_cast<uint32_t>(MomentTrigger::touch) || trigger > static_cast<uint32_t>(MomentTrigger::point)) {
      return invalid(fmt::format("{} has an unknown trigger {}", where, trigger));
    }
    moment.trigger = static_cast<MomentTrigger>(trigger);
    if (moment.event.empty()) return invalid(fmt::format("{} logs no event", where));
    PV_TRY_ASSIGN(const uint32_t cues, in.read<uint32_t>("a moment's cue count"));
    if (cues > max_show_entries) return invalid(fmt::format("{} has an implausible number of cues", where));
    for (uint32_t index = 0; index < cues; ++index) {
      auto cue = read_cue(in);
      if (!cue.ok()) return Error(cue.error()).add_context(fmt::format("reading {}, cue {}", where, index));
      if (auto problem = cue_problem(*cue, limits)) {
        return invalid(fmt::format("{}, cue {} ({}) {}", where, index, to_string(cue->kind), *problem));
      }
      moment.response.push_back(std::move(*cue));
    }
    show.moments.push_back(std::move(moment));
  }
  return show;
}

}  // namespace pavilion::scene
