#include "pavilion/pyramid/iiif_export.h"

#include "pavilion/core/file.h"
#include "pavilion/pyramid/pyramid.h"

#include "scan_error.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>

namespace pavilion::pyramid {
namespace {

Result<void> write_image(const std::filesystem::path& folder, const std::string& region, uint32_t width,
                         uint32_t height, std::span<const std::byte> bytes) {
  const std::filesystem::path canonical = folder / region / fmt::format("{},{}", width, height) / "0" / "default.jpg";
  const std::filesystem::path by_width = folder / region / fmt::format("{},", width) / "0" / "default.jpg";
  std::error_code error;
  std::filesystem::create_directories(canonical.parent_path(), error);
  std::filesystem::create_directories(by_width.parent_path(), error);
  PV_TRY(write_file_atomic(canonical, bytes));
  std::filesystem::create_hard_link(canonical, by_width, error);
  if (error) PV_TRY(write_file_atomic(by_width, bytes));  // a file system without hard links
  return {};
}

Error folder_error(const std::filesystem::path& folder, const std::string& english, const std::string& chinese) {
  return Error(ErrorCode::io, fmt::format("exporting a IIIF tile set to {}", folder), english + "\n" + chinese);
}

// Whether `folder` holds a tile set this command wrote, and nothing else, so that writing a new
// one over it loses nobody's files: an info.json of a level-0 ImageService3 beside folders named
// "full" or by a region "x,y,w,h".
bool holds_only_a_tile_set(const std::filesystem::path& folder) {
  std::error_code error;
  const auto text = read_file(folder / "info.json");
  if (!text) return false;
  const char* bytes = reinterpret_cast<const char*>(text->data());
  const auto info = nlohmann::json::parse(bytes, bytes + text->size(), nullptr, false);
  if (!info.is_object() || info.value("type", nlohmann::json()) != "ImageService3" ||
      info.value("profile", nlohmann::json()) != "level0") {
    return false;
  }
  static const std::regex region(R"(\d+,\d+,\d+,\d+)");
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name == "info.json") continue;
    if (!entry.is_directory(error) || (name != "full" && !std::regex_match(name, region))) return false;
  }
  return !error;
}

}  // namespace

Result<IiifTileSet> export_iiif(const std::filesystem::path& scan_path, const std::filesystem::path& out_folder,
                                const IiifExportOptions& options) {
  expects(!options.id.empty() && options.id.back() != '/', "an id without a trailing slash");
  std::error_code error;
  if (std::filesystem::exists(out_folder, error) && !std::filesystem::is_empty(out_folder, error) &&
      !holds_only_a_tile_set(out_folder)) {
    return folder_error(out_folder,
                        fmt::format("{} already holds files that are not a IIIF tile set; choose an empty or new "
                                    "folder.", out_folder),
                        fmt::format("{} 中已有其他文件（不是 IIIF 切片集）；请选择一个空文件夹或新文件夹。", out_folder));
  }
  const std::filesystem::path staging = out_folder.string() + ".partial";
  std::filesystem::remove_all(staging, error);
  std::filesystem::create_directories(staging, error);
  if (error) {
    return folder_error(out_folder,
                        fmt::format("The folder {} cannot be created ({}); check the path and its permissions.",
                                    staging, error.message()),
                        fmt::format("无法创建文件夹 {}（{}）；请检查路径及其权限。", staging, error.message()));
  }

  PV_TRY_ASSIGN(auto scan, open_scan(scan_path));
  const uint32_t width = scan->width();
  const uint32_t height = scan->height();
  const uint32_t tile = options.tile_size;
  PyramidOptions pyramid{.tile_size = tile, .overlap = 0, .encoding = TileEncoding::jpeg, .quality = options.quality,
                         .threads = options.threads};
  const auto levels = pyramid_levels(width, height, tile);
  IiifTileSet set{width, height, 0};
  auto built = build_pyramid(*scan, pyramid, [&](EncodedTile&& encoded) -> Result<void> {
    const uint32_t scale = levels[encoded.id.level].scale;
    const uint64_t x = uint64_t{encoded.id.column} * tile * scale;
    const uint64_t y = uint64_t{encoded.id.row} * tile * scale;
    const uint64_t w = std::min<uint64_t>(uint64_t{tile} * scale, width - x);
    const uint64_t h = std::min<uint64_t>(uint64_t{tile} * scale, height - y);
    PV_TRY(write_image(staging, fmt::format("{},{},{},{}", x, y, w, h), encoded.width, encoded.height, encoded.bytes));
    if (levels[encoded.id.level].columns == 1 && levels[encoded.id.level].rows == 1) {
      PV_TRY(write_image(staging, "full", encoded.width, encoded.height, encoded.bytes));
    }
    ++set.tiles;
    return {};
  });
  if (!built) {
    std::filesystem::remove_all(staging, error);
    return std::move(built).error();
  }

  nlohmann::json scale_factors = nlohmann::json::array();
  nlohmann::json sizes = nlohmann::json::array();
  for (const LevelShape& level : levels) scale_factors.push_back(level.scale);
  // Smallest first, as the specification asks; only whole images we wrote (those in one tile).
  for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
    if (level->columns == 1 && level->rows == 1) {
      sizes.push_back({{"width", level->width}, {"height", level->height}});
    }
  }
  const nlohmann::json info = {
      {"@context", "http://iiif.io/api/image/3/context.json"},
      {"id", options.id},
      {"type", "ImageService3"},
      {"protocol", "http://iiif.io/api/image"},
      {"profile", "level0"},
      {"width", width},
      {"height", height},
      {"tiles", nlohmann::json::array({{{"width", tile}, {"scaleFactors", scale_factors}}})},
      {"sizes", sizes},
  };
  const std::string text = info.dump(2) + "\n";
  PV_TRY(write_file_atomic(staging / "info.json", std::as_bytes(std::span(text))));
  std::filesystem::remove_all(out_folder, error);
  std::filesystem::rename(staging, out_folder, error);
  if (error) {
    return folder_error(out_folder,
                        fmt::format("The tile set could not be moved into {} ({}); it is complete in {}.", out_folder,
                                    error.message(), staging),
                        fmt::format("切片集无法移动到 {}（{}）；完整的切片集保存在 {}。", out_folder, error.message(),
                                    staging));
  }
  return set;
}

}  // namespace pavilion::pyramid
