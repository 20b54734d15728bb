#version 460
#extension GL_EXT_multiview : require
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

// glTF 2.0 metallic-roughness shading (the specification's appendix B): GGX distribution,
// height-correlated Smith visibility, Schlick Fresnel, Lambertian diffuse.

layout(set = 0, binding = binding_materials, std430) readonly buffer MaterialBlock { MaterialData materials[]; };
layout(set = 0, binding = binding_shadow_map) uniform sampler2DShadow shadow_map;
layout(set = 1, binding = binding_base_color) uniform sampler2D base_color_texture;
layout(set = 1, binding = binding_metallic_roughness) uniform sampler2D metallic_roughness_texture;
layout(set = 1, binding = binding_normal) uniform sampler2D normal_texture;
layout(set = 1, binding = binding_occlusion) uniform sampler2D occlusion_texture;
layout(set = 1, binding = binding_emissive) uniform sampler2D emissive_texture;

layout(location = 0) in vec3 in_world_position;
layout(location = 1) in vec3 in_normal;
layout(location = 2) in vec4 in_tangent;
layout(location = 3) in vec2 in_uv;

layout(location = 0) out vec4 out_color;

float shadow_visibility(vec3 world_position, vec3 normal) {
  if (frame.light_radiance.w == 0.0) return 1.0;
  // Offsetting along the normal (more at grazing light) removes acne without peter-panning.
  float grazing = 1.0 - max(dot(normal, frame.light_direction.xyz), 0.0);
  vec4 light_clip = frame.light_view_projection * vec4(world_position + normal * frame.light_direction.w * (0.5 + grazing), 1.0);
  vec3 light_ndc = light_clip.xyz / light_clip.w;
  vec2 uv = light_ndc.xy * 0.5 + 0.5;
  if (any(lessThan(uv, vec2(0.0))) || any(greaterThan(uv, vec2(1.0))) || light_ndc.z > 1.0) return 1.0;
  float texel = frame.ambient.y;
  float lit = 0.0;
  for (int y = -1; y <= 1; ++y) {
    for (int x = -1; x <= 1; ++x) lit += texture(shadow_map, vec3(uv + vec2(x, y) * texel, light_ndc.z));
  }
  return lit / 9.0;
}

void main() {
  MaterialData material = materials[push.material_index];
  vec4 base_color = material.base_color * texture(base_color_texture, in_uv);
  vec2 metallic_roughness = texture(metallic_roughness_texture, in_uv).bg;
  float metallic = clamp(material.params.x * metallic_roughness.x, 0.0, 1.0);
  float roughness = clamp(material.params.y * metallic_roughness.y, 0.045, 1.0);
  float occlusion = mix(1.0, texture(occlusion_texture, in_uv).r, material.params.z);
  vec3 emissive = material.emissive.rgb * texture(emissive_texture, in_uv).rgb;

  vec3 geometric_normal = normalize(in_normal);
  if (!gl_FrontFacing) geometric_normal = -geometric_normal;
  vec3 tangent = normalize(in_tangent.xyz - geometric_normal * dot(geometric_normal, in_tangent.xyz));
  vec3 bitangent = cross(geometric_normal, tangent) * in_tangent.w;
  // Only x and y are stored (BC5 keeps two channels); z follows from unit length.
  vec2 normal_xy = texture(normal_texture, in_uv).xy * 2.0 - 1.0;
  vec3 tangent_normal = vec3(normal_xy * material.emissive.w, sqrt(max(1.0 - dot(normal_xy, normal_xy), 0.0)));
  vec3 n = normalize(mat3(tangent, bitangent, geometric_normal) * tangent_normal);

  vec3 v = normalize(frame.views[view_index()].position.xyz - in_world_position);
  vec3 l = frame.light_direction.xyz;
  vec3 h = normalize(l + v);
  float n_dot_l = max(dot(n, l), 0.0);
  float n_dot_v = max(dot(n, v), 1e-4);
  float n_dot_h = max(dot(n, h), 0.0);
  float v_dot_h = max(dot(v, h), 0.0);

  float alpha = roughness * roughness;
  float alpha2 = alpha * alpha;
  vec3 f0 = mix(vec3(0.04), base_color.rgb, metallic);
  vec3 diffuse_color = base_color.rgb * (1.0 - metallic);
  vec3 fresnel = f0 + (1.0 - f0) * pow(1.0 - v_dot_h, 5.0);
  float d = n_dot_h * n_dot_h * (alpha2 - 1.0) + 1.0;
  float distribution = alpha2 / (pi * d * d);
  float visibility = 0.5 / (n_dot_l * sqrt(n_dot_v * n_dot_v * (1.0 - alpha2) + alpha2) +
                            n_dot_v * sqrt(n_dot_l * n_dot_l * (1.0 - alpha2) + alpha2) + 1e-5);
  vec3 direct = ((1.0 - fresnel) * diffuse_color / pi + fresnel * distribution * visibility) * n_dot_l;
  direct *= frame.light_radiance.rgb * shadow_visibility(in_world_position, geometric_normal);

  // Ambient light from the sky: diffuse from a hemisphere blend, specular from the sky in the
  // reflected direction (blurred towards the hemisphere average by roughness), weighted by an
  // analytic fit of the split-sum environment BRDF (Karis 2014).
  vec3 hemisphere = mix(frame.ground.rgb, mix(frame.sky_horizon.rgb, frame.sky_zenith.rgb, 0.5), n.y * 0.5 + 0.5);
  vec3 reflected = sky_radiance(reflect(-v, n), false);
  vec3 specular_light = mix(reflected, hemisphere, roughness);
  vec4 c0 = vec4(-1.0, -0.0275, -0.572, 0.022);
  vec4 c1 = vec4(1.0, 0.0425, 1.04, -0.04);
  vec4 r = roughness * c0 + c1;
  float a004 = min(r.x * r.x, exp2(-9.28 * n_dot_v)) * r.x + r.y;
  vec2 environment_brdf = vec2(-1.04, 1.04) * a004 + r.zw;
  vec3 ambient = (diffuse_color * hemisphere + specular_light * (f0 * environment_brdf.x + environment_brdf.y)) *
                 frame.ambient.x * occlusion;

  out_color = vec4(direct + ambient + emissive, 1.0);
}
