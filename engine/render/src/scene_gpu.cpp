#include "scene_gpu.h"

#include "gpu_interface.h"
#include "pavilion/core/image.h"
#include "pavilion/core/parallel.h"
#include "pavilion/render/vulkan_check.h"
#include "pipelines.h"
#include "skinning.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <tuple>

namespace pavilion::render {
namespace {

// A sphere around the mesh's axis-aligned bounds: cheap, and tight enough for culling.
glm::vec4 mesh_sphere(const scene::MeshData& mesh) {
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (const scene::PackedVertex& vertex : mesh.vertices) {
    const glm::vec3 position(vertex.position[0], vertex.position[1], vertex.position[2]);
    low = glm::min(low, position);
    high = glm::max(high, position);
  }
  return glm::vec4((low + high) * 0.5f, glm::length(high - low) * 0.5f);
}

// A sphere widened by `growth` (the reach of morph targets).
glm::vec4 grown(const glm::vec4& sphere, float growth) { return sphere + glm::vec4(0.0f, 0.0f, 0.0f, growth); }

gpu::InstanceData gpu_instance(const glm::mat4& model, uint32_t first_joint, const glm::uvec4& morph) {
  const glm::mat3 normal_matrix = glm::transpose(glm::inverse(glm::mat3(model)));
  gpu::InstanceData data{};
  data.model = model;
  for (int row = 0; row < 3; ++row) {
    data.normal_matrix[row] = glm::vec4(normal_matrix[0][row], normal_matrix[1][row], normal_matrix[2][row], 0.0f);
  }
  data.skin = glm::uvec4(first_joint, 0, 0, 0);
  data.morph = morph;
  return data;
}

template <class T>
std::span<const std::byte> bytes_of(const std::vector<T>& items) {
  return std::as_bytes(std::span(items));
}

}  // namespace

void SceneGpu::queue_update(uint32_t sorted, const gpu::InstanceData& data) {
  if (pending_slot[sorted] != not_pending) {
    pending_updates[pending_slot[sorted]].data = data;
    return;
  }
  pending_slot[sorted] = static_cast<uint32_t>(pending_updates.size());
  pending_updates.push_back(InstanceUpdate{sorted, data});
}

void SceneGpu::move_instances(uint32_t first, uint32_t count, const glm::mat4& transform) {
  for (uint32_t instance = first; instance < first + count && instance < sorted_index.size(); ++instance) {
    const uint32_t sorted = sorted_index[instance];
    if (skinned_index[instance] != not_skinned) {
      // Joint matrices place a skinned instance where it was loaded; the move applies after them.
      SkinnedInstance& skin = skinned[skinned_index[instance]];
      skin.placement = transform;
      queue_update(sorted, gpu_instance(transform, skin.first_joint, gpu_morph(instance)));
      set_instance_joints(instance, {poses.data() + skin.first_joint, skin.joint_count});
      continue;
    }
    current_models[instance] = transform * loaded_models[instance];
    instance_spheres[sorted] =
        morphed_index[instance] == not_morphed
            ? transform_sphere(transform, loaded_spheres[instance])
            : transform_sphere(current_models[instance],
                               grown(mesh_spheres[instance_meshes[instance]], morph_growth(instance)));
    queue_update(sorted, gpu_instance(current_models[instance], 0, gpu_morph(instance)));
  }
}

void SceneGpu::set_instance_transform(uint32_t instance, const glm::mat4& world) {
  expects(instance < sorted_index.size() && skinned_index[instance] == not_skinned,
          "an unskinned instance of the loaded scene");
  const uint32_t sorted = sorted_index[instance];
  instance_spheres[sorted] = transform_sphere(world, grown(mesh_spheres[instance_meshes[instance]], morph_growth(instance)));
  current_models[instance] = world;
  queue_update(sorted, gpu_instance(world, 0, gpu_morph(instance)));
}

void SceneGpu::set_instance_joints(uint32_t instance, std::span<const glm::mat4> matrices) {
  expects(instance < sorted_index.size() && skinned_index[instance] != not_skinned,
          "a skinned instance of the loaded scene");
  const SkinnedInstance& skin = skinned[skinned_index[instance]];
  expects(matrices.size() >= skin.joint_count, "a joint matrix for every joint its mesh's vertices name");
  const std::span<glm::mat4> pose(poses.data() + skin.first_joint, skin.joint_count);
  if (matrices.data() != pose.data()) std::copy_n(matrices.begin(), skin.joint_count, pose.begin());
  const glm::vec4 posed =
      skinned_bounds({joint_spheres.data() + skin.first_sphere, skin.joint_count}, pose, morph_growth(instance));
  instance_spheres[skin.sorted] = transform_sphere(skin.placement, posed);
}

void SceneGpu::set_instance_weights(uint32_t instance, std::span<const float> values) {
  expects(instance < sorted_index.size() && morphed_index[instance] != not_morphed,
          "a morphed instance of the loaded scene");
  MorphedInstance& morph = morphed[morphed_index[instance]];
  expects(values.size() == morph.target_count, "one weight per morph target of its mesh");
  std::copy(values.begin(), values.end(), weights.begin() + morph.first_weight);
  morph.weighted = std::any_of(values.begin(), values.end(), [](float weight) { return weight != 0.0f; });
  DrawKey& key = instance_keys[morph.sorted];
  key.pipeline = morph.weighted ? morphed_pipeline(key.pipeline) : unmorphed_pipeline(key.pipeline);
  if (morph.skinned) {
    const SkinnedInstance& skin = skinned[skinned_index[instance]];
    set_instance_joints(instance, {poses.data() + skin.first_joint, skin.joint_count});
    return;
  }
  instance_spheres[morph.sorted] = transform_sphere(current_models[instance], grown(mesh_spheres[morph.mesh],
                                                                                    morph_growth(instance)));
}

float SceneGpu::morph_growth(uint32_t instance) const {
  if (morphed_index[instance] == not_morphed) return 0.0f;
  const MorphedInstance& morph = morphed[morphed_index[instance]];
  float growth = 0.0f;
  for (uint32_t target = 0; target < morph.target_count; ++target) {
    growth += std::abs(weights[morph.first_weight + target]) * morph_reach[morph.first_reach + target];
  }
  return growth;
}

glm::uvec4 SceneGpu::gpu_morph(uint32_t instance) const {
  if (morphed_index[instance] == not_morphed) return glm::uvec4(0);
  const MorphedInstance& morph = morphed[morphed_index[instance]];
  const MeshRange& range = meshes[morph.mesh];
  // Skinned meshes are drawn from vertex buffers bound at the mesh (bind_skinned_mesh), the others
  // with the mesh's vertex offset: gl_VertexIndex counts from there.
  const uint32_t first_vertex = morph.skinned ? 0u : static_cast<uint32_t>(range.vertex_offset);
  return glm::uvec4(range.first_delta, range.vertex_count, morph.first_entry, first_vertex);
}

uint32_t SceneGpu::stage_skinned(uint32_t slot, std::span<const uint8_t> lod_scratch, std::span<const Frustum> frusta,
                                 bool shadows, const glm::vec3& light_travel) {
  auto* staged = reinterpret_cast<glm::mat4*>(joints[slot].mapped());
  uint32_t count = 0;
  for (size_t index = 0; index < skinned.size(); ++index) {
    const SkinnedInstance& skin = skinned[index];
    bool shadow = false;
    for (size_t view = 0; shadows && !shadow && view < frusta.size(); ++view) {
      shadow = swept_sphere_in_frustum(frusta[view], instance_spheres[skin.sorted], light_travel);
    }
    skinned_shadow[index] = shadow ? 1 : 0;
    if (!shadow && lod_scratch[skin.sorted] == culled_lod) continue;
    std::memcpy(staged + skin.first_joint, poses.data() + skin.first_joint, skin.joint_count * sizeof(glm::mat4));
    ++count;
  }
  return count;
}

uint32_t SceneGpu::stage_morphed(uint32_t slot, std::span<const uint8_t> lod_scratch, std::span<const Frustum> frusta,
                                 bool shadows, const glm::vec3& light_travel) {
  auto* staged = reinterpret_cast<glm::uvec2*>(morph_weights[slot].mapped());
  uint32_t count = 0;
  for (size_t index = 0; index < morphed.size(); ++index) {
    const MorphedInstance& morph = morphed[index];
    bool shadow = false;
    for (size_t view = 0; shadows && !shadow && view < frusta.size(); ++view) {
      shadow = swept_sphere_in_frustum(frusta[view], instance_spheres[morph.sorted], light_travel);
    }
    morphed_shadow[index] = shadow ? 1 : 0;
    if (!morph.weighted || (!shadow && lod_scratch[morph.sorted] == culled_lod)) continue;
    // Only the targets in play: a face of fifty targets speaking with three costs three.
    uint32_t pairs = 0;
    for (uint32_t target = 0; target < morph.target_count; ++target) {
      const float weight = weights[morph.first_weight + target];
      if (weight == 0.0f) continue;
      staged[morph.first_entry + 1 + pairs++] = glm::uvec2(target, std::bit_cast<uint32_t>(weight));
    }
    staged[morph.first_entry] = glm::uvec2(pairs, 0u);
    ++count;
  }
  return count;
}

void SceneGpu::record_pending_updates(VkCommandBuffer commands) {
  if (pending_updates.empty()) return;
  // Earlier frames on this queue may still read the instances; this frame's passes read them after.
  VkMemoryBarrier2 before{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
  before.srcStageMask = VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT;
  before.srcAccessMask = VK_ACCESS_2_SHADER_STORAGE_READ_BIT;
  before.dstStageMask = VK_PIPELINE_STAGE_2_TRANSFER_BIT;
  before.dstAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
  VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dependency.memoryBarrierCount = 1;
  dependency.pMemoryBarriers = &before;
  vkCmdPipelineBarrier2(commands, &dependency);
  for (const InstanceUpdate& update : pending_updates) {
    vkCmdUpdateBuffer(commands, instances.get(), VkDeviceSize{update.sorted} * sizeof(gpu::InstanceData),
                      sizeof(gpu::InstanceData), &update.data);
    pending_slot[update.sorted] = not_pending;
  }
  VkMemoryBarrier2 after{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
  after.srcStageMask = VK_PIPELINE_STAGE_2_TRANSFER_BIT;
  after.srcAccessMask = VK_ACCESS_2_TRANSFER_WRITE_BIT;
  after.dstStageMask = VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT;
  after.dstAccessMask = VK_ACCESS_2_SHADER_STORAGE_READ_BIT;
  dependency.pMemoryBarriers = &after;
  vkCmdPipelineBarrier2(commands, &dependency);
  pending_updates.clear();
}

float shadow_texel_world(const glm::vec4& bounds, uint32_t shadow_map_size) {
  return 2.0f * bounds.w / static_cast<float>(shadow_map_size);
}

VkFormat vulkan_format(scene::TextureFormat format) {
  switch (format) {
    case scene::TextureFormat::rgba8_srgb: return VK_FORMAT_R8G8B8A8_SRGB;
    case scene::TextureFormat::rgba8_unorm: return VK_FORMAT_R8G8B8A8_UNORM;
    case scene::TextureFormat::bc1_srgb: return VK_FORMAT_BC1_RGB_SRGB_BLOCK;
    case scene::TextureFormat::bc1_unorm: return VK_FORMAT_BC1_RGB_UNORM_BLOCK;
    case scene::TextureFormat::bc3_srgb: return VK_FORMAT_BC3_SRGB_BLOCK;
    case scene::TextureFormat::bc5_unorm: return VK_FORMAT_BC5_UNORM_BLOCK;
  }
  return VK_FORMAT_UNDEFINED;
}

void write_material_set(VkDevice device, const SceneGpu& scene, uint32_t material, VkSampler sampler,
                        const DefaultTextures& defaults) {
  const auto& textures = scene.material_textures[material];
  // Base colour, metallic-roughness, normal, occlusion, emissive: a missing map is a neutral one.
  const std::array<const GpuImage*, 5> fallbacks{&defaults.white, &defaults.white, &defaults.flat_normal,
                                                 &defaults.white, &defaults.white};
  std::array<VkDescriptorImageInfo, 5> images{};
  for (size_t slot = 0; slot < images.size(); ++slot) {
    const int32_t texture = textures[slot];
    images[slot] = {sampler,
                    texture == scene::no_texture ? fallbacks[slot]->view() : scene.textures[static_cast<size_t>(texture)].view(),
                    VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  }
  VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  write.dstSet = scene.material_sets[material];
  write.dstBinding = 0;
  write.descriptorCount = static_cast<uint32_t>(images.size());
  write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  write.pImageInfo = images.data();
  vkUpdateDescriptorSets(device, 1, &write, 0, nullptr);
}

Result<GpuImage> create_texture_image(GpuContext& context, const scene::TextureData& texture) {
  if (scene::is_block_compressed(texture.format) && !context.capabilities().bc_texture_compression) {
    return Error(ErrorCode::unsupported, "loading texture '" + texture.name + "'",
                 context.device_choice().name + " cannot sample BC-compressed textures; load the package with BC "
                 "decoding on (scene::LoadOptions::bc_textures_supported = false)");
  }
  // A texture still missing its large levels gets an image of just the levels it has: sampled
  // with the same coordinates it looks the same, and it holds no memory for levels to come.
  ImageDescription description;
  description.format = vulkan_format(texture.format);
  description.extent = {std::max(1u, texture.width >> texture.first_level), std::max(1u, texture.height >> texture.first_level)};
  description.mip_levels = texture.mip_levels - texture.first_level;
  description.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  return GpuImage::create(context, description, texture.name);
}

Result<GpuImage> upload_texture(GpuContext& context, const scene::TextureData& texture, Uploader& uploader) {
  PV_TRY_ASSIGN(auto image, create_texture_image(context, texture));
  PV_TRY(uploader.copy_to_image(image, texture.bytes, scene::texture_level_sizes(texture)));
  return image;
}

Result<std::unique_ptr<SceneGpu>> upload_scene(GpuContext& context, const scene::RenderScene& scene, Uploader& uploader,
                                               VkDescriptorSetLayout material_set_layout, VkSampler sampler,
                                               const DefaultTextures& defaults, uint32_t shadow_map_size,
                                               const scene::TextureReader* texture_reader) {
  auto gpu_scene = std::make_unique<SceneGpu>();
  SceneGpu& out = *gpu_scene;
  out.light = scene.light;
  out.environment = scene.environment;

  // --- meshes: one vertex and one index buffer ---
  size_t vertex_count = 0;
  size_t index_count = 0;
  size_t skin_count = 0;
  size_t delta_count = 0;
  std::vector<uint32_t> mesh_first_reach(scene.meshes.size(), 0);
  for (const scene::MeshData& mesh : scene.meshes) {
    MeshRange range;
    MeshDetail detail;
    range.vertex_offset = static_cast<int32_t>(vertex_count);
    range.vertex_count = static_cast<uint32_t>(mesh.vertices.size());
    range.first_delta = static_cast<uint32_t>(delta_count);
    delta_count += mesh.morph_deltas.size();
    mesh_first_reach[out.meshes.size()] = static_cast<uint32_t>(out.morph_reach.size());
    for (size_t target = 0; target < mesh.morph_target_count(); ++target) {
      float reach = 0.0f;
      for (size_t vertex = 0; vertex < mesh.vertices.size(); ++vertex) {
        reach = std::max(reach, glm::length(scene::morph_position_delta(mesh.morph_deltas[target * mesh.vertices.size() + vertex])));
      }
      out.morph_reach.push_back(reach);
    }
    if (!mesh.skin.empty()) {
      range.skin_offset = static_cast<int32_t>(skin_count);
      skin_count += mesh.skin.size();
    }
    range.index_base = static_cast<uint32_t>(index_count);
    const std::vector<scene::MeshLod> lods = scene::mesh_lods(mesh);
    range.lod_count = detail.lod_count = static_cast<uint32_t>(lods.size());
    for (size_t lod = 0; lod < lods.size(); ++lod) {
      range.lods[lod] = {static_cast<uint32_t>(index_count) + lods[lod].first_index, lods[lod].index_count};
      detail.errors[lod] = lods[lod].error;
    }
    out.meshes.push_back(range);
    out.mesh_details.push_back(detail);
    vertex_count += mesh.vertices.size();
    index_count += mesh.indices.size();
  }
  constexpr VkBufferUsageFlags copy_target = VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  // Empty scenes still bind valid buffers, so every buffer has room for at least one element.
  PV_TRY_ASSIGN(out.vertices, GpuBuffer::create(context, std::max<size_t>(vertex_count, 1) * sizeof(scene::PackedVertex),
                                                VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | copy_target, MemoryUsage::gpu_only,
                                                "scene vertices"));
  PV_TRY_ASSIGN(out.indices, GpuBuffer::create(context, std::max<size_t>(index_count, 1) * sizeof(uint32_t),
                                               VK_BUFFER_USAGE_INDEX_BUFFER_BIT | copy_target, MemoryUsage::gpu_only,
                                               "scene indices"));
  PV_TRY_ASSIGN(out.skins, GpuBuffer::create(context, std::max<size_t>(skin_count, 1) * sizeof(scene::VertexSkin),
                                             VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | copy_target, MemoryUsage::gpu_only,
                                             "scene vertex skins"));
  PV_TRY_ASSIGN(out.morph_deltas, GpuBuffer::create(context, std::max<size_t>(delta_count, 1) * sizeof(scene::MorphDelta),
                                                    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | copy_target,
                                                    MemoryUsage::gpu_only, "scene morph deltas"));
  for (size_t index = 0; index < scene.meshes.size(); ++index) {
    const MeshRange& range = out.meshes[index];
    PV_TRY(uploader.copy_to_buffer(out.vertices, VkDeviceSize(range.vertex_offset) * sizeof(scene::PackedVertex),
                                   bytes_of(scene.meshes[index].vertices)));
    if (range.skin_offset >= 0) {
      PV_TRY(uploader.copy_to_buffer(out.skins, VkDeviceSize(range.skin_offset) * sizeof(scene::VertexSkin),
                                     bytes_of(scene.meshes[index].skin)));
    }
    PV_TRY(uploader.copy_to_buffer(out.indices, VkDeviceSize(range.index_base) * sizeof(uint32_t),
                                   bytes_of(scene.meshes[index].indices)));
    if (!scene.meshes[index].morph_deltas.empty()) {
      PV_TRY(uploader.copy_to_buffer(out.morph_deltas, VkDeviceSize(range.first_delta) * sizeof(scene::MorphDelta),
                                     bytes_of(scene.meshes[index].morph_deltas)));
    }
  }

  // --- instances, sorted so that equal draw keys are adjacent ---
  std::vector<glm::vec4>& mesh_spheres = out.mesh_spheres;
  for (const scene::MeshData& mesh : scene.meshes) mesh_spheres.push_back(mesh_sphere(mesh));
  // Skinned meshes: what each joint moves, for bounds that follow the pose.
  std::vector<uint32_t> mesh_first_sphere(scene.meshes.size(), 0);
  for (size_t mesh = 0; mesh < scene.meshes.size(); ++mesh) {
    if (scene.meshes[mesh].skin.empty()) continue;
    mesh_first_sphere[mesh] = static_cast<uint32_t>(out.joint_spheres.size());
    const std::vector<glm::vec4> spheres = joint_spheres(scene.meshes[mesh]);
    out.joint_spheres.insert(out.joint_spheres.end(), spheres.begin(), spheres.end());
  }
  auto is_skinned = [&](uint32_t instance) { return !scene.meshes[scene.instances[instance].mesh].skin.empty(); };
  auto is_morphed = [&](uint32_t instance) { return scene.meshes[scene.instances[instance].mesh].morph_target_count() > 0; };
  // The scene's bounds (which the shadow map covers) hold morphed meshes with every target at
  // weight 1 or its rest weight, whichever is larger; culling follows the weights of each frame.
  auto full_reach = [&](uint32_t mesh) {
    float reach = 0.0f;
    for (size_t target = 0; target < scene.meshes[mesh].morph_target_count(); ++target) {
      reach += std::max(1.0f, std::abs(scene.meshes[mesh].morph_weights[target])) *
               out.morph_reach[mesh_first_reach[mesh] + target];
    }
    return reach;
  };
  std::vector<glm::vec4> spheres;
  spheres.reserve(scene.instances.size());
  glm::vec3 low(std::numeric_limits<float>::max());
  glm::vec3 high(std::numeric_limits<float>::lowest());
  for (const scene::InstanceData& instance : scene.instances) {
    const glm::vec4 sphere = transform_sphere(instance.transform, grown(mesh_spheres[instance.mesh], full_reach(instance.mesh)));
    spheres.push_back(sphere);
    low = glm::min(low, glm::vec3(sphere) - sphere.w);
    high = glm::max(high, glm::vec3(sphere) + sphere.w);
  }
  if (!spheres.empty()) out.bounds = glm::vec4((low + high) * 0.5f, std::max(glm::length(high - low) * 0.5f, 0.01f));
  // The shadow map sees every instance at one fixed scale, so each instance's level of detail in
  // it is chosen once: the coarsest whose error stays within a shadow-map texel.
  const float texel = shadow_texel_world(out.bounds, shadow_map_size);
  std::vector<uint32_t> shadow_lods;
  shadow_lods.reserve(scene.instances.size());
  for (size_t instance = 0; instance < scene.instances.size(); ++instance) {
    shadow_lods.push_back(coarsest_lod_within(out.mesh_details[scene.instances[instance].mesh], spheres[instance].w, texel));
  }
  auto key_of = [&](uint32_t instance) {
    const scene::InstanceData& data = scene.instances[instance];
    const bool double_sided = scene.materials[data.material].double_sided;
    const uint32_t pipeline = is_skinned(instance)
                                  ? (double_sided ? scene_pipeline_skinned_double_sided : scene_pipeline_skinned)
                                  : (double_sided ? scene_pipeline_opaque_double_sided : scene_pipeline_opaque);
    return DrawKey{is_morphed(instance) ? morphed_pipeline(pipeline) : pipeline, data.material, data.mesh};
  };
  std::vector<uint32_t> order(scene.instances.size());
  std::iota(order.begin(), order.end(), 0u);
  // Within a run of equal keys the order is free: ordering by shadow level keeps shadow draws few.
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const DrawKey ka = key_of(a);
    const DrawKey kb = key_of(b);
    return std::tuple(ka.pipeline, ka.material, ka.mesh, shadow_lods[a]) <
           std::tuple(kb.pipeline, kb.material, kb.mesh, shadow_lods[b]);
  });
  std::vector<gpu::InstanceData> instance_data;
  instance_data.reserve(order.size());
  out.sorted_index.resize(order.size());
  out.loaded_spheres = spheres;
  out.loaded_models.reserve(scene.instances.size());
  for (const scene::InstanceData& instance : scene.instances) out.loaded_models.push_back(instance.transform);
  out.current_models = out.loaded_models;
  out.pending_updates.reserve(order.size());  // moving every instance at once allocates nothing
  out.pending_slot.assign(order.size(), SceneGpu::not_pending);
  out.skinned_index.assign(order.size(), SceneGpu::not_skinned);
  out.morphed_index.assign(order.size(), SceneGpu::not_morphed);
  uint32_t morph_entries = 0;
  for (const scene::InstanceData& instance : scene.instances) out.instance_meshes.push_back(instance.mesh);
  for (uint32_t sorted = 0; sorted < order.size(); ++sorted) {
    const uint32_t instance = order[sorted];
    out.sorted_index[instance] = sorted;
    const uint32_t mesh = scene.instances[instance].mesh;
    out.instance_spheres.push_back(spheres[instance]);
    out.instance_keys.push_back(key_of(instance));
    if (is_morphed(instance)) {
      const scene::MeshData& morphed_mesh = scene.meshes[mesh];
      SceneGpu::MorphedInstance morph;
      morph.sorted = sorted;
      morph.mesh = mesh;
      morph.target_count = static_cast<uint32_t>(morphed_mesh.morph_target_count());
      morph.first_weight = static_cast<uint32_t>(out.weights.size());
      morph.first_reach = mesh_first_reach[mesh];
      morph.first_entry = morph_entries;
      morph.skinned = is_skinned(instance);
      morph_entries += 1 + morph.target_count;
      out.weights.insert(out.weights.end(), morphed_mesh.morph_weights.begin(), morphed_mesh.morph_weights.end());
      out.morphed_index[instance] = static_cast<uint32_t>(out.morphed.size());
      out.morphed.push_back(morph);
    }
    if (is_skinned(instance)) {
      // Until the caller poses it, every joint sits at the instance's node: the mesh as it was bound.
      SceneGpu::SkinnedInstance skin;
      skin.sorted = sorted;
      skin.mesh = mesh;
      skin.first_joint = static_cast<uint32_t>(out.poses.size());
      skin.joint_count = joint_count(scene.meshes[mesh]);
      skin.first_sphere = mesh_first_sphere[mesh];
      skin.morph = out.morphed_index[instance];
      out.poses.insert(out.poses.end(), skin.joint_count, scene.instances[instance].transform);
      out.skinned_index[instance] = static_cast<uint32_t>(out.skinned.size());
      out.skinned.push_back(skin);
      instance_data.push_back(gpu_instance(glm::mat4(1.0f), skin.first_joint, out.gpu_morph(instance)));
      continue;  // skinned shadows are drawn per frame, for the poses of the frame
    }
    instance_data.push_back(gpu_instance(scene.instances[instance].transform, 0, out.gpu_morph(instance)));
    if (is_morphed(instance)) continue;  // so are morphed ones, for the weights of the frame
    const uint32_t lod = shadow_lods[instance];
    if (out.shadow_batches.empty() || out.shadow_batches.back().key.mesh != mesh || out.shadow_batches.back().key.lod != lod) {
      out.shadow_batches.push_back(DrawBatch{DrawKey{0, 0, mesh, lod}, sorted, 0});
    }
    ++out.shadow_batches.back().count;
    out.shadow_triangles += uint64_t{out.meshes[mesh].lods[lod].index_count} / 3;
  }

  const size_t instance_capacity = std::max<size_t>(instance_data.size(), 1);
  PV_TRY_ASSIGN(out.instances, GpuBuffer::create(context, instance_capacity * sizeof(gpu::InstanceData),
                                                 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | copy_target,
                                                 MemoryUsage::gpu_only, "scene instances"));
  PV_TRY(uploader.copy_to_buffer(out.instances, 0, bytes_of(instance_data)));
  out.skinned_shadow.assign(out.skinned.size(), 0);
  out.morphed_shadow.assign(out.morphed.size(), 0);
  // Each morphed instance's pipeline and bounds for its rest weights.
  for (uint32_t instance = 0; instance < scene.instances.size(); ++instance) {
    if (!is_morphed(instance)) continue;
    const SceneGpu::MorphedInstance& morph = out.morphed[out.morphed_index[instance]];
    out.set_instance_weights(instance, std::vector<float>(out.weights.begin() + morph.first_weight,
                                                          out.weights.begin() + morph.first_weight + morph.target_count));
  }
  for (uint32_t slot = 0; slot < frames_in_flight; ++slot) {
    PV_TRY_ASSIGN(out.joints[slot], GpuBuffer::create(context, std::max<size_t>(out.poses.size(), 1) * sizeof(glm::mat4),
                                                      VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::upload,
                                                      fmt::format("joint matrices, slot {}", slot)));
    PV_TRY_ASSIGN(out.morph_weights[slot],
                  GpuBuffer::create(context, std::max<size_t>(morph_entries, 1) * sizeof(glm::uvec2),
                                    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::upload,
                                    fmt::format("morph weights, slot {}", slot)));
    PV_TRY_ASSIGN(out.visible[slot], GpuBuffer::create(context, instance_capacity * sizeof(uint32_t),
                                                       VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::upload,
                                                       fmt::format("visible instances, slot {}", slot)));
  }

  // --- materials ---
  std::vector<gpu::MaterialData> material_data;
  for (const scene::MaterialData& material : scene.materials) {
    material_data.push_back(gpu::MaterialData{
        material.base_color_factor, glm::vec4(material.emissive_factor, material.normal_scale),
        glm::vec4(material.metallic_factor, material.roughness_factor, material.occlusion_strength, 0.0f)});
  }
  PV_TRY_ASSIGN(out.materials, GpuBuffer::create(context, std::max<size_t>(material_data.size(), 1) *
                                                              sizeof(gpu::MaterialData),
                                                 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | copy_target,
                                                 MemoryUsage::gpu_only, "scene materials"));
  PV_TRY(uploader.copy_to_buffer(out.materials, 0, bytes_of(material_data)));

  // --- textures: those in memory, then deferred ones read straight into staging memory ---
  out.textures.resize(scene.textures.size());
  for (size_t index = 0; index < scene.textures.size(); ++index) {
    if (scene.textures[index].deferred) continue;
    PV_TRY_ASSIGN(out.textures[index], upload_texture(context, scene.textures[index], uploader));
  }
  // Staging memory handed out, waiting to be filled on worker threads before the next flush.
  std::vector<std::pair<uint32_t, std::span<std::byte>>> unfilled;
  auto fill = [&]() -> Result<void> {
    PV_TRY(parallel_for(unfilled.size(), 0, [&](size_t task) {
      return texture_reader->read(unfilled[task].first, unfilled[task].second);
    }));
    unfilled.clear();
    return {};
  };
  for (uint32_t index = 0; index < scene.textures.size(); ++index) {
    const scene::TextureData& texture = scene.textures[index];
    if (!texture.deferred) continue;
    expects(texture_reader != nullptr, "deferred textures come with a reader");
    PV_TRY_ASSIGN(out.textures[index], create_texture_image(context, texture));
    const std::vector<uint32_t> level_sizes = scene::texture_level_sizes(texture);
    PV_TRY_ASSIGN(auto staged, uploader.stage_image(out.textures[index], level_sizes));
    if (!staged) {
      PV_TRY(fill());
      PV_TRY(uploader.flush());
      PV_TRY_ASSIGN(staged, uploader.stage_image(out.textures[index], level_sizes));
      expects(staged.has_value(), "an empty staging buffer takes any image");
    }
    unfilled.emplace_back(index, *staged);
  }
  PV_TRY(fill());
  PV_TRY(uploader.flush());

  // --- material descriptor sets ---
  if (!scene.materials.empty()) {
    const auto material_count = static_cast<uint32_t>(scene.materials.size());
    const VkDescriptorPoolSize pool_size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, material_count * 5};
    VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pool_info.maxSets = material_count;
    pool_info.poolSizeCount = 1;
    pool_info.pPoolSizes = &pool_size;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    PV_TRY(vk_check(vkCreateDescriptorPool(context.device(), &pool_info, nullptr, &pool), "vkCreateDescriptorPool"));
    out.descriptor_pool = UniqueDescriptorPool(context.device(), pool);
    const std::vector<VkDescriptorSetLayout> layouts(material_count, material_set_layout);
    VkDescriptorSetAllocateInfo allocate_info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    allocate_info.descriptorPool = pool;
    allocate_info.descriptorSetCount = material_count;
    allocate_info.pSetLayouts = layouts.data();
    out.material_sets.resize(material_count);
    PV_TRY(vk_check(vkAllocateDescriptorSets(context.device(), &allocate_info, out.material_sets.data()),
                    "vkAllocateDescriptorSets"));
    for (const scene::MaterialData& material : scene.materials) {
      out.material_textures.push_back({material.base_color_texture, material.metallic_roughness_texture,
                                       material.normal_texture, material.occlusion_texture, material.emissive_texture});
    }
    for (uint32_t index = 0; index < material_count; ++index) {
      write_material_set(context.device(), out, index, sampler, defaults);
    }
  }
  return gpu_scene;
}

}  // namespace pavilion::render
