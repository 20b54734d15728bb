// What the kiosk holds of each package the updater installed, persisted as installed.json in the
// updates folder (written atomically, so a power cut leaves the old file or the new one): the
// version shown, the version staged to switch to at the next safe moment, the last good version
// to roll back to, and a version that failed (not tried again until another appears). The rules
// for switching and rolling back are here too, apart from any thread or network, so they are
// tested on their own.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/hash.h"
#include "pavilion/distribution/metadata.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace pavilion::kiosk {

struct InstalledVersion {
  std::string version;
  ContentHash head;  // the package head in the blob store
  uint64_t head_length = 0;
  friend bool operator==(const InstalledVersion&, const InstalledVersion&) = default;
};

struct InstalledPackage {
  std::optional<InstalledVersion> showing;
  std::optional<InstalledVersion> staged;
  std::optional<InstalledVersion> previous;  // the last good version
  // A campaign's dates (UTC): the staged version switches in at `shown_from`, and the package
  // leaves the screen at `shown_until` (also set when its channel drops it).
  std::optional<distribution::Seconds> shown_from;
  std::optional<distribution::Seconds> shown_until;
  std::string failed_version;  // verified badly, or would not load: not tried again
  std::string failed_detail;
  bool rolled_back = false;  // failed after it was switched to, and the previous version came back
};

struct InstalledState {
  std::map<std::string, InstalledPackage> packages;  // by package id

  // A missing file is an empty state (a new kiosk); a damaged one fails (invalid_input).
  static Result<InstalledState> load(const std::filesystem::path& file);
  Result<void> save(const std::filesystem::path& file) const;

  // Whether a switch is due at `now`: a staged version whose time has come, or a package whose
  // time on screen is over.
  bool switch_due(distribution::Seconds now) const;
  // Makes the due switches (the shown version becomes the last good one); returns how many.
  size_t switch_now(distribution::Seconds now);
  // The version `version` of `id` would not load: back to the last good version, and marked
  // failed. False when `id` does not show `version` (nothing changed).
  bool roll_back(const std::string& id, const std::string& version, const std::string& detail);
};

}  // namespace pavilion::kiosk
