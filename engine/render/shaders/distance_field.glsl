// Coverage of distance-field glyphs (engine/text atlases), shared by the screen overlay and the
// overlays hung in the scene.
#ifndef PAVILION_RENDER_DISTANCE_FIELD_GLSL
#define PAVILION_RENDER_DISTANCE_FIELD_GLSL

// `distance` is the atlas's value, 0.5 on the outline. A pixel-wide ramp across the outline at any
// scale or angle (fwidth follows the glyph's footprint on screen), or with `glow` > 0 a soft glow
// reaching that far below it.
float distance_coverage(float distance, float glow) {
  if (glow > 0.0) return smoothstep(0.5 - glow, 0.5, distance);
  float ramp = max(fwidth(distance) * 0.5, 1.0 / 255.0);
  return smoothstep(0.5 - ramp, 0.5 + ramp, distance);
}

#endif
