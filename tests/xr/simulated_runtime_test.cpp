// The simulated headset through the real Khronos loader, with the OpenXR core validation layer
// on: what any OpenXR application asks first (instance, system, views, blend modes, paths) and
// XR_KHR_vulkan_enable2's instance and device creation on lavapipe.
#include "temporary_folder.h"

#define XR_USE_GRAPHICS_API_VULKAN
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include <gtest/gtest.h>

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
    setenv("PAVILION_XR_SIM_EYE", "320x360", 1);
  }

  void TearDown() override {
    if (instance != XR_NULL_HANDLE) {
      EXPECT_EQ(xrDestroyInstance(instance), XR_SUCCESS);
    }
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

  TemporaryFolder folder;
  XrInstance instance = XR_NULL_HANDLE;
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
  const XrSystemId id = system();
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
  VkInstance vulkan = VK_NULL_HANDLE;
  VkResult vulkan_result = VK_ERROR_UNKNOWN;
  ASSERT_EQ(create_instance(instance, &instance_info, &vulkan, &vulkan_result), XR_SUCCESS);
  ASSERT_EQ(vulkan_result, VK_SUCCESS);

  XrVulkanGraphicsDeviceGetInfoKHR device_get{XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR};
  device_get.systemId = id;
  device_get.vulkanInstance = vulkan;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  ASSERT_EQ(graphics_device(instance, &device_get, &physical), XR_SUCCESS);
  ASSERT_NE(physical, VK_NULL_HANDLE);

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
  create_info.vulkanPhysicalDevice = physical;
  create_info.vulkanCreateInfo = &device_info;
  VkDevice device = VK_NULL_HANDLE;
  ASSERT_EQ(create_device(instance, &create_info, &device, &vulkan_result), XR_SUCCESS);
  ASSERT_EQ(vulkan_result, VK_SUCCESS);
  vkDestroyDevice(device, nullptr);
  vkDestroyInstance(vulkan, nullptr);
}

}  // namespace
}  // namespace pavilion::testing
