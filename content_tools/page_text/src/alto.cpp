// ALTO v2–v4 (https://www.loc.gov/standards/alto/): Layout/Page/PrintSpace/TextBlock/TextLine/
// String, positions in the unit Description/MeasurementUnit names.
#include "page_builder.h"
#include "xml.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::page_text {
namespace {

using detail::Fault;

class AltoReader final : public detail::XmlReader {
 public:
  std::optional<Fault> start(std::string_view name, const detail::Attributes& attributes, uint64_t line) override {
    if (elements_seen_ == 0 && name != "alto") {
      return Fault{line, std::string(name), "",
                   fmt::format("the document is <{}>, not <alto>: this is not an ALTO file", name),
                   fmt::format("文档的根元素是 <{}>，不是 <alto>：这不是 ALTO 文件", name)};
    }
    ++elements_seen_;
    text_.clear();
    if (name == "Page") return start_page(attributes, line);
    if (name == "TextBlock") {
      ++block_;
      block_language_ = std::string(attributes.find("LANG").value_or(""));
    } else if (name == "TextLine") {
      if (in_line_) return nested(name, "TextLine", line);
      in_line_ = true;
      detail::SourceLine source;
      if (auto fault = box(attributes, name, line, source.box)) return fault;
      source.block = block_;
      source.language = std::string(attributes.find("LANG").value_or(block_language_));
      lines_.push_back(std::move(source));
    } else if (name == "String") {
      if (!in_line_) return outside_line(name, line);
      detail::SourceWord word;
      if (auto fault = box(attributes, name, line, word.box)) return fault;
      const auto content = attributes.find("CONTENT");
      if (!content) {
        return Fault{line, "String", "CONTENT", "<String> has no CONTENT, the word's text; add it",
                     "<String> 缺少 CONTENT（词的文字）；请补上"};
      }
      word.text = std::string(*content);
      word.space_before = space_pending_;
      space_pending_ = false;
      if (const auto confidence = attributes.find("WC")) {
        double value = 0;
        if (auto fault = detail::number_attribute(attributes, name, "WC", line, false, value)) return fault;
        if (value > 1) {
          return Fault{line, "String", "WC", fmt::format("WC is {}, but a word's confidence is 0 … 1", *confidence),
                       fmt::format("WC 为 {}，但词的置信度应在 0 … 1 之间", *confidence)};
        }
        word.confidence = static_cast<float>(value);
      }
      SourceLine& current = lines_.back();
      if (current.language.empty()) current.language = std::string(attributes.find("LANG").value_or(""));
      current.words.push_back(std::move(word));
    } else if (name == "SP") {
      space_pending_ = true;
    } else if (name == "HYP") {
      if (!in_line_) return outside_line(name, line);
      // The hyphen that ends a line belongs to its last word.
      if (!lines_.back().words.empty()) lines_.back().words.back().text += attributes.find("CONTENT").value_or("-");
    } else if (name == "MeasurementUnit") {
      unit_line_ = line;
    }
    return std::nullopt;
  }

  std::optional<Fault> end(std::string_view name, uint64_t line) override {
    if (name == "TextLine") {
      in_line_ = false;
      space_pending_ = false;
    } else if (name == "MeasurementUnit") {
      unit_ = text_;
      const std::string_view unit = trimmed(unit_);
      if (unit != "pixel" && unit != "mm10" && unit != "inch1200") {
        return Fault{
            line, "MeasurementUnit", "",
            fmt::format("the unit is \"{}\"; ALTO's units are pixel, mm10 and inch1200", detail::excerpt(unit)),
            fmt::format("单位为“{}”；ALTO 的单位是 pixel、mm10 和 inch1200", detail::excerpt(unit))};
      }
      unit_ = std::string(unit);
    }
    return std::nullopt;
  }

  void text(std::string_view piece) override {
    // Only MeasurementUnit's text is read; ALTO keeps a page's words in attributes.
    if (text_.size() < 64) text_ += piece.substr(0, 64);
  }

  Result<PageText> finish(const std::filesystem::path& file, PixelSize image) {
    Fault fault{unit_line_, "MeasurementUnit", "", "", ""};
    const bool pixels = unit_.empty() || unit_ == "pixel";
    detail::Scale scale;
    PixelSize size = image;
    if (page_size_ && image.width > 0 && image.height > 0) {
      scale = {image.width / page_size_->width, image.height / page_size_->height};
    } else if (page_size_ && pixels) {
      size = {static_cast<uint32_t>(std::lround(page_size_->width)),
              static_cast<uint32_t>(std::lround(page_size_->height))};
    } else if (!pixels && !page_size_) {
      fault = {page_line_, "Page", "WIDTH",
               fmt::format("the page has no WIDTH and HEIGHT, which positions in {} need to be placed on its image; "
                           "add them",
                           unit_),
               fmt::format("页面缺少 WIDTH 和 HEIGHT，以 {} 为单位的位置需要它们才能对应到图像上；请补上", unit_)};
      return detail::fault_error(file, "ALTO", fault);
    } else if (!pixels) {
      fault.english = fmt::format(
          "positions in {} need the page image's size to be placed on it; give the size of "
          "the image this text belongs to",
          unit_);
      fault.chinese = fmt::format("以 {} 为单位的位置需要页面图像的尺寸才能对应；请给出这段文字所属图像的尺寸", unit_);
      return detail::fault_error(file, "ALTO", fault);
    }
    return detail::finish_page(std::move(lines_), size, scale);
  }

 private:
  using SourceLine = detail::SourceLine;
  struct SourceSize {
    double width = 0;
    double height = 0;
  };

  std::optional<Fault> start_page(const detail::Attributes& attributes, uint64_t line) {
    if (page_line_ != 0) {
      return Fault{
          line, "Page", "",
          fmt::format("the file holds a second <Page> (the first is at line {}); Pavilion reads one page per "
                      "file: split it",
                      page_line_),
          fmt::format("文件中有第二个 <Page>（第一个在第 {} 行）；Pavilion 每个文件读取一页：请拆分", page_line_)};
    }
    page_line_ = line;
    if (!attributes.find("WIDTH") && !attributes.find("HEIGHT")) return std::nullopt;
    SourceSize size;
    if (auto fault = detail::number_attribute(attributes, "Page", "WIDTH", line, false, size.width)) return fault;
    if (auto fault = detail::number_attribute(attributes, "Page", "HEIGHT", line, false, size.height)) return fault;
    if (size.width < 1 || size.height < 1) {
      return Fault{line, "Page", size.width < 1 ? "WIDTH" : "HEIGHT", "the page's size must be at least one unit",
                   "页面尺寸至少为一个单位"};
    }
    page_size_ = size;
    return std::nullopt;
  }

  static std::optional<Fault> box(const detail::Attributes& attributes, std::string_view element, uint64_t line,
                                  detail::SourceBox& out) {
    double x = 0, y = 0, width = 0, height = 0;
    const std::pair<std::string_view, double*> fields[] = {
        {"HPOS", &x}, {"VPOS", &y}, {"WIDTH", &width}, {"HEIGHT", &height}};
    for (const auto& [name, value] : fields) {
      if (auto fault = detail::number_attribute(attributes, element, name, line, false, *value)) return fault;
    }
    out = {x, y, x + width, y + height};
    return std::nullopt;
  }

  static Fault nested(std::string_view element, std::string_view outer, uint64_t line) {
    return Fault{line, std::string(element), "", fmt::format("<{}> is inside another <{}>", element, outer),
                 fmt::format("<{}> 位于另一个 <{}> 之内", element, outer)};
  }

  static Fault outside_line(std::string_view element, uint64_t line) {
    return Fault{line, std::string(element), "", fmt::format("<{}> is outside any <TextLine>", element),
                 fmt::format("<{}> 不在任何 <TextLine> 之内", element)};
  }

  static std::string_view trimmed(std::string_view text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  }

  size_t elements_seen_ = 0;
  std::string text_;
  std::string unit_;
  uint64_t unit_line_ = 0;
  uint64_t page_line_ = 0;
  std::optional<SourceSize> page_size_;
  size_t block_ = 0;
  std::string block_language_;
  bool in_line_ = false;
  bool space_pending_ = false;
  std::vector<SourceLine> lines_;
};

}  // namespace

Result<PageText> read_alto(std::string_view xml, const std::filesystem::path& file, PixelSize image,
                           const ReadLimits& limits) {
  AltoReader reader;
  if (auto fault = detail::walk_xml(xml, reader, limits)) return detail::fault_error(file, "ALTO", *fault);
  return reader.finish(file, image);
}

}  // namespace pavilion::page_text
