// TIFF scans through libtiff: striped images a scanline at a time, tiled ones a row of tiles at a
// time (one tile high, the scan's width). 8- and 16-bit grey, grey + alpha, RGB and RGBA, chunky;
// JPEG-compressed YCbCr comes out as RGB. Anything else is refused with what to export instead.
#include "scan_error.h"
#include "scan_readers.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <tiffio.h>

namespace pavilion::pyramid {
namespace {

class TiffScan final : public ScanReader {
 public:
  explicit TiffScan(const std::filesystem::path& path) { path_ = path; }
  ~TiffScan() override {
    if (tiff_ != nullptr) TIFFClose(tiff_);
  }

  uint32_t width() const override { return width_; }
  uint32_t height() const override { return height_; }
  ScanFormat format() const override { return ScanFormat::tiff; }

  Result<void> open() {
    TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, this);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, this);
    // "m": read, not map: a mapped scan would count its whole file as resident memory.
    tiff_ = TIFFOpenExt(path_.c_str(), "rm", options);
    TIFFOpenOptionsFree(options);
    if (tiff_ == nullptr) return damaged();

    uint16_t bits = 0;
    uint16_t samples = 0;
    uint16_t planar = PLANARCONFIG_CONTIG;
    uint16_t photometric = 0;
    uint16_t compression = COMPRESSION_NONE;
    TIFFGetField(tiff_, TIFFTAG_IMAGEWIDTH, &width_);
    TIFFGetField(tiff_, TIFFTAG_IMAGELENGTH, &height_);
    TIFFGetFieldDefaulted(tiff_, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tiff_, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tiff_, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tiff_, TIFFTAG_COMPRESSION, &compression);
    TIFFGetField(tiff_, TIFFTAG_PHOTOMETRIC, &photometric);
    if (compression == COMPRESSION_JPEG && photometric == PHOTOMETRIC_YCBCR) {
      TIFFSetField(tiff_, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
      photometric = PHOTOMETRIC_RGB;
    }
    const bool grey = photometric == PHOTOMETRIC_MINISBLACK && (samples == 1 || samples == 2);
    const bool rgb = photometric == PHOTOMETRIC_RGB && (samples == 3 || samples == 4);
    if (!(grey || rgb) || (bits != 8 && bits != 16) || planar != PLANARCONFIG_CONTIG || width_ == 0 || height_ == 0) {
      return scan_error(ErrorCode::unsupported, path_,
                        fmt::format("The TIFF scan {} has a layout this tool does not read ({} samples of {} bits, "
                                    "photometric {}, planar {}); export it as 8- or 16-bit RGB or greyscale.",
                                    path_, samples, bits, photometric, planar),
                        fmt::format("TIFF 扫描图像 {} 的像素格式无法读取（每像素 {} 个分量、每分量 {} 位、"
                                    "photometric {}、planar {}）；请导出为 8 位或 16 位的 RGB 或灰度图像。",
                                    path_, samples, bits, photometric, planar));
    }
    PV_TRY(check_scan_size(path_, width_, height_));
    samples_ = samples;
    bytes_per_sample_ = bits / 8u;
    if (TIFFIsTiled(tiff_) != 0) {
      TIFFGetField(tiff_, TIFFTAG_TILEWIDTH, &tile_width_);
      TIFFGetField(tiff_, TIFFTAG_TILELENGTH, &band_rows_);
      // A tile larger than 4096 × 4096 is not one a scanner writes; its buffer alone could be
      // gigabytes, and a band of them across the scan more.
      const uint64_t band_bytes = uint64_t{band_rows_} * width_ * samples_ * bytes_per_sample_;
      if (tile_width_ == 0 || band_rows_ == 0) return damaged();
      if (tile_width_ > 4096 || band_rows_ > 4096 || band_bytes > max_band_bytes) {
        return scan_error(ErrorCode::unsupported, path_,
                          fmt::format("The TIFF scan {} is stored in tiles of {} × {} px, too large to read a band "
                                      "at a time; save it in strips, or with tiles of at most 4096 px.",
                                      path_, tile_width_, band_rows_),
                          fmt::format("TIFF 扫描图像 {} 以 {} × {} 像素的图块存储，太大，无法逐带读取；"
                                      "请改存为条带（strip）格式，或图块边长不超过 4096 像素。",
                                      path_, tile_width_, band_rows_));
      }
      tile_.resize(static_cast<size_t>(TIFFTileSize(tiff_)));
    } else {
      band_rows_ = 1;
    }
    band_.resize(size_t{band_rows_} * width_ * samples_ * bytes_per_sample_);
    return {};
  }

  Result<void> read_rows(uint32_t rows, std::span<uint8_t> out) override {
    expects(rows_read_ + rows <= height_ && out.size() >= size_t{rows} * width_ * 4, "rows within the scan");
    for (uint32_t row = 0; row < rows; ++row) {
      const uint32_t y = rows_read_;
      if (y % band_rows_ == 0) PV_TRY(read_band(y));
      convert(band_.data() + size_t{y % band_rows_} * width_ * samples_ * bytes_per_sample_,
              out.data() + size_t{row} * width_ * 4);
      ++rows_read_;
    }
    return {};
  }

 private:
  static int on_error(TIFF*, void* scan, const char* module, const char* format, va_list arguments) {
    char text[512];
    std::vsnprintf(text, sizeof text, format, arguments);
    auto& message = static_cast<TiffScan*>(scan)->message_;
    if (message.empty()) message = fmt::format("{}: {}", module != nullptr ? module : "libtiff", text);
    return 1;
  }
  static int on_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

  Result<void> read_band(uint32_t y) {
    if (tile_.empty()) {
      if (TIFFReadScanline(tiff_, band_.data(), y, 0) < 0) return damaged();
      return {};
    }
    const size_t pixel = size_t{samples_} * bytes_per_sample_;
    const uint32_t rows = std::min(band_rows_, height_ - y);
    for (uint32_t x = 0; x < width_; x += tile_width_) {
      if (TIFFReadTile(tiff_, tile_.data(), x, y, 0, 0) < 0) return damaged();
      const uint32_t columns = std::min(tile_width_, width_ - x);
      for (uint32_t row = 0; row < rows; ++row) {
        std::memcpy(band_.data() + (size_t{row} * width_ + x) * pixel, tile_.data() + size_t{row} * tile_width_ * pixel,
                    columns * pixel);
      }
    }
    return {};
  }

  void convert(const uint8_t* source, uint8_t* rgba) const {
    // 16-bit samples are kept by their high byte (native order: libtiff swaps on reading).
    const auto sample = [&](size_t index) -> uint8_t {
      if (bytes_per_sample_ == 1) return source[index];
      uint16_t value = 0;
      std::memcpy(&value, source + index * 2, 2);
      return static_cast<uint8_t>(value >> 8);
    };
    for (uint32_t x = 0; x < width_; ++x) {
      const size_t at = size_t{x} * samples_;
      uint8_t* out = rgba + size_t{x} * 4;
      if (samples_ <= 2) {
        out[0] = out[1] = out[2] = sample(at);
        out[3] = samples_ == 2 ? sample(at + 1) : 255;
      } else {
        out[0] = sample(at);
        out[1] = sample(at + 1);
        out[2] = sample(at + 2);
        out[3] = samples_ == 4 ? sample(at + 3) : 255;
      }
    }
  }

  Error damaged() const {
    const std::string reason = message_.empty() ? std::string("unreadable") : message_;
    return scan_error(ErrorCode::invalid_input, path_,
                      fmt::format("The TIFF scan {} is damaged or cut short at row {} ({}); copy or export it again "
                                  "from the original.", path_, rows_read_ + 1, reason),
                      fmt::format("TIFF 扫描图像 {} 已损坏或不完整，在第 {} 行出错（{}）；请从原件重新复制或导出。",
                                  path_, rows_read_ + 1, reason));
  }

  TIFF* tiff_ = nullptr;
  uint32_t width_ = 0;
  uint32_t height_ = 0;
  uint32_t samples_ = 0;
  uint32_t bytes_per_sample_ = 1;
  uint32_t tile_width_ = 0;
  uint32_t band_rows_ = 1;
  std::vector<uint8_t> tile_;
  std::vector<uint8_t> band_;
  std::string message_;
};

}  // namespace

Result<std::unique_ptr<ScanReader>> open_tiff_scan(const std::filesystem::path& path) {
  auto scan = std::make_unique<TiffScan>(path);
  PV_TRY(scan->open());
  return std::unique_ptr<ScanReader>(std::move(scan));
}

}  // namespace pavilion::pyramid
