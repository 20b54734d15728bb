#include "counting_new.h"

#include <execinfo.h>
#include <stdio.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> allocations{0};
thread_local bool counting_this_thread = false;

// With PAVILION_ALLOCATION_BACKTRACES set, where each counted allocation was made goes to stderr,
// to find the one a frame should not make. The executable's own functions show as offsets
// (+0x…): `addr2line -f -C -e <test program> <offset>` names them. Neither call allocates
// through operator new.
bool backtraces_wanted() {
  static const bool wanted = std::getenv("PAVILION_ALLOCATION_BACKTRACES") != nullptr;
  return wanted;
}

void print_where_allocated(size_t number, size_t size) {
  if (!backtraces_wanted()) return;
  void* frames[24];
  const int depth = backtrace(frames, 24);
  dprintf(2, "counted allocation %zu (%zu bytes):\n", number, size);
  backtrace_symbols_fd(frames, depth, 2);
}

void* counted_allocation(size_t size, size_t alignment = alignof(std::max_align_t)) {
  if (counting.load(std::memory_order_relaxed) || counting_this_thread) {
    print_where_allocated(allocations.fetch_add(1, std::memory_order_relaxed) + 1, size);
  }
  size = size ? size : 1;
  void* memory = alignment <= alignof(std::max_align_t)
                     ? std::malloc(size)
                     : std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  return memory;
}

void* counted_allocation_or_throw(size_t size, size_t alignment = alignof(std::max_align_t)) {
  if (void* memory = counted_allocation(size, alignment)) return memory;
  throw std::bad_alloc();
}
}  // namespace

// Every form of the global operator new and delete, so that no allocation bypasses the count
// and every block is freed by the allocator that made it (AddressSanitizer checks).
void* operator new(size_t size) { return counted_allocation_or_throw(size); }
void* operator new[](size_t size) { return counted_allocation_or_throw(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return counted_allocation(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return counted_allocation(size); }
void* operator new(size_t size, std::align_val_t alignment) {
  return counted_allocation_or_throw(size, static_cast<size_t>(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment) {
  return counted_allocation_or_throw(size, static_cast<size_t>(alignment));
}
void* operator new(size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counted_allocation(size, static_cast<size_t>(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return counted_allocation(size, static_cast<size_t>(alignment));
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept { std::free(memory); }

namespace pavilion::testing {

void count_allocations(bool on) { counting.store(on, std::memory_order_relaxed); }
void count_this_threads_allocations(bool on) { counting_this_thread = on; }
size_t counted_allocations() { return allocations.load(std::memory_order_relaxed); }
void reset_counted_allocations() { allocations.store(0, std::memory_order_relaxed); }
void mark_frame_in_backtraces(size_t frame) {
  if (backtraces_wanted()) dprintf(2, "after frame %zu\n", frame);
}

}  // namespace pavilion::testing
