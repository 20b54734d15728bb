// The shown scene's own sounds (its audio exhibits'): ambient beds looping where the curator put
// them and one-off sounds played as the scene appears, placed around the listener (the camera),
// fading in with the scene and out before the next one.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/audio/voice.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/sound.h"

#include <memory>
#include <vector>

namespace pavilion::kiosk {

class SceneSounds {
 public:
  // Reads the sounds of `scene`'s audio exhibits from its package: on the loading thread.
  static Result<SceneSounds> read(const package::PackageReader& reader, const scene::Scene& scene);

  // Starts every sound at silence, rising to `level` over `seconds`. The device must outlive
  // this object's voices (stop() or destruction ends them).
  Result<void> start(audio::AudioDevice& device, float level, double seconds);
  void stop();
  // Moves every sound towards `level` (0 silent, 1 the curator's volume) over `seconds`.
  void fade_to(float level, double seconds);
  float level() const { return level_; }
  // Feeds the voices and steps their fades; no allocation.
  Result<void> update(double seconds);
  // The scene's sounds, each one's source, and whether it is heard now: playing, and the room
  // not hushed (for its caption).
  size_t size() const { return tracks_.size(); }
  const scene::AudioSource& source(size_t index) const { return tracks_[index].source; }
  bool audible(size_t index) const;

 private:
  struct Track {
    scene::AudioSource source;
    scene::Sound sound;
    std::unique_ptr<audio::Voice> voice;
  };
  std::vector<Track> tracks_;
  float level_ = 0;
};

}  // namespace pavilion::kiosk
