#include "exhibits/poem/poem_view.h"

#include "pavilion/core/log.h"
#include "pavilion/core/utf8.h"
#include "pavilion/text/recitation.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::kiosk {

PoemView::~PoemView() { voice_.reset(); }

Result<std::unique_ptr<PoemView>> PoemView::open(const ContentEntry& entry, size_t entry_index, size_t poem_index,
                                                 render::Renderer& renderer, audio::AudioDevice* device) {
  const scene::Poem& poem_source = entry.poems.at(poem_index);
  PV_TRY_ASSIGN(std::unique_ptr<exhibits::PoemText> text,
                exhibits::PoemText::open(*entry.reader, entry.file.filename().string(), poem_source,
                                         entry.exhibits.at(poem_source.exhibit), renderer));
  std::unique_ptr<PoemView> view(new PoemView(std::move(text), device, entry_index, poem_index));
  const scene::Poem& poem = view->poem();
  const std::string step = fmt::format("opening the sounds of the poem {} of {}", entry.exhibits.at(poem.exhibit).id,
                                       entry.file.filename().string());
  const std::array<uint32_t, part_count> sounds{poem.announcement_zh_cn, poem.announcement_en, poem.recitation,
                                                poem.translation_reading};
  for (size_t part = 0; part < part_count; ++part) {
    if (sounds[part] == scene::no_sound) continue;
    PV_TRY_ASSIGN(view->sounds_[part], scene::read_sound(*entry.reader, entry.audio.at(sounds[part])).add_context(step));
  }
  if (view->sounds_[recitation]) {
    std::vector<audio::Cue> cues;
    for (const scene::PoemCue& cue : poem.cues) cues.push_back({cue.start, cue.end});
    // The packer checked them; a package that slipped past is recited without its highlight.
    // The tables keep cues as floats: a last cue that ends with the sound may round a few
    // microseconds past its end (a synthesised recitation's always ends there).
    constexpr double float_rounding = 1e-4;
    if (audio::find_timing_problem(cues, view->sounds_[recitation]->seconds() + float_rounding, view->text().unit_count())) {
      log::warn("kiosk", "{}: the recitation's timings do not fit the poem; it is read without lighting", step);
    } else {
      view->timeline_.emplace(std::move(cues));
    }
  }
  // Each spoken line's words, and the line each unit the cues time lies in (as PoemText counts them).
  PV_TRY_ASSIGN(const std::u32string poem_text, decode_utf8(poem.text).add_context(step));
  const std::vector<text::TextSpan> lines = text::spoken_lines(poem_text);
  for (const text::TextSpan& line : lines) {
    std::string& words = view->lines_.emplace_back();
    for (uint32_t at = line.first; at < line.end; ++at) append_utf8(words, poem_text[at]);
  }
  for (const text::TextSpan& unit : poem.cues_by_line ? lines : text::spoken_characters(poem_text)) {
    uint32_t line = 0;
    while (line + 1 < lines.size() && lines[line].end <= unit.first) ++line;
    view->unit_lines_.push_back(line);
  }
  return view;
}

Result<void> PoemView::start(Part part) {
  voice_.reset();
  silent_position_ = 0;
  silent_playing_ = true;
  if (device_ == nullptr) return {};
  const scene::Sound& sound = *sounds_[part];
  PV_TRY_ASSIGN(voice_, device_->play(audio::memory_stream(sound.samples, sound.sample_rate, sound.channels),
                                      {.spatial = false}));
  return {};
}

Result<void> PoemView::play(bool audio_only, Language language) {
  stop();
  programme_size_ = 0;
  const auto add = [&](Part part) {
    if (sounds_[part]) programme_[programme_size_++] = part;
  };
  if (audio_only) add(language == Language::zh_cn ? announcement_zh_cn : announcement_en);
  add(recitation);
  if (audio_only && language == Language::en) add(translation_reading);
  listened_ = 0;
  if (programme_size_ == 0) return {};
  current_ = 0;
  return start(programme_[0]);
}

Result<void> PoemView::pause() {
  silent_playing_ = false;
  if (voice_) return voice_->pause();
  return {};
}

Result<void> PoemView::resume() {
  if (!current_) return {};
  silent_playing_ = true;
  if (voice_) return voice_->resume();
  return {};
}

void PoemView::stop() {
  voice_.reset();
  current_.reset();
  silent_playing_ = false;
}

bool PoemView::playing() const {
  if (!current_) return false;
  return voice_ ? voice_->playing() : silent_playing_;
}

Result<PoemView::Progress> PoemView::update(double seconds) {
  if (!current_) return Progress::going;
  if (playing()) listened_ += seconds;
  bool finished = false;
  if (voice_) {
    PV_TRY(voice_->update(seconds));
    finished = voice_->finished();
  } else {
    if (silent_playing_) silent_position_ += seconds;
    finished = silent_position_ >= sounds_[programme_[*current_]]->seconds();
  }
  if (!finished) return Progress::going;
  if (*current_ + 1 < programme_size_) {
    ++*current_;
    PV_TRY(start(programme_[*current_]));
    return Progress::going;
  }
  stop();
  return Progress::completed;
}

PoemView::Heard PoemView::heard() const {
  if (!playing()) return Heard::nothing;
  switch (programme_[*current_]) {
    case announcement_zh_cn: return Heard::announcement_zh_cn;
    case announcement_en: return Heard::announcement_en;
    case recitation: return Heard::recitation;
    case translation_reading: return Heard::translation;
    case part_count: break;
  }
  return Heard::nothing;
}

std::optional<size_t> PoemView::heard_line() const {
  if (!playing() || programme_[*current_] != recitation || !timeline_) return std::nullopt;
  const double position = voice_ ? voice_->playback_seconds() : silent_position_;
  const std::vector<scene::PoemCue>& cues = poem().cues;
  const auto next = std::upper_bound(cues.begin(), cues.end(), position,
                                     [](double at, const scene::PoemCue& cue) { return at < cue.start; });
  if (next == cues.begin()) return std::nullopt;
  const auto unit = static_cast<size_t>(next - cues.begin()) - 1;
  if (unit >= unit_lines_.size()) return std::nullopt;
  return unit_lines_[unit];
}

text::TextSpan PoemView::lit() const {
  if (!current_ || programme_[*current_] != recitation || !timeline_) return {};
  const double position = voice_ ? voice_->playback_seconds() : silent_position_;
  const std::optional<size_t> unit = timeline_->unit_at(position);
  return unit ? text_->unit(*unit) : text::TextSpan{};
}

}  // namespace pavilion::kiosk
