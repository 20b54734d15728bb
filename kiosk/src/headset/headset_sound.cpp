#include "headset/headset_sound.h"

#include "access/spoken_text.h"
#include "captions/captions_text.h"
#include "headset/ring_words.h"
#include "pavilion/core/log.h"
#include "touch/widgets.h"

#include <fmt/format.h>

#include <limits>

namespace pavilion::kiosk {
namespace {

constexpr double until_ended = std::numeric_limits<double>::infinity();
constexpr double fade_in_seconds = 1.0;

}  // namespace

Result<std::unique_ptr<HeadsetSound>> HeadsetSound::start(const package::PackageReader& reader,
                                                          const scene::Scene& shown, Language language, bool calm) {
  std::unique_ptr<HeadsetSound> sound(new HeadsetSound());
  sound->language_ = language;
  PV_TRY_ASSIGN(sound->sounds_, SceneSounds::read(reader, shown));
  PV_TRY_ASSIGN(sound->show_, ShowPlayback::read(reader, shown));
  auto speakers = audio::AudioDevice::open({});
  if (speakers) {
    sound->device_ = std::move(*speakers);
  } else {
    log::warn("kiosk", "no sound output on the headset's machine ({}); its sounds are captioned only",
              speakers.error().why());
    PV_TRY_ASSIGN(sound->device_, audio::AudioDevice::open_loopback({}));
    sound->loopback_.emplace(*sound->device_);
  }
  // Each sound named as the touch screen names it.
  for (size_t index = 0; index < sound->sounds_.size(); ++index) {
    const std::string_view name = sound_caption_name(sound->sounds_.source(index), shown.exhibits, language);
    sound->captions_.push_back(fmt::format(fmt::runtime(text(CaptionsText::music, language)), name));
    sound->glyphs_ += sound->captions_.back();
  }
  // Exhibits' titles and descriptions and the ring's words, as they may be said and captioned.
  for (const scene::Exhibit& exhibit : shown.exhibits) {
    (sound->glyphs_ += pick(exhibit.metadata.title, language)) += pick(exhibit.alt_text, language);
  }
  append_ring_words(sound->glyphs_);
  sound->show_.add_glyphs(sound->glyphs_);
  sound->glyphs_ += spoken(Spoken::no_description, language);
  PV_TRY(sound->sounds_.start(*sound->device_, 1.0f, fade_in_seconds));
  // A headset has no attract loop: a show that loops there goes round for whoever puts it on.
  sound->show_.start(sound->device_.get(), sound->show_.has_show() && sound->show_.show().loop_in_attract, calm);
  if (auto narrator = speech::Narrator::open(*sound->device_, {.synchronous = sound->loopback_.has_value()})) {
    sound->narrator_ = std::move(*narrator);
  } else {
    log::warn("kiosk", "the headset does not speak: {}", narrator.error().describe());
  }
  return sound;
}

void HeadsetSound::say_exhibit(const scene::Exhibit& exhibit, bool label_shown, double now) {
  if (!narrator_) return;
  const std::string& title = pick(exhibit.metadata.title, language_);
  if (!title.empty()) narrator_->say(title, language_tag(language_), true, now);
  if (label_shown) say_description(exhibit, now);
}

void HeadsetSound::say_description(const scene::Exhibit& exhibit, double now) {
  const std::string& description = pick(exhibit.alt_text, language_);
  const std::string_view words = description.empty() ? spoken(Spoken::no_description, language_) : std::string_view(description);
  if (narrator_) narrator_->say(words, language_tag(language_), false, now);
}

void HeadsetSound::say_ring_button(interaction::RingAction action, bool label_shown, double now) {
  if (narrator_) narrator_->say(ring_button_words(action, label_shown, language_), language_tag(language_), true, now);
}

HeadsetSound::~HeadsetSound() {
  show_.stop();
  sounds_.stop();
}

Result<void> HeadsetSound::update(const glm::vec3& head, const glm::vec3& forward, double now, double seconds,
                                  interaction::Captions& captions) {
  PV_TRY(device_->set_listener(head, forward, glm::vec3(0, 1, 0)));
  PV_TRY(sounds_.update(seconds));
  // The show read on the clock of what the last mix made heard; its new sounds join this mix.
  PV_TRY_ASSIGN(show_frame_, show_.update(seconds));
  if (narrator_) {
    // Fails only when the sound device does: a line espeak-ng cannot say is logged by the feed.
    PV_TRY(narrator_->update(now, seconds));
    speech_captions_.update(*narrator_, captions, now,
                            [](const speech::SpokenLine&) { return interaction::CaptionKind::speech; });
  }
  if (loopback_) loopback_->mix(*device_, seconds);
  show_.update_captions(captions, now, language_);
  // The show's music names itself: the room's sounds leave the music's line to it.
  if (show_.music_heard()) {
    captioned_ = SIZE_MAX;
    return {};
  }
  if (captioned_ != SIZE_MAX && !sounds_.audible(captioned_)) {
    captions.end(interaction::CaptionKind::music, now);
    captioned_ = SIZE_MAX;
  }
  if (captioned_ != SIZE_MAX) return {};
  for (size_t index = 0; index < sounds_.size(); ++index) {
    if (!sounds_.audible(index)) continue;
    captions.show(interaction::CaptionKind::music, captions_[index], language_tag(language_), now, until_ended);
    captioned_ = index;
    break;
  }
  return {};
}

}  // namespace pavilion::kiosk
