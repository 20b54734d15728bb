#include "pavilion/distribution/trusted_state.h"

#include "pavilion/core/file.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <system_error>

namespace pavilion::distribution {
namespace {

size_t slot(Role role) { return static_cast<size_t>(role); }

std::string file_name(Role role) { return fmt::format("{}.json", to_string(role)); }

template <class T>
const Refusal* refused(const Checked<T>& checked) {
  return std::get_if<Refusal>(&checked);
}

Refusal expired(Role role, uint64_t version, Seconds expires) {
  return Refusal{RefusalKind::expired, role, fmt::format("{} version {} expired at {}", to_string(role), version, format_utc(expires)),
                 expires};
}

// Metadata expires at its `expires` instant: from then on it is stale.
bool is_expired(Seconds expires, Seconds now) { return now >= expires; }

// The file's text, or nullopt when there is none. Any other failure (permissions, a failing disk)
// is an error, never taken for "none": a saved root taken for absent would put the pinned, older
// root back.
Result<std::optional<std::string>> read_if_present(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) return std::optional<std::string>();
  if (error) return Error(ErrorCode::io, "looking for a trusted file", fmt::format("{}: {}", path, error.message()));
  PV_TRY_ASSIGN(const auto bytes, read_file(path));
  return std::optional<std::string>(std::in_place, reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// Reads `file` as its role into `into`; false when it does not read as one.
template <class T>
bool load(Checked<T> parsed, std::optional<T>& into) {
  if (refused(parsed)) return false;
  into = std::move(std::get<T>(parsed));
  return true;
}

}  // namespace

Result<TrustedState> TrustedState::open(const std::filesystem::path& folder, const std::filesystem::path& pinned_root) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return Error(ErrorCode::io, fmt::format("creating the trusted-state folder {}", folder), error.message());
  TrustedState state;
  state.folder_ = folder;

  const std::filesystem::path saved_root = folder / file_name(Role::root);
  PV_TRY_ASSIGN(std::optional<std::string> saved, read_if_present(saved_root));
  const std::filesystem::path& root_path = saved ? saved_root : pinned_root;
  std::string root_file;
  if (saved) {
    root_file = std::move(*saved);
  } else {
    PV_TRY_ASSIGN(const auto pinned, read_file(pinned_root));
    root_file.assign(reinterpret_cast<const char*>(pinned.data()), pinned.size());
  }
  auto root = read_root(root_file);
  if (const Refusal* refusal = refused(root)) {
    return Error(ErrorCode::invalid_input, fmt::format("reading the trusted root {}", root_path), refusal->detail);
  }
  // Trusted as given, yet never below its own threshold: a root its own keys do not sign is no root.
  const auto signatures = check_signatures(root_file, Role::root, std::get<Root>(root).root);
  if (const Refusal* refusal = refused(signatures)) {
    return Error(ErrorCode::invalid_input, fmt::format("checking the trusted root {}", root_path), refusal->detail);
  }
  if (!saved) PV_TRY(write_file_atomic(saved_root, std::as_bytes(std::span(root_file.data(), root_file.size()))));
  state.root_ = std::move(std::get<Root>(root));
  state.files_[slot(Role::root)] = std::move(root_file);

  for (const Role role : {Role::timestamp, Role::snapshot, Role::targets}) {
    PV_TRY_ASSIGN(std::optional<std::string> file, read_if_present(folder / file_name(role)));
    if (!file) continue;
    // A file that does not read as its role is forgotten, as one that no longer verifies is below.
    const bool read = role == Role::timestamp ? load(read_timestamp(*file), state.timestamp_)
                      : role == Role::snapshot ? load(read_snapshot(*file), state.snapshot_)
                                               : load(read_targets(*file), state.targets_);
    if (read) {
      state.files_[slot(role)] = std::move(*file);
    } else {
      state.forget(role);
    }
  }
  state.forget_unverifiable();
  return state;
}

Checked<std::monostate> TrustedState::accept_root(std::string_view next_root) {
  if (next_root.size() > max_root_length) {
    return Refusal{RefusalKind::oversized, Role::root,
                   fmt::format("root: {} bytes, more than the {} a root may have", next_root.size(), max_root_length)};
  }
  auto parsed = read_root(next_root);
  if (const Refusal* refusal = refused(parsed)) return *refusal;
  Root& next = std::get<Root>(parsed);
  if (next.version <= root_.version) {
    return Refusal{RefusalKind::rollback, Role::root,
                   fmt::format("root version {} is not newer than the trusted {}", next.version, root_.version)};
  }
  if (next.version != root_.version + 1) {
    return Refusal{RefusalKind::mismatch, Role::root,
                   fmt::format("root version {} offered where version {} comes next", next.version, root_.version + 1)};
  }
  // The keys trusted until now vouch for the new root and its own keys for themselves, each by a
  // threshold: neither the old keys alone nor the new ones alone can rotate the root.
  for (const auto& [keys, whose] : {std::pair{&root_.root, "the trusted root's keys"}, std::pair{&next.root, "its own keys"}}) {
    auto signatures = check_signatures(next_root, Role::root, *keys);
    if (Refusal* refusal = std::get_if<Refusal>(&signatures)) {
      refusal->detail = fmt::format("root version {}, by {}: {}", next.version, whose, refusal->detail);
      return *refusal;
    }
  }
  if (auto saved = save(Role::root, next_root); refused(saved)) return saved;
  root_ = std::move(next);
  files_[slot(Role::root)] = std::string(next_root);
  forget_unverifiable();
  return std::monostate{};
}

Checked<std::monostate> TrustedState::check_root_fresh(Seconds now) const {
  if (is_expired(root_.expires, now)) return expired(Role::root, root_.version, root_.expires);
  return std::monostate{};
}

Checked<std::monostate> TrustedState::accept_timestamp(std::string_view file, Seconds now) {
  if (file.size() > max_timestamp_length) {
    return Refusal{RefusalKind::oversized, Role::timestamp,
                   fmt::format("timestamp: {} bytes, more than the {} a timestamp may have", file.size(), max_timestamp_length)};
  }
  if (auto signatures = check_signatures(file, Role::timestamp, root_.timestamp); refused(signatures)) return signatures;
  auto parsed = read_timestamp(file);
  if (const Refusal* refusal = refused(parsed)) return *refusal;
  const Timestamp& next = std::get<Timestamp>(parsed);
  if (timestamp_ && next.version < timestamp_->version) {
    return Refusal{RefusalKind::rollback, Role::timestamp,
                   fmt::format("timestamp version {} is older than the trusted {}", next.version, timestamp_->version)};
  }
  if (timestamp_ && next.version == timestamp_->version && file != files_[slot(Role::timestamp)]) {
    return Refusal{RefusalKind::mismatch, Role::timestamp,
                   fmt::format("timestamp version {} is not the file trusted as that version; a version once signed never "
                               "changes",
                               next.version)};
  }
  if (is_expired(next.expires, now)) return expired(Role::timestamp, next.version, next.expires);
  if (auto named = check_named(Role::snapshot, next.snapshot, Role::timestamp, next.version); refused(named)) return named;
  if (timestamp_ && file == files_[slot(Role::timestamp)]) return std::monostate{};  // the same file again
  if (auto saved = save(Role::timestamp, file); refused(saved)) return saved;
  timestamp_ = next;
  files_[slot(Role::timestamp)] = std::string(file);
  return std::monostate{};
}

bool TrustedState::needs_snapshot() const {
  return timestamp_ && (!snapshot_ || snapshot_->version != timestamp_->snapshot.version);
}

Checked<std::monostate> TrustedState::accept_snapshot(std::string_view file, Seconds now) {
  expects(timestamp_.has_value(), "a snapshot is accepted only after a trusted timestamp names it");
  const FilePin& pin = timestamp_->snapshot;
  if (auto pinned = check_pinned(file, pin, Role::snapshot, Role::timestamp); refused(pinned)) return pinned;
  if (auto signatures = check_signatures(file, Role::snapshot, root_.snapshot); refused(signatures)) return signatures;
  auto parsed = read_snapshot(file);
  if (const Refusal* refusal = refused(parsed)) return *refusal;
  const Snapshot& next = std::get<Snapshot>(parsed);
  // The timestamp's pin already kept to the trusted snapshot (check_named): this version is not
  // older, and the same version is the same file.
  if (next.version != pin.version) {
    return Refusal{RefusalKind::mismatch, Role::snapshot,
                   fmt::format("snapshot declares version {} where the timestamp names version {}", next.version, pin.version)};
  }
  if (is_expired(next.expires, now)) return expired(Role::snapshot, next.version, next.expires);
  if (auto named = check_named(Role::targets, next.targets, Role::snapshot, next.version); refused(named)) return named;
  if (auto saved = save(Role::snapshot, file); refused(saved)) return saved;
  snapshot_ = next;
  files_[slot(Role::snapshot)] = std::string(file);
  return std::monostate{};
}

bool TrustedState::needs_targets() const {
  return snapshot_ && (!targets_ || targets_->version != snapshot_->targets.version);
}

Checked<std::monostate> TrustedState::accept_targets(std::string_view file, Seconds now) {
  expects(snapshot_.has_value(), "targets are accepted only after a trusted snapshot names them");
  const FilePin& pin = snapshot_->targets;
  if (auto pinned = check_pinned(file, pin, Role::targets, Role::snapshot); refused(pinned)) return pinned;
  if (auto signatures = check_signatures(file, Role::targets, root_.targets); refused(signatures)) return signatures;
  auto parsed = read_targets(file);
  if (const Refusal* refusal = refused(parsed)) return *refusal;
  Targets& next = std::get<Targets>(parsed);
  if (next.version != pin.version) {
    return Refusal{RefusalKind::mismatch, Role::targets,
                   fmt::format("targets declares version {} where the snapshot names version {}", next.version, pin.version)};
  }
  if (is_expired(next.expires, now)) return expired(Role::targets, next.version, next.expires);
  if (auto saved = save(Role::targets, file); refused(saved)) return saved;
  targets_ = std::move(next);
  files_[slot(Role::targets)] = std::string(file);
  return std::monostate{};
}

const std::string& TrustedState::file(Role role) const { return files_[slot(role)]; }

Checked<std::monostate> TrustedState::check_fresh(Seconds now) const {
  if (auto root = check_root_fresh(now); refused(root)) return root;
  if (timestamp_ && is_expired(timestamp_->expires, now)) return expired(Role::timestamp, timestamp_->version, timestamp_->expires);
  if (snapshot_ && is_expired(snapshot_->expires, now)) return expired(Role::snapshot, snapshot_->version, snapshot_->expires);
  if (targets_ && is_expired(targets_->expires, now)) return expired(Role::targets, targets_->version, targets_->expires);
  return std::monostate{};
}

Checked<std::monostate> TrustedState::save(Role role, std::string_view file) const {
  auto written = write_file_atomic(folder_ / file_name(role), std::as_bytes(std::span(file.data(), file.size())));
  if (!written) {
    return Refusal{RefusalKind::storage, role,
                   fmt::format("{}: verified, but could not be saved: {}", to_string(role), written.error().describe())};
  }
  return std::monostate{};
}

void TrustedState::forget(Role role) {
  switch (role) {
    case Role::timestamp: timestamp_.reset(); break;
    case Role::snapshot: snapshot_.reset(); break;
    case Role::targets: targets_.reset(); break;
    case Role::root: expects(false, "the trusted root is replaced, never forgotten"); break;
  }
  files_[slot(role)].clear();
  // A file left behind (the removal failed) is checked again, and forgotten again, at the next open.
  std::error_code ignored;
  std::filesystem::remove(folder_ / file_name(role), ignored);
}

void TrustedState::forget_unverifiable() {
  auto verifies = [&](Role role) {
    return !refused(check_signatures(files_[slot(role)], role, root_.keys_for(role)));
  };
  // A trusted file pins the one below it by version, length and hash: a pin of an older version
  // than the one trusted, or of the same version but another file, means the two do not belong
  // together, and the one above goes (it is the one fetched again at every poll).
  auto keeps_to = [](const FilePin& pin, uint64_t version, std::string_view file) {
    return pin.version > version || (pin.version == version && pin == pin_of(file, version));
  };
  if (targets_ && !verifies(Role::targets)) forget(Role::targets);
  if (snapshot_ && (!verifies(Role::snapshot) ||
                    (targets_ && !keeps_to(snapshot_->targets, targets_->version, files_[slot(Role::targets)])))) {
    forget(Role::snapshot);
  }
  if (timestamp_ && (!verifies(Role::timestamp) ||
                     (snapshot_ && !keeps_to(timestamp_->snapshot, snapshot_->version, files_[slot(Role::snapshot)])))) {
    forget(Role::timestamp);
  }
}

Checked<std::monostate> TrustedState::check_named(Role role, const FilePin& pin, Role naming, uint64_t naming_version) const {
  // What is trusted of `role` already: its file, and the pin the trusted file above it gave.
  std::vector<FilePin> trusted;
  if (role == Role::snapshot) {
    if (snapshot_) trusted.push_back(pin_of(files_[slot(Role::snapshot)], snapshot_->version));
    if (timestamp_) trusted.push_back(timestamp_->snapshot);
  } else {
    if (targets_) trusted.push_back(pin_of(files_[slot(Role::targets)], targets_->version));
    if (snapshot_) trusted.push_back(snapshot_->targets);
  }
  for (const FilePin& known : trusted) {
    if (pin.version < known.version) {
      return Refusal{RefusalKind::rollback, role,
                     fmt::format("{} version {} names {} version {}, older than the trusted {}", to_string(naming),
                                 naming_version, to_string(role), pin.version, known.version)};
    }
    if (pin.version == known.version && pin != known) {
      return Refusal{RefusalKind::mismatch, role,
                     fmt::format("{} version {} names {} version {} with another length or hash than the one trusted",
                                 to_string(naming), naming_version, to_string(role), pin.version)};
    }
  }
  return std::monostate{};
}

Checked<std::monostate> TrustedState::check_pinned(std::string_view file, const FilePin& pin, Role role, Role naming) {
  if (file.size() > pin.length) {
    return Refusal{RefusalKind::oversized, role,
                   fmt::format("{}: {} bytes where the {} names {}", to_string(role), file.size(), to_string(naming), pin.length)};
  }
  const FilePin actual = pin_of(file, pin.version);
  if (actual != pin) {
    return Refusal{RefusalKind::mismatch, role,
                   fmt::format("{}: not the file the trusted {} names (version {}: {} bytes, hash {}; offered {} bytes, "
                               "hash {})",
                               to_string(role), to_string(naming), pin.version, pin.length, pin.hash.to_hex().substr(0, 16),
                               actual.length, actual.hash.to_hex().substr(0, 16))};
  }
  return std::monostate{};
}

}  // namespace pavilion::distribution
