// A branch hub's mirror of its upstream hub's package repository (hub/README.md, "Branch hubs";
// engine/distribution/PROTOCOL.md). As a client of the upstream hub it checks the metadata as a
// kiosk does, from the root pinned at install (upstream.root), then fetches every head and blob
// of the channels its kiosks follow (upstream.channels; none named: every channel) that its blob
// store lacks, and only then stores the metadata files exactly as served upstream (every root
// version, the timestamp, the snapshot and targets it names), so its own /v1/repository/ serves
// them unchanged and never names a blob it does not hold. The branch signs nothing: its kiosks
// verify the centre's signatures. Each blob crosses the WAN once per branch, however many kiosks
// ask for it. Heads and blobs the centre's targets no longer name leave the blob store one good
// round after they stopped being named (a kiosk may still be fetching the version before).
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/distribution/metadata.h"
#include "pavilion/hub/config.h"
#include "pavilion/hub/store.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace pavilion::hub {

struct MirrorStats {
  uint64_t rounds = 0;            // finished without a refusal
  uint64_t blobs_fetched = 0;     // heads included
  uint64_t bytes_fetched = 0;     // every body byte from upstream, metadata included
  uint64_t timestamp_version = 0;  // of the newest timestamp stored here
  uint32_t consecutive_failures = 0;
  // Why the last round failed (empty after a success), in both languages for the operator.
  std::optional<distribution::Refusal> last_refusal;
  std::string last_error;
};

class RepositoryMirror {
 public:
  // Opens the trusted state in config.repository_folder/"upstream-trust" (from upstream.root the
  // first time) and the blob store in config.repository_folder/"blobs", and starts the thread,
  // which mirrors at once and then every upstream.poll (sooner after a failure, backing off).
  static Result<std::unique_ptr<RepositoryMirror>> start(const HubConfig& config, std::shared_ptr<Store> store);
  // Finishes the transfer in flight (or cuts it, keeping the partial file) and stops.
  ~RepositoryMirror();
  RepositoryMirror(const RepositoryMirror&) = delete;
  RepositoryMirror& operator=(const RepositoryMirror&) = delete;

  // A round now; its failure (a refusal, an unreachable upstream) is returned and in stats().
  Result<void> mirror_now();
  MirrorStats stats() const;

  struct State;

 private:
  explicit RepositoryMirror(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace pavilion::hub
