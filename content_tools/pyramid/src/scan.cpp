#include "pavilion/pyramid/scan.h"

#include "scan_error.h"
#include "scan_readers.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <array>
#include <fstream>

namespace pavilion::pyramid {

Error scan_error(ErrorCode code, const std::filesystem::path& file, const std::string& english,
                 const std::string& chinese) {
  return Error(code, fmt::format("reading the page scan {}", file), english + "\n" + chinese);
}

Result<void> check_scan_size(const std::filesystem::path& file, uint32_t width, uint32_t height) {
  if (width > 0 && height > 0 && width <= max_scan_side && height <= max_scan_side) return {};
  return scan_error(ErrorCode::unsupported, file,
                    fmt::format("The page scan {} says it is {} × {} pixels; a scan must be at least 1 and at most "
                                "{} pixels on each side. Check that the file is a page scan and not damaged.",
                                file, width, height, max_scan_side),
                    fmt::format("页面扫描图像 {} 标称尺寸为 {} × {} 像素；扫描图像每边须在 1 至 {} 像素之间。"
                                "请确认该文件是页面扫描图像且未损坏。", file, width, height, max_scan_side));
}

Result<std::unique_ptr<ScanReader>> open_scan(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return scan_error(ErrorCode::not_found, path,
                      fmt::format("The page scan {} cannot be opened; check that the file exists and may be read.", path),
                      fmt::format("无法打开页面扫描图像 {}；请确认该文件存在且可读取。", path));
  }
  std::array<unsigned char, 8> magic{};
  file.read(reinterpret_cast<char*>(magic.data()), magic.size());
  const auto got = static_cast<size_t>(file.gcount());
  if (got >= 3 && magic[0] == 0xff && magic[1] == 0xd8 && magic[2] == 0xff) return open_jpeg_scan(path);
  if (got >= 8 && magic == std::array<unsigned char, 8>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}) {
    return open_png_scan(path);
  }
  if (got >= 4 && ((magic[0] == 'I' && magic[1] == 'I' && (magic[2] == 42 || magic[2] == 43) && magic[3] == 0) ||
                   (magic[0] == 'M' && magic[1] == 'M' && magic[2] == 0 && (magic[3] == 42 || magic[3] == 43)))) {
    return open_tiff_scan(path);
  }
  return scan_error(ErrorCode::unsupported, path,
                    fmt::format("{} is not a JPEG, PNG or TIFF image (its first bytes say so, whatever its name); "
                                "export the scan in one of those formats.", path),
                    fmt::format("{} 不是 JPEG、PNG 或 TIFF 图像（由文件开头的字节判断，与文件名无关）；"
                                "请将扫描图像导出为这三种格式之一。", path));
}

}  // namespace pavilion::pyramid
