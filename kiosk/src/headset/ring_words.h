// What the headset says of each of the ring's buttons as a hand's ray or the eyes come to rest on
// it: a visitor who cannot see the ring finds its buttons by sweeping a controller along it, as a
// screen reader's user sweeps a finger across a touch screen (kiosk/ACCESSIBILITY.md, "The headset").
#pragma once

#include "pavilion/interaction/headset.h"
#include "pavilion/kiosk/visitor_session.h"

#include <string>
#include <string_view>

namespace pavilion::kiosk {

// The button's name; the label button's with its state (`on`: the label is shown).
std::string_view ring_button_words(interaction::RingAction action, bool on, Language language);
// Every word of the ring in both languages: the characters the captions' font must hold.
void append_ring_words(std::string& glyphs);

}  // namespace pavilion::kiosk
