// Where a frame goes. The renderer draws each frame into an image the target hands out and gives
// it back when done; the target decides what happens next (present it on a window, copy it out
// for a PNG, release it to an OpenXR compositor).
//
// Frame lifecycle, all on the renderer's thread:
//   acquire(slot) → [renderer records and submits, waiting on wait_semaphore and signalling
//   signal_semaphore] → record_after_render() is called while recording → present().
#pragma once

#include "pavilion/core/error.h"

#include <vulkan/vulkan.h>

#include <array>
#include <cstdint>
#include <optional>

namespace pavilion::render {

// How many frames the CPU may record ahead of the GPU. Targets keep this many sets of
// per-frame synchronisation objects, indexed by the frame slot.
inline constexpr uint32_t frames_in_flight = 2;

// The most layers (views) a target has: a headset's two eyes.
inline constexpr uint32_t max_views = 2;

struct TargetImage {
  VkImage image = VK_NULL_HANDLE;
  // A colour-attachment view of all `layers` layers: a 2D-array view when layers > 1.
  VkImageView view = VK_NULL_HANDLE;
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkExtent2D extent{};
  uint32_t layers = 1;  // one per view; 2 for a headset's eyes
  // With layers > 1: a 2D view of each layer alone, for devices that draw one view per pass.
  std::array<VkImageView, max_views> layer_views{};
  // The renderer leaves the image in this layout when it has finished drawing.
  VkImageLayout layout_after_render = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  // A target that takes the scene's depth too (a headset's compositor reprojects with it): a
  // D32_SFLOAT image of the same extent and layers, with views as above. Reverse-Z: 1 at the
  // views' near plane, 0 at infinity. Left in depth_layout_after_render.
  VkImage depth_image = VK_NULL_HANDLE;
  VkImageView depth_view = VK_NULL_HANDLE;
  std::array<VkImageView, max_views> depth_layer_views{};
  VkImageLayout depth_layout_after_render = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
};

struct AcquiredImage {
  TargetImage image;
  uint32_t index = 0;                                 // the target's own image index
  VkSemaphore wait_semaphore = VK_NULL_HANDLE;        // signalled when the image may be drawn
  VkSemaphore signal_semaphore = VK_NULL_HANDLE;      // signalled by the renderer when drawn
};

class RenderTarget {
 public:
  virtual ~RenderTarget() = default;

  // The next image to draw, or nullopt when nothing should be drawn now (a minimised window, a
  // headset session that is not visible). `frame_slot` < frames_in_flight.
  virtual Result<std::optional<AcquiredImage>> acquire(uint32_t frame_slot) = 0;

  // Records the target's own commands after drawing, with the image in layout_after_render
  // (copies for a readback). Most targets record nothing.
  virtual void record_after_render(VkCommandBuffer command_buffer, const AcquiredImage& image) = 0;

  // Hands the drawn image on; called once per acquired image, after the frame was submitted.
  virtual Result<void> present(const AcquiredImage& image) = 0;
};

}  // namespace pavilion::render
