// The text of a book's page: its lines (and words, where the source has them), each with its text,
// its region in the page image's pixels, its place in the reading order, its writing direction,
// language and the recogniser's confidence. Read from ALTO (v2–v4) and hOCR files, or recognised
// at pack time by Tesseract (which writes hOCR). What is read and how: README.md beside this
// folder's CMakeLists.
//
// Every reader takes outside data: a malformed file is an error value whose sentence, in English
// and Chinese, names the file, the line and the element or attribute at fault; the depth of
// elements, their number and the text held are capped, so no file can exhaust memory.
#pragma once

#include "pavilion/core/error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::page_text {

// In the page image's pixels, origin at its top-left corner.
struct Region {
  int32_t x = 0;
  int32_t y = 0;
  int32_t width = 0;
  int32_t height = 0;
  friend bool operator==(const Region&, const Region&) = default;
};

// Vertical: characters top to bottom in columns, columns right to left (Chinese and Japanese
// books). A line of vertical text is one column.
enum class WritingDirection { horizontal, vertical_right_to_left };

struct Word {
  std::string text;
  Region region;
  std::optional<float> confidence;  // 0 … 1, when the source gives one
};

struct Line {
  std::string text;  // the words joined: by a space where the source separates them
  Region region;
  uint32_t reading_order = 0;  // 0 for the first line read
  WritingDirection direction = WritingDirection::horizontal;
  std::string language;             // BCP 47 ("en", "zh-Hant"); empty when the source names none
  std::optional<float> confidence;  // 0 … 1: the words' mean, when every word has one
  std::vector<Word> words;          // empty when the source gives lines only
};

struct PixelSize {
  uint32_t width = 0;
  uint32_t height = 0;
  friend bool operator==(const PixelSize&, const PixelSize&) = default;
};

struct PageText {
  PixelSize size;           // the page image's size, which the regions are in
  std::vector<Line> lines;  // in reading order
};

// Bounds on what one file may make the readers hold; beyond any of them a file is refused.
struct ReadLimits {
  uint32_t element_depth = 64;
  size_t elements = 1'000'000;
  size_t text_bytes = size_t{16} << 20;
  uint64_t file_bytes = uint64_t{64} << 20;  // read_page_text_file only
};

// `image` is the size of the page image the text belongs to. When the source was made for
// another size (its page's width and height differ), every region is scaled to `image`; an
// ALTO in mm10 or inch1200 units is scaled the same way, and needs `image`. A zero `image` keeps
// the source's own pixels. `file` names the source in error sentences.
Result<PageText> read_alto(std::string_view xml, const std::filesystem::path& file, PixelSize image,
                           const ReadLimits& limits = {});
Result<PageText> read_hocr(std::string_view xhtml, const std::filesystem::path& file, PixelSize image,
                           const ReadLimits& limits = {});

// The page as an ALTO v4 file in pixels that read_alto gives back: a TextBlock per run of lines of
// one direction (which read_alto tells from their shape), a TextLine per line with its region and
// language, its words as Strings where it has them, else one String of the line's text.
std::string write_alto(const PageText& page);

// Reads `file`, ALTO or hOCR told by its root element (<alto> or <html>).
Result<PageText> read_page_text_file(const std::filesystem::path& file, PixelSize image, const ReadLimits& limits = {});

struct RecognitionOptions {
  std::string language = "en";  // the book's language, BCP 47: en, zh-Hant, zh-Hans, zh-CN, zh-TW, zh
  WritingDirection direction = WritingDirection::horizontal;
  std::string program = "tesseract";  // a name looked up in PATH, or a path
  std::chrono::seconds wall_time{300};
  uint64_t memory_bytes = uint64_t{2} << 30;
};

// The Tesseract languages for a book: "eng"; "chi_tra_vert" or "chi_sim_vert" for vertical
// Chinese, "chi_tra" or "chi_sim" for horizontal. An error sentence for a language without one.
Result<std::string> tesseract_language(std::string_view language, WritingDirection direction);

// Recognises the page image `image` (PNG, JPEG or TIFF) with Debian's tesseract in a child
// process held to the options' time and memory, and reads its hOCR. Tesseract or its language
// data missing, a timeout or a crash are error sentences naming the image and what to install.
Result<PageText> recognise(const std::filesystem::path& image, const RecognitionOptions& options);

}  // namespace pavilion::page_text
