// A book's reading order: from its pages, the way it is read and how it is bound, the openings a
// visitor sees one after another (two pages side by side, one page alone, a spread, a strip), and
// which opening holds a given page. Pure logic, no I/O and no engine types: the IIIF importer
// (content_tools/iiif) fills a PageSequence from a manifest, and the kiosk computes the openings
// at run time from what the package says.
//
// The rules follow IIIF Presentation 3's `behavior` and `viewingDirection`:
// - paged: the first page is a recto and stands alone, on the right in a left-to-right book and
//   on the left in a right-to-left one; after it pages pair verso|recto and never shift, so with
//   an odd count the last page stands alone on its verso side;
// - a `facing-pages` page (one picture of a whole opening) is shown alone as a spread; a verso
//   still waiting for its recto is shown alone before it, and the page after it is a verso again;
// - `non-paged` pages (foldouts, inserted maps) leave the paged sequence and are listed apart,
//   each reachable on its own from the opening where it is bound: the one holding the nearest
//   page before it, or the first; where that is a facing-pages spread, which fills its opening
//   and leaves no page to lie on, the next opening of leaves (or, none following, the last one
//   before);
// - individuals: one page per opening; continuous: every page joined in one strip;
// - top-to-bottom and bottom-to-top books are bound along a horizontal spine (a wall calendar, an
//   album bound at its top): paged, they pair pages by the same rule, one page above the spine and
//   one below it, the earlier above in a top-to-bottom book and below in a bottom-to-top one.
//   Such a book is a horizontal one turned a quarter clockwise: an opening's `left` page lies
//   above the spine and its `right` page below, so top-to-bottom pairs as left-to-right does and
//   bottom-to-top as right-to-left.
//
// Thread-bound (线装) books: each leaf is a sheet printed on one side and folded with the fold
// (版心) on the fore-edge and the open edges sewn at the spine, so its two halves are the front
// half (a, read first) and the back half (b). Turning a leaf shows the back half of that leaf
// beside the front half of the next: an opening is b(n) | a(n+1). When a manifest has one
// picture per half-leaf, that is the paged rule above, right-to-left. When it has one picture
// per whole leaf laid flat, set `leaves_imaged_whole`: each such page becomes its front half and
// its back half (the front half is the half read first: the right half of the picture in a
// right-to-left book, the left half in a left-to-right one), and the halves are paired as pages.
// Where the fold lies in the picture (a spine offset the curator adjusts) is the renderer's
// business and not decided here.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace pavilion::book {

enum class ViewingDirection { left_to_right, right_to_left, top_to_bottom, bottom_to_top };

// How the whole book is presented.
enum class Layout { paged, individuals, continuous };

// How one page takes part in a paged layout.
enum class PageBehavior { paged, non_paged, facing_pages };

struct PageSequence {
  std::vector<PageBehavior> pages;  // one per page, in reading order
  ViewingDirection direction = ViewingDirection::left_to_right;
  Layout layout = Layout::paged;
  bool leaves_imaged_whole = false;  // thread-bound: each `paged` page is a whole flat leaf
};

// One page of the sequence, or one half of it when leaves are imaged whole.
struct PagePart {
  enum class Part { whole, front_half, back_half };
  size_t page = 0;
  Part part = Part::whole;
  friend bool operator==(const PagePart&, const PagePart&) = default;
};

struct Opening {
  enum class Kind {
    leaves,  // a paged book lying open: a page on each side, or one side empty (first or last page)
    single,  // one page alone: individuals, a facing-pages spread, a vertical book's page, a foldout
    strip,   // continuous: every page joined in reading order
  };
  Kind kind = Kind::single;
  std::optional<PagePart> left;   // leaves only: the page on the left side (a vertical book's: above the spine), if any
  std::optional<PagePart> right;  // leaves only: the page on the right side (a vertical book's: below the spine), if any
  std::vector<PagePart> parts;    // every page shown, in reading order
};

struct Openings {
  std::vector<Opening> sequence;         // what a visitor turns through, in reading order
  std::vector<Opening> foldouts;         // non-paged pages, each alone, in page order
  std::vector<size_t> foldout_bound_at;  // for each foldout, the index in `sequence` where it is bound
  ViewingDirection direction = ViewingDirection::left_to_right;  // where the next opening lies

  // The index in `sequence` of the opening that shows `page` (for a manifest's `start` and a
  // range's first page); for a foldout, the opening where it is bound (foldout_bound_at). Empty
  // when `page` is not in the book.
  std::optional<size_t> opening_for_page(size_t page) const;
  // The index in `foldouts` of the foldout that is `page`, if it is one.
  std::optional<size_t> foldout_for_page(size_t page) const;
};

Openings compute_openings(const PageSequence& book);

// Whether a book read in `direction` is bound along a horizontal spine, its pages above and below it.
bool reads_vertically(ViewingDirection direction);
// Whether the next opening's leaf lies on an opening's `left` side (above a vertical book's spine):
// in a right-to-left book, and in a bottom-to-top one.
bool next_leaf_on_left(ViewingDirection direction);

}  // namespace pavilion::book
