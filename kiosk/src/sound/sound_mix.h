// The touch kiosk's sound: the speakers, or a loopback device mixed frame by frame (a scripted
// visit hears exactly the same each run; a kiosk without a sound card still keeps the poems'
// time), and the shown scene's sounds in it.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/speech/narrator.h"
#include "sound/scene_sounds.h"

#include <memory>
#include <vector>

namespace pavilion::kiosk {

struct SoundMix {
  std::unique_ptr<audio::AudioDevice> device;  // null only when no device at all could open
  bool loopback = false;
  std::vector<float> mix;  // the loopback's frames, sized once
  double frames_owed = 0;
  SceneSounds scene_sounds;  // the shown scene's
  // The spoken interface's voice (access/), beside the listener's ears on the same device; null
  // when espeak-ng could not start (the operator is told). Declared after the device it outlives.
  std::unique_ptr<speech::Narrator> narrator;
};

}  // namespace pavilion::kiosk
