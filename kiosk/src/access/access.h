// The spoken interface's state (kiosk/ACCESSIBILITY.md): the keypad's keys this frame, its focus
// over the screen's controls, the tap a select makes, touch exploration in audio-only mode, and
// what was last announced. Kiosk::State's methods in access/spoken_interface.cpp make it work;
// the narrator that speaks is the sound mix's (sound/sound_mix.h).
#pragma once

#include "access/focus_ring.h"
#include "pavilion/kiosk/keypad.h"
#include "pavilion/kiosk/kiosk.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace pavilion::kiosk {

struct Access {
  // Which screen, panel and exhibit the visitor is on: a change is announced.
  struct Context {
    Screen screen = Screen::attract;
    bool panel = false;  // the accessibility panel
    bool still_there = false;
    Language language = Language::zh_cn;
    size_t entry = SIZE_MAX;
    uint32_t exhibit = 0;
    friend bool operator==(const Context&, const Context&) = default;
  };
  enum class TapPhase { none, pressed, released };

  // Reserved once: these follow the focus every frame and must not allocate.
  Access() {
    focus_before_panel.reserve(128);
    focused_words.reserve(512);
  }

  std::array<KeypadKey, 16> keys{};  // pressed since the last frame, from the window or the script
  uint32_t key_count = 0;
  // A key was pressed in this visitor's session: the focus shows, and the interface speaks.
  bool keypad_used = false;
  FocusRing ring;
  // A select presses the pointer on the focused control's centre for a frame, then lifts it, as
  // the scripted visitor taps.
  TapPhase tap_phase = TapPhase::none;
  float tap_x = 0, tap_y = 0;
  // Audio-only mode: a touch that only gave a control the focus is kept from the screens until
  // the finger lifts.
  bool touch_held_back = false;
  std::optional<Context> announced;  // null: nothing announced yet
  // A change is announced on the frame after it: the frame it happened in drew (some of) the
  // screen before, whose controls the focus must not land on.
  std::optional<Context> changed_to;
  std::string focus_before_panel;    // given back when the panel closes
  std::string focused_words;         // the focused control's words as last spoken or seen
  double invitation_at = -1e9;       // when the attract loop last said how to start
};

}  // namespace pavilion::kiosk
