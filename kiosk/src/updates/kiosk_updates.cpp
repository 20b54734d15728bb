// The updater in the kiosk: started with it, its notes on the operator screen, its status to the
// hub's fleet report, and its switches made only in the attract loop.
#include "kiosk_state.h"
#include "pavilion/core/log.h"

namespace pavilion::kiosk {

void Kiosk::State::start_updater() {
  if (!config.updates) return;
  // The updater's thread reads the clock between frames: a scripted visit's virtual clock as the
  // frame thread last moved it, otherwise the system's.
  auto opened = Updater::open(config, [this] { return options.script ? utc_seconds.load() : utc_now().time_since_epoch().count(); });
  if (!opened) {
    // Without its updater the kiosk still shows what it holds.
    log::error("kiosk", "updates are off: {}", opened.error().describe());
    note_for_operator("updates are off: " + opened.error().why());
    return;
  }
  updater = std::move(opened).value();
  updater->start();
}

Result<void> Kiosk::State::apply_updates() {
  if (!updater) return {};
  std::vector<std::string> notes = updater->take_notes();
  // The operator screen's lines about updates may hold words the font atlas lacks.
  if (!notes.empty()) glyph_text = interface_text();
  for (std::string& line : notes) note_for_operator(std::move(line));
  if (events) events->report_status([this] { return updater->status(); });
  // The safe moment: the attract loop, no visitor, no scene on its way in.
  const bool safe = screen == Screen::attract && !visit.session.active() && stage.settled();
  const int64_t utc = utc_seconds.load();
  if (!safe || !updater->switch_due(utc)) return {};
  updater->switch_now(utc);
  return open_content();
}

}  // namespace pavilion::kiosk
