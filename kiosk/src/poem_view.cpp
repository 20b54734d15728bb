#include "poem_view.h"

#include "pavilion/core/utf8.h"

#include <fmt/format.h>

namespace pavilion::kiosk {
namespace {

// A column holds at most this many characters (a long ci's line breaks by the rules instead).
constexpr float column_ems = 14;
// A horizontal poem's line.
constexpr float line_ems = 18;

Result<std::vector<std::byte>> read_blob(const ContentEntry& entry, const ContentHash& hash, std::string_view what) {
  const std::optional<uint32_t> index = entry.reader->find(hash);
  if (!index) return Error(ErrorCode::invalid_input, fmt::format("opening a poem of {}", entry.file.filename().string()),
                           fmt::format("its {} is missing from the package", what));
  return entry.reader->read_blob(*index);
}

uint32_t code_points(std::string_view text) {
  uint32_t count = 0;
  for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

PoemView::PoemView(render::Renderer& renderer, size_t entry, size_t poem_index, scene::Poem poem)
    : renderer_(renderer), device_(nullptr), entry_(entry), poem_index_(poem_index), poem_(std::move(poem)) {}

PoemView::~PoemView() {
  voice_.reset();
  if (atlas_uploaded_) static_cast<void>(renderer_.remove_overlay_texture(atlas_texture_));
}

Result<std::unique_ptr<PoemView>> PoemView::open(const ContentEntry& entry, size_t entry_index, size_t poem_index,
                                                 render::Renderer& renderer, audio::AudioDevice* device) {
  const scene::Poem& poem = entry.poems.at(poem_index);
  const scene::Exhibit& exhibit = entry.exhibits.at(poem.exhibit);
  const std::string step = fmt::format("opening the poem {} of {}", exhibit.id, entry.file.filename().string());
  std::unique_ptr<PoemView> view(new PoemView(renderer, entry_index, poem_index, poem));
  view->device_ = device;

  PV_TRY_ASSIGN(std::vector<std::byte> font_bytes, read_blob(entry, poem.font, "font").add_context(step));
  PV_TRY_ASSIGN(view->font_, text::Font::from_bytes(std::move(font_bytes), 0, exhibit.id).add_context(step));
  PV_TRY_ASSIGN(const std::vector<std::byte> atlas_bytes, read_blob(entry, poem.atlas, "glyph atlas").add_context(step));
  PV_TRY_ASSIGN(view->atlas_, text::decode_atlas(atlas_bytes).add_context(step));

  // Title, then poet under their dynasty, then the poem: a book's opening of a poem.
  const scene::DublinCore& dc = exhibit.metadata;
  const std::string heading = fmt::format("{}\n{}〔{}〕{}\n", dc.title.zh_cn, poem.vertical ? "　　" : "",
                                          poem.dynasty.zh_cn, dc.creator.zh_cn);
  const std::string shown = heading + poem.text;
  view->text_offset_ = code_points(heading);
  PV_TRY_ASSIGN(const std::u32string poem_text, decode_utf8(poem.text).add_context(step));
  const std::vector<text::TextSpan> spoken = text::spoken_characters(poem_text);
  std::vector<text::Ruby> pinyin;
  for (size_t index = 0; index < spoken.size() && index < poem.pinyin.size(); ++index) {
    pinyin.push_back({view->text_offset_ + spoken[index].first, spoken[index].end - spoken[index].first, poem.pinyin[index]});
  }
  text::LayoutStyle style{.orientation = poem.vertical ? text::Orientation::vertical : text::Orientation::horizontal,
                          .size = 1,
                          .extent = 0,
                          .line_spacing = poem.vertical ? 1.5f : 1.7f,
                          .alignment = poem.vertical ? text::Alignment::start : text::Alignment::center,
                          .ruby_size = 0.45f};
  // Each line of the poem its own column (or line) where it fits; a longer one (a ci's) breaks.
  const auto set = [&](std::span<const text::Ruby> ruby) -> Result<text::TextLayout> {
    style.extent = 0;
    PV_TRY_ASSIGN(text::TextLayout layout, text::lay_out(shown, ruby, *view->font_, *view->font_, style));
    if ((poem.vertical ? layout.height : layout.width) <= (poem.vertical ? column_ems : line_ems)) return layout;
    style.extent = poem.vertical ? column_ems : line_ems;
    return text::lay_out(shown, ruby, *view->font_, *view->font_, style);
  };
  PV_TRY_ASSIGN(view->plain_, set({}).add_context(step));
  PV_TRY_ASSIGN(view->with_pinyin_, set(pinyin).add_context(step));
  PV_TRY_ASSIGN(view->atlas_texture_, renderer.add_overlay_distance_field(view->atlas_.width, view->atlas_.height,
                                                                          view->atlas_.distances)
                                          .add_context(step));
  view->atlas_uploaded_ = true;

  view->units_ = poem.cues_by_line ? text::spoken_lines(poem_text) : spoken;
  if (poem.recitation != scene::no_sound) {
    std::vector<audio::Cue> cues;
    for (const scene::PoemCue& cue : poem.cues) cues.push_back({cue.start, cue.end});
    view->timeline_.emplace(std::move(cues));
  }
  const std::array<uint32_t, part_count> sounds{poem.announcement_zh_cn, poem.announcement_en, poem.recitation,
                                                poem.translation_reading};
  for (size_t part = 0; part < part_count; ++part) {
    if (sounds[part] == scene::no_sound) continue;
    PV_TRY_ASSIGN(view->sounds_[part], scene::read_sound(*entry.reader, entry.audio.at(sounds[part])).add_context(step));
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

text::TextSpan PoemView::lit() const {
  if (!current_ || programme_[*current_] != recitation || !timeline_) return {};
  const double position = voice_ ? voice_->playback_seconds() : silent_position_;
  const std::optional<size_t> unit = timeline_->unit_at(position);
  if (!unit || *unit >= units_.size()) return {};
  return {text_offset_ + units_[*unit].first, text_offset_ + units_[*unit].end};
}

}  // namespace pavilion::kiosk
