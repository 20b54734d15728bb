#include "pavilion/audio/stream.h"

#include <sndfile.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>

namespace pavilion::audio {
namespace {

class FileStream final : public SampleStream {
 public:
  FileStream(SNDFILE* file, const SF_INFO& info, std::filesystem::path path)
      : file_(file), info_(info), path_(std::move(path)) {}
  ~FileStream() override { sf_close(file_); }

  uint32_t sample_rate() const override { return static_cast<uint32_t>(info_.samplerate); }
  uint32_t channels() const override { return static_cast<uint32_t>(info_.channels); }
  uint64_t frames() const override { return static_cast<uint64_t>(info_.frames); }

  Result<size_t> read(std::span<int16_t> interleaved) override {
    const sf_count_t wanted = static_cast<sf_count_t>(interleaved.size() / channels());
    const sf_count_t got = sf_readf_short(file_, interleaved.data(), wanted);
    if (got < wanted && sf_error(file_) != SF_ERR_NO_ERROR) {
      return Error(ErrorCode::invalid_input, fmt::format("decoding the sound {}", path_), sf_strerror(file_));
    }
    return static_cast<size_t>(got);
  }

  Result<void> rewind() override {
    if (sf_seek(file_, 0, SEEK_SET) < 0) {
      return Error(ErrorCode::io, fmt::format("rewinding the sound {}", path_), sf_strerror(file_));
    }
    return {};
  }

 private:
  SNDFILE* file_;
  SF_INFO info_;
  std::filesystem::path path_;
};

class MemoryStream final : public SampleStream {
 public:
  MemoryStream(std::span<const int16_t> samples, uint32_t sample_rate, uint32_t channels)
      : samples_(samples), sample_rate_(sample_rate), channels_(channels) {}

  uint32_t sample_rate() const override { return sample_rate_; }
  uint32_t channels() const override { return channels_; }
  uint64_t frames() const override { return samples_.size() / channels_; }

  Result<size_t> read(std::span<int16_t> interleaved) override {
    const size_t count = std::min(interleaved.size() / channels_ * channels_, samples_.size() - position_);
    std::copy_n(samples_.begin() + static_cast<ptrdiff_t>(position_), count, interleaved.begin());
    position_ += count;
    return count / channels_;
  }

  Result<void> rewind() override {
    position_ = 0;
    return {};
  }

 private:
  std::span<const int16_t> samples_;
  uint32_t sample_rate_;
  uint32_t channels_;
  size_t position_ = 0;
};

}  // namespace

Result<std::unique_ptr<SampleStream>> open_sound_file(const std::filesystem::path& path) {
  const std::string step = fmt::format("opening the sound {}", path);
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("{} (WAV, FLAC, Ogg Vorbis and Opus can be played)", sf_strerror(nullptr)));
  }
  if (info.channels < 1 || info.channels > 2 || info.samplerate < 8'000 || info.samplerate > 192'000 ||
      info.frames <= 0) {
    sf_close(file);
    return Error(ErrorCode::unsupported, step,
                 fmt::format("{} channels at {} Hz for {} frames cannot be played (mono or stereo, 8–192 kHz)",
                             info.channels, info.samplerate, info.frames));
  }
  return std::unique_ptr<SampleStream>(new FileStream(file, info, path));
}

std::unique_ptr<SampleStream> memory_stream(std::span<const int16_t> samples, uint32_t sample_rate, uint32_t channels) {
  return std::make_unique<MemoryStream>(samples, sample_rate, channels);
}

}  // namespace pavilion::audio
