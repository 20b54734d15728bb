// The repository's newest signed state as the Store holds it, and the one way it changes: the
// next versions written in one transaction, made again from the newest state whenever another
// hub process took those versions first (repository.h explains why this never forks).
#pragma once

#include "pavilion/hub/repository.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace pavilion::hub {

using RepositoryFiles = std::vector<std::pair<std::string, std::string>>;

// The names files are stored (and served) under.
std::string root_file_name(uint64_t version);
std::string targets_file_name(uint64_t version);
std::string snapshot_file_name(uint64_t version);
// The history of timestamps, stored but not served: writing version N takes this name, which
// only one transaction can.
std::string timestamp_history_name(uint64_t version);
inline constexpr std::string_view timestamp_file_name = "timestamp.json";

struct SignedState {
  distribution::Root root;  // the newest
  distribution::Timestamp timestamp;
  distribution::Snapshot snapshot;
  std::string snapshot_file;  // as stored, for a new timestamp to pin
  distribution::Targets targets;
};

// The newest root's version, 0 when there is none.
Result<uint64_t> newest_root_version(Store& store);
// Refused (not_found) before `pavilion-hub repository init`.
Result<SignedState> read_signed_state(Store& store);

// Stores `files` in one transaction: false when another hub process took one of their versions
// first (nothing was written).
Result<bool> put_new_versions(Store& store, const RepositoryFiles& files);

// The timestamp naming `snapshot_file` (version `snapshot_version`) as version `version`, and the
// files that store it.
void add_timestamp(RepositoryFiles& files, uint64_t version, uint64_t snapshot_version, const std::string& snapshot_file,
                   const package::KeyPair& key, Seconds now);

// The next targets (the newest, changed by `edit`), snapshot and timestamp, signed with `keys`
// (each must be the one the newest root names). `edit` sees the newest targets each time it is
// tried. Returns the new targets version.
using TargetsEdit = std::function<Result<void>(distribution::Targets& targets)>;
Result<uint64_t> change_targets(Store& store, const OnlineKeys& keys, Seconds now, const TargetsEdit& edit);

}  // namespace pavilion::hub
