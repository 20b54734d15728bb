#include "captions/speaker_mark.h"

#include <algorithm>

namespace pavilion::kiosk {

bool is_voice(interaction::CaptionKind kind) {
  return kind != interaction::CaptionKind::music && kind != interaction::CaptionKind::effect;
}

void draw_speaker(ImDrawList& draw, ImVec2 corner, float size, ImU32 ink) {
  const float unit = size / 8.0f;
  draw.AddRectFilled(ImVec2(corner.x + unit, corner.y + 3 * unit), ImVec2(corner.x + 3 * unit, corner.y + 5 * unit), ink);
  draw.AddTriangleFilled(ImVec2(corner.x + 2 * unit, corner.y + 4 * unit), ImVec2(corner.x + 5 * unit, corner.y + unit),
                         ImVec2(corner.x + 5 * unit, corner.y + 7 * unit), ink);
  const ImVec2 centre(corner.x + 5 * unit, corner.y + 4 * unit);
  for (const float radius : {1.5f * unit, 2.7f * unit}) {
    draw.PathArcTo(centre, radius, -0.8f, 0.8f, 8);
    draw.PathStroke(ink, 0, std::max(1.0f, 0.6f * unit));
  }
}

}  // namespace pavilion::kiosk
