// Animation clips of motion-capture and game formats, packed by pavilion-pack's model import:
// BVH from Debian's assimp-testmodels, and MD5. The expected channels, durations and poses are
// worked out by hand from the files' own numbers (quoted below), not from Assimp.
//
// The Debian package (assimp-testmodels 5.2.5) holds MD5/SimpleCube.md5mesh without its
// .md5anim, so the MD5 clip here is a small .md5anim written beside a copy of that mesh.
#include "pavilion/pack/model_import.h"
#include "pavilion/scene/animation.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>
#include <glm/gtc/quaternion.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

namespace pavilion::pack {
namespace {

namespace fs = std::filesystem;

const fs::path corpus = "/usr/share/assimp/models";

// The mocap files are a few megabytes of text; these leave room for a loaded build machine.
constexpr ImportLimits test_limits{uint64_t{512} << 20, std::chrono::seconds(30), std::chrono::seconds(60)};

const scene::Node* find_node(const scene::NodeTree& tree, std::string_view name, uint32_t* index = nullptr) {
  for (uint32_t node = 0; node < tree.nodes.size(); ++node) {
    if (tree.nodes[node].name != name) continue;
    if (index) *index = node;
    return &tree.nodes[node];
  }
  return nullptr;
}

size_t channels_of(const scene::Animation& clip, scene::AnimatedProperty property) {
  size_t count = 0;
  for (const scene::AnimationChannel& channel : clip.channels) count += channel.property == property;
  return count;
}

// Each node's local transform with `clip` sampled at `seconds` over the tree's rest pose.
std::vector<scene::NodeTransform> pose_at(const scene::NodeTree& tree, const scene::Animation& clip, float seconds) {
  std::vector<scene::NodeTransform> pose;
  for (const scene::Node& node : tree.nodes) pose.push_back(node.local);
  scene::sample(clip, seconds, pose);
  return pose;
}

glm::quat degrees_about(float degrees, glm::vec3 axis) { return glm::angleAxis(glm::radians(degrees), axis); }

// Rotations compared as matrices: q and −q turn alike.
void expect_same_rotation(const glm::quat& actual, const glm::quat& expected, const char* what) {
  const glm::mat3 a = glm::mat3_cast(actual);
  const glm::mat3 e = glm::mat3_cast(expected);
  for (int column = 0; column < 3; ++column) {
    for (int row = 0; row < 3; ++row) {
      EXPECT_NEAR(a[column][row], e[column][row], 2e-3f) << what << " [" << column << "][" << row << "]";
    }
  }
}

constexpr glm::vec3 x_axis(1, 0, 0);
constexpr glm::vec3 y_axis(0, 1, 0);
constexpr glm::vec3 z_axis(0, 0, 1);

TEST(PackAnimatedFormats, ABvhTakePlaysWithEveryJointsRotationsInTheFilesOrder) {
  const fs::path file = corpus / "BVH/01_01.bvh";
  if (!fs::exists(file)) GTEST_SKIP() << file << " is missing: install Debian's assimp-testmodels (scripts/setup)";
  const auto model = import_model(file, test_limits);
  ASSERT_TRUE(model.ok()) << model.error().describe();
  ASSERT_EQ(model->tree.animations.size(), 1u);
  const scene::Animation& clip = model->tree.animations[0];
  EXPECT_EQ(clip.name, "Motion");  // BVH names no clip; Assimp calls its one take this
  // MOTION: "Frames: 2752", "Frame Time: .0083333": 2751 frame times from the first frame to the last.
  EXPECT_NEAR(clip.duration, 2751 * 0.0083333f, 1e-3f);
  // 31 joints carry CHANNELS (96 numbers a frame: the root's 6, then 3 for each of 30 joints). Four
  // of them read 0 0 0 in every frame (LHipJoint, RHipJoint, LeftShoulder, RightShoulder): a
  // channel that holds the rest pose changes nothing and is left out. That leaves 27 rotation
  // channels; the root (Hips) alone moves; nothing scales.
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::rotation), 27u);
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::translation), 1u);
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::scale), 0u);
  for (const scene::AnimationChannel& channel : clip.channels) EXPECT_EQ(channel.times.size(), 2752u);
  for (const char* still : {"LHipJoint", "RHipJoint", "LeftShoulder", "RightShoulder"}) {
    uint32_t node = 0;
    ASSERT_TRUE(find_node(model->tree, still, &node)) << still;
    EXPECT_TRUE(std::none_of(clip.channels.begin(), clip.channels.end(),
                             [&](const scene::AnimationChannel& channel) { return channel.node == node; }))
        << still;
  }
  ASSERT_FALSE(model->tree.skins.empty()) << "Assimp's stand-in skeleton mesh is skinned to the joints";

  // Frame 100 (line 288): Hips at 9.4705 17.8549 -18.2081, turned Z -5.5627, Y -4.1155, X 4.1142
  // degrees; LeftUpLeg (numbers 10–12) Z -10.4645, Y -1.5300, X -13.6913. "CHANNELS … Zrotation
  // Yrotation Xrotation" composes as Rz · Ry · Rx.
  uint32_t hips = 0;
  uint32_t left_up_leg = 0;
  ASSERT_TRUE(find_node(model->tree, "Hips", &hips));
  ASSERT_TRUE(find_node(model->tree, "LeftUpLeg", &left_up_leg));
  const auto pose = pose_at(model->tree, clip, 100 * 0.0083333f);
  EXPECT_NEAR(pose[hips].translation.x, 9.4705f, 1e-3f);
  EXPECT_NEAR(pose[hips].translation.y, 17.8549f, 1e-3f);
  EXPECT_NEAR(pose[hips].translation.z, -18.2081f, 1e-3f);
  expect_same_rotation(
      pose[hips].rotation,
      degrees_about(-5.5627f, z_axis) * degrees_about(-4.1155f, y_axis) * degrees_about(4.1142f, x_axis),
      "Hips at frame 100");
  expect_same_rotation(
      pose[left_up_leg].rotation,
      degrees_about(-10.4645f, z_axis) * degrees_about(-1.5300f, y_axis) * degrees_about(-13.6913f, x_axis),
      "LeftUpLeg at frame 100");
  // LeftUpLeg's OFFSET (1.36306 -1.79463 0.83929) is where it stays on its parent.
  EXPECT_NEAR(pose[left_up_leg].translation.x, 1.36306f, 1e-4f);
  EXPECT_NEAR(pose[left_up_leg].translation.y, -1.79463f, 1e-4f);
}

TEST(PackAnimatedFormats, ABvhTakeInAnotherRotationOrderComposesInThatOrder) {
  const fs::path file = corpus / "BVH/Boxing_Toes.bvh";
  if (!fs::exists(file)) GTEST_SKIP() << file << " is missing: install Debian's assimp-testmodels (scripts/setup)";
  const auto model = import_model(file, test_limits);
  ASSERT_TRUE(model.ok()) << model.error().describe();
  ASSERT_EQ(model->tree.animations.size(), 1u);
  const scene::Animation& clip = model->tree.animations[0];
  // "Frames: 3069", "Frame Time: 0.010000"; 21 joints carry CHANNELS.
  EXPECT_NEAR(clip.duration, 30.68f, 1e-3f);
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::rotation), 21u);
  // Frame 100: Hips turned Z 1.867686, X -0.731862, Y 179.362110 ("Zrotation Xrotation
  // Yrotation": Rz · Rx · Ry); Ab Z -0.087245, X -12.189222, Y 0.937881.
  uint32_t hips = 0;
  uint32_t ab = 0;
  ASSERT_TRUE(find_node(model->tree, "Hips", &hips));
  ASSERT_TRUE(find_node(model->tree, "Ab", &ab));
  const auto pose = pose_at(model->tree, clip, 100 * 0.01f);
  EXPECT_NEAR(pose[hips].translation.y, 91.921684f, 1e-3f);
  expect_same_rotation(
      pose[hips].rotation,
      degrees_about(1.867686f, z_axis) * degrees_about(-0.731862f, x_axis) * degrees_about(179.36211f, y_axis),
      "Hips at frame 100");
  expect_same_rotation(
      pose[ab].rotation,
      degrees_about(-0.087245f, z_axis) * degrees_about(-12.189222f, x_axis) * degrees_about(0.937881f, y_axis),
      "Ab at frame 100");
}

// Three frames at 24 a second turning joint1 (its quaternion's x, y and z animated; MD5 keeps
// x, y, z and w = −√(1 − x² − y² − z²)): none, then x = 0.5, then y = 0.6.
constexpr std::string_view simple_cube_anim = R"(MD5Version 10
commandline "written by hand for Pavilion's import test"

numFrames 3
numJoints 3
frameRate 24
numAnimatedComponents 3

hierarchy {
	"origin"	-1 0 0	//
	"root"	0 0 0	// origin
	"joint1"	1 56 0	// root ( Qx Qy Qz )
}

bounds {
	( -1 -1 -1 ) ( 1 1 33 )
	( -1 -1 -1 ) ( 1 1 33 )
	( -1 -1 -1 ) ( 1 1 33 )
}

baseframe {
	( 0 0 0 ) ( 0 0 0 )
	( 0 0 0 ) ( -0.5 0.5 -0.5 )
	( 0 0 32 ) ( 0 0 0 )
}

frame 0 {
	0 0 0
}

frame 1 {
	0.5 0 0
}

frame 2 {
	0 0.6 0
}
)";

TEST(PackAnimatedFormats, TheDebianMd5MeshComesWithoutItsAnimationAndPacksSkinned) {
  const fs::path file = corpus / "MD5/SimpleCube.md5mesh";
  if (!fs::exists(file)) GTEST_SKIP() << file << " is missing: install Debian's assimp-testmodels (scripts/setup)";
  EXPECT_FALSE(fs::exists(corpus / "MD5/SimpleCube.md5anim")) << "Debian now ships the animation: test it instead";
  const auto model = import_model(file, test_limits);
  ASSERT_TRUE(model.ok()) << model.error().describe();
  EXPECT_TRUE(model->tree.animations.empty());
  ASSERT_EQ(model->tree.skins.size(), 1u);
  EXPECT_TRUE(find_node(model->tree, "joint1"));
}

TEST(PackAnimatedFormats, AnMd5AnimationBesideItsMeshPlaysItsFrames) {
  const fs::path mesh = corpus / "MD5/SimpleCube.md5mesh";
  if (!fs::exists(mesh)) GTEST_SKIP() << mesh << " is missing: install Debian's assimp-testmodels (scripts/setup)";
  testing::TemporaryFolder folder;
  fs::copy_file(mesh, folder / "SimpleCube.md5mesh");
  std::ofstream(folder / "SimpleCube.md5anim", std::ios::binary) << simple_cube_anim;
  const auto model = import_model(folder / "SimpleCube.md5mesh", test_limits);
  ASSERT_TRUE(model.ok()) << model.error().describe();
  ASSERT_EQ(model->tree.animations.size(), 1u);
  const scene::Animation& clip = model->tree.animations[0];
  EXPECT_NEAR(clip.duration, 2.0f / 24.0f, 1e-6f);  // three frames, two frame times of 1/24 s
  // Every joint is keyed in every frame, position and orientation. A channel holding the mesh's
  // own rest pose changes nothing and is left out: the positions of origin and root (0 0 0, as in
  // the mesh). joint1's baseframe position (0 0 32) is not where the mesh binds it (31.98 from
  // root, a little off the axis), and every baseframe orientation comes with MD5's negative w,
  // so those stay. Nothing scales.
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::rotation), 3u);
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::translation), 1u);
  EXPECT_EQ(channels_of(clip, scene::AnimatedProperty::scale), 0u);
  uint32_t joint1 = 0;
  ASSERT_TRUE(find_node(model->tree, "joint1", &joint1));
  // Frame 1: (0.5, 0, 0, −√0.75) is −60° about x; frame 2: (0, 0.6, 0, −0.8) is −2·acos 0.8
  // (−73.74°) about y. The baseframe keeps joint1 32 units along its parent's z.
  const auto frame1 = pose_at(model->tree, clip, 1.0f / 24.0f);
  expect_same_rotation(frame1[joint1].rotation, degrees_about(-60.0f, x_axis), "joint1 at frame 1");
  EXPECT_NEAR(frame1[joint1].translation.z, 32.0f, 1e-5f);
  const auto frame2 = pose_at(model->tree, clip, 2.0f / 24.0f);
  expect_same_rotation(frame2[joint1].rotation, glm::angleAxis(-2.0f * std::acos(0.8f), y_axis), "joint1 at frame 2");
  // Halfway between frames 1 and 2 the turn is the spherical blend of the two.
  const auto between = pose_at(model->tree, clip, 1.5f / 24.0f);
  expect_same_rotation(between[joint1].rotation,
                       glm::slerp(degrees_about(-60.0f, x_axis), glm::angleAxis(-2.0f * std::acos(0.8f), y_axis), 0.5f),
                       "joint1 between frames 1 and 2");
}

// A BVH whose frames last no time (Frame Time: 0) has all its keys at one instant: said at pack
// time, naming the file and the take, instead of packing a clip that never moves.
TEST(PackAnimatedFormats, ABvhWhoseFramesLastNoTimeIsRefusedNamingTheFileAndTheTake) {
  testing::TemporaryFolder folder;
  std::ofstream(folder / "frozen.bvh", std::ios::binary) << "HIERARCHY\nROOT Hips\n{\n\tOFFSET 0 0 0\n"
      "\tCHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation\n\tJOINT Head\n\t{\n\t\tOFFSET 0 1 0\n"
      "\t\tCHANNELS 3 Zrotation Yrotation Xrotation\n\t\tEnd Site\n\t\t{\n\t\t\tOFFSET 0 1 0\n\t\t}\n\t}\n}\n"
      "MOTION\nFrames: 2\nFrame Time: 0\n0 0 0 0 0 0 0 0 0\n1 0 0 90 0 0 0 0 45\n";
  const auto model = import_model(folder / "frozen.bvh", test_limits);
  ASSERT_FALSE(model.ok());
  const std::string said = model.error().describe();
  for (const char* part : {"frozen.bvh", "animation 'Motion' cannot be played", "frame time"}) {
    EXPECT_NE(said.find(part), std::string::npos) << part << " in: " << said;
  }
}

}  // namespace
}  // namespace pavilion::pack
