// The simulated headset through the real Khronos loader, with the OpenXR core validation layer
// on: what any OpenXR application asks first (instance, system, views, blend modes, paths) and
// XR_KHR_vulkan_enable2's instance and device creation on lavapipe.
#include "temporary_folder.h"

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
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
    setenv("PAVILION_XR_SIM_EYE", "320x360", 1);
  }

  void TearDown() override {
    if (instance != XR_NULL_HANDLE) {
      EXPECT_EQ(xrDestroyInstance(instance), XR_SUCCESS);
    }
    if (vulkan_device != VK_NULL_HANDLE) vkDestroyDevice(vulkan_device, nullptr);
    if (vulkan_instance != VK_NULL_HANDLE) vkDestroyInstance(vulkan_instance, nullptr);
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
    VkInstanceCreateInfo vulkan_info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    vulkan_info.pApplicationInfo = &application;
    XrVulkanInstanceCreateInfoKHR instance_info{XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR};
    instance_info.systemId = id;
    instance_info.pfnGetInstanceProcAddr = vkGetInstanceProcAddr;
    instance_info.vulkanCreateInfo = &vulkan_info;
    VkResult vulkan_result = VK_ERROR_UNKNOWN;
    ASSERT_EQ(create_instance(instance, &instance_info, &vulkan_instance, &vulkan_result), XR_SUCCESS);
    ASSERT_EQ(vulkan_result, VK_SUCCESS);

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

  TemporaryFolder folder;
  XrInstance instance = XR_NULL_HANDLE;
  VkInstance vulkan_instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical_device = VK_NULL_HANDLE;
  VkDevice vulkan_device = VK_NULL_HANDLE;
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

  XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
  begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  ASSERT_EQ(xrBeginSession(session, &begin), XR_SUCCESS);
  XrReferenceSpaceCreateInfo stage_info{XR_TYPE_REFERENCE_SPACE_CREATE_INFO};
  stage_info.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_STAGE;
  stage_info.poseInReferenceSpace.orientation.w = 1;
  XrSpace stage = XR_NULL_HANDLE;
  ASSERT_EQ(xrCreateReferenceSpace(session, &stage_info, &stage), XR_SUCCESS);

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

  XrSwapchainCreateInfo info{XR_TYPE_SWAPCHAIN_CREATE_INFO};
  info.usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_SAMPLED_BIT;
  info.format = VK_FORMAT_R8G8B8A8_SRGB;
  info.sampleCount = 1;
  info.width = 320;
  info.height = 360;
  info.faceCount = 1;
  info.arraySize = 2;  // both eyes, for a multiview pass
  info.mipCount = 1;
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

// The headset drops out (PAVILION_XR_SIM_LOSE_AFTER_FRAMES): LOSS_PENDING, then the session
// answers XR_ERROR_SESSION_LOST until it is destroyed; a new one can be made.
TEST_F(SimulatedRuntime, ALostSessionSaysSoAndANewOneCanStart) {
  setenv("PAVILION_XR_SIM_LOSE_AFTER_FRAMES", "2", 1);
  ASSERT_EQ(create(), XR_SUCCESS);
  const XrSystemId id = system();
  ASSERT_NO_FATAL_FAILURE(create_vulkan(id));
  XrSession session = start_session(id);
  XrSessionBeginInfo begin{XR_TYPE_SESSION_BEGIN_INFO};
  begin.primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
  ASSERT_EQ(xrBeginSession(session, &begin), XR_SUCCESS);
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

}  // namespace
}  // namespace pavilion::testing
