// The selected exhibit's label in a headset, as a museum's wall label: its title, maker and
// date in Chinese and English, on a panel the compositor shows as a quad layer at arm's length,
// beside the line of sight to the exhibit so the label never hides it. With the visitor's text
// size (100–200 %) the whole panel grows with its text: the same lines, the same wrapping, nothing
// clipped, and as many pixels to a letter as at 100 %.
#pragma once

#include "pavilion/render/renderer.h"
#include "pavilion/scene/scene.h"
#include "pavilion/ui/ui_layer.h"
#include "pavilion/xr/headset.h"

#include <memory>
#include <optional>
#include <span>

namespace pavilion::kiosk {

class HeadsetLabel {
 public:
  // The renderer and session must outlive the label.
  static Result<std::unique_ptr<HeadsetLabel>> create(render::Renderer& renderer, xr::HeadsetSession& session,
                                                      std::span<const scene::Exhibit> exhibits, float text_scale);

  // Draws the label of `selected` (none: nothing) for this frame, facing `eyes`. Call after the
  // session's begin_frame and before the eyes are drawn.
  Result<void> show(std::optional<uint32_t> selected, const glm::vec3& eyes, float seconds);
  // The panel's size: its pixels and its width in the world.
  VkExtent2D pixels() const { return panel_->pixels(); }
  float width_metres() const;

 private:
  HeadsetLabel(render::Renderer& renderer, std::span<const scene::Exhibit> exhibits, float text_scale)
      : renderer_(renderer), exhibits_(exhibits), scale_(text_scale) {}

  render::Renderer& renderer_;
  std::span<const scene::Exhibit> exhibits_;
  float scale_;
  std::unique_ptr<ui::UiLayer> ui_;
  std::unique_ptr<xr::HeadsetPanel> panel_;
};

}  // namespace pavilion::kiosk
