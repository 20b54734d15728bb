// The repository's signed metadata (engine/distribution/PROTOCOL.md): the four roles' contents,
// reading them with every problem named by its JSON path, writing and signing them canonically,
// and checking a threshold of signatures.
#pragma once

#include "pavilion/core/hash.h"
#include "pavilion/core/localized_text.h"
#include "pavilion/package/format.h"
#include "pavilion/package/signing.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pavilion::distribution {

using Seconds = int64_t;  // UTC, seconds since 1970-01-01

// The most a client reads of the two files nothing above them bounds (PROTOCOL.md): longer is
// `oversized`.
constexpr uint64_t max_root_length = 512 * 1024;
constexpr uint64_t max_timestamp_length = 16 * 1024;

enum class Role { root, targets, snapshot, timestamp };
std::string_view to_string(Role role);  // "root", …: also the `_type` and the file's stem

// Why a client refused something it was offered (PROTOCOL.md, "The client's checks"). `storage`:
// the client verified a file but could not save it (a full or failing disk), so it trusts nothing
// new rather than trust what a restart would forget.
// `missing`: the server lacks a file its own signed metadata names (a head, a blob, a pinned
// snapshot or targets version) — most likely a hub or mirror caught mid-update; try again later.
enum class RefusalKind { rollback, expired, mismatch, oversized, wrong_hash, signature, malformed, unreachable, storage, missing };
std::string_view to_string(RefusalKind kind);

struct Refusal {
  RefusalKind kind = RefusalKind::malformed;
  Role role = Role::root;  // the metadata it concerns (a blob's or head's: targets)
  std::string detail;      // English, for logs and the fleet report: "timestamp version 7 is older than the trusted 9"
  Seconds expires = 0;     // `expired` only: when the refused (or trusted) metadata expired, for the sentence
  // What an operator reads on the kiosk's operator screen and in the fleet report, both languages.
  LocalizedText sentence() const;
};

// Either a value or why it was refused.
template <class T>
using Checked = std::variant<T, Refusal>;

struct RoleKeys {
  std::vector<package::PublicKey> keys;
  uint32_t threshold = 1;
  friend bool operator==(const RoleKeys&, const RoleKeys&) = default;
};

struct Root {
  uint64_t version = 1;
  Seconds expires = 0;
  RoleKeys root, targets, snapshot, timestamp;
  const RoleKeys& keys_for(Role role) const;
  RoleKeys& keys_for(Role role);
  friend bool operator==(const Root&, const Root&) = default;
};

// What one metadata file says about the next one down.
struct FilePin {
  uint64_t version = 0;
  uint64_t length = 0;
  ContentHash hash;
  friend bool operator==(const FilePin&, const FilePin&) = default;
};

struct Timestamp {
  uint64_t version = 1;
  Seconds expires = 0;
  FilePin snapshot;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

struct Snapshot {
  uint64_t version = 1;
  Seconds expires = 0;
  FilePin targets;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

struct PackageTarget {
  std::string id;
  std::string version;
  uint64_t head_length = 0;
  ContentHash head_hash;
  uint64_t size = 0;        // the assembled .pvpkg's file_size
  uint32_t blob_count = 0;
  std::string key() const { return id + "@" + version; }
  friend bool operator==(const PackageTarget&, const PackageTarget&) = default;
};

struct Campaign {
  std::string name;
  std::string channel;
  std::vector<std::string> branches;  // empty: every branch
  std::string starts;                 // local time, "YYYY-MM-DDTHH:MM"
  std::string ends;
  uint32_t stage_days = 7;
  friend bool operator==(const Campaign&, const Campaign&) = default;
};

struct Targets {
  uint64_t version = 1;
  Seconds expires = 0;
  std::map<std::string, PackageTarget> packages;             // by key() "ID@VERSION"
  std::map<std::string, std::vector<std::string>> channels;  // channel name → package keys
  std::map<std::string, Campaign> campaigns;                 // by name
  friend bool operator==(const Targets&, const Targets&) = default;
};

// Reading: the structure and types only (no signature check, no time check). A problem is a
// `malformed` Refusal whose detail names the JSON path ("signed.meta.snapshot.json.length: must
// be a whole number").
Checked<Root> read_root(std::string_view file);
Checked<Timestamp> read_timestamp(std::string_view file);
Checked<Snapshot> read_snapshot(std::string_view file);
Checked<Targets> read_targets(std::string_view file);

// Writing: the file, signed by each of `keys` (canonical bytes as PROTOCOL.md says).
std::string write_root(const Root& root, std::span<const package::KeyPair> keys);
std::string write_timestamp(const Timestamp& timestamp, std::span<const package::KeyPair> keys);
std::string write_snapshot(const Snapshot& snapshot, std::span<const package::KeyPair> keys);
std::string write_targets(const Targets& targets, std::span<const package::KeyPair> keys);

// Counts the distinct keys of `keys` with a valid signature over the file's canonical `signed`
// bytes; refused (`signature`) below the threshold, the detail naming which keys signed and
// whether a signature came from a key not (or no longer) among them.
Checked<std::monostate> check_signatures(std::string_view file, Role role, const RoleKeys& keys);

// The pin of `file` (its length and hash) with the version it declares.
FilePin pin_of(std::string_view file, uint64_t version);

// Package ids and versions, channel, campaign and branch names: they become parts of file names
// and URLs on kiosks and hubs, so only these characters, and never "." or ".." alone. The one rule
// the reader checks and the hub checks before it signs anything.
bool is_repository_name(std::string_view text);
inline constexpr std::string_view repository_name_rule = "1–64 letters, digits, '.', '_' or '-', not starting with '.'";

// "2027-01-28T08:00:00Z" ⇄ seconds.
std::string format_utc(Seconds time);
std::optional<Seconds> parse_utc(std::string_view text);

}  // namespace pavilion::distribution
