// Making and changing the repository's metadata: init, root rotation, campaigns and channels,
// and the running hub's renewal. Publishing a package is publish.cpp.
#include "pavilion/hub/repository.h"

#include "signed_state.h"

#include <fmt/format.h>

#include <algorithm>

namespace pavilion::hub {
namespace {

using distribution::RoleKeys;

std::vector<package::PublicKey> public_keys(std::span<const package::KeyPair> keys) {
  std::vector<package::PublicKey> out;
  for (const package::KeyPair& key : keys) {
    if (std::ranges::find(out, key.public_key) == out.end()) out.push_back(key.public_key);
  }
  return out;
}

Result<RoleKeys> root_role(std::span<const package::KeyPair> keys, uint32_t threshold, std::string_view step) {
  const std::vector<package::PublicKey> distinct = public_keys(keys);
  if (distinct.size() != keys.size()) {
    return Error(ErrorCode::invalid_input, std::string(step), "the same root key is given twice");
  }
  if (threshold < 1 || threshold > distinct.size()) {
    return Error(ErrorCode::invalid_input, std::string(step),
                 fmt::format("the threshold must be between 1 and the {} root keys given", distinct.size()));
  }
  return RoleKeys{distinct, threshold};
}

}  // namespace

Result<OnlineKeys> read_online_keys(const HubConfig& config) {
  OnlineKeys keys;
  for (const auto& [path, into] : {std::pair{&config.targets_key, &keys.targets},
                                   std::pair{&config.snapshot_key, &keys.snapshot},
                                   std::pair{&config.timestamp_key, &keys.timestamp}}) {
    if (path->empty()) continue;
    auto key = package::read_secret_key(*path);
    if (!key) return std::move(key).error().add_context("reading the repository's online keys");
    *into = *key;
  }
  return keys;
}

Result<void> init_repository(Store& store, const NewRepository& repository, Seconds now) {
  const char* step = "making the package repository";
  PV_TRY_ASSIGN(const uint64_t existing, newest_root_version(store));
  if (existing != 0) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("this hub already holds a repository (root/{}.json); change its keys with "
                             "`pavilion-hub repository rotate-root`",
                             existing));
  }
  distribution::Root root;
  root.version = 1;
  root.expires = now + root_lifetime;
  PV_TRY_ASSIGN(root.root, root_role(repository.root_keys, repository.threshold, step));
  root.targets = {{repository.targets.public_key}, 1};
  root.snapshot = {{repository.snapshot.public_key}, 1};
  root.timestamp = {{repository.timestamp.public_key}, 1};
  distribution::Targets targets;
  targets.version = 1;
  targets.expires = now + targets_lifetime;
  const std::string targets_file = distribution::write_targets(targets, std::span(&repository.targets, 1));
  const distribution::Snapshot snapshot{1, now + targets_lifetime, distribution::pin_of(targets_file, 1)};
  const std::string snapshot_file = distribution::write_snapshot(snapshot, std::span(&repository.snapshot, 1));
  RepositoryFiles files{{root_file_name(1), distribution::write_root(root, repository.root_keys)},
                        {targets_file_name(1), targets_file},
                        {snapshot_file_name(1), snapshot_file}};
  add_timestamp(files, 1, 1, snapshot_file, repository.timestamp, now);
  PV_TRY_ASSIGN(const bool stored, put_new_versions(store, files));
  if (!stored) return Error(ErrorCode::invalid_input, step, "another hub process made the repository at the same moment");
  return {};
}

Result<uint64_t> rotate_root(Store& store, const RootRotation& rotation, Seconds now) {
  const char* step = "rotating the repository's root keys";
  PV_TRY_ASSIGN(const SignedState state, read_signed_state(store));
  distribution::Root root = state.root;
  root.version = state.root.version + 1;
  root.expires = now + root_lifetime;
  PV_TRY_ASSIGN(root.root, root_role(rotation.root_keys, rotation.threshold, step));
  if (rotation.timestamp) root.timestamp = {{rotation.timestamp->public_key}, 1};
  std::vector<package::KeyPair> signers = rotation.root_keys;
  for (const package::KeyPair& old : rotation.old_root_keys) {
    if (std::ranges::find(signers, old.public_key, &package::KeyPair::public_key) == signers.end()) signers.push_back(old);
  }
  const std::string file = distribution::write_root(root, signers);
  // A client accepts the new root only when a threshold of the old root keys signed it.
  const auto signed_by_old = distribution::check_signatures(file, distribution::Role::root, state.root.root);
  if (const auto* refusal = std::get_if<distribution::Refusal>(&signed_by_old)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("the old root keys given are not enough: {} (root/{}.json)", refusal->detail, state.root.version));
  }
  RepositoryFiles files{{root_file_name(root.version), file}};
  if (rotation.timestamp) {
    add_timestamp(files, state.timestamp.version + 1, state.snapshot.version, state.snapshot_file, *rotation.timestamp, now);
  }
  PV_TRY_ASSIGN(const bool stored, put_new_versions(store, files));
  if (!stored) {
    return Error(ErrorCode::invalid_input, step,
                 "another hub process changed the repository at the same moment; run the command again");
  }
  return root.version;
}

// The campaign's names, times and days are checked where every targets file is: change_targets
// reads back what it would sign with the kiosks' own reader.
Result<uint64_t> add_campaign(Store& store, const OnlineKeys& keys, const distribution::Campaign& campaign, Seconds now) {
  auto changed = change_targets(store, keys, now, [&](distribution::Targets& targets) -> Result<void> {
    // A campaign over an empty channel would show nothing, and kiosks refuse one naming no channel.
    const auto channel = targets.channels.find(campaign.channel);
    if (channel == targets.channels.end() || channel->second.empty()) {
      return Error(ErrorCode::invalid_input, "finding its channel",
                   fmt::format("the channel {0} holds no package yet; publish one first with `pavilion-hub publish "
                               "PACKAGE --channel {0}`",
                               campaign.channel));
    }
    targets.campaigns[campaign.name] = campaign;
    return {};
  });
  if (!changed) return std::move(changed).error().add_context(fmt::format("adding the campaign {}", campaign.name));
  return changed;
}

Result<uint64_t> remove_campaign(Store& store, const OnlineKeys& keys, std::string_view name, Seconds now) {
  return change_targets(store, keys, now, [&](distribution::Targets& targets) -> Result<void> {
    if (targets.campaigns.erase(std::string(name)) == 0) {
      return Error(ErrorCode::not_found, fmt::format("removing the campaign {}", name), "the repository has no such campaign");
    }
    return {};
  });
}

Result<uint64_t> remove_from_channel(Store& store, const OnlineKeys& keys, std::string_view channel,
                                     std::string_view package_id, Seconds now) {
  return change_targets(store, keys, now, [&](distribution::Targets& targets) -> Result<void> {
    const std::string step = fmt::format("removing {} from the channel {}", package_id, channel);
    const auto found = targets.channels.find(std::string(channel));
    if (found == targets.channels.end()) return Error(ErrorCode::not_found, step, "the repository has no such channel");
    const size_t removed = std::erase_if(found->second, [&](const std::string& key) {
      const auto package = targets.packages.find(key);
      return package != targets.packages.end() && package->second.id == package_id;
    });
    if (removed == 0) return Error(ErrorCode::not_found, step, "the channel holds no version of that package");
    if (found->second.empty()) {
      // Kiosks refuse targets whose campaign names a channel that is gone: the whole fleet would stop updating.
      for (const auto& [name, campaign] : targets.campaigns) {
        if (campaign.channel == channel) {
          return Error(ErrorCode::invalid_input, step,
                       fmt::format("it is the channel's last package and the campaign {0} shows the channel; remove the "
                                   "campaign first (`pavilion-hub campaign remove {0}`) or publish another package to it",
                                   name));
        }
      }
      targets.channels.erase(found);
    }
    std::erase_if(targets.packages, [&](const auto& entry) {
      return std::ranges::none_of(targets.channels, [&](const auto& named) {
        return std::ranges::find(named.second, entry.first) != named.second.end();
      });
    });
    return {};
  });
}

Result<bool> renew_metadata(Store& store, const OnlineKeys& keys, Seconds now) {
  if (!keys.timestamp) return false;
  PV_TRY_ASSIGN(const SignedState state, read_signed_state(store));
  if (keys.targets && keys.snapshot && state.targets.expires - now < targets_renewal_margin) {
    PV_TRY(change_targets(store, keys, now, [](distribution::Targets&) -> Result<void> { return {}; }));
    return true;
  }
  if (state.timestamp.expires - timestamp_lifetime + timestamp_renewal_age > now) return false;
  if (std::ranges::find(state.root.timestamp.keys, keys.timestamp->public_key) == state.root.timestamp.keys.end()) {
    return Error(ErrorCode::invalid_input, "renewing the repository's timestamp",
                 fmt::format("the timestamp_key in hub.json is not the one root/{}.json names", state.root.version));
  }
  RepositoryFiles files;
  add_timestamp(files, state.timestamp.version + 1, state.snapshot.version, state.snapshot_file, *keys.timestamp, now);
  // false: another hub process renewed it first, which is as good.
  PV_TRY_ASSIGN(const bool stored, put_new_versions(store, files));
  return stored;
}

}  // namespace pavilion::hub
