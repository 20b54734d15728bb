#include "pavilion/render/context.h"

#include "memory.h"
#include "pavilion/core/log.h"
#include "pavilion/render/vulkan_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace pavilion::render {
namespace {

constexpr const char* validation_layer_name = "VK_LAYER_KHRONOS_validation";
constexpr size_t kept_validation_messages = 32;

bool has_layer(const char* name) {
  uint32_t count = 0;
  vkEnumerateInstanceLayerProperties(&count, nullptr);
  std::vector<VkLayerProperties> layers(count);
  vkEnumerateInstanceLayerProperties(&count, layers.data());
  return std::any_of(layers.begin(), layers.end(),
                     [&](const VkLayerProperties& layer) { return std::strcmp(layer.layerName, name) == 0; });
}

std::string device_type_name(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU (software)";
    default: return "other";
  }
}

int device_type_rank(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
  }
}

struct Candidate {
  VkPhysicalDevice device = VK_NULL_HANDLE;
  VkPhysicalDeviceProperties properties{};
  std::optional<uint32_t> queue_family;
  std::string unsuitable;  // why it cannot run Pavilion; empty when it can
};

Candidate inspect_device(VkPhysicalDevice device, bool presentation) {
  Candidate candidate;
  candidate.device = device;
  vkGetPhysicalDeviceProperties(device, &candidate.properties);

  uint32_t family_count = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(device, &family_count, nullptr);
  std::vector<VkQueueFamilyProperties> families(family_count);
  vkGetPhysicalDeviceQueueFamilyProperties(device, &family_count, families.data());
  for (uint32_t index = 0; index < family_count; ++index) {
    if (families[index].queueFlags & VK_QUEUE_GRAPHICS_BIT) {
      candidate.queue_family = index;
      break;
    }
  }

  VkPhysicalDeviceVulkan13Features features13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  VkPhysicalDeviceVulkan11Features features11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
  features11.pNext = &features13;
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &features11;
  if (candidate.properties.apiVersion >= VK_API_VERSION_1_3) vkGetPhysicalDeviceFeatures2(device, &features);

  bool has_swapchain = false;
  uint32_t extension_count = 0;
  vkEnumerateDeviceExtensionProperties(device, nullptr, &extension_count, nullptr);
  std::vector<VkExtensionProperties> extensions(extension_count);
  vkEnumerateDeviceExtensionProperties(device, nullptr, &extension_count, extensions.data());
  for (const auto& extension : extensions) {
    has_swapchain = has_swapchain || std::strcmp(extension.extensionName, VK_KHR_SWAPCHAIN_EXTENSION_NAME) == 0;
  }

  const uint32_t api = candidate.properties.apiVersion;
  if (api < VK_API_VERSION_1_3) {
    candidate.unsuitable = fmt::format("it offers Vulkan {}.{}, and Pavilion needs 1.3", VK_API_VERSION_MAJOR(api),
                                       VK_API_VERSION_MINOR(api));
  } else if (!candidate.queue_family) {
    candidate.unsuitable = "it has no graphics queue";
  } else if (!features13.dynamicRendering || !features13.synchronization2 || !features11.multiview) {
    candidate.unsuitable = "it lacks dynamic rendering, synchronization2 or multiview";
  } else if (presentation && !has_swapchain) {
    candidate.unsuitable = "it cannot present to a window (no VK_KHR_swapchain)";
  }
  return candidate;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Chooses among the devices, explaining the choice and every rejection in words.
Result<std::pair<Candidate, DeviceChoice>> choose_device(const std::vector<VkPhysicalDevice>& devices,
                                                         VkPhysicalDevice required, const std::string& preferred,
                                                         bool presentation) {
  DeviceChoice choice;
  std::vector<Candidate> suitable;
  for (VkPhysicalDevice device : devices) {
    Candidate candidate = inspect_device(device, presentation);
    const std::string name = candidate.properties.deviceName;
    if (required != VK_NULL_HANDLE && device != required) {
      choice.rejected.push_back(name + ": the XR runtime requires another device");
    } else if (!candidate.unsuitable.empty()) {
      choice.rejected.push_back(name + ": " + candidate.unsuitable);
    } else if (!preferred.empty() && lowercase(name).find(lowercase(preferred)) == std::string::npos) {
      choice.rejected.push_back(name + ": its name does not contain '" + preferred + "'");
    } else {
      suitable.push_back(candidate);
    }
  }
  if (suitable.empty()) {
    std::string why = devices.empty() ? "no Vulkan device is installed (for a software renderer, install mesa-vulkan-drivers)"
                                      : "no device is suitable";
    for (const auto& rejection : choice.rejected) why += "; " + rejection;
    return Error(ErrorCode::unsupported, "choosing a GPU", why);
  }
  std::stable_sort(suitable.begin(), suitable.end(), [](const Candidate& a, const Candidate& b) {
    return device_type_rank(a.properties.deviceType) > device_type_rank(b.properties.deviceType);
  });
  const Candidate& best = suitable.front();
  choice.name = best.properties.deviceName;
  choice.type = device_type_name(best.properties.deviceType);
  choice.software = best.properties.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU;
  choice.api_version = best.properties.apiVersion;
  if (required != VK_NULL_HANDLE) {
    choice.reason = "the XR runtime drives its headset with it";
  } else if (!preferred.empty()) {
    choice.reason = "its name matches the requested '" + preferred + "'";
  } else if (suitable.size() == 1) {
    choice.reason = "it is the only device that meets Pavilion's needs (Vulkan 1.3, dynamic rendering, multiview)";
  } else {
    choice.reason = "a " + choice.type + " is preferred over the other suitable devices";
    for (size_t i = 1; i < suitable.size(); ++i) {
      choice.rejected.push_back(std::string(suitable[i].properties.deviceName) + ": ranked below it (" +
                                device_type_name(suitable[i].properties.deviceType) + ")");
    }
  }
  return std::pair{best, std::move(choice)};
}

DeviceCapabilities read_capabilities(VkPhysicalDevice device, uint32_t queue_family) {
  VkPhysicalDeviceMultiviewProperties multiview{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_PROPERTIES};
  VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  properties.pNext = &multiview;
  vkGetPhysicalDeviceProperties2(device, &properties);
  VkPhysicalDeviceFeatures features;
  vkGetPhysicalDeviceFeatures(device, &features);
  uint32_t family_count = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(device, &family_count, nullptr);
  std::vector<VkQueueFamilyProperties> families(family_count);
  vkGetPhysicalDeviceQueueFamilyProperties(device, &family_count, families.data());

  const VkPhysicalDeviceLimits& limits = properties.properties.limits;
  DeviceCapabilities capabilities;
  capabilities.bc_texture_compression = features.textureCompressionBC;
  capabilities.max_sampler_anisotropy = features.samplerAnisotropy ? limits.maxSamplerAnisotropy : 1.0f;
  capabilities.max_multiview_views = multiview.maxMultiviewViewCount;
  capabilities.timestamps = limits.timestampComputeAndGraphics && families[queue_family].timestampValidBits > 0;
  capabilities.timestamp_period_ns = limits.timestampPeriod;
  capabilities.framebuffer_sample_counts = limits.framebufferColorSampleCounts & limits.framebufferDepthSampleCounts;
  return capabilities;
}

}  // namespace

VKAPI_ATTR VkBool32 VKAPI_CALL GpuContext::on_validation_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                                 VkDebugUtilsMessageTypeFlagsEXT,
                                                                 const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                                 void* user) {
  auto* context = static_cast<GpuContext*>(user);
  const bool is_error = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  const char* text = data && data->pMessage ? data->pMessage : "(no message)";
  if (is_error) {
    log::error("vulkan", "{}", text);
  } else {
    log::warn("vulkan", "{}", text);
  }
  std::lock_guard lock(context->validation_mutex_);
  (is_error ? context->validation_.errors : context->validation_.warnings) += 1;
  if (context->validation_.messages.size() < kept_validation_messages) context->validation_.messages.emplace_back(text);
  return VK_FALSE;  // never abort the call: the application decides what a message means
}

Result<std::unique_ptr<GpuContext>> GpuContext::create(const ContextConfig& config) {
  std::unique_ptr<GpuContext> context(new GpuContext());

  // --- instance ---
  VkApplicationInfo application{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  application.pApplicationName = config.application_name.c_str();
  application.pEngineName = "Pavilion";
  application.engineVersion = VK_MAKE_API_VERSION(0, 0, 1, 0);
  application.apiVersion = VK_API_VERSION_1_3;

  std::vector<const char*> extensions;
  for (const auto& name : config.instance_extensions) extensions.push_back(name.c_str());
  std::vector<const char*> layers;
  const bool validation = config.validation || config.synchronization_validation;
  if (validation) {
    if (!has_layer(validation_layer_name)) {
      return Error(ErrorCode::unsupported, "enabling Vulkan validation",
                   "the Khronos validation layer is not installed (Debian package vulkan-validationlayers)");
    }
    layers.push_back(validation_layer_name);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    if (config.synchronization_validation) extensions.push_back(VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME);
  }

  VkDebugUtilsMessengerCreateInfoEXT messenger_info{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  messenger_info.messageSeverity =
      VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  messenger_info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  messenger_info.pfnUserCallback = &GpuContext::on_validation_message;
  messenger_info.pUserData = context.get();

  const VkValidationFeatureEnableEXT synchronization = VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT;
  VkValidationFeaturesEXT validation_features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
  validation_features.enabledValidationFeatureCount = 1;
  validation_features.pEnabledValidationFeatures = &synchronization;
  if (config.synchronization_validation) messenger_info.pNext = &validation_features;

  VkInstanceCreateInfo instance_info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  // Chaining the messenger's create info also reports problems inside vkCreateInstance itself.
  instance_info.pNext = validation ? &messenger_info : nullptr;
  instance_info.pApplicationInfo = &application;
  instance_info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  instance_info.ppEnabledLayerNames = layers.data();
  instance_info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  instance_info.ppEnabledExtensionNames = extensions.data();
  if (config.hooks) {
    PV_TRY_ASSIGN(context->instance_, config.hooks->create_instance(instance_info));
  } else {
    PV_TRY(vk_check(vkCreateInstance(&instance_info, nullptr, &context->instance_), "vkCreateInstance")
               .add_context("creating the Vulkan instance (is a Vulkan driver installed?)"));
  }

  if (validation) {
    auto create_messenger = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(context->instance_, "vkCreateDebugUtilsMessengerEXT"));
    context->set_object_name_ = reinterpret_cast<PFN_vkSetDebugUtilsObjectNameEXT>(
        vkGetInstanceProcAddr(context->instance_, "vkSetDebugUtilsObjectNameEXT"));
    messenger_info.pNext = nullptr;
    PV_TRY(vk_check(create_messenger(context->instance_, &messenger_info, nullptr, &context->messenger_),
                    "vkCreateDebugUtilsMessengerEXT"));
  }

  // --- physical device ---
  uint32_t device_count = 0;
  PV_TRY(vk_check(vkEnumeratePhysicalDevices(context->instance_, &device_count, nullptr), "vkEnumeratePhysicalDevices"));
  std::vector<VkPhysicalDevice> devices(device_count);
  PV_TRY(vk_check(vkEnumeratePhysicalDevices(context->instance_, &device_count, devices.data()),
                  "vkEnumeratePhysicalDevices"));
  VkPhysicalDevice required = VK_NULL_HANDLE;
  if (config.hooks) {
    PV_TRY_ASSIGN(required, config.hooks->required_physical_device(context->instance_));
  }
  std::string preferred = config.preferred_device;
  if (const char* from_environment = std::getenv("PAVILION_GPU"); preferred.empty() && from_environment) {
    preferred = from_environment;
  }
  PV_TRY_ASSIGN(auto chosen, choose_device(devices, required, preferred, config.presentation));
  auto& [candidate, choice] = chosen;
  context->physical_device_ = candidate.device;
  context->queue_family_ = *candidate.queue_family;
  context->choice_ = std::move(choice);
  context->capabilities_ = read_capabilities(candidate.device, context->queue_family_);
  // A software rasterizer's anisotropic filter (Mesa's lavapipe) costs many times a trilinear
  // one, and now and then holds a single frame for tens of seconds: a kiosk drawing on the CPU
  // keeps to trilinear filtering.
  if (context->choice_.software) context->capabilities_.max_sampler_anisotropy = 1.0f;
  const auto& capabilities = context->capabilities_;

  // --- logical device ---
  const float priority = 1.0f;
  VkDeviceQueueCreateInfo queue_info{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue_info.queueFamilyIndex = context->queue_family_;
  queue_info.queueCount = 1;
  queue_info.pQueuePriorities = &priority;

  VkPhysicalDeviceVulkan13Features features13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  features13.dynamicRendering = VK_TRUE;
  features13.synchronization2 = VK_TRUE;
  // Required of every Vulkan 1.3 device; compute shaders built for SPIR-V 1.6 name their
  // workgroup size by id (LocalSizeId), which needs it on.
  features13.maintenance4 = VK_TRUE;
  VkPhysicalDeviceVulkan11Features features11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
  features11.pNext = &features13;
  features11.multiview = VK_TRUE;
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &features11;
  features.features.samplerAnisotropy = capabilities.max_sampler_anisotropy > 1.0f;
  features.features.textureCompressionBC = capabilities.bc_texture_compression;

  std::vector<const char*> device_extensions;
  if (config.presentation) device_extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);

  VkDeviceCreateInfo device_info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  device_info.pNext = &features;
  device_info.queueCreateInfoCount = 1;
  device_info.pQueueCreateInfos = &queue_info;
  device_info.enabledExtensionCount = static_cast<uint32_t>(device_extensions.size());
  device_info.ppEnabledExtensionNames = device_extensions.data();
  if (config.hooks) {
    PV_TRY_ASSIGN(context->device_, config.hooks->create_device(context->physical_device_, device_info));
  } else {
    PV_TRY(vk_check(vkCreateDevice(context->physical_device_, &device_info, nullptr, &context->device_),
                    "vkCreateDevice")
               .add_context("creating the Vulkan device on " + context->choice_.name));
  }
  vkGetDeviceQueue(context->device_, context->queue_family_, 0, &context->queue_);
  context->allocator_ = std::make_unique<GpuAllocator>(context->physical_device_, context->device_);

  const auto& chosen_device = context->choice_;
  log::info("render", "using {} ({}, Vulkan {}.{}.{}): {}", chosen_device.name, chosen_device.type,
            VK_API_VERSION_MAJOR(chosen_device.api_version), VK_API_VERSION_MINOR(chosen_device.api_version),
            VK_API_VERSION_PATCH(chosen_device.api_version), chosen_device.reason);
  for (const auto& rejection : chosen_device.rejected) log::info("render", "not using {}", rejection);
  return context;
}

GpuContext::~GpuContext() {
  if (device_ != VK_NULL_HANDLE) vkDeviceWaitIdle(device_);
  allocator_.reset();
  if (device_ != VK_NULL_HANDLE) vkDestroyDevice(device_, nullptr);
  if (messenger_ != VK_NULL_HANDLE) {
    auto destroy_messenger = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    destroy_messenger(instance_, messenger_, nullptr);
  }
  if (instance_ != VK_NULL_HANDLE) vkDestroyInstance(instance_, nullptr);
}

void GpuContext::set_object_name(VkObjectType type, uint64_t handle, const char* name) const {
  if (!set_object_name_) return;
  VkDebugUtilsObjectNameInfoEXT info{VK_STRUCTURE_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT};
  info.objectType = type;
  info.objectHandle = handle;
  info.pObjectName = name;
  set_object_name_(device_, &info);
}

ValidationReport GpuContext::take_validation_report() {
  std::lock_guard lock(validation_mutex_);
  return std::exchange(validation_, ValidationReport{});
}

Result<void> GpuContext::wait_idle() const { return vk_check(vkDeviceWaitIdle(device_), "vkDeviceWaitIdle"); }

}  // namespace pavilion::render
