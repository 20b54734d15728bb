// Recording of one frame: the shadow map, the opaque pass with the sky, tonemapping into the
// target and the overlay over it, with the barriers between them.
#include "gpu_interface.h"
#include "renderer_state.h"

namespace pavilion::render {
namespace {

VkRenderingAttachmentInfo attachment(VkImageView view, VkImageLayout layout, VkAttachmentLoadOp load,
                                     VkAttachmentStoreOp store, VkClearValue clear = {}) {
  VkRenderingAttachmentInfo info{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
  info.imageView = view;
  info.imageLayout = layout;
  info.loadOp = load;
  info.storeOp = store;
  info.clearValue = clear;
  return info;
}

// Where depth is tested and written, and where a multisampled depth is resolved.
constexpr VkPipelineStageFlags2 depth_stages = VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT |
                                               VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT |
                                               VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;

void set_viewport(VkCommandBuffer commands, VkExtent2D extent) {
  const VkViewport viewport{0.0f, 0.0f, static_cast<float>(extent.width), static_cast<float>(extent.height), 0.0f, 1.0f};
  const VkRect2D scissor{{0, 0}, extent};
  vkCmdSetViewport(commands, 0, 1, &viewport);
  vkCmdSetScissor(commands, 0, 1, &scissor);
}

VkRenderingInfo rendering_info(VkExtent2D extent, uint32_t layers, const ViewGroup& group) {
  VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
  rendering.renderArea = {{0, 0}, extent};
  // Ignored under multiview by the specification, but named anyway for drivers that size the
  // framebuffer from it.
  rendering.layerCount = group.whole_image ? layers : 1;
  rendering.viewMask = group.view_mask;
  return rendering;
}

// The view through which a pass of `group` reaches an image: all layers, or one.
VkImageView view_for(const ViewGroup& group, VkImageView whole, const std::array<UniqueImageView, max_views>& layers) {
  return group.whole_image ? whole : layers[group.view_offset].get();
}

}  // namespace

// A skinned mesh's two vertex streams start at the mesh itself (the skins buffer holds skinned
// meshes only, so one vertex offset cannot serve both); its draws use a vertex offset of 0.
void Renderer::State::bind_skinned_mesh(VkCommandBuffer commands, const MeshRange& mesh) const {
  const std::array<VkBuffer, 2> buffers{scene->vertices.get(), scene->skins.get()};
  const std::array<VkDeviceSize, 2> offsets{VkDeviceSize(mesh.vertex_offset) * sizeof(scene::PackedVertex),
                                            VkDeviceSize(mesh.skin_offset) * sizeof(scene::VertexSkin)};
  vkCmdBindVertexBuffers(commands, 0, 2, buffers.data(), offsets.data());
}

void Renderer::State::record_shadow_pass(const FrameSlot& slot) {
  const VkCommandBuffer commands = slot.commands;
  const auto to_depth = image_barrier(
      shadow_map.get(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
      VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, 0,
      VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
      VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT);
  pipeline_barrier(commands, {&to_depth, 1});
  VkClearValue far_depth{};
  far_depth.depthStencil.depth = 1.0f;
  const auto depth = attachment(shadow_map.view(), VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                                VK_ATTACHMENT_LOAD_OP_CLEAR, VK_ATTACHMENT_STORE_OP_STORE, far_depth);
  const VkExtent2D extent{config.shadow_map_size, config.shadow_map_size};
  VkRenderingInfo rendering = rendering_info(extent, 1, ViewGroup{});
  rendering.pDepthAttachment = &depth;
  vkCmdBeginRendering(commands, &rendering);
  set_viewport(commands, extent);
  vkCmdSetDepthBias(commands, 1.0f, 0.0f, 1.5f);
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelines.shadow());
  vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipelines.scene_layout(), 0, 1, &slot.frame_set,
                          0, nullptr);
  const VkBuffer vertex_buffer = scene->vertices.get();
  const VkDeviceSize vertex_offset = 0;
  vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &vertex_offset);
  vkCmdBindIndexBuffer(commands, scene->indices.get(), 0, VK_INDEX_TYPE_UINT32);
  for (const DrawBatch& batch : scene->shadow_batches) {
    const MeshRange& mesh = scene->meshes[batch.key.mesh];
    const auto& lod = mesh.lods[batch.key.lod];
    vkCmdDrawIndexed(commands, lod.index_count, batch.count, lod.first_index, mesh.vertex_offset, batch.first);
  }
  VkPipeline bound = pipelines.shadow();
  auto bind = [&](VkPipeline pipeline) {
    if (pipeline != bound) vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
    bound = pipeline;
  };
  // Whether morphed instance `morph` (or not_morphed) is drawn with its targets this frame.
  auto morphing = [&](uint32_t morph) { return morph != SceneGpu::not_morphed && scene->morphed[morph].weighted; };
  // Skinned instances whose shadow may fall into a view, one draw each with this frame's joints.
  for (size_t index = 0; index < scene->skinned.size(); ++index) {
    if (scene->skinned_shadow[index] == 0) continue;
    const SceneGpu::SkinnedInstance& skinned = scene->skinned[index];
    bind(morphing(skinned.morph) ? pipelines.shadow_skinned_morphed() : pipelines.shadow_skinned());
    const MeshRange& mesh = scene->meshes[skinned.mesh];
    bind_skinned_mesh(commands, mesh);
    vkCmdDrawIndexed(commands, mesh.lods[0].index_count, 1, mesh.lods[0].first_index, 0, skinned.sorted);
  }
  // Unskinned morphed instances likewise, with this frame's weights.
  if (!scene->skinned.empty()) vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &vertex_offset);
  for (uint32_t index = 0; index < scene->morphed.size(); ++index) {
    const SceneGpu::MorphedInstance& morphed = scene->morphed[index];
    if (scene->morphed_shadow[index] == 0 || morphed.skinned) continue;
    bind(morphing(index) ? pipelines.shadow_morphed() : pipelines.shadow());
    const MeshRange& mesh = scene->meshes[morphed.mesh];
    vkCmdDrawIndexed(commands, mesh.lods[0].index_count, 1, mesh.lods[0].first_index, mesh.vertex_offset,
                     morphed.sorted);
  }
  vkCmdEndRendering(commands);
  const auto to_sampled = image_barrier(
      shadow_map.get(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
      VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
      VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
      VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
  pipeline_barrier(commands, {&to_sampled, 1});
}

void Renderer::State::record_scene_pass(const FrameSlot& slot, uint32_t slot_index, const ViewPipelines& view_pipelines,
                                        const ViewGroup& group, std::span<const WorldOverlay> world,
                                        const TargetImage& image) {
  const VkCommandBuffer commands = slot.commands;
  const VkClearValue clear_color{};
  const auto color = attachment(view_for(group, attachments.color.view(), attachments.color_layers),
                                VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ATTACHMENT_LOAD_OP_CLEAR,
                                VK_ATTACHMENT_STORE_OP_STORE, clear_color);
  const VkClearValue far_depth{};  // reverse-Z: 0 is infinitely far
  // A target that takes the depth gets it drawn straight into its image at one sample, or
  // resolved into it (each pixel's first sample) from the multisampled depth.
  const bool depth_out = image.depth_image != VK_NULL_HANDLE;
  const VkImageView target_depth =
      !depth_out ? VK_NULL_HANDLE : group.whole_image ? image.depth_view : image.depth_layer_views[group.view_offset];
  const bool depth_direct = depth_out && samples == VK_SAMPLE_COUNT_1_BIT;
  auto depth = attachment(depth_direct ? target_depth : view_for(group, attachments.depth.view(), attachments.depth_layers),
                          VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, VK_ATTACHMENT_LOAD_OP_CLEAR,
                          depth_direct || particles.active() ? VK_ATTACHMENT_STORE_OP_STORE : VK_ATTACHMENT_STORE_OP_DONT_CARE,
                          far_depth);
  if (depth_out && !depth_direct) {
    depth.resolveMode = VK_RESOLVE_MODE_SAMPLE_ZERO_BIT;  // the one mode every device resolves depth with
    depth.resolveImageView = target_depth;
    depth.resolveImageLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
  }
  VkRenderingInfo rendering = rendering_info(attachments.extent, attachments.layers, group);
  rendering.colorAttachmentCount = 1;
  rendering.pColorAttachments = &color;
  rendering.pDepthAttachment = &depth;
  vkCmdBeginRendering(commands, &rendering);
  set_viewport(commands, attachments.extent);

  const VkPipelineLayout layout = pipelines.scene_layout();
  constexpr VkShaderStageFlags push_stages = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT;
  gpu::ScenePush push{0, group.view_offset};
  vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 0, 1, &slot.frame_set, 0, nullptr);
  vkCmdPushConstants(commands, layout, push_stages, 0, sizeof(push), &push);
  const VkBuffer vertex_buffer = scene->vertices.get();
  const VkDeviceSize vertex_offset = 0;
  vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &vertex_offset);
  vkCmdBindIndexBuffer(commands, scene->indices.get(), 0, VK_INDEX_TYPE_UINT32);
  uint32_t bound_pipeline = UINT32_MAX;
  uint32_t bound_material = UINT32_MAX;
  bool mesh_bound = false;  // a skinned batch's vertex buffers, bound at its mesh
  for (const DrawBatch& batch : batches) {
    if (batch.key.pipeline != bound_pipeline) {
      vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, view_pipelines.scene[batch.key.pipeline].get());
      bound_pipeline = batch.key.pipeline;
    }
    if (batch.key.material != bound_material) {
      vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 1, 1,
                              &scene->material_sets[batch.key.material], 0, nullptr);
      push.material_index = batch.key.material;
      vkCmdPushConstants(commands, layout, push_stages, 0, sizeof(push), &push);
      bound_material = batch.key.material;
    }
    const MeshRange& mesh = scene->meshes[batch.key.mesh];
    const MeshRange::Lod& lod = mesh.lods[batch.key.lod];
    if (mesh.skin_offset >= 0) {
      bind_skinned_mesh(commands, mesh);
      mesh_bound = true;
      vkCmdDrawIndexed(commands, lod.index_count, batch.count, lod.first_index, 0, batch.first);
      continue;
    }
    if (mesh_bound) {
      vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &vertex_offset);
      mesh_bound = false;
    }
    vkCmdDrawIndexed(commands, lod.index_count, batch.count, lod.first_index, mesh.vertex_offset, batch.first);
  }
  if (!config.transparent_background) {
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, view_pipelines.sky.get());
    vkCmdDraw(commands, 3, 1, 0, 0);
  }
  // After the sky, so text with nothing behind it still shows; depth-tested, so what stands in
  // front of it hides it.
  if (pages) pages->record_draws(commands, slot_index, slot.frame_set, group.view_offset);
  overlay_gpu.record_world(commands, slot_index, world, view_pipelines.world_overlay.get(),
                           pipelines.world_overlay_layout(), slot.frame_set, group.view_offset);
  vkCmdEndRendering(commands);
  if (particles.active()) record_particle_pass(slot, group, image);
}

// A pass of its own: the depth the scene pass wrote is read-only here, so it can be both the
// depth test's attachment and the soft fade's texture.
void Renderer::State::record_particle_pass(const FrameSlot& slot, const ViewGroup& group, const TargetImage& image) {
  const VkCommandBuffer commands = slot.commands;
  // Drawn at one sample straight into a target's depth, the scene's depth never reached our own
  // image: particles are depth-tested against the target's, without the soft fade.
  const bool depth_direct = image.depth_image != VK_NULL_HANDLE && samples == VK_SAMPLE_COUNT_1_BIT;
  constexpr VkPipelineStageFlags2 depth_readers = VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT |
                                                  VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT |
                                                  VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT;
  const std::array<VkImageMemoryBarrier2, 2> to_particles{
      image_barrier(attachments.depth.get(), VK_IMAGE_ASPECT_DEPTH_BIT,
                    depth_direct ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                    VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL, depth_stages,
                    VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT, depth_readers,
                    VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_2_SHADER_SAMPLED_READ_BIT),
      image_barrier(attachments.color.get(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                    VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT),
  };
  pipeline_barrier(commands, to_particles);
  if (depth_direct) {
    // The target's own depth, which the scene pass has just written, is tested here.
    const std::array<VkImageMemoryBarrier2, 1> target_depth_written{image_barrier(
        image.depth_image, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
        VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, depth_stages, VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
        depth_readers, VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT)};
    pipeline_barrier(commands, target_depth_written);
  }
  const auto color = attachment(view_for(group, attachments.color.view(), attachments.color_layers),
                                VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ATTACHMENT_LOAD_OP_LOAD,
                                VK_ATTACHMENT_STORE_OP_STORE);
  const VkImageView target_depth =
      !depth_direct ? VK_NULL_HANDLE : group.whole_image ? image.depth_view : image.depth_layer_views[group.view_offset];
  const auto depth = depth_direct ? attachment(target_depth, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
                                               VK_ATTACHMENT_LOAD_OP_LOAD, VK_ATTACHMENT_STORE_OP_NONE)
                                  : attachment(view_for(group, attachments.depth.view(), attachments.depth_layers),
                                               VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL, VK_ATTACHMENT_LOAD_OP_LOAD,
                                               VK_ATTACHMENT_STORE_OP_NONE);
  VkRenderingInfo rendering = rendering_info(attachments.extent, attachments.layers, group);
  rendering.colorAttachmentCount = 1;
  rendering.pColorAttachments = &color;
  rendering.pDepthAttachment = &depth;
  vkCmdBeginRendering(commands, &rendering);
  set_viewport(commands, attachments.extent);
  particles.record_draw(commands, particle_pipeline, slot.frame_set, group.view_offset, !depth_direct);
  vkCmdEndRendering(commands);
  // Back to a depth attachment, as the next view's scene pass (or the next frame's) expects.
  const auto to_attachment = image_barrier(
      attachments.depth.get(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL,
      VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, depth_readers, 0, depth_stages,
      VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT);
  pipeline_barrier(commands, {&to_attachment, 1});
}

void Renderer::State::record_tonemap_pass(VkCommandBuffer commands, VkPipeline tonemap, const TargetImage& image,
                                          const ViewGroup& group) {
  const VkImageView view = group.whole_image ? image.view : image.layer_views[group.view_offset];
  // With the flash limiter, each pixel's luminance goes to one history image beside the colour,
  // and the other, the last frame's, is read.
  const bool limited = limits_flashes();
  const LuminanceHistory& history = luminance_history;
  const uint32_t written = history.written;
  const std::array<VkRenderingAttachmentInfo, 2> colors{
      attachment(view, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ATTACHMENT_LOAD_OP_DONT_CARE,
                 VK_ATTACHMENT_STORE_OP_STORE),
      limited ? attachment(view_for(group, history.images[written].view(), history.image_layers[written]),
                           VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ATTACHMENT_LOAD_OP_DONT_CARE,
                           VK_ATTACHMENT_STORE_OP_STORE)
              : VkRenderingAttachmentInfo{},
  };
  VkRenderingInfo rendering = rendering_info(image.extent, image.layers, group);
  rendering.colorAttachmentCount = limited ? 2 : 1;
  rendering.pColorAttachments = colors.data();
  vkCmdBeginRendering(commands, &rendering);
  set_viewport(commands, image.extent);
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, tonemap);
  const VkDescriptorSet set = limited ? history.sets[1 - written] : tonemap_set;
  const VkPipelineLayout layout = limited ? pipelines.limited_tonemap_layout() : pipelines.tonemap_layout();
  vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 0, 1, &set, 0, nullptr);
  const gpu::TonemapPush push{scene->environment.exposure, group.view_offset, config.max_luminance_step,
                              limited && history.valid ? 1u : 0u};
  vkCmdPushConstants(commands, layout, VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(push), &push);
  vkCmdDraw(commands, 3, 1, 0, 0);
  vkCmdEndRendering(commands);
}

uint32_t Renderer::State::luminance_history_barriers(std::span<VkImageMemoryBarrier2> barriers) const {
  if (!limits_flashes()) return 0;
  const LuminanceHistory& history = luminance_history;
  // The image to read was written by the last frame's tonemap pass; without one (valid false) it
  // holds nothing and is only bound, not read, so its contents may go.
  barriers[0] = image_barrier(history.images[1 - history.written].get(), VK_IMAGE_ASPECT_COLOR_BIT,
                              history.valid ? VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
                              VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                              VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                              VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
  // The image to write was read by the frame before last; what it held is not needed.
  barriers[1] = image_barrier(history.images[history.written].get(), VK_IMAGE_ASPECT_COLOR_BIT,
                              VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                              VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, 0,
                              VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);
  return 2;
}

void Renderer::State::record_overlay_pass(VkCommandBuffer commands, uint32_t slot_index, const Overlay& overlay,
                                          VkPipeline pipeline, const TargetImage& image, VkAttachmentLoadOp load) {
  const VkClearValue transparent{};
  const auto color = attachment(image.view, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, load, VK_ATTACHMENT_STORE_OP_STORE,
                                transparent);
  VkRenderingInfo rendering = rendering_info(image.extent, 1, ViewGroup{});
  rendering.colorAttachmentCount = 1;
  rendering.pColorAttachments = &color;
  vkCmdBeginRendering(commands, &rendering);
  set_viewport(commands, image.extent);
  overlay_gpu.record(commands, slot_index, overlay, pipeline, pipelines.overlay_layout(), image.extent);
  vkCmdEndRendering(commands);
}

void Renderer::State::record(FrameSlot& slot, uint32_t slot_index, const ViewPipelines& view_pipelines,
                             VkPipeline tonemap, const Overlay* overlay, VkPipeline overlay_pipeline,
                             std::span<const WorldOverlay> world, RenderTarget& target, const AcquiredImage& acquired) {
  const VkCommandBuffer commands = slot.commands;
  const TargetImage& image = acquired.image;
  const uint32_t first_query = slot_index * timestamps_per_frame;
  auto timestamp = [&](uint32_t index, VkPipelineStageFlags2 stage) {
    if (timestamps) vkCmdWriteTimestamp2(commands, stage, timestamps.get(), first_query + index);
  };
  if (timestamps) vkCmdResetQueryPool(commands, timestamps.get(), first_query, timestamps_per_frame);
  timestamp(0, VK_PIPELINE_STAGE_2_TOP_OF_PIPE_BIT);

  scene->record_pending_updates(commands);
  overlay_gpu.record_updates(commands, slot_index);
  if (pages) pages->record_copies(commands);
  if (shadows_drawn()) record_shadow_pass(slot);
  if (particles.active()) particles.record_simulation(commands, slot_index);
  timestamp(1, VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT);

  // One pass for all views where multiview works (or there is one view), one per view otherwise.
  std::array<ViewGroup, max_views> groups{};
  uint32_t group_count = 1;
  if (image.layers > 1 && multiview) {
    groups[0] = ViewGroup{(1u << image.layers) - 1, 0, true};
  } else if (image.layers > 1) {
    group_count = image.layers;
    for (uint32_t layer = 0; layer < image.layers; ++layer) groups[layer] = ViewGroup{0, layer, false};
  }

  // The previous frame may still be writing these attachments, or (colour) reading them.
  const std::array<VkImageMemoryBarrier2, 2> to_scene{
      image_barrier(attachments.depth.get(), VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                    VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
                    VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
                    VK_PIPELINE_STAGE_2_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT,
                    VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT),
      image_barrier(attachments.color.get(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                    VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                    VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT),
  };
  pipeline_barrier(commands, to_scene);
  if (image.depth_image != VK_NULL_HANDLE) {
    // The compositor has finished reading the depth it was last given.
    const auto to_depth = image_barrier(
        image.depth_image, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
        VK_PIPELINE_STAGE_2_LATE_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_2_COPY_BIT, 0,
        depth_stages, VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_READ_BIT | VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT);
    pipeline_barrier(commands, {&to_depth, 1});
  }
  for (uint32_t group = 0; group < group_count; ++group) {
    record_scene_pass(slot, slot_index, view_pipelines, groups[group], world, image);
  }
  if (image.depth_image != VK_NULL_HANDLE) {
    const auto handed_on = image_barrier(image.depth_image, VK_IMAGE_ASPECT_DEPTH_BIT,
                                         VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL, image.depth_layout_after_render,
                                         depth_stages, VK_ACCESS_2_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
                                         VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE);
    pipeline_barrier(commands, {&handed_on, 1});
  }
  timestamp(2, VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT);

  // Waiting on the colour-output stage also waits for a swapchain's acquire semaphore, which the
  // submission ties to that stage; the copy stage covers a readback of the previous frame.
  std::array<VkImageMemoryBarrier2, 4> to_tonemap{
      image_barrier(attachments.color.get(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                    VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                    VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                    VK_ACCESS_2_SHADER_SAMPLED_READ_BIT),
      image_barrier(image.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                    VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                    VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_2_COPY_BIT, 0,
                    VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT),
  };
  const uint32_t history_barriers = luminance_history_barriers(std::span(to_tonemap).subspan(2));
  pipeline_barrier(commands, std::span(to_tonemap).first(2 + history_barriers));
  for (uint32_t group = 0; group < group_count; ++group) record_tonemap_pass(commands, tonemap, image, groups[group]);
  if (limits_flashes()) {
    luminance_history.written = 1 - luminance_history.written;
    luminance_history.valid = true;
  }
  if (overlay != nullptr) {
    // The overlay blends over what tonemapping wrote: its writes must land first.
    const auto to_overlay = image_barrier(
        image.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
        VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
        VK_ACCESS_2_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);
    pipeline_barrier(commands, {&to_overlay, 1});
    record_overlay_pass(commands, slot_index, *overlay, overlay_pipeline, image, VK_ATTACHMENT_LOAD_OP_LOAD);
  }
  hand_on(commands, image);
  timestamp(3, VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT);
  target.record_after_render(commands, acquired);
}

void Renderer::State::hand_on(VkCommandBuffer commands, const TargetImage& image) {
  if (image.layout_after_render == VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL) return;
  const bool copied = image.layout_after_render == VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
  const auto handed_on = image_barrier(
      image.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, image.layout_after_render,
      VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT,
      copied ? VK_PIPELINE_STAGE_2_COPY_BIT : VK_PIPELINE_STAGE_2_NONE, copied ? VK_ACCESS_2_TRANSFER_READ_BIT : VK_ACCESS_2_NONE);
  pipeline_barrier(commands, {&handed_on, 1});
}

void Renderer::State::record_panel(VkCommandBuffer commands, uint32_t slot_index, const Overlay& overlay,
                                   VkPipeline pipeline, RenderTarget& target, const AcquiredImage& acquired) {
  const TargetImage& image = acquired.image;
  const auto to_panel = image_barrier(
      image.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
      VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_2_COPY_BIT, 0,
      VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);
  pipeline_barrier(commands, {&to_panel, 1});
  record_overlay_pass(commands, slot_index, overlay, pipeline, image, VK_ATTACHMENT_LOAD_OP_CLEAR);
  hand_on(commands, image);
  target.record_after_render(commands, acquired);
}

}  // namespace pavilion::render
