// hOCR (http://kba.github.io/hocr-spec/1.2/): ocr_page, ocr_carea, ocr_par, ocr_line (and the
// line-like ocr_header, ocr_textfloat, ocr_caption), ocrx_word; positions in each element's title
// ("bbox x0 y0 x1 y1; x_wconf 93; textangle 90"), languages in lang attributes, inherited.
#include "page_builder.h"
#include "xml.h"

#include "pavilion/core/utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::page_text {
namespace {

using detail::Fault;

enum class Kind { other, page, block, line, word };

bool has_class(std::string_view classes, std::string_view wanted) {
  size_t start = 0;
  while (start < classes.size()) {
    const size_t end = std::min(classes.find_first_of(" \t\r\n", start), classes.size());
    if (classes.substr(start, end - start) == wanted) return true;
    start = end + 1;
  }
  return false;
}

Kind kind_of(std::string_view classes) {
  if (has_class(classes, "ocrx_word") || has_class(classes, "ocr_word")) return Kind::word;
  for (std::string_view line : {"ocr_line", "ocr_header", "ocr_textfloat", "ocr_caption"}) {
    if (has_class(classes, line)) return Kind::line;
  }
  if (has_class(classes, "ocr_carea")) return Kind::block;
  if (has_class(classes, "ocr_page")) return Kind::page;
  return Kind::other;
}

std::string_view trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The values of one property of a title ("bbox" → "0 0 640 480"); quoted values may hold ';'.
std::optional<std::string_view> title_property(std::string_view title, std::string_view name) {
  size_t start = 0;
  bool quoted = false;
  for (size_t at = 0; at <= title.size(); ++at) {
    if (at < title.size() && title[at] == '"') quoted = !quoted;
    if (at < title.size() && (quoted || title[at] != ';')) continue;
    const std::string_view property = trimmed(title.substr(start, at - start));
    start = at + 1;
    const size_t space = property.find_first_of(" \t\r\n");
    if (property.substr(0, space) == name) {
      return space == std::string_view::npos ? "" : trimmed(property.substr(space));
    }
  }
  return std::nullopt;
}

// Whitespace-separated numbers, exactly `count` of them.
template <size_t count>
std::optional<std::array<double, count>> numbers(std::string_view text) {
  std::array<double, count> values{};
  size_t at = 0;
  for (double& value : values) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + text.size(), value);
    if (error != std::errc() || !std::isfinite(value) || std::abs(value) > 1e7) return std::nullopt;
    at = static_cast<size_t>(end - text.data());
  }
  if (!trimmed(text.substr(at)).empty()) return std::nullopt;
  return values;
}

// The last and first characters of two words, to tell whether a space parts them.
char32_t last_character(std::string_view text) {
  size_t start = text.size();
  while (start > 0 && (static_cast<unsigned char>(text[--start]) & 0xC0) == 0x80) {
  }
  const auto decoded = decode_utf8(text.substr(start));
  return decoded && !decoded->empty() ? decoded->front() : U' ';
}

char32_t first_character(std::string_view text) {
  size_t end = text.empty() ? 0 : 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  const auto decoded = decode_utf8(text.substr(0, end));
  return decoded && !decoded->empty() ? decoded->front() : U' ';
}

// Runs of whitespace as one space, none at either end.
std::string collapsed(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : trimmed(text)) {
    const bool is_space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (is_space && space) continue;
    out += is_space ? ' ' : c;
    space = is_space;
  }
  return out;
}

class HocrReader final : public detail::XmlReader {
 public:
  std::optional<Fault> start(std::string_view name, const detail::Attributes& attributes, uint64_t line) override {
    if (open_.empty() && name != "html") {
      return Fault{line, std::string(name), "",
                   fmt::format("the document is <{}>, not <html>: this is not an hOCR file", name),
                   fmt::format("文档的根元素是 <{}>，不是 <html>：这不是 hOCR 文件", name)};
    }
    const Kind kind = kind_of(attributes.find("class").value_or(""));
    std::string language = open_.empty() ? std::string() : open_.back().language;
    if (const auto lang = attributes.find("lang")) language = std::string(*lang);
    open_.push_back({kind, language});
    const std::string_view title = attributes.find("title").value_or("");
    switch (kind) {
      case Kind::page:
        return start_page(name, title, line);
      case Kind::block:
        ++block_;
        break;
      case Kind::line: {
        if (in_line_) {
          return Fault{line, std::string(name), "class", "an ocr_line is inside another ocr_line",
                       "ocr_line 位于另一个 ocr_line 之内"};
        }
        detail::SourceLine source;
        if (auto fault = bbox(name, title, line, source.box)) return fault;
        source.block = block_;
        source.language = language;
        if (const auto angle = title_property(title, "textangle")) {
          const auto degrees = numbers<1>(*angle);
          if (!degrees) return bad_property(name, "textangle", *angle, line);
          const double turned = std::fmod(std::fmod((*degrees)[0], 360.0) + 360.0, 360.0);
          const bool vertical = std::abs(turned - 90) < 10 || std::abs(turned - 270) < 10;
          if (vertical) source.direction = WritingDirection::vertical_right_to_left;
        }
        in_line_ = true;
        lines_.push_back(std::move(source));
        break;
      }
      case Kind::word: {
        if (!in_line_) {
          return Fault{line, std::string(name), "class", "an ocrx_word is outside any ocr_line",
                       "ocrx_word 不在任何 ocr_line 之内"};
        }
        if (in_word_) {
          return Fault{line, std::string(name), "class", "an ocrx_word is inside another ocrx_word",
                       "ocrx_word 位于另一个 ocrx_word 之内"};
        }
        detail::SourceWord word;
        if (auto fault = bbox(name, title, line, word.box)) return fault;
        if (const auto confidence = title_property(title, "x_wconf")) {
          const auto value = numbers<1>(*confidence);
          if (!value || (*value)[0] < 0 || (*value)[0] > 100) return bad_property(name, "x_wconf", *confidence, line);
          word.confidence = static_cast<float>((*value)[0] / 100.0);
        }
        in_word_ = true;
        lines_.back().words.push_back(std::move(word));
        break;
      }
      case Kind::other:
        break;
    }
    return std::nullopt;
  }

  std::optional<Fault> end(std::string_view, uint64_t) override {
    const Kind kind = open_.back().kind;
    open_.pop_back();
    if (kind == Kind::word) {
      in_word_ = false;
      auto& words = lines_.back().words;
      words.back().text = collapsed(words.back().text);
      if (words.back().text.empty()) {
        words.pop_back();
      } else if (words.size() > 1) {
        const std::string& before = words[words.size() - 2].text;
        words.back().space_before =
            !(detail::is_cjk(last_character(before)) && detail::is_cjk(first_character(words.back().text)));
      }
    } else if (kind == Kind::line) {
      in_line_ = false;
      lines_.back().text = collapsed(lines_.back().text);
    }
    return std::nullopt;
  }

  void text(std::string_view piece) override {
    if (in_word_) {
      lines_.back().words.back().text += piece;
    } else if (in_line_) {
      lines_.back().text += piece;
    }
  }

  Result<PageText> finish(PixelSize image) {
    detail::Scale scale;
    PixelSize size = image;
    if (page_size_ && image.width > 0 && image.height > 0) {
      scale = {image.width / page_size_->width, image.height / page_size_->height};
    } else if (page_size_) {
      size = {static_cast<uint32_t>(page_size_->width), static_cast<uint32_t>(page_size_->height)};
    }
    return detail::finish_page(std::move(lines_), size, scale);
  }

 private:
  struct Open {
    Kind kind = Kind::other;
    std::string language;
  };
  struct SourceSize {
    double width = 0;
    double height = 0;
  };

  std::optional<Fault> start_page(std::string_view name, std::string_view title, uint64_t line) {
    if (page_line_ != 0) {
      return Fault{
          line, std::string(name), "class",
          fmt::format("the file holds a second ocr_page (the first is at line {}); Pavilion reads one page "
                      "per file: split it",
                      page_line_),
          fmt::format("文件中有第二个 ocr_page（第一个在第 {} 行）；Pavilion 每个文件读取一页：请拆分", page_line_)};
    }
    page_line_ = line;
    if (!title_property(title, "bbox")) return std::nullopt;  // the image's own size, then
    detail::SourceBox box;
    if (auto fault = bbox(name, title, line, box)) return fault;
    if (box.right < 1 || box.bottom < 1) return bad_property(name, "bbox", *title_property(title, "bbox"), line);
    page_size_ = SourceSize{box.right, box.bottom};
    return std::nullopt;
  }

  static std::optional<Fault> bbox(std::string_view element, std::string_view title, uint64_t line,
                                   detail::SourceBox& out) {
    const auto property = title_property(title, "bbox");
    if (!property) {
      return Fault{line, std::string(element), "title bbox",
                   fmt::format("this {} has no bbox in its title, which says where it is on the page; add it", element),
                   fmt::format("此 {} 的 title 中缺少 bbox，它说明元素在页面上的位置；请补上", element)};
    }
    const auto corners = numbers<4>(*property);
    if (!corners || (*corners)[0] < 0 || (*corners)[1] < 0 || (*corners)[2] < (*corners)[0] ||
        (*corners)[3] < (*corners)[1]) {
      return bad_property(element, "bbox", *property, line);
    }
    out = {(*corners)[0], (*corners)[1], (*corners)[2], (*corners)[3]};
    return std::nullopt;
  }

  static Fault bad_property(std::string_view element, std::string_view property, std::string_view value,
                            uint64_t line) {
    return Fault{line, std::string(element), fmt::format("title {}", property),
                 fmt::format("{} is \"{}\", which is not what hOCR allows ({})", property, detail::excerpt(value),
                             property == "bbox" ? "four whole pixels: left top right bottom, right ≥ left, bottom ≥ top"
                             : property == "x_wconf" ? "a confidence 0 … 100"
                                                     : "an angle in degrees"),
                 fmt::format("{} 为“{}”，不符合 hOCR 的规定", property, detail::excerpt(value))};
  }

  std::vector<Open> open_;
  uint64_t page_line_ = 0;
  std::optional<SourceSize> page_size_;
  size_t block_ = 0;
  bool in_line_ = false;
  bool in_word_ = false;
  std::vector<detail::SourceLine> lines_;
};

}  // namespace

Result<PageText> read_hocr(std::string_view xhtml, const std::filesystem::path& file, PixelSize image,
                           const ReadLimits& limits) {
  HocrReader reader;
  if (auto fault = detail::walk_xml(xhtml, reader, limits)) return detail::fault_error(file, "hOCR", *fault);
  return reader.finish(image);
}

}  // namespace pavilion::page_text
