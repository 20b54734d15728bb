#include "resources.h"

#include "pavilion/render/vulkan_check.h"

#include <string>

namespace pavilion::render {

Result<UniqueSemaphore> create_semaphore(VkDevice device) {
  VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  VkSemaphore semaphore = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateSemaphore(device, &info, nullptr, &semaphore), "vkCreateSemaphore"));
  return UniqueSemaphore(device, semaphore);
}

Result<UniqueFence> create_fence(VkDevice device, bool signaled) {
  VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  info.flags = signaled ? VK_FENCE_CREATE_SIGNALED_BIT : 0;
  VkFence fence = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateFence(device, &info, nullptr, &fence), "vkCreateFence"));
  return UniqueFence(device, fence);
}

Result<GpuBuffer> GpuBuffer::create(GpuContext& context, VkDeviceSize size, VkBufferUsageFlags usage,
                                    MemoryUsage memory, std::string_view name) {
  expects(size > 0, "buffer size is positive");
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = size;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  GpuBuffer buffer;
  buffer.context_ = &context;
  buffer.size_ = size;
  PV_TRY(vk_check(vkCreateBuffer(context.device(), &info, nullptr, &buffer.buffer_), "vkCreateBuffer")
             .add_context("creating buffer '" + std::string(name) + "'"));
  VkMemoryRequirements requirements;
  vkGetBufferMemoryRequirements(context.device(), buffer.buffer_, &requirements);
  PV_TRY_ASSIGN(buffer.allocation_, context.allocator()
                                        .allocate(requirements, memory, ResourceTiling::linear)
                                        .add_context("allocating memory for buffer '" + std::string(name) + "'"));
  PV_TRY(vk_check(vkBindBufferMemory(context.device(), buffer.buffer_, buffer.allocation_.memory,
                                     buffer.allocation_.offset),
                  "vkBindBufferMemory"));
  context.set_object_name(VK_OBJECT_TYPE_BUFFER, reinterpret_cast<uint64_t>(buffer.buffer_),
                          std::string(name).c_str());
  return buffer;
}

GpuBuffer::GpuBuffer(GpuBuffer&& other) noexcept
    : context_(other.context_),
      buffer_(std::exchange(other.buffer_, VK_NULL_HANDLE)),
      size_(std::exchange(other.size_, 0)),
      allocation_(std::exchange(other.allocation_, Allocation{})) {}

GpuBuffer& GpuBuffer::operator=(GpuBuffer&& other) noexcept {
  if (this != &other) {
    destroy();
    context_ = other.context_;
    buffer_ = std::exchange(other.buffer_, VK_NULL_HANDLE);
    size_ = std::exchange(other.size_, 0);
    allocation_ = std::exchange(other.allocation_, Allocation{});
  }
  return *this;
}

GpuBuffer::~GpuBuffer() { destroy(); }

void GpuBuffer::destroy() {
  if (buffer_ != VK_NULL_HANDLE) vkDestroyBuffer(context_->device(), buffer_, nullptr);
  if (allocation_) context_->allocator().free(allocation_);
  buffer_ = VK_NULL_HANDLE;
}

Result<UniqueImageView> create_image_view(VkDevice device, VkImage image, VkFormat format, VkImageAspectFlags aspect,
                                          uint32_t mip_levels, uint32_t layers, bool array_view, uint32_t first_layer) {
  VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  info.image = image;
  info.viewType = array_view ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D;
  info.format = format;
  info.subresourceRange = {aspect, 0, mip_levels, first_layer, layers};
  VkImageView view = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateImageView(device, &info, nullptr, &view), "vkCreateImageView"));
  return UniqueImageView(device, view);
}

Result<GpuImage> GpuImage::create(GpuContext& context, const ImageDescription& description, std::string_view name) {
  expects(description.extent.width > 0 && description.extent.height > 0, "image extent is positive");
  expects(description.array_view || description.layers == 1, "a 2D view covers one layer");
  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = description.format;
  info.extent = {description.extent.width, description.extent.height, 1};
  info.mipLevels = description.mip_levels;
  info.arrayLayers = description.layers;
  info.samples = description.samples;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = description.usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;

  const std::string context_text = "creating image '" + std::string(name) + "'";
  GpuImage image;
  image.context_ = &context;
  image.description_ = description;
  PV_TRY(vk_check(vkCreateImage(context.device(), &info, nullptr, &image.image_), "vkCreateImage")
             .add_context(context_text));
  VkMemoryRequirements requirements;
  vkGetImageMemoryRequirements(context.device(), image.image_, &requirements);
  PV_TRY_ASSIGN(image.allocation_, context.allocator()
                                       .allocate(requirements, MemoryUsage::gpu_only, ResourceTiling::optimal)
                                       .add_context(context_text));
  PV_TRY(vk_check(vkBindImageMemory(context.device(), image.image_, image.allocation_.memory, image.allocation_.offset),
                  "vkBindImageMemory")
             .add_context(context_text));
  PV_TRY_ASSIGN(auto view, create_image_view(context.device(), image.image_, description.format, description.aspect,
                                             description.mip_levels, description.layers, description.array_view)
                               .add_context(context_text));
  image.view_ = view.release();
  context.set_object_name(VK_OBJECT_TYPE_IMAGE, reinterpret_cast<uint64_t>(image.image_), std::string(name).c_str());
  return image;
}

GpuImage::GpuImage(GpuImage&& other) noexcept
    : context_(other.context_),
      image_(std::exchange(other.image_, VK_NULL_HANDLE)),
      view_(std::exchange(other.view_, VK_NULL_HANDLE)),
      description_(other.description_),
      allocation_(std::exchange(other.allocation_, Allocation{})) {}

GpuImage& GpuImage::operator=(GpuImage&& other) noexcept {
  if (this != &other) {
    destroy();
    context_ = other.context_;
    image_ = std::exchange(other.image_, VK_NULL_HANDLE);
    view_ = std::exchange(other.view_, VK_NULL_HANDLE);
    description_ = other.description_;
    allocation_ = std::exchange(other.allocation_, Allocation{});
  }
  return *this;
}

GpuImage::~GpuImage() { destroy(); }

void GpuImage::destroy() {
  if (view_ != VK_NULL_HANDLE) vkDestroyImageView(context_->device(), view_, nullptr);
  if (image_ != VK_NULL_HANDLE) vkDestroyImage(context_->device(), image_, nullptr);
  if (allocation_) context_->allocator().free(allocation_);
  view_ = VK_NULL_HANDLE;
  image_ = VK_NULL_HANDLE;
}

VkImageMemoryBarrier2 image_barrier(VkImage image, VkImageAspectFlags aspect, VkImageLayout old_layout,
                                    VkImageLayout new_layout, VkPipelineStageFlags2 source_stage,
                                    VkAccessFlags2 source_access, VkPipelineStageFlags2 destination_stage,
                                    VkAccessFlags2 destination_access) {
  VkImageMemoryBarrier2 barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER_2};
  barrier.srcStageMask = source_stage;
  barrier.srcAccessMask = source_access;
  barrier.dstStageMask = destination_stage;
  barrier.dstAccessMask = destination_access;
  barrier.oldLayout = old_layout;
  barrier.newLayout = new_layout;
  barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  barrier.image = image;
  barrier.subresourceRange = {aspect, 0, VK_REMAINING_MIP_LEVELS, 0, VK_REMAINING_ARRAY_LAYERS};
  return barrier;
}

void pipeline_barrier(VkCommandBuffer command_buffer, std::span<const VkImageMemoryBarrier2> barriers) {
  VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dependency.imageMemoryBarrierCount = static_cast<uint32_t>(barriers.size());
  dependency.pImageMemoryBarriers = barriers.data();
  vkCmdPipelineBarrier2(command_buffer, &dependency);
}

void record_readback(VkCommandBuffer command_buffer, VkImage image, VkExtent2D extent, uint32_t layers, VkBuffer buffer) {
  VkBufferImageCopy region{};
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, layers};
  region.imageExtent = {extent.width, extent.height, 1};
  vkCmdCopyImageToBuffer(command_buffer, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, buffer, 1, &region);
  VkBufferMemoryBarrier2 to_host{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER_2};
  to_host.srcStageMask = VK_PIPELINE_STAGE_2_COPY_BIT;
  to_host.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
  to_host.dstStageMask = VK_PIPELINE_STAGE_2_HOST_BIT;
  to_host.dstAccessMask = VK_ACCESS_2_HOST_READ_BIT;
  to_host.srcQueueFamilyIndex = to_host.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_host.buffer = buffer;
  to_host.size = VK_WHOLE_SIZE;
  VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dependency.bufferMemoryBarrierCount = 1;
  dependency.pBufferMemoryBarriers = &to_host;
  vkCmdPipelineBarrier2(command_buffer, &dependency);
}

}  // namespace pavilion::render
