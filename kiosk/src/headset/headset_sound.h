// What a headset visitor hears: the scene's own sounds (its audio exhibits), placed in the room
// around their head, through the speakers or headphones (or, with neither, mixed into memory on
// the headset's clock, so that what would be heard is still known); and, for a visitor who cannot
// hear them, each one named in the captions for as long as it is heard.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"
#include "sound/scene_sounds.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pavilion::kiosk {

class HeadsetSound {
 public:
  // Reads the scene's sounds from its package and starts them. Fails with a sentence when they
  // cannot be read or no sound device at all opens; the headset then runs silent.
  static Result<std::unique_ptr<HeadsetSound>> start(const package::PackageReader& reader, const scene::Scene& shown,
                                                     Language language);
  ~HeadsetSound();
  HeadsetSound(const HeadsetSound&) = delete;
  HeadsetSound& operator=(const HeadsetSound&) = delete;

  // Every frame: the listener where the head is, the sounds fed (and mixed, into memory), and
  // `captions` told what is heard at `now` (seconds on the headset's clock). No allocation.
  Result<void> update(const glm::vec3& head, const glm::vec3& forward, double now, double seconds,
                      interaction::Captions& captions);
  // Every caption it may show, for a font atlas.
  const std::string& caption_glyphs() const { return glyphs_; }

 private:
  HeadsetSound() = default;
  std::string caption(size_t sound) const;

  std::unique_ptr<audio::AudioDevice> device_;
  bool loopback_ = false;
  std::vector<float> mix_;  // the loopback's frames, sized once
  double frames_owed_ = 0;
  SceneSounds sounds_;  // declared after the device: its voices end first
  std::vector<std::string> captions_;  // each sound's, worded once
  std::string glyphs_;
  Language language_ = Language::zh_cn;
  size_t captioned_ = SIZE_MAX;  // the sound whose caption shows; SIZE_MAX: none
};

}  // namespace pavilion::kiosk
