// Interface text wrapped by the rules a poem is set by (engine/text's line_breaking.h) instead of
// Dear ImGui's, which knows only English: no closing punctuation （）。，、」』） at a line's start,
// no opening punctuation at its end, Latin words kept whole, Chinese broken between characters.
// Every wrapping title, description, label and button of an interface goes through here.
//
// The lines are measured with the ImGui font they are drawn in and handed to ImGui already
// broken, joined by '\n', so they are drawn exactly where ImGui's own wrapping would have drawn
// them. A wrapper's buffers are reused from call to call: once they have grown to the longest
// text, wrapping allocates nothing.
#pragma once

#include "pavilion/text/line_breaking.h"

#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::ui {

class TextWrapper {
 public:
  // `text` (UTF-8; malformed bytes count as the replacement character ImGui draws for them) in
  // lines no wider than `width` pixels (0 or less: no limit) in `font` at `size` pixels, joined by
  // '\n'; each '\n' of the text ends a line too. Valid until the next call.
  std::string_view wrap(const ImFont& font, float size, std::string_view text, float width);

  // What ImGui::TextWrapped("%s", text) does, broken by our rules: wrapped at the position pushed
  // with ImGui::PushTextWrapPos, or at the window's right edge, in the current font. Call inside a
  // window.
  void text(std::string_view text);
  // What ImDrawList::AddText does with a wrap width, broken by our rules.
  void add_text(ImDrawList& list, const ImFont& font, float size, ImVec2 position, ImU32 color, std::string_view text,
                float width);
  // An ImGui::Button of `size` (as ImGui reads it: 0 fits the label, negative reaches the edge)
  // whose label is broken into lines that fit inside its frame padding, each line centred (ImGui's
  // own label never wraps, and would not centre a second line); the button grows taller where its
  // lines need it. Its ID is the top of ImGui's ID stack alone, not its label: push one
  // (ImGui::PushID) for each button.
  bool button(std::string_view label, ImVec2 size);

 private:
  std::vector<text::BreakUnit> units_;
  std::vector<uint32_t> unit_offsets_;  // each unit's first byte in the paragraph, and one past the last
  std::vector<text::LineSpan> lines_;
  std::string wrapped_;
};

}  // namespace pavilion::ui
