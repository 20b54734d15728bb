// Shared by C++ and GLSL: descriptor bindings, limits and the layout of data the GPU reads.
// Every struct is built from 16-byte members only, so std140/std430 and C++ agree on offsets.
#ifndef PAVILION_RENDER_GPU_INTERFACE_H
#define PAVILION_RENDER_GPU_INTERFACE_H

#ifdef __cplusplus
#include <glm/glm.hpp>

#include <cstdint>
namespace pavilion::render::gpu {
using vec4 = glm::vec4;
using uvec4 = glm::uvec4;
using mat4 = glm::mat4;
using uint = uint32_t;
#define PV_CONSTANT constexpr uint32_t
#else
#define PV_CONSTANT const uint
#endif

PV_CONSTANT max_views = 2u;

// Descriptor set 0: per frame.
PV_CONSTANT binding_frame = 0u;      // uniform FrameData
PV_CONSTANT binding_instances = 1u;  // storage InstanceData[]
PV_CONSTANT binding_visible = 2u;    // storage uint[]: instance indices, in batch order
PV_CONSTANT binding_materials = 3u;  // storage MaterialData[]
PV_CONSTANT binding_shadow_map = 4u; // sampler2DShadow
PV_CONSTANT binding_joints = 5u;     // storage mat4[]: skinned instances' joint matrices, in the world
// storage uint[]: every morphed mesh's scene::MorphDelta, three words each (half floats: position
// x | y << 16, z | normal x << 16, normal y | z << 16), target after target, mesh after mesh.
PV_CONSTANT binding_morph_deltas = 6u;
// storage uvec2[]: per frame, each morphed instance's run at InstanceData::morph.z: (n, 0), then n
// pairs (target, the weight's float bits) of its targets whose weight is not zero.
PV_CONSTANT binding_morph_weights = 7u;

// Descriptor set 1: per material.
PV_CONSTANT binding_base_color = 0u;
PV_CONSTANT binding_metallic_roughness = 1u;
PV_CONSTANT binding_normal = 2u;
PV_CONSTANT binding_occlusion = 3u;
PV_CONSTANT binding_emissive = 4u;

// Tonemap pass, set 0.
PV_CONSTANT binding_hdr = 0u;  // sampler2DArray, one layer per view
// The flash limiter's: the relative luminance each pixel showed last frame (R32F, one layer per view).
PV_CONSTANT binding_luminance_history = 1u;

// Overlay pass, set 0 (set 1 of world overlays in the scene pass).
PV_CONSTANT binding_overlay_texture = 0u;  // sampler2D: sRGB colour with alpha, or distances (R8)

struct ViewData {
  mat4 view_projection;
  mat4 inverse_view_projection;
  vec4 position;  // xyz: eye position in the world
};

struct FrameData {
  ViewData views[max_views];
  mat4 light_view_projection;
  vec4 light_direction;  // xyz: unit vector towards the light; w: shadow normal offset (world units)
  vec4 light_radiance;   // rgb: colour × intensity; w: 1 when the shadow map is valid
  vec4 sky_zenith;       // rgb linear radiance
  vec4 sky_horizon;
  vec4 ground;
  vec4 ambient;          // x: ambient intensity; y: 1 / shadow map size
  vec4 screen;           // xy: target size in pixels; zw: 1 / size
};

struct InstanceData {
  mat4 model;             // the identity for a skinned instance, whose joint matrices place it
  vec4 normal_matrix[3];  // rows of the inverse-transpose of the model's upper 3×3
  uvec4 skin;             // x: a skinned instance's first joint matrix in the joint buffer
  // A morphed instance's: x its mesh's first delta, y the mesh's vertex count (a target's run of
  // deltas), z its run in the weight buffer, w gl_VertexIndex of the mesh's first vertex as drawn.
  uvec4 morph;
};

// Push constants of the scene passes (shadow, opaque, sky).
struct ScenePush {
  uint material_index;
  uint view_offset;  // added to gl_ViewIndex: the view a single-view pass draws
};

// Push constants of the tonemap pass.
struct TonemapPush {
  float exposure;
  uint view_offset;
  float max_luminance_step;  // the flash limiter's cap on a pixel's change of relative luminance
  uint history_valid;        // 0: no last frame to limit against (the first after a resize or load)
};

// Push constants of the overlay pass.
struct OverlayPush {
  vec4 scale_and_offset;  // pixels to clip space: clip = pixel * scale + offset
  vec4 coverage;          // x: 1 when the texture holds distances (0.5 the outline); y: glow width below 0.5
};

// Push constants of overlays drawn in the scene pass (WorldOverlay); set 0 is the frame's, set 1
// the overlay texture.
struct WorldOverlayPush {
  mat4 plane_to_world;
  vec4 coverage;  // as OverlayPush's
  uvec4 view;     // x: view offset, as ScenePush's
};

// Particles (src/particles_gpu.h). Simulation: compute set 0; drawing: set 0 the frame's, set 1
// these.
PV_CONSTANT particle_workgroup = 64u;
PV_CONSTANT max_particle_substeps = 8u;  // simulation steps a frame at most
PV_CONSTANT binding_particle_systems = 0u;  // storage ParticleSystemData[]
PV_CONSTANT binding_particles = 1u;         // storage Particle[]: drawing, and the simulation's input
PV_CONSTANT binding_particles_out = 2u;     // storage Particle[]: the simulation's output
PV_CONSTANT binding_particle_steps = 3u;    // storage ParticleStep[]: one per system and step
PV_CONSTANT binding_particle_depth = 2u;    // drawing: the scene's depth (sampler2D[MS]Array)
PV_CONSTANT particle_alive = 1u;            // Particle::info.y flags
PV_CONSTANT particle_died = 2u;             // died in the step that wrote it: its on_death bursts next step
PV_CONSTANT particle_no_parent = 0xFFFFFFFFu;

struct ParticleSystemData {
  uvec4 slots;      // x: first slot, y: its own ring (emission), z: all its slots, w: emission (0 continuous, 1 burst)
  uvec4 parent;     // x: on_death parent's first slot (or particle_no_parent), y: children per parent slot
  uvec4 look;       // x: shape, y: sprite, z: 1 alpha blending, w: key counts (colour | size << 4 | speed << 8)
  vec4 position;    // xyz; w: radius
  vec4 box;         // xyz: sizes; w: cos(cone)
  vec4 direction;   // xyz: unit; w: lowest speed
  vec4 ranges;      // x, y: shortest and longest life; z: highest speed; w: trail seconds
  vec4 gravity;     // xyz; w: drag
  vec4 wind;        // xyz; w: turbulence
  vec4 motion;      // x: turbulence scale, y: sway, z: sway frequency, w: glow
  vec4 soft;        // x: soft distance
  vec4 color_times;
  vec4 colors[4];
  vec4 size_times;
  vec4 sizes;
  vec4 speed_times;
  vec4 speeds;
};

struct Particle {
  vec4 position;  // xyz; w: age in seconds
  vec4 velocity;  // xyz; w: lifetime in seconds
  uvec4 info;     // x: its random seed, y: flags, z: its system
};

// One system's emission in one simulation step.
struct ParticleStep {
  uvec4 emit;    // x: first ring slot of the new particles, y: how many, z: their first one's number
  vec4 timing;   // x: the step's seconds, y: continuous: rate × end time − particles emitted by then, z: rate
};

struct ParticleSimulatePush {
  uint first_step;   // this step's ParticleStep of system 0
  uint system_count;
  uint slot_count;
  uint seed;
};

struct ParticleDrawPush {
  uint view_offset;  // as ScenePush's
  uint first_slot;   // the system's first slot; gl_VertexIndex / 6 counts from it
  uint soft;         // 1: fade against the scene's depth (0 where the pass has none to read)
};

struct MaterialData {
  vec4 base_color;  // factor, linear
  vec4 emissive;    // rgb: factor; w: normal scale
  vec4 params;      // x: metallic, y: roughness, z: occlusion strength
};

#ifdef __cplusplus
}  // namespace pavilion::render::gpu
#undef PV_CONSTANT
#endif

#endif
