// The client's side of PROTOCOL.md, "The client's checks": what a kiosk or a branch mirror has
// trusted so far, and the rules for accepting newer metadata. No network here (the Updater
// fetches); persisted in a folder, each file replaced atomically, so a restart forgets nothing.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/distribution/metadata.h"

#include <filesystem>
#include <optional>
#include <string>

namespace pavilion::distribution {

class TrustedState {
 public:
  // Loads what `folder` holds (root.json, timestamp.json, snapshot.json, targets.json as last
  // trusted). With no root.json there, starts from `pinned_root` (the root the operator installed,
  // trusted as given: its own signatures must still meet its root threshold) and saves it.
  // Fails (io / invalid_input) when neither gives a root.
  static Result<TrustedState> open(const std::filesystem::path& folder, const std::filesystem::path& pinned_root);

  // Each step of PROTOCOL.md's list; on success the new file is trusted and persisted, on a
  // refusal nothing changes. `now` checks expiry.
  Checked<std::monostate> accept_root(std::string_view next_root);      // version must be current + 1
  Checked<std::monostate> check_root_fresh(Seconds now) const;           // after the root walk
  Checked<std::monostate> accept_timestamp(std::string_view file, Seconds now);
  // Whether the trusted timestamp names a snapshot newer than the trusted one.
  bool needs_snapshot() const;
  Checked<std::monostate> accept_snapshot(std::string_view file, Seconds now);
  bool needs_targets() const;
  Checked<std::monostate> accept_targets(std::string_view file, Seconds now);

  const Root& root() const { return root_; }
  const std::optional<Timestamp>& timestamp() const { return timestamp_; }
  const std::optional<Snapshot>& snapshot() const { return snapshot_; }
  const std::optional<Targets>& targets() const { return targets_; }
  // The trusted files as received, for a mirror to serve as they are.
  const std::string& file(Role role) const;

  // Whether every trusted role is unexpired at `now` (a client shows no new content when not,
  // and says why).
  Checked<std::monostate> check_fresh(Seconds now) const;

 private:
  std::filesystem::path folder_;
  Root root_;
  std::optional<Timestamp> timestamp_;
  std::optional<Snapshot> snapshot_;
  std::optional<Targets> targets_;
  std::string files_[4];
};

}  // namespace pavilion::distribution
