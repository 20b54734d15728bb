// Going about the open book without turning leaf by leaf (#17 item 4): a strip of small pictures
// of the openings along the bottom of the screen, the current one marked, and the book's table of
// contents (its ranges) in the panel, in the visitor's language; a tap on either goes to that
// opening. Also the zoom's own controls in the panel: back to the whole opening, or how to zoom.
//
// The pictures are each page's coarsest pyramid level (one tile), read and shrunk on a worker
// thread (book_thumbnails.h), the pages the strip shows first, and copied by the frames into the
// cells of one streamed overlay texture of at most 16 MiB (cells of 128 pixels for a short book,
// 64 for a thousand pages), a bounded number a frame; a page shows as blank paper until its
// picture lands. Opening the book reads nothing and uploads nothing itself, so a thousand-page
// book opens in a frame like a short one. The strip lays its openings out in equal cells and
// draws only those in view, and the contents list shows a page of entries at a time, so a
// thousand-page book with thousands of ranges draws as little as a short one.
//
// The book player's: one for the book open, on the frame loop's thread. Only open() allocates.
#pragma once

#include "exhibits/book/book_contents.h"
#include "exhibits/book/book_thumbnails.h"
#include "pavilion/book/openings.h"
#include "pavilion/core/error.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/render/overlay.h"
#include "pavilion/scene/book.h"
#include "pavilion/scene/page_tiles.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::kiosk {

class BookNavigation {
 public:
  explicit BookNavigation(Kiosk::State& kiosk) : kiosk_(kiosk) {}

  // The book opened: `book` and `openings` (the player's, which outlive the next close() or
  // release()) listed, the pages' thumbnails asked of a worker reading `tiles` (kept until then).
  // A page whose tile cannot be read shows as blank paper. Fails only when the GPU device is lost.
  Result<void> open(std::shared_ptr<const scene::PageTileSource> tiles, const scene::Book& book,
                    const book::Openings& openings);
  // The book closed: its texture given back to the renderer.
  void close();
  // The renderer is gone (a lost device, new content): everything forgotten, nothing given back.
  void release();

  // The strip along the bottom of the screen, left of the panel (`panel_width`) and above the bar
  // (`bar_height`); returns the opening tapped. Touch targets "book:opening:N" (N from 1) and
  // "book:strip-left", "book:strip-right".
  std::optional<size_t> draw_strip(size_t current, float panel_width, float bar_height);
  // The table of contents as rows of the panel; returns the opening of the entry tapped. Touch
  // targets "book:contents:N" (the range's number in the book, from 1), "book:contents-up",
  // "book:contents-down".
  std::optional<size_t> draw_contents(size_t current);
  // The zoom's row in the panel: a button back to the whole opening while `zoomed` ("book:whole-
  // opening"), else how to zoom. Returns whether the button was tapped.
  bool draw_zoom_row(bool zoomed, float width, float height);

  // Every character this draws for `book`.
  static void add_glyphs(const scene::Book& book, std::string& text);

 private:
  float strip_height() const;  // pixels, now
  // Draws the opening's pages side by side in [min, max] of the current window (a vertical
  // book's two leaves one above the other).
  void draw_opening_picture(size_t opening, float min_x, float min_y, float max_x, float max_y) const;
  // Asks the worker for the pages of openings [first, end) first, and copies the thumbnails it
  // has read since the last frame into the texture.
  void land_thumbnails(size_t first, size_t end);

  Kiosk::State& kiosk_;
  const scene::Book* book_ = nullptr;
  const book::Openings* openings_ = nullptr;
  ThumbnailAtlas atlas_;
  // A page's thumbnail not yet handed over by the worker, copied into the texture, or given up on
  // (no picture, or its tile could not be read: drawn as paper).
  enum class Landed : uint8_t { not_yet, picture, paper };
  std::vector<Landed> landed_;                  // per page in the atlas
  uint32_t landed_count_ = 0;
  std::chrono::steady_clock::time_point opened_at_;
  // From open to the strip's pages in view all landed (the first time), and to every page's.
  std::optional<double> strip_ready_ms_;
  std::optional<double> all_landed_ms_;
  size_t strip_first_ = 0;                 // the first opening in the strip's view
  std::optional<size_t> strip_centred_on_;  // the current opening when the strip last followed it
  std::vector<ContentsEntry> contents_;  // the ranges that lead to an opening
  size_t contents_first_ = 0;
};

}  // namespace pavilion::kiosk
