#include "pavilion/kiosk/visitor_session.h"

#include <algorithm>

namespace pavilion::kiosk {

VisitorSession::Change VisitorSession::touch(double now) {
  last_touch_ = now;
  if (phase_ == Phase::none) {
    phase_ = Phase::active;
    ++sessions_started_;
    return Change::started;
  }
  phase_ = Phase::active;
  return Change::none;
}

VisitorSession::Change VisitorSession::update(double now) {
  if (phase_ == Phase::none) return Change::none;
  const double idle = now - last_touch_;
  if (idle >= idle_timeout_ + still_there_) {
    phase_ = Phase::none;
    return Change::ended_by_timeout;
  }
  if (phase_ == Phase::active && idle >= idle_timeout_) {
    phase_ = Phase::still_there;
    return Change::countdown_started;
  }
  return Change::none;
}

void VisitorSession::end() { phase_ = Phase::none; }

double VisitorSession::seconds_left(double now) const {
  return std::max(0.0, idle_timeout_ + still_there_ - (now - last_touch_));
}

}  // namespace pavilion::kiosk
