#include "pavilion/scene/book_pages.h"

#include <fmt/format.h>

namespace pavilion::scene {

PackageBookPages::PackageBookPages(const package::PackageReader& package, const Scene& scene, uint32_t book)
    : reader_(package, scene), book_(scene.books.at(book)), index_(book) {}

uint32_t PackageBookPages::page_count() const { return static_cast<uint32_t>(book_.pages.size()); }

PageShape PackageBookPages::page_shape(uint32_t page) const {
  expects(page < book_.pages.size(), "a page of the book");
  const BookPage& stored = book_.pages[page];
  return {stored.width, stored.height, book_.tile_size, book_.overlap,
          book_.tile_format == TileFormat::bc1_srgb ? PageTileFormat::bc1 : PageTileFormat::rgba8};
}

Result<void> PackageBookPages::read_tile(const PageTileKey& key, std::span<std::byte> destination) const {
  expects(key.page < book_.pages.size(), "a page of the book");
  const BookPage& page = book_.pages[key.page];
  if (page.placeholder) {
    return Error(ErrorCode::not_found, "reading a page tile",
                 fmt::format("page {} has no picture: none was found when the book was packed", key.page + 1));
  }
  if (book_.tile_format != TileFormat::bc1_srgb && book_.tile_format != TileFormat::rgba8_srgb) {
    return Error(ErrorCode::unsupported, "reading a page tile",
                 "the book's tiles are JPEG or WebP, which deep zoom does not decode; pack the book again");
  }
  return reader_.read_into({index_, key.page, key.level, key.column, key.row}, destination);
}

}  // namespace pavilion::scene
