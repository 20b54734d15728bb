// A small book with a foldout for the foldout tests, made in memory: six pages in reading order,
// the third a `non-paged` foldout two and a half pages wide whose three panels' parts are marked
// red, blue and amber (so a frame tells which panel shows where), the others plain pages, page 1
// marked green and page 3 violet, the rest paper alone. Read left to right the openings are [0],
// [1 | 3], [4 | 5], and the foldout is bound at the second, lying on page 3. A hanging book's
// (top to bottom, bottom to top) foldout is as wide as a page and two and a half pages high, its
// panels' parts marked from its top down.
#pragma once

#include "pavilion/scene/book.h"
#include "pavilion/scene/page_tiles.h"

#include <glm/vec3.hpp>

#include <array>
#include <cstring>

namespace pavilion::testing {

inline constexpr uint32_t book_page_count = 6;
inline constexpr uint32_t foldout_page = 2;
inline constexpr uint32_t plain_page_width = 192;
inline constexpr uint32_t foldout_page_width = 480;  // panels of 192, 192 and 96 pixels
inline constexpr uint32_t hanging_foldout_height = 640;  // a hanging book's: panels of 256, 256 and 128
inline constexpr uint32_t book_page_height = 256;
inline constexpr glm::u8vec3 first_panel_mark{200, 30, 30};
inline constexpr glm::u8vec3 second_panel_mark{40, 70, 200};
inline constexpr glm::u8vec3 third_panel_mark{220, 150, 20};
inline constexpr glm::u8vec3 left_page_mark{30, 160, 40};
inline constexpr glm::u8vec3 right_page_mark{140, 40, 170};

class FoldoutBookPages final : public scene::PageTileSource {
 public:
  explicit FoldoutBookPages(bool hanging = false) : hanging_(hanging) {}
  uint32_t page_count() const override { return book_page_count; }
  scene::PageShape page_shape(uint32_t page) const override {
    if (page == foldout_page && hanging_) return {plain_page_width, hanging_foldout_height, 254, 1, scene::PageTileFormat::rgba8};
    return {page == foldout_page ? foldout_page_width : plain_page_width, book_page_height, 254, 1,
            scene::PageTileFormat::rgba8};
  }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override {
    const scene::PageTileRect rect = scene::page_tile_rect(page_shape(key.page), key.level, key.column, key.row);
    const uint32_t scale = 1u << key.level;
    for (uint32_t y = 0; y < rect.height; ++y) {
      for (uint32_t x = 0; x < rect.width; ++x) {
        const glm::u8vec3 colour = pixel(key.page, (rect.x + x) * scale + scale / 2, (rect.y + y) * scale + scale / 2);
        const std::array<uint8_t, 4> rgba{colour.r, colour.g, colour.b, 255};
        std::memcpy(&destination[(size_t{y} * rect.width + x) * 4], rgba.data(), 4);
      }
    }
    return {};
  }

  // Aged paper with a dark frame, and a block of the page's (or the panel's) mark in its middle.
  glm::u8vec3 pixel(uint32_t page, uint32_t x, uint32_t y) const {
    const scene::PageShape shape = page_shape(page);
    if (x < 6 || x >= shape.width - 6 || y < 6 || y >= shape.height - 6) return {44, 34, 28};
    if (page == foldout_page && hanging_) {
      // Its panels are bands of its height.
      const glm::u8vec3 marks[] = {first_panel_mark, second_panel_mark, third_panel_mark};
      const uint32_t within = y % book_page_height;
      if (x < 24 || x >= plain_page_width - 24 || within < 48 || within >= book_page_height - 48) return {232, 216, 178};
      return marks[y / book_page_height];
    }
    const uint32_t within = x % plain_page_width;  // across its panel
    const glm::u8vec3 paper{232, 216, 178};
    if (y < 48 || y >= book_page_height - 48 || within < 24 || within >= plain_page_width - 24) return paper;
    if (page != foldout_page) return page == 1 ? left_page_mark : page == 3 ? right_page_mark : paper;
    return x < plain_page_width ? first_panel_mark : x < 2 * plain_page_width ? second_panel_mark : third_panel_mark;
  }

 private:
  bool hanging_;
};

// The book as the package describes it.
inline scene::Book foldout_book(book::ViewingDirection direction = book::ViewingDirection::left_to_right) {
  scene::Book book;
  book.direction = direction;
  for (uint32_t page = 0; page < book_page_count; ++page) {
    scene::BookPage& made = book.pages.emplace_back();
    const bool hanging_foldout = page == foldout_page && book::reads_vertically(direction);
    made.width = page == foldout_page && !hanging_foldout ? foldout_page_width : plain_page_width;
    made.height = hanging_foldout ? hanging_foldout_height : book_page_height;
    made.behavior = page == foldout_page ? book::PageBehavior::non_paged : book::PageBehavior::paged;
  }
  return book;
}

}  // namespace pavilion::testing
