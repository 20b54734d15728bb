#include "pavilion/audio/voice.h"

#include "openal.h"

#include <algorithm>
#include <cmath>

namespace pavilion::audio {

Voice::Voice(std::unique_ptr<SampleStream> stream, unsigned source, std::array<unsigned, buffer_count> buffers,
             bool loop)
    : stream_(std::move(stream)), source_(source), buffers_(buffers), loop_(loop) {
  // A tenth of a second per buffer: four of them ride out a slow frame or a busy disk.
  scratch_.resize(size_t{stream_->sample_rate()} / 10 * stream_->channels());
}

Voice::~Voice() {
  alSourceStop(source_);
  alSourcei(source_, AL_BUFFER, 0);
  alDeleteSources(1, &source_);
  alDeleteBuffers(static_cast<ALsizei>(buffers_.size()), buffers_.data());
}

double Voice::duration_seconds() const {
  return static_cast<double>(stream_->frames()) / static_cast<double>(stream_->sample_rate());
}

// Reads the next buffer's worth, rewinding at the end when looping so a loop has no gap.
Result<void> Voice::fill(unsigned buffer, bool& filled) {
  const uint32_t channels = stream_->channels();
  size_t frames = 0;
  const size_t capacity = scratch_.size() / channels;
  bool just_rewound = false;
  while (frames < capacity && !stream_ended_) {
    auto read = stream_->read(std::span(scratch_).subspan(frames * channels));
    if (!read) return std::move(read).error();
    frames += *read;
    if (*read == 0) {
      // Nothing even right after a rewind: an empty sound, which would loop here for ever.
      if (!loop_ || just_rewound) {
        stream_ended_ = true;
      } else if (auto rewound = stream_->rewind(); !rewound) {
        return rewound;
      }
      just_rewound = true;
    } else {
      just_rewound = false;
    }
  }
  filled = frames > 0;
  if (!filled) return {};
  alBufferData(buffer, channels == 1 ? AL_FORMAT_MONO16 : AL_FORMAT_STEREO16, scratch_.data(),
               static_cast<ALsizei>(frames * channels * sizeof(int16_t)), static_cast<ALsizei>(stream_->sample_rate()));
  if (auto checked = al_check("alBufferData"); !checked) return checked;
  const auto slot = static_cast<size_t>(std::find(buffers_.begin(), buffers_.end(), buffer) - buffers_.begin());
  buffer_frames_[slot] = frames;
  frames_queued_total_ += frames;
  alSourceQueueBuffers(source_, 1, &buffer);
  return al_check("alSourceQueueBuffers");
}

Result<void> Voice::queue_initial() {
  for (const unsigned buffer : buffers_) {
    bool filled = false;
    if (auto done = fill(buffer, filled); !done) return done;
    if (!filled) break;
  }
  return {};
}

Result<void> Voice::resume() {
  if (state_ == State::finished) return {};
  alSourcePlay(source_);
  state_ = State::playing;
  return al_check("alSourcePlay");
}

Result<void> Voice::pause() {
  if (state_ != State::playing) return {};
  alSourcePause(source_);
  state_ = State::paused;
  return al_check("alSourcePause");
}

Result<void> Voice::restart() {
  alSourceRewind(source_);           // back to AL_INITIAL: no offset, nothing played
  alSourcei(source_, AL_BUFFER, 0);  // unqueues every buffer
  if (auto checked = al_check("alSourceRewind, alSourcei(AL_BUFFER, 0)"); !checked) return checked;
  if (auto rewound = stream_->rewind(); !rewound) return rewound;
  state_ = State::paused;
  stream_ended_ = false;
  frames_queued_total_ = 0;
  frames_done_ = 0;
  return queue_initial();
}

Result<void> Voice::set_position(const glm::vec3& position) {
  alSource3f(source_, AL_POSITION, position.x, position.y, position.z);
  return al_check("alSource3f(AL_POSITION)");
}

void Voice::fade_to(float gain, double seconds) {
  fade_target_ = gain;
  fade_rate_ = seconds > 0 ? static_cast<float>(std::abs(gain - gain_) / seconds) : 0.0f;
  if (seconds <= 0) {
    gain_ = gain;
    gain_unapplied_ = true;  // the next update() tells OpenAL
  }
}

Result<void> Voice::apply_gain() const {
  alSourcef(source_, AL_GAIN, gain_);
  return al_check("alSourcef(AL_GAIN)");
}

double Voice::playback_seconds() const {
  // The offset counts from the first buffer still queued; the latency is how long the mixed
  // samples take to reach the speaker.
  // A stopped source has played all it was given (its offset reads 0 then).
  std::array<ALdouble, 2> offset_latency{};
  ALint source_state = AL_INITIAL;
  alGetSourcedvSOFT(source_, AL_SEC_OFFSET_LATENCY_SOFT, offset_latency.data());
  alGetSourcei(source_, AL_SOURCE_STATE, &source_state);
  const double rate = stream_->sample_rate();
  double heard = static_cast<double>(frames_done_) / rate + offset_latency[0] - offset_latency[1];
  if (source_state == AL_STOPPED) heard = static_cast<double>(frames_queued_total_) / rate;
  heard = std::max(0.0, heard);
  return loop_ ? std::fmod(heard, duration_seconds()) : std::min(heard, duration_seconds());
}

Result<void> Voice::update(double elapsed_seconds) {
  if (gain_ != fade_target_ || gain_unapplied_) {
    const float step = fade_rate_ * static_cast<float>(elapsed_seconds);
    gain_ = gain_ < fade_target_ ? std::min(fade_target_, gain_ + step) : std::max(fade_target_, gain_ - step);
    gain_unapplied_ = false;
    if (auto applied = apply_gain(); !applied) return applied;
  }
  if (state_ != State::playing) return {};
  ALint processed = 0;
  alGetSourcei(source_, AL_BUFFERS_PROCESSED, &processed);
  for (ALint i = 0; i < processed; ++i) {
    ALuint buffer = 0;
    alSourceUnqueueBuffers(source_, 1, &buffer);
    if (auto checked = al_check("alSourceUnqueueBuffers"); !checked) return checked;
    const auto slot = static_cast<size_t>(std::find(buffers_.begin(), buffers_.end(), buffer) - buffers_.begin());
    frames_done_ += buffer_frames_[slot];
    bool filled = false;
    if (auto done = fill(buffer, filled); !done) return done;
  }
  ALint queued = 0;
  ALint source_state = AL_PLAYING;
  alGetSourcei(source_, AL_BUFFERS_QUEUED, &queued);
  alGetSourcei(source_, AL_SOURCE_STATE, &source_state);
  if (auto checked = al_check("alGetSourcei (buffers, state)"); !checked) return checked;
  if (source_state == AL_STOPPED) {
    if (queued == 0) {
      state_ = State::finished;  // every sample played
    } else {
      alSourcePlay(source_);  // the buffers ran dry before update() came: go on from where it was
      return al_check("alSourcePlay (after an underrun)");
    }
  }
  return {};
}

}  // namespace pavilion::audio
