// The static IIIF Image API 3 level-0 tile set: info.json parses back, every tile its scaleFactors
// imply is there at its size, tiles match the scan, and pavilion-pyramid writes it.
#include "pavilion/core/file.h"
#include "pavilion/pyramid/iiif_export.h"
#include "pavilion/pyramid/tile_codec.h"
#include "pavilion/support/synthetic_scan.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace pavilion::pyramid {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  // A folder of this test process's own, removed at its end: runs beside each other (or one
  // before) leave it nothing.
  static const testing::TemporaryFolder folder;
  return folder / name;
}

TEST(PyramidIiif, InfoJsonAndEveryTileItImplies) {
  constexpr uint32_t width = 1300;
  constexpr uint32_t height = 900;
  const fs::path scan = scratch("page.png");
  ASSERT_TRUE(support::write_synthetic_scan(scan, support::ScanFile::png, width, height, 8).ok());
  const fs::path out = scratch("page_tiles");
  const auto exported = export_iiif(scan, out, {.id = "https://library.example/iiif/page", .tile_size = 256});
  ASSERT_TRUE(exported.ok()) << exported.error().describe();
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));

  const auto text = read_file(out / "info.json");
  ASSERT_TRUE(text.ok());
  const auto info = nlohmann::json::parse(std::string(reinterpret_cast<const char*>(text->data()), text->size()));
  EXPECT_EQ(info["@context"], "http://iiif.io/api/image/3/context.json");
  EXPECT_EQ(info["id"], "https://library.example/iiif/page");
  EXPECT_EQ(info["type"], "ImageService3");
  EXPECT_EQ(info["protocol"], "http://iiif.io/api/image");
  EXPECT_EQ(info["profile"], "level0");
  EXPECT_EQ(info["width"], width);
  EXPECT_EQ(info["height"], height);
  ASSERT_EQ(info["tiles"].size(), 1u);
  const uint32_t tile = info["tiles"][0]["width"];
  EXPECT_EQ(tile, 256u);
  EXPECT_EQ(info["tiles"][0]["scaleFactors"], nlohmann::json({1, 2, 4, 8}));

  const ImageRgba8 source = support::synthetic_page(8, 0, 0, width, height);
  size_t tiles = 0;
  for (const uint32_t scale : info["tiles"][0]["scaleFactors"].get<std::vector<uint32_t>>()) {
    for (uint32_t y = 0; y < height; y += tile * scale) {
      for (uint32_t x = 0; x < width; x += tile * scale) {
        const uint32_t w = std::min(tile * scale, width - x);
        const uint32_t h = std::min(tile * scale, height - y);
        const uint32_t tw = (w + scale - 1) / scale;
        const uint32_t th = (h + scale - 1) / scale;
        const fs::path region = out / fmt::format("{},{},{},{}", x, y, w, h);
        const fs::path canonical = region / fmt::format("{},{}", tw, th) / "0" / "default.jpg";
        ASSERT_TRUE(fs::exists(canonical)) << canonical;
        ASSERT_TRUE(fs::exists(region / fmt::format("{},", tw) / "0" / "default.jpg")) << region;
        const auto bytes = read_file(canonical);
        ASSERT_TRUE(bytes.ok());
        auto pixels = decode_tile(*bytes, TileEncoding::jpeg, tw, th);
        ASSERT_TRUE(pixels.ok()) << canonical << ": " << pixels.error().describe();
        if (scale == 1) {
          ImageRgba8 expected(w, h);
          for (uint32_t row = 0; row < h; ++row) {
            std::copy_n(source.at(x, y + row), size_t{w} * 4, expected.at(0, row));
          }
          EXPECT_GT(psnr(*pixels, expected), 33.0) << canonical;
        }
        ++tiles;
      }
    }
  }
  EXPECT_EQ(exported->tiles, tiles);
  for (const auto& size : info["sizes"]) {
    const uint32_t w = size["width"];
    const uint32_t h = size["height"];
    EXPECT_TRUE(fs::exists(out / "full" / fmt::format("{},{}", w, h) / "0" / "default.jpg")) << w << "," << h;
  }
  ASSERT_EQ(info["sizes"].size(), 1u);
  EXPECT_EQ(info["sizes"][0]["width"], 163);  // ceil(1300 / 8)
}

TEST(PyramidIiif, ADamagedScanLeavesNothingHalfWritten) {
  const fs::path scan = scratch("cut.jpg");
  ASSERT_TRUE(support::write_synthetic_scan(scan, support::ScanFile::jpeg, 900, 900, 3).ok());
  fs::resize_file(scan, fs::file_size(scan) / 2);
  const fs::path out = scratch("cut_tiles");
  fs::remove_all(out);
  const auto exported = export_iiif(scan, out, {.id = "https://library.example/iiif/cut"});
  ASSERT_FALSE(exported.ok());
  EXPECT_NE(exported.error().describe().find("cut.jpg"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));

  // A folder of someone else's files is not replaced.
  const fs::path occupied = scratch("occupied");
  fs::create_directories(occupied);
  std::ofstream(occupied / "thesis.docx") << "keep me";
  const fs::path good = scratch("good.png");
  ASSERT_TRUE(support::write_synthetic_scan(good, support::ScanFile::png, 300, 300, 3).ok());
  const auto refused = export_iiif(good, occupied, {.id = "https://library.example/iiif/good"});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(fs::exists(occupied / "thesis.docx"));
  // Nor one whose info.json is another program's, or that holds more than a tile set.
  std::ofstream(occupied / "info.json") << R"({"name": "my project"})";
  EXPECT_FALSE(export_iiif(good, occupied, {.id = "https://library.example/iiif/good"}).ok());
  EXPECT_TRUE(fs::exists(occupied / "thesis.docx"));
  const fs::path tiles = scratch("tiles_and_notes");
  ASSERT_TRUE(export_iiif(good, tiles, {.id = "https://library.example/iiif/good"}).ok());
  std::ofstream(tiles / "notes.txt") << "keep me";
  EXPECT_FALSE(export_iiif(good, tiles, {.id = "https://library.example/iiif/good"}).ok());
  EXPECT_TRUE(fs::exists(tiles / "notes.txt"));
  // A tile set alone is replaced by a new one.
  fs::remove(tiles / "notes.txt");
  EXPECT_TRUE(export_iiif(good, tiles, {.id = "https://library.example/iiif/good"}).ok());
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(PyramidIiif, CommandWritesATileSetAndExplainsMistakes) {
  const fs::path scan = scratch("command.jpg");
  ASSERT_TRUE(support::write_synthetic_scan(scan, support::ScanFile::jpeg, 600, 400, 1).ok());
  const fs::path out = scratch("command_tiles");
  const std::string program = PAVILION_PYRAMID_PROGRAM;
  EXPECT_EQ(run(program + " export-iiif " + scan.string() + " " + out.string() +
                " --id https://library.example/iiif/command/ --tile 512 > /dev/null"), 0);
  EXPECT_TRUE(fs::exists(out / "info.json"));
  EXPECT_TRUE(fs::exists(out / "0,0,512,400" / "512,400" / "0" / "default.jpg"));
  EXPECT_EQ(run(program + " export-iiif " + scan.string() + " " + out.string() + " 2> /dev/null"), 2);  // no --id
  EXPECT_EQ(run(program + " export-iiif " + scratch("missing.jpg").string() + " " + out.string() +
                " --id https://x.example/a 2> " + scratch("stderr.txt").string()), 1);
  const auto errors = read_file(scratch("stderr.txt"));
  ASSERT_TRUE(errors.ok());
  const std::string said(reinterpret_cast<const char*>(errors->data()), errors->size());
  EXPECT_NE(said.find("missing.jpg"), std::string::npos) << said;
  EXPECT_NE(said.find("无法打开"), std::string::npos) << said;
}

}  // namespace
}  // namespace pavilion::pyramid
