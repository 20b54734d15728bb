// A festival show's titles drawn over the scene as the kiosk's screen shows them, so that the
// curator's pictures (pavilion-snapshot --show-at) hold the same titles in the same places.
//
// Titles are drawn with Dear ImGui into a draw list of a ui::UiLayer frame (the kiosk's interface
// layer, or one of the snapshot's own), in that layer's fonts: its title font (LXGW WenKai, the
// calligraphic face) for calligraphy, its body font otherwise. The layer's atlas must hold the
// titles' characters: add show_title_text to the text given to UiLayer::set_fonts.
#pragma once

#include "pavilion/scene/scene.h"
#include "pavilion/scene/show.h"

#include <glm/glm.hpp>
#include <imgui.h>

#include <cstdint>
#include <span>
#include <string>

namespace pavilion::exhibits {

// The fonts a title is drawn in: a UiLayer's title_font() and body_font().
struct ShowTitleFonts {
  ImFont* calligraphy = nullptr;
  ImFont* body = nullptr;
};

struct ShowTitlesDrawn {
  uint32_t count = 0;        // titles drawn (with words, and not faded out)
  float first_alpha = 0.0f;  // the first one's opacity, as drawn
};

// The cue a title (or any show event) names: a track's cue, or a moment's response's.
const scene::ShowCue& show_cue(const scene::Show& show, uint32_t track, uint32_t moment, uint32_t cue);

// Every character the show's titles may show, in both languages, for a font atlas.
std::string show_title_text(const scene::Show& show);

// Draws the frame's `titles` (ShowFrame::titles of `show`) into `draw`, a draw list of a frame of
// `size` pixels: calligraphy 1.6 times the title font's size, warm gold on a soft dark shadow,
// centred just above their exhibit's top (`exhibits` are the scene's) or at their place in the
// scene as `view_projection` projects it, and high in the middle of the frame where that is not
// in view; each at its own opacity times `opacity` (the kiosk fades them with its scene). In
// Chinese when `chinese`, else English; a title lacking one language shows the other. Allocates
// nothing.
ShowTitlesDrawn draw_show_titles(ImDrawList& draw, ImVec2 size, const scene::Show& show,
                                 std::span<const scene::TitleState> titles, std::span<const scene::Exhibit> exhibits,
                                 const glm::mat4& view_projection, bool chinese, float opacity,
                                 const ShowTitleFonts& fonts);

}  // namespace pavilion::exhibits
