// The sRGB transfer function (IEC 61966-2-1), both ways.
#ifndef PAVILION_RENDER_SRGB_GLSL
#define PAVILION_RENDER_SRGB_GLSL

vec3 linear_to_srgb(vec3 c) {
  return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), c));
}

vec3 srgb_to_linear(vec3 c) {
  return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), c));
}

#endif
