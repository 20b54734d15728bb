// The poem exhibit's playing: opening the poem shown, its recitation and its events, and the
// shown package's poems hung in the scene.
#include "exhibits/poem/poem_player.h"

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
#include <limits>

namespace pavilion::kiosk {

std::optional<size_t> PoemPlayer::poem_of(size_t entry, uint32_t exhibit) const {
  const std::vector<scene::Poem>& poems = kiosk_.content.entries()[entry].poems;
  for (size_t index = 0; index < poems.size(); ++index) {
    if (poems[index].exhibit == exhibit) return index;
  }
  return std::nullopt;
}

Result<void> PoemPlayer::open_or_close(double seconds) {
  std::optional<Key> wanted;
  if (kiosk_.screen == Screen::exhibit && kiosk_.stage.shown_entry && !kiosk_.stage.loading.valid() && !kiosk_.stage.requested) wanted = Key{*kiosk_.stage.shown_entry, kiosk_.stage.shown_exhibit};
  const std::optional<size_t> poem = wanted ? poem_of(wanted->entry, wanted->exhibit) : std::nullopt;
  if (view_ && (!poem || view_->entry() != wanted->entry || view_->poem_index() != *poem)) close();
  if (poem && !view_ && failed_ != wanted) {
    const ContentEntry& entry = kiosk_.content.entries()[wanted->entry];
    auto opened = PoemView::open(entry, wanted->entry, *poem, *kiosk_.display.renderer, kiosk_.sound.device.get());
    if (!opened) {
      if (opened.error().code() == ErrorCode::device_lost) return std::move(opened).error();
      // The exhibit still shows, as an ordinary one; the operator learns why.
      log::error("kiosk", "{}", opened.error().describe());
      kiosk_.note_for_operator(fmt::format("a poem could not be shown: {}", opened.error().why()));
      kiosk_.visit.log.event(telemetry::EventType::error, "poem_failed");
      failed_ = wanted;
      return {};
    }
    view_ = std::move(*opened);
    show_pinyin_ = false;
    show_translation_ = false;
    autoplayed_ = false;
  }
  if (!view_) return {};
  // Audio-only mode reads a poem as soon as it opens, or as soon as the mode is chosen.
  if (kiosk_.visit.settings.audio_only && !autoplayed_) {
    autoplayed_ = true;
    play();
  }
  auto progress = view_->update(seconds);
  if (!progress) {
    kiosk_.note_for_operator(fmt::format("a poem's sound stopped: {}", progress.error().why()));
    close();
  } else if (*progress == PoemView::Progress::completed) {
    log_event(telemetry::EventType::poem_complete, static_cast<int64_t>(view_->listened_seconds() * 1000.0));
  }
  return {};
}

bool PoemPlayer::plays(const scene::Exhibit& exhibit) const { return exhibit.kind == scene::ExhibitKind::poem; }

Result<void> PoemPlayer::update(double seconds) { return open_or_close(seconds); }

Result<std::span<const render::WorldOverlay>> PoemPlayer::hang_in_scene() {
  if (auto hung = hang(); !hung) {
    if (hung.error().code() == ErrorCode::device_lost) return std::move(hung).error();
    // The scene goes on without its scrolls (the attempt is not repeated for this package).
    kiosk_.note_for_operator(fmt::format("the poems cannot hang in the scene: {}", hung.error().why()));
  }
  return world_overlays_;
}

void PoemPlayer::update_captions(interaction::Captions& captions, double now) {
  using interaction::CaptionKind;
  using Heard = PoemView::Heard;
  const Heard part = view_ ? view_->heard() : Heard::nothing;
  const std::optional<size_t> line = part == Heard::recitation ? view_->heard_line() : std::nullopt;
  if (part == captioned_part_ && line == captioned_line_) return;
  const bool announced = captioned_part_ == Heard::announcement_zh_cn || captioned_part_ == Heard::announcement_en;
  captions.end(announced ? CaptionKind::speech : CaptionKind::recitation, now);
  captioned_part_ = part;
  captioned_line_ = line;
  constexpr double until_ended = std::numeric_limits<double>::infinity();
  const scene::DublinCore* dc =
      view_ ? &kiosk_.content.entries()[view_->entry()].exhibits[view_->poem().exhibit].metadata : nullptr;
  std::array<char, 512> words;
  switch (part) {
    case Heard::nothing: break;
    // Which poem this is, as audio-only mode announces it (in words of the same sense).
    case Heard::announcement_zh_cn:
      captions.show(CaptionKind::speech,
                    label(words, "《{}》〔{}〕{}", dc->title.zh_cn, view_->poem().dynasty.zh_cn, dc->creator.zh_cn), "zh-CN",
                    now, until_ended);
      break;
    case Heard::announcement_en:
      captions.show(CaptionKind::speech, label(words, "{}, by {} ({})", dc->title.en, dc->creator.en, view_->poem().dynasty.en),
                    "en", now, until_ended);
      break;
    // The poems are Chinese: their lines are captioned as they are recited, whatever the visitor's language.
    case Heard::recitation:
      if (line) captions.show(CaptionKind::recitation, view_->line(*line), "zh-CN", now, until_ended);
      break;
    case Heard::translation:
      captions.show(CaptionKind::recitation, view_->poem().translation, "en", now, until_ended);
      break;
  }
}

void PoemPlayer::release() {
  // Made from the old device or the old content; not the visitor's doing: no poem_abort.
  view_.reset();
  failed_.reset();
  world_overlays_ = {};
  hung_.reset();
  hung_entry_.reset();
}

void PoemPlayer::add_glyphs(std::string& text) const {
  add_poem_spoken_glyphs(text);
  for (const ContentEntry& entry : kiosk_.content.entries()) {
    for (const scene::Poem& poem : entry.poems) {
      (((text += poem.dynasty.zh_cn) += poem.dynasty.en) += poem.font_credit.family) += poem.translation;
      text += poem.text;  // its lines, captioned as they are recited
    }
  }
}

bool PoemPlayer::shown() const {
  return view_ && kiosk_.stage.shown_entry && view_->entry() == *kiosk_.stage.shown_entry &&
         view_->poem().exhibit == kiosk_.stage.shown_exhibit;
}

Result<void> PoemPlayer::hang() {
  world_overlays_ = {};
  if (!kiosk_.stage.shown_entry) return {};
  if (hung_entry_ != kiosk_.stage.shown_entry) {
    world_overlays_ = {};
    hung_.reset();
    hung_entry_ = kiosk_.stage.shown_entry;
    const ContentEntry& entry = kiosk_.content.entries()[*kiosk_.stage.shown_entry];
    PV_TRY_ASSIGN(hung_, exhibits::HungPoems::open(*entry.reader, entry.file.filename().string(), entry.poems,
                                                         entry.exhibits, entry.viewpoints, *kiosk_.display.renderer));
    for (const Error& problem : hung_->problems()) {
      kiosk_.note_for_operator(fmt::format("a poem cannot hang in the scene: {}", problem.why()));
    }
  }
  if (!hung_) return {};  // opening them failed once for this package; not tried again
  std::optional<exhibits::LitPoem> lit;
  if (view_ && view_->entry() == *kiosk_.stage.shown_entry) lit = exhibits::LitPoem{view_->poem_index(), view_->lit()};
  world_overlays_ = hung_->overlays(kiosk_.visit.settings.high_contrast ? exhibits::scroll_colors_high_contrast : exhibits::scroll_colors,
                                        kiosk_.visit.settings.calm, lit);
  return {};
}

void PoemPlayer::play() {
  if (view_->underway()) {
    log_event(telemetry::EventType::poem_abort, static_cast<int64_t>(view_->listened_seconds() * 1000.0));
  }
  if (auto played = view_->play(kiosk_.visit.settings.audio_only, kiosk_.visit.settings.language); !played) {
    kiosk_.note_for_operator(fmt::format("a poem could not be played: {}", played.error().why()));
    view_->stop();
    return;
  }
  if (view_->underway()) log_event(telemetry::EventType::poem_play);  // a poem without sounds plays nothing
}

void PoemPlayer::toggle() {
  if (!view_->underway()) {
    play();
    return;
  }
  if (auto toggled = view_->playing() ? view_->pause() : view_->resume(); !toggled) {
    kiosk_.note_for_operator(fmt::format("a poem could not be paused or resumed: {}", toggled.error().why()));
    view_->stop();
  }
}

void PoemPlayer::close() {
  if (!view_) return;
  if (view_->underway()) {
    log_event(telemetry::EventType::poem_abort, static_cast<int64_t>(view_->listened_seconds() * 1000.0));
  }
  view_.reset();
}

void PoemPlayer::log_event(telemetry::EventType type, int64_t value) {
  kiosk_.visit.log.exhibit_event(type, kiosk_.exhibit_ref(view_->entry(), view_->poem().exhibit), value);
}

}  // namespace pavilion::kiosk
