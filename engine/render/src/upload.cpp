#include "upload.h"

#include "pavilion/render/vulkan_check.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace pavilion::render {
namespace {
// Buffer-to-image copies need offsets aligned to the texel block (up to 16 bytes for BC formats).
constexpr VkDeviceSize staging_alignment = 16;
constexpr uint64_t upload_timeout_ns = 30'000'000'000;  // a stuck GPU is an error, not a hang
}  // namespace

Result<Uploader> Uploader::create(GpuContext& context, VkDeviceSize staging_size) {
  Uploader uploader;
  uploader.context_ = &context;
  PV_TRY_ASSIGN(uploader.staging_, GpuBuffer::create(context, staging_size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                                                     MemoryUsage::upload, "upload staging"));
  VkCommandPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool_info.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
  pool_info.queueFamilyIndex = context.queue_family();
  VkCommandPool pool = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateCommandPool(context.device(), &pool_info, nullptr, &pool), "vkCreateCommandPool"));
  uploader.pool_ = UniqueCommandPool(context.device(), pool);
  VkCommandBufferAllocateInfo allocate_info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  allocate_info.commandPool = pool;
  allocate_info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocate_info.commandBufferCount = 1;
  PV_TRY(vk_check(vkAllocateCommandBuffers(context.device(), &allocate_info, &uploader.command_buffer_),
                  "vkAllocateCommandBuffers"));
  PV_TRY_ASSIGN(uploader.fence_, create_fence(context.device(), false));
  return uploader;
}

Result<void> Uploader::begin_if_needed() {
  if (recording_) return {};
  PV_TRY(vk_check(vkResetCommandPool(context_->device(), pool_.get(), 0), "vkResetCommandPool"));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  PV_TRY(vk_check(vkBeginCommandBuffer(command_buffer_, &begin), "vkBeginCommandBuffer"));
  recording_ = true;
  return {};
}

Result<VkDeviceSize> Uploader::reserve(VkDeviceSize size) {
  VkDeviceSize offset = (used_ + staging_alignment - 1) & ~(staging_alignment - 1);
  if (offset + size > staging_.size()) {
    PV_TRY(flush());
    offset = 0;
    if (size > staging_.size()) {
      staging_ = GpuBuffer();
      PV_TRY_ASSIGN(staging_, GpuBuffer::create(*context_, size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                                                MemoryUsage::upload, "upload staging (grown)"));
    }
  }
  PV_TRY(begin_if_needed());
  used_ = offset + size;
  return offset;
}

Result<void> Uploader::copy_to_buffer(const GpuBuffer& target, VkDeviceSize offset, std::span<const std::byte> bytes) {
  expects(offset + bytes.size() <= target.size(), "copy fits in the target buffer");
  if (bytes.empty()) return {};
  PV_TRY_ASSIGN(const VkDeviceSize staging_offset, reserve(bytes.size()));
  std::memcpy(staging_.mapped() + staging_offset, bytes.data(), bytes.size());
  const VkBufferCopy region{staging_offset, offset, bytes.size()};
  vkCmdCopyBuffer(command_buffer_, staging_.get(), target.get(), 1, &region);
  return {};
}

Result<void> Uploader::copy_to_image(const GpuImage& target, std::span<const std::byte> bytes,
                                     std::span<const uint32_t> level_sizes) {
  const VkDeviceSize total = std::accumulate(level_sizes.begin(), level_sizes.end(), VkDeviceSize{0});
  expects(total <= bytes.size(), "mip levels lie within the bytes");
  PV_TRY_ASSIGN(const VkDeviceSize staging_offset, reserve(total));
  std::memcpy(staging_.mapped() + staging_offset, bytes.data(), total);
  record_image_copies(target, staging_offset, level_sizes);
  return {};
}

Result<std::optional<std::span<std::byte>>> Uploader::stage_image(const GpuImage& target,
                                                                  std::span<const uint32_t> level_sizes) {
  const VkDeviceSize total = std::accumulate(level_sizes.begin(), level_sizes.end(), VkDeviceSize{0});
  VkDeviceSize offset = (used_ + staging_alignment - 1) & ~(staging_alignment - 1);
  if (offset + total > staging_.size()) {
    // Flushing here would upload memory the caller has not filled yet.
    if (used_ > 0) return std::optional<std::span<std::byte>>();
    PV_TRY_ASSIGN(offset, reserve(total));
  } else {
    PV_TRY(begin_if_needed());
    used_ = offset + total;
  }
  record_image_copies(target, offset, level_sizes);
  return std::optional(std::span(staging_.mapped() + offset, total));
}

void Uploader::record_image_copies(const GpuImage& target, VkDeviceSize offset, std::span<const uint32_t> level_sizes) {
  const ImageDescription& description = target.description();
  expects(level_sizes.size() == description.mip_levels, "one size per mip level");
  // Levels lie back to back: BC blocks (8 or 16 bytes) and RGBA8 texels keep every level's offset
  // aligned as copies require, given an aligned start.
  const auto to_transfer = image_barrier(target.get(), description.aspect, VK_IMAGE_LAYOUT_UNDEFINED,
                                         VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_NONE, 0,
                                         VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_WRITE_BIT);
  pipeline_barrier(command_buffer_, {&to_transfer, 1});
  VkDeviceSize level_offset = offset;
  for (uint32_t level = 0; level < description.mip_levels; ++level) {
    VkBufferImageCopy region{};
    region.bufferOffset = level_offset;
    region.imageSubresource = {description.aspect, level, 0, 1};
    region.imageExtent = {std::max(1u, description.extent.width >> level), std::max(1u, description.extent.height >> level), 1};
    vkCmdCopyBufferToImage(command_buffer_, staging_.get(), target.get(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    level_offset += level_sizes[level];
  }
  const auto to_sampled = image_barrier(target.get(), description.aspect, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                        VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_COPY_BIT,
                                        VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                        VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
  pipeline_barrier(command_buffer_, {&to_sampled, 1});
}

Result<VkCommandBuffer> Uploader::commands() {
  PV_TRY(begin_if_needed());
  return command_buffer_;
}

Result<void> Uploader::initialize_layout(const GpuImage& target, VkImageLayout layout, VkPipelineStageFlags2 stage,
                                         VkAccessFlags2 access) {
  PV_TRY(begin_if_needed());
  const auto barrier = image_barrier(target.get(), target.description().aspect, VK_IMAGE_LAYOUT_UNDEFINED, layout,
                                     VK_PIPELINE_STAGE_2_NONE, 0, stage, access);
  pipeline_barrier(command_buffer_, {&barrier, 1});
  return {};
}

void Uploader::discard() {
  if (!recording_) return;
  recording_ = false;
  used_ = 0;
  // Returns the command buffer to its initial state; the next copy begins it afresh.
  static_cast<void>(vkResetCommandPool(context_->device(), pool_.get(), 0));
}

Result<void> Uploader::flush() {
  if (!recording_) return {};
  recording_ = false;
  used_ = 0;
  PV_TRY(vk_check(vkEndCommandBuffer(command_buffer_), "vkEndCommandBuffer"));
  VkCommandBufferSubmitInfo command_info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_SUBMIT_INFO};
  command_info.commandBuffer = command_buffer_;
  VkSubmitInfo2 submit{VK_STRUCTURE_TYPE_SUBMIT_INFO_2};
  submit.commandBufferInfoCount = 1;
  submit.pCommandBufferInfos = &command_info;
  const VkFence fence = fence_.get();
  PV_TRY(vk_check(vkQueueSubmit2(context_->queue(), 1, &submit, fence), "vkQueueSubmit2").add_context("uploading to the GPU"));
  const VkResult waited = vkWaitForFences(context_->device(), 1, &fence, VK_TRUE, upload_timeout_ns);
  if (waited == VK_TIMEOUT) {
    return Error(ErrorCode::gpu, "uploading to the GPU", "the GPU did not finish the copies within 30 seconds");
  }
  PV_TRY(vk_check(waited, "vkWaitForFences"));
  return vk_check(vkResetFences(context_->device(), 1, &fence), "vkResetFences");
}

}  // namespace pavilion::render
