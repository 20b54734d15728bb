#include "pavilion/text/recitation.h"

#include "characters.h"

namespace pavilion::text {
namespace {

bool voiced(char32_t c) { return c != U'\n' && c != U'\r' && !is_space(c) && !is_punctuation(c); }

}  // namespace

std::vector<TextSpan> spoken_characters(std::u32string_view text) {
  std::vector<TextSpan> spans;
  for (uint32_t index = 0; index < text.size(); ++index) {
    if (voiced(text[index])) spans.push_back({index, index + 1});
  }
  return spans;
}

std::vector<TextSpan> spoken_lines(std::u32string_view text) {
  std::vector<TextSpan> spans;
  uint32_t start = 0;
  for (uint32_t index = 0; index <= text.size(); ++index) {
    if (index < text.size() && text[index] != U'\n') continue;
    bool any = false;
    for (uint32_t c = start; c < index && !any; ++c) any = voiced(text[c]);
    if (any) spans.push_back({start, index});
    start = index + 1;
  }
  return spans;
}

std::vector<std::u32string> syllables(std::u32string_view romanised) {
  std::vector<std::u32string> out;
  std::u32string current;
  for (const char32_t c : romanised) {
    if (is_space(c) || is_punctuation(c) || c == U'\n') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

}  // namespace pavilion::text
