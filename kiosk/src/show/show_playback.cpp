#include "show/show_playback.h"

#include "captions/captions_text.h"
#include "pavilion/core/log.h"
#include "pavilion/exhibits/show_titles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace pavilion::kiosk {
namespace {

constexpr double until_ended = std::numeric_limits<double>::infinity();
// Sounds a show may play at once (its music, overlapping gongs and firecrackers, the moments'
// responses): room set aside when it starts; one more waits for the oldest effect to end.
constexpr size_t most_sounds_at_once = 16;

float gain_of(float db) { return std::pow(10.0f, db / 20.0f); }

template <typename Visit>
void for_each_sound_cue(const scene::Show& show, Visit&& visit) {
  for (const scene::ShowTrack& track : show.tracks) {
    for (const scene::ShowCue& cue : track.cues) {
      if (cue.kind == scene::CueKind::sound) visit(cue);
    }
  }
  for (const scene::InteractiveMoment& moment : show.moments) {
    for (const scene::ShowCue& cue : moment.response) {
      if (cue.kind == scene::CueKind::sound) visit(cue);
    }
  }
}

}  // namespace

bool played_by_show(const scene::Scene& scene, uint32_t source) {
  if (!scene.show) return false;
  bool named = false;
  for_each_sound_cue(*scene.show, [&](const scene::ShowCue& cue) { named = named || cue.sound == source; });
  return named;
}

ShowPlayback::~ShowPlayback() { stop(); }

Result<ShowPlayback> ShowPlayback::read(const package::PackageReader& reader, const scene::Scene& scene) {
  ShowPlayback playback;
  if (!scene.show) return playback;
  playback.show_ = std::make_unique<scene::Show>(*scene.show);
  playback.track_of_source_.assign(scene.audio.size(), UINT32_MAX);
  Result<void> read_all;
  for_each_sound_cue(*playback.show_, [&](const scene::ShowCue& cue) {
    if (!read_all || cue.sound >= scene.audio.size() || playback.track_of_source_[cue.sound] != UINT32_MAX) return;
    const scene::AudioSource& source = scene.audio[cue.sound];
    Result<scene::Sound> sound = scene::read_sound(reader, source);
    if (!sound) {
      read_all = std::move(sound).error().add_context("reading the show's sound " + source.name);
      return;
    }
    playback.track_of_source_[cue.sound] = static_cast<uint32_t>(playback.tracks_.size());
    // Only a mono sound has a place in the room; a stereo one plays beside the ears.
    playback.tracks_.push_back(Track{cue.sound, source.volume, sound->channels == 1, source.position, std::move(*sound), {}});
  });
  PV_TRY(std::move(read_all));
  // The music: the "music" track's first sound, else the longest sound the tracks play.
  double longest = -1.0;
  for (const scene::ShowTrack& track : playback.show_->tracks) {
    for (const scene::ShowCue& cue : track.cues) {
      if (cue.kind != scene::CueKind::sound || cue.sound >= scene.audio.size()) continue;
      const size_t index = playback.track_of_source_[cue.sound];
      if (track.name == "music") {
        playback.music_ = index;
        longest = std::numeric_limits<double>::infinity();
        break;
      }
      if (playback.tracks_[index].sound.seconds() > longest) {
        longest = playback.tracks_[index].sound.seconds();
        playback.music_ = index;
      }
    }
  }
  for (size_t index = 0; index < playback.tracks_.size(); ++index) {
    Track& track = playback.tracks_[index];
    const CaptionsText kind = index == playback.music_ ? CaptionsText::music : CaptionsText::effect;
    for (const Language language : {Language::zh_cn, Language::en}) {
      const std::string_view name = sound_caption_name(scene.audio[track.source], scene.exhibits, language);
      track.caption[language == Language::zh_cn ? 0 : 1] = fmt::format(fmt::runtime(text(kind, language)), name);
    }
  }
  return playback;
}

void ShowPlayback::start(audio::AudioDevice* device, bool loop, bool calm) {
  stop();
  if (!show_) return;
  device_ = device;
  player_ = std::make_unique<scene::ShowPlayer>(*show_, scene::ShowPlayerOptions{.loop = loop, .calm = calm});
  playing_.resize(most_sounds_at_once);
  clock_ = 0.0;
  first_update_ = true;
}

void ShowPlayback::stop() {
  for (Playing& playing : playing_) playing.voice.reset();
  music_playing_ = SIZE_MAX;
  player_.reset();
}

void ShowPlayback::set_loop(bool loop) {
  if (player_) player_->set_loop(loop);
}

void ShowPlayback::set_calm(bool calm) {
  if (player_) player_->set_calm(calm);
}

void ShowPlayback::set_level(float level, double seconds) {
  if (level == level_) return;
  level_ = level;
  for (Playing& playing : playing_) {
    if (playing.voice) playing.voice->fade_to(playing.gain * level, seconds);
  }
}

double ShowPlayback::music_seconds() const {
  if (music_playing_ == SIZE_MAX) return -1.0;
  const audio::Voice& voice = *playing_[music_playing_].voice;
  return voice.finished() ? -1.0 : voice.playback_seconds();
}

uint32_t ShowPlayback::sounds_playing() const {
  return static_cast<uint32_t>(std::ranges::count_if(playing_, [&](const Playing& playing) { return heard(playing); }));
}

const scene::ShowCue& ShowPlayback::cue(uint32_t track, uint32_t moment, uint32_t index) const {
  if (track != scene::no_show_index) return show_->tracks[track].cues[index];
  return show_->moments[moment].response[index];
}

uint32_t ShowPlayback::trigger(uint32_t exhibit, scene::MomentTrigger how) {
  return player_ ? player_->trigger(exhibit, how) : 0;
}

Result<const scene::ShowFrame*> ShowPlayback::update(double seconds) {
  if (!player_) return nullptr;
  Result<void> fed;
  for (Playing& playing : playing_) {
    if (playing.voice && fed) fed = playing.voice->update(seconds);
  }
  // The music's clock while it plays (what is heard starts the cues); the frame's time else.
  const double music = music_seconds();
  if (first_update_) {
    clock_ = 0.0;
    first_update_ = false;
  } else if (music >= 0.0) {
    clock_ = music_origin_ + music;
  } else {
    clock_ += seconds;
  }
  const scene::ShowFrame& frame = player_->update(clock_);
  for (const scene::ShowEvent& event : frame.events) {
    if (event.kind != scene::ShowEventKind::cue_start) continue;
    const scene::ShowCue& started = cue(event.track, event.moment, event.cue);
    if (started.kind != scene::CueKind::sound || started.sound >= track_of_source_.size()) continue;
    const uint32_t track = track_of_source_[started.sound];
    if (track == UINT32_MAX || !fed) continue;
    fed = play(track, event.gain_db, event.late);
  }
  if (!fed) {
    stop();
    return std::move(fed).error().add_context("playing the show's sounds");
  }
  return &frame;
}

Result<void> ShowPlayback::play(size_t track, float gain_db, float late) {
  if (!device_) return {};
  const Track& sound = tracks_[track];
  // As far in as the cue is late, so that what is heard is where the show is; a cue later than
  // its sound is long (a frame that hitched past a short effect) has nothing left to hear.
  const auto skipped = static_cast<uint64_t>(std::max(0.0f, late) * static_cast<float>(sound.sound.sample_rate));
  if (skipped >= sound.sound.frames()) return {};
  const bool music = track == music_;
  // The music's own entry again (it starts over each pass), else a free one, else the oldest effect.
  size_t slot = music && music_playing_ != SIZE_MAX ? music_playing_ : SIZE_MAX;
  for (size_t index = 0; slot == SIZE_MAX && index < playing_.size(); ++index) {
    if (!playing_[index].voice || playing_[index].voice->finished()) slot = index;
  }
  if (slot == SIZE_MAX) {
    for (size_t index = 0; index < playing_.size(); ++index) {
      if (index == music_playing_) continue;
      if (slot == SIZE_MAX || playing_[index].serial < playing_[slot].serial) slot = index;
    }
  }
  Playing& playing = playing_[slot];
  playing.voice.reset();
  if (slot == music_playing_) music_playing_ = SIZE_MAX;
  const std::span<const int16_t> samples = std::span(sound.sound.samples).subspan(skipped * sound.sound.channels);
  playing.track = track;
  playing.gain = sound.volume * gain_of(gain_db);
  playing.serial = ++serial_;
  const audio::VoiceOptions options{.spatial = sound.spatial, .position = sound.position, .gain = playing.gain * level_};
  PV_TRY_ASSIGN(playing.voice, device_->play(audio::memory_stream(samples, sound.sound.sample_rate, sound.sound.channels), options));
  if (music) {
    music_playing_ = slot;
    music_origin_ = clock_;
  }
  return {};
}

bool ShowPlayback::heard(const Playing& playing) const {
  // Hushed counts at once: the fade out is not a sound anyone should be told about.
  return playing.voice && !playing.voice->finished() && level_ > 0.0f && playing.voice->gain() > 0.001f;
}

void ShowPlayback::caption_kind(interaction::Captions& captions, double now, Language language, bool music) {
  Captioned& captioned = music ? music_caption_ : effect_caption_;
  const interaction::CaptionKind kind = music ? interaction::CaptionKind::music : interaction::CaptionKind::effect;
  // The music, or the newest effect heard.
  size_t wanted = SIZE_MAX;
  for (size_t index = 0; index < playing_.size(); ++index) {
    const Playing& playing = playing_[index];
    if (!heard(playing) || (playing.track == music_) != music) continue;
    if (wanted == SIZE_MAX || playing.serial > playing_[wanted].serial) wanted = index;
  }
  const bool chinese = language == Language::zh_cn;
  const uint64_t serial = wanted == SIZE_MAX ? 0 : playing_[wanted].serial;
  if (wanted == captioned.playing && serial == captioned.serial && chinese == captioned.chinese) return;
  if (captioned.playing != SIZE_MAX) captions.end(kind, now);
  captioned = {wanted, serial, chinese};
  if (wanted == SIZE_MAX) return;
  const std::string& words = tracks_[playing_[wanted].track].caption[chinese ? 0 : 1];
  captions.show(kind, words, language_tag(language), now, until_ended);
}

void ShowPlayback::update_captions(interaction::Captions& captions, double now, Language language) {
  caption_kind(captions, now, language, true);
  caption_kind(captions, now, language, false);
}

void ShowPlayback::add_glyphs(std::string& text) const {
  if (!show_) return;
  for (const Track& track : tracks_) (text += track.caption[0]) += track.caption[1];
  text += exhibits::show_title_text(*show_);
}

}  // namespace pavilion::kiosk
