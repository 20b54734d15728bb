// A headset visitor's visit in the interaction log, as a touch visit is kept
// (engine/interaction/visit_log.h): a session from the headset being put on (the OpenXR session
// running) to its being taken off or dropping out, opened with the input the visitor uses;
// selections as exhibits opened, a selection made by looking also as a gaze dwell. The events
// go where kiosk.json sends the kiosk's (hub_link/event_delivery.h).
#pragma once

#include "hub_link/event_delivery.h"
#include "pavilion/interaction/headset.h"
#include "pavilion/interaction/visit_log.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/xr/headset.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

namespace pavilion::kiosk {

class HeadsetVisits {
 public:
  // `entry` (the package shown) must outlive this object. The scene is entered at once.
  HeadsetVisits(const KioskConfig& config, const ContentEntry& entry);
  // Ends the visit under way ("shutdown") and the scene; the events are then delivered.
  ~HeadsetVisits();
  HeadsetVisits(const HeadsetVisits&) = delete;
  HeadsetVisits& operator=(const HeadsetVisits&) = delete;

  // The session's phase, every loop: a visit ends when it stops running.
  void phase(xr::SessionPhase phase);
  // A frame drawn for a visitor: starts their visit, and records what `interaction` selected
  // since the last frame (`selected_before`).
  void frame(const xr::HeadsetInput& input, std::string_view interaction_profile,
             const interaction::HeadsetInteraction& interaction, std::optional<uint32_t> selected_before);
  uint32_t visits() const { return visits_; }
  // A show moment the visitor started (`subject`: "EVENT@EXHIBIT", EVENTS.md's show_moment).
  void show_moment(std::string_view subject, int64_t how);
  // The log, for what an exhibit records of itself (a book's reading); it lives as long as this.
  interaction::VisitLog& log() { return log_; }

 private:
  double seconds() const;
  interaction::ExhibitRef exhibit(uint32_t index) const;

  const ContentEntry& entry_;
  std::unique_ptr<EventDelivery> events_;
  interaction::VisitLog log_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  uint32_t visits_ = 0;
};

}  // namespace pavilion::kiosk
