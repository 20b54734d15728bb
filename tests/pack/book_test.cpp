// Book exhibits (#17 items 1–2): a folder of scans or a IIIF manifest packed into page tiles and
// the scene tables, read back through the loader and BookTileReader; re-packing after one page
// changed; malformed sources, a missing image and the curator's options; pictures a page cannot
// show (a second painting, a Choice's other options, a picture placed on part of a canvas) warned of;
// a multi-part collection whose volumes lie beside it packed as one book, and one missing a volume refused.
#include "pavilion/core/file.h"
#include "pavilion/core/parallel.h"
#include "pavilion/core/png.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/commands.h"
#include "pavilion/package/reader.h"
#include "pavilion/pyramid/pyramid.h"
#include "pavilion/pyramid/scan_view.h"
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/scene/book_pages.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/scene_tables.h"
#include "rendered_page.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <set>

namespace pavilion::pack {
namespace {

namespace fs = std::filesystem;

// A page of a book: ink-like strokes on paper, different on every page (so pages share no tiles
// but the plain paper's), `variant` changing a page's strokes for a new scan of it.
ImageRgba8 page_scan(uint32_t page, uint32_t variant = 0, uint32_t width = 600, uint32_t height = 800) {
  ImageRgba8 image(width, height);
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      uint8_t* pixel = image.at(x, y);
      const uint32_t stroke = (x * 7 + y * 3 + page * 131 + variant * 17) % 97;
      const bool ink = stroke < 9 && ((x / 40 + y / 60 + page) % 3 != 0);
      pixel[0] = ink ? 40 : static_cast<uint8_t>(226 - (x + y + page) % 9);
      pixel[1] = ink ? 32 : static_cast<uint8_t>(212 - (x + 2 * y) % 7);
      pixel[2] = ink ? 30 : 180;
      pixel[3] = 255;
    }
  }
  return image;
}

void write_text_file(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  ASSERT_TRUE(write_file_atomic(path, std::as_bytes(std::span(text.data(), text.size()))).ok());
}

std::string scene_json(std::string_view book) {
  return fmt::format(R"({{
  "id": "books", "version": "1", "title": {{"zh-CN": "善本", "en": "Rare books"}},
  "viewpoints": [{{"position": [0, 1.6, 2], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "wenxuan", "kind": "book", "position": [0, 1, 0], "rotation": [0, 30, 0],
    "metadata": {{"title": {{"zh-CN": "文选", "en": "Selections of Refined Literature"}}, "language": "lzh",
                 "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
    "alt_text": {{"zh-CN": "一部线装书。", "en": "A thread-bound book."}},
    "book": {}}}]
}})",
                     book);
}

// A Presentation 3 manifest of `pages` canvases, each painted with images/pN.png (by file name).
std::string manifest_json(size_t pages, std::string_view image_base = "https://library.example/scans/") {
  std::string canvases;
  for (size_t page = 1; page <= pages; ++page) {
    canvases += fmt::format(R"({}{{"id": "https://library.example/c{}", "type": "Canvas", "width": 600, "height": 800,
      "label": {{"zh": ["第{}叶"], "en": ["Leaf {}"]}},
      "items": [{{"id": "https://library.example/c{}/p", "type": "AnnotationPage", "items": [
        {{"id": "https://library.example/c{}/a", "type": "Annotation", "motivation": "painting",
         "target": "https://library.example/c{}",
         "body": {{"id": "{}p{}.png", "type": "Image", "format": "image/png", "width": 600, "height": 800}}}}]}}],
      "annotations": [{{"id": "https://library.example/c{}/n", "type": "AnnotationPage", "items": [
        {{"id": "https://library.example/c{}/n1", "type": "Annotation", "motivation": "commenting",
         "target": "https://library.example/c{}#xywh=10,20,300,40",
         "body": {{"type": "TextualBody", "value": "朱批 {}", "language": "zh", "format": "text/plain"}}}}]}}]}})",
                            page == 1 ? "" : ",", page, page, page, page, page, page, image_base, page, page, page,
                            page, page);
  }
  return fmt::format(R"({{
  "@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/manifest", "type": "Manifest",
  "label": {{"zh": ["文选"], "en": ["Wenxuan"]}},
  "summary": {{"en": ["A Song edition."]}},
  "metadata": [{{"label": {{"en": ["Date"], "zh": ["年代"]}}, "value": {{"none": ["1127–1279"]}}}}],
  "requiredStatement": {{"label": {{"en": ["Attribution"]}}, "value": {{"en": ["Held by the Library"]}}}},
  "rights": "http://rightsstatements.org/vocab/NoC-NC/1.0/",
  "behavior": ["paged"],
  "items": [{}],
  "structures": [{{"id": "https://library.example/r1", "type": "Range", "label": {{"en": ["Chapter one"]}},
    "items": [{{"id": "https://library.example/c1", "type": "Canvas"}}, {{"id": "https://library.example/c2", "type": "Canvas"}}]}}]
}})",
                     canvases);
}

class Books : public ::testing::Test {
 protected:
  // Writes scene.json with `book` as the exhibit's book, and pages 1..count as scans/pN.png.
  void write_scene(std::string_view book, size_t pages, std::string_view folder = "scans") {
    write_text_file(scene_ / "scene.json", scene_json(book));
    fs::create_directories(scene_ / folder);
    const auto written = parallel_for(pages, 0, [&](size_t page) {
      return write_png(scene_ / folder / fmt::format("p{}.png", page + 1), page_scan(static_cast<uint32_t>(page + 1)));
    });
    ASSERT_TRUE(written.ok()) << written.error().describe();
  }

  Result<BuildReport> build(const fs::path& output) {
    BuildOptions options;
    options.scene_directory = scene_;
    options.output = output;
    options.cache_directory = folder_.path() / "cache";
    options.thumbnails = false;
    options.jobs = 2;
    return build_package(options);
  }

  Result<BuildReport> lint() {
    BuildOptions options;
    options.scene_directory = scene_;
    options.thumbnails = false;
    return build_package(options);
  }

  testing::TemporaryFolder folder_;
  fs::path scene_ = folder_.path() / "books";
  package::TrustPolicy developer{{}, true, false};
};

std::set<ContentHash> page_tiles_of(const package::PackageReader& package) {
  std::set<ContentHash> tiles;
  for (const auto& entry : package.index()) {
    if (entry.kind == package::BlobKind::page_tile) tiles.insert(entry.hash);
  }
  return tiles;
}

TEST_F(Books, AFolderOfScansPacksIntoTilesAndTablesTheLoaderGivesBack) {
  write_text_file(scene_ / "scans" / "book.json", R"({"title": {"zh-CN": "文选", "en": "Wenxuan"},
    "viewingDirection": "right-to-left", "pages": {"p1.png": {"label": {"zh-CN": "封面", "en": "Cover"}}}})");
  write_scene(R"({"folder": "scans", "thread_bound": true, "start": 2, "spine_offset": 0.02})", 3);
  const auto report = build(folder_.path() / "books.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->assets_processed, 3u);

  const auto package = package::PackageReader::open(folder_.path() / "books.pvpkg", developer);
  ASSERT_TRUE(package.ok()) << package.error().describe();
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->books.size(), 1u);
  const scene::Book& book = loaded->books[0];
  EXPECT_EQ(loaded->exhibits.at(book.exhibit).id, "wenxuan");
  EXPECT_EQ(loaded->exhibits.at(book.exhibit).kind, scene::ExhibitKind::book);
  EXPECT_EQ(book.direction, book::ViewingDirection::right_to_left);
  EXPECT_TRUE(book.thread_bound);
  EXPECT_EQ(book.layout, book::Layout::paged);
  EXPECT_EQ(book.start_page, 1u);
  EXPECT_EQ(book.language, "lzh");
  EXPECT_EQ(book.label.en, "Wenxuan");
  ASSERT_EQ(book.pages.size(), 3u);
  EXPECT_EQ(book.pages[0].label.zh_cn, "封面");
  EXPECT_EQ(book.pages[0].spine_offset, 0.0f);  // a page of one picture per page has no fold in it
  EXPECT_EQ(book.tile_format, scene::TileFormat::bc1_srgb);
  // Right to left, the first page alone on the left: engine/book's openings from what was stored.
  const book::Openings openings = book.openings();
  ASSERT_FALSE(openings.sequence.empty());
  EXPECT_EQ(openings.direction, book::ViewingDirection::right_to_left);
  EXPECT_EQ(openings.sequence[0].left, (book::PagePart{0, book::PagePart::Part::whole}));
  EXPECT_FALSE(openings.sequence[0].right.has_value());
  // The book's node says where the curator put it.
  const auto node = std::find_if(loaded->tree.nodes.begin(), loaded->tree.nodes.end(),
                                 [](const scene::Node& candidate) { return candidate.name == "wenxuan"; });
  ASSERT_NE(node, loaded->tree.nodes.end());
  EXPECT_EQ(node->local.translation, glm::vec3(0, 1, 0));

  // The tables round-trip: what was decoded encodes to the same bytes.
  const auto index = (*package)->index();
  for (uint32_t blob = 0; blob < index.size(); ++blob) {
    if (index[blob].kind != package::BlobKind::scene) continue;
    const auto bytes = (*package)->read_blob(blob);
    ASSERT_TRUE(bytes.ok());
    const auto tables = scene::decode_scene_tables(*bytes);
    ASSERT_TRUE(tables.ok()) << tables.error().describe();
    EXPECT_EQ(scene::encode_scene_tables(*tables), *bytes);
    EXPECT_EQ(tables->books[0], book);
  }

  // inspect counts the tiles on one line instead of listing each.
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  CommandContext command;
  command.out = out;
  ASSERT_TRUE(command_inspect(command, folder_.path() / "books.pvpkg").ok());
  std::rewind(out);
  std::string inspected;
  for (int c = std::fgetc(out); c != EOF; c = std::fgetc(out)) inspected += static_cast<char>(c);
  std::fclose(out);
  EXPECT_NE(inspected.find(fmt::format("{} page tiles of the books", page_tiles_of(**package).size())), std::string::npos)
      << inspected;
  EXPECT_EQ(inspected.find("page tile  "), inspected.rfind("page tile  ")) << inspected;

  // Every tile read back is the pyramid's tile of the same scan, and decodes to its pixels.
  const scene::BookPage& page = book.pages[1];
  EXPECT_EQ(page.width, 600u);
  EXPECT_EQ(page.height, 800u);
  EXPECT_EQ(page.levels, scene::page_levels(600, 800, 254));
  const auto scan = pyramid::open_scan(scene_ / "scans" / "p2.png");
  ASSERT_TRUE(scan.ok());
  std::vector<pyramid::EncodedTile> expected;
  ASSERT_TRUE(pyramid::build_pyramid(**scan, {}, [&](pyramid::EncodedTile&& tile) -> Result<void> {
                expected.push_back(std::move(tile));
                return {};
              }).ok());
  ASSERT_EQ(expected.size(), page.tiles.size());
  const scene::BookTileReader reader(**package, *loaded);
  for (const pyramid::EncodedTile& tile : expected) {
    const scene::TileKey key{0, 1, tile.id.level, tile.id.column, tile.id.row};
    const auto bytes = reader.read(key);
    ASSERT_TRUE(bytes.ok()) << bytes.error().describe();
    EXPECT_EQ(*bytes, tile.bytes);
    const scene::TileRect rect = scene::tile_rect(book, page, tile.id.level, tile.id.column, tile.id.row);
    EXPECT_EQ(rect, (scene::TileRect{tile.x, tile.y, tile.width, tile.height}));
    const auto count = reader.byte_count(key);
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, scene::tile_byte_count(book.tile_format, rect));
  }
  // The same tiles as deep zoom reads them (PageTileSource).
  const scene::PackageBookPages pages(**package, *loaded, 0);
  ASSERT_EQ(pages.page_count(), 3u);
  const scene::PageShape shape = pages.page_shape(1);
  EXPECT_EQ(shape.width, 600u);
  EXPECT_EQ(shape.height, 800u);
  EXPECT_EQ(shape.format, scene::PageTileFormat::bc1);
  EXPECT_EQ(scene::page_level_count(shape), page.levels.size());
  for (const pyramid::EncodedTile& tile : expected) {
    std::vector<std::byte> bytes(scene::page_tile_bytes(shape.format, tile.width, tile.height));
    ASSERT_TRUE(pages.read_tile({1, tile.id.level, tile.id.column, tile.id.row}, bytes).ok());
    EXPECT_EQ(bytes, tile.bytes);
  }

  const pyramid::EncodedTile& corner = expected.back();  // the coarsest level: the whole page
  const auto read = reader.read({0, 1, corner.id.level, 0, 0});
  ASSERT_TRUE(read.ok());
  const auto decoded = pyramid::decode_tile(*read, pyramid::TileEncoding::bc1, corner.width, corner.height);
  ASSERT_TRUE(decoded.ok());
  const auto reference = pyramid::decode_tile(corner.bytes, pyramid::TileEncoding::bc1, corner.width, corner.height);
  EXPECT_EQ(decoded->pixels, reference->pixels);
}

// A tile whose blob the package lacks, or whose blob is another tile's of another size, is an
// error value naming the book, also read through a scene of the book alone, without the scene's
// exhibits: the kiosk's deep zoom reads so, on the renderer's worker threads, where a throw from
// building the message would end the program.
TEST_F(Books, ABadTileReferenceIsAnErrorEvenInASceneOfBooksAlone) {
  write_scene(R"({"folder": "scans"})", 1);
  ASSERT_TRUE(build(folder_.path() / "books.pvpkg").ok());
  const auto package = package::PackageReader::open(folder_.path() / "books.pvpkg", developer);
  ASSERT_TRUE(package.ok()) << package.error().describe();
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->books.size(), 1u);

  scene::Scene whole = *loaded;
  scene::BookPage& page = whole.books[0].pages[0];
  const uint32_t coarsest = static_cast<uint32_t>(page.levels.size() - 1);
  page.tiles[scene::tile_index(page, 0, 1, 0)] = ContentHash{};
  page.tiles[scene::tile_index(page, 0, 0, 0)] = page.tiles[scene::tile_index(page, coarsest, 0, 0)];
  scene::Scene books_alone;
  books_alone.books = whole.books;

  for (const scene::Scene* scene : {&whole, &books_alone}) {
    const std::string book = scene == &whole ? "book 'wenxuan'" : "book 1 of the scene";
    const scene::BookTileReader reader(**package, *scene);
    const auto missing = reader.read({0, 0, 0, 1, 0});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().describe().find(fmt::format("tile 0/1/0 of page 1 of {} refers to a blob", book)),
              std::string::npos)
        << missing.error().describe();
    const auto wrong_size = reader.byte_count({0, 0, 0, 0, 0});
    ASSERT_FALSE(wrong_size.ok());
    EXPECT_NE(wrong_size.error().describe().find(fmt::format("tile 0/0/0 of page 1 of {} should hold", book)),
              std::string::npos)
        << wrong_size.error().describe();
    std::vector<std::byte> bytes(scene::page_tile_bytes(scene::PageTileFormat::bc1, 255, 255));
    EXPECT_FALSE(scene::PackageBookPages(**package, *scene, 0).read_tile({0, 0, 0, 0}, bytes).ok());
  }
}

// Also the figures for the report: a 20-page book's pack time and package size.
TEST_F(Books, RepackingAfterOnePageChangedAddsOnlyThatPagesTiles) {
  constexpr size_t pages = 20;
  write_scene(R"({"folder": "scans"})", pages);
  const auto started = std::chrono::steady_clock::now();
  const auto first = build(folder_.path() / "first.pvpkg");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->assets_processed, pages);
  const auto first_package = package::PackageReader::open(folder_.path() / "first.pvpkg", developer);
  ASSERT_TRUE(first_package.ok());
  const std::set<ContentHash> before = page_tiles_of(**first_package);
  RecordProperty("pages", static_cast<int>(pages));
  RecordProperty("pack_ms", static_cast<int>(seconds * 1000));
  RecordProperty("package_bytes", std::to_string(fs::file_size(folder_.path() / "first.pvpkg")));
  RecordProperty("page_tiles", static_cast<int>(before.size()));
  std::printf("[ figures  ] %zu pages of 600 x 800: packed in %.2f s, %ju bytes, %zu page tiles\n", pages, seconds,
              static_cast<uintmax_t>(fs::file_size(folder_.path() / "first.pvpkg")), before.size());

  // A new scan of page 7.
  ASSERT_TRUE(write_png(scene_ / "scans" / "p7.png", page_scan(7, 1)).ok());
  const auto again = std::chrono::steady_clock::now();
  const auto second = build(folder_.path() / "second.pvpkg");
  ASSERT_TRUE(second.ok()) << second.error().describe();
  std::printf("[ figures  ] one page changed: packed again in %.2f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - again).count());
  EXPECT_EQ(second->assets_processed, 1u);
  EXPECT_EQ(second->assets_from_cache, pages - 1);
  const auto second_package = package::PackageReader::open(folder_.path() / "second.pvpkg", developer);
  ASSERT_TRUE(second_package.ok());
  const auto loaded = scene::load_scene(**second_package);
  ASSERT_TRUE(loaded.ok());
  const std::set<ContentHash> page_seven(loaded->books[0].pages[6].tiles.begin(), loaded->books[0].pages[6].tiles.end());
  size_t added = 0;
  for (const ContentHash& tile : page_tiles_of(**second_package)) {
    if (before.contains(tile)) continue;
    ++added;
    EXPECT_TRUE(page_seven.contains(tile)) << "a tile of another page than the one changed is new";
  }
  EXPECT_GT(added, 0u);
  EXPECT_LE(added, page_seven.size());
}

TEST_F(Books, AManifestWithAMissingImageGivesAPlaceholderAndAWarning) {
  // Page 3's picture is not in the folder, and its URL's server refuses connections.
  write_text_file(scene_ / "manifest.json", manifest_json(3, "http://127.0.0.1:9/scans/"));
  write_scene(R"({"manifest": "manifest.json", "folder": "scans", "viewing_direction": "right-to-left",
                  "thread_bound": true, "start": 2, "language": "zh-Hant"})",
              2);
  const auto report = build(folder_.path() / "books.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto warning = std::find_if(report->notes.begin(), report->notes.end(), [](const Finding& finding) {
    return finding.severity == Finding::Severity::warning && finding.location == "canvases[2]";
  });
  ASSERT_NE(warning, report->notes.end());
  EXPECT_NE(warning->message_zh, "");

  const auto loaded = scene::load_scene_file(folder_.path() / "books.pvpkg", developer);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Book& book = loaded->books.at(0);
  ASSERT_EQ(book.pages.size(), 3u);
  EXPECT_FALSE(book.pages[0].placeholder);
  EXPECT_TRUE(book.pages[2].placeholder);
  EXPECT_TRUE(book.pages[2].tiles.empty());
  EXPECT_EQ(book.pages[2].width, 600u);
  EXPECT_EQ(book.pages[2].height, 800u);
  // The curator's options win over the manifest's.
  EXPECT_EQ(book.direction, book::ViewingDirection::right_to_left);
  EXPECT_TRUE(book.thread_bound);
  EXPECT_EQ(book.start_page, 1u);
  EXPECT_EQ(book.language, "zh-Hant");
  // What the manifest says of the book, and on its pages.
  EXPECT_EQ(book.label.zh_cn, "文选");
  EXPECT_EQ(book.label.en, "Wenxuan");
  ASSERT_TRUE(book.required_statement.has_value());
  EXPECT_EQ(book.required_statement->value.en, "Held by the Library");
  EXPECT_EQ(book.rights, std::vector<std::string>{"http://rightsstatements.org/vocab/NoC-NC/1.0/"});
  ASSERT_EQ(book.metadata.size(), 1u);
  EXPECT_EQ(book.metadata[0].label.zh_cn, "年代");
  EXPECT_EQ(book.pages[1].label.en, "Leaf 2");
  ASSERT_EQ(book.pages[1].annotations.size(), 1u);
  EXPECT_EQ(book.pages[1].annotations[0].value, "朱批 2");
  EXPECT_EQ(book.pages[1].annotations[0].motivation, "commenting");
  EXPECT_EQ(book.pages[1].annotations[0].region, (scene::PageRegion{10, 20, 300, 40}));
  ASSERT_EQ(book.ranges.size(), 1u);
  EXPECT_EQ(book.ranges[0].label.en, "Chapter one");
  EXPECT_EQ(book.ranges[0].pages, (std::vector<uint32_t>{0, 1}));
}

TEST_F(Books, TheCuratorsFilesNameAPagesScanByCanvasIdOrLabel) {
  // The manifest's server refuses connections: page 1's scan is named by its canvas id, page 2's
  // by its label, page 3's nowhere (a placeholder).
  write_text_file(scene_ / "manifest.json", manifest_json(3, "http://127.0.0.1:9/scans/"));
  write_scene(R"({"manifest": "manifest.json",
                  "files": {"https://library.example/c1": "rescans/first.png", "Leaf 2": "rescans/second.png"}})",
              0);
  fs::create_directories(scene_ / "rescans");
  ASSERT_TRUE(write_png(scene_ / "rescans" / "first.png", page_scan(7, 0, 500, 700)).ok());
  ASSERT_TRUE(write_png(scene_ / "rescans" / "second.png", page_scan(8, 0, 450, 650)).ok());
  const auto report = build(folder_.path() / "files.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto loaded = scene::load_scene_file(folder_.path() / "files.pvpkg", developer);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Book& book = loaded->books.at(0);
  ASSERT_EQ(book.pages.size(), 3u);
  EXPECT_EQ(std::pair(book.pages[0].width, book.pages[0].height), std::pair(500u, 700u));
  EXPECT_EQ(std::pair(book.pages[1].width, book.pages[1].height), std::pair(450u, 650u));
  EXPECT_TRUE(book.pages[2].placeholder);
  const auto used = [&](const char* name) {
    return std::ranges::find(report->used_files, scene_ / "rescans" / name) != report->used_files.end();
  };
  EXPECT_TRUE(used("first.png") && used("second.png")) << "the scans named are the scene's, not unused files";

  // A key naming no page, a file that is not there, and files without a manifest: each at its place.
  write_scene(R"({"manifest": "manifest.json", "files": {"Leaf 9": "rescans/first.png"}})", 0);
  auto linted = lint();
  ASSERT_FALSE(linted.ok());
  EXPECT_NE(linted.error().describe().find("exhibits[0].book.files.Leaf 9"), std::string::npos) << linted.error().describe();
  EXPECT_NE(linted.error().describe().find("没有画布 id 或标签为“Leaf 9”"), std::string::npos) << linted.error().describe();
  write_scene(R"({"manifest": "manifest.json", "files": {"Leaf 1": "rescans/gone.png"}})", 0);
  linted = lint();
  ASSERT_FALSE(linted.ok());
  EXPECT_NE(linted.error().describe().find("rescans/gone.png"), std::string::npos) << linted.error().describe();
  write_scene(R"({"folder": "scans", "files": {"Leaf 1": "rescans/first.png"}})", 1);
  linted = lint();
  ASSERT_FALSE(linted.ok());
  EXPECT_NE(linted.error().describe().find("book.json"), std::string::npos) << linted.error().describe();
}

// A page's text that cannot be had is a warning that says why, in each language: page 1's is on
// a server that refuses connections, page 2's names a file the book's folder lacks. The pages are
// packed with their pictures and without text.
TEST_F(Books, APageTextThatCannotBeHadIsAWarningSayingWhy) {
  std::string manifest = manifest_json(2);
  const auto see_also = [](std::string_view id) {
    return fmt::format(R"("seeAlso": [{{"id": "{}", "type": "Dataset", "format": "application/xml",
                         "profile": "http://www.loc.gov/standards/alto/v4/alto.xsd"}}], )",
                       id);
  };
  for (const auto& [label, id] : {std::pair("第1叶", "http://127.0.0.1:9/text/p1.xml"), std::pair("第2叶", "p2.xml")}) {
    const size_t at = manifest.find(fmt::format(R"("label": {{"zh": ["{}"])", label));
    ASSERT_NE(at, std::string::npos);
    manifest.insert(at, see_also(id));
  }
  write_text_file(scene_ / "manifest.json", manifest);
  write_scene(R"({"manifest": "manifest.json", "folder": "scans"})", 2);
  const auto report = build(folder_.path() / "texts.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto warning_about = [&](std::string_view page) -> const Finding* {
    for (const Finding& finding : report->notes) {
      if (finding.message.starts_with(fmt::format("the text of page {} ", page))) return &finding;
    }
    return nullptr;
  };
  const Finding* refused = warning_about("1");
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->location, "exhibits[0].book");
  EXPECT_NE(refused->message.find("Could not connect to the server of http://127.0.0.1:9/text/p1.xml"), std::string::npos)
      << refused->message;
  EXPECT_NE(refused->message_zh.find("无法连接到 http://127.0.0.1:9/text/p1.xml 所在的服务器"), std::string::npos)
      << refused->message_zh;
  const Finding* missing = warning_about("2");
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(missing->message.find("no file named p2.xml is in the book's folder, and it is not a web address"), std::string::npos)
      << missing->message;
  EXPECT_NE(missing->message_zh.find("书的文件夹中没有名为 p2.xml 的文件"), std::string::npos) << missing->message_zh;

  const auto loaded = scene::load_scene_file(folder_.path() / "texts.pvpkg", developer);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  for (const scene::BookPage& page : loaded->books.at(0).pages) {
    EXPECT_FALSE(page.placeholder);
    EXPECT_TRUE(page.lines.empty());
  }
}

// The tiles of `scan` cut to `region` and turned `quarter_turns` clockwise, as pyramid builds them.
std::vector<pyramid::EncodedTile> tiles_of_view(const fs::path& scan, std::optional<pyramid::ScanRegion> region,
                                                int quarter_turns) {
  std::vector<pyramid::EncodedTile> tiles;
  auto opened = pyramid::open_scan(scan);
  EXPECT_TRUE(opened.ok());
  if (!opened) return tiles;
  auto view = pyramid::view_scan(std::move(*opened), region, quarter_turns);
  EXPECT_TRUE(view.ok());
  if (!view) return tiles;
  EXPECT_TRUE(pyramid::build_pyramid(**view, {}, [&](pyramid::EncodedTile&& tile) -> Result<void> {
                tiles.push_back(std::move(tile));
                return {};
              }).ok());
  return tiles;
}

TEST_F(Books, APaintingsRegionAndRotationAreWhatThePageShows) {
  // Page 1 shows 300 × 400 of p1.png turned a quarter clockwise (the cookbook's ImageApiSelector,
  // with the annex's prefix); page 2 the right half of p2.png by `#xywh=` in the image's id, given
  // in the pixels of a full image twice the size of the library's copy found in the folder.
  write_text_file(scene_ / "manifest.json", R"({
  "@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/manifest", "type": "Manifest", "label": {"en": ["Turned"]},
  "items": [
    {"id": "https://library.example/c1", "type": "Canvas", "width": 400, "height": 300,
     "items": [{"id": "https://library.example/c1/p", "type": "AnnotationPage", "items": [
       {"id": "https://library.example/c1/a", "type": "Annotation", "motivation": "painting",
        "target": "https://library.example/c1",
        "body": {"type": "SpecificResource",
                 "source": {"id": "https://library.example/scans/p1.png", "type": "Image", "width": 600, "height": 800},
                 "selector": {"type": "iiif:ImageApiSelector", "region": "100,200,300,400", "rotation": "90"}}}]}]},
    {"id": "https://library.example/c2", "type": "Canvas", "width": 300, "height": 800,
     "items": [{"id": "https://library.example/c2/p", "type": "AnnotationPage", "items": [
       {"id": "https://library.example/c2/a", "type": "Annotation", "motivation": "painting",
        "target": "https://library.example/c2",
        "body": {"id": "https://library.example/scans/p2.png#xywh=600,0,600,1600", "type": "Image",
                 "width": 1200, "height": 1600}}]}]}]
})");
  write_scene(R"({"manifest": "manifest.json", "folder": "scans"})", 2);
  const auto report = build(folder_.path() / "turned.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto package = package::PackageReader::open(folder_.path() / "turned.pvpkg", developer);
  ASSERT_TRUE(package.ok()) << package.error().describe();
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Book& book = loaded->books.at(0);
  ASSERT_EQ(book.pages.size(), 2u);
  EXPECT_EQ(book.pages[0].width, 400u);  // 300 × 400 turned
  EXPECT_EQ(book.pages[0].height, 300u);
  EXPECT_EQ(book.pages[1].width, 300u);
  EXPECT_EQ(book.pages[1].height, 800u);
  // Every tile is the pyramid's tile of the cut and turned scan.
  const scene::BookTileReader reader(**package, *loaded);
  const std::pair<std::optional<pyramid::ScanRegion>, int> views[] = {{pyramid::ScanRegion{100, 200, 300, 400}, 1},
                                                                      {pyramid::ScanRegion{300, 0, 300, 800}, 0}};
  for (uint32_t page = 0; page < 2; ++page) {
    const auto expected = tiles_of_view(scene_ / "scans" / fmt::format("p{}.png", page + 1), views[page].first,
                                        views[page].second);
    ASSERT_EQ(expected.size(), book.pages[page].tiles.size()) << "page " << page + 1;
    for (const pyramid::EncodedTile& tile : expected) {
      const auto bytes = reader.read({0, page, tile.id.level, tile.id.column, tile.id.row});
      ASSERT_TRUE(bytes.ok()) << bytes.error().describe();
      EXPECT_EQ(*bytes, tile.bytes) << "page " << page + 1 << " level " << tile.id.level;
    }
  }
  // The unturned page's tiles are not those of the whole scan.
  EXPECT_NE(tiles_of_view(scene_ / "scans" / "p1.png", std::nullopt, 0).back().bytes,
            tiles_of_view(scene_ / "scans" / "p1.png", pyramid::ScanRegion{100, 200, 300, 400}, 1).back().bytes);
}

// A Presentation 3 canvas (600 × 800) painted by the annotations `paintings`, each {"target": …, "body": …}.
std::string painted_canvas(size_t page, std::string_view paintings) {
  return fmt::format(R"({{"id": "https://library.example/c{0}", "type": "Canvas", "width": 600, "height": 800,
     "label": {{"zh": ["第{0}叶"], "en": ["Leaf {0}"]}},
     "items": [{{"id": "https://library.example/c{0}/p", "type": "AnnotationPage", "items": [{1}]}}]}})",
                     page, paintings);
}

std::string painting(std::string_view target, std::string_view body) {
  return fmt::format(R"({{"type": "Annotation", "motivation": "painting", "target": "{}", "body": {}}})", target, body);
}

std::string manifest_of(const std::vector<std::string>& canvases) {
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/manifest", "type": "Manifest", "label": {{"en": ["Under ultraviolet"]}},
  "items": [{}]}})",
                     fmt::join(canvases, ",\n"));
}

std::vector<const Finding*> warnings_at(const BuildReport& report, std::string_view location) {
  std::vector<const Finding*> found;
  for (const Finding& note : report.notes) {
    if (note.severity == Finding::Severity::warning && note.location == location) found.push_back(&note);
  }
  return found;
}

TEST_F(Books, PicturesAPageCannotShowAreWarnedOfAndThePagesStillPacked) {
  // Page 1 is painted by its scan and a seal over it; pages 2 and 3 offer natural light or
  // ultraviolet; page 4's picture covers the canvas's left half; page 5's covers all of it. The
  // seal and the ultraviolet pictures are on a server that refuses connections: had the seal
  // been looked for, page 1 would also have a warning that it has no picture.
  const auto scan = [](size_t page) { return fmt::format("https://library.example/scans/p{}.png", page); };
  const auto image = [](std::string_view id, std::string_view label) {
    return fmt::format(R"({{"id": "{}", "type": "Image", "format": "image/png", "width": 600, "height": 800{}}})", id,
                       label);
  };
  const auto choice = [&](size_t page) {
    return fmt::format(R"({{"type": "Choice", "items": [{}, {}]}})",
                       image(scan(page), R"(, "label": {"en": ["natural light"], "zh": ["自然光"]})"),
                       image(fmt::format("http://127.0.0.1:9/scans/p{}-uv.png", page),
                             R"(, "label": {"en": ["ultraviolet"], "zh": ["紫外光"]})"));
  };
  const auto whole = [](size_t page) { return fmt::format("https://library.example/c{}", page); };
  write_text_file(scene_ / "manifest.json",
                  manifest_of({painted_canvas(1, painting(whole(1), image(scan(1), "")) + ",\n" +
                                                     painting(whole(1) + "#xywh=400,600,100,100",
                                                              image("http://127.0.0.1:9/scans/seal.png", ""))),
                               painted_canvas(2, painting(whole(2), choice(2))),
                               painted_canvas(3, painting(whole(3), choice(3))),
                               painted_canvas(4, painting(whole(4) + "#xywh=0,0,300,800", image(scan(4), ""))),
                               painted_canvas(5, painting(whole(5) + "#xywh=0,0,600,800", image(scan(5), "")))}));
  write_scene(R"({"manifest": "manifest.json", "folder": "scans"})", 5);
  const auto report = build(folder_.path() / "choices.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();

  // One warning for page 1, and only that: the seal was not looked for.
  const auto several = warnings_at(*report, "canvases[0]");
  ASSERT_EQ(several.size(), 1u);
  EXPECT_EQ(several[0]->file, scene_ / "manifest.json");
  EXPECT_EQ(several[0]->message,
            "The manifest paints page 1 (\"Leaf 1\") with 2 pictures, but a page of the package shows one: it shows "
            "the first (https://library.example/scans/p1.png) and leaves out the other 1. To show another, make it the "
            "canvas's first painting annotation in the manifest, or join the pictures into one scan.");
  EXPECT_EQ(several[0]->message_zh,
            "清单中第 1 页（“第1叶”）由 2 幅图像绘制，但包中每页只显示一幅：显示第一幅（https://library.example/scans/"
            "p1.png），其余 1 幅已略去。如需显示其他图像，请在清单中将其设为该画布的第一个 painting 注释，或将这些图像合成一幅扫描图。");
  // The Choices of pages 2 and 3 in one warning, at the first of them; none at the second.
  const auto choices = warnings_at(*report, "canvases[1]");
  ASSERT_EQ(choices.size(), 1u);
  EXPECT_EQ(choices[0]->message,
            "On pages 2 and 3, the manifest offers a choice of pictures, but the package shows only the first option "
            "of each choice and leaves the others out (on page 2 it shows \"natural light\" and leaves out "
            "\"ultraviolet\"). To show another option, put it first among the Choice's items in the manifest.");
  EXPECT_EQ(choices[0]->message_zh,
            "清单在第 2、3 页提供了可选的多幅图像，但包中每组选项只显示第一项，其余已略去（第 2 页显示“自然光”，略去“紫外光”）。"
            "如需显示其他选项，请在清单中将其排在该 Choice 的 items 首位。");
  EXPECT_TRUE(warnings_at(*report, "canvases[2]").empty());
  // Page 4's picture on the left half of its canvas is shown as the whole page, and says so.
  const auto placed = warnings_at(*report, "canvases[3]");
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0]->message,
            "On page 4, the manifest paints the picture on only part of the canvas (on page 4 at x 0, y 0, 300 × "
            "800 pixels of its 600 × 800), but the package shows the picture as the whole page, without the rest of "
            "the canvas. To show the page as the manifest places it, give it a scan of the whole canvas.");
  EXPECT_NE(placed[0]->message_zh.find("清单在第 4 页只把图像绘制在画布的一部分上"), std::string::npos) << placed[0]->message_zh;
  // A target that is the whole canvas is no part of it.
  EXPECT_TRUE(warnings_at(*report, "canvases[4]").empty());

  // Every page is packed, none a placeholder, each showing its first picture, whole.
  const auto package = package::PackageReader::open(folder_.path() / "choices.pvpkg", developer);
  ASSERT_TRUE(package.ok()) << package.error().describe();
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Book& book = loaded->books.at(0);
  ASSERT_EQ(book.pages.size(), 5u);
  const scene::BookTileReader reader(**package, *loaded);
  for (uint32_t page = 0; page < 5; ++page) {
    EXPECT_FALSE(book.pages[page].placeholder) << "page " << page + 1;
    EXPECT_EQ(book.pages[page].width, 600u) << "page " << page + 1;
    EXPECT_EQ(book.pages[page].height, 800u) << "page " << page + 1;
    const auto expected = tiles_of_view(scene_ / "scans" / fmt::format("p{}.png", page + 1), std::nullopt, 0);
    ASSERT_EQ(expected.size(), book.pages[page].tiles.size()) << "page " << page + 1;
    const pyramid::EncodedTile& tile = expected.back();
    const auto bytes = reader.read({0, page, tile.id.level, tile.id.column, tile.id.row});
    ASSERT_TRUE(bytes.ok()) << bytes.error().describe();
    EXPECT_EQ(*bytes, tile.bytes) << "page " << page + 1;
  }
}

TEST_F(Books, AChoiceOnEveryPageIsOneWarningForTheBook) {
  // Nine small pages, each a Choice of two unlabelled pictures: one finding names the first five
  // pages, how many more, and the pictures by their URLs.
  std::vector<std::string> canvases;
  fs::create_directories(scene_ / "scans");
  for (size_t page = 1; page <= 9; ++page) {
    canvases.push_back(painted_canvas(
        page, painting(fmt::format("https://library.example/c{}", page),
                       fmt::format(R"({{"type": "Choice", "items": [{{"id": "https://library.example/scans/p{0}.png", "type": "Image"}},
                                      {{"id": "https://library.example/scans/p{0}-infrared.png", "type": "Image"}}]}})",
                                   page))));
    ASSERT_TRUE(write_png(scene_ / "scans" / fmt::format("p{}.png", page), page_scan(static_cast<uint32_t>(page), 0, 60, 80)).ok());
  }
  write_text_file(scene_ / "manifest.json", manifest_of(canvases));
  write_text_file(scene_ / "scene.json", scene_json(R"({"manifest": "manifest.json", "folder": "scans"})"));
  const auto report = build(folder_.path() / "infrared.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  const auto told = std::ranges::count_if(report->notes, [](const Finding& note) {
    return note.message.find("choice of pictures") != std::string::npos;
  });
  EXPECT_EQ(told, 1);
  const auto choices = warnings_at(*report, "canvases[0]");
  ASSERT_EQ(choices.size(), 1u);
  EXPECT_NE(choices[0]->message.find("On pages 1, 2, 3, 4, 5 and 4 more, "), std::string::npos) << choices[0]->message;
  EXPECT_NE(choices[0]->message.find("(on page 1 it shows https://library.example/scans/p1.png and leaves out "
                                     "https://library.example/scans/p1-infrared.png)"),
            std::string::npos)
      << choices[0]->message;
  EXPECT_NE(choices[0]->message_zh.find("清单在第 1、2、3、4、5 页等共 9 页提供了可选的多幅图像"), std::string::npos)
      << choices[0]->message_zh;
  const auto loaded = scene::load_scene_file(folder_.path() / "infrared.pvpkg", developer);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->books.at(0).pages.size(), 9u);
  for (const scene::BookPage& page : loaded->books[0].pages) {
    EXPECT_FALSE(page.placeholder);
    EXPECT_EQ(page.width, 60u);
  }
}

TEST_F(Books, AMalformedManifestFailsLintAtItsJsonPathInBothLanguages) {
  std::string manifest = manifest_json(2);
  const std::string image_id = R"("id": "https://library.example/scans/p2.png", )";
  const size_t at = manifest.find(image_id);
  ASSERT_NE(at, std::string::npos);
  manifest.erase(at, image_id.size());  // page 2's image loses its id
  write_text_file(scene_ / "manifest.json", manifest);
  write_scene(R"({"manifest": "manifest.json", "folder": "scans"})", 2);
  const auto linted = lint();
  ASSERT_FALSE(linted.ok());
  const std::string said = linted.error().describe();
  EXPECT_NE(said.find("manifest.json"), std::string::npos) << said;
  EXPECT_NE(said.find("items[1].items[0].items[0].body.id"), std::string::npos) << said;
  EXPECT_NE(said.find("exhibits[0].book.manifest"), std::string::npos) << said;
  EXPECT_NE(said.find("此字段为必填项"), std::string::npos) << said;  // each finding in Chinese too

  // A manifest's server that cannot be reached is a sentence at the manifest's place, not a crash.
  write_scene(R"({"manifest": "http://127.0.0.1:9/manifest.json"})", 0);
  const auto unreachable = lint();
  ASSERT_FALSE(unreachable.ok());
  const std::string sentence = unreachable.error().describe();
  EXPECT_NE(sentence.find("exhibits[0].book.manifest"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("http://127.0.0.1:9/manifest.json"), std::string::npos) << sentence;
}

TEST_F(Books, AMalformedBookDescriptionAndAStartPastTheEndAreNamedWhereTheyAre) {
  write_text_file(scene_ / "scans" / "book.json", R"({"title": {"en": "Wenxuan"}, "viewingDirection": "sideways"})");
  write_scene(R"({"folder": "scans"})", 2);
  auto linted = lint();
  ASSERT_FALSE(linted.ok());
  std::string said = linted.error().describe();
  EXPECT_NE(said.find("book.json: viewingDirection"), std::string::npos) << said;
  EXPECT_NE(said.find("“sideways”不是阅读方向"), std::string::npos) << said;

  write_text_file(scene_ / "scans" / "book.json", R"({"title": {"en": "Wenxuan"}})");
  write_scene(R"({"folder": "scans", "start": 5, "spine_offsets": {"0": 0.1}})", 2);
  linted = lint();
  ASSERT_FALSE(linted.ok());
  said = linted.error().describe();
  EXPECT_NE(said.find("exhibits[0].book.spine_offsets.0"), std::string::npos) << said;
  EXPECT_NE(said.find("不是页码"), std::string::npos) << said;

  write_scene(R"({"folder": "scans", "start": 5})", 2);
  linted = lint();
  ASSERT_FALSE(linted.ok());
  said = linted.error().describe();
  EXPECT_NE(said.find("exhibits[0].book.start"), std::string::npos) << said;
  EXPECT_NE(said.find("书从第 5 页开始，但全书只有 2 页"), std::string::npos) << said;

  write_scene(R"({"viewing_direction": "right-to-left"})", 0);
  linted = lint();
  ASSERT_FALSE(linted.ok());
  said = linted.error().describe();
  EXPECT_NE(said.find("exhibits[0].book"), std::string::npos) << said;
  EXPECT_NE(said.find("请指明书的来源"), std::string::npos) << said;
}

// Tesseract at pack time (#17 item 5) runs through PATH; these tests take it away to show a build
// that cannot run it, and give it back however they end.
class WithoutTesseract {
 public:
  WithoutTesseract() : path_(std::getenv("PATH")) { ::setenv("PATH", "/nonexistent", 1); }
  ~WithoutTesseract() { ::setenv("PATH", path_.c_str(), 1); }
  WithoutTesseract(const WithoutTesseract&) = delete;
  WithoutTesseract& operator=(const WithoutTesseract&) = delete;

 private:
  std::string path_;
};

const scene::PageTextLine* line_holding(const scene::BookPage& page, std::string_view words) {
  const auto found = std::ranges::find_if(page.lines, [&](const auto& line) { return line.text.find(words) != std::string::npos; });
  return found == page.lines.end() ? nullptr : &*found;
}

TEST_F(Books, PagesWithoutTextAreRecognisedWhenAskedAndTheNextBuildTakesThemFromTheCache) {
  if (!page_text::testing::tesseract_installed()) GTEST_SKIP() << "tesseract is not installed (scripts/setup installs it)";
  write_scene(R"({"folder": "scans", "language": "en", "recognise_text": true, "read_aloud": false})", 1);
  const auto rendered = page_text::testing::render_horizontal(
      {"Waking the sleeping treasures", "of the library, page by page."}, 36, 600, 800);
  ASSERT_TRUE(write_png(scene_ / "scans" / "p1.png", rendered.image).ok());
  const auto first = build(folder_.path() / "first.pvpkg");
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->assets_processed, 2u);  // the page's tiles and its text
  for (const Finding& note : first->notes) EXPECT_NE(note.severity, Finding::Severity::warning) << note.describe();

  const auto package = package::PackageReader::open(folder_.path() / "first.pvpkg", developer);
  ASSERT_TRUE(package.ok()) << package.error().describe();
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::BookPage& page = loaded->books[0].pages[0];
  const scene::PageTextLine* line = line_holding(page, "treasures");
  ASSERT_NE(line, nullptr) << "recognised: " << (page.lines.empty() ? "nothing" : page.lines[0].text);
  EXPECT_FALSE(line->vertical);
  // Its region is where the line was drawn, in the page's pixels.
  const page_text::Region& truth = rendered.lines[0].region;
  EXPECT_NEAR(line->region.y + line->region.height / 2, truth.y + truth.height / 2.0, truth.height / 2.0);
  EXPECT_NEAR(line->region.x, truth.x, 20);

  // A second build has no Tesseract to run: the text is the first build's, from the cache.
  const WithoutTesseract taken_away;
  const auto second = build(folder_.path() / "second.pvpkg");
  ASSERT_TRUE(second.ok()) << second.error().describe();
  EXPECT_EQ(second->assets_processed, 0u);
  EXPECT_EQ(second->assets_from_cache, 2u);
  for (const Finding& note : second->notes) EXPECT_NE(note.severity, Finding::Severity::warning) << note.describe();
  const auto again = package::PackageReader::open(folder_.path() / "second.pvpkg", developer);
  ASSERT_TRUE(again.ok());
  const auto reloaded = scene::load_scene(**again);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->books[0].pages[0].lines, page.lines);
}

TEST_F(Books, AChineseBookReadRightToLeftIsRecognisedInColumns) {
  if (!page_text::testing::tesseract_installed()) GTEST_SKIP() << "tesseract is not installed (scripts/setup installs it)";
  // The exhibit's language is lzh (Literary Chinese), read in traditional characters.
  write_scene(R"({"folder": "scans", "viewing_direction": "right-to-left", "recognise_text": true, "read_aloud": false})", 1);
  const auto rendered = page_text::testing::render_vertical({"學而時習之不亦說", "乎有朋自遠方來不"}, 48, 400, 560);
  ASSERT_TRUE(write_png(scene_ / "scans" / "p1.png", rendered.image).ok());
  const auto built = build(folder_.path() / "analects.pvpkg");
  ASSERT_TRUE(built.ok()) << built.error().describe();
  const auto package = package::PackageReader::open(folder_.path() / "analects.pvpkg", developer);
  ASSERT_TRUE(package.ok());
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok());
  const scene::BookPage& page = loaded->books[0].pages[0];
  ASSERT_FALSE(page.lines.empty());
  for (const auto& line : page.lines) EXPECT_TRUE(line.vertical) << line.text;
  EXPECT_NE(line_holding(page, "時習"), nullptr) << page.lines[0].text;
}

TEST_F(Books, TextThatCannotBeRecognisedIsASentenceAndThePageIsPackedWithoutIt) {
  // A language Tesseract has no data for is the curator's to change, at its place in scene.json.
  write_scene(R"({"folder": "scans", "language": "fr", "recognise_text": true})", 1);
  const auto linted = lint();
  ASSERT_FALSE(linted.ok());
  const std::string said = linted.error().describe();
  EXPECT_NE(said.find("exhibits[0].book.recognise_text"), std::string::npos) << said;
  EXPECT_NE(said.find("请将书的语言设为其中之一"), std::string::npos) << said;

  // Without Tesseract the build goes on: the page has no text, and a warning says what to install.
  write_scene(R"({"folder": "scans", "language": "en", "recognise_text": true, "read_aloud": false})", 1);
  const WithoutTesseract taken_away;
  const auto built = build(folder_.path() / "untold.pvpkg");
  ASSERT_TRUE(built.ok()) << built.error().describe();
  const auto warning = std::ranges::find_if(built->notes, [](const Finding& note) {
    return note.severity == Finding::Severity::warning && note.location == "exhibits[0].book.recognise_text";
  });
  ASSERT_NE(warning, built->notes.end());
  EXPECT_NE(warning->describe().find("page 1"), std::string::npos) << warning->describe();
  EXPECT_NE(warning->describe().find("tesseract-ocr-eng"), std::string::npos) << warning->describe();
  EXPECT_NE(warning->describe(true).find("第 1 页的文字无法识别"), std::string::npos) << warning->describe(true);
  const auto package = package::PackageReader::open(folder_.path() / "untold.pvpkg", developer);
  ASSERT_TRUE(package.ok());
  const auto loaded = scene::load_scene(**package);
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->books[0].pages[0].lines.empty());
}

// A volume of a multi-part collection: pages first..first+count-1, painted with scans/pN.png (by
// file name: the images' server refuses connections), its canvases "…/vol{volume}/c{N}".
std::string volume_manifest(size_t volume, size_t first, size_t count, std::string_view extra) {
  std::string canvases;
  for (size_t page = first; page < first + count; ++page) {
    canvases += fmt::format(R"({0}{{"id": "https://library.example/iiif/vol{1}/c{2}", "type": "Canvas", "width": 600,
      "height": 800, "label": {{"en": ["Leaf {2}"]}},
      "items": [{{"id": "https://library.example/iiif/vol{1}/c{2}/p", "type": "AnnotationPage", "items": [
        {{"id": "https://library.example/iiif/vol{1}/c{2}/a", "type": "Annotation", "motivation": "painting",
         "target": "https://library.example/iiif/vol{1}/c{2}",
         "body": {{"id": "http://127.0.0.1:9/scans/p{2}.png", "type": "Image", "width": 600, "height": 800}}}}]}}]}})",
                            page == first ? "" : ",", volume, page);
  }
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/iiif/vol{}/manifest.json", "type": "Manifest", {} "items": [{}]}})",
                     volume, extra, canvases);
}

// A collection of `volumes` volumes; the first two lie beside it as vol1/manifest.json and vol2/manifest.json.
std::string collection_json(size_t volumes) {
  std::string items;
  for (size_t volume = 1; volume <= volumes; ++volume) {
    // The last volume, when there are three, is on a server that refuses connections.
    const std::string_view host = volume == 3 ? "http://127.0.0.1:9" : "https://library.example";
    items += fmt::format(
        R"({}{{"id": "{}/iiif/vol{}/manifest.json", "type": "Manifest", "label": {{"en": ["Part {}"]}}}})",
        volume == 1 ? "" : ",", host, volume, volume);
  }
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://library.example/iiif/manifest.json", "type": "Collection", "behavior": ["multi-part"],
  "label": {{"zh": ["夢溪筆談"], "en": ["Brush Talks"]}}, "viewingDirection": "right-to-left",
  "items": [{}]}})",
                     items);
}

TEST_F(Books, AMultiPartCollectionPacksAsOneBookWithAContentsEntryPerVolume) {
  // The collection is "manifest.json" beside its volumes, as a library's own copy would be.
  write_text_file(scene_ / "manifest.json", collection_json(2));
  write_text_file(scene_ / "vol1" / "manifest.json", volume_manifest(1, 1, 2, R"(
    "label": {"en": ["Volume one"]}, "behavior": ["paged"],
    "structures": [{"id": "https://library.example/iiif/vol1/r1", "type": "Range", "label": {"en": ["Juan 1"]},
      "items": [{"id": "https://library.example/iiif/vol1/c2", "type": "Canvas"}]}],)"));
  write_text_file(scene_ / "vol2" / "manifest.json", volume_manifest(2, 3, 2, ""));
  write_scene(R"({"manifest": "manifest.json", "folder": "scans"})", 4);
  const auto report = build(folder_.path() / "volumes.pvpkg");
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_NE(std::ranges::find(report->used_files, scene_ / "vol2" / "manifest.json"), report->used_files.end());
  // Volume 2 has no label: a warning, named by the volume.
  EXPECT_NE(std::ranges::find_if(report->notes, [](const Finding& note) {
              return note.location == "volumes[1] (https://library.example/iiif/vol2/manifest.json): label";
            }),
            report->notes.end());

  const auto loaded = scene::load_scene_file(folder_.path() / "volumes.pvpkg", developer);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Book& book = loaded->books.at(0);
  ASSERT_EQ(book.pages.size(), 4u);
  for (size_t page = 0; page < 4; ++page) {
    EXPECT_FALSE(book.pages[page].placeholder) << page;
    EXPECT_EQ(book.pages[page].label.en, fmt::format("Leaf {}", page + 1));
  }
  // Page 3 (volume 2's first) shows its own scan, not page 1's.
  EXPECT_NE(book.pages[2].tiles, book.pages[0].tiles);
  EXPECT_EQ(book.label.en, "Brush Talks");
  EXPECT_EQ(book.direction, book::ViewingDirection::right_to_left);
  ASSERT_EQ(book.ranges.size(), 3u);
  EXPECT_EQ(book.ranges[0].label.en, "Volume one");
  EXPECT_EQ(book.ranges[0].parent, -1);
  EXPECT_EQ(book.ranges[1].label.en, "Juan 1");
  EXPECT_EQ(book.ranges[1].parent, 0);
  EXPECT_EQ(book.ranges[1].pages, std::vector<uint32_t>{1});
  EXPECT_EQ(book.ranges[2].label.en, "Part 2");
  EXPECT_EQ(book.ranges[2].parent, -1);
  EXPECT_EQ(book.ranges[2].pages, (std::vector<uint32_t>{2, 3}));
}

TEST_F(Books, AMultiPartCollectionMissingAVolumeIsRefusedNamingIt) {
  write_text_file(scene_ / "manifest.json", collection_json(3));
  write_text_file(scene_ / "vol1" / "manifest.json", volume_manifest(1, 1, 2, R"("label": {"en": ["Volume one"]},)"));
  write_text_file(scene_ / "vol2" / "manifest.json", volume_manifest(2, 3, 2, ""));
  write_scene(R"({"manifest": "manifest.json", "folder": "scans"})", 4);
  const auto report = build(folder_.path() / "missing.pvpkg");
  ASSERT_FALSE(report.ok());
  EXPECT_FALSE(fs::exists(folder_.path() / "missing.pvpkg"));
  const std::string said = report.error().describe();
  EXPECT_NE(said.find("items[2]"), std::string::npos) << said;
  EXPECT_NE(said.find("volume 3 of this multi-part collection (http://127.0.0.1:9/iiif/vol3/manifest.json) cannot be "
                      "read, so nothing is packed: "),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("此多部分集合的第 3 册"), std::string::npos) << said;

  // A volume that is not a book is refused with its own problems, under the volume's name.
  write_text_file(scene_ / "manifest.json", collection_json(2));
  write_text_file(scene_ / "vol2" / "manifest.json", R"({"@context": "http://iiif.io/api/presentation/3/context.json",
    "id": "https://library.example/iiif/vol2/manifest.json", "type": "Manifest", "items": []})");
  const auto empty = build(folder_.path() / "empty.pvpkg");
  ASSERT_FALSE(empty.ok());
  const std::string empty_said = empty.error().describe();
  EXPECT_NE(empty_said.find("volume 2 of this multi-part collection"), std::string::npos) << empty_said;
  EXPECT_NE(empty_said.find("this manifest has no pages"), std::string::npos) << empty_said;
}

}  // namespace
}  // namespace pavilion::pack
