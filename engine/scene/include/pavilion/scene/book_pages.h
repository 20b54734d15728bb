// A packed book's pages as deep zoom reads them (PageTileSource, page_tiles.h): one book of a
// loaded scene, its tiles read from the package one at a time on the renderer's worker threads.
#pragma once

#include "pavilion/scene/loader.h"
#include "pavilion/scene/page_tiles.h"

namespace pavilion::scene {

// The package, the scene and Scene::books[book] must outlive it. Pages are the book's, in reading
// order. A placeholder page (no picture was found when it was packed) has its size and no tiles:
// read_tile fails for it, so the renderer leaves it blank. Tiles stored as JPEG or WebP are not
// decoded here (pavilion-pack stores BC1): read_tile fails (unsupported) for them.
class PackageBookPages final : public PageTileSource {
 public:
  PackageBookPages(const package::PackageReader& package, const Scene& scene, uint32_t book);

  uint32_t page_count() const override;
  PageShape page_shape(uint32_t page) const override;
  Result<void> read_tile(const PageTileKey& key, std::span<std::byte> destination) const override;

 private:
  BookTileReader reader_;
  const Book& book_;
  uint32_t index_;
};

}  // namespace pavilion::scene
