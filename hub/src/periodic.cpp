#include "periodic.h"

#include "pavilion/core/log.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

namespace pavilion::hub {

Periodic::Periodic(std::chrono::milliseconds interval, Round round,
                   std::function<std::chrono::milliseconds()> backoff)
    : interval_(interval), round_(std::move(round)), backoff_(std::move(backoff)) {
  thread_ = std::thread([this] { run(); });
}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  done_.notify_all();
}

Result<void> Periodic::run_now() {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = ++requests_;
  wake_.notify_all();
  done_.wait(lock, [&] { return requests_done_ >= ticket || stopping_; });
  return last_;
}

Result<void> Periodic::guarded_round() {
  // Our rounds return their failures as values; an exception is a bug (a library's throw we did not
  // foresee). It fails this round, said in the log and the outcome, and the thread lives on, so a
  // branch hub keeps serving its kiosks rather than end in std::terminate.
  try {
    return round_(stopping_);
  } catch (const std::exception& exception) {
    log::error("hub", "a round of a branch hub's work threw: {}", exception.what());
    return Error(ErrorCode::internal, "a round of a branch hub's work", fmt::format("it threw: {}", exception.what()));
  }
}

void Periodic::run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point next = Clock::now();  // the first round at once
  for (;;) {
    uint64_t asked = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next, [&] { return stopping_ || requests_ > requests_done_; });
      if (stopping_) return;
      asked = requests_;
      if (asked == requests_done_ && Clock::now() < next) continue;
    }
    Result<void> outcome = guarded_round();
    next = Clock::now() + (outcome ? interval_ : std::max(backoff_(), std::chrono::milliseconds(1)));
    {
      std::lock_guard lock(mutex_);
      if (asked > requests_done_) {
        last_ = std::move(outcome);
        requests_done_ = asked;
      }
    }
    done_.notify_all();
  }
}

}  // namespace pavilion::hub
