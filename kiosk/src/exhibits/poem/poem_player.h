// The poem exhibit on the touch kiosk: the poem on screen (its scroll, its panel, its recitation
// with the heard character lit, audio-only mode's zones), and every poem of the shown package hung
// as a scroll in the scene (engine/exhibits).
#pragma once

#include "exhibits/exhibit_player.h"
#include "exhibits/poem/poem_view.h"
#include "pavilion/exhibits/hung_poems.h"
#include "pavilion/telemetry/event.h"

#include <memory>
#include <optional>
#include <span>

namespace pavilion::kiosk {

class PoemPlayer final : public ExhibitPlayer {
 public:
  explicit PoemPlayer(Kiosk::State& kiosk) : kiosk_(kiosk) {}

  bool plays(const scene::Exhibit& exhibit) const override;
  Result<void> update(double seconds) override;
  Result<std::span<const render::WorldOverlay>> hang_in_scene() override;
  void draw(const scene::Exhibit& shown, float panel_width, float bar_height) override;
  void draw_panel_rows() override;
  void draw_panel_footer() override;
  void draw_panel_controls() override { draw_controls(); }
  bool speaking() const override { return view_ && view_->playing(); }
  void update_captions(interaction::Captions& captions, double now) override;
  std::string_view help(Language language) const override;
  void close() override;
  void release() override;
  void add_glyphs(std::string& text) const override;

 private:
  struct Key {
    size_t entry = 0;
    uint32_t exhibit = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };

  // The poem on screen: opened for the exhibit shown, closed when another is.
  Result<void> open_or_close(double seconds);
  std::optional<size_t> poem_of(size_t entry, uint32_t exhibit) const;
  // The poem from its start (the visitor's play or replay, or audio-only mode opening it).
  void play();
  // Pauses a playing poem, resumes a paused one, plays one that is not underway.
  void toggle();
  // The shown package's poems as scrolls in the scene (opened once per package), the one being
  // recited lit: into world_overlays_.
  Result<void> hang();
  void log_event(telemetry::EventType type, int64_t value = 0);
  // Whether the poem on screen is the one shown.
  bool shown() const;
  void draw_scroll(float panel_width, float bar_height);
  void draw_controls();
  void draw_audio_only_zones(float bar_height);
  // The previous (-1) or next (+1) poem of the shown package.
  void open_beside(int step);

  Kiosk::State& kiosk_;
  std::unique_ptr<PoemView> view_;  // the poem on screen, when the shown exhibit is one
  std::optional<Key> failed_;       // could not be opened: shown as an ordinary exhibit
  bool show_pinyin_ = false;
  bool show_translation_ = false;
  bool autoplayed_ = false;  // audio-only mode started it once; it does not start again by itself
  // What of the poem the captions show: its part, and the recited line.
  PoemView::Heard captioned_part_ = PoemView::Heard::nothing;
  std::optional<size_t> captioned_line_;

  std::unique_ptr<exhibits::HungPoems> hung_;  // the shown package's poems as scrolls in the scene
  std::optional<size_t> hung_entry_;
  std::span<const render::WorldOverlay> world_overlays_;
};

// Every sentence the poem's touch zones and help say, in both languages, for the font atlas.
void add_poem_spoken_glyphs(std::string& text);

}  // namespace pavilion::kiosk
