#include "pavilion/pyramid/scan_view.h"

#include "scan_error.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace pavilion::pyramid {
namespace {

// A turned page is held whole while it is turned; past this (a 2 GB page) the curator is asked to
// turn the scan itself, which any image editor does without holding it all.
constexpr uint64_t max_turned_bytes = uint64_t{1} << 31;

// Rows [y, y + height) and columns [x, x + width) of the scan beneath.
class CutScan final : public ScanReader {
 public:
  CutScan(std::unique_ptr<ScanReader> scan, ScanRegion region) : scan_(std::move(scan)), region_(region) {
    path_ = scan_->path();
  }

  uint32_t width() const override { return region_.width; }
  uint32_t height() const override { return region_.height; }
  ScanFormat format() const override { return scan_->format(); }

  Result<void> read_rows(uint32_t rows, std::span<uint8_t> out) override {
    const size_t full_row = size_t{scan_->width()} * 4;
    // The rows above the region are read and dropped, a band at a time.
    while (scan_->rows_read() < region_.y) {
      const uint32_t skip = std::min<uint32_t>(16, region_.y - scan_->rows_read());
      band_.resize(full_row * skip);
      PV_TRY(scan_->read_rows(skip, band_));
    }
    if (region_.x == 0 && region_.width == scan_->width()) {
      PV_TRY(scan_->read_rows(rows, out));
    } else {
      band_.resize(full_row * rows);
      PV_TRY(scan_->read_rows(rows, band_));
      const size_t row_bytes = size_t{region_.width} * 4;
      for (uint32_t row = 0; row < rows; ++row) {
        std::memcpy(out.data() + row * row_bytes, band_.data() + row * full_row + size_t{region_.x} * 4, row_bytes);
      }
    }
    rows_read_ += rows;
    return {};
  }

 private:
  std::unique_ptr<ScanReader> scan_;
  ScanRegion region_;
  std::vector<uint8_t> band_;
};

// The scan beneath turned clockwise by a quarter, a half or three quarters of a turn.
class TurnedScan final : public ScanReader {
 public:
  TurnedScan(std::unique_ptr<ScanReader> scan, int quarter_turns) : scan_(std::move(scan)), turns_(quarter_turns) {
    path_ = scan_->path();
  }

  uint32_t width() const override { return turns_ == 2 ? scan_->width() : scan_->height(); }
  uint32_t height() const override { return turns_ == 2 ? scan_->height() : scan_->width(); }
  ScanFormat format() const override { return scan_->format(); }

  Result<void> read_rows(uint32_t rows, std::span<uint8_t> out) override {
    if (pixels_.empty()) {
      pixels_.resize(size_t{scan_->width()} * scan_->height() * 4);
      PV_TRY(scan_->read_rows(scan_->height(), pixels_));
    }
    const uint32_t source_width = scan_->width(), source_height = scan_->height();
    const uint32_t out_width = width();
    for (uint32_t row = 0; row < rows; ++row) {
      const uint32_t out_y = rows_read_ + row;
      uint8_t* line = out.data() + size_t{row} * out_width * 4;
      for (uint32_t out_x = 0; out_x < out_width; ++out_x) {
        uint32_t x = 0, y = 0;
        switch (turns_) {
          case 1: x = out_y, y = source_height - 1 - out_x; break;  // the top-left corner goes top right
          case 2: x = source_width - 1 - out_x, y = source_height - 1 - out_y; break;
          default: x = source_width - 1 - out_y, y = out_x; break;  // three quarters: top-left goes bottom left
        }
        std::memcpy(line + size_t{out_x} * 4, pixels_.data() + (size_t{y} * source_width + x) * 4, 4);
      }
    }
    rows_read_ += rows;
    return {};
  }

 private:
  std::unique_ptr<ScanReader> scan_;
  int turns_;
  std::vector<uint8_t> pixels_;
};

}  // namespace

Result<std::unique_ptr<ScanReader>> view_scan(std::unique_ptr<ScanReader> scan, std::optional<ScanRegion> region,
                                              int clockwise_quarter_turns) {
  const int turns = ((clockwise_quarter_turns % 4) + 4) % 4;
  if (region) {
    const uint64_t right = uint64_t{region->x} + region->width, bottom = uint64_t{region->y} + region->height;
    if (region->width == 0 || region->height == 0 || region->x >= scan->width() || region->y >= scan->height()) {
      return scan_error(
          ErrorCode::invalid_input, scan->path(),
          fmt::format("The region {},{},{},{} that the manifest shows of {} lies outside the picture, which is {} × {} "
                      "pixels; correct the region (x,y,w,h in the image's pixels) or the image it names.",
                      region->x, region->y, region->width, region->height, scan->path(), scan->width(), scan->height()),
          fmt::format("清单中 {} 的显示区域 {},{},{},{} 位于图像之外（图像为 {} × {} 像素）；"
                      "请更正该区域（以图像像素表示的 x,y,w,h）或其所指的图像。",
                      scan->path(), region->x, region->y, region->width, region->height, scan->width(), scan->height()));
    }
    region->width = static_cast<uint32_t>(std::min<uint64_t>(right, scan->width()) - region->x);
    region->height = static_cast<uint32_t>(std::min<uint64_t>(bottom, scan->height()) - region->y);
    if (*region != ScanRegion{0, 0, scan->width(), scan->height()}) {
      scan = std::make_unique<CutScan>(std::move(scan), *region);
    }
  }
  if (turns == 0) return Result<std::unique_ptr<ScanReader>>(std::move(scan));
  if (uint64_t{scan->width()} * scan->height() * 4 > max_turned_bytes) {
    return scan_error(
        ErrorCode::unsupported, scan->path(),
        fmt::format("The page {} is to be shown turned, and at {} × {} pixels it is too large to turn while packing "
                    "(at most 2 GB of pixels); turn the scan itself and remove the rotation from the manifest.",
                    scan->path(), scan->width(), scan->height()),
        fmt::format("页面 {} 需旋转显示，但其尺寸 {} × {} 像素过大，打包时无法旋转（像素至多 2 GB）；"
                    "请直接旋转扫描图像，并删去清单中的旋转。",
                    scan->path(), scan->width(), scan->height()));
  }
  return std::unique_ptr<ScanReader>(std::make_unique<TurnedScan>(std::move(scan), turns));
}

}  // namespace pavilion::pyramid
