#include "headset/headset_pointers.h"

#include <glm/geometric.hpp>

#include <algorithm>

namespace pavilion::kiosk {
namespace {

// RGBA, R in the lowest byte, sRGB with straight alpha.
constexpr uint32_t rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a) {
  return uint32_t{r} | uint32_t{g} << 8 | uint32_t{b} << 16 | uint32_t{a} << 24;
}
constexpr uint32_t ray_idle = rgba(190, 220, 255, 200);  // pale blue: points at nothing
constexpr uint32_t gold = rgba(255, 196, 40, 255);        // on an exhibit, and the selection
constexpr uint32_t landing_ok = rgba(80, 220, 120, 220);
constexpr uint32_t landing_refused = rgba(230, 70, 60, 220);
constexpr uint32_t spotlight = rgba(255, 196, 40, 140);
constexpr uint32_t dwell_track = rgba(255, 255, 255, 120);
constexpr uint32_t button_face = rgba(24, 28, 36, 225);
constexpr uint32_t button_ink = rgba(255, 255, 255, 255);
constexpr uint32_t button_edge = rgba(200, 205, 215, 255);
constexpr uint32_t vignette_black = rgba(0, 0, 0, 0);  // the alpha is the vignette's darkness

constexpr float ray_width = 0.012f;  // metres: thin, yet a few pixels wide at arm's length
constexpr float tip_size = 0.04f;

// A plane whose x runs along `along`, facing `eyes` as squarely as it can, at `origin`.
glm::mat4 facing_plane(const glm::vec3& origin, const glm::vec3& along, const glm::vec3& eyes) {
  const glm::vec3 x = glm::normalize(along);
  glm::vec3 toward = eyes - origin;
  toward -= x * glm::dot(toward, x);
  if (glm::dot(toward, toward) < 1e-8f) toward = std::abs(x.y) < 0.9f ? glm::vec3(0, 1, 0) : glm::vec3(1, 0, 0);
  const glm::vec3 normal = glm::normalize(toward);
  const glm::vec3 y = glm::cross(x, normal);  // "down" on the plane, as overlays have it
  return {glm::vec4(x, 0), glm::vec4(y, 0), glm::vec4(normal, 0), glm::vec4(origin, 1)};
}

// A plane facing `eyes` squarely, x to the viewer's right and y down, at `origin`.
glm::mat4 billboard(const glm::vec3& origin, const glm::vec3& eyes) {
  const glm::vec3 toward = eyes - origin;
  glm::vec3 right = glm::cross(glm::vec3(0, 1, 0), toward);
  if (glm::dot(right, right) < 1e-8f) right = glm::vec3(1, 0, 0);
  return facing_plane(origin, right, eyes);
}

// An open square (something to press is under it) or a filled one (nothing is), `half` across.
void add_tip(float half, bool open, uint32_t colour, ui::OverlayBuffers& out) {
  if (!open) {
    ui::append_flat_quad(-half, -half, half, half, colour, out);
    return;
  }
  half *= 1.4f;  // open, a little larger, so it reads as a frame round what is under it
  const float bar = half * 0.3f;
  ui::append_flat_quad(-half, -half, half, -half + bar, colour, out);
  ui::append_flat_quad(-half, half - bar, half, half, colour, out);
  ui::append_flat_quad(-half, -half + bar, -half + bar, half - bar, colour, out);
  ui::append_flat_quad(half - bar, -half + bar, half, half - bar, colour, out);
}

// A triangle pointing left (`direction` −1) or right (+1), its tip at `tip_x`, from strips.
void add_arrowhead(float tip_x, float direction, float length, float half_height, ui::OverlayBuffers& out) {
  constexpr int strips = 6;
  for (int strip = 0; strip < strips; ++strip) {
    const float from = tip_x + direction * length * static_cast<float>(strip) / strips;
    const float to = tip_x + direction * length * static_cast<float>(strip + 1) / strips;
    const float half = half_height * static_cast<float>(strip + 1) / strips;
    ui::append_flat_quad(std::min(from, to), -half, std::max(from, to), half, button_ink, out);
  }
}

// Each button's face, within ±r: what it does, by shape.
void add_button_face(interaction::RingAction action, bool on, float r, ui::OverlayBuffers& out) {
  using interaction::RingAction;
  switch (action) {
    case RingAction::turn_left:
    case RingAction::turn_right: {
      // A broad arrow: a head and a shaft.
      const float side = action == RingAction::turn_left ? -1.0f : 1.0f;
      add_arrowhead(side * 0.65f * r, -side, 0.45f * r, 0.45f * r, out);
      ui::append_flat_quad(std::min(side * 0.2f * r, -side * 0.55f * r), -0.15f * r, std::max(side * 0.2f * r, -side * 0.55f * r),
                           0.15f * r, button_ink, out);
      break;
    }
    case RingAction::previous_exhibit:
    case RingAction::next_exhibit: {
      // A narrow triangle against a bar, as a player's skip buttons are drawn.
      const float side = action == RingAction::previous_exhibit ? -1.0f : 1.0f;
      add_arrowhead(side * 0.45f * r, -side, 0.6f * r, 0.4f * r, out);
      ui::append_flat_quad(std::min(side * 0.45f * r, side * 0.6f * r), -0.4f * r, std::max(side * 0.45f * r, side * 0.6f * r),
                           0.4f * r, button_ink, out);
      break;
    }
    case RingAction::back_to_start:
      // A house: a stepped roof over a square.
      for (int step = 0; step < 4; ++step) {
        const float half = 0.2f * r + 0.12f * r * static_cast<float>(step);
        ui::append_flat_quad(-half, -0.65f * r + 0.1f * r * static_cast<float>(step), half,
                             -0.55f * r + 0.1f * r * static_cast<float>(step), button_ink, out);
      }
      ui::append_flat_quad(-0.45f * r, -0.25f * r, 0.45f * r, 0.6f * r, button_ink, out);
      break;
    case RingAction::go_to_exhibit:
      // An arrow pointing ahead (up on the button): go there.
      for (int strip = 0; strip < 6; ++strip) {
        const float top = -0.65f * r + 0.08f * r * static_cast<float>(strip);
        const float half = 0.08f * r * static_cast<float>(strip + 1);
        ui::append_flat_quad(-half, top, half, top + 0.08f * r, button_ink, out);
      }
      ui::append_flat_quad(-0.15f * r, -0.17f * r, 0.15f * r, 0.6f * r, button_ink, out);
      break;
    case RingAction::toggle_text:
      // Lines of text while the label shows; a single short line once it is hidden.
      for (int line = 0; line < (on ? 3 : 1); ++line) {
        const float y = on ? -0.45f * r + 0.35f * r * static_cast<float>(line) : 0.0f;
        const float right = on && line == 2 ? 0.2f * r : 0.55f * r;
        ui::append_flat_quad(-0.55f * r, y - 0.09f * r, on ? right : 0.0f, y + 0.09f * r, button_ink, out);
      }
      break;
  }
}

}  // namespace

ui::OverlayBuffers& HeadsetPointers::start_piece(const glm::mat4& plane_to_world) {
  ui::OverlayBuffers& buffers = buffers_[pieces_];
  buffers.clear();
  ui::begin_flat_quads(white_, buffers);
  overlays_[pieces_].plane_to_world = plane_to_world;
  ++pieces_;
  return buffers;
}

void HeadsetPointers::add_ray(const interaction::Pointer& pointer, const glm::vec3& eyes) {
  if (!pointer.shown || pieces_ + 2 > max_pieces) return;
  const float length = glm::distance(pointer.from, pointer.to);
  if (length < 1e-4f) return;
  const uint32_t colour = pointer.aiming_teleport ? (pointer.teleport_possible ? landing_ok : landing_refused)
                          : pointer.on_exhibit    ? gold
                                                  : ray_idle;
  ui::OverlayBuffers& ray = start_piece(facing_plane(pointer.from, pointer.to - pointer.from, eyes));
  ui::append_flat_quad(0.0f, -ray_width * 0.5f, length, ray_width * 0.5f, colour, ray);
  if (pointer.aiming_teleport && pointer.teleport_possible) {
    // Where the visitor would stand: a square lying on the floor.
    const glm::mat4 floor{glm::vec4(1, 0, 0, 0), glm::vec4(0, 0, 1, 0), glm::vec4(0, -1, 0, 0), glm::vec4(pointer.to, 1)};
    ui::OverlayBuffers& landing = start_piece(floor);
    ui::append_flat_quad(-0.25f, -0.25f, 0.25f, 0.25f, colour, landing);
    return;
  }
  ui::OverlayBuffers& tip = start_piece(billboard(pointer.to, eyes));
  add_tip(tip_size * 0.5f, pointer.on_exhibit || pointer.on_button, pointer.on_button ? button_ink : colour, tip);
}

void HeadsetPointers::add_ring(const interaction::HeadsetInteraction& interaction, const glm::vec3& eyes) {
  for (const interaction::RingButton& button : interaction.ring()) {
    if (pieces_ >= max_pieces) return;
    const float r = button.radius;
    ui::OverlayBuffers& face = start_piece(billboard(button.centre, eyes));
    ui::append_flat_quad(-r, -r, r, r, button_face, face);
    // The outline: thin and pale at rest, thick and gold while pointed at.
    const float edge = button.pointed_at ? 0.18f * r : 0.07f * r;
    const uint32_t outline = button.pointed_at ? gold : button_edge;
    ui::append_flat_quad(-r, -r, r, -r + edge, outline, face);
    ui::append_flat_quad(-r, r - edge, r, r, outline, face);
    ui::append_flat_quad(-r, -r + edge, -r + edge, r - edge, outline, face);
    ui::append_flat_quad(r - edge, -r + edge, r, r - edge, outline, face);
    add_button_face(button.action, button.on, r * 0.8f, face);
    if (button.dwell_progress > 0.0f) {
      // How long is left to look: a bar filling under the button.
      ui::append_flat_quad(-r, r * 1.15f, r, r * 1.35f, dwell_track, face);
      ui::append_flat_quad(-r, r * 1.15f, -r + 2.0f * r * button.dwell_progress, r * 1.35f, gold, face);
    }
  }
}

void HeadsetPointers::add_vignette(float darkness, const glm::vec3& eyes, const glm::vec3& forward) {
  if (darkness <= 0.0f || pieces_ >= max_pieces) return;
  // A dark frame 25 cm in front of the eyes, its opening the middle 60° of the view: the edge of
  // the view, where a turn is felt as motion, goes dark; what is ahead stays.
  constexpr float distance = 0.25f;
  constexpr float opening = 0.144f;  // tan(30°) × 25 cm
  constexpr float outer = 1.0f;      // past any headset's field of view at this distance
  ui::OverlayBuffers& frame = start_piece(billboard(eyes + forward * distance, eyes));
  const uint32_t colour = vignette_black | uint32_t{static_cast<uint8_t>(255.0f * std::min(darkness, 1.0f))} << 24;
  ui::append_flat_quad(-outer, -outer, outer, -opening, colour, frame);
  ui::append_flat_quad(-outer, opening, outer, outer, colour, frame);
  ui::append_flat_quad(-outer, -opening, -opening, opening, colour, frame);
  ui::append_flat_quad(opening, -opening, outer, opening, colour, frame);
}

std::span<const render::WorldOverlay> HeadsetPointers::build(const interaction::HeadsetInteraction& interaction,
                                                             std::span<const scene::Exhibit> exhibits,
                                                             const glm::vec3& eyes, const glm::vec3& forward) {
  pieces_ = 0;
  add_vignette(interaction.vignette(), eyes, forward);
  add_ring(interaction, eyes);
  for (const interaction::Pointer& pointer : interaction.hand_pointers()) add_ray(pointer, eyes);

  const interaction::Pointer& gaze = interaction.gaze();
  if (gaze.shown && pieces_ < max_pieces) {
    // A reticle just in front of what the eyes meet, and under it how long is left to look.
    const glm::vec3 at = gaze.to - glm::normalize(gaze.to - gaze.from) * 0.05f;
    const float size = std::max(0.01f, 0.012f * glm::distance(gaze.from, at));
    ui::OverlayBuffers& reticle = start_piece(billboard(at, eyes));
    add_tip(size, gaze.on_exhibit || gaze.on_button, gaze.on_exhibit ? gold : gaze.on_button ? button_ink : ray_idle, reticle);
    if (const float progress = interaction.dwell_progress(); progress > 0.0f) {
      ui::append_flat_quad(-4 * size, 2 * size, 4 * size, 3 * size, dwell_track, reticle);
      ui::append_flat_quad(-4 * size, 2 * size, -4 * size + 8 * size * progress, 3 * size, gold, reticle);
    }
  }

  if (const auto selected = interaction.selected(); selected && *selected < exhibits.size() && pieces_ < max_pieces) {
    // A soft gold card behind the exhibit, as a spotlight on a wall would light it, and corner
    // brackets around it, facing the visitor, a little outside its sphere.
    const scene::Exhibit& exhibit = exhibits[*selected];
    // In the visitor's hand, the exhibit (and its light) is where the hand carries it.
    const auto& held = interaction.held();
    const glm::vec3 centre = held && held->exhibit == *selected ? glm::vec3(held->transform * glm::vec4(exhibit.position, 1.0f))
                                                               : exhibit.position;
    const float half = exhibit.radius * 1.1f;
    if (pieces_ + 2 <= max_pieces) {
      const glm::vec3 behind = centre - glm::normalize(eyes - centre) * exhibit.radius;
      ui::OverlayBuffers& card = start_piece(billboard(behind, eyes));
      ui::append_flat_quad(-half, -half, half, half, spotlight, card);
    }
    ui::OverlayBuffers& frame = start_piece(billboard(centre, eyes));
    const float arm = half * 0.4f;
    const float bar = std::max(0.02f, half * 0.08f);
    for (const float sx : {-1.0f, 1.0f}) {
      for (const float sy : {-1.0f, 1.0f}) {
        const float x = sx * half;
        const float y = sy * half;
        ui::append_flat_quad(std::min(x, x - sx * arm), std::min(y, y - sy * bar), std::max(x, x - sx * arm),
                             std::max(y, y - sy * bar), gold, frame);
        ui::append_flat_quad(std::min(x, x - sx * bar), std::min(y, y - sy * arm), std::max(x, x - sx * bar),
                             std::max(y, y - sy * arm), gold, frame);
      }
    }
  }
  for (size_t piece = 0; piece < pieces_; ++piece) overlays_[piece].overlay = buffers_[piece].view();
  return {overlays_.data(), pieces_};
}

}  // namespace pavilion::kiosk
