// Captions hung in the headset (the W3C XR Accessibility User Requirements' captions placed in
// XR): what the visitor hears, on a dark panel in front of them and below their line of sight,
// hanging from where the head lazily faces (HeadsetInteraction::follow_to_world), so that it
// stays in view as they turn yet never chases their eyes while they read it. A quad layer: the
// compositor shows it in both eyes, straight from its own pixels, as sharp as the headset shows
// anything. With the visitor's text size it grows as the label does.
#pragma once

#include "pavilion/interaction/captions.h"
#include "pavilion/render/renderer.h"
#include "pavilion/ui/ui_layer.h"
#include "pavilion/xr/headset.h"

#include <glm/mat4x4.hpp>

#include <memory>
#include <span>
#include <string_view>

namespace pavilion::kiosk {

// A panel's pixels at the visitor's text size: the panel grows with its text.
VkExtent2D scaled(VkExtent2D pixels, float text_scale);

class HeadsetCaptions {
 public:
  // `glyphs`: every character a caption may show. The renderer and session must outlive it.
  static Result<std::unique_ptr<HeadsetCaptions>> create(render::Renderer& renderer, xr::HeadsetSession& session,
                                                         std::string_view glyphs, float text_scale);

  // Shows `lines` (none: the panel is hidden) for this frame. Call after the session's
  // begin_frame and before the eyes are drawn.
  Result<void> show(std::span<const interaction::Caption> lines, const glm::mat4& follow_to_world, float seconds);
  bool shown() const { return shown_; }
  // The panel's size, which grows with the text (the run's report shows it).
  VkExtent2D pixels() const;
  float width_metres() const;

 private:
  HeadsetCaptions(render::Renderer& renderer, float text_scale) : renderer_(renderer), scale_(text_scale) {}

  render::Renderer& renderer_;
  float scale_;
  std::unique_ptr<ui::UiLayer> ui_;
  std::unique_ptr<xr::HeadsetPanel> panel_;
  bool shown_ = false;
};

}  // namespace pavilion::kiosk
