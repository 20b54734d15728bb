#include "pavilion/pack/export_iiif.h"

#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/page_text/page_text.h"
#include "pavilion/pyramid/iiif_export.h"
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/scene/loader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fmt/std.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace pavilion::pack {
namespace {

using Json = nlohmann::ordered_json;

Error export_error(const std::filesystem::path& package, const std::string& english, const std::string& chinese) {
  return Error(ErrorCode::invalid_input, fmt::format("exporting a book of {} as IIIF", package.filename()),
               english + "\n" + chinese);
}

// The book `exhibit` names, or the package's only book.
Result<size_t> find_book(const package::PackageReader& package, const scene::Scene& scene, const std::string& exhibit) {
  std::vector<std::string> ids;
  for (size_t index = 0; index < scene.books.size(); ++index) {
    const std::string& id = scene.exhibits[scene.books[index].exhibit].id;
    if (id == exhibit || (exhibit.empty() && scene.books.size() == 1)) return index;
    ids.push_back(id);
  }
  const std::filesystem::path& path = package.path();
  if (ids.empty()) {
    return export_error(path, "The package holds no book exhibit; export a package built from a scene with a kind \"book\" exhibit.",
                        "该场景包中没有书籍展品；请导出由含 kind 为 \"book\" 的展品的场景构建的场景包。");
  }
  const std::string list = fmt::format("{}", fmt::join(ids, ", "));
  if (exhibit.empty()) {
    return export_error(path, fmt::format("The package holds {} books ({}); name the one to export with --exhibit.", ids.size(), list),
                        fmt::format("该场景包中有 {} 本书（{}）；请用 --exhibit 指明要导出哪一本。", ids.size(), list));
  }
  return export_error(path, fmt::format("The package has no book exhibit \"{}\"; its books are: {}.", exhibit, list),
                      fmt::format("该场景包中没有书籍展品“{}”；其中的书籍有：{}。", exhibit, list));
}

pyramid::TileEncoding encoding_of(scene::TileFormat format) {
  switch (format) {
    case scene::TileFormat::rgba8_srgb: return pyramid::TileEncoding::rgba8;
    case scene::TileFormat::bc1_srgb: return pyramid::TileEncoding::bc1;
    case scene::TileFormat::jpeg: return pyramid::TileEncoding::jpeg;
    case scene::TileFormat::webp: return pyramid::TileEncoding::webp;
  }
  return pyramid::TileEncoding::rgba8;
}

// `width` × `height` pixels of `image` from (x, y).
ImageRgba8 cut(const ImageRgba8& image, uint32_t x, uint32_t y, uint32_t width, uint32_t height) {
  ImageRgba8 part(width, height);
  for (uint32_t row = 0; row < height; ++row) std::memcpy(part.at(0, row), image.at(x, y + row), size_t{width} * 4);
  return part;
}

// Page `index`'s tiles as a level-0 tile set in `folder`; returns how many were written.
Result<size_t> export_page(const scene::BookTileReader& tiles, const scene::Book& book, uint32_t book_index, uint32_t index,
                           const std::filesystem::path& folder, const std::string& id, int quality) {
  const scene::BookPage& page = book.pages[index];
  const pyramid::IiifTileSetWriter writer(folder, id, page.width, page.height, book.tile_size);
  size_t written = 0;
  for (uint32_t level = 0; level < page.levels.size(); ++level) {
    const scene::PageLevel& size = page.levels[level];
    for (uint32_t row = 0; row < size.rows; ++row) {
      for (uint32_t column = 0; column < size.columns; ++column) {
        const scene::TileRect rect = scene::tile_rect(book, page, level, column, row);
        PV_TRY_ASSIGN(const std::vector<std::byte> stored, tiles.read({book_index, index, level, column, row}));
        PV_TRY_ASSIGN(const ImageRgba8 pixels, pyramid::decode_tile(stored, encoding_of(book.tile_format), rect.width, rect.height));
        // The tile without the overlap it repeats of its neighbours: IIIF tiles meet edge to edge.
        const uint32_t x = column * book.tile_size;
        const uint32_t y = row * book.tile_size;
        const uint32_t width = std::min(book.tile_size, size.width - x);
        const uint32_t height = std::min(book.tile_size, size.height - y);
        PV_TRY_ASSIGN(const std::vector<std::byte> jpeg,
                      pyramid::encode_tile(cut(pixels, x - rect.x, y - rect.y, width, height), pyramid::TileEncoding::jpeg, quality));
        PV_TRY(writer.write_tile(level, column, row, jpeg, width, height));
        ++written;
      }
    }
  }
  PV_TRY(writer.write_info());
  return written;
}

Json language_map(const LocalizedText& text) {
  Json map = Json::object();
  if (!text.zh_cn.empty()) map["zh-CN"] = Json::array({text.zh_cn});
  if (!text.en.empty()) map["en"] = Json::array({text.en});
  return map;
}

Json pair_json(const scene::BookMetadataPair& pair) {
  return {{"label", language_map(pair.label)}, {"value", language_map(pair.value)}};
}

std::string_view direction_name(book::ViewingDirection direction) {
  switch (direction) {
    case book::ViewingDirection::left_to_right: return "left-to-right";
    case book::ViewingDirection::right_to_left: return "right-to-left";
    case book::ViewingDirection::top_to_bottom: return "top-to-bottom";
    case book::ViewingDirection::bottom_to_top: return "bottom-to-top";
  }
  return "left-to-right";
}

std::string_view layout_name(book::Layout layout) {
  switch (layout) {
    case book::Layout::paged: return "paged";
    case book::Layout::individuals: return "individuals";
    case book::Layout::continuous: return "continuous";
  }
  return "paged";
}

// A page's own behaviour, when it differs from its book's layout.
std::optional<std::string_view> page_behavior_name(const scene::Book& book, const scene::BookPage& page) {
  if (book.leaves_imaged_whole && page.behavior == book::PageBehavior::paged) return "facing-pages";
  switch (page.behavior) {
    case book::PageBehavior::paged: return std::nullopt;
    case book::PageBehavior::non_paged: return "non-paged";
    case book::PageBehavior::facing_pages: return "facing-pages";
  }
  return std::nullopt;
}

std::string canvas_id(const std::string& base, size_t index) { return fmt::format("{}/canvas/{}", base, index + 1); }

Json canvas_json(const scene::Book& book, size_t index, const std::string& base) {
  const scene::BookPage& page = book.pages[index];
  const std::string id = canvas_id(base, index);
  const uint32_t width = page.canvas_width > 0 ? page.canvas_width : page.width;
  const uint32_t height = page.canvas_height > 0 ? page.canvas_height : page.height;
  Json canvas = {{"id", id}, {"type", "Canvas"}};
  if (Json label = language_map(page.label); !label.empty()) canvas["label"] = std::move(label);
  canvas["width"] = width;
  canvas["height"] = height;
  if (const auto behavior = page_behavior_name(book, page)) canvas["behavior"] = Json::array({*behavior});
  Json paintings = Json::array();
  if (!page.placeholder && !page.levels.empty()) {
    // The body names the whole picture written (the last level, the one in one tile), as level 0
    // serves no other size; viewers zoom through the service.
    const scene::PageLevel& whole = page.levels.back();
    const std::string service = fmt::format("{}/pages/{}", base, index + 1);
    paintings.push_back({{"id", id + "/painting"},
                         {"type", "Annotation"},
                         {"motivation", "painting"},
                         {"body",
                          {{"id", fmt::format("{}/full/{},{}/0/default.jpg", service, whole.width, whole.height)},
                           {"type", "Image"},
                           {"format", "image/jpeg"},
                           {"width", page.width},
                           {"height", page.height},
                           {"service", Json::array({{{"id", service}, {"type", "ImageService3"}, {"profile", "level0"}}})}}},
                         {"target", id}});
  }
  canvas["items"] = Json::array({{{"id", id + "/page"}, {"type", "AnnotationPage"}, {"items", paintings}}});
  if (!page.lines.empty()) {
    canvas["seeAlso"] = Json::array({{{"id", fmt::format("{}/text/{}.xml", base, index + 1)},
                                      {"type", "Dataset"},
                                      {"format", "application/xml"},
                                      {"profile", "http://www.loc.gov/standards/alto/v4/alto.xsd"}}});
  }
  Json notes = Json::array();
  for (size_t at = 0; at < page.annotations.size(); ++at) {
    const scene::PageAnnotation& annotation = page.annotations[at];
    Json body = {{"type", "TextualBody"}, {"value", annotation.value}, {"format", annotation.format.empty() ? "text/plain" : annotation.format}};
    if (!annotation.language.empty()) body["language"] = annotation.language;
    std::string target = id;
    if (annotation.region) {
      const scene::PageRegion& region = *annotation.region;
      target += fmt::format("#xywh={},{},{},{}", std::lround(region.x), std::lround(region.y), std::lround(region.width),
                            std::lround(region.height));
    }
    notes.push_back({{"id", fmt::format("{}/note/{}", id, at + 1)},
                     {"type", "Annotation"},
                     {"motivation", annotation.motivation.empty() ? "commenting" : annotation.motivation},
                     {"body", std::move(body)},
                     {"target", target}});
  }
  if (!notes.empty()) {
    canvas["annotations"] = Json::array({{{"id", id + "/notes"}, {"type", "AnnotationPage"}, {"items", std::move(notes)}}});
  }
  return canvas;
}

// The table of contents: the package lists entries parents first, each with its own pages.
Json range_json(const scene::Book& book, size_t index, const std::string& base) {
  const scene::BookRange& range = book.ranges[index];
  Json items = Json::array();
  for (const uint32_t page : range.pages) items.push_back({{"id", canvas_id(base, page)}, {"type", "Canvas"}});
  for (size_t child = index + 1; child < book.ranges.size(); ++child) {
    if (book.ranges[child].parent == static_cast<int32_t>(index)) items.push_back(range_json(book, child, base));
  }
  Json json = {{"id", fmt::format("{}/range/{}", base, index + 1)}, {"type", "Range"}};
  if (Json label = language_map(range.label); !label.empty()) json["label"] = std::move(label);
  json["items"] = std::move(items);
  return json;
}

Json manifest_json(const scene::Book& book, const std::string& base) {
  Json manifest = {{"@context", "http://iiif.io/api/presentation/3/context.json"},
                   {"id", base + "/manifest.json"},
                   {"type", "Manifest"},
                   {"label", language_map(book.label)}};
  if (Json summary = language_map(book.summary); !summary.empty()) manifest["summary"] = std::move(summary);
  if (!book.metadata.empty()) {
    Json metadata = Json::array();
    for (const scene::BookMetadataPair& pair : book.metadata) metadata.push_back(pair_json(pair));
    manifest["metadata"] = std::move(metadata);
  }
  if (book.required_statement) manifest["requiredStatement"] = pair_json(*book.required_statement);
  if (!book.rights.empty()) manifest["rights"] = book.rights.front();  // Presentation 3 takes one
  manifest["viewingDirection"] = direction_name(book.direction);
  manifest["behavior"] = Json::array({layout_name(book.layout)});
  if (book.start_page < book.pages.size()) manifest["start"] = {{"id", canvas_id(base, book.start_page)}, {"type", "Canvas"}};
  Json items = Json::array();
  for (size_t index = 0; index < book.pages.size(); ++index) items.push_back(canvas_json(book, index, base));
  manifest["items"] = std::move(items);
  if (!book.ranges.empty()) {
    Json structures = Json::array();
    for (size_t index = 0; index < book.ranges.size(); ++index) {
      if (book.ranges[index].parent < 0) structures.push_back(range_json(book, index, base));
    }
    manifest["structures"] = std::move(structures);
  }
  return manifest;
}

// The page's lines (from the book's ALTO or hOCR, or recognised at pack time) as ALTO, in the
// picture's pixels, so an exported book keeps its text for web viewers and a re-import.
Result<void> export_lines(const scene::BookPage& page, const std::filesystem::path& file) {
  page_text::PageText text;
  text.size = {page.width, page.height};
  for (const scene::PageTextLine& line : page.lines) {
    const auto edge = [](float value) { return static_cast<int32_t>(std::lround(value)); };
    text.lines.push_back({line.text,
                          {edge(line.region.x), edge(line.region.y), edge(line.region.width), edge(line.region.height)},
                          static_cast<uint32_t>(text.lines.size()),
                          line.vertical ? page_text::WritingDirection::vertical_right_to_left : page_text::WritingDirection::horizontal,
                          line.language,
                          std::nullopt,
                          {}});
  }
  const std::string xml = page_text::write_alto(text);
  std::error_code made;  // a failure shows as the write's
  std::filesystem::create_directories(file.parent_path(), made);
  return write_file_atomic(file, std::as_bytes(std::span(xml)));
}

// An earlier export of a book: its manifest.json beside a folder of pages' tile sets and one of
// their texts, nothing else.
bool holds_only_an_exported_book(const std::filesystem::path& folder) {
  const auto text = read_file(folder / "manifest.json");
  if (!text) return false;
  const char* bytes = reinterpret_cast<const char*>(text->data());
  const auto manifest = nlohmann::json::parse(bytes, bytes + text->size(), nullptr, false);
  if (!manifest.is_object() || manifest.value("type", nlohmann::json()) != "Manifest") return false;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name == "manifest.json" || (name == "text" && entry.is_directory(error))) continue;
    if (name != "pages" || !entry.is_directory(error)) return false;
    for (const auto& page : std::filesystem::directory_iterator(entry.path(), error)) {
      if (!pyramid::holds_only_a_tile_set(page.path())) return false;
    }
  }
  return !error;
}

}  // namespace

Result<BookExport> export_book_iiif(const package::PackageReader& package, const scene::Scene& scene,
                                    const std::filesystem::path& out_folder, const BookExportOptions& options) {
  expects(!options.base_url.empty() && options.base_url.back() != '/', "a base URL without a trailing slash");
  PV_TRY_ASSIGN(const size_t book_index, find_book(package, scene, options.exhibit));
  const scene::Book& book = scene.books[book_index];
  PV_TRY_ASSIGN(pyramid::ExportFolder folder,
                pyramid::ExportFolder::begin(out_folder, holds_only_an_exported_book, "a IIIF book", "IIIF 书籍"));
  const scene::BookTileReader tiles(package, scene);
  BookExport exported{scene.exhibits[book.exhibit].id, book.pages.size(), 0, 0};
  std::atomic<size_t> tile_count = 0;
  PV_TRY(parallel_for(book.pages.size(), options.jobs, [&](size_t index) -> Result<void> {
    const scene::BookPage& page = book.pages[index];
    if (!page.lines.empty()) {
      PV_TRY(export_lines(page, folder.staging() / "text" / fmt::format("{}.xml", index + 1)));
    }
    if (page.placeholder) return {};
    PV_TRY_ASSIGN(const size_t written,
                  export_page(tiles, book, static_cast<uint32_t>(book_index), static_cast<uint32_t>(index),
                              folder.staging() / "pages" / std::to_string(index + 1),
                              fmt::format("{}/pages/{}", options.base_url, index + 1), options.quality)
                      .add_context(fmt::format("exporting page {} of {}", index + 1, exported.exhibit)));
    tile_count += written;
    return {};
  }));
  exported.tiles = tile_count;
  exported.placeholders = static_cast<size_t>(std::ranges::count_if(book.pages, &scene::BookPage::placeholder));
  const std::string text = manifest_json(book, options.base_url).dump(2) + "\n";
  PV_TRY(write_file_atomic(folder.staging() / "manifest.json", std::as_bytes(std::span(text))));
  PV_TRY(folder.finish());
  return exported;
}

}  // namespace pavilion::pack
