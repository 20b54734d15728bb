// Work that outside data can make run away (an importer given a damaged file that announces
// billions of vertices) done in child processes held to a memory and time budget, so the tool
// survives it and can say which bound the work hit. Linux only; all of it lives here.
#pragma once

#include "pavilion/core/error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pavilion::bounded_child {

struct ChildLimits {
  uint64_t memory_bytes = 0;  // what a child may use beyond what it inherits from its parent
  std::chrono::seconds cpu_time{0};
  std::chrono::seconds wall_time{0};
};

enum class ChildEnd { finished, out_of_memory, out_of_cpu_time, out_of_wall_time, crashed };

struct ChildOutcome {
  ChildEnd end = ChildEnd::finished;
  std::vector<std::byte> output;  // what the work returned, when it finished
  std::string crash;              // how it ended otherwise: "signal 11 (Segmentation fault)", "exit status 1"
};

// Runs work(0) … work(count - 1), each in a child process of its own that sends back the bytes
// the work returns and exits without running destructors or exit handlers; up to `parallel`
// children at a time (at least one). The calling thread starts and watches them all, killing a
// child at a limit, and calls ended(index) as each one ends. One outcome per index; an error only
// where no child could be started.
//
// Only the forking thread exists in a child, so the work must not wait on a lock that another
// thread may have held at the fork. glibc takes malloc's locks around fork; the sanitizers'
// allocators do not, which is why the children are started from one thread while the caller
// runs no others, rather than from a thread per child.
std::vector<Result<ChildOutcome>> run_in_children(size_t count, uint32_t parallel, const ChildLimits& limits,
                                                  const std::function<std::vector<std::byte>(size_t)>& work,
                                                  const std::function<void(size_t)>& ended = {});

}  // namespace pavilion::bounded_child
