// What a headset visitor hears: the scene's own sounds (its audio exhibits), placed in the room
// around their head, the scene's show (show/: its music, effects and moments; looping while the
// show asks to, calm with the visitor's reduced motion), and the title of each exhibit they select, spoken (engine/speech's
// narrator), through the speakers or headphones (or, with neither, mixed into memory on the
// headset's clock, the narrator synchronous, so that what would be heard is still known); and,
// for a visitor who cannot hear them, each sound named and each line said in the captions for
// as long as it is heard.
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/interaction/headset.h"
#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/scene.h"
#include "pavilion/speech/narrator.h"
#include "captions/speech_captions.h"
#include "show/show_playback.h"
#include "sound/scene_sounds.h"
#include "sound/sound_mix.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::kiosk {

class HeadsetSound {
 public:
  // Reads the scene's sounds from its package and starts them. Fails with a sentence when they
  // cannot be read or no sound device at all opens; the headset then runs silent.
  static Result<std::unique_ptr<HeadsetSound>> start(const package::PackageReader& reader, const scene::Scene& shown,
                                                     Language language, bool calm);
  // Speech failing to start (no espeak-ng voice) leaves the scene's sounds playing: it says so
  // in the log.
  ~HeadsetSound();
  HeadsetSound(const HeadsetSound&) = delete;
  HeadsetSound& operator=(const HeadsetSound&) = delete;

  // Says the title of `exhibit` (just selected), instead of whatever was being said, and then,
  // while its label shows, its audio description (the words a blind visitor needs).
  void say_exhibit(const scene::Exhibit& exhibit, bool label_shown, double now);
  // Says the audio description of `exhibit` after what is being said (no description: says so).
  void say_description(const scene::Exhibit& exhibit, double now);
  // Says a ring button's words as a hand or the eyes come to it, or its changed state.
  void say_ring_button(interaction::RingAction action, bool label_shown, double now);
  // Every frame: the listener where the head is, the sounds and the narrator fed (and mixed, into
  // memory), and `captions` told what is heard at `now` (seconds on the headset's clock). No
  // allocation while nothing new is said.
  Result<void> update(const glm::vec3& head, const glm::vec3& forward, double now, double seconds,
                      interaction::Captions& captions);
  // The scene's show (none: has_show() is false), and what it did in the last update (null:
  // nothing plays).
  ShowPlayback& show() { return show_; }
  const scene::ShowFrame* show_frame() const { return show_frame_; }
  // Every caption it may show, for a font atlas.
  const std::string& caption_glyphs() const { return glyphs_; }
  // The narrator's lines, for the run's report; null when speech could not start.
  const speech::Narrator* narrator() const { return narrator_.get(); }

 private:
  HeadsetSound() = default;

  std::unique_ptr<audio::AudioDevice> device_;
  std::optional<LoopbackMix> loopback_;  // set when `device_` is a loopback
  SceneSounds sounds_;  // declared after the device: its voices end first
  ShowPlayback show_;   // and the show's
  const scene::ShowFrame* show_frame_ = nullptr;
  std::unique_ptr<speech::Narrator> narrator_;  // and the narrator's
  SpeechCaptionFeed speech_captions_;
  std::vector<std::string> captions_;  // each sound's, worded once
  std::string glyphs_;
  Language language_ = Language::zh_cn;
  size_t captioned_ = SIZE_MAX;  // the sound whose caption shows; SIZE_MAX: none
};

}  // namespace pavilion::kiosk
