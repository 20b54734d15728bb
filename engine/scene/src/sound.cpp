#include "pavilion/scene/sound.h"

#include "pavilion/core/bytes.h"

#include <fmt/format.h>

#include <cstring>

namespace pavilion::scene {
namespace {

constexpr uint32_t max_sample_rate = 384'000;
constexpr uint32_t max_channels = 2;  // OpenAL plays mono and stereo; the packer takes no more

}  // namespace

std::vector<std::byte> encode_sound(const Sound& sound) {
  ByteWriter out;
  out.write(sound.sample_rate);
  out.write(sound.channels);
  out.write(sound.frames());
  out.write_bytes(std::as_bytes(std::span(sound.samples)));
  return out.take();
}

Result<Sound> decode_sound(std::span<const std::byte> bytes) {
  ByteReader in(bytes, "a sound");
  Sound sound;
  PV_TRY_ASSIGN(sound.sample_rate, in.read<uint32_t>("its sample rate"));
  PV_TRY_ASSIGN(sound.channels, in.read<uint32_t>("its channel count"));
  PV_TRY_ASSIGN(const uint64_t frames, in.read<uint64_t>("its frame count"));
  if (sound.sample_rate == 0 || sound.sample_rate > max_sample_rate || sound.channels == 0 ||
      sound.channels > max_channels || frames == 0) {
    return Error(ErrorCode::invalid_input, "reading a sound",
                 fmt::format("{} frames at {} Hz with {} channels is not a sound a package holds", frames,
                             sound.sample_rate, sound.channels));
  }
  const uint64_t expected = frames * sound.channels * sizeof(int16_t);
  if (frames > in.remaining() || expected != in.remaining()) {
    return Error(ErrorCode::invalid_input, "reading a sound",
                 fmt::format("it says {} frames but holds {} bytes of samples", frames, in.remaining()));
  }
  sound.samples.resize(frames * sound.channels);
  PV_TRY_ASSIGN(const auto samples, in.read_bytes(in.remaining(), "its samples"));
  if (!samples.empty()) std::memcpy(sound.samples.data(), samples.data(), samples.size());
  return sound;
}

Result<Sound> read_sound(const package::PackageReader& reader, const AudioSource& source) {
  const std::string step = fmt::format("reading the sound {}", source.name);
  const std::optional<uint32_t> index = reader.find(source.blob);
  if (!index) return Error(ErrorCode::invalid_input, step, "its blob is missing from the package");
  PV_TRY_ASSIGN(const std::vector<std::byte> bytes, reader.read_blob(*index).add_context(step));
  PV_TRY_ASSIGN(Sound sound, decode_sound(bytes).add_context(step));
  if (sound.sample_rate != source.sample_rate || sound.channels != source.channels || sound.frames() != source.frames) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the blob holds {} frames at {} Hz × {}, the scene says {} at {} Hz × {}", sound.frames(),
                             sound.sample_rate, sound.channels, source.frames, source.sample_rate, source.channels));
  }
  return sound;
}

}  // namespace pavilion::scene
