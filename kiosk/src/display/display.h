// Everything on the GPU side of the touch kiosk: the device, the renderer, the window (or an
// offscreen image for headless runs), the interface layer and the exhibits' thumbnails for the
// menu. Made again from nothing when the device is lost (Kiosk::State::recover_display).
#pragma once

#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/window_target.h"
#include "pavilion/ui/ui_layer.h"

#include <memory>
#include <optional>
#include <vector>

namespace pavilion::kiosk {

struct Display {
  std::unique_ptr<render::GpuContext> context;
  std::unique_ptr<render::Renderer> renderer;
  std::unique_ptr<render::WindowTarget> window;
  std::unique_ptr<render::OffscreenTarget> offscreen;
  std::unique_ptr<ui::UiLayer> ui;
  // Overlay textures of the exhibits' thumbnails: [entry][exhibit], when the package has one.
  std::vector<std::vector<std::optional<render::OverlayTextureId>>> thumbnails;

  render::RenderTarget& target();
  VkExtent2D extent() const;
};

}  // namespace pavilion::kiosk
