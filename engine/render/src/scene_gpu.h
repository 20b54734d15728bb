// A scene::RenderScene on the GPU: one vertex and one index buffer for all meshes, instance and
// material tables, textures with their descriptor sets, and the CPU-side arrays culling reads
// each frame (instances sorted by draw key).
#pragma once

#include "culling.h"
#include "gpu_interface.h"
#include "pavilion/core/error.h"
#include "pavilion/scene/render_scene.h"
#include "pavilion/render/render_target.h"
#include "resources.h"
#include "upload.h"

#include <glm/glm.hpp>

#include <array>
#include <memory>
#include <span>
#include <vector>

namespace pavilion::render {

struct MeshRange {
  int32_t vertex_offset = 0;
  uint32_t index_base = 0;  // where the mesh's indices start in the scene's index buffer
  uint32_t lod_count = 1;
  int32_t skin_offset = -1;  // a skinned mesh's first entry in SceneGpu::skins, else -1
  uint32_t vertex_count = 0;
  uint32_t first_delta = 0;  // a morphed mesh's first entry in SceneGpu::morph_deltas
  struct Lod {
    uint32_t first_index = 0;  // in the scene's index buffer
    uint32_t index_count = 0;
  };
  std::array<Lod, scene::max_mesh_lods> lods{};
};

// Textures used when a material has none: each leaves the shading as if the map were absent.
struct DefaultTextures {
  GpuImage white;        // base colour, metallic-roughness, occlusion, emissive multiply by 1
  GpuImage flat_normal;  // (0.5, 0.5, 1): the unperturbed normal
};

struct SceneGpu {
  GpuBuffer vertices;
  GpuBuffer indices;
  GpuBuffer instances;  // gpu::InstanceData, sorted by draw key
  GpuBuffer materials;  // gpu::MaterialData
  std::array<GpuBuffer, frames_in_flight> visible;  // per frame slot: uint32 instance indices
  // Skinned meshes' joints and weights (scene::VertexSkin), mesh after mesh: a second vertex stream.
  GpuBuffer skins;
  // Per frame slot: the joint matrices (in the world) of the skinned instances this frame draws,
  // each at its SkinnedInstance::first_joint; sized at load for every skinned instance.
  std::array<GpuBuffer, frames_in_flight> joints;
  // Morphed meshes' deltas (scene::MorphDelta), mesh after mesh, each mesh's target after target.
  GpuBuffer morph_deltas;
  // Per frame slot: the morphed instances' weights this frame draws, each in its run at
  // MorphedInstance::first_entry (gpu_interface.h); sized at load for every target of every one.
  std::array<GpuBuffer, frames_in_flight> morph_weights;
  std::vector<GpuImage> textures;
  UniqueDescriptorPool descriptor_pool;
  std::vector<VkDescriptorSet> material_sets;
  std::vector<std::array<int32_t, 5>> material_textures;  // each material's five maps, or no_texture

  std::vector<MeshRange> meshes;
  std::vector<MeshDetail> mesh_details;     // for choosing levels of detail
  std::vector<glm::vec4> instance_spheres;  // world bounding spheres, sorted order
  std::vector<DrawKey> instance_keys;       // sorted
  std::vector<DrawBatch> shadow_batches;    // runs of one mesh and level of detail over unskinned instances
  uint64_t shadow_triangles = 0;            // what the shadow pass draws
  glm::vec4 bounds{0.0f, 0.0f, 0.0f, 1.0f};  // a sphere holding every instance
  scene::DirectionalLight light;
  scene::Environment environment;

  // Instances moved after loading (an exhibit a visitor picks up). By scene order: where each
  // sits in the sorted arrays, and its placement and bounding sphere as loaded.
  std::vector<uint32_t> sorted_index;
  std::vector<glm::mat4> loaded_models;
  std::vector<glm::mat4> current_models;  // as moved or posed since
  std::vector<glm::vec4> loaded_spheres;
  struct InstanceUpdate {
    uint32_t sorted = 0;
    gpu::InstanceData data{};
  };
  std::vector<InstanceUpdate> pending_updates;  // written into `instances` by the next frame
  std::vector<uint32_t> pending_slot;  // by sorted index: its entry in pending_updates, or not_pending
  static constexpr uint32_t not_pending = UINT32_MAX;
  std::vector<glm::vec4> mesh_spheres;   // bounds of each mesh in its own space
  std::vector<uint32_t> instance_meshes;  // by scene order

  // Skinned instances, in sorted order. Their gpu::InstanceData::model is `placement` (the
  // identity unless moved), applied after their joint matrices, which place them in the world.
  struct SkinnedInstance {
    uint32_t sorted = 0;
    uint32_t mesh = 0;
    uint32_t first_joint = 0;  // in `poses` and the joint buffers
    uint32_t joint_count = 0;
    uint32_t first_sphere = 0;  // in `joint_spheres`
    uint32_t morph = UINT32_MAX;  // its entry in `morphed`, or not_morphed
    glm::mat4 placement{1.0f};
  };
  std::vector<SkinnedInstance> skinned;
  std::vector<uint32_t> skinned_index;  // by scene order: the entry in `skinned`, or not_skinned
  std::vector<glm::mat4> poses;  // every skinned instance's joint matrices as last set
  // Per skinned instance and joint (from first_sphere): what the joint moves, in the mesh's bind
  // space (skinning.h).
  std::vector<glm::vec4> joint_spheres;
  std::vector<uint8_t> skinned_shadow;  // per skinned instance: drawn into this frame's shadow map
  static constexpr uint32_t not_skinned = UINT32_MAX;

  // Instances of meshes with morph targets, in sorted order. While their weights are all zero
  // they are drawn by the unmorphed pipelines, at no cost; else their bounds grow by the farthest
  // their weighted targets can move a vertex.
  struct MorphedInstance {
    uint32_t sorted = 0;
    uint32_t mesh = 0;
    uint32_t target_count = 0;
    uint32_t first_weight = 0;  // in `weights`
    uint32_t first_reach = 0;   // in `morph_reach`: the mesh's
    uint32_t first_entry = 0;   // its run in the weight buffers
    bool skinned = false;
    bool weighted = false;      // some weight is not zero
  };
  std::vector<MorphedInstance> morphed;
  std::vector<uint32_t> morphed_index;  // by scene order: the entry in `morphed`, or not_morphed
  std::vector<float> weights;  // every morphed instance's weights as last set
  // Per morphed mesh and target: the longest position delta, how far the target at weight 1 can
  // move a vertex.
  std::vector<float> morph_reach;
  std::vector<uint8_t> morphed_shadow;  // per morphed instance: drawn into this frame's shadow map
  static constexpr uint32_t not_morphed = UINT32_MAX;

  // Places instances [first, first + count) (scene order) at `transform` times where they were
  // loaded, for culling now and for drawing from the next frame on.
  void move_instances(uint32_t first, uint32_t count, const glm::mat4& transform);
  // Places unskinned `instance` (scene order) at `world`, likewise.
  void set_instance_transform(uint32_t instance, const glm::mat4& world);
  // Poses skinned `instance` (scene order) with its joint matrices, in the world; its bounds follow.
  void set_instance_joints(uint32_t instance, std::span<const glm::mat4> joints);
  // Sets morphed `instance`'s (scene order) weights, one per target of its mesh; its bounds and
  // its pipeline follow. Allocates nothing.
  void set_instance_weights(uint32_t instance, std::span<const float> weights);
  // Chooses the skinned instances this frame skins: those a view sees (`lod_scratch` from
  // cull_and_batch) and, with shadows, those whose shadow may fall into a view. Copies their joint
  // matrices into joint buffer `slot`. Returns how many. Allocates nothing.
  uint32_t stage_skinned(uint32_t slot, std::span<const uint8_t> lod_scratch, std::span<const Frustum> frusta,
                         bool shadows, const glm::vec3& light_travel);

  // Chooses the morphed instances this frame morphs, as stage_skinned chooses skinned ones (call it
  // after that), and writes their weights into weight buffer `slot`. Returns how many: those seen
  // or casting a seen shadow whose weights are not all zero. Allocates nothing.
  uint32_t stage_morphed(uint32_t slot, std::span<const uint8_t> lod_scratch, std::span<const Frustum> frusta,
                         bool shadows, const glm::vec3& light_travel);

  // How far instance `instance`'s (scene order) morph targets can move its vertices now, in its
  // mesh's space: 0 unless it is morphed.
  float morph_growth(uint32_t instance) const;
  // Its gpu::InstanceData::morph.
  glm::uvec4 gpu_morph(uint32_t instance) const;

  // Queues `data` for the instance at `sorted`, replacing what was queued for it this frame.
  void queue_update(uint32_t sorted, const gpu::InstanceData& data);
  // Writes the pending moves into the instance buffer, between barriers that order them after
  // the frames before and before this frame's drawing.
  void record_pending_updates(VkCommandBuffer commands);
};

// The world size of one shadow-map texel: the map covers the scene's bounding sphere.
float shadow_texel_world(const glm::vec4& bounds, uint32_t shadow_map_size);

VkFormat vulkan_format(scene::TextureFormat format);

// Points a material's descriptor set at its textures' current views (the GPU must not be using it).
void write_material_set(VkDevice device, const SceneGpu& scene, uint32_t material, VkSampler sampler,
                        const DefaultTextures& defaults);

// An image for the levels a texture holds, with undefined contents.
Result<GpuImage> create_texture_image(GpuContext& context, const scene::TextureData& texture);
// A texture's image with the levels it holds, ready to sample once `uploader` has flushed.
Result<GpuImage> upload_texture(GpuContext& context, const scene::TextureData& texture, Uploader& uploader);

// Uploads a validated scene. The material descriptor sets use `sampler` and `defaults`, which
// must outlive the result; `shadow_map_size` sets the levels of detail the shadow pass draws.
// Deferred textures are read through `texture_reader`, on worker threads, into staging memory.
Result<std::unique_ptr<SceneGpu>> upload_scene(GpuContext& context, const scene::RenderScene& scene, Uploader& uploader,
                                               VkDescriptorSetLayout material_set_layout, VkSampler sampler,
                                               const DefaultTextures& defaults, uint32_t shadow_map_size,
                                               const scene::TextureReader* texture_reader);

}  // namespace pavilion::render
