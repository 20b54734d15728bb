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

double VisitorSession::still_there(TimeChoice time) const {
  switch (time) {
    case TimeChoice::standard: return still_there_;
    case TimeChoice::ten_times:
    case TimeChoice::off: return 10 * still_there_;
  }
  return still_there_;
}

double VisitorSession::idle_timeout(TimeChoice time) const {
  switch (time) {
    case TimeChoice::standard: return idle_timeout_;
    case TimeChoice::ten_times: return 10 * idle_timeout_;
    // The question still comes, ten times as long, so that the visit ends at the hour exactly.
    case TimeChoice::off: return std::max(0.0, unattended_limit_seconds - still_there(time));
  }
  return idle_timeout_;
}

VisitorSession::Change VisitorSession::update(double now, TimeChoice time) {
  if (phase_ == Phase::none) return Change::none;
  const double idle = now - last_touch_;
  const double question_at = idle_timeout(time);
  if (idle >= question_at + still_there(time)) {
    phase_ = Phase::none;
    return Change::ended_by_timeout;
  }
  if (phase_ == Phase::active && idle >= question_at) {
    phase_ = Phase::still_there;
    return Change::countdown_started;
  }
  return Change::none;
}

void VisitorSession::end() { phase_ = Phase::none; }

double VisitorSession::seconds_left(double now, TimeChoice time) const {
  return std::max(0.0, idle_timeout(time) + still_there(time) - (now - last_touch_));
}

}  // namespace pavilion::kiosk
