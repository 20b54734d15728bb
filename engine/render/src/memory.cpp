#include "memory.h"

#include "pavilion/core/log.h"
#include "pavilion/render/vulkan_check.h"

#include <fmt/format.h>

namespace pavilion::render {

RangeAllocator::RangeAllocator(VkDeviceSize capacity) : capacity_(capacity) {
  if (capacity > 0) free_ranges_.emplace(0, capacity);
}

std::optional<VkDeviceSize> RangeAllocator::allocate(VkDeviceSize size, VkDeviceSize alignment) {
  expects(size > 0, "allocation size is positive");
  expects(alignment > 0 && (alignment & (alignment - 1)) == 0, "alignment is a power of two");
  for (auto range = free_ranges_.begin(); range != free_ranges_.end(); ++range) {
    const VkDeviceSize range_start = range->first;
    const VkDeviceSize range_end = range->first + range->second;
    const VkDeviceSize start = (range_start + alignment - 1) & ~(alignment - 1);
    if (start + size > range_end) continue;
    free_ranges_.erase(range);
    if (start > range_start) free_ranges_.emplace(range_start, start - range_start);
    if (start + size < range_end) free_ranges_.emplace(start + size, range_end - (start + size));
    used_ += size;
    return start;
  }
  return std::nullopt;
}

void RangeAllocator::free(VkDeviceSize offset, VkDeviceSize size) {
  expects(offset + size <= capacity_ && size <= used_, "freed range was allocated here");
  used_ -= size;
  auto [inserted, is_new] = free_ranges_.emplace(offset, size);
  expects(is_new, "range is not freed twice");
  // Merge with the following range, then with the preceding one.
  if (auto next = std::next(inserted); next != free_ranges_.end() && offset + size == next->first) {
    inserted->second += next->second;
    free_ranges_.erase(next);
  }
  if (inserted != free_ranges_.begin()) {
    auto previous = std::prev(inserted);
    expects(previous->first + previous->second <= offset, "freed range does not overlap a free one");
    if (previous->first + previous->second == offset) {
      previous->second += inserted->second;
      free_ranges_.erase(inserted);
    }
  }
}

GpuAllocator::GpuAllocator(VkPhysicalDevice physical_device, VkDevice device, VkDeviceSize block_size)
    : device_(device), block_size_(block_size) {
  vkGetPhysicalDeviceMemoryProperties(physical_device, &memory_properties_);
}

GpuAllocator::~GpuAllocator() {
  for (Pool& pool : pools_) {
    for (uint32_t index = 0; index < pool.blocks.size(); ++index) {
      if (!pool.blocks[index]) continue;
      if (pool.blocks[index]->allocations > 0) {
        log::warn("render", "GPU memory block of type {} freed with {} live allocations", pool.memory_type,
                  pool.blocks[index]->allocations);
      }
      release_block(pool, index);
    }
  }
}

std::optional<uint32_t> GpuAllocator::find_memory_type(uint32_t allowed_types, MemoryUsage usage) const {
  // Preferred property sets first; the last entry of each list is what the spec guarantees.
  static constexpr VkMemoryPropertyFlags device_local = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
  static constexpr VkMemoryPropertyFlags host_coherent =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  static constexpr VkMemoryPropertyFlags host_cached = host_coherent | VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
  std::vector<VkMemoryPropertyFlags> wanted;
  switch (usage) {
    case MemoryUsage::gpu_only: wanted = {device_local, 0}; break;
    case MemoryUsage::upload: wanted = {host_coherent}; break;
    case MemoryUsage::readback: wanted = {host_cached, host_coherent}; break;
  }
  for (VkMemoryPropertyFlags flags : wanted) {
    for (uint32_t type = 0; type < memory_properties_.memoryTypeCount; ++type) {
      if ((allowed_types & (1u << type)) == 0) continue;
      if ((memory_properties_.memoryTypes[type].propertyFlags & flags) == flags) return type;
    }
  }
  return std::nullopt;
}

Result<uint32_t> GpuAllocator::add_block(Pool& pool, VkDeviceSize size, bool dedicated) {
  VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  info.allocationSize = size;
  info.memoryTypeIndex = pool.memory_type;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkAllocateMemory(device_, &info, nullptr, &memory), "vkAllocateMemory")
             .add_context(fmt::format("reserving a {} MiB GPU memory block", size >> 20)));
  void* mapped = nullptr;
  if (pool.host_visible) {
    if (auto mapped_ok = vk_check(vkMapMemory(device_, memory, 0, VK_WHOLE_SIZE, 0, &mapped), "vkMapMemory");
        !mapped_ok) {
      vkFreeMemory(device_, memory, nullptr);
      return std::move(mapped_ok).error();
    }
  }
  Block block{memory, static_cast<std::byte*>(mapped), RangeAllocator(size), 0, dedicated};
  for (uint32_t index = 0; index < pool.blocks.size(); ++index) {
    if (!pool.blocks[index]) {
      pool.blocks[index].emplace(std::move(block));
      return index;
    }
  }
  pool.blocks.emplace_back(std::move(block));
  return static_cast<uint32_t>(pool.blocks.size() - 1);
}

void GpuAllocator::release_block(Pool& pool, uint32_t block_index) {
  auto& block = pool.blocks[block_index];
  if (block->mapped) vkUnmapMemory(device_, block->memory);
  vkFreeMemory(device_, block->memory, nullptr);
  block.reset();
}

Result<Allocation> GpuAllocator::allocate(const VkMemoryRequirements& requirements, MemoryUsage usage,
                                          ResourceTiling tiling) {
  const auto memory_type = find_memory_type(requirements.memoryTypeBits, usage);
  if (!memory_type) {
    return Error(ErrorCode::unsupported, "choosing GPU memory",
                 fmt::format("no memory type suits usage {} among allowed types {:#x}", static_cast<int>(usage),
                             requirements.memoryTypeBits));
  }
  std::lock_guard lock(mutex_);
  uint32_t pool_index = 0;
  while (pool_index < pools_.size() &&
         (pools_[pool_index].memory_type != *memory_type || pools_[pool_index].tiling != tiling)) {
    ++pool_index;
  }
  if (pool_index == pools_.size()) {
    const bool host_visible =
        memory_properties_.memoryTypes[*memory_type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
    pools_.push_back(Pool{*memory_type, tiling, host_visible, {}});
  }
  Pool& pool = pools_[pool_index];

  auto make_allocation = [&](uint32_t block_index, VkDeviceSize offset) {
    Block& block = *pool.blocks[block_index];
    ++block.allocations;
    return Allocation{block.memory, offset, requirements.size, block.mapped ? block.mapped + offset : nullptr,
                      pool_index, block_index};
  };

  // Resources larger than half a block get a block of their own (freed with them), so one
  // large texture does not strand most of a shared block.
  if (requirements.size > block_size_ / 2) {
    PV_TRY_ASSIGN(const uint32_t block_index, add_block(pool, requirements.size, true));
    pool.blocks[block_index]->ranges.allocate(requirements.size, 1);
    return make_allocation(block_index, 0);
  }
  for (uint32_t index = 0; index < pool.blocks.size(); ++index) {
    auto& block = pool.blocks[index];
    if (!block || block->dedicated) continue;
    if (auto offset = block->ranges.allocate(requirements.size, requirements.alignment)) {
      return make_allocation(index, *offset);
    }
  }
  PV_TRY_ASSIGN(const uint32_t block_index, add_block(pool, block_size_, false));
  const auto offset = pool.blocks[block_index]->ranges.allocate(requirements.size, requirements.alignment);
  return make_allocation(block_index, *offset);
}

void GpuAllocator::free(Allocation& allocation) {
  if (!allocation) return;
  std::lock_guard lock(mutex_);
  Pool& pool = pools_[allocation.pool];
  auto& block = pool.blocks[allocation.block];
  expects(block && block->memory == allocation.memory, "allocation belongs to this allocator");
  block->ranges.free(allocation.offset, allocation.size);
  --block->allocations;
  // Keep one shared block per pool for the next resource; give back dedicated and surplus ones.
  if (block->allocations == 0) {
    uint32_t shared_blocks = 0;
    for (const auto& other : pool.blocks) shared_blocks += other && !other->dedicated;
    if (block->dedicated || shared_blocks > 1) release_block(pool, allocation.block);
  }
  allocation = Allocation{};
}

GpuAllocator::Stats GpuAllocator::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats;
  for (const Pool& pool : pools_) {
    for (const auto& block : pool.blocks) {
      if (!block) continue;
      ++stats.device_memory_objects;
      stats.allocations += block->allocations;
      stats.reserved_bytes += block->ranges.capacity();
      stats.used_bytes += block->ranges.used();
    }
  }
  return stats;
}

}  // namespace pavilion::render
