// The particle's fragment stage, shared by the single-sampled and multisampled depth variants:
// the includer declares `scene_depth_at(ivec2 pixel, int layer)`. Colours come out premultiplied:
// alpha blending covers what is behind by the particle's alpha; additive systems write alpha 0,
// so the same blend adds their light.
layout(set = 0, binding = binding_frame) uniform FrameBlock { FrameData frame; };
layout(push_constant) uniform PushBlock { ParticleDrawPush push; };

layout(location = 0) in vec2 corner;
layout(location = 1) in vec4 color;
layout(location = 2) in vec3 world;
layout(location = 3) flat in uvec3 sprite;  // x: sprite, y: the particle's seed, z: 1 alpha blending
layout(location = 4) flat in float soft;

layout(location = 0) out vec4 out_color;

float scene_depth_at(ivec2 pixel, int layer);

// Coverage and light of one sprite at `uv` (-1 to 1 on the quad).
vec4 sprite_shape(vec2 uv) {
  float r = length(uv);
  if (sprite.x == 1u) {  // flake: a soft round disc, brighter in the middle
    float a = 1.0 - smoothstep(0.55, 1.0, r);
    return vec4(color.rgb * (1.0 + 0.3 * (1.0 - r)), a);
  }
  if (sprite.x == 2u) {  // petal: an ellipse turned by the particle's own angle, paler at its tip
    float angle = 6.2831853 * random01(sprite.y, 8u);
    vec2 turned = mat2(cos(angle), sin(angle), -sin(angle), cos(angle)) * uv;
    float e = length(turned * vec2(1.0, 1.9));
    float a = 1.0 - smoothstep(0.75, 1.0, e);
    return vec4(color.rgb * mix(1.0, 1.35, clamp(turned.x * 0.5 + 0.5, 0.0, 1.0)), a);
  }
  if (sprite.x == 3u) {  // lantern: a red body lit from inside, gold caps, a halo of its light
    vec2 body_uv = uv / vec2(0.42, 0.5);
    float body = 1.0 - smoothstep(0.9, 1.0, length(body_uv));
    float caps = step(abs(uv.x), 0.22) * step(0.46, abs(uv.y)) * step(abs(uv.y), 0.6);
    float ribs = 0.85 + 0.15 * cos(body_uv.x * 9.0);
    vec3 lit = color.rgb * (1.6 - 0.9 * dot(body_uv, body_uv)) * ribs;
    vec3 gold = vec3(0.9, 0.6, 0.15) * max(1.0, length(color.rgb) * 0.25);
    float halo = exp(-r * r * 2.5) * 0.45 * (1.0 - body) * (1.0 - caps);
    float a = max(body, caps);
    vec3 rgb = mix(lit, gold, caps);
    // The halo adds light without covering: it goes into the colour, not the alpha.
    return vec4(rgb * a + color.rgb * halo, a);
  }
  // glow: a bright core fading smoothly, its edge reaching zero before the quad's
  float a = exp(-r * r * 3.5) * (1.0 - smoothstep(0.85, 1.0, r));
  return vec4(color.rgb * (1.0 + 2.0 * exp(-r * r * 20.0)), a);
}

void main() {
  vec4 shape = sprite_shape(corner);
  bool lantern = sprite.x == 3u;
  vec3 rgb = lantern ? shape.rgb : shape.rgb * shape.a;  // the lantern's own is premultiplied
  float alpha = shape.a * color.a;
  rgb *= color.a;
  if (push.soft != 0u && soft > 0.0) {
    int layer = int(gl_ViewIndex + push.view_offset);
    float depth = scene_depth_at(ivec2(gl_FragCoord.xy), layer);
    if (depth > 0.0) {  // reverse-Z: 0 is the sky, infinitely far
      vec2 ndc = gl_FragCoord.xy * frame.screen.zw * 2.0 - 1.0;
      vec4 behind = frame.views[layer].inverse_view_projection * vec4(ndc, depth, 1.0);
      vec3 eye = frame.views[layer].position.xyz;
      float gap = distance(behind.xyz / behind.w, eye) - distance(world, eye);
      float fade = clamp(gap / soft, 0.0, 1.0);
      rgb *= fade;
      alpha *= fade;
    }
  }
  // Alpha-blended systems cover what is behind; additive ones only add light.
  out_color = vec4(rgb, sprite.z == 1u ? alpha : 0.0);
}
