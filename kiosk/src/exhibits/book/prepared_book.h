// A book of the scene being loaded, made ready on the kiosk's loading thread beside the scene, so
// that the frame that opens it (BookPlayer::open) does not pay for what grows with the book: its
// tile source, its openings and its pages laid out for deep zoom, the first pins read
// (Renderer::prepare_pages). bench/book_bench measures the frame with and without.
#pragma once

#include "pavilion/book/openings.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/book.h"
#include "pavilion/scene/page_tiles.h"

#include <memory>
#include <span>
#include <vector>

namespace pavilion::kiosk {

struct PreparedBook {
  size_t entry = 0;     // the content entry and
  uint32_t exhibit = 0;  // its exhibit the book belongs to
  std::shared_ptr<const scene::PageTileSource> tiles;
  std::shared_ptr<const book::Openings> openings;  // shared with the book opened from it
  std::shared_ptr<const render::PreparedPages> pages;
};

// Deep zoom's tiles of `book`, one of `entry`'s: read from the package through a scene of that book
// and its exhibit alone (a tile's error names the exhibit). Any thread; kept alive by the renderer
// as long as it reads.
std::shared_ptr<const scene::PageTileSource> book_tiles(const ContentEntry& entry, const scene::Book& book);

// Every book of entry `entry_index` made ready for `preparation` (any thread). A book that cannot
// be is left out, to be opened (and refused with its sentence) on the render thread.
std::vector<PreparedBook> prepare_books(const ContentEntry& entry, size_t entry_index,
                                        const render::PagePreparation& preparation);

// A book opened: what its players read of it after loading its pages.
struct OpenedBook {
  std::shared_ptr<const scene::PageTileSource> tiles;
  std::shared_ptr<const book::Openings> openings;
};

// Loads the pages of `book`, one of content entry `entry_index` (`entry`), into `renderer` (render
// thread): from its preparation in `prepared` (matched by entry and exhibit) where there is one,
// else made ready here (a book the scene's loading could not prepare, whose error load_pages then
// says). Both players open their books through it, the touch kiosk's and the headset's.
Result<OpenedBook> load_book(render::Renderer& renderer, std::span<const PreparedBook> prepared,
                             const ContentEntry& entry, size_t entry_index, const scene::Book& book);

}  // namespace pavilion::kiosk
