#include "pavilion/speech/narrator.h"

#include "pavilion/audio/voice.h"
#include "pavilion/speech/synthesizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace pavilion::speech {
namespace {

constexpr size_t history_limit = 256;
// Lines waiting to be heard, at most: should update() stop being called (the frame loop stuck
// behind a hung sound device) while lines are still asked for, the oldest waiting give way, as
// they would to an interrupting line, instead of piling up.
constexpr size_t waiting_limit = 32;

// A voice queues 0.4 s of sound as it starts (four 100 ms buffers, engine/audio/voice.h) and
// its stream waits for samples it does not have yet: a line starts once that much is made, so
// the frame thread does not wait on espeak-ng (it still waits, briefly, if espeak-ng ever falls
// behind the sound).
constexpr double head_start_seconds = 0.4;

// One line's sound, made by the synthesis thread and played by a voice on the frame thread.
// Guarded by Shared::mutex.
struct LineSound {
  std::string text;
  VoiceSettings voice;
  std::vector<int16_t> samples;
  bool done = false;       // synthesis over: every sample is in `samples`
  bool cancelled = false;  // interrupted or silenced: synthesis stops, nothing more is played
  std::optional<Error> error;
};

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;  // samples made, a line done, a line queued, quitting
  std::deque<std::shared_ptr<LineSound>> jobs;  // for the synthesis thread, oldest first
  bool quit = false;
};

// A line's samples as they are made: read() waits for the next samples while synthesis is still
// under way, since a voice takes a short read for the end of the sound.
class LineStream final : public audio::SampleStream {
 public:
  LineStream(Shared& shared, std::shared_ptr<LineSound> sound, uint32_t sample_rate)
      : shared_(shared), sound_(std::move(sound)), sample_rate_(sample_rate) {}

  uint32_t sample_rate() const override { return sample_rate_; }
  uint32_t channels() const override { return 1; }
  // What is made so far: the whole length once synthesis is over.
  uint64_t frames() const override {
    const std::lock_guard lock(shared_.mutex);
    return sound_->samples.size();
  }

  Result<size_t> read(std::span<int16_t> interleaved) override {
    std::unique_lock lock(shared_.mutex);
    shared_.changed.wait(lock, [&] {
      return sound_->done || sound_->cancelled || sound_->samples.size() > position_;
    });
    if (sound_->cancelled) return size_t{0};
    const size_t count = std::min(interleaved.size(), sound_->samples.size() - position_);
    std::copy_n(sound_->samples.begin() + static_cast<ptrdiff_t>(position_), count, interleaved.begin());
    position_ += count;
    return count;
  }

  Result<void> rewind() override {
    position_ = 0;
    return {};
  }

 private:
  Shared& shared_;
  std::shared_ptr<LineSound> sound_;
  uint32_t sample_rate_;
  size_t position_ = 0;
};

}  // namespace

struct Narrator::Impl {
  audio::AudioDevice& device;
  NarratorOptions options;
  uint32_t sample_rate;  // espeak-ng's, the same for every voice
  Shared shared;
  std::thread thread;  // started last, joined first

  // The frame thread's side.
  struct Waiting {
    uint64_t serial = 0;  // its line in the history
    std::shared_ptr<LineSound> sound;
  };
  std::deque<Waiting> waiting;  // asked for, not yet heard, oldest first
  std::optional<Waiting> playing;
  std::unique_ptr<audio::Voice> voice;  // plays `playing`
  // A ring: the line of serial s at s % history_limit, for serials first_serial … next_serial − 1,
  // so a new line overwrites the oldest instead of moving the 255 others.
  std::vector<SpokenLine> history;
  uint64_t first_serial = 0;
  uint64_t next_serial = 0;

  Impl(audio::AudioDevice& output, const NarratorOptions& chosen, uint32_t rate)
      : device(output), options(chosen), sample_rate(rate) {
    history.reserve(history_limit);
  }

  SpokenLine* line(uint64_t serial) {
    if (serial < first_serial || serial >= next_serial) return nullptr;  // dropped, or not asked yet
    return &history[serial % history_limit];
  }
  const SpokenLine* line(uint64_t serial) const { return const_cast<Impl*>(this)->line(serial); }

  void synthesise_lines();
  // Marks `entry`'s line ended at `now`, cut short, and its synthesis cancelled; under shared.mutex.
  void end_early(const Waiting& entry, double now);
  void cut(double now);
  // Marks a line espeak-ng could not say as failed, with why, ended at `now`.
  void fail(uint64_t serial, Error error, std::string_view text, double now);
  Result<void> start_next(double now);
};

// The synthesis thread: lines one after another, in the order asked.
void Narrator::Impl::synthesise_lines() {
  std::unique_lock lock(shared.mutex);
  while (true) {
    shared.changed.wait(lock, [&] { return shared.quit || !shared.jobs.empty(); });
    if (shared.quit) return;
    const std::shared_ptr<LineSound> sound = std::move(shared.jobs.front());
    shared.jobs.pop_front();
    if (sound->cancelled) continue;
    lock.unlock();
    auto made = synthesize(sound->text, sound->voice, [&](std::span<const int16_t> samples) {
      const std::lock_guard guard(shared.mutex);
      if (sound->cancelled || shared.quit) return false;
      sound->samples.insert(sound->samples.end(), samples.begin(), samples.end());
      shared.changed.notify_all();
      return true;
    });
    lock.lock();
    if (!made) sound->error = std::move(made).error();
    sound->done = true;
    shared.changed.notify_all();
  }
}

Result<std::unique_ptr<Narrator>> Narrator::open(audio::AudioDevice& device, const NarratorOptions& options) {
  // Both voices tried once now: a missing voice fails here, not at the first visitor's key, and
  // espeak-ng's data is read before anyone waits for a word (espeak-ng keeps one voice loaded
  // and loads the other again at each switch of language: engine/speech/synthesizer.cpp).
  uint32_t sample_rate = 0;
  for (const char* language : {"zh-CN", "en"}) {
    auto ready = synthesize(" ", voice_for(language), [](std::span<const int16_t>) { return true; });
    if (!ready) return std::move(ready).error().add_context("opening the narrator");
    sample_rate = ready->sample_rate;
  }
  auto impl = std::make_unique<Impl>(device, options, sample_rate);
  impl->options.volume = std::clamp(options.volume, 0.0f, 1.0f);
  impl->thread = std::thread([state = impl.get()] { state->synthesise_lines(); });
  return std::unique_ptr<Narrator>(new Narrator(std::move(impl)));
}

Narrator::Narrator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Narrator::~Narrator() {
  impl_->voice.reset();  // its stream reads the shared state
  {
    const std::lock_guard lock(impl_->shared.mutex);
    impl_->shared.quit = true;  // a synthesis under way stops at its next 20 ms of sound
    impl_->shared.changed.notify_all();
  }
  impl_->thread.join();
}

void Narrator::Impl::end_early(const Waiting& entry, double now) {
  entry.sound->cancelled = true;
  if (SpokenLine* spoken = line(entry.serial)) {
    spoken->ended_at = now;
    spoken->cut_short = true;
  }
}

// Ends what is heard and what waits at `now`, each marked cut short.
void Narrator::Impl::cut(double now) {
  voice.reset();
  const std::lock_guard lock(shared.mutex);
  if (playing) end_early(*playing, now);
  for (const Waiting& entry : waiting) end_early(entry, now);
  playing.reset();
  waiting.clear();
  shared.jobs.clear();
  shared.changed.notify_all();
}

void Narrator::say(std::string_view text, std::string_view language_tag, bool interrupt, double now) {
  Impl& state = *impl_;
  if (interrupt) state.cut(now);
  if (state.waiting.size() == waiting_limit) {
    {
      const std::lock_guard lock(state.shared.mutex);
      state.end_early(state.waiting.front(), now);
      // Its job, if queued, is skipped by the synthesis thread: it is cancelled.
    }
    state.waiting.pop_front();
  }
  const uint64_t serial = state.next_serial++;
  SpokenLine said{.text = std::string(text), .language = std::string(language_tag), .asked_at = now, .serial = serial};
  if (state.history.size() < history_limit) {
    state.history.push_back(std::move(said));
  } else {
    state.history[serial % history_limit] = std::move(said);
    ++state.first_serial;
  }
  auto sound = std::make_shared<LineSound>();
  sound->text = std::string(text);
  sound->voice = voice_for(language_tag);
  state.waiting.push_back({serial, sound});
  // Synchronous: update() hands each line over when it starts (start_next).
  if (state.options.synchronous) return;
  const std::lock_guard lock(state.shared.mutex);
  state.shared.jobs.push_back(std::move(sound));
  state.shared.changed.notify_all();
}

void Narrator::silence(double now) { impl_->cut(now); }

void Narrator::set_volume(float volume) {
  impl_->options.volume = std::clamp(volume, 0.0f, 1.0f);
  if (impl_->voice) impl_->voice->fade_to(impl_->options.volume, 0);
}

float Narrator::volume() const { return impl_->options.volume; }

void Narrator::Impl::fail(uint64_t serial, Error error, std::string_view text, double now) {
  SpokenLine* spoken = line(serial);
  if (!spoken) return;
  spoken->ended_at = now;
  spoken->failed = true;
  spoken->failure = std::move(error).add_context(fmt::format("saying '{}'", text)).describe();
}

// Starts the oldest waiting line once its head start is made. A line espeak-ng could not say
// ends at once, marked failed, and the next one is tried; one with nothing to say (punctuation
// alone) ends at once too.
//
// Synchronous mode hands the line to the synthesis thread now and waits until all of it is
// made: espeak-ng carries its pitch flutter from one sentence to the next, so only lines made
// whole, one after another and never ahead (a line made ahead may be cut half made), give the
// same sound, and so the same times, on every run.
Result<void> Narrator::Impl::start_next(double now) {
  const auto head_start = static_cast<size_t>(head_start_seconds * sample_rate);
  while (!playing && !waiting.empty()) {
    Waiting next = std::move(waiting.front());
    bool silent = false;  // its synthesis is over without a sound to play
    {
      std::unique_lock lock(shared.mutex);
      if (options.synchronous) {
        shared.jobs.push_back(next.sound);
        shared.changed.notify_all();
        shared.changed.wait(lock, [&] { return next.sound->done; });
      } else if (!next.sound->done && next.sound->samples.size() < head_start) {
        waiting.front() = std::move(next);
        return {};
      }
      // Read here, under the lock: the synthesis thread may still be adding samples.
      silent = next.sound->done && (next.sound->error || next.sound->samples.empty());
    }
    waiting.pop_front();
    SpokenLine* spoken = line(next.serial);
    if (silent) {
      // Done: the synthesis thread no longer touches it.
      if (next.sound->error) {
        fail(next.serial, std::move(*next.sound->error), next.sound->text, now);
      } else if (spoken) {
        spoken->ended_at = now;
      }
      continue;
    }
    auto played = device.play(std::make_unique<LineStream>(shared, next.sound, sample_rate),
                              {.spatial = false, .gain = options.volume});
    if (!played) {
      const std::lock_guard lock(shared.mutex);
      next.sound->cancelled = true;
      if (spoken) spoken->ended_at = now;
      return std::move(played).error().add_context("starting the narrator's voice");
    }
    voice = std::move(*played);
    if (spoken) spoken->started_at = now;
    playing = std::move(next);
  }
  return {};
}

Result<void> Narrator::update(double now, double seconds) {
  Impl& state = *impl_;
  if (state.voice) {
    PV_TRY(state.voice->update(seconds));
    if (!state.voice->finished()) return {};
    state.voice.reset();
    if (SpokenLine* spoken = state.line(state.playing->serial)) spoken->ended_at = now;
    const Impl::Waiting ended = std::move(*state.playing);
    state.playing.reset();
    // Its synthesis is over (its stream ended): a failure part way says why the line stopped.
    if (ended.sound->error) state.fail(ended.serial, std::move(*ended.sound->error), ended.sound->text, now);
  }
  // The next line starts on the frame the last one ended: lines that queue are heard one
  // after another without a frame's gap.
  return state.start_next(now);
}

bool Narrator::speaking() const { return impl_->playing.has_value() || !impl_->waiting.empty(); }

const SpokenLine* Narrator::current() const {
  return impl_->playing ? impl_->line(impl_->playing->serial) : nullptr;
}

SpokenHistory Narrator::history() const {
  const Impl& state = *impl_;
  return {state.history, static_cast<size_t>(state.first_serial % history_limit)};
}

const SpokenLine* Narrator::line(uint64_t serial) const { return impl_->line(serial); }

uint64_t Narrator::next_serial() const { return impl_->next_serial; }

}  // namespace pavilion::speech
