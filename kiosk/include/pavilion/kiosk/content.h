// The packages a kiosk shows: every package of the playlist (or of the content folder), opened,
// checked against the trusted keys and read through once, so a damaged one is found at start-up
// and skipped with a problem the operator screen lists, while the others go on working.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/thumbnail.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace pavilion::kiosk {

// A package that could not be used, in words for the operator screen.
struct ContentProblem {
  std::string package;          // file name
  LocalizedText summary;  // one sentence, in both languages
  std::string detail;           // the error as the engine gives it, for a technician
};

struct ContentEntry {
  std::filesystem::path file;
  PlaylistEntry schedule;
  std::unique_ptr<package::PackageReader> reader;  // kept open (mapped) for loading the scene again
  // The scene's description; its render data is dropped after the start-up check.
  std::string id;
  std::string version;
  LocalizedText title;
  std::vector<scene::Exhibit> exhibits;
  std::vector<scene::Viewpoint> viewpoints;
  std::vector<scene::Poem> poems;         // typeset by the kiosk from their blobs
  std::vector<scene::AudioSource> audio;  // what the poems' audio indices name
  // A path for the attract loop: the scene's first camera path, or a slow tour of its viewpoints.
  scene::CameraPath attract_path;
  // Pictures of the exhibits for the menu, drawn by pavilion-pack (none in older packages).
  std::vector<scene::Thumbnail> thumbnails;
};

class ContentLibrary {
 public:
  // Never fails: packages that cannot be used become problems.
  static ContentLibrary open(const KioskConfig& config, const scene::LoadOptions& options);

  const std::vector<ContentEntry>& entries() const { return entries_; }
  const std::vector<ContentProblem>& problems() const { return problems_; }
  // Entries whose campaign includes `date`, in playlist order.
  std::vector<size_t> active_on(std::chrono::year_month_day date) const;
  // Loads an entry's scene in full, for showing it.
  Result<scene::Scene> load(size_t entry) const;

 private:
  scene::LoadOptions options_;
  std::vector<ContentEntry> entries_;
  std::vector<ContentProblem> problems_;
};

// The attract path of a scene without camera paths: its viewpoints in turn, `seconds_each` apart.
scene::CameraPath tour_of_viewpoints(const std::vector<scene::Viewpoint>& viewpoints, float seconds_each);

}  // namespace pavilion::kiosk
