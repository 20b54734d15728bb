// A repository's keys and signed metadata made in memory, as the central hub makes them: two root
// keys (threshold 2) and one key for each other role. Tests change a role's struct, sign again and
// offer the files to the code under test.
#pragma once

#include "pavilion/distribution/metadata.h"
#include "pavilion/package/signing.h"

#include <span>
#include <string>
#include <vector>

namespace pavilion::distribution::testing {

constexpr Seconds now = 1'800'000'000;  // 2027-01-15T08:00:00Z
constexpr Seconds day = 86'400;

inline std::span<const package::KeyPair> one(const package::KeyPair& key) { return std::span(&key, 1); }

struct TestRepository {
  std::vector<package::KeyPair> root_keys{package::generate_key_pair(), package::generate_key_pair()};
  package::KeyPair targets_key = package::generate_key_pair();
  package::KeyPair snapshot_key = package::generate_key_pair();
  package::KeyPair timestamp_key = package::generate_key_pair();

  Root root;
  Targets targets;
  Snapshot snapshot;
  Timestamp timestamp;
  std::string root_file, targets_file, snapshot_file, timestamp_file;

  TestRepository() {
    root.expires = now + 365 * day;
    root.root = {{root_keys[0].public_key, root_keys[1].public_key}, 2};
    root.targets = {{targets_key.public_key}, 1};
    root.snapshot = {{snapshot_key.public_key}, 1};
    root.timestamp = {{timestamp_key.public_key}, 1};
    root_file = write_root(root, root_keys);

    PackageTarget gallery{"gallery", "2026.11.1", 4096, hash_content(std::as_bytes(std::span("head", 4))), 2'000'000, 12};
    targets.packages.emplace(gallery.key(), gallery);
    targets.channels["permanent"] = {gallery.key()};
    targets.channels["spring-festival"] = {gallery.key()};
    targets.campaigns["spring-2027"] = {"spring-2027", "spring-festival", {"haidian", "chaoyang"},
                                        "2027-01-28T08:00", "2027-02-12T21:00", 7};
    targets.expires = snapshot.expires = now + 30 * day;
    timestamp.expires = now + day;
    sign_chain();
  }

  // Signs targets, the snapshot pinning them and the timestamp pinning that snapshot, each at the
  // version and contents its struct holds now.
  void sign_chain() {
    targets_file = write_targets(targets, one(targets_key));
    snapshot.targets = pin_of(targets_file, targets.version);
    snapshot_file = write_snapshot(snapshot, one(snapshot_key));
    timestamp.snapshot = pin_of(snapshot_file, snapshot.version);
    timestamp_file = write_timestamp(timestamp, one(timestamp_key));
  }

  // The next release: targets, snapshot and timestamp each one version up.
  void publish() {
    ++targets.version;
    ++snapshot.version;
    ++timestamp.version;
    sign_chain();
  }

  // Root version N+1 as `root` now says, signed by `signers`; `root` becomes it.
  std::string rotate_root(std::span<const package::KeyPair> signers) {
    ++root.version;
    root_file = write_root(root, signers);
    return root_file;
  }
};

}  // namespace pavilion::distribution::testing
