// What the book player's pages and turning leaf show: the part of a scan each page part shows (a
// thread-bound half-leaf is its side of the fold, at the curator's spine offset), and while a leaf
// turns, the pages on its faces and the page lying beneath it. Pure logic over the book's model;
// the player hands the results to the renderer (show_page, show_turning_leaf).
//
// A leaf turning forward lifts the page on the side the book reads towards: its front shows that
// page, its back the next opening's page on the other side (the one it will lie on), and where it
// lifted from the next opening's page on that side lies at once, as in a book (the page under a
// leaf is the next one, never the leaf's own picture again). Turning back is the mirror: the leaf
// lifts the page on the side the book reads from, showing it on its back, the previous opening's
// page of the other side on its front, and the previous opening's page lies beneath.
#pragma once

#include "pavilion/book/leaf_turn.h"
#include "pavilion/book/openings.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/scene/book.h"

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>

#include <optional>
#include <span>

namespace pavilion::kiosk {

// The part of its page's scan `part` shows: all of it, or a half-leaf's side of the fold, which
// lies at the page's spine offset from the picture's middle. The front half is the half read
// first: the right one in a right-to-left book, the left one otherwise.
render::PageCrop page_crop(const scene::Book& book, const book::PagePart& part);
// The width in metres of `part` shown `height` metres high, true to its crop's proportions.
float page_part_width(const scene::Book& book, const book::PagePart& part, float height);

// An opening of leaves' sides (openings.h): a vertical book's left is above its spine, its right below.
enum class PageSide { left, right };

// Where the book's pages lie in its frame (leaf_turn.h; the frame, the pages' height and the
// opening's middle are engine/scene's book_body.h), `height` metres high. A horizontal book's
// spine is the frame's y axis and its pages stand on the x axis. A vertical book laid out paged
// hangs from a horizontal spine (scene::book_hangs_from_spine): the x axis, from x = 0 to the
// first page's width, its pages above and below it. A page of an opening of leaves lies where its
// leaf lies flat, so that the leaf lifts from it.
// The leaf `part` is: spine to fore-edge and along the spine (a vertical book's hangs by its top
// or bottom edge, so the page's height runs from the spine).
book::LeafSize leaf_size(const scene::Book& book, const book::PagePart& part, float height);
// The centre of `part` lying on `side` of an opening of leaves.
glm::vec2 lying_page_centre(const scene::Book& book, const book::PagePart& part, PageSide side, float height);
// The leaf that turns `step` (+1: to the next opening, −1: to the previous) from opening
// `opening`, as it lies: forward the page on the side the book reads towards, back the other.
book::LeafTurn leaf_to_turn(const scene::Book& book, const book::Openings& openings, size_t opening, int step,
                            float height);

struct LeafPages {
  std::optional<book::PagePart> front;  // blank paper where empty
  std::optional<book::PagePart> back;
  // The side the leaf lifts from, and what lies there while it turns; only for openings of leaves
  // (another kind keeps its pages as they lie).
  std::optional<PageSide> lifted;
  std::optional<book::PagePart> beneath;
};
// The leaf turning `step` (+1 forward, −1 back) from opening `opening` of `openings`.
LeafPages leaf_pages(const book::Openings& openings, size_t opening, int step);

// The renderer's leaf for `pages`, shaped as `turn` is now into `positions` and `normals` (the
// caller's, (columns + 1) × (rows + 1) each, kept until the renderer has copied them), in the
// book's frame `book_to_world`, lying `lift` metres above the pages (never through them). False
// when the grid does not fit. Allocates nothing.
bool shape_turning_leaf(const scene::Book& book, const LeafPages& pages, const book::LeafTurn& turn,
                        const glm::mat4& book_to_world, float lift, uint32_t columns, uint32_t rows,
                        std::span<glm::vec3> positions, std::span<glm::vec3> normals, render::TurningLeaf& leaf);

}  // namespace pavilion::kiosk
