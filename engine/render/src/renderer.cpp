#include "pavilion/render/renderer.h"

#include "gpu_interface.h"
#include "pavilion/core/log.h"
#include "pavilion/render/vulkan_check.h"
#include "renderer_state.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>

#include <array>
#include <algorithm>
#include <chrono>
#include <cstring>

namespace pavilion::render {
namespace {

constexpr uint64_t frame_timeout_ns = 10'000'000'000;  // a GPU that stops is reported, not waited on forever
double milliseconds_between(std::chrono::steady_clock::time_point start, std::chrono::steady_clock::time_point end) {
  return std::chrono::duration<double, std::milli>(end - start).count();
}

VkSampleCountFlagBits supported_samples(uint32_t wanted, VkSampleCountFlags supported) {
  for (uint32_t samples = wanted; samples > 1; samples /= 2) {
    if (supported & samples) return static_cast<VkSampleCountFlagBits>(samples);
  }
  return VK_SAMPLE_COUNT_1_BIT;
}

bool supports_shadow_format(VkPhysicalDevice device, VkFormat format) {
  VkFormatProperties properties;
  vkGetPhysicalDeviceFormatProperties(device, format, &properties);
  constexpr VkFormatFeatureFlags needed = VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT |
                                          VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT |
                                          VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
  return (properties.optimalTilingFeatures & needed) == needed;
}

Result<UniqueSampler> create_sampler(VkDevice device, const VkSamplerCreateInfo& info) {
  VkSampler sampler = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateSampler(device, &info, nullptr, &sampler), "vkCreateSampler"));
  return UniqueSampler(device, sampler);
}

// The light's camera: an orthographic box around the whole scene, looking along the light.
glm::mat4 fit_light_view_projection(const glm::vec4& bounds, const glm::vec3& direction) {
  const glm::vec3 center(bounds);
  const float radius = bounds.w;
  const glm::vec3 travel = glm::normalize(direction);
  const glm::vec3 up = std::abs(travel.y) > 0.99f ? glm::vec3(0, 0, 1) : glm::vec3(0, 1, 0);
  const glm::mat4 view = glm::lookAtRH(center - travel * (radius * 2.0f), center, up);
  return glm::orthoRH_ZO(-radius, radius, -radius, radius, 0.0f, radius * 4.0f) * view;
}

}  // namespace

Result<void> Renderer::State::create_defaults() {
  const VkDevice device = context.device();
  VkSamplerCreateInfo sampler{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  sampler.magFilter = VK_FILTER_LINEAR;
  sampler.minFilter = VK_FILTER_LINEAR;
  sampler.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
  sampler.addressModeU = sampler.addressModeV = sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_REPEAT;
  sampler.maxLod = VK_LOD_CLAMP_NONE;
  const float anisotropy = std::min(8.0f, context.capabilities().max_sampler_anisotropy);
  sampler.anisotropyEnable = anisotropy > 1.0f;
  sampler.maxAnisotropy = anisotropy;
  PV_TRY_ASSIGN(material_sampler, create_sampler(device, sampler));

  VkSamplerCreateInfo shadow{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  shadow.magFilter = VK_FILTER_LINEAR;  // hardware 2×2 percentage-closer filtering
  shadow.minFilter = VK_FILTER_LINEAR;
  shadow.addressModeU = shadow.addressModeV = shadow.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  shadow.compareEnable = VK_TRUE;
  shadow.compareOp = VK_COMPARE_OP_LESS_OR_EQUAL;
  PV_TRY_ASSIGN(shadow_sampler, create_sampler(device, shadow));

  VkSamplerCreateInfo nearest{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  nearest.magFilter = nearest.minFilter = VK_FILTER_NEAREST;
  nearest.addressModeU = nearest.addressModeV = nearest.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  PV_TRY_ASSIGN(hdr_sampler, create_sampler(device, nearest));

  VkSamplerCreateInfo overlay_filter = nearest;
  overlay_filter.magFilter = overlay_filter.minFilter = VK_FILTER_LINEAR;
  PV_TRY_ASSIGN(overlay_sampler, create_sampler(device, overlay_filter));
  PV_TRY_ASSIGN(overlay_gpu, OverlayGpu::create(context, pipelines.overlay_set_layout()));

  ImageDescription one_texel;
  one_texel.format = VK_FORMAT_R8G8B8A8_UNORM;
  one_texel.extent = {1, 1};
  one_texel.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  PV_TRY_ASSIGN(defaults.white, GpuImage::create(context, one_texel, "default white texture"));
  PV_TRY_ASSIGN(defaults.flat_normal, GpuImage::create(context, one_texel, "default flat normal texture"));
  const std::array<uint8_t, 4> white{255, 255, 255, 255};
  const std::array<uint8_t, 4> flat_normal{128, 128, 255, 255};
  const std::array<uint32_t, 1> one_level{4};
  PV_TRY(uploader.copy_to_image(defaults.white, std::as_bytes(std::span(white)), one_level));
  PV_TRY(uploader.copy_to_image(defaults.flat_normal, std::as_bytes(std::span(flat_normal)), one_level));

  ImageDescription shadow_description;
  shadow_description.format = pipelines.formats().shadow;
  shadow_description.extent = {config.shadow_map_size, config.shadow_map_size};
  shadow_description.usage = VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
  shadow_description.aspect = VK_IMAGE_ASPECT_DEPTH_BIT;
  PV_TRY_ASSIGN(shadow_map, GpuImage::create(context, shadow_description, "shadow map"));
  // Frames without shadows still bind the map, so it starts out readable.
  PV_TRY(uploader.initialize_layout(shadow_map, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                                    VK_PIPELINE_STAGE_2_FRAGMENT_SHADER_BIT, VK_ACCESS_2_SHADER_SAMPLED_READ_BIT));
  return uploader.flush();
}

Result<void> Renderer::State::create_frame_slots() {
  const VkDevice device = context.device();
  const std::array<VkDescriptorPoolSize, 3> pool_sizes{{
      {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, frames_in_flight},
      // Instances, visible, materials, joints, morph deltas and morph weights.
      {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, frames_in_flight * 6},
      // The frames' shadow maps, the tonemap set's HDR image, the flash limiter's two sets' two.
      {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, frames_in_flight + 1 + 4},
  }};
  VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pool_info.maxSets = frames_in_flight + 3;
  pool_info.poolSizeCount = static_cast<uint32_t>(pool_sizes.size());
  pool_info.pPoolSizes = pool_sizes.data();
  VkDescriptorPool pool = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateDescriptorPool(device, &pool_info, nullptr, &pool), "vkCreateDescriptorPool"));
  descriptor_pool = UniqueDescriptorPool(device, pool);

  // The frames' sets, then the tonemap set and the flash limiter's two.
  std::array<VkDescriptorSetLayout, frames_in_flight + 3> layouts;
  layouts.fill(pipelines.limited_tonemap_set_layout());
  std::fill_n(layouts.begin(), frames_in_flight, pipelines.frame_set_layout());
  layouts[frames_in_flight] = pipelines.tonemap_set_layout();
  std::array<VkDescriptorSet, frames_in_flight + 3> sets{};
  VkDescriptorSetAllocateInfo allocate_info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  allocate_info.descriptorPool = pool;
  allocate_info.descriptorSetCount = static_cast<uint32_t>(layouts.size());
  allocate_info.pSetLayouts = layouts.data();
  PV_TRY(vk_check(vkAllocateDescriptorSets(device, &allocate_info, sets.data()), "vkAllocateDescriptorSets"));
  tonemap_set = sets[frames_in_flight];
  luminance_history.sets = {sets[frames_in_flight + 1], sets[frames_in_flight + 2]};

  for (uint32_t index = 0; index < frames_in_flight; ++index) {
    FrameSlot& slot = slots[index];
    slot.frame_set = sets[index];
    VkCommandPoolCreateInfo command_pool_info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    command_pool_info.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    command_pool_info.queueFamilyIndex = context.queue_family();
    VkCommandPool command_pool = VK_NULL_HANDLE;
    PV_TRY(vk_check(vkCreateCommandPool(device, &command_pool_info, nullptr, &command_pool), "vkCreateCommandPool"));
    slot.command_pool = UniqueCommandPool(device, command_pool);
    VkCommandBufferAllocateInfo command_info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    command_info.commandPool = command_pool;
    command_info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    command_info.commandBufferCount = 1;
    PV_TRY(vk_check(vkAllocateCommandBuffers(device, &command_info, &slot.commands), "vkAllocateCommandBuffers"));
    PV_TRY_ASSIGN(slot.done, create_fence(device, true));
    PV_TRY_ASSIGN(slot.frame_uniform,
                  GpuBuffer::create(context, sizeof(gpu::FrameData), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                    MemoryUsage::upload, fmt::format("frame data, slot {}", index)));
  }

  if (context.capabilities().timestamps) {
    VkQueryPoolCreateInfo query_info{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    query_info.queryType = VK_QUERY_TYPE_TIMESTAMP;
    query_info.queryCount = frames_in_flight * timestamps_per_frame;
    VkQueryPool query_pool = VK_NULL_HANDLE;
    PV_TRY(vk_check(vkCreateQueryPool(device, &query_info, nullptr, &query_pool), "vkCreateQueryPool"));
    timestamps = UniqueQueryPool(device, query_pool);
  }
  return {};
}

// Draws two views with multiview into a two-layer image and reads back whether the second layer
// was drawn. Some drivers (lavapipe in Mesa 22) advertise multiview yet draw only the first view
// under dynamic rendering; they get one pass per view instead.
Result<bool> Renderer::State::multiview_reaches_every_layer() {
  if (context.capabilities().max_multiview_views < max_views) return false;
  constexpr VkFormat format = VK_FORMAT_R8G8B8A8_UNORM;
  constexpr VkExtent2D extent{4, 4};
  ImageDescription description;
  description.format = format;
  description.extent = extent;
  description.layers = 2;
  description.array_view = true;
  description.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  PV_TRY_ASSIGN(auto image, GpuImage::create(context, description, "multiview probe"));
  PV_TRY_ASSIGN(auto readback, GpuBuffer::create(context, extent.width * extent.height * 4 * 2,
                                                 VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUsage::readback,
                                                 "multiview probe readback"));
  PV_TRY_ASSIGN(auto pipeline, pipelines.multiview_probe(format));

  PV_TRY_ASSIGN(const VkCommandBuffer commands, uploader.commands());
  const auto to_color = image_barrier(image.get(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                                      VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_PIPELINE_STAGE_2_NONE, 0,
                                      VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                      VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT);
  pipeline_barrier(commands, {&to_color, 1});
  VkRenderingAttachmentInfo color{VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO};
  color.imageView = image.view();
  color.imageLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  VkRenderingInfo rendering{VK_STRUCTURE_TYPE_RENDERING_INFO};
  rendering.renderArea = {{0, 0}, extent};
  rendering.layerCount = 2;
  rendering.viewMask = 0b11;
  rendering.colorAttachmentCount = 1;
  rendering.pColorAttachments = &color;
  vkCmdBeginRendering(commands, &rendering);
  const VkViewport viewport{0.0f, 0.0f, 4.0f, 4.0f, 0.0f, 1.0f};
  const VkRect2D scissor{{0, 0}, extent};
  vkCmdSetViewport(commands, 0, 1, &viewport);
  vkCmdSetScissor(commands, 0, 1, &scissor);
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline.get());
  vkCmdDraw(commands, 3, 1, 0, 0);
  vkCmdEndRendering(commands);
  const auto to_copy = image_barrier(image.get(), VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                     VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                     VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT,
                                     VK_ACCESS_2_COLOR_ATTACHMENT_WRITE_BIT, VK_PIPELINE_STAGE_2_COPY_BIT,
                                     VK_ACCESS_2_TRANSFER_READ_BIT);
  pipeline_barrier(commands, {&to_copy, 1});
  record_readback(commands, image.get(), extent, 2, readback.get());
  PV_TRY(uploader.flush());
  // Layer 1's first texel: red is the view index (1 → 255), green marks a drawn texel.
  const std::byte* second_layer = readback.mapped() + extent.width * extent.height * 4;
  return second_layer[0] == std::byte{255} && second_layer[1] == std::byte{255};
}

// Points every slot's frame set at the current scene's buffers. The GPU must be idle.
void Renderer::State::write_frame_sets() {
  for (uint32_t index = 0; index < frames_in_flight; ++index) {
    const FrameSlot& slot = slots[index];
    const VkDescriptorBufferInfo frame_info{slot.frame_uniform.get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo instance_info{scene->instances.get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo visible_info{scene->visible[index].get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo material_info{scene->materials.get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo joint_info{scene->joints[index].get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo morph_delta_info{scene->morph_deltas.get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo morph_weight_info{scene->morph_weights[index].get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorImageInfo shadow_info{shadow_sampler.get(), shadow_map.view(),
                                            VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    auto write = [&](uint32_t binding, VkDescriptorType type) {
      VkWriteDescriptorSet info{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
      info.dstSet = slot.frame_set;
      info.dstBinding = binding;
      info.descriptorCount = 1;
      info.descriptorType = type;
      return info;
    };
    std::array<VkWriteDescriptorSet, 8> writes{
        write(gpu::binding_frame, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER),
        write(gpu::binding_instances, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER),
        write(gpu::binding_visible, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER),
        write(gpu::binding_materials, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER),
        write(gpu::binding_shadow_map, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER),
        write(gpu::binding_joints, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER),
        write(gpu::binding_morph_deltas, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER),
        write(gpu::binding_morph_weights, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER),
    };
    writes[0].pBufferInfo = &frame_info;
    writes[1].pBufferInfo = &instance_info;
    writes[2].pBufferInfo = &visible_info;
    writes[3].pBufferInfo = &material_info;
    writes[4].pImageInfo = &shadow_info;
    writes[5].pBufferInfo = &joint_info;
    writes[6].pBufferInfo = &morph_delta_info;
    writes[7].pBufferInfo = &morph_weight_info;
    vkUpdateDescriptorSets(context.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  }
}

Result<void> Renderer::State::use_scene(std::unique_ptr<SceneGpu> uploaded) {
  // The frame sets point at the old scene's buffers until rewritten; no frame may be using them.
  PV_TRY(context.wait_idle());
  scene = std::move(uploaded);
  write_frame_sets();
  light_view_projection = fit_light_view_projection(scene->bounds, scene->light.direction);
  // Each group of equal keys may split into one batch per level of detail.
  batches.reserve(scene->instance_keys.size() * scene::max_mesh_lods);
  lod_scratch.assign(scene->instance_keys.size(), 0);
  return {};
}

Result<void> Renderer::State::ensure_attachments(VkExtent2D extent, uint32_t layers) {
  if (attachments.extent.width == extent.width && attachments.extent.height == extent.height &&
      attachments.layers == layers) {
    return {};
  }
  PV_TRY(context.wait_idle());  // the old attachments may still be in use by frames in flight
  attachments = Attachments{};
  luminance_history.images = {};  // of the old size: made again when next needed
  luminance_history.image_layers = {};
  luminance_history.valid = false;
  const PipelineFormats& formats = pipelines.formats();
  ImageDescription description;
  description.extent = extent;
  description.layers = layers;
  description.array_view = true;
  description.samples = samples;

  description.format = formats.depth;
  // Sampled too: soft particles fade against it.
  description.usage = VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
  description.aspect = VK_IMAGE_ASPECT_DEPTH_BIT;
  PV_TRY_ASSIGN(attachments.depth, GpuImage::create(context, description, "depth"));

  description.format = formats.hdr;
  description.aspect = VK_IMAGE_ASPECT_COLOR_BIT;
  description.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
  PV_TRY_ASSIGN(attachments.color, GpuImage::create(context, description, "HDR colour"));
  attachments.extent = extent;
  attachments.layers = layers;
  if (layers > 1 && !multiview) {
    const VkDevice device = context.device();
    for (uint32_t layer = 0; layer < layers; ++layer) {
      auto layer_view = [&](const GpuImage& image, VkImageAspectFlags aspect) {
        return create_image_view(device, image.get(), image.description().format, aspect, 1, 1, false, layer);
      };
      PV_TRY_ASSIGN(attachments.depth_layers[layer], layer_view(attachments.depth, VK_IMAGE_ASPECT_DEPTH_BIT));
      PV_TRY_ASSIGN(attachments.color_layers[layer], layer_view(attachments.color, VK_IMAGE_ASPECT_COLOR_BIT));
    }
  }

  const VkDescriptorImageInfo hdr_info{hdr_sampler.get(), attachments.color.view(),
                                       VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  write.dstSet = tonemap_set;
  write.dstBinding = gpu::binding_hdr;
  write.descriptorCount = 1;
  write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  write.pImageInfo = &hdr_info;
  std::array<VkWriteDescriptorSet, 3> writes{write, write, write};
  writes[1].dstSet = luminance_history.sets[0];
  writes[2].dstSet = luminance_history.sets[1];
  vkUpdateDescriptorSets(context.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  particles.write_depth(context.device(), attachments.depth.view(), hdr_sampler.get());
  return {};
}

Result<void> Renderer::State::ensure_luminance_history() {
  LuminanceHistory& history = luminance_history;
  if (history.images[0] && history.extent.width == attachments.extent.width &&
      history.extent.height == attachments.extent.height && history.layers == attachments.layers) {
    return {};
  }
  // Frames in flight may still bind the sets this rewrites.
  PV_TRY(context.wait_idle());
  history.images = {};
  history.image_layers = {};
  history.valid = false;
  ImageDescription description;
  description.format = luminance_history_format;
  description.extent = attachments.extent;
  description.layers = attachments.layers;
  description.array_view = true;
  description.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;
  for (uint32_t index = 0; index < 2; ++index) {
    PV_TRY_ASSIGN(history.images[index],
                  GpuImage::create(context, description, fmt::format("luminance history {}", index)));
    for (uint32_t layer = 0; layer < attachments.layers && attachments.layers > 1 && !multiview; ++layer) {
      PV_TRY_ASSIGN(history.image_layers[index][layer],
                    create_image_view(context.device(), history.images[index].get(), luminance_history_format,
                                      VK_IMAGE_ASPECT_COLOR_BIT, 1, 1, false, layer));
    }
  }
  history.extent = attachments.extent;
  history.layers = attachments.layers;
  std::array<VkDescriptorImageInfo, 2> infos{};
  std::array<VkWriteDescriptorSet, 2> writes{};
  for (uint32_t index = 0; index < 2; ++index) {
    infos[index] = {hdr_sampler.get(), history.images[index].view(), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    writes[index] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    writes[index].dstSet = history.sets[index];
    writes[index].dstBinding = gpu::binding_luminance_history;
    writes[index].descriptorCount = 1;
    writes[index].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    writes[index].pImageInfo = &infos[index];
  }
  vkUpdateDescriptorSets(context.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  return {};
}

void Renderer::State::read_timestamps(const FrameSlot& slot) {
  if (!timestamps || !slot.timestamps_written) return;
  const uint32_t first = static_cast<uint32_t>(&slot - slots.data()) * timestamps_per_frame;
  std::array<uint64_t, timestamps_per_frame> ticks{};
  const VkResult result = vkGetQueryPoolResults(context.device(), timestamps.get(), first, timestamps_per_frame,
                                                sizeof(ticks), ticks.data(), sizeof(uint64_t), VK_QUERY_RESULT_64_BIT);
  if (result != VK_SUCCESS) return;  // VK_NOT_READY cannot happen after the fence; keep the old figures
  const double to_ms = context.capabilities().timestamp_period_ns / 1e6;
  stats.gpu_frame = slot.frame;
  stats.gpu_shadow_ms = static_cast<double>(ticks[1] - ticks[0]) * to_ms;
  stats.gpu_opaque_ms = static_cast<double>(ticks[2] - ticks[1]) * to_ms;
  stats.gpu_tonemap_ms = static_cast<double>(ticks[3] - ticks[2]) * to_ms;
  stats.gpu_total_ms = static_cast<double>(ticks[3] - ticks[0]) * to_ms;
}

void Renderer::State::write_frame_data(FrameSlot& slot, std::span<const View> views, VkExtent2D extent) {
  gpu::FrameData data{};
  const glm::vec2 size(static_cast<float>(extent.width), static_cast<float>(extent.height));
  data.screen = glm::vec4(size, 1.0f / size);
  for (size_t index = 0; index < views.size(); ++index) {
    const glm::mat4 view_projection = views[index].projection * views[index].view;
    data.views[index].view_projection = view_projection;
    data.views[index].inverse_view_projection = glm::inverse(view_projection);
    data.views[index].position = glm::vec4(view_position(views[index]), 1.0f);
  }
  const scene::DirectionalLight& light = scene->light;
  const bool shadows = light.casts_shadows && !scene->instance_keys.empty();
  data.light_view_projection = light_view_projection;
  data.light_direction = glm::vec4(-glm::normalize(light.direction), 1.5f * shadow_texel_world(scene->bounds, config.shadow_map_size));
  data.light_radiance = glm::vec4(light.color * light.intensity, shadows ? 1.0f : 0.0f);
  const scene::Environment& environment = scene->environment;
  data.sky_zenith = glm::vec4(environment.sky_zenith, 0.0f);
  data.sky_horizon = glm::vec4(environment.sky_horizon, 0.0f);
  data.ground = glm::vec4(environment.ground, 0.0f);
  data.ambient = glm::vec4(environment.ambient_intensity, 1.0f / static_cast<float>(config.shadow_map_size), 0, 0);
  std::memcpy(slot.frame_uniform.mapped(), &data, sizeof(data));
}

Renderer::Renderer(std::unique_ptr<State> state) : state_(std::move(state)) {}

Renderer::~Renderer() {
  if (state_) static_cast<void>(state_->context.wait_idle());
}

Result<std::unique_ptr<Renderer>> Renderer::create(GpuContext& context, const RendererConfig& config) {
  if (!(config.max_luminance_step >= 0.0f && config.max_luminance_step <= 1.0f)) {
    return Error(ErrorCode::invalid_input, "starting the renderer",
                 fmt::format("a flash limit of {} per frame will not do; relative luminance runs from 0 to 1, so use "
                             "0 (off) to 1, e.g. flash_safe_luminance_step(90) for a 90 Hz headset",
                             config.max_luminance_step));
  }
  if (config.shadow_map_size == 0 || config.shadow_map_size > 16384 || config.upload_staging_bytes < 4096) {
    return Error(ErrorCode::invalid_input, "starting the renderer",
                 fmt::format("a shadow map of {} texels and {} bytes of upload memory will not do; use 1 to 16384 "
                             "texels and at least 4096 bytes", config.shadow_map_size, config.upload_staging_bytes));
  }
  auto state = std::make_unique<State>(context);
  state->config = config;
  const uint32_t wanted_samples = config.msaa_samples != automatic_msaa ? config.msaa_samples
                                  : context.device_choice().software ? 1
                                                                     : 4;
  state->samples = supported_samples(wanted_samples, context.capabilities().framebuffer_sample_counts);
  if (state->samples != wanted_samples) {
    log::warn("render", "{}× MSAA is not supported by {}; using {}×", wanted_samples, context.device_choice().name,
              static_cast<uint32_t>(state->samples));
  }
  PipelineFormats formats;
  formats.samples = state->samples;
  if (!supports_shadow_format(context.physical_device(), formats.shadow)) formats.shadow = VK_FORMAT_D16_UNORM;
  PV_TRY_ASSIGN(state->pipelines, Pipelines::create(context.device(), formats).add_context("starting the renderer"));
  PV_TRY_ASSIGN(state->uploader, Uploader::create(context, config.upload_staging_bytes));
  PV_TRY(state->create_defaults().add_context("starting the renderer"));
  PV_TRY(state->create_frame_slots().add_context("starting the renderer"));
  PV_TRY_ASSIGN(state->particles, ParticleGpu::create(context, state->pipelines.formats(), state->pipelines.frame_set_layout())
                                      .add_context("starting the renderer"));
  if (config.multiview) {
    PV_TRY_ASSIGN(state->multiview, state->multiview_reaches_every_layer().add_context("checking multiview"));
  }
  if (config.multiview && !state->multiview) {
    log::info("render", "{} does not draw every view of a multiview pass; stereo views get one pass each",
              context.device_choice().name);
  }
  PV_TRY_ASSIGN(auto empty, upload_scene(context, scene::RenderScene{}, state->uploader, state->pipelines.material_set_layout(),
                                         state->material_sampler.get(), state->defaults, state->config.shadow_map_size, nullptr));
  PV_TRY(state->use_scene(std::move(empty)));
  return std::unique_ptr<Renderer>(new Renderer(std::move(state)));
}

Result<void> Renderer::load_scene(const scene::RenderScene& scene, const scene::TextureReader* texture_reader) {
  PV_TRY(scene::validate(scene));
  const bool deferred = std::any_of(scene.textures.begin(), scene.textures.end(),
                                    [](const scene::TextureData& texture) { return texture.deferred; });
  if (deferred && texture_reader == nullptr) {
    return Error(ErrorCode::invalid_input, "loading the scene onto the GPU",
                 "its textures' bytes were left in the package (deferred) and no reader was given for them");
  }
  State& state = *state_;
  auto uploaded = upload_scene(state.context, scene, state.uploader, state.pipelines.material_set_layout(),
                               state.material_sampler.get(), state.defaults, state.config.shadow_map_size, texture_reader);
  if (!uploaded) {
    state.uploader.discard();
    return std::move(uploaded).error().add_context("loading the scene onto the GPU");
  }
  // A new scene is a cut, one change rather than a flash: it shows at once, not faded in.
  state.luminance_history.valid = false;
  return state.use_scene(std::move(*uploaded));
}

Result<void> Renderer::update_textures(std::span<const scene::LoadedTexture> textures) {
  State& state = *state_;
  const size_t texture_count = state.scene ? state.scene->textures.size() : 0;
  // Every update is checked before any is uploaded, so a bad one leaves nothing half queued.
  for (const scene::LoadedTexture& update : textures) {
    if (update.texture >= texture_count) {
      return Error(ErrorCode::invalid_input, "updating textures",
                   fmt::format("texture {} does not exist; the scene has {}", update.texture, texture_count));
    }
    PV_TRY(scene::validate(update.data));
    // The image shown now must be the update's own small levels: the same texture, not another.
    const ImageDescription& current = state.scene->textures[update.texture].description();
    const scene::TextureData& data = update.data;
    const uint32_t shown_from = data.mip_levels - std::min(current.mip_levels, data.mip_levels);
    if (current.extent.width != std::max(1u, data.width >> shown_from) ||
        current.extent.height != std::max(1u, data.height >> shown_from) || current.mip_levels > data.mip_levels ||
        current.format != vulkan_format(data.format)) {
      return Error(ErrorCode::invalid_input, "updating textures",
                   fmt::format("texture '{}' changed its format, size or levels; load the scene again instead", data.name));
    }
  }
  std::vector<GpuImage> images;
  for (const scene::LoadedTexture& update : textures) {
    auto image = upload_texture(state.context, update.data, state.uploader);
    if (!image) {
      state.uploader.discard();
      return std::move(image).error();
    }
    images.push_back(std::move(*image));
  }
  PV_TRY(state.uploader.flush());
  // Descriptor sets in use by frames in flight must not change: wait for them.
  PV_TRY(state.context.wait_idle());
  SceneGpu& gpu_scene = *state.scene;
  for (size_t index = 0; index < textures.size(); ++index) gpu_scene.textures[textures[index].texture] = std::move(images[index]);
  for (uint32_t material = 0; material < gpu_scene.material_textures.size(); ++material) {
    const auto& maps = gpu_scene.material_textures[material];
    const bool affected = std::any_of(textures.begin(), textures.end(), [&](const scene::LoadedTexture& update) {
      return std::find(maps.begin(), maps.end(), static_cast<int32_t>(update.texture)) != maps.end();
    });
    if (affected) {
      write_material_set(state.context.device(), gpu_scene, material, state.material_sampler.get(), state.defaults);
    }
  }
  return {};
}

Result<OverlayTextureId> Renderer::add_overlay_texture(const ImageRgba8& image) {
  return state_->overlay_gpu.add_texture(image, state_->uploader, state_->overlay_sampler.get());
}

Result<OverlayTextureId> Renderer::add_overlay_distance_field(uint32_t width, uint32_t height,
                                                              std::span<const uint8_t> distances) {
  return state_->overlay_gpu.add_distance_field(width, height, distances, state_->uploader,
                                                state_->overlay_sampler.get());
}

Result<OverlayTextureId> Renderer::add_streamed_overlay_texture(uint32_t width, uint32_t height, uint32_t fill,
                                                                uint32_t bytes_per_frame) {
  return state_->overlay_gpu.add_streamed_texture(width, height, fill, bytes_per_frame, state_->overlay_sampler.get());
}

Result<void> Renderer::update_overlay_texture(OverlayTextureId texture, uint32_t x, uint32_t y, uint32_t width,
                                              uint32_t height, std::span<const uint8_t> rgba) {
  return state_->overlay_gpu.update_texture(texture, x, y, width, height, rgba);
}

Result<void> Renderer::remove_overlay_texture(OverlayTextureId texture) {
  // The next frame's number: every frame that may draw it comes before (one frame to spare, and
  // defined before the first frame).
  state_->overlay_gpu.remove_texture(texture, state_->frame_counter);
  return {};
}

Result<std::optional<AcquiredImage>> Renderer::State::start_frame(RenderTarget& target, uint32_t& slot_index) {
  slot_index = static_cast<uint32_t>(frame_counter % frames_in_flight);
  PV_TRY(reclaim(slots[slot_index]));
  overlay_gpu.release_retired(frame_counter);
  return target.acquire(slot_index);
}

Result<void> Renderer::State::reclaim(FrameSlot& slot) {
  const VkFence done = slot.done.get();
  const VkResult waited = vkWaitForFences(context.device(), 1, &done, VK_TRUE, frame_timeout_ns);
  if (waited == VK_TIMEOUT) {
    return Error(ErrorCode::gpu, "waiting for an earlier frame",
                 fmt::format("the GPU has not finished frame {} after 10 seconds", slot.frame));
  }
  PV_TRY(vk_check(waited, "vkWaitForFences"));
  read_timestamps(slot);
  return {};
}

Result<void> Renderer::State::begin_commands(FrameSlot& slot) {
  PV_TRY(vk_check(vkResetCommandPool(context.device(), slot.command_pool.get(), 0), "vkResetCommandPool"));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  PV_TRY(vk_check(vkBeginCommandBuffer(slot.commands, &begin), "vkBeginCommandBuffer"));
  return {};
}

Result<void> Renderer::State::submit(FrameSlot& slot, RenderTarget& target, const AcquiredImage& acquired,
                                     bool timestamps_written) {
  VkSemaphoreSubmitInfo wait_info{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
  wait_info.semaphore = acquired.wait_semaphore;
  wait_info.stageMask = VK_PIPELINE_STAGE_2_COLOR_ATTACHMENT_OUTPUT_BIT;
  VkSemaphoreSubmitInfo signal_info{VK_STRUCTURE_TYPE_SEMAPHORE_SUBMIT_INFO};
  signal_info.semaphore = acquired.signal_semaphore;
  signal_info.stageMask = VK_PIPELINE_STAGE_2_ALL_COMMANDS_BIT;
  VkCommandBufferSubmitInfo command_info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_SUBMIT_INFO};
  command_info.commandBuffer = slot.commands;
  VkSubmitInfo2 submission{VK_STRUCTURE_TYPE_SUBMIT_INFO_2};
  submission.waitSemaphoreInfoCount = acquired.wait_semaphore ? 1 : 0;
  submission.pWaitSemaphoreInfos = &wait_info;
  submission.commandBufferInfoCount = 1;
  submission.pCommandBufferInfos = &command_info;
  submission.signalSemaphoreInfoCount = acquired.signal_semaphore ? 1 : 0;
  submission.pSignalSemaphoreInfos = &signal_info;
  // Reset only now: an error above leaves the fence signalled, so the next frame does not wait forever.
  const VkFence done = slot.done.get();
  PV_TRY(vk_check(vkResetFences(context.device(), 1, &done), "vkResetFences"));
  PV_TRY(vk_check(vkQueueSubmit2(context.queue(), 1, &submission, done), "vkQueueSubmit2").add_context("drawing a frame"));
  slot.frame = frame_counter;
  slot.timestamps_written = timestamps_written;
  PV_TRY(target.present(acquired));
  return {};
}

Result<FrameOutcome> Renderer::render_panel(RenderTarget& target, const Overlay& overlay) {
  State& state = *state_;
  uint32_t slot_index = 0;
  PV_TRY_ASSIGN(const std::optional<AcquiredImage> acquired, state.start_frame(target, slot_index));
  if (!acquired) return FrameOutcome::skipped;
  FrameSlot& slot = state.slots[slot_index];
  expects(acquired->image.layers == 1, "a panel is one flat image");
  PV_TRY_ASSIGN(const VkPipeline overlay_pipeline, state.pipelines.overlay(acquired->image.format));
  PV_TRY(state.overlay_gpu.write(slot_index, &overlay, {}));
  PV_TRY(state.begin_commands(slot));
  PV_TRY(state.overlay_gpu.stage_updates(slot_index));
  state.overlay_gpu.record_updates(slot.commands, slot_index);
  state.record_panel(slot.commands, slot_index, overlay, overlay_pipeline, target, *acquired);
  PV_TRY(vk_check(vkEndCommandBuffer(slot.commands), "vkEndCommandBuffer"));
  PV_TRY(state.submit(slot, target, *acquired, false));
  ++state.frame_counter;
  return FrameOutcome::drawn;
}

Result<FrameOutcome> Renderer::render(RenderTarget& target, std::span<const View> views, const Overlay* overlay,
                                      std::span<const WorldOverlay> world) {
  expects(!views.empty() && views.size() <= max_views, "between one and max_views views");
  State& state = *state_;
  uint32_t slot_index = 0;
  PV_TRY_ASSIGN(const std::optional<AcquiredImage> acquired, state.start_frame(target, slot_index));
  if (!acquired) return FrameOutcome::skipped;
  FrameSlot& slot = state.slots[slot_index];
  const TargetImage& image = acquired->image;
  expects(image.layers == views.size(), "one view per target layer");
  PV_TRY(state.ensure_attachments(image.extent, image.layers));
  if (state.limits_flashes()) PV_TRY(state.ensure_luminance_history());
  const uint32_t views_per_pass = state.multiview ? image.layers : 1;
  PV_TRY_ASSIGN(const ViewPipelines* view_pipelines, state.pipelines.for_views(views_per_pass));
  PV_TRY_ASSIGN(const VkPipeline tonemap,
                state.pipelines.tonemap(image.format, views_per_pass, state.limits_flashes()));
  if (state.particles.active()) {
    PV_TRY_ASSIGN(state.particle_pipeline, state.particles.pipeline(state.context.device(), views_per_pass));
  }
  // Several layers are a headset's eyes, whose panels are the compositor's quad layers.
  if (image.layers > 1) overlay = nullptr;
  VkPipeline overlay_pipeline = VK_NULL_HANDLE;
  if (overlay != nullptr) {
    PV_TRY_ASSIGN(overlay_pipeline, state.pipelines.overlay(image.format));
  }
  PV_TRY(state.overlay_gpu.write(slot_index, overlay, world));

  const auto cull_start = std::chrono::steady_clock::now();
  state.write_frame_data(slot, views, image.extent);
  if (state.pages) {
    state.pages->prepare_frame(slot_index, state.frame_counter, views, image.extent, *view_pipelines);
  }
  std::array<Frustum, max_views> frusta;
  for (size_t index = 0; index < views.size(); ++index) {
    frusta[index] = frustum_from_view_projection(views[index].projection * views[index].view);
  }
  SceneGpu& scene = *state.scene;
  // Levels of detail are chosen for the first view: a headset's eyes see at nearly the same scale.
  LodChoice lod_choice;
  lod_choice.eye = view_position(views[0]);
  lod_choice.pixels_per_radian = static_cast<float>(image.extent.height) * 0.5f * std::abs(views[0].projection[1][1]);
  const uint32_t visible = cull_and_batch({frusta.data(), views.size()}, scene.instance_spheres, scene.instance_keys,
                                          scene.mesh_details, lod_choice,
                                          reinterpret_cast<uint32_t*>(scene.visible[slot_index].mapped()),
                                          state.lod_scratch, state.batches);
  const bool shadows = state.shadows_drawn();
  // A shadow reaches as far along the light as the light's box around the scene is deep.
  const glm::vec3 light_travel = glm::normalize(scene.light.direction) * (4.0f * scene.bounds.w);
  const uint32_t skinned = scene.stage_skinned(slot_index, state.lod_scratch, {frusta.data(), views.size()}, shadows,
                                               light_travel);
  const uint32_t morphed = scene.stage_morphed(slot_index, state.lod_scratch, {frusta.data(), views.size()}, shadows,
                                               light_travel);
  const auto cull_end = std::chrono::steady_clock::now();

  PV_TRY(state.begin_commands(slot));
  // Staged last: a step above that fails leaves the fills and updates queued for the next frame
  // (a texture whose fill was dropped would be sampled undefined).
  PV_TRY(state.overlay_gpu.stage_updates(slot_index));
  state.record(slot, slot_index, *view_pipelines, tonemap, overlay, overlay_pipeline, world, target, *acquired);
  PV_TRY(vk_check(vkEndCommandBuffer(slot.commands), "vkEndCommandBuffer"));
  const auto record_end = std::chrono::steady_clock::now();

  PV_TRY(state.submit(slot, target, *acquired, static_cast<bool>(state.timestamps)));
  const auto submit_end = std::chrono::steady_clock::now();

  FrameStats& stats = state.stats;
  stats.frame = state.frame_counter++;
  stats.instances = static_cast<uint32_t>(scene.instance_keys.size());
  stats.visible_instances = visible;
  stats.skinned_instances = skinned;
  stats.morphed_instances = morphed;
  stats.draw_calls = static_cast<uint32_t>(state.batches.size());
  stats.triangles = 0;
  for (const DrawBatch& batch : state.batches) {
    stats.triangles += uint64_t{scene.meshes[batch.key.mesh].lods[batch.key.lod].index_count} / 3 * batch.count;
  }
  stats.shadow_triangles = shadows ? scene.shadow_triangles : 0;
  for (size_t index = 0; shadows && index < scene.skinned.size(); ++index) {
    if (scene.skinned_shadow[index] == 0) continue;
    const MeshRange& mesh = scene.meshes[scene.skinned[index].mesh];
    stats.shadow_triangles += uint64_t{mesh.lods[0].index_count} / 3;
  }
  for (size_t index = 0; shadows && index < scene.morphed.size(); ++index) {
    if (scene.morphed_shadow[index] == 0 || scene.morphed[index].skinned) continue;
    stats.shadow_triangles += uint64_t{scene.meshes[scene.morphed[index].mesh].lods[0].index_count} / 3;
  }
  stats.cpu_cull_ms = milliseconds_between(cull_start, cull_end);
  stats.cpu_record_ms = milliseconds_between(cull_end, record_end);
  stats.cpu_submit_ms = milliseconds_between(record_end, submit_end);
  return FrameOutcome::drawn;
}

void Renderer::set_max_luminance_step(float step) {
  expects(step >= 0.0f && step <= 1.0f, "a flash limit between 0 (off) and 1");
  State& state = *state_;
  if (!state.limits_flashes()) state.luminance_history.valid = false;
  state.config.max_luminance_step = step;
}

void Renderer::move_instances(uint32_t first, uint32_t count, const glm::mat4& transform) {
  state_->scene->move_instances(first, count, transform);
}

void Renderer::set_instance_transform(uint32_t instance, const glm::mat4& world) {
  state_->scene->set_instance_transform(instance, world);
}

void Renderer::set_instance_joints(uint32_t instance, std::span<const glm::mat4> joints) {
  state_->scene->set_instance_joints(instance, joints);
}

void Renderer::set_instance_weights(uint32_t instance, std::span<const float> weights) {
  state_->scene->set_instance_weights(instance, weights);
}

void Renderer::set_light(const scene::DirectionalLight& light) {
  State& state = *state_;
  const bool turned = light.direction != state.scene->light.direction;
  state.scene->light = light;
  if (turned) state.light_view_projection = fit_light_view_projection(state.scene->bounds, light.direction);
}

void Renderer::pose_instances(const scene::NodeTree& tree, std::span<const glm::mat4> world,
                              std::span<const glm::mat4> joints, std::span<const float> weights) {
  SceneGpu& scene = *state_->scene;
  expects(tree.instances.size() == scene.sorted_index.size(), "the tree of the loaded scene");
  // Where each skin's matrices start in `joints`: skin after skin, as scene::joint_matrices writes them.
  size_t first_joint = 0;
  int32_t next_skin = 0;
  auto skin_start = [&](int32_t skin) {
    if (skin < next_skin) {
      first_joint = 0;
      next_skin = 0;
    }
    for (; next_skin < skin; ++next_skin) first_joint += tree.skins[static_cast<size_t>(next_skin)].joints.size();
    return first_joint;
  };
  for (uint32_t instance = 0; instance < tree.instances.size(); ++instance) {
    const scene::InstanceNode& hung = tree.instances[instance];
    if (scene.skinned_index[instance] != SceneGpu::not_skinned) {
      expects(hung.skin != scene::no_skin, "a skinned instance hangs with its skin");
      const size_t start = skin_start(hung.skin);
      scene.set_instance_joints(instance, joints.subspan(start, tree.skins[static_cast<size_t>(hung.skin)].joints.size()));
    } else if (world[hung.node] != scene.current_models[instance]) {
      scene.set_instance_transform(instance, world[hung.node]);
    }
    // A mesh with targets hung without a morph of its own keeps its rest weights.
    if (!weights.empty() && hung.morph != scene::no_morph) {
      // Morphs are few (one per morphed node): summing the runs before this one is cheap.
      size_t first_weight = 0;
      for (int32_t morph = 0; morph < hung.morph; ++morph) first_weight += tree.morphs[static_cast<size_t>(morph)].weights.size();
      scene.set_instance_weights(
          instance, weights.subspan(first_weight, tree.morphs[static_cast<size_t>(hung.morph)].weights.size()));
    }
  }
}

Result<void> Renderer::load_particles(std::span<const scene::ParticleSystem> systems, uint32_t particle_budget,
                                      uint64_t seed) {
  State& state = *state_;
  PV_TRY(state.context.wait_idle().add_context("loading the particle systems"));
  auto loaded = state.particles.load(state.context, state.uploader, systems, particle_budget, seed);
  if (!loaded) state.uploader.discard();
  return loaded;
}

void Renderer::burst_particles(uint32_t system) { state_->particles.burst(system); }

void Renderer::advance_particles(float seconds) { state_->particles.advance(seconds); }

Result<void> Renderer::wait_idle() { return state_->context.wait_idle(); }

Result<void> Renderer::load_pages(std::shared_ptr<const scene::PageTileSource> source) {
  if (!source) return load_prepared_pages(nullptr);
  PV_TRY_ASSIGN(const PagePreparation preparation, page_preparation());
  auto prepared = prepare_pages(preparation, std::move(source));
  if (!prepared) {
    PV_TRY(load_prepared_pages(nullptr));  // refused: no page stays loaded
    return std::move(prepared).error();
  }
  return load_prepared_pages(std::move(prepared).value());
}

Result<PagePreparation> Renderer::page_preparation() {
  State& state = *state_;
  if (!state.pages) {
    PV_TRY_ASSIGN(state.pages, PageTextures::create(state.context, state.config, state.pipelines));
  }
  return state.pages->preparation();
}

Result<std::shared_ptr<const PreparedPages>> Renderer::prepare_pages(const PagePreparation& preparation,
                                                                     std::shared_ptr<const scene::PageTileSource> source) {
  return PageTextures::prepare(preparation, std::move(source));
}

Result<void> Renderer::load_prepared_pages(std::shared_ptr<const PreparedPages> pages) {
  PV_TRY_ASSIGN(const PagePreparation preparation, page_preparation());
  if (pages && pages->preparation != preparation) {
    auto again = PageTextures::prepare(preparation, pages->source);
    if (!again) {
      PV_TRY(state_->pages->load(nullptr));  // refused: no page stays loaded
      return std::move(again).error();
    }
    pages = std::move(again).value();
  }
  // No wait for the frames in flight: PageTextures keeps what they read until they are done.
  return state_->pages->load(std::move(pages));
}

void Renderer::show_page(uint32_t page, const PagePlacement& placement) {
  expects(state_->pages != nullptr, "pages loaded");
  state_->pages->show(page, placement);
}

void Renderer::hide_page(uint32_t page) {
  expects(state_->pages != nullptr, "pages loaded");
  state_->pages->hide(page);
}

void Renderer::show_magnified(uint32_t page, const PagePlacement& placement) {
  expects(state_->pages != nullptr, "pages loaded");
  state_->pages->show_magnified(page, placement);
}

void Renderer::hide_magnified() {
  if (state_->pages) state_->pages->hide_magnified();
}

void Renderer::show_foldout(uint32_t page, std::span<const PagePlacement> panels) {
  expects(state_->pages != nullptr, "pages loaded");
  state_->pages->show_foldout(page, panels);
}

void Renderer::hide_foldout() {
  if (state_->pages) state_->pages->hide_foldout();
}

void Renderer::show_turning_leaf(const TurningLeaf& leaf) {
  expects(state_->pages != nullptr, "pages loaded");
  state_->pages->show_leaf(leaf);
}

void Renderer::hide_turning_leaf() {
  if (state_->pages) state_->pages->hide_leaf();
}

PageTileStats Renderer::page_tile_stats() const { return state_->pages ? state_->pages->stats() : PageTileStats{}; }

void Renderer::wait_for_page_reads() {
  if (state_->pages) state_->pages->wait_for_reads();
}

const FrameStats& Renderer::last_frame_stats() const { return state_->stats; }

uint32_t Renderer::msaa_samples() const { return static_cast<uint32_t>(state_->samples); }

bool Renderer::uses_multiview() const { return state_->multiview; }

bool Renderer::State::shadows_drawn() const {
  return scene->light.casts_shadows &&
         (!scene->shadow_batches.empty() || !scene->skinned.empty() || !scene->morphed.empty());
}

}  // namespace pavilion::render
