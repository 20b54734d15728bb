// PNG scans through libpng, one row at a time, expanded to RGBA8 by libpng's own transforms.
// libpng reports errors by longjmp; as in jpeg_scan.cpp, setjmp sits only in functions whose locals
// are plain values. Warnings (an odd colour profile) are harmless and ignored.
#include "scan_error.h"
#include "scan_readers.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>

#include <png.h>

namespace pavilion::pyramid {
namespace {

class PngScan final : public ScanReader {
 public:
  explicit PngScan(const std::filesystem::path& path) { path_ = path; }
  ~PngScan() override {
    if (png_ != nullptr) png_destroy_read_struct(&png_, &info_, nullptr);
    if (file_ != nullptr) std::fclose(file_);
  }

  uint32_t width() const override { return width_; }
  uint32_t height() const override { return height_; }
  ScanFormat format() const override { return ScanFormat::png; }

  Result<void> open() {
    file_ = std::fopen(path_.c_str(), "rb");
    if (file_ == nullptr) return damaged("the file cannot be opened");
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, this, on_error, on_warning);
    if (png_ != nullptr) info_ = png_create_info_struct(png_);
    if (png_ == nullptr || info_ == nullptr) {
      return scan_error(ErrorCode::out_of_memory, path_,
                        fmt::format("libpng could not start reading {}: the machine is out of memory; close other "
                                    "programs and try again.", path_),
                        fmt::format("libpng 无法开始读取 {}：内存不足；请关闭其他程序后重试。", path_));
    }
    if (!start(*this)) return damaged(message_);
    PV_TRY(check_scan_size(path_, width_, height_));
    if (interlaced_) {
      return scan_error(ErrorCode::unsupported, path_,
                        fmt::format("The PNG scan {} is interlaced, which cannot be read a few rows at a time; save it "
                                    "again without interlacing.", path_),
                        fmt::format("PNG 扫描图像 {} 采用隔行扫描，无法逐行读取；请以非隔行方式重新保存。", path_));
    }
    return {};
  }

  Result<void> read_rows(uint32_t rows, std::span<uint8_t> out) override {
    expects(rows_read_ + rows <= height_ && out.size() >= size_t{rows} * width_ * 4, "rows within the scan");
    if (!read(*this, rows, out.data())) return damaged(message_);
    rows_read_ += rows;
    return {};
  }

 private:
  [[noreturn]] static void on_error(png_structp png, png_const_charp message) {
    auto* scan = static_cast<PngScan*>(png_get_error_ptr(png));
    std::snprintf(scan->message_, sizeof scan->message_, "%s", message);
    png_longjmp(png, 1);
  }
  static void on_warning(png_structp, png_const_charp) {}

  static bool start(PngScan& scan) {
    if (setjmp(png_jmpbuf(scan.png_)) != 0) return false;
    png_init_io(scan.png_, scan.file_);
    png_read_info(scan.png_, scan.info_);
    scan.width_ = png_get_image_width(scan.png_, scan.info_);
    scan.height_ = png_get_image_height(scan.png_, scan.info_);
    scan.interlaced_ = png_get_interlace_type(scan.png_, scan.info_) != PNG_INTERLACE_NONE;
    const int colour = png_get_color_type(scan.png_, scan.info_);
    png_set_expand(scan.png_);
    png_set_strip_16(scan.png_);
    if (colour == PNG_COLOR_TYPE_GRAY || colour == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(scan.png_);
    if ((colour & PNG_COLOR_MASK_ALPHA) == 0 && !png_get_valid(scan.png_, scan.info_, PNG_INFO_tRNS)) {
      png_set_add_alpha(scan.png_, 0xff, PNG_FILLER_AFTER);
    }
    png_read_update_info(scan.png_, scan.info_);
    return true;
  }

  static bool read(PngScan& scan, uint32_t rows, uint8_t* out) {
    if (setjmp(png_jmpbuf(scan.png_)) != 0) return false;
    for (uint32_t row = 0; row < rows; ++row) png_read_row(scan.png_, out + size_t{row} * scan.width_ * 4, nullptr);
    return true;
  }

  Error damaged(std::string_view reason) const {
    return scan_error(ErrorCode::invalid_input, path_,
                      fmt::format("The PNG scan {} is damaged or cut short at row {} ({}); copy or export it again "
                                  "from the original.", path_, rows_read_ + 1, reason),
                      fmt::format("PNG 扫描图像 {} 已损坏或不完整，在第 {} 行出错（{}）；请从原件重新复制或导出。",
                                  path_, rows_read_ + 1, reason));
  }

  std::FILE* file_ = nullptr;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
  uint32_t width_ = 0;
  uint32_t height_ = 0;
  bool interlaced_ = false;
  char message_[256] = {};
};

}  // namespace

Result<std::unique_ptr<ScanReader>> open_png_scan(const std::filesystem::path& path) {
  auto scan = std::make_unique<PngScan>(path);
  PV_TRY(scan->open());
  return std::unique_ptr<ScanReader>(std::move(scan));
}

}  // namespace pavilion::pyramid
