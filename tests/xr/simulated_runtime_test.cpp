// The simulated headset through the real Khronos loader, with the OpenXR core validation layer
// on: what any OpenXR application asks first (instance, system, views, blend modes, paths) and
// XR_KHR_vulkan_enable2's instance and device creation on lavapipe.
#include "pavilion/core/png.h"
#include "temporary_folder.h"

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace pavilion::testing {
namespace {

class SimulatedRuntime : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("XR_RUNTIME_JSON", PAVILION_XR_RUNTIME_JSON, 1);
    setenv("XR_ENABLE_API_LAYERS", "XR_APILAYER_LUNARG_core_validation", 1);
    setenv("XR_CORE_VALIDATION_EXPORT_TYPE", "text", 1);
    setenv("XR_CORE_VALIDATION_FILE_NAME", validation_log().c_str(), 1);
    unsetenv("PAVILION_XR_SIM_HEADSET");
    unsetenv("PAVILION_XR_SIM_BLEND");
    unsetenv("PAVILION_XR_SIM_LOSE_AFTER_FRAMES");
    unsetenv("PAVILION_XR_SIM_END_SESSION_AT_FRAME");
    unsetenv("PAVILION_XR_SIM_TIMELINE");
    unsetenv("PAVILION_XR_SIM_CAPTURE_DIR");
    setenv("PAVILION_XR_SIM_EYE", "320x360", 1);
  }

  void TearDown() override {
    if (instance != XR_NULL_HANDLE) {
      EXPECT_EQ(xrDestroyInstance(instance), XR_SUCCESS);
    }
    if (vulkan_device != VK_NULL_HANDLE) vkDestroyDevice(vulkan_device, nullptr);
    if (messenger != VK_NULL_HANDLE) {
      const auto destroy_messenger = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
          vkGetInstanceProcAddr(vulkan_instance, "vkDestroyDebugUtilsMessengerEXT"));
      destroy_messenger(vulkan_instance, messenger, nullptr);
    }
    if (vulkan_instance != VK_NULL_HANDLE) vkDestroyInstance(vulkan_instance, nullptr);
    for (const std::string& message : vulkan_messages) ADD_FAILURE() << "Vulkan validation: " << message;
    std::ifstream log(validation_log());
    std::stringstream text;
    text << log.rdbuf();
    EXPECT_EQ(text.str().find("VUID"), std::string::npos) << "core validation:\n" << text.str();
    EXPECT_EQ(text.str().find("Error"), std::string::npos) << "core validation:\n" << text.str();
  }

  std::string validation_log() const { return (folder / "core_validation.txt").string(); }

  XrResult create(std::vector<const char*> extensions = {XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME}) {
    XrInstanceCreateInfo info{XR_TYPE_INSTANCE_CREATE_INFO};
    std::snprintf(info.applicationInfo.applicationName, XR_MAX_APPLICATION_NAME_SIZE, "%s", "pavilion tests");
    info.applicationInfo.apiVersion = XR_MAKE_VERSION(1, 0, 0);
    info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    info.enabledExtensionNames = extensions.data();
    return xrCreateInstance(&info, &instance);
  }

  XrSystemId system() {
    XrSystemGetInfo info{XR_TYPE_SYSTEM_GET_INFO};
    info.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
    XrSystemId id = XR_NULL_SYSTEM_ID;
    EXPECT_EQ(xrGetSystem(instance, &info, &id), XR_SUCCESS);
    return id;
  }

  template <class Function>
  Function function(const char* name) {
    PFN_xrVoidFunction found = nullptr;
    EXPECT_EQ(xrGetInstanceProcAddr(instance, name, &found), XR_SUCCESS) << name;
    return reinterpret_cast<Function>(found);
  }

  // The application's Vulkan instance and device, made by the runtime (XR_KHR_vulkan_enable2).
  void create_vulkan(XrSystemId id) {
    auto requirements_call = function<PFN_xrGetVulkanGraphicsRequirements2KHR>("xrGetVulkanGraphicsRequirements2KHR");
    auto create_instance = function<PFN_xrCreateVulkanInstanceKHR>("xrCreateVulkanInstanceKHR");
    auto graphics_device = function<PFN_xrGetVulkanGraphicsDevice2KHR>("xrGetVulkanGraphicsDevice2KHR");
    auto create_device = function<PFN_xrCreateVulkanDeviceKHR>("xrCreateVulkanDeviceKHR");
    ASSERT_TRUE(requirements_call && create_instance && graphics_device && create_device);

    XrGraphicsRequirementsVulkan2KHR requirements{XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    ASSERT_EQ(requirements_call(instance, id, &requirements), XR_SUCCESS);
    EXPECT_LE(requirements.minApiVersionSupported, XR_MAKE_VERSION(1, 3, 0));

    VkApplicationInfo application{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    application.apiVersion = VK_API_VERSION_1_3;
    // The Khronos validation layer watches what the runtime does on the application's device.
    const std::array<const char*, 1> layers{"VK_LAYER_KHRONOS_validation"};
    const std::array<const char*, 1> extensions{VK_EXT_DEBUG_UTILS_EXTENSION_NAME};
    VkInstanceCreateInfo vulkan_info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    vulkan_info.pApplicationInfo = &application;
    vulkan_info.enabledLayerCount = static_cast<uint32_t>(layers.size());
    vulkan_info.ppEnabledLayerNames = layers.data();
    vulkan_info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    vulkan_info.ppEnabledExtensionNames = extensions.data();
    XrVulkanInstanceCreateInfoKHR instance_info{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
    instance_info.systemId = id;
    instance_info.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
    instance_info.vulkanCreateInfo = &vulkan_info;
    VkResult vulkan_result = VK_ERROR_UNKNOWN;
    ASSERT_EQ(create_instance(instance, &instance_info, &vulkan_instance, &vulkan_result), XR_SUCCESS);
    ASSERT_EQ(vulkan_result, VK_SUCCESS);
    VkDebugUtilsMessengerCreateInfoEXT messenger_info{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messenger_info.messageSeverity =
        VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messenger_info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
    messenger_info.pfnUserCallback = [](VkDebugUtilsMessageSeverityFlagBitsEXT, VkDebugUtilsMessageTypeFlagsEXT,
                                        const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) -> VkBool32 {
      static_cast<std::vector<std::string>*>(user)->emplace_back(data->pMessage);
      return VK_FALSE;
    };
    messenger_info.pUserData = &vulkan_messages;
    const auto create_messenger = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(vulkan_instance, "vkCreateDebugUtilsMessengerEXT"));
    ASSERT_NE(create_messenger, nullptr);
    ASSERT_EQ(create_messenger(vulkan_instance, &messenger_info, nullptr, &messenger), VK_SUCCESS);

    XrVulkanGraphicsDeviceGetInfoKHR device_get{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
    device_get.systemId = id;
    device_get.vulkanInstance = vulkan_instance;
    ASSERT_EQ(graphics_device(instance, &device_get, &physical_device), XR_SUCCESS);
    ASSERT_NE(physical_device, VK_NULL_HANDLE);

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queue.queueFamilyIndex = 0;
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;
    VkDeviceCreateInfo device_info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    device_info.queueCreateInfoCount = 1;
    device_info.pQueueCreateInfos = &queue;
    XrVulkanDeviceCreateInfoKHR create_info{XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR};
    create_info.systemId = id;
    create_info.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
    create_info.vulkanPhysicalDevice = physical_device;
    create_info.vulkanCreateInfo = &device_info;
    ASSERT_EQ(create_device(instance, &create_info, &vulkan_device, &vulkan_result), XR_SUCCESS);
    ASSERT_EQ(vulkan_result, VK_SUCCESS);
  }

  XrSession start_session(XrSystemId id) {
    XrGraphicsBindingVulkan2KHR binding{XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR};
    binding.instance = vulkan_instance;
    binding.physicalDevice = physical_device;
    binding.device = vulkan_device;
    XrSessionCreateInfo info{XR_TYPE_SESSION_CREATE_INFO};
    info.next = &binding;
    info.systemId = id;
    XrSession session = XR_NULL_HANDLE;
    EXPECT_EQ(xrCreateSession(instance, &info, &session), XR_SUCCESS);
    return session;
  }

  // An sRGB colour swapchain of two layers, both eyes for a multiview pass, usable for `usage` too.
  static XrSwapchainCreateInfo eyes_swapchain(uint32_t width, uint32_t height, XrSwapchainUsageFlags usage) {
    XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
    info.usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | usage;
    info.format = VK_FORMAT_R8G8B8A8_SRGB;
    info.sampleCount = 1;
    info.width = width;
    info.height = height;
    info.faceCount = 1;
    info.arraySize = 2;
    info.mipCount = 1;
    return info;
  }

  static XrResult begin_session(XrSession session) {
    XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
    begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    return xrBeginSession(session, &begin);
  }

  static XrSpace reference_space(XrSession session, XrReferenceSpaceType type) {
    XrReferenceSpaceCreateInfo info{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
    info.referenceSpaceType = type;
    info.poseInReferenceSpace.orientation.w = 1;
    XrSpace space = XR_NULL_HANDLE;
    EXPECT_EQ(xrCreateReferenceSpace(session, &info, &space), XR_SUCCESS);
    return space;
  }

  // The session states announced since the last call.
  std::vector<XrSessionState> states() {
    std::vector<XrSessionState> seen;
    XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
    while (xrPollEvent(instance, &event) == XR_SUCCESS) {
      if (event.type == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) {
        seen.push_back(reinterpret_cast<const XrEventDataSessionStateChanged&>(event).state);
      }
      event = {XR_TYPE_EVENT_DATA_BUFFER};
    }
    return seen;
  }

  // Waits for, begins and ends one frame with nothing in it; its predicted display time.
  static XrTime empty_frame(XrSession session) {
    XrFrameState state{XR_TYPE_FRAME_STATE};
    EXPECT_EQ(xrWaitFrame(session, nullptr, &state), XR_SUCCESS);
    EXPECT_EQ(xrBeginFrame(session, nullptr), XR_SUCCESS);
    XrFrameEndInfo end{XR_TYPE_FRAME_END_INFO};
    end.displayTime = state.predictedDisplayTime;
    end.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    EXPECT_EQ(xrEndFrame(session, &end), XR_SUCCESS);
    return state.predictedDisplayTime;
  }

  XrPath path(const char* text) {
    XrPath made = XR_NULL_PATH;
    EXPECT_EQ(xrStringToPath(instance, text, &made), XR_SUCCESS) << text;
    return made;
  }

  void write_timeline(const std::string& json) {
    std::ofstream(folder / "timeline.json") << json;
    setenv("PAVILION_XR_SIM_TIMELINE", (folder / "timeline.json").c_str(), 1);
  }

  TemporaryFolder folder;
  XrInstance instance = XR_NULL_HANDLE;
  VkInstance vulkan_instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical_device = VK_NULL_HANDLE;
  VkDevice vulkan_device = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger = VK_NULL_HANDLE;
  std::vector<std::string> vulkan_messages;
};

TEST_F(SimulatedRuntime, OffersAStereoHeadsetWithItsExtensions) {
  uint32_t count = 0;
  ASSERT_EQ(xrEnumerateInstanceExtensionProperties(nullptr, 0, &count, nullptr), XR_SUCCESS);
  std::vector<XrExtensionProperties> extensions(count, {XR_TYPE_EXTENSION_PROPERTIES});
  ASSERT_EQ(xrEnumerateInstanceExtensionProperties(nullptr, count, &count, extensions.data()), XR_SUCCESS);
  std::vector<std::string> names;
  for (const XrExtensionProperties& extension : extensions) names.emplace_back(extension.extensionName);
  EXPECT_NE(std::find(names.begin(), names.end(), XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME), names.end());

  ASSERT_EQ(create(), XR_SUCCESS);
  XrInstanceProperties properties{XR_TYPE_INSTANCE_PROPERTIES};
  ASSERT_EQ(xrGetInstanceProperties(instance, &properties), XR_SUCCESS);
  EXPECT_STREQ(properties.runtimeName, "Pavilion simulated headset");

  const XrSystemId id = system();
  XrSystemProperties system_properties{XR_TYPE_SYSTEM_PROPERTIES};
  ASSERT_EQ(xrGetSystemProperties(instance, id, &system_properties), XR_SUCCESS);
  EXPECT_STREQ(system_properties.systemName, "Pavilion simulated VR headset");
  EXPECT_TRUE(system_properties.trackingProperties.positionTracking);

  ASSERT_EQ(xrEnumerateViewConfigurations(instance, id, 0, &count, nullptr), XR_SUCCESS);
  std::vector<XrViewConfigurationType> types(count);
  ASSERT_EQ(xrEnumerateViewConfigurations(instance, id, count, &count, types.data()), XR_SUCCESS);
  ASSERT_EQ(types, std::vector{XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO});
  ASSERT_EQ(xrEnumerateViewConfigurationViews(instance, id, types[0], 0, &count, nullptr), XR_SUCCESS);
  std::vector<XrViewConfigurationView> views(count, {XR_TYPE_VIEW_CONFIGURATION_VIEW});
  ASSERT_EQ(xrEnumerateViewConfigurationViews(instance, id, types[0], count, &count, views.data()), XR_SUCCESS);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[1].recommendedImageRectWidth, 320u);  // PAVILION_XR_SIM_EYE
  EXPECT_EQ(views[1].recommendedImageRectHeight, 360u);
  // Too small an array is refused, with the count the caller needs.
  XrViewConfigurationView one{XR_TYPE_VIEW_CONFIGURATION_VIEW};
  EXPECT_EQ(xrEnumerateViewConfigurationViews(instance, id, types[0], 1, &count, &one), XR_ERROR_SIZE_INSUFFICIENT);
  EXPECT_EQ(count, 2u);

  ASSERT_EQ(xrEnumerateEnvironmentBlendModes(instance, id, types[0], 0, &count, nullptr), XR_SUCCESS);
  std::vector<XrEnvironmentBlendMode> modes(count);
  ASSERT_EQ(xrEnumerateEnvironmentBlendModes(instance, id, types[0], count, &count, modes.data()), XR_SUCCESS);
  EXPECT_EQ(modes, std::vector{XR_ENVIRONMENT_BLEND_MODE_OPAQUE});

  XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
  EXPECT_EQ(xrPollEvent(instance, &event), XR_EVENT_UNAVAILABLE);
  char name[XR_MAX_RESULT_STRING_SIZE];
  ASSERT_EQ(xrResultToString(instance, XR_ERROR_FORM_FACTOR_UNAVAILABLE, name), XR_SUCCESS);
  EXPECT_STREQ(name, "XR_ERROR_FORM_FACTOR_UNAVAILABLE");
}

TEST_F(SimulatedRuntime, AnArHeadsetPrefersToShowTheRoom) {
  setenv("PAVILION_XR_SIM_BLEND", "alpha", 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  uint32_t count = 0;
  XrEnvironmentBlendMode mode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
  ASSERT_EQ(xrEnumerateEnvironmentBlendModes(instance, id, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 1, &count, &mode),
            XR_SUCCESS);
  EXPECT_EQ(mode, XR_ENVIRONMENT_BLEND_MODE_ALPHA_BLEND);
}

TEST_F(SimulatedRuntime, WithoutAHeadsetTheSystemIsUnavailableAndUnknownExtensionsAreRefused) {
  EXPECT_EQ(create({"XR_EXT_not_a_real_extension"}), XR_ERROR_EXTENSION_NOT_PRESENT);
  instance = XR_NULL_HANDLE;
  setenv("PAVILION_XR_SIM_HEADSET", "absent", 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  XrSystemGetInfo info{XR_TYPE_SYSTEM_GET_INFO};
  info.formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY;
  XrSystemId id = XR_NULL_SYSTEM_ID;
  EXPECT_EQ(xrGetSystem(instance, &info, &id), XR_ERROR_FORM_FACTOR_UNAVAILABLE);
}

TEST_F(SimulatedRuntime, PathsRoundTripAndMalformedOnesAreRefused) {
  ASSERT_EQ(create(), XR_SUCCESS);
  XrPath left = XR_NULL_PATH;
  XrPath again = XR_NULL_PATH;
  ASSERT_EQ(xrStringToPath(instance, "/user/hand/left", &left), XR_SUCCESS);
  ASSERT_EQ(xrStringToPath(instance, "/user/hand/left", &again), XR_SUCCESS);
  EXPECT_EQ(left, again);
  char text[XR_MAX_PATH_LENGTH];
  uint32_t count = 0;
  ASSERT_EQ(xrPathToString(instance, left, sizeof(text), &count, text), XR_SUCCESS);
  EXPECT_STREQ(text, "/user/hand/left");
  EXPECT_EQ(count, sizeof("/user/hand/left"));
  XrPath bad = XR_NULL_PATH;
  EXPECT_EQ(xrStringToPath(instance, "/user//hand", &bad), XR_ERROR_PATH_FORMAT_INVALID);
  EXPECT_EQ(xrStringToPath(instance, "/User/Hand", &bad), XR_ERROR_PATH_FORMAT_INVALID);
}

TEST_F(SimulatedRuntime, CreatesTheApplicationsVulkanInstanceAndDevice) {
  ASSERT_EQ(create(), XR_SUCCESS);
  ASSERT_NO_FATAL_FAILURE(create_vulkan(system()));
  EXPECT_NE(vulkan_device, VK_NULL_HANDLE);
}

// The whole lifecycle an application sees: IDLE and READY; begun, SYNCHRONIZED, VISIBLE and
// FOCUSED with the first frame; eyes an IPD apart at eye height; STOPPING on a request to exit;
// IDLE and EXITING once ended.
TEST_F(SimulatedRuntime, ASessionGoesThroughItsLifecycle) {
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_NE(session, XR_NULL_HANDLE);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_READY}));

  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  const XrSpace stage = reference_space(session, XR_REFERENCE_SPACE_TYPE_STAGE);
  ASSERT_NE(stage, XR_NULL_HANDLE);

  XrTime previous = 0;
  for (int frame = 0; frame < 3; ++frame) {
    XrFrameState state{XR_TYPE_FRAME_STATE};
    ASSERT_EQ(xrWaitFrame(session, nullptr, &state), XR_SUCCESS);
    EXPECT_GT(state.predictedDisplayTime, previous);
    previous = state.predictedDisplayTime;
    EXPECT_TRUE(state.shouldRender);
    ASSERT_EQ(xrBeginFrame(session, nullptr), XR_SUCCESS);
    XrViewLocateInfo locate{XR_TYPE_VIEW_LOCATE_INFO};
    locate.viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    locate.displayTime = state.predictedDisplayTime;
    locate.space = stage;
    XrViewState view_state{XR_TYPE_VIEW_STATE};
    std::array<XrView, 2> views{{{XR_TYPE_VIEW}, {XR_TYPE_VIEW}}};
    uint32_t count = 0;
    ASSERT_EQ(xrLocateViews(session, &locate, &view_state, 2, &count, views.data()), XR_SUCCESS);
    EXPECT_NEAR(views[1].pose.position.x - views[0].pose.position.x, 0.064f, 1e-5f);
    EXPECT_NEAR(views[0].pose.position.y, 1.6f, 1e-5f);
    EXPECT_LT(views[0].fov.angleLeft, -views[0].fov.angleRight) << "each eye sees further towards its temple";
    XrFrameEndInfo end{XR_TYPE_FRAME_END_INFO};
    end.displayTime = state.predictedDisplayTime;
    end.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    ASSERT_EQ(xrEndFrame(session, &end), XR_SUCCESS);
  }
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_SYNCHRONIZED, XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_FOCUSED}));
  // Out of order: a frame begun without waiting for it.
  EXPECT_EQ(xrBeginFrame(session, nullptr), XR_ERROR_CALL_ORDER_INVALID);

  ASSERT_EQ(xrRequestExitSession(session), XR_SUCCESS);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_SYNCHRONIZED, XR_SESSION_STATE_STOPPING}));
  ASSERT_EQ(xrEndSession(session), XR_SUCCESS);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_EXITING}));
  EXPECT_EQ(xrDestroySpace(stage), XR_SUCCESS);
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

// Swapchains are Vulkan images on the application's device, handed out in turn.
TEST_F(SimulatedRuntime, SwapchainsHandOutTheirImagesInTurn) {
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  uint32_t count = 0;
  ASSERT_EQ(xrEnumerateSwapchainFormats(session, 0, &count, nullptr), XR_SUCCESS);
  std::vector<int64_t> formats(count);
  ASSERT_EQ(xrEnumerateSwapchainFormats(session, count, &count, formats.data()), XR_SUCCESS);
  ASSERT_FALSE(formats.empty());
  EXPECT_EQ(formats.front(), VK_FORMAT_R8G8B8A8_SRGB);
  EXPECT_NE(std::find(formats.begin(), formats.end(), VK_FORMAT_D32_SFLOAT), formats.end());

  XrSwapchainCreateInfo info = eyes_swapchain(320, 360, XR_SWAPCHAIN_USAGE_SAMPLED_BIT);
  XrSwapchain swapchain = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateSwapchain(session, &info, &swapchain), XR_SUCCESS);
  ASSERT_EQ(xrEnumerateSwapchainImages(swapchain, 0, &count, nullptr), XR_SUCCESS);
  std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  ASSERT_EQ(xrEnumerateSwapchainImages(swapchain, count, &count,
                                       reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())),
            XR_SUCCESS);
  ASSERT_GE(images.size(), 2u);
  for (const auto& image : images) EXPECT_NE(image.image, VK_NULL_HANDLE);

  const XrSwapchainImageWaitInfo wait{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO, nullptr, XR_INFINITE_DURATION};
  EXPECT_EQ(xrWaitSwapchainImage(swapchain, &wait), XR_ERROR_CALL_ORDER_INVALID) << "nothing acquired yet";
  uint32_t first = 99;
  uint32_t second = 99;
  ASSERT_EQ(xrAcquireSwapchainImage(swapchain, nullptr, &first), XR_SUCCESS);
  ASSERT_EQ(xrAcquireSwapchainImage(swapchain, nullptr, &second), XR_SUCCESS);
  EXPECT_EQ(first, 0u);
  EXPECT_EQ(second, 1u);
  EXPECT_EQ(xrReleaseSwapchainImage(swapchain, nullptr), XR_ERROR_CALL_ORDER_INVALID) << "released before waited on";
  ASSERT_EQ(xrWaitSwapchainImage(swapchain, &wait), XR_SUCCESS);
  ASSERT_EQ(xrReleaseSwapchainImage(swapchain, nullptr), XR_SUCCESS);
  ASSERT_EQ(xrWaitSwapchainImage(swapchain, &wait), XR_SUCCESS);
  ASSERT_EQ(xrReleaseSwapchainImage(swapchain, nullptr), XR_SUCCESS);
  EXPECT_EQ(xrReleaseSwapchainImage(swapchain, nullptr), XR_ERROR_CALL_ORDER_INVALID);

  info.format = VK_FORMAT_R32G32B32A32_SFLOAT;
  XrSwapchain unsupported = XR_NULL_HANDLE;
  EXPECT_EQ(xrCreateSwapchain(session, &info, &unsupported), XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED);
  EXPECT_EQ(xrDestroySwapchain(swapchain), XR_SUCCESS);
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

// Headless mode: what each eye sees at the frames asked for is written to PNG — here the left
// eye's layer cleared vermilion and the right's blue, from one two-layer (multiview) swapchain.
TEST_F(SimulatedRuntime, HeadlessCaptureWritesWhatEachEyeSees) {
  setenv("PAVILION_XR_SIM_CAPTURE_DIR", folder.path().c_str(), 1);
  setenv("PAVILION_XR_SIM_CAPTURE_FRAMES", "2", 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  unsetenv("PAVILION_XR_SIM_CAPTURE_DIR");
  unsetenv("PAVILION_XR_SIM_CAPTURE_FRAMES");
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  const XrSpace local = reference_space(session, XR_REFERENCE_SPACE_TYPE_LOCAL);
  ASSERT_NE(local, XR_NULL_HANDLE);

  const XrSwapchainCreateInfo info = eyes_swapchain(64, 48, XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT);
  XrSwapchain swapchain = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateSwapchain(session, &info, &swapchain), XR_SUCCESS);
  uint32_t count = 0;
  ASSERT_EQ(xrEnumerateSwapchainImages(swapchain, 0, &count, nullptr), XR_SUCCESS);
  std::vector<XrSwapchainImageVulkan2KHR> images(count, {XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR});
  ASSERT_EQ(xrEnumerateSwapchainImages(swapchain, count, &count,
                                       reinterpret_cast<XrSwapchainImageBaseHeader*>(images.data())),
            XR_SUCCESS);

  VkCommandPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool_info.queueFamilyIndex = 0;
  VkCommandPool pool = VK_NULL_HANDLE;
  ASSERT_EQ(vkCreateCommandPool(vulkan_device, &pool_info, nullptr, &pool), VK_SUCCESS);
  VkQueue queue = VK_NULL_HANDLE;
  vkGetDeviceQueue(vulkan_device, 0, 0, &queue);
  for (int frame = 0; frame < 2; ++frame) {
    XrFrameState state{XR_TYPE_FRAME_STATE};
    ASSERT_EQ(xrWaitFrame(session, nullptr, &state), XR_SUCCESS);
    ASSERT_EQ(xrBeginFrame(session, nullptr), XR_SUCCESS);
    uint32_t index = 0;
    ASSERT_EQ(xrAcquireSwapchainImage(swapchain, nullptr, &index), XR_SUCCESS);
    const XrSwapchainImageWaitInfo wait{XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO, nullptr, XR_INFINITE_DURATION};
    ASSERT_EQ(xrWaitSwapchainImage(swapchain, &wait), XR_SUCCESS);

    VkCommandBufferAllocateInfo allocate{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocate.commandPool = pool;
    allocate.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    allocate.commandBufferCount = 1;
    VkCommandBuffer commands = VK_NULL_HANDLE;
    ASSERT_EQ(vkAllocateCommandBuffers(vulkan_device, &allocate, &commands), VK_SUCCESS);
    VkCommandBufferBeginInfo begin_commands{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    ASSERT_EQ(vkBeginCommandBuffer(commands, &begin_commands), VK_SUCCESS);
    VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
    barrier.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    barrier.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
    barrier.newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    barrier.srcQueueFamilyIndex = barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    barrier.image = images[index].image;
    barrier.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 2};
    vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0,
                         nullptr, 1, &barrier);
    const std::array<VkClearColorValue, 2> colours{{{{0.58f, 0.03f, 0.02f, 1.0f}}, {{0.02f, 0.05f, 0.6f, 1.0f}}}};
    for (uint32_t layer = 0; layer < 2; ++layer) {
      const VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, layer, 1};
      vkCmdClearColorImage(commands, images[index].image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &colours[layer], 1, &range);
    }
    barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    barrier.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    barrier.newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;  // as a released image must be
    vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, 0, 0,
                         nullptr, 0, nullptr, 1, &barrier);
    ASSERT_EQ(vkEndCommandBuffer(commands), VK_SUCCESS);
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &commands;
    ASSERT_EQ(vkQueueSubmit(queue, 1, &submit, VK_NULL_HANDLE), VK_SUCCESS);
    ASSERT_EQ(vkQueueWaitIdle(queue), VK_SUCCESS);
    vkFreeCommandBuffers(vulkan_device, pool, 1, &commands);
    ASSERT_EQ(xrReleaseSwapchainImage(swapchain, nullptr), XR_SUCCESS);

    std::array<XrCompositionLayerProjectionView, 2> views{{{XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW},
                                                           {XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW}}};
    for (uint32_t eye = 0; eye < 2; ++eye) {
      views[eye].pose.orientation.w = 1;
      views[eye].fov = {-0.8f, 0.8f, 0.8f, -0.8f};
      views[eye].subImage = {swapchain, {{0, 0}, {64, 48}}, eye};
    }
    XrCompositionLayerProjection layer{XR_TYPE_COMPOSITION_LAYER_PROJECTION};
    layer.space = local;
    layer.viewCount = 2;
    layer.views = views.data();
    const XrCompositionLayerBaseHeader* layers[] = {reinterpret_cast<const XrCompositionLayerBaseHeader*>(&layer)};
    XrFrameEndInfo end{XR_TYPE_FRAME_END_INFO};
    end.displayTime = state.predictedDisplayTime;
    end.environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    end.layerCount = 1;
    end.layers = layers;
    ASSERT_EQ(xrEndFrame(session, &end), XR_SUCCESS);
  }
  vkDestroyCommandPool(vulkan_device, pool, nullptr);
  EXPECT_FALSE(std::filesystem::exists(folder / "frame-1-left.png")) << "only the frames asked for";
  const auto left = read_png(folder / "frame-2-left.png");
  const auto right = read_png(folder / "frame-2-right.png");
  ASSERT_TRUE(left.ok()) << left.error().describe();
  ASSERT_TRUE(right.ok()) << right.error().describe();
  EXPECT_EQ(left->width, 320u);  // the eye's size (PAVILION_XR_SIM_EYE), the layer stretched to it
  EXPECT_EQ(left->height, 360u);
  const uint8_t* left_middle = left->at(160, 180);
  const uint8_t* right_middle = right->at(160, 180);
  EXPECT_GT(left_middle[0], 150);  // vermilion (sRGB-encoded 0.58 linear ≈ 199)
  EXPECT_LT(left_middle[2], 60);
  EXPECT_LT(right_middle[0], 60);  // blue
  EXPECT_GT(right_middle[2], 150);
  EXPECT_EQ(left_middle[3], 255);
  EXPECT_EQ(xrDestroySwapchain(swapchain), XR_SUCCESS);
  EXPECT_EQ(xrDestroySpace(local), XR_SUCCESS);
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

// The headset drops out (PAVILION_XR_SIM_LOSE_AFTER_FRAMES): LOSS_PENDING, then the session
// answers XR_ERROR_SESSION_LOST until it is destroyed; a new one can be made.
TEST_F(SimulatedRuntime, ALostSessionSaysSoAndANewOneCanStart) {
  setenv("PAVILION_XR_SIM_LOSE_AFTER_FRAMES", "2", 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  XrFrameState state{XR_TYPE_FRAME_STATE};
  for (int frame = 0; frame < 2; ++frame) ASSERT_EQ(xrWaitFrame(session, nullptr, &state), XR_SUCCESS);
  EXPECT_EQ(xrWaitFrame(session, nullptr, &state), XR_ERROR_SESSION_LOST);
  const std::vector<XrSessionState> seen = states();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), XR_SESSION_STATE_LOSS_PENDING);
  EXPECT_EQ(xrBeginFrame(session, nullptr), XR_ERROR_SESSION_LOST);
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
  XrSession again = start_session(id);
  EXPECT_NE(again, XR_NULL_HANDLE);
  EXPECT_EQ(xrDestroySession(again), XR_SUCCESS);
  unsetenv("PAVILION_XR_SIM_LOSE_AFTER_FRAMES");
}

// An application's own actions, as any OpenXR application makes them, driven by the timeline's
// Touch controllers: values, edges, poses following the hand, haptics, and the errors the
// specification asks for.
TEST_F(SimulatedRuntime, ActionsFollowTheTimelinesControllers) {
  write_timeline(R"({"interaction_profile": "/interaction_profiles/oculus/touch_controller",
    "keyframes": [
      {"frame": 1, "right": {"position": [0.3, 1.2, -0.4], "yaw": 90}},
      {"frame": 3, "right": {"trigger": 0.8, "thumbstick": [0.5, -0.25]}},
      {"frame": 5, "right": {"tracked": false}}]})");
  setenv("PAVILION_XR_SIM_CAPTURE_DIR", folder.path().c_str(), 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  const XrSpace stage = reference_space(session, XR_REFERENCE_SPACE_TYPE_STAGE);

  XrActionSetCreateInfo set_info{XR_TYPE_ACTION_SET_CREATE_INFO};
  std::snprintf(set_info.actionSetName, sizeof set_info.actionSetName, "gameplay");
  std::snprintf(set_info.localizedActionSetName, sizeof set_info.localizedActionSetName, "Gameplay");
  XrActionSet set = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateActionSet(instance, &set_info, &set), XR_SUCCESS);
  EXPECT_EQ(xrCreateActionSet(instance, &set_info, &set), XR_ERROR_NAME_DUPLICATED);
  const std::array<XrPath, 2> hands{path("/user/hand/left"), path("/user/hand/right")};
  const auto action = [&](const char* name, XrActionType type) {
    XrActionCreateInfo info{XR_TYPE_ACTION_CREATE_INFO};
    std::snprintf(info.actionName, sizeof info.actionName, "%s", name);
    std::snprintf(info.localizedActionName, sizeof info.localizedActionName, "%s", name);
    info.actionType = type;
    info.countSubactionPaths = 2;
    info.subactionPaths = hands.data();
    XrAction made = XR_NULL_HANDLE;
    EXPECT_EQ(xrCreateAction(set, &info, &made), XR_SUCCESS) << name;
    return made;
  };
  const XrAction fire = action("fire", XR_ACTION_TYPE_BOOLEAN_INPUT);
  const XrAction pull = action("pull", XR_ACTION_TYPE_FLOAT_INPUT);
  const XrAction stick = action("stick", XR_ACTION_TYPE_VECTOR2F_INPUT);
  const XrAction aim = action("aim", XR_ACTION_TYPE_POSE_INPUT);
  const XrAction buzz = action("buzz", XR_ACTION_TYPE_VIBRATION_OUTPUT);
  const std::vector<XrActionSuggestedBinding> touch{
      {fire, path("/user/hand/right/input/trigger/value")}, {pull, path("/user/hand/right/input/trigger/value")},
      {stick, path("/user/hand/right/input/thumbstick")},   {aim, path("/user/hand/left/input/aim/pose")},
      {aim, path("/user/hand/right/input/aim/pose")},       {buzz, path("/user/hand/right/output/haptic")}};
  XrInteractionProfileSuggestedBinding suggested{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
  suggested.interactionProfile = path("/interaction_profiles/oculus/touch_controller");
  // A Touch controller has no trackpad; a thumbstick is no button.
  const std::vector<XrActionSuggestedBinding> wrong{{stick, path("/user/hand/right/input/trackpad")}};
  suggested.countSuggestedBindings = 1;
  suggested.suggestedBindings = wrong.data();
  EXPECT_EQ(xrSuggestInteractionProfileBindings(instance, &suggested), XR_ERROR_PATH_UNSUPPORTED);
  const std::vector<XrActionSuggestedBinding> mistyped{{fire, path("/user/hand/right/input/thumbstick")}};
  suggested.suggestedBindings = mistyped.data();
  EXPECT_EQ(xrSuggestInteractionProfileBindings(instance, &suggested), XR_ERROR_PATH_UNSUPPORTED);
  suggested.countSuggestedBindings = static_cast<uint32_t>(touch.size());
  suggested.suggestedBindings = touch.data();
  ASSERT_EQ(xrSuggestInteractionProfileBindings(instance, &suggested), XR_SUCCESS);

  XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
  get.action = fire;
  XrActionStateBoolean fired{XR_TYPE_ACTION_STATE_BOOLEAN};
  EXPECT_EQ(xrGetActionStateBoolean(session, &get, &fired), XR_ERROR_ACTIONSET_NOT_ATTACHED);
  XrSessionActionSetsAttachInfo attach{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
  attach.countActionSets = 1;
  attach.actionSets = &set;
  ASSERT_EQ(xrAttachSessionActionSets(session, &attach), XR_SUCCESS);
  EXPECT_EQ(xrAttachSessionActionSets(session, &attach), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED);
  XrActionCreateInfo late{XR_TYPE_ACTION_CREATE_INFO};
  std::snprintf(late.actionName, sizeof late.actionName, "late");
  std::snprintf(late.localizedActionName, sizeof late.localizedActionName, "Late");
  late.actionType = XR_ACTION_TYPE_BOOLEAN_INPUT;
  XrAction never = XR_NULL_HANDLE;
  EXPECT_EQ(xrCreateAction(set, &late, &never), XR_ERROR_ACTIONSETS_ALREADY_ATTACHED);

  XrEventDataBuffer event{XR_TYPE_EVENT_DATA_BUFFER};
  bool profile_changed = false;
  while (xrPollEvent(instance, &event) == XR_SUCCESS) {
    profile_changed = profile_changed || event.type == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED;
    event = {XR_TYPE_EVENT_DATA_BUFFER};
  }
  EXPECT_TRUE(profile_changed);
  XrInteractionProfileState profile{XR_TYPE_INTERACTION_PROFILE_STATE};
  ASSERT_EQ(xrGetCurrentInteractionProfile(session, hands[1], &profile), XR_SUCCESS);
  EXPECT_EQ(profile.interactionProfile, suggested.interactionProfile);

  XrActionSpaceCreateInfo space_info{XR_TYPE_ACTION_SPACE_CREATE_INFO};
  space_info.action = aim;
  space_info.subactionPath = hands[1];
  space_info.poseInActionSpace.orientation.w = 1;
  XrSpace right_aim = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateActionSpace(session, &space_info, &right_aim), XR_SUCCESS);

  const XrActiveActionSet active{set, XR_NULL_PATH};
  XrActionsSyncInfo sync{XR_TYPE_ACTIONS_SYNC_INFO};
  sync.countActiveActionSets = 1;
  sync.activeActionSets = &active;
  get.subactionPath = hands[1];
  for (int frame = 1; frame <= 5; ++frame) {
    const XrTime time = empty_frame(session);
    ASSERT_EQ(xrSyncActions(session, &sync), XR_SUCCESS) << "frame " << frame;
    get.action = fire;
    ASSERT_EQ(xrGetActionStateBoolean(session, &get, &fired), XR_SUCCESS);
    get.action = pull;
    XrActionStateFloat pulled{XR_TYPE_ACTION_STATE_FLOAT};
    ASSERT_EQ(xrGetActionStateFloat(session, &get, &pulled), XR_SUCCESS);
    get.action = stick;
    XrActionStateVector2f pushed{XR_TYPE_ACTION_STATE_VECTOR2F};
    ASSERT_EQ(xrGetActionStateVector2f(session, &get, &pushed), XR_SUCCESS);
    XrSpaceLocation located{XR_TYPE_SPACE_LOCATION};
    ASSERT_EQ(xrLocateSpace(right_aim, stage, time, &located), XR_SUCCESS);
    if (frame < 5) {
      EXPECT_TRUE(fired.isActive && pulled.isActive && pushed.isActive);
      EXPECT_EQ(fired.currentState, frame >= 3);
      EXPECT_EQ(fired.changedSinceLastSync, frame == 3);
      EXPECT_FLOAT_EQ(pulled.currentState, frame >= 3 ? 0.8f : 0.0f);
      EXPECT_FLOAT_EQ(pushed.currentState.x, frame >= 3 ? 0.5f : 0.0f);
      EXPECT_FLOAT_EQ(pushed.currentState.y, frame >= 3 ? -0.25f : 0.0f);
      ASSERT_NE(located.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT, 0u);
      EXPECT_NEAR(located.pose.position.x, 0.3f, 1e-5f);
      EXPECT_NEAR(located.pose.position.y, 1.2f, 1e-5f);
      // Turned 90° left: the hand's −Z points down the stage's −X.
      EXPECT_NEAR(std::abs(located.pose.orientation.y), std::sqrt(0.5f), 1e-4f);
    } else {
      EXPECT_FALSE(fired.isActive) << "an untracked controller's actions are inactive";
      EXPECT_EQ(located.locationFlags, 0u);
    }
    if (frame == 3) {
      XrActionStateBoolean wrong_type{XR_TYPE_ACTION_STATE_BOOLEAN};
      EXPECT_EQ(xrGetActionStateBoolean(session, &get, &wrong_type), XR_ERROR_ACTION_TYPE_MISMATCH);
      XrHapticActionInfo haptic{XR_TYPE_HAPTIC_ACTION_INFO};
      haptic.action = buzz;
      haptic.subactionPath = hands[1];
      XrHapticVibration vibration{XR_TYPE_HAPTIC_VIBRATION};
      vibration.duration = 50'000'000;
      vibration.frequency = XR_FREQUENCY_UNSPECIFIED;
      vibration.amplitude = 0.5f;
      EXPECT_EQ(xrApplyHapticFeedback(session, &haptic, reinterpret_cast<const XrHapticBaseHeader*>(&vibration)), XR_SUCCESS);
    }
  }
  std::ifstream haptics(folder / "haptics.log");
  std::string felt;
  std::getline(haptics, felt);
  EXPECT_EQ(felt, "frame 3 right 0.050 s amplitude 0.50");
  EXPECT_EQ(xrDestroySpace(right_aim), XR_SUCCESS);
  EXPECT_EQ(xrDestroyActionSet(set), XR_SUCCESS);
  EXPECT_EQ(xrDestroySpace(stage), XR_SUCCESS);
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

// Controllers the application did not suggest bindings for fall back to its simple-controller
// bindings; hand tracking is there only for an application that enabled it.
TEST_F(SimulatedRuntime, UnknownControllersUseTheSimpleBindingsAndHandsNeedTheirExtension) {
  write_timeline(R"({"interaction_profile": "/interaction_profiles/valve/index_controller",
    "keyframes": [{"frame": 2, "left": {"trigger": 1}}]})");
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  XrActionSetCreateInfo set_info{XR_TYPE_ACTION_SET_CREATE_INFO};
  std::snprintf(set_info.actionSetName, sizeof set_info.actionSetName, "menu");
  std::snprintf(set_info.localizedActionSetName, sizeof set_info.localizedActionSetName, "Menu");
  XrActionSet set = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateActionSet(instance, &set_info, &set), XR_SUCCESS);
  XrActionCreateInfo info{XR_TYPE_ACTION_CREATE_INFO};
  std::snprintf(info.actionName, sizeof info.actionName, "choose");
  std::snprintf(info.localizedActionName, sizeof info.localizedActionName, "Choose");
  info.actionType = XR_ACTION_TYPE_BOOLEAN_INPUT;
  XrAction choose = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateAction(set, &info, &choose), XR_SUCCESS);
  const XrActionSuggestedBinding pinch{choose, path("/user/hand/left/input/select/value")};
  XrInteractionProfileSuggestedBinding suggested{XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING};
  suggested.interactionProfile = path("/interaction_profiles/microsoft/hand_interaction");
  suggested.countSuggestedBindings = 1;
  suggested.suggestedBindings = &pinch;
  EXPECT_EQ(xrSuggestInteractionProfileBindings(instance, &suggested), XR_ERROR_PATH_UNSUPPORTED);
  const XrActionSuggestedBinding click{choose, path("/user/hand/left/input/select/click")};
  suggested.interactionProfile = path("/interaction_profiles/khr/simple_controller");
  suggested.suggestedBindings = &click;
  ASSERT_EQ(xrSuggestInteractionProfileBindings(instance, &suggested), XR_SUCCESS);
  XrSessionActionSetsAttachInfo attach{XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO};
  attach.countActionSets = 1;
  attach.actionSets = &set;
  ASSERT_EQ(xrAttachSessionActionSets(session, &attach), XR_SUCCESS);
  XrInteractionProfileState profile{XR_TYPE_INTERACTION_PROFILE_STATE};
  ASSERT_EQ(xrGetCurrentInteractionProfile(session, path("/user/hand/left"), &profile), XR_SUCCESS);
  EXPECT_EQ(profile.interactionProfile, suggested.interactionProfile);
  const XrActiveActionSet active{set, XR_NULL_PATH};
  XrActionsSyncInfo sync{XR_TYPE_ACTIONS_SYNC_INFO};
  sync.countActiveActionSets = 1;
  sync.activeActionSets = &active;
  XrActionStateGetInfo get{XR_TYPE_ACTION_STATE_GET_INFO};
  get.action = choose;
  std::vector<bool> chosen;
  for (int frame = 1; frame <= 2; ++frame) {
    empty_frame(session);
    ASSERT_EQ(xrSyncActions(session, &sync), XR_SUCCESS);
    XrActionStateBoolean state{XR_TYPE_ACTION_STATE_BOOLEAN};
    ASSERT_EQ(xrGetActionStateBoolean(session, &get, &state), XR_SUCCESS);
    chosen.push_back(state.currentState == XR_TRUE);
  }
  EXPECT_EQ(chosen, (std::vector{false, true})) << "the Index trigger drives the simple controller's select";
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

TEST_F(SimulatedRuntime, TheTimelineMovesTheHeadAndEndsTheSession) {
  write_timeline(R"({"end_session_at_frame": 3, "keyframes": [
    {"frame": 1, "head": {"position": [1, 1.6, 0]}}, {"frame": 3, "head": {"position": [1, 1.6, -2]}}]})");
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  const XrSpace view = reference_space(session, XR_REFERENCE_SPACE_TYPE_VIEW);
  const XrSpace stage = reference_space(session, XR_REFERENCE_SPACE_TYPE_STAGE);
  empty_frame(session);
  const XrTime second = empty_frame(session);
  XrSpaceLocation head{XR_TYPE_SPACE_LOCATION};
  ASSERT_EQ(xrLocateSpace(view, stage, second, &head), XR_SUCCESS);
  EXPECT_NEAR(head.pose.position.x, 1.0f, 1e-5f);
  EXPECT_NEAR(head.pose.position.z, -1.0f, 1e-5f) << "half way between the keyframes";
  states();
  empty_frame(session);
  // The visitor quit from the headset's menu at frame 3.
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_SYNCHRONIZED, XR_SESSION_STATE_STOPPING}));
  ASSERT_EQ(xrEndSession(session), XR_SUCCESS);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_EXITING}));
  EXPECT_EQ(xrDestroySpace(view), XR_SUCCESS);
  EXPECT_EQ(xrDestroySpace(stage), XR_SUCCESS);
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

// Without a timeline, as a developer first runs an application: a worn headset's session, served
// frame after frame until the application ends it, and a sentence saying that no window shows them.
TEST_F(SimulatedRuntime, WithoutATimelineTheSessionRunsUntilTheApplicationEndsIt) {
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  ::testing::internal::CaptureStderr();
  XrSession session = start_session(id);
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(said.find("headless, so no window shows the frames (PAVILION_XR_SIM_MODE=desktop opens one)"), std::string::npos)
      << said;
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  for (int frame = 0; frame < 500; ++frame) empty_frame(session);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_READY, XR_SESSION_STATE_SYNCHRONIZED,
                                   XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_FOCUSED}));
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
}

// PAVILION_XR_SIM_END_SESSION_AT_FRAME: the visitor quits at that frame, with no timeline, so a
// test or script can run any application to its end.
TEST_F(SimulatedRuntime, TheVisitorQuitsAtTheFrameTheEnvironmentNames) {
  setenv("PAVILION_XR_SIM_END_SESSION_AT_FRAME", "3", 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  ASSERT_EQ(begin_session(session), XR_SUCCESS);
  empty_frame(session);
  empty_frame(session);
  EXPECT_EQ(states().back(), XR_SESSION_STATE_FOCUSED);
  empty_frame(session);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_SYNCHRONIZED, XR_SESSION_STATE_STOPPING}));
  ASSERT_EQ(xrEndSession(session), XR_SUCCESS);
  EXPECT_EQ(states(), (std::vector{XR_SESSION_STATE_IDLE, XR_SESSION_STATE_EXITING}));
  EXPECT_EQ(xrDestroySession(session), XR_SUCCESS);
  unsetenv("PAVILION_XR_SIM_END_SESSION_AT_FRAME");
}

TEST_F(SimulatedRuntime, AnEndFrameThatIsNotAFrameNumberIsRefused) {
  for (const char* value : {"soon", "0", "-3", "4 frames"}) {
    setenv("PAVILION_XR_SIM_END_SESSION_AT_FRAME", value, 1);
    ::testing::internal::CaptureStderr();
    EXPECT_TRUE(XR_FAILED(create())) << value;
    const std::string said = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(said.find(std::string("PAVILION_XR_SIM_END_SESSION_AT_FRAME is '") + value +
                        "'; it is the frame (counted from 1) at which the visitor quits"),
              std::string::npos)
        << said;
    instance = XR_NULL_HANDLE;
  }
  unsetenv("PAVILION_XR_SIM_END_SESSION_AT_FRAME");
}

TEST_F(SimulatedRuntime, AMalformedTimelineIsRefusedSayingWhere) {
  write_timeline(R"({"keyframes": [{"frame": 1}, {"frame": 4, "right": {"trigger": 3}}]})");
  ::testing::internal::CaptureStderr();
  EXPECT_TRUE(XR_FAILED(create()));  // the loader reports the runtime's failure as its own
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(said.find("timeline.json: keyframe 2: right: 'trigger' must be between 0 and 1"), std::string::npos) << said;
  instance = XR_NULL_HANDLE;
  unsetenv("PAVILION_XR_SIM_TIMELINE");
}

}  // namespace
}  // namespace pavilion::testing
