// The keys of an EZ-Access-style keypad beside the kiosk's screen (kiosk/ACCESSIBILITY.md gives
// which keyboard keys send each), as the kiosk answers them and a visit script names them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pavilion::kiosk {

enum class KeypadKey : uint8_t { up, down, select, back, help, volume_up, volume_down };

// "up", "down", "select", "back", "help", "volume-up", "volume-down".
std::string_view to_string(KeypadKey key);
std::optional<KeypadKey> keypad_key_named(std::string_view name);

}  // namespace pavilion::kiosk
