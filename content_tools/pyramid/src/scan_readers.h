// One reader per format; open_scan picks by the file's first bytes.
#pragma once

#include "pavilion/pyramid/scan.h"

namespace pavilion::pyramid {

Result<std::unique_ptr<ScanReader>> open_jpeg_scan(const std::filesystem::path& path);
Result<std::unique_ptr<ScanReader>> open_png_scan(const std::filesystem::path& path);
Result<std::unique_ptr<ScanReader>> open_tiff_scan(const std::filesystem::path& path);

}  // namespace pavilion::pyramid
