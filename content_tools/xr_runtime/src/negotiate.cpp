// How the Khronos loader finds the runtime: the manifest names this library, the loader calls
// xrNegotiateLoaderRuntimeInterface, and from then on asks xrGetInstanceProcAddr for each entry
// point by name.
//
// The negotiation structures are declared by the loader's own header (loader_interfaces.h),
// which Debian's libopenxr-dev does not install; they are declared here as the OpenXR loader
// specification defines them.
#include "entry_points.h"

#include <cstring>
#include <string_view>

extern "C" {

enum XrLoaderInterfaceStructs {
  XR_LOADER_INTERFACE_STRUCT_UNINTIALIZED = 0,
  XR_LOADER_INTERFACE_STRUCT_LOADER_INFO,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST,
  XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_CREATE_INFO,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_NEXT_INFO,
};

struct XrNegotiateLoaderInfo {
  XrLoaderInterfaceStructs structType;
  uint32_t structVersion;
  size_t structSize;
  uint32_t minInterfaceVersion;
  uint32_t maxInterfaceVersion;
  XrVersion minApiVersion;
  XrVersion maxApiVersion;
};

struct XrNegotiateRuntimeRequest {
  XrLoaderInterfaceStructs structType;
  uint32_t structVersion;
  size_t structSize;
  uint32_t runtimeInterfaceVersion;
  XrVersion runtimeApiVersion;
  PFN_xrGetInstanceProcAddr getInstanceProcAddr;
};

__attribute__((visibility("default"))) XrResult XRAPI_CALL
xrNegotiateLoaderRuntimeInterface(const XrNegotiateLoaderInfo* loader, XrNegotiateRuntimeRequest* runtime);

}  // extern "C"

namespace pavilion::xr_runtime {
namespace {

constexpr uint32_t loader_info_struct_version = 1;
constexpr uint32_t runtime_info_struct_version = 1;
constexpr uint32_t runtime_interface_version = 1;

struct EntryPoint {
  std::string_view name;
  PFN_xrVoidFunction function;
  const char* extension;  // null for core functions (the only extension with functions is vulkan_enable2)
};

template <class Function>
PFN_xrVoidFunction as_void(Function function) {
  return reinterpret_cast<PFN_xrVoidFunction>(function);
}

XrResult XRAPI_CALL get_instance_proc_addr(XrInstance handle, const char* name, PFN_xrVoidFunction* function);

const std::array<EntryPoint, 57> entry_points{{
    {"xrGetInstanceProcAddr", as_void(get_instance_proc_addr), nullptr},
    {"xrEnumerateInstanceExtensionProperties", as_void(enumerate_instance_extension_properties), nullptr},
    {"xrCreateInstance", as_void(create_instance), nullptr},
    {"xrDestroyInstance", as_void(destroy_instance), nullptr},
    {"xrGetInstanceProperties", as_void(get_instance_properties), nullptr},
    {"xrPollEvent", as_void(poll_event), nullptr},
    {"xrResultToString", as_void(result_to_string), nullptr},
    {"xrStructureTypeToString", as_void(structure_type_to_string), nullptr},
    {"xrGetSystem", as_void(get_system), nullptr},
    {"xrGetSystemProperties", as_void(get_system_properties), nullptr},
    {"xrEnumerateViewConfigurations", as_void(enumerate_view_configurations), nullptr},
    {"xrGetViewConfigurationProperties", as_void(get_view_configuration_properties), nullptr},
    {"xrEnumerateViewConfigurationViews", as_void(enumerate_view_configuration_views), nullptr},
    {"xrEnumerateEnvironmentBlendModes", as_void(enumerate_environment_blend_modes), nullptr},
    {"xrStringToPath", as_void(string_to_path), nullptr},
    {"xrPathToString", as_void(path_to_string), nullptr},
    {"xrCreateSession", as_void(create_session), nullptr},
    {"xrDestroySession", as_void(destroy_session), nullptr},
    {"xrBeginSession", as_void(begin_session), nullptr},
    {"xrEndSession", as_void(end_session), nullptr},
    {"xrRequestExitSession", as_void(request_exit_session), nullptr},
    {"xrWaitFrame", as_void(wait_frame), nullptr},
    {"xrBeginFrame", as_void(begin_frame), nullptr},
    {"xrEndFrame", as_void(end_frame), nullptr},
    {"xrEnumerateReferenceSpaces", as_void(enumerate_reference_spaces), nullptr},
    {"xrCreateReferenceSpace", as_void(create_reference_space), nullptr},
    {"xrDestroySpace", as_void(destroy_space), nullptr},
    {"xrLocateSpace", as_void(locate_space), nullptr},
    {"xrLocateViews", as_void(locate_views), nullptr},
    {"xrCreateActionSpace", as_void(create_action_space), nullptr},
    {"xrCreateActionSet", as_void(create_action_set), nullptr},
    {"xrDestroyActionSet", as_void(destroy_action_set), nullptr},
    {"xrCreateAction", as_void(create_action), nullptr},
    {"xrDestroyAction", as_void(destroy_action), nullptr},
    {"xrSuggestInteractionProfileBindings", as_void(suggest_interaction_profile_bindings), nullptr},
    {"xrAttachSessionActionSets", as_void(attach_session_action_sets), nullptr},
    {"xrGetCurrentInteractionProfile", as_void(get_current_interaction_profile), nullptr},
    {"xrSyncActions", as_void(sync_actions), nullptr},
    {"xrGetActionStateBoolean", as_void(get_action_state_boolean), nullptr},
    {"xrGetActionStateFloat", as_void(get_action_state_float), nullptr},
    {"xrGetActionStateVector2f", as_void(get_action_state_vector2f), nullptr},
    {"xrGetActionStatePose", as_void(get_action_state_pose), nullptr},
    {"xrEnumerateBoundSourcesForAction", as_void(enumerate_bound_sources_for_action), nullptr},
    {"xrGetInputSourceLocalizedName", as_void(get_input_source_localized_name), nullptr},
    {"xrApplyHapticFeedback", as_void(apply_haptic_feedback), nullptr},
    {"xrStopHapticFeedback", as_void(stop_haptic_feedback), nullptr},
    {"xrEnumerateSwapchainFormats", as_void(enumerate_swapchain_formats), nullptr},
    {"xrCreateSwapchain", as_void(create_swapchain), nullptr},
    {"xrDestroySwapchain", as_void(destroy_swapchain), nullptr},
    {"xrEnumerateSwapchainImages", as_void(enumerate_swapchain_images), nullptr},
    {"xrAcquireSwapchainImage", as_void(acquire_swapchain_image), nullptr},
    {"xrWaitSwapchainImage", as_void(wait_swapchain_image), nullptr},
    {"xrReleaseSwapchainImage", as_void(release_swapchain_image), nullptr},
    {"xrGetVulkanGraphicsRequirements2KHR", as_void(get_vulkan_graphics_requirements2), XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME},
    {"xrCreateVulkanInstanceKHR", as_void(create_vulkan_instance), XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME},
    {"xrGetVulkanGraphicsDevice2KHR", as_void(get_vulkan_graphics_device2), XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME},
    {"xrCreateVulkanDeviceKHR", as_void(create_vulkan_device), XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME},
}};

XrResult XRAPI_CALL get_instance_proc_addr(XrInstance handle, const char* name, PFN_xrVoidFunction* function) {
  if (name == nullptr || function == nullptr) return XR_ERROR_VALIDATION_FAILURE;
  *function = nullptr;
  const std::string_view wanted(name);
  // Before an instance exists only these three may be asked for.
  if (handle == XR_NULL_HANDLE && wanted != "xrEnumerateInstanceExtensionProperties" &&
      wanted != "xrEnumerateApiLayerProperties" && wanted != "xrCreateInstance") {
    return XR_ERROR_HANDLE_INVALID;
  }
  const Instance* instance = handle == XR_NULL_HANDLE ? nullptr : instance_from(handle);
  if (handle != XR_NULL_HANDLE && instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  for (const EntryPoint& entry : entry_points) {
    if (entry.name != wanted) continue;
    // An extension's functions exist only for an instance that enabled it.
    if (entry.extension != nullptr && (instance == nullptr || !instance->vulkan_enable2)) break;
    *function = entry.function;
    return XR_SUCCESS;
  }
  return XR_ERROR_FUNCTION_UNSUPPORTED;
}

}  // namespace
}  // namespace pavilion::xr_runtime

extern "C" XrResult XRAPI_CALL xrNegotiateLoaderRuntimeInterface(const XrNegotiateLoaderInfo* loader,
                                                                 XrNegotiateRuntimeRequest* runtime) {
  using namespace pavilion::xr_runtime;
  if (loader == nullptr || runtime == nullptr || loader->structType != XR_LOADER_INTERFACE_STRUCT_LOADER_INFO ||
      loader->structVersion != loader_info_struct_version || loader->structSize != sizeof(XrNegotiateLoaderInfo) ||
      runtime->structType != XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST ||
      runtime->structVersion != runtime_info_struct_version || runtime->structSize != sizeof(XrNegotiateRuntimeRequest)) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  if (loader->minInterfaceVersion > runtime_interface_version || loader->maxInterfaceVersion < runtime_interface_version ||
      XR_VERSION_MAJOR(loader->maxApiVersion) < 1 || XR_VERSION_MAJOR(loader->minApiVersion) > 1) {
    return XR_ERROR_INITIALIZATION_FAILED;
  }
  runtime->runtimeInterfaceVersion = runtime_interface_version;
  runtime->runtimeApiVersion = XR_CURRENT_API_VERSION;
  runtime->getInstanceProcAddr = get_instance_proc_addr;
  return XR_SUCCESS;
}
