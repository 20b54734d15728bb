// Particle systems on the GPU: the systems' data, two buffers of particles (a simulation step reads
// one and writes the other), a compute step that moves, kills and gives birth to them, and the
// draw of the newest as quads in the scene pass's views. Everything is made when systems are
// loaded, sized to the particles they can hold at once; advancing, bursting, simulating and
// drawing allocate nothing.
//
// Determinism: each particle's random numbers are a hash of the seed, its system and its number
// (or its parent's seed), and each step writes every slot from the step before alone, so the
// same seed and the same sequence of advances give the same particles, on any GPU and however
// its invocations run.
//
// Slots: each system has a range, in order: its own ring (what it emits, the oldest replaced
// first), then, for an on_death system, `count` slots for each slot of its parent, born when that
// parent particle dies.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/scene/particles.h"
#include "pipelines.h"
#include "resources.h"
#include "upload.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace pavilion::render {

class ParticleGpu {
 public:
  // The draw pipelines' layout takes the frame's set (set 0) and this one's (set 1).
  static Result<ParticleGpu> create(GpuContext& context, const PipelineFormats& formats,
                                    VkDescriptorSetLayout frame_set_layout);

  // Replaces the systems (the GPU must be idle): checks them, refuses them when they can hold
  // more than `budget` particles at once (naming each system's share), makes the buffers and
  // clears every particle. With no systems, releases everything and draws nothing.
  Result<void> load(GpuContext& context, Uploader& uploader, std::span<const scene::ParticleSystem> systems,
                    uint32_t budget, uint64_t seed);
  void burst(uint32_t system);
  void advance(float seconds);
  bool active() const { return slot_count_ > 0; }
  uint32_t slot_count() const { return slot_count_; }

  // Points the draw sets at the scene pass's depth (a 2D-array view, one layer per view); the
  // GPU must be idle.
  void write_depth(VkDevice device, VkImageView depth, VkSampler sampler);
  // Turns the seconds advanced since the frame before into steps (at most
  // gpu::max_particle_substeps), writes them into frame slot `slot_index`'s part of the step
  // buffer and records their dispatches, with the barriers before and after.
  void record_simulation(VkCommandBuffer commands, uint32_t slot_index);
  // Draws every system's living particles; in a pass whose views match `pipeline`.
  void record_draw(VkCommandBuffer commands, VkPipeline pipeline, VkDescriptorSet frame_set, uint32_t view_offset,
                   bool soft) const;
  // The draw pipeline for `view_count` views in one pass, made the first time it is asked for.
  Result<VkPipeline> pipeline(VkDevice device, uint32_t view_count);

 private:
  struct SystemState {
    uint32_t first_slot = 0;
    uint32_t ring = 0;  // its own emission's slots
    uint64_t emitted = 0;
    uint32_t pending_bursts = 0;
  };

  PipelineFormats formats_;
  UniqueDescriptorSetLayout compute_set_layout_;
  UniqueDescriptorSetLayout draw_set_layout_;
  UniquePipelineLayout compute_layout_;
  UniquePipelineLayout draw_layout_;
  UniquePipeline simulate_;
  std::array<UniquePipeline, 2> draw_pipelines_;  // index: view count − 1
  UniqueDescriptorPool pool_;
  // [n]: the step reading particles_[n] and writing the other; drawing particles_[n].
  std::array<VkDescriptorSet, 2> compute_sets_{};
  std::array<VkDescriptorSet, 2> draw_sets_{};

  std::vector<scene::ParticleSystem> systems_;
  std::vector<SystemState> states_;
  GpuBuffer system_buffer_;
  std::array<GpuBuffer, 2> particles_;
  GpuBuffer steps_;  // frames_in_flight × max_particle_substeps × systems
  uint32_t slot_count_ = 0;
  uint32_t seed_ = 0;
  uint32_t newest_ = 0;  // which of particles_ the last step wrote
  double seconds_ = 0.0;  // simulated since load
  double pending_seconds_ = 0.0;
};

}  // namespace pavilion::render
