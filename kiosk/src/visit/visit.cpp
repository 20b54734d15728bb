// A visitor's choices: exhibits opened, the way home, language and accessibility, and the reset
// for the next visitor.
#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {

interaction::ExhibitRef Kiosk::State::exhibit_ref(size_t entry, uint32_t exhibit) const {
  const ContentEntry& owner = content.entries()[entry];
  return {{owner.id, owner.version}, owner.exhibits[exhibit].id};
}

void Kiosk::State::switch_language() {
  visit.settings.language = visit.settings.language == Language::zh_cn ? Language::en : Language::zh_cn;
  visit.log.event(telemetry::EventType::language_change, language_tag(visit.settings.language), 1);
}

void Kiosk::State::log_setting(std::string_view name, int64_t value) {
  visit.log.event(telemetry::EventType::accessibility_change, name, value);
}

void Kiosk::State::choose_time(TimeChoice time) {
  visit.settings.time = time;
  // As the interaction log counts it: how many times the standard time, 0 for none.
  log_setting("time", time == TimeChoice::standard ? 1 : time == TimeChoice::ten_times ? 10 : 0);
}

void Kiosk::State::extend_time_for_access() {
  if (visit.settings.time == TimeChoice::standard) choose_time(TimeChoice::ten_times);
}

void Kiosk::State::reset_for_next_visitor(std::string_view reason) {
  close_players();
  visit.log.end_session(reason, now);
  visit.session.end();
  visit.settings = VisitorSettings{};
  visit.accessibility_open = false;
  visit.accessibility_page = 0;
  visit.home_page = 0;
  screen = Screen::attract;
  camera.orbit_yaw = 0;
  camera.attract_time = 0;
  notifier.status("attract loop");
}

void Kiosk::State::go_home() {
  visit.log.close_exhibit(now);
  screen = Screen::home;
  visit.accessibility_open = false;
}

void Kiosk::State::open_exhibit(size_t entry, uint32_t exhibit_index, bool by_touch) {
  visit.log.open_exhibit(exhibit_ref(entry, exhibit_index), now);
  screen = Screen::exhibit;
  camera.orbit_yaw = 0;
  request_scene(entry, exhibit_index, by_touch);
  if (stage.shown_entry == entry) stage.shown_exhibit = exhibit_index;
  // Touching an exhibit of the scene on screen starts its show's moments (a lantern released).
  if (by_touch) trigger_show(entry, exhibit_index);
}

}  // namespace pavilion::kiosk
