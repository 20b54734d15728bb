#include "pavilion/core/resident_bytes.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace pavilion {
namespace {

// Smaller buffers are not worth the system calls: they take a few faults at most.
constexpr size_t bulk_size = size_t{64} << 10;

}  // namespace

std::vector<std::byte> resident_bytes(size_t size) {
  std::vector<std::byte> bytes;
  bytes.reserve(size);
  if (size >= bulk_size) {
    // reserve() allocated without touching the memory, and data() is its start; advice applies
    // to whole pages, so only those inside the buffer are advised.
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto start = reinterpret_cast<uintptr_t>(bytes.data());
    const uintptr_t first = (start + page - 1) / page * page;
    const uintptr_t end = (start + size) / page * page;
    if (end > first) {
      // No MADV_HUGEPAGE: a huge page takes a free 2 MiB block, and a virtual machine's balloon
      // hands exactly such blocks back to its host once they have been free for a few seconds
      // (virtio free page reporting), so every huge page of a load came back from the host
      // afresh. On the 2-core VM, 425 MB made resident 3 s after the last load took 0.56-1.9 s
      // in huge pages against 0.23-0.46 s in 4 KiB pages, which come from smaller free blocks
      // the host still backs. Huge pages were faster only for memory freed moments before
      // (0.06-0.16 s against 0.21-0.58 s), which a first load does not have.
      // The advice is ignored before Linux 5.14; the pages then fault in as they are written.
      static_cast<void>(::madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_WRITE));
    }
  }
  bytes.resize(size);  // zeroes memory that is resident already: a memset, no page faults
  return bytes;
}

}  // namespace pavilion
