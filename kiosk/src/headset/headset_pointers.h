// What a headset visitor sees of their own pointing: each hand's ray with a bright tip (gold on
// an exhibit), the teleport landing on the floor, the gaze reticle and its dwell bar, and gold
// corner brackets around the selected exhibit; the ring of buttons below the line of sight and,
// with reduced motion, the comfort vignette at each turn. Flat quads hung in the scene (world
// overlays). Nothing is told by colour alone: a tip or reticle on something to press is an open
// square (a filled dot otherwise), a button pointed at has a thick outline, and each button's
// face is its own shape.
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
  // `forward`: where the head looks (the vignette hangs square in front of it).
  std::span<const render::WorldOverlay> build(const interaction::HeadsetInteraction& interaction,
                                              std::span<const scene::Exhibit> exhibits, const glm::vec3& eyes,
                                              const glm::vec3& forward);

 private:
  // One flat piece: quads on a plane placed in the world.
  ui::OverlayBuffers& start_piece(const glm::mat4& plane_to_world);
  void add_ray(const interaction::Pointer& pointer, const glm::vec3& eyes);
  void add_ring(const interaction::HeadsetInteraction& interaction, const glm::vec3& eyes);
  void add_vignette(float darkness, const glm::vec3& eyes, const glm::vec3& forward);

  static constexpr size_t max_pieces = 16;
  render::OverlayTextureId white_;
  std::array<ui::OverlayBuffers, max_pieces> buffers_;
  std::array<render::WorldOverlay, max_pieces> overlays_;
  size_t pieces_ = 0;
};

}  // namespace pavilion::kiosk
