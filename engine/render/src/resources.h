// Owning wrappers for Vulkan objects, so that every error path releases what it made.
#pragma once

#include "memory.h"
#include "pavilion/core/error.h"
#include "pavilion/render/context.h"
#include "pavilion/render/render_target.h"

#include <vulkan/vulkan.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace pavilion::render {

// At the start of frame `frame` (its slot's previous frame waited for), whether every frame up to
// `last_frame` has finished on the GPU: what only those frames used may be destroyed or rewritten.
constexpr bool frames_finished_through(uint64_t last_frame, uint64_t frame) {
  return last_frame + frames_in_flight <= frame;
}

// A device-owned handle destroyed with `Destroy` (vkDestroyPipeline, vkDestroySemaphore…).
template <class Handle, void (*Destroy)(VkDevice, Handle, const VkAllocationCallbacks*)>
class DeviceHandle {
 public:
  DeviceHandle() = default;
  DeviceHandle(VkDevice device, Handle handle) : device_(device), handle_(handle) {}
  DeviceHandle(DeviceHandle&& other) noexcept
      : device_(other.device_), handle_(std::exchange(other.handle_, VK_NULL_HANDLE)) {}
  DeviceHandle& operator=(DeviceHandle&& other) noexcept {
    if (this != &other) {
      reset();
      device_ = other.device_;
      handle_ = std::exchange(other.handle_, VK_NULL_HANDLE);
    }
    return *this;
  }
  DeviceHandle(const DeviceHandle&) = delete;
  DeviceHandle& operator=(const DeviceHandle&) = delete;
  ~DeviceHandle() { reset(); }

  Handle get() const { return handle_; }
  explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }
  // Gives up ownership; the caller destroys the handle.
  [[nodiscard]] Handle release() { return std::exchange(handle_, VK_NULL_HANDLE); }
  void reset() {
    if (handle_ != VK_NULL_HANDLE) Destroy(device_, handle_, nullptr);
    handle_ = VK_NULL_HANDLE;
  }

 private:
  VkDevice device_ = VK_NULL_HANDLE;
  Handle handle_ = VK_NULL_HANDLE;
};

using UniqueSemaphore = DeviceHandle<VkSemaphore, vkDestroySemaphore>;
using UniqueFence = DeviceHandle<VkFence, vkDestroyFence>;
using UniqueCommandPool = DeviceHandle<VkCommandPool, vkDestroyCommandPool>;
using UniqueDescriptorPool = DeviceHandle<VkDescriptorPool, vkDestroyDescriptorPool>;
using UniqueDescriptorSetLayout = DeviceHandle<VkDescriptorSetLayout, vkDestroyDescriptorSetLayout>;
using UniquePipelineLayout = DeviceHandle<VkPipelineLayout, vkDestroyPipelineLayout>;
using UniquePipeline = DeviceHandle<VkPipeline, vkDestroyPipeline>;
using UniqueShaderModule = DeviceHandle<VkShaderModule, vkDestroyShaderModule>;
using UniqueSampler = DeviceHandle<VkSampler, vkDestroySampler>;
using UniqueImageView = DeviceHandle<VkImageView, vkDestroyImageView>;
using UniqueQueryPool = DeviceHandle<VkQueryPool, vkDestroyQueryPool>;

Result<UniqueSemaphore> create_semaphore(VkDevice device);
Result<UniqueFence> create_fence(VkDevice device, bool signaled);

// A buffer and its sub-allocated memory.
class GpuBuffer {
 public:
  GpuBuffer() = default;
  static Result<GpuBuffer> create(GpuContext& context, VkDeviceSize size, VkBufferUsageFlags usage,
                                  MemoryUsage memory, std::string_view name);
  GpuBuffer(GpuBuffer&& other) noexcept;
  GpuBuffer& operator=(GpuBuffer&& other) noexcept;
  ~GpuBuffer();

  VkBuffer get() const { return buffer_; }
  VkDeviceSize size() const { return size_; }
  // Host address of the buffer's memory (upload and readback buffers only).
  std::byte* mapped() const { return allocation_.mapped; }
  explicit operator bool() const { return buffer_ != VK_NULL_HANDLE; }

 private:
  void destroy();
  GpuContext* context_ = nullptr;
  VkBuffer buffer_ = VK_NULL_HANDLE;
  VkDeviceSize size_ = 0;
  Allocation allocation_;
};

struct ImageDescription {
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkExtent2D extent{};
  uint32_t mip_levels = 1;
  uint32_t layers = 1;
  VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
  VkImageUsageFlags usage = 0;
  VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT;
  // The view covers every mip and layer; a 2D-array view when `array_view` (multiview targets
  // and array sampling), a plain 2D view otherwise.
  bool array_view = false;
};

// An optimal-tiling image, its memory and a view of all of it.
class GpuImage {
 public:
  GpuImage() = default;
  static Result<GpuImage> create(GpuContext& context, const ImageDescription& description, std::string_view name);
  GpuImage(GpuImage&& other) noexcept;
  GpuImage& operator=(GpuImage&& other) noexcept;
  ~GpuImage();

  VkImage get() const { return image_; }
  VkImageView view() const { return view_; }
  const ImageDescription& description() const { return description_; }
  explicit operator bool() const { return image_ != VK_NULL_HANDLE; }

 private:
  void destroy();
  GpuContext* context_ = nullptr;
  VkImage image_ = VK_NULL_HANDLE;
  VkImageView view_ = VK_NULL_HANDLE;
  ImageDescription description_;
  Allocation allocation_;
};

// A view of `layers` layers from `first_layer` on, and of every mip level from 0.
Result<UniqueImageView> create_image_view(VkDevice device, VkImage image, VkFormat format, VkImageAspectFlags aspect,
                                          uint32_t mip_levels, uint32_t layers, bool array_view,
                                          uint32_t first_layer = 0);

// An image memory barrier over all mips and layers of `image`.
VkImageMemoryBarrier2 image_barrier(VkImage image, VkImageAspectFlags aspect, VkImageLayout old_layout,
                                    VkImageLayout new_layout, VkPipelineStageFlags2 source_stage,
                                    VkAccessFlags2 source_access, VkPipelineStageFlags2 destination_stage,
                                    VkAccessFlags2 destination_access);
void pipeline_barrier(VkCommandBuffer command_buffer, std::span<const VkImageMemoryBarrier2> barriers);

// Copies `layers` layers of a colour image in TRANSFER_SRC_OPTIMAL layout into `buffer` (tightly
// packed) and makes the bytes visible to the host once the submission's fence has signalled.
void record_readback(VkCommandBuffer command_buffer, VkImage image, VkExtent2D extent, uint32_t layers, VkBuffer buffer);

}  // namespace pavilion::render
