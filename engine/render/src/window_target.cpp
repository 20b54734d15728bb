#include "pavilion/render/window_target.h"

#include "pavilion/core/log.h"
#include "pavilion/render/vulkan_check.h"
#include "resources.h"
#include "x11_touch.h"

#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>
#include <X11/Xlib.h>
#include <X11/extensions/dpms.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>

// GLFW's native X11 access (glfw3native.h declares it, but that header also pulls in XRandR's,
// which nothing here needs). Return null (None) when GLFW is not running on X11.
extern "C" Display* glfwGetX11Display(void);
extern "C" Window glfwGetX11Window(GLFWwindow* window);

namespace pavilion::render {
namespace {

// Acquiring waits at most this long; a compositor that holds every image longer gets a skipped
// frame rather than a frozen kiosk.
constexpr uint64_t acquire_timeout_ns = 1'000'000'000;

void on_glfw_error(int code, const char* description) { log::warn("window", "GLFW error {:#x}: {}", code, description); }

// GLFW is process-wide; the first user initialises it and it stays up until exit.
Result<void> initialise_glfw() {
  static bool initialised = false;
  if (initialised) return {};
  glfwSetErrorCallback(&on_glfw_error);
  if (!glfwInit()) {
    return Error(ErrorCode::unsupported, "opening a window",
                 "no display is available (set DISPLAY, or run with --headless)");
  }
  if (!glfwVulkanSupported()) {
    return Error(ErrorCode::unsupported, "opening a window", "GLFW found no Vulkan loader with surface support");
  }
  initialised = true;
  return {};
}

VkSurfaceFormatKHR choose_surface_format(const std::vector<VkSurfaceFormatKHR>& formats) {
  // sRGB formats let the hardware encode; the tonemap pass encodes itself for UNORM ones.
  for (VkFormat preferred : {VK_FORMAT_B8G8R8A8_SRGB, VK_FORMAT_R8G8B8A8_SRGB}) {
    for (const auto& format : formats) {
      if (format.format == preferred && format.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) return format;
    }
  }
  for (const auto& format : formats) {
    if (format.format == VK_FORMAT_B8G8R8A8_UNORM || format.format == VK_FORMAT_R8G8B8A8_UNORM) return format;
  }
  return formats.front();
}

std::optional<Key> key_from_glfw(int key) {
  switch (key) {
    case GLFW_KEY_UP: return Key::up;
    case GLFW_KEY_DOWN: return Key::down;
    case GLFW_KEY_LEFT: return Key::left;
    case GLFW_KEY_RIGHT: return Key::right;
    case GLFW_KEY_ENTER: return Key::enter;
    case GLFW_KEY_SPACE: return Key::space;
    case GLFW_KEY_BACKSPACE: return Key::backspace;
    case GLFW_KEY_ESCAPE: return Key::escape;
    case GLFW_KEY_F1: return Key::f1;
    case GLFW_KEY_H: return Key::h;
    case GLFW_KEY_SLASH: return Key::slash;
    case GLFW_KEY_EQUAL: return Key::equals;
    case GLFW_KEY_MINUS: return Key::minus;
    case GLFW_KEY_KP_0: return Key::keypad_0;
    case GLFW_KEY_KP_2: return Key::keypad_2;
    case GLFW_KEY_KP_5: return Key::keypad_5;
    case GLFW_KEY_KP_8: return Key::keypad_8;
    case GLFW_KEY_KP_ENTER: return Key::keypad_enter;
    case GLFW_KEY_KP_ADD: return Key::keypad_add;
    case GLFW_KEY_KP_SUBTRACT: return Key::keypad_subtract;
    case GLFW_KEY_KP_MULTIPLY: return Key::keypad_multiply;
    default: return std::nullopt;
  }
}

bool is_bgra(VkFormat format) { return format == VK_FORMAT_B8G8R8A8_SRGB || format == VK_FORMAT_B8G8R8A8_UNORM; }

}  // namespace

struct WindowTarget::Platform {
  GLFWwindow* window = nullptr;
  VkSurfaceKHR surface = VK_NULL_HANDLE;
  double scroll = 0;
  bool escape_pressed = false;
  bool space_pressed = false;
  std::array<Key, 16> keys{};
  uint32_t key_count = 0;
  bool resized = false;
  std::unique_ptr<X11TouchReader> touch_reader;  // with WindowConfig::touch, where X11 has XInput 2.2
  TouchSlots touches;
};

struct WindowTarget::Swapchain {
  VkSwapchainKHR handle = VK_NULL_HANDLE;
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkExtent2D extent{};
  std::vector<VkImage> images;
  std::vector<UniqueImageView> views;
  std::vector<UniqueSemaphore> rendered;                // per image: the frame drawn into it is done
  std::array<UniqueSemaphore, frames_in_flight> acquired;  // per frame slot: the image is free to draw
  GpuBuffer screenshot;
  VkDevice device = VK_NULL_HANDLE;

  ~Swapchain() {
    views.clear();
    if (handle != VK_NULL_HANDLE) vkDestroySwapchainKHR(device, handle, nullptr);
  }
};

Result<std::vector<std::string>> window_instance_extensions() {
  PV_TRY(initialise_glfw());
  uint32_t count = 0;
  const char** names = glfwGetRequiredInstanceExtensions(&count);
  if (!names) return Error(ErrorCode::unsupported, "opening a window", "the window system offers no Vulkan surfaces");
  return std::vector<std::string>(names, names + count);
}

WindowTarget::WindowTarget(GpuContext& context, const WindowConfig& config)
    : context_(context), config_(config), platform_(std::make_unique<Platform>()) {}

WindowTarget::~WindowTarget() {
  static_cast<void>(context_.wait_idle());
  swapchain_.reset();
  if (platform_->surface != VK_NULL_HANDLE) vkDestroySurfaceKHR(context_.instance(), platform_->surface, nullptr);
  if (platform_->window) glfwDestroyWindow(platform_->window);
}

Result<std::unique_ptr<WindowTarget>> WindowTarget::create(GpuContext& context, const WindowConfig& config) {
  PV_TRY(initialise_glfw());
  std::unique_ptr<WindowTarget> target(new WindowTarget(context, config));
  Platform& platform = *target->platform_;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
  GLFWmonitor* monitor = config.fullscreen ? glfwGetPrimaryMonitor() : nullptr;
  int width = static_cast<int>(config.width);
  int height = static_cast<int>(config.height);
  if (monitor) {
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    width = mode->width;
    height = mode->height;
  }
  platform.window = glfwCreateWindow(width, height, config.title.c_str(), monitor, nullptr);
  if (!platform.window) return Error(ErrorCode::unsupported, "opening a window", "GLFW could not create it");
  glfwSetWindowUserPointer(platform.window, &platform);
  glfwSetFramebufferSizeCallback(platform.window, [](GLFWwindow* window, int, int) {
    static_cast<Platform*>(glfwGetWindowUserPointer(window))->resized = true;
  });
  glfwSetScrollCallback(platform.window, [](GLFWwindow* window, double, double y) {
    static_cast<Platform*>(glfwGetWindowUserPointer(window))->scroll += y;
  });
  glfwSetKeyCallback(platform.window, [](GLFWwindow* window, int key, int, int action, int) {
    if (action != GLFW_PRESS) return;
    auto* state = static_cast<Platform*>(glfwGetWindowUserPointer(window));
    state->escape_pressed |= key == GLFW_KEY_ESCAPE;
    state->space_pressed |= key == GLFW_KEY_SPACE;
    if (const std::optional<Key> known = key_from_glfw(key); known && state->key_count < state->keys.size()) {
      state->keys[state->key_count++] = *known;
    }
  });
  if (config.touch) platform.touch_reader = X11TouchReader::open(glfwGetX11Display(), glfwGetX11Window(platform.window));
  PV_TRY(vk_check(glfwCreateWindowSurface(context.instance(), platform.window, nullptr, &platform.surface),
                  "glfwCreateWindowSurface"));
  VkBool32 can_present = VK_FALSE;
  PV_TRY(vk_check(vkGetPhysicalDeviceSurfaceSupportKHR(context.physical_device(), context.queue_family(),
                                                       platform.surface, &can_present),
                  "vkGetPhysicalDeviceSurfaceSupportKHR"));
  if (!can_present) {
    return Error(ErrorCode::unsupported, "opening a window",
                 context.device_choice().name + " cannot present to this window from its graphics queue");
  }
  PV_TRY(target->rebuild_swapchain());
  return target;
}

Result<void> WindowTarget::rebuild_swapchain() {
  const VkDevice device = context_.device();
  const VkPhysicalDevice physical_device = context_.physical_device();
  const VkSurfaceKHR surface = platform_->surface;
  VkSurfaceCapabilitiesKHR capabilities;
  PV_TRY(vk_check(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(physical_device, surface, &capabilities),
                  "vkGetPhysicalDeviceSurfaceCapabilitiesKHR"));
  VkExtent2D extent = capabilities.currentExtent;
  if (extent.width == UINT32_MAX) extent = framebuffer_extent();  // the surface takes the swapchain's size
  extent.width = std::clamp(extent.width, capabilities.minImageExtent.width, capabilities.maxImageExtent.width);
  extent.height = std::clamp(extent.height, capabilities.minImageExtent.height, capabilities.maxImageExtent.height);
  if (extent.width == 0 || extent.height == 0) return {};  // minimised: build it when the window returns

  uint32_t format_count = 0;
  PV_TRY(vk_check(vkGetPhysicalDeviceSurfaceFormatsKHR(physical_device, surface, &format_count, nullptr),
                  "vkGetPhysicalDeviceSurfaceFormatsKHR"));
  std::vector<VkSurfaceFormatKHR> formats(format_count);
  PV_TRY(vk_check(vkGetPhysicalDeviceSurfaceFormatsKHR(physical_device, surface, &format_count, formats.data()),
                  "vkGetPhysicalDeviceSurfaceFormatsKHR"));
  if (formats.empty()) return Error(ErrorCode::unsupported, "creating a swapchain", "the surface offers no formats");
  const VkSurfaceFormatKHR surface_format = choose_surface_format(formats);

  uint32_t mode_count = 0;
  PV_TRY(vk_check(vkGetPhysicalDeviceSurfacePresentModesKHR(physical_device, surface, &mode_count, nullptr),
                  "vkGetPhysicalDeviceSurfacePresentModesKHR"));
  std::vector<VkPresentModeKHR> modes(mode_count);
  PV_TRY(vk_check(vkGetPhysicalDeviceSurfacePresentModesKHR(physical_device, surface, &mode_count, modes.data()),
                  "vkGetPhysicalDeviceSurfacePresentModesKHR"));
  VkPresentModeKHR present_mode = VK_PRESENT_MODE_FIFO_KHR;  // always offered
  if (!config_.vsync) {
    for (VkPresentModeKHR preferred : {VK_PRESENT_MODE_MAILBOX_KHR, VK_PRESENT_MODE_IMMEDIATE_KHR}) {
      if (std::find(modes.begin(), modes.end(), preferred) != modes.end()) {
        present_mode = preferred;
        break;
      }
    }
  }

  uint32_t image_count = capabilities.minImageCount + 1;
  if (capabilities.maxImageCount > 0) image_count = std::min(image_count, capabilities.maxImageCount);
  VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  info.surface = surface;
  info.minImageCount = image_count;
  info.imageFormat = surface_format.format;
  info.imageColorSpace = surface_format.colorSpace;
  info.imageExtent = extent;
  info.imageArrayLayers = 1;
  // Transfer source: screenshots for tests and the operator's status report.
  info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT |
                    (capabilities.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = capabilities.currentTransform;
  info.compositeAlpha = VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR;
  if (!(capabilities.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR)) {
    info.compositeAlpha = VK_COMPOSITE_ALPHA_INHERIT_BIT_KHR;
  }
  info.presentMode = present_mode;
  info.clipped = VK_TRUE;
  info.oldSwapchain = swapchain_ ? swapchain_->handle : VK_NULL_HANDLE;

  // Frames in flight may still use the old swapchain's images and semaphores.
  PV_TRY(context_.wait_idle());
  auto built = std::make_unique<Swapchain>();
  built->device = device;
  built->format = surface_format.format;
  built->extent = extent;
  PV_TRY(vk_check(vkCreateSwapchainKHR(device, &info, nullptr, &built->handle), "vkCreateSwapchainKHR"));
  swapchain_.reset();  // retires the old swapchain now that the new one replaced it

  uint32_t count = 0;
  PV_TRY(vk_check(vkGetSwapchainImagesKHR(device, built->handle, &count, nullptr), "vkGetSwapchainImagesKHR"));
  built->images.resize(count);
  PV_TRY(vk_check(vkGetSwapchainImagesKHR(device, built->handle, &count, built->images.data()),
                  "vkGetSwapchainImagesKHR"));
  for (VkImage image : built->images) {
    PV_TRY_ASSIGN(auto view, create_image_view(device, image, built->format, VK_IMAGE_ASPECT_COLOR_BIT, 1, 1, false));
    built->views.push_back(std::move(view));
    PV_TRY_ASSIGN(auto rendered, create_semaphore(device));
    built->rendered.push_back(std::move(rendered));
  }
  for (auto& semaphore : built->acquired) {
    PV_TRY_ASSIGN(semaphore, create_semaphore(device));
  }
  if (info.imageUsage & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) {
    PV_TRY_ASSIGN(built->screenshot, GpuBuffer::create(context_, VkDeviceSize{extent.width} * extent.height * 4,
                                                       VK_BUFFER_USAGE_TRANSFER_DST_BIT, MemoryUsage::readback,
                                                       "window screenshot"));
  }
  swapchain_ = std::move(built);
  swapchain_stale_ = false;
  screenshot_recorded_ = false;
  ++swapchain_rebuilds_;
  log::debug("window", "swapchain {}×{}, {} images", extent.width, extent.height, count);
  return {};
}

void WindowTarget::poll_events() {
  platform_->scroll = 0;
  platform_->escape_pressed = false;
  platform_->space_pressed = false;
  platform_->key_count = 0;
  glfwPollEvents();
  GLFWwindow* window = platform_->window;
  int window_width = 0;
  int framebuffer_width = 0;
  int unused = 0;
  glfwGetWindowSize(window, &window_width, &unused);
  glfwGetFramebufferSize(window, &framebuffer_width, &unused);
  const double scale = window_width > 0 ? static_cast<double>(framebuffer_width) / window_width : 1.0;
  double x = 0;
  double y = 0;
  glfwGetCursorPos(window, &x, &y);
  input_.cursor_x = x * scale;
  input_.cursor_y = y * scale;
  input_.primary_button = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
  input_.secondary_button = glfwGetMouseButton(window, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS;
  input_.scroll = platform_->scroll;
  input_.escape_pressed = platform_->escape_pressed;
  input_.space_pressed = platform_->space_pressed;
  input_.keys = platform_->keys;
  input_.key_count = platform_->key_count;
  input_.touch_reader = platform_->touch_reader != nullptr;
  if (platform_->touch_reader) {
    platform_->touches.begin_poll();
    platform_->touch_reader->drain(platform_->touches, scale);
    input_.touches = platform_->touches.points();
  }
  if (platform_->resized) {
    swapchain_stale_ = true;
    platform_->resized = false;
  }
}

bool WindowTarget::close_requested() const { return glfwWindowShouldClose(platform_->window); }

VkExtent2D WindowTarget::framebuffer_extent() const {
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(platform_->window, &width, &height);
  return {static_cast<uint32_t>(std::max(width, 0)), static_cast<uint32_t>(std::max(height, 0))};
}

void WindowTarget::request_size(uint32_t width, uint32_t height) {
  glfwSetWindowSize(platform_->window, static_cast<int>(width), static_cast<int>(height));
}

void WindowTarget::request_screenshot() { screenshot_requested_ = true; }

std::optional<ImageRgba8> WindowTarget::take_screenshot() {
  if (!screenshot_recorded_ || !swapchain_) return std::nullopt;
  screenshot_recorded_ = false;
  const VkExtent2D extent = swapchain_->extent;
  ImageRgba8 image(extent.width, extent.height);
  std::memcpy(image.pixels.data(), swapchain_->screenshot.mapped(), image.pixels.size());
  if (is_bgra(swapchain_->format)) {
    for (size_t pixel = 0; pixel < image.pixels.size(); pixel += 4) std::swap(image.pixels[pixel], image.pixels[pixel + 2]);
  }
  return image;
}

Result<std::optional<AcquiredImage>> WindowTarget::acquire(uint32_t frame_slot) {
  const VkExtent2D extent = framebuffer_extent();
  if (extent.width == 0 || extent.height == 0) return std::optional<AcquiredImage>();  // minimised
  if (!swapchain_ || swapchain_stale_) PV_TRY(rebuild_swapchain());
  if (!swapchain_) return std::optional<AcquiredImage>();

  // An out-of-date surface (resized between our check and the acquire) is rebuilt and tried once more.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const VkSemaphore acquired_semaphore = swapchain_->acquired[frame_slot].get();
    uint32_t index = 0;
    const VkResult result = vkAcquireNextImageKHR(context_.device(), swapchain_->handle, acquire_timeout_ns,
                                                  acquired_semaphore, VK_NULL_HANDLE, &index);
    switch (result) {
      case VK_SUCCESS:
      case VK_SUBOPTIMAL_KHR: {  // usable this frame; rebuilt after presenting
        if (result == VK_SUBOPTIMAL_KHR) swapchain_stale_ = true;
        AcquiredImage acquired;
        acquired.index = index;
        acquired.image.image = swapchain_->images[index];
        acquired.image.view = swapchain_->views[index].get();
        acquired.image.format = swapchain_->format;
        acquired.image.extent = swapchain_->extent;
        acquired.image.layers = 1;
        const bool capture = screenshot_requested_ && swapchain_->screenshot;
        acquired.image.layout_after_render =
            capture ? VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL : VK_IMAGE_LAYOUT_PRESENT_SRC_KHR;
        acquired.wait_semaphore = acquired_semaphore;
        acquired.signal_semaphore = swapchain_->rendered[index].get();
        return std::optional(acquired);
      }
      case VK_TIMEOUT:
      case VK_NOT_READY:
        log::warn("window", "no swapchain image became free within a second; skipping a frame");
        return std::optional<AcquiredImage>();
      case VK_ERROR_OUT_OF_DATE_KHR:
        PV_TRY(rebuild_swapchain());
        if (!swapchain_) return std::optional<AcquiredImage>();
        continue;
      default:
        PV_TRY(vk_check(result, "vkAcquireNextImageKHR"));
        return Error(ErrorCode::gpu, "vkAcquireNextImageKHR", std::string(vk_result_name(result)));
    }
  }
  return std::optional<AcquiredImage>();  // still out of date: the window is changing; try next frame
}

void WindowTarget::record_after_render(VkCommandBuffer command_buffer, const AcquiredImage& image) {
  if (image.image.layout_after_render != VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL) return;
  record_readback(command_buffer, image.image.image, image.image.extent, 1, swapchain_->screenshot.get());
  const auto to_present = image_barrier(image.image.image, VK_IMAGE_ASPECT_COLOR_BIT,
                                        VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                                        VK_PIPELINE_STAGE_2_COPY_BIT, VK_ACCESS_2_TRANSFER_READ_BIT,
                                        VK_PIPELINE_STAGE_2_NONE, VK_ACCESS_2_NONE);
  pipeline_barrier(command_buffer, {&to_present, 1});
  screenshot_requested_ = false;
  screenshot_recorded_ = true;
}

Result<void> WindowTarget::present(const AcquiredImage& image) {
  VkPresentInfoKHR info{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  info.waitSemaphoreCount = 1;
  info.pWaitSemaphores = &image.signal_semaphore;
  info.swapchainCount = 1;
  info.pSwapchains = &swapchain_->handle;
  info.pImageIndices = &image.index;
  const VkResult result = vkQueuePresentKHR(context_.queue(), &info);
  switch (result) {
    case VK_SUCCESS: return {};
    case VK_SUBOPTIMAL_KHR:
    case VK_ERROR_OUT_OF_DATE_KHR:
      swapchain_stale_ = true;  // rebuilt before the next acquire
      return {};
    default: return vk_check(result, "vkQueuePresentKHR");
  }
}

Result<void> WindowTarget::set_display_power(bool on) {
  // X11's Display Power Management Signalling: the monitor's own standby, backlight off.
  Display* display = glfwGetX11Display();
  int event_base = 0;
  int error_base = 0;
  if (display == nullptr || !DPMSQueryExtension(display, &event_base, &error_base) || !DPMSCapable(display)) {
    return Error(ErrorCode::unsupported, on ? "waking the screen" : "putting the screen to sleep",
                 "the display server offers no power management (DPMS); the screen shows black instead");
  }
  DPMSEnable(display);
  DPMSForceLevel(display, on ? DPMSModeOn : DPMSModeOff);
  XFlush(display);
  return {};
}

}  // namespace pavilion::render
