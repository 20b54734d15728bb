// The kiosk's updater (kiosk/README.md, "Updates"; engine/distribution/PROTOCOL.md): it polls
// the hub's repository, trusts only metadata that passes every check of the protocol, fetches the
// heads and blobs of the packages this kiosk wants that its blob store lacks (inside the download
// window and the disk budget, at the bandwidth limit), verifies them and stages them. The kiosk
// switches to staged versions at a safe moment — its attract loop, never mid-visit — and rolls
// back to the last good version when a new one will not load.
//
// Threads: poll() runs on the updater's own thread once start() is called (or on the caller's,
// in tests); the frame thread asks switch_due(), switch_now(), showing(), roll_back(),
// take_notes() and status(). Those never wait for a download: the poll holds the lock only
// between network steps and writes files outside it, and switch_due() and take_notes() give way
// when it is held. switch_now() and roll_back() do write installed.json (a few hundred bytes, and
// fsync) on the frame thread, waiting for a poll's own write of it at worst: each is followed at
// once by opening the packages it names, on the same thread in the attract loop, which costs far
// more; and writing it before they open means a restart never shows a version the updater has
// not recorded as shown, nor retries one it rolled back.
#pragma once

#include "pavilion/distribution/blob_store.h"
#include "pavilion/distribution/repository_client.h"
#include "pavilion/distribution/trusted_state.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/package/signing.h"
#include "updates/installed_state.h"
#include "updates/update_plan.h"
#include "updates/update_status.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace pavilion::kiosk {

class Updater {
 public:
  using Clock = std::function<distribution::Seconds()>;  // UTC now; tests move it by hand

  // Opens kiosk.json's updates folder: the trusted metadata (starting from the pinned root the
  // first time), the blob store (blobs/) and installed.json. Fails (io, invalid_input) when no
  // trustworthy root is there or the folder cannot be used; `config.updates` must be set.
  static Result<std::unique_ptr<Updater>> open(const KioskConfig& config, Clock clock);
  ~Updater();  // stop()s
  Updater(const Updater&) = delete;
  Updater& operator=(const Updater&) = delete;

  // One round: refresh the metadata, decide what this kiosk wants now, fetch and verify what it
  // lacks, stage it, collect blobs nothing uses any more. Everything refused is in status() and
  // in take_notes().
  void poll();
  // Polls now and every poll_seconds on a thread of its own, until stop().
  void start();
  // Quick: a transfer in progress ends (its partial file is kept, to resume), the thread joins.
  void stop();

  // The frame thread's side. `now` is UTC, the kiosk's clock.
  bool switch_due(distribution::Seconds now) const;  // false, too, while a poll holds the lock
  size_t switch_now(distribution::Seconds now);      // how many packages switched
  std::vector<StoredPackage> showing() const;
  // `id`'s shown `version` would not load: the last good version comes back and `version` is
  // not tried again until another appears. False when `id` does not show `version`.
  bool roll_back(const std::string& id, const std::string& version, const std::string& detail);
  UpdateStatus status() const;
  // The updater's state for the operator screen, a sentence a line: each line whole in each
  // language (the Chinese without English details; a refusal's detail is in the English line,
  // the log and the fleet report).
  std::vector<LocalizedText> operator_lines() const;
  // Lines for the operator screen's log since the last call (empty while a poll holds the lock).
  std::vector<std::string> take_notes();

  // Bytes received from the repository since open(), for tests and the bench.
  uint64_t bytes_received() const { return client_.bytes_received(); }
  const distribution::BlobStore& store() const { return store_; }

 private:
  struct Problem {
    LocalizedText sentence;
    std::string detail;
    bool lasting = false;  // in the signed package itself: not tried again until another version
  };

  Updater(const KioskConfig& config, Clock clock, distribution::TrustedState trusted, distribution::BlobStore store,
          distribution::RepositoryClient client, package::TrustPolicy trust, InstalledState installed);
  // Leaves `staged` empty and returns no problem when cut short: stop(), or the download window
  // closing at `window_end` (the partial file is kept, to resume in the next window).
  std::optional<Problem> fetch_package(const distribution::PackageTarget& target, std::optional<InstalledVersion>& staged,
                                       std::optional<distribution::Seconds> window_end);
  distribution::Checked<uint64_t> fetch_blob(const ContentHash& hash, uint64_t length,
                                             std::optional<distribution::Seconds> window_end);
  bool cut_short(std::optional<distribution::Seconds> window_end) const;
  void wait_for_window(const distribution::PackageTarget& target);
  std::optional<Problem> make_room(uint64_t needed, const distribution::PackageTarget& target);
  Result<uint64_t> collect_garbage();
  // A package's state and its detail: in English for the status (the fleet report) and in
  // Chinese for the operator screen.
  struct Shown {
    PackageStatus status;
    std::string detail_zh_cn;
  };
  void set_progress(const distribution::PackageTarget& target, std::string state, const LocalizedText& detail);
  std::vector<Shown> packages_locked() const;  // with `mutex_` held
  void finish_poll(distribution::Seconds now, const std::vector<Problem>& problems);
  // installed.json is written outside `mutex_`, so a slow disk never holds up the frame thread;
  // each copy is numbered so an older one never overwrites a newer.
  struct Snapshot {
    InstalledState state;
    uint64_t generation = 0;
  };
  Snapshot snapshot_locked();  // with `mutex_` held
  void save(const Snapshot& snapshot);

  const UpdateSettings settings_;
  const std::chrono::minutes utc_offset_;
  const Clock clock_;
  const std::filesystem::path installed_file_;
  const package::TrustPolicy trust_;
  // The poll's own (never touched by the frame thread).
  distribution::TrustedState trusted_;
  distribution::BlobStore store_;
  distribution::RepositoryClient client_;
  std::vector<WantedPackage> wanted_;

  mutable std::mutex mutex_;  // guards what follows
  InstalledState installed_;
  std::map<std::string, Shown> progress_;  // this poll's downloads and waits, by package id
  UpdateStatus status_;
  std::vector<std::string> notes_;
  std::set<std::string> last_problems_;  // the last poll's, so a lasting one is noted once
  uint64_t generation_ = 0;               // of installed_, for save()

  std::mutex save_mutex_;  // taken before `mutex_` when both are
  uint64_t saved_generation_ = 0;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> cut_{false};  // ends the transfer in progress: set by stop() and at the window's end
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

// The packages to show: the content folder's and the updater's (`updater` may be null). A
// version the updater switched to that will not load is rolled back, and the library opened
// again with the last good version.
ContentLibrary open_installed_content(const KioskConfig& config, const scene::LoadOptions& options, Updater* updater);

}  // namespace pavilion::kiosk
