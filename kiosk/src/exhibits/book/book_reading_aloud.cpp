// The opening read aloud in audio-only mode, its line known from the voice's clock, and the zones.
#include "exhibits/book/book_reading_aloud.h"

#include "exhibits/book/turning_leaf.h"
#include "kiosk_state.h"
#include "interface/style.h"
#include "touch/widgets.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace pavilion::kiosk {
namespace {

// What the reading's zones and sentences say, in Chinese and English.
enum class ReadingSpoken { opening_before, pause_resume, opening_after, help_zones, zones_hint, book_unread, opening_unread, count };

using ReadingPair = std::pair<std::string_view, std::string_view>;  // zh-CN, en

constexpr std::array<ReadingPair, static_cast<size_t>(ReadingSpoken::count)> reading_spoken_table{{
    {"上一开", "Previous opening"},
    {"暂停、继续或重读", "Pause, resume or read again"},
    {"下一开", "Next opening"},
    {"古籍画面：触摸中间暂停、继续或重读本开，左侧上一开，右侧下一开；返回键回到首页。",
     "A book: touch the middle to pause, resume or read this opening again, the left side for the previous "
     "opening, the right side for the next; back returns home."},
    {"中间：暂停、继续或重读 · 左侧：上一开 · 右侧：下一开", "Middle: pause, resume or read again · Left: previous opening · Right: next opening"},
    {"这部书没有朗读的声音：它的文字没有随展品一起提供。可以请工作人员帮助。",
     "This book has no reading aloud: its text did not come with the exhibit. Staff can help."},
    {"这一开没有可朗读的文字。触摸右侧翻到下一开。", "This opening has no text to read. Touch the right side for the next opening."},
}};

std::string_view reading_spoken(ReadingSpoken id, Language language) {
  const ReadingPair& pair = reading_spoken_table[static_cast<size_t>(id)];
  return language == Language::zh_cn ? pair.first : pair.second;
}

}  // namespace

void add_reading_aloud_glyphs(std::string& text) {
  for (const ReadingPair& pair : reading_spoken_table) (text += pair.first) += pair.second;
}

std::optional<uint32_t> line_at(std::span<const scene::SpokenLine> lines, double seconds) {
  const auto next = std::upper_bound(lines.begin(), lines.end(), seconds,
                                     [](double at, const scene::SpokenLine& line) { return at < line.start; });
  if (next == lines.begin()) return std::nullopt;
  return static_cast<uint32_t>(next - lines.begin() - 1);
}

size_t pages_read(const scene::Book& book, const book::Opening& opening, std::array<PageRead, 8>& pages) {
  size_t count = 0;
  for (const book::PagePart& part : opening.parts) {
    const auto page = static_cast<uint32_t>(part.page);
    const scene::BookPage& picture = book.pages[page];
    if (picture.reading == scene::no_page_reading) continue;
    // A half-leaf's lines are those the page shows: their middle on the part of the picture the
    // renderer crops to (page_crop), as the book's overlay decides what a page carries.
    const render::PageCrop crop = page_crop(book, part);
    std::optional<PageRead> read;
    for (uint32_t index = 0; index < picture.lines.size(); ++index) {
      const scene::PageRegion& region = picture.lines[index].region;
      const float middle = picture.width > 0 ? (region.x + 0.5f * region.width) / static_cast<float>(picture.width) : 0.5f;
      if (part.part != book::PagePart::Part::whole && (middle < crop.min.x || middle > crop.max.x)) continue;
      if (!read) read = PageRead{page, index, index};
      read->last_line = index;
    }
    if (!read) continue;
    const auto end = pages.begin() + static_cast<ptrdiff_t>(count);
    if (const auto same = std::find_if(pages.begin(), end, [&](const PageRead& earlier) { return earlier.page == page; });
        same != end) {
      // Both halves of a leaf in one opening: the page is read once, all its lines.
      same->first_line = std::min(same->first_line, read->first_line);
      same->last_line = std::max(same->last_line, read->last_line);
      continue;
    }
    if (count == pages.size()) break;
    pages[count++] = *read;
  }
  return count;
}

HeardSpan span_heard(const scene::BookPage& page, const PageRead& read, double sound_seconds) {
  const std::vector<scene::SpokenLine>& lines = page.spoken_lines;
  return {lines[read.first_line].start, read.last_line + 1 < lines.size() ? lines[read.last_line + 1].start : sound_seconds};
}

void BookReadingAloud::update(double seconds, const OpenOpening* open) {
  if (!kiosk_.visit.settings.audio_only || open == nullptr) {
    stop();
    return;
  }
  const std::array<size_t, 3> key{open->entry, open->book->exhibit, open->index};
  if (reading_ != key) {
    stop();
    reading_ = key;
    book_ = open->book;
    page_count_ = pages_read(*open->book, *open->opening, pages_);
    if (page_count_ == 0) {
      say_nothing_to_read(*open);
      finished_ = true;
      return;
    }
    start_page(0);
    return;
  }
  if (finished_) return;
  bool heard_to_end = false;
  if (voice_) {
    if (auto updated = voice_->update(seconds); !updated) {
      kiosk_.note_for_operator(fmt::format("a book's reading aloud stopped: {}", updated.error().why()));
      finished_ = true;
      voice_.reset();
      return;
    }
    heard_to_end = voice_->finished();
  } else {
    if (silent_playing_) silent_position_ += seconds;
    heard_to_end = silent_position_ >= span_seconds_;
  }
  if (!heard_to_end) return;
  if (current_ + 1 < page_count_) {
    start_page(current_ + 1);
    return;
  }
  finished_ = true;
  voice_.reset();
  silent_playing_ = false;
}

void BookReadingAloud::start_page(size_t position) {
  current_ = position;
  voice_.reset();
  silent_position_ = 0;
  silent_playing_ = false;
  const ContentEntry& entry = kiosk_.content.entries()[(*reading_)[0]];
  const PageRead& read = pages_[position];
  const scene::BookPage& page = book_->pages[read.page];
  Result<scene::Sound> sound = page.reading < entry.audio.size()
                                   ? scene::read_sound(*entry.reader, entry.audio[page.reading])
                                   : Result<scene::Sound>(Error(ErrorCode::invalid_input, "reading a page aloud",
                                                                fmt::format("page {} names a sound the package lacks", read.page + 1)));
  if (!sound) {
    kiosk_.note_for_operator(fmt::format("a book's page could not be read aloud: {}", sound.error().why()));
    finished_ = true;
    return;
  }
  sound_ = std::move(*sound);
  // The voice plays just the samples saying the lines read, its clock counting from their start.
  const double rate = sound_->sample_rate > 0 ? sound_->sample_rate : 1.0;
  const auto frame_at = [&](double seconds) {
    return std::min<uint64_t>(sound_->frames(), static_cast<uint64_t>(std::max(0.0, std::round(seconds * rate))));
  };
  const HeardSpan heard = span_heard(page, read, sound_->seconds());
  const uint64_t from = frame_at(heard.start);
  const uint64_t to = std::max(from, frame_at(heard.end));
  span_start_ = static_cast<double>(from) / rate;
  span_seconds_ = static_cast<double>(to - from) / rate;
  silent_playing_ = true;
  audio::AudioDevice* device = kiosk_.sound.device.get();
  if (device == nullptr) return;
  const std::span<const int16_t> span =
      std::span<const int16_t>(sound_->samples).subspan(from * sound_->channels, (to - from) * sound_->channels);
  auto voice = device->play(audio::memory_stream(span, sound_->sample_rate, sound_->channels), {.spatial = false});
  if (!voice) {
    kiosk_.note_for_operator(fmt::format("a book's page could not be read aloud: {}", voice.error().why()));
    finished_ = true;
    silent_playing_ = false;
    return;
  }
  voice_ = std::move(*voice);
}

void BookReadingAloud::say_nothing_to_read(const OpenOpening& open) {
  const bool book_read = std::ranges::any_of(open.book->pages, [](const scene::BookPage& page) { return page.reading != scene::no_page_reading; });
  const Language language = kiosk_.visit.settings.language;
  kiosk_.speak(reading_spoken(book_read ? ReadingSpoken::opening_unread : ReadingSpoken::book_unread, language), language, false);
}

double BookReadingAloud::position() const { return span_start_ + (voice_ ? voice_->playback_seconds() : silent_position_); }

bool BookReadingAloud::speaking() const {
  if (!reading_ || finished_) return false;
  return voice_ ? voice_->playing() : silent_playing_;
}

std::optional<ReadLine> BookReadingAloud::line() const {
  if (!speaking() || !sound_) return std::nullopt;
  const PageRead& read = pages_[current_];
  const std::optional<uint32_t> line = line_at(book_->pages[read.page].spoken_lines, position());
  // Past the span's last line is the other half's first (never heard: the span ends before it).
  if (!line || *line > read.last_line) return std::nullopt;
  return ReadLine{read.page, *line};
}

void BookReadingAloud::pause_or_resume() {
  if (!reading_) return;
  if (finished_) {
    reading_.reset();  // read again from the opening's start on the next update
    return;
  }
  const bool playing = speaking();
  silent_playing_ = !playing;
  if (!voice_) return;
  if (auto toggled = playing ? voice_->pause() : voice_->resume(); !toggled) {
    kiosk_.note_for_operator(fmt::format("a book's reading could not be paused or resumed: {}", toggled.error().why()));
    finished_ = true;
    voice_.reset();
  }
}

void BookReadingAloud::stop() {
  voice_.reset();
  sound_.reset();
  reading_.reset();
  book_ = nullptr;
  page_count_ = 0;
  current_ = 0;
  finished_ = false;
  span_start_ = span_seconds_ = 0;
  silent_playing_ = false;
  silent_position_ = 0;
}

std::string_view BookReadingAloud::help(Language language) const {
  return kiosk_.visit.settings.audio_only ? reading_spoken(ReadingSpoken::help_zones, language) : std::string_view();
}

int BookReadingAloud::draw_zones(float bar_height) {
  const Palette& colors = palette(kiosk_.visit.settings.high_contrast);
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = kiosk_.ui_scale();
  // As a poem's zones: from the top of the screen, or in the lower layout from the reach line.
  const float top = kiosk_.visit.settings.lower_layout ? size.y * lower_layout_top : 0.0f;
  const float height = size.y - bar_height - top;
  ImGui::SetNextWindowPos(ImVec2(0, top));
  ImGui::SetNextWindowSize(ImVec2(size.x, height));
  ImGui::Begin("book-zones", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBackground);
  const float side = size.x * 0.25f;
  const Language language = kiosk_.visit.settings.language;
  int step = 0;
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (kiosk_.invisible_button("book:previous-opening", side, height, reading_spoken(ReadingSpoken::opening_before, language))) {
    step = -1;
  }
  ImGui::SetCursorPos(ImVec2(side, 0));
  if (kiosk_.invisible_button("book:pause-resume", size.x - 2 * side, height, reading_spoken(ReadingSpoken::pause_resume, language))) {
    pause_or_resume();
  }
  ImGui::SetCursorPos(ImVec2(size.x - side, 0));
  if (kiosk_.invisible_button("book:next-opening", side, height, reading_spoken(ReadingSpoken::opening_after, language))) step = 1;
  // What the zones do, for a companion who can see.
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const float band = 72 * scale;
  draw.PushClipRectFullScreen();
  const float bottom = top + height;
  draw.AddRectFilled(ImVec2(0, bottom - band), ImVec2(size.x, bottom), color(colors.panel, colors.panel_opacity));
  centered_text(draw, kiosk_.display.ui->body_font(), bottom - band + 20 * scale, reading_spoken(ReadingSpoken::zones_hint, language),
                color(colors.text));
  draw.PopClipRect();
  ImGui::End();
  return step;
}

}  // namespace pavilion::kiosk
