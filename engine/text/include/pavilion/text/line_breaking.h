// Where Chinese typesetting lets a line end, and lines filled by those rules: one set of rules for
// laid-out poems (layout.h) and for the interface's wrapped text (engine/ui's wrapped_text.h).
//
// A line may end between two CJK characters and after a space between words, but never inside a
// Latin word or a doubled mark (……, ——), never before closing punctuation (）。，、」』) and never
// after opening punctuation (（「『): kinsoku pushes the character before onto the next line instead.
// A word longer than a whole line is cut where it must be.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace pavilion::text {

// What line breaking needs to know of one unit of text: a character, or the characters of a
// ligature (classed by its first and last).
struct BreakClass {
  bool space = false;     // a space between words: a line ends after it, and drops it there
  bool word = false;      // part of a Latin (or other non-CJK) word: no break inside one
  bool no_start = false;  // closing punctuation, small kana and iteration marks: may not begin a line
  bool no_end = false;    // opening punctuation: may not end a line
  bool doubled = false;   // half of a doubled mark: never split from its other half
};

BreakClass break_class(char32_t first, char32_t last);
inline BreakClass break_class(char32_t character) { return break_class(character, character); }

// Whether the space between two units may stretch when a line is justified: everywhere but inside
// a word or a doubled mark.
bool spreads_between(const BreakClass& before, const BreakClass& after);
// Whether a line may end between two units.
bool may_break_between(const BreakClass& before, const BreakClass& after);

// A unit as line filling sees it.
struct BreakUnit {
  float advance = 0;    // along the line
  BreakClass kind;
  bool joined = false;  // never broken from the unit before (the rest of a ruby's base)
};

// One line of a paragraph, as indices into its units.
struct LineSpan {
  size_t first = 0;  // the first unit on the line
  size_t end = 0;    // one past the last unit drawn (trailing spaces excluded)
  size_t next = 0;   // where the next line starts (past the spaces it does not begin with)
};

// Fills lines of at most `extent` (0 or less: no limit) from one paragraph's units, greedily: each
// line takes as many units as fit (its trailing spaces may hang past the extent), then steps back
// to the last place a break is allowed; a line with no such place breaks where it must. The first
// line keeps the paragraph's leading spaces (they indent it); later lines never begin with one. An
// empty paragraph is one empty line. Appends to `lines`: with a reused vector, allocates nothing
// once it has grown.
void fill_lines(std::span<const BreakUnit> units, float extent, std::vector<LineSpan>& lines);

}  // namespace pavilion::text
