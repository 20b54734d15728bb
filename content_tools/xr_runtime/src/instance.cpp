// Instance, system and view configuration entry points, events, paths and names.
#include "entry_points.h"

#include <openxr/openxr_reflection.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

namespace pavilion::xr_runtime {
namespace {

Registry<Instance> instances;

constexpr std::array<XrExtensionProperties, 3> extensions{{
    {XR_TYPE_EXTENSION_PROPERTIES, nullptr, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME, XR_KHR_vulkan_enable2_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, nullptr, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME,
     XR_KHR_composition_layer_depth_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, nullptr, XR_MSFT_HAND_INTERACTION_EXTENSION_NAME, XR_MSFT_hand_interaction_SPEC_VERSION},
}};

constexpr XrViewConfigurationType stereo = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;

bool known_system(const Instance& instance, XrSystemId system) {
  return system == headset_system && instance.headset.present;
}

}  // namespace

bool read_headset_settings(HeadsetSettings& settings, std::string& error) {
  settings = {};
  if (const char* headset = std::getenv("PAVILION_XR_SIM_HEADSET"); headset && std::string_view(headset) == "absent") {
    settings.present = false;
  }
  if (const char* mode = std::getenv("PAVILION_XR_SIM_MODE"); mode != nullptr && *mode != '\0') {
    const std::string_view chosen(mode);
    if (chosen != "desktop" && chosen != "headless") {
      error = "PAVILION_XR_SIM_MODE is '" + std::string(chosen) + "'; it is desktop (a preview window) or headless";
      return false;
    }
    settings.desktop = chosen == "desktop";
  }
  if (const char* blend = std::getenv("PAVILION_XR_SIM_BLEND")) {
    const std::string_view mode(blend);
    settings.augmented_reality = mode == "additive" || mode == "alpha";
    settings.ar_blend = mode == "alpha" ? XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND : XR_ENVIRONMENT_BLEND_MODE_ADDITIVE;
  }
  if (const char* frames = std::getenv("PAVILION_XR_SIM_LOSE_AFTER_FRAMES")) {
    settings.lose_session_after_frames = std::strtoull(frames, nullptr, 10);
  }
  if (const char* folder = std::getenv("PAVILION_XR_SIM_CAPTURE_DIR")) settings.capture_folder = folder;
  if (const char* frames = std::getenv("PAVILION_XR_SIM_CAPTURE_FRAMES")) {
    for (const char* at = frames; *at != '\0';) {
      char* end = nullptr;
      const unsigned long long frame = std::strtoull(at, &end, 10);
      if (end == at) break;
      settings.capture_frames.push_back(frame);
      at = *end == ',' ? end + 1 : end;
    }
  }
  if (const char* frame = std::getenv("PAVILION_XR_SIM_END_SESSION_AT_FRAME"); frame != nullptr && *frame != '\0') {
    const std::string_view digits(frame);
    const bool whole = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    settings.end_session_at_frame = whole ? std::strtoull(frame, nullptr, 10) : 0;
    if (settings.end_session_at_frame == 0) {
      error = "PAVILION_XR_SIM_END_SESSION_AT_FRAME is '" + std::string(frame) +
              "'; it is the frame (counted from 1) at which the visitor quits";
      return false;
    }
  }
  if (const char* eye = std::getenv("PAVILION_XR_SIM_EYE")) {
    unsigned width = 0;
    unsigned height = 0;
    if (std::sscanf(eye, "%ux%u", &width, &height) == 2 && width >= 16 && height >= 16 && width <= 8192 && height <= 8192) {
      settings.eye_width = width;
      settings.eye_height = height;
    }
  }
  if (const char* timeline = std::getenv("PAVILION_XR_SIM_TIMELINE"); timeline != nullptr && *timeline != '\0') {
    if (!read_timeline(timeline, settings.timeline, error)) return false;
    if (settings.timeline.lose_session_at_frame > 0) {
      settings.lose_session_after_frames = settings.timeline.lose_session_at_frame - 1;
    }
    if (settings.timeline.end_session_at_frame > 0) {
      settings.end_session_at_frame = settings.timeline.end_session_at_frame;
    }
  }
  return true;
}

Instance* instance_from(XrInstance handle) { return instances.find(handle); }

void post_event(Instance& instance, const XrEventDataBuffer& event) {
  const std::lock_guard lock(instance.mutex);
  instance.events.push_back(event);
}

XrResult XRAPI_CALL enumerate_instance_extension_properties(const char* layer_name, uint32_t capacity, uint32_t* count,
                                                            XrExtensionProperties* properties) {
  if (layer_name != nullptr) return XR_ERROR_API_LAYER_NOT_PRESENT;
  return fill_array(extensions, capacity, count, properties, [](XrExtensionProperties& to, const XrExtensionProperties& from) {
    std::memcpy(to.extensionName, from.extensionName, sizeof(to.extensionName));
    to.extensionVersion = from.extensionVersion;
  });
}

XrResult XRAPI_CALL create_instance(const XrInstanceCreateInfo* info, XrInstance* out) {
  if (info == nullptr || out == nullptr || info->type != XR_TYPE_INSTANCE_CREATE_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (XR_VERSION_MAJOR(info->applicationInfo.apiVersion) != 1) return XR_ERROR_API_VERSION_UNSUPPORTED;
  if (info->enabledApiLayerCount > 0) return XR_ERROR_API_LAYER_NOT_PRESENT;  // the loader handles layers
  auto instance = std::make_unique<Instance>();
  for (uint32_t index = 0; index < info->enabledExtensionCount; ++index) {
    const std::string_view name(info->enabledExtensionNames[index]);
    if (name == XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME) {
      instance->vulkan_enable2 = true;
    } else if (name == XR_MSFT_HAND_INTERACTION_EXTENSION_NAME) {
      instance->hand_interaction = true;
    } else if (name == XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME) {
      instance->depth_layers = true;
    } else {
      return XR_ERROR_EXTENSION_NOT_PRESENT;
    }
  }
  if (std::string error; !read_headset_settings(instance->headset, error)) {
    // The runtime has no other way to tell the person who set it up what is wrong in its settings.
    std::fprintf(stderr, "Pavilion simulated headset: %s\n", error.c_str());
    return XR_ERROR_RUNTIME_FAILURE;
  }
  *out = handle_of<XrInstance>(*instances.add(std::move(instance)));
  return XR_SUCCESS;
}

XrResult XRAPI_CALL destroy_instance(XrInstance handle) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  destroy_sessions_of(*instance);  // an instance takes its sessions and their spaces with it
  destroy_action_sets_of(*instance);
  instances.remove(handle);
  return XR_SUCCESS;
}

XrResult XRAPI_CALL get_instance_properties(XrInstance handle, XrInstanceProperties* properties) {
  if (instance_from(handle) == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (properties == nullptr || properties->type != XR_TYPE_INSTANCE_PROPERTIES) return XR_ERROR_VALIDATION_FAILURE;
  properties->runtimeVersion = XR_MAKE_VERSION(0, 1, 0);
  std::snprintf(properties->runtimeName, XR_MAX_RUNTIME_NAME_SIZE, "%s", "Pavilion simulated headset");
  return XR_SUCCESS;
}

XrResult XRAPI_CALL poll_event(XrInstance handle, XrEventDataBuffer* event) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (event == nullptr) return XR_ERROR_VALIDATION_FAILURE;
  const std::lock_guard lock(instance->mutex);
  if (instance->events.empty()) return XR_EVENT_UNAVAILABLE;
  *event = instance->events.front();
  instance->events.pop_front();
  return XR_SUCCESS;
}

XrResult XRAPI_CALL result_to_string(XrInstance handle, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE]) {
  if (instance_from(handle) == nullptr) return XR_ERROR_HANDLE_INVALID;
  const char* name = nullptr;
  switch (value) {
#define PAVILION_RESULT_NAME(result, number) \
  case result: name = #result; break;
    XR_LIST_ENUM_XrResult(PAVILION_RESULT_NAME)
#undef PAVILION_RESULT_NAME
    default: break;
  }
  if (name != nullptr) {
    std::snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "%s", name);
  } else {
    std::snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "XR_%s_%d", value < 0 ? "UNKNOWN_FAILURE" : "UNKNOWN_SUCCESS",
                  static_cast<int>(value));
  }
  return XR_SUCCESS;
}

XrResult XRAPI_CALL structure_type_to_string(XrInstance handle, XrStructureType value,
                                             char buffer[XR_MAX_STRUCTURE_NAME_SIZE]) {
  if (instance_from(handle) == nullptr) return XR_ERROR_HANDLE_INVALID;
  const char* name = nullptr;
  switch (value) {
#define PAVILION_STRUCTURE_NAME(type, number) \
  case type: name = #type; break;
    XR_LIST_ENUM_XrStructureType(PAVILION_STRUCTURE_NAME)
#undef PAVILION_STRUCTURE_NAME
    default: break;
  }
  std::snprintf(buffer, XR_MAX_STRUCTURE_NAME_SIZE, "%s", name != nullptr ? name : "XR_UNKNOWN_STRUCTURE_TYPE");
  return XR_SUCCESS;
}

XrResult XRAPI_CALL get_system(XrInstance handle, const XrSystemGetInfo* info, XrSystemId* system) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (info == nullptr || system == nullptr || info->type != XR_TYPE_SYSTEM_GET_INFO) return XR_ERROR_VALIDATION_FAILURE;
  if (info->formFactor != XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY) {
    return info->formFactor == XR_FORM_FACTOR_HANDHELD_DISPLAY ? XR_ERROR_FORM_FACTOR_UNSUPPORTED
                                                                 : XR_ERROR_VALIDATION_FAILURE;
  }
  if (!instance->headset.present) return XR_ERROR_FORM_FACTOR_UNAVAILABLE;  // as when it is unplugged
  *system = headset_system;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL get_system_properties(XrInstance handle, XrSystemId system, XrSystemProperties* properties) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (!known_system(*instance, system)) return XR_ERROR_SYSTEM_INVALID;
  if (properties == nullptr || properties->type != XR_TYPE_SYSTEM_PROPERTIES) return XR_ERROR_VALIDATION_FAILURE;
  properties->systemId = system;
  properties->vendorId = 0;
  std::snprintf(properties->systemName, XR_MAX_SYSTEM_NAME_SIZE, "%s",
                instance->headset.augmented_reality ? "Pavilion simulated AR headset" : "Pavilion simulated VR headset");
  properties->graphicsProperties = {4096, 4096, 16};
  properties->trackingProperties = {XR_TRUE, XR_TRUE};
  return XR_SUCCESS;
}

XrResult XRAPI_CALL enumerate_view_configurations(XrInstance handle, XrSystemId system, uint32_t capacity,
                                                  uint32_t* count, XrViewConfigurationType* types) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (!known_system(*instance, system)) return XR_ERROR_SYSTEM_INVALID;
  return fill_array(std::array{stereo}, capacity, count, types);
}

XrResult XRAPI_CALL get_view_configuration_properties(XrInstance handle, XrSystemId system, XrViewConfigurationType type,
                                                      XrViewConfigurationProperties* properties) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (!known_system(*instance, system)) return XR_ERROR_SYSTEM_INVALID;
  if (type != stereo) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  if (properties == nullptr || properties->type != XR_TYPE_VIEW_CONFIGURATION_PROPERTIES) return XR_ERROR_VALIDATION_FAILURE;
  properties->viewConfigurationType = stereo;
  properties->fovMutable = XR_FALSE;
  return XR_SUCCESS;
}

XrResult XRAPI_CALL enumerate_view_configuration_views(XrInstance handle, XrSystemId system, XrViewConfigurationType type,
                                                       uint32_t capacity, uint32_t* count, XrViewConfigurationView* views) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (!known_system(*instance, system)) return XR_ERROR_SYSTEM_INVALID;
  if (type != stereo) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  const HeadsetSettings& headset = instance->headset;
  const XrViewConfigurationView eye{XR_TYPE_VIEW_CONFIGURATION_VIEW, nullptr, headset.eye_width, 2048,
                                    headset.eye_height, 2048, 1, 4};
  return fill_array(std::array{eye, eye}, capacity, count, views, [](XrViewConfigurationView& to, const XrViewConfigurationView& from) {
    to.recommendedImageRectWidth = from.recommendedImageRectWidth;
    to.maxImageRectWidth = from.maxImageRectWidth;
    to.recommendedImageRectHeight = from.recommendedImageRectHeight;
    to.maxImageRectHeight = from.maxImageRectHeight;
    to.recommendedSwapchainSampleCount = from.recommendedSwapchainSampleCount;
    to.maxSwapchainSampleCount = from.maxSwapchainSampleCount;
  });
}

XrResult XRAPI_CALL enumerate_environment_blend_modes(XrInstance handle, XrSystemId system, XrViewConfigurationType type,
                                                      uint32_t capacity, uint32_t* count, XrEnvironmentBlendMode* modes) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (!known_system(*instance, system)) return XR_ERROR_SYSTEM_INVALID;
  if (type != stereo) return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
  // The preferred mode first: an AR headset shows the room; a VR one cannot.
  if (instance->headset.augmented_reality) return fill_array(std::array{instance->headset.ar_blend}, capacity, count, modes);
  return fill_array(std::array{XR_ENVIRONMENT_BLEND_MODE_OPAQUE}, capacity, count, modes);
}

XrResult XRAPI_CALL string_to_path(XrInstance handle, const char* text, XrPath* path) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  if (text == nullptr || path == nullptr) return XR_ERROR_VALIDATION_FAILURE;
  const std::string_view wanted(text);
  // Well-formed: absolute, no empty or dot segments, no trailing slash, [a-z0-9-_.] only.
  if (wanted.size() < 2 || wanted.size() >= XR_MAX_PATH_LENGTH || wanted.front() != '/' || wanted.back() == '/' ||
      wanted.find("//") != std::string_view::npos) {
    return XR_ERROR_PATH_FORMAT_INVALID;
  }
  for (const char c : wanted) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/';
    if (!allowed) return XR_ERROR_PATH_FORMAT_INVALID;
  }
  const std::lock_guard lock(instance->mutex);
  const auto found = std::find(instance->paths.begin(), instance->paths.end(), wanted);
  const auto index = static_cast<size_t>(found - instance->paths.begin());
  if (found == instance->paths.end()) instance->paths.emplace_back(wanted);
  *path = static_cast<XrPath>(index + 1);  // 0 is XR_NULL_PATH
  return XR_SUCCESS;
}

std::string path_text(Instance& instance, XrPath path) {
  const std::lock_guard lock(instance.mutex);
  if (path == XR_NULL_PATH || path > instance.paths.size()) return {};
  return instance.paths[path - 1];
}

XrResult XRAPI_CALL path_to_string(XrInstance handle, XrPath path, uint32_t capacity, uint32_t* count, char* buffer) {
  Instance* instance = instance_from(handle);
  if (instance == nullptr) return XR_ERROR_HANDLE_INVALID;
  const std::string text = path_text(*instance, path);
  if (text.empty()) return XR_ERROR_PATH_INVALID;
  return fill_array(std::span<const char>(text.c_str(), text.size() + 1), capacity, count, buffer);
}

}  // namespace pavilion::xr_runtime
