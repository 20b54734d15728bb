// One sound playing: an OpenAL source fed from a SampleStream through a small ring of buffers.
//
// update() tops the buffers up, restarts after an underrun and steps fades; call it every frame
// (it allocates nothing). The playback clock says which sample is reaching the listener's ears
// now, device latency taken off, so text highlighting follows what is heard, not what was queued.
#pragma once

#include "pavilion/audio/stream.h"
#include "pavilion/core/error.h"

#include <glm/vec3.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace pavilion::audio {

class Voice {
 public:
  ~Voice();
  Voice(const Voice&) = delete;
  Voice& operator=(const Voice&) = delete;

  Result<void> resume();
  Result<void> pause();
  // Back to the start, paused until resume().
  Result<void> restart();
  bool playing() const { return state_ == State::playing; }
  bool finished() const { return state_ == State::finished; }

  Result<void> set_position(const glm::vec3& position);
  // Moves the gain linearly to `gain` over `seconds` of update() time (0: at once).
  void fade_to(float gain, double seconds);
  float gain() const { return gain_; }

  // Seconds into the sound that the listener hears now (wrapping when looping).
  double playback_seconds() const;
  double duration_seconds() const;

  Result<void> update(double elapsed_seconds);

 private:
  friend class AudioDevice;
  static constexpr size_t buffer_count = 4;
  enum class State { paused, playing, finished };

  Voice(std::unique_ptr<SampleStream> stream, unsigned source, std::array<unsigned, buffer_count> buffers, bool loop);
  Result<void> fill(unsigned buffer, bool& filled);
  Result<void> queue_initial();
  Result<void> apply_gain() const;

  std::unique_ptr<SampleStream> stream_;
  unsigned source_ = 0;
  std::array<unsigned, buffer_count> buffers_{};
  std::vector<int16_t> scratch_;  // one buffer's samples, allocated once
  bool loop_ = false;
  State state_ = State::paused;
  bool stream_ended_ = false;
  uint64_t frames_queued_total_ = 0;    // read from the stream since the start
  uint64_t frames_done_ = 0;            // in buffers already played and unqueued
  std::array<uint64_t, buffer_count> buffer_frames_{};
  float gain_ = 1.0f;
  float fade_target_ = 1.0f;
  float fade_rate_ = 0.0f;  // gain per second
  bool gain_unapplied_ = false;
};

}  // namespace pavilion::audio
