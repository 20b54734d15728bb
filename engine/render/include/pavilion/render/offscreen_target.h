// Renders into an image in GPU memory and reads it back: headless kiosks, snapshots, tests.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/render/context.h"
#include "pavilion/render/render_target.h"

#include <memory>

namespace pavilion::render {

struct OffscreenConfig {
  uint32_t width = 640;
  uint32_t height = 480;
  uint32_t layers = 1;  // 2 renders a stereo pair in one multiview pass
  VkFormat format = VK_FORMAT_R8G8B8A8_SRGB;  // RGBA8 only: read_pixels returns it unconverted
};

class OffscreenTarget final : public RenderTarget {
 public:
  // The context must outlive the target.
  static Result<std::unique_ptr<OffscreenTarget>> create(GpuContext& context, const OffscreenConfig& config);
  ~OffscreenTarget() override;

  // The last frame drawn into `layer`, as sRGB-encoded RGBA8. Call once that frame has finished
  // on the GPU (Renderer::wait_idle()).
  ImageRgba8 read_pixels(uint32_t layer = 0) const;

  const OffscreenConfig& config() const { return config_; }

  Result<std::optional<AcquiredImage>> acquire(uint32_t frame_slot) override;
  void record_after_render(VkCommandBuffer command_buffer, const AcquiredImage& image) override;
  Result<void> present(const AcquiredImage& image) override;

 private:
  struct Resources;
  explicit OffscreenTarget(const OffscreenConfig& config);

  OffscreenConfig config_;
  std::unique_ptr<Resources> resources_;
};

}  // namespace pavilion::render
