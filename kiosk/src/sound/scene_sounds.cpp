#include "sound/scene_sounds.h"

#include "show/show_playback.h"

namespace pavilion::kiosk {

Result<SceneSounds> SceneSounds::read(const package::PackageReader& reader, const scene::Scene& scene) {
  SceneSounds sounds;
  for (const scene::AudioSource& source : scene.audio) {
    // A poem's recitation and announcements belong to its exhibit's view, not to the room.
    if (source.exhibit >= scene.exhibits.size() || scene.exhibits[source.exhibit].kind != scene::ExhibitKind::audio) continue;
    // A show's music and effects play when its cues say (show/), not as the scene appears.
    if (played_by_show(scene, static_cast<uint32_t>(&source - scene.audio.data()))) continue;
    PV_TRY_ASSIGN(scene::Sound sound, scene::read_sound(reader, source));
    sounds.tracks_.push_back({source, std::move(sound), nullptr});
  }
  return sounds;
}

Result<void> SceneSounds::start(audio::AudioDevice& device, float level, double seconds) {
  stop();
  for (Track& track : tracks_) {
    // Only a mono sound has a place in the room; a stereo one plays beside the ears.
    const audio::VoiceOptions options{.spatial = track.sound.channels == 1,
                                      .position = track.source.position,
                                      .gain = 0.0f,
                                      .loop = track.source.loop};
    PV_TRY_ASSIGN(track.voice, device.play(audio::memory_stream(track.sound.samples, track.sound.sample_rate,
                                                                 track.sound.channels),
                                           options)
                                   .add_context("playing the scene's sound " + track.source.name));
  }
  level_ = -1;  // so the fade below applies
  fade_to(level, seconds);
  return {};
}

void SceneSounds::stop() {
  for (Track& track : tracks_) track.voice.reset();
}

void SceneSounds::fade_to(float level, double seconds) {
  if (level == level_) return;
  level_ = level;
  for (Track& track : tracks_) {
    if (track.voice) track.voice->fade_to(track.source.volume * level, seconds);
  }
}

bool SceneSounds::audible(size_t index) const {
  const std::unique_ptr<audio::Voice>& voice = tracks_[index].voice;
  // Hushed counts at once: the fade out is not a sound anyone should be told about.
  return voice && !voice->finished() && level_ > 0 && voice->gain() > 0.001f;
}

Result<void> SceneSounds::update(double seconds) {
  for (Track& track : tracks_) {
    if (track.voice) PV_TRY(track.voice->update(seconds));
  }
  return {};
}

}  // namespace pavilion::kiosk
