// pavilion-pyramid: page-scan pyramids from the command line. Today one command:
//   pavilion-pyramid export-iiif SCAN OUT_FOLDER --id URL [--tile N] [--quality Q]
// Exit status: 0 written, 1 the scan or the folder failed (the reason on standard error, in English
// and Chinese), 2 a wrong command line.
#include "pavilion/pyramid/iiif_export.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view usage =
    "usage: pavilion-pyramid export-iiif SCAN OUT_FOLDER --id URL [--tile N] [--quality Q]\n"
    "用法：pavilion-pyramid export-iiif 扫描图像 输出文件夹 --id 网址 [--tile 切片边长] [--quality 质量]\n";

bool parse_number(std::string_view text, uint32_t low, uint32_t high, uint32_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out >= low && out <= high;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> arguments(argv + 1, argv + argc);
  if (arguments.size() < 3 || arguments[0] != "export-iiif") {
    std::fputs(usage.data(), stderr);
    return 2;
  }
  pavilion::pyramid::IiifExportOptions options;
  for (size_t index = 3; index < arguments.size(); ++index) {
    const std::string_view flag = arguments[index];
    if (index + 1 == arguments.size()) {
      fmt::print(stderr, "{} needs a value / {} 缺少取值\n{}", flag, flag, usage);
      return 2;
    }
    const std::string_view value = arguments[++index];
    uint32_t number = 0;
    if (flag == "--id") {
      options.id = std::string(value);
      while (!options.id.empty() && options.id.back() == '/') options.id.pop_back();
    } else if (flag == "--tile" && parse_number(value, 16, 4096, number)) {
      options.tile_size = number;
    } else if (flag == "--quality" && parse_number(value, 1, 100, number)) {
      options.quality = static_cast<int>(number);
    } else {
      fmt::print(stderr, "{} {}: not understood (--tile 16..4096, --quality 1..100) / 无法识别\n{}", flag, value, usage);
      return 2;
    }
  }
  if (options.id.empty()) {
    fmt::print(stderr, "--id URL is needed: the address the tile set will be served at / 需要 --id：切片集的发布网址\n{}",
               usage);
    return 2;
  }
  const auto exported = pavilion::pyramid::export_iiif(argv[2], argv[3], options);
  if (!exported) {
    fmt::print(stderr, "{}\n", exported.error().describe());
    return 1;
  }
  fmt::print("{} × {}: {} tiles and info.json in {}\n", exported->width, exported->height, exported->tiles, argv[3]);
  return 0;
}
