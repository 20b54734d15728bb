// Which keyboard keys (as the window reports them) send each keypad key: the table in
// kiosk/ACCESSIBILITY.md.
#pragma once

#include "pavilion/kiosk/keypad.h"
#include "pavilion/render/window_target.h"

#include <optional>

namespace pavilion::kiosk {

std::optional<KeypadKey> keypad_key_for(render::Key key);

}  // namespace pavilion::kiosk
