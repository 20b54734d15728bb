// Descriptor layouts and graphics pipelines of every pass. Pipelines that depend on the number
// of views (multiview masks) or on a target's format are built the first time they are needed.
#pragma once

#include "pavilion/core/error.h"
#include "resources.h"

#include <array>
#include <optional>
#include <span>
#include <vector>

namespace pavilion::render {

// 32-bit, so the luminance a frame limits against is the one it showed: the cap is a few
// thousandths, and half floats' steps near white (0.0005) would add up over a fade.
inline constexpr VkFormat luminance_history_format = VK_FORMAT_R32_SFLOAT;

struct PipelineFormats {
  VkFormat hdr = VK_FORMAT_R16G16B16A16_SFLOAT;
  VkFormat depth = VK_FORMAT_D32_SFLOAT;
  VkFormat shadow = VK_FORMAT_D32_SFLOAT;
  VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
};

// The opaque pipelines, in sort order: instances are drawn grouped by these.
enum ScenePipeline : uint32_t {
  scene_pipeline_opaque = 0,
  scene_pipeline_opaque_double_sided = 1,
  // Skinned meshes read a second vertex stream (joints and weights): see SceneGpu::skins.
  scene_pipeline_skinned = 2,
  scene_pipeline_skinned_double_sided = 3,
  // The four above with morph targets (binding_morph_deltas, binding_morph_weights), in the same
  // order: an instance whose weights are all zero is drawn by its unmorphed pipeline.
  scene_pipeline_morphed = 4,
  scene_pipeline_morphed_double_sided = 5,
  scene_pipeline_skinned_morphed = 6,
  scene_pipeline_skinned_morphed_double_sided = 7,
  scene_pipeline_count = 8,
};

constexpr uint32_t morphed_pipeline(uint32_t pipeline) { return pipeline | scene_pipeline_morphed; }
constexpr uint32_t unmorphed_pipeline(uint32_t pipeline) { return pipeline & ~uint32_t{scene_pipeline_morphed}; }

struct ViewPipelines {
  std::array<UniquePipeline, scene_pipeline_count> scene;
  UniquePipeline sky;
  UniquePipeline world_overlay;  // WorldOverlay geometry, after the sky
  // A book's pages and its turning leaf (page_tiles.cpp), built with the rest so that opening a
  // book costs its frame no shader compilation.
  UniquePipeline page_tiles;
  UniquePipeline turning_leaf;
};

Result<UniqueDescriptorSetLayout> create_set_layout(VkDevice device, std::span<const VkDescriptorSetLayoutBinding> bindings);
Result<UniquePipelineLayout> create_pipeline_layout(VkDevice device, std::span<const VkDescriptorSetLayout> sets,
                                                    const VkPushConstantRange& push_constants);
Result<UniquePipeline> create_compute_pipeline(VkDevice device, std::span<const uint32_t> code, VkPipelineLayout layout,
                                               std::string_view name);
// Particles drawn as quads over `view_count` views (ParticleGpu): blended premultiplied, depth
// tested but not written.
Result<UniquePipeline> create_particle_pipeline(VkDevice device, const PipelineFormats& formats, uint32_t view_count,
                                                VkPipelineLayout layout);

class Pipelines {
 public:
  static Result<Pipelines> create(VkDevice device, const PipelineFormats& formats);

  VkDescriptorSetLayout frame_set_layout() const { return frame_set_layout_.get(); }
  VkDescriptorSetLayout material_set_layout() const { return material_set_layout_.get(); }
  VkDescriptorSetLayout tonemap_set_layout() const { return tonemap_set_layout_.get(); }
  // The tonemap set with the flash limiter's history beside the HDR image.
  VkDescriptorSetLayout limited_tonemap_set_layout() const { return limited_tonemap_set_layout_.get(); }
  VkDescriptorSetLayout overlay_set_layout() const { return overlay_set_layout_.get(); }
  // Deep zoom's set (the tile atlas, the pages' shapes and tables, the turning leaf's grid), set 1
  // of page_layout() after the frame's.
  VkDescriptorSetLayout page_set_layout() const { return page_set_layout_.get(); }
  VkPipelineLayout scene_layout() const { return scene_layout_.get(); }
  VkPipelineLayout tonemap_layout() const { return tonemap_layout_.get(); }
  VkPipelineLayout limited_tonemap_layout() const { return limited_tonemap_layout_.get(); }
  VkPipelineLayout overlay_layout() const { return overlay_layout_.get(); }
  VkPipelineLayout world_overlay_layout() const { return world_overlay_layout_.get(); }
  VkPipelineLayout page_layout() const { return page_layout_.get(); }
  VkPipeline shadow() const { return shadow_.get(); }
  VkPipeline shadow_skinned() const { return shadow_skinned_.get(); }
  VkPipeline shadow_morphed() const { return shadow_morphed_.get(); }
  VkPipeline shadow_skinned_morphed() const { return shadow_skinned_morphed_.get(); }
  const PipelineFormats& formats() const { return formats_; }

  // The opaque, sky, overlay and page pipelines drawing `view_count` views in one pass.
  Result<const ViewPipelines*> for_views(uint32_t view_count);
  // The tonemap pipeline writing `view_count` layers of a `target_format` image; with the flash
  // limiter, also each pixel's luminance into a second, luminance_history_format attachment.
  Result<VkPipeline> tonemap(VkFormat target_format, uint32_t view_count, bool limit_flashes);
  // The overlay pipeline blending over one layer of a `target_format` image.
  Result<VkPipeline> overlay(VkFormat target_format);
  // Draws two views, writing the view index into red; see Renderer's start-up check.
  Result<UniquePipeline> multiview_probe(VkFormat format) const;

 private:
  struct TonemapPipeline {
    VkFormat format;
    uint32_t view_count;
    bool limit_flashes;
    UniquePipeline pipeline;
  };
  struct OverlayPipeline {
    VkFormat format;
    UniquePipeline pipeline;
  };

  VkDevice device_ = VK_NULL_HANDLE;
  PipelineFormats formats_;
  UniqueDescriptorSetLayout frame_set_layout_;
  UniqueDescriptorSetLayout material_set_layout_;
  UniqueDescriptorSetLayout tonemap_set_layout_;
  UniqueDescriptorSetLayout limited_tonemap_set_layout_;
  UniqueDescriptorSetLayout overlay_set_layout_;
  UniqueDescriptorSetLayout page_set_layout_;
  UniquePipelineLayout scene_layout_;
  UniquePipelineLayout tonemap_layout_;
  UniquePipelineLayout limited_tonemap_layout_;
  UniquePipelineLayout overlay_layout_;
  UniquePipelineLayout world_overlay_layout_;
  UniquePipelineLayout page_layout_;
  UniquePipeline shadow_;
  UniquePipeline shadow_skinned_;
  UniquePipeline shadow_morphed_;
  UniquePipeline shadow_skinned_morphed_;
  std::vector<std::optional<ViewPipelines>> view_pipelines_;  // index: view count − 1
  std::vector<TonemapPipeline> tonemap_pipelines_;
  std::vector<OverlayPipeline> overlay_pipelines_;
};

}  // namespace pavilion::render
