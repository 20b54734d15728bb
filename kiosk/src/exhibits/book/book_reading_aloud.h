// A book read aloud in the kiosk's audio-only mode (#17 item 5): the current opening's pages, in
// reading order, each page's sound as pavilion-pack synthesised it (scene::BookPage::reading; of
// a thread-bound leaf imaged whole, only the span of it that says the lines of the half shown),
// the line being heard known from the voice's playback clock and outlined on the page by the
// book's overlay (book_layers.h). A blind visitor turns with the three zones poems use: the left
// side the previous opening, the right side the next, the middle pauses or resumes (or reads the
// opening again once it has been read). A turned opening is read from its start.
//
// A book whose package holds no reading, or an opening without text, is said in a sentence
// through the narrator instead. The player runs on the frame loop's thread; the kiosk's state
// outlives it.
#pragma once

#include "exhibits/book/book_layers.h"
#include "pavilion/audio/device.h"
#include "pavilion/audio/stream.h"
#include "pavilion/audio/voice.h"
#include "pavilion/book/openings.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/scene/book.h"
#include "pavilion/scene/sound.h"

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pavilion::kiosk {

// The line being heard `seconds` into a page's reading: the last whose start has passed; none
// before the first.
std::optional<uint32_t> line_at(std::span<const scene::SpokenLine> lines, double seconds);

// A page read aloud: the lines of it that the opening shows, first to last in reading order (a
// thread-bound half-leaf's: those whose middle lies on its side of the fold, as page_crop shows
// it).
struct PageRead {
  uint32_t page = 0;
  uint32_t first_line = 0;
  uint32_t last_line = 0;  // inclusive
  friend bool operator==(const PageRead&, const PageRead&) = default;
};

// The seconds of `page`'s sound, `sound_seconds` long, that say `read`'s lines: from the first
// one's start up to where the line after the last begins (keeping the pause after it), or to the
// sound's end. `read` is of `page`, whose spoken_lines time each of its lines (as the scene's
// loader checked).
struct HeardSpan {
  double start = 0;
  double end = 0;
};
HeardSpan span_heard(const scene::BookPage& page, const PageRead& read, double sound_seconds);

// The pages of `opening` that are read aloud, in reading order, each once (a thread-bound leaf's
// two halves shown together are the whole page; a half shown alone, its own lines): up to the
// array's size, the count returned.
size_t pages_read(const scene::Book& book, const book::Opening& opening, std::array<PageRead, 8>& pages);

// What the book lies open at, for the reading: the content entry, the book and the opening.
struct OpenOpening {
  size_t entry = 0;
  const scene::Book* book = nullptr;
  size_t index = 0;  // into the openings' sequence
  const book::Opening* opening = nullptr;
};

class BookReadingAloud {
 public:
  explicit BookReadingAloud(Kiosk::State& kiosk) : kiosk_(kiosk) {}

  // Each frame: in audio-only mode, starts reading an opening not yet read (the book opened, the
  // leaf turned, the mode chosen) and moves the reading on; out of it, or with no book open
  // (none: null), stops. A sound that cannot be read or played is the operator's note, and the
  // opening is left unread.
  void update(double seconds, const OpenOpening* open);
  // The line being heard now, for its outline; none between lines, while paused or silent.
  std::optional<ReadLine> line() const;
  bool speaking() const;
  // Audio-only mode's three zones over the screen; the opening step a zone asks for (−1 the
  // previous, +1 the next, 0 none). The middle zone pauses, resumes or reads again by itself.
  int draw_zones(float bar_height);
  // What the help key says in audio-only mode (empty otherwise).
  std::string_view help(Language language) const;
  // Stops reading and forgets what was read (the book closed, the device or content gone).
  void stop();

 private:
  void start_page(size_t position);
  void pause_or_resume();
  void say_nothing_to_read(const OpenOpening& open);
  // Seconds into the current page's whole sound (its spoken_lines' clock).
  double position() const;

  Kiosk::State& kiosk_;
  // Which opening is being read (entry, book, opening): a different one is read from its start.
  std::optional<std::array<size_t, 3>> reading_;
  std::array<PageRead, 8> pages_{};
  size_t page_count_ = 0;
  size_t current_ = 0;  // index into pages_
  bool finished_ = false;
  const scene::Book* book_ = nullptr;
  std::optional<scene::Sound> sound_;  // the current page's, its span heard through voice_
  // The span of sound_ that says the page's lines read: where it starts and how long it lasts.
  double span_start_ = 0;
  double span_seconds_ = 0;
  std::unique_ptr<audio::Voice> voice_;
  // Without a sound device the pages still take their time, so the outline moves in step: seconds
  // into the span.
  double silent_position_ = 0;
  bool silent_playing_ = false;
};

// Every sentence the reading's zones and help say, in both languages, for the font atlas.
void add_reading_aloud_glyphs(std::string& text);

}  // namespace pavilion::kiosk
