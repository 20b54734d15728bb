// XR_KHR_vulkan_enable2: the runtime says which Vulkan it needs and creates the application's
// instance and device for it (through the application's own vkGetInstanceProcAddr), so the
// swapchain images it later makes live on the device the application renders with.
#include "entry_points.h"

#include <vector>

namespace pavilion::xr_runtime {
namespace {

// What swapchain composition reads back with (copies, not sampling), so any 1.1 device will do.
constexpr XrVersion min_vulkan = XR_MAKE_VERSION(1, 1, 0);
constexpr XrVersion max_vulkan = XR_MAKE_VERSION(1, 3, 0);

XrResult check(XrInstance handle, XrSystemId system, Instance*& instance) {
  instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (!instance->vulkan_enable2) return XR_ERROR_FUNCTION_UNSUPPORTED;
  if (system != headset_system || !instance->headset.present) return XR_ERROR_SYSTEM_INVALID;
  return XR_SUCCESS;
}

}  // namespace

XrResult XRAPI_CALL get_vulkan_graphics_requirements2(XrInstance handle, XrSystemId system,
                                                      XrGraphicsRequirementsVulkanKHR* requirements) {
  Instance* instance = nullptr;
  if (const XrResult checked = check(handle, system, instance); XR_FAILED(checked)) return checked;
  if (requirements == nullptr || requirements->type != XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  requirements->minApiVersionSupported = min_vulkan;
  requirements->maxApiVersionSupported = max_vulkan;
  const std::lock_guard lock(instance->mutex);
  instance->vulkan_requirements_asked = true;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL create_vulkan_instance(XrInstance handle, const XrVulkanInstanceCreateInfoKHR* info,
                                           VkInstance* vulkan_instance, VkResult* vulkan_result) {
  if (info == nullptr || vulkan_instance == nullptr || vulkan_result == nullptr ||
      info->type != XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR || info->pfnGetInstanceProcAddr == nullptr ||
      info->vulkanCreateInfo == nullptr || info->createFlags != 0) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  Instance* instance = nullptr;
  if (const XrResult checked = check(handle, info->systemId, instance); XR_FAILED(checked)) return checked;
  const auto create = reinterpret_cast<PFN_vkCreateInstance>(info->pfnGetInstanceProcAddr(nullptr, "vkCreateInstance"));
  if (create == nullptr) return XR_ERROR_RUNTIME_FAILURE;
  // The runtime needs nothing beyond what the application asks for.
  *vulkan_result = create(info->vulkanCreateInfo, info->vulkanAllocator, vulkan_instance);
  return XR_SUCCESS;  // a Vulkan failure is the application's to read in vulkan_result
}

XrResult XRAPI_CALL get_vulkan_graphics_device2(XrInstance handle, const XrVulkanGraphicsDeviceGetInfoKHR* info,
                                                VkPhysicalDevice* physical_device) {
  if (info == nullptr || physical_device == nullptr || info->type != XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR ||
      info->vulkanInstance == VK_NULL_HANDLE) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  Instance* instance = nullptr;
  if (const XrResult checked = check(handle, info->systemId, instance); XR_FAILED(checked)) return checked;
  // A simulated headset is plugged into whichever GPU comes first: the one a desktop shows on.
  uint32_t count = 0;
  if (vkEnumeratePhysicalDevices(info->vulkanInstance, &count, nullptr) != VK_SUCCESS || count == 0) {
    return XR_ERROR_RUNTIME_FAILURE;
  }
  std::vector<VkPhysicalDevice> devices(count);
  if (vkEnumeratePhysicalDevices(info->vulkanInstance, &count, devices.data()) < 0) return XR_ERROR_RUNTIME_FAILURE;
  *physical_device = devices.front();
  const std::lock_guard lock(instance->mutex);
  instance->vulkan_instance = info->vulkanInstance;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL create_vulkan_device(XrInstance handle, const XrVulkanDeviceCreateInfoKHR* info,
                                         VkDevice* vulkan_device, VkResult* vulkan_result) {
  if (info == nullptr || vulkan_device == nullptr || vulkan_result == nullptr ||
      info->type != XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR || info->pfnGetInstanceProcAddr == nullptr ||
      info->vulkanCreateInfo == nullptr || info->vulkanPhysicalDevice == VK_NULL_HANDLE || info->createFlags != 0) {
    return XR_ERROR_VALIDATION_FAILURE;
  }
  Instance* instance = nullptr;
  if (const XrResult checked = check(handle, info->systemId, instance); XR_FAILED(checked)) return checked;
  VkInstance vulkan_instance = VK_NULL_HANDLE;
  {
    const std::lock_guard lock(instance->mutex);
    if (!instance->vulkan_requirements_asked) return XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING;
    vulkan_instance = instance->vulkan_instance;
  }
  // The spec has the application ask for the physical device first; that told us its instance.
  if (vulkan_instance == VK_NULL_HANDLE) return XR_ERROR_VALIDATION_FAILURE;
  const auto create =
      reinterpret_cast<PFN_vkCreateDevice>(info->pfnGetInstanceProcAddr(vulkan_instance, "vkCreateDevice"));
  if (create == nullptr) return XR_ERROR_RUNTIME_FAILURE;
  *vulkan_result = create(info->vulkanPhysicalDevice, info->vulkanCreateInfo, info->vulkanAllocator, vulkan_device);
  return XR_SUCCESS;
}

}  // namespace pavilion::xr_runtime
