#include "pavilion/hub/mirror.h"

#include "pavilion/core/log.h"
#include "pavilion/distribution/blob_store.h"
#include "pavilion/distribution/repository_client.h"
#include "pavilion/distribution/trusted_state.h"
#include "pavilion/package/reader.h"
#include "pavilion/telemetry/hub_answer.h"
#include "periodic.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace pavilion::hub {
namespace {

using distribution::Checked;
using distribution::Refusal;
using distribution::RefusalKind;

// The package keys of the followed channels (every channel when none is named), each once.
std::set<std::string> followed_packages(const distribution::Targets& targets, const std::vector<std::string>& channels) {
  std::set<std::string> keys;
  for (const auto& [name, packages] : targets.channels) {
    if (!channels.empty() && std::ranges::find(channels, name) == channels.end()) continue;
    keys.insert(packages.begin(), packages.end());
  }
  return keys;
}

// A refusal about a package that targets names (its head, its blobs).
Refusal about_targets(RefusalKind kind, std::string detail) { return {kind, distribution::Role::targets, std::move(detail)}; }

std::string file_name(distribution::Role role, uint64_t version) { return fmt::format("{}/{}.json", distribution::to_string(role), version); }

}  // namespace

struct RepositoryMirror::State {
  UpstreamConfig upstream;
  std::shared_ptr<Store> store;
  std::optional<distribution::TrustedState> trusted;
  std::optional<distribution::BlobStore> blobs;
  std::optional<distribution::RepositoryClient> client;
  // When a good round's targets last named each head and blob: one no longer named is kept for
  // upstream.keep_unnamed_blobs, so a kiosk still fetching the version before is not cut off. What
  // the store held before this process started is unknown here, so nothing is removed until that
  // long after the start.
  std::map<ContentHash, std::chrono::steady_clock::time_point> last_named;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  mutable std::mutex mutex;  // stats, read by other threads
  MirrorStats stats;
  std::unique_ptr<Periodic> thread;  // last: stopped first

  Result<void> round(const std::atomic<bool>& stopping);
  Checked<std::monostate> mirror(const std::atomic<bool>& stopping);
  Checked<std::monostate> fetch_packages(const distribution::Targets& targets, const std::atomic<bool>& stopping,
                                         std::set<ContentHash>& named);
  void collect_garbage(const std::set<ContentHash>& named);
  Checked<std::vector<std::pair<std::string, std::string>>> root_files();
};

// Every head and blob of the followed packages into the blob store, those held already skipped;
// `named` gets each one's hash.
Checked<std::monostate> RepositoryMirror::State::fetch_packages(const distribution::Targets& targets,
                                                                const std::atomic<bool>& stopping,
                                                                std::set<ContentHash>& named) {
  // Heads are hash-pinned by the signed targets, so their index is the centre's; the kiosks check
  // the packages' own signatures.
  const package::TrustPolicy any_signer{{}, false, true};
  uint64_t fetched = 0;
  auto bring = [&](const ContentHash& hash, uint64_t length) -> Checked<std::monostate> {
    named.insert(hash);
    if (blobs->holds(hash)) return std::monostate{};
    auto received = client->fetch_blob(hash, length, *blobs, &stopping);
    if (auto* refused = std::get_if<Refusal>(&received)) return *refused;
    ++fetched;
    return std::monostate{};
  };
  Checked<std::monostate> outcome = std::monostate{};
  for (const std::string& key : followed_packages(targets, upstream.channels)) {
    const auto found = targets.packages.find(key);
    if (found == targets.packages.end()) {
      outcome = about_targets(RefusalKind::mismatch, fmt::format("a channel names {}, which targets does not list", key));
      break;
    }
    const distribution::PackageTarget& target = found->second;
    if (outcome = bring(target.head_hash, target.head_length); std::holds_alternative<Refusal>(outcome)) break;
    auto head = package::PackageReader::open_head(blobs->path_of(target.head_hash), any_signer);
    if (!head) {
      outcome = about_targets(RefusalKind::malformed, fmt::format("{}'s head: {}", key, head.error().describe()));
      break;
    }
    const package::PackageReader& reader = **head;
    if (reader.header().file_size != target.size || reader.index().size() != target.blob_count) {
      outcome = about_targets(RefusalKind::mismatch,
                              fmt::format("{}: its head describes {} bytes in {} blobs, but targets says {} bytes in {}",
                                          key, reader.header().file_size, reader.index().size(), target.size,
                                          target.blob_count));
      break;
    }
    for (size_t blob = 0; blob < reader.index().size() && std::holds_alternative<std::monostate>(outcome); ++blob) {
      outcome = bring(reader.stored_hashes()[blob], reader.index()[blob].stored_size);
    }
    if (std::holds_alternative<Refusal>(outcome)) break;
  }
  std::lock_guard lock(mutex);
  stats.blobs_fetched += fetched;
  return outcome;
}

// The root versions this hub does not hold yet, newest first: the trusted one as it came, and
// each older one fetched and checked to be the version whose root keys signed the one after it,
// so kiosks installed with an older root walk the same chain here as at the centre.
Checked<std::vector<std::pair<std::string, std::string>>> RepositoryMirror::State::root_files() {
  std::vector<std::pair<std::string, std::string>> files;
  std::string above = trusted->file(distribution::Role::root);
  const uint64_t newest = trusted->root().version;
  for (uint64_t version = newest; version >= 1; --version) {
    const std::string name = file_name(distribution::Role::root, version);
    auto held = store->repository_file(name);
    if (!held) return Refusal{RefusalKind::storage, distribution::Role::root, held.error().describe()};
    // Roots are stored together, newest last: one held means every older one is too.
    if (*held) break;
    if (version == newest) {
      files.emplace_back(name, above);
      continue;
    }
    auto fetched = client->fetch_metadata(name, distribution::max_root_length, distribution::Role::root);
    if (auto* refused = std::get_if<Refusal>(&fetched)) return *refused;
    const auto& file = std::get<std::optional<std::string>>(fetched);
    if (!file) return Refusal{RefusalKind::mismatch, distribution::Role::root, fmt::format("the upstream hub has no {}", name)};
    auto root = distribution::read_root(*file);
    if (auto* refused = std::get_if<Refusal>(&root)) return *refused;
    const auto& older = std::get<distribution::Root>(root);
    if (older.version != version) {
      return Refusal{RefusalKind::mismatch, distribution::Role::root, fmt::format("{} says it is version {}", name, older.version)};
    }
    auto signed_by_older = distribution::check_signatures(above, distribution::Role::root, older.root);
    if (auto* refused = std::get_if<Refusal>(&signed_by_older)) return *refused;
    files.emplace_back(name, *file);
    above = *file;
  }
  return files;
}

Checked<std::monostate> RepositoryMirror::State::mirror(const std::atomic<bool>& stopping) {
  const distribution::Seconds now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (auto refreshed = distribution::refresh_metadata(*trusted, *client, now, &stopping); std::holds_alternative<Refusal>(refreshed)) {
    return refreshed;
  }
  if (!trusted->targets() || !trusted->snapshot() || !trusted->timestamp()) {
    return Refusal{RefusalKind::unreachable, distribution::Role::timestamp, "the upstream hub serves no timestamp yet"};
  }
  // Blobs before the metadata naming them: a kiosk never learns of a file this hub lacks.
  std::set<ContentHash> named;
  if (auto fetched = fetch_packages(*trusted->targets(), stopping, named); std::holds_alternative<Refusal>(fetched)) {
    return fetched;
  }
  auto roots = root_files();
  if (auto* refused = std::get_if<Refusal>(&roots)) return *refused;
  auto files = std::move(std::get<std::vector<std::pair<std::string, std::string>>>(roots));
  files.emplace_back(file_name(distribution::Role::snapshot, trusted->snapshot()->version),
                     trusted->file(distribution::Role::snapshot));
  files.emplace_back(file_name(distribution::Role::targets, trusted->targets()->version),
                     trusted->file(distribution::Role::targets));
  // Hub processes sharing one database mirror side by side: none puts back an older timestamp
  // than another one stored (its kiosks would refuse it as a rollback until the next round).
  auto held = store->repository_file("timestamp.json");
  if (!held) return Refusal{RefusalKind::storage, distribution::Role::timestamp, held.error().describe()};
  bool newer_held = false;
  if (*held) {
    const auto stored_timestamp = distribution::read_timestamp(**held);
    const auto* other = std::get_if<distribution::Timestamp>(&stored_timestamp);
    newer_held = other != nullptr && other->version > trusted->timestamp()->version;
  }
  if (!newer_held) files.emplace_back("timestamp.json", trusted->file(distribution::Role::timestamp));
  if (auto stored = store->put_repository_files(files); !stored) {
    return Refusal{RefusalKind::storage, distribution::Role::timestamp, stored.error().describe()};
  }
  collect_garbage(named);
  return std::monostate{};
}

// Removes the heads and blobs no targets has named for upstream.keep_unnamed_blobs (old
// versions, channels no longer followed, partial files of downloads abandoned).
void RepositoryMirror::State::collect_garbage(const std::set<ContentHash>& named) {
  const auto now = std::chrono::steady_clock::now();
  for (const ContentHash& hash : named) last_named[hash] = now;
  if (now - started < upstream.keep_unnamed_blobs) return;
  std::erase_if(last_named, [&](const auto& entry) { return now - entry.second >= upstream.keep_unnamed_blobs; });
  std::set<ContentHash> keep;
  for (const auto& entry : last_named) keep.insert(entry.first);
  if (auto freed = blobs->collect_garbage(keep); !freed) {
    log::warn("hub", "removing blobs the centre no longer names: {}", freed.error().describe());
  } else if (*freed > 0) {
    log::info("hub", "removed {} bytes of blobs the centre no longer names", *freed);
  }
}

Result<void> RepositoryMirror::State::round(const std::atomic<bool>& stopping) {
  const Checked<std::monostate> outcome = mirror(stopping);
  std::lock_guard lock(mutex);
  stats.bytes_fetched = client->bytes_received();
  if (const auto* refused = std::get_if<Refusal>(&outcome)) {
    ++stats.consecutive_failures;
    if (refused->detail != stats.last_error) log::warn("hub", "mirroring the upstream repository: {}", refused->detail);
    stats.last_refusal = *refused;
    stats.last_error = refused->detail;
    const bool passing = refused->kind == RefusalKind::unreachable || refused->kind == RefusalKind::missing;
    return Error(passing ? ErrorCode::io : ErrorCode::invalid_input,
                 "mirroring the upstream repository", refused->detail);
  }
  ++stats.rounds;
  stats.consecutive_failures = 0;
  stats.timestamp_version = trusted->timestamp()->version;
  stats.last_refusal.reset();
  stats.last_error.clear();
  return {};
}

Result<std::unique_ptr<RepositoryMirror>> RepositoryMirror::start(const HubConfig& config, std::shared_ptr<Store> store) {
  const char* step = "starting to mirror the upstream repository";
  if (config.upstream.root.empty()) {
    return Error(ErrorCode::invalid_input, step,
                 "upstream.root must name the centre's root.json (copied at install), the root every check starts from");
  }
  auto state = std::make_unique<State>();
  state->upstream = config.upstream;
  state->store = std::move(store);
  PV_TRY_ASSIGN(auto trusted, distribution::TrustedState::open(config.repository_folder / "upstream-trust", config.upstream.root)
                                  .add_context(step));
  state->trusted.emplace(std::move(trusted));
  PV_TRY_ASSIGN(auto blobs, distribution::BlobStore::open(config.repository_folder / "blobs").add_context(step));
  state->blobs.emplace(std::move(blobs));
  PV_TRY_ASSIGN(auto client, distribution::RepositoryClient::connect({config.upstream.url, config.upstream.ca_file}).add_context(step));
  state->client.emplace(std::move(client));
  State* raw = state.get();
  state->thread = std::make_unique<Periodic>(
      config.upstream.poll, [raw](const std::atomic<bool>& stopping) { return raw->round(stopping); },
      [raw] {
        std::lock_guard lock(raw->mutex);
        // Doubling from a second up to the poll interval: a round that finds nothing new costs
        // one small timestamp, so the mirror may look again soon after the WAN returns.
        return telemetry::backoff_delay(std::chrono::seconds(1), raw->upstream.poll, raw->stats.consecutive_failures);
      });
  return std::unique_ptr<RepositoryMirror>(new RepositoryMirror(std::move(state)));
}

RepositoryMirror::RepositoryMirror(std::unique_ptr<State> state) : state_(std::move(state)) {}

RepositoryMirror::~RepositoryMirror() { state_->thread.reset(); }

Result<void> RepositoryMirror::mirror_now() { return state_->thread->run_now(); }

MirrorStats RepositoryMirror::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace pavilion::hub
