#include "pavilion/distribution/repository_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <cerrno>
#include <cstring>
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

// The partial file a blob grows in, written where the answer's body starts.
class PartialFile {
 public:
  PartialFile() = default;
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile() { close(); }

  // Opens `path` to write from byte `start`, dropping whatever lies at or after it.
  Result<void> open(const fs::path& path, uint64_t start) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(start)) != 0 ||
        ::lseek(fd_, static_cast<off_t>(start), SEEK_SET) < 0) {
      return failure("opening a partial download");
    }
    return {};
  }
  bool is_open() const { return fd_ >= 0; }
  Result<void> write(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
      const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) return failure("writing a partial download");
      bytes = bytes.subspan(static_cast<size_t>(written));
    }
    return {};
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  Error failure(std::string what) const {
    return Error(ErrorCode::io, std::move(what), fmt::format("{}: {}", path_, std::strerror(errno)));
  }
  fs::path path_;
  int fd_ = -1;
};

}  // namespace

struct RepositoryClient::State {
  State(http::Endpoint endpoint, const ClientSettings& settings)
      : client(std::move(endpoint), settings.timeout, settings.ca_file) {
    client.limit_bandwidth(settings.bytes_per_second);
  }
  std::string address(std::string_view name) const {
    return fmt::format("{}{}{}", client.endpoint().describe(), repository_path, name);
  }

  http::Client client;
  uint64_t received = 0;
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
                                                                     Role role) {
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
  const std::string target = fmt::format("{}{}", repository_path, name);
  auto response = state_->client.stream(http::Request{"GET", target, {}, {}}, sink);
  if (!response) return refusal(RefusalKind::unreachable, role, response.error().describe());
  if (response->status == 404) return std::optional<std::string>();
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
  const fs::path partial = store.partial_path(hash);
  auto unreachable = [&](std::string detail) { return refusal(RefusalKind::unreachable, Role::targets, std::move(detail)); };
  std::error_code ignored;
  uint64_t received = 0;
  // A second request only after a 416 (the server holds less than the partial file): from byte 0.
  for (int attempt = 0;; ++attempt) {
    uint64_t offset = store.partial_size(hash);
    if (offset > length) {
      fs::remove(partial, ignored);
      offset = 0;
    }
    if (offset == length) break;  // a download finished before its hash was checked
    http::Request request{"GET", fmt::format("{}{}", repository_path, name), {}, {}};
    if (offset > 0) request.headers.emplace_back("Range", fmt::format("bytes={}-", offset));

    PartialFile file;
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
      if (auto opened = file.open(partial, start); !opened) {
        problem = refusal(RefusalKind::storage, Role::targets, opened.error().describe());
        return 0;
      }
      body_is_blob = true;
      return length - start;
    };
    sink.write = [&](std::span<const std::byte> piece) {
      state_->received += piece.size();
      received += piece.size();
      if (!body_is_blob) return true;
      if (auto written = file.write(piece); !written) {
        problem = refusal(RefusalKind::storage, Role::targets, written.error().describe());
        return false;
      }
      return true;
    };
    sink.stop = stop;
    auto response = state_->client.stream(request, sink);
    file.close();
    if (problem) return *problem;
    if (!response) return unreachable(response.error().describe());  // the partial file is kept for a resume
    if (response->status == 416 && offset > 0 && attempt == 0) {
      fs::remove(partial, ignored);
      continue;
    }
    if (response->status != 200 && response->status != 206) {
      return unreachable(fmt::format("GET {} answered {}", state_->address(name), response->status));
    }
    if (response->end == http::StreamedResponse::End::oversized) {
      fs::remove(partial, ignored);
      return refusal(RefusalKind::oversized, Role::targets,
                     fmt::format("{} is longer than the {} bytes the package's index says: the transfer was cut there "
                                 "and dropped",
                                 state_->address(name), length));
    }
    if (response->end == http::StreamedResponse::End::stopped) {
      return unreachable(fmt::format("GET {} was stopped after {} of {} bytes; the download resumes from there",
                                     state_->address(name), store.partial_size(hash), length));
    }
    if (store.partial_size(hash) != length) {
      return unreachable(fmt::format("GET {} ended after {} of {} bytes; the download resumes from there",
                                     state_->address(name), store.partial_size(hash), length));
    }
    break;
  }
  if (auto completed = store.complete(hash); !completed) {
    const bool mismatched = completed.error().code() == ErrorCode::invalid_input;
    return refusal(mismatched ? RefusalKind::wrong_hash : RefusalKind::storage, Role::targets,
                   fmt::format("{}: {}", state_->address(name), completed.error().describe()));
  }
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
                                  Role naming) {
  auto fetched = client.fetch_metadata(name, pin.length, role);
  if (auto why = refused(fetched)) return *why;
  auto& file = std::get<std::optional<std::string>>(fetched);
  if (!file) {
    return refusal(RefusalKind::unreachable, role,
                   fmt::format("the trusted {} names {}, which the repository does not serve (404)", to_string(naming),
                               name));
  }
  return std::move(*file);
}

}  // namespace

Checked<std::monostate> refresh_metadata(TrustedState& state, RepositoryClient& client, Seconds now) {
  // 1. Root: each newer version in turn, until the repository has no next one.
  const uint64_t first_version = state.root().version;
  for (uint64_t version = first_version + 1;; ++version) {
    if (version > first_version + max_new_root_versions) {
      return refusal(RefusalKind::oversized, Role::root,
                     fmt::format("the repository offers more than {} new root versions after version {}",
                                 max_new_root_versions, first_version));
    }
    auto fetched = client.fetch_metadata(fmt::format("root/{}.json", version), max_root_length, Role::root);
    if (auto why = refused(fetched)) return *why;
    const auto& file = std::get<std::optional<std::string>>(fetched);
    if (!file) break;
    if (auto why = refused(state.accept_root(*file))) return *why;
  }
  if (auto why = refused(state.check_root_fresh(now))) return *why;

  // 2. Timestamp.
  auto timestamp = client.fetch_metadata("timestamp.json", max_timestamp_length, Role::timestamp);
  if (auto why = refused(timestamp)) return *why;
  const auto& timestamp_file = std::get<std::optional<std::string>>(timestamp);
  if (!timestamp_file) {
    return refusal(RefusalKind::unreachable, Role::timestamp, "the repository serves no timestamp.json (404)");
  }
  if (auto why = refused(state.accept_timestamp(*timestamp_file, now))) return *why;

  // 3. Snapshot, by the version the timestamp pins (a consistent snapshot: the centre may publish meanwhile).
  if (state.needs_snapshot()) {
    const FilePin pin = state.timestamp()->snapshot;
    auto file = fetch_pinned(client, fmt::format("snapshot/{}.json", pin.version), pin, Role::snapshot, Role::timestamp);
    if (auto why = refused(file)) return *why;
    if (auto why = refused(state.accept_snapshot(std::get<std::string>(file), now))) return *why;
  }

  // 4. Targets, by the version the snapshot pins.
  if (state.needs_targets()) {
    const FilePin pin = state.snapshot()->targets;
    auto file = fetch_pinned(client, fmt::format("targets/{}.json", pin.version), pin, Role::targets, Role::snapshot);
    if (auto why = refused(file)) return *why;
    if (auto why = refused(state.accept_targets(std::get<std::string>(file), now))) return *why;
  }
  return std::monostate{};
}

}  // namespace pavilion::distribution
