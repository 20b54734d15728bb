#include "swapchain.h"

#include "pavilion/render/vulkan_check.h"

#include <algorithm>
#include <utility>

namespace pavilion::xr {
namespace {

bool is_depth(VkFormat format) { return format == VK_FORMAT_D32_SFLOAT; }

Result<VkImageView> make_view(VkDevice device, VkImage image, VkFormat format, VkImageViewType type, uint32_t first_layer,
                              uint32_t layers) {
  VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  info.image = image;
  info.viewType = type;
  info.format = format;
  info.subresourceRange = {static_cast<VkImageAspectFlags>(is_depth(format) ? VK_IMAGE_ASPECT_DEPTH_BIT : VK_IMAGE_ASPECT_COLOR_BIT),
                           0, 1, first_layer, layers};
  VkImageView view = VK_NULL_HANDLE;
  PV_TRY(render::vk_check(vkCreateImageView(device, &info, nullptr, &view), "vkCreateImageView")
             .add_context("viewing a headset swapchain image"));
  return view;
}

Result<std::vector<int64_t>> offered_formats(XrInstance instance, XrSession session) {
  uint32_t count = 0;
  PV_TRY(xr_check(instance, xrEnumerateSwapchainFormats(session, 0, &count, nullptr), "xrEnumerateSwapchainFormats"));
  std::vector<int64_t> formats(count);
  PV_TRY(xr_check(instance, xrEnumerateSwapchainFormats(session, count, &count, formats.data()),
                  "xrEnumerateSwapchainFormats"));
  return formats;
}

}  // namespace

Result<std::optional<VkFormat>> find_depth_format(XrInstance instance, XrSession session) {
  PV_TRY_ASSIGN(const std::vector<int64_t> formats, offered_formats(instance, session));
  if (std::find(formats.begin(), formats.end(), VK_FORMAT_D32_SFLOAT) == formats.end()) return std::optional<VkFormat>{};
  return std::optional(VK_FORMAT_D32_SFLOAT);
}

Result<VkFormat> choose_srgb_format(XrInstance instance, XrSession session) {
  PV_TRY_ASSIGN(const std::vector<int64_t> formats, offered_formats(instance, session));
  for (const VkFormat wanted : {VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_B8G8R8A8_SRGB}) {
    if (std::find(formats.begin(), formats.end(), wanted) != formats.end()) return wanted;
  }
  return Error(ErrorCode::unsupported, "starting a headset session",
               "the headset's runtime offers no 8-bit sRGB swapchain format");
}

Result<Swapchain> Swapchain::create(XrInstance instance, XrSession session, VkDevice device, VkFormat format,
                                                VkExtent2D extent, uint32_t layers) {
  Swapchain made;
  made.instance_ = instance;
  made.device_ = device;
  made.format_ = format;
  made.extent_ = extent;
  made.layers_ = layers;
  XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
  info.usageFlags = is_depth(format) ? XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT : XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT;
  info.format = format;
  info.sampleCount = 1;
  info.width = extent.width;
  info.height = extent.height;
  info.faceCount = 1;
  info.arraySize = layers;
  info.mipCount = 1;
  PV_TRY(xr_check(instance, xrCreateSwapchain(session, &info, &made.handle_), "xrCreateSwapchain"));
  uint32_t count = 0;
  PV_TRY(xr_check(instance, xrEnumerateSwapchainImages(made.handle_, 0, &count, nullptr), "xrEnumerateSwapchainImages"));
  std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  PV_TRY(xr_check(instance,
                  xrEnumerateSwapchainImages(made.handle_, count, &count,
                                             reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())),
                  "xrEnumerateSwapchainImages"));
  for (const XrSwapchainImageVulkan2KHR& image : images) {
    Image& views = made.images_.emplace_back();
    views.image = image.image;
    PV_TRY_ASSIGN(views.whole, make_view(device, image.image, format,
                                         layers > 1 ? VK_IMAGE_VIEW_TYPE_2D_ARRAY : VK_IMAGE_VIEW_TYPE_2D, 0, layers));
    for (uint32_t layer = 0; layer < layers && layers > 1; ++layer) {
      PV_TRY_ASSIGN(views.layer_views[layer], make_view(device, image.image, format, VK_IMAGE_VIEW_TYPE_2D, layer, 1));
    }
  }
  return made;
}

Swapchain::Swapchain(Swapchain&& other) noexcept { *this = std::move(other); }

Swapchain& Swapchain::operator=(Swapchain&& other) noexcept {
  if (this == &other) return *this;
  destroy();
  instance_ = other.instance_;
  device_ = other.device_;
  handle_ = std::exchange(other.handle_, XR_NULL_HANDLE);
  format_ = other.format_;
  extent_ = other.extent_;
  layers_ = other.layers_;
  images_ = std::exchange(other.images_, {});
  return *this;
}

Swapchain::~Swapchain() { destroy(); }

void Swapchain::destroy() {
  for (const Image& image : images_) {
    vkDestroyImageView(device_, image.whole, nullptr);
    for (const VkImageView view : image.layer_views) vkDestroyImageView(device_, view, nullptr);
  }
  images_.clear();
  if (handle_ != XR_NULL_HANDLE) xrDestroySwapchain(handle_);
  handle_ = XR_NULL_HANDLE;
}

Result<void> Swapchain::acquire_depth(render::TargetImage& target) {
  PV_TRY_ASSIGN(const render::AcquiredImage acquired, acquire());
  target.depth_image = acquired.image.image;
  target.depth_view = acquired.image.view;
  target.depth_layer_views = acquired.image.layer_views;
  // OpenXR's Vulkan binding takes depth images back in this layout.
  target.depth_layout_after_render = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
  return {};
}

Result<render::AcquiredImage> Swapchain::acquire() {
  uint32_t index = 0;
  PV_TRY(xr_check(instance_, xrAcquireSwapchainImage(handle_, nullptr, &index), "xrAcquireSwapchainImage"));
  XrSwapchainImageWaitInfo wait{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO};
  wait.timeout = 1'000'000'000;  // a second: a compositor that holds an image longer has hung
  PV_TRY_ASSIGN(const XrResult waited, xr_check(instance_, xrWaitSwapchainImage(handle_, &wait), "xrWaitSwapchainImage"));
  if (waited == XR_TIMEOUT_EXPIRED) {
    return Error(ErrorCode::gpu, "xrWaitSwapchainImage", "the headset's compositor held the image for over a second");
  }
  render::AcquiredImage acquired;
  acquired.index = index;
  acquired.image.image = images_[index].image;
  acquired.image.view = images_[index].whole;
  acquired.image.format = format_;
  acquired.image.extent = extent_;
  acquired.image.layers = layers_;
  if (layers_ > 1) acquired.image.layer_views = images_[index].layer_views;
  // OpenXR's Vulkan binding takes colour images back in this layout.
  acquired.image.layout_after_render = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  return acquired;
}

Result<void> Swapchain::release() {
  PV_TRY(xr_check(instance_, xrReleaseSwapchainImage(handle_, nullptr), "xrReleaseSwapchainImage"));
  return {};
}

XrSwapchainSubImage Swapchain::sub_image(uint32_t layer) const {
  XrSwapchainSubImage sub{};
  sub.swapchain = handle_;
  sub.imageRect = {{0, 0}, {static_cast<int32_t>(extent_.width), static_cast<int32_t>(extent_.height)}};
  sub.imageArrayIndex = layer;
  return sub;
}

}  // namespace pavilion::xr
