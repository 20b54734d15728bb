// What the renderer draws, described without Vulkan: meshes in the GPU vertex format, PBR
// materials (glTF 2.0's metallic-roughness model), textures with their full mip chains,
// instances placing meshes in the world, one directional light and the sky.
//
// The data is GPU-ready: Renderer::load_scene copies it to the GPU without converting it, so
// tools (and later packages) produce it once, at pack time.
#pragma once

#include "pavilion/core/error.h"

#include <glm/glm.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pavilion::scene {

// 28 bytes per vertex: the position in full precision, directions as 16-bit fixed point
// (normal octahedron-encoded), texture coordinates as half floats.
struct PackedVertex {
  float position[3];
  int16_t normal_octahedral[2];  // snorm16
  int16_t tangent[4];            // snorm16: xyz direction, w handedness (±1)
  uint16_t uv[2];                // IEEE half floats
};
static_assert(sizeof(PackedVertex) == 28);

// `tangent.w` is the bitangent's handedness (+1 or -1), as in glTF.
PackedVertex pack_vertex(const glm::vec3& position, const glm::vec3& normal, const glm::vec4& tangent,
                         const glm::vec2& uv);
glm::vec3 unpack_normal(const PackedVertex& vertex);

// Which joints of its skin move a vertex, and how much: up to four, with weights summing to one.
// The renderer skins with them in the vertex stage, from the joint matrices its caller hands each
// frame (render::Renderer::pose_instances); until posed, a skinned mesh is drawn as it was bound.
struct VertexSkin {
  uint16_t joints[4];   // indices into Skin::joints
  uint16_t weights[4];  // unorm16; they add up to exactly 65535
};
static_assert(sizeof(VertexSkin) == 16);

// Quantises weights (any non-negative values, not all zero) so they sum to exactly 65535.
VertexSkin pack_vertex_skin(const std::array<uint16_t, 4>& joints, const glm::vec4& weights);

// A level of detail: a range of the mesh's indices drawing a simpler version of it, and how far
// (at most) its surface strays from the full mesh, as a fraction of the mesh's bounding radius.
struct MeshLod {
  uint32_t first_index = 0;
  uint32_t index_count = 0;
  float error = 0.0f;
};

inline constexpr uint32_t max_mesh_lods = 4;

// One vertex's change under one morph target at weight 1, as half floats: what a morphed vertex
// adds, weighted, to its position and (before normalising) its normal. Halves keep a delta to
// 1/2048 of its own size (0.5 mm on a 1 m bulge) in half the bytes of floats.
struct MorphDelta {
  uint16_t position[3];
  uint16_t normal[3];
};
static_assert(sizeof(MorphDelta) == 12);

MorphDelta pack_morph_delta(const glm::vec3& position, const glm::vec3& normal);
glm::vec3 morph_position_delta(const MorphDelta& delta);
glm::vec3 morph_normal_delta(const MorphDelta& delta);

// The most morph targets a mesh may have: what the renderer's per-instance weights hold.
inline constexpr uint32_t max_morph_targets = 64;

struct MeshData {
  std::string name;
  std::vector<PackedVertex> vertices;
  std::vector<uint32_t> indices;  // triangle lists, counter-clockwise front faces; LODs follow the full mesh
  // From the full mesh to the simplest, at most max_mesh_lods; empty means one: all the indices.
  std::vector<MeshLod> lods;
  std::vector<VertexSkin> skin;  // one per vertex for a skinned mesh, else empty
  // Morph targets (glTF's): each target's weight at rest, and its deltas target after target, one
  // per vertex (morph_deltas[target × vertices + vertex]). A vertex is morphed before it is skinned.
  std::vector<float> morph_weights;
  std::vector<MorphDelta> morph_deltas;
  size_t morph_target_count() const { return morph_weights.size(); }
};

// The mesh's levels of detail, with the implied single level when it lists none.
std::vector<MeshLod> mesh_lods(const MeshData& mesh);

enum class TextureFormat : uint32_t {
  rgba8_srgb = 0,   // colour: base colour, emissive
  rgba8_unorm = 1,  // data: normals, metallic-roughness, occlusion
  bc1_srgb = 2,     // block-compressed colour without alpha, 4 bits per texel
  bc1_unorm = 3,    // block-compressed data (metallic-roughness, occlusion)
  bc3_srgb = 4,     // block-compressed colour with alpha, 8 bits per texel
  bc5_unorm = 5,    // block-compressed normals: x and y, z reconstructed in the shader
};

bool is_block_compressed(TextureFormat format);
bool is_srgb(TextureFormat format);
bool is_known(TextureFormat format);  // for formats read from outside data
uint32_t texture_mip_bytes(TextureFormat format, uint32_t width, uint32_t height, uint32_t level);

struct TextureData {
  std::string name;
  TextureFormat format = TextureFormat::rgba8_srgb;
  uint32_t width = 0;   // of level 0
  uint32_t height = 0;
  uint32_t mip_levels = 1;
  // The first level present: a texture loaded progressively starts with its small levels only
  // and is drawn from those until the rest arrive (Renderer::update_textures).
  uint32_t first_level = 0;
  std::vector<std::byte> bytes;  // levels first_level … mip_levels − 1, largest first, tightly packed
  // The bytes are not in memory: Renderer::load_scene reads them through a TextureReader straight
  // into the memory it uploads from, so a scene's textures are never held twice.
  bool deferred = false;
};

// Bytes of each level present, largest first.
std::vector<uint32_t> texture_level_sizes(const TextureData& texture);
// Their sum: the size of `bytes`, deferred or not.
size_t texture_byte_count(const TextureData& texture);

// Supplies the bytes of deferred textures, possibly on several threads at once.
class TextureReader {
 public:
  virtual ~TextureReader() = default;
  // Writes texture `index`'s bytes (as TextureData::bytes would hold them) to `destination`,
  // which is exactly texture_byte_count() long.
  virtual Result<void> read(uint32_t index, std::span<std::byte> destination) const = 0;
};

inline constexpr int32_t no_texture = -1;

// glTF 2.0 metallic-roughness. Texture fields index RenderScene::textures, or are no_texture.
struct MaterialData {
  std::string name;
  glm::vec4 base_color_factor{1.0f};
  float metallic_factor = 1.0f;
  float roughness_factor = 1.0f;
  glm::vec3 emissive_factor{0.0f};
  float normal_scale = 1.0f;
  float occlusion_strength = 1.0f;
  bool double_sided = false;
  int32_t base_color_texture = no_texture;          // sRGB
  int32_t metallic_roughness_texture = no_texture;  // linear: G roughness, B metallic
  int32_t normal_texture = no_texture;              // linear tangent-space normal (x, y; z is reconstructed)
  int32_t occlusion_texture = no_texture;           // linear: R occlusion
  int32_t emissive_texture = no_texture;            // sRGB
};

struct InstanceData {
  glm::mat4 transform{1.0f};
  uint32_t mesh = 0;
  uint32_t material = 0;
};

struct DirectionalLight {
  glm::vec3 direction{-0.4f, -1.0f, -0.3f};  // the way the light travels (need not be normalised)
  glm::vec3 color{1.0f, 0.96f, 0.9f};        // linear RGB
  float intensity = 3.0f;                    // multiplies colour
  bool casts_shadows = true;
};

struct Environment {
  glm::vec3 sky_zenith{0.18f, 0.32f, 0.62f};  // linear radiance
  glm::vec3 sky_horizon{0.62f, 0.70f, 0.78f};
  glm::vec3 ground{0.22f, 0.20f, 0.18f};
  float ambient_intensity = 0.6f;  // scales the sky's light on surfaces
  float exposure = 1.0f;
};

struct RenderScene;
// Checks indices, references, sizes and numbers; the error names the first bad item.
Result<void> validate(const RenderScene& scene);
Result<void> validate(const TextureData& texture);

struct RenderScene {
  std::vector<MeshData> meshes;
  std::vector<MaterialData> materials;
  std::vector<TextureData> textures;
  std::vector<InstanceData> instances;
  DirectionalLight light;
  Environment environment;
};

}  // namespace pavilion::scene
