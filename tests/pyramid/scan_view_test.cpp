// A page shown as a region of its scan, turned: the pixels a IIIF painting annotation selects,
// compared with the same cut and turn done on the whole picture in memory.
#include "pavilion/pyramid/scan_view.h"
#include "pavilion/support/synthetic_scan.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pavilion::pyramid {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t scan_width = 301, scan_height = 203;

fs::path page_scan() {
  static const testing::TemporaryFolder folder;
  const fs::path path = folder / "page.png";
  if (!fs::exists(path)) {
    EXPECT_TRUE(support::write_synthetic_scan(path, support::ScanFile::png, scan_width, scan_height, 3).ok());
  }
  return path;
}

ImageRgba8 read_all(ScanReader& scan) {
  ImageRgba8 image(scan.width(), scan.height());
  while (scan.rows_read() < scan.height()) {
    const uint32_t rows = std::min(5u, scan.height() - scan.rows_read());  // a few rows at a time, as the pyramid reads
    const auto read = scan.read_rows(rows, std::span(image.at(0, scan.rows_read()), size_t{rows} * scan.width() * 4));
    EXPECT_TRUE(read.ok()) << read.error().describe();
    if (!read) break;
  }
  return image;
}

// The reference: the whole picture in memory, cut, then turned pixel by pixel.
ImageRgba8 expected(ScanRegion region, int turns) {
  const ImageRgba8 whole = support::synthetic_page(3, 0, 0, scan_width, scan_height);
  ImageRgba8 cut(region.width, region.height);
  for (uint32_t y = 0; y < region.height; ++y) {
    for (uint32_t x = 0; x < region.width; ++x) std::copy_n(whole.at(region.x + x, region.y + y), 4, cut.at(x, y));
  }
  ImageRgba8 turned = cut;
  for (int turn = 0; turn < turns; ++turn) {  // one clockwise quarter at a time: (x, y) → (h − 1 − y, x)
    ImageRgba8 next(turned.height, turned.width);
    for (uint32_t y = 0; y < turned.height; ++y) {
      for (uint32_t x = 0; x < turned.width; ++x) std::copy_n(turned.at(x, y), 4, next.at(turned.height - 1 - y, x));
    }
    turned = std::move(next);
  }
  return turned;
}

Result<std::unique_ptr<ScanReader>> open_view(std::optional<ScanRegion> region, int turns) {
  auto scan = open_scan(page_scan());
  if (!scan) return scan.error();
  return view_scan(std::move(*scan), region, turns);
}

TEST(PyramidScanView, ARegionIsThoseRowsAndColumns) {
  const ScanRegion region{40, 17, 150, 120};
  auto view = open_view(region, 0);
  ASSERT_TRUE(view.ok()) << view.error().describe();
  EXPECT_EQ((*view)->width(), 150u);
  EXPECT_EQ((*view)->height(), 120u);
  EXPECT_EQ(read_all(**view).pixels, expected(region, 0).pixels);
}

TEST(PyramidScanView, EachQuarterTurnClockwise) {
  const ScanRegion region{11, 30, 201, 140};
  for (const int turns : {1, 2, 3}) {
    auto view = open_view(region, turns);
    ASSERT_TRUE(view.ok()) << view.error().describe();
    EXPECT_EQ((*view)->width(), turns == 2 ? 201u : 140u) << turns;
    EXPECT_EQ((*view)->height(), turns == 2 ? 140u : 201u) << turns;
    EXPECT_EQ(read_all(**view).pixels, expected(region, turns).pixels) << turns << " quarter turns";
  }
  // A whole scan turned, without a region.
  auto whole = open_view(std::nullopt, 1);
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_EQ(read_all(**whole).pixels, expected({0, 0, scan_width, scan_height}, 1).pixels);
}

TEST(PyramidScanView, ARegionPastTheEdgeIsCutToThePicture) {
  auto view = open_view(ScanRegion{200, 100, 500, 500}, 0);
  ASSERT_TRUE(view.ok()) << view.error().describe();
  EXPECT_EQ((*view)->width(), scan_width - 200);
  EXPECT_EQ((*view)->height(), scan_height - 100);
  EXPECT_EQ(read_all(**view).pixels, expected({200, 100, scan_width - 200, scan_height - 100}, 0).pixels);
}

TEST(PyramidScanView, ARegionOutsideThePictureIsASentence) {
  auto view = open_view(ScanRegion{400, 0, 50, 50}, 0);
  ASSERT_FALSE(view.ok());
  const std::string message = view.error().describe();
  EXPECT_NE(message.find("400,0,50,50"), std::string::npos) << message;
  EXPECT_NE(message.find("301 × 203"), std::string::npos) << message;
  EXPECT_NE(message.find("位于图像之外"), std::string::npos) << message;
}

}  // namespace
}  // namespace pavilion::pyramid
