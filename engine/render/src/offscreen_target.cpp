#include "pavilion/render/offscreen_target.h"

#include "pavilion/render/vulkan_check.h"
#include "resources.h"

#include <fmt/format.h>

#include <cstring>

namespace pavilion::render {

struct OffscreenTarget::Resources {
  GpuImage color;
  std::array<UniqueImageView, max_views> layer_views;  // with several layers
  GpuBuffer readback;  // every layer, tightly packed, written after each frame
};

OffscreenTarget::OffscreenTarget(const OffscreenConfig& config) : config_(config) {}

OffscreenTarget::~OffscreenTarget() = default;

Result<std::unique_ptr<OffscreenTarget>> OffscreenTarget::create(GpuContext& context, const OffscreenConfig& config) {
  expects(config.format == VK_FORMAT_R8G8B8A8_SRGB || config.format == VK_FORMAT_R8G8B8A8_UNORM,
          "offscreen targets are RGBA8");
  if (config.width == 0 || config.height == 0 || config.layers == 0 || config.layers > max_views) {
    return Error(ErrorCode::invalid_input, "creating an offscreen target",
                 fmt::format("{}×{} with {} layers: a target needs a size and 1 to {} layers", config.width,
                             config.height, config.layers, max_views));
  }
  std::unique_ptr<OffscreenTarget> target(new OffscreenTarget(config));
  auto resources = std::make_unique<Resources>();
  ImageDescription description;
  description.format = config.format;
  description.extent = {config.width, config.height};
  description.layers = config.layers;
  description.array_view = config.layers > 1;
  description.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  PV_TRY_ASSIGN(resources->color, GpuImage::create(context, description, "offscreen target"));
  for (uint32_t layer = 0; config.layers > 1 && layer < config.layers; ++layer) {
    PV_TRY_ASSIGN(resources->layer_views[layer],
                  create_image_view(context.device(), resources->color.get(), config.format, VK_IMAGE_ASPECT_COLOR_BIT,
                                    1, 1, false, layer));
  }
  const VkDeviceSize bytes = VkDeviceSize{config.width} * config.height * 4 * config.layers;
  PV_TRY_ASSIGN(resources->readback, GpuBuffer::create(context, bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                                       MemoryUsage::readback, "offscreen readback"));
  target->resources_ = std::move(resources);
  return target;
}

Result<std::optional<AcquiredImage>> OffscreenTarget::acquire(uint32_t) {
  AcquiredImage acquired;
  acquired.image.image = resources_->color.get();
  acquired.image.view = resources_->color.view();
  acquired.image.format = config_.format;
  acquired.image.extent = {config_.width, config_.height};
  acquired.image.layers = config_.layers;
  for (uint32_t layer = 0; config_.layers > 1 && layer < config_.layers; ++layer) {
    acquired.image.layer_views[layer] = resources_->layer_views[layer].get();
  }
  acquired.image.layout_after_render = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL;
  return std::optional(acquired);
}

void OffscreenTarget::record_after_render(VkCommandBuffer command_buffer, const AcquiredImage& image) {
  record_readback(command_buffer, image.image.image, image.image.extent, config_.layers, resources_->readback.get());
}

Result<void> OffscreenTarget::present(const AcquiredImage&) { return {}; }

ImageRgba8 OffscreenTarget::read_pixels(uint32_t layer) const {
  expects(layer < config_.layers, "layer exists");
  ImageRgba8 image(config_.width, config_.height);
  const size_t layer_bytes = image.pixels.size();
  std::memcpy(image.pixels.data(), resources_->readback.mapped() + layer * layer_bytes, layer_bytes);
  return image;
}

}  // namespace pavilion::render
