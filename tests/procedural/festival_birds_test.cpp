// The festival's phoenix and rooster: skeletons, skins and clips as the sample scene needs them,
// read back through Assimp exactly as pavilion-pack imports them, and the same bytes every run.
#include "pavilion/core/file.h"
#include "pavilion/pack/model_import.h"
#include "pavilion/procedural/festival_birds.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace pavilion::procedural {
namespace {

std::vector<std::string> joint_names(const RiggedModel& model) {
  std::vector<std::string> names;
  for (const Joint& joint : model.joints) names.push_back(joint.name);
  return names;
}

// The joints a clip moves, by name.
std::set<std::string> moved_joints(const RiggedModel& model, const Clip& clip) {
  std::set<std::string> moved;
  for (const ClipChannel& channel : clip.channels) moved.insert(model.joints[channel.joint].name);
  return moved;
}

const Clip& clip_named(const RiggedModel& model, const std::string& name) {
  const auto found = std::find_if(model.clips.begin(), model.clips.end(), [&](const Clip& clip) { return clip.name == name; });
  EXPECT_NE(found, model.clips.end()) << name;
  return *found;
}

void expect_sound_skin(const RiggedModel& model) {
  ASSERT_FALSE(model.vertices.empty());
  ASSERT_EQ(model.indices.size() % 3, 0u);
  for (const uint32_t index : model.indices) ASSERT_LT(index, model.vertices.size());
  for (size_t index = 0; index < model.vertices.size(); ++index) {
    const SkinnedVertex& vertex = model.vertices[index];
    EXPECT_NEAR(vertex.weights.x + vertex.weights.y + vertex.weights.z + vertex.weights.w, 1.0f, 1e-5f) << model.name << " vertex " << index;
    for (int slot = 0; slot < 4; ++slot) {
      EXPECT_GE(vertex.weights[slot], 0.0f);
      EXPECT_LT(vertex.joints[static_cast<size_t>(slot)], model.joints.size());
    }
    EXPECT_NEAR(glm::length(vertex.normal), 1.0f, 1e-4f) << model.name << " vertex " << index;
  }
}

struct Bounds {
  glm::vec3 low{1e9f};
  glm::vec3 high{-1e9f};
};

Bounds bounds_of(const RiggedModel& model) {
  Bounds bounds;
  for (const SkinnedVertex& vertex : model.vertices) {
    bounds.low = glm::min(bounds.low, vertex.position);
    bounds.high = glm::max(bounds.high, vertex.position);
  }
  return bounds;
}

// The highest point of the vertices that `joint` carries most of.
float highest_carried_by(const RiggedModel& model, uint16_t joint) {
  float highest = -1e9f;
  for (const SkinnedVertex& vertex : model.vertices) {
    if (vertex.joints[0] == joint && vertex.weights.x > 0.5f) highest = std::max(highest, vertex.position.y);
  }
  return highest;
}

uint16_t joint_index(const RiggedModel& model, const std::string& name) {
  const std::vector<std::string> names = joint_names(model);
  return static_cast<uint16_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

TEST(ProceduralFestivalBirds, ThePhoenixHasItsBonesAndClips) {
  const RiggedModel phoenix = make_phoenix();
  EXPECT_EQ(joint_names(phoenix), (std::vector<std::string>{"root", "body", "neck_1", "neck_2", "head", "wing_upper.L", "wing_fore.L",
                                                            "wing_hand.L", "wing_upper.R", "wing_fore.R", "wing_hand.R", "tail_1",
                                                            "tail_2", "tail_3", "tail_4", "leg.L", "leg.R"}));
  for (const char* name : {"fly", "alight", "idle"}) {
    const std::set<std::string> moved = moved_joints(phoenix, clip_named(phoenix, name));
    for (const char* joint : {"wing_upper.L", "wing_hand.R", "neck_1", "head", "tail_1", "tail_4"}) {
      EXPECT_TRUE(moved.count(joint)) << "clip " << name << " does not move " << joint;
    }
  }
  EXPECT_TRUE(clip_named(phoenix, "fly").loops);
  EXPECT_TRUE(clip_named(phoenix, "idle").loops);
  EXPECT_FALSE(clip_named(phoenix, "alight").loops);
  expect_sound_skin(phoenix);
  const Bounds bounds = bounds_of(phoenix);
  EXPECT_NEAR(bounds.low.y, 0.0f, 0.02f) << "the phoenix stands on y = 0";
  EXPECT_NEAR(bounds.low.x, -bounds.high.x, 1e-4f) << "left and right mirror each other";
  EXPECT_GT(bounds.high.x, 1.2f) << "outstretched wings";
  EXPECT_LT(bounds.high.x, 2.0f);
  EXPECT_LT(bounds.low.z, -1.8f) << "long tail plumes";
  EXPECT_GT(bounds.high.y, 1.0f);
  EXPECT_LT(bounds.high.y, 1.5f);
}

TEST(ProceduralFestivalBirds, TheRoosterHasItsBonesAndClips) {
  const RiggedModel rooster = make_rooster();
  EXPECT_EQ(joint_names(rooster), (std::vector<std::string>{"root", "body", "neck_1", "neck_2", "head", "wing.L", "wing_tip.L", "wing.R",
                                                            "wing_tip.R", "tail_1", "tail_2", "tail_3", "thigh.L", "shin.L", "thigh.R",
                                                            "shin.R"}));
  for (const char* name : {"idle", "crow", "peck"}) {
    const std::set<std::string> moved = moved_joints(rooster, clip_named(rooster, name));
    for (const char* joint : {"wing.L", "wing.R", "neck_1", "head", "tail_1", "thigh.L"}) {
      EXPECT_TRUE(moved.count(joint)) << "clip " << name << " does not move " << joint;
    }
  }
  expect_sound_skin(rooster);
  const Bounds bounds = bounds_of(rooster);
  EXPECT_NEAR(bounds.low.y, 0.0f, 0.02f) << "the rooster stands on y = 0";
  EXPECT_GT(bounds.high.y, 0.75f) << "the comb stands above the head";
  EXPECT_LT(bounds.high.y, 0.95f);
  EXPECT_LT(bounds.high.x, 0.3f);
}

TEST(ProceduralFestivalBirds, LoopingClipsEndWhereTheyBegin) {
  for (const RiggedModel& model : {make_phoenix(), make_rooster()}) {
    for (const Clip& clip : model.clips) {
      for (const ClipChannel& channel : clip.channels) {
        ASSERT_EQ(channel.times.front(), 0.0f);
        for (size_t key = 1; key < channel.times.size(); ++key) ASSERT_GT(channel.times[key], channel.times[key - 1]);
        if (!clip.loops) continue;
        const glm::vec4 difference = glm::abs(channel.values.front() - channel.values.back());
        EXPECT_LT(std::max({difference.x, difference.y, difference.z, difference.w}), 1e-4f)
            << model.name << " " << clip.name << " joint " << model.joints[channel.joint].name;
      }
    }
  }
}

TEST(ProceduralFestivalBirds, TheClipsMoveTheWingsAndTheNeck) {
  const RiggedModel phoenix = make_phoenix();
  const Clip& fly = clip_named(phoenix, "fly");
  const uint16_t hand = joint_index(phoenix, "wing_hand.L");
  // The beat starts at the top of the stroke and is at its bottom half a period later.
  const float up = highest_carried_by(bake_pose(phoenix, fly, 0.0f, "up"), hand);
  const float down = highest_carried_by(bake_pose(phoenix, fly, fly.duration() / 2.0f, "down"), hand);
  EXPECT_GT(up - down, 0.5f) << "the wing tips beat through " << up - down << " m";
  const Clip& alight = clip_named(phoenix, "alight");
  const float before = bounds_of(bake_pose(phoenix, alight, 0.0f, "before")).low.y;
  const float landed = bounds_of(bake_pose(phoenix, alight, alight.duration(), "landed")).low.y;
  EXPECT_GT(before, 0.5f) << "it comes down from the air";
  EXPECT_NEAR(landed, 0.0f, 0.03f) << "and stands on the ground";

  const RiggedModel rooster = make_rooster();
  const Clip& crow = clip_named(rooster, "crow");
  const uint16_t head = joint_index(rooster, "head");
  const float resting = highest_carried_by(rooster, head);
  const float crowing = highest_carried_by(bake_pose(rooster, crow, 1.2f, "crowing"), head);
  EXPECT_GT(crowing - resting, 0.03f) << "the neck stretches up to crow";
  const Clip& peck = clip_named(rooster, "peck");
  const float pecking = highest_carried_by(bake_pose(rooster, peck, 0.45f, "pecking"), head);
  EXPECT_GT(resting - pecking, 0.2f) << "the head goes down to peck";
}

TEST(ProceduralFestivalBirds, NoPoseGoesThroughTheGround) {
  for (const RiggedModel& model : {make_phoenix(), make_rooster()}) {
    for (const Clip& clip : model.clips) {
      for (int step = 0; step <= 24; ++step) {
        const float time = clip.duration() * static_cast<float>(step) / 24.0f;
        EXPECT_GT(bounds_of(bake_pose(model, clip, time, "pose")).low.y, -0.03f) << model.name << " " << clip.name << " at " << time << " s";
      }
    }
  }
}

// What Assimp makes of the files is what a package holds: the same joints (each with the
// inverse of its rest position), the clips by name, every vertex weighted in full.
void expect_imported_as_authored(const RiggedModel& model, const std::filesystem::path& folder) {
  ASSERT_TRUE(write_gltf(model, folder).ok());
  const auto imported = pack::import_model(folder / (model.name + ".gltf"));
  ASSERT_TRUE(imported.ok()) << imported.error().describe();
  ASSERT_EQ(imported->tree.skins.size(), 1u);
  const scene::Skin& skin = imported->tree.skins[0];
  ASSERT_EQ(skin.joints.size(), model.joints.size());
  const std::vector<glm::vec3> rest = joint_rest_positions(model);
  const std::vector<glm::mat4> world = scene::world_transforms(imported->tree.nodes);
  for (size_t index = 0; index < skin.joints.size(); ++index) {
    const scene::Node& node = imported->tree.nodes[skin.joints[index]];
    const auto authored = std::find_if(model.joints.begin(), model.joints.end(), [&](const Joint& joint) { return joint.name == node.name; });
    ASSERT_NE(authored, model.joints.end()) << node.name;
    const glm::mat4 bound = skin.inverse_bind_matrices[index] * world[skin.joints[index]];
    for (int column = 0; column < 4; ++column) {
      for (int row = 0; row < 4; ++row) EXPECT_NEAR(bound[column][row], column == row ? 1.0f : 0.0f, 1e-4f) << node.name;
    }
  }
  std::vector<std::string> clips;
  for (const scene::Animation& animation : imported->tree.animations) {
    clips.push_back(animation.name);
    EXPECT_GE(animation.channels.size(), 8u) << animation.name;
  }
  std::vector<std::string> authored;
  for (const Clip& clip : model.clips) authored.push_back(clip.name);
  EXPECT_EQ(clips, authored);
  ASSERT_EQ(imported->meshes.size(), 1u);
  for (const scene::VertexSkin& vertex : imported->meshes[0].skin) {
    EXPECT_EQ(uint32_t{vertex.weights[0]} + vertex.weights[1] + vertex.weights[2] + vertex.weights[3], 65535u);
  }
}

TEST(ProceduralFestivalBirds, AssimpReadsThePhoenixWithItsBonesAndClips) {
  testing::TemporaryFolder folder;
  expect_imported_as_authored(make_phoenix(), folder.path());
}

TEST(ProceduralFestivalBirds, AssimpReadsTheRoosterWithItsBonesAndClips) {
  testing::TemporaryFolder folder;
  expect_imported_as_authored(make_rooster(), folder.path());
}

TEST(ProceduralFestivalBirds, TheFilesAreTheSameBytesEveryTime) {
  testing::TemporaryFolder folder;
  for (const char* run : {"first", "second"}) {
    std::filesystem::create_directories(folder / run);
    ASSERT_TRUE(write_gltf(make_phoenix(), folder / run).ok());
    ASSERT_TRUE(write_gltf(make_rooster(), folder / run).ok());
  }
  for (const char* file : {"phoenix.gltf", "phoenix.bin", "phoenix_color.png", "rooster.gltf", "rooster.bin", "rooster_color.png"}) {
    const auto first = read_file(folder / "first" / file);
    const auto second = read_file(folder / "second" / file);
    ASSERT_TRUE(first.ok() && second.ok()) << file;
    EXPECT_TRUE(*first == *second) << file << " differs between two runs";
  }
}

}  // namespace
}  // namespace pavilion::procedural
