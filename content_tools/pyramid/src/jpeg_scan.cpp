// JPEG scans through libjpeg-turbo, one scanline at a time, straight into RGBA.
//
// libjpeg reports errors by longjmp; every setjmp here sits in a function whose locals are plain
// values, so the jump skips no destructor. A warning (a truncated file, corrupt data that libjpeg
// would paper over with grey) counts as an error: a scan with a grey band is not the library's book.
#include "jpeg_errors.h"
#include "scan_error.h"
#include "scan_readers.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

namespace pavilion::pyramid {
namespace {

class JpegScan final : public ScanReader {
 public:
  explicit JpegScan(const std::filesystem::path& path) { path_ = path; }
  ~JpegScan() override {
    if (created_) jpeg_destroy_decompress(&info_);
    if (file_ != nullptr) std::fclose(file_);
  }

  uint32_t width() const override { return info_.output_width; }
  uint32_t height() const override { return info_.output_height; }
  ScanFormat format() const override { return ScanFormat::jpeg; }

  Result<void> open() {
    file_ = std::fopen(path_.c_str(), "rb");
    if (file_ == nullptr) return damaged("the file cannot be opened");
    info_.err = jump_on_jpeg_errors(errors_);
    if (!start(*this)) return damaged(errors_.message);
    return {};
  }

  Result<void> read_rows(uint32_t rows, std::span<uint8_t> out) override {
    expects(rows_read_ + rows <= height() && out.size() >= size_t{rows} * width() * 4, "rows within the scan");
    if (!read(*this, rows, out.data())) return damaged(errors_.message);
    rows_read_ += rows;
    return {};
  }

 private:
  static bool start(JpegScan& scan) {
    if (setjmp(scan.errors_.jump) != 0) return false;
    jpeg_create_decompress(&scan.info_);
    scan.created_ = true;
    jpeg_stdio_src(&scan.info_, scan.file_);
    jpeg_read_header(&scan.info_, TRUE);
    if (scan.info_.jpeg_color_space == JCS_CMYK || scan.info_.jpeg_color_space == JCS_YCCK) {
      std::snprintf(scan.errors_.message, sizeof scan.errors_.message, "CMYK");
      return false;
    }
    scan.info_.out_color_space = JCS_EXT_RGBA;
    jpeg_start_decompress(&scan.info_);
    return true;
  }

  static bool read(JpegScan& scan, uint32_t rows, uint8_t* out) {
    if (setjmp(scan.errors_.jump) != 0) return false;
    const size_t stride = size_t{scan.info_.output_width} * 4;
    for (uint32_t row = 0; row < rows; ++row) {
      JSAMPROW line = out + row * stride;
      if (jpeg_read_scanlines(&scan.info_, &line, 1) != 1) {
        std::snprintf(scan.errors_.message, sizeof scan.errors_.message, "the data ends early");
        return false;
      }
    }
    return true;
  }

  Error damaged(std::string_view reason) const {
    if (reason == "CMYK") {
      return scan_error(ErrorCode::unsupported, path_,
                        fmt::format("The JPEG scan {} is in CMYK (printing) colours; export it as RGB or greyscale.",
                                    path_),
                        fmt::format("JPEG 扫描图像 {} 使用 CMYK（印刷）色彩；请导出为 RGB 或灰度图像。", path_));
    }
    return scan_error(ErrorCode::invalid_input, path_,
                      fmt::format("The JPEG scan {} is damaged or cut short at row {} ({}); copy or export it again "
                                  "from the original.", path_, rows_read_ + 1, reason),
                      fmt::format("JPEG 扫描图像 {} 已损坏或不完整，在第 {} 行出错（{}）；请从原件重新复制或导出。",
                                  path_, rows_read_ + 1, reason));
  }

  std::FILE* file_ = nullptr;
  jpeg_decompress_struct info_{};
  JpegErrors errors_{};
  bool created_ = false;
};

}  // namespace

Result<std::unique_ptr<ScanReader>> open_jpeg_scan(const std::filesystem::path& path) {
  auto scan = std::make_unique<JpegScan>(path);
  PV_TRY(scan->open());
  return std::unique_ptr<ScanReader>(std::move(scan));
}

}  // namespace pavilion::pyramid
