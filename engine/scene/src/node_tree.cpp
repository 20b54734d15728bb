#include "pavilion/scene/node_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace pavilion::scene {
namespace {

Error invalid(std::string why) { return Error(ErrorCode::invalid_input, "checking the node tree", std::move(why)); }

bool finite(const glm::vec4& value) {
  return std::isfinite(value.x) && std::isfinite(value.y) && std::isfinite(value.z) && std::isfinite(value.w);
}

bool sound(const NodeTransform& transform) {
  const glm::vec4 rotation(transform.rotation.x, transform.rotation.y, transform.rotation.z, transform.rotation.w);
  return finite(glm::vec4(transform.translation, 0.0f)) && finite(glm::vec4(transform.scale, 0.0f)) && finite(rotation) &&
         std::abs(glm::length(rotation) - 1.0f) < 1e-3f;
}

Result<void> validate_weight_channels(const NodeTree& tree, const Animation& animation);

}  // namespace

std::string_view to_string(AnimatedProperty property) {
  switch (property) {
    case AnimatedProperty::translation: return "translation";
    case AnimatedProperty::rotation: return "rotation";
    case AnimatedProperty::scale: return "scale";
  }
  return "unknown";
}

std::string_view to_string(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::linear: return "linear";
    case Interpolation::step: return "step";
    case Interpolation::cubic_spline: return "cubic spline";
  }
  return "unknown";
}

glm::mat4 NodeTransform::matrix() const {
  glm::mat4 result = glm::mat4_cast(rotation);
  result[0] *= scale.x;
  result[1] *= scale.y;
  result[2] *= scale.z;
  result[3] = glm::vec4(translation, 1.0f);
  return result;
}

size_t morph_weight_count(const NodeTree& tree) {
  size_t count = 0;
  for (const Morph& morph : tree.morphs) count += morph.weights.size();
  return count;
}

std::vector<glm::mat4> world_transforms(std::span<const Node> nodes) {
  std::vector<glm::mat4> world(nodes.size());
  for (size_t index = 0; index < nodes.size(); ++index) {
    const Node& node = nodes[index];
    const glm::mat4 local = node.local.matrix();
    // Parents come first (validate), so theirs is ready.
    world[index] = node.parent == no_parent ? local : world[static_cast<size_t>(node.parent)] * local;
  }
  return world;
}

Result<void> validate(const NodeTree& tree) {
  for (size_t index = 0; index < tree.nodes.size(); ++index) {
    const Node& node = tree.nodes[index];
    if (node.parent != no_parent && (node.parent < 0 || static_cast<size_t>(node.parent) >= index)) {
      return invalid(fmt::format("node {} ('{}') has parent {}, which does not come before it", index, node.name,
                                 node.parent));
    }
    if (!sound(node.local)) {
      return invalid(fmt::format("node {} ('{}') has a transform that is not finite or a rotation that is not a unit "
                                 "quaternion", index, node.name));
    }
  }
  for (size_t index = 0; index < tree.skins.size(); ++index) {
    const Skin& skin = tree.skins[index];
    if (skin.joints.empty() || skin.joints.size() != skin.inverse_bind_matrices.size() ||
        skin.joints.size() > size_t{std::numeric_limits<uint16_t>::max()} + 1) {
      return invalid(fmt::format("skin {} ('{}') has {} joints and {} inverse bind matrices; it needs one of each per "
                                 "joint, at most 65536", index, skin.name, skin.joints.size(),
                                 skin.inverse_bind_matrices.size()));
    }
    for (uint32_t joint : skin.joints) {
      if (joint >= tree.nodes.size()) return invalid(fmt::format("skin {} ('{}') names node {}, which does not exist", index, skin.name, joint));
    }
  }
  for (size_t index = 0; index < tree.instances.size(); ++index) {
    const InstanceNode& instance = tree.instances[index];
    if (instance.node >= tree.nodes.size() ||
        (instance.skin != no_skin && (instance.skin < 0 || static_cast<size_t>(instance.skin) >= tree.skins.size()))) {
      return invalid(fmt::format("instance {} hangs from node {} with skin {}; there are {} nodes and {} skins", index,
                                 instance.node, instance.skin, tree.nodes.size(), tree.skins.size()));
    }
    if (instance.morph != no_morph &&
        (instance.morph < 0 || static_cast<size_t>(instance.morph) >= tree.morphs.size() ||
         tree.morphs[static_cast<size_t>(instance.morph)].node != instance.node)) {
      return invalid(fmt::format("instance {} hangs from node {} with morph {}, which is not one of that node's {} "
                                 "morphs", index, instance.node, instance.morph, tree.morphs.size()));
    }
  }
  for (size_t index = 0; index < tree.morphs.size(); ++index) {
    const Morph& morph = tree.morphs[index];
    if (morph.node >= tree.nodes.size() || morph.weights.empty() || morph.weights.size() > max_morph_targets ||
        !std::all_of(morph.weights.begin(), morph.weights.end(), [](float weight) { return std::isfinite(weight); })) {
      return invalid(fmt::format("morph {} (node {}) has {} weights; it needs a node of the tree and from 1 to {} "
                                 "finite weights", index, morph.node, morph.weights.size(), max_morph_targets));
    }
  }
  for (const Animation& animation : tree.animations) {
    if (!std::isfinite(animation.duration) || animation.duration < 0.0f) {
      return invalid(fmt::format("animation '{}' lasts {} seconds", animation.name, animation.duration));
    }
    for (size_t index = 0; index < animation.channels.size(); ++index) {
      const AnimationChannel& channel = animation.channels[index];
      const auto where = fmt::format("animation '{}', channel {} (node {})", animation.name, index, channel.node);
      if (channel.node >= tree.nodes.size()) return invalid(where + ": there is no such node");
      if (static_cast<uint32_t>(channel.property) > static_cast<uint32_t>(AnimatedProperty::scale)) {
        return invalid(fmt::format("{}: property {} is unknown", where, static_cast<uint32_t>(channel.property)));
      }
      if (static_cast<uint32_t>(channel.interpolation) > static_cast<uint32_t>(Interpolation::cubic_spline)) {
        return invalid(fmt::format("{}: interpolation {} is unknown", where, static_cast<uint32_t>(channel.interpolation)));
      }
      const size_t per_key = values_per_key(channel.interpolation);
      if (channel.times.empty() || channel.values.size() != channel.times.size() * per_key) {
        return invalid(fmt::format("{}: {} key times and {} values; each key needs {} value{} ({})", where,
                                   channel.times.size(), channel.values.size(), per_key, per_key == 1 ? "" : "s",
                                   to_string(channel.interpolation)));
      }
      for (size_t key = 0; key < channel.times.size(); ++key) {
        const float time = channel.times[key];
        const auto key_values = std::span(channel.values).subspan(key * per_key, per_key);
        if (!std::isfinite(time) || time < 0.0f || (key > 0 && time <= channel.times[key - 1]) ||
            !std::all_of(key_values.begin(), key_values.end(), finite)) {
          return invalid(fmt::format("{}: key {} (at {} s) is not finite or not after the key before it", where, key, time));
        }
      }
    }
    PV_TRY(validate_weight_channels(tree, animation));
  }
  return {};
}

namespace {

Result<void> validate_weight_channels(const NodeTree& tree, const Animation& animation) {
  for (size_t index = 0; index < animation.weight_channels.size(); ++index) {
    const WeightChannel& channel = animation.weight_channels[index];
    const auto where = fmt::format("animation '{}', weight channel {} (morph {})", animation.name, index, channel.morph);
    if (channel.morph >= tree.morphs.size()) return invalid(where + ": there is no such morph");
    if (static_cast<uint32_t>(channel.interpolation) > static_cast<uint32_t>(Interpolation::cubic_spline)) {
      return invalid(fmt::format("{}: interpolation {} is unknown", where, static_cast<uint32_t>(channel.interpolation)));
    }
    const size_t per_key = values_per_key(channel.interpolation) * tree.morphs[channel.morph].weights.size();
    if (channel.times.empty() || channel.values.size() != channel.times.size() * per_key) {
      return invalid(fmt::format("{}: {} key times and {} values; each key needs {} ({}, one per target)", where,
                                 channel.times.size(), channel.values.size(), per_key, to_string(channel.interpolation)));
    }
    for (size_t key = 0; key < channel.times.size(); ++key) {
      const float time = channel.times[key];
      const auto key_values = std::span(channel.values).subspan(key * per_key, per_key);
      if (!std::isfinite(time) || time < 0.0f || (key > 0 && time <= channel.times[key - 1]) ||
          !std::all_of(key_values.begin(), key_values.end(), [](float value) { return std::isfinite(value); })) {
        return invalid(fmt::format("{}: key {} (at {} s) is not finite or not after the key before it", where, key, time));
      }
    }
  }
  return {};
}

}  // namespace

Result<void> validate_skinning(const NodeTree& tree, std::span<const MeshData> meshes,
                               std::span<const InstanceData> instances) {
  if (tree.instances.size() != instances.size()) {
    return invalid(fmt::format("{} instances hang from nodes, but there are {} instances", tree.instances.size(),
                               instances.size()));
  }
  for (size_t index = 0; index < tree.instances.size(); ++index) {
    const int32_t morph = tree.instances[index].morph;
    if (morph == no_morph) continue;
    const MeshData& mesh = meshes[instances[index].mesh];
    const size_t weights = tree.morphs.at(static_cast<size_t>(morph)).weights.size();
    if (mesh.morph_target_count() != weights) {
      return invalid(fmt::format("instance {} has morph {} of {} weights, but mesh '{}' has {} morph targets", index,
                                 morph, weights, mesh.name, mesh.morph_target_count()));
    }
  }
  for (size_t index = 0; index < tree.instances.size(); ++index) {
    const int32_t skin = tree.instances[index].skin;
    if (skin == no_skin) continue;
    const MeshData& mesh = meshes[instances[index].mesh];
    const size_t joint_count = tree.skins.at(static_cast<size_t>(skin)).joints.size();
    if (mesh.skin.empty()) return invalid(fmt::format("instance {} has skin {}, but mesh '{}' has no weights", index, skin, mesh.name));
    for (const VertexSkin& vertex : mesh.skin) {
      for (uint16_t joint : vertex.joints) {
        if (joint >= joint_count) {
          return invalid(fmt::format("mesh '{}' names joint {}, but skin {} has {} joints", mesh.name, joint, skin, joint_count));
        }
      }
    }
  }
  return {};
}

}  // namespace pavilion::scene
