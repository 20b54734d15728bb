// The content opened, and the calendar: what is in season today and whether the library is open.
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

Result<void> Kiosk::State::open_content() {
  close_players();
  release_players();
  release_thumbnails();
  stage.shown_books.clear();  // they read through the packages about to be closed
  const scene::LoadOptions load_options{.bc_textures_supported = display.context->capabilities().bc_texture_compression};
  content = open_installed_content(config, load_options, updater.get());
  for (const ContentProblem& problem : content.problems()) {
    note_for_operator(problem.summary.en);
    visit.log.event(telemetry::EventType::error, "package_skipped");
  }
  glyph_text = interface_text();
  PV_TRY(upload_thumbnails());
  stage.shown_entry.reset();
  schedule.active.clear();
  schedule.active_date = {};
  refresh_schedule();
  return {};
}

std::chrono::sys_seconds Kiosk::State::utc_now() const {
  // A scripted visit plays on its virtual clock, so each run sees the same calendar. A kiosk in
  // service reads the system's: its frame times are capped and it sleeps while closed, so their
  // sum falls behind, and opening hours, campaigns and the updater's expiry checks need the hour.
  if (options.script) return start_utc + std::chrono::seconds(static_cast<int64_t>(now));
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

LocalTime Kiosk::State::local_now() const { return to_local(utc_now(), config.utc_offset); }

// Applies the calendar: which packages are in season today, and whether the library is open.
void Kiosk::State::refresh_schedule() {
  const LocalTime time = local_now();
  if (time.date != schedule.active_date) {
    schedule.active_date = time.date;
    std::vector<size_t> today = content.active_on(time.date);
    if (today != schedule.active) {
      schedule.active = std::move(today);
      log::info("kiosk", "{} of {} packages are in season today", schedule.active.size(), content.entries().size());
      camera.attract_position = 0;
      camera.attract_time = 0;
      const bool shown_in_season =
          stage.shown_entry && std::find(schedule.active.begin(), schedule.active.end(), *stage.shown_entry) != schedule.active.end();
      if (!shown_in_season) {
        // A campaign ended (or began): whoever is here goes back to the start with the new programme.
        if (screen == Screen::home || screen == Screen::exhibit) reset_for_next_visitor("campaign");
        if (!schedule.active.empty()) request_scene(schedule.active.front(), std::nullopt, false);
      }
    }
  }
  const bool open = config.opening_hours.is_open(time);
  const bool operator_screen =
      screen == Screen::operator_pin || screen == Screen::operator_menu || screen == Screen::test_pattern;
  if (!open && screen != Screen::closed && !operator_screen) {
    reset_for_next_visitor("closed");
    screen = Screen::closed;
    notifier.status("closed (outside opening hours)");
  } else if (open && screen == Screen::closed) {
    screen = Screen::attract;
    notifier.status("attract loop");
  }
}

}  // namespace pavilion::kiosk
