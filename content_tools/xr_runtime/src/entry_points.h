// The runtime's OpenXR entry points, handed to the loader through xrGetInstanceProcAddr.
#pragma once

#include "runtime.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <span>

namespace pavilion::xr_runtime {

// OpenXR's two-call idiom: with no capacity, say how many; otherwise copy them all or refuse.
// `assign` copies one element; for output structures it must leave the caller's type and next.
template <class Values, class T, class Assign>
XrResult fill_array(const Values& values, uint32_t capacity, uint32_t* count, T* out, Assign assign) {
  if (count == nullptr) return XR_ERROR_VALIDATION_FAILURE;
  *count = static_cast<uint32_t>(std::size(values));
  if (capacity == 0) return XR_SUCCESS;
  if (capacity < *count) return XR_ERROR_SIZE_INSUFFICIENT;
  if (out == nullptr) return XR_ERROR_VALIDATION_FAILURE;
  size_t index = 0;
  for (const auto& value : values) assign(out[index++], value);
  return XR_SUCCESS;
}

template <class Values, class T>
XrResult fill_array(const Values& values, uint32_t capacity, uint32_t* count, T* out) {
  return fill_array(values, capacity, count, out, [](T& to, const auto& from) { to = from; });
}

void post_event(Instance& instance, const XrEventDataBuffer& event);
void destroy_sessions_of(const Instance& instance);

// instance.cpp
XrResult XRAPI_CALL enumerate_instance_extension_properties(const char* layer_name, uint32_t capacity, uint32_t* count,
                                                            XrExtensionProperties* properties);
XrResult XRAPI_CALL create_instance(const XrInstanceCreateInfo* info, XrInstance* out);
XrResult XRAPI_CALL destroy_instance(XrInstance handle);
XrResult XRAPI_CALL get_instance_properties(XrInstance handle, XrInstanceProperties* properties);
XrResult XRAPI_CALL poll_event(XrInstance handle, XrEventDataBuffer* event);
XrResult XRAPI_CALL result_to_string(XrInstance handle, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE]);
XrResult XRAPI_CALL structure_type_to_string(XrInstance handle, XrStructureType value,
                                             char buffer[XR_MAX_STRUCTURE_NAME_SIZE]);
XrResult XRAPI_CALL get_system(XrInstance handle, const XrSystemGetInfo* info, XrSystemId* system);
XrResult XRAPI_CALL get_system_properties(XrInstance handle, XrSystemId system, XrSystemProperties* properties);
XrResult XRAPI_CALL enumerate_view_configurations(XrInstance handle, XrSystemId system, uint32_t capacity,
                                                  uint32_t* count, XrViewConfigurationType* types);
XrResult XRAPI_CALL get_view_configuration_properties(XrInstance handle, XrSystemId system, XrViewConfigurationType type,
                                                      XrViewConfigurationProperties* properties);
XrResult XRAPI_CALL enumerate_view_configuration_views(XrInstance handle, XrSystemId system, XrViewConfigurationType type,
                                                       uint32_t capacity, uint32_t* count, XrViewConfigurationView* views);
XrResult XRAPI_CALL enumerate_environment_blend_modes(XrInstance handle, XrSystemId system, XrViewConfigurationType type,
                                                      uint32_t capacity, uint32_t* count, XrEnvironmentBlendMode* modes);
XrResult XRAPI_CALL string_to_path(XrInstance handle, const char* text, XrPath* path);
XrResult XRAPI_CALL path_to_string(XrInstance handle, XrPath path, uint32_t capacity, uint32_t* count, char* buffer);

// session.cpp
XrResult XRAPI_CALL create_session(XrInstance handle, const XrSessionCreateInfo* info, XrSession* session);
XrResult XRAPI_CALL destroy_session(XrSession handle);
XrResult XRAPI_CALL begin_session(XrSession handle, const XrSessionBeginInfo* info);
XrResult XRAPI_CALL end_session(XrSession handle);
XrResult XRAPI_CALL request_exit_session(XrSession handle);
XrResult XRAPI_CALL wait_frame(XrSession handle, const XrFrameWaitInfo* info, XrFrameState* state);
XrResult XRAPI_CALL begin_frame(XrSession handle, const XrFrameBeginInfo* info);
XrResult XRAPI_CALL end_frame(XrSession handle, const XrFrameEndInfo* info);
XrResult XRAPI_CALL enumerate_reference_spaces(XrSession handle, uint32_t capacity, uint32_t* count,
                                               XrReferenceSpaceType* spaces);
XrResult XRAPI_CALL create_reference_space(XrSession handle, const XrReferenceSpaceCreateInfo* info, XrSpace* space);
XrResult XRAPI_CALL destroy_space(XrSpace handle);
XrResult XRAPI_CALL create_action_space(XrSession handle, const XrActionSpaceCreateInfo* info, XrSpace* space);
XrResult XRAPI_CALL locate_space(XrSpace handle, XrSpace base, XrTime time, XrSpaceLocation* location);
XrResult XRAPI_CALL locate_views(XrSession handle, const XrViewLocateInfo* info, XrViewState* state, uint32_t capacity,
                                 uint32_t* count, XrView* views);

// input.cpp
void destroy_action_sets_of(const Instance& instance);
XrResult XRAPI_CALL create_action_set(XrInstance handle, const XrActionSetCreateInfo* info, XrActionSet* set);
XrResult XRAPI_CALL destroy_action_set(XrActionSet handle);
XrResult XRAPI_CALL create_action(XrActionSet handle, const XrActionCreateInfo* info, XrAction* action);
XrResult XRAPI_CALL destroy_action(XrAction handle);
XrResult XRAPI_CALL suggest_interaction_profile_bindings(XrInstance handle,
                                                         const XrInteractionProfileSuggestedBinding* suggested);
XrResult XRAPI_CALL attach_session_action_sets(XrSession handle, const XrSessionActionSetsAttachInfo* info);
XrResult XRAPI_CALL get_current_interaction_profile(XrSession handle, XrPath top_level_user_path,
                                                    XrInteractionProfileState* profile);
XrResult XRAPI_CALL sync_actions(XrSession handle, const XrActionsSyncInfo* info);
XrResult XRAPI_CALL get_action_state_boolean(XrSession handle, const XrActionStateGetInfo* info, XrActionStateBoolean* state);
XrResult XRAPI_CALL get_action_state_float(XrSession handle, const XrActionStateGetInfo* info, XrActionStateFloat* state);
XrResult XRAPI_CALL get_action_state_vector2f(XrSession handle, const XrActionStateGetInfo* info,
                                              XrActionStateVector2f* state);
XrResult XRAPI_CALL get_action_state_pose(XrSession handle, const XrActionStateGetInfo* info, XrActionStatePose* state);
XrResult XRAPI_CALL enumerate_bound_sources_for_action(XrSession handle, const XrBoundSourcesForActionEnumerateInfo* info,
                                                       uint32_t capacity, uint32_t* count, XrPath* sources);
XrResult XRAPI_CALL get_input_source_localized_name(XrSession handle, const XrInputSourceLocalizedNameGetInfo* info,
                                                    uint32_t capacity, uint32_t* count, char* buffer);
XrResult XRAPI_CALL apply_haptic_feedback(XrSession handle, const XrHapticActionInfo* info,
                                          const XrHapticBaseHeader* feedback);
XrResult XRAPI_CALL stop_haptic_feedback(XrSession handle, const XrHapticActionInfo* info);
// Checks an action space's creation; the space itself is made by session.cpp.
XrResult check_action_space(Session& session, const XrActionSpaceCreateInfo& info, uint64_t& action);

// swapchain.cpp
void destroy_swapchains_of(const Session& session);
XrResult XRAPI_CALL enumerate_swapchain_formats(XrSession handle, uint32_t capacity, uint32_t* count, int64_t* formats);
XrResult XRAPI_CALL create_swapchain(XrSession handle, const XrSwapchainCreateInfo* info, XrSwapchain* swapchain);
XrResult XRAPI_CALL destroy_swapchain(XrSwapchain handle);
XrResult XRAPI_CALL enumerate_swapchain_images(XrSwapchain handle, uint32_t capacity, uint32_t* count,
                                               XrSwapchainImageBaseHeader* images);
XrResult XRAPI_CALL acquire_swapchain_image(XrSwapchain handle, const XrSwapchainImageAcquireInfo* info, uint32_t* index);
XrResult XRAPI_CALL wait_swapchain_image(XrSwapchain handle, const XrSwapchainImageWaitInfo* info);
XrResult XRAPI_CALL release_swapchain_image(XrSwapchain handle, const XrSwapchainImageReleaseInfo* info);

// vulkan.cpp: XR_KHR_vulkan_enable2
XrResult XRAPI_CALL get_vulkan_graphics_requirements2(XrInstance handle, XrSystemId system,
                                                      XrGraphicsRequirementsVulkanKHR* requirements);
XrResult XRAPI_CALL create_vulkan_instance(XrInstance handle, const XrVulkanInstanceCreateInfoKHR* info,
                                           VkInstance* vulkan_instance, VkResult* vulkan_result);
XrResult XRAPI_CALL get_vulkan_graphics_device2(XrInstance handle, const XrVulkanGraphicsDeviceGetInfoKHR* info,
                                                VkPhysicalDevice* physical_device);
XrResult XRAPI_CALL create_vulkan_device(XrInstance handle, const XrVulkanDeviceCreateInfoKHR* info,
                                         VkDevice* vulkan_device, VkResult* vulkan_result);

}  // namespace pavilion::xr_runtime
