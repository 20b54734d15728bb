// The sound output: an OpenAL Soft device and its context, the listener, and the voices that play
// through it.
//
// One device at a time per process (OpenAL's current context is process-wide). Voices it plays
// must be destroyed before it is. A loopback device mixes into the caller's buffer instead of a
// sound card, so tests hear exactly what a visitor would.
#pragma once

#include "pavilion/audio/stream.h"
#include "pavilion/core/error.h"

#include <glm/vec3.hpp>

#include <memory>
#include <span>
#include <string>

namespace pavilion::audio {

class Voice;

// Head-related transfer functions place sounds around a listener wearing headphones (a headset,
// a kiosk's handset); on loudspeakers they would only colour the sound.
enum class Hrtf { automatic, on, off };

struct DeviceOptions {
  std::string name;  // empty: the system's default output
  Hrtf hrtf = Hrtf::automatic;
};

struct LoopbackOptions {
  uint32_t sample_rate = 48'000;  // HRTF data is made for 44.1 and 48 kHz
  Hrtf hrtf = Hrtf::off;
};

struct VoiceOptions {
  bool spatial = true;      // placed in the scene (mono streams only); false: beside the listener's ears
  glm::vec3 position{0.0f};
  float gain = 1.0f;
  bool loop = false;
  float reference_distance = 1.0f;  // metres at which the gain is `gain`; it halves with each doubling
};

class AudioDevice {
 public:
  static Result<std::unique_ptr<AudioDevice>> open(const DeviceOptions& options);
  // Stereo 32-bit float frames, mixed by render().
  static Result<std::unique_ptr<AudioDevice>> open_loopback(const LoopbackOptions& options);
  ~AudioDevice();
  AudioDevice(const AudioDevice&) = delete;
  AudioDevice& operator=(const AudioDevice&) = delete;

  const std::string& name() const { return name_; }
  uint32_t sample_rate() const { return sample_rate_; }
  bool hrtf() const { return hrtf_; }

  // Right-handed, metres: `forward` is where the listener looks, `up` the top of their head.
  Result<void> set_listener(const glm::vec3& position, const glm::vec3& forward, const glm::vec3& up);

  // A voice playing `stream` from its start; it starts paused if `start` is false.
  Result<std::unique_ptr<Voice>> play(std::unique_ptr<SampleStream> stream, const VoiceOptions& options,
                                      bool start = true);

  // Loopback devices only (a precondition): mixes interleaved.size() / 2 stereo frames.
  void render(std::span<float> interleaved);

  struct Handles;

 private:
  AudioDevice(std::unique_ptr<Handles> handles, std::string name, uint32_t sample_rate, bool hrtf, bool loopback);
  static Result<std::unique_ptr<AudioDevice>> finish(std::unique_ptr<Handles> handles, const int* attributes,
                                                     std::string name, bool loopback);

  std::unique_ptr<Handles> handles_;
  std::string name_;
  uint32_t sample_rate_ = 0;
  bool hrtf_ = false;
  bool loopback_ = false;
};

}  // namespace pavilion::audio
