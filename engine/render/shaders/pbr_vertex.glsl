// The opaque pass's vertex stage, unskinned and (with PAVILION_SKINNED defined) skinned, each
// also (with PAVILION_MORPHED) morphed. Includers enable GL_EXT_multiview and
// GL_GOOGLE_include_directive.
#include "common.glsl"

layout(location = 0) in vec3 in_position;
layout(location = 1) in vec2 in_normal_octahedral;
layout(location = 2) in vec4 in_tangent;
layout(location = 3) in vec2 in_uv;

#ifdef PAVILION_SKINNED
#include "skinning.glsl"
#endif
#ifdef PAVILION_MORPHED
#include "morphing.glsl"
#endif

layout(set = 0, binding = binding_instances, std430) readonly buffer InstanceBlock { InstanceData instances[]; };
layout(set = 0, binding = binding_visible, std430) readonly buffer VisibleBlock { uint visible[]; };

layout(location = 0) out vec3 out_world_position;
layout(location = 1) out vec3 out_normal;
layout(location = 2) out vec4 out_tangent;
layout(location = 3) out vec2 out_uv;

vec3 octahedral_decode(vec2 e) {
  vec3 v = vec3(e, 1.0 - abs(e.x) - abs(e.y));
  if (v.z < 0.0) v.xy = (1.0 - abs(v.yx)) * vec2(v.x >= 0.0 ? 1.0 : -1.0, v.y >= 0.0 ? 1.0 : -1.0);
  return normalize(v);
}

void main() {
  InstanceData instance = instances[visible[gl_InstanceIndex]];
  vec3 position = in_position;
  vec3 normal = octahedral_decode(in_normal_octahedral);
  vec3 tangent = in_tangent.xyz;
#ifdef PAVILION_MORPHED
  // Before skinning, as glTF orders them: targets move the mesh in its bind space.
  morph_vertex(instance.morph, position, normal);
#endif
#ifdef PAVILION_SKINNED
  // Joints rotate and scale uniformly (as animation clips move them), so the matrix's own 3×3
  // turns directions; its inverse-transpose would cost more for the same result.
  mat4 skin = skin_matrix(instance.skin.x);
  position = (skin * vec4(position, 1.0)).xyz;
  normal = mat3(skin) * normal;
  tangent = mat3(skin) * tangent;
#endif
  vec4 world = instance.model * vec4(position, 1.0);
  mat3 normal_matrix = transpose(mat3(instance.normal_matrix[0].xyz, instance.normal_matrix[1].xyz,
                                      instance.normal_matrix[2].xyz));
  out_world_position = world.xyz;
  out_normal = normalize(normal_matrix * normal);
  out_tangent = vec4(normalize(mat3(instance.model) * tangent), in_tangent.w < 0.0 ? -1.0 : 1.0);
  out_uv = in_uv;
  gl_Position = frame.views[view_index()].view_projection * world;
}
