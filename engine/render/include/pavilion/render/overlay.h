// A flat layer drawn over the finished frame: the kiosk's menus, captions and fades (Dear ImGui's
// output, converted by engine/ui). Drawn on single-layer targets only; a headset shows its panels
// as OpenXR quad layers instead.
//
// Coordinates are target pixels from the top left. Colours are sRGB-encoded with straight alpha,
// as user interface toolkits produce them; the renderer blends them in the target's own encoding,
// so text and panels look as they do in any other program.
#pragma once

#include <glm/mat4x4.hpp>

#include <cstdint>
#include <span>

namespace pavilion::render {

struct OverlayVertex {
  float x = 0, y = 0;  // pixels
  float u = 0, v = 0;  // texture coordinates
  uint32_t rgba = 0;   // R in the lowest byte
};

// An overlay texture made by Renderer::add_overlay_texture or add_overlay_distance_field.
using OverlayTextureId = uint32_t;

struct OverlayDraw {
  uint32_t first_index = 0;
  uint32_t index_count = 0;
  int32_t vertex_offset = 0;  // added to each index
  OverlayTextureId texture = 0;
  // Pixels outside [clip_min, clip_max) are left alone.
  float clip_min_x = 0, clip_min_y = 0, clip_max_x = 0, clip_max_y = 0;
  // Distance-field textures only: 0 draws the outline sharp; more draws a soft glow reaching this
  // far outside it, in the field's units (0.5 is the whole spread).
  float glow = 0;
};

struct Overlay {
  std::span<const OverlayVertex> vertices;
  std::span<const uint16_t> indices;
  std::span<const OverlayDraw> draws;  // in painting order
};

// Overlay geometry hung in the scene: a poem's text on its scroll, a label beside an exhibit.
// The vertices' x and y are metres on a plane (x right, y down, as on a screen) that
// `plane_to_world` places in the world. It is drawn in every view after the scene's opaque
// objects, hidden behind what stands in front of it and blended over what is behind; its colours
// are sRGB like a screen overlay's and take no light. Clip rectangles are ignored.
struct WorldOverlay {
  glm::mat4 plane_to_world{1.0f};
  Overlay overlay;
};

}  // namespace pavilion::render
