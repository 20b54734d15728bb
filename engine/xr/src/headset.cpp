#include "xr_state.h"

#include "pavilion/core/log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace pavilion::xr {

Result<XrResult> xr_check(XrInstance instance, XrResult result, const char* call, std::source_location where) {
  if (XR_SUCCEEDED(result)) return result;
  char name[XR_MAX_RESULT_STRING_SIZE] = {};
  if (instance == XR_NULL_HANDLE || XR_FAILED(xrResultToString(instance, result, name))) {
    std::snprintf(name, sizeof(name), "XrResult %d", static_cast<int>(result));
  }
  const ErrorCode code = result == XR_ERROR_OUT_OF_MEMORY ? ErrorCode::out_of_memory
                         : result == XR_ERROR_FUNCTION_UNSUPPORTED || result == XR_ERROR_EXTENSION_NOT_PRESENT
                             ? ErrorCode::unsupported
                             : ErrorCode::gpu;
  return Error(code, call, name, where);
}

namespace {

template <class Function>
Result<void> load(XrInstance instance, const char* name, Function& out) {
  PFN_xrVoidFunction found = nullptr;
  PV_TRY(xr_check(instance, xrGetInstanceProcAddr(instance, name, &found), name));
  out = reinterpret_cast<Function>(found);
  return {};
}

}  // namespace

Headset::Headset(std::unique_ptr<State> state) : state_(std::move(state)) {}

Headset::~Headset() {
  if (state_->instance != XR_NULL_HANDLE) xrDestroyInstance(state_->instance);
}

Result<std::unique_ptr<Headset>> Headset::open(const HeadsetOptions& options) {
  const char* step = "opening the headset";
  uint32_t count = 0;
  if (XR_FAILED(xrEnumerateInstanceExtensionProperties(nullptr, 0, &count, nullptr))) {
    return Error(ErrorCode::not_found, step,
                 "No OpenXR runtime is installed or active; install the headset's software (or set XR_RUNTIME_JSON) "
                 "and start again.");
  }
  std::vector<XrExtensionProperties> offered(count, {XR_TYPE_EXTENSION_PROPERTIES});
  PV_TRY(xr_check(XR_NULL_HANDLE, xrEnumerateInstanceExtensionProperties(nullptr, count, &count, offered.data()),
                  "xrEnumerateInstanceExtensionProperties"));
  const auto has = [&](const char* name) {
    return std::any_of(offered.begin(), offered.end(),
                       [&](const XrExtensionProperties& extension) { return std::strcmp(extension.extensionName, name) == 0; });
  };
  if (!has(XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME)) {
    return Error(ErrorCode::unsupported, step,
                 "The installed OpenXR runtime cannot draw with Vulkan (XR_KHR_vulkan_enable2); use a runtime that can.");
  }
  auto state = std::make_unique<State>();
  std::vector<const char*> extensions{XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME};
  // Enabled where offered, for the depth layers the session will submit.
  state->depth_layers = has(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  if (state->depth_layers) extensions.push_back(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
  // Hands without controllers point and pinch through it, where the runtime tracks hands.
  state->hand_interaction = has(XR_MSFT_HAND_INTERACTION_EXTENSION_NAME);
  if (state->hand_interaction) extensions.push_back(XR_MSFT_HAND_INTERACTION_EXTENSION_NAME);
  XrInstanceCreateInfo info{XR_TYPE_INSTANCE_CREATE_INFO};
  std::snprintf(info.applicationInfo.applicationName, XR_MAX_APPLICATION_NAME_SIZE, "%s", options.application_name.c_str());
  std::snprintf(info.applicationInfo.engineName, XR_MAX_ENGINE_NAME_SIZE, "%s", "Pavilion");
  info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.enabledExtensionNames = extensions.data();
  PV_TRY(xr_check(XR_NULL_HANDLE, xrCreateInstance(&info, &state->instance), "xrCreateInstance").add_context(step));
  std::unique_ptr<Headset> headset(new Headset(std::move(state)));
  State& s = *headset->state_;

  XrInstanceProperties instance_properties{XR_TYPE_INSTANCE_PROPERTIES};
  PV_TRY(xr_check(s.instance, xrGetInstanceProperties(s.instance, &instance_properties), "xrGetInstanceProperties"));
  s.runtime_name = instance_properties.runtimeName;
  XrSystemGetInfo system_info{XR_TYPE_SYSTEM_GET_INFO};
  system_info.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  const XrResult found = xrGetSystem(s.instance, &system_info, &s.system);
  if (found == XR_ERROR_FORM_FACTOR_UNAVAILABLE) {
    return Error(ErrorCode::not_found, step,
                 fmt::format("No headset is connected to {}; connect it (and switch it on) and start again.",
                             s.runtime_name));
  }
  PV_TRY(xr_check(s.instance, found, "xrGetSystem").add_context(step));
  XrSystemProperties system_properties{XR_TYPE_SYSTEM_PROPERTIES};
  PV_TRY(xr_check(s.instance, xrGetSystemProperties(s.instance, s.system, &system_properties), "xrGetSystemProperties"));
  s.system_name = system_properties.systemName;

  constexpr XrViewConfigurationType stereo = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  PV_TRY(xr_check(s.instance, xrEnumerateViewConfigurationViews(s.instance, s.system, stereo, 0, &count, nullptr),
                  "xrEnumerateViewConfigurationViews"));
  std::vector<XrViewConfigurationView> views(count, {XR_TYPE_VIEW_CONFIGURATION_VIEW});
  PV_TRY(xr_check(s.instance, xrEnumerateViewConfigurationViews(s.instance, s.system, stereo, count, &count, views.data()),
                  "xrEnumerateViewConfigurationViews"));
  if (views.size() != 2) {
    return Error(ErrorCode::unsupported, step, fmt::format("{} shows {} views; a stereo headset shows 2", s.system_name,
                                                           views.size()));
  }
  s.eye_extent = {views[0].recommendedImageRectWidth, views[0].recommendedImageRectHeight};

  PV_TRY(xr_check(s.instance, xrEnumerateEnvironmentBlendModes(s.instance, s.system, stereo, 0, &count, nullptr),
                  "xrEnumerateEnvironmentBlendModes"));
  std::vector<XrEnvironmentBlendMode> modes(count);
  PV_TRY(xr_check(s.instance, xrEnumerateEnvironmentBlendModes(s.instance, s.system, stereo, count, &count, modes.data()),
                  "xrEnumerateEnvironmentBlendModes"));
  if (modes.empty()) return Error(ErrorCode::unsupported, step, "the runtime offers no environment blend mode");
  s.xr_blend = modes.front();  // the runtime's preference comes first
  s.blend = s.xr_blend == XR_ENVIRONMENT_BLEND_MODE_ADDITIVE      ? BlendMode::additive
            : s.xr_blend == XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND ? BlendMode::alpha_blend
                                                                  : BlendMode::opaque;

  PV_TRY(load(s.instance, "xrGetVulkanGraphicsRequirements2KHR", s.graphics_requirements));
  PV_TRY(load(s.instance, "xrCreateVulkanInstanceKHR", s.create_vulkan_instance));
  PV_TRY(load(s.instance, "xrGetVulkanGraphicsDevice2KHR", s.graphics_device));
  PV_TRY(load(s.instance, "xrCreateVulkanDeviceKHR", s.create_vulkan_device));
  XrGraphicsRequirementsVulkan2KHR requirements{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
  PV_TRY(xr_check(s.instance, s.graphics_requirements(s.instance, s.system, &requirements),
                  "xrGetVulkanGraphicsRequirements2KHR"));
  if (requirements.minApiVersionSupported > XR_MAKE_VERSION(1, 3, 0)) {
    return Error(ErrorCode::unsupported, step, fmt::format("{} needs a newer Vulkan than 1.3", s.runtime_name));
  }
  log::info("xr", "{} on {} ({}×{} per eye)", s.system_name, s.runtime_name, s.eye_extent.width, s.eye_extent.height);
  return headset;
}

const std::string& Headset::runtime_name() const { return state_->runtime_name; }
const std::string& Headset::system_name() const { return state_->system_name; }
BlendMode Headset::blend_mode() const { return state_->blend; }
VkExtent2D Headset::eye_extent() const { return state_->eye_extent; }

Result<VkInstance> Headset::create_instance(const VkInstanceCreateInfo& info) {
  XrVulkanInstanceCreateInfoKHR create{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
  create.systemId = state_->system;
  create.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
  create.vulkanCreateInfo = &info;
  VkInstance instance = VK_NULL_HANDLE;
  VkResult vulkan = VK_SUCCESS;
  PV_TRY(xr_check(state_->instance, state_->create_vulkan_instance(state_->instance, &create, &instance, &vulkan),
                  "xrCreateVulkanInstanceKHR"));
  if (vulkan != VK_SUCCESS) return Error(ErrorCode::gpu, "vkCreateInstance (through OpenXR)", fmt::format("VkResult {}", static_cast<int>(vulkan)));
  return instance;
}

Result<VkPhysicalDevice> Headset::required_physical_device(VkInstance instance) {
  XrVulkanGraphicsDeviceGetInfoKHR get{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
  get.systemId = state_->system;
  get.vulkanInstance = instance;
  VkPhysicalDevice device = VK_NULL_HANDLE;
  PV_TRY(xr_check(state_->instance, state_->graphics_device(state_->instance, &get, &device), "xrGetVulkanGraphicsDevice2KHR"));
  return device;
}

Result<VkDevice> Headset::create_device(VkPhysicalDevice physical_device, const VkDeviceCreateInfo& info) {
  XrVulkanDeviceCreateInfoKHR create{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
  create.systemId = state_->system;
  create.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
  create.vulkanPhysicalDevice = physical_device;
  create.vulkanCreateInfo = &info;
  VkDevice device = VK_NULL_HANDLE;
  VkResult vulkan = VK_SUCCESS;
  PV_TRY(xr_check(state_->instance, state_->create_vulkan_device(state_->instance, &create, &device, &vulkan),
                  "xrCreateVulkanDeviceKHR"));
  if (vulkan != VK_SUCCESS) return Error(ErrorCode::gpu, "vkCreateDevice (through OpenXR)", fmt::format("VkResult {}", static_cast<int>(vulkan)));
  return device;
}

}  // namespace pavilion::xr
