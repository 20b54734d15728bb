#include "pavilion/scene/show.h"

#include "pavilion/core/error.h"

#include <algorithm>
#include <cmath>

namespace pavilion::scene {
namespace {

bool slowed(const ShowCue& cue, bool calm) {
  return calm && cue.calm == CalmRule::rules &&
         (cue.kind == CueKind::camera || cue.kind == CueKind::light || cue.kind == CueKind::clip);
}

// Keys are ordered by time (the tables' decoder checks it); before the first and after the last
// the end key holds.
template <class Key, class Mix>
auto sample_keys(std::span<const Key> keys, float seconds, Mix&& mix) {
  expects(!keys.empty(), "a camera move or light ramp has keys");
  if (seconds <= keys.front().time) return mix(keys.front(), keys.front(), 0.0f);
  if (seconds >= keys.back().time) return mix(keys.back(), keys.back(), 0.0f);
  size_t next = 1;
  while (keys[next].time <= seconds) ++next;
  const Key& from = keys[next - 1];
  const Key& to = keys[next];
  return mix(from, to, ease(to.easing, (seconds - from.time) / (to.time - from.time)));
}

}  // namespace

float ease(Easing easing, float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  switch (easing) {
    case Easing::linear: return t;
    case Easing::ease_in: return t * t;
    case Easing::ease_out: return 1.0f - (1.0f - t) * (1.0f - t);
    case Easing::ease_in_out: return t * t * (3.0f - 2.0f * t);
    case Easing::step: return t < 1.0f ? 0.0f : 1.0f;
  }
  return t;
}

std::string_view to_string(CueKind kind) {
  switch (kind) {
    case CueKind::camera: return "camera";
    case CueKind::clip: return "clip";
    case CueKind::burst: return "burst";
    case CueKind::light: return "light";
    case CueKind::sound: return "sound";
    case CueKind::title: return "title";
  }
  return "unknown";
}

float played_duration(const ShowCue& cue, bool calm) {
  return slowed(cue, calm) ? cue.duration / calm_speed : cue.duration;
}

bool is_played(const ShowCue& cue, bool calm) {
  if (!calm || cue.calm == CalmRule::keep) return true;
  return cue.calm == CalmRule::rules && cue.kind != CueKind::burst;
}

CameraPose sample_camera(std::span<const CameraMoveKey> keys, float seconds) {
  return sample_keys(keys, seconds, [](const CameraMoveKey& a, const CameraMoveKey& b, float t) {
    return CameraPose{glm::mix(a.position, b.position, t), glm::mix(a.target, b.target, t),
                      a.vertical_fov_degrees + (b.vertical_fov_degrees - a.vertical_fov_degrees) * t};
  });
}

LightValue sample_light(std::span<const LightKey> keys, float seconds) {
  return sample_keys(keys, seconds, [](const LightKey& a, const LightKey& b, float t) {
    return LightValue{glm::mix(a.color, b.color, t), a.intensity + (b.intensity - a.intensity) * t};
  });
}

ShowPlayer::ShowPlayer(const Show& show, ShowPlayerOptions options) : show_(show), options_(options) {
  expects(show.duration > 0.0f, "a show lasts some time");
  size_t titles = 0;
  for (uint32_t track = 0; track < show.tracks.size(); ++track) {
    track_offsets_.push_back(static_cast<uint32_t>(names_.size()));
    for (uint32_t cue = 0; cue < show.tracks[track].cues.size(); ++cue) {
      names_.push_back({track, no_show_index, cue});
      titles += show.tracks[track].cues[cue].kind == CueKind::title ? 1 : 0;
    }
  }
  const size_t cues = names_.size();
  for (uint32_t moment = 0; moment < show.moments.size(); ++moment) {
    moment_offsets_.push_back(static_cast<uint32_t>(moment_names_.size()));
    for (uint32_t cue = 0; cue < show.moments[moment].response.size(); ++cue) {
      moment_names_.push_back({no_show_index, moment, cue});
      titles += show.moments[moment].response[cue].kind == CueKind::title ? 1 : 0;
    }
  }
  const size_t responses = moment_names_.size();
  active_.resize(cues);
  moment_active_.resize(responses);
  moment_started_.assign(show.moments.size(), -1.0);
  moment_ends_.assign(show.moments.size(), 0.0);
  moment_pending_.assign(show.moments.size(), 0);
  // One update sees at most a show's length of time (a longer jump is cut), so two passes: each
  // cue starts and ends at most twice, and may be ended once more by a seek or a cut.
  events_.reserve(5 * cues + 3 * responses + show.moments.size() + 1);
  titles_.reserve(titles);
}

void ShowPlayer::push(const ShowEvent& event) {
  // Sized in the constructor for the most one update can report; growing would allocate.
  expects(events_.size() < events_.capacity(), "a show's frame reports no more events than it was sized for");
  events_.push_back(event);
}

ShowPlayer::CueName ShowPlayer::name_of(bool moments, size_t index) const {
  return moments ? moment_names_[index] : names_[index];
}

const ShowCue& ShowPlayer::cue_of(CueName name) const {
  if (name.moment != no_show_index) return show_.moments[name.moment].response[name.cue];
  return show_.tracks[name.track].cues[name.cue];
}

void ShowPlayer::start_cue(const ShowCue& cue, CueName name, Active& active, double started, double now,
                           double ends_by) {
  const bool calm = options_.calm;
  active.calm = calm;
  active.started = started;
  active.ends = std::min(started + static_cast<double>(played_duration(cue, calm)), ends_by);
  active.playing = cue.duration > 0.0f;
  ShowEvent event;
  event.kind = ShowEventKind::cue_start;
  event.track = name.track;
  event.moment = name.moment;
  event.cue = name.cue;
  event.play_seconds = started;
  event.late = static_cast<float>(now - started);
  event.speed = slowed(cue, calm) ? cue.speed * calm_speed : cue.speed;
  event.gain_db = cue.gain_db + (calm && cue.calm == CalmRule::rules && cue.kind == CueKind::sound ? calm_gain_db : 0.0f);
  push(event);
  if (cue.kind == CueKind::camera && (camera_ == nullptr || started >= camera_active_.started)) {
    camera_ = &cue;
    camera_active_ = active;
  }
  if (cue.kind == CueKind::light && (light_ == nullptr || started >= light_active_.started)) {
    light_ = &cue;
    light_active_ = active;
  }
}

void ShowPlayer::end_cues(std::span<Active> actives, bool moments, double until, bool every) {
  for (size_t index = 0; index < actives.size(); ++index) {
    Active& active = actives[index];
    if (!active.playing || (!every && active.ends > until)) continue;
    active.playing = false;
    const CueName name = name_of(moments, index);
    ShowEvent event;
    event.kind = ShowEventKind::cue_end;
    event.track = name.track;
    event.moment = name.moment;
    event.cue = name.cue;
    event.play_seconds = every ? std::min(until, active.ends) : active.ends;
    push(event);
  }
}

// The cues of the pass beginning at `pass_start` (play time) that start or end in the window from
// `from` (included when `inclusive`) to `to`.
void ShowPlayer::report_pass(double pass_start, double from, double to, bool inclusive) {
  const double pass_end = pass_start + static_cast<double>(show_.duration);
  end_cues(active_, false, to, false);
  for (size_t index = 0; index < names_.size(); ++index) {
    const CueName name = names_[index];
    const ShowCue& cue = cue_of(name);
    const double at = pass_start + static_cast<double>(cue.start);
    if ((at > from || (inclusive && at == from)) && at <= to && is_played(cue, options_.calm)) {
      start_cue(cue, name, active_[index], at, to, pass_end);
    }
  }
  end_cues(active_, false, to, false);
}

void ShowPlayer::report_moments(double from, double to) {
  for (uint32_t moment = 0; moment < show_.moments.size(); ++moment) {
    if (moment_started_[moment] < 0.0) continue;
    const double origin = moment_started_[moment];
    const bool pending = moment_pending_[moment] != 0;
    if (pending) {
      ShowEvent event;
      event.kind = ShowEventKind::moment;
      event.moment = moment;
      event.play_seconds = origin;
      event.late = static_cast<float>(to - origin);
      push(event);
      moment_pending_[moment] = 0;
    }
    const std::span<Active> actives = std::span(moment_active_).subspan(moment_offsets_[moment],
                                                                        show_.moments[moment].response.size());
    for (uint32_t index = 0; index < actives.size(); ++index) {
      const ShowCue& cue = show_.moments[moment].response[index];
      const double at = origin + static_cast<double>(cue.start);
      if ((at > from || (pending && at >= origin)) && at <= to && is_played(cue, options_.calm)) {
        start_cue(cue, {no_show_index, moment, index}, actives[index], at, to, HUGE_VAL);
      }
    }
    for (Active& active : actives) {
      if (!active.playing || active.ends > to) continue;
      active.playing = false;
      ShowEvent event;
      event.kind = ShowEventKind::cue_end;
      event.moment = moment;
      event.cue = static_cast<uint32_t>(&active - actives.data());
      event.play_seconds = active.ends;
      push(event);
    }
    if (to >= moment_ends_[moment]) moment_started_[moment] = -1.0;
  }
}

void ShowPlayer::seek(float show_seconds) {
  pending_seek_ = true;
  seek_to_ = std::clamp(show_seconds, 0.0f, show_.duration);
}

void ShowPlayer::set_calm(bool calm) { options_.calm = calm; }

uint32_t ShowPlayer::trigger(uint32_t exhibit, MomentTrigger how) {
  uint32_t started = 0;
  for (uint32_t moment = 0; moment < show_.moments.size(); ++moment) {
    const InteractiveMoment& candidate = show_.moments[moment];
    if (candidate.exhibit != exhibit || candidate.trigger != how || moment_started_[moment] >= 0.0) continue;
    double ends = play_time_;
    for (const ShowCue& cue : candidate.response) {
      ends = std::max(ends, play_time_ + static_cast<double>(cue.start + played_duration(cue, options_.calm)));
    }
    moment_started_[moment] = play_time_;
    moment_ends_[moment] = ends;
    moment_pending_[moment] = 1;
    ++started;
  }
  return started;
}

const ShowFrame& ShowPlayer::update(double clock_seconds) {
  events_.clear();
  const bool first = !started_;
  const double period = options_.clock_period;
  if (!first && period > 0.0) {
    // A looping sound's clock wraps at its end; a jitter back across the wrap unwraps again.
    if (clock_seconds < last_clock_ - period / 2) clock_wraps_ += 1.0;
    if (clock_seconds > last_clock_ + period / 2) clock_wraps_ -= 1.0;
  }
  last_clock_ = clock_seconds;
  const double clock = clock_seconds + clock_wraps_ * period;
  started_ = true;
  double now = clock - clock_origin_;
  if (now < play_time_ - options_.restart_seconds) {
    // The clock restarted: go on from where the show was.
    clock_origin_ = clock - play_time_;
    now = play_time_;
  }
  now = std::max(now, play_time_);  // a clock that stalls or steps back a little: wait for it
  double from = play_time_;
  size_t seek_events = 0;  // a seek's ends and starts come first, in the order made
  const double duration = static_cast<double>(show_.duration);

  if (pending_seek_) {
    pending_seek_ = false;
    frame_.finished = false;
    end_cues(active_, false, from, true);
    pass_origin_ = now - static_cast<double>(seek_to_);
    camera_ = nullptr;
    light_ = nullptr;
    for (size_t index = 0; index < names_.size(); ++index) {
      const ShowCue& cue = cue_of(names_[index]);
      const double at = pass_origin_ + static_cast<double>(cue.start);
      if (at > now || !is_played(cue, options_.calm)) continue;
      const double ends = std::min(at + static_cast<double>(played_duration(cue, options_.calm)), pass_origin_ + duration);
      if (ends > now || at == now) {
        start_cue(cue, names_[index], active_[index], at, now, pass_origin_ + duration);
      } else if (cue.kind == CueKind::camera && (camera_ == nullptr || at >= camera_active_.started)) {
        camera_ = &cue;  // over already: the camera holds its last key
        camera_active_ = {false, options_.calm, at, ends};
      } else if (cue.kind == CueKind::light && (light_ == nullptr || at >= light_active_.started)) {
        light_ = &cue;
        light_active_ = {false, options_.calm, at, ends};
      }
    }
    from = now;
    seek_events = events_.size();
  } else if (!frame_.finished) {
    bool inclusive = first;
    if (options_.loop && now - from > duration) {
      // More than a whole pass went by: report only the last one.
      end_cues(active_, false, from, true);
      from = now - duration;
      inclusive = false;
    }
    const auto pass_of = [&](double time) { return std::floor((time - pass_origin_) / duration); };
    const double first_pass = std::max(0.0, pass_of(from));
    if (options_.loop) {
      for (double pass = first_pass; pass <= pass_of(now); pass += 1.0) {
        report_pass(pass_origin_ + pass * duration, from, now, inclusive && pass == first_pass);
      }
    } else {
      // The pass `from` is in, its end included: a show seeked to its end is over.
      const double pass = std::max(0.0, std::ceil((from - pass_origin_) / duration) - 1.0);
      const double show_end = pass_origin_ + (pass + 1.0) * duration;
      report_pass(pass_origin_ + pass * duration, from, std::min(now, show_end), inclusive);
      frame_.finished = now >= show_end;
    }
  }
  report_moments(from, now);
  play_time_ = now;

  std::sort(events_.begin() + static_cast<ptrdiff_t>(seek_events), events_.end(), [](const ShowEvent& a, const ShowEvent& b) {
    // At one time, what ends goes before what starts, so a move that follows another takes over.
    const auto rank = [](ShowEventKind kind) {
      return kind == ShowEventKind::cue_end ? 0 : kind == ShowEventKind::moment ? 1 : 2;
    };
    if (a.play_seconds != b.play_seconds) return a.play_seconds < b.play_seconds;
    if (rank(a.kind) != rank(b.kind)) return rank(a.kind) < rank(b.kind);
    if (a.moment != b.moment) return a.moment < b.moment;
    if (a.track != b.track) return a.track < b.track;
    return a.cue < b.cue;
  });
  sample(now);
  return frame_;
}

void ShowPlayer::sample(double now) {
  const double duration = static_cast<double>(show_.duration);
  const double into = std::max(0.0, now - pass_origin_);
  const double pass = std::floor(into / duration);
  frame_.pass = static_cast<uint32_t>(frame_.finished ? std::max(0.0, pass - 1.0) : pass);
  frame_.show_seconds = frame_.finished ? show_.duration : static_cast<float>(into - pass * duration);
  frame_.events = events_;

  frame_.has_camera = camera_ != nullptr;
  if (camera_ != nullptr) {
    const float speed = camera_active_.calm && camera_->calm == CalmRule::rules ? calm_speed : 1.0f;
    frame_.camera = sample_camera(camera_->camera_keys, static_cast<float>(now - camera_active_.started) * speed);
  }
  frame_.has_light = light_ != nullptr;
  if (light_ != nullptr) {
    const bool calm = light_active_.calm && light_->calm == CalmRule::rules;
    const float seconds = static_cast<float>(now - light_active_.started) * (calm ? calm_speed : 1.0f);
    frame_.light = sample_light(light_->light_keys, seconds);
    if (calm) {
      // Half the swing from where the ramp begins: no sudden brightening.
      const LightKey& first = light_->light_keys.front();
      frame_.light.color = glm::mix(first.color, frame_.light.color, calm_light_swing);
      frame_.light.intensity = first.intensity + (frame_.light.intensity - first.intensity) * calm_light_swing;
    }
  }

  titles_.clear();
  const auto add_titles = [&](std::span<const Active> actives, bool moments) {
    for (size_t index = 0; index < actives.size(); ++index) {
      const Active& active = actives[index];
      const CueName name = name_of(moments, index);
      const ShowCue& cue = cue_of(name);
      if (!active.playing || cue.kind != CueKind::title) continue;
      const float shown = static_cast<float>(now - active.started);
      const float left = static_cast<float>(active.ends - now);
      const float alpha = cue.fade_seconds > 0.0f ? std::min(shown, left) / cue.fade_seconds : 1.0f;
      titles_.push_back({name.track, name.moment, name.cue, std::clamp(alpha, 0.0f, 1.0f)});
    }
  };
  add_titles(active_, false);
  add_titles(moment_active_, true);
  frame_.titles = titles_;
}

}  // namespace pavilion::scene
