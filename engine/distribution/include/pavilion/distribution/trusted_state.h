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
  // Fails (io / invalid_input) when neither gives a root. The other files are checked again as
  // after a root rotation (below): one that no longer holds is forgotten and fetched fresh.
  static Result<TrustedState> open(const std::filesystem::path& folder, const std::filesystem::path& pinned_root);

  // Each step of PROTOCOL.md's list; on success the new file is trusted and persisted, on a
  // refusal nothing changes. `now` checks expiry.
  // Version must be current + 1, signed by a threshold of the current root's root keys and of its
  // own. A trusted timestamp, snapshot or targets whose signatures the new root's keys no longer
  // meet (its key was revoked), or that no longer agrees with the files below it, is forgotten, so
  // the next one is fetched fresh: TUF's recovery from a compromised key, where a version pushed
  // far ahead by the attacker must not block the repository's real versions forever.
  Checked<std::monostate> accept_root(std::string_view next_root);
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
  // The trusted files as received, for a mirror to serve as they are ("" for a role not trusted yet).
  const std::string& file(Role role) const;

  // Whether every trusted role is unexpired at `now` (a client shows no new content when not,
  // and says why).
  Checked<std::monostate> check_fresh(Seconds now) const;

 private:
  TrustedState() = default;
  // Writes `file` as the trusted `role` atomically; `storage` when the disk refuses.
  Checked<std::monostate> save(Role role, std::string_view file) const;
  void forget(Role role);
  void forget_unverifiable();
  // Whether a newly offered file's pin for `role` keeps to what is trusted of that role already.
  Checked<std::monostate> check_named(Role role, const FilePin& pin, Role naming, uint64_t naming_version) const;
  // Whether `file` is the one `pin` (given by `naming`) names: its length and hash.
  static Checked<std::monostate> check_pinned(std::string_view file, const FilePin& pin, Role role, Role naming);

  std::filesystem::path folder_;
  Root root_;
  std::optional<Timestamp> timestamp_;
  std::optional<Snapshot> snapshot_;
  std::optional<Targets> targets_;
  std::string files_[4];
};

}  // namespace pavilion::distribution
