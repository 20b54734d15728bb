#include "headset/headset_sound.h"

#include "captions/captions_text.h"
#include "pavilion/core/log.h"
#include "touch/widgets.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace pavilion::kiosk {
namespace {

constexpr double until_ended = std::numeric_limits<double>::infinity();
constexpr double fade_in_seconds = 1.0;

}  // namespace

Result<std::unique_ptr<HeadsetSound>> HeadsetSound::start(const package::PackageReader& reader,
                                                          const scene::Scene& shown, Language language) {
  std::unique_ptr<HeadsetSound> sound(new HeadsetSound());
  sound->language_ = language;
  PV_TRY_ASSIGN(sound->sounds_, SceneSounds::read(reader, shown));
  auto speakers = audio::AudioDevice::open({});
  if (speakers) {
    sound->device_ = std::move(*speakers);
  } else {
    log::warn("kiosk", "no sound output on the headset's machine ({}); its sounds are captioned only",
              speakers.error().why());
    PV_TRY_ASSIGN(sound->device_, audio::AudioDevice::open_loopback({}));
    sound->loopback_ = true;
    sound->mix_.resize(size_t{sound->device_->sample_rate()} / 4 * 2);  // stereo; a quarter second, the longest frame
  }
  // Each sound named as the touch screen names it: its caption, else its exhibit's title, else
  // its file's name.
  for (size_t index = 0; index < sound->sounds_.size(); ++index) {
    const scene::AudioSource& source = sound->sounds_.source(index);
    std::string_view name = pick(source.caption, language);
    if (name.empty() && source.exhibit < shown.exhibits.size()) name = pick(shown.exhibits[source.exhibit].metadata.title, language);
    if (name.empty()) name = source.name;
    sound->captions_.push_back(fmt::format(fmt::runtime(text(CaptionsText::music, language)), name));
    sound->glyphs_ += sound->captions_.back();
  }
  // Exhibits' titles, as they may be said and captioned.
  for (const scene::Exhibit& exhibit : shown.exhibits) sound->glyphs_ += pick(exhibit.metadata.title, language);
  PV_TRY(sound->sounds_.start(*sound->device_, 1.0f, fade_in_seconds));
  if (auto narrator = speech::Narrator::open(*sound->device_, {.synchronous = sound->loopback_})) {
    sound->narrator_ = std::move(*narrator);
  } else {
    log::warn("kiosk", "the headset does not speak: {}", narrator.error().describe());
  }
  return sound;
}

void HeadsetSound::say_title(const scene::Exhibit& exhibit, double now) {
  const std::string& title = pick(exhibit.metadata.title, language_);
  if (narrator_ && !title.empty()) narrator_->say(title, language_tag(language_), true, now);
}

// Each line the narrator says, from its first sound to its end (or to where it was cut short).
void HeadsetSound::caption_speech(interaction::Captions& captions) {
  for (const speech::SpokenLine& line : narrator_->history()) {
    if (line.started_at < 0 || line.started_at < speech_started_) continue;
    if (line.started_at == speech_started_) {
      if (speech_open_ && line.ended_at >= 0) {
        captions.end(interaction::CaptionKind::speech, line.ended_at);
        speech_open_ = false;
      }
      continue;
    }
    speech_started_ = line.started_at;
    speech_open_ = line.ended_at < 0;
    captions.show(interaction::CaptionKind::speech, line.text, line.language, line.started_at,
                  speech_open_ ? until_ended : line.ended_at);
  }
}

HeadsetSound::~HeadsetSound() { sounds_.stop(); }

Result<void> HeadsetSound::update(const glm::vec3& head, const glm::vec3& forward, double now, double seconds,
                                  interaction::Captions& captions) {
  PV_TRY(device_->set_listener(head, forward, glm::vec3(0, 1, 0)));
  PV_TRY(sounds_.update(seconds));
  if (narrator_) {
    PV_TRY(narrator_->update(now, seconds));
    caption_speech(captions);
  }
  if (loopback_) {
    frames_owed_ += seconds * device_->sample_rate();
    while (frames_owed_ >= 1.0) {
      const size_t frames = std::min(mix_.size() / 2, static_cast<size_t>(frames_owed_));
      device_->render(std::span<float>(mix_.data(), frames * 2));
      frames_owed_ -= static_cast<double>(frames);
    }
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
