// Page images (content_tools/iiif): a static IIIF Image API level-0 tile set served by Debian's
// nginx on loopback, written by the test from a 600 × 800 picture (256-pixel tiles at scale
// factors 1, 2 and 4, and one listed size), and a version 2 info.json with listed sizes only.
// Fetched through the cache on disk: tiles stitched equal the source's pixels, a second run is
// all 304s (nginx's access log), the server gone leaves the cache with a warning, a damaged entry
// is fetched again, and a 404, a timeout, a page that is not a picture and one too large are
// sentences in English and Chinese naming the URL. Skipped only where nginx is not installed.
#include "pavilion/iiif/page_images.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/iiif/http_cache.h"
#include "pavilion/iiif/image_service.h"
#include "pavilion/support/nginx_server.h"
#include "pavilion/pyramid/scan.h"
#include "temporary_folder.h"

namespace pavilion::iiif {
namespace {

namespace fs = std::filesystem;

constexpr int source_width = 600;
constexpr int source_height = 800;
constexpr int tile_size = 256;

// A picture where a tile put in the wrong place, or one pixel off, changes the comparison.
ImageRgba8 source_picture() {
  ImageRgba8 image(source_width, source_height);
  for (uint32_t y = 0; y < image.height; ++y) {
    for (uint32_t x = 0; x < image.width; ++x) {
      uint8_t* pixel = image.at(x, y);
      pixel[0] = static_cast<uint8_t>(x * 7 + y * 3);
      pixel[1] = static_cast<uint8_t>(x ^ y);
      pixel[2] = static_cast<uint8_t>((x * y) >> 4);
      pixel[3] = 255;
    }
  }
  return image;
}

// The picture at 1/scale: each pixel the rounded mean of the source pixels it covers (fewer at
// the right and bottom edges), as a tile generator makes a level.
ImageRgba8 reduced(const ImageRgba8& source, uint32_t scale) {
  ImageRgba8 level((source.width + scale - 1) / scale, (source.height + scale - 1) / scale);
  for (uint32_t y = 0; y < level.height; ++y) {
    for (uint32_t x = 0; x < level.width; ++x) {
      uint32_t sums[4] = {}, count = 0;
      for (uint32_t sy = y * scale; sy < std::min(source.height, (y + 1) * scale); ++sy) {
        for (uint32_t sx = x * scale; sx < std::min(source.width, (x + 1) * scale); ++sx, ++count) {
          for (int c = 0; c < 4; ++c) sums[c] += source.at(sx, sy)[c];
        }
      }
      for (int c = 0; c < 4; ++c) level.at(x, y)[c] = static_cast<uint8_t>((sums[c] + count / 2) / count);
    }
  }
  return level;
}

ImageRgba8 crop(const ImageRgba8& image, uint32_t x, uint32_t y, uint32_t width, uint32_t height) {
  ImageRgba8 part(width, height);
  for (uint32_t row = 0; row < height; ++row) {
    std::copy_n(image.at(x, y + row), width * 4, part.at(0, row));
  }
  return part;
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

void write_picture(const fs::path& path, const ImageRgba8& image) {
  fs::create_directories(path.parent_path());
  ASSERT_TRUE(write_png(path, image).ok()) << path;
}

ImageRgba8 decode(const std::vector<std::byte>& bytes, const fs::path& scratch) {
  std::ofstream(scratch, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  auto image = read_png(scratch);
  EXPECT_TRUE(image.ok()) << image.error().describe();
  return image.ok() ? std::move(image).value() : ImageRgba8{};
}

// A loopback port that accepts connections (the kernel completes them) and never answers.
class SilentServer {
 public:
  SilentServer() {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(socket_, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(socket_, 8) != 0 ||
        ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(socket_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  uint16_t port() const { return port_; }

 private:
  int socket_ = -1;
  uint16_t port_ = 0;
};

class IiifPageImages : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto program = support::find_nginx();
    if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
    support::NginxSettings settings;
    settings.program = *program;
    settings.folder = folder_ / "nginx";
    // A page that moved, answered with a redirect to where it is now.
    settings.server_directives = fmt::format(R"(    absolute_redirect off;
    location = /old/page.png {{ return 301 /iiif/3/book1-p1/full/150,200/0/default.png; }}
    location = /moving/page.png {{ return 302 /moving/page.png; }}
    location / {{ root {}; }})",
                                             www().string());
    auto nginx = support::NginxServer::start(settings);
    ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
    nginx_ = std::move(nginx).value();
    base_ = nginx_->url();
    name_server();
    cache_ = open_cache();
  }

  std::unique_ptr<HttpCache> open_cache(uint64_t max_bytes = uint64_t{1} << 30) {
    HttpCache::Settings settings;
    settings.folder = folder_ / "cache";
    settings.max_bytes = max_bytes;
    settings.timeout = std::chrono::milliseconds(2000);
    auto cache = HttpCache::open(settings);
    EXPECT_TRUE(cache.ok()) << cache.error().describe();
    return cache.ok() ? std::move(cache).value() : nullptr;
  }

  // The tile set is written once for all the tests (it is most of their time: each PNG is
  // written atomically, with a flush to disk); each test runs its own nginx and cache over it.
  static void SetUpTestSuite() {
    if (!support::find_nginx()) return;
    site_ = std::make_unique<testing::TemporaryFolder>();
    source_ = source_picture();
    tiles_written_.clear();
    write_tile_set();
  }
  static void TearDownTestSuite() { site_.reset(); }
  static fs::path www() { return site_->path() / "www"; }

  // Image API 3, level 0: 256-pixel tiles at scale factors 1, 2 and 4, each named as a client
  // asks for it (the region "x,y,w,h", or "full" for a tile holding the whole picture; the size
  // "w,h"), and the listed size 150 × 200. Image API 2: listed sizes only, named "w,".
  static void write_tile_set() {
    const fs::path v3 = www() / "iiif/3/book1-p1";
    write_text(v3 / "info.json.in",
               nlohmann::json{
                   {"@context", "http://iiif.io/api/image/3/context.json"},
                   {"id", "SERVER/iiif/3/book1-p1"},
                   {"type", "ImageService3"},
                   {"protocol", "http://iiif.io/api/image"},
                   {"profile", "level0"},
                   {"width", source_width},
                   {"height", source_height},
                   {"sizes", {{{"width", 150}, {"height", 200}}}},
                   {"tiles", {{{"width", tile_size}, {"scaleFactors", {1, 2, 4}}}}},
                   {"preferredFormats", {"png"}},
               }
                   .dump());
    for (const uint32_t scale : {1u, 2u, 4u}) {
      const ImageRgba8 level = reduced(source_, scale);
      const uint32_t region = tile_size * scale;
      for (uint32_t y = 0; y < source_height; y += region) {
        for (uint32_t x = 0; x < source_width; x += region) {
          const uint32_t width = std::min<uint32_t>(region, source_width - x);
          const uint32_t height = std::min<uint32_t>(region, source_height - y);
          const uint32_t scaled_width = (width + scale - 1) / scale, scaled_height = (height + scale - 1) / scale;
          const std::string region_name = width == source_width && height == source_height
                                              ? std::string("full")
                                              : fmt::format("{},{},{},{}", x, y, width, height);
          write_picture(v3 / region_name / fmt::format("{},{}", scaled_width, scaled_height) / "0/default.png",
                        crop(level, x / scale, y / scale, scaled_width, scaled_height));
          ++tiles_written_[scale];
        }
      }
    }
    write_picture(v3 / "full/150,200/0/default.png", reduced(source_, 4));

    const fs::path v2 = www() / "iiif/2/book1-p2";
    write_text(v2 / "info.json.in",
               nlohmann::json{
                   {"@context", "http://iiif.io/api/image/2/context.json"},
                   {"@id", "SERVER/iiif/2/book1-p2"},
                   {"protocol", "http://iiif.io/api/image"},
                   {"profile", {"http://iiif.io/api/image/2/level0.json", {{"formats", {"png"}}}}},
                   {"width", source_width},
                   {"height", source_height},
                   {"sizes", {{{"width", 150}, {"height", 200}}, {{"width", 300}, {"height", 400}}}},
               }
                   .dump());
    write_picture(v2 / "full/150,/0/default.png", reduced(source_, 4));
    write_picture(v2 / "full/300,/0/default.png", reduced(source_, 2));
    write_text(www() / "pages/not-a-picture.jpg", "<html><body>Sign in to see this page</body></html>");
  }

  // info.json names its server; the port is known only once nginx runs, so it is filled in then.
  void name_server() {
    for (const char* info : {"iiif/3/book1-p1/info.json", "iiif/2/book1-p2/info.json"}) {
      auto bytes = read_file(www() / (std::string(info) + ".in"));
      ASSERT_TRUE(bytes.ok());
      std::string text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
      text.replace(text.find("SERVER"), 6, base_);
      write_text(www() / info, text);
    }
  }

  Manifest book_with(std::vector<Image> images) {
    Manifest manifest;
    for (size_t i = 0; i < images.size(); ++i) {
      Canvas canvas;
      canvas.id = fmt::format("{}/canvas/{}", base_, i + 1);
      canvas.label.entries.push_back({"none", {fmt::format("p. {}", i + 1)}});
      canvas.width = source_width;
      canvas.height = source_height;
      canvas.paintings.push_back({{std::move(images[i])}});
      manifest.canvases.push_back(std::move(canvas));
    }
    return manifest;
  }

  Image service_image(int version) {
    Image image;
    const std::string service = fmt::format("{}/iiif/{}/book1-p{}", base_, version, version == 3 ? 1 : 2);
    image.id = service + "/full/max/0/default.jpg";
    image.services.push_back({service, version, 0, version == 3 ? "level0" : "http://iiif.io/api/image/2/level0.json"});
    return image;
  }

  // Each request nginx has logged: its path and status. nginx writes a request's line once its
  // answer has gone, so the client may be done first: this waits (at most 2 s) for `expected`.
  using Log = std::vector<std::pair<std::string, int>>;
  Log requests(size_t expected = 0) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    for (;;) {
      std::ifstream log(folder_ / "nginx/access.log");
      Log lines;
      for (std::string line; std::getline(log, line);) {
        const size_t get = line.find("\"GET ");
        if (get == std::string::npos) continue;
        const size_t path_end = line.find(' ', get + 5);
        const size_t status = line.find("\" ", path_end) + 2;
        lines.emplace_back(line.substr(get + 5, path_end - get - 5), std::stoi(line.substr(status, 3)));
      }
      if (lines.size() >= expected || std::chrono::steady_clock::now() > deadline) return lines;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  static size_t count_status(const Log& log, int status) {
    return static_cast<size_t>(
        std::count_if(log.begin(), log.end(), [&](const auto& line) { return line.second == status; }));
  }

  static inline std::unique_ptr<testing::TemporaryFolder> site_;
  static inline ImageRgba8 source_;
  static inline std::map<uint32_t, size_t> tiles_written_;
  testing::TemporaryFolder folder_;
  std::unique_ptr<support::NginxServer> nginx_;
  std::string base_;
  std::unique_ptr<HttpCache> cache_;
};

TEST_F(IiifPageImages, Level0TilesStitchedEqualTheSourceAtEachScale) {
  const Manifest manifest = book_with({service_image(3)});
  const struct {
    int max_width, max_height;
    uint32_t scale;
    size_t requests;  // info.json and the tiles, or the one listed size
  } cases[] = {{0, 0, 1, 1 + 12}, {300, 400, 2, 1 + 4}, {160, 210, 4, 1 + 1}};
  size_t expected_requests = 0;
  for (const auto& c : cases) {
    PageImageOptions options;
    options.cache = cache_.get();
    options.max_width = c.max_width;
    options.max_height = c.max_height;
    const PageImages images = resolve_page_images(manifest, options);
    ASSERT_TRUE(images.warnings.empty()) << images.warnings.front().describe();
    ASSERT_TRUE(images.canvases.at(0).paintings.at(0).has_value());
    const PageImage& page = *images.canvases[0].paintings[0];
    EXPECT_EQ(page.source, PageImage::Source::image_service);
    EXPECT_EQ(page.media_type, "image/png");
    const ImageRgba8 expected = c.scale == 1 ? source_ : reduced(source_, c.scale);
    const ImageRgba8 fetched = decode(page.bytes, folder_ / "fetched.png");
    EXPECT_EQ(fetched.width, expected.width) << "scale " << c.scale;
    EXPECT_EQ(fetched.height, expected.height) << "scale " << c.scale;
    EXPECT_TRUE(fetched.pixels == expected.pixels) << "scale " << c.scale;
    // The first case asks for everything; later ones ask for info.json again (revalidated).
    expected_requests += c.requests;
    EXPECT_EQ(requests(expected_requests).size(), expected_requests) << "scale " << c.scale;
  }
  EXPECT_EQ(tiles_written_[1], 12u);
  EXPECT_EQ(count_status(requests(), 404), 0u);
}

// A page of more pixels than may be held (here 100 000 of its 480 000) is stitched a row of tiles
// at a time into a TIFF in the scratch folder, which the pyramid reads back equal to the source;
// the page names its service, not the file. With no scratch folder it is refused as too large,
// with a sentence naming its size.
TEST_F(IiifPageImages, APageTooLargeToHoldIsStitchedIntoAFileThePyramidReads) {
  const Manifest manifest = book_with({service_image(3)});
  PageImageOptions options;
  options.cache = cache_.get();
  options.max_held_pixels = 100'000;
  options.scratch = folder_ / "stitched";
  const PageImages images = resolve_page_images(manifest, options);
  ASSERT_TRUE(images.warnings.empty()) << images.warnings.front().describe();
  ASSERT_TRUE(images.canvases.at(0).paintings.at(0).has_value());
  const PageImage& page = *images.canvases[0].paintings[0];
  EXPECT_TRUE(page.bytes.empty()) << "nothing of it held";
  EXPECT_EQ(page.media_type, "image/tiff");
  EXPECT_TRUE(page.origin.ends_with("/info.json")) << page.origin;
  ASSERT_EQ(page.stitched_file.parent_path(), folder_ / "stitched");
  auto scan = pyramid::open_scan(page.stitched_file);
  ASSERT_TRUE(scan.ok()) << scan.error().describe();
  ASSERT_EQ((*scan)->width(), source_.width);
  ASSERT_EQ((*scan)->height(), source_.height);
  std::vector<uint8_t> pixels(source_.pixels.size());
  ASSERT_TRUE((*scan)->read_rows(source_.height, pixels).ok());
  EXPECT_TRUE(pixels == source_.pixels);
  EXPECT_EQ(tiles_written_[1], 12u);
  // The same file, the same hash: a second build's caches find the page's tiles.
  const PageImages again = resolve_page_images(manifest, options);
  ASSERT_TRUE(again.canvases.at(0).paintings.at(0).has_value());
  EXPECT_EQ(again.canvases[0].paintings[0]->hash, page.hash);

  options.scratch.clear();
  const PageImages refused = resolve_page_images(manifest, options);
  EXPECT_FALSE(refused.canvases.at(0).paintings.at(0).has_value());
  ASSERT_EQ(refused.warnings.size(), 1u);
  EXPECT_NE(refused.warnings[0].message.find("600 × 800 pixels to stitch from tiles"), std::string::npos) << refused.warnings[0].message;
}

TEST_F(IiifPageImages, Version2InfoGivesTheLargestListedSizeThatFits) {
  PageImageOptions options;
  options.cache = cache_.get();
  options.max_width = 400;
  options.max_height = 400;
  const PageImages images = resolve_page_images(book_with({service_image(2)}), options);
  ASSERT_TRUE(images.warnings.empty()) << images.warnings.front().describe();
  ASSERT_TRUE(images.canvases.at(0).paintings.at(0).has_value());
  const ImageRgba8 fetched = decode(images.canvases[0].paintings[0]->bytes, folder_ / "fetched.png");
  EXPECT_TRUE(fetched.pixels == reduced(source_, 2).pixels);
  const Log log = requests(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].first, "/iiif/2/book1-p2/full/300,/0/default.png");
}

TEST_F(IiifPageImages, ASecondRunRevalidatesEveryFileWith304) {
  const Manifest manifest = book_with({service_image(3), service_image(2)});
  PageImageOptions options;
  options.cache = cache_.get();
  options.max_width = 300;
  options.max_height = 400;
  const PageImages first = resolve_page_images(manifest, options);
  ASSERT_TRUE(first.warnings.empty()) << first.warnings.front().describe();
  const size_t fetched = (1u + 4u) + (1u + 1u);
  EXPECT_EQ(count_status(requests(fetched), 200), fetched);

  // Another run of the packer: a cache opened anew on the same folder.
  cache_ = open_cache();
  options.cache = cache_.get();
  const PageImages second = resolve_page_images(manifest, options);
  ASSERT_TRUE(second.warnings.empty()) << second.warnings.front().describe();
  const Log log = requests(2 * fetched);
  EXPECT_EQ(count_status(log, 304), fetched);
  EXPECT_EQ(log.size(), 2 * fetched);
  EXPECT_EQ(cache_->counters().revalidated, fetched);
  EXPECT_EQ(cache_->counters().downloaded, 0u);
  for (size_t page = 0; page < 2; ++page) {
    EXPECT_EQ(second.canvases[page].paintings[0]->bytes, first.canvases[page].paintings[0]->bytes) << page;
  }
}

TEST_F(IiifPageImages, WithTheServerGoneTheCacheServesWithAWarning) {
  const Manifest manifest = book_with({service_image(3)});
  PageImageOptions options;
  options.cache = cache_.get();
  options.max_width = 300;
  options.max_height = 400;
  const PageImages online = resolve_page_images(manifest, options);
  ASSERT_TRUE(online.warnings.empty());
  nginx_.reset();
  const PageImages offline = resolve_page_images(manifest, options);
  ASSERT_TRUE(offline.canvases[0].paintings[0].has_value());
  EXPECT_EQ(offline.canvases[0].paintings[0]->bytes, online.canvases[0].paintings[0]->bytes);
  ASSERT_EQ(offline.warnings.size(), 1u);
  const checking::Finding& warning = offline.warnings.front();
  EXPECT_EQ(warning.severity, checking::Finding::Severity::warning);
  EXPECT_EQ(warning.location, "canvases[0]");
  EXPECT_NE(warning.message.find(base_ + "/iiif/3/book1-p1/info.json"), std::string::npos) << warning.message;
  EXPECT_NE(warning.message.find("the copy kept in the cache was used"), std::string::npos) << warning.message;
  EXPECT_NE(warning.message_zh.find("已使用缓存中保存的副本"), std::string::npos) << warning.message_zh;
  EXPECT_EQ(cache_->counters().offline, 5u);  // info.json and four tiles
}

TEST_F(IiifPageImages, ADamagedCacheEntryIsFetchedAgain) {
  const std::string url = base_ + "/iiif/3/book1-p1/full/150,200/0/default.png";
  const FetchResult first = cache_->get(url);
  ASSERT_TRUE(first.ok()) << first.problem->sentence.en;
  // One byte flipped, the length unchanged: only the hash notices.
  auto body = read_file(cache_->body_path(url)).value();
  body[body.size() / 2] ^= std::byte{0x40};
  ASSERT_TRUE(write_file_atomic(cache_->body_path(url), body).ok());

  const FetchResult second = cache_->get(url);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.fetched->body, first.fetched->body);
  EXPECT_EQ(second.fetched->origin, Fetched::Origin::downloaded);
  EXPECT_EQ(cache_->counters().corrupt, 1u);
  EXPECT_EQ(count_status(requests(2), 200), 2u);  // fetched whole again, not revalidated against a bad copy
  EXPECT_EQ(read_file(cache_->body_path(url)).value(), first.fetched->body);
}

TEST_F(IiifPageImages, ProblemsAreSentencesInBothLanguagesNamingTheUrl) {
  // 404: a page whose image the server lacks stays a placeholder, with a warning.
  Image missing;
  missing.id = base_ + "/pages/page-404.jpg";
  PageImageOptions options;
  options.cache = cache_.get();
  const PageImages images = resolve_page_images(book_with({missing}), options);
  EXPECT_FALSE(images.canvases.at(0).paintings.at(0).has_value());
  ASSERT_EQ(images.warnings.size(), 1u);
  const checking::Finding& warning = images.warnings.front();
  EXPECT_NE(warning.message.find("Page \"p. 1\""), std::string::npos) << warning.message;
  EXPECT_NE(warning.message.find("blank placeholder"), std::string::npos) << warning.message;
  EXPECT_NE(warning.message.find(missing.id + " (HTTP 404)"), std::string::npos) << warning.message;
  EXPECT_NE(warning.message_zh.find("空白占位页"), std::string::npos) << warning.message_zh;
  EXPECT_NE(warning.message_zh.find("服务器上没有 " + missing.id + "（HTTP 404）"), std::string::npos)
      << warning.message_zh;

  // Not a picture: a sign-in page where the scan should be.
  const std::string html = base_ + "/pages/not-a-picture.jpg";
  const PageImages not_picture = resolve_page_images(book_with({Image{html, {}, 0, 0, {}, {}, {}, 0, {}}}), options);
  ASSERT_EQ(not_picture.warnings.size(), 1u);
  EXPECT_NE(not_picture.warnings[0].message.find(html + " is not a picture"), std::string::npos)
      << not_picture.warnings[0].message;
  EXPECT_NE(not_picture.warnings[0].message_zh.find(html + " 不是图片"), std::string::npos);

  // Too large for the limit.
  HttpCache::Settings small;
  small.folder = folder_ / "small-cache";
  small.max_body_bytes = 1000;
  auto limited = HttpCache::open(small).value();
  const std::string tile = base_ + "/iiif/3/book1-p1/full/150,200/0/default.png";
  const FetchResult large = limited->get(tile);
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.problem->kind, Problem::Kind::too_large);
  EXPECT_NE(large.problem->sentence.en.find(tile + " is too large"), std::string::npos) << large.problem->sentence.en;
  EXPECT_NE(large.problem->sentence.zh_cn.find(tile + " 太大"), std::string::npos);
  EXPECT_FALSE(limited->holds(tile));
}

TEST_F(IiifPageImages, ARedirectIsFollowedAndCachedUnderTheFirstUrl) {
  const std::string moved = base_ + "/old/page.png";
  const FetchResult result = cache_->get(moved);
  ASSERT_TRUE(result.ok()) << result.problem->sentence.en;
  EXPECT_EQ(result.fetched->body, read_file(www() / "iiif/3/book1-p1/full/150,200/0/default.png").value());
  EXPECT_TRUE(cache_->holds(moved));
  const Log log = requests(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].second, 301);
  EXPECT_EQ(log[1].second, 200);
}

// An image that keeps moving is given up after five redirects, in a sentence naming where it went.
TEST_F(IiifPageImages, AnImageThatKeepsMovingIsGivenUpWithASentence) {
  const FetchResult result = cache_->get(base_ + "/moving/page.png");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.problem->kind, Problem::Kind::refused);
  EXPECT_NE(result.problem->sentence.en.find("moved more than 5 times"), std::string::npos) << result.problem->sentence.en;
  EXPECT_NE(result.problem->sentence.en.find("/moving/page.png"), std::string::npos);
  EXPECT_NE(result.problem->sentence.zh_cn.find("转移了 5 次以上"), std::string::npos) << result.problem->sentence.zh_cn;
  EXPECT_EQ(requests(6).size(), 6u);
}

// HTTPS: nginx with a self-signed certificate for "localhost" (made with the openssl command),
// trusted when named as the library's authority, refused with a sentence otherwise.
TEST(IiifHttpCache, HttpsChecksTheCertificate) {
  const auto program = support::find_nginx();
  if (!program) GTEST_SKIP() << "nginx is not installed (scripts/setup installs Debian's nginx)";
  testing::TemporaryFolder folder;
  const fs::path certificate = folder / "server.crt", key = folder / "server.key";
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost -keyout " +
      key.string() + " -out " + certificate.string() + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  write_picture(folder / "www/page.png", ImageRgba8(8, 8));
  support::NginxSettings settings;
  settings.program = *program;
  settings.folder = folder / "nginx";
  // The listen line is written by NginxServer; nginx 1.22 still takes "ssl on" for it.
  settings.server_directives = fmt::format(
      "    ssl on;\n    ssl_certificate {};\n    ssl_certificate_key {};\n"
      "    location / {{ root {}; }}",
      certificate.string(), key.string(), (folder / "www").string());
  auto nginx = support::NginxServer::start(settings);
  ASSERT_TRUE(nginx.ok()) << nginx.error().describe();
  const std::string url = fmt::format("https://localhost:{}/page.png", (*nginx)->port());

  HttpCache::Settings trusting;
  trusting.folder = folder / "cache";
  trusting.ca_file = certificate;
  const FetchResult trusted = HttpCache::open(trusting).value()->get(url);
  ASSERT_TRUE(trusted.ok()) << trusted.problem->sentence.en;
  EXPECT_EQ(trusted.fetched->body, read_file(folder / "www/page.png").value());

  HttpCache::Settings system_store;
  system_store.folder = folder / "other-cache";
  const FetchResult untrusted = HttpCache::open(system_store).value()->get(url);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.problem->kind, Problem::Kind::unreachable);
  EXPECT_NE(untrusted.problem->sentence.en.find("certificate is not trusted"), std::string::npos)
      << untrusted.problem->sentence.en;
  EXPECT_NE(untrusted.problem->sentence.zh_cn.find("无法安全连接到 " + url), std::string::npos)
      << untrusted.problem->sentence.zh_cn;
}

TEST(IiifHttpCache, ASilentServerIsATimeoutInBothLanguages) {
  testing::TemporaryFolder folder;
  SilentServer silent;
  HttpCache::Settings settings;
  settings.folder = folder / "cache";
  settings.timeout = std::chrono::milliseconds(200);
  auto cache = HttpCache::open(settings).value();
  const std::string url = fmt::format("http://127.0.0.1:{}/iiif/3/page/info.json", silent.port());
  const auto started = std::chrono::steady_clock::now();
  const FetchResult result = cache->get(url);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.problem->kind, Problem::Kind::timeout);
  EXPECT_EQ(result.problem->url, url);
  EXPECT_NE(result.problem->sentence.en.find(url + " did not answer in time (no answer within 200 ms)"),
            std::string::npos)
      << result.problem->sentence.en;
  EXPECT_NE(result.problem->sentence.zh_cn.find(url + " 没有及时回应（200 毫秒内没有回应）"), std::string::npos)
      << result.problem->sentence.zh_cn;
}

TEST_F(IiifPageImages, TheEntriesUsedLongestAgoAreEvictedFirst) {
  const std::string a = base_ + "/iiif/3/book1-p1/full/150,200/0/default.png";
  const std::string b = base_ + "/iiif/2/book1-p2/full/150,/0/default.png";
  const std::string c = base_ + "/iiif/2/book1-p2/full/300,/0/default.png";
  const uint64_t small_size = fs::file_size(www() / "iiif/3/book1-p1/full/150,200/0/default.png");
  const uint64_t large_size = fs::file_size(www() / "iiif/2/book1-p2/full/300,/0/default.png");
  // Room for the two small ones and the large one, less one byte: one must go.
  cache_ = open_cache(2 * small_size + large_size - 1);
  ASSERT_TRUE(cache_->get(a).ok());
  ASSERT_TRUE(cache_->get(b).ok());
  ASSERT_TRUE(cache_->get(a).ok());  // a used again: b is now the one used longest ago
  ASSERT_TRUE(cache_->get(c).ok());
  EXPECT_TRUE(cache_->holds(a));
  EXPECT_FALSE(cache_->holds(b));
  EXPECT_TRUE(cache_->holds(c));
  EXPECT_FALSE(fs::exists(cache_->body_path(b)));
  EXPECT_EQ(cache_->counters().evicted, 1u);
  EXPECT_LE(cache_->stored_bytes(), 2 * small_size + large_size - 1);
  // Reopened, the cache knows what it holds, and drops what nothing describes (a body whose
  // description a crash prevented, a temporary file).
  write_text(folder_ / "cache/0123456789abcdef0123456789abcdef01234567.body", std::string(5000, 'x'));
  write_text(cache_->body_path(a).string() + ".tmp-1", "half written");
  // A description whose size is text, not a number, is dropped with its body; a file the cache
  // did not make is left alone.
  write_text(folder_ / "cache/89abcdef0123456789abcdef0123456789abcdef.meta",
             R"({"url": "http://x/y.jpg", "hash": "00", "size": "12"})");
  write_text(folder_ / "cache/notes.txt", "someone else's");
  cache_ = open_cache(2 * small_size + large_size - 1);
  EXPECT_FALSE(fs::exists(folder_ / "cache/89abcdef0123456789abcdef0123456789abcdef.meta"));
  EXPECT_TRUE(fs::exists(folder_ / "cache/notes.txt"));
  EXPECT_FALSE(fs::exists(folder_ / "cache/0123456789abcdef0123456789abcdef01234567.body"));
  EXPECT_FALSE(fs::exists(cache_->body_path(a).string() + ".tmp-1"));
  EXPECT_TRUE(fs::exists(cache_->body_path(a)));
  EXPECT_TRUE(cache_->holds(a));
  EXPECT_TRUE(cache_->holds(c));
  EXPECT_EQ(cache_->stored_bytes(), small_size + large_size);
}

TEST(IiifPageImageFiles, LocalFilesByMapOrByNameInTheFolder) {
  testing::TemporaryFolder folder;
  ImageRgba8 picture(4, 4);
  for (const char* name : {"scans/book1-p1.png", "scans/page-002.png", "scans/default.png", "elsewhere/cover.png"}) {
    write_picture(folder / name, picture);
  }
  write_text(folder / "scans/notes.txt", "not a scan");
  Manifest manifest;
  const auto add = [&](std::string id, std::string label, Image image) {
    Canvas canvas;
    canvas.id = std::move(id);
    canvas.label.entries.push_back({"en", {std::move(label)}});
    canvas.paintings.push_back({{std::move(image)}});
    manifest.canvases.push_back(std::move(canvas));
  };
  // The identifier in the service URL (an encoded slash in it), not the request's "default.jpg".
  Image by_service;
  by_service.id = "https://images.example.org/iiif/3/books%2Fbook1-p1/full/max/0/default.jpg";
  by_service.services.push_back({"https://images.example.org/iiif/3/books%2Fbook1-p1", 3, 2, "level2"});
  add("https://example.org/canvas/1", "f. 1r", by_service);
  add("https://example.org/canvas/2", "f. 1v",
      Image{"https://example.org/scans/page-002.jpg?download=1", {}, 0, 0, {}, {}, {}, 0, {}});
  add("https://example.org/canvas/3", "Cover",
      Image{"https://example.org/scans/front.jpg", {}, 0, 0, {}, {}, {}, 0, {}});
  add("https://example.org/canvas/4", "f. 2r",
      Image{"https://example.org/iiif/3/nowhere/full/max/0/default.jpg", {}, 0, 0, {}, {}, {}, 0, {}});

  PageImageOptions options;
  options.folder = folder / "scans";
  options.files.emplace("Cover", folder / "elsewhere/cover.png");  // by the page's label
  const PageImages images = resolve_page_images(manifest, options);
  ASSERT_EQ(images.canvases.size(), 4u);
  ASSERT_TRUE(images.canvases[0].paintings[0]);
  EXPECT_EQ(images.canvases[0].paintings[0]->origin, (folder / "scans/book1-p1.png").string());
  EXPECT_EQ(images.canvases[0].paintings[0]->source, PageImage::Source::folder);
  ASSERT_TRUE(images.canvases[1].paintings[0]);
  EXPECT_EQ(images.canvases[1].paintings[0]->origin, (folder / "scans/page-002.png").string());
  ASSERT_TRUE(images.canvases[2].paintings[0]);
  EXPECT_EQ(images.canvases[2].paintings[0]->source, PageImage::Source::mapped);
  EXPECT_EQ(images.canvases[2].paintings[0]->media_type, "image/png");
  // A local scan is hashed as it is read, and not held: the pyramid reads it from its file.
  const auto cover = read_file(folder / "elsewhere/cover.png");
  ASSERT_TRUE(cover.ok());
  EXPECT_EQ(images.canvases[2].paintings[0]->hash, hash_content(*cover));
  EXPECT_TRUE(images.canvases[2].paintings[0]->bytes.empty());
  // "default.jpg" names no page: not matched with default.png, and without fetching, a warning.
  EXPECT_FALSE(images.canvases[3].paintings[0]);
  ASSERT_EQ(images.warnings.size(), 1u);
  EXPECT_EQ(images.warnings[0].location, "canvases[3]");
  EXPECT_NE(images.warnings[0].message.find("No file in " + (folder / "scans").string() + " matches its name"),
            std::string::npos)
      << images.warnings[0].message;
  EXPECT_NE(images.warnings[0].message_zh.find("没有与其名称相符的文件"), std::string::npos);
}

TEST(IiifImageService, PlansFollowTheLevelAndTheVersion) {
  const auto info = [](std::string_view text) { return parse_image_info(text, "https://x/info.json").value(); };
  const ImageInfo v3 = info(R"({"@context": "http://iiif.io/api/image/3/context.json", "id": "https://x/i/",
    "type": "ImageService3", "profile": "level2", "width": 4000, "height": 6000, "maxWidth": 3000})");
  EXPECT_EQ(v3.id, "https://x/i");
  EXPECT_EQ(v3.max_height, 3000);
  ImageRequest request = plan_full_image(v3, 0, 0);
  ASSERT_EQ(request.pieces.size(), 1u);
  EXPECT_EQ(request.pieces[0].url, "https://x/i/full/2000,3000/0/default.jpg");
  request = plan_full_image(v3, 8000, 1500);
  EXPECT_EQ(request.pieces[0].url, "https://x/i/full/1000,1500/0/default.jpg");

  const ImageInfo v2 = info(R"({"@context": "http://iiif.io/api/image/2/context.json", "@id": "https://x/j",
    "profile": ["http://iiif.io/api/image/2/level1.json"], "width": 4000, "height": 6000})");
  EXPECT_EQ(v2.level, 1);
  EXPECT_EQ(plan_full_image(v2, 0, 0).pieces[0].url, "https://x/j/full/full/0/default.jpg");
  EXPECT_EQ(plan_full_image(v2, 1000, 0).pieces[0].url, "https://x/j/full/1000,/0/default.jpg");

  const ImageInfo bare = info(R"({"@context": "http://iiif.io/api/image/3/context.json", "id": "https://x/k",
    "profile": "level0", "width": 10, "height": 20})");
  EXPECT_EQ(plan_full_image(bare, 5, 5).pieces[0].url, "https://x/k/full/max/0/default.jpg");

  EXPECT_FALSE(
      parse_image_info(R"({"@context": "http://example.org/", "id": "a", "width": 1, "height": 1})", "u").ok());
  EXPECT_FALSE(parse_image_info(R"({"@context": "http://iiif.io/api/image/3/context.json", "id": "a"})", "u").ok());
}

}  // namespace
}  // namespace pavilion::iiif
