#include "particles_gpu.h"

#include "gpu_interface.h"
#include "pavilion/render/render_target.h"
#include "pavilion/render/vulkan_check.h"
#include "pavilion_render_shaders.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pavilion::render {
namespace {

// The longest step: a firework's spark at 10 m/s moves 17 cm in one, and drag up to 6 per second
// stays stable (drag × step < 1).
constexpr double longest_step_seconds = 1.0 / 60.0;

Error refused(std::string why) { return Error(ErrorCode::invalid_input, "loading the particle systems", std::move(why)); }

uint32_t key_counts(const scene::ParticleSystem& system) {
  return static_cast<uint32_t>(system.color.size()) | static_cast<uint32_t>(system.size.size()) << 4 |
         static_cast<uint32_t>(system.speed_scale.size()) << 8;
}

gpu::ParticleSystemData system_data(const scene::ParticleSystem& system, uint32_t first_slot, uint32_t ring,
                                    uint32_t slots, uint32_t parent_first_slot) {
  gpu::ParticleSystemData data{};
  data.slots = {first_slot, ring, slots, system.emission == scene::ParticleEmission::burst ? 1u : 0u};
  data.parent = {parent_first_slot, system.count, 0u, 0u};
  data.look = {static_cast<uint32_t>(system.shape), static_cast<uint32_t>(system.sprite),
               system.blend == scene::ParticleBlend::alpha ? 1u : 0u, key_counts(system)};
  data.position = glm::vec4(system.position, system.radius);
  data.box = glm::vec4(system.box_size, std::cos(glm::radians(system.cone_degrees)));
  data.direction = glm::vec4(system.direction, system.speed_min);
  data.ranges = {system.lifetime_min, system.lifetime_max, system.speed_max, system.trail_seconds};
  data.gravity = glm::vec4(system.gravity, system.drag);
  data.wind = glm::vec4(system.wind, system.turbulence);
  data.motion = {system.turbulence_scale, system.sway, system.sway_frequency, system.glow};
  data.soft = {system.soft_distance, 0.0f, 0.0f, 0.0f};
  for (size_t key = 0; key < system.color.size(); ++key) {
    data.color_times[static_cast<int>(key)] = system.color[key].time;
    data.colors[key] = system.color[key].color;
  }
  for (size_t key = 0; key < system.size.size(); ++key) {
    data.size_times[static_cast<int>(key)] = system.size[key].time;
    data.sizes[static_cast<int>(key)] = system.size[key].value;
  }
  for (size_t key = 0; key < system.speed_scale.size(); ++key) {
    data.speed_times[static_cast<int>(key)] = system.speed_scale[key].time;
    data.speeds[static_cast<int>(key)] = system.speed_scale[key].value;
  }
  return data;
}

VkWriteDescriptorSet buffer_write(VkDescriptorSet set, uint32_t binding, const VkDescriptorBufferInfo* info) {
  VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
  write.dstSet = set;
  write.dstBinding = binding;
  write.descriptorCount = 1;
  write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
  write.pBufferInfo = info;
  return write;
}

void memory_barrier(VkCommandBuffer commands, VkPipelineStageFlags2 source_stage, VkAccessFlags2 source_access,
                    VkPipelineStageFlags2 destination_stage, VkAccessFlags2 destination_access) {
  VkMemoryBarrier2 barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER_2};
  barrier.srcStageMask = source_stage;
  barrier.srcAccessMask = source_access;
  barrier.dstStageMask = destination_stage;
  barrier.dstAccessMask = destination_access;
  VkDependencyInfo dependency{VK_STRUCTURE_TYPE_DEPENDENCY_INFO};
  dependency.memoryBarrierCount = 1;
  dependency.pMemoryBarriers = &barrier;
  vkCmdPipelineBarrier2(commands, &dependency);
}

}  // namespace

Result<ParticleGpu> ParticleGpu::create(GpuContext& context, const PipelineFormats& formats,
                                        VkDescriptorSetLayout frame_set_layout) {
  const VkDevice device = context.device();
  ParticleGpu gpu;
  gpu.formats_ = formats;
  constexpr VkShaderStageFlags compute = VK_SHADER_STAGE_COMPUTE_BIT;
  const std::array<VkDescriptorSetLayoutBinding, 4> compute_bindings{{
      {gpu::binding_particle_systems, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, compute, nullptr},
      {gpu::binding_particles, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, compute, nullptr},
      {gpu::binding_particles_out, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, compute, nullptr},
      {gpu::binding_particle_steps, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, compute, nullptr},
  }};
  const std::array<VkDescriptorSetLayoutBinding, 3> draw_bindings{{
      {gpu::binding_particle_systems, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_VERTEX_BIT, nullptr},
      {gpu::binding_particles, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_VERTEX_BIT, nullptr},
      {gpu::binding_particle_depth, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr},
  }};
  PV_TRY_ASSIGN(gpu.compute_set_layout_, create_set_layout(device, compute_bindings));
  PV_TRY_ASSIGN(gpu.draw_set_layout_, create_set_layout(device, draw_bindings));
  const VkDescriptorSetLayout compute_set = gpu.compute_set_layout_.get();
  PV_TRY_ASSIGN(gpu.compute_layout_,
                create_pipeline_layout(device, {&compute_set, 1},
                                       VkPushConstantRange{compute, 0, sizeof(gpu::ParticleSimulatePush)}));
  const std::array<VkDescriptorSetLayout, 2> draw_sets{frame_set_layout, gpu.draw_set_layout_.get()};
  PV_TRY_ASSIGN(gpu.draw_layout_,
                create_pipeline_layout(device, draw_sets,
                                       VkPushConstantRange{VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                                                           sizeof(gpu::ParticleDrawPush)}));
  PV_TRY_ASSIGN(gpu.simulate_,
                create_compute_pipeline(device, shaders::particle_simulate_comp, gpu.compute_layout_.get(), "particle simulation"));

  const std::array<VkDescriptorPoolSize, 2> sizes{{
      {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 2 * 4 + 2 * 2},
      {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 2},
  }};
  VkDescriptorPoolCreateInfo pool_info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pool_info.maxSets = 4;
  pool_info.poolSizeCount = static_cast<uint32_t>(sizes.size());
  pool_info.pPoolSizes = sizes.data();
  VkDescriptorPool pool = VK_NULL_HANDLE;
  PV_TRY(vk_check(vkCreateDescriptorPool(device, &pool_info, nullptr, &pool), "vkCreateDescriptorPool"));
  gpu.pool_ = UniqueDescriptorPool(device, pool);
  const std::array<VkDescriptorSetLayout, 4> layouts{compute_set, compute_set, gpu.draw_set_layout_.get(),
                                                     gpu.draw_set_layout_.get()};
  std::array<VkDescriptorSet, 4> sets{};
  VkDescriptorSetAllocateInfo allocate{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  allocate.descriptorPool = pool;
  allocate.descriptorSetCount = static_cast<uint32_t>(layouts.size());
  allocate.pSetLayouts = layouts.data();
  PV_TRY(vk_check(vkAllocateDescriptorSets(device, &allocate, sets.data()), "vkAllocateDescriptorSets"));
  gpu.compute_sets_ = {sets[0], sets[1]};
  gpu.draw_sets_ = {sets[2], sets[3]};
  return gpu;
}

Result<void> ParticleGpu::load(GpuContext& context, Uploader& uploader, std::span<const scene::ParticleSystem> systems,
                               uint32_t budget, uint64_t seed) {
  if (systems.size() > scene::max_particle_systems) {
    return refused(fmt::format("there are {} systems; a scene may have at most {}", systems.size(), scene::max_particle_systems));
  }
  for (size_t index = 0; index < systems.size(); ++index) {
    if (auto problem = scene::particle_system_problem(systems, index)) {
      return refused(fmt::format("particle system {} ('{}') has {}", index, systems[index].name, *problem));
    }
  }
  const std::vector<uint64_t> capacities = scene::particle_capacities(systems);
  uint64_t total = 0;
  std::string shares;
  for (size_t index = 0; index < systems.size(); ++index) {
    total += capacities[index];
    shares += fmt::format("{}'{}' {}", shares.empty() ? "" : ", ", systems[index].name, capacities[index]);
  }
  if (total > budget) {
    return refused(fmt::format("the scene's particle systems can hold {} particles at once ({}), more than its budget "
                               "of {}; lower their counts, bursts in flight, rates or lifetimes, or raise the budget",
                               total, shares, budget));
  }

  // Nothing of the old systems may be in use from here on: the caller has waited for the GPU.
  systems_.clear();
  states_.clear();
  system_buffer_ = {};
  particles_ = {};
  steps_ = {};
  slot_count_ = 0;
  seconds_ = 0.0;
  pending_seconds_ = 0.0;
  newest_ = 0;
  seed_ = static_cast<uint32_t>(seed ^ (seed >> 32));
  if (systems.empty()) return {};

  std::vector<gpu::ParticleSystemData> data(systems.size());
  std::vector<SystemState> states(systems.size());
  uint32_t next_slot = 0;
  for (size_t index = 0; index < systems.size(); ++index) {
    states[index].first_slot = next_slot;
    next_slot += static_cast<uint32_t>(capacities[index]);
  }
  for (size_t index = 0; index < systems.size(); ++index) {
    // An on_death system's own ring is followed by `count` slots for each of its parent's slots;
    // every other system's slots are all its ring.
    uint32_t parent_first = gpu::particle_no_parent;
    for (size_t parent = 0; parent < systems.size(); ++parent) {
      if (systems[parent].on_death == index) parent_first = states[parent].first_slot;
    }
    const scene::ParticleSystem& system = systems[index];
    states[index].ring = parent_first == gpu::particle_no_parent ? static_cast<uint32_t>(capacities[index])
                                                                 : system.count * system.in_flight;
    data[index] = system_data(system, states[index].first_slot, states[index].ring,
                              static_cast<uint32_t>(capacities[index]), parent_first);
  }

  const auto slots = static_cast<uint32_t>(total);
  const VkDeviceSize particle_bytes = VkDeviceSize{slots} * sizeof(gpu::Particle);
  PV_TRY_ASSIGN(system_buffer_, GpuBuffer::create(context, data.size() * sizeof(gpu::ParticleSystemData),
                                                  VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                                  MemoryUsage::gpu_only, "particle systems"));
  for (uint32_t buffer = 0; buffer < 2; ++buffer) {
    PV_TRY_ASSIGN(particles_[buffer],
                  GpuBuffer::create(context, particle_bytes, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                    MemoryUsage::gpu_only, fmt::format("particles {}", buffer)));
  }
  PV_TRY_ASSIGN(steps_, GpuBuffer::create(context,
                                          VkDeviceSize{frames_in_flight} * gpu::max_particle_substeps * systems.size() *
                                              sizeof(gpu::ParticleStep),
                                          VK_BUFFER_USAGE_STORAGE_BUFFER_BIT, MemoryUsage::upload, "particle steps"));
  PV_TRY(uploader.copy_to_buffer(system_buffer_, 0, std::as_bytes(std::span(data))));
  PV_TRY_ASSIGN(const VkCommandBuffer commands, uploader.commands());
  for (const GpuBuffer& buffer : particles_) vkCmdFillBuffer(commands, buffer.get(), 0, VK_WHOLE_SIZE, 0);
  PV_TRY(uploader.flush());

  const VkDescriptorBufferInfo system_info{system_buffer_.get(), 0, VK_WHOLE_SIZE};
  const VkDescriptorBufferInfo step_info{steps_.get(), 0, VK_WHOLE_SIZE};
  for (uint32_t index = 0; index < 2; ++index) {
    const VkDescriptorBufferInfo in_info{particles_[index].get(), 0, VK_WHOLE_SIZE};
    const VkDescriptorBufferInfo out_info{particles_[1 - index].get(), 0, VK_WHOLE_SIZE};
    const std::array<VkWriteDescriptorSet, 6> writes{
        buffer_write(compute_sets_[index], gpu::binding_particle_systems, &system_info),
        buffer_write(compute_sets_[index], gpu::binding_particles, &in_info),
        buffer_write(compute_sets_[index], gpu::binding_particles_out, &out_info),
        buffer_write(compute_sets_[index], gpu::binding_particle_steps, &step_info),
        buffer_write(draw_sets_[index], gpu::binding_particle_systems, &system_info),
        buffer_write(draw_sets_[index], gpu::binding_particles, &in_info),
    };
    vkUpdateDescriptorSets(context.device(), static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  }
  systems_.assign(systems.begin(), systems.end());
  states_ = std::move(states);
  slot_count_ = slots;
  return {};
}

void ParticleGpu::burst(uint32_t system) {
  expects(system < systems_.size(), "a loaded particle system");
  ++states_[system].pending_bursts;
}

void ParticleGpu::advance(float seconds) {
  expects(std::isfinite(seconds) && seconds >= 0.0f, "particles advance by a time of zero or more");
  pending_seconds_ += seconds;
}

void ParticleGpu::write_depth(VkDevice device, VkImageView depth, VkSampler sampler) {
  const VkDescriptorImageInfo info{sampler, depth, VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL};
  for (const VkDescriptorSet set : draw_sets_) {
    VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    write.dstSet = set;
    write.dstBinding = gpu::binding_particle_depth;
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    write.pImageInfo = &info;
    vkUpdateDescriptorSets(device, 1, &write, 0, nullptr);
  }
}

void ParticleGpu::record_simulation(VkCommandBuffer commands, uint32_t slot_index) {
  if (pending_seconds_ <= 0.0) return;
  const auto substeps = static_cast<uint32_t>(
      std::clamp(std::ceil(pending_seconds_ / longest_step_seconds), 1.0, double{gpu::max_particle_substeps}));
  const double step_seconds = pending_seconds_ / substeps;
  pending_seconds_ = 0.0;
  const auto system_count = static_cast<uint32_t>(systems_.size());
  auto* steps = reinterpret_cast<gpu::ParticleStep*>(steps_.mapped());
  // The frame before drew (and its steps read) what this frame's first step overwrites, and its
  // last step wrote what this one reads: its writes made visible to this frame's reads and writes.
  memory_barrier(commands, VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT | VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT,
                 VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT, VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT,
                 VK_ACCESS_2_SHADER_STORAGE_READ_BIT | VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, simulate_.get());
  for (uint32_t substep = 0; substep < substeps; ++substep) {
    const double end = seconds_ + step_seconds;
    const uint32_t first_step = (slot_index * gpu::max_particle_substeps + substep) * system_count;
    for (uint32_t index = 0; index < system_count; ++index) {
      const scene::ParticleSystem& system = systems_[index];
      SystemState& state = states_[index];
      gpu::ParticleStep& step = steps[first_step + index];
      // Particle n of a continuous system is born at (n + 1) / rate; a burst's all at the step's start.
      const bool continuous = system.emission == scene::ParticleEmission::continuous;
      const double rate_times_end = continuous ? double{system.rate} * end : 0.0;
      const uint64_t emitted_by_end = continuous ? static_cast<uint64_t>(std::floor(rate_times_end))
                                                 : state.emitted + uint64_t{state.pending_bursts} * system.count;
      state.pending_bursts = 0;
      // More than the ring holds: the oldest of them are never seen.
      const uint64_t first = std::max(state.emitted, emitted_by_end - std::min<uint64_t>(emitted_by_end, state.ring));
      step.emit = {static_cast<uint32_t>(first % state.ring), static_cast<uint32_t>(emitted_by_end - first),
                   static_cast<uint32_t>(first), 0u};
      step.timing = {static_cast<float>(step_seconds),
                     static_cast<float>(rate_times_end - static_cast<double>(emitted_by_end)), system.rate, 0.0f};
      state.emitted = emitted_by_end;
    }
    seconds_ = end;
    const gpu::ParticleSimulatePush push{first_step, system_count, slot_count_, seed_};
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, compute_layout_.get(), 0, 1,
                            &compute_sets_[newest_], 0, nullptr);
    vkCmdPushConstants(commands, compute_layout_.get(), VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(push), &push);
    vkCmdDispatch(commands, (slot_count_ + gpu::particle_workgroup - 1) / gpu::particle_workgroup, 1, 1);
    newest_ = 1 - newest_;
    const bool last = substep + 1 == substeps;
    // The next step reads what this one wrote and writes what the one before wrote.
    memory_barrier(commands, VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT, VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT,
                   last ? VK_PIPELINE_STAGE_2_VERTEX_SHADER_BIT : VK_PIPELINE_STAGE_2_COMPUTE_SHADER_BIT,
                   last ? VK_ACCESS_2_SHADER_STORAGE_READ_BIT
                        : VK_ACCESS_2_SHADER_STORAGE_READ_BIT | VK_ACCESS_2_SHADER_STORAGE_WRITE_BIT);
  }
}

void ParticleGpu::record_draw(VkCommandBuffer commands, VkPipeline pipeline, VkDescriptorSet frame_set,
                              uint32_t view_offset, bool soft) const {
  vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline);
  const std::array<VkDescriptorSet, 2> sets{frame_set, draw_sets_[newest_]};
  vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_GRAPHICS, draw_layout_.get(), 0, 2, sets.data(), 0, nullptr);
  // Alpha-blended systems first: additive light then falls on what they cover, as a glow would.
  for (const bool alpha_pass : {true, false}) {
    for (size_t index = 0; index < systems_.size(); ++index) {
      if ((systems_[index].blend == scene::ParticleBlend::alpha) != alpha_pass) continue;
      const uint32_t first = states_[index].first_slot;
      const uint32_t end = index + 1 < states_.size() ? states_[index + 1].first_slot : slot_count_;
      const gpu::ParticleDrawPush push{view_offset, first, soft ? 1u : 0u};
      vkCmdPushConstants(commands, draw_layout_.get(), VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                         sizeof(push), &push);
      vkCmdDraw(commands, 6 * (end - first), 1, 0, 0);
    }
  }
}

Result<VkPipeline> ParticleGpu::pipeline(VkDevice device, uint32_t view_count) {
  expects(view_count >= 1 && view_count <= draw_pipelines_.size(), "one or two views");
  UniquePipeline& cached = draw_pipelines_[view_count - 1];
  if (!cached) {
    PV_TRY_ASSIGN(cached, create_particle_pipeline(device, formats_, view_count, draw_layout_.get()));
  }
  return cached.get();
}

}  // namespace pavilion::render
