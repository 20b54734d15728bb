#include "page_builder.h"

#include <cmath>
#include <map>
#include <utility>

namespace pavilion::page_text::detail {
namespace {

Region pixels(const SourceBox& box, Scale scale) {
  const auto edge = [](double value, double factor) { return static_cast<int32_t>(std::lround(value * factor)); };
  const int32_t left = edge(box.left, scale.x);
  const int32_t top = edge(box.top, scale.y);
  return {left, top, edge(box.right, scale.x) - left, edge(box.bottom, scale.y) - top};
}

size_t character_count(std::string_view text) {
  size_t count = 0;
  for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return count;
}

}  // namespace

PageText finish_page(std::vector<SourceLine> lines, PixelSize size, Scale scale) {
  // Votes per block: lines of two characters or more, taller than wide or not.
  std::map<size_t, std::pair<size_t, size_t>> votes;  // block → (vertical, horizontal)
  for (const SourceLine& line : lines) {
    std::string joined = line.text;
    if (!line.words.empty()) {
      joined.clear();
      for (const SourceWord& word : line.words) joined += word.text;
    }
    if (line.direction || character_count(joined) < 2) continue;
    const bool tall = line.box.bottom - line.box.top > line.box.right - line.box.left;
    auto& [vertical, horizontal] = votes[line.block];
    (tall ? vertical : horizontal) += 1;
  }
  PageText page;
  page.size = size;
  page.lines.reserve(lines.size());
  for (SourceLine& source : lines) {
    Line line;
    line.region = pixels(source.box, scale);
    line.reading_order = static_cast<uint32_t>(page.lines.size());
    if (source.direction) {
      line.direction = *source.direction;
    } else {
      const auto [vertical, horizontal] = votes[source.block];
      line.direction = vertical > horizontal ? WritingDirection::vertical_right_to_left : WritingDirection::horizontal;
    }
    line.language = bcp47_language(source.language);
    if (source.words.empty()) {
      line.text = std::move(source.text);
    } else {
      double confidence_sum = 0;
      bool every_confidence = true;
      for (SourceWord& word : source.words) {
        if (word.space_before && !line.text.empty()) line.text += ' ';
        line.text += word.text;
        every_confidence = every_confidence && word.confidence.has_value();
        confidence_sum += word.confidence.value_or(0.0f);
        line.words.push_back({std::move(word.text), pixels(word.box, scale), word.confidence});
      }
      if (every_confidence)
        line.confidence = static_cast<float>(confidence_sum / static_cast<double>(line.words.size()));
    }
    page.lines.push_back(std::move(line));
  }
  return page;
}

std::string bcp47_language(std::string_view language) {
  static const std::map<std::string_view, std::string_view> tesseract = {{"eng", "en"},
                                                                         {"chi_sim", "zh-Hans"},
                                                                         {"chi_sim_vert", "zh-Hans"},
                                                                         {"chi_tra", "zh-Hant"},
                                                                         {"chi_tra_vert", "zh-Hant"},
                                                                         {"jpn", "ja"},
                                                                         {"jpn_vert", "ja"},
                                                                         {"kor", "ko"},
                                                                         {"kor_vert", "ko"},
                                                                         {"fra", "fr"},
                                                                         {"deu", "de"},
                                                                         {"lat", "la"}};
  const auto found = tesseract.find(language);
  return std::string(found == tesseract.end() ? language : found->second);
}

bool is_cjk(char32_t code_point) {
  return (code_point >= 0x2E80 && code_point <= 0x9FFF) ||  // radicals, punctuation, kana, ideographs
         (code_point >= 0xF900 && code_point <= 0xFAFF) ||  // compatibility ideographs
         (code_point >= 0xFE30 && code_point <= 0xFE4F) ||  // vertical forms of punctuation
         (code_point >= 0xFF00 && code_point <= 0xFFEF) ||  // full-width forms
         (code_point >= 0x20000 && code_point <= 0x3FFFF);  // ideographs beyond the basic plane
}

}  // namespace pavilion::page_text::detail
