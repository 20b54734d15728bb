#include "pavilion/page_text/page_text.h"

#include "pavilion/core/file.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace pavilion::page_text {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

Result<PageText> read_page_text_file(const std::filesystem::path& file, PixelSize image, const ReadLimits& limits) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(file, error);
  if (!error && size > limits.file_bytes) {
    return Error(ErrorCode::invalid_input, fmt::format("reading the page text {}", file),
                 fmt::format("it is {} MiB, more than the {} MiB one page's text could need; split it by page / 文件"
                             "大小为 {} MiB，超过一页文字所需的 {} MiB；请按页拆分",
                             size >> 20, limits.file_bytes >> 20, size >> 20, limits.file_bytes >> 20));
  }
  PV_TRY_ASSIGN(const std::vector<std::byte> bytes, read_file(file));
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  // The root element decides; both readers name the file and line when it is neither.
  const std::string head = lowercase(text.substr(0, 4096));
  const size_t alto = head.find("<alto");
  const size_t html = head.find("<html");
  if (alto != std::string::npos && (html == std::string::npos || alto < html))
    return read_alto(text, file, image, limits);
  return read_hocr(text, file, image, limits);
}

Result<std::string> tesseract_language(std::string_view language, WritingDirection direction) {
  const std::string tag = lowercase(language);
  const bool vertical = direction == WritingDirection::vertical_right_to_left;
  const auto is = [&](std::string_view prefix) {
    return tag == prefix || (tag.starts_with(prefix) && tag.size() > prefix.size() && tag[prefix.size()] == '-');
  };
  if (is("en")) return std::string("eng");
  if (is("zh") || is("lzh")) {
    // Traditional characters by script, or by the regions that write them; Literary Chinese
    // (lzh, the language of the books a library's rare-book room holds) in traditional ones.
    const bool traditional = is("lzh") || is("zh-hant") || tag.find("-hant") != std::string::npos || is("zh-tw") ||
                             is("zh-hk") || is("zh-mo");
    return fmt::format("chi_{}{}", traditional ? "tra" : "sim", vertical ? "_vert" : "");
  }
  return Error(ErrorCode::unsupported, fmt::format("choosing Tesseract's language for \"{}\"", language),
               fmt::format("Pavilion recognises English (en) and Chinese (zh, zh-Hans, zh-Hant, lzh) page text; give "
                           "the book's language as one of them, or supply ALTO or hOCR text / Pavilion 可识别英文（en）"
                           "和中文（zh、zh-Hans、zh-Hant、lzh）页面文字；请将书的语言设为其中之一，或提供 ALTO 或 hOCR 文字"));
}

}  // namespace pavilion::page_text
