#include "pavilion/audio/device.h"

#include "openal.h"
#include "pavilion/audio/voice.h"
#include "pavilion/core/log.h"

#include <fmt/format.h>

#include <array>

namespace pavilion::audio {

struct AudioDevice::Handles {
  ALCdevice* device = nullptr;
  ALCcontext* context = nullptr;

  ~Handles() {
    if (context != nullptr) {
      alcMakeContextCurrent(nullptr);
      alcDestroyContext(context);
    }
    if (device != nullptr) alcCloseDevice(device);
  }
};

namespace {

// The attribute list's HRTF request; `automatic` leaves it to OpenAL Soft, which turns HRTF on
// when the output is headphones.
void request_hrtf(std::vector<ALCint>& attributes, Hrtf hrtf) {
  if (hrtf == Hrtf::automatic) return;
  attributes.insert(attributes.end(), {ALC_HRTF_SOFT, hrtf == Hrtf::on ? ALC_TRUE : ALC_FALSE});
}

}  // namespace

AudioDevice::AudioDevice(std::unique_ptr<Handles> handles, std::string name, uint32_t sample_rate, bool hrtf,
                         bool loopback)
    : handles_(std::move(handles)), name_(std::move(name)), sample_rate_(sample_rate), hrtf_(hrtf), loopback_(loopback) {}

AudioDevice::~AudioDevice() = default;

Result<std::unique_ptr<AudioDevice>> AudioDevice::finish(std::unique_ptr<Handles> handles, const int* attributes,
                                                         std::string name, bool loopback) {
  const std::string step = fmt::format("starting sound on {}", name);
  handles->context = alcCreateContext(handles->device, attributes);
  if (handles->context == nullptr) {
    return Error(alc_check(handles->device, "alcCreateContext").error()).add_context(step);
  }
  if (alcMakeContextCurrent(handles->context) != ALC_TRUE) {
    return Error(alc_check(handles->device, "alcMakeContextCurrent").error()).add_context(step);
  }
  ALCint frequency = 0;
  ALCint hrtf = ALC_FALSE;
  alcGetIntegerv(handles->device, ALC_FREQUENCY, 1, &frequency);
  alcGetIntegerv(handles->device, ALC_HRTF_SOFT, 1, &hrtf);
  if (auto checked = alc_check(handles->device, "alcGetIntegerv(ALC_FREQUENCY, ALC_HRTF_SOFT)"); !checked) {
    return std::move(checked).error().add_context(step);
  }
  // Distances in metres, and a gain that halves with each doubling of distance beyond a voice's
  // reference distance, as sound does in a room.
  alDistanceModel(AL_INVERSE_DISTANCE_CLAMPED);
  if (auto checked = al_check("alDistanceModel"); !checked) return std::move(checked).error().add_context(step);
  log::info("audio", "sound on {} at {} Hz, HRTF {}", name, frequency, hrtf == ALC_TRUE ? "on" : "off");
  return std::unique_ptr<AudioDevice>(
      new AudioDevice(std::move(handles), std::move(name), static_cast<uint32_t>(frequency), hrtf == ALC_TRUE, loopback));
}

Result<std::unique_ptr<AudioDevice>> AudioDevice::open(const DeviceOptions& options) {
  auto handles = std::make_unique<Handles>();
  handles->device = alcOpenDevice(options.name.empty() ? nullptr : options.name.c_str());
  const std::string name = options.name.empty() ? "the default sound output" : options.name;
  if (handles->device == nullptr) {
    return Error(ErrorCode::not_found, fmt::format("opening {}", name),
                 "OpenAL found no such output; check that a sound card or headset is connected and not in use");
  }
  std::vector<ALCint> attributes;
  request_hrtf(attributes, options.hrtf);
  attributes.push_back(0);
  return finish(std::move(handles), attributes.data(), name, false);
}

Result<std::unique_ptr<AudioDevice>> AudioDevice::open_loopback(const LoopbackOptions& options) {
  const std::string step = "opening an OpenAL loopback device";
  auto handles = std::make_unique<Handles>();
  handles->device = alcLoopbackOpenDeviceSOFT(nullptr);
  if (handles->device == nullptr) {
    return Error(ErrorCode::unsupported, step, "this OpenAL has no ALC_SOFT_loopback (OpenAL Soft has)");
  }
  const auto rate = static_cast<ALCsizei>(options.sample_rate);
  if (alcIsRenderFormatSupportedSOFT(handles->device, rate, ALC_STEREO_SOFT, ALC_FLOAT_SOFT) != ALC_TRUE) {
    return Error(ErrorCode::unsupported, step, fmt::format("stereo float at {} Hz is not supported", rate));
  }
  std::vector<ALCint> attributes{ALC_FORMAT_CHANNELS_SOFT, ALC_STEREO_SOFT, ALC_FORMAT_TYPE_SOFT, ALC_FLOAT_SOFT,
                                 ALC_FREQUENCY, rate};
  request_hrtf(attributes, options.hrtf);
  attributes.push_back(0);
  return finish(std::move(handles), attributes.data(), "a loopback device", true);
}

Result<void> AudioDevice::set_listener(const glm::vec3& position, const glm::vec3& forward, const glm::vec3& up) {
  const std::array<ALfloat, 6> orientation{forward.x, forward.y, forward.z, up.x, up.y, up.z};
  alListener3f(AL_POSITION, position.x, position.y, position.z);
  alListenerfv(AL_ORIENTATION, orientation.data());
  return al_check("alListener (position, orientation)");
}

void AudioDevice::render(std::span<float> interleaved) {
  expects(loopback_, "AudioDevice::render on a device that is not a loopback device");
  alcRenderSamplesSOFT(handles_->device, interleaved.data(), static_cast<ALCsizei>(interleaved.size() / 2));
}

Result<std::unique_ptr<Voice>> AudioDevice::play(std::unique_ptr<SampleStream> stream, const VoiceOptions& options,
                                                 bool start) {
  const std::string step = "starting a voice";
  if (stream->channels() < 1 || stream->channels() > 2 || stream->frames() == 0) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the sound has {} channels and {} frames; a voice plays mono or stereo sound",
                             stream->channels(), stream->frames()));
  }
  if (options.spatial && stream->channels() != 1) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the sound has {} channels; a sound placed in the scene must be mono (stereo sounds "
                             "play beside the listener's ears)",
                             stream->channels()));
  }
  ALuint source = 0;
  alGenSources(1, &source);
  if (auto checked = al_check("alGenSources"); !checked) return std::move(checked).error().add_context(step);
  std::array<ALuint, Voice::buffer_count> buffers{};
  alGenBuffers(static_cast<ALsizei>(buffers.size()), buffers.data());
  if (auto checked = al_check("alGenBuffers"); !checked) {
    alDeleteSources(1, &source);
    return std::move(checked).error().add_context(step);
  }
  std::unique_ptr<Voice> voice(new Voice(std::move(stream), source, buffers, options.loop));
  voice->gain_ = voice->fade_target_ = options.gain;
  alSourcei(source, AL_SOURCE_RELATIVE, options.spatial ? AL_FALSE : AL_TRUE);
  alSource3f(source, AL_POSITION, options.position.x, options.position.y, options.position.z);
  alSourcef(source, AL_REFERENCE_DISTANCE, options.reference_distance);
  alSourcef(source, AL_GAIN, options.gain);
  if (auto checked = al_check("alSource (relative, position, distance, gain)"); !checked) {
    return std::move(checked).error().add_context(step);
  }
  if (auto queued = voice->queue_initial(); !queued) return std::move(queued).error().add_context(step);
  if (start) {
    if (auto resumed = voice->resume(); !resumed) return std::move(resumed).error().add_context(step);
  }
  return voice;
}

}  // namespace pavilion::audio
