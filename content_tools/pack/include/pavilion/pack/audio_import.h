// Sound files (WAV, FLAC, Ogg Vorbis, Opus: whatever libsndfile reads) to 16-bit PCM blobs,
// ready to stream.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace pavilion::pack {

struct DecodedAudio {
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  std::vector<int16_t> samples;  // interleaved
  uint64_t frames() const { return channels ? samples.size() / channels : 0; }
  double seconds() const { return sample_rate ? static_cast<double>(frames()) / sample_rate : 0.0; }
};

Result<DecodedAudio> decode_audio_file(const std::filesystem::path& path);

// The blob: sample rate (u32), channels (u32), frames (u64), then the interleaved samples.
std::vector<std::byte> encode_audio_blob(const DecodedAudio& audio);

}  // namespace pavilion::pack
