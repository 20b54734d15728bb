// The keypad's keys: their names in visit scripts, and which keyboard keys send each.
#include "access/keypad_keys.h"

#include <array>
#include <utility>

namespace pavilion::kiosk {
namespace {

constexpr std::array<std::pair<KeypadKey, std::string_view>, 7> names{{
    {KeypadKey::up, "up"},
    {KeypadKey::down, "down"},
    {KeypadKey::select, "select"},
    {KeypadKey::back, "back"},
    {KeypadKey::help, "help"},
    {KeypadKey::volume_up, "volume-up"},
    {KeypadKey::volume_down, "volume-down"},
}};

}  // namespace

std::string_view to_string(KeypadKey key) { return names[static_cast<size_t>(key)].second; }

std::optional<KeypadKey> keypad_key_named(std::string_view name) {
  for (const auto& [key, key_name] : names) {
    if (key_name == name) return key;
  }
  return std::nullopt;
}

std::optional<KeypadKey> keypad_key_for(render::Key key) {
  using render::Key;
  switch (key) {
    case Key::up:
    case Key::left:
    case Key::keypad_8: return KeypadKey::up;
    case Key::down:
    case Key::right:
    case Key::keypad_2: return KeypadKey::down;
    case Key::enter:
    case Key::keypad_enter:
    case Key::space:
    case Key::keypad_5: return KeypadKey::select;
    case Key::backspace:
    case Key::escape:
    case Key::keypad_0: return KeypadKey::back;
    case Key::h:
    case Key::f1:
    case Key::slash:
    case Key::keypad_multiply: return KeypadKey::help;
    case Key::equals:
    case Key::keypad_add: return KeypadKey::volume_up;
    case Key::minus:
    case Key::keypad_subtract: return KeypadKey::volume_down;
  }
  return std::nullopt;
}

}  // namespace pavilion::kiosk
