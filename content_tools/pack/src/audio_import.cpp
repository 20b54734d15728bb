#include "pavilion/pack/audio_import.h"


#include <sndfile.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <memory>

namespace pavilion::pack {

Result<scene::Sound> decode_audio_file(const std::filesystem::path& path) {
  SF_INFO info{};
  std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> file(sf_open(path.c_str(), SFM_READ, &info), &sf_close);
  if (!file) {
    return Error(ErrorCode::invalid_input, fmt::format("reading the sound {}", path),
                 fmt::format("{} (WAV, FLAC, Ogg Vorbis and Opus are read)", sf_strerror(nullptr)));
  }
  constexpr int64_t max_frames = int64_t{48'000} * 60 * 60;  // an hour: a narration, not a library
  // Mono (placed in the scene) or stereo (beside the ears): what OpenAL plays on every kiosk.
  if (info.channels < 1 || info.channels > 2 || info.samplerate < 8'000 || info.samplerate > 192'000 ||
      info.frames <= 0 || info.frames > max_frames) {
    return Error(ErrorCode::invalid_input, fmt::format("reading the sound {}", path),
                 fmt::format("{} channels at {} Hz for {} frames is not supported (mono or stereo, 8–192 kHz, up to "
                             "an hour; export surround sound as stereo)",
                             info.channels, info.samplerate, info.frames));
  }
  scene::Sound audio;
  audio.sample_rate = static_cast<uint32_t>(info.samplerate);
  audio.channels = static_cast<uint32_t>(info.channels);
  audio.samples.resize(static_cast<size_t>(info.frames) * audio.channels);
  const sf_count_t read = sf_readf_short(file.get(), audio.samples.data(), info.frames);
  if (read <= 0) {
    return Error(ErrorCode::invalid_input, fmt::format("reading the sound {}", path),
                 fmt::format("its samples could not be decoded: {}", sf_strerror(file.get())));
  }
  audio.samples.resize(static_cast<size_t>(read) * audio.channels);
  return audio;
}

}  // namespace pavilion::pack
