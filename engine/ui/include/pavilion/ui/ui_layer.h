// Dear ImGui drawn by our renderer: the layer every on-screen menu, caption and panel is built
// with. One ImGui context per layer; the app calls ImGui between begin_frame() and end_frame()
// and hands the returned overlay to Renderer::render.
//
// The font atlas holds only the glyphs of the text the interface shows (set_fonts), rasterized
// by FreeType at the sizes used, so Chinese text stays sharp without a 20 000-glyph atlas.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/renderer.h"
#include "pavilion/ui/text_overlay.h"
#include "pavilion/ui/wrapped_text.h"

#include <imgui.h>

#include <memory>
#include <string_view>
#include <vector>

namespace pavilion::ui {

// A touch, or the mouse, in target pixels.
struct Pointer {
  float x = 0;
  float y = 0;
  bool down = false;
  // False when nothing points at the screen (a finger lifted): nothing shows as hovered.
  bool present = true;
};

struct FontSizes {
  float body_pixels = 28.0f;
  float title_pixels = 44.0f;
  friend bool operator==(const FontSizes&, const FontSizes&) = default;
};

class UiLayer {
 public:
  // The renderer must outlive the layer.
  static Result<std::unique_ptr<UiLayer>> create(render::Renderer& renderer);
  ~UiLayer();
  UiLayer(const UiLayer&) = delete;
  UiLayer& operator=(const UiLayer&) = delete;

  // Rebuilds the font atlas for `text` (every string the interface may show, in any order) at
  // `sizes`, unless both are as before. Call between frames.
  Result<void> set_fonts(std::string_view text, const FontSizes& sizes);
  ImFont* body_font() const { return body_font_; }
  ImFont* title_font() const { return title_font_; }

  // Starts a frame of `width`×`height` pixels, `seconds` after the previous one.
  void begin_frame(float width, float height, float seconds, const Pointer& pointer);
  // Ends the frame; the overlay stays valid until the next begin_frame().
  const render::Overlay& end_frame();

  // Draws `layout` as part of `list`, in its order: over what the list holds so far and under
  // what it gets next, so windows opened later (a dialog, the accessibility panel) cover it.
  // Distance-field text is ours, not ImGui's; it is spliced in where end_frame() meets the mark.
  // Call between begin_frame() and end_frame(); the atlas texture must live until the frame is drawn.
  void draw_text(ImDrawList& list, const text::TextLayout& layout, const text::GlyphAtlas& atlas,
                 render::OverlayTextureId atlas_texture, const TextPaint& paint);

  // For every text of this layer's interface that wraps, in place of ImGui's wrapping.
  TextWrapper& wrapper() { return wrapper_; }

  // The ImGui texture id of an overlay texture, for ImGui::Image and draw lists.
  static ImTextureID texture_id(render::OverlayTextureId texture);
  uint32_t font_atlas_width() const { return atlas_width_; }
  uint32_t font_atlas_height() const { return atlas_height_; }

 private:
  explicit UiLayer(render::Renderer& renderer);

  render::Renderer& renderer_;
  ImGuiContext* context_ = nullptr;
  ImVector<ImWchar> glyph_ranges_;
  std::string font_text_;
  FontSizes font_sizes_;
  ImFont* body_font_ = nullptr;
  ImFont* title_font_ = nullptr;
  bool atlas_uploaded_ = false;
  render::OverlayTextureId atlas_texture_ = 0;
  uint32_t atlas_width_ = 0;
  uint32_t atlas_height_ = 0;
  // Every draw list of a frame, concatenated; reused from frame to frame.
  OverlayBuffers frame_;
  // This frame's distance-field text, and which of its draws each draw_text() call made.
  OverlayBuffers text_;
  struct TextRun {
    size_t first_draw = 0;
    size_t end_draw = 0;
  };
  std::vector<TextRun> text_runs_;
  render::Overlay overlay_;
  TextWrapper wrapper_;
};

}  // namespace pavilion::ui
