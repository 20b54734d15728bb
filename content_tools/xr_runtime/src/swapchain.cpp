// Swapchains: images the application renders each eye into, made on the application's own
// Vulkan device (from the session's graphics binding), handed out in turn by acquire, wait and
// release as the specification orders them.
#include "entry_points.h"

#include <array>
#include <optional>

namespace pavilion::xr_runtime {
namespace {

constexpr uint32_t images_per_swapchain = 3;
constexpr uint32_t max_extent = 4096;
constexpr uint32_t max_layers = 16;

// Colour formats first, the preferred (sRGB, as the renderer writes) at the front; then depth.
constexpr std::array<int64_t, 5> formats{VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_B8G8R8A8_SRGB, VK_FORMAT_R8G8B8A8_UNORM,
                                         VK_FORMAT_D32_SFLOAT, VK_FORMAT_D16_UNORM};

struct Swapchain {
  uint64_t handle = 0;
  Session* session = nullptr;
  bool static_image = false;
  VkFormat format = VK_FORMAT_UNDEFINED;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t layers = 0;
  std::optional<uint32_t> last_released;
  std::vector<VkImage> images;
  std::vector<VkDeviceMemory> memory;
  uint32_t next = 0;                // the image the next acquire hands out
  std::vector<uint32_t> acquired;   // oldest first
  size_t waited = 0;                // how many of `acquired`, from the oldest, have been waited on
  bool ever_acquired = false;
  uint32_t prepared = 0;            // images [0, prepared) are in their attachment layout

  ~Swapchain() {
    const VkDevice device = session->binding.device;
    for (const VkImage image : images) vkDestroyImage(device, image, nullptr);
    for (const VkDeviceMemory block : memory) vkFreeMemory(device, block, nullptr);
  }
};

Registry<Swapchain> swapchains;

bool depth_format(int64_t format) { return format == VK_FORMAT_D32_SFLOAT || format == VK_FORMAT_D16_UNORM; }

VkImageUsageFlags vulkan_usage(XrSwapchainUsageFlags usage, bool depth) {
  // The runtime reads every image back to compose the eyes' pictures.
  VkImageUsageFlags flags = VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  if (usage & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT) flags |= VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  if (usage & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT) flags |= VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
  if (usage & XR_SWAPCHAIN_USAGE_SAMPLED_BIT) flags |= VK_IMAGE_USAGE_SAMPLED_BIT;
  if (usage & XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT) flags |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  if (usage & XR_SWAPCHAIN_USAGE_UNORDERED_ACCESS_BIT) flags |= VK_IMAGE_USAGE_STORAGE_BIT;
  if (usage & XR_SWAPCHAIN_USAGE_INPUT_ATTACHMENT_BIT_KHR) flags |= VK_IMAGE_USAGE_INPUT_ATTACHMENT_BIT;
  if (!depth && !(usage & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT)) flags |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  return flags;
}

// Device-local memory that can hold `requirements`, or UINT32_MAX.
uint32_t memory_type(VkPhysicalDevice physical_device, const VkMemoryRequirements& requirements) {
  VkPhysicalDeviceMemoryProperties properties{};
  vkGetPhysicalDeviceMemoryProperties(physical_device, &properties);
  for (uint32_t type = 0; type < properties.memoryTypeCount; ++type) {
    const bool allowed = (requirements.memoryTypeBits & (1u << type)) != 0;
    if (allowed && (properties.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)) return type;
  }
  return UINT32_MAX;
}

Swapchain* usable_swapchain(XrSwapchain handle, XrResult& result) {
  Swapchain* swapchain = swapchains.find(handle);
  result = swapchain == nullptr ? XR_ERROR_HANDLE_INVALID : swapchain->session->lost ? XR_ERROR_SESSION_LOST : XR_SUCCESS;
  return XR_SUCCEEDED(result) ? swapchain : nullptr;
}

}  // namespace

bool last_released_image(XrSwapchain handle, ReleasedImage& out) {
  const Swapchain* swapchain = swapchains.find(handle);
  if (swapchain == nullptr || !swapchain->last_released) return false;
  out = {swapchain->images[*swapchain->last_released], swapchain->format, swapchain->width, swapchain->height,
         swapchain->layers};
  return true;
}

void destroy_swapchains_of(const Session& session) {
  swapchains.remove_if([&](const Swapchain& swapchain) { return swapchain.session == &session; });
}

XrResult XRAPI_CALL enumerate_swapchain_formats(XrSession handle, uint32_t capacity, uint32_t* count, int64_t* out) {
  if (session_from(handle) == nullptr) return XR_ERROR_HANDLE_INVALID;
  return fill_array(formats, capacity, count, out);
}

XrResult XRAPI_CALL create_swapchain(XrSession handle, const XrSwapchainCreateInfo* info, XrSwapchain* out) {
  Session* session = session_from(handle);
  if (session == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (session->lost) return XR_ERROR_SESSION_LOST;
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_SWAPCHAIN_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (std::find(formats.begin(), formats.end(), info->format) == formats.end()) return XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED;
  if (info->faceCount != 1 || info->sampleCount != 1 || info->mipCount != 1) return XR_ERROR_FEATURE_UNSUPPORTED;
  if (info->width == 0 || info->height == 0 || info->width > max_extent || info->height > max_extent ||
      info->arraySize == 0 || info->arraySize > max_layers) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  const bool depth = depth_format(info->format);
  VkImageCreateInfo image_info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  image_info.imageType = VK_IMAGE_TYPE_2D;
  image_info.format = static_cast<VkFormat>(info->format);
  image_info.extent = {info->width, info->height, 1};
  image_info.mipLevels = 1;
  image_info.arrayLayers = info->arraySize;
  image_info.samples = VK_SAMPLE_COUNT_1_BIT;
  image_info.tiling = VK_IMAGE_TILING_OPTIMAL;
  image_info.usage = vulkan_usage(info->usageFlags, depth);
  image_info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;

  auto swapchain = std::make_unique<Swapchain>();
  swapchain->session = session;
  swapchain->static_image = (info->createFlags & XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT) != 0;
  swapchain->format = image_info.format;
  swapchain->width = info->width;
  swapchain->height = info->height;
  swapchain->layers = info->arraySize;
  const VkDevice device = session->binding.device;
  const uint32_t count = swapchain->static_image ? 1 : images_per_swapchain;
  for (uint32_t index = 0; index < count; ++index) {
    VkImage image = VK_NULL_HANDLE;
    if (vkCreateImage(device, &image_info, nullptr, &image) != VK_SUCCESS) return XR_ERROR_RUNTIME_FAILURE;
    swapchain->images.push_back(image);
    VkMemoryRequirements requirements{};
    vkGetImageMemoryRequirements(device, image, &requirements);
    VkMemoryAllocateInfo allocate{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    allocate.allocationSize = requirements.size;
    allocate.memoryTypeIndex = memory_type(session->binding.physicalDevice, requirements);
    if (allocate.memoryTypeIndex == UINT32_MAX) return XR_ERROR_RUNTIME_FAILURE;
    VkDeviceMemory memory = VK_NULL_HANDLE;
    const VkResult allocated = vkAllocateMemory(device, &allocate, nullptr, &memory);
    if (allocated == VK_ERROR_OUT_OF_DEVICE_MEMORY || allocated == VK_ERROR_OUT_OF_HOST_MEMORY) return XR_ERROR_OUT_OF_MEMORY;
    if (allocated != VK_SUCCESS) return XR_ERROR_RUNTIME_FAILURE;
    swapchain->memory.push_back(memory);
    if (vkBindImageMemory(device, image, memory, 0) != VK_SUCCESS) return XR_ERROR_RUNTIME_FAILURE;
  }
  *out = handle_of<XrSwapchain>(*swapchains.add(std::move(swapchain)));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL destroy_swapchain(XrSwapchain handle) {
  return swapchains.remove(handle) ? XR_SUCCESS : XR_ERROR_HANDLE_INVALID;
}

XrResult XRAPI_CALL enumerate_swapchain_images(XrSwapchain handle, uint32_t capacity, uint32_t* count,
                                               XrSwapchainImageBaseHeader* images) {
  Swapchain* swapchain = swapchains.find(handle);
  if (swapchain == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (capacity > 0 && images != nullptr && images->type != XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  auto* vulkan_images = reinterpret_cast<XrSwapchainImageVulkan2KHR*>(images);
  return fill_array(swapchain->images, capacity, count, vulkan_images,
                    [](XrSwapchainImageVulkan2KHR& to, VkImage image) { to.image = image; });
}

XrResult XRAPI_CALL acquire_swapchain_image(XrSwapchain handle, const XrSwapchainImageAcquireInfo* info, uint32_t* index) {
  XrResult result = XR_SUCCESS;
  Swapchain* swapchain = usable_swapchain(handle, result);
  if (swapchain == nullptr) return result;
  if (index == nullptr || (info != nullptr && info->type != XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO)) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  // Every image already out, or a static image's one acquire spent.
  if (swapchain->acquired.size() == swapchain->images.size() || (swapchain->static_image && swapchain->ever_acquired)) {
    return XR_ERROR_CALL_ORDER_INVALID;
  }
  *index = swapchain->next;
  // An image's first acquire hands it over in the layout the extension promises; the runtime may
  // use the application's queue in this call (and not in xrCreateSwapchain).
  if (swapchain->next >= swapchain->prepared) {
    const VkImage image = swapchain->images[swapchain->next];
    if (!prepare_new_images(*swapchain->session, {&image, 1}, swapchain->format, swapchain->layers)) {
      return XR_ERROR_RUNTIME_FAILURE;
    }
    swapchain->prepared = swapchain->next + 1;
  }
  swapchain->acquired.push_back(swapchain->next);
  swapchain->next = (swapchain->next + 1) % static_cast<uint32_t>(swapchain->images.size());
  swapchain->ever_acquired = true;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL wait_swapchain_image(XrSwapchain handle, const XrSwapchainImageWaitInfo* info) {
  XrResult result = XR_SUCCESS;
  Swapchain* swapchain = usable_swapchain(handle, result);
  if (swapchain == nullptr) return result;
  if (info == nullptr || info->type != XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO) return XR_ERROR_VALIDATION_FAILURE;
  // The oldest acquired image not yet waited on; the compositor holds none, so it is ready now.
  if (swapchain->waited >= swapchain->acquired.size()) return XR_ERROR_CALL_ORDER_INVALID;
  ++swapchain->waited;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL release_swapchain_image(XrSwapchain handle, const XrSwapchainImageReleaseInfo* info) {
  XrResult result = XR_SUCCESS;
  Swapchain* swapchain = usable_swapchain(handle, result);
  if (swapchain == nullptr) return result;
  if (info != nullptr && info->type != XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (swapchain->waited == 0) return XR_ERROR_CALL_ORDER_INVALID;  // released before it was waited on
  swapchain->last_released = swapchain->acquired.front();
  swapchain->acquired.erase(swapchain->acquired.begin());
  --swapchain->waited;
  return XR_SUCCESS;
}

}  // namespace pavilion::xr_runtime
