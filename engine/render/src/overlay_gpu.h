// The overlay's GPU side: its textures (each with its descriptor set) and, per frame slot, the
// host-visible buffers its vertices and indices are written into. The buffers grow when an
// overlay outgrows them and are reused otherwise, so a steady user interface allocates nothing.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/render_target.h"
#include "resources.h"
#include "upload.h"

#include <array>
#include <optional>
#include <vector>

namespace pavilion::render {

class OverlayGpu {
 public:
  OverlayGpu() = default;  // empty until assigned from create()
  static Result<OverlayGpu> create(GpuContext& context, VkDescriptorSetLayout set_layout);

  Result<OverlayTextureId> add_texture(const ImageRgba8& image, Uploader& uploader, VkSampler sampler);
  Result<OverlayTextureId> add_distance_field(uint32_t width, uint32_t height, std::span<const uint8_t> distances,
                                              Uploader& uploader, VkSampler sampler);
  // The GPU must no longer use the texture (the renderer waits for idle first).
  void remove_texture(OverlayTextureId texture);

  // Checks `overlay` against the textures and copies its vertices and indices into the buffers
  // of `slot`, growing them when they are too small.
  Result<void> write(uint32_t slot, const Overlay& overlay);
  // Records the draws of an overlay written into `slot`, inside a rendering of `extent`.
  void record(VkCommandBuffer commands, uint32_t slot, const Overlay& overlay, VkPipeline pipeline,
              VkPipelineLayout layout, VkExtent2D extent) const;

 private:
  struct Texture {
    GpuImage image;
    VkDescriptorSet set = VK_NULL_HANDLE;
    bool distance_field = false;
  };
  struct SlotBuffers {
    GpuBuffer vertices;
    GpuBuffer indices;
  };

  Result<OverlayTextureId> add(VkFormat format, VkExtent2D extent, std::span<const std::byte> texels,
                               bool distance_field, Uploader& uploader, VkSampler sampler, const std::string& step);

  GpuContext* context_ = nullptr;
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  UniqueDescriptorPool pool_;
  std::vector<std::optional<Texture>> textures_;  // index: OverlayTextureId; freed ids are reused
  std::array<SlotBuffers, frames_in_flight> slots_;
};

}  // namespace pavilion::render
