// The book's table of contents (book_contents.h).
#include "exhibits/book/book_contents.h"

#include <algorithm>
#include <limits>

namespace pavilion::kiosk {

std::vector<ContentsEntry> book_contents(const scene::Book& book, const book::Openings& openings) {
  // Each range's first page is its own first, or its first child's (children come after their
  // parents, so one pass from the end carries them up).
  const size_t none = std::numeric_limits<size_t>::max();
  std::vector<size_t> first_page(book.ranges.size(), none);
  for (size_t index = book.ranges.size(); index-- > 0;) {
    const scene::BookRange& range = book.ranges[index];
    if (!range.pages.empty()) first_page[index] = std::min(first_page[index], size_t{*std::ranges::min_element(range.pages)});
    if (range.parent >= 0 && static_cast<size_t>(range.parent) < index) {
      first_page[static_cast<size_t>(range.parent)] = std::min(first_page[static_cast<size_t>(range.parent)], first_page[index]);
    }
  }
  std::vector<ContentsEntry> entries;
  std::vector<uint32_t> depth(book.ranges.size(), 0);
  for (size_t index = 0; index < book.ranges.size(); ++index) {
    const int32_t parent = book.ranges[index].parent;
    if (parent >= 0 && static_cast<size_t>(parent) < index) depth[index] = depth[static_cast<size_t>(parent)] + 1;
    if (first_page[index] == none) continue;
    if (const std::optional<size_t> opening = openings.opening_for_page(first_page[index])) {
      entries.push_back({static_cast<uint32_t>(index), depth[index], *opening});
    }
  }
  return entries;
}

size_t contents_entry_at(std::span<const ContentsEntry> entries, size_t opening) {
  size_t here = entries.size();
  for (size_t index = 0; index < entries.size(); ++index) {
    if (entries[index].opening <= opening) here = index;
  }
  return here;
}

size_t contents_first_kept(size_t first, size_t count) { return std::min(first, count - std::min(count, contents_rows)); }

size_t contents_earlier(size_t first) { return first > contents_rows ? first - contents_rows : 0; }

size_t contents_later(size_t first, size_t count) { return contents_first_kept(first + contents_rows, count); }

}  // namespace pavilion::kiosk
