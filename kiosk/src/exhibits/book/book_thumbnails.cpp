// A book's page thumbnails read on a worker thread (book_thumbnails.h).
#include "exhibits/book/book_thumbnails.h"

#include "pavilion/core/image.h"
#include "pavilion/core/log.h"
#include "pavilion/scene/block_compression.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace pavilion::kiosk {
namespace {

// Averages `source` into `to` (size.width × size.height RGBA8, row by row).
void shrink_into(const ImageRgba8& source, ThumbnailSize size, uint8_t* to) {
  const uint32_t width = source.width, height = source.height;
  for (uint32_t row = 0; row < size.height; ++row) {
    const uint32_t from_y = row * height / size.height, to_y = std::max(from_y + 1, (row + 1) * height / size.height);
    for (uint32_t column = 0; column < size.width; ++column) {
      const uint32_t from_x = column * width / size.width, to_x = std::max(from_x + 1, (column + 1) * width / size.width);
      std::array<uint32_t, 4> sum{};
      for (uint32_t sy = from_y; sy < to_y; ++sy) {
        for (uint32_t sx = from_x; sx < to_x; ++sx) {
          for (size_t channel = 0; channel < 4; ++channel) sum[channel] += source.at(sx, sy)[channel];
        }
      }
      const uint32_t count = (to_y - from_y) * (to_x - from_x);
      uint8_t* pixel = to + (size_t{row} * size.width + column) * 4;
      for (size_t channel = 0; channel < 4; ++channel) pixel[channel] = static_cast<uint8_t>(sum[channel] / count);
    }
  }
}

}  // namespace

ThumbnailSize thumbnail_size(const scene::PageShape& shape, uint32_t cell) {
  if (shape.width == 0 || shape.height == 0) return {};
  const scene::PageTileRect rect = scene::page_tile_rect(shape, scene::page_level_count(shape) - 1, 0, 0);
  const float fit = std::min(1.0f, static_cast<float>(cell) / static_cast<float>(std::max(rect.width, rect.height)));
  const auto side = [&](uint32_t pixels) {
    return static_cast<uint16_t>(std::clamp(std::lround(static_cast<float>(pixels) * fit), 1L, long{cell}));
  };
  return {side(rect.width), side(rect.height)};
}

BookThumbnails::BookThumbnails(std::shared_ptr<const scene::PageTileSource> tiles, uint32_t pages, uint32_t cell,
                               uint32_t ring)
    : tiles_(std::move(tiles)), pages_(pages), cell_(cell) {
  cells_.assign(std::max(1u, ring), Cell::free);
  cell_pictures_.resize(cells_.size());
  taken_.reserve(cells_.size());
  taken_cells_.reserve(cells_.size());
  wanted_end_ = std::min(pages_, 1u);
  worker_ = std::thread([this] { work(); });
}

BookThumbnails::~BookThumbnails() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cell_freed_.notify_all();
  worker_.join();
}

void BookThumbnails::want(uint32_t first, uint32_t end) {
  std::lock_guard lock(mutex_);
  wanted_first_ = std::min(first, pages_);
  wanted_end_ = std::clamp(end, wanted_first_, pages_);
}

std::span<const BookThumbnails::Thumbnail> BookThumbnails::take(size_t most) {
  taken_.clear();
  {
    std::lock_guard lock(mutex_);
    for (const uint32_t cell : taken_cells_) cells_[cell] = Cell::free;
    taken_cells_.clear();
    for (uint32_t cell = 0; cell < cells_.size() && taken_.size() < most; ++cell) {
      if (cells_[cell] != Cell::ready) continue;
      cells_[cell] = Cell::taken;
      taken_cells_.push_back(cell);
      taken_.push_back(cell_pictures_[cell]);
    }
  }
  cell_freed_.notify_all();
  return taken_;
}

uint32_t BookThumbnails::pages_done() const {
  std::lock_guard lock(mutex_);
  return pages_done_;
}

uint32_t BookThumbnails::next_page() const {
  for (uint32_t page = wanted_first_; page < wanted_end_; ++page) {
    if (done_[page] == 0) return page;
  }
  for (uint32_t distance = 1; distance <= pages_; ++distance) {
    if (wanted_end_ + distance - 1 < pages_ && done_[wanted_end_ + distance - 1] == 0) return wanted_end_ + distance - 1;
    if (wanted_first_ >= distance && done_[wanted_first_ - distance] == 0) return wanted_first_ - distance;
  }
  return pages_;
}

void BookThumbnails::work() {
  // The worker's own memory, made here rather than on the frame thread that opened the book, and
  // outside the lock: a frame asking for pages (want) must not wait while megabytes are zeroed.
  std::vector<std::byte> tile;
  std::vector<uint8_t> done(pages_, 0);
  std::vector<uint8_t> cell_texels(cells_.size() * cell_ * cell_ * 4);
  {
    std::lock_guard lock(mutex_);
    done_ = std::move(done);
    cell_texels_ = std::move(cell_texels);
  }
  for (;;) {
    uint32_t page = 0;
    uint32_t cell = 0;
    {
      std::unique_lock lock(mutex_);
      cell_freed_.wait(lock, [&] {
        return stopping_ || std::find(cells_.begin(), cells_.end(), Cell::free) != cells_.end();
      });
      page = next_page();
      if (stopping_ || page == pages_) return;
      cell = static_cast<uint32_t>(std::find(cells_.begin(), cells_.end(), Cell::free) - cells_.begin());
      done_[page] = 1;
    }
    const bool read = read_page(page, cell, tile);
    std::lock_guard lock(mutex_);
    // A page given up on is handed out too, without a picture: the strip counts it landed, as paper.
    if (!read) cell_pictures_[cell] = {page, {}, {}};
    cells_[cell] = Cell::ready;
    ++pages_done_;
  }
}

bool BookThumbnails::read_page(uint32_t page, uint32_t cell, std::vector<std::byte>& tile) {
  // The cell is free and only this thread fills free cells: no lock while reading.
  const scene::PageShape shape = tiles_->page_shape(page);
  const ThumbnailSize size = thumbnail_size(shape, cell_);
  if (size.width == 0) return false;
  const uint32_t level = scene::page_level_count(shape) - 1;
  const scene::PageTileRect rect = scene::page_tile_rect(shape, level, 0, 0);
  tile.resize(scene::page_tile_bytes(shape.format, rect.width, rect.height));
  if (auto read = tiles_->read_tile({page, level, 0, 0}, tile); !read) {
    // Once an opening of the book: one packed with missing pictures would otherwise log a line a page.
    if (!warned_) {
      log::warn("kiosk", "page {}'s thumbnail could not be read, it shows as blank paper (so does any other page of this "
                "book that cannot be read, not logged again): {}", page + 1, read.error().describe());
      warned_ = true;
    }
    return false;
  }
  ImageRgba8 pixels;
  if (shape.format == scene::PageTileFormat::bc1) {
    pixels = scene::decompress_level(tile, rect.width, rect.height, scene::TextureFormat::bc1_srgb);
  } else {
    pixels = ImageRgba8(rect.width, rect.height);
    std::memcpy(pixels.pixels.data(), tile.data(), pixels.pixels.size());
  }
  uint8_t* texels = cell_texels_.data() + size_t{cell} * cell_ * cell_ * 4;
  shrink_into(pixels, size, texels);
  std::lock_guard lock(mutex_);
  cell_pictures_[cell] = {page, size, {texels, size_t{size.width} * size.height * 4}};
  return true;
}

namespace {

constexpr uint32_t atlas_side = 4096;  // every Vulkan device samples 4096
constexpr uint64_t atlas_budget_bytes = uint64_t{16} << 20;
// Thumbnails copied into the texture a frame: about 1 MiB of copies (64 cells of 64 pixels, 16 of
// 128), a few tenths of a millisecond of the frame thread's time; the reader's ring holds twice
// that, so it reads ahead while a frame copies.
constexpr uint32_t landing_bytes_per_frame = uint32_t{1} << 20;

}  // namespace

Result<void> ThumbnailAtlas::open(render::Renderer& renderer, std::shared_ptr<const scene::PageTileSource> tiles,
                                  std::string_view what) {
  const uint32_t pages = tiles->page_count();
  cell_ = 16;
  for (const uint32_t cell : {128u, 96u, 64u, 48u, 32u, 24u}) {
    if (uint64_t{pages} * cell * cell * 4 <= atlas_budget_bytes) {
      cell_ = cell;
      break;
    }
  }
  columns_ = atlas_side / cell_;
  const uint32_t rows = std::min((pages + columns_ - 1) / columns_, atlas_side / cell_);
  pages_ = std::min(pages, rows * columns_);
  width_ = std::min(pages_, columns_) * cell_;
  height_ = rows * cell_;
  sizes_.resize(pages_);
  for (uint32_t page = 0; page < pages_; ++page) sizes_[page] = thumbnail_size(tiles->page_shape(page), cell_);
  if (pages_ == 0) return {};
  const uint32_t cell_bytes = cell_ * cell_ * 4;
  const uint32_t paper = uint32_t{thumbnail_paper[0]} | uint32_t{thumbnail_paper[1]} << 8 |
                         uint32_t{thumbnail_paper[2]} << 16 | uint32_t{thumbnail_paper[3]} << 24;
  auto added = renderer.add_streamed_overlay_texture(width_, height_, paper, std::max(landing_bytes_per_frame, cell_bytes));
  if (!added) {
    if (added.error().code() == ErrorCode::device_lost) return std::move(added).error();
    log::warn("kiosk", "{} could not be shown: {}", what, added.error().describe());
    return {};
  }
  texture_ = *added;
  reader_.emplace(std::move(tiles), pages_, cell_, 2 * std::max(1u, landing_bytes_per_frame / cell_bytes));
  return {};
}

void ThumbnailAtlas::close(render::Renderer& renderer) {
  reader_.reset();
  if (texture_) {
    if (auto removed = renderer.remove_overlay_texture(*texture_); !removed) {
      log::warn("kiosk", "the book's thumbnails could not be let go: {}", removed.error().describe());
    }
  }
  release();
}

void ThumbnailAtlas::release() {
  reader_.reset();
  texture_.reset();
  pages_ = 0;
}

std::span<const BookThumbnails::Thumbnail> ThumbnailAtlas::land(render::Renderer& renderer, uint32_t first, uint32_t end) {
  if (!reader_ || !texture_) return {};
  reader_->want(first, end);
  // Before taking: a page counted read is in the reader's ring by then.
  const bool all_read = reader_->pages_done() == pages_;
  const std::span<const BookThumbnails::Thumbnail> landing = reader_->take(std::max(1u, landing_bytes_per_frame / (cell_ * cell_ * 4)));
  for (const BookThumbnails::Thumbnail& thumbnail : landing) {
    if (thumbnail.rgba.empty()) continue;  // paper, as its cell already is
    const auto updated = renderer.update_overlay_texture(*texture_, (thumbnail.page % columns_) * cell_,
                                                         (thumbnail.page / columns_) * cell_, thumbnail.size.width,
                                                         thumbnail.size.height, thumbnail.rgba);
    expects(updated.ok(), "a thumbnail within its cell of the streamed texture");
  }
  // Every page read (or given up on) and landed: the reader has ended.
  if (all_read && landing.empty()) reader_.reset();
  return landing;
}

glm::vec2 ThumbnailAtlas::uv(uint32_t page, glm::vec2 across) const {
  const glm::vec2 cell(static_cast<float>((page % columns_) * cell_), static_cast<float>((page / columns_) * cell_));
  const glm::vec2 shown(static_cast<float>(sizes_[page].width), static_cast<float>(sizes_[page].height));
  return (cell + across * shown) / glm::vec2(static_cast<float>(width_), static_cast<float>(height_));
}

}  // namespace pavilion::kiosk
