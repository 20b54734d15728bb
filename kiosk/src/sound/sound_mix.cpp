// The sound device, the scene's sounds in it, and the loopback mix of scripted runs.
#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {

LoopbackMix::LoopbackMix(const audio::AudioDevice& device) : block_(size_t{device.sample_rate()} / 4 * 2) {}

double LoopbackMix::mix(audio::AudioDevice& device, double seconds) {
  frames_owed_ += seconds * device.sample_rate();
  double squares = 0;
  size_t samples = 0;
  while (frames_owed_ >= 1.0) {
    const size_t frames = std::min(block_.size() / 2, static_cast<size_t>(frames_owed_));
    const std::span<float> block(block_.data(), frames * 2);
    device.render(block);
    for (const float sample : block) squares += double{sample} * sample;
    samples += block.size();
    frames_owed_ -= static_cast<double>(frames);
  }
  return samples == 0 ? 0.0 : std::sqrt(squares / static_cast<double>(samples));
}

namespace {

void open_narrator(Kiosk::State& kiosk) {
  // A scripted visit waits for each line's synthesis, so it is heard on the same frame every run.
  auto narrator = speech::Narrator::open(*kiosk.sound.device, {.synchronous = kiosk.options.script.has_value()});
  if (!narrator) {
    log::warn("kiosk", "no spoken interface: {}", narrator.error().describe());
    kiosk.note_for_operator(fmt::format("the spoken interface is silent ({}); the keypad still moves the focus", narrator.error().why()));
    return;
  }
  kiosk.sound.narrator = std::move(*narrator);
}

}  // namespace

void Kiosk::State::open_audio() {
  // A scripted visit mixes into memory on its own clock, so every run hears (and lights) the same.
  if (!options.script) {
    auto speakers = audio::AudioDevice::open({});
    if (speakers) {
      sound.device = std::move(*speakers);
      log::info("kiosk", "sound through {}{}", sound.device->name(), sound.device->hrtf() ? " (HRTF)" : "");
      open_narrator(*this);
      return;
    }
    log::warn("kiosk", "no sound output: {}", speakers.error().describe());
    note_for_operator(fmt::format("no sound output ({}); poems light up in time but cannot be heard", speakers.error().why()));
  }
  auto loopback = audio::AudioDevice::open_loopback({});
  if (!loopback) {
    log::error("kiosk", "no sound device at all: {}", loopback.error().describe());
    note_for_operator(fmt::format("no sound device ({}); poems are timed by the clock alone", loopback.error().why()));
    return;
  }
  sound.device = std::move(*loopback);
  sound.loopback.emplace(*sound.device);
  open_narrator(*this);
}

float Kiosk::State::room_level() const {
  // Full in a visit, softer in the attract loop (it plays to an empty room), silent while closed,
  // loading or with a poem speaking.
  float level = screen == Screen::attract ? 0.5f : 1.0f;
  if (screen == Screen::closed || stage.requested || stage.loading.valid() || players_speaking()) level = 0.0f;
  if (screen == Screen::operator_pin || screen == Screen::operator_menu || screen == Screen::test_pattern) level = 0.0f;
  return level;
}

void Kiosk::State::update_scene_sounds(double seconds) {
  if (!sound.device) return;
  sound.scene_sounds.fade_to(room_level(), 1.0);
  if (auto updated = sound.scene_sounds.update(seconds); !updated) {
    note_for_operator(fmt::format("the scene's sounds stopped: {}", updated.error().why()));
    sound.scene_sounds.stop();
  }
  if (glm::distance(camera.look_at, camera.eye) < 1e-4f) return;
  const glm::vec3 forward = glm::normalize(camera.look_at - camera.eye);
  if (auto placed = sound.device->set_listener(camera.eye, forward, glm::vec3(0, 1, 0)); !placed) {
    log::warn("kiosk", "{}", placed.error().describe());
  }
}

void Kiosk::State::mix_audio(double seconds) {
  if (sound.narrator) {
    // Only the sound device failing stops it (a line espeak-ng cannot say is logged by the
    // captions' feed, and the next line is said).
    if (auto spoke = sound.narrator->update(now, seconds); !spoke) {
      note_for_operator(fmt::format("the spoken interface stopped: {}", spoke.error().why()));
      sound.narrator.reset();
    }
  }
  if (sound.loopback) report.sound_level = sound.loopback->mix(*sound.device, seconds);
}

}  // namespace pavilion::kiosk
