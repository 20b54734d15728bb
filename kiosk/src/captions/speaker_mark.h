// The mark beside a caption of words said: captions tell a voice from a sound named by this
// shape, not by colour alone (WCAG 1.4.1), on the touch screen and in the headset alike.
#pragma once

#include "pavilion/interaction/captions.h"

#include <imgui.h>

namespace pavilion::kiosk {

// Speech, a description, a recitation: a voice is heard.
bool is_voice(interaction::CaptionKind kind);

// A loudspeaker, drawn in a square `size` wide from `corner`.
void draw_speaker(ImDrawList& draw, ImVec2 corner, float size, ImU32 ink);

}  // namespace pavilion::kiosk
