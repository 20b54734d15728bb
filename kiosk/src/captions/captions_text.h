// The words of captions and easy reading, in Chinese and English: the accessibility panel's two
// settings and how a scene's sound is named on screen. Kept apart from interface/strings.cpp so
// that texts added beside them never shift its table.
#pragma once

#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/scene/scene.h"

#include <span>
#include <string>
#include <string_view>

namespace pavilion::kiosk {

enum class CaptionsText {
  captions,     // the panel's toggle
  simple_mode,  // the panel's toggle
  music,        // "[music: {}]", a scene's music named
  effect,       // "[sound: {}]", a show's other sounds named (a gong, firecrackers)
  count,
};

std::string_view text(CaptionsText id, Language language);

// What a scene's sound is called in its caption, on the touch screen and in the headset: its
// caption, else its exhibit's title, else its file's name.
std::string_view sound_caption_name(const scene::AudioSource& source, std::span<const scene::Exhibit> exhibits,
                                    Language language);

// Every string above in both languages, for building the font atlas.
std::string all_captions_text();

}  // namespace pavilion::kiosk
