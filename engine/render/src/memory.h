// GPU memory: a few large vkAllocateMemory blocks per memory type, sub-allocated per resource.
// Drivers limit allocations (maxMemoryAllocationCount is often 4096) and each one is slow, so
// resources never get their own allocation unless they are larger than half a block.
#pragma once

#include "pavilion/core/error.h"

#include <vulkan/vulkan.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace pavilion::render {

// First-fit allocation of aligned ranges inside [0, capacity), with neighbours merged on free.
// Pure bookkeeping: it never touches memory.
class RangeAllocator {
 public:
  explicit RangeAllocator(VkDeviceSize capacity);

  // The offset of a free range of `size` bytes aligned to `alignment` (a power of two).
  std::optional<VkDeviceSize> allocate(VkDeviceSize size, VkDeviceSize alignment);
  // Returns a range that allocate() handed out, exactly.
  void free(VkDeviceSize offset, VkDeviceSize size);

  VkDeviceSize capacity() const { return capacity_; }
  VkDeviceSize used() const { return used_; }
  size_t free_range_count() const { return free_ranges_.size(); }

 private:
  VkDeviceSize capacity_;
  VkDeviceSize used_ = 0;
  std::map<VkDeviceSize, VkDeviceSize> free_ranges_;  // offset → size
};

enum class MemoryUsage {
  gpu_only,  // device-local; filled by staging copies
  upload,    // host-visible and coherent, persistently mapped; the CPU writes, the GPU reads
  readback,  // host-visible, coherent, cached where possible; the GPU writes, the CPU reads
};

// Buffers and linear images must not share a page with optimal-tiling images
// (bufferImageGranularity), so they come from separate blocks.
enum class ResourceTiling { linear, optimal };

struct Allocation {
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkDeviceSize offset = 0;
  VkDeviceSize size = 0;
  std::byte* mapped = nullptr;  // for upload and readback memory
  uint32_t pool = 0;
  uint32_t block = 0;

  explicit operator bool() const { return memory != VK_NULL_HANDLE; }
};

class GpuAllocator {
 public:
  static constexpr VkDeviceSize default_block_size = VkDeviceSize{64} << 20;

  GpuAllocator(VkPhysicalDevice physical_device, VkDevice device, VkDeviceSize block_size = default_block_size);
  ~GpuAllocator();
  GpuAllocator(const GpuAllocator&) = delete;
  GpuAllocator& operator=(const GpuAllocator&) = delete;

  Result<Allocation> allocate(const VkMemoryRequirements& requirements, MemoryUsage usage, ResourceTiling tiling);
  // Frees an allocation (a null one is ignored) and resets it.
  void free(Allocation& allocation);

  struct Stats {
    uint32_t device_memory_objects = 0;  // live vkAllocateMemory results
    uint32_t allocations = 0;            // live sub-allocations
    VkDeviceSize reserved_bytes = 0;
    VkDeviceSize used_bytes = 0;
  };
  Stats stats() const;

 private:
  struct Block {
    VkDeviceMemory memory = VK_NULL_HANDLE;
    std::byte* mapped = nullptr;
    RangeAllocator ranges;
    uint32_t allocations = 0;
    bool dedicated = false;  // holds one large resource and goes back with it
  };
  struct Pool {
    uint32_t memory_type = 0;
    ResourceTiling tiling = ResourceTiling::linear;
    bool host_visible = false;
    std::vector<std::optional<Block>> blocks;  // a freed block leaves an empty slot for reuse
  };

  std::optional<uint32_t> find_memory_type(uint32_t allowed_types, MemoryUsage usage) const;
  Result<uint32_t> add_block(Pool& pool, VkDeviceSize size, bool dedicated);
  void release_block(Pool& pool, uint32_t block_index);

  VkDevice device_;
  VkPhysicalDeviceMemoryProperties memory_properties_{};
  VkDeviceSize block_size_;
  mutable std::mutex mutex_;
  std::vector<Pool> pools_;
};

}  // namespace pavilion::render
