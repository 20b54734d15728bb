#include "overlay_gpu.h"

#include "gpu_interface.h"
#include "pavilion/render/vulkan_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace pavilion::render {
namespace {

// Enough for the kiosk's font atlas and a thumbnail per exhibit of a large installation.
constexpr uint32_t max_overlay_textures = 1024;

// Grows `buffer` to hold at least `bytes`, to the next power of two so growth happens rarely.
Result<void> ensure_capacity(GpuContext& context, GpuBuffer& buffer, VkDeviceSize bytes, VkBufferUsageFlags usage,
                             std::string_view name) {
  if (buffer && buffer.size() >= bytes) return {};
  VkDeviceSize capacity = 4096;
  while (capacity < bytes) capacity *= 2;
  PV_TRY_ASSIGN(buffer, GpuBuffer::create(context, capacity, usage, MemoryUsage::upload, name));
  return {};
}

// A streamed texture's fill and its updates in a frame, if none is smaller than 8×8 texels.
size_t updates_per_frame(uint32_t bytes_per_frame) { return 1 + bytes_per_frame / 256; }

}  // namespace

Result<OverlayGpu> OverlayGpu::create(GpuContext& context, VkDescriptorSetLayout set_layout) {
  OverlayGpu overlay;
  overlay.context_ = &context;
  overlay.set_layout_ = set_layout;
  const VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, max_overlay_textures};
  VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  info.flags = VK_DESCRIPTOR_POOL_CREATE_FREE_DESCRIPTOR_SET_BIT;
  info.maxSets = max_overlay_textures;
  info.poolSizeCount = 1;
  info.pPoolSizes = &size;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateDescriptorPool(context.device(), &info, nullptr, &pool), "vkCreateDescriptorPool")
             .add_context("creating the overlay's descriptor pool"));
  overlay.pool_ = UniqueDescriptorPool(context.device(), pool);
  return overlay;
}

Result<OverlayTextureId> OverlayGpu::add_texture(const ImageRgba8& image, Uploader& uploader, VkSampler sampler) {
  const std::string step = fmt::format("adding a {}×{} overlay texture", image.width, image.height);
  if (image.width == 0 || image.height == 0 || image.pixels.size() != size_t{image.width} * image.height * 4) {
    return Error(ErrorCode::invalid_input, step, "the image is empty or its pixels do not match its size");
  }
  return add(VK_FORMAT_R8G8B8A8_SRGB, {image.width, image.height}, std::as_bytes(std::span(image.pixels)), false,
             &uploader, sampler, step);
}

Result<OverlayTextureId> OverlayGpu::add_distance_field(uint32_t width, uint32_t height,
                                                        std::span<const uint8_t> distances, Uploader& uploader,
                                                        VkSampler sampler) {
  const std::string step = fmt::format("adding a {}×{} distance-field overlay texture", width, height);
  if (width == 0 || height == 0 || distances.size() != size_t{width} * height) {
    return Error(ErrorCode::invalid_input, step, "the atlas is empty or its texels do not match its size");
  }
  // UNORM, not sRGB: the stored numbers are distances, and 128 must stay the outline.
  return add(VK_FORMAT_R8_UNORM, {width, height}, std::as_bytes(distances), true, &uploader, sampler, step);
}

Result<OverlayTextureId> OverlayGpu::add(VkFormat format, VkExtent2D extent, std::span<const std::byte> texels,
                                         bool distance_field, Uploader* uploader, VkSampler sampler,
                                         const std::string& step) {
  auto free_slot = std::find_if(textures_.begin(), textures_.end(), [](const auto& texture) { return !texture; });
  const size_t id = static_cast<size_t>(free_slot - textures_.begin());
  if (id >= max_overlay_textures) {
    return Error(ErrorCode::out_of_memory, step, fmt::format("all {} overlay textures are in use", max_overlay_textures));
  }

  ImageDescription description;
  description.format = format;
  description.extent = extent;
  description.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  Texture texture;
  texture.distance_field = distance_field;
  PV_TRY_ASSIGN(texture.image, GpuImage::create(*context_, description, "overlay texture"));
  // A streamed texture (no uploader) is filled by the next frame instead.
  texture.streamed = uploader == nullptr;
  if (uploader != nullptr) {
    const std::array<uint32_t, 1> one_level{static_cast<uint32_t>(texels.size())};
    PV_TRY(uploader->copy_to_image(texture.image, texels, one_level).add_context(step));
    PV_TRY(uploader->flush().add_context(step));
  }

  VkDescriptorSetAllocateInfo allocate{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  allocate.descriptorPool = pool_.get();
  allocate.descriptorSetCount = 1;
  allocate.pSetLayouts = &set_layout_;
  PV_TRY(vk_check(vkAllocateDescriptorSets(context_->device(), &allocate, &texture.set), "vkAllocateDescriptorSets")
             .add_context(step));
  const VkDescriptorImageInfo image_info{sampler, texture.image.view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  write.dstSet = texture.set;
  write.dstBinding = gpu::binding_overlay_texture;
  write.descriptorCount = 1;
  write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  write.pImageInfo = &image_info;
  vkUpdateDescriptorSets(context_->device(), 1, &write, 0, nullptr);

  if (id == textures_.size()) textures_.emplace_back();
  textures_[id] = std::move(texture);
  return static_cast<OverlayTextureId>(id);
}

Result<OverlayTextureId> OverlayGpu::add_streamed_texture(uint32_t width, uint32_t height, uint32_t fill,
                                                          uint32_t bytes_per_frame, VkSampler sampler) {
  const std::string step = fmt::format("adding a {}×{} streamed overlay texture", width, height);
  if (width == 0 || height == 0) return Error(ErrorCode::invalid_input, step, "the texture is empty");
  // Every streamed texture may be updated in the same frame: room for all their budgets' texels
  // and updates beside their fills, so that a frame does not grow them. The slots' staging
  // buffers grow to it in stage_updates, once their frame has finished: one in flight is not replaced.
  PV_TRY_ASSIGN(const OverlayTextureId id, add(VK_FORMAT_R8G8B8A8_SRGB, {width, height}, {}, false, nullptr, sampler, step));
  textures_[id]->bytes_per_frame = bytes_per_frame;
  streamed_bytes_per_frame_ += bytes_per_frame;
  streamed_updates_per_frame_ += updates_per_frame(bytes_per_frame);
  update_texels_.reserve(streamed_bytes_per_frame_);
  updates_.reserve(updates_.size() + streamed_updates_per_frame_);
  for (SlotBuffers& slot : slots_) slot.updates.reserve(updates_.capacity());
  updates_.push_back({id, 0, 0, width, height, fill, 0});
  return id;
}

Result<void> OverlayGpu::update_texture(OverlayTextureId texture, uint32_t x, uint32_t y, uint32_t width,
                                        uint32_t height, std::span<const uint8_t> rgba) {
  const char* step = "updating a streamed overlay texture";
  if (texture >= textures_.size() || !textures_[texture] || !textures_[texture]->streamed) {
    return Error(ErrorCode::invalid_input, step, fmt::format("overlay texture {} is not a streamed one", texture));
  }
  const VkExtent2D extent = textures_[texture]->image.description().extent;
  if (uint64_t{x} + width > extent.width || uint64_t{y} + height > extent.height || rgba.size() != size_t{width} * height * 4) {
    return Error(ErrorCode::invalid_input, step,
                 fmt::format("{}×{} texels at ({}, {}) in {} bytes do not fit the {}×{} texture", width, height, x, y,
                             rgba.size(), extent.width, extent.height));
  }
  updates_.push_back({texture, x, y, width, height, std::nullopt, update_texels_.size()});
  update_texels_.insert(update_texels_.end(), rgba.begin(), rgba.end());
  return {};
}

Result<void> OverlayGpu::stage_updates(uint32_t slot_index) {
  SlotBuffers& slot = slots_[slot_index];
  slot.updates.clear();
  // Grown even on a frame with nothing to copy, so that a later frame's updates find room.
  if (streamed_bytes_per_frame_ > 0 || !update_texels_.empty()) {
    PV_TRY(ensure_capacity(*context_, slot.staging,
                           std::max<VkDeviceSize>(update_texels_.size(), streamed_bytes_per_frame_),
                           VK_BUFFER_USAGE_TRANSFER_SRC_BIT, "overlay texture updates"));
  }
  if (updates_.empty()) return {};
  std::memcpy(slot.staging.mapped(), update_texels_.data(), update_texels_.size());
  std::swap(slot.updates, updates_);
  update_texels_.clear();
  return {};
}

void OverlayGpu::record_updates(VkCommandBuffer commands, uint32_t slot_index) const {
  const SlotBuffers& slot = slots_[slot_index];
  // Each texture's run of updates between a pair of barriers: from what earlier frames sampled
  // (or from nothing, before its fill) to the copies, and back for this frame's overlay.
  for (size_t first = 0; first < slot.updates.size();) {
    const OverlayTextureId id = slot.updates[first].texture;
    size_t end = first;
    while (end < slot.updates.size() && slot.updates[end].texture == id) ++end;
    const VkImage image = textures_[id]->image.get();
    constexpr VkPipelineStageFlags2 writes = VK_PIPELINE_STAGE_2_COPY_BIT | VK_PIPELINE_STAGE_2_CLEAR_BIT;
    const bool filled = slot.updates[first].fill.has_value();
    const auto to_write = image_barrier(image, VK_IMAGE_ASPECT_COLOR_BIT,
                                        filled ? VK_IMAGE_LAYOUT_UNDEFINED : VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                                        VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                        filled ? VK_ACCESS_2_NONE : VK_ACCESS_2_SHADER_SAMPLED_READ_BIT, writes,
                                        VK_ACCESS_2_TRANSFER_WRITE_BIT);
    pipeline_barrier(commands, {&to_write, 1});
    for (size_t index = first; index < end; ++index) {
      const Update& update = slot.updates[index];
      if (update.fill) {
        // sRGB-encoded like every overlay colour: the clear takes linear values.
        VkClearColorValue colour{};
        for (uint32_t channel = 0; channel < 4; ++channel) {
          const auto encoded = static_cast<uint8_t>(*update.fill >> (8 * channel));
          colour.float32[channel] = channel == 3 ? static_cast<float>(encoded) / 255.0f : srgb_to_linear(encoded);
        }
        const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
        vkCmdClearColorImage(commands, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &colour, 1, &range);
        continue;
      }
      VkBufferImageCopy region{};
      region.bufferOffset = update.offset;
      region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
      region.imageOffset = {static_cast<int32_t>(update.x), static_cast<int32_t>(update.y), 0};
      region.imageExtent = {update.width, update.height, 1};
      vkCmdCopyBufferToImage(commands, slot.staging.get(), image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    }
    const auto to_sampled = image_barrier(image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                          VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, writes,
                                          VK_ACCESS_2_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT,
                                          VK_ACCESS_2_SHADER_SAMPLED_READ_BIT);
    pipeline_barrier(commands, {&to_sampled, 1});
    first = end;
  }
}

void OverlayGpu::remove_texture(OverlayTextureId texture, uint64_t last_frame) {
  if (texture >= textures_.size() || !textures_[texture]) return;
  // Its queued updates go with it: the id may be given to another texture.
  std::erase_if(updates_, [&](const Update& update) { return update.texture == texture; });
  if (textures_[texture]->streamed) {
    streamed_bytes_per_frame_ -= textures_[texture]->bytes_per_frame;
    streamed_updates_per_frame_ -= updates_per_frame(textures_[texture]->bytes_per_frame);
  }
  retired_.push_back(Retired{std::move(*textures_[texture]), last_frame});
  textures_[texture].reset();
}

void OverlayGpu::release_retired(uint64_t frame) {
  std::erase_if(retired_, [&](Retired& retired) {
    if (!frames_finished_through(retired.last_frame, frame)) return false;
    // The pool was made with FREE_DESCRIPTOR_SET_BIT, and freeing cannot fail in a way we could act on.
    static_cast<void>(vkFreeDescriptorSets(context_->device(), pool_.get(), 1, &retired.texture.set));
    return true;
  });
}

Result<void> OverlayGpu::check(const Overlay& overlay, const char* step) const {
  for (const OverlayDraw& draw : overlay.draws) {
    if (draw.texture >= textures_.size() || !textures_[draw.texture]) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("a draw uses overlay texture {}, which does not exist", draw.texture));
    }
    if (uint64_t{draw.first_index} + draw.index_count > overlay.indices.size()) {
      return Error(ErrorCode::invalid_input, step,
                   fmt::format("a draw reads indices {} to {} of {}", draw.first_index,
                               uint64_t{draw.first_index} + draw.index_count, overlay.indices.size()));
    }
  }
  return {};
}

Result<void> OverlayGpu::write(uint32_t slot, const Overlay* screen, std::span<const WorldOverlay> world) {
  SlotBuffers& buffers = slots_[slot];
  VkDeviceSize vertex_bytes = 0;
  VkDeviceSize index_bytes = 0;
  if (screen != nullptr) {
    PV_TRY(check(*screen, "drawing the overlay"));
    vertex_bytes = screen->vertices.size_bytes();
    index_bytes = screen->indices.size_bytes();
  }
  buffers.world.resize(world.size());
  for (size_t index = 0; index < world.size(); ++index) {
    PV_TRY(check(world[index].overlay, "drawing an overlay in the scene"));
    // Index buffers are bound at an offset, which must be a multiple of the index size; vertex
    // offsets are kept to whole vertices.
    buffers.world[index] = {vertex_bytes, index_bytes};
    vertex_bytes += world[index].overlay.vertices.size_bytes();
    index_bytes += world[index].overlay.indices.size_bytes();
  }
  PV_TRY(ensure_capacity(*context_, buffers.vertices, vertex_bytes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, "overlay vertices"));
  PV_TRY(ensure_capacity(*context_, buffers.indices, index_bytes, VK_BUFFER_USAGE_INDEX_BUFFER_BIT, "overlay indices"));
  const auto copy = [&](const Overlay& overlay, VkDeviceSize vertex_at, VkDeviceSize index_at) {
    auto* vertices = static_cast<std::byte*>(buffers.vertices.mapped());
    auto* indices = static_cast<std::byte*>(buffers.indices.mapped());
    if (!overlay.vertices.empty()) std::memcpy(vertices + vertex_at, overlay.vertices.data(), overlay.vertices.size_bytes());
    if (!overlay.indices.empty()) std::memcpy(indices + index_at, overlay.indices.data(), overlay.indices.size_bytes());
  };
  if (screen != nullptr) copy(*screen, 0, 0);
  for (size_t index = 0; index < world.size(); ++index) {
    copy(world[index].overlay, buffers.world[index].vertex_bytes, buffers.world[index].index_bytes);
  }
  return {};
}

void OverlayGpu::record_world(VkCommandBuffer commands, uint32_t slot, std::span<const WorldOverlay> world,
                              VkPipeline pipeline, VkPipelineLayout layout, VkDescriptorSet frame_set,
                              uint32_t view_offset) const {
  if (world.empty()) return;
  const SlotBuffers& buffers = slots_[slot];
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
  vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, 0, 1, &frame_set, 0, nullptr);
  for (size_t index = 0; index < world.size(); ++index) {
    const Overlay& overlay = world[index].overlay;
    if (overlay.draws.empty()) continue;
    const VkBuffer vertex_buffer = buffers.vertices.get();
    const VkDeviceSize vertex_offset = buffers.world[index].vertex_bytes;
    vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &vertex_offset);
    vkCmdBindIndexBuffer(commands, buffers.indices.get(), buffers.world[index].index_bytes, VK_INDEX_TYPE_UINT16);
    gpu::WorldOverlayPush push{world[index].plane_to_world, glm::vec4(-1.0f), glm::uvec4(view_offset, 0, 0, 0)};
    OverlayTextureId bound = UINT32_MAX;
    for (const OverlayDraw& draw : overlay.draws) {
      if (draw.index_count > 0) record_draw(commands, layout, 1, draw, bound, push);
    }
  }
}

void OverlayGpu::record(VkCommandBuffer commands, uint32_t slot, const Overlay& overlay, VkPipeline pipeline,
                        VkPipelineLayout layout, VkExtent2D extent) const {
  if (overlay.draws.empty()) return;
  const SlotBuffers& buffers = slots_[slot];
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
  const VkDeviceSize offset = 0;
  const VkBuffer vertex_buffer = buffers.vertices.get();
  vkCmdBindVertexBuffers(commands, 0, 1, &vertex_buffer, &offset);
  vkCmdBindIndexBuffer(commands, buffers.indices.get(), 0, VK_INDEX_TYPE_UINT16);
  gpu::OverlayPush push{glm::vec4(2.0f / static_cast<float>(extent.width), 2.0f / static_cast<float>(extent.height),
                                  -1.0f, -1.0f),
                        glm::vec4(0.0f)};
  constexpr VkShaderStageFlags push_stages = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT;
  vkCmdPushConstants(commands, layout, push_stages, 0, sizeof(push), &push);
  OverlayTextureId bound = UINT32_MAX;
  for (const OverlayDraw& draw : overlay.draws) {
    // Scissors must lie inside the target and must not be negative.
    const float width = static_cast<float>(extent.width);
    const float height = static_cast<float>(extent.height);
    const float min_x = std::clamp(draw.clip_min_x, 0.0f, width);
    const float min_y = std::clamp(draw.clip_min_y, 0.0f, height);
    const float max_x = std::clamp(draw.clip_max_x, min_x, width);
    const float max_y = std::clamp(draw.clip_max_y, min_y, height);
    const VkRect2D scissor{{static_cast<int32_t>(min_x), static_cast<int32_t>(min_y)},
                           {static_cast<uint32_t>(max_x - std::floor(min_x)), static_cast<uint32_t>(max_y - std::floor(min_y))}};
    if (scissor.extent.width == 0 || scissor.extent.height == 0 || draw.index_count == 0) continue;
    vkCmdSetScissor(commands, 0, 1, &scissor);
    record_draw(commands, layout, 0, draw, bound, push);
  }
}

template <class Push>
void OverlayGpu::record_draw(VkCommandBuffer commands, VkPipelineLayout layout, uint32_t texture_set,
                             const OverlayDraw& draw, OverlayTextureId& bound, Push& push) const {
  if (draw.texture != bound) {
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, layout, texture_set, 1,
                            &textures_[draw.texture]->set, 0, nullptr);
    bound = draw.texture;
  }
  const glm::vec4 coverage(textures_[draw.texture]->distance_field ? 1.0f : 0.0f, draw.glow, 0.0f, 0.0f);
  if (coverage != push.coverage) {
    push.coverage = coverage;
    vkCmdPushConstants(commands, layout, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(push), &push);
  }
  vkCmdDrawIndexed(commands, draw.index_count, 1, draw.first_index, draw.vertex_offset, 0);
}

}  // namespace pavilion::render
