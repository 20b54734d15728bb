// What a recitation speaks, as indices into a poem's text: its timings name these, and the
// exhibit lights the characters they point at.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::text {

// A run of code points [first, end) of a text.
struct TextSpan {
  uint32_t first = 0;
  uint32_t end = 0;
};

// Every character a reader voices: all code points but punctuation, spaces and line breaks.
std::vector<TextSpan> spoken_characters(std::u32string_view text);
// Each line with something to voice, without its line break.
std::vector<TextSpan> spoken_lines(std::u32string_view text);
// Romanised syllables (pinyin), split at spaces and punctuation, Chinese or Latin.
std::vector<std::u32string> syllables(std::u32string_view romanised);

}  // namespace pavilion::text
