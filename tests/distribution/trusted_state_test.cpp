// The client's checks (engine/distribution/PROTOCOL.md): each attack TUF names, on each role, is
// refused with the right kind and leaves what was trusted as it was; what is trusted survives a
// restart.
#include "pavilion/distribution/trusted_state.h"
#include "temporary_folder.h"
#include "test_repository.h"

#include "pavilion/core/file.h"

#include <gtest/gtest.h>

#include <functional>

namespace pavilion::distribution {
namespace {

using testing::day;
using testing::now;
using testing::one;
using testing::TestRepository;

void expect_accepted(const Checked<std::monostate>& checked, std::string_view what) {
  if (const auto* refusal = std::get_if<Refusal>(&checked)) ADD_FAILURE() << what << " refused: " << refusal->detail;
}

Refusal expect_refused(const Checked<std::monostate>& checked, RefusalKind kind, Role role) {
  EXPECT_TRUE(std::holds_alternative<Refusal>(checked)) << "accepted";
  if (!std::holds_alternative<Refusal>(checked)) return {};
  const Refusal& refusal = std::get<Refusal>(checked);
  EXPECT_EQ(to_string(refusal.kind), to_string(kind)) << refusal.detail;
  EXPECT_EQ(to_string(refusal.role), to_string(role)) << refusal.detail;
  return refusal;
}

// A client that trusts the repository's pinned root and its first release.
class Client {
 public:
  explicit Client(TestRepository& repository) : repository_(repository) {
    const std::string& root = repository.root_file;
    EXPECT_TRUE(write_file_atomic(folder_ / "pinned-root.json", std::as_bytes(std::span(root.data(), root.size()))));
    reopen();
    update();
  }

  TrustedState& state() { return *state_; }
  std::filesystem::path folder() const { return folder_ / "trusted"; }

  // What a restart does: the state as the folder holds it.
  void reopen() {
    auto opened = TrustedState::open(folder(), folder_ / "pinned-root.json");
    ASSERT_TRUE(opened) << opened.error().describe();
    state_.emplace(std::move(opened).value());
  }

  // The repository's current timestamp, snapshot and targets, accepted as an updater would.
  void update() {
    expect_accepted(state_->accept_timestamp(repository_.timestamp_file, now), "timestamp");
    if (state_->needs_snapshot()) expect_accepted(state_->accept_snapshot(repository_.snapshot_file, now), "snapshot");
    if (state_->needs_targets()) expect_accepted(state_->accept_targets(repository_.targets_file, now), "targets");
  }

  // Every version trusted, and the files themselves.
  struct Versions {
    uint64_t root, timestamp, snapshot, targets;
    std::string files;
    friend bool operator==(const Versions&, const Versions&) = default;
  };
  Versions versions() const {
    return {state_->root().version, state_->timestamp() ? state_->timestamp()->version : 0,
            state_->snapshot() ? state_->snapshot()->version : 0, state_->targets() ? state_->targets()->version : 0,
            state_->file(Role::root) + state_->file(Role::timestamp) + state_->file(Role::snapshot) +
                state_->file(Role::targets)};
  }

 private:
  TestRepository& repository_;
  pavilion::testing::TemporaryFolder folder_;
  std::optional<TrustedState> state_;
};

// Root version 2 as `change` makes it, signed by the old root keys and the new.
std::string rotated_root(TestRepository& repository, const std::function<void(TestRepository&)>& change) {
  std::vector<package::KeyPair> signers = repository.root_keys;
  change(repository);
  signers.insert(signers.end(), repository.root_keys.begin(), repository.root_keys.end());
  return repository.rotate_root(signers);
}

TEST(Distribution, AFirstReleaseIsTrustedAlongTheChain) {
  TestRepository repository;
  Client client(repository);
  EXPECT_EQ(client.versions(), (Client::Versions{1, 1, 1, 1, repository.root_file + repository.timestamp_file +
                                                                 repository.snapshot_file + repository.targets_file}));
  EXPECT_EQ(client.state().targets(), repository.targets);
  EXPECT_FALSE(client.state().needs_snapshot());
  EXPECT_FALSE(client.state().needs_targets());
  // The same timestamp again changes nothing; a new one asks for the snapshot and targets it names.
  expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "the same timestamp");
  repository.publish();
  expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "timestamp 2");
  EXPECT_TRUE(client.state().needs_snapshot());
  expect_accepted(client.state().accept_snapshot(repository.snapshot_file, now), "snapshot 2");
  EXPECT_TRUE(client.state().needs_targets());
  expect_accepted(client.state().accept_targets(repository.targets_file, now), "targets 2");
  EXPECT_FALSE(client.state().needs_targets());
  EXPECT_EQ(client.versions().targets, 2u);
}

// --- rollback: a lower version of any role, validly signed, is refused ---

TEST(Distribution, RootRollbackIsRefused) {
  TestRepository repository;
  Client client(repository);
  const std::string first = repository.root_file;
  expect_accepted(client.state().accept_root(repository.rotate_root(repository.root_keys)), "root 2");
  expect_refused(client.state().accept_root(first), RefusalKind::rollback, Role::root);
  expect_refused(client.state().accept_root(repository.root_file), RefusalKind::rollback, Role::root);
  EXPECT_EQ(client.state().root().version, 2u);
}

TEST(Distribution, TimestampRollbackIsRefused) {
  TestRepository repository;
  Client client(repository);
  const std::string first = repository.timestamp_file;
  repository.publish();
  client.update();
  const auto before = client.versions();
  const Refusal refusal = expect_refused(client.state().accept_timestamp(first, now), RefusalKind::rollback, Role::timestamp);
  EXPECT_EQ(refusal.detail, "timestamp version 1 is older than the trusted 2");
  EXPECT_EQ(client.versions(), before);
}

TEST(Distribution, SnapshotRollbackIsRefused) {
  TestRepository repository;
  Client client(repository);
  const std::string first_snapshot = repository.snapshot_file;
  repository.publish();
  client.update();
  // A newer timestamp, validly signed, that names the older snapshot.
  ++repository.timestamp.version;
  repository.timestamp.snapshot = pin_of(first_snapshot, 1);
  const auto before = client.versions();
  const Refusal refusal =
      expect_refused(client.state().accept_timestamp(write_timestamp(repository.timestamp, one(repository.timestamp_key)), now),
                     RefusalKind::rollback, Role::snapshot);
  EXPECT_EQ(refusal.detail, "timestamp version 3 names snapshot version 1, older than the trusted 2");
  EXPECT_EQ(client.versions(), before);
}

TEST(Distribution, TargetsRollbackIsRefused) {
  TestRepository repository;
  Client client(repository);
  const std::string first_targets = repository.targets_file;
  repository.publish();
  client.update();
  // A newer snapshot and timestamp, validly signed, that name the older targets.
  ++repository.snapshot.version;
  ++repository.timestamp.version;
  repository.snapshot.targets = pin_of(first_targets, 1);
  const std::string snapshot = write_snapshot(repository.snapshot, one(repository.snapshot_key));
  repository.timestamp.snapshot = pin_of(snapshot, repository.snapshot.version);
  expect_accepted(client.state().accept_timestamp(write_timestamp(repository.timestamp, one(repository.timestamp_key)), now),
                  "timestamp 3");
  const Refusal refusal = expect_refused(client.state().accept_snapshot(snapshot, now), RefusalKind::rollback, Role::targets);
  EXPECT_EQ(refusal.detail, "snapshot version 3 names targets version 1, older than the trusted 2");
  EXPECT_EQ(client.versions().snapshot, 2u);
  EXPECT_EQ(client.versions().targets, 2u);
}

// --- freeze: expired metadata is refused, and what is trusted is reported stale ---

TEST(Distribution, AnExpiredRootIsReported) {
  TestRepository repository;
  Client client(repository);
  expect_accepted(client.state().check_root_fresh(now), "root");
  const Seconds later = repository.root.expires + 1;
  const Refusal refusal = expect_refused(client.state().check_root_fresh(later), RefusalKind::expired, Role::root);
  EXPECT_EQ(refusal.expires, repository.root.expires);
  // Everything else expired long before: the root is reported first, as the one to renew.
  expect_refused(client.state().check_fresh(later), RefusalKind::expired, Role::root);
}

TEST(Distribution, AnExpiredTimestampIsRefusedAndTheTrustedOneReportedStale) {
  TestRepository repository;
  Client client(repository);
  const Seconds two_days_on = now + 2 * day;
  // The trusted timestamp (1 day) is stale by then: the client shows what it has and says why.
  const Refusal stale = expect_refused(client.state().check_fresh(two_days_on), RefusalKind::expired, Role::timestamp);
  EXPECT_EQ(stale.expires, repository.timestamp.expires);
  EXPECT_NE(stale.sentence().en.find("expired on 2027-01-16 08:00 UTC"), std::string::npos) << stale.sentence().en;
  // A replayed newer timestamp that expired too (a frozen mirror) is refused.
  repository.publish();
  const Refusal refusal =
      expect_refused(client.state().accept_timestamp(repository.timestamp_file, two_days_on), RefusalKind::expired, Role::timestamp);
  EXPECT_EQ(refusal.detail, "timestamp version 2 expired at 2027-01-16T08:00:00Z");
  EXPECT_EQ(client.versions().timestamp, 1u);
}

TEST(Distribution, AnExpiredSnapshotIsRefused) {
  TestRepository repository;
  Client client(repository);
  repository.snapshot.expires = now - 1;
  repository.publish();
  expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "timestamp 2");
  expect_refused(client.state().accept_snapshot(repository.snapshot_file, now), RefusalKind::expired, Role::snapshot);
  EXPECT_EQ(client.versions().snapshot, 1u);
}

TEST(Distribution, ExpiredTargetsAreRefused) {
  TestRepository repository;
  Client client(repository);
  repository.targets.expires = now - 1;
  repository.publish();
  expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "timestamp 2");
  expect_accepted(client.state().accept_snapshot(repository.snapshot_file, now), "snapshot 2");
  expect_refused(client.state().accept_targets(repository.targets_file, now), RefusalKind::expired, Role::targets);
  EXPECT_EQ(client.versions().targets, 1u);
}

// --- mix-and-match: a file that is not the one the file above it pins ---

TEST(Distribution, ARootThatSkipsAVersionIsRefused) {
  TestRepository repository;
  Client client(repository);
  ++repository.root.version;  // version 3 offered where 2 comes next
  const Refusal refusal =
      expect_refused(client.state().accept_root(repository.rotate_root(repository.root_keys)), RefusalKind::mismatch, Role::root);
  EXPECT_EQ(refusal.detail, "root version 3 offered where version 2 comes next");
}

TEST(Distribution, ATimestampChangedUnderTheSameVersionIsRefused) {
  TestRepository repository;
  Client client(repository);
  const std::string trusted = repository.timestamp_file;
  repository.timestamp.expires += day;  // re-signed, but not one version up
  repository.sign_chain();
  expect_refused(client.state().accept_timestamp(repository.timestamp_file, now), RefusalKind::mismatch, Role::timestamp);
  EXPECT_EQ(client.state().file(Role::timestamp), trusted);
}

TEST(Distribution, ASnapshotOtherThanTheTimestampPinsIsRefused) {
  TestRepository repository;
  Client client(repository);
  repository.publish();
  expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "timestamp 2");
  // Another snapshot 2, validly signed, from another publication (the mirror mixed two).
  Snapshot other = repository.snapshot;
  other.expires += day;
  const Refusal refusal = expect_refused(
      client.state().accept_snapshot(write_snapshot(other, one(repository.snapshot_key)), now), RefusalKind::mismatch, Role::snapshot);
  EXPECT_TRUE(refusal.detail.starts_with("snapshot: not the file the trusted timestamp names")) << refusal.detail;
  EXPECT_EQ(client.versions().snapshot, 1u);
  EXPECT_TRUE(client.state().needs_snapshot());
}

TEST(Distribution, TargetsOtherThanTheSnapshotPinsAreRefused) {
  TestRepository repository;
  Client client(repository);
  repository.publish();
  expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "timestamp 2");
  expect_accepted(client.state().accept_snapshot(repository.snapshot_file, now), "snapshot 2");
  Targets other = repository.targets;
  other.channels["permanent"].clear();
  expect_refused(client.state().accept_targets(write_targets(other, one(repository.targets_key)), now), RefusalKind::mismatch,
                 Role::targets);
  // Longer than the pin says: the endless-data attack.
  expect_refused(client.state().accept_targets(repository.targets_file + std::string(10, ' '), now), RefusalKind::oversized,
                 Role::targets);
  EXPECT_EQ(client.versions().targets, 1u);
}

// --- signatures: too few, or by keys that are not the role's ---

TEST(Distribution, ARootSignedByOneOfTwoRootKeysIsRefused) {
  TestRepository repository;
  Client client(repository);
  const Refusal refusal = expect_refused(client.state().accept_root(repository.rotate_root(one(repository.root_keys[0]))),
                                         RefusalKind::signature, Role::root);
  EXPECT_NE(refusal.detail.find("1 valid signature of the 2 required"), std::string::npos) << refusal.detail;
  EXPECT_EQ(client.state().root().version, 1u);
}

TEST(Distribution, ATimestampNotSignedByTheTimestampKeyIsRefused) {
  TestRepository repository;
  Client client(repository);
  repository.publish();
  expect_refused(client.state().accept_timestamp(write_timestamp(repository.timestamp, one(repository.snapshot_key)), now),
                 RefusalKind::signature, Role::timestamp);
  // A signature that does not match the bytes: the file was changed after signing.
  std::string tampered = repository.timestamp_file;
  tampered.replace(tampered.find("\"version\":2"), 11, "\"version\":9");
  expect_refused(client.state().accept_timestamp(tampered, now), RefusalKind::signature, Role::timestamp);
  EXPECT_EQ(client.versions().timestamp, 1u);
}

TEST(Distribution, ASnapshotNotSignedByTheSnapshotKeyIsRefused) {
  TestRepository repository;
  Client client(repository);
  ++repository.snapshot.version;
  ++repository.timestamp.version;
  const std::string forged = write_snapshot(repository.snapshot, one(repository.timestamp_key));
  repository.timestamp.snapshot = pin_of(forged, 2);
  expect_accepted(client.state().accept_timestamp(write_timestamp(repository.timestamp, one(repository.timestamp_key)), now),
                  "timestamp 2");
  expect_refused(client.state().accept_snapshot(forged, now), RefusalKind::signature, Role::snapshot);
  EXPECT_EQ(client.versions().snapshot, 1u);
}

TEST(Distribution, TargetsNotSignedByTheTargetsKeyAreRefused) {
  TestRepository repository;
  Client client(repository);
  ++repository.targets.version;
  ++repository.snapshot.version;
  ++repository.timestamp.version;
  const std::string forged = write_targets(repository.targets, one(repository.snapshot_key));
  repository.snapshot.targets = pin_of(forged, 2);
  repository.snapshot_file = write_snapshot(repository.snapshot, one(repository.snapshot_key));
  repository.timestamp.snapshot = pin_of(repository.snapshot_file, 2);
  expect_accepted(client.state().accept_timestamp(write_timestamp(repository.timestamp, one(repository.timestamp_key)), now),
                  "timestamp 2");
  expect_accepted(client.state().accept_snapshot(repository.snapshot_file, now), "snapshot 2");
  expect_refused(client.state().accept_targets(forged, now), RefusalKind::signature, Role::targets);
  EXPECT_EQ(client.versions().targets, 1u);
}

// --- root rotation: both thresholds; a key left out is revoked from then on ---

TEST(Distribution, ARootRotationNeedsTheOldAndTheNewThreshold) {
  TestRepository repository;
  Client client(repository);
  const std::vector<package::KeyPair> old_keys = repository.root_keys;
  const std::vector<package::KeyPair> new_keys{package::generate_key_pair(), package::generate_key_pair()};
  repository.root.root = {{new_keys[0].public_key, new_keys[1].public_key}, 2};

  Refusal refusal =
      expect_refused(client.state().accept_root(repository.rotate_root(old_keys)), RefusalKind::signature, Role::root);
  EXPECT_TRUE(refusal.detail.starts_with("root version 2, by its own keys: ")) << refusal.detail;
  --repository.root.version;
  refusal = expect_refused(client.state().accept_root(repository.rotate_root(new_keys)), RefusalKind::signature, Role::root);
  EXPECT_TRUE(refusal.detail.starts_with("root version 2, by the trusted root's keys: ")) << refusal.detail;
  EXPECT_EQ(client.state().root().version, 1u);

  --repository.root.version;
  std::vector<package::KeyPair> both = old_keys;
  both.insert(both.end(), new_keys.begin(), new_keys.end());
  expect_accepted(client.state().accept_root(repository.rotate_root(both)), "root 2 by old and new keys");
  EXPECT_EQ(client.state().root(), repository.root);

  // The old root keys are revoked: root 3 by them alone is refused, and the detail says why.
  repository.root.expires += day;
  refusal = expect_refused(client.state().accept_root(repository.rotate_root(old_keys)), RefusalKind::signature, Role::root);
  EXPECT_NE(refusal.detail.find("not a root key of the trusted root"), std::string::npos) << refusal.detail;
}

// Root version 2 replaces `role`'s key; the trusted file signed by the old key no longer counts.
void expect_revoked_after_rotation(Role role) {
  TestRepository repository;
  Client client(repository);
  package::KeyPair& key = role == Role::timestamp ? repository.timestamp_key
                          : role == Role::snapshot ? repository.snapshot_key
                                                   : repository.targets_key;
  const package::KeyPair revoked = key;
  expect_accepted(client.state().accept_root(rotated_root(repository,
                                                          [&](TestRepository& changed) {
                                                            key = package::generate_key_pair();
                                                            changed.root.keys_for(role) = {{key.public_key}, 1};
                                                          })),
                  "root 2");
  // What the revoked key signed is no longer trusted (and no longer saved): it is fetched fresh.
  EXPECT_EQ(client.state().file(role), "");
  EXPECT_FALSE(std::filesystem::exists(client.folder() / (std::string(to_string(role)) + ".json")));

  // The next release, signed with the revoked key where the new one belongs, is refused there,
  // the detail naming the key.
  const package::KeyPair current = key;
  key = revoked;
  repository.publish();
  key = current;
  if (role != Role::timestamp) expect_accepted(client.state().accept_timestamp(repository.timestamp_file, now), "timestamp 2");
  if (role == Role::targets) expect_accepted(client.state().accept_snapshot(repository.snapshot_file, now), "snapshot 2");
  const auto checked = role == Role::timestamp  ? client.state().accept_timestamp(repository.timestamp_file, now)
                       : role == Role::snapshot ? client.state().accept_snapshot(repository.snapshot_file, now)
                                                : client.state().accept_targets(repository.targets_file, now);
  const Refusal refusal = expect_refused(checked, RefusalKind::signature, role);
  EXPECT_NE(refusal.detail.find(package::to_hex(revoked.public_key).substr(0, 16)), std::string::npos) << refusal.detail;
  EXPECT_NE(refusal.detail.find("which is not a " + std::string(to_string(role)) + " key"), std::string::npos)
      << refusal.detail;

  // The release after it, signed by the new key, is trusted.
  repository.publish();
  client.update();
  EXPECT_EQ(client.versions().targets, 3u);
}

TEST(Distribution, ATimestampByAKeyRevokedInARootRotationIsRefused) { expect_revoked_after_rotation(Role::timestamp); }
TEST(Distribution, ASnapshotByAKeyRevokedInARootRotationIsRefused) { expect_revoked_after_rotation(Role::snapshot); }
TEST(Distribution, TargetsByAKeyRevokedInARootRotationAreRefused) { expect_revoked_after_rotation(Role::targets); }

// --- persistence ---

TEST(Distribution, WhatIsTrustedSurvivesARestartAndRollbackStaysRefused) {
  TestRepository repository;
  Client client(repository);
  const std::string first_timestamp = repository.timestamp_file;
  expect_accepted(client.state().accept_root(repository.rotate_root(repository.root_keys)), "root 2");
  repository.publish();
  client.update();
  const auto before = client.versions();
  ASSERT_EQ(before.root, 2u);
  ASSERT_EQ(before.targets, 2u);

  client.reopen();  // the pinned root is version 1; the saved version 2 wins
  EXPECT_EQ(client.versions(), before);
  EXPECT_EQ(client.state().root(), repository.root);
  EXPECT_EQ(client.state().targets(), repository.targets);
  EXPECT_FALSE(client.state().needs_snapshot());
  expect_refused(client.state().accept_timestamp(first_timestamp, now), RefusalKind::rollback, Role::timestamp);

  // A saved file damaged on disk is forgotten at the next open, and fetched again.
  const std::string damaged = "{\"signed\": ";
  ASSERT_TRUE(write_file_atomic(client.folder() / "snapshot.json", std::as_bytes(std::span(damaged.data(), damaged.size()))));
  client.reopen();
  EXPECT_FALSE(client.state().snapshot().has_value());
  EXPECT_EQ(client.versions().targets, 2u);
  EXPECT_TRUE(client.state().needs_snapshot());
  client.update();
  EXPECT_EQ(client.versions(), before);
}

TEST(Distribution, AFileVerifiedButNotSavedIsNotTrusted) {
  TestRepository repository;
  Client client(repository);
  repository.publish();
  // The folder is gone and a file stands in its place: nothing can be written there.
  std::filesystem::remove_all(client.folder());
  ASSERT_TRUE(write_file_atomic(client.folder(), std::as_bytes(std::span("x", 1))));
  expect_refused(client.state().accept_timestamp(repository.timestamp_file, now), RefusalKind::storage, Role::timestamp);
  EXPECT_EQ(client.versions().timestamp, 1u);
}

TEST(Distribution, OpeningWithoutARootFails) {
  pavilion::testing::TemporaryFolder folder;
  auto opened = TrustedState::open(folder / "trusted", folder / "no-root.json");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), ErrorCode::io);

  // A pinned root its own keys do not sign to its threshold is no root.
  TestRepository repository;
  const std::string unsigned_root = write_root(repository.root, one(repository.root_keys[0]));
  ASSERT_TRUE(write_file_atomic(folder / "root.json", std::as_bytes(std::span(unsigned_root.data(), unsigned_root.size()))));
  opened = TrustedState::open(folder / "trusted", folder / "root.json");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), ErrorCode::invalid_input);
}

}  // namespace
}  // namespace pavilion::distribution
