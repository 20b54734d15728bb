#include "characters.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace pavilion::text {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Code points whose Vertical_Orientation is U or Tu/Tr (upright, or upright after the font's
// vertical substitution); the rest of Unicode is R.
constexpr std::array<Range, 16> upright_ranges{{
    {0x1100, 0x11FF},    // Hangul Jamo
    {0x2E80, 0x2FDF},    // CJK radicals, Kangxi radicals
    {0x2FF0, 0x303F},    // ideographic description, CJK symbols and punctuation
    {0x3040, 0x31FF},    // kana, bopomofo, Hangul compatibility, kanbun, CJK strokes
    {0x3200, 0x33FF},    // enclosed CJK, CJK compatibility
    {0x3400, 0x4DBF},    // CJK extension A
    {0x4E00, 0x9FFF},    // CJK unified ideographs
    {0xA960, 0xA97F},    // Hangul Jamo extended A
    {0xAC00, 0xD7FF},    // Hangul syllables and Jamo extended B
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFE10, 0xFE1F},    // vertical forms
    {0xFE30, 0xFE4F},    // CJK compatibility forms
    {0xFF00, 0xFF60},    // full-width forms
    {0xFFE0, 0xFFE7},    // full-width signs
    {0x20000, 0x2FFFD},  // CJK extensions B and later
    {0x30000, 0x3FFFD},  // CJK extension G and later
}};

constexpr std::u32string_view line_start_forbidden =
    U"!%),.:;?]}¢°·’”†‡›℃∶、。〃〆〕〗〞﹚﹜！％＇），．：；？］｝～–—…‥・ー々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    U"」』】〉》〙〟｠»";
constexpr std::u32string_view line_end_forbidden = U"$(£¥‘“〈《「『【〔〖〘〝﹙﹛＄（［｛￡￥«｟";
constexpr std::u32string_view doubled_marks = U"…‥—";

}  // namespace

bool upright_in_vertical(char32_t c) {
  return std::any_of(upright_ranges.begin(), upright_ranges.end(),
                     [c](const Range& range) { return c >= range.first && c <= range.last; });
}

bool forbidden_at_line_start(char32_t c) { return line_start_forbidden.find(c) != std::u32string_view::npos; }

bool forbidden_at_line_end(char32_t c) { return line_end_forbidden.find(c) != std::u32string_view::npos; }

bool inseparable(char32_t c) { return doubled_marks.find(c) != std::u32string_view::npos; }

bool is_punctuation(char32_t c) {
  if (c < 0x80) return (c >= U'!' && c <= U'/') || (c >= U':' && c <= U'@') || (c >= U'[' && c <= U'`') || (c >= U'{' && c <= U'~');
  // 々, 〆 and 〇 sit among the CJK punctuation but are written and read as characters.
  if (c >= 0x3000 && c <= 0x303F) return c != U'々' && c != U'〆' && c != U'〇';
  return (c >= 0x2010 && c <= 0x205E) || c == U'·' || c == U'«' || c == U'»' || (c >= 0xFE10 && c <= 0xFE4F) ||
         (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);
}

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000'; }

}  // namespace pavilion::text
