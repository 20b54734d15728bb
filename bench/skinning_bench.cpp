// Skeletal animation's cost per frame for a crowd of characters (default 100 of 60 joints, each a
// tube of 2 904 vertices weighted to four joints): CPU milliseconds to sample and blend the clip
// (scene::AnimationPlayer) against a plain reference loop (linear key search, slerp, matrices
// composed node by node) in the same run, to hand the poses to the renderer, and GPU milliseconds
// of the shadow and opaque passes with the crowd skinned against the same meshes unskinned, in
// one view and in two (a headset's eyes), so the difference is what skinning in the vertex stage
// costs per view.
//
//   skinning_bench [--characters 100] [--joints 60] [--size 640x360] [--frames 60] [--msaa 1|2|4] [--gpu NAME]
#include "gpu_bench.h"
#include "pavilion/core/log.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/animation.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;
using clock_type = std::chrono::steady_clock;

struct Options : bench::GpuBenchOptions {
  uint32_t characters = 100;
  uint32_t joints = 60;
  Options() { width = 640; height = 360; }
};

bool parse_options(int argc, char** argv, Options& options) {
  return bench::parse_gpu_bench_options(argc, argv, options, [&](std::string_view name, std::string_view value) {
    if (name == "--characters") return bench::parse_number(value, options.characters) && options.characters > 0;
    if (name == "--joints") return bench::parse_number(value, options.joints) && options.joints >= 2;
    return false;
  });
}

constexpr float character_height = 1.8f;
constexpr uint32_t around = 24;

// A tube standing on its base, two rings per joint, each vertex weighted to the four joints
// nearest its height.
scene::MeshData character_mesh(uint32_t joints) {
  scene::MeshData mesh;
  const uint32_t rings = joints * 2 + 1;
  const float segment = character_height / static_cast<float>(joints);
  for (uint32_t ring = 0; ring < rings; ++ring) {
    const float y = character_height * static_cast<float>(ring) / static_cast<float>(rings - 1);
    const float at = y / segment;  // in joints
    std::array<uint16_t, 4> nearest{};
    glm::vec4 weights(0.0f);
    const int first = static_cast<int>(std::floor(at)) - 1;
    for (int slot = 0; slot < 4; ++slot) {
      const int joint = std::clamp(first + slot, 0, static_cast<int>(joints) - 1);
      nearest[static_cast<size_t>(slot)] = static_cast<uint16_t>(joint);
      weights[slot] = std::max(0.0f, 2.0f - std::abs(at - static_cast<float>(joint) - 0.5f));
    }
    for (uint32_t step = 0; step < around; ++step) {
      const float angle = 6.2831853f * static_cast<float>(step) / around;
      const glm::vec3 normal(std::cos(angle), 0.0f, std::sin(angle));
      mesh.vertices.push_back(scene::pack_vertex(normal * 0.15f + glm::vec3(0, y, 0), normal,
                                                 {-normal.z, 0, normal.x, 1}, {0, 0}));
      mesh.skin.push_back(scene::pack_vertex_skin(nearest, weights));
    }
  }
  for (uint32_t ring = 0; ring + 1 < rings; ++ring) {
    for (uint32_t step = 0; step < around; ++step) {
      const uint32_t a = ring * around + step;
      const uint32_t b = ring * around + (step + 1) % around;
      mesh.indices.insert(mesh.indices.end(), {a, a + around, b, b, a + around, b + around});
    }
  }
  return mesh;
}

struct Crowd {
  scene::RenderScene scene;
  scene::NodeTree tree;
  render::View view;
};

// Characters in a square grid, each a root and a chain of joints swaying over a two-second clip.
Crowd crowd(const Options& options) {
  Crowd out;
  out.scene.meshes.push_back(character_mesh(options.joints));
  scene::MaterialData material;
  material.base_color_factor = {0.8f, 0.2f, 0.1f, 1.0f};
  material.metallic_factor = 0.0f;
  out.scene.materials.push_back(material);
  const auto side = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<float>(options.characters))));
  const float segment = character_height / static_cast<float>(options.joints);
  scene::Animation sway{"sway", 2.0f, {}};
  for (uint32_t character = 0; character < options.characters; ++character) {
    const glm::vec3 place(static_cast<float>(character % side) - 0.5f * static_cast<float>(side - 1), 0.0f,
                          -static_cast<float>(character / side));
    const auto root = static_cast<uint32_t>(out.tree.nodes.size());
    out.tree.nodes.push_back({fmt::format("character {}", character), scene::no_parent, {place}});
    scene::Skin skin{fmt::format("character {}", character), {}, {}};
    for (uint32_t joint = 0; joint < options.joints; ++joint) {
      const auto node = static_cast<uint32_t>(out.tree.nodes.size());
      const int32_t parent = joint == 0 ? static_cast<int32_t>(root) : static_cast<int32_t>(node - 1);
      out.tree.nodes.push_back({fmt::format("joint {}", joint), parent, {glm::vec3(0, joint == 0 ? 0 : segment, 0)}});
      skin.joints.push_back(node);
      skin.inverse_bind_matrices.push_back(glm::translate(glm::mat4(1.0f), {0, -segment * static_cast<float>(joint), 0}));
      scene::AnimationChannel channel{node, scene::AnimatedProperty::rotation, {}, {}};
      for (uint32_t key = 0; key <= 4; ++key) {
        const float angle = 0.04f * std::sin(1.5707963f * static_cast<float>(key) + 0.3f * static_cast<float>(character));
        const glm::quat rotation = glm::angleAxis(angle, glm::vec3(0, 0, 1));
        channel.times.push_back(0.5f * static_cast<float>(key));
        channel.values.emplace_back(rotation.x, rotation.y, rotation.z, rotation.w);
      }
      sway.channels.push_back(std::move(channel));
    }
    out.tree.instances.push_back({root, static_cast<int32_t>(out.tree.skins.size())});
    out.tree.skins.push_back(std::move(skin));
    out.scene.instances.push_back({glm::translate(glm::mat4(1.0f), place), 0, 0});
  }
  out.tree.animations.push_back(std::move(sway));
  const float depth = static_cast<float>(side);
  out.view = render::look_at_view({0.0f, 0.6f * depth + 2.0f, 0.9f * depth + 2.0f}, {0.0f, 0.5f, -0.5f * depth},
                                  render::symmetric_field_of_view(0.9f, static_cast<float>(options.width) / options.height));
  return out;
}

// The plain way to pose a tree: each channel's keys searched from the start, rotations slerped,
// then every node's matrix composed from its parent's.
void reference_pose(const scene::NodeTree& tree, float seconds, std::vector<scene::NodeTransform>& pose,
                    std::vector<glm::mat4>& world, std::vector<glm::mat4>& joints) {
  for (size_t node = 0; node < tree.nodes.size(); ++node) pose[node] = tree.nodes[node].local;
  for (const scene::AnimationChannel& channel : tree.animations[0].channels) {
    size_t key = 0;
    while (key + 2 < channel.times.size() && channel.times[key + 1] <= seconds) ++key;
    const float t = std::clamp((seconds - channel.times[key]) / (channel.times[key + 1] - channel.times[key]), 0.0f, 1.0f);
    const glm::vec4 a = channel.values[key];
    const glm::vec4 b = channel.values[key + 1];
    pose[channel.node].rotation = glm::slerp(glm::quat(a.w, a.x, a.y, a.z), glm::quat(b.w, b.x, b.y, b.z), t);
  }
  for (size_t node = 0; node < tree.nodes.size(); ++node) {
    const glm::mat4 local = pose[node].matrix();
    const int32_t parent = tree.nodes[node].parent;
    world[node] = parent == scene::no_parent ? local : world[static_cast<size_t>(parent)] * local;
  }
  size_t out = 0;
  for (const scene::Skin& skin : tree.skins) {
    for (size_t joint = 0; joint < skin.joints.size(); ++joint) {
      joints[out++] = world[skin.joints[joint]] * skin.inverse_bind_matrices[joint];
    }
  }
}

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

struct GpuRow {
  double shadow_ms = 0;
  double opaque_ms = 0;
  double wall_ms = 0;
  double pose_ms = 0;  // Renderer::pose_instances
  uint32_t skinned = 0;
};

// Draws the crowd `frames` times in `views.size()` views, skinned (animated) or not.
Result<GpuRow> measure_gpu(render::GpuContext& context, const Options& options, const Crowd& source, bool skinned,
                           std::span<const render::View> views) {
  Crowd crowd_copy = source;
  if (!skinned) crowd_copy.scene.meshes[0].skin.clear();
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(context, {.msaa_samples = options.msaa}));
  PV_TRY(renderer->load_scene(crowd_copy.scene));
  PV_TRY_ASSIGN(auto target, render::OffscreenTarget::create(
                                 context, {options.width, options.height, static_cast<uint32_t>(views.size())}));
  scene::AnimationPlayer player(crowd_copy.tree);
  player.play(0);
  std::vector<glm::mat4> world(crowd_copy.tree.nodes.size());
  std::vector<glm::mat4> joints(scene::joint_matrix_count(crowd_copy.tree));
  GpuRow row;
  uint32_t samples = 0;
  uint64_t last_gpu_frame = UINT64_MAX;
  clock_type::time_point start;
  for (uint32_t frame = 0; frame < options.warmup + options.frames; ++frame) {
    if (frame == options.warmup) start = clock_type::now();
    player.advance(1.0f / 90.0f);
    player.evaluate(world, joints);
    const auto pose_start = clock_type::now();
    if (skinned) renderer->pose_instances(crowd_copy.tree, world, joints);
    if (frame >= options.warmup) row.pose_ms += ms_since(pose_start);
    PV_TRY(renderer->render(*target, views));
    const render::FrameStats& stats = renderer->last_frame_stats();
    row.skinned = stats.skinned_instances;
    if (frame >= options.warmup && stats.gpu_frame != last_gpu_frame && stats.gpu_total_ms > 0) {
      last_gpu_frame = stats.gpu_frame;
      row.shadow_ms += stats.gpu_shadow_ms;
      row.opaque_ms += stats.gpu_opaque_ms;
      ++samples;
    }
  }
  PV_TRY(renderer->wait_idle());
  row.wall_ms = ms_since(start) / options.frames;
  row.pose_ms /= options.frames;
  if (samples > 0) {
    row.shadow_ms /= samples;
    row.opaque_ms /= samples;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr, "usage: skinning_bench [--characters N] [--joints N] [--size WxH] [--frames N] [--msaa N] "
                         "[--gpu NAME]\n");
    return 2;
  }
  log::configure(log::Level::warn, log::Format::text);
  const Crowd source = crowd(options);
  if (auto valid = scene::validate(source.tree); !valid) {
    std::fprintf(stderr, "skinning_bench: %s\n", valid.error().describe().c_str());
    return 1;
  }

  // --- CPU: sampling and blending, against the plain loop ---
  scene::AnimationPlayer player(source.tree);
  player.play(0);
  std::vector<glm::mat4> world(source.tree.nodes.size());
  std::vector<glm::mat4> joints(scene::joint_matrix_count(source.tree));
  std::vector<glm::mat4> reference_world(world.size());
  std::vector<glm::mat4> reference_joints(joints.size());
  std::vector<scene::NodeTransform> reference_local(world.size());
  constexpr uint32_t cpu_frames = 200;
  const auto player_start = clock_type::now();
  for (uint32_t frame = 0; frame < cpu_frames; ++frame) {
    player.advance(1.0f / 90.0f);
    player.evaluate(world, joints);
  }
  const double player_ms = ms_since(player_start) / cpu_frames;
  const auto reference_start = clock_type::now();
  for (uint32_t frame = 0; frame < cpu_frames; ++frame) {
    reference_pose(source.tree, std::fmod(static_cast<float>(frame + 1) / 90.0f, 2.0f), reference_local,
                   reference_world, reference_joints);
  }
  const double reference_ms = ms_since(reference_start) / cpu_frames;
  float largest_difference = 0.0f;
  for (size_t joint = 0; joint < joints.size(); ++joint) {
    for (int column = 0; column < 4; ++column) {
      const glm::vec4 gap = glm::abs(joints[joint][column] - reference_joints[joint][column]);
      largest_difference = std::max({largest_difference, gap.x, gap.y, gap.z, gap.w});
    }
  }

  // --- GPU: skinned against unskinned, one view and two ---
  const std::unique_ptr<render::GpuContext> context = bench::open_gpu("skinning_bench", options.gpu);
  if (!context) return 1;
  const std::array<render::View, 2> eyes{source.view, source.view};
  std::array<std::array<GpuRow, 2>, 2> rows{};  // [views − 1][skinned]
  for (uint32_t view_count = 1; view_count <= 2; ++view_count) {
    for (int skinned = 0; skinned < 2; ++skinned) {
      auto row = measure_gpu(*context, options, source, skinned == 1, {eyes.data(), view_count});
      if (!row) {
        std::fprintf(stderr, "skinning_bench: %s\n", row.error().describe().c_str());
        return 1;
      }
      rows[view_count - 1][static_cast<size_t>(skinned)] = *row;
    }
  }

  const auto& device = context->device_choice();
  const size_t vertices = source.scene.meshes[0].vertices.size();
  fmt::print("skinning_bench on {} ({}), {} characters of {} joints ({} vertices each), {}×{}, {} frames after {} "
             "warm-up\n\n",
             device.name, device.type, options.characters, options.joints, vertices, options.width, options.height,
             options.frames, options.warmup);
  fmt::print("CPU per frame: AnimationPlayer sample + blend + matrices {:.3f} ms; plain reference loop {:.3f} ms "
             "(ratio {:.2f}); largest difference {:.1e}\n\n",
             player_ms, reference_ms, player_ms / reference_ms, largest_difference);
  fmt::print("{:>5} {:>9} | {:>8} {:>9} {:>9} {:>9} | {:>10} {:>10}\n", "views", "mesh", "skinned", "pose ms",
             "shadow", "opaque", "GPU ms", "frame ms");
  for (uint32_t view_count = 1; view_count <= 2; ++view_count) {
    for (int skinned = 0; skinned < 2; ++skinned) {
      const GpuRow& row = rows[view_count - 1][static_cast<size_t>(skinned)];
      fmt::print("{:>5} {:>9} | {:>8} {:>9.3f} {:>9.3f} {:>9.3f} | {:>10.3f} {:>10.2f}\n", view_count,
                 skinned ? "skinned" : "rigid", row.skinned, row.pose_ms, row.shadow_ms, row.opaque_ms,
                 row.shadow_ms + row.opaque_ms, row.wall_ms);
    }
    const auto& pair = rows[view_count - 1];
    fmt::print("{:>5} {:>9} | skinning costs the GPU {:.3f} ms ({:+.0f} %)\n", view_count, "",
               pair[1].shadow_ms + pair[1].opaque_ms - pair[0].shadow_ms - pair[0].opaque_ms,
               100.0 * ((pair[1].shadow_ms + pair[1].opaque_ms) / (pair[0].shadow_ms + pair[0].opaque_ms) - 1.0));
  }
  return 0;
}
