#include "pavilion/text/line_breaking.h"

#include "characters.h"

#include <limits>

namespace pavilion::text {

BreakClass break_class(char32_t first, char32_t last) {
  BreakClass kind;
  kind.space = is_space(first);
  kind.no_start = forbidden_at_line_start(first);
  kind.no_end = forbidden_at_line_end(last);
  // Punctuation that kinsoku binds is no part of a word, so a line may still end after a closing
  // mark or before an opening one: "(960–1279)" may break after its dash.
  kind.word = !kind.space && !upright_in_vertical(first) && !kind.no_start && !kind.no_end;
  kind.doubled = inseparable(first);
  return kind;
}

bool spreads_between(const BreakClass& before, const BreakClass& after) {
  return !(before.doubled && after.doubled) && !(before.word && after.word);
}

bool may_break_between(const BreakClass& before, const BreakClass& after) {
  return !after.space && !after.no_start && !before.no_end && spreads_between(before, after);
}

void fill_lines(std::span<const BreakUnit> units, float extent, std::vector<LineSpan>& lines) {
  if (extent <= 0) extent = std::numeric_limits<float>::infinity();
  const size_t count = units.size();
  const auto may_break_before = [&](size_t unit) {
    return !units[unit].joined && may_break_between(units[unit - 1].kind, units[unit].kind);
  };
  if (count == 0) {
    lines.push_back({0, 0, 0});
    return;
  }
  size_t start = 0;  // a paragraph's own leading spaces stay: they indent it
  while (start < count) {
    float used = 0;
    size_t next = start;
    while (next < count && (used + units[next].advance <= extent || next == start || units[next].kind.space)) {
      used += units[next].advance;
      ++next;
    }
    if (next < count) {
      size_t cut = next;
      while (cut > start + 1 && !may_break_before(cut)) --cut;
      if (cut > start + 1 || may_break_before(cut)) next = cut;
    }
    size_t end = next;
    while (end > start && units[end - 1].kind.space) --end;
    while (next < count && units[next].kind.space) ++next;  // a continuation line never starts with one
    lines.push_back({start, end, next});
    start = next;
  }
}

}  // namespace pavilion::text
