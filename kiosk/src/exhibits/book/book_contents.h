// The book's table of contents (its ranges, #17 item 4) as both the touch kiosk's panel
// (book_navigation.h) and the headset's book (book_hands.h) list it and page through it, so the
// two never lead a range to different openings. Pure: no drawing, no state.
#pragma once

#include "pavilion/book/openings.h"
#include "pavilion/scene/book.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::kiosk {

// One entry: the range (index into Book::ranges), how deep it lies (0: a top entry) and the
// opening it leads to.
struct ContentsEntry {
  uint32_t range = 0;
  uint32_t depth = 0;
  size_t opening = 0;
};

// Entries shown at once; more are paged through with ▲ and ▼.
inline constexpr size_t contents_rows = 8;

// The ranges of `book` that lead to an opening of `openings`, in the book's order. A range leads
// to the opening of its first page: its own first, or its first child's, whichever comes first. A
// range with no page of its own nor its children's is left out. Allocates: call it when the book
// opens.
std::vector<ContentsEntry> book_contents(const scene::Book& book, const book::Openings& openings);

// The entry the visitor is in at `opening`: the last one starting at or before it; none
// (entries.size()) before the first.
size_t contents_entry_at(std::span<const ContentsEntry> entries, size_t opening);

// The first entry shown: kept within a page's reach of the end, and a page earlier (▲) or later
// (▼) than `first` of `count` entries.
size_t contents_first_kept(size_t first, size_t count);
size_t contents_earlier(size_t first);
size_t contents_later(size_t first, size_t count);

}  // namespace pavilion::kiosk
