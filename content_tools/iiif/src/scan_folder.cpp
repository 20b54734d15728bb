#include "pavilion/iiif/scan_folder.h"

#include "pavilion/iiif/page_note.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <stb_image.h>
#include <tiffio.h>

#include <algorithm>
#include <cctype>
#include <system_error>

namespace pavilion::iiif {
namespace fs = std::filesystem;

namespace {

using json = nlohmann::json;

std::string lower_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

bool is_scan(const fs::path& path) {
  const std::string extension = lower_extension(path);
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png" || extension == ".tif" ||
         extension == ".tiff";
}

// The scan's size from its header, without decoding its pixels.
std::optional<std::pair<int, int>> scan_size(const fs::path& path) {
  const std::string extension = lower_extension(path);
  if (extension == ".tif" || extension == ".tiff") {
    // libtiff reports a bad file on stderr as well; the finding is what the curator reads.
    TIFF* tiff = TIFFOpen(path.c_str(), "r");
    if (!tiff) return std::nullopt;
    uint32_t width = 0, height = 0;
    const bool known =
        TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width) == 1 && TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height) == 1;
    TIFFClose(tiff);
    if (!known || width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX) return std::nullopt;
    return std::pair{static_cast<int>(width), static_cast<int>(height)};
  }
  int width = 0, height = 0, channels = 0;
  if (stbi_info(path.c_str(), &width, &height, &channels) != 1 || width <= 0 || height <= 0) return std::nullopt;
  return std::pair{width, height};
}

LanguageMap language_map(const LocalizedText& text) {
  LanguageMap map;
  if (!text.zh_cn.empty()) map.entries.push_back({"zh-CN", {text.zh_cn}});
  if (!text.en.empty()) map.entries.push_back({"en", {text.en}});
  return map;
}

void add_metadata(Manifest& manifest, const LocalizedText& value, std::string_view en, std::string_view zh) {
  if (value.zh_cn.empty() && value.en.empty()) return;
  MetadataPair pair;
  pair.label.entries = {{"zh-CN", {std::string(zh)}}, {"en", {std::string(en)}}};
  pair.value = language_map(value);
  manifest.metadata.push_back(std::move(pair));
}

std::optional<book::ViewingDirection> direction_named(std::string_view name) {
  if (name == "left-to-right") return book::ViewingDirection::left_to_right;
  if (name == "right-to-left") return book::ViewingDirection::right_to_left;
  if (name == "top-to-bottom") return book::ViewingDirection::top_to_bottom;
  if (name == "bottom-to-top") return book::ViewingDirection::bottom_to_top;
  return std::nullopt;
}

std::optional<book::Layout> layout_named(std::string_view name) {
  if (name == "paged") return book::Layout::paged;
  if (name == "individuals") return book::Layout::individuals;
  if (name == "continuous") return book::Layout::continuous;
  return std::nullopt;
}

std::optional<book::PageBehavior> page_behavior_named(std::string_view name) {
  if (name == "paged") return book::PageBehavior::paged;
  if (name == "facing-pages") return book::PageBehavior::facing_pages;
  if (name == "non-paged") return book::PageBehavior::non_paged;
  return std::nullopt;
}

// The link a page's `text` makes: ALTO (.xml) or hOCR (.html, .hocr), told by its extension as
// pack tells a manifest's seeAlso by profile or format.
std::optional<Link> text_link(const std::string& name) {
  const std::string extension = lower_extension(name);
  Link link;
  link.id = name;
  link.type = "Dataset";
  if (extension == ".xml") {
    link.format = "application/xml";
    link.profile = "http://www.loc.gov/standards/alto/v4/alto.xsd";
    link.text = Link::Text::alto;
  } else if (extension == ".html" || extension == ".hocr") {
    link.format = "text/vnd.hocr+html";
    link.profile = "http://kba.github.io/hocr-spec/1.2/";
    link.text = Link::Text::hocr;
  } else {
    return std::nullopt;
  }
  return link;
}

// A page's commentary and seals, for the kiosk's layers (as a manifest's annotations would carry
// them), on its scan's pixels: a region beyond the scan is a mistake in its numbers.
void read_page_notes(checking::JsonChecker& check, const json& page, const std::string& path, Canvas& canvas) {
  using checking::JsonChecker;
  const auto notes = page.find("annotations");
  if (notes == page.end()) return;
  const std::string notes_path = JsonChecker::join(path, "annotations");
  if (!notes->is_array()) {
    check.error(notes_path, "must be a list of annotations: [{\"motivation\": \"tagging\", \"region\": [x, y, w, h], \"text\": \"…\"}]",
                "必须是批注列表：[{\"motivation\": \"tagging\", \"region\": [x, y, w, h], \"text\": \"…\"}]");
    return;
  }
  for (size_t index = 0; index < notes->size(); ++index) {
    const json& note = (*notes)[index];
    const std::string note_path = fmt::format("{}[{}]", notes_path, index);
    if (!note.is_object()) {
      check.error(note_path, "each annotation is an object with motivation, region and text", "每条批注是含 motivation、region 和 text 的对象");
      continue;
    }
    check.check_fields(note, note_path, {"motivation", "region", "text", "language"});
    std::optional<TextAnnotation> annotation = read_page_note(check, note, note_path);
    if (!annotation) continue;
    const Region& region = *annotation->target;
    if (region.x + region.width > canvas.width || region.y + region.height > canvas.height) {
      check.error(JsonChecker::join(note_path, "region"),
                  fmt::format("[{}, {}, {}, {}] reaches beyond the scan, which is {} × {} pixels", region.x, region.y, region.width,
                              region.height, canvas.width, canvas.height),
                  fmt::format("[{}, {}, {}, {}] 超出了扫描图像的范围（{} × {} 像素）", region.x, region.y, region.width, region.height,
                              canvas.width, canvas.height));
      continue;
    }
    canvas.texts.push_back(std::move(*annotation));
  }
}

}  // namespace

bool natural_less(std::string_view a, std::string_view b) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t a_end = i, b_end = j;
      while (a_end < a.size() && digit(a[a_end])) ++a_end;
      while (b_end < b.size() && digit(b[b_end])) ++b_end;
      std::string_view x = a.substr(i, a_end - i), y = b.substr(j, b_end - j);
      while (x.size() > 1 && x.front() == '0') x.remove_prefix(1);
      while (y.size() > 1 && y.front() == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = a_end;
      j = b_end;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
  return a < b;  // equal by value ("p7", "p007"): by spelling, so the order is total
}

book::PageSequence ScanFolder::page_sequence() const {
  book::PageSequence sequence = manifest.page_sequence();
  sequence.leaves_imaged_whole = leaves_imaged_whole;
  return sequence;
}

std::optional<ScanFolder> parse_scan_folder(std::string_view text, const fs::path& file, const fs::path& folder,
                                            std::vector<checking::Finding>& findings) {
  const auto root = checking::parse_json_object(text, file, findings, "book.json must hold one object { … }",
                                                "book.json 必须是一个对象 { … }");
  if (!root) return std::nullopt;
  checking::JsonChecker check(file, findings);
  check.check_fields(*root, "",
                     {"$schema", "title", "creator", "date", "summary", "rights", "attribution", "viewingDirection",
                      "behavior", "leavesImagedWhole", "start", "pages"});
  ScanFolder book;
  Manifest& manifest = book.manifest;
  manifest.id = folder.string();
  manifest.label = language_map(check.text_field(*root, "", "title", true));
  manifest.summary = language_map(check.text_field(*root, "", "summary", false));
  add_metadata(manifest, check.text_field(*root, "", "creator", false), "Creator", "作者");
  add_metadata(
      manifest,
      check.text_field(*root, "", "date", false, checking::JsonChecker::PlainText::allowed_when_language_neutral),
      "Date", "年代");
  if (const auto rights = check.string_field(*root, "", "rights", false)) manifest.rights.push_back(*rights);
  if (const LocalizedText attribution = check.text_field(*root, "", "attribution", false);
      !attribution.zh_cn.empty() || !attribution.en.empty()) {
    manifest.required_statement =
        MetadataPair{{{{"zh-CN", {"出处"}}, {"en", {"Attribution"}}}}, language_map(attribution)};
  }
  if (const auto direction = check.string_field(*root, "", "viewingDirection", false)) {
    if (const auto named = direction_named(*direction)) {
      manifest.viewing_direction = *named;
    } else {
      check.error("viewingDirection",
                  fmt::format("'{}' is not a reading direction: left-to-right, right-to-left, top-to-bottom or "
                              "bottom-to-top",
                              *direction),
                  fmt::format("“{}”不是阅读方向：应为 left-to-right、right-to-left、top-to-bottom 或 bottom-to-top",
                              *direction));
    }
  }
  manifest.layout = book::Layout::paged;  // a folder of scans is most often a bound book
  if (const auto behavior = check.string_field(*root, "", "behavior", false)) {
    if (const auto named = layout_named(*behavior)) {
      manifest.layout = *named;
    } else {
      check.error("behavior",
                  fmt::format("'{}' is not a book's behaviour: paged, individuals or continuous", *behavior),
                  fmt::format("“{}”不是书的行为：应为 paged、individuals 或 continuous", *behavior));
    }
  }
  book.leaves_imaged_whole = check.bool_field(*root, "", "leavesImagedWhole").value_or(false);

  // The scans, in natural order of their names.
  std::vector<fs::path> scans;
  std::error_code failure;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, failure)) {
    if (entry.is_regular_file() && is_scan(entry.path())) scans.push_back(entry.path());
  }
  if (failure) {
    check.error("", fmt::format("the folder {} cannot be read: {}", folder, failure.message()),
                fmt::format("无法读取文件夹 {}：{}", folder, failure.message()));
    return std::nullopt;
  }
  std::sort(scans.begin(), scans.end(), [](const fs::path& a, const fs::path& b) {
    return natural_less(a.filename().string(), b.filename().string());
  });
  if (scans.empty()) {
    check.error("", fmt::format("the folder {} holds no scans (.jpg, .jpeg, .png, .tif, .tiff)", folder),
                fmt::format("文件夹 {} 中没有扫描图像（.jpg、.jpeg、.png、.tif、.tiff）", folder));
  }
  for (const fs::path& scan : scans) {
    const std::string name = scan.filename().string();
    Canvas canvas;
    canvas.id = name;
    canvas.label.entries.push_back({"none", {scan.stem().string()}});
    const auto size = scan_size(scan);
    if (!size) {
      check.error(name, fmt::format("the scan {} cannot be read as a picture (its size is unknown)", scan),
                  fmt::format("扫描图像 {} 无法作为图片读取（无法得知其尺寸）", scan));
      continue;
    }
    canvas.width = size->first;
    canvas.height = size->second;
    Image image;
    image.id = name;
    image.width = canvas.width;
    image.height = canvas.height;
    canvas.paintings.push_back({{std::move(image)}});
    book.files.emplace(name, scan);
    manifest.canvases.push_back(std::move(canvas));
  }

  // Labels and behaviours of single pages, by file name.
  const auto pages = root->find("pages");
  if (pages != root->end() && !pages->is_object()) {
    check.error("pages", "must be an object from a scan's file name to its label and behavior",
                "必须是一个对象：从扫描文件名到其标签和行为");
  } else if (pages != root->end()) {
    for (const auto& [name, page] : pages->items()) {
      const std::string path = checking::JsonChecker::join("pages", name);
      const auto canvas = std::find_if(manifest.canvases.begin(), manifest.canvases.end(),
                                       [&](const Canvas& c) { return c.id == name; });
      if (canvas == manifest.canvases.end()) {
        check.error(path, fmt::format("the folder has no scan named '{}'", name),
                    fmt::format("文件夹中没有名为“{}”的扫描图像", name));
        continue;
      }
      if (!page.is_object()) {
        check.error(path, "must be an object: {\"label\": …, \"behavior\": …, \"text\": …, \"annotations\": […]}",
                    "必须是一个对象：{\"label\": …, \"behavior\": …, \"text\": …, \"annotations\": […]}");
        continue;
      }
      check.check_fields(page, path, {"label", "behavior", "text", "annotations"});
      if (const auto label = page.find("label"); label != page.end()) {
        if (label->is_string()) {
          canvas->label.entries = {{"none", {label->get<std::string>()}}};
        } else {
          const LanguageMap map = language_map(check.text_field(page, path, "label", false));
          if (!map.empty()) canvas->label = map;
        }
      }
      if (const auto behavior = check.string_field(page, path, "behavior", false)) {
        if (const auto named = page_behavior_named(*behavior)) {
          canvas->behavior = *named;
        } else {
          check.error(checking::JsonChecker::join(path, "behavior"),
                      fmt::format("'{}' is not a page's behaviour: paged, facing-pages or non-paged", *behavior),
                      fmt::format("“{}”不是书页的行为：应为 paged、facing-pages 或 non-paged", *behavior));
        }
      }
      // The page's text, read by pack from beside the scans by its name alone: so a name, not a path.
      if (const auto text_file = check.string_field(page, path, "text", false)) {
        const std::string where = checking::JsonChecker::join(path, "text");
        std::error_code missing;
        if (const auto link = text_link(*text_file); !link) {
          check.error(where, fmt::format("'{}' is not a page's text: name its ALTO (.xml) or hOCR (.html, .hocr) file", *text_file),
                      fmt::format("“{}”不是书页的文字：应为其 ALTO（.xml）或 hOCR（.html、.hocr）文件", *text_file));
        } else if (text_file->find_first_of("/\\") != std::string::npos || !fs::is_regular_file(folder / *text_file, missing)) {
          check.error(where, fmt::format("the folder has no text file named '{}' beside the scans", *text_file),
                      fmt::format("文件夹中扫描图像旁没有名为“{}”的文字文件", *text_file));
        } else {
          canvas->see_also.push_back(*link);
        }
      }
      read_page_notes(check, page, path, *canvas);
    }
  }
  if (const auto start = check.string_field(*root, "", "start", false)) {
    const auto found = std::find_if(manifest.canvases.begin(), manifest.canvases.end(),
                                    [&](const Canvas& c) { return c.id == *start; });
    if (found == manifest.canvases.end()) {
      check.error("start", fmt::format("the folder has no scan named '{}'", *start),
                  fmt::format("文件夹中没有名为“{}”的扫描图像", *start));
    } else {
      manifest.start_canvas = static_cast<size_t>(found - manifest.canvases.begin());
    }
  }
  if (check.has_errors()) return std::nullopt;
  for (const checking::Finding& finding : findings) {
    if (finding.severity != checking::Finding::Severity::error) manifest.warnings.push_back(finding);
  }
  return book;
}

Result<ScanFolder> read_scan_folder(const fs::path& folder) {
  return checking::read_json_file(
      folder / "book.json", [&](std::string_view text, const fs::path& file, std::vector<checking::Finding>& findings) {
        return parse_scan_folder(text, file, folder, findings);
      });
}

}  // namespace pavilion::iiif
