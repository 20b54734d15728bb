// The Vulkan instance, the chosen device and its queue: what every renderer, target and XR
// session shares. Create one per process (per device) and keep it alive longer than anything
// made from it.
#pragma once

#include "pavilion/core/error.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pavilion::render {

class GpuAllocator;

// Lets another module create the Vulkan instance and device on the renderer's behalf. OpenXR's
// XR_KHR_vulkan_enable2 requires this: the runtime adds what it needs to the create infos and
// names the physical device that drives the headset.
class DeviceHooks {
 public:
  virtual ~DeviceHooks() = default;
  // Creates the instance from `info` (the runtime may add layers and extensions).
  virtual Result<VkInstance> create_instance(const VkInstanceCreateInfo& info) = 0;
  // The physical device the hooks require, or VK_NULL_HANDLE to let the renderer choose.
  virtual Result<VkPhysicalDevice> required_physical_device(VkInstance instance) = 0;
  // Creates the device from `info` (the runtime may add extensions).
  virtual Result<VkDevice> create_device(VkPhysicalDevice physical_device, const VkDeviceCreateInfo& info) = 0;
};

struct ContextConfig {
  std::string application_name = "Pavilion";
  // Enables the Khronos validation layer. Its messages are logged and counted (see
  // take_validation_report); tests fail on any.
  bool validation = false;
  // Adds the layer's synchronization checks (slow; for tests of frame synchronization).
  bool synchronization_validation = false;
  // Instance extensions a target needs, e.g. window_instance_extensions().
  std::vector<std::string> instance_extensions;
  // Enables VK_KHR_swapchain so a window target can present.
  bool presentation = false;
  // A substring of the wanted device's name (or the PAVILION_GPU environment variable when
  // empty). Without one the best device is chosen: discrete, then integrated, then software.
  std::string preferred_device;
  // Observed, not owned; must outlive the context. Null creates instance and device directly.
  DeviceHooks* hooks = nullptr;
};

// Which device was chosen, and why, in words for logs and operator screens.
struct DeviceChoice {
  std::string name;
  std::string type;  // "discrete GPU", "integrated GPU", "virtual GPU", "CPU (software)", "other"
  bool software = false;  // a CPU rasterizer such as lavapipe
  uint32_t api_version = 0;
  std::string reason;
  std::vector<std::string> rejected;  // one sentence per device not chosen, with its reason
};

// What the chosen device can do beyond the Vulkan 1.3 core we require.
struct DeviceCapabilities {
  bool bc_texture_compression = false;
  float max_sampler_anisotropy = 1.0f;  // 1 when anisotropic filtering is unsupported
  uint32_t max_multiview_views = 1;
  bool timestamps = false;
  float timestamp_period_ns = 1.0f;
  VkSampleCountFlags framebuffer_sample_counts = VK_SAMPLE_COUNT_1_BIT;  // colour and depth
};

struct ValidationReport {
  uint32_t errors = 0;
  uint32_t warnings = 0;
  std::vector<std::string> messages;  // the first few, verbatim
};

class GpuContext {
 public:
  static Result<std::unique_ptr<GpuContext>> create(const ContextConfig& config);
  ~GpuContext();
  GpuContext(const GpuContext&) = delete;
  GpuContext& operator=(const GpuContext&) = delete;

  VkInstance instance() const { return instance_; }
  VkPhysicalDevice physical_device() const { return physical_device_; }
  VkDevice device() const { return device_; }
  // One queue does graphics, transfer and (with presentation) present. Submissions must come
  // from one thread at a time: the thread that owns the renderer.
  VkQueue queue() const { return queue_; }
  uint32_t queue_family() const { return queue_family_; }
  const DeviceChoice& device_choice() const { return choice_; }
  const DeviceCapabilities& capabilities() const { return capabilities_; }
  bool validation_enabled() const { return messenger_ != VK_NULL_HANDLE; }
  GpuAllocator& allocator() { return *allocator_; }

  // Names a Vulkan object in validation messages and debuggers; does nothing without validation.
  void set_object_name(VkObjectType type, uint64_t handle, const char* name) const;

  // Returns the validation messages since the last call and starts counting afresh.
  ValidationReport take_validation_report();

  Result<void> wait_idle() const;

 private:
  GpuContext() = default;
  static VKAPI_ATTR VkBool32 VKAPI_CALL on_validation_message(
      VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
      const VkDebugUtilsMessengerCallbackDataEXT* data, void* user);

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_device_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queue_family_ = 0;
  DeviceChoice choice_;
  DeviceCapabilities capabilities_;
  std::unique_ptr<GpuAllocator> allocator_;
  PFN_vkSetDebugUtilsObjectNameEXT set_object_name_ = nullptr;

  std::mutex validation_mutex_;
  ValidationReport validation_;
};

}  // namespace pavilion::render
