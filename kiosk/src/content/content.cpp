#include "pavilion/kiosk/content.h"

#include "pavilion/core/log.h"
#include "pavilion/package/signing.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace pavilion::kiosk {
namespace {

// `stored`: the updater brought the package, so nothing in the content folder can mend it.
ContentProblem problem(const std::filesystem::path& file, const Error& error, bool stored) {
  const std::string name = file.filename().string();
  ContentProblem out{name, {}, error.describe()};
  if (stored && error.code() != ErrorCode::unsupported) {
    out.summary = {fmt::format("更新服务器下发的场景包 {} 已损坏或无法读取，已跳过；展台退回上一个可用版本，并在状态报告中告知中心馆。"
                               "若中心馆发布新版本后仍出现，请中心馆检查其服务器上的副本。", name),
                   fmt::format("{} from the update server is damaged or unreadable and was skipped; the kiosk goes back to "
                               "its last good version and tells the central library in its status report. If it happens "
                               "again after the centre publishes another version, ask the centre to check its hub's copy.",
                               name)};
    return out;
  }
  switch (error.code()) {
    case ErrorCode::not_found:
    case ErrorCode::io:
      out.summary = {fmt::format("场景包 {} 无法读取，已跳过；请检查内容文件夹中是否有此文件。", name),
                     fmt::format("{} could not be read and was skipped; check that the file is in the content folder.", name)};
      break;
    case ErrorCode::unsupported:
      out.summary = {fmt::format("场景包 {} 由较新的 pavilion-pack 制作，已跳过；请更新本展台软件。", name),
                     fmt::format("{} was made by a newer pavilion-pack and was skipped; update this kiosk's software.", name)};
      break;
    default:
      out.summary = {fmt::format("场景包 {} 已损坏或签名不受信任，已跳过；请从馆内服务器重新下载，或检查受信任的公钥。", name),
                     fmt::format("{} is damaged or not signed by a trusted key and was skipped; download it again "
                                 "from the hub, or check the kiosk's trusted keys.", name)};
      break;
  }
  return out;
}

}  // namespace

scene::CameraPath tour_of_viewpoints(const std::vector<scene::Viewpoint>& viewpoints, float seconds_each) {
  scene::CameraPath path;
  path.loop = true;
  for (size_t index = 0; index < viewpoints.size(); ++index) {
    path.keys.push_back({seconds_each * static_cast<float>(index), viewpoints[index].position, viewpoints[index].target});
  }
  // Back to the first viewpoint, so the loop closes smoothly; a single viewpoint is held still.
  if (!viewpoints.empty()) {
    path.keys.push_back({seconds_each * static_cast<float>(viewpoints.size()), viewpoints[0].position, viewpoints[0].target});
  }
  return path;
}

ContentLibrary ContentLibrary::open(const KioskConfig& config, const scene::LoadOptions& options,
                                    std::span<const StoredPackage> stored) {
  ContentLibrary library;
  library.options_ = options;
  std::vector<PlaylistEntry> playlist = config.playlist;
  if (playlist.empty()) {
    std::error_code error;
    std::vector<std::string> names;
    for (const auto& item : std::filesystem::directory_iterator(config.content, error)) {
      if (item.path().extension() == ".pvpkg") names.push_back(item.path().filename().string());
    }
    // A kiosk whose updater brings its packages may have no content folder of its own.
    const bool updater_only = config.updates && error == std::errc::no_such_file_or_directory;
    if (error && !updater_only) {
      library.problems_.push_back(
          problem(config.content, Error(ErrorCode::io, "reading the content folder", error.message()), false));
    }
    std::sort(names.begin(), names.end());
    for (std::string& name : names) playlist.push_back({std::move(name), std::nullopt, std::nullopt});
  }

  auto trust = package::trust_key_files(config.trusted_keys, config.developer_mode);
  if (!trust) {
    library.problems_.push_back(problem(config.file, trust.error(), false));
    return library;
  }
  for (const PlaylistEntry& item : playlist) {
    const std::filesystem::path file = config.content / item.package;
    library.add(file, item, package::PackageReader::open(file, *trust), false);
  }
  for (const StoredPackage& package : stored) {
    library.add(package.name(), PlaylistEntry{package.name(), std::nullopt, std::nullopt},
                package::PackageReader::open_stored(package.head, package.blob_path, *trust), true);
  }
  return library;
}

void ContentLibrary::add(const std::filesystem::path& file, const PlaylistEntry& item,
                         Result<std::unique_ptr<package::PackageReader>> reader, bool stored) {
  if (!reader) {
    log::warn("kiosk", "skipping {}: {}", file.string(), reader.error().describe());
    problems_.push_back(problem(file, reader.error(), stored));
    return;
  }
  // Reading the whole scene once checks every blob's hash now rather than mid-visit.
  auto loaded = scene::load_scene(**reader, options_);
  if (!loaded) {
    log::warn("kiosk", "skipping {}: {}", file.string(), loaded.error().describe());
    problems_.push_back(problem(file, loaded.error(), stored));
    return;
  }
  auto thumbnails = scene::read_thumbnails(**reader);
  if (!thumbnails) {
    log::warn("kiosk", "skipping {}: {}", file.string(), thumbnails.error().describe());
    problems_.push_back(problem(file, thumbnails.error(), stored));
    return;
  }
  ContentEntry entry;
  entry.thumbnails = std::move(*thumbnails);
  entry.file = file;
  entry.schedule = item;
  entry.reader = std::move(*reader);
  entry.id = loaded->id;
  entry.version = loaded->version;
  entry.title = loaded->title;
  entry.exhibits = std::move(loaded->exhibits);
  entry.viewpoints = std::move(loaded->viewpoints);
  entry.poems = std::move(loaded->poems);
  entry.books = std::move(loaded->books);
  entry.book_bodies = std::move(loaded->book_bodies);
  entry.audio = std::move(loaded->audio);
  entry.has_show = loaded->show.has_value();
  entry.flash_checked = flash_check_passed(entry.reader->manifest(), file);
  entry.attract_path = !loaded->camera_paths.empty() && loaded->camera_paths[0].keys.size() >= 2
                           ? loaded->camera_paths[0]
                           : tour_of_viewpoints(entry.viewpoints, 12.0f);
  log::info("kiosk", "{} ({} {}): {} exhibits", file.filename().string(), entry.id, entry.version, entry.exhibits.size());
  entries_.push_back(std::move(entry));
}

bool flash_check_passed(std::string_view manifest_json, const std::filesystem::path& file) {
  const auto manifest = nlohmann::json::parse(manifest_json, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("flash_check") || !manifest["flash_check"].is_object()) return false;
  const nlohmann::json& check = manifest["flash_check"];
  if (!check.contains("passed")) return false;
  // value() would throw on a string or a number, and a throw here would end start-up.
  if (!check["passed"].is_boolean()) {
    log::warn("kiosk", "{}: the manifest's flash_check.passed is a {}, not true or false; its show counts as not "
              "flash-checked / 清单中的 flash_check.passed 不是 true 或 false，其演出按未经闪烁检查处理",
              file.string(), check["passed"].type_name());
    return false;
  }
  return check["passed"].get<bool>();
}

std::vector<size_t> ContentLibrary::active_on(std::chrono::year_month_day date) const {
  std::vector<size_t> active;
  for (size_t index = 0; index < entries_.size(); ++index) {
    if (entries_[index].schedule.active_on(date)) active.push_back(index);
  }
  return active;
}

Result<scene::Scene> ContentLibrary::load(size_t entry) const {
  return scene::load_scene(*entries_.at(entry).reader, options_);
}

}  // namespace pavilion::kiosk
