// Where the kiosk's captions come from, as far as it has taken them: the narrator's lines up to
// the last one started, and the scene sound whose caption shows (captions/kiosk_captions.cpp).
#pragma once

#include "captions/speech_captions.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/kiosk/visitor_session.h"

#include <cstddef>
#include <cstdint>

namespace pavilion::kiosk {

struct CaptionFeed {
  SpeechCaptionFeed speech;              // the narrator's lines
  size_t scene_sound = SIZE_MAX;         // the scene sound captioned now; SIZE_MAX: none
  bool scene_sound_in_chinese = true;    // and the language it is named in
};

}  // namespace pavilion::kiosk
