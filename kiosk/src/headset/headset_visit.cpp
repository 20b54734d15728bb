#include "headset/headset_visit.h"

#include "pavilion/core/log.h"

#include <string>

namespace pavilion::kiosk {
namespace {

// What a headset visitor acts with: their controllers, their tracked hands (the runtime binds the
// hand-interaction profile), or, with neither, their gaze.
interaction::InputMethod input_method(const xr::HeadsetInput& input, std::string_view interaction_profile) {
  if (!input.any_hand_tracked()) return interaction::InputMethod::gaze;
  return interaction_profile.ends_with("/hand_interaction") ? interaction::InputMethod::hand
                                                           : interaction::InputMethod::controller;
}

}  // namespace

HeadsetVisits::HeadsetVisits(const KioskConfig& config, const ContentEntry& entry)
    : entry_(entry),
      events_(EventDelivery::start(config, [](std::string line) { log::warn("kiosk", "{}", line); })),
      log_(events_->telemetry()) {
  log_.enter_scene({entry_.id, entry_.version}, seconds());
}

HeadsetVisits::~HeadsetVisits() {
  log_.end_session("shutdown", seconds());
  log_.exit_scene(seconds());
}

double HeadsetVisits::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

interaction::ExhibitRef HeadsetVisits::exhibit(uint32_t index) const {
  return {{entry_.id, entry_.version}, entry_.exhibits[index].id};
}

void HeadsetVisits::show_moment(std::string_view subject, int64_t how) {
  log_.exhibit_event(telemetry::EventType::show_moment, {{entry_.id, entry_.version}, subject}, how);
}

void HeadsetVisits::phase(xr::SessionPhase phase) {
  if (phase == xr::SessionPhase::running || !log_.in_session()) return;
  // Taken off (or gone): that visitor's visit is over.
  log_.end_session(phase == xr::SessionPhase::lost ? "headset_lost" : "headset_removed", seconds());
}

void HeadsetVisits::frame(const xr::HeadsetInput& input, std::string_view interaction_profile,
                          const interaction::HeadsetInteraction& interaction, std::optional<uint32_t> selected_before) {
  if (!log_.in_session()) {
    log_.start_session(input_method(input, interaction_profile), seconds());
    ++visits_;
  }
  const std::optional<uint32_t> selected = interaction.selected();
  if (selected == selected_before) return;
  if (!selected) {
    log_.close_exhibit(seconds());
    return;
  }
  log_.open_exhibit(exhibit(*selected), seconds());
  if (interaction.selected_by_gaze()) {
    log_.exhibit_event(telemetry::EventType::gaze_dwell, exhibit(*selected),
                       static_cast<int64_t>(interaction.settings().dwell_seconds * 1000.0f));
  }
}

}  // namespace pavilion::kiosk
