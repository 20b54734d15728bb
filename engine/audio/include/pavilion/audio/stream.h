// Where a voice's samples come from: a sound file decoded as it plays, or PCM already in memory
// (a package blob). Voices pull from a stream a buffer at a time, so an hour of narration never
// sits in memory decoded.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

namespace pavilion::audio {

class SampleStream {
 public:
  virtual ~SampleStream() = default;
  virtual uint32_t sample_rate() const = 0;
  virtual uint32_t channels() const = 0;  // 1 or 2
  virtual uint64_t frames() const = 0;     // the whole sound's length
  // Fills `interleaved` with up to size() / channels() frames; returns how many it wrote, 0 at
  // the end.
  virtual Result<size_t> read(std::span<int16_t> interleaved) = 0;
  // Back to the first frame (looping, replaying).
  virtual Result<void> rewind() = 0;
};

// WAV, FLAC, Ogg Vorbis or Opus through libsndfile, decoded while it plays.
Result<std::unique_ptr<SampleStream>> open_sound_file(const std::filesystem::path& path);

// Interleaved 16-bit PCM the caller keeps alive for as long as the stream lives.
std::unique_ptr<SampleStream> memory_stream(std::span<const int16_t> samples, uint32_t sample_rate, uint32_t channels);

}  // namespace pavilion::audio
