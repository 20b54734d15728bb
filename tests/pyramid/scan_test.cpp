// Streaming decode of page scans: the rows as written, and damaged files as sentences.
#include "pavilion/pyramid/scan.h"
#include "pavilion/support/synthetic_scan.h"
#include "temporary_folder.h"
#include "pavilion/pyramid/tile_codec.h"

#include <gtest/gtest.h>
#include <tiffio.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <vector>

namespace pavilion::pyramid {
namespace {

namespace fs = std::filesystem;
using support::ScanFile;

fs::path scratch(const std::string& name) {
  // A folder of this test process's own, removed at its end: runs beside each other (or one
  // before) leave it nothing.
  static const testing::TemporaryFolder folder;
  return folder / name;
}

ImageRgba8 read_all(ScanReader& scan, uint32_t rows_at_a_time) {
  ImageRgba8 image(scan.width(), scan.height());
  while (scan.rows_read() < scan.height()) {
    const uint32_t rows = std::min(rows_at_a_time, scan.height() - scan.rows_read());
    const auto read = scan.read_rows(rows, std::span(image.at(0, scan.rows_read()), size_t{rows} * scan.width() * 4));
    EXPECT_TRUE(read.ok()) << read.error().describe();
    if (!read) break;
  }
  return image;
}

TEST(PyramidScan, LosslessFormatsGiveTheRowsAsWritten) {
  for (const auto& [file, name] : {std::pair{ScanFile::png, "page.png"}, std::pair{ScanFile::tiff_strips, "strips.tif"},
                                  std::pair{ScanFile::tiff_tiles, "tiles.tif"}}) {
    const fs::path path = scratch(name);
    ASSERT_TRUE(support::write_synthetic_scan(path, file, 601, 333, 5).ok());
    auto scan = open_scan(path);
    ASSERT_TRUE(scan.ok()) << scan.error().describe();
    EXPECT_EQ((*scan)->width(), 601u);
    EXPECT_EQ((*scan)->height(), 333u);
    const ImageRgba8 image = read_all(**scan, 7);  // 7 rows at a time: across strips and 256-row tiles
    EXPECT_EQ(image.pixels, support::synthetic_page(5, 0, 0, 601, 333).pixels) << name;
  }
}

TEST(PyramidScan, JpegRowsMatchTheSourceWithinItsQuality) {
  const fs::path path = scratch("page.jpg");
  ASSERT_TRUE(support::write_synthetic_scan(path, ScanFile::jpeg, 500, 300, 9, 95).ok());
  auto scan = open_scan(path);
  ASSERT_TRUE(scan.ok()) << scan.error().describe();
  EXPECT_EQ((*scan)->format(), ScanFormat::jpeg);
  const ImageRgba8 image = read_all(**scan, 16);
  EXPECT_GT(psnr(image, support::synthetic_page(9, 0, 0, 500, 300)), 32.0);
}

// A file cut short or with bytes overwritten: an error naming the file in English and Chinese.
void expect_damaged(const fs::path& path, ErrorCode code) {
  auto scan = open_scan(path);
  std::optional<Error> error;
  if (!scan) {
    error = scan.error();
  } else {
    std::vector<uint8_t> rows(size_t{(*scan)->width()} * 16 * 4);
    while ((*scan)->rows_read() < (*scan)->height()) {
      const uint32_t count = std::min(16u, (*scan)->height() - (*scan)->rows_read());
      auto read = (*scan)->read_rows(count, rows);
      if (!read) {
        error = read.error();
        break;
      }
    }
  }
  ASSERT_TRUE(error.has_value()) << path << " read without an error";
  EXPECT_EQ(error->code(), code) << error->describe();
  EXPECT_NE(error->describe().find(path.filename().string()), std::string::npos) << error->describe();
  EXPECT_NE(error->why().find("请"), std::string::npos) << error->describe();  // the Chinese sentence
}

void truncate_to(const fs::path& path, double share) {
  fs::resize_file(path, static_cast<uintmax_t>(static_cast<double>(fs::file_size(path)) * share));
}

void overwrite_middle(const fs::path& path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(fs::file_size(path) / 2));
  const std::string junk(64, '\xff');
  file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

TEST(PyramidScan, TruncatedOrCorruptScansAreErrorsNotCrashes) {
  for (const auto& [file, name] : {std::pair{ScanFile::jpeg, "cut.jpg"}, std::pair{ScanFile::png, "cut.png"},
                                  std::pair{ScanFile::tiff_strips, "cut.tif"}}) {
    const fs::path path = scratch(name);
    ASSERT_TRUE(support::write_synthetic_scan(path, file, 400, 300, 3).ok());
    truncate_to(path, 0.6);
    expect_damaged(path, ErrorCode::invalid_input);
  }
  for (const auto& [file, name] : {std::pair{ScanFile::jpeg, "corrupt.jpg"}, std::pair{ScanFile::png, "corrupt.png"}}) {
    const fs::path path = scratch(name);
    ASSERT_TRUE(support::write_synthetic_scan(path, file, 400, 300, 3).ok());
    overwrite_middle(path);
    expect_damaged(path, ErrorCode::invalid_input);
  }
  // Only a header's worth of bytes.
  const fs::path header_only = scratch("header_only.png");
  ASSERT_TRUE(support::write_synthetic_scan(header_only, ScanFile::png, 400, 300, 3).ok());
  fs::resize_file(header_only, 20);
  expect_damaged(header_only, ErrorCode::invalid_input);
}

// A header may claim any size; rows for three million pixels a row are refused before allocation.
TEST(PyramidScan, AnAbsurdSizeIsRefusedBeforeAnyRowIsRead) {
  const fs::path path = scratch("absurd.tif");
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tiff, nullptr);
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, 3000000u);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, 4000000u);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 4000000u);
  std::array<uint8_t, 16> strip{};  // a strip of its own, so libtiff finds the directory complete
  TIFFWriteRawStrip(tiff, 0, strip.data(), strip.size());
  TIFFClose(tiff);
  expect_damaged(path, ErrorCode::unsupported);
}

TEST(PyramidScan, MissingAndUnknownFilesAreNamed) {
  expect_damaged(scratch("no_such_scan.jpg"), ErrorCode::not_found);
  const fs::path text = scratch("notes.jpg");
  std::ofstream(text) << "not a picture";
  expect_damaged(text, ErrorCode::unsupported);
}

}  // namespace
}  // namespace pavilion::pyramid
