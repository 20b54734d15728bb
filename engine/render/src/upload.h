// Copies data into device-local buffers and images through a host-visible staging buffer.
// Copies accumulate into one command buffer until the staging space is used up or flush() is
// called; then they run and are waited for. For load time, not for frames.
#pragma once

#include "pavilion/core/error.h"
#include "resources.h"

#include <cstddef>
#include <optional>
#include <span>

namespace pavilion::render {

class Uploader {
 public:
  Uploader() = default;  // empty until assigned from create()
  // The context must outlive the uploader.
  static Result<Uploader> create(GpuContext& context, VkDeviceSize staging_size);
  // Work recorded but not flushed is dropped with the uploader (its pool frees the commands).
  Uploader(Uploader&&) noexcept = default;
  Uploader& operator=(Uploader&&) noexcept = default;

  Result<void> copy_to_buffer(const GpuBuffer& target, VkDeviceSize offset, std::span<const std::byte> bytes);

  // Fills every mip level of layer 0 from `bytes` (levels largest first, tightly packed, each
  // `level_sizes[i]` bytes) and leaves the image ready to be sampled by fragment shaders.
  Result<void> copy_to_image(const GpuImage& target, std::span<const std::byte> bytes,
                             std::span<const uint32_t> level_sizes);

  // As copy_to_image, but the bytes are written by the caller straight into the staging memory
  // returned, any time before the next flush(). Returns no memory, and records nothing, when the
  // staging space left is too small: fill what was handed out, flush(), and ask again (an image
  // larger than all the staging space then grows it).
  Result<std::optional<std::span<std::byte>>> stage_image(const GpuImage& target, std::span<const uint32_t> level_sizes);

  // The command buffer of the current batch, for one-off commands that run at the next flush().
  Result<VkCommandBuffer> commands();

  // Moves an image with undefined contents into `layout`, ready for `stage`/`access`.
  Result<void> initialize_layout(const GpuImage& target, VkImageLayout layout, VkPipelineStageFlags2 stage,
                                 VkAccessFlags2 access);

  // Runs everything recorded so far and waits for it.
  Result<void> flush();
  // Drops everything recorded since the last flush: after an error, the commands may refer to
  // buffers and images that no longer exist.
  void discard();

 private:
  Result<void> begin_if_needed();
  // Reserves `size` bytes of staging space, flushing (or growing) when it is full.
  Result<VkDeviceSize> reserve(VkDeviceSize size);
  // Records the copies of an image's levels from staging memory at `offset`, with the layout
  // transitions around them.
  void record_image_copies(const GpuImage& target, VkDeviceSize offset, std::span<const uint32_t> level_sizes);

  GpuContext* context_ = nullptr;
  GpuBuffer staging_;
  VkDeviceSize used_ = 0;
  UniqueCommandPool pool_;
  VkCommandBuffer command_buffer_ = VK_NULL_HANDLE;
  UniqueFence fence_;
  bool recording_ = false;
};

}  // namespace pavilion::render
