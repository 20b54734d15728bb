#include "pavilion/scene/animation.h"

#include <algorithm>
#include <cmath>

namespace pavilion::scene {
namespace {

glm::vec4 to_vec4(const glm::quat& q) { return glm::vec4(q.x, q.y, q.z, q.w); }
glm::quat to_quat(const glm::vec4& v) { return glm::quat(v.w, v.x, v.y, v.z); }

// The unit quaternion between two, the short way round: q and -q are one rotation, so the far one
// is turned onto the near one's hemisphere first.
glm::vec4 slerp(glm::vec4 from, glm::vec4 to, float t) {
  float cosine = glm::dot(from, to);
  if (cosine < 0.0f) {
    to = -to;
    cosine = -cosine;
  }
  // Nearly the same rotation: the sine below would vanish, and a straight line is as good.
  if (cosine > 0.9995f) return glm::normalize(from + (to - from) * t);
  const float angle = std::acos(cosine);
  const float sine = std::sin(angle);
  return glm::normalize(from * (std::sin((1.0f - t) * angle) / sine) + to * (std::sin(t * angle) / sine));
}

// The value of `channel` at `seconds`, found by binary search among its keys.
glm::vec4 channel_value(const AnimationChannel& channel, float seconds) {
  const std::vector<float>& times = channel.times;
  const size_t per_key = values_per_key(channel.interpolation);
  // A cubic spline's key keeps its value between its tangents.
  const auto value = [&](size_t key) { return channel.values[key * per_key + (per_key == 3 ? 1 : 0)]; };
  const bool rotation = channel.property == AnimatedProperty::rotation;
  const auto finish = [rotation](glm::vec4 result) { return rotation ? glm::normalize(result) : result; };
  if (!(seconds > times.front())) return finish(value(0));
  if (seconds >= times.back()) return finish(value(times.size() - 1));
  // times[next - 1] <= seconds < times[next]
  const size_t next = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), seconds) - times.begin());
  const size_t key = next - 1;
  const float interval = times[next] - times[key];
  const float t = (seconds - times[key]) / interval;
  switch (channel.interpolation) {
    case Interpolation::step: return finish(value(key));
    case Interpolation::linear: return rotation ? slerp(value(key), value(next), t) : glm::mix(value(key), value(next), t);
    case Interpolation::cubic_spline: {
      // glTF's Appendix C: the out-tangent of this key and the in-tangent of the next, per second,
      // scaled to the interval.
      const glm::vec4 out_tangent = channel.values[key * 3 + 2] * interval;
      const glm::vec4 in_tangent = channel.values[next * 3] * interval;
      const float t2 = t * t;
      const float t3 = t2 * t;
      return finish((2.0f * t3 - 3.0f * t2 + 1.0f) * value(key) + (t3 - 2.0f * t2 + t) * out_tangent +
                    (-2.0f * t3 + 3.0f * t2) * value(next) + (t3 - t2) * in_tangent);
    }
  }
  return finish(value(key));
}

// The weights of `channel` at `seconds` into `out` (one per target), as channel_value does for
// a vector, each weight on its own.
void weight_values(const WeightChannel& channel, float seconds, std::span<float> out) {
  const std::vector<float>& times = channel.times;
  const size_t targets = out.size();
  const size_t per_key = values_per_key(channel.interpolation) * targets;
  const size_t value_offset = channel.interpolation == Interpolation::cubic_spline ? targets : 0;
  const auto value = [&](size_t key, size_t target) { return channel.values[key * per_key + value_offset + target]; };
  const auto hold = [&](size_t key) {
    for (size_t target = 0; target < targets; ++target) out[target] = value(key, target);
  };
  if (!(seconds > times.front())) return hold(0);
  if (seconds >= times.back()) return hold(times.size() - 1);
  const size_t next = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), seconds) - times.begin());
  const size_t key = next - 1;
  const float interval = times[next] - times[key];
  const float t = (seconds - times[key]) / interval;
  switch (channel.interpolation) {
    case Interpolation::step: return hold(key);
    case Interpolation::linear:
      for (size_t target = 0; target < targets; ++target) out[target] = std::lerp(value(key, target), value(next, target), t);
      return;
    case Interpolation::cubic_spline: {
      const float t2 = t * t;
      const float t3 = t2 * t;
      for (size_t target = 0; target < targets; ++target) {
        const float out_tangent = channel.values[key * per_key + 2 * targets + target] * interval;
        const float in_tangent = channel.values[next * per_key + target] * interval;
        out[target] = (2.0f * t3 - 3.0f * t2 + 1.0f) * value(key, target) + (t3 - 2.0f * t2 + t) * out_tangent +
                      (-2.0f * t3 + 3.0f * t2) * value(next, target) + (t3 - t2) * in_tangent;
      }
      return;
    }
  }
}

void rest_weights(const NodeTree& tree, std::span<float> weights) {
  size_t offset = 0;
  for (const Morph& morph : tree.morphs) {
    std::copy(morph.weights.begin(), morph.weights.end(), weights.begin() + static_cast<ptrdiff_t>(offset));
    offset += morph.weights.size();
  }
}

float clip_time(const Animation& animation, PlayEnd end, float seconds) {
  if (!(animation.duration > 0.0f)) return 0.0f;
  if (end == PlayEnd::clamp) return std::clamp(seconds, 0.0f, animation.duration);
  const float wrapped = std::fmod(seconds, animation.duration);
  return wrapped < 0.0f ? wrapped + animation.duration : wrapped;
}

}  // namespace

void sample(const Animation& animation, float seconds, std::span<NodeTransform> pose) {
  for (const AnimationChannel& channel : animation.channels) {
    expects(channel.node < pose.size(), "an animation channel names a node of the pose");
    NodeTransform& node = pose[channel.node];
    const glm::vec4 value = channel_value(channel, seconds);
    switch (channel.property) {
      case AnimatedProperty::translation: node.translation = glm::vec3(value); break;
      case AnimatedProperty::rotation: node.rotation = to_quat(value); break;
      case AnimatedProperty::scale: node.scale = glm::vec3(value); break;
    }
  }
}

void sample_weights(const NodeTree& tree, const Animation& animation, float seconds, std::span<float> weights) {
  expects(weights.size() == morph_weight_count(tree), "one weight per target of every morph");
  for (const WeightChannel& channel : animation.weight_channels) {
    expects(channel.morph < tree.morphs.size(), "a weight channel names a morph of the tree");
    size_t offset = 0;
    for (uint32_t morph = 0; morph < channel.morph; ++morph) offset += tree.morphs[morph].weights.size();
    weight_values(channel, seconds, weights.subspan(offset, tree.morphs[channel.morph].weights.size()));
  }
}

void world_transforms(std::span<const Node> nodes, std::span<const NodeTransform> pose, std::span<glm::mat4> world) {
  expects(pose.size() == nodes.size() && world.size() == nodes.size(), "one pose and one world transform per node");
  for (size_t index = 0; index < nodes.size(); ++index) {
    const glm::mat4 local = pose[index].matrix();
    const int32_t parent = nodes[index].parent;
    world[index] = parent == no_parent ? local : world[static_cast<size_t>(parent)] * local;
  }
}

size_t joint_matrix_count(const NodeTree& tree) {
  size_t count = 0;
  for (const Skin& skin : tree.skins) count += skin.joints.size();
  return count;
}

void joint_matrices(const NodeTree& tree, std::span<const glm::mat4> world, std::span<glm::mat4> joints) {
  expects(world.size() == tree.nodes.size() && joints.size() == joint_matrix_count(tree),
          "one world transform per node and one joint matrix per skin joint");
  size_t out = 0;
  for (const Skin& skin : tree.skins) {
    for (size_t joint = 0; joint < skin.joints.size(); ++joint) {
      joints[out++] = world[skin.joints[joint]] * skin.inverse_bind_matrices[joint];
    }
  }
}

AnimationPlayer::AnimationPlayer(const NodeTree& tree, size_t max_clips)
    : tree_(tree), max_clips_(max_clips), pose_(tree.nodes.size()), clip_pose_(tree.nodes.size()),
      rotation_sum_(tree.nodes.size()), clip_weights_(morph_weight_count(tree)) {
  expects(max_clips > 0, "a player plays at least one clip");
  clips_.reserve(max_clips);
  for (size_t index = 0; index < tree.nodes.size(); ++index) pose_[index] = tree.nodes[index].local;
}

float AnimationPlayer::weight(const Clip& clip) const {
  if (!(fade_seconds_ > 0.0f)) return clip.weight_to;
  const float progress = std::min(fade_elapsed_ / fade_seconds_, 1.0f);
  return clip.weight_from + (clip.weight_to - clip.weight_from) * progress;
}

void AnimationPlayer::add(Clip clip) {
  expects(clip.animation < tree_.animations.size(), "a clip names an animation of the tree");
  if (clips_.size() < max_clips_) {
    clips_.push_back(clip);
    return;
  }
  const auto least = std::min_element(clips_.begin(), clips_.end(),
                                      [&](const Clip& a, const Clip& b) { return weight(a) < weight(b); });
  *least = clip;
}

void AnimationPlayer::play(uint32_t animation, PlayEnd end, float fade_seconds, float speed) {
  if (!(fade_seconds > 0.0f)) {
    clips_.clear();
    fade_seconds_ = 0.0f;
    add({animation, end, speed, 0.0f, 1.0f, 1.0f});
    return;
  }
  for (Clip& clip : clips_) {
    clip.weight_from = weight(clip);
    clip.weight_to = 0.0f;
  }
  fade_elapsed_ = 0.0f;
  fade_seconds_ = fade_seconds;
  add({animation, end, speed, 0.0f, 0.0f, 1.0f});
}

void AnimationPlayer::blend(std::span<const WeightedClip> clips) {
  expects(clips.size() <= max_clips_, "no more clips blended than the player holds");
  clips_.clear();
  fade_seconds_ = 0.0f;
  for (const WeightedClip& clip : clips) add({clip.animation, clip.end, clip.speed, 0.0f, clip.weight, clip.weight});
}

void AnimationPlayer::stop() {
  clips_.clear();
  fade_seconds_ = 0.0f;
}

void AnimationPlayer::advance(float seconds) {
  for (Clip& clip : clips_) clip.time += seconds * clip.speed;
  if (!(fade_seconds_ > 0.0f)) return;
  fade_elapsed_ += seconds;
  if (fade_elapsed_ < fade_seconds_) return;
  // The fade is over: the clips faded out leave, the rest keep their final weights.
  std::erase_if(clips_, [](const Clip& clip) { return clip.weight_to <= 0.0f; });
  for (Clip& clip : clips_) clip.weight_from = clip.weight_to;
  fade_seconds_ = 0.0f;
}

void AnimationPlayer::evaluate(std::span<glm::mat4> world, std::span<glm::mat4> joints, std::span<float> weights) {
  expects(weights.empty() || weights.size() == clip_weights_.size(), "no weights, or one per target of every morph");
  const std::vector<Node>& nodes = tree_.nodes;
  float total = 0.0f;
  for (const Clip& clip : clips_) total += std::max(weight(clip), 0.0f);
  if (!weights.empty()) {
    // Each clip's weights over the rest weights, then their share of the sum: a clip that keys no
    // weights holds them at rest.
    if (!(total > 0.0f)) rest_weights(tree_, weights);
    if (total > 0.0f) std::fill(weights.begin(), weights.end(), 0.0f);
    for (const Clip& clip : clips_) {
      const float share = total > 0.0f ? std::max(weight(clip), 0.0f) / total : 0.0f;
      if (share == 0.0f) continue;
      rest_weights(tree_, clip_weights_);
      const Animation& animation = tree_.animations[clip.animation];
      sample_weights(tree_, animation, clip_time(animation, clip.end, clip.time), clip_weights_);
      for (size_t index = 0; index < weights.size(); ++index) weights[index] += share * clip_weights_[index];
    }
  }
  if (!(total > 0.0f)) {
    for (size_t index = 0; index < nodes.size(); ++index) pose_[index] = nodes[index].local;
  } else {
    for (size_t index = 0; index < nodes.size(); ++index) {
      pose_[index].translation = glm::vec3(0.0f);
      pose_[index].scale = glm::vec3(0.0f);
      rotation_sum_[index] = glm::vec4(0.0f);
    }
    for (const Clip& clip : clips_) {
      const float share = std::max(weight(clip), 0.0f) / total;
      if (share == 0.0f) continue;
      for (size_t index = 0; index < nodes.size(); ++index) clip_pose_[index] = nodes[index].local;
      const Animation& animation = tree_.animations[clip.animation];
      sample(animation, clip_time(animation, clip.end, clip.time), clip_pose_);
      for (size_t index = 0; index < nodes.size(); ++index) {
        const NodeTransform& sampled = clip_pose_[index];
        pose_[index].translation += share * sampled.translation;
        pose_[index].scale += share * sampled.scale;
        // Summed on the hemisphere of what is summed so far, so q and -q do not cancel.
        glm::vec4 rotation = to_vec4(sampled.rotation);
        if (glm::dot(rotation, rotation_sum_[index]) < 0.0f) rotation = -rotation;
        rotation_sum_[index] += share * rotation;
      }
    }
    for (size_t index = 0; index < nodes.size(); ++index) pose_[index].rotation = to_quat(glm::normalize(rotation_sum_[index]));
  }
  world_transforms(nodes, pose_, world);
  joint_matrices(tree_, world, joints);
}

}  // namespace pavilion::scene
