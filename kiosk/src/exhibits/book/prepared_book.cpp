#include "exhibits/book/prepared_book.h"

#include "pavilion/core/log.h"
#include "pavilion/scene/book_pages.h"

namespace pavilion::kiosk {
namespace {

// PackageBookPages wants a scene: this one holds the book and its exhibit alone.
class EntryBookTiles final : public scene::PageTileSource {
 public:
  EntryBookTiles(const package::PackageReader& package, const scene::Book& book, const scene::Exhibit& exhibit)
      : scene_(with_book(book, exhibit)), pages_(package, *scene_, 0) {}

  uint32_t page_count() const override { return pages_.page_count(); }
  scene::PageShape page_shape(uint32_t page) const override { return pages_.page_shape(page); }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override {
    return pages_.read_tile(key, destination);
  }

 private:
  static std::unique_ptr<scene::Scene> with_book(const scene::Book& book, const scene::Exhibit& exhibit) {
    auto scene = std::make_unique<scene::Scene>();
    scene->exhibits.push_back(exhibit);
    scene->books.push_back(book);
    scene->books.back().exhibit = 0;
    return scene;
  }
  std::unique_ptr<scene::Scene> scene_;
  scene::PackageBookPages pages_;
};

}  // namespace

std::shared_ptr<const scene::PageTileSource> book_tiles(const ContentEntry& entry, const scene::Book& book) {
  return std::make_shared<EntryBookTiles>(*entry.reader, book, entry.exhibits.at(book.exhibit));
}

std::vector<PreparedBook> prepare_books(const ContentEntry& entry, size_t entry_index,
                                        const render::PagePreparation& preparation) {
  std::vector<PreparedBook> prepared;
  for (const scene::Book& book : entry.books) {
    PreparedBook ready{entry_index, book.exhibit, book_tiles(entry, book),
                       std::make_shared<const book::Openings>(book.openings()), nullptr};
    auto pages = render::Renderer::prepare_pages(preparation, ready.tiles);
    if (!pages) {
      log::warn("kiosk", "a book of {} is left to open on the render thread: {}", entry.file.string(),
                pages.error().describe());
      continue;
    }
    ready.pages = std::move(pages).value();
    prepared.push_back(std::move(ready));
  }
  return prepared;
}

Result<OpenedBook> load_book(render::Renderer& renderer, std::span<const PreparedBook> prepared,
                             const ContentEntry& entry, size_t entry_index, const scene::Book& book) {
  for (const PreparedBook& ready : prepared) {
    if (ready.entry != entry_index || ready.exhibit != book.exhibit) continue;
    PV_TRY(renderer.load_prepared_pages(ready.pages));
    return OpenedBook{ready.tiles, ready.openings};
  }
  OpenedBook opened{book_tiles(entry, book), std::make_shared<const book::Openings>(book.openings())};
  PV_TRY(renderer.load_pages(opened.tiles));
  return opened;
}

}  // namespace pavilion::kiosk
