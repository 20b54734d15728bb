// Books packed from a library's web server (#17): a IIIF manifest served by nginx over HTTPS with a
// certificate of the library's own authority (here self-signed for "localhost"), which
// pavilion-pack refuses without --ca-file and packs with it; a --ca-file that cannot be used,
// refused when the command line is read; and a page's hOCR text reached through its canvas's
// seeAlso over HTTP, packed as the hOCR's lines; a multi-part collection's volumes fetched and
// joined into one book; a page served as level-0 tiles too large to hold, stitched on disk. The command line is pavilion-pack itself, run as a curator runs it. Skipped only where nginx or openssl is not installed.
#include "pavilion/core/png.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/pyramid/iiif_export.h"
#include "pavilion/scene/loader.h"
#include "pavilion/support/nginx_server.h"
#include "book_scans.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace pavilion::pack {
namespace {

namespace fs = std::filesystem;
using testing::page_scan;
using testing::write_text;

// A book of `pages` canvases of 300 × 400 at `base`, page n's picture scans/pn.png; `see_also`
// gives a canvas's seeAlso links (a JSON array), by page.
std::string manifest_text(const std::string& base, int pages, const std::map<int, std::string>& see_also = {}) {
  std::string canvases;
  for (int page = 1; page <= pages; ++page) {
    const auto links = see_also.find(page);
    canvases += fmt::format(R"({}{{"id": "{}/c{}", "type": "Canvas", "width": 300, "height": 400,
      "label": {{"en": ["Leaf {}"]}}, {}
      "items": [{{"id": "{}/c{}/p", "type": "AnnotationPage", "items": [
        {{"id": "{}/c{}/a", "type": "Annotation", "motivation": "painting", "target": "{}/c{}",
         "body": {{"id": "{}/scans/p{}.png", "type": "Image", "format": "image/png", "width": 300, "height": 400}}}}]}}]}})",
                            page == 1 ? "" : ",", base, page, page,
                            links == see_also.end() ? "" : fmt::format(R"("seeAlso": {},)", links->second), base, page,
                            base, page, base, page, base, page);
  }
  return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "{}/manifest.json", "type": "Manifest", "label": {{"en": ["The Analects"], "zh": ["論語"]}},
  "rights": "http://creativecommons.org/publicdomain/mark/1.0/", "items": [{}]}})",
                     base, canvases);
}

// A scene of one book, from the manifest at `url`. Not read aloud: the lines are what is tested.
std::string scene_text(const std::string& url) {
  return fmt::format(R"({{
  "id": "from-the-library", "version": "1", "title": {{"zh-CN": "館藏", "en": "From the library"}},
  "viewpoints": [{{"position": [0, 1.6, 2], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "analects", "kind": "book", "position": [0, 1, 0],
    "metadata": {{"title": {{"zh-CN": "論語", "en": "The Analects"}}, "language": "lzh"}},
    "alt_text": {{"zh-CN": "一部書。", "en": "A book."}},
    "book": {{"manifest": "{}", "read_aloud": false}}}}]
}})",
                     url);
}

// The pictures of `pages` pages, as scans/pn.png under `www`.
void write_scans(const fs::path& www, int pages) {
  fs::create_directories(www / "scans");
  for (int page = 1; page <= pages; ++page) {
    ASSERT_TRUE(write_png(www / "scans" / fmt::format("p{}.png", page), page_scan(page)).ok());
  }
}

struct Ran {
  int exit_code = -1;
  std::string err;
};

// pavilion-pack with `arguments` (paths without quotes in them), its standard error kept.
// `leaks_checked` false: LeakSanitizer (the sanitizer suite) does not report the run's leaks. A
// pack that fetches over HTTPS and then builds the book leaves two 56-byte blocks allocated inside
// Mesa's lavapipe (offset 0x776e3 of libvulkan_lvp.so, found with LD_DEBUG=files), which the
// Vulkan loader has unloaded by exit: LeakSanitizer then shows no module for the frame, so
// tests/sanitizers/lsan.supp's leak:libvulkan_lvp.so cannot match it. Address errors are still
// reported.
Ran run_pack(const fs::path& folder, const std::string& arguments, bool leaks_checked = true) {
  const fs::path err = folder / "pack.err";
  const std::string command = fmt::format("{}'{}' {} >'{}' 2>'{}'", leaks_checked ? "" : "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" ",
                                          PAVILION_PACK_PROGRAM, arguments, (folder / "pack.out").string(), err.string());
  const int status = std::system(command.c_str());
  Ran ran;
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  ran.err = text.str();
  return ran;
}

bool have_openssl() { return std::system("command -v openssl >/dev/null 2>&1") == 0; }

// Packs folder/scene into folder/analects.pvpkg, fetching through folder/cache.
BuildOptions pack_options(const fs::path& folder) {
  BuildOptions options;
  options.scene_directory = folder / "scene";
  options.output = folder / "analects.pvpkg";
  options.cache_directory = folder / "cache";
  options.thumbnails = false;
  options.jobs = 2;
  return options;
}

// nginx on loopback serving `www` over plain HTTP, its own files in folder/nginx.
auto serve(const fs::path& program, const fs::path& folder, const fs::path& www) {
  support::NginxSettings settings;
  settings.program = program;
  settings.folder = folder / "nginx";
  settings.server_directives = fmt::format("    location / {{ root {}; }}\n", www.string());
  return support::NginxServer::start(settings);
}

// A self-signed certificate for "localhost" and its key, as in tests/iiif/page_images_test.cpp.
void make_certificate(const fs::path& certificate, const fs::path& key) {
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost -keyout " +
      key.string() + " -out " + certificate.string() + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(PackBookOverHttp, ALibrarysOwnAuthorityIsTrustedThroughCaFile) {
  const auto program = support::find_nginx();
  if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
  if (!have_openssl()) GTEST_SKIP() << "openssl is not installed";
  testing::TemporaryFolder folder;
  const fs::path certificate = folder / "library-ca.pem", key = folder / "server.key";
  ASSERT_NO_FATAL_FAILURE(make_certificate(certificate, key));
  const fs::path www = folder / "www";
  ASSERT_NO_FATAL_FAILURE(write_scans(www, 2));
  support::NginxSettings settings;
  settings.program = *program;
  settings.folder = folder / "nginx";
  // The listen line is written by NginxServer; nginx 1.22 still takes "ssl on" for it.
  settings.server_directives = fmt::format(
      "    ssl on;\n    ssl_certificate {};\n    ssl_certificate_key {};\n    location / {{ root {}; }}\n",
      certificate.string(), key.string(), www.string());
  auto nginx = support::NginxServer::start(settings);
  ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
  const std::string base = fmt::format("https://localhost:{}", (*nginx)->port());
  write_text(www / "manifest.json", manifest_text(base, 2));
  const std::string manifest_url = base + "/manifest.json";
  write_text(folder / "scene" / "scene.json", scene_text(manifest_url));
  const fs::path output = folder / "analects.pvpkg";
  const std::string build = fmt::format("build {} -o {} --cache {} --quiet", (folder / "scene").string(),
                                        output.string(), (folder / "cache").string());

  // The system's store does not know the library's authority: the manifest is refused, by its URL.
  const Ran refused = run_pack(folder.path(), build);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("certificate is not trusted"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("(pavilion-pack --ca-file FILE.pem)"), std::string::npos) << "the sentence says what to do";
  EXPECT_NE(refused.err.find(manifest_url), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("无法安全连接到 " + manifest_url), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(output));

  const Ran packed = run_pack(folder.path(), build + " --ca-file " + certificate.string(), /*leaks_checked=*/false);
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  const auto loaded = scene::load_scene_file(output, package::TrustPolicy{{}, true, false});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->books.size(), 1u);
  ASSERT_EQ(loaded->books[0].pages.size(), 2u);
  for (const scene::BookPage& page : loaded->books[0].pages) {
    EXPECT_FALSE(page.placeholder);
    EXPECT_EQ(page.width, 300u);
    EXPECT_EQ(page.height, 400u);
    EXPECT_FALSE(page.tiles.empty());
  }
}

// A path that names nothing, a folder, or a file without a certificate (the server's key) is a
// sentence naming it before anything is fetched, and no package is written.
TEST(PackBookOverHttp, ACaFileThatCannotBeUsedIsRefusedNamingIt) {
  testing::TemporaryFolder folder;
  write_text(folder / "scene" / "scene.json", scene_text("https://localhost:9/manifest.json"));
  write_text(folder / "server.key", "-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----\n");
  const fs::path output = folder / "analects.pvpkg";
  struct Case {
    fs::path file;
    std::string english, chinese;
  };
  const Case cases[] = {
      {folder / "library-ca.pem", "there is no such file", "没有这个文件"},
      {folder / "scene", "it is a folder, not a PEM file", "它是文件夹，不是 PEM 文件"},
      {folder / "server.key", "it holds no certificate in PEM form", "其中没有 PEM 格式的证书"},
  };
  for (const Case& bad : cases) {
    const Ran ran = run_pack(folder.path(), fmt::format("build {} -o {} --ca-file {}", (folder / "scene").string(),
                                                 output.string(), bad.file.string()));
    EXPECT_EQ(ran.exit_code, 2) << ran.err;
    const std::string named = fmt::format("{}", bad.file);
    EXPECT_NE(ran.err.find("the certificate authorities in " + named + " cannot be used: " + bad.english),
              std::string::npos)
        << ran.err;
    EXPECT_NE(ran.err.find("--ca-file 指定的证书颁发机构文件 " + named + " 无法使用：" + bad.chinese), std::string::npos)
        << ran.err;
    EXPECT_FALSE(fs::exists(output));
  }
}

// Vertical Chinese, as Tesseract's hOCR gives it: each column a line, read right to left.
constexpr std::string_view page_one_hocr = R"(<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body>
 <div class='ocr_page' id='page_1' title='bbox 0 0 300 400'>
  <div class='ocr_carea' id='block_1_1' title="bbox 200 20 270 220">
   <p class='ocr_par' id='par_1_1' lang='chi_tra_vert' title="bbox 200 20 270 220">
    <span class='ocr_line' id='line_1_1' title="bbox 240 20 270 220; textangle 90">
     <span class='ocrx_word' id='word_1_1' title='bbox 240 20 270 120; x_wconf 91'>學而</span>
     <span class='ocrx_word' id='word_1_2' title='bbox 240 120 270 220; x_wconf 89'>時習之</span>
    </span>
    <span class='ocr_line' id='line_1_2' title="bbox 200 20 230 180; textangle 90">
     <span class='ocrx_word' id='word_1_3' title='bbox 200 20 230 180; x_wconf 95'>不亦說乎</span>
    </span>
   </p>
  </div>
 </div>
</body></html>
)";

// A horizontal English line and a header, as an HTML page a library's OCR wrote.
constexpr std::string_view page_two_hocr = R"(<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><body>
 <div class='ocr_page' id='page_2' title='bbox 0 0 300 400'>
  <div class='ocr_carea' id='block_2_1' title="bbox 20 30 280 120">
   <p class='ocr_par' id='par_2_1' lang='eng' title="bbox 20 30 280 120">
    <span class='ocr_header' id='line_2_1' title="bbox 20 30 200 60">
     <span class='ocrx_word' id='word_2_1' title='bbox 20 30 200 60'>The Analects</span>
    </span>
    <span class='ocr_line' id='line_2_2' title="bbox 20 80 280 120">
     <span class='ocrx_word' id='word_2_2' title='bbox 20 80 120 120'>Book</span>
     <span class='ocrx_word' id='word_2_3' title='bbox 130 80 280 120'>one</span>
    </span>
   </p>
  </div>
 </div>
</body></html>
)";

// The canvas's seeAlso names its hOCR either by format (page 1, Tesseract's file) or by profile
// (page 2, an .html page): both are fetched through the build's HTTP cache and packed as lines.
TEST(PackBookOverHttp, HocrThroughACanvassSeeAlsoIsPackedAsItsLines) {
  const auto program = support::find_nginx();
  if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
  testing::TemporaryFolder folder;
  const fs::path www = folder / "www";
  ASSERT_NO_FATAL_FAILURE(write_scans(www, 2));
  write_text(www / "text" / "p1.hocr", page_one_hocr);
  write_text(www / "text" / "p2.html", page_two_hocr);
  auto nginx = serve(*program, folder.path(), www);
  ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
  const std::string base = (*nginx)->url();
  const std::map<int, std::string> see_also = {
      {1, fmt::format(R"([{{"id": "{}/text/p1.hocr", "type": "Text", "format": "text/vnd.hocr+html"}}])", base)},
      {2, fmt::format(R"([{{"id": "{}/text/p2.html", "type": "Text", "format": "text/html",
                            "profile": "http://kba.github.io/hocr-spec/1.2/"}}])",
                      base)},
  };
  write_text(www / "manifest.json", manifest_text(base, 2, see_also));
  write_text(folder / "scene" / "scene.json", scene_text(base + "/manifest.json"));

  const BuildOptions options = pack_options(folder.path());
  const auto built = build_package(options);
  ASSERT_TRUE(built.ok()) << built.error().describe();
  for (const Finding& note : built->notes) ADD_FAILURE() << note.describe(false);
  const auto loaded = scene::load_scene_file(options.output, package::TrustPolicy{{}, true, false});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->books.size(), 1u);
  const std::vector<scene::BookPage>& pages = loaded->books[0].pages;
  ASSERT_EQ(pages.size(), 2u);
  const std::vector<scene::PageTextLine> page_one = {
      {"學而時習之", {240, 20, 30, 200}, true, "zh-Hant"},
      {"不亦說乎", {200, 20, 30, 160}, true, "zh-Hant"},
  };
  const std::vector<scene::PageTextLine> page_two = {
      {"The Analects", {20, 30, 180, 30}, false, "en"},
      {"Book one", {20, 80, 260, 40}, false, "en"},
  };
  EXPECT_EQ(pages[0].lines, page_one);
  EXPECT_EQ(pages[1].lines, page_two);
}

// A multi-part collection on the library's server: each volume fetched by its id through the
// build's HTTP cache and joined into one book; a volume the server does not have refuses it, named.
TEST(PackBookOverHttp, AMultiPartCollectionsVolumesAreFetchedAndJoined) {
  const auto program = support::find_nginx();
  if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
  testing::TemporaryFolder folder;
  const fs::path www = folder / "www";
  auto nginx = serve(*program, folder.path(), www);
  ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
  const std::string base = (*nginx)->url();
  for (const int volume : {1, 2}) {
    const std::string name = fmt::format("vol{}", volume);
    fs::create_directories(www / name / "scans");
    for (int page = 1; page <= volume; ++page) {  // every page of every volume a picture of its own
      const auto scan = page_scan(static_cast<uint32_t>(volume * 10 + page));
      ASSERT_TRUE(write_png(www / name / "scans" / fmt::format("p{}.png", page), scan).ok());
    }
    write_text(www / name / "manifest.json", manifest_text(fmt::format("{}/{}", base, name), volume));
  }
  const auto collection = [&](int volumes) {
    std::string items;
    for (int volume = 1; volume <= volumes; ++volume) {
      items += fmt::format(R"({}{{"id": "{}/vol{}/manifest.json", "type": "Manifest"}})", volume == 1 ? "" : ",", base,
                           volume);
    }
    return fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json", "id": "{}/collection.json",
      "type": "Collection", "behavior": ["multi-part"], "label": {{"en": ["The Analects, complete"]}}, "items": [{}]}})",
                       base, items);
  };
  write_text(www / "collection.json", collection(2));
  write_text(folder / "scene" / "scene.json", scene_text(base + "/collection.json"));

  BuildOptions options = pack_options(folder.path());
  const auto built = build_package(options);
  ASSERT_TRUE(built.ok()) << built.error().describe();
  const auto loaded = scene::load_scene_file(options.output, package::TrustPolicy{{}, true, false});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Book& book = loaded->books.at(0);
  EXPECT_EQ(book.label.en, "The Analects, complete");
  ASSERT_EQ(book.pages.size(), 3u);
  for (const scene::BookPage& page : book.pages) EXPECT_FALSE(page.placeholder);
  // Volume 2's first page is its own picture, not volume 1's.
  EXPECT_NE(book.pages[1].tiles, book.pages[0].tiles);
  ASSERT_EQ(book.ranges.size(), 2u);
  EXPECT_EQ(book.ranges[0].pages, std::vector<uint32_t>{0});
  EXPECT_EQ(book.ranges[1].pages, (std::vector<uint32_t>{1, 2}));

  write_text(www / "collection.json", collection(3));
  options.output = folder / "missing.pvpkg";
  const auto refused = build_package(options);
  ASSERT_FALSE(refused.ok());
  const std::string said = refused.error().describe();
  EXPECT_NE(said.find(fmt::format("volume 3 of this multi-part collection ({}/vol3/manifest.json)", base)),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("此多部分集合的第 3 册"), std::string::npos) << said;
  EXPECT_FALSE(fs::exists(options.output));
}

// A library serving its scans only as a IIIF level-0 tile set (here made by pavilion's own export):
// a page of more pixels than the build may hold is stitched a row of tiles at a time on disk and
// streamed into its pyramid, and gives the same tiles as the page held in memory; the stitched
// file is gone once the page is tiled.
TEST(PackBookOverHttp, APageTooLargeToHoldIsStitchedOnDiskIntoTheSameTiles) {
  const auto program = support::find_nginx();
  if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
  testing::TemporaryFolder folder;
  const fs::path www = folder / "www";
  ASSERT_NO_FATAL_FAILURE(write_scans(www, 1));
  auto nginx = serve(*program, folder.path(), www);
  ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
  const std::string base = (*nginx)->url();
  const std::string service = base + "/iiif/p1";
  const auto exported = pyramid::export_iiif(www / "scans" / "p1.png", www / "iiif" / "p1", {service, 128, 90, 1});
  ASSERT_TRUE(exported.ok()) << exported.error().describe();
  write_text(www / "manifest.json", fmt::format(R"({{"@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "{0}/manifest.json", "type": "Manifest", "label": {{"en": ["The Analects"]}},
  "items": [{{"id": "{0}/c1", "type": "Canvas", "width": 300, "height": 400, "items": [
    {{"id": "{0}/c1/p", "type": "AnnotationPage", "items": [
      {{"id": "{0}/c1/a", "type": "Annotation", "motivation": "painting", "target": "{0}/c1",
       "body": {{"id": "{1}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg", "width": 300, "height": 400,
                "service": [{{"id": "{1}", "type": "ImageService3", "profile": "level0"}}]}}}}]}}]}}]}})",
                                                base, service));
  write_text(folder / "scene" / "scene.json", scene_text(base + "/manifest.json"));

  // Held (300 × 400 is far under the default), then stitched (more than 100 000 pixels).
  std::vector<std::vector<scene::BookPage>> books;
  for (const int64_t max_held : {BuildOptions{}.max_held_page_pixels, int64_t{100'000}}) {
    BuildOptions options = pack_options(folder.path());
    options.max_held_page_pixels = max_held;
    options.output = folder / fmt::format("held-{}.pvpkg", max_held);
    // A cache each: the second build tiles its page afresh rather than finding the first's tiles.
    options.cache_directory = folder / fmt::format("cache-{}", max_held);
    const auto built = build_package(options);
    ASSERT_TRUE(built.ok()) << built.error().describe();
    for (const Finding& note : built->notes) ADD_FAILURE() << note.describe(false);
    EXPECT_EQ(built->pages_stitched_on_disk, max_held == 100'000 ? 1u : 0u);
    const auto loaded = scene::load_scene_file(options.output, package::TrustPolicy{{}, true, false});
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    books.push_back(loaded->books.at(0).pages);
    // Nothing stitched is left behind in the build's cache.
    for (const auto& entry : fs::recursive_directory_iterator(options.cache_directory)) {
      EXPECT_FALSE(entry.path().string().find("stitched") != std::string::npos && entry.is_regular_file()) << entry.path();
    }
  }
  ASSERT_EQ(books[0].size(), 1u);
  ASSERT_EQ(books[1].size(), 1u);
  EXPECT_FALSE(books[1][0].placeholder);
  EXPECT_EQ(books[1][0].tiles, books[0][0].tiles);
}

}  // namespace
}  // namespace pavilion::pack
