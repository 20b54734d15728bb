// The thread of a branch hub's work for its upstream hub (forwarder.h, mirror.h): a round every
// interval, at once when asked, and after a failed round not before the wait the work asks for
// (its backoff). Rounds never overlap. A round that throws fails (logged), and rounds go on.
#pragma once

#include "pavilion/core/error.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace pavilion::hub {

class Periodic {
 public:
  // `round` runs on the thread, told when the Periodic is stopping so it may end early; `backoff`
  // is read after a failed round, on the thread too.
  using Round = std::function<Result<void>(const std::atomic<bool>& stopping)>;
  Periodic(std::chrono::milliseconds interval, Round round,
           std::function<std::chrono::milliseconds()> backoff);
  // Lets the round in flight finish, then joins.
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Runs a round now, whatever the interval and backoff say, and returns its outcome.
  Result<void> run_now();

 private:
  void run();
  Result<void> guarded_round();

  std::chrono::milliseconds interval_;
  Round round_;
  std::function<std::chrono::milliseconds()> backoff_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<bool> stopping_ = false;
  uint64_t requests_ = 0;
  uint64_t requests_done_ = 0;
  Result<void> last_ = Result<void>{};
  std::thread thread_;
};

}  // namespace pavilion::hub
