// The shown scene's festival show on the touch kiosk: moved on each frame by its music's clock,
// looping in the attract loop (when the show asks to) and played once in a visit, calm with the
// visitor's calm mode; its moments started by touching their exhibits and logged; its camera
// moves followed outside the exhibit screen (cut to their end in calm mode); its titles drawn
// over the scene in the calligraphic font.
#include "kiosk_state.h"
#include "interface/style.h"
#include "touch/widgets.h"
#include "pavilion/core/log.h"
#include "pavilion/exhibits/show_titles.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// The show's camera this frame, once a move has started (held at its last key after it ends,
// until the next): the move's pose, or in calm mode (no flights) its last key, cut to as it starts.
void follow_show_camera(Kiosk::State& kiosk, const scene::ShowFrame& frame) {
  for (const scene::ShowEvent& event : frame.events) {
    const scene::ShowCue& cue = kiosk.show.cue(event.track, event.moment, event.cue);
    if (cue.kind == scene::CueKind::camera && event.kind == scene::ShowEventKind::cue_start) kiosk.camera.show_move = &cue;
  }
  // A show that has ended gives the camera back.
  if (!kiosk.camera.show_move || !frame.has_camera || frame.finished) return;
  const std::vector<scene::CameraMoveKey>& keys = kiosk.camera.show_move->camera_keys;
  const scene::CameraPose pose =
      kiosk.visit.settings.calm && !keys.empty() ? scene::sample_camera(keys, keys.back().time) : frame.camera;
  kiosk.camera.show_pose = pose;
}

}  // namespace

void Kiosk::State::update_show(double seconds) {
  show_frame = nullptr;
  report.show.events.clear();
  report.show.playing = false;
  camera.show_pose.reset();
  if (!show.started() || !stage.shown_entry) return;
  const bool attract = screen == Screen::attract;
  // Over and over to an empty room; once for a visitor (the pass under way plays to its end).
  const bool loop = attract && show.show().loop_in_attract;
  show.set_loop(loop);
  show.set_calm(visit.settings.calm);
  show.set_level(room_level(), 1.0);
  auto frame = show.update(seconds);
  if (!frame) {
    note_for_operator(fmt::format("the show's sounds stopped: {}", frame.error().why()));
    return;
  }
  // The visitor has gone and the show had ended: it starts again for the attract loop.
  if (loop && (*frame)->finished) {
    show.start(sound.device.get(), true, visit.settings.calm);
    camera.show_move = nullptr;
    if (show_stage) show_stage->reset();
    frame = show.update(seconds);
    if (!frame) return;
  }
  show_frame = *frame;
  const ContentEntry& entry = content.entries()[*stage.shown_entry];
  for (const scene::ShowEvent& event : show_frame->events) {
    if (event.kind != scene::ShowEventKind::moment) continue;
    const scene::InteractiveMoment& moment = show.show().moments[event.moment];
    if (moment.exhibit >= entry.exhibits.size()) continue;
    // The moment's event and its exhibit, as the hub counts them (EVENTS.md, show_moment).
    std::array<char, 64> subject;
    const std::string_view named = label(subject, "{}@{}", moment.event, entry.exhibits[moment.exhibit].id);
    visit.log.exhibit_event(telemetry::EventType::show_moment, {{entry.id, entry.version}, named},
                            static_cast<int64_t>(moment.trigger));
    report.show_moments.emplace_back(named);
    log::info("kiosk", "show moment {}", named);
  }
  follow_show_camera(*this, *show_frame);
  // Its clips and its light, in the renderer's next frame.
  if (show_stage) show_stage->apply(*show_frame, static_cast<float>(seconds), *display.renderer);
  report.show.events.assign(show_frame->events.begin(), show_frame->events.end());
  report.show.playing = true;
  report.show.clock_seconds = show.clock_seconds();
  report.show.music_seconds = show.music_seconds();
  report.show.show_seconds = show_frame->show_seconds;
  report.show.pass = show_frame->pass;
  report.show.finished = show_frame->finished;
  report.show.looping = loop;
  report.show.calm = visit.settings.calm;
  report.show.sounds_playing = show.sounds_playing();
}

void Kiosk::State::trigger_show(size_t entry, uint32_t exhibit) {
  if (stage.shown_entry != entry || !show.started()) return;
  show.trigger(exhibit, scene::MomentTrigger::touch);
}

void Kiosk::State::draw_show_titles(const glm::mat4& view_projection) {
  report.show.titles_drawn = 0;
  report.show.first_title_alpha = 0;
  if (!show_frame || !stage.shown_entry || stage.fade >= 1.0f) return;
  const exhibits::ShowTitlesDrawn drawn = exhibits::draw_show_titles(
      *ImGui::GetBackgroundDrawList(), ImGui::GetIO().DisplaySize, show.show(), show_frame->titles,
      content.entries()[*stage.shown_entry].exhibits, view_projection, visit.settings.language == Language::zh_cn,
      1.0f - stage.fade, {display.ui->title_font(), display.ui->body_font()});
  report.show.titles_drawn = drawn.count;
  report.show.first_title_alpha = drawn.first_alpha;
}

}  // namespace pavilion::kiosk
