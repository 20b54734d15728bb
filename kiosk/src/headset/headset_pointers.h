// What a headset visitor sees of their own pointing: each hand's ray with a bright tip (gold on
// an exhibit), the teleport landing on the floor, the gaze reticle and its dwell bar, and gold
// corner brackets around the selected exhibit. Flat quads hung in the scene (world overlays).
#pragma once

#include "pavilion/interaction/headset.h"
#include "pavilion/render/overlay.h"
#include "pavilion/ui/text_overlay.h"

#include <array>
#include <span>

namespace pavilion::kiosk {

class HeadsetPointers {
 public:
  explicit HeadsetPointers(render::OverlayTextureId white) : white_(white) {}

  // This frame's overlays, seen from `eyes` (between the eyes); valid until the next call.
  // Reuses its buffers: nothing is allocated once they have grown.
  std::span<const render::WorldOverlay> build(const interaction::HeadsetInteraction& interaction,
                                              std::span<const scene::Exhibit> exhibits, const glm::vec3& eyes);

 private:
  // One flat piece: quads on a plane placed in the world.
  ui::OverlayBuffers& start_piece(const glm::mat4& plane_to_world);
  void add_ray(const interaction::Pointer& pointer, const glm::vec3& eyes);

  static constexpr size_t max_pieces = 8;
  render::OverlayTextureId white_;
  std::array<ui::OverlayBuffers, max_pieces> buffers_;
  std::array<render::WorldOverlay, max_pieces> overlays_;
  size_t pieces_ = 0;
};

}  // namespace pavilion::kiosk
