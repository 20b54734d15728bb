// The compositor: at the frames the settings name (and every frame in the desktop preview), each
// eye's picture is composed from
// the frame's projection and quad layers (read back from their swapchains on the application's queue,
// which the application leaves to the runtime during xrEndFrame) and written as a PNG, so tests
// and curators see exactly what a headset would show. An AR headset's background stays
// transparent: the room shows through wherever nothing was drawn.
#include "entry_points.h"

#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>

namespace pavilion::xr_runtime {

struct Readback {
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE;
  VkCommandPool pool = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkDeviceSize size = 0;
  void* mapped = nullptr;
};

void ReadbackDeleter::operator()(Readback* readback) const {
  if (readback->buffer != VK_NULL_HANDLE) vkDestroyBuffer(readback->device, readback->buffer, nullptr);
  if (readback->memory != VK_NULL_HANDLE) vkFreeMemory(readback->device, readback->memory, nullptr);
  if (readback->fence != VK_NULL_HANDLE) vkDestroyFence(readback->device, readback->fence, nullptr);
  if (readback->pool != VK_NULL_HANDLE) vkDestroyCommandPool(readback->device, readback->pool, nullptr);
  delete readback;
}

namespace {

uint32_t host_memory_type(VkPhysicalDevice physical_device, uint32_t allowed) {
  VkPhysicalDeviceMemoryProperties properties{};
  vkGetPhysicalDeviceMemoryProperties(physical_device, &properties);
  constexpr VkMemoryPropertyFlags wanted = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  for (uint32_t type = 0; type < properties.memoryTypeCount; ++type) {
    if ((allowed & (1u << type)) && (properties.memoryTypes[type].propertyFlags & wanted) == wanted) return type;
  }
  return UINT32_MAX;
}

// The command buffer, fence and a host-visible buffer of at least `size` bytes.
bool prepare(Session& session, VkDeviceSize size) {
  const XrGraphicsBindingVulkanKHR& binding = session.binding;
  if (!session.readback) {
    std::unique_ptr<Readback, ReadbackDeleter> readback(new Readback);
    readback->device = binding.device;
    vkGetDeviceQueue(binding.device, binding.queueFamilyIndex, binding.queueIndex, &readback->queue);
    VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pool.queueFamilyIndex = binding.queueFamilyIndex;
    if (vkCreateCommandPool(binding.device, &pool, nullptr, &readback->pool) != VK_SUCCESS) return false;
    VkCommandBufferAllocateInfo allocate{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocate.commandPool = readback->pool;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    if (vkAllocateCommandBuffers(binding.device, &allocate, &readback->commands) != VK_SUCCESS) return false;
    const VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if (vkCreateFence(binding.device, &fence, nullptr, &readback->fence) != VK_SUCCESS) return false;
    session.readback = std::move(readback);
  }
  Readback& readback = *session.readback;
  if (readback.size >= size) return true;
  if (readback.buffer != VK_NULL_HANDLE) vkDestroyBuffer(readback.device, readback.buffer, nullptr);
  if (readback.memory != VK_NULL_HANDLE) vkFreeMemory(readback.device, readback.memory, nullptr);
  readback.buffer = VK_NULL_HANDLE;
  readback.memory = VK_NULL_HANDLE;
  readback.size = 0;
  VkBufferCreateInfo buffer{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  buffer.size = size;
  buffer.usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  if (vkCreateBuffer(readback.device, &buffer, nullptr, &readback.buffer) != VK_SUCCESS) return false;
  VkMemoryRequirements requirements{};
  vkGetBufferMemoryRequirements(readback.device, readback.buffer, &requirements);
  VkMemoryAllocateInfo allocate{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  allocate.allocationSize = requirements.size;
  allocate.memoryTypeIndex = host_memory_type(binding.physicalDevice, requirements.memoryTypeBits);
  if (allocate.memoryTypeIndex == UINT32_MAX) return false;
  if (vkAllocateMemory(readback.device, &allocate, nullptr, &readback.memory) != VK_SUCCESS) return false;
  if (vkBindBufferMemory(readback.device, readback.buffer, readback.memory, 0) != VK_SUCCESS) return false;
  if (vkMapMemory(readback.device, readback.memory, 0, VK_WHOLE_SIZE, 0, &readback.mapped) != VK_SUCCESS) return false;
  readback.size = size;
  return true;
}

bool is_depth(VkFormat format) { return format == VK_FORMAT_D32_SFLOAT || format == VK_FORMAT_D16_UNORM; }

// How a released image is read: colour images come back as colour attachments, depth images as
// depth attachments, as XR_KHR_vulkan_enable2 has the application leave them.
struct ImageUse {
  VkImageAspectFlags aspect;
  VkImageLayout layout;
  VkAccessFlags access;
  VkPipelineStageFlags stages;
};

ImageUse use_of(VkFormat format) {
  if (is_depth(format)) {
    return {VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
            VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
            VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT |
                VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT};
  }
  return {VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
          VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT};
}

VkImageMemoryBarrier layout_change(VkImage image, uint32_t layer, const ImageUse& use, bool to_copy) {
  VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  const VkImageLayout from = to_copy ? use.layout : VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
  const VkImageLayout to = to_copy ? VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL : use.layout;
  constexpr VkAccessFlags copy_read = VK_ACCESS_TRANSFER_READ_BIT;
  barrier.srcAccessMask = to_copy ? use.access : copy_read;
  barrier.dstAccessMask = to_copy ? copy_read : use.access;
  barrier.oldLayout = from;
  barrier.newLayout = to;
  barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  barrier.image = image;
  barrier.subresourceRange = {use.aspect, 0, 1, layer, 1};
  return barrier;
}

// Ends the readback's commands, runs them on the application's queue and waits for them.
bool submit_and_wait(Readback& readback) {
  if (vkEndCommandBuffer(readback.commands) != VK_SUCCESS) return false;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &readback.commands;
  if (vkResetFences(readback.device, 1, &readback.fence) != VK_SUCCESS) return false;
  if (vkQueueSubmit(readback.queue, 1, &submit, readback.fence) != VK_SUCCESS) return false;
  constexpr uint64_t ten_seconds = 10'000'000'000;
  return vkWaitForFences(readback.device, 1, &readback.fence, VK_TRUE, ten_seconds) == VK_SUCCESS;
}

bool begin_commands(Readback& readback) {
  if (vkResetCommandBuffer(readback.commands, 0) != VK_SUCCESS) return false;
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  return vkBeginCommandBuffer(readback.commands, &begin) == VK_SUCCESS;
}

// Copies `rect` of layer `layer` of a released image into the readback buffer (four bytes a
// texel: RGBA8 or a 32-bit float depth).
bool read_back(Session& session, const ReleasedImage& image, uint32_t layer, const XrRect2Di& rect) {
  const auto width = static_cast<uint32_t>(rect.extent.width);
  const auto height = static_cast<uint32_t>(rect.extent.height);
  if (!prepare(session, VkDeviceSize{width} * height * 4)) return false;
  Readback& readback = *session.readback;
  if (!begin_commands(readback)) return false;
  const ImageUse use = use_of(image.format);
  const VkImageMemoryBarrier to_copy = layout_change(image.image, layer, use, true);
  vkCmdPipelineBarrier(readback.commands, use.stages, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &to_copy);
  VkBufferImageCopy region{};
  region.imageSubresource = {use.aspect, 0, layer, 1};
  region.imageOffset = {rect.offset.x, rect.offset.y, 0};
  region.imageExtent = {width, height, 1};
  vkCmdCopyImageToBuffer(readback.commands, image.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback.buffer, 1, &region);
  const VkImageMemoryBarrier back = layout_change(image.image, layer, use, false);
  vkCmdPipelineBarrier(readback.commands, VK_PIPELINE_STAGE_TRANSFER_BIT, use.stages, 0, 0, nullptr, 0, nullptr, 1, &back);
  return submit_and_wait(readback);
}

// Lays one texel over what the picture holds: with source alpha blending over it (the texel's
// colour premultiplied unless the layer says otherwise), otherwise in its place.
void blend_texel(uint8_t* to, const uint8_t* from, bool bgra, bool source_alpha, bool premultiplied) {
  uint8_t rgba[4] = {from[bgra ? 2 : 0], from[1], from[bgra ? 0 : 2], from[3]};
  const unsigned alpha = rgba[3];
  if (!premultiplied) {
    for (int channel = 0; channel < 3; ++channel) rgba[channel] = static_cast<uint8_t>((rgba[channel] * alpha + 127) / 255);
  }
  if (!source_alpha) {
    std::memcpy(to, rgba, 4);
    return;
  }
  for (int channel = 0; channel < 4; ++channel) {
    to[channel] = static_cast<uint8_t>(std::min(255u, rgba[channel] + (to[channel] * (255 - alpha) + 127) / 255));
  }
}

struct LayerImage {
  const uint8_t* texels = nullptr;
  uint32_t width = 0;
  uint32_t height = 0;
  bool bgra = false;
  bool source_alpha = false;
  bool premultiplied = true;
};

// The image at (u, v) in [0, 1)², filtered between its four nearest texels, as a compositor
// samples a panel it reprojects (nearest texels would break thin strokes of text).
std::array<uint8_t, 4> bilinear(const LayerImage& image, float u, float v) {
  const float x = std::clamp(u * static_cast<float>(image.width) - 0.5f, 0.0f, static_cast<float>(image.width - 1));
  const float y = std::clamp(v * static_cast<float>(image.height) - 0.5f, 0.0f, static_cast<float>(image.height - 1));
  const auto x0 = static_cast<uint32_t>(x);
  const auto y0 = static_cast<uint32_t>(y);
  const uint32_t x1 = std::min(x0 + 1, image.width - 1);
  const uint32_t y1 = std::min(y0 + 1, image.height - 1);
  const float fx = x - static_cast<float>(x0);
  const float fy = y - static_cast<float>(y0);
  const auto at = [&](uint32_t column, uint32_t row) { return image.texels + (size_t{row} * image.width + column) * 4; };
  std::array<uint8_t, 4> out{};
  for (size_t channel = 0; channel < 4; ++channel) {
    const float top = at(x0, y0)[channel] * (1.0f - fx) + at(x1, y0)[channel] * fx;
    const float bottom = at(x0, y1)[channel] * (1.0f - fx) + at(x1, y1)[channel] * fx;
    out[channel] = static_cast<uint8_t>(top * (1.0f - fy) + bottom * fy + 0.5f);
  }
  return out;
}

// A projection view's picture, stretched over the whole eye.
void lay_projection(Picture& eye, const LayerImage& image) {
  for (uint32_t y = 0; y < eye.height; ++y) {
    for (uint32_t x = 0; x < eye.width; ++x) {
      const uint8_t* from = image.texels + (size_t{y * image.height / eye.height} * image.width + x * image.width / eye.width) * 4;
      blend_texel(eye.rgba.data() + (size_t{y} * eye.width + x) * 4, from, image.bgra, image.source_alpha, image.premultiplied);
    }
  }
}

// A quad hung in space: each of the eye's pixels looks along its ray, and where the ray meets the
// quad it shows the texel there (nearest), as a headset's compositor reprojects a panel.
void lay_quad(Picture& eye, const EyeView& view, const Pose& quad, const XrExtent2Df& size, const LayerImage& image) {
  const Pose stage_to_quad = inverse(quad);
  const glm::vec3 origin = stage_to_quad.position + stage_to_quad.orientation * view.pose.position;
  const float left = std::tan(view.fov.angleLeft);
  const float right = std::tan(view.fov.angleRight);
  const float up = std::tan(view.fov.angleUp);
  const float down = std::tan(view.fov.angleDown);
  for (uint32_t y = 0; y < eye.height; ++y) {
    for (uint32_t x = 0; x < eye.width; ++x) {
      const glm::vec3 in_eye(left + (static_cast<float>(x) + 0.5f) / static_cast<float>(eye.width) * (right - left),
                             up - (static_cast<float>(y) + 0.5f) / static_cast<float>(eye.height) * (up - down), -1.0f);
      const glm::vec3 direction = stage_to_quad.orientation * (view.pose.orientation * in_eye);
      if (std::abs(direction.z) < 1e-6f) continue;
      const float along = -origin.z / direction.z;
      if (along <= 0.0f) continue;
      const glm::vec3 hit = origin + direction * along;
      const float u = hit.x / size.width + 0.5f;
      const float v = 0.5f - hit.y / size.height;  // the image's top row is the quad's top edge
      if (u < 0.0f || u >= 1.0f || v < 0.0f || v >= 1.0f) continue;
      const std::array<uint8_t, 4> filtered = bilinear(image, u, v);
      blend_texel(eye.rgba.data() + (size_t{y} * eye.width + x) * 4, filtered.data(), image.bgra, image.source_alpha,
                  image.premultiplied);
    }
  }
}

// Reads a layer's sub-image back; an error result when it names no released image or a bad rect.
// The released image a sub-image names, checking its layer and rectangle lie within it.
XrResult sub_image_source(const XrSwapchainSubImage& sub, ReleasedImage& image) {
  if (!last_released_image(sub.swapchain, image)) return XR_ERROR_LAYER_INVALID;
  if (sub.imageArrayIndex >= image.layers || sub.imageRect.offset.x < 0 || sub.imageRect.offset.y < 0 ||
      sub.imageRect.extent.width <= 0 || sub.imageRect.extent.height <= 0 ||
      static_cast<uint32_t>(sub.imageRect.offset.x + sub.imageRect.extent.width) > image.width ||
      static_cast<uint32_t>(sub.imageRect.offset.y + sub.imageRect.extent.height) > image.height) {
    return XR_ERROR_SWAPCHAIN_RECT_INVALID;
  }
  return XR_SUCCESS;
}

XrResult read_layer(Session& session, const XrSwapchainSubImage& sub, XrCompositionLayerFlags flags, LayerImage& out) {
  ReleasedImage image;
  if (const XrResult found = sub_image_source(sub, image); XR_FAILED(found)) return found;
  if (is_depth(image.format)) return XR_ERROR_LAYER_INVALID;
  if (!read_back(session, image, sub.imageArrayIndex, sub.imageRect)) return XR_ERROR_RUNTIME_FAILURE;
  out.texels = static_cast<const uint8_t*>(session.readback->mapped);
  out.width = static_cast<uint32_t>(sub.imageRect.extent.width);
  out.height = static_cast<uint32_t>(sub.imageRect.extent.height);
  out.bgra = image.format == VK_FORMAT_B8G8R8A8_SRGB;
  out.source_alpha = (flags & XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT) != 0;
  out.premultiplied = (flags & XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT) == 0;
  return XR_SUCCESS;
}

// PNG stores straight alpha: the premultiplied colours are divided back out.
// The depth an application submitted with a projection view (XR_KHR_composition_layer_depth),
// written beside the eye's picture as distance: white at the eye, a grey step per 10 cm, black
// from 25.5 m and where nothing was drawn, so tests and curators can see what it holds.
XrResult capture_depth(Session& session, const XrCompositionLayerDepthInfoKHR& depth, Picture& out) {
  if (!(depth.minDepth >= 0.0f && depth.minDepth < depth.maxDepth && depth.maxDepth <= 1.0f) || !(depth.nearZ > 0.0f) ||
      !(depth.farZ > 0.0f) || depth.nearZ == depth.farZ) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  ReleasedImage image;
  if (const XrResult found = sub_image_source(depth.subImage, image); XR_FAILED(found)) return found;
  if (image.format != VK_FORMAT_D32_SFLOAT) return XR_ERROR_LAYER_INVALID;
  if (!read_back(session, image, depth.subImage.imageArrayIndex, depth.subImage.imageRect)) return XR_ERROR_RUNTIME_FAILURE;
  const auto width = static_cast<uint32_t>(depth.subImage.imageRect.extent.width);
  const auto height = static_cast<uint32_t>(depth.subImage.imageRect.extent.height);
  const auto* values = static_cast<const float*>(session.readback->mapped);
  out = {width, height, std::vector<uint8_t>(size_t{width} * height * 4, 255)};
  // Depth is linear in the inverse of distance from nearZ (at minDepth) to farZ (at maxDepth).
  const float inverse_near = 1.0f / depth.nearZ;  // 0 for an infinite nearZ
  const float inverse_far = 1.0f / depth.farZ;
  for (size_t texel = 0; texel < size_t{width} * height; ++texel) {
    const float along = (values[texel] - depth.minDepth) / (depth.maxDepth - depth.minDepth);
    const float inverse_distance = inverse_near + along * (inverse_far - inverse_near);
    const float decimetres = inverse_distance > 0.0f ? 10.0f / inverse_distance : 1e9f;
    const auto grey = static_cast<uint8_t>(255.0f - std::min(255.0f, decimetres));
    out.rgba[texel * 4] = out.rgba[texel * 4 + 1] = out.rgba[texel * 4 + 2] = grey;
  }
  return XR_SUCCESS;
}

bool write_png(const std::string& file, Picture picture) {
  for (size_t texel = 0; texel < picture.rgba.size(); texel += 4) {
    const unsigned alpha = picture.rgba[texel + 3];
    if (alpha == 0 || alpha == 255) continue;
    for (size_t channel = 0; channel < 3; ++channel) {
      picture.rgba[texel + channel] = static_cast<uint8_t>(std::min(255u, (picture.rgba[texel + channel] * 255 + alpha / 2) / alpha));
    }
  }
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = picture.width;
  png.height = picture.height;
  png.format = PNG_FORMAT_RGBA;
  const bool written = png_image_write_to_file(&png, file.c_str(), 0, picture.rgba.data(), 0, nullptr) != 0;
  png_image_free(&png);
  return written;
}

}  // namespace

namespace {

// Composes what one eye sees of the frame's layers; with `capture_base`, also writes the depth
// submitted with it beside where the picture goes.
XrResult compose_eye(Session& session, const XrFrameEndInfo& frame, uint32_t eye, const EyeView& view,
                     const std::string* capture_base, Picture& picture) {
  const HeadsetSettings& headset = session.instance->headset;
  // Opaque black where nothing is drawn on a VR headset; the room (transparent) on an AR one.
  const uint8_t background_alpha = headset.augmented_reality ? 0 : 255;
  picture = {headset.eye_width, headset.eye_height, std::vector<uint8_t>(size_t{headset.eye_width} * headset.eye_height * 4, 0)};
  for (size_t texel = 3; texel < picture.rgba.size(); texel += 4) picture.rgba[texel] = background_alpha;
  for (uint32_t index = 0; index < frame.layerCount; ++index) {
    const XrCompositionLayerBaseHeader& layer = *frame.layers[index];
    LayerImage image;
    if (layer.type == XR_TYPE_COMPOSITION_LAYER_PROJECTION) {
      const auto& projection = reinterpret_cast<const XrCompositionLayerProjection&>(layer);
      if (projection.viewCount != 2 || projection.views == nullptr) return XR_ERROR_VALIDATION_FAILURE;
      if (const XrResult read = read_layer(session, projection.views[eye].subImage, layer.layerFlags, image); XR_FAILED(read)) {
        return read;
      }
      lay_projection(picture, image);
      for (auto* chained = static_cast<const XrBaseInStructure*>(projection.views[eye].next); chained != nullptr;
           chained = chained->next) {
        if (chained->type != XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR) continue;
        if (!session.instance->depth_layers) return XR_ERROR_VALIDATION_FAILURE;
        if (capture_base == nullptr) continue;
        Picture depth;
        if (const XrResult read = capture_depth(session, reinterpret_cast<const XrCompositionLayerDepthInfoKHR&>(*chained), depth);
            XR_FAILED(read)) {
          return read;
        }
        if (!write_png(*capture_base + "-depth.png", depth)) return XR_ERROR_RUNTIME_FAILURE;
      }
    } else if (layer.type == XR_TYPE_COMPOSITION_LAYER_QUAD) {
      const auto& quad = reinterpret_cast<const XrCompositionLayerQuad&>(layer);
      const bool seen = quad.eyeVisibility == XR_EYE_VISIBILITY_BOTH ||
                        quad.eyeVisibility == (eye == 0 ? XR_EYE_VISIBILITY_LEFT : XR_EYE_VISIBILITY_RIGHT);
      const std::optional<Pose> space = space_in_stage(quad.space);
      if (!space) return XR_ERROR_HANDLE_INVALID;
      if (!seen || quad.size.width <= 0.0f || quad.size.height <= 0.0f) continue;
      if (const XrResult read = read_layer(session, quad.subImage, layer.layerFlags, image); XR_FAILED(read)) return read;
      const Pose pose{glm::quat(quad.pose.orientation.w, quad.pose.orientation.x, quad.pose.orientation.y,
                                quad.pose.orientation.z),
                      glm::vec3(quad.pose.position.x, quad.pose.position.y, quad.pose.position.z)};
      lay_quad(picture, view, compose(*space, pose), quad.size, image);
    }
  }
  return XR_SUCCESS;
}

}  // namespace

bool prepare_new_images(Session& session, std::span<const VkImage> images, VkFormat format, uint32_t layers) {
  if (!prepare(session, 4)) return false;
  Readback& readback = *session.readback;
  if (!begin_commands(readback)) return false;
  const ImageUse use = use_of(format);
  std::vector<VkImageMemoryBarrier> barriers;
  for (const VkImage image : images) {
    VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
    barrier.dstAccessMask = use.access;
    barrier.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    barrier.newLayout = use.layout;
    barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.image = image;
    barrier.subresourceRange = {use.aspect, 0, 1, 0, layers};
    barriers.push_back(barrier);
  }
  vkCmdPipelineBarrier(readback.commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, use.stages, 0, 0, nullptr, 0, nullptr,
                       static_cast<uint32_t>(barriers.size()), barriers.data());
  return submit_and_wait(readback);
}

XrResult present_frame(Session& session, const XrFrameEndInfo& frame, uint64_t frame_number) {
  const HeadsetSettings& headset = session.instance->headset;
  const bool capture = !headset.capture_folder.empty() && std::find(headset.capture_frames.begin(), headset.capture_frames.end(),
                                                                    frame_number) != headset.capture_frames.end();
  if (!capture && !session.desktop) return XR_SUCCESS;
  constexpr std::array<const char*, 2> eye_names{"left", "right"};
  const std::array<EyeView, 2> views = eyes_in_stage(session);
  std::array<Picture, 2> pictures;
  for (uint32_t eye = 0; eye < 2; ++eye) {
    const std::string base = headset.capture_folder + "/frame-" + std::to_string(frame_number) + "-" + eye_names[eye];
    if (const XrResult composed = compose_eye(session, frame, eye, views[eye], capture ? &base : nullptr, pictures[eye]);
        XR_FAILED(composed)) {
      return composed;
    }
    if (capture && !write_png(base + ".png", pictures[eye])) return XR_ERROR_RUNTIME_FAILURE;
  }
  if (session.desktop) show_on_desktop(*session.desktop, pictures);
  return XR_SUCCESS;
}

}  // namespace pavilion::xr_runtime
