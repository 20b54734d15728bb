// The renderer's private state, shared by its set-up (renderer.cpp) and its frame recording
// (passes.cpp).
#pragma once

#include "culling.h"
#include "overlay_gpu.h"
#include "particles_gpu.h"
#include "page_tiles.h"
#include "pavilion/render/renderer.h"
#include "pipelines.h"
#include "resources.h"
#include "scene_gpu.h"
#include "upload.h"

#include <glm/glm.hpp>

#include <array>
#include <memory>
#include <vector>

namespace pavilion::render {

inline constexpr uint32_t timestamps_per_frame = 4;  // start, after shadow, after opaque, after tonemap

struct FrameSlot {
  UniqueCommandPool command_pool;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  UniqueFence done;
  GpuBuffer frame_uniform;  // gpu::FrameData, written by the CPU each frame
  VkDescriptorSet frame_set = VK_NULL_HANDLE;
  uint64_t frame = 0;
  bool timestamps_written = false;
};

// Images the opaque pass draws into, sized to the target. The tonemap pass reads the colour
// image and resolves its samples itself.
struct Attachments {
  VkExtent2D extent{};
  uint32_t layers = 0;
  GpuImage color;  // HDR, multisampled with MSAA
  GpuImage depth;
  // Views of one layer each, for drawing the views one pass at a time.
  std::array<UniqueImageView, max_views> color_layers;
  std::array<UniqueImageView, max_views> depth_layers;
};

// The flash limiter's memory of what each view showed: two images of one relative luminance per
// pixel, one layer per view, of the attachments' size. A frame reads the one the frame before
// wrote and writes the other; `sets[i]` is the tonemap set reading images[i].
struct LuminanceHistory {
  VkExtent2D extent{};
  uint32_t layers = 0;
  std::array<GpuImage, 2> images;
  // Views of one layer each, for drawing the views one pass at a time.
  std::array<std::array<UniqueImageView, max_views>, 2> image_layers;
  std::array<VkDescriptorSet, 2> sets{};
  uint32_t written = 0;  // the image the next frame writes
  bool valid = false;    // whether the other image holds the last frame's luminance
};

// The views one pass draws: all layers at once (multiview, or a single layer), or one layer.
struct ViewGroup {
  uint32_t view_mask = 0;
  uint32_t view_offset = 0;
  bool whole_image = true;  // draw through the views of all layers; else through layer `view_offset`
};

struct Renderer::State {
  explicit State(GpuContext& gpu) : context(gpu) {}

  GpuContext& context;
  RendererConfig config;
  VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
  bool multiview = false;
  Pipelines pipelines;
  Uploader uploader;
  UniqueSampler material_sampler;
  UniqueSampler shadow_sampler;
  UniqueSampler hdr_sampler;
  UniqueSampler overlay_sampler;
  OverlayGpu overlay_gpu;
  ParticleGpu particles;
  VkPipeline particle_pipeline = VK_NULL_HANDLE;  // the frame's, for its views in one pass
  DefaultTextures defaults;
  GpuImage shadow_map;
  Attachments attachments;
  UniqueDescriptorPool descriptor_pool;
  VkDescriptorSet tonemap_set = VK_NULL_HANDLE;
  LuminanceHistory luminance_history;
  std::array<FrameSlot, frames_in_flight> slots;
  UniqueQueryPool timestamps;
  std::unique_ptr<SceneGpu> scene;
  std::unique_ptr<PageTextures> pages;  // from the first load_pages on
  glm::mat4 light_view_projection{1.0f};
  uint64_t frame_counter = 0;
  FrameStats stats;
  std::vector<DrawBatch> batches;  // reused every frame; capacity grows to the instance count
  std::vector<uint8_t> lod_scratch;  // one entry per instance, reused every frame

  // Set-up (renderer.cpp).
  Result<void> create_defaults();
  Result<void> create_frame_slots();
  Result<bool> multiview_reaches_every_layer();
  void write_frame_sets();
  Result<void> use_scene(std::unique_ptr<SceneGpu> uploaded);
  bool shadows_drawn() const;  // whether this scene's frames draw a shadow map
  Result<void> ensure_attachments(VkExtent2D extent, uint32_t layers);
  bool limits_flashes() const { return config.max_luminance_step > 0.0f; }
  // The flash limiter's images for the attachments' size, made when it is on and they are not.
  Result<void> ensure_luminance_history();
  void read_timestamps(const FrameSlot& slot);
  void write_frame_data(FrameSlot& slot, std::span<const View> views, VkExtent2D extent);

  // The frame ring (renderer.cpp): takes the next slot (waiting until its last frame is done)
  // and the target's image for it; waits for a slot and reads its timings; starts its commands;
  // submits them for `acquired` and hands the image back to the target.
  Result<std::optional<AcquiredImage>> start_frame(RenderTarget& target, uint32_t& slot_index);
  Result<void> reclaim(FrameSlot& slot);
  Result<void> begin_commands(FrameSlot& slot);
  Result<void> submit(FrameSlot& slot, RenderTarget& target, const AcquiredImage& acquired, bool timestamps_written);

  // Frame recording (passes.cpp). `view_pipelines` and `tonemap` match the frame's view groups;
  // `overlay_pipeline` is needed only with an overlay.
  void record(FrameSlot& slot, uint32_t slot_index, const ViewPipelines& view_pipelines, VkPipeline tonemap,
              const Overlay* overlay, VkPipeline overlay_pipeline, std::span<const WorldOverlay> world,
              RenderTarget& target, const AcquiredImage& acquired);
  void record_shadow_pass(const FrameSlot& slot);
  void bind_skinned_mesh(VkCommandBuffer commands, const MeshRange& mesh) const;
  void record_scene_pass(const FrameSlot& slot, uint32_t slot_index, const ViewPipelines& view_pipelines,
                         const ViewGroup& group, std::span<const WorldOverlay> world, const TargetImage& image);
  // Particles over the scene pass's colour, depth-tested against (and, where it is readable,
  // fading against) its depth.
  void record_particle_pass(const FrameSlot& slot, const ViewGroup& group, const TargetImage& image);
  void record_tonemap_pass(VkCommandBuffer commands, VkPipeline tonemap, const TargetImage& image,
                           const ViewGroup& group);
  // Barriers before the tonemap pass for the flash limiter's images: the last frame's to be read,
  // the other to be written. Fills `barriers`; returns how many it filled.
  uint32_t luminance_history_barriers(std::span<VkImageMemoryBarrier2> barriers) const;
  void record_overlay_pass(VkCommandBuffer commands, uint32_t slot_index, const Overlay& overlay, VkPipeline pipeline,
                           const TargetImage& image, VkAttachmentLoadOp load);
  // A panel: the overlay alone on a transparent image.
  void record_panel(VkCommandBuffer commands, uint32_t slot_index, const Overlay& overlay, VkPipeline pipeline,
                    RenderTarget& target, const AcquiredImage& acquired);
  // Leaves the target image in the layout its target takes it back in.
  static void hand_on(VkCommandBuffer commands, const TargetImage& image);
};

}  // namespace pavilion::render
