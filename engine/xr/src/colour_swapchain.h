// An OpenXR colour swapchain of Vulkan images with the views the renderer draws through: the eyes'
// two-layer array, or a panel's single layer. Private to engine/xr.
#pragma once

#include "xr_state.h"

#include "pavilion/render/render_target.h"

#include <array>
#include <vector>

namespace pavilion::xr {

// The 8-bit sRGB format the runtime offers (every target the renderer draws into is sRGB:
// tonemapping writes linear light for it to encode).
Result<VkFormat> choose_srgb_format(XrInstance instance, XrSession session);

class ColourSwapchain {
 public:
  static Result<ColourSwapchain> create(XrInstance instance, XrSession session, VkDevice device, VkFormat format,
                                        VkExtent2D extent, uint32_t layers);
  ColourSwapchain() = default;
  ColourSwapchain(ColourSwapchain&& other) noexcept;
  ColourSwapchain& operator=(ColourSwapchain&& other) noexcept;
  ~ColourSwapchain();

  // Acquires and waits for the next image.
  Result<render::AcquiredImage> acquire();
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
