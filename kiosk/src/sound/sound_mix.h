// The touch kiosk's sound: the speakers, or a loopback device mixed frame by frame (a scripted
// visit hears exactly the same each run; a kiosk without a sound card still keeps the poems'
// time), and the shown scene's sounds in it.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/speech/narrator.h"
#include "sound/scene_sounds.h"

#include <memory>
#include <optional>
#include <vector>

namespace pavilion::kiosk {

// A loopback device mixed into memory as its clock advances, by the touch kiosk and the headset
// alike: what would be heard, frame by frame, with no sound card.
class LoopbackMix {
 public:
  // Sized once for `device` (a quarter second, the longest frame), so mixing allocates nothing.
  explicit LoopbackMix(const audio::AudioDevice& device);
  // Mixes `seconds` more of `device`'s sound; returns its loudness (root mean square, both
  // channels; 0 when less than a sample frame was owed).
  double mix(audio::AudioDevice& device, double seconds);

 private:
  std::vector<float> block_;  // stereo frames
  double frames_owed_ = 0;
};

struct SoundMix {
  std::unique_ptr<audio::AudioDevice> device;  // null only when no device at all could open
  std::optional<LoopbackMix> loopback;         // set when `device` is a loopback
  SceneSounds scene_sounds;  // the shown scene's
  // The spoken interface's voice (access/), beside the listener's ears on the same device; null
  // when espeak-ng could not start (the operator is told). Declared after the device, which
  // must outlive it: the narrator's voice plays on it.
  std::unique_ptr<speech::Narrator> narrator;
};

}  // namespace pavilion::kiosk
