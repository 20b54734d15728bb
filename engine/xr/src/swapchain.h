// An OpenXR swapchain of Vulkan images with the views the renderer draws through: the eyes'
// two-layer colour (and depth) arrays, or a panel's single layer. Private to engine/xr.
#pragma once

#include "xr_state.h"

#include "pavilion/render/render_target.h"

#include <array>
#include <optional>
#include <vector>

namespace pavilion::xr {

// The 8-bit sRGB format the runtime offers (every target the renderer draws into is sRGB:
// tonemapping writes linear light for it to encode).
Result<VkFormat> choose_srgb_format(XrInstance instance, XrSession session);

// The depth format the runtime takes for XR_KHR_composition_layer_depth (the renderer's own), or
// nullopt when it takes none.
Result<std::optional<VkFormat>> find_depth_format(XrInstance instance, XrSession session);

class Swapchain {
 public:
  // A depth format makes a depth swapchain.
  static Result<Swapchain> create(XrInstance instance, XrSession session, VkDevice device, VkFormat format,
                                  VkExtent2D extent, uint32_t layers);
  Swapchain() = default;
  Swapchain(Swapchain&& other) noexcept;
  Swapchain& operator=(Swapchain&& other) noexcept;
  ~Swapchain();

  // Acquires and waits for the next image.
  Result<render::AcquiredImage> acquire();
  // Acquires and waits for the next depth image, filling the depth fields of `target`.
  Result<void> acquire_depth(render::TargetImage& target);
  Result<void> release();
  // Where layer `layer` of the last released image is, for a composition layer.
  XrSwapchainSubImage sub_image(uint32_t layer) const;
  VkExtent2D extent() const { return extent_; }

 private:
  struct Image {
    VkImage image = VK_NULL_HANDLE;
    VkImageView whole = VK_NULL_HANDLE;  // a 2D array view when there are several layers
    std::array<VkImageView, 2> layer_views{};
  };
  void destroy();

  XrInstance instance_ = XR_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  XrSwapchain handle_ = XR_NULL_HANDLE;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  VkExtent2D extent_{};
  uint32_t layers_ = 1;
  std::vector<Image> images_;
};

}  // namespace pavilion::xr
