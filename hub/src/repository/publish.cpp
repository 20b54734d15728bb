// `pavilion-hub publish`: a signed package into the blob store and the next targets.
#include "pavilion/core/file_map.h"
#include "pavilion/hub/repository.h"
#include "pavilion/package/reader.h"
#include "signed_state.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace pavilion::hub {
namespace {

// The manifest's id and version (engine/package/FORMAT.md, "The manifest").
Result<std::pair<std::string, std::string>> package_name(std::string_view manifest, const std::string& step) {
  const auto document = nlohmann::json::parse(manifest, nullptr, false);
  const auto text = [&](const char* key) -> std::string {
    return document.is_object() && document.contains(key) && document[key].is_string() ? document[key].get<std::string>() : "";
  };
  std::string id = text("id");
  std::string version = text("version");
  if (!distribution::is_repository_name(id) || !distribution::is_repository_name(version)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("its manifest names it \"{}\" version \"{}\"; a published package's id and version are {}",
                             id, version, distribution::repository_name_rule));
  }
  return std::pair{std::move(id), std::move(version)};
}

// Puts `target` in `channel`, in place of any other version of its package there, and forgets
// package versions no channel names any more.
Result<void> add_to_channel(distribution::Targets& targets, const distribution::PackageTarget& target,
                            std::string_view channel, const std::string& step) {
  const auto held = targets.packages.find(target.key());
  if (held != targets.packages.end() && (held->second.head_hash != target.head_hash || held->second.size != target.size)) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("{} is already published with other contents; give the changed package a new version",
                             target.key()));
  }
  targets.packages[target.key()] = target;
  std::vector<std::string>& members = targets.channels[std::string(channel)];
  std::erase_if(members, [&](const std::string& key) {
    const auto package = targets.packages.find(key);
    return package != targets.packages.end() && package->second.id == target.id;
  });
  members.push_back(target.key());
  std::ranges::sort(members);
  std::erase_if(targets.packages, [&](const auto& entry) {
    return std::ranges::none_of(targets.channels, [&](const auto& named) {
      return std::ranges::find(named.second, entry.first) != named.second.end();
    });
  });
  return {};
}

}  // namespace

Result<Published> publish_package(Store& store, distribution::BlobStore& blobs, const OnlineKeys& keys,
                                  const std::filesystem::path& path, std::string_view channel,
                                  const package::TrustPolicy& trust, Seconds now) {
  const std::string step = fmt::format("publishing {}", path.string());
  if (!distribution::is_repository_name(channel)) {
    return Error(ErrorCode::invalid_input, step, fmt::format("a channel's name is {}", distribution::repository_name_rule));
  }
  // What kiosks will show must be signed by a key they trust, whatever the caller asked.
  package::TrustPolicy strict = trust;
  strict.developer_mode = false;
  strict.report_only = false;
  auto opened = package::PackageReader::open(path, strict);
  if (!opened) return std::move(opened).error().add_context(step);
  const package::PackageReader& reader = **opened;
  if (reader.stored_hashes().empty()) {
    return Error(ErrorCode::invalid_input, step,
                 "it was written before packages named each blob's stored bytes (64-byte index entries), so kiosks "
                 "could not fetch its blobs by hash; re-pack it with this pavilion-pack");
  }
  PV_TRY_ASSIGN(auto name, package_name(reader.manifest(), step));
  PV_TRY_ASSIGN(const MappedFile file, MappedFile::open(path));

  Published published;
  // Blobs first, then the head, then the metadata naming them: a kiosk that sees the metadata
  // finds everything it names.
  for (size_t index = 0; index < reader.index().size(); ++index) {
    const package::IndexEntry& entry = reader.index()[index];
    const ContentHash& stored_hash = reader.stored_hashes()[index];
    if (blobs.holds(stored_hash)) {
      ++published.blobs_already_held;
      continue;
    }
    // The reader checked that every blob lies inside the file.
    const auto bytes = file.bytes().subspan(entry.offset, entry.stored_size);
    if (auto put = blobs.put(stored_hash, bytes); !put) {
      if (put.error().code() != ErrorCode::invalid_input) return std::move(put).error().add_context(step);
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("it is damaged: blob {} ({}) does not match the hash its index gives; build the package "
                               "again or copy it again",
                               index, entry.hash.to_hex()));
    }
    ++published.blobs_written;
    published.bytes_written += bytes.size();
  }
  const std::span<const std::byte> head = reader.head_bytes();
  const ContentHash head_hash = hash_content(head);
  if (!blobs.holds(head_hash)) {
    PV_TRY(blobs.put(head_hash, head));
    ++published.blobs_written;
    published.bytes_written += head.size();
  }
  published.target = {name.first,    name.second, head.size(), head_hash, reader.header().file_size,
                      reader.header().blob_count};
  PV_TRY_ASSIGN(published.targets_version,
                change_targets(store, keys, now, [&](distribution::Targets& targets) {
                  return add_to_channel(targets, published.target, channel, step);
                }));
  return published;
}

}  // namespace pavilion::hub
