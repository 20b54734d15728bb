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
  // Frees the id now and the texture once every frame up to `last_frame`, which may still draw
  // it, has finished (release_retired).
  void remove_texture(OverlayTextureId texture, uint64_t last_frame);
  // At the start of `frame`, every frame before frame − frames_in_flight having finished: frees
  // the textures no frame in flight can sample. Allocates nothing.
  void release_retired(uint64_t frame);

  // A texture filled by frames rather than by the uploader (Renderer::add_streamed_overlay_texture):
  // made here without waiting for the GPU, filled with `fill` by the next frame recorded, then
  // updated piece by piece. Frame slots' staging grows to the streamed textures' budgets
  // together in stage_updates, when their frame has finished.
  Result<OverlayTextureId> add_streamed_texture(uint32_t width, uint32_t height, uint32_t fill, uint32_t bytes_per_frame,
                                                VkSampler sampler);
  // Queues `rgba` for the rectangle at (x, y) of a streamed texture, for the next frame.
  Result<void> update_texture(OverlayTextureId texture, uint32_t x, uint32_t y, uint32_t width, uint32_t height,
                              std::span<const uint8_t> rgba);
  // Hands the queued fills and updates to frame slot `slot` (whose previous frame has finished),
  // copying their texels into its staging buffer, grown when they outgrow it. Called once nothing
  // can fail before the frame's commands record them: handed over, they are not queued again.
  Result<void> stage_updates(uint32_t slot);
  // Records `slot`'s fills and copies, outside any rendering and before the overlay samples them.
  void record_updates(VkCommandBuffer commands, uint32_t slot) const;

  // Checks the screen overlay (if any) and the world overlays against the textures and copies
  // their vertices and indices into the buffers of `slot`, one after another, growing them when
  // they are too small.
  Result<void> write(uint32_t slot, const Overlay* screen, std::span<const WorldOverlay> world);
  // Records the draws of the screen overlay written into `slot`, inside a rendering of `extent`.
  void record(VkCommandBuffer commands, uint32_t slot, const Overlay& overlay, VkPipeline pipeline,
              VkPipelineLayout layout, VkExtent2D extent) const;
  // Records the draws of the world overlays written into `slot`, inside the scene pass (the
  // frame's descriptor set `frame_set` bound as set 0), for views from `view_offset`.
  void record_world(VkCommandBuffer commands, uint32_t slot, std::span<const WorldOverlay> world, VkPipeline pipeline,
                    VkPipelineLayout layout, VkDescriptorSet frame_set, uint32_t view_offset) const;

 private:
  struct Texture {
    GpuImage image;
    VkDescriptorSet set = VK_NULL_HANDLE;
    bool distance_field = false;
    bool streamed = false;  // filled and updated by frames
    uint32_t bytes_per_frame = 0;  // a streamed texture's budget of updates a frame
  };
  // A streamed texture's fill (`fill` set) or one rectangle of texels at `offset` of the staging.
  struct Update {
    OverlayTextureId texture = 0;
    uint32_t x = 0, y = 0, width = 0, height = 0;
    std::optional<uint32_t> fill;
    VkDeviceSize offset = 0;
  };
  struct SlotBuffers {
    GpuBuffer vertices;
    GpuBuffer indices;
    GpuBuffer staging;            // the streamed textures' texels this frame copies
    std::vector<Update> updates;  // this frame's, recorded by record_updates
    // Where each world overlay's vertices and indices begin (the screen overlay's begin at 0).
    struct Base {
      VkDeviceSize vertex_bytes = 0;
      VkDeviceSize index_bytes = 0;
    };
    std::vector<Base> world;  // reused frame to frame
  };

  Result<void> check(const Overlay& overlay, const char* step) const;
  // Binds the draw's texture (as descriptor set `texture_set`) and pushes its coverage into
  // `push` (OverlayPush or WorldOverlayPush) unless they are already so, then draws it.
  template <class Push>
  void record_draw(VkCommandBuffer commands, VkPipelineLayout layout, uint32_t texture_set, const OverlayDraw& draw,
                   OverlayTextureId& bound, Push& push) const;
  // Without an uploader the texture is left for the frames to fill (a streamed one).
  Result<OverlayTextureId> add(VkFormat format, VkExtent2D extent, std::span<const std::byte> texels,
                               bool distance_field, Uploader* uploader, VkSampler sampler, const std::string& step);

  GpuContext* context_ = nullptr;
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  UniqueDescriptorPool pool_;
  std::vector<std::optional<Texture>> textures_;  // index: OverlayTextureId; freed ids are reused
  struct Retired {
    Texture texture;
    uint64_t last_frame = 0;
  };
  std::vector<Retired> retired_;  // removed textures the frames in flight may still sample
  std::array<SlotBuffers, frames_in_flight> slots_;
  // Queued for the next frame; swapped with its slot's lists, so that their memory is reused.
  std::vector<Update> updates_;
  std::vector<uint8_t> update_texels_;
  uint64_t streamed_bytes_per_frame_ = 0;  // the streamed textures' budgets together
  size_t streamed_updates_per_frame_ = 0;  // and the updates those budgets allow, with their fills
};

}  // namespace pavilion::render
