#include "signed_state.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace pavilion::hub {
namespace {

using distribution::Checked;
using distribution::Refusal;

// Many hub processes changing the repository at the same moment each take their turn; past this
// many lost turns something is wrong (a process writing in a loop).
constexpr int max_attempts = 50;

template <class T>
Result<T> readable(Checked<T> checked, std::string_view name) {
  if (auto* refusal = std::get_if<Refusal>(&checked)) {
    return Error(ErrorCode::internal, fmt::format("reading the repository's {}", name),
                 fmt::format("it is not readable metadata: {}", refusal->detail));
  }
  return std::move(std::get<T>(checked));
}

Result<std::string> stored_file(Store& store, const std::string& name) {
  PV_TRY_ASSIGN(std::optional<std::string> file, store.repository_file(name));
  if (!file) {
    return Error(ErrorCode::internal, fmt::format("reading the repository's {}", name),
                 "a file the newer metadata names is missing from the hub's database");
  }
  return std::move(*file);
}

bool names_key(const distribution::RoleKeys& role, const package::PublicKey& key) {
  return std::ranges::find(role.keys, key) != role.keys.end();
}

// The online key for `role`, which the newest root must name.
Result<const package::KeyPair*> online_key(const std::optional<package::KeyPair>& key, distribution::Role role,
                                           const distribution::Root& root) {
  const std::string step = fmt::format("signing the repository's {}", distribution::to_string(role));
  if (!key) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("hub.json names no {0}_key; give it the {0} role's secret key file", distribution::to_string(role)));
  }
  if (!names_key(root.keys_for(role), key->public_key)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the {}_key in hub.json ({}) is not one root/{}.json names for that role; give the key "
                             "`repository init` or `rotate-root` was given",
                             distribution::to_string(role), package::to_hex(key->public_key), root.version));
  }
  return &*key;
}

}  // namespace

std::string root_file_name(uint64_t version) { return fmt::format("root/{}.json", version); }
std::string targets_file_name(uint64_t version) { return fmt::format("targets/{}.json", version); }
std::string snapshot_file_name(uint64_t version) { return fmt::format("snapshot/{}.json", version); }
std::string timestamp_history_name(uint64_t version) { return fmt::format("timestamp/{}.json", version); }

Result<uint64_t> newest_root_version(Store& store) {
  uint64_t version = 0;
  for (;;) {
    PV_TRY_ASSIGN(const std::optional<std::string> file, store.repository_file(root_file_name(version + 1)));
    if (!file) return version;
    ++version;
  }
}

Result<SignedState> read_signed_state(Store& store) {
  PV_TRY_ASSIGN(const uint64_t root_version, newest_root_version(store));
  PV_TRY_ASSIGN(const std::optional<std::string> timestamp_file, store.repository_file(std::string(timestamp_file_name)));
  if (root_version == 0 || !timestamp_file) {
    return Error(ErrorCode::not_found, "reading the package repository",
                 "this hub holds no repository yet; make one with `pavilion-hub repository init`");
  }
  SignedState state;
  PV_TRY_ASSIGN(const std::string root_file, stored_file(store, root_file_name(root_version)));
  PV_TRY_ASSIGN(state.root, readable(distribution::read_root(root_file), root_file_name(root_version)));
  PV_TRY_ASSIGN(state.timestamp, readable(distribution::read_timestamp(*timestamp_file), timestamp_file_name));
  const std::string snapshot_name = snapshot_file_name(state.timestamp.snapshot.version);
  PV_TRY_ASSIGN(state.snapshot_file, stored_file(store, snapshot_name));
  PV_TRY_ASSIGN(state.snapshot, readable(distribution::read_snapshot(state.snapshot_file), snapshot_name));
  const std::string targets_name = targets_file_name(state.snapshot.targets.version);
  PV_TRY_ASSIGN(const std::string targets_file, stored_file(store, targets_name));
  PV_TRY_ASSIGN(state.targets, readable(distribution::read_targets(targets_file), targets_name));
  return state;
}

Result<bool> put_new_versions(Store& store, const RepositoryFiles& files) {
  auto stored = store.put_repository_files(files);
  if (stored) return true;
  // Store::put_repository_files: invalid_input is a version already taken, anything else a failure.
  if (stored.error().code() == ErrorCode::invalid_input) return false;
  return std::move(stored).error();
}

void add_timestamp(RepositoryFiles& files, uint64_t version, uint64_t snapshot_version, const std::string& snapshot_file,
                   const package::KeyPair& key, Seconds now) {
  const distribution::Timestamp timestamp{version, now + timestamp_lifetime,
                                          distribution::pin_of(snapshot_file, snapshot_version)};
  std::string file = distribution::write_timestamp(timestamp, std::span(&key, 1));
  files.emplace_back(timestamp_history_name(version), file);
  files.emplace_back(std::string(timestamp_file_name), std::move(file));
}

Result<uint64_t> change_targets(Store& store, const OnlineKeys& keys, Seconds now, const TargetsEdit& edit) {
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    PV_TRY_ASSIGN(const SignedState state, read_signed_state(store));
    PV_TRY_ASSIGN(const package::KeyPair* targets_key, online_key(keys.targets, distribution::Role::targets, state.root));
    PV_TRY_ASSIGN(const package::KeyPair* snapshot_key, online_key(keys.snapshot, distribution::Role::snapshot, state.root));
    PV_TRY_ASSIGN(const package::KeyPair* timestamp_key,
                  online_key(keys.timestamp, distribution::Role::timestamp, state.root));
    distribution::Targets targets = state.targets;
    PV_TRY(edit(targets));
    targets.version = state.targets.version + 1;
    targets.expires = now + targets_lifetime;
    const std::string targets_file = distribution::write_targets(targets, std::span(targets_key, 1));
    // Every kiosk and mirror reads it with this reader: a file it refuses would stop the whole
    // fleet's updates, and a stored version is never written again.
    const Checked<distribution::Targets> read_back = distribution::read_targets(targets_file);
    if (const auto* refusal = std::get_if<Refusal>(&read_back)) {
      return Error(ErrorCode::invalid_input, "changing the repository's targets",
                   fmt::format("kiosks could not read the targets it would sign ({}); nothing was changed", refusal->detail));
    }
    const distribution::Snapshot snapshot{state.snapshot.version + 1, now + targets_lifetime,
                                          distribution::pin_of(targets_file, targets.version)};
    const std::string snapshot_file = distribution::write_snapshot(snapshot, std::span(snapshot_key, 1));
    RepositoryFiles files{{targets_file_name(targets.version), targets_file},
                          {snapshot_file_name(snapshot.version), snapshot_file}};
    add_timestamp(files, state.timestamp.version + 1, snapshot.version, snapshot_file, *timestamp_key, now);
    PV_TRY_ASSIGN(const bool stored, put_new_versions(store, files));
    if (stored) return targets.version;
    // Another process's turn: wait a moment (spread, so that several do not collide again).
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + randombytes_uniform(20)));
  }
  return Error(ErrorCode::io, "changing the repository's targets",
               fmt::format("other hub processes changed the repository {} times meanwhile; try again", max_attempts));
}

}  // namespace pavilion::hub
