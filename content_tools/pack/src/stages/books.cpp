#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/iiif/page_images.h"
#include "pavilion/iiif/scan_folder.h"
#include "pavilion/page_text/page_text.h"
#include "pavilion/pyramid/pyramid.h"
#include "pavilion/pyramid/scan.h"
#include "pavilion/pyramid/scan_view.h"
#include "pavilion/recite/recite.h"
#include "pavilion/scene/sound.h"
#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>

namespace pavilion::pack::stages {
namespace {


std::string book_path(const ExhibitSource& exhibit, std::string_view field) {
  return field.empty() ? exhibit.json_path + ".book" : fmt::format("{}.book.{}", exhibit.json_path, field);
}

Error scene_error(const BuildContext& context, const std::string& path, const std::string& english,
                  const std::string& chinese) {
  return Error(ErrorCode::invalid_input, fmt::format("{}: {}", context.source().file, path), english + "\n" + chinese);
}

// Where fetched manifests and images are kept: the build cache's, or a folder of this build's own.
Result<void> open_image_cache(BuildContext& context) {
  if (context.image_cache) return {};
  std::filesystem::path scratch;
  if (!context.options.cache_directory.empty()) {
    scratch = context.options.cache_directory / "books";
  } else {
    scratch = std::filesystem::temp_directory_path() / fmt::format("pavilion-pack-books-{}", getpid());
    context.remove_at_end.push_back(scratch);
  }
  context.book_scratch = scratch / "fetched";
  context.remove_at_end.push_back(context.book_scratch);
  iiif::HttpCache::Settings settings;
  settings.folder = scratch / "http";
  settings.ca_file = context.options.ca_file;
  PV_TRY_ASSIGN(context.image_cache, iiif::HttpCache::open(settings));
  return {};
}

// What the cache warns of a fetch that still gave its body (a stale copy kept while the server
// was unreachable), noted at `file` and `path`.
void note_fetch_warning(BuildContext& context, const iiif::FetchResult& fetched, const std::filesystem::path& file,
                        const std::string& path) {
  if (!fetched.fetched->warning) return;
  std::lock_guard lock(context.report_mutex);
  context.report.notes.push_back(
      {Finding::Severity::warning, file, path, fetched.fetched->warning->sentence.en, fetched.fetched->warning->sentence.zh_cn});
}

// The manifest named by URL, through the cache, so a second build asks only whether it changed.
Result<std::string> fetch_manifest(BuildContext& context, const ExhibitSource& exhibit) {
  PV_TRY(open_image_cache(context));
  const iiif::FetchResult fetched = context.image_cache->get(exhibit.book.manifest_url);
  if (!fetched.ok()) {
    return scene_error(context, book_path(exhibit, "manifest"), fetched.problem->sentence.en, fetched.problem->sentence.zh_cn);
  }
  note_fetch_warning(context, fetched, context.source().file, book_path(exhibit, "manifest"));
  const auto& body = fetched.fetched->body;
  return std::string(reinterpret_cast<const char*>(body.data()), body.size());
}

// A volume of a collection read from a file is looked for beside it first, so that a library's
// collection copied to disk with its volumes packs without the network: the longest tail of the
// path of the volume's id naming a file under the collection's folder
// ("https://lib.example/iiif/vol2/manifest.json" finds <folder>/iiif/vol2/manifest.json, else
// <folder>/vol2/manifest.json). The last segment alone is tried only when it is not the generic
// "manifest" or "manifest.json", which every volume (and the collection itself) may be named;
// the collection's own file is never its volume. A tail never holds "." or "..": it stays under
// the folder. Empty when no file is there.
std::optional<std::filesystem::path> volume_beside(const std::filesystem::path& collection_file, std::string_view id) {
  for (const std::string_view scheme : {"https://", "http://"}) {
    if (!id.starts_with(scheme)) continue;
    id.remove_prefix(scheme.size());
    id.remove_prefix(std::min(id.find('/'), id.size()));  // the host
  }
  id = id.substr(0, id.find_first_of("?#"));
  std::vector<std::string_view> segments;
  for (size_t start = 0; start <= id.size();) {
    const size_t end = std::min(id.find('/', start), id.size());
    const std::string_view segment = id.substr(start, end - start);
    if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos) {
      segments.clear();  // only what follows can name a file under the folder
    } else if (!segment.empty()) {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  const std::filesystem::path folder = collection_file.parent_path();
  for (size_t first = 0; first < segments.size(); ++first) {
    const bool last_alone = first + 1 == segments.size();
    if (last_alone && (segments[first] == "manifest" || segments[first] == "manifest.json")) break;
    std::filesystem::path candidate = folder;
    for (size_t index = first; index < segments.size(); ++index) candidate /= segments[index];
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error) &&
        !std::filesystem::equivalent(candidate, collection_file, error)) {
      return candidate;
    }
  }
  return std::nullopt;
}

// A volume that cannot be read: an error at the collection's place for it, in both languages.
Error volume_error(const std::filesystem::path& collection, size_t index, const iiif::Volume& volume,
                   const std::string& why, const std::string& why_zh, std::vector<Finding> findings = {}) {
  findings.insert(findings.begin(),
                  Finding{Finding::Severity::error, collection, volume.path,
                          fmt::format("volume {} of this multi-part collection ({}) cannot be read, so nothing is "
                                      "packed: {}",
                                      index + 1, volume.id, why),
                          fmt::format("此多部分集合的第 {} 册（{}）无法读取，因此未打包任何内容：{}", index + 1, volume.id, why_zh)});
  return checking::findings_error(fmt::format("reading volume {} ({}) of the multi-part collection {}", index + 1,
                                              volume.id, collection),
                                  findings);
}

// The volumes of a multi-part collection (read from `collection_file`, or from a URL when that is
// empty), each read as a manifest, joined into one book; any volume that cannot be read refuses it.
Result<iiif::Manifest> read_volumes(BuildContext& context, const iiif::MultiPartCollection& collection,
                                    const std::filesystem::path& collection_file, const std::filesystem::path& named) {
  std::vector<iiif::Manifest> volumes;
  for (size_t index = 0; index < collection.volumes.size(); ++index) {
    const iiif::Volume& volume = collection.volumes[index];
    std::optional<std::filesystem::path> local;
    if (!collection_file.empty()) local = volume_beside(collection_file, volume.id);
    std::string text;
    std::filesystem::path file;
    if (local) {
      auto bytes = read_file(*local);
      if (!bytes) {
        return volume_error(named, index, volume, fmt::format("reading {} failed: {}", *local, bytes.error().why()),
                            fmt::format("读取 {} 失败：{}", *local, bytes.error().why()));
      }
      text.assign(reinterpret_cast<const char*>(bytes->data()), bytes->size());
      context.report.used_files.push_back(*local);
      file = *local;
    } else if (volume.id.starts_with("http://") || volume.id.starts_with("https://")) {
      PV_TRY(open_image_cache(context));
      const iiif::FetchResult fetched = context.image_cache->get(volume.id);
      if (!fetched.ok()) {
        return volume_error(named, index, volume, fetched.problem->sentence.en, fetched.problem->sentence.zh_cn);
      }
      note_fetch_warning(context, fetched, named, volume.path);
      text.assign(reinterpret_cast<const char*>(fetched.fetched->body.data()), fetched.fetched->body.size());
      file = volume.id;
    } else {
      return volume_error(named, index, volume,
                          "no file beside the collection is named by its id, and it is not a web address",
                          "集合旁没有其 id 所指的文件，且它不是网址");
    }
    std::vector<Finding> findings;
    std::optional<iiif::Manifest> manifest = iiif::parse_manifest(text, file, findings);
    if (!manifest) {
      return volume_error(named, index, volume, "its manifest has the problems below", "其清单有下列问题",
                          std::move(findings));
    }
    volumes.push_back(std::move(*manifest));
  }
  return iiif::join_volumes(collection, std::move(volumes), named);
}

// A folder of scans without a book.json is described by the exhibit's own title.
std::string folder_description(const ExhibitSource& exhibit) {
  const nlohmann::json description = {{"title", {{"zh-CN", exhibit.metadata.title.zh_cn}, {"en", exhibit.metadata.title.en}}}};
  return description.dump();
}

// Reads the book's source into `job`; its own findings keep their file and JSON path (a
// manifest's "items[3].items[0]…", book.json's "pages.p3.png.behavior").
Result<void> read_book_source(BuildContext& context, const ExhibitSource& exhibit, BookJob& job) {
  const BookSource& source = exhibit.book;
  std::vector<Finding> findings;
  std::optional<iiif::Document> document;
  std::string what;
  switch (source.from) {
    case BookSource::From::manifest_file: {
      what = fmt::format("reading the manifest {} ({})", source.manifest, book_path(exhibit, "manifest"));
      PV_TRY_ASSIGN(const auto bytes, read_file(source.manifest).add_context(what));
      context.report.used_files.push_back(source.manifest);
      job.source_file = source.manifest;
      document = iiif::parse_document(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                                      source.manifest, findings);
      break;
    }
    case BookSource::From::manifest_url: {
      what = fmt::format("reading the manifest {} ({})", source.manifest_url, book_path(exhibit, "manifest"));
      PV_TRY_ASSIGN(const std::string text, fetch_manifest(context, exhibit));
      job.source_file = source.manifest_url;
      document = iiif::parse_document(text, source.manifest_url, findings);
      break;
    }
    case BookSource::From::folder: {
      const std::filesystem::path description_file = source.folder / "book.json";
      what = fmt::format("reading the folder of scans {} ({})", source.folder, book_path(exhibit, "folder"));
      std::error_code error;
      std::string text;
      if (std::filesystem::is_regular_file(description_file, error)) {
        PV_TRY_ASSIGN(const auto bytes, read_file(description_file).add_context(what));
        text.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        context.report.used_files.push_back(description_file);
      } else {
        text = folder_description(exhibit);
      }
      job.source_file = description_file;
      auto folder = iiif::parse_scan_folder(text, description_file, source.folder, findings);
      if (folder) {
        job.files = std::move(folder->files);
        job.leaves_imaged_whole = folder->leaves_imaged_whole;
        for (const auto& [canvas, file] : job.files) context.report.used_files.push_back(file);
        document = std::move(folder->manifest);
      }
      break;
    }
  }
  if (!document || checking::has_errors(findings)) return checking::findings_error(std::move(what), findings);
  if (auto* collection = std::get_if<iiif::MultiPartCollection>(&*document)) {
    // The joined book's warnings hold the collection's and each volume's, each volume's named.
    const std::filesystem::path collection_file =
        source.from == BookSource::From::manifest_file ? source.manifest : std::filesystem::path();
    PV_TRY_ASSIGN(iiif::Manifest joined,
                  read_volumes(context, *collection, collection_file, job.source_file).add_context(what));
    findings = joined.warnings;
    document = std::move(joined);
  }
  for (const Finding& finding : findings) {
    if (finding.severity != Finding::Severity::error) context.report.notes.push_back(finding);
  }
  job.manifest = std::get<iiif::Manifest>(std::move(*document));
  return {};
}

std::string book_language(const ExhibitSource& exhibit) {
  return exhibit.book.language.empty() ? exhibit.metadata.language : exhibit.book.language;
}

book::ViewingDirection book_direction(const ExhibitSource& exhibit, const iiif::Manifest& manifest) {
  return exhibit.book.viewing_direction.value_or(manifest.viewing_direction);
}

// What Tesseract is told of a book whose curator asked for its text to be recognised: its
// language, and vertical columns for a Chinese book read right to left (the traditional layout;
// a Chinese book read left to right is set horizontally). A language Tesseract has no data for
// is the curator's to fix, at "recognise_text".
Result<page_text::RecognitionOptions> recognition_options(const BuildContext& context, const ExhibitSource& exhibit,
                                                          const iiif::Manifest& manifest) {
  page_text::RecognitionOptions options;
  options.language = book_language(exhibit);
  const auto data = page_text::tesseract_language(options.language, page_text::WritingDirection::horizontal);
  if (!data) {
    return Error(ErrorCode::invalid_input, fmt::format("{}: {}", context.source().file, book_path(exhibit, "recognise_text")),
                 data.error().why());
  }
  if (data->starts_with("chi_") && book_direction(exhibit, manifest) == book::ViewingDirection::right_to_left) {
    options.direction = page_text::WritingDirection::vertical_right_to_left;
  }
  return options;
}

// The curator's options against the pages now known: a start or an offset past the last page is
// an error at its place in scene.json.
Result<void> apply_options(BuildContext& context, const ExhibitSource& exhibit, BookJob& job) {
  const BookSource& source = exhibit.book;
  const size_t pages = job.manifest.canvases.size();
  if (source.start_page && *source.start_page >= pages) {
    return scene_error(context, book_path(exhibit, "start"),
                       fmt::format("the book starts at page {}, but it has {} pages", *source.start_page + 1, pages),
                       fmt::format("书从第 {} 页开始，但全书只有 {} 页", *source.start_page + 1, pages));
  }
  for (const auto& [page, offset] : source.page_spine_offsets) {
    if (page >= pages) {
      return scene_error(context, book_path(exhibit, fmt::format("spine_offsets.{}", page + 1)),
                         fmt::format("there is no page {}: the book has {} pages", page + 1, pages),
                         fmt::format("没有第 {} 页：全书只有 {} 页", page + 1, pages));
    }
  }
  for (const auto& [page, file] : source.files) {
    const bool names_a_page = std::ranges::any_of(job.manifest.canvases, [&](const iiif::Canvas& canvas) {
      return canvas.id == page || std::ranges::any_of(canvas.label.entries, [&](const iiif::LanguageMap::Entry& entry) {
               return std::ranges::find(entry.values, page) != entry.values.end();
             });
    });
    if (!names_a_page) {
      return scene_error(context, book_path(exhibit, fmt::format("files.{}", page)),
                         fmt::format("no page of the book has the canvas id or label '{}'; use a canvas's id or one of its labels "
                                     "as the manifest writes them",
                                     page),
                         fmt::format("书中没有画布 id 或标签为“{}”的页面；请使用清单中所写的画布 id 或页面标签", page));
    }
    job.files[page] = file;
    context.report.used_files.push_back(file);
  }
  for (size_t index = 0; index < source.notes.size(); ++index) {
    if (source.notes[index].page >= pages) {
      return scene_error(context, book_path(exhibit, fmt::format("annotations[{}].page", index)),
                         fmt::format("there is no page {}: the book has {} pages", source.notes[index].page + 1, pages),
                         fmt::format("没有第 {} 页：全书只有 {} 页", source.notes[index].page + 1, pages));
    }
  }
  if (source.leaves_imaged_whole) job.leaves_imaged_whole = *source.leaves_imaged_whole;
  if (source.recognise_text) {
    PV_TRY_ASSIGN(job.recognition, recognition_options(context, exhibit, job.manifest));
  }
  return {};
}

scene::TileFormat tile_format(pyramid::TileEncoding encoding) {
  switch (encoding) {
    case pyramid::TileEncoding::rgba8: return scene::TileFormat::rgba8_srgb;
    case pyramid::TileEncoding::bc1: return scene::TileFormat::bc1_srgb;
    case pyramid::TileEncoding::jpeg: return scene::TileFormat::jpeg;
    case pyramid::TileEncoding::webp: return scene::TileFormat::webp;
  }
  return scene::TileFormat::rgba8_srgb;
}

LocalizedText text_of(const iiif::LanguageMap& map) { return {map.best("zh-CN"), map.best("en")}; }

scene::BookMetadataPair pair_of(const iiif::MetadataPair& pair) { return {text_of(pair.label), text_of(pair.value)}; }

scene::PageRegion region_of(const iiif::Region& region) {
  return {static_cast<float>(region.x), static_cast<float>(region.y), static_cast<float>(region.width),
          static_cast<float>(region.height)};
}

// The table of contents, parents before children.
void add_ranges(const std::vector<iiif::Range>& ranges, int32_t parent, std::vector<scene::BookRange>& out) {
  for (const iiif::Range& range : ranges) {
    scene::BookRange entry{text_of(range.label), parent, {}};
    for (const size_t page : range.canvases) entry.pages.push_back(static_cast<uint32_t>(page));
    out.push_back(std::move(entry));
    add_ranges(range.children, static_cast<int32_t>(out.size() - 1), out);
  }
}

// Everything about the book but its pages' pictures.
scene::Book describe_book(const ExhibitSource& exhibit, const BookJob& job, const pyramid::PyramidOptions& tiles) {
  const iiif::Manifest& manifest = job.manifest;
  const BookSource& source = exhibit.book;
  scene::Book book;
  book.label = text_of(manifest.label);
  book.summary = text_of(manifest.summary);
  for (const iiif::MetadataPair& pair : manifest.metadata) book.metadata.push_back(pair_of(pair));
  if (manifest.required_statement) book.required_statement = pair_of(*manifest.required_statement);
  book.rights = manifest.rights;
  book.language = book_language(exhibit);
  book.direction = book_direction(exhibit, manifest);
  // A thread-bound book lies open in pairs whatever the manifest's default says.
  book.layout = source.thread_bound && manifest.layout == book::Layout::individuals ? book::Layout::paged : manifest.layout;
  book.thread_bound = source.thread_bound;
  book.leaves_imaged_whole = job.leaves_imaged_whole;
  book.start_page = static_cast<uint32_t>(source.start_page.value_or(manifest.start_canvas.value_or(0)));
  book.tile_size = tiles.tile_size;
  book.overlap = tiles.overlap;
  book.tile_format = tile_format(tiles.encoding);
  add_ranges(manifest.ranges, -1, book.ranges);
  for (size_t index = 0; index < manifest.canvases.size(); ++index) {
    const iiif::Canvas& canvas = manifest.canvases[index];
    scene::BookPage page;
    page.label = text_of(canvas.label);
    page.canvas_width = static_cast<uint32_t>(std::max(canvas.width, 0));
    page.canvas_height = static_cast<uint32_t>(std::max(canvas.height, 0));
    page.behavior = canvas.behavior;
    const bool two_halves = canvas.behavior == book::PageBehavior::facing_pages ||
                            (job.leaves_imaged_whole && canvas.behavior == book::PageBehavior::paged);
    if (two_halves) {
      const auto own = source.page_spine_offsets.find(static_cast<uint32_t>(index));
      page.spine_offset = own != source.page_spine_offsets.end() ? own->second : source.spine_offset;
    }
    for (const iiif::TextAnnotation& text : canvas.texts) {
      scene::PageAnnotation annotation{text.motivation, text.value, text.language, text.format, std::nullopt};
      if (text.target) annotation.region = region_of(*text.target);
      page.annotations.push_back(std::move(annotation));
    }
    book.pages.push_back(std::move(page));
  }
  for (const BookNote& note : source.notes) book.pages[note.page].annotations.push_back(note.annotation);
  return book;
}

// A page whose picture was not found: a blank leaf of its canvas's size (else its neighbours').
void make_placeholder(scene::Book& book, size_t index) {
  scene::BookPage& page = book.pages[index];
  page.placeholder = true;
  page.width = page.canvas_width;
  page.height = page.canvas_height;
  for (const scene::BookPage& other : book.pages) {
    if (page.width > 0 && page.height > 0) break;
    page.width = other.canvas_width;
    page.height = other.canvas_height;
  }
  if (page.width == 0 || page.height == 0) {
    page.width = 1000;  // an A-series page's shape, for a book that says nothing of its sizes
    page.height = 1414;
  }
}

// A page as the curator finds it: its number and, when it has one, its label.
LocalizedText page_named(const iiif::Canvas& canvas, size_t index) {
  const std::string en = canvas.label.best("en"), zh = canvas.label.best("zh-CN");
  return {zh.empty() ? fmt::format("第 {} 页", index + 1) : fmt::format("第 {} 页（“{}”）", index + 1, zh),
          en.empty() ? fmt::format("page {}", index + 1) : fmt::format("page {} (\"{}\")", index + 1, en)};
}

// A picture as the curator knows it: its label ("natural light") in quotes, else its URL.
LocalizedText picture_named(const iiif::Image& image) {
  const std::string en = image.label.best("en"), zh = image.label.best("zh-CN");
  return {zh.empty() ? image.id : fmt::format("“{}”", zh), en.empty() ? image.id : fmt::format("\"{}\"", en)};
}

// The pages a book-wide finding is about: the first few by number and how many in all, so that
// a book of 500 such pages gives one sentence, not 500 ("pages 1, 2, 3, 4, 5 and 495 more").
LocalizedText pages_named(const std::vector<size_t>& pages) {
  constexpr size_t named = 5;
  const size_t shown = std::min(pages.size(), named);
  std::string en, zh;
  for (size_t i = 0; i < shown; ++i) {
    const bool last_of_all = i + 1 == pages.size() && i > 0;
    en += fmt::format("{}{}", i == 0 ? "" : last_of_all ? " and " : ", ", pages[i] + 1);
    zh += fmt::format("{}{}", i == 0 ? "" : "、", pages[i] + 1);
  }
  if (pages.size() > named) {
    return {fmt::format("第 {} 页等共 {} 页", zh, pages.size()), fmt::format("pages {} and {} more", en, pages.size() - named)};
  }
  return {fmt::format("第 {} 页", zh), fmt::format("{} {}", pages.size() == 1 ? "page" : "pages", en)};
}

// Where a picture is painted on only part of its canvas; a canvas of no known size has no parts.
bool painted_on_part(const iiif::Canvas& canvas, const iiif::Image& image) {
  if (!image.target || canvas.width <= 0 || canvas.height <= 0) return false;
  const iiif::Region& at = *image.target;
  return at.x > 0 || at.y > 0 || at.x + at.width < canvas.width || at.y + at.height < canvas.height;
}

// A page of the package is one picture over the whole page: the first painting of its canvas, the
// first option of a Choice. What else the manifest paints is said here, not dropped in silence:
// a warning for each page painted with several pictures, and one for the whole book for its
// Choices and for pictures placed on part of a canvas (a book may have hundreds of such pages).
void warn_of_pictures_left_out(BuildContext& context, const BookJob& job) {
  const auto warn = [&](size_t page, const std::string& english, const std::string& chinese) {
    context.report.notes.push_back(
        {Finding::Severity::warning, job.source_file, fmt::format("canvases[{}]", page), english, chinese});
  };
  const std::vector<iiif::Canvas>& canvases = job.manifest.canvases;
  std::vector<size_t> choices, placed;
  for (size_t index = 0; index < canvases.size(); ++index) {
    const iiif::Canvas& canvas = canvases[index];
    if (canvas.placeholder()) continue;
    const iiif::Image& first = canvas.paintings.front().options.front();
    if (const size_t others = canvas.paintings.size() - 1; others > 0) {
      const LocalizedText page = page_named(canvas, index), picture = picture_named(first);
      warn(index,
           fmt::format("The manifest paints {} with {} pictures, but a page of the package shows one: it shows the first "
                       "({}) and leaves out the other {}. To show another, make it the canvas's first painting "
                       "annotation in the manifest, or join the pictures into one scan.",
                       page.en, others + 1, picture.en, others),
           fmt::format("清单中{}由 {} 幅图像绘制，但包中每页只显示一幅：显示第一幅（{}），其余 {} 幅已略去。"
                       "如需显示其他图像，请在清单中将其设为该画布的第一个 painting 注释，或将这些图像合成一幅扫描图。",
                       page.zh_cn, others + 1, picture.zh_cn, others));
    }
    if (canvas.paintings.front().options.size() > 1) choices.push_back(index);
    if (painted_on_part(canvas, first)) placed.push_back(index);
  }
  if (!choices.empty()) {
    const LocalizedText pages = pages_named(choices);
    const std::vector<iiif::Image>& options = canvases[choices.front()].paintings.front().options;
    LocalizedText left_out;
    for (size_t option = 1; option < options.size(); ++option) {
      const LocalizedText name = picture_named(options[option]);
      left_out.en += fmt::format("{}{}", option == 1 ? "" : ", ", name.en);
      left_out.zh_cn += fmt::format("{}{}", option == 1 ? "" : "、", name.zh_cn);
    }
    const LocalizedText shown = picture_named(options.front());
    warn(choices.front(),
         fmt::format("On {}, the manifest offers a choice of pictures, but the package shows only the first option of "
                     "each choice and leaves the others out (on page {} it shows {} and leaves out {}). To show "
                     "another option, put it first among the Choice's items in the manifest.",
                     pages.en, choices.front() + 1, shown.en, left_out.en),
         fmt::format("清单在{}提供了可选的多幅图像，但包中每组选项只显示第一项，其余已略去（第 {} 页显示{}，略去{}）。"
                     "如需显示其他选项，请在清单中将其排在该 Choice 的 items 首位。",
                     pages.zh_cn, choices.front() + 1, shown.zh_cn, left_out.zh_cn));
  }
  if (!placed.empty()) {
    const LocalizedText pages = pages_named(placed);
    const iiif::Canvas& canvas = canvases[placed.front()];
    const iiif::Region& at = *canvas.paintings.front().options.front().target;
    const std::string where = fmt::format("at x {}, y {}, {} × {} pixels of its {} × {}", at.x, at.y, at.width,
                                          at.height, canvas.width, canvas.height);
    const std::string where_zh = fmt::format("位于 x {}、y {}，{} × {} 像素，画布为 {} × {}", at.x, at.y, at.width,
                                             at.height, canvas.width, canvas.height);
    warn(placed.front(),
         fmt::format("On {}, the manifest paints the picture on only part of the canvas (on page {} {}), but the "
                     "package shows the picture as the whole page, without the rest of the canvas. To show the page "
                     "as the manifest places it, give it a scan of the whole canvas.",
                     pages.en, placed.front() + 1, where),
         fmt::format("清单在{}只把图像绘制在画布的一部分上（第 {} 页{}），但包中将该图像显示为整页，画布的其余部分不显示。"
                     "如需按清单的位置显示，请为该页提供整幅画布的扫描图。",
                     pages.zh_cn, placed.front() + 1, where_zh));
  }
}

// What of its picture a page shows: the painting's region of the full image and its quarter turns.
// The page is that region, turned, before it is tiled, so the kiosk draws it as any other page.
struct ShownPart {
  std::optional<iiif::Region> region;  // in the full image's pixels; empty: all of it
  int full_width = 0, full_height = 0;  // the full image's size as the manifest gives it; 0: not given
  int quarter_turns = 0;

  bool whole() const { return !region && quarter_turns == 0; }
};

ShownPart shown_part(const iiif::Image& painted, const iiif::PageImage& picture) {
  // An Image API request fetched as it is comes already cut and turned; every other way finds the full image.
  if (painted.cut_in_id && picture.source == iiif::PageImage::Source::url) return {};
  return {painted.region, painted.width, painted.height, painted.quarter_turns()};
}

// The region in the picture's own pixels: a picture smaller or larger than the manifest's full size
// (a library's copy at another resolution) is cut at the same place of the page.
std::optional<pyramid::ScanRegion> region_in_pixels(const ShownPart& shown, uint32_t width, uint32_t height) {
  if (!shown.region) return std::nullopt;
  const double sx = shown.full_width > 0 ? static_cast<double>(width) / shown.full_width : 1.0;
  const double sy = shown.full_height > 0 ? static_cast<double>(height) / shown.full_height : 1.0;
  const auto at = [](double value) { return static_cast<uint32_t>(std::clamp(std::llround(value), 0LL, 1LL << 31)); };
  const uint32_t x = at(shown.region->x * sx), y = at(shown.region->y * sy);
  return pyramid::ScanRegion{x, y, std::max(at((shown.region->x + shown.region->width) * sx) - x, 1u),
                             std::max(at((shown.region->y + shown.region->height) * sy) - y, 1u)};
}

std::string page_settings_text(const pyramid::PyramidOptions& tiles, int compression_level, const ShownPart& shown) {
  std::string text = fmt::format("{} tile={} overlap={} encoding={} quality={} zstd={}", tool_version, tiles.tile_size,
                                 tiles.overlap, pyramid::to_string(tiles.encoding), tiles.quality, compression_level);
  if (shown.region) {
    text += fmt::format(" region={},{},{},{} of {}x{}", shown.region->x, shown.region->y, shown.region->width,
                        shown.region->height, shown.full_width, shown.full_height);
  }
  if (shown.quarter_turns != 0) text += fmt::format(" turns={}", shown.quarter_turns);
  return text;
}

// One page's pyramid, from the cache or built, its tiles added to the package.
// Where a page's picture is read from: a local scan's own file, tiles stitched on disk, or (for a
// picture fetched whole and held in memory) `scratch_file`, which the caller writes it to.
std::filesystem::path fetched_file(const iiif::PageImage& image, const std::filesystem::path& scratch_file) {
  if (!image.stitched_file.empty()) return image.stitched_file;
  const bool fetched = image.source == iiif::PageImage::Source::image_service || image.source == iiif::PageImage::Source::url;
  return fetched ? scratch_file : std::filesystem::path(image.origin);
}

Result<void> tile_page(BuildContext& context, const iiif::PageImage& image, const ShownPart& shown,
                       const pyramid::PyramidOptions& tiles, const std::filesystem::path& scratch_file,
                       scene::BookPage& page) {
  const ContentHash key =
      cache_key("page tiles", std::as_bytes(std::span(image.hash.bytes)), page_settings_text(tiles, context.options.compression_level, shown));
  bool cached = false;
  if (auto entry = context.cache.load_page_tiles(key)) {
    page.width = entry->width;
    page.height = entry->height;
    page.levels = std::move(entry->levels);
    page.tiles = std::move(entry->tiles);
    for (auto& blob : entry->blobs) context.writer.add(std::move(blob));
    cached = true;
  } else {
    // The pyramid streams a file: a fetched picture is written to one first (tiles stitched on
    // disk already are).
    std::filesystem::path scan = fetched_file(image, scratch_file);
    if (scan == scratch_file) PV_TRY(write_file_atomic(scan, image.bytes));
    PV_TRY_ASSIGN(std::unique_ptr<pyramid::ScanReader> reader, pyramid::open_scan(scan));
    if (!shown.whole()) {
      const auto region = region_in_pixels(shown, reader->width(), reader->height());
      PV_TRY_ASSIGN(reader, pyramid::view_scan(std::move(reader), region, shown.quarter_turns));
    }
    CachedPageTiles built;
    built.width = reader->width();
    built.height = reader->height();
    const auto levels = scene::page_levels(built.width, built.height, tiles.tile_size);
    size_t tile_count = 0;
    for (const scene::PageLevel& level : levels) tile_count += size_t{level.columns} * level.rows;
    built.tiles.resize(tile_count);
    std::vector<package::PreparedBlob> blobs(tile_count);
    scene::BookPage shape;
    shape.levels = levels;
    PV_TRY(pyramid::build_pyramid(*reader, tiles, [&](pyramid::EncodedTile&& tile) -> Result<void> {
      const size_t index = scene::tile_index(shape, tile.id.level, tile.id.column, tile.id.row);
      blobs[index] = package::prepare_blob(package::BlobKind::page_tile, tile.bytes, context.options.compression_level);
      built.tiles[index] = blobs[index].entry.hash;
      return {};
    }));
    if (scan == scratch_file) std::filesystem::remove(scratch_file);
    built.levels = levels;
    built.blobs = std::move(blobs);
    context.cache.store_page_tiles(key, built);
    page.width = built.width;
    page.height = built.height;
    page.levels = std::move(built.levels);
    page.tiles = std::move(built.tiles);
    for (auto& blob : built.blobs) context.writer.add(std::move(blob));
  }
  std::lock_guard lock(context.report_mutex);
  ++(cached ? context.report.assets_from_cache : context.report.assets_processed);
  return {};
}

void add_lines(const page_text::PageText& text, scene::BookPage& page) {
  for (const page_text::Line& line : text.lines) {
    page.lines.push_back({line.text,
                          {static_cast<float>(line.region.x), static_cast<float>(line.region.y),
                           static_cast<float>(line.region.width), static_cast<float>(line.region.height)},
                          line.direction == page_text::WritingDirection::vertical_right_to_left, line.language});
  }
}

// The page's lines from an ALTO or hOCR file its canvas names: found beside the scans by name,
// else fetched. A file that cannot be read is a warning: the page is still shown.
void read_page_lines(BuildContext& context, const ExhibitSource& exhibit, const iiif::Canvas& canvas, size_t index,
                     scene::BookPage& page) {
  for (const iiif::Link& link : canvas.see_also) {
    if (link.text == iiif::Link::Text::none) continue;
    const page_text::PixelSize size{page.width, page.height};
    std::optional<Result<page_text::PageText>> text;
    LocalizedText why;  // why no file could be read: the server's answer, or where it was looked for
    const std::filesystem::path local = exhibit.book.folder.empty() ? std::filesystem::path() : exhibit.book.folder / iiif::last_segment(link.id);
    std::error_code error;
    if (!local.empty() && std::filesystem::is_regular_file(local, error)) {
      text = page_text::read_page_text_file(local, size);
    } else if (context.image_cache && (link.id.starts_with("http://") || link.id.starts_with("https://"))) {
      const iiif::FetchResult fetched = context.image_cache->get(link.id);
      if (fetched.ok()) {
        const std::string_view body(reinterpret_cast<const char*>(fetched.fetched->body.data()), fetched.fetched->body.size());
        text = link.text == iiif::Link::Text::alto ? page_text::read_alto(body, link.id, size) : page_text::read_hocr(body, link.id, size);
      } else {
        why = {fetched.problem->sentence.zh_cn, fetched.problem->sentence.en};
      }
    } else {
      why = {fmt::format("书的文件夹中没有名为 {} 的文件，且它不是网址", iiif::last_segment(link.id)),
             fmt::format("no file named {} is in the book's folder, and it is not a web address", iiif::last_segment(link.id))};
    }
    if (text && !*text) why = {text->error().why(), text->error().why()};  // the readers' sentences hold both languages
    if (!text || !*text) {
      context.report.notes.push_back(
          {Finding::Severity::warning, context.source().file, book_path(exhibit, ""),
           fmt::format("the text of page {} ({}) could not be read, so it is packed without it: {}", index + 1, link.id, why.en),
           fmt::format("第 {} 页的文字（{}）无法读取，该页将不带文字打包：{}", index + 1, link.id, why.zh_cn)});
      continue;
    }
    add_lines(**text, page);
    return;
  }
}

bool names_its_text(const iiif::Canvas& canvas) {
  return std::ranges::any_of(canvas.see_also, [](const iiif::Link& link) { return link.text != iiif::Link::Text::none; });
}

// The lines of a page whose canvas names no text, recognised by Tesseract from its picture as
// it was tiled (`scan`: the file the pyramid streamed), or from the cache when the picture and
// the recogniser are unchanged. A page Tesseract cannot read is a warning: it is packed without
// text, as read_page_lines does.
void recognise_page_lines(BuildContext& context, const ExhibitSource& exhibit,
                          const page_text::RecognitionOptions& options, const iiif::PageImage& image,
                          const ShownPart& shown, const std::filesystem::path& scratch_file, size_t index,
                          scene::BookPage& page) {
  const bool vertical = options.direction == page_text::WritingDirection::vertical_right_to_left;
  const std::string settings = fmt::format("{} language={} vertical={}", tool_version, options.language, vertical);
  const ContentHash key = cache_key("page text", std::as_bytes(std::span(image.hash.bytes)), settings);
  if (auto lines = context.cache.load_page_lines(key)) {
    page.lines = std::move(*lines);
    std::lock_guard lock(context.report_mutex);
    ++context.report.assets_from_cache;
    return;
  }
  Result<page_text::PageText> text =
      Error(ErrorCode::unsupported, "recognising the page's text",
            "the page shows a cut or turned part of its picture, which Tesseract is not given; supply the page's text "
            "as ALTO or hOCR / 该页显示的是图像的裁切或旋转部分，无法交给 Tesseract 识别；请以 ALTO 或 hOCR 提供页面文字");
  if (shown.whole()) {
    // A fetched picture is on disk only while it is tiled: it is written out again for Tesseract.
    const std::filesystem::path picture = fetched_file(image, scratch_file);
    const auto written = picture == scratch_file ? write_file_atomic(scratch_file, image.bytes) : Result<void>();
    text = written ? page_text::recognise(picture, options) : Result<page_text::PageText>(written.error());
    if (picture == scratch_file) std::filesystem::remove(scratch_file);
  }
  std::lock_guard lock(context.report_mutex);
  if (!text) {
    context.report.notes.push_back(
        {Finding::Severity::warning, context.source().file, book_path(exhibit, "recognise_text"),
         fmt::format("the text of page {} could not be recognised, so it is packed without it: {}", index + 1,
                     text.error().describe()),
         fmt::format("第 {} 页的文字无法识别，该页将不带文字打包：{}", index + 1, text.error().describe())});
    return;
  }
  add_lines(*text, page);
  context.cache.store_page_lines(key, page.lines);
  ++context.report.assets_processed;
}

// espeak-ng's voice for a line: Mandarin for Chinese (by its language, else by its characters),
// English for anything else.
std::string_view voice_for(const scene::PageTextLine& line, const scene::Book& book) {
  const std::string_view language = line.language.empty() ? std::string_view(book.language) : std::string_view(line.language);
  for (const std::string_view chinese : {"zh", "lzh", "cmn"}) {
    if (language == chinese || language.starts_with(std::string(chinese) + "-")) return "cmn";
  }
  if (!language.empty()) return "en-us";
  const bool cjk = std::ranges::any_of(line.text, [](char byte) { return static_cast<unsigned char>(byte) >= 0xE3; });
  return cjk ? "cmn" : "en-us";
}

// Every page with text read aloud, a line at a time, for the kiosk's audio-only mode: the lines
// said one after another with a pause between them, in one sound per page, and when each is
// heard. A line espeak-ng cannot say is a warning and leaves the book unread from there on.
void read_pages_aloud(BuildContext& context, const ExhibitSource& exhibit, size_t exhibit_index, scene::Book& book) {
  if (!exhibit.book.read_aloud) return;
  constexpr double pause_seconds = 0.45;
  for (size_t index = 0; index < book.pages.size(); ++index) {
    scene::BookPage& page = book.pages[index];
    if (page.lines.empty()) continue;
    scene::Sound sound{0, 1, {}};
    std::vector<scene::SpokenLine> spoken;
    for (const scene::PageTextLine& line : page.lines) {
      recite::ReciteOptions voice;
      voice.voice = voice_for(line, book);
      voice.words_per_minute = voice.voice == "cmn" ? 120 : 150;
      Result<recite::Speech> said = line.text.find_first_not_of(" \t") == std::string::npos
                                        ? Result<recite::Speech>(recite::Speech{sound.sample_rate, {}})
                                        : recite::speak(line.text, voice);
      if (!said) {
        context.report.notes.push_back(
            {Finding::Severity::warning, context.source().file, book_path(exhibit, "read_aloud"),
             fmt::format("page {} could not be read aloud, so the book is read only up to it in audio-only mode: {}", index + 1,
                         said.error().describe()),
             fmt::format("第 {} 页无法朗读，语音模式下本书只朗读到此页之前：{}", index + 1, said.error().describe())});
        return;
      }
      if (sound.sample_rate == 0) sound.sample_rate = said->sample_rate;
      const double rate = sound.sample_rate > 0 ? sound.sample_rate : 1.0;
      const auto start = static_cast<float>(static_cast<double>(sound.samples.size()) / rate);
      sound.samples.insert(sound.samples.end(), said->samples.begin(), said->samples.end());
      spoken.push_back({start, static_cast<float>(static_cast<double>(sound.samples.size()) / rate)});
      sound.samples.resize(sound.samples.size() + static_cast<size_t>(pause_seconds * rate), 0);
    }
    if (sound.sample_rate == 0) continue;  // nothing but blank lines
    package::PreparedBlob blob =
        package::prepare_blob(package::BlobKind::audio, scene::encode_sound(sound), context.options.compression_level);
    page.reading = static_cast<uint32_t>(context.tables.audio.size());
    page.spoken_lines = std::move(spoken);
    context.tables.audio.push_back({fmt::format("{} (page {} read aloud, espeak-ng)", exhibit.id, index + 1), blob.entry.hash,
                                    sound.sample_rate, 1, sound.frames(), exhibit.placement.position, 1.0f, false,
                                    static_cast<uint32_t>(exhibit_index), {}});
    context.writer.add(std::move(blob));
    context.report.audio_seconds += sound.seconds();
  }
}

}  // namespace

Result<void> read_books(BuildContext& context) {
  const SceneSource& source = context.source();
  for (size_t index = 0; index < source.exhibits.size(); ++index) {
    const ExhibitSource& exhibit = source.exhibits[index];
    if (exhibit.kind != scene::ExhibitKind::book) continue;
    BookJob job;
    job.exhibit = index;
    PV_TRY(read_book_source(context, exhibit, job));
    PV_TRY(apply_options(context, exhibit, job));
    context.books.push_back(std::move(job));
  }
  return {};
}

Result<void> tile_books(BuildContext& context) {
  pyramid::PyramidOptions tiles;
  const uint32_t workers = context.options.jobs == 0 ? processor_count() : context.options.jobs;
  size_t pages = 0;
  for (const BookJob& job : context.books) pages += job.manifest.canvases.size();
  context.stage("book pages", pages);
  for (size_t book_index = 0; book_index < context.books.size(); ++book_index) {
    BookJob& job = context.books[book_index];
    const ExhibitSource& exhibit = context.source().exhibits[job.exhibit];
    // Pages are tiled side by side, a worker each; a book of fewer pages than workers (a single
    // great map) shares the rest among its pages' encoders. The tiles never depend on it.
    const size_t pages_at_once = std::clamp<size_t>(job.manifest.canvases.size(), 1, workers);
    tiles.threads = std::max<uint32_t>(1, workers / static_cast<uint32_t>(pages_at_once));
    job.book = describe_book(exhibit, job, tiles);
    warn_of_pictures_left_out(context, job);
    iiif::PageImageOptions image_options;
    image_options.files = job.files;
    if (exhibit.book.from != BookSource::From::folder) {
      image_options.folder = exhibit.book.folder;
      PV_TRY(open_image_cache(context));
      image_options.cache = context.image_cache.get();
      // A server's page too large to hold is stitched to disk beside the fetched pictures.
      image_options.scratch = context.book_scratch / "stitched";
      image_options.max_held_pixels = context.options.max_held_page_pixels;
    }
    if (!context.book_scratch.empty()) std::filesystem::create_directories(context.book_scratch);
    // One page's picture at a time, so a book of large scans is never all in memory; finding them
    // takes turns, as the image cache is used by one thread at a time.
    std::mutex finding;
    PV_TRY(parallel_for(job.manifest.canvases.size(), context.options.jobs, [&](size_t page) -> Result<void> {
      iiif::PageImages images;
      {
        std::lock_guard lock(finding);
        iiif::Manifest one_page;
        one_page.canvases = {job.manifest.canvases[page]};
        // Only the first painting is shown (warn_of_pictures_left_out): the others are not fetched.
        auto& painted = one_page.canvases[0].paintings;
        if (painted.size() > 1) painted.erase(painted.begin() + 1, painted.end());
        images = iiif::resolve_page_images(one_page, image_options);
        std::lock_guard report_lock(context.report_mutex);
        for (Finding warning : images.warnings) {
          if (warning.file.empty()) warning.file = job.source_file;
          if (warning.location.starts_with("canvases[0]")) {
            warning.location = fmt::format("canvases[{}]{}", page, warning.location.substr(11));
          }
          context.report.notes.push_back(std::move(warning));
        }
      }
      const auto& paintings = images.canvases[0].paintings;
      scene::BookPage& out = job.book.pages[page];
      if (paintings.empty() || !paintings.front()) {
        make_placeholder(job.book, page);
      } else {
        const iiif::PageImage& image = *paintings.front();
        if (image.source == iiif::PageImage::Source::mapped || image.source == iiif::PageImage::Source::folder) {
          std::lock_guard lock(context.report_mutex);
          context.report.used_files.push_back(image.origin);
        }
        const auto scratch_file = context.book_scratch / fmt::format("{}-{}.scan", book_index, page);
        const ShownPart shown = shown_part(job.manifest.canvases[page].paintings.front().options.front(), image);
        PV_TRY(tile_page(context, image, shown, tiles, scratch_file, out)
                   .add_context(fmt::format("{}: {}: page {} ({})", context.source().file, book_path(exhibit, ""), page + 1,
                                            image.origin)));
        if (job.recognition && !names_its_text(job.manifest.canvases[page])) {
          recognise_page_lines(context, exhibit, *job.recognition, image, shown,
                               context.book_scratch / fmt::format("{}-{}.text-scan", book_index, page), page, out);
        }
        // Tiles stitched on disk may be gigabytes: gone once the page is tiled.
        if (!image.stitched_file.empty()) {
          std::error_code ignored;
          std::filesystem::remove(image.stitched_file, ignored);
          const std::lock_guard lock(context.report_mutex);
          ++context.report.pages_stitched_on_disk;
        }
      }
      context.step(out.label.en.empty() ? out.label.zh_cn : out.label.en);
      return {};
    }));
    // After the pictures, on this thread: the image cache is used by one thread at a time.
    for (size_t page = 0; page < job.book.pages.size(); ++page) {
      read_page_lines(context, exhibit, job.manifest.canvases[page], page, job.book.pages[page]);
    }
    read_pages_aloud(context, exhibit, job.exhibit, job.book);
  }
  return {};
}

}  // namespace pavilion::pack::stages
