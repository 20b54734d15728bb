// The touch kiosk's sound: the speakers, or a loopback device mixed frame by frame (a scripted
// visit hears exactly the same each run; a kiosk without a sound card still keeps the poems'
// time), and the shown scene's sounds in it.
#pragma once

#include "pavilion/audio/device.h"
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
};

}  // namespace pavilion::kiosk
