#include "pavilion/distribution/repository_client.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <set>
#include <system_error>

namespace pavilion::distribution {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view repository_path = "/v1/repository/";
// Bounds a walk through root versions: each is signed by the keys before it, so only a
// compromised root key could offer more, and then it must not keep a client walking forever.
constexpr uint64_t max_new_root_versions = 1000;
// An error page's body is read (and dropped) up to this, so the connection can be kept.
constexpr uint64_t max_error_body = 64 * 1024;

Refusal refusal(RefusalKind kind, Role role, std::string detail) { return Refusal{kind, role, std::move(detail), 0}; }

// At most this many blobs are remembered as served wrong (their next request asks caches to
// revalidate); beyond it the set starts over, which costs a cache hit, never a wrong byte.
constexpr size_t max_remembered_wrong = 1024;

bool is_gone(int status) { return status == 404 || status == 410; }

}  // namespace

struct RepositoryClient::State {
  State(http::Endpoint endpoint, const ClientSettings& settings)
      : client(std::move(endpoint), settings.timeout, settings.ca_file),
        minimum_rate(settings.bytes_per_second > 0
                         ? std::min(settings.minimum_bytes_per_second, settings.bytes_per_second / 2)
                         : settings.minimum_bytes_per_second),
        slow_grace(settings.slow_grace) {
    client.limit_bandwidth(settings.bytes_per_second);
  }
  std::string address(std::string_view name) const {
    return fmt::format("{}{}{}", client.endpoint().describe(), repository_path, name);
  }

  // When a request for `bytes` (its length bound) must be over: see ClientSettings.
  std::optional<std::chrono::steady_clock::time_point> deadline_for(uint64_t bytes) const {
    if (minimum_rate == 0) return std::nullopt;
    const auto at_rate = std::chrono::milliseconds(bytes / minimum_rate * 1000 + bytes % minimum_rate * 1000 / minimum_rate);
    return std::chrono::steady_clock::now() + slow_grace + at_rate;
  }
  std::string too_slow(std::string_view name, uint64_t received_bytes) const {
    return fmt::format("GET {} was too slow (under {} bytes/s after a grace of {} s): cut after {} bytes", address(name),
                       minimum_rate, std::chrono::duration_cast<std::chrono::seconds>(slow_grace).count(), received_bytes);
  }

  http::Client client;
  uint64_t minimum_rate = 0;
  std::chrono::milliseconds slow_grace;
  uint64_t received = 0;
  // Blobs whose last answer had wrong bytes: a cache in front may hold them as immutable.
  std::set<ContentHash> served_wrong;
};

Result<RepositoryClient> RepositoryClient::connect(const ClientSettings& settings) {
  PV_TRY_ASSIGN(auto endpoint, http::Endpoint::parse(settings.url));
  return RepositoryClient(std::make_unique<State>(std::move(endpoint), settings));
}

RepositoryClient::RepositoryClient(std::unique_ptr<State> state) : state_(std::move(state)) {}
RepositoryClient::~RepositoryClient() = default;
RepositoryClient::RepositoryClient(RepositoryClient&&) noexcept = default;
RepositoryClient& RepositoryClient::operator=(RepositoryClient&&) noexcept = default;

uint64_t RepositoryClient::bytes_received() const { return state_->received; }

Checked<std::optional<std::string>> RepositoryClient::fetch_metadata(std::string_view name, uint64_t max_length,
                                                                     Role role, const std::atomic<bool>* stop) {
  std::string body;
  bool found = false;
  http::BodySink sink;
  sink.limit = [&](const http::StreamedResponse& head) {
    found = head.status == 200;
    return found ? max_length : max_error_body;
  };
  sink.write = [&](std::span<const std::byte> piece) {
    state_->received += piece.size();
    if (found) body.append(reinterpret_cast<const char*>(piece.data()), piece.size());
    return true;
  };
  sink.stop = stop;
  sink.deadline = state_->deadline_for(max_length);
  const std::string target = fmt::format("{}{}", repository_path, name);
  auto response = state_->client.stream(http::Request{"GET", target, {}, {}}, sink);
  const bool late = response ? response->end == http::StreamedResponse::End::late
                             : sink.deadline && std::chrono::steady_clock::now() >= *sink.deadline;
  if (late) return refusal(RefusalKind::unreachable, role, state_->too_slow(name, body.size()));
  const bool stopped = response ? response->end == http::StreamedResponse::End::stopped : stop && stop->load();
  if (stopped) {
    return refusal(RefusalKind::unreachable, role, fmt::format("GET {} was stopped", state_->address(name)));
  }
  if (!response) return refusal(RefusalKind::unreachable, role, response.error().describe());
  if (is_gone(response->status)) return std::optional<std::string>();
  if (response->status != 200) {
    return refusal(RefusalKind::unreachable, role,
                   fmt::format("GET {} answered {}", state_->address(name), response->status));
  }
  if (response->end == http::StreamedResponse::End::oversized) {
    return refusal(RefusalKind::oversized, role,
                   fmt::format("{} is longer than the {} bytes it may be: the transfer was cut there",
                               state_->address(name), max_length));
  }
  return std::optional<std::string>(std::move(body));
}

Checked<uint64_t> RepositoryClient::fetch_blob(const ContentHash& hash, uint64_t length, BlobStore& store,
                                               const std::atomic<bool>* stop) {
  if (store.holds(hash)) return uint64_t{0};
  const std::string name = "blobs/" + hash.to_hex();
  auto unreachable = [&](std::string detail) { return refusal(RefusalKind::unreachable, Role::targets, std::move(detail)); };
  auto claimed = store.claim_partial(hash);
  if (!claimed) return refusal(RefusalKind::storage, Role::targets, claimed.error().describe());
  if (!*claimed) {
    return unreachable(fmt::format("{}: another process is fetching it into {}; the next round tries again",
                                   state_->address(name), store.folder()));
  }
  PartialBlob partial = std::move(**claimed);
  if (store.holds(hash)) {  // the holder before us finished it; the empty file we claimed goes
    std::error_code ignored;
    fs::remove(store.partial_path(hash), ignored);
    return uint64_t{0};
  }
  // Wrong bytes last time: a cache in front may keep serving them as immutable unless asked to revalidate.
  const bool revalidate = state_->served_wrong.contains(hash);
  auto remember_wrong = [&] {
    if (state_->served_wrong.size() >= max_remembered_wrong) state_->served_wrong.clear();
    state_->served_wrong.insert(hash);
  };
  uint64_t received = 0;
  // A second request only after a 416 (the server holds less than the partial file): from byte 0.
  for (int attempt = 0;; ++attempt) {
    uint64_t offset = partial.size();
    if (offset > length) offset = 0;
    if (offset == length) break;  // a download finished before its hash was checked
    http::Request request{"GET", fmt::format("{}{}", repository_path, name), {}, {}};
    if (offset > 0) request.headers.emplace_back("Range", fmt::format("bytes={}-", offset));
    if (revalidate) {
      request.headers.emplace_back("Cache-Control", "no-cache");
      request.headers.emplace_back("Pragma", "no-cache");  // for HTTP/1.0 caches
    }

    std::optional<Refusal> problem;
    bool body_is_blob = false;
    http::BodySink sink;
    sink.limit = [&](const http::StreamedResponse& head) -> uint64_t {
      uint64_t start = 0;
      if (head.status == 206) {
        const auto& range = head.content_range;
        if (!range || !range->range || range->range->first != offset) {
          problem = refusal(RefusalKind::mismatch, Role::targets,
                            fmt::format("GET {} from byte {} answered 206 with the range \"{}\"", state_->address(name),
                                        offset, range && range->range ? std::to_string(range->range->first) : "none"));
          return 0;
        }
        start = offset;
      } else if (head.status != 200) {  // a server that ignores Range answers 200: the whole blob again
        return max_error_body;
      }
      if (auto cut = partial.truncate(start); !cut) {
        problem = refusal(RefusalKind::storage, Role::targets, cut.error().describe());
        return 0;
      }
      body_is_blob = true;
      return length - start;
    };
    sink.write = [&](std::span<const std::byte> piece) {
      state_->received += piece.size();
      received += piece.size();
      if (!body_is_blob) return true;
      if (auto written = partial.write(piece); !written) {
        problem = refusal(RefusalKind::storage, Role::targets, written.error().describe());
        return false;
      }
      return true;
    };
    sink.stop = stop;
    sink.deadline = state_->deadline_for(length - offset);
    auto response = state_->client.stream(request, sink);
    if (problem) return *problem;
    const bool late = response ? response->end == http::StreamedResponse::End::late
                               : sink.deadline && std::chrono::steady_clock::now() >= *sink.deadline;
    if (late) return unreachable(state_->too_slow(name, received) + "; the download resumes from there");
    const bool stopped = response ? response->end == http::StreamedResponse::End::stopped : stop && stop->load();
    if (stopped) {
      return unreachable(fmt::format("GET {} was stopped after {} of {} bytes; the download resumes from there",
                                     state_->address(name), partial.size(), length));
    }
    if (!response) return unreachable(response.error().describe());  // the partial file is kept for a resume
    if (response->status == 416 && offset > 0 && attempt == 0) {
      if (auto cut = partial.truncate(0); !cut) return refusal(RefusalKind::storage, Role::targets, cut.error().describe());
      continue;
    }
    if (is_gone(response->status)) {
      return refusal(RefusalKind::missing, Role::targets,
                     fmt::format("GET {} answered {}: the hub lacks a blob its signed targets name", state_->address(name),
                                 response->status));
    }
    if (response->status != 200 && response->status != 206) {
      return unreachable(fmt::format("GET {} answered {}", state_->address(name), response->status));
    }
    if (response->end == http::StreamedResponse::End::oversized) {
      if (auto cut = partial.truncate(0); !cut) return refusal(RefusalKind::storage, Role::targets, cut.error().describe());
      remember_wrong();
      return refusal(RefusalKind::oversized, Role::targets,
                     fmt::format("{} is longer than the {} bytes the package's index says: the transfer was cut there "
                                 "and dropped",
                                 state_->address(name), length));
    }
    if (partial.size() != length) {
      return unreachable(fmt::format("GET {} ended after {} of {} bytes; the download resumes from there",
                                     state_->address(name), partial.size(), length));
    }
    break;
  }
  if (auto completed = store.complete(std::move(partial)); !completed) {
    const bool mismatched = completed.error().code() == ErrorCode::invalid_input;
    if (mismatched) remember_wrong();
    return refusal(mismatched ? RefusalKind::wrong_hash : RefusalKind::storage, Role::targets,
                   fmt::format("{}: {}", state_->address(name), completed.error().describe()));
  }
  state_->served_wrong.erase(hash);
  return received;
}

namespace {

// The refusal in `checked`, if any.
template <class T>
std::optional<Refusal> refused(const Checked<T>& checked) {
  if (const Refusal* found = std::get_if<Refusal>(&checked)) return *found;
  return std::nullopt;
}

// A file the metadata above it names: `name` at exactly `pin.length` bytes at most.
Checked<std::string> fetch_pinned(RepositoryClient& client, const std::string& name, const FilePin& pin, Role role,
                                  Role naming, const std::atomic<bool>* stop) {
  auto fetched = client.fetch_metadata(name, pin.length, role, stop);
  if (auto why = refused(fetched)) return *why;
  auto& file = std::get<std::optional<std::string>>(fetched);
  if (!file) {
    return refusal(RefusalKind::missing, role,
                   fmt::format("the trusted {} names {}, which the repository does not serve (404)", to_string(naming),
                               name));
  }
  return std::move(*file);
}

}  // namespace

Checked<std::monostate> refresh_metadata(TrustedState& state, RepositoryClient& client, Seconds now,
                                         const std::atomic<bool>* stop) {
  // 1. Root: each newer version in turn, until the repository has no next one.
  const uint64_t first_version = state.root().version;
  for (uint64_t version = first_version + 1;; ++version) {
    if (version > first_version + max_new_root_versions) {
      return refusal(RefusalKind::oversized, Role::root,
                     fmt::format("the repository offers more than {} new root versions after version {}",
                                 max_new_root_versions, first_version));
    }
    auto fetched = client.fetch_metadata(fmt::format("root/{}.json", version), max_root_length, Role::root, stop);
    if (auto why = refused(fetched)) return *why;
    const auto& file = std::get<std::optional<std::string>>(fetched);
    if (!file) break;
    if (auto why = refused(state.accept_root(*file))) return *why;
  }
  if (auto why = refused(state.check_root_fresh(now))) return *why;

  // 2. Timestamp.
  auto timestamp = client.fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp, stop);
  if (auto why = refused(timestamp)) return *why;
  const auto& timestamp_file = std::get<std::optional<std::string>>(timestamp);
  if (!timestamp_file) {
    return refusal(RefusalKind::unreachable, Role::timestamp, "the repository serves no timestamp.json (404)");
  }
  if (auto why = refused(state.accept_timestamp(*timestamp_file, now))) return *why;

  // 3. Snapshot, by the version the timestamp pins (a consistent snapshot: the centre may publish meanwhile).
  if (state.needs_snapshot()) {
    const FilePin pin = state.timestamp()->snapshot;
    auto file = fetch_pinned(client, fmt::format("snapshot/{}.json", pin.version), pin, Role::snapshot, Role::timestamp, stop);
    if (auto why = refused(file)) return *why;
    if (auto why = refused(state.accept_snapshot(std::get<std::string>(file), now))) return *why;
  }

  // 4. Targets, by the version the snapshot pins.
  if (state.needs_targets()) {
    const FilePin pin = state.snapshot()->targets;
    auto file = fetch_pinned(client, fmt::format("targets/{}.json", pin.version), pin, Role::targets, Role::snapshot, stop);
    if (auto why = refused(file)) return *why;
    if (auto why = refused(state.accept_targets(std::get<std::string>(file), now))) return *why;
  }
  return std::monostate{};
}

}  // namespace pavilion::distribution
