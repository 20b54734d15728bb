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
