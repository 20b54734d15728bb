#include "pavilion/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

namespace pavilion {

uint32_t processor_count() { return std::max(1u, std::thread::hardware_concurrency()); }

Result<void> parallel_for(size_t count, uint32_t threads, const std::function<Result<void>(size_t)>& task) {
  if (count == 0) return {};
  const size_t workers = std::min<size_t>(count, threads == 0 ? processor_count() : threads);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::optional<Error>> errors(count);
  auto work = [&] {
    for (size_t index = next++; index < count && !failed.load(); index = next++) {
      auto result = task(index);
      if (!result) {
        errors[index] = std::move(result).error();
        failed = true;
      }
    }
  };
  {
    std::vector<std::jthread> pool;
    for (size_t worker = 1; worker < workers; ++worker) pool.emplace_back(work);
    work();  // the calling thread works too
  }
  for (auto& error : errors) {
    if (error) return std::move(*error);
  }
  return {};
}

}  // namespace pavilion
