// A sound as a package stores it (engine/package/FORMAT.md, "Audio"): 16-bit PCM, decoded from the
// curator's file once by pavilion-pack, so a kiosk streams it without a decoder.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::scene {

struct Sound {
  uint32_t sample_rate = 0;
  uint32_t channels = 0;
  std::vector<int16_t> samples;  // interleaved
  uint64_t frames() const { return channels ? samples.size() / channels : 0; }
  double seconds() const { return sample_rate ? static_cast<double>(frames()) / sample_rate : 0.0; }
};

std::vector<std::byte> encode_sound(const Sound& sound);
// Refuses a blob whose header is out of range or whose length disagrees with its frame count.
Result<Sound> decode_sound(std::span<const std::byte> bytes);
// The sound `source` names, checked against what the scene's tables say about it.
Result<Sound> read_sound(const package::PackageReader& reader, const AudioSource& source);

}  // namespace pavilion::scene
