#include "pavilion/pyramid/iiif_export.h"

#include "pavilion/core/file.h"
#include "pavilion/pyramid/pyramid.h"


#include <fmt/format.h>
#include <fmt/std.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>
#include <utility>

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

}  // namespace

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

ExportFolder::ExportFolder(std::filesystem::path out_folder, std::string what_en, std::string what_zh)
    : out_folder_(std::move(out_folder)),
      staging_(out_folder_.string() + ".partial"),
      what_en_(std::move(what_en)),
      what_zh_(std::move(what_zh)) {}

ExportFolder::ExportFolder(ExportFolder&& other) noexcept
    : out_folder_(std::move(other.out_folder_)),
      staging_(std::move(other.staging_)),
      what_en_(std::move(other.what_en_)),
      what_zh_(std::move(other.what_zh_)),
      finished_(std::exchange(other.finished_, true)) {}

ExportFolder::~ExportFolder() {
  if (finished_) return;
  std::error_code error;
  std::filesystem::remove_all(staging_, error);
}

Error ExportFolder::error(const std::string& english, const std::string& chinese) const {
  return Error(ErrorCode::io, fmt::format("exporting {} to {}", what_en_, out_folder_), english + "\n" + chinese);
}

Result<ExportFolder> ExportFolder::begin(const std::filesystem::path& out_folder, EarlierExport holds_an_earlier_export,
                                         std::string what_en, std::string what_zh) {
  ExportFolder folder(out_folder, std::move(what_en), std::move(what_zh));
  std::error_code error;
  if (std::filesystem::exists(out_folder, error) && !std::filesystem::is_empty(out_folder, error) &&
      !holds_an_earlier_export(out_folder)) {
    folder.finished_ = true;  // nothing of ours to remove
    return folder.error(
        fmt::format("{} already holds files that are not {}; choose an empty or new folder.", out_folder, folder.what_en_),
        fmt::format("{} 中已有其他文件（不是{}）；请选择一个空文件夹或新文件夹。", out_folder, folder.what_zh_));
  }
  std::filesystem::remove_all(folder.staging_, error);
  std::filesystem::create_directories(folder.staging_, error);
  if (error) {
    return folder.error(fmt::format("The folder {} cannot be created ({}); check the path and its permissions.",
                                    folder.staging_, error.message()),
                        fmt::format("无法创建文件夹 {}（{}）；请检查路径及其权限。", folder.staging_, error.message()));
  }
  return folder;
}

Result<void> ExportFolder::finish() {
  std::error_code error;
  std::filesystem::remove_all(out_folder_, error);
  std::filesystem::rename(staging_, out_folder_, error);
  if (error) {
    // Kept where it is: the export is whole there, and the message says where.
    finished_ = true;
    return this->error(fmt::format("The export could not be moved into {} ({}); it is complete in {}.", out_folder_,
                                   error.message(), staging_),
                       fmt::format("导出结果无法移动到 {}（{}）；完整的结果保存在 {}。", out_folder_, error.message(),
                                   staging_));
  }
  finished_ = true;
  return {};
}

IiifTileSetWriter::IiifTileSetWriter(std::filesystem::path folder, std::string id, uint32_t width, uint32_t height,
                                     uint32_t tile_size)
    : folder_(std::move(folder)),
      id_(std::move(id)),
      width_(width),
      height_(height),
      tile_size_(tile_size),
      levels_(pyramid_levels(width, height, tile_size)) {
  expects(!id_.empty() && id_.back() != '/', "an id without a trailing slash");
}

std::array<uint64_t, 4> IiifTileSetWriter::region(uint32_t level, uint32_t column, uint32_t row) const {
  const uint64_t scale = levels_[level].scale;
  const uint64_t x = uint64_t{column} * tile_size_ * scale;
  const uint64_t y = uint64_t{row} * tile_size_ * scale;
  return {x, y, std::min<uint64_t>(tile_size_ * scale, width_ - x), std::min<uint64_t>(tile_size_ * scale, height_ - y)};
}

Result<void> IiifTileSetWriter::write_tile(uint32_t level, uint32_t column, uint32_t row, std::span<const std::byte> jpeg,
                                           uint32_t pixel_width, uint32_t pixel_height) const {
  const auto [x, y, w, h] = region(level, column, row);
  PV_TRY(write_image(folder_, fmt::format("{},{},{},{}", x, y, w, h), pixel_width, pixel_height, jpeg));
  if (levels_[level].columns == 1 && levels_[level].rows == 1) {
    PV_TRY(write_image(folder_, "full", pixel_width, pixel_height, jpeg));
  }
  return {};
}

Result<void> IiifTileSetWriter::write_info() const {
  nlohmann::json scale_factors = nlohmann::json::array();
  nlohmann::json sizes = nlohmann::json::array();
  for (const LevelShape& level : levels_) scale_factors.push_back(level.scale);
  // Smallest first, as the specification asks; only whole images written (those in one tile).
  for (auto level = levels_.rbegin(); level != levels_.rend(); ++level) {
    if (level->columns == 1 && level->rows == 1) {
      sizes.push_back({{"width", level->width}, {"height", level->height}});
    }
  }
  const nlohmann::json info = {
      {"@context", "http://iiif.io/api/image/3/context.json"},
      {"id", id_},
      {"type", "ImageService3"},
      {"protocol", "http://iiif.io/api/image"},
      {"profile", "level0"},
      {"width", width_},
      {"height", height_},
      {"tiles", nlohmann::json::array({{{"width", tile_size_}, {"scaleFactors", scale_factors}}})},
      {"sizes", sizes},
  };
  const std::string text = info.dump(2) + "\n";
  return write_file_atomic(folder_ / "info.json", std::as_bytes(std::span(text)));
}

Result<IiifTileSet> export_iiif(const std::filesystem::path& scan_path, const std::filesystem::path& out_folder,
                                const IiifExportOptions& options) {
  PV_TRY_ASSIGN(ExportFolder folder, ExportFolder::begin(out_folder, holds_only_a_tile_set, "a IIIF tile set", "IIIF 切片集"));
  PV_TRY_ASSIGN(auto scan, open_scan(scan_path));
  const IiifTileSetWriter writer(folder.staging(), options.id, scan->width(), scan->height(), options.tile_size);
  PyramidOptions pyramid{.tile_size = options.tile_size, .overlap = 0, .encoding = TileEncoding::jpeg,
                         .quality = options.quality, .threads = options.threads};
  IiifTileSet set{scan->width(), scan->height(), 0};
  PV_TRY(build_pyramid(*scan, pyramid, [&](EncodedTile&& encoded) -> Result<void> {
    ++set.tiles;
    return writer.write_tile(encoded.id.level, encoded.id.column, encoded.id.row, encoded.bytes, encoded.width,
                             encoded.height);
  }));
  PV_TRY(writer.write_info());
  PV_TRY(folder.finish());
  return set;
}

}  // namespace pavilion::pyramid
