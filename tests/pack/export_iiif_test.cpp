// pavilion-pack export-iiif (#17 item 2): a packed book written as a IIIF Presentation 3 manifest
// and a level-0 tile set per page. What the package says of the book comes back from the manifest
// through the project's own IIIF reader; every tile is there at its size, equal to the package's
// tile within JPEG's loss; served by nginx, the export packs again into the same book; a wrong
// exhibit, a folder of someone's files and a damaged tile are sentences, and nothing half-written
// is left. Skipped only where nginx is not installed (the round trip alone).
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/iiif/manifest.h"
#include "pavilion/pack/builder.h"
#include "pavilion/pack/commands.h"
#include "pavilion/pack/export_iiif.h"
#include "pavilion/package/reader.h"
#include "pavilion/page_text/page_text.h"
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/scene/loader.h"
#include "pavilion/support/nginx_server.h"
#include "book_scans.h"
#include "damage.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace pavilion::pack {
namespace {

namespace fs = std::filesystem;
using testing::page_scan;
using testing::write_text;
using Json = nlohmann::json;

constexpr std::string_view base_url = "https://library.example/books/analects";

// A right-to-left thread-bound book of five canvases: the third a non-paged foldout, the fifth's
// picture missing; commentary on a region of page 2, a table of contents with a chapter inside a
// part.
std::string manifest_text() {
  std::string canvases;
  for (int page = 1; page <= 5; ++page) {
    std::string behavior = page == 3 ? R"("behavior": ["non-paged"],)" : "";
    if (page == 1) {
      behavior = R"("seeAlso": [{"id": "https://l.example/text/p1.xml", "type": "Dataset", "format": "application/xml",
                                  "profile": "http://www.loc.gov/standards/alto/v4/alto.xsd"}],)";
    }
    const std::string notes =
        page == 2 ? R"(, "annotations": [{"id": "https://l.example/c2/n", "type": "AnnotationPage", "items": [
          {"id": "https://l.example/c2/n1", "type": "Annotation", "motivation": "commenting",
           "target": "https://l.example/c2#xywh=30,40,120,60",
           "body": {"type": "TextualBody", "value": "朱批：學而時習之", "language": "zh-Hant", "format": "text/plain"}}]}])"
                  : "";
    canvases += fmt::format(R"({}{{"id": "https://l.example/c{}", "type": "Canvas", "width": 300, "height": 400, {}
      "label": {{"zh": ["第{}葉"], "en": ["Leaf {}"]}},
      "items": [{{"id": "https://l.example/c{}/p", "type": "AnnotationPage", "items": [
        {{"id": "https://l.example/c{}/a", "type": "Annotation", "motivation": "painting", "target": "https://l.example/c{}",
         "body": {{"id": "https://l.example/scans/p{}.png", "type": "Image", "format": "image/png", "width": 300, "height": 400}}}}]}}]{}}})",
                            page == 1 ? "" : ",", page, behavior, page, page, page, page, page, page, notes);
  }
  return fmt::format(R"({{
  "@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://l.example/manifest", "type": "Manifest",
  "label": {{"zh": ["論語集註"], "en": ["The Analects"]}},
  "summary": {{"en": ["Book one, with commentary."], "zh": ["卷一，附集註。"]}},
  "metadata": [{{"label": {{"en": ["Date"], "zh": ["年代"]}}, "value": {{"en": ["Ming"], "zh": ["明"]}}}}],
  "requiredStatement": {{"label": {{"en": ["Attribution"]}}, "value": {{"en": ["Held by the Library"]}}}},
  "rights": "http://creativecommons.org/publicdomain/mark/1.0/",
  "viewingDirection": "right-to-left", "behavior": ["paged"],
  "start": {{"id": "https://l.example/c2", "type": "Canvas"}},
  "items": [{}],
  "structures": [{{"id": "https://l.example/r1", "type": "Range", "label": {{"en": ["Part one"]}},
    "items": [{{"id": "https://l.example/c1", "type": "Canvas"}},
              {{"id": "https://l.example/r2", "type": "Range", "label": {{"en": ["Xue er"], "zh": ["學而"]}},
               "items": [{{"id": "https://l.example/c2", "type": "Canvas"}}, {{"id": "https://l.example/c4", "type": "Canvas"}}]}}]}}]
}})",
                     canvases);
}

// Two columns of page 1's text, read right to left.
constexpr std::string_view page_one_alto = R"(<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Layout><Page WIDTH="300" HEIGHT="400"><PrintSpace><TextBlock LANG="zh-Hant">
    <TextLine HPOS="240" VPOS="20" WIDTH="30" HEIGHT="200"><String CONTENT="學而時習之" HPOS="240" VPOS="20" WIDTH="30" HEIGHT="200"/></TextLine>
    <TextLine HPOS="200" VPOS="20" WIDTH="30" HEIGHT="160"><String CONTENT="不亦說乎" HPOS="200" VPOS="20" WIDTH="30" HEIGHT="160"/></TextLine>
  </TextBlock></PrintSpace></Page></Layout>
</alto>
)";

std::string scene_text(std::string_view book) {
  return fmt::format(R"({{
  "id": "export", "version": "1", "title": {{"zh-CN": "導出", "en": "Export"}},
  "viewpoints": [{{"position": [0, 1.6, 2], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "analects", "kind": "book", "position": [0, 1, 0],
    "metadata": {{"title": {{"zh-CN": "論語", "en": "The Analects"}}, "language": "lzh"}},
    "alt_text": {{"zh-CN": "一部線裝書。", "en": "A thread-bound book."}},
    "book": {}}}]
}})",
                     book);
}

Json read_json(const fs::path& path) {
  const auto bytes = read_file(path);
  EXPECT_TRUE(bytes.ok()) << path;
  if (!bytes) return {};
  return Json::parse(std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size()), nullptr, false);
}

class ExportIiif : public ::testing::Test {
 protected:
  // Packs the book (pages 1–4 in scans/, page 5 missing) once for the suite.
  static void SetUpTestSuite() {
    folder_ = std::make_unique<testing::TemporaryFolder>();
    const fs::path scene = *folder_ / "scene";
    write_text(scene / "manifest.json", manifest_text());
    write_text(scene / "scene.json", scene_text(R"({"manifest": "manifest.json", "folder": "scans", "thread_bound": true})"));
    fs::create_directories(scene / "scans");
    write_text(scene / "scans" / "p1.xml", page_one_alto);
    for (uint32_t page = 1; page <= 4; ++page) {
      ASSERT_TRUE(write_png(scene / "scans" / fmt::format("p{}.png", page), page_scan(page)).ok());
    }
    BuildOptions options;
    options.scene_directory = scene;
    options.output = package_path();
    options.thumbnails = false;
    options.jobs = 2;
    const auto built = build_package(options);
    ASSERT_TRUE(built.ok()) << built.error().describe();
  }
  static void TearDownTestSuite() { folder_.reset(); }

  static fs::path package_path() { return *folder_ / "analects.pvpkg"; }

  void SetUp() override {
    if (!fs::exists(package_path())) GTEST_SKIP() << "the suite's package was not built (see the first failure)";
    auto reader = package::PackageReader::open(package_path(), package::TrustPolicy{{}, true, false});
    ASSERT_TRUE(reader.ok()) << reader.error().describe();
    reader_ = std::move(*reader);
    auto loaded = scene::load_scene(*reader_);
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    scene_ = std::move(*loaded);
  }

  Result<BookExport> export_to(const fs::path& out, std::string_view exhibit = "", std::string_view base = base_url) {
    return export_book_iiif(*reader_, scene_, out, {std::string(exhibit), std::string(base), 90, 2});
  }

  static inline std::unique_ptr<testing::TemporaryFolder> folder_;
  std::unique_ptr<package::PackageReader> reader_;
  scene::Scene scene_;
};

TEST_F(ExportIiif, TheManifestSaysWhatThePackageSaysOfTheBook) {
  const fs::path out = *folder_ / "manifest_out";
  const auto exported = export_to(out);
  ASSERT_TRUE(exported.ok()) << exported.error().describe();
  EXPECT_EQ(exported->exhibit, "analects");
  EXPECT_EQ(exported->pages, 5u);
  EXPECT_EQ(exported->placeholders, 1u);
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));

  // Read back as any library's manifest is: no errors, the book as the package holds it.
  const auto text = read_file(out / "manifest.json");
  ASSERT_TRUE(text.ok());
  std::vector<Finding> findings;
  const auto manifest = iiif::parse_manifest(std::string_view(reinterpret_cast<const char*>(text->data()), text->size()),
                                             out / "manifest.json", findings);
  ASSERT_TRUE(manifest.has_value());
  for (const Finding& finding : findings) {
    if (finding.severity == Finding::Severity::error) ADD_FAILURE() << finding.location << ": " << finding.message;
  }
  EXPECT_TRUE(std::ranges::any_of(findings, [](const Finding& finding) { return finding.location.starts_with("items[4]"); }))
      << "the page without a picture is named, as in any manifest";
  const scene::Book& book = scene_.books[0];
  EXPECT_EQ(manifest->label.best("en"), "The Analects");
  EXPECT_EQ(manifest->label.best("zh-CN"), "論語集註");
  EXPECT_EQ(manifest->summary.best("zh-CN"), "卷一，附集註。");
  ASSERT_EQ(manifest->metadata.size(), 1u);
  EXPECT_EQ(manifest->metadata[0].value.best("zh-CN"), "明");
  ASSERT_TRUE(manifest->required_statement.has_value());
  EXPECT_EQ(manifest->required_statement->value.best("en"), "Held by the Library");
  EXPECT_EQ(manifest->rights, book.rights);
  EXPECT_EQ(manifest->viewing_direction, book::ViewingDirection::right_to_left);
  EXPECT_EQ(manifest->layout, book::Layout::paged);
  EXPECT_EQ(manifest->start_canvas, std::optional<size_t>(1));
  ASSERT_EQ(manifest->canvases.size(), 5u);
  EXPECT_EQ(manifest->canvases[2].behavior, book::PageBehavior::non_paged);
  EXPECT_EQ(manifest->canvases[1].label.best("en"), "Leaf 2");
  for (size_t page = 0; page < 4; ++page) {
    ASSERT_EQ(manifest->canvases[page].paintings.size(), 1u) << page;
    const iiif::Image& image = manifest->canvases[page].paintings[0].options.at(0);
    ASSERT_EQ(image.services.size(), 1u) << page;
    EXPECT_EQ(image.services[0].id, fmt::format("{}/pages/{}", base_url, page + 1));
    EXPECT_EQ(image.services[0].level, 0);
  }
  EXPECT_TRUE(manifest->canvases[4].paintings.empty()) << "the missing picture stays missing";
  // Page 1's lines, as ALTO beside the manifest; pages without lines name none.
  ASSERT_EQ(manifest->canvases[0].see_also.size(), 1u);
  EXPECT_EQ(manifest->canvases[0].see_also[0].text, iiif::Link::Text::alto);
  EXPECT_EQ(manifest->canvases[0].see_also[0].id, fmt::format("{}/text/1.xml", base_url));
  EXPECT_TRUE(manifest->canvases[1].see_also.empty());
  ASSERT_EQ(book.pages[0].lines.size(), 2u) << "the package holds page 1's lines";
  const auto lines = page_text::read_page_text_file(out / "text" / "1.xml", {book.pages[0].width, book.pages[0].height});
  ASSERT_TRUE(lines.ok()) << lines.error().describe();
  ASSERT_EQ(lines->lines.size(), 2u);
  EXPECT_EQ(lines->lines[1].text, "不亦說乎");
  EXPECT_EQ(lines->lines[1].direction, page_text::WritingDirection::vertical_right_to_left);
  EXPECT_EQ(lines->lines[1].region, (page_text::Region{200, 20, 30, 160}));
  ASSERT_EQ(manifest->canvases[1].texts.size(), 1u);
  EXPECT_EQ(manifest->canvases[1].texts[0].value, "朱批：學而時習之");
  EXPECT_EQ(manifest->canvases[1].texts[0].language, "zh-Hant");
  ASSERT_TRUE(manifest->canvases[1].texts[0].target.has_value());
  EXPECT_EQ(manifest->canvases[1].texts[0].target->x, 30);
  EXPECT_EQ(manifest->canvases[1].texts[0].target->height, 60);
  ASSERT_EQ(manifest->ranges.size(), 1u);
  EXPECT_EQ(manifest->ranges[0].label.best("en"), "Part one");
  EXPECT_EQ(manifest->ranges[0].canvases, std::vector<size_t>{0});
  ASSERT_EQ(manifest->ranges[0].children.size(), 1u);
  EXPECT_EQ(manifest->ranges[0].children[0].label.best("zh-CN"), "學而");
  EXPECT_EQ(manifest->ranges[0].children[0].canvases, (std::vector<size_t>{1, 3}));
}

TEST_F(ExportIiif, EveryTileIsThePackagesTileWithoutItsOverlap) {
  const fs::path out = *folder_ / "tiles_out";
  const auto exported = export_to(out);
  ASSERT_TRUE(exported.ok()) << exported.error().describe();
  const scene::Book& book = scene_.books[0];
  const scene::BookTileReader tiles(*reader_, scene_);
  size_t counted = 0;
  for (uint32_t index = 0; index < 4; ++index) {
    const scene::BookPage& page = book.pages[index];
    const Json info = read_json(out / "pages" / std::to_string(index + 1) / "info.json");
    EXPECT_EQ(info["id"], fmt::format("{}/pages/{}", base_url, index + 1));
    EXPECT_EQ(info["profile"], "level0");
    EXPECT_EQ(info["width"], page.width);
    EXPECT_EQ(info["height"], page.height);
    EXPECT_EQ(info["tiles"][0]["width"], book.tile_size);
    ASSERT_EQ(info["tiles"][0]["scaleFactors"].size(), page.levels.size());
    for (uint32_t level = 0; level < page.levels.size(); ++level) {
      const uint32_t scale = 1u << level;
      const scene::PageLevel& size = page.levels[level];
      for (uint32_t row = 0; row < size.rows; ++row) {
        for (uint32_t column = 0; column < size.columns; ++column) {
          const uint32_t x = column * book.tile_size, y = row * book.tile_size;
          const uint32_t w = std::min(book.tile_size, size.width - x), h = std::min(book.tile_size, size.height - y);
          const fs::path file = out / "pages" / std::to_string(index + 1) /
                                fmt::format("{},{},{},{}", x * scale, y * scale, std::min(book.tile_size * scale, page.width - x * scale),
                                            std::min(book.tile_size * scale, page.height - y * scale)) /
                                fmt::format("{},{}", w, h) / "0" / "default.jpg";
          const auto jpeg = read_file(file);
          ASSERT_TRUE(jpeg.ok()) << file;
          const auto exported_pixels = pyramid::decode_tile(*jpeg, pyramid::TileEncoding::jpeg, w, h);
          ASSERT_TRUE(exported_pixels.ok()) << file;
          const scene::TileRect rect = scene::tile_rect(book, page, level, column, row);
          const auto stored = tiles.read({0, index, level, column, row});
          ASSERT_TRUE(stored.ok());
          const auto packed = pyramid::decode_tile(*stored, pyramid::TileEncoding::bc1, rect.width, rect.height);
          ASSERT_TRUE(packed.ok());
          ImageRgba8 inner(w, h);
          for (uint32_t at = 0; at < h; ++at) {
            std::copy_n(packed->at(x - rect.x, y - rect.y + at), size_t{w} * 4, inner.at(0, at));
          }
          EXPECT_GT(pyramid::psnr(*exported_pixels, inner), 30.0) << file;
          ++counted;
        }
      }
    }
  }
  EXPECT_EQ(counted, exported->tiles);
  EXPECT_FALSE(fs::exists(out / "pages" / "5")) << "a placeholder has no tiles";
}

TEST_F(ExportIiif, AWrongBookAFolderOfOtherFilesAndADamagedTileAreSentences) {
  const auto unknown = export_to(*folder_ / "unknown", "wenxuan");
  ASSERT_FALSE(unknown.ok());
  const std::string why = unknown.error().describe();
  EXPECT_NE(why.find("wenxuan"), std::string::npos) << why;
  EXPECT_NE(why.find("analects"), std::string::npos) << why;  // the books it has
  EXPECT_NE(why.find("没有书籍展品"), std::string::npos) << why;
  EXPECT_FALSE(fs::exists(*folder_ / "unknown"));

  const fs::path occupied = *folder_ / "occupied";
  fs::create_directories(occupied);
  std::ofstream(occupied / "catalogue.xlsx") << "keep me";
  ASSERT_FALSE(export_to(occupied).ok());
  EXPECT_TRUE(fs::exists(occupied / "catalogue.xlsx"));
  // An earlier export is replaced; one with a file added to it is not.
  const fs::path again = *folder_ / "again";
  ASSERT_TRUE(export_to(again).ok());
  ASSERT_TRUE(export_to(again).ok());
  std::ofstream(again / "pages" / "notes.txt") << "keep me";
  EXPECT_FALSE(export_to(again).ok());
  EXPECT_TRUE(fs::exists(again / "pages" / "notes.txt"));

  // A tile damaged in the package: the export fails naming the page, and leaves nothing.
  const fs::path damaged = *folder_ / "damaged.pvpkg";
  fs::copy_file(package_path(), damaged, fs::copy_options::overwrite_existing);
  const scene::BookPage& page = scene_.books[0].pages[1];
  const auto entry = std::ranges::find_if(reader_->index(), [&](const package::IndexEntry& blob) { return blob.hash == page.tiles.front(); });
  ASSERT_NE(entry, reader_->index().end());
  testing::flip_byte(damaged, entry->offset + entry->stored_size / 2);
  auto reader = package::PackageReader::open(damaged, package::TrustPolicy{{}, true, false});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const fs::path out = *folder_ / "from_damaged";
  const auto failed = export_book_iiif(**reader, scene_, out, {"", std::string(base_url), 90, 1});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().describe().find("page 2"), std::string::npos) << failed.error().describe();
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
}

TEST_F(ExportIiif, ServedByNginxTheExportPacksIntoTheSameBook) {
  const auto program = support::find_nginx();
  if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
  const fs::path site = *folder_ / "site";
  fs::create_directories(site);
  support::NginxSettings settings;
  settings.program = *program;
  settings.folder = *folder_ / "nginx";
  settings.server_directives = fmt::format("    location / {{ root {}; }}\n", site.string());
  auto nginx = support::NginxServer::start(settings);
  ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
  const std::string served = (*nginx)->url() + "/analects";
  ASSERT_TRUE(export_to(site / "analects", "analects", served).ok());

  const fs::path scene = *folder_ / "from_the_web";
  write_text(scene / "scene.json",
             scene_text(fmt::format(R"({{"manifest": "{}/manifest.json", "thread_bound": true}})", served)));
  BuildOptions options;
  options.scene_directory = scene;
  options.output = *folder_ / "from_the_web.pvpkg";
  options.cache_directory = *folder_ / "from_the_web_cache";
  options.thumbnails = false;
  options.jobs = 2;
  const auto built = build_package(options);
  ASSERT_TRUE(built.ok()) << built.error().describe();
  const auto again = scene::load_scene_file(options.output, package::TrustPolicy{{}, true, false});
  ASSERT_TRUE(again.ok()) << again.error().describe();
  const scene::Book& before = scene_.books[0];
  const scene::Book& after = again->books.at(0);
  ASSERT_EQ(after.pages.size(), before.pages.size());
  EXPECT_EQ(after.direction, before.direction);
  EXPECT_EQ(after.start_page, before.start_page);
  EXPECT_EQ(after.ranges, before.ranges);
  EXPECT_EQ(after.metadata, before.metadata);
  for (size_t page = 0; page < before.pages.size(); ++page) {
    EXPECT_EQ(after.pages[page].width, before.pages[page].width) << page;
    EXPECT_EQ(after.pages[page].height, before.pages[page].height) << page;
    EXPECT_EQ(after.pages[page].placeholder, before.pages[page].placeholder) << page;
    EXPECT_EQ(after.pages[page].behavior, before.pages[page].behavior) << page;
    EXPECT_EQ(after.pages[page].annotations, before.pages[page].annotations) << page;
    EXPECT_EQ(after.pages[page].lines, before.pages[page].lines) << page;
  }
  // The same picture, through BC1, JPEG and BC1 again: the coarsest level of page 1 compared.
  const auto reader = package::PackageReader::open(options.output, package::TrustPolicy{{}, true, false});
  ASSERT_TRUE(reader.ok());
  const uint32_t level = static_cast<uint32_t>(before.pages[0].levels.size() - 1);
  const scene::TileRect rect = scene::tile_rect(before, before.pages[0], level, 0, 0);
  const auto first = scene::BookTileReader(*reader_, scene_).read({0, 0, level, 0, 0});
  const auto second = scene::BookTileReader(**reader, *again).read({0, 0, level, 0, 0});
  ASSERT_TRUE(first.ok() && second.ok());
  const auto first_pixels = pyramid::decode_tile(*first, pyramid::TileEncoding::bc1, rect.width, rect.height);
  const auto second_pixels = pyramid::decode_tile(*second, pyramid::TileEncoding::bc1, rect.width, rect.height);
  ASSERT_TRUE(first_pixels.ok() && second_pixels.ok());
  EXPECT_GT(pyramid::psnr(*first_pixels, *second_pixels), 28.0);
}

TEST_F(ExportIiif, TheCommandNeedsAnAddressAndReportsWhatItWrote) {
  std::FILE* out = std::tmpfile();
  CommandContext context;
  context.out = out;
  const auto ran = command_export_iiif(context, package_path(), *folder_ / "command_out", {"analects", std::string(base_url), 90, 1});
  ASSERT_TRUE(ran.ok()) << ran.error().describe();
  EXPECT_EQ(*ran, 0);
  std::rewind(out);
  std::string printed(4096, '\0');
  printed.resize(std::fread(printed.data(), 1, printed.size(), out));
  std::fclose(out);
  EXPECT_NE(printed.find("5 pages"), std::string::npos) << printed;
  EXPECT_NE(printed.find("1 of its pages have no picture"), std::string::npos) << printed;
  EXPECT_TRUE(fs::exists(*folder_ / "command_out" / "manifest.json"));
}

}  // namespace
}  // namespace pavilion::pack
