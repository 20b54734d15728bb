// A book's page thumbnails read off the frame thread (#17 item 4: a thousand-page book's strip
// without a stalled frame). One worker thread reads each page's coarsest pyramid tile (the level
// of one tile), decodes it and averages it into a cell of `cell` pixels, the pages the strip shows
// first and then outwards from them, into a small ring of cells that the frame thread empties a
// few at a time (ThumbnailAtlas copies them into its streamed overlay texture).
//
// Not parallel_for: that job system runs a batch to its end while the caller waits, and a strip
// paged while the thumbnails are read must change which pages come next.
//
// Threads: the constructor, want(), take() and the destructor are the frame thread's; the worker
// touches only the source, the ring and the wanted pages, under a mutex. take() allocates nothing.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/page_tiles.h"

#include <glm/vec2.hpp>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace pavilion::kiosk {

// A page's picture shrunk to fit a `cell`-pixel square, never enlarged: its width and height.
struct ThumbnailSize {
  uint16_t width = 0;
  uint16_t height = 0;
};
ThumbnailSize thumbnail_size(const scene::PageShape& shape, uint32_t cell);

class BookThumbnails {
 public:
  struct Thumbnail {
    uint32_t page = 0;
    ThumbnailSize size;
    // size.width × size.height sRGB RGBA8, until the next take(); empty for a page given up on.
    std::span<const uint8_t> rgba;
  };

  // Starts the worker on pages [0, pages) of `tiles`, which it keeps while it reads. The ring
  // holds `ring` cells: what the frame thread may take at once.
  BookThumbnails(std::shared_ptr<const scene::PageTileSource> tiles, uint32_t pages, uint32_t cell, uint32_t ring);
  ~BookThumbnails();  // stops the worker; a page it is reading is finished first
  BookThumbnails(const BookThumbnails&) = delete;
  BookThumbnails& operator=(const BookThumbnails&) = delete;

  // Pages [first, end) are in view: read those first, then the pages nearest them.
  void want(uint32_t first, uint32_t end);
  // The thumbnails read since the last call, at most `most`; the cells handed out by the last
  // call go back to the worker. A page without a picture, or whose tile could not be read, is
  // handed out without texels (the strip shows it as blank paper); the first unreadable one is logged.
  std::span<const Thumbnail> take(size_t most);
  // Pages read or given up on so far, of `pages`.
  uint32_t pages_done() const;

 private:
  enum class Cell : uint8_t { free, ready, taken };
  void work();
  // The worker's next page: the first not done in the wanted pages, else the nearest to them;
  // `pages` when every page is done. Under mutex_.
  uint32_t next_page() const;
  // Reads `page` into ring cell `cell` (free, and the worker's alone while it reads); false when
  // the page has no picture or its tile could not be read (logged).
  bool read_page(uint32_t page, uint32_t cell, std::vector<std::byte>& tile);

  std::shared_ptr<const scene::PageTileSource> tiles_;
  const uint32_t pages_;
  const uint32_t cell_;

  mutable std::mutex mutex_;
  std::condition_variable cell_freed_;
  std::vector<Cell> cells_;              // ring states
  std::vector<Thumbnail> cell_pictures_;  // per ring cell, its thumbnail while ready or taken
  std::vector<uint8_t> cell_texels_;      // ring cells of cell × cell × 4 bytes (the worker sizes it)
  std::vector<uint8_t> done_;             // per page: read into a cell, or given up on
  uint32_t pages_done_ = 0;
  uint32_t wanted_first_ = 0;
  uint32_t wanted_end_ = 0;
  bool stopping_ = false;
  bool warned_ = false;  // the worker's: a page's tile could not be read, and was logged
  std::vector<Thumbnail> taken_;  // the frame thread's: what the last take() handed out
  std::vector<uint32_t> taken_cells_;
  std::thread worker_;  // started last, joined first
};

// Paper where a page has no picture (a placeholder, a tile that could not be read, or one not yet
// landed): sRGB RGBA.
constexpr std::array<uint8_t, 4> thumbnail_paper{236, 226, 200, 255};

// A book's page thumbnails in one streamed overlay texture, as the touch kiosk's strip and the
// headset's draw them: one square cell a page, smaller cells for a longer book (a thousand-page
// book's in cells of 64 pixels, a short book's in 128), as many pages as fit in 4096 × 4096 and
// 16 MiB; each cell paper until its page's thumbnail lands. The frame thread's.
class ThumbnailAtlas {
 public:
  // The texture made in `renderer` for the pages of `tiles`, and their reading started. A texture
  // that cannot be made is logged (`what` names the strip) and leaves the atlas empty: every page
  // shows as paper. Fails only when the device is lost.
  Result<void> open(render::Renderer& renderer, std::shared_ptr<const scene::PageTileSource> tiles, std::string_view what);
  // Stops the reading and lets go of the texture.
  void close(render::Renderer& renderer);
  // Forgets the texture, made on a device that is gone.
  void release();

  // Pages [first, end) are in view: they are read first. The thumbnails read since the last call
  // are copied into their cells, about 1 MiB of them a frame (a few tenths of a millisecond), and
  // handed back (a page without a picture: no texels); valid until the next call. Allocates nothing.
  std::span<const BookThumbnails::Thumbnail> land(render::Renderer& renderer, uint32_t first, uint32_t end);
  // Whether pages are still being read: false once every page has landed, or before open.
  bool reading() const { return reader_.has_value(); }

  std::optional<render::OverlayTextureId> texture() const { return texture_; }
  // Pages the atlas holds (those past it show as paper), and whether it holds `page`'s picture.
  uint32_t pages() const { return pages_; }
  bool holds(uint32_t page) const { return texture_.has_value() && page < pages_; }
  // The texture coordinates of `page`'s picture from `from` to `to` across it (0 to 1 each way),
  // the page within its cell. Only for a page it holds.
  glm::vec2 uv(uint32_t page, glm::vec2 across) const;

 private:
  std::optional<render::OverlayTextureId> texture_;
  uint32_t width_ = 0;
  uint32_t height_ = 0;
  uint32_t cell_ = 0;     // pixels of a page's square cell
  uint32_t columns_ = 0;  // cells a row
  uint32_t pages_ = 0;
  std::vector<ThumbnailSize> sizes_;  // per page held, within its cell
  std::optional<BookThumbnails> reader_;  // reading until every page has landed or the atlas closes
};

}  // namespace pavilion::kiosk
