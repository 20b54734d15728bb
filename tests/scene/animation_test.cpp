// Clip sampling against values worked out by hand for each of glTF's interpolations, the player's
// looping, clamping, cross-fades and blends, and the joint matrices of a two-bone chain.
#include "pavilion/scene/animation.h"
#include "pavilion/scene/scene_tables.h"

#include <gtest/gtest.h>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

#include <array>
#include <cmath>
#include <vector>

namespace pavilion::scene {
namespace {

constexpr float tolerance = 1e-5f;

void expect_near(const glm::vec3& actual, const glm::vec3& expected, float within = tolerance) {
  for (int axis = 0; axis < 3; ++axis) EXPECT_NEAR(actual[axis], expected[axis], within) << "axis " << axis;
}

void expect_near(const glm::mat4& actual, const glm::mat4& expected) {
  for (int column = 0; column < 4; ++column) {
    for (int row = 0; row < 4; ++row) {
      EXPECT_NEAR(actual[column][row], expected[column][row], tolerance) << "column " << column << ", row " << row;
    }
  }
}

glm::vec4 point(float x, float y = 0.0f, float z = 0.0f) { return glm::vec4(x, y, z, 0.0f); }
glm::vec4 as_value(const glm::quat& q) { return glm::vec4(q.x, q.y, q.z, q.w); }

Animation one_channel(AnimationChannel channel, float duration = 2.0f) { return {"clip", duration, {std::move(channel)}}; }

NodeTransform sampled(const Animation& animation, float seconds) {
  std::array<NodeTransform, 1> pose{};
  sample(animation, seconds, pose);
  return pose[0];
}

float rotation_length(const glm::quat& q) { return std::sqrt(glm::dot(as_value(q), as_value(q))); }

// The angle a rotation about +z turns +x through, in degrees in (-180, 180].
float degrees_about_z(const glm::quat& q) {
  const glm::vec3 x = q * glm::vec3(1, 0, 0);
  return glm::degrees(std::atan2(x.y, x.x));
}

const Animation stepped = one_channel(
    {0, AnimatedProperty::translation, {0.0f, 1.0f, 2.0f}, {point(0), point(10), point(20)}, Interpolation::step});
const Animation linear = one_channel({0, AnimatedProperty::translation, {0.0f, 1.0f, 2.0f}, {point(0), point(10), point(20)}});

TEST(SceneAnimation, StepHoldsThePreviousKey) {
  EXPECT_EQ(sampled(stepped, 0.99f).translation.x, 0.0f);
  EXPECT_EQ(sampled(stepped, 1.0f).translation.x, 10.0f);
  EXPECT_EQ(sampled(stepped, 1.5f).translation.x, 10.0f);
  EXPECT_EQ(sampled(stepped, 1.999f).translation.x, 10.0f);
}

TEST(SceneAnimation, LinearIsHalfwayAtTheMidpoint) {
  EXPECT_FLOAT_EQ(sampled(linear, 0.5f).translation.x, 5.0f);
  EXPECT_FLOAT_EQ(sampled(linear, 1.25f).translation.x, 12.5f);
}

TEST(SceneAnimation, TimesOutsideTheKeysHoldTheEndKeys) {
  const Animation late = one_channel({0, AnimatedProperty::translation, {1.0f, 2.0f}, {point(3), point(7)}});
  EXPECT_EQ(sampled(late, 0.0f).translation.x, 3.0f);
  EXPECT_EQ(sampled(late, -4.0f).translation.x, 3.0f);
  EXPECT_EQ(sampled(late, 5.0f).translation.x, 7.0f);
  // A cubic spline's end keys give their values, not their tangents.
  const Animation curve = one_channel({0, AnimatedProperty::translation, {1.0f, 2.0f},
                                       {point(-9), point(3), point(-9), point(-9), point(7), point(-9)},
                                       Interpolation::cubic_spline});
  EXPECT_EQ(sampled(curve, 0.0f).translation.x, 3.0f);
  EXPECT_EQ(sampled(curve, 5.0f).translation.x, 7.0f);
}

TEST(SceneAnimation, SamplingWritesOnlyTheAnimatedProperties) {
  std::array<NodeTransform, 2> pose{};
  pose[0].scale = glm::vec3(4.0f);
  pose[1].translation = glm::vec3(1, 2, 3);
  sample(linear, 0.5f, pose);
  EXPECT_EQ(pose[0].translation.x, 5.0f);
  EXPECT_EQ(pose[0].scale, glm::vec3(4.0f));
  EXPECT_EQ(pose[1].translation, glm::vec3(1, 2, 3));
}

TEST(SceneAnimation, SlerpTakesTheShortWayAcrossTheHemisphere) {
  // 170° and -170° about z are 20° apart through 180°; their quaternions lie on opposite
  // hemispheres (w > 0 both, z of opposite signs: a dot product below zero), so a plain
  // interpolation would swing 340° the long way, through 0°.
  const glm::quat from = glm::angleAxis(glm::radians(170.0f), glm::vec3(0, 0, 1));
  const glm::quat to = glm::angleAxis(glm::radians(-170.0f), glm::vec3(0, 0, 1));
  ASSERT_LT(glm::dot(as_value(from), as_value(to)), 0.0f);
  const Animation turn = one_channel({0, AnimatedProperty::rotation, {0.0f, 1.0f}, {as_value(from), as_value(to)}}, 1.0f);
  EXPECT_NEAR(std::abs(degrees_about_z(sampled(turn, 0.5f).rotation)), 180.0f, 1e-3f);
  EXPECT_NEAR(degrees_about_z(sampled(turn, 0.25f).rotation), 175.0f, 1e-3f);
  EXPECT_NEAR(degrees_about_z(sampled(turn, 0.75f).rotation), -175.0f, 1e-3f);
  for (float seconds = 0.0f; seconds <= 1.0f; seconds += 0.0625f) {
    EXPECT_NEAR(rotation_length(sampled(turn, seconds).rotation), 1.0f, 1e-6f) << seconds << " s";
  }
}

TEST(SceneAnimation, LinearRotationIsSphericalNotStraight) {
  // 0° to 90° about z: a quarter of the way is 22.5°; a straight line between the quaternions,
  // normalised, would give about 20.7°.
  const Animation turn = one_channel({0, AnimatedProperty::rotation, {0.0f, 1.0f},
                                      {as_value(glm::quat(1, 0, 0, 0)),
                                       as_value(glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 0, 1)))}},
                                     1.0f);
  EXPECT_NEAR(degrees_about_z(sampled(turn, 0.25f).rotation), 22.5f, 1e-3f);
}

// Keys at 0 s and 2 s with values 1 and 3; out-tangent 0.5 per second after the first key,
// in-tangent -1 per second before the second. The other tangents are decoys that a mix-up of
// in and out would pick. Over an interval of 2 s the tangents scale to m0 = 1, m1 = -2, and
//   p(s) = (2s³ - 3s² + 1)·1 + (s³ - 2s² + s)·1 + (-2s³ + 3s²)·3 + (s³ - s²)·(-2)
// so p(0.5) = 0.5 + 0.125 + 1.5 + 0.25 = 2.375
// and p(0.25) = 0.84375 + 0.140625 + 0.46875 + 0.09375 = 1.546875.
const Animation hermite = one_channel({0, AnimatedProperty::translation, {0.0f, 2.0f},
                                       {point(70), point(1), point(0.5f), point(-1), point(3), point(90)},
                                       Interpolation::cubic_spline});

TEST(SceneAnimation, CubicSplineFollowsTheHermiteCurveWithTangentsScaledByTheInterval) {
  EXPECT_NEAR(sampled(hermite, 1.0f).translation.x, 2.375f, tolerance);
  EXPECT_NEAR(sampled(hermite, 0.5f).translation.x, 1.546875f, tolerance);
  EXPECT_EQ(sampled(hermite, 0.0f).translation.x, 1.0f);
  EXPECT_EQ(sampled(hermite, 2.0f).translation.x, 3.0f);
}

TEST(SceneAnimation, CubicSplineWithFlatTangentsIsSmoothstep) {
  const Animation flat = one_channel({0, AnimatedProperty::scale, {1.0f, 3.0f},
                                      {point(0), point(0, 0, 2), point(0), point(0), point(1, 1, 2), point(0)},
                                      Interpolation::cubic_spline},
                                     3.0f);
  for (const float s : {0.1f, 0.25f, 0.5f, 0.8f}) {
    const float smoothstep = s * s * (3.0f - 2.0f * s);
    expect_near(sampled(flat, 1.0f + 2.0f * s).scale, glm::vec3(smoothstep, smoothstep, 2.0f));
  }
}

TEST(SceneAnimation, CubicSplineRotationsAreNormalised) {
  const glm::vec4 tangent(0.0f, 0.0f, 2.0f, 0.0f);
  const Animation turn = one_channel({0, AnimatedProperty::rotation, {0.0f, 1.0f},
                                      {tangent, as_value(glm::quat(1, 0, 0, 0)), tangent, tangent,
                                       as_value(glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 0, 1))), tangent},
                                      Interpolation::cubic_spline},
                                     1.0f);
  for (const float seconds : {0.2f, 0.5f, 0.7f}) EXPECT_NEAR(rotation_length(sampled(turn, seconds).rotation), 1.0f, 1e-6f);
}

TEST(SceneAnimation, KeyLookupFindsTheRightIntervalAmongMany) {
  AnimationChannel ramp{0, AnimatedProperty::translation, {}, {}};
  for (int key = 0; key <= 1000; ++key) {
    ramp.times.push_back(0.01f * static_cast<float>(key));
    ramp.values.push_back(point(static_cast<float>(key)));
  }
  const Animation many = one_channel(ramp, 10.0f);
  for (const float seconds : {0.005f, 3.335f, 9.995f, 5.0f}) {
    EXPECT_NEAR(sampled(many, seconds).translation.x, seconds * 100.0f, 2e-3f) << seconds << " s";
  }
}

// One node; clip 0 slides it from x = 0 to 2 over 2 s; clips 1 and 2 hold it at x = 0 and x = 10
// turned 0° and 90° about y (clip 2's quaternion given negated: the same rotation).
NodeTree player_tree() {
  NodeTree tree;
  tree.nodes.push_back({"lantern", no_parent, {}});
  tree.animations.push_back(one_channel({0, AnimatedProperty::translation, {0.0f, 2.0f}, {point(0), point(2)}}));
  tree.animations.push_back({"still", 1.0f, {{0, AnimatedProperty::translation, {0.0f}, {point(0)}},
                                            {0, AnimatedProperty::rotation, {0.0f}, {as_value(glm::quat(1, 0, 0, 0))}}}});
  tree.animations.push_back(
      {"turned", 1.0f, {{0, AnimatedProperty::translation, {0.0f}, {point(10)}},
                        {0, AnimatedProperty::rotation, {0.0f},
                         {-as_value(glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 1, 0)))}}}});
  return tree;
}

glm::vec3 evaluated_translation(AnimationPlayer& player) {
  std::array<glm::mat4, 1> world{};
  player.evaluate(world, {});
  return player.pose()[0].translation;
}

TEST(SceneAnimationPlayer, LoopingWrapsAndClampingHolds) {
  const NodeTree tree = player_tree();
  AnimationPlayer player(tree);
  player.play(0, PlayEnd::loop);
  player.advance(2.5f);
  EXPECT_NEAR(evaluated_translation(player).x, 0.5f, tolerance);
  player.advance(2.0f);
  EXPECT_NEAR(evaluated_translation(player).x, 0.5f, tolerance);
  player.play(0, PlayEnd::clamp);
  player.advance(2.5f);
  EXPECT_EQ(evaluated_translation(player).x, 2.0f);
  player.play(0, PlayEnd::loop, 0.0f, 2.0f);  // twice as fast
  player.advance(0.5f);
  EXPECT_NEAR(evaluated_translation(player).x, 1.0f, tolerance);
}

TEST(SceneAnimationPlayer, CrossFadeGoesFromOneClipToTheOther) {
  const NodeTree tree = player_tree();
  AnimationPlayer player(tree);
  player.play(1);
  player.advance(0.3f);
  player.play(2, PlayEnd::loop, 1.0f);
  EXPECT_EQ(evaluated_translation(player).x, 0.0f);
  EXPECT_NEAR(degrees_about_z(player.pose()[0].rotation), 0.0f, 1e-3f);
  player.advance(0.5f);
  EXPECT_NEAR(evaluated_translation(player).x, 5.0f, tolerance);
  player.advance(0.5f);
  EXPECT_NEAR(evaluated_translation(player).x, 10.0f, tolerance);
  EXPECT_EQ(player.clips_in_play(), 1u);
  const glm::vec3 facing = player.pose()[0].rotation * glm::vec3(1, 0, 0);
  expect_near(facing, glm::vec3(0, 0, -1));
}

TEST(SceneAnimationPlayer, BlendingTwoClipsEvenlyMeetsHalfway) {
  const NodeTree tree = player_tree();
  AnimationPlayer player(tree);
  // Weights 3 and 3: normalised to a half each.
  const std::array<WeightedClip, 2> clips{WeightedClip{1, 3.0f}, WeightedClip{2, 3.0f}};
  player.blend(clips);
  EXPECT_NEAR(evaluated_translation(player).x, 5.0f, tolerance);
  // Halfway from 0° to 90° about y is 45°, although clip 2's quaternion lies on the other
  // hemisphere: summed as given, the two would nearly cancel and point elsewhere.
  const glm::quat rotation = player.pose()[0].rotation;
  expect_near(rotation * glm::vec3(1, 0, 0), glm::vec3(std::sqrt(0.5f), 0, -std::sqrt(0.5f)));
  EXPECT_NEAR(rotation_length(rotation), 1.0f, 1e-6f);
}

TEST(SceneAnimationPlayer, StoppedShowsTheRestPose) {
  NodeTree tree = player_tree();
  tree.nodes[0].local.translation = glm::vec3(0, 7, 0);
  AnimationPlayer player(tree);
  player.play(2);
  EXPECT_EQ(evaluated_translation(player), glm::vec3(10, 0, 0));
  player.stop();
  EXPECT_EQ(evaluated_translation(player), glm::vec3(0, 7, 0));
}

TEST(SceneAnimationPlayer, TwoBoneChainJointMatricesMatchHandComputedOnes) {
  // Two bones up +y, 1 long each: their bind-time worlds are T(0,1,0) and T(0,2,0), the inverse
  // binds T(0,-1,0) and T(0,-2,0). The clip moves the root to (1,1,0) and turns the second bone
  // 90° about z, so
  //   joint 0 = T(1,1,0)·T(0,-1,0) = T(1,0,0)
  //   joint 1 = T(1,1,0)·T(0,1,0)·Rz(90°)·T(0,-2,0): (x, y, z) → (3 - y, x + 2, z)
  // and the second bone's tip, (0,3,0) at bind time, lands at (0,2,0).
  NodeTree tree;
  tree.nodes.push_back({"upper", no_parent, {{0, 1, 0}, glm::quat(1, 0, 0, 0), glm::vec3(1)}});
  tree.nodes.push_back({"lower", 0, {{0, 1, 0}, glm::quat(1, 0, 0, 0), glm::vec3(1)}});
  tree.skins.push_back({"arm", {0, 1},
                        {glm::translate(glm::mat4(1.0f), glm::vec3(0, -1, 0)),
                         glm::translate(glm::mat4(1.0f), glm::vec3(0, -2, 0))}});
  tree.animations.push_back(
      {"reach", 1.0f, {{0, AnimatedProperty::translation, {0.0f}, {point(1, 1, 0)}, Interpolation::step},
                       {1, AnimatedProperty::rotation, {0.0f},
                        {as_value(glm::angleAxis(glm::radians(90.0f), glm::vec3(0, 0, 1)))}}}});
  ASSERT_TRUE(validate(tree).ok());
  ASSERT_EQ(joint_matrix_count(tree), 2u);
  AnimationPlayer player(tree);
  player.play(0);
  std::array<glm::mat4, 2> world{};
  std::array<glm::mat4, 2> joints{};
  player.evaluate(world, joints);
  glm::mat4 first(1.0f);
  first[3] = glm::vec4(1, 0, 0, 1);
  const glm::mat4 second(glm::vec4(0, 1, 0, 0), glm::vec4(-1, 0, 0, 0), glm::vec4(0, 0, 1, 0), glm::vec4(3, 2, 0, 1));
  expect_near(joints[0], first);
  expect_near(joints[1], second);
  expect_near(glm::vec3(joints[1] * glm::vec4(0, 3, 0, 1)), glm::vec3(0, 2, 0));
}

// Tables holding one node and a clip with a channel of each interpolation.
SceneTables tables_with_channels(std::vector<AnimationChannel> channels) {
  SceneTables tables;
  tables.id = "courtyard";
  tables.version = "1";
  tables.tree.nodes.push_back({"rooster", no_parent, {}});
  tables.tree.animations.push_back({"crow", 2.0f, std::move(channels)});
  return tables;
}

TEST(SceneAnimation, EveryInterpolationRoundTripsThroughTheSceneTables) {
  const SceneTables tables = tables_with_channels(
      {stepped.channels[0], linear.channels[0], hermite.channels[0],
       {0, AnimatedProperty::rotation, {0.5f}, {as_value(glm::angleAxis(0.5f, glm::vec3(0, 1, 0)))}, Interpolation::step}});
  const auto decoded = decode_scene_tables(encode_scene_tables(tables));
  ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
  const std::vector<AnimationChannel>& channels = decoded->tree.animations.at(0).channels;
  ASSERT_EQ(channels.size(), 4u);
  for (size_t index = 0; index < channels.size(); ++index) {
    const AnimationChannel& expected = tables.tree.animations[0].channels[index];
    EXPECT_EQ(channels[index].interpolation, expected.interpolation) << "channel " << index;
    EXPECT_EQ(channels[index].property, expected.property) << "channel " << index;
    EXPECT_EQ(channels[index].times, expected.times) << "channel " << index;
    EXPECT_EQ(channels[index].values, expected.values) << "channel " << index;
  }
}

TEST(SceneAnimation, AChannelWhoseValuesDoNotFitItsInterpolationIsRefusedByName) {
  const auto refusal = [](AnimationChannel broken) {
    const auto decoded = decode_scene_tables(encode_scene_tables(tables_with_channels({linear.channels[0], broken})));
    return decoded.ok() ? std::string("accepted") : decoded.error().why();
  };
  // Cubic spline keys with one value each, as a linear channel would have.
  AnimationChannel short_of_tangents = linear.channels[0];
  short_of_tangents.interpolation = Interpolation::cubic_spline;
  const std::string why = refusal(short_of_tangents);
  EXPECT_NE(why.find("animation 'crow', channel 1"), std::string::npos) << why;
  EXPECT_NE(why.find("3 key times and 3 values; each key needs 3 values (cubic spline)"), std::string::npos) << why;
  // Linear keys with a cubic spline's three values each.
  AnimationChannel with_tangents = hermite.channels[0];
  with_tangents.interpolation = Interpolation::linear;
  EXPECT_NE(refusal(with_tangents).find("channel 1"), std::string::npos);
  AnimationChannel unknown = linear.channels[0];
  unknown.interpolation = static_cast<Interpolation>(7);
  EXPECT_NE(refusal(unknown).find("interpolation 7 is unknown"), std::string::npos);
  AnimationChannel not_a_number = hermite.channels[0];
  not_a_number.values[2].x = NAN;  // the first key's out-tangent
  EXPECT_NE(refusal(not_a_number).find("key 0"), std::string::npos);
}

}  // namespace
}  // namespace pavilion::scene
