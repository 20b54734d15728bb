#include "pipelines.h"

#include "gpu_interface.h"
#include "page_tile_interface.h"
#include "pavilion/render/overlay.h"
#include "pavilion/scene/render_scene.h"
#include "pavilion/render/vulkan_check.h"
#include "pavilion_render_shaders.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace pavilion::render {
namespace {

// What the vertex stage reads: the packed vertex (all of it, or its position), and for skinned
// meshes a second stream of joints and weights; an overlay's vertices; or nothing.
enum class VertexInput { packed, position_only, packed_skinned, position_skinned, overlay, none };

struct PipelineDescription {
  const char* name = "";
  std::span<const uint32_t> vertex_shader;
  std::span<const uint32_t> fragment_shader;  // empty: depth only
  const VkSpecializationInfo* fragment_specialization = nullptr;
  VertexInput vertex_input = VertexInput::none;
  VkCullModeFlags cull = VK_CULL_MODE_NONE;
  bool depth_test = false;
  bool depth_write = false;
  VkCompareOp depth_compare = VK_COMPARE_OP_ALWAYS;
  bool depth_bias = false;  // set per draw with vkCmdSetDepthBias
  VkFormat color_format = VK_FORMAT_UNDEFINED;
  VkFormat second_color_format = VK_FORMAT_UNDEFINED;  // a second attachment, written without blending
  VkFormat depth_format = VK_FORMAT_UNDEFINED;
  VkSampleCountFlagBits samples = VK_SAMPLE_COUNT_1_BIT;
  uint32_t view_mask = 0;
  bool alpha_blend = false;  // straight alpha over what is there
  bool premultiplied = false;  // with alpha_blend: colours already multiplied by their alpha
  VkPipelineLayout layout = VK_NULL_HANDLE;
};

Result<UniqueShaderModule> create_shader_module(VkDevice device, std::span<const uint32_t> code) {
  VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  info.codeSize = code.size_bytes();
  info.pCode = code.data();
  VkShaderModule module = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateShaderModule(device, &info, nullptr, &module), "vkCreateShaderModule"));
  return UniqueShaderModule(device, module);
}

uint32_t view_mask_for(uint32_t view_count) { return view_count > 1 ? (1u << view_count) - 1 : 0; }

Result<UniquePipeline> create_graphics_pipeline(VkDevice device, const PipelineDescription& description) {
  const std::string context = fmt::format("creating the {} pipeline", description.name);
  PV_TRY_ASSIGN(auto vertex_module, create_shader_module(device, description.vertex_shader).add_context(context));
  UniqueShaderModule fragment_module;
  std::array<VkPipelineShaderStageCreateInfo, 2> stages{};
  stages[0] = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
  stages[0].stage = VK_SHADER_STAGE_VERTEX_BIT;
  stages[0].module = vertex_module.get();
  stages[0].pName = "main";
  uint32_t stage_count = 1;
  if (!description.fragment_shader.empty()) {
    PV_TRY_ASSIGN(fragment_module, create_shader_module(device, description.fragment_shader).add_context(context));
    stages[1] = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    stages[1].stage = VK_SHADER_STAGE_FRAGMENT_BIT;
    stages[1].module = fragment_module.get();
    stages[1].pName = "main";
    stages[1].pSpecializationInfo = description.fragment_specialization;
    stage_count = 2;
  }

  const VkVertexInputBindingDescription vertex_binding{0, sizeof(scene::PackedVertex), VK_VERTEX_INPUT_RATE_VERTEX};
  const std::array<VkVertexInputAttributeDescription, 4> attributes{{
      {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(scene::PackedVertex, position)},
      {1, 0, VK_FORMAT_R16G16_SNORM, offsetof(scene::PackedVertex, normal_octahedral)},
      {2, 0, VK_FORMAT_R16G16B16A16_SNORM, offsetof(scene::PackedVertex, tangent)},
      {3, 0, VK_FORMAT_R16G16_SFLOAT, offsetof(scene::PackedVertex, uv)},
  }};
  const std::array<VkVertexInputBindingDescription, 2> skinned_bindings{{
      vertex_binding,
      {1, sizeof(scene::VertexSkin), VK_VERTEX_INPUT_RATE_VERTEX},
  }};
  const std::array<VkVertexInputAttributeDescription, 6> skinned_attributes{{
      {4, 1, VK_FORMAT_R16G16B16A16_UINT, offsetof(scene::VertexSkin, joints)},
      {5, 1, VK_FORMAT_R16G16B16A16_UNORM, offsetof(scene::VertexSkin, weights)},
      attributes[0], attributes[1], attributes[2], attributes[3],
  }};
  // The shadow pass reads the position alone: the skin's two attributes, then the position.
  const std::array<VkVertexInputAttributeDescription, 3> skinned_position_attributes{{
      skinned_attributes[0], skinned_attributes[1], attributes[0],
  }};
  const VkVertexInputBindingDescription overlay_binding{0, sizeof(OverlayVertex), VK_VERTEX_INPUT_RATE_VERTEX};
  const std::array<VkVertexInputAttributeDescription, 3> overlay_attributes{{
      {0, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(OverlayVertex, x)},
      {1, 0, VK_FORMAT_R32G32_SFLOAT, offsetof(OverlayVertex, u)},
      {2, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(OverlayVertex, rgba)},
  }};
  VkPipelineVertexInputStateCreateInfo vertex_input{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  switch (description.vertex_input) {
    case VertexInput::packed:
    case VertexInput::position_only:
      vertex_input.vertexBindingDescriptionCount = 1;
      vertex_input.pVertexBindingDescriptions = &vertex_binding;
      vertex_input.vertexAttributeDescriptionCount = description.vertex_input == VertexInput::packed ? 4 : 1;
      vertex_input.pVertexAttributeDescriptions = attributes.data();
      break;
    case VertexInput::packed_skinned:
    case VertexInput::position_skinned: {
      const bool whole = description.vertex_input == VertexInput::packed_skinned;
      vertex_input.vertexBindingDescriptionCount = static_cast<uint32_t>(skinned_bindings.size());
      vertex_input.pVertexBindingDescriptions = skinned_bindings.data();
      vertex_input.vertexAttributeDescriptionCount = whole ? 6 : 3;
      vertex_input.pVertexAttributeDescriptions = whole ? skinned_attributes.data() : skinned_position_attributes.data();
      break;
    }
    case VertexInput::overlay:
      vertex_input.vertexBindingDescriptionCount = 1;
      vertex_input.pVertexBindingDescriptions = &overlay_binding;
      vertex_input.vertexAttributeDescriptionCount = static_cast<uint32_t>(overlay_attributes.size());
      vertex_input.pVertexAttributeDescriptions = overlay_attributes.data();
      break;
    case VertexInput::none: break;
  }

  VkPipelineInputAssemblyStateCreateInfo input_assembly{VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
  input_assembly.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
  VkPipelineViewportStateCreateInfo viewport{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
  viewport.viewportCount = 1;
  viewport.scissorCount = 1;
  VkPipelineRasterizationStateCreateInfo rasterization{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
  rasterization.polygonMode = VK_POLYGON_MODE_FILL;
  rasterization.cullMode = description.cull;
  rasterization.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
  rasterization.depthBiasEnable = description.depth_bias;
  rasterization.lineWidth = 1.0f;
  VkPipelineMultisampleStateCreateInfo multisample{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
  multisample.rasterizationSamples = description.samples;
  VkPipelineDepthStencilStateCreateInfo depth{VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO};
  depth.depthTestEnable = description.depth_test;
  depth.depthWriteEnable = description.depth_write;
  depth.depthCompareOp = description.depth_compare;
  VkPipelineColorBlendAttachmentState blend_attachment{};
  blend_attachment.colorWriteMask =
      VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT | VK_COLOR_COMPONENT_A_BIT;
  if (description.alpha_blend) {
    blend_attachment.blendEnable = VK_TRUE;
    blend_attachment.srcColorBlendFactor = description.premultiplied ? VK_BLEND_FACTOR_ONE : VK_BLEND_FACTOR_SRC_ALPHA;
    blend_attachment.dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    blend_attachment.colorBlendOp = VK_BLEND_OP_ADD;
    blend_attachment.srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE;
    blend_attachment.dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    blend_attachment.alphaBlendOp = VK_BLEND_OP_ADD;
  }
  const bool has_color = description.color_format != VK_FORMAT_UNDEFINED;
  const bool has_second_color = description.second_color_format != VK_FORMAT_UNDEFINED;
  const uint32_t color_count = has_color ? (has_second_color ? 2 : 1) : 0;
  std::array<VkPipelineColorBlendAttachmentState, 2> blend_attachments{blend_attachment, {}};
  blend_attachments[1].colorWriteMask = blend_attachment.colorWriteMask;
  const std::array<VkFormat, 2> color_formats{description.color_format, description.second_color_format};
  VkPipelineColorBlendStateCreateInfo blend{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
  blend.attachmentCount = color_count;
  blend.pAttachments = blend_attachments.data();
  const std::array<VkDynamicState, 3> dynamic_states{VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR,
                                                     VK_DYNAMIC_STATE_DEPTH_BIAS};
  VkPipelineDynamicStateCreateInfo dynamic{VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO};
  dynamic.dynamicStateCount = description.depth_bias ? 3 : 2;
  dynamic.pDynamicStates = dynamic_states.data();

  VkPipelineRenderingCreateInfo rendering{VK_STRUCTURE_TYPE_PIPELINE_RENDERING_CREATE_INFO};
  rendering.viewMask = description.view_mask;
  rendering.colorAttachmentCount = color_count;
  rendering.pColorAttachmentFormats = color_formats.data();
  rendering.depthAttachmentFormat = description.depth_format;

  VkGraphicsPipelineCreateInfo info{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
  info.pNext = &rendering;
  info.stageCount = stage_count;
  info.pStages = stages.data();
  info.pVertexInputState = &vertex_input;
  info.pInputAssemblyState = &input_assembly;
  info.pViewportState = &viewport;
  info.pRasterizationState = &rasterization;
  info.pMultisampleState = &multisample;
  info.pDepthStencilState = &depth;
  info.pColorBlendState = &blend;
  info.pDynamicState = &dynamic;
  info.layout = description.layout;
  VkPipeline pipeline = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline),
                  "vkCreateGraphicsPipelines")
             .add_context(context));
  return UniquePipeline(device, pipeline);
}

bool is_srgb(VkFormat format) {
  switch (format) {
    case VK_FORMAT_R8G8B8A8_SRGB:
    case VK_FORMAT_B8G8R8A8_SRGB:
    case VK_FORMAT_A8B8G8R8_SRGB_PACK32: return true;
    default: return false;
  }
}

}  // namespace

Result<UniqueDescriptorSetLayout> create_set_layout(VkDevice device,
                                                    std::span<const VkDescriptorSetLayoutBinding> bindings) {
  VkDescriptorSetLayoutCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  info.bindingCount = static_cast<uint32_t>(bindings.size());
  info.pBindings = bindings.data();
  VkDescriptorSetLayout layout = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateDescriptorSetLayout(device, &info, nullptr, &layout), "vkCreateDescriptorSetLayout"));
  return UniqueDescriptorSetLayout(device, layout);
}

Result<UniquePipelineLayout> create_pipeline_layout(VkDevice device, std::span<const VkDescriptorSetLayout> sets,
                                                    const VkPushConstantRange& push_constants) {
  VkPipelineLayoutCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  info.setLayoutCount = static_cast<uint32_t>(sets.size());
  info.pSetLayouts = sets.data();
  info.pushConstantRangeCount = 1;
  info.pPushConstantRanges = &push_constants;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreatePipelineLayout(device, &info, nullptr, &layout), "vkCreatePipelineLayout"));
  return UniquePipelineLayout(device, layout);
}

Result<UniquePipeline> create_compute_pipeline(VkDevice device, std::span<const uint32_t> code, VkPipelineLayout layout,
                                               std::string_view name) {
  const std::string context = fmt::format("creating the {} pipeline", name);
  PV_TRY_ASSIGN(auto module, create_shader_module(device, code).add_context(context));
  VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
  info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
  info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
  info.stage.module = module.get();
  info.stage.pName = "main";
  info.layout = layout;
  VkPipeline pipeline = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateComputePipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline), "vkCreateComputePipelines")
             .add_context(context));
  return UniquePipeline(device, pipeline);
}

Result<UniquePipeline> create_particle_pipeline(VkDevice device, const PipelineFormats& formats, uint32_t view_count,
                                                VkPipelineLayout layout) {
  PipelineDescription particles;
  particles.name = "particles";
  particles.vertex_shader = shaders::particle_vert;
  particles.fragment_shader =
      formats.samples != VK_SAMPLE_COUNT_1_BIT ? shaders::particle_multisampled_frag : shaders::particle_frag;
  particles.depth_test = true;
  particles.depth_compare = VK_COMPARE_OP_GREATER_OR_EQUAL;  // reverse-Z
  particles.color_format = formats.hdr;
  particles.depth_format = formats.depth;
  particles.samples = formats.samples;
  particles.view_mask = view_mask_for(view_count);
  particles.alpha_blend = true;
  particles.premultiplied = true;
  particles.layout = layout;
  return create_graphics_pipeline(device, particles);
}

Result<Pipelines> Pipelines::create(VkDevice device, const PipelineFormats& formats) {
  Pipelines pipelines;
  pipelines.device_ = device;
  pipelines.formats_ = formats;
  constexpr VkShaderStageFlags vertex = VK_SHADER_STAGE_VERTEX_BIT;
  constexpr VkShaderStageFlags fragment = VK_SHADER_STAGE_FRAGMENT_BIT;
  const std::array<VkDescriptorSetLayoutBinding, 8> frame_bindings{{
      {gpu::binding_frame, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, vertex | fragment, nullptr},
      {gpu::binding_instances, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, vertex, nullptr},
      {gpu::binding_visible, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, vertex, nullptr},
      {gpu::binding_materials, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, fragment, nullptr},
      {gpu::binding_shadow_map, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, fragment, nullptr},
      {gpu::binding_joints, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, vertex, nullptr},
      {gpu::binding_morph_deltas, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, vertex, nullptr},
      {gpu::binding_morph_weights, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, vertex, nullptr},
  }};
  std::array<VkDescriptorSetLayoutBinding, 5> material_bindings{};
  for (uint32_t binding = 0; binding < material_bindings.size(); ++binding) {
    material_bindings[binding] = {binding, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, fragment, nullptr};
  }
  const std::array<VkDescriptorSetLayoutBinding, 2> tonemap_bindings{{
      {gpu::binding_hdr, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, fragment, nullptr},
      {gpu::binding_luminance_history, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, fragment, nullptr},
  }};
  PV_TRY_ASSIGN(pipelines.frame_set_layout_, create_set_layout(device, frame_bindings));
  PV_TRY_ASSIGN(pipelines.material_set_layout_, create_set_layout(device, material_bindings));
  PV_TRY_ASSIGN(pipelines.tonemap_set_layout_, create_set_layout(device, std::span(tonemap_bindings).first(1)));
  PV_TRY_ASSIGN(pipelines.limited_tonemap_set_layout_, create_set_layout(device, tonemap_bindings));
  const VkDescriptorSetLayoutBinding overlay_binding{gpu::binding_overlay_texture,
                                                     VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, fragment, nullptr};
  PV_TRY_ASSIGN(pipelines.overlay_set_layout_, create_set_layout(device, {&overlay_binding, 1}));
  const std::array<VkDescriptorSetLayoutBinding, 4> page_bindings{{
      {gpu::binding_page_atlas, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, fragment, nullptr},
      {gpu::binding_page_shapes, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, fragment, nullptr},
      {gpu::binding_page_table, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, fragment, nullptr},
      {gpu::binding_leaf_points, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, vertex, nullptr},
  }};
  PV_TRY_ASSIGN(pipelines.page_set_layout_, create_set_layout(device, page_bindings));

  const std::array<VkDescriptorSetLayout, 2> scene_sets{pipelines.frame_set_layout_.get(),
                                                        pipelines.material_set_layout_.get()};
  PV_TRY_ASSIGN(pipelines.scene_layout_,
                create_pipeline_layout(device, scene_sets,
                                       VkPushConstantRange{vertex | fragment, 0, sizeof(gpu::ScenePush)}));
  const VkDescriptorSetLayout tonemap_set = pipelines.tonemap_set_layout_.get();
  PV_TRY_ASSIGN(pipelines.tonemap_layout_,
                create_pipeline_layout(device, {&tonemap_set, 1}, VkPushConstantRange{fragment, 0, sizeof(gpu::TonemapPush)}));
  const VkDescriptorSetLayout limited_tonemap_set = pipelines.limited_tonemap_set_layout_.get();
  PV_TRY_ASSIGN(pipelines.limited_tonemap_layout_,
                create_pipeline_layout(device, {&limited_tonemap_set, 1},
                                       VkPushConstantRange{fragment, 0, sizeof(gpu::TonemapPush)}));
  const VkDescriptorSetLayout overlay_set = pipelines.overlay_set_layout_.get();
  PV_TRY_ASSIGN(pipelines.overlay_layout_,
                create_pipeline_layout(device, {&overlay_set, 1},
                                       VkPushConstantRange{vertex | fragment, 0, sizeof(gpu::OverlayPush)}));
  const std::array<VkDescriptorSetLayout, 2> world_overlay_sets{pipelines.frame_set_layout_.get(), overlay_set};
  PV_TRY_ASSIGN(pipelines.world_overlay_layout_,
                create_pipeline_layout(device, world_overlay_sets,
                                       VkPushConstantRange{vertex | fragment, 0, sizeof(gpu::WorldOverlayPush)}));
  const std::array<VkDescriptorSetLayout, 2> page_sets{pipelines.frame_set_layout_.get(), pipelines.page_set_layout_.get()};
  // One layout for the pages and the leaf: the larger of their push constants.
  PV_TRY_ASSIGN(pipelines.page_layout_,
                create_pipeline_layout(device, page_sets,
                                       VkPushConstantRange{vertex | fragment, 0,
                                                           static_cast<uint32_t>(std::max(sizeof(gpu::PagePush),
                                                                                          sizeof(gpu::LeafPush)))}));

  PipelineDescription shadow;
  shadow.name = "shadow map";
  shadow.vertex_shader = shaders::shadow_vert;
  shadow.vertex_input = VertexInput::position_only;
  // Front and back faces both cast: open meshes (a book's page, a banner) must shadow too.
  shadow.cull = VK_CULL_MODE_NONE;
  shadow.depth_test = true;
  shadow.depth_write = true;
  shadow.depth_compare = VK_COMPARE_OP_LESS_OR_EQUAL;
  shadow.depth_bias = true;
  shadow.depth_format = formats.shadow;
  shadow.layout = pipelines.scene_layout_.get();
  PV_TRY_ASSIGN(pipelines.shadow_, create_graphics_pipeline(device, shadow));
  shadow.name = "skinned shadow map";
  shadow.vertex_shader = shaders::shadow_skinned_vert;
  shadow.vertex_input = VertexInput::position_skinned;
  PV_TRY_ASSIGN(pipelines.shadow_skinned_, create_graphics_pipeline(device, shadow));
  shadow.name = "skinned morphed shadow map";
  shadow.vertex_shader = shaders::shadow_skinned_morphed_vert;
  PV_TRY_ASSIGN(pipelines.shadow_skinned_morphed_, create_graphics_pipeline(device, shadow));
  shadow.name = "morphed shadow map";
  shadow.vertex_shader = shaders::shadow_morphed_vert;
  shadow.vertex_input = VertexInput::position_only;
  PV_TRY_ASSIGN(pipelines.shadow_morphed_, create_graphics_pipeline(device, shadow));
  return pipelines;
}

Result<const ViewPipelines*> Pipelines::for_views(uint32_t view_count) {
  expects(view_count >= 1 && view_count <= gpu::max_views, "view count is within max_views");
  if (view_pipelines_.size() < view_count) view_pipelines_.resize(view_count);
  auto& slot = view_pipelines_[view_count - 1];
  if (slot) return &*slot;

  ViewPipelines built;
  PipelineDescription opaque;
  opaque.vertex_shader = shaders::pbr_vert;
  opaque.fragment_shader = shaders::pbr_frag;
  opaque.vertex_input = VertexInput::packed;
  opaque.depth_test = true;
  opaque.depth_write = true;
  opaque.depth_compare = VK_COMPARE_OP_GREATER_OR_EQUAL;  // reverse-Z
  opaque.color_format = formats_.hdr;
  opaque.depth_format = formats_.depth;
  opaque.samples = formats_.samples;
  opaque.view_mask = view_mask_for(view_count);
  opaque.layout = scene_layout_.get();
  opaque.name = "opaque PBR";
  opaque.cull = VK_CULL_MODE_BACK_BIT;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_opaque], create_graphics_pipeline(device_, opaque));
  opaque.name = "double-sided opaque PBR";
  opaque.cull = VK_CULL_MODE_NONE;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_opaque_double_sided], create_graphics_pipeline(device_, opaque));
  PipelineDescription skinned = opaque;
  skinned.vertex_shader = shaders::pbr_skinned_vert;
  skinned.vertex_input = VertexInput::packed_skinned;
  skinned.name = "skinned opaque PBR";
  skinned.cull = VK_CULL_MODE_BACK_BIT;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_skinned], create_graphics_pipeline(device_, skinned));
  skinned.name = "skinned double-sided opaque PBR";
  skinned.cull = VK_CULL_MODE_NONE;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_skinned_double_sided], create_graphics_pipeline(device_, skinned));
  PipelineDescription morphed = opaque;
  morphed.vertex_shader = shaders::pbr_morphed_vert;
  morphed.name = "morphed opaque PBR";
  morphed.cull = VK_CULL_MODE_BACK_BIT;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_morphed], create_graphics_pipeline(device_, morphed));
  morphed.name = "morphed double-sided opaque PBR";
  morphed.cull = VK_CULL_MODE_NONE;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_morphed_double_sided], create_graphics_pipeline(device_, morphed));
  skinned.vertex_shader = shaders::pbr_skinned_morphed_vert;
  skinned.name = "skinned morphed opaque PBR";
  skinned.cull = VK_CULL_MODE_BACK_BIT;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_skinned_morphed], create_graphics_pipeline(device_, skinned));
  skinned.name = "skinned morphed double-sided opaque PBR";
  skinned.cull = VK_CULL_MODE_NONE;
  PV_TRY_ASSIGN(built.scene[scene_pipeline_skinned_morphed_double_sided], create_graphics_pipeline(device_, skinned));

  PipelineDescription sky = opaque;
  sky.name = "sky";
  sky.vertex_shader = shaders::fullscreen_vert;
  sky.fragment_shader = shaders::sky_frag;
  sky.vertex_input = VertexInput::none;
  sky.depth_write = false;  // drawn last, at infinity, only where the depth is still clear
  PV_TRY_ASSIGN(built.sky, create_graphics_pipeline(device_, sky));

  PipelineDescription world_overlay = opaque;
  world_overlay.name = "world overlay";
  world_overlay.vertex_shader = shaders::world_overlay_vert;
  world_overlay.fragment_shader = shaders::world_overlay_frag;
  world_overlay.vertex_input = VertexInput::overlay;
  world_overlay.cull = VK_CULL_MODE_NONE;  // a label reads (mirrored) from behind too
  world_overlay.depth_write = false;       // glyphs overlap; what lies behind them is the scene's
  world_overlay.alpha_blend = true;
  world_overlay.layout = world_overlay_layout_.get();
  PV_TRY_ASSIGN(built.world_overlay, create_graphics_pipeline(device_, world_overlay));

  // Pages make their own vertices from the vertex index; both faces of a leaf are seen.
  PipelineDescription page = opaque;
  page.name = "page tiles";
  page.vertex_shader = shaders::page_tile_vert;
  page.fragment_shader = shaders::page_tile_frag;
  page.vertex_input = VertexInput::none;
  page.cull = VK_CULL_MODE_NONE;
  page.layout = page_layout_.get();
  PV_TRY_ASSIGN(built.page_tiles, create_graphics_pipeline(device_, page));
  page.name = "turning leaf";
  page.vertex_shader = shaders::turning_leaf_vert;
  page.fragment_shader = shaders::turning_leaf_frag;
  PV_TRY_ASSIGN(built.turning_leaf, create_graphics_pipeline(device_, page));
  slot.emplace(std::move(built));
  return &*slot;
}

Result<VkPipeline> Pipelines::tonemap(VkFormat target_format, uint32_t view_count, bool limit_flashes) {
  for (const auto& cached : tonemap_pipelines_) {
    if (cached.format == target_format && cached.view_count == view_count && cached.limit_flashes == limit_flashes) {
      return cached.pipeline.get();
    }
  }
  // Specialisation: whether to encode sRGB in the shader, and the samples to resolve.
  struct Constants {
    VkBool32 encode_srgb;
    int32_t sample_count;
  } const constants{!is_srgb(target_format), static_cast<int32_t>(formats_.samples)};
  const std::array<VkSpecializationMapEntry, 2> entries{{
      {0, offsetof(Constants, encode_srgb), sizeof(VkBool32)},
      {1, offsetof(Constants, sample_count), sizeof(int32_t)},
  }};
  const bool multisampled = formats_.samples != VK_SAMPLE_COUNT_1_BIT;
  const VkSpecializationInfo specialization{multisampled ? 2u : 1u, entries.data(), sizeof(constants), &constants};
  PipelineDescription tonemap;
  tonemap.name = limit_flashes ? "tonemap with the flash limiter" : "tonemap";
  tonemap.vertex_shader = shaders::fullscreen_vert;
  if (limit_flashes) {
    tonemap.fragment_shader = multisampled ? shaders::tonemap_limited_multisampled_frag : shaders::tonemap_limited_frag;
    tonemap.second_color_format = luminance_history_format;
  } else {
    tonemap.fragment_shader = multisampled ? shaders::tonemap_multisampled_frag : shaders::tonemap_frag;
  }
  tonemap.fragment_specialization = &specialization;
  tonemap.color_format = target_format;
  tonemap.view_mask = view_mask_for(view_count);
  tonemap.layout = limit_flashes ? limited_tonemap_layout_.get() : tonemap_layout_.get();
  PV_TRY_ASSIGN(auto pipeline, create_graphics_pipeline(device_, tonemap));
  tonemap_pipelines_.push_back(TonemapPipeline{target_format, view_count, limit_flashes, std::move(pipeline)});
  return tonemap_pipelines_.back().pipeline.get();
}

Result<VkPipeline> Pipelines::overlay(VkFormat target_format) {
  for (const auto& cached : overlay_pipelines_) {
    if (cached.format == target_format) return cached.pipeline.get();
  }
  const VkBool32 srgb_target = is_srgb(target_format);
  const VkSpecializationMapEntry entry{0, 0, sizeof(VkBool32)};
  const VkSpecializationInfo specialization{1, &entry, sizeof(srgb_target), &srgb_target};
  PipelineDescription overlay;
  overlay.name = "overlay";
  overlay.vertex_shader = shaders::overlay_vert;
  overlay.fragment_shader = shaders::overlay_frag;
  overlay.fragment_specialization = &specialization;
  overlay.vertex_input = VertexInput::overlay;
  overlay.alpha_blend = true;
  overlay.color_format = target_format;
  overlay.layout = overlay_layout_.get();
  PV_TRY_ASSIGN(auto pipeline, create_graphics_pipeline(device_, overlay));
  overlay_pipelines_.push_back(OverlayPipeline{target_format, std::move(pipeline)});
  return overlay_pipelines_.back().pipeline.get();
}

Result<UniquePipeline> Pipelines::multiview_probe(VkFormat format) const {
  PipelineDescription probe;
  probe.name = "multiview probe";
  probe.vertex_shader = shaders::fullscreen_vert;
  probe.fragment_shader = shaders::multiview_probe_frag;
  probe.color_format = format;
  probe.view_mask = view_mask_for(2);
  probe.layout = tonemap_layout_.get();
  return create_graphics_pipeline(device_, probe);
}

}  // namespace pavilion::render
