// The central hub as the package repository (engine/distribution/PROTOCOL.md; hub/README.md,
// "The package repository"): the signed metadata of the four roles, packages published into the
// blob store, campaigns, root rotation and the running hub's renewal of the timestamp.
//
// Metadata files live in the Store, each change in one transaction (Store::put_repository_files):
// a change reads the newest files, makes the next versions and writes them all together with
// "timestamp/N.json", a history name nobody else takes, so two hub processes sharing PostgreSQL
// that change the repository at once never make two different files of one version — the second
// finds its versions taken, reads again and makes the next. Package heads and blobs' stored bytes
// live in a distribution::BlobStore (HubConfig::repository_folder / "blobs"), written before the
// metadata that names them.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/distribution/blob_store.h"
#include "pavilion/distribution/metadata.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/store.h"
#include "pavilion/package/signing.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

using distribution::Seconds;

// How long what each role signs stays valid, and when the running hub signs again.
inline constexpr Seconds root_lifetime = 365 * 86'400;
inline constexpr Seconds targets_lifetime = 30 * 86'400;  // snapshot too; publishing renews both
inline constexpr Seconds timestamp_lifetime = 86'400;
inline constexpr Seconds timestamp_renewal_age = 3'600;       // a timestamp older than this is signed again
inline constexpr Seconds targets_renewal_margin = 7 * 86'400;  // targets expiring sooner are signed again

// The keys the central hub signs with while it runs (HubConfig's targets_key, snapshot_key and
// timestamp_key); each may be missing (a branch hub holds none).
struct OnlineKeys {
  std::optional<package::KeyPair> targets;
  std::optional<package::KeyPair> snapshot;
  std::optional<package::KeyPair> timestamp;
};
Result<OnlineKeys> read_online_keys(const HubConfig& config);

// `pavilion-hub repository init`: root/1.json signed by every one of `root_keys` (kept offline
// afterwards), naming them with `threshold` and the online keys (threshold 1 each); and the first
// targets (empty), snapshot and timestamp. Refused when the store already holds a root.
struct NewRepository {
  std::vector<package::KeyPair> root_keys;
  uint32_t threshold = 1;
  package::KeyPair targets;
  package::KeyPair snapshot;
  package::KeyPair timestamp;
};
Result<void> init_repository(Store& store, const NewRepository& repository, Seconds now);

// `pavilion-hub repository rotate-root`: root/(N+1).json, naming `root_keys` with `threshold`,
// signed by `old_root_keys` (at least the current root's threshold of its root keys) and by every
// one of `root_keys` (at least the new threshold). A root key left out is revoked from then on.
// With `timestamp`, the new root names that timestamp key instead and the timestamp is signed with
// it at once, in the same transaction (hub.json must name the new key before the hub runs again).
// Returns the new root's version.
struct RootRotation {
  std::vector<package::KeyPair> old_root_keys;
  std::vector<package::KeyPair> root_keys;
  uint32_t threshold = 1;
  std::optional<package::KeyPair> timestamp;
};
Result<uint64_t> rotate_root(Store& store, const RootRotation& rotation, Seconds now);

// `pavilion-hub publish PACKAGE --channel NAME`: the package's head and every blob's stored bytes
// into `blobs` (those already held are kept, so a new version costs only its changed blobs), then
// the next targets naming the package in `channel` (a version of the same package id already in
// that channel leaves it; a version no channel names any more leaves targets), snapshot and
// timestamp. Refused, with a sentence: a file that is not a package, a damaged one, one not signed
// by a key of `trust` (never developer mode), one written before stored hashes ("re-pack it"), and
// an id@version already published with other contents.
struct Published {
  distribution::PackageTarget target;
  uint64_t targets_version = 0;
  uint64_t blobs_written = 0;  // new in the blob store, the head included
  uint64_t bytes_written = 0;
  uint64_t blobs_already_held = 0;
};
Result<Published> publish_package(Store& store, distribution::BlobStore& blobs, const OnlineKeys& keys,
                                  const std::filesystem::path& package, std::string_view channel,
                                  const package::TrustPolicy& trust, Seconds now);

// Campaigns and channels, each a new targets version. Returns that version.
Result<uint64_t> add_campaign(Store& store, const OnlineKeys& keys, const distribution::Campaign& campaign, Seconds now);
Result<uint64_t> remove_campaign(Store& store, const OnlineKeys& keys, std::string_view name, Seconds now);
Result<uint64_t> remove_from_channel(Store& store, const OnlineKeys& keys, std::string_view channel,
                                     std::string_view package_id, Seconds now);

// The running hub's upkeep, every few minutes: a timestamp older than timestamp_renewal_age is
// signed again (a new version naming the same snapshot); with the targets and snapshot keys too,
// targets expiring within targets_renewal_margin are signed again (next versions, same content).
// Another hub process renewing first is no failure. Returns whether it signed anything.
Result<bool> renew_metadata(Store& store, const OnlineKeys& keys, Seconds now);

}  // namespace pavilion::hub
