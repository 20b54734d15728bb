// Buffers that a load fills whole, their memory made resident in one step.
#pragma once

#include <cstddef>
#include <vector>

namespace pavilion {

// `size` zero bytes, owned by the returned vector like any other, whose pages the kernel made
// resident in one step before anything wrote to them. Memory first written a byte at a time takes
// a page fault per 4 KiB: a quarter of a million per gigabyte of scene, which on a virtual machine
// cost more than decompressing it (11 µs a fault on the one measured). Only a hint: on a kernel
// without MADV_POPULATE_WRITE the pages fault in one by one as before.
std::vector<std::byte> resident_bytes(size_t size);

}  // namespace pavilion
