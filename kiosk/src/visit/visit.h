// The visitor in front of the touch screen: their session (started by a touch, ended by leaving
// or by silence after "still there?"), what they chose for themselves, where they are in the
// menu, and the visit as the interaction log keeps it. Everything here goes back to how the next
// visitor should find it when the session ends.
#pragma once

#include "pavilion/interaction/visit_log.h"
#include "pavilion/kiosk/visitor_session.h"

#include <cstdint>

namespace pavilion::kiosk {

struct Visit {
  VisitorSession session{90, 20};
  VisitorSettings settings;
  bool accessibility_open = false;
  uint32_t accessibility_page = 0;  // the lower layout's page of settings
  uint32_t home_page = 0;
  interaction::VisitLog log{nullptr};
};

}  // namespace pavilion::kiosk
