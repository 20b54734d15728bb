// The selected exhibit's label in a headset, as a museum's wall label: its title, maker and
// date in Chinese and English, on a panel the compositor shows as a quad layer at arm's length,
// beside the line of sight to the exhibit so the label never hides it. A book's label goes on with
// what its source says of it, in both languages: its own title where it names the book otherwise
// than the exhibit does, its summary, metadata pairs, required statement and rights. The panel is
// made as tall as the scene's longest label and shows only the rows a label fills, its bottom
// edge where a short label's is (above the ring of buttons), so that nothing is clipped and a short label has no empty tail. With
// the visitor's text size (100–200 %) the whole panel grows with its text: the same lines, the
// same wrapping, nothing clipped, and as many pixels to a letter as at 100 %.
#pragma once

#include "pavilion/render/renderer.h"
#include "pavilion/scene/scene.h"
#include "pavilion/ui/ui_layer.h"
#include "pavilion/xr/headset.h"

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace pavilion::kiosk {

class HeadsetLabel {
 public:
  // The renderer and session must outlive the label.
  static Result<std::unique_ptr<HeadsetLabel>> create(render::Renderer& renderer, xr::HeadsetSession& session,
                                                      std::span<const scene::Exhibit> exhibits,
                                                      std::span<const scene::Book> books, float text_scale);

  // Draws the label of `selected` (none: nothing) for this frame, facing `eyes`. Call after the
  // session's begin_frame and before the eyes are drawn.
  Result<void> show(std::optional<uint32_t> selected, const glm::vec3& eyes, float seconds);
  // The panel's size: its pixels and its width in the world.
  VkExtent2D pixels() const { return panel_->pixels(); }
  float width_metres() const;
  // The words of the last label shown, each row on a line of its own (what a visitor read there).
  const std::string& shown_words() const { return text_; }

 private:
  HeadsetLabel(render::Renderer& renderer, std::span<const scene::Exhibit> exhibits, std::span<const scene::Book> books,
               float text_scale)
      : renderer_(renderer), exhibits_(exhibits), books_(books), scale_(text_scale) {}

  // Draws exhibit `index`'s label into a frame begun `pixels` large, its words into text_; the
  // rows it filled, down to its last line's foot and the window's padding below it.
  float draw(uint32_t index, VkExtent2D pixels);

  render::Renderer& renderer_;
  std::span<const scene::Exhibit> exhibits_;
  std::span<const scene::Book> books_;
  float scale_;
  std::string text_;
  std::unique_ptr<ui::UiLayer> ui_;
  std::unique_ptr<xr::HeadsetPanel> panel_;
};

}  // namespace pavilion::kiosk
