// The operator's side of the kiosk: the corner gesture and the PIN that lead to the operator
// screens, and the latest warnings those screens show.
#pragma once

#include "pavilion/kiosk/config.h"

#include <cstdint>
#include <deque>
#include <string>

namespace pavilion::kiosk {

struct OperatorDesk {
  uint32_t corner_taps = 0;
  double corner_first_tap = 0;
  std::string pin_entry;
  uint32_t wrong_pins = 0;
  double pin_locked_until = 0;
  bool pin_rejected = false;
  double last_touch = 0;
  std::deque<std::string> log;  // the latest warnings and errors, newest first
  bool restart_requested = false;

  // A line for the operator screen, stamped with the library's local time.
  void note(std::string line, const LocalTime& time);
};

}  // namespace pavilion::kiosk
