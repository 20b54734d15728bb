// Fetching from a repository (a central or branch hub, or a cache in front of one) over
// HTTP(S): metadata with a length bound, heads and blobs into a BlobStore with Range resumption
// and a bandwidth limit, and the whole metadata refresh of PROTOCOL.md's steps 1–4.
#pragma once

#include "pavilion/distribution/blob_store.h"
#include "pavilion/distribution/metadata.h"
#include "pavilion/distribution/trusted_state.h"
#include "pavilion/http/client.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace pavilion::distribution {

struct ClientSettings {
  std::string url;               // "http://hub.branch.example:8470" (the repository is at /v1/repository/)
  std::filesystem::path ca_file;  // https: as http::Client's
  std::chrono::milliseconds timeout{15000};
  uint64_t bytes_per_second = 0;  // 0: no limit
  // Slow retrieval (a broken or hostile server trickling bytes, each within `timeout`, to hold
  // an updater for days): every request must end within `slow_grace` plus its length at this
  // rate, or it is cut and refused as `unreachable` ("too slow"; a blob's partial file is kept).
  // Never above half of `bytes_per_second`, so our own bandwidth limit cannot trip it. 0: no floor.
  uint64_t minimum_bytes_per_second = 4096;
  std::chrono::milliseconds slow_grace{30000};
};

// One thread at a time: it holds one kept-alive HTTP connection and one bandwidth budget.
class RepositoryClient {
 public:
  static Result<RepositoryClient> connect(const ClientSettings& settings);
  ~RepositoryClient();
  RepositoryClient(RepositoryClient&&) noexcept;
  RepositoryClient& operator=(RepositoryClient&&) noexcept;

  // GET /v1/repository/NAME ("timestamp.json", "root/3.json", "snapshot/7.json"): the body, or
  // nullopt on 404 or 410. More than `max_length` bytes: `oversized` (the transfer is cut there);
  // network failures, other statuses, too slow an answer and `stop` set: `unreachable`.
  Checked<std::optional<std::string>> fetch_metadata(std::string_view name, uint64_t max_length, Role role,
                                                     const std::atomic<bool>* stop = nullptr);

  // Brings the blob (or head) `hash` of `length` bytes into `store`, resuming a partial file
  // with `Range: bytes=K-`; `wrong_hash` when the finished bytes do not match (the partial file
  // is dropped, and the next attempt asks any cache in front to revalidate), `oversized` when the
  // server sends more than `length`, `missing` on 404 or 410. Returns the bytes this call
  // received. `stop`, when set, ends the transfer early (`unreachable`, partial kept); so do too
  // slow a server and another process fetching the same blob into the same store.
  Checked<uint64_t> fetch_blob(const ContentHash& hash, uint64_t length, BlobStore& store,
                               const std::atomic<bool>* stop = nullptr);

  uint64_t bytes_received() const;  // every body byte since connect

 private:
  struct State;
  explicit RepositoryClient(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// PROTOCOL.md's steps 1–4: walks root versions, then timestamp, snapshot and targets as needed.
// A refusal leaves `state` with everything it trusted before. `stop`, when set, ends it early (`unreachable`).
Checked<std::monostate> refresh_metadata(TrustedState& state, RepositoryClient& client, Seconds now,
                                         const std::atomic<bool>* stop = nullptr);

}  // namespace pavilion::distribution
