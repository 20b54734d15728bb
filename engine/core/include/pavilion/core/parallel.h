// Runs independent tasks on worker threads: the load-time job system (blob decompression,
// texture compression). Not for per-frame work.
#pragma once

#include "pavilion/core/error.h"

#include <cstddef>
#include <cstdint>
#include <functional>

namespace pavilion {

// Calls task(i) for every i in [0, count) on up to `threads` threads (0: one per processor) and
// waits for all. Returns the error of the lowest-numbered failed task; once a task fails, tasks
// not yet started are skipped.
Result<void> parallel_for(size_t count, uint32_t threads, const std::function<Result<void>(size_t)>& task);

uint32_t processor_count();

}  // namespace pavilion
