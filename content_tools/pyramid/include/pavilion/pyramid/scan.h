// Page scans read a band of rows at a time, so a 30 000 × 40 000 scan never has all its pixels in
// memory: JPEG (libjpeg-turbo scanlines), PNG (libpng rows) and TIFF (libtiff strips or tiles).
//
// A ScanReader owns its open file until it is destroyed. It is used by one thread at a time.
// Every failure (a missing file, an unknown format, a truncated or corrupt image, a layout we do
// not read) is an error value whose message names the file and says what is wrong and what to do,
// in English and then in Chinese; nothing here aborts on outside data.
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

namespace pavilion::pyramid {

enum class ScanFormat { jpeg, png, tiff };

class ScanReader {
 public:
  virtual ~ScanReader() = default;
  ScanReader() = default;
  ScanReader(const ScanReader&) = delete;
  ScanReader& operator=(const ScanReader&) = delete;

  virtual uint32_t width() const = 0;
  virtual uint32_t height() const = 0;
  virtual ScanFormat format() const = 0;
  const std::filesystem::path& path() const { return path_; }

  // Reads the next `rows` rows, top first, as RGBA8 (opaque where the scan has no alpha) into
  // `out`, which holds rows × width × 4 bytes. Reading past the last row is a caller bug.
  virtual Result<void> read_rows(uint32_t rows, std::span<uint8_t> out) = 0;

  // Rows handed out so far.
  uint32_t rows_read() const { return rows_read_; }

 protected:
  std::filesystem::path path_;
  uint32_t rows_read_ = 0;
};

// Opens a scan, its format told by its first bytes (not its name). Only the header is read here.
Result<std::unique_ptr<ScanReader>> open_scan(const std::filesystem::path& path);

}  // namespace pavilion::pyramid
