#include "pavilion/book/openings.h"

#include <algorithm>

namespace pavilion::book {
namespace {

bool contains(const Opening& opening, size_t page) {
  return std::any_of(opening.parts.begin(), opening.parts.end(),
                     [page](const PagePart& part) { return part.page == page; });
}

Opening single(PagePart part) {
  return {Opening::Kind::single, std::nullopt, std::nullopt, {part}};
}

// A paged opening from its verso and recto (either may be missing): which side each lies on
// depends on the direction the book is read; the verso is always read first, the recto lies on
// the side the next leaf turns from.
Opening leaves(std::optional<PagePart> verso, std::optional<PagePart> recto, ViewingDirection direction) {
  Opening opening{Opening::Kind::leaves, verso, recto, {}};
  if (next_leaf_on_left(direction)) std::swap(opening.left, opening.right);
  if (verso) opening.parts.push_back(*verso);
  if (recto) opening.parts.push_back(*recto);
  return opening;
}

// The paged rule of the header: first page alone as a recto, then verso|recto pairs that never
// shift; a facing-pages spread alone, a waiting verso alone before it.
void pair_pages(const PageSequence& book, Openings& openings) {
  const ViewingDirection direction = book.direction;
  std::optional<PagePart> verso;
  bool first = true;
  const auto flush = [&] {
    if (verso) openings.sequence.push_back(leaves(verso, std::nullopt, direction));
    verso.reset();
  };
  const auto add = [&](PagePart part) {
    if (first) {
      openings.sequence.push_back(leaves(std::nullopt, part, direction));
      first = false;
    } else if (!verso) {
      verso = part;
    } else {
      openings.sequence.push_back(leaves(verso, part, direction));
      verso.reset();
    }
  };
  for (size_t page = 0; page < book.pages.size(); ++page) {
    switch (book.pages[page]) {
      case PageBehavior::non_paged:
        break;  // listed apart by compute_openings
      case PageBehavior::facing_pages:
        flush();
        openings.sequence.push_back(single({page, PagePart::Part::whole}));
        first = false;
        break;
      case PageBehavior::paged:
        if (book.leaves_imaged_whole) {
          add({page, PagePart::Part::front_half});
          add({page, PagePart::Part::back_half});
        } else {
          add({page, PagePart::Part::whole});
        }
        break;
    }
  }
  flush();
}

// The opening holding the nearest page before `page` (none before it: the first).
size_t opening_before(const std::vector<Opening>& sequence, size_t page) {
  const auto after = std::partition_point(sequence.begin(), sequence.end(),
                                          [page](const Opening& opening) { return opening.parts.front().page < page; });
  return after == sequence.begin() ? 0 : static_cast<size_t>(after - sequence.begin()) - 1;
}

// A foldout lies on a page of an opening of leaves. A spread shown alone (a facing-pages page)
// fills its opening with one picture and leaves it none to lie on, so a foldout bound there lies
// at the next opening of leaves, or where none follows, the last one before.
size_t leaves_near(const std::vector<Opening>& sequence, size_t at) {
  for (size_t index = at; index < sequence.size(); ++index) {
    if (sequence[index].kind == Opening::Kind::leaves) return index;
  }
  for (size_t index = std::min(at, sequence.size()); index-- > 0;) {
    if (sequence[index].kind == Opening::Kind::leaves) return index;
  }
  return at;
}

}  // namespace

Openings compute_openings(const PageSequence& book) {
  Openings openings;
  openings.direction = book.direction;
  if (book.layout == Layout::continuous) {
    Opening strip{Opening::Kind::strip, std::nullopt, std::nullopt, {}};
    for (size_t page = 0; page < book.pages.size(); ++page) strip.parts.push_back({page, PagePart::Part::whole});
    if (!strip.parts.empty()) openings.sequence.push_back(std::move(strip));
    return openings;
  }
  if (book.layout == Layout::individuals) {
    for (size_t page = 0; page < book.pages.size(); ++page)
      openings.sequence.push_back(single({page, PagePart::Part::whole}));
    return openings;
  }
  pair_pages(book, openings);
  for (size_t page = 0; page < book.pages.size(); ++page) {
    if (book.pages[page] != PageBehavior::non_paged) continue;
    openings.foldouts.push_back(single({page, PagePart::Part::whole}));
    openings.foldout_bound_at.push_back(leaves_near(openings.sequence, opening_before(openings.sequence, page)));
  }
  return openings;
}

bool reads_vertically(ViewingDirection direction) {
  return direction == ViewingDirection::top_to_bottom || direction == ViewingDirection::bottom_to_top;
}

bool next_leaf_on_left(ViewingDirection direction) {
  return direction == ViewingDirection::right_to_left || direction == ViewingDirection::bottom_to_top;
}

// Openings hold pages in increasing order (pages are numbered in reading order), so both
// look-ups are binary searches: a thousand-page book's table of contents asks once per entry.
std::optional<size_t> Openings::opening_for_page(size_t page) const {
  if (const std::optional<size_t> foldout = foldout_for_page(page)) {
    if (sequence.empty()) return std::nullopt;
    return foldout_bound_at[*foldout];
  }
  // The first opening that shows it (a thread-bound leaf's halves lie in two).
  const auto found = std::partition_point(sequence.begin(), sequence.end(),
                                          [page](const Opening& opening) { return opening.parts.back().page < page; });
  if (found == sequence.end() || !contains(*found, page)) return std::nullopt;
  return static_cast<size_t>(found - sequence.begin());
}

std::optional<size_t> Openings::foldout_for_page(size_t page) const {
  const auto found =
      std::lower_bound(foldouts.begin(), foldouts.end(), page,
                       [](const Opening& foldout, size_t wanted) { return foldout.parts.front().page < wanted; });
  if (found == foldouts.end() || found->parts.front().page != page) return std::nullopt;
  return static_cast<size_t>(found - foldouts.begin());
}

}  // namespace pavilion::book
