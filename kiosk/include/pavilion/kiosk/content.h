// The packages a kiosk shows: every package of the playlist (or of the content folder), and those
// its updater installed in its blob store, opened, checked against the trusted keys and read
// through once, so a damaged one is found at start-up and skipped with a problem the operator
// screen lists, while the others go on working.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/thumbnail.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::kiosk {

// A package the updater installed (kiosk/src/updates): its head and its blobs, each a file in the
// kiosk's blob store.
struct StoredPackage {
  std::string id;
  std::string version;
  std::filesystem::path head;
  std::function<std::filesystem::path(const ContentHash& stored_hash)> blob_path;
  std::string name() const { return id + "@" + version; }
};

// A package that could not be used, in words for the operator screen.
struct ContentProblem {
  std::string package;          // file name, or ID@VERSION of a stored package
  LocalizedText summary;  // one sentence, in both languages
  std::string detail;           // the error as the engine gives it, for a technician
};

struct ContentEntry {
  std::filesystem::path file;  // the package file, or ID@VERSION of a stored package (its head is reader->path())
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
  std::vector<scene::Book> books;          // its book exhibits' pages and tiles' hashes (exhibits/book/)
  std::vector<scene::BookBody> book_bodies;  // their bodies' instances in the loaded scene (scene/book_body.h)
  // A path for the attract loop: the scene's first camera path, or a slow tour of its viewpoints.
  scene::CameraPath attract_path;
  // Pictures of the exhibits for the menu, drawn by pavilion-pack (none in older packages).
  std::vector<scene::Thumbnail> thumbnails;
  bool has_show = false;
  // Whether the package's manifest records a flash check its show passed ("flash_check":
  // {"passed": true}); without the record the show counts as unchecked (kiosk.json's flash_limit).
  bool flash_checked = false;
};

class ContentLibrary {
 public:
  // Never fails: packages that cannot be used become problems. Stored packages come after the
  // content folder's, always in season (the updater switches campaigns in and out).
  static ContentLibrary open(const KioskConfig& config, const scene::LoadOptions& options,
                             std::span<const StoredPackage> stored = {});

  const std::vector<ContentEntry>& entries() const { return entries_; }
  const std::vector<ContentProblem>& problems() const { return problems_; }
  // Entries whose campaign includes `date`, in playlist order.
  std::vector<size_t> active_on(std::chrono::year_month_day date) const;
  // Loads an entry's scene in full, for showing it.
  Result<scene::Scene> load(size_t entry) const;

 private:
  // Checks and keeps one opened package, or records why it cannot be shown; `stored`: one the
  // updater brought (not the content folder's).
  void add(const std::filesystem::path& file, const PlaylistEntry& item, Result<std::unique_ptr<package::PackageReader>> reader,
           bool stored);

  scene::LoadOptions options_;
  std::vector<ContentEntry> entries_;
  std::vector<ContentProblem> problems_;
};

// Whether a package's manifest (JSON) records a flash check its show passed: "flash_check":
// {"passed": true}. Anything else counts as unchecked: no record, or a record whose "passed" is
// not a boolean (logged, naming `file`), which a hand-edited manifest may hold.
bool flash_check_passed(std::string_view manifest_json, const std::filesystem::path& file);

// The attract path of a scene without camera paths: its viewpoints in turn, `seconds_each` apart.
scene::CameraPath tour_of_viewpoints(const std::vector<scene::Viewpoint>& viewpoints, float seconds_each);

}  // namespace pavilion::kiosk
