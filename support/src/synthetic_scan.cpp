#include "pavilion/support/synthetic_scan.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <jpeglib.h>
#include <png.h>
#include <tiffio.h>

namespace pavilion::support {
namespace {

uint32_t mix(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t h = a * 0x9e3779b1u ^ (b + 0x7f4a7c15u) * 0x85ebca77u ^ (c + 0x165667b1u) * 0xc2b2ae3du;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  return h;
}

// Ink coverage 0..1 of a stroke whose centre line is `distance` away, half `half` wide, with a
// 2-pixel soft edge as a scanned brush stroke has.
float stroke(int distance, int half) {
  return std::clamp((static_cast<float>(half) + 1.0f - static_cast<float>(std::abs(distance))) / 2.0f, 0.0f, 1.0f);
}

constexpr int column_width = 120;  // vertical columns of characters, as in a thread-bound book
constexpr int cell = 96;           // one character
constexpr int half_stroke = 3;

}  // namespace

void synthetic_page_row(uint32_t seed, uint32_t width, uint32_t y, std::span<uint8_t> rgba) {
  const int row = static_cast<int>(y);
  for (uint32_t x = 0; x < width; ++x) {
    const int column = static_cast<int>(x);
    const uint32_t noise = mix(seed, x, y);
    // Paper: a warm tone, fibres (a faint streak every few rows) and grain.
    float paper = 0.0f;
    paper += static_cast<float>(static_cast<int>(noise & 7u) - 3);
    if (mix(seed, x / 37, y / 3) % 23 == 0) paper -= 6.0f;
    float r = 232.0f + paper;
    float g = 221.0f + paper;
    float b = 193.0f + paper;
    // Red rules between columns.
    const int in_column = column % column_width;
    const float rule = stroke(in_column - 2, 1);
    // A character in each cell of its column: three horizontal and two vertical strokes, placed by
    // the cell's hash, some cells left blank.
    float ink = 0.0f;
    const int cx = column / column_width;
    const int cy = row / cell;
    const uint32_t shape = mix(seed + 1, static_cast<uint32_t>(cx), static_cast<uint32_t>(cy));
    const int local_x = in_column - 12;
    const int local_y = row % cell - 8;
    if (shape % 7 != 0 && local_x >= 0 && local_x < cell && local_y >= 0 && local_y < cell - 16) {
      for (int stroke_index = 0; stroke_index < 3; ++stroke_index) {
        const int at = 8 + static_cast<int>((shape >> (stroke_index * 5)) % 64);
        const int from = static_cast<int>((shape >> (stroke_index * 3 + 15)) % 30);
        if (local_x >= from && local_x < from + 60) ink = std::max(ink, stroke(local_y - at, half_stroke));
      }
      for (int stroke_index = 0; stroke_index < 2; ++stroke_index) {
        const int at = 10 + static_cast<int>((shape >> (stroke_index * 6 + 3)) % 70);
        ink = std::max(ink, stroke(local_x - at, half_stroke + 1));
      }
    }
    // A seal, 400 px square, in the lower right part of the page.
    const int seal_x = column - static_cast<int>(width) * 3 / 4;
    const int seal_y = row - 1200;
    const bool seal = seal_x >= 0 && seal_x < 400 && seal_y >= 0 && seal_y < 400 &&
                      (seal_x < 24 || seal_x >= 376 || seal_y < 24 || seal_y >= 376 ||
                       mix(seed + 2, static_cast<uint32_t>(seal_x / 40), static_cast<uint32_t>(seal_y / 40)) % 3 == 0);
    r += (170.0f - r) * rule;
    g += (70.0f - g) * rule;
    b += (50.0f - b) * rule;
    r += (28.0f - r) * ink;
    g += (24.0f - g) * ink;
    b += (22.0f - b) * ink;
    if (seal) {
      r = 186.0f + paper;
      g = 38.0f + paper;
      b = 36.0f + paper;
    }
    uint8_t* out = &rgba[size_t{x} * 4];
    out[0] = static_cast<uint8_t>(std::clamp(r, 0.0f, 255.0f));
    out[1] = static_cast<uint8_t>(std::clamp(g, 0.0f, 255.0f));
    out[2] = static_cast<uint8_t>(std::clamp(b, 0.0f, 255.0f));
    out[3] = 255;
  }
}

ImageRgba8 synthetic_page(uint32_t seed, uint32_t x, uint32_t y, uint32_t width, uint32_t height) {
  ImageRgba8 image(width, height);
  std::vector<uint8_t> row(size_t{x + width} * 4);
  for (uint32_t line = 0; line < height; ++line) {
    synthetic_page_row(seed, x + width, y + line, row);
    std::copy_n(row.begin() + static_cast<ptrdiff_t>(size_t{x} * 4), size_t{width} * 4, image.at(0, line));
  }
  return image;
}

namespace {

Result<void> write_jpeg(const std::filesystem::path& path, uint32_t width, uint32_t height, uint32_t seed, int quality) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Error(ErrorCode::io, fmt::format("writing {}", path), "cannot open");
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  info.err = jpeg_std_error(&errors);  // a failure here exits: this writes only our own pixels
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, file);
  info.image_width = width;
  info.image_height = height;
  info.input_components = 4;
  info.in_color_space = JCS_EXT_RGBA;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  std::vector<uint8_t> row(size_t{width} * 4);
  for (uint32_t y = 0; y < height; ++y) {
    synthetic_page_row(seed, width, y, row);
    JSAMPROW line = row.data();
    jpeg_write_scanlines(&info, &line, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return std::fclose(file) == 0 ? Result<void>() : Error(ErrorCode::io, fmt::format("writing {}", path), "fclose");
}

Result<void> write_png(const std::filesystem::path& path, uint32_t width, uint32_t height, uint32_t seed) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return Error(ErrorCode::io, fmt::format("writing {}", path), "cannot open");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, file);
  png_set_compression_level(png, 1);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  std::vector<uint8_t> row(size_t{width} * 4);
  for (uint32_t y = 0; y < height; ++y) {
    synthetic_page_row(seed, width, y, row);
    png_write_row(png, row.data());
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return std::fclose(file) == 0 ? Result<void>() : Error(ErrorCode::io, fmt::format("writing {}", path), "fclose");
}

Result<void> write_tiff(const std::filesystem::path& path, uint32_t width, uint32_t height, uint32_t seed, bool tiled) {
  TIFF* tiff = TIFFOpen(path.c_str(), "w");
  if (tiff == nullptr) return Error(ErrorCode::io, fmt::format("writing {}", path), "TIFFOpen");
  TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  std::vector<uint8_t> rgba(size_t{width} * 4);
  const auto rgb_row = [&](uint32_t y, uint8_t* out) {
    synthetic_page_row(seed, width, y, rgba);
    for (uint32_t x = 0; x < width; ++x) std::copy_n(&rgba[size_t{x} * 4], 3, out + size_t{x} * 3);
  };
  bool ok = true;
  if (!tiled) {
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 16);
    std::vector<uint8_t> row(size_t{width} * 3);
    for (uint32_t y = 0; y < height && ok; ++y) {
      rgb_row(y, row.data());
      ok = TIFFWriteScanline(tiff, row.data(), y, 0) >= 0;
    }
  } else {
    constexpr uint32_t tile = 256;
    TIFFSetField(tiff, TIFFTAG_TILEWIDTH, tile);
    TIFFSetField(tiff, TIFFTAG_TILELENGTH, tile);
    const uint32_t padded = (width + tile - 1) / tile * tile;
    std::vector<uint8_t> band(size_t{tile} * padded * 3, 0);
    std::vector<uint8_t> tile_pixels(size_t{tile} * tile * 3);
    for (uint32_t y = 0; y < height && ok; y += tile) {
      for (uint32_t row = 0; row < tile && y + row < height; ++row) rgb_row(y + row, band.data() + size_t{row} * padded * 3);
      for (uint32_t x = 0; x < width && ok; x += tile) {
        for (uint32_t row = 0; row < tile; ++row) {
          std::copy_n(band.data() + (size_t{row} * padded + x) * 3, tile * 3, tile_pixels.data() + size_t{row} * tile * 3);
        }
        ok = TIFFWriteTile(tiff, tile_pixels.data(), x, y, 0, 0) >= 0;
      }
    }
  }
  TIFFClose(tiff);
  if (!ok) return Error(ErrorCode::io, fmt::format("writing {}", path), "libtiff failed");
  return {};
}

}  // namespace

Result<void> write_synthetic_scan(const std::filesystem::path& path, ScanFile file, uint32_t width, uint32_t height,
                                  uint32_t seed, int jpeg_quality) {
  switch (file) {
    case ScanFile::jpeg: return write_jpeg(path, width, height, seed, jpeg_quality);
    case ScanFile::png: return write_png(path, width, height, seed);
    case ScanFile::tiff_strips: return write_tiff(path, width, height, seed, false);
    case ScanFile::tiff_tiles: return write_tiff(path, width, height, seed, true);
  }
  return Error(ErrorCode::internal, "write_synthetic_scan", "unknown file kind");
}

}  // namespace pavilion::support
