#include "pavilion/render/view.h"

#include <glm/gtc/quaternion.hpp>
#include <gtest/gtest.h>

namespace pavilion::render {
namespace {

glm::vec3 project(const glm::mat4& projection, const glm::vec3& eye_space) {
  const glm::vec4 clip = projection * glm::vec4(eye_space, 1.0f);
  return glm::vec3(clip) / clip.w;
}

TEST(RenderView, ReverseZPutsTheNearPlaneAtOneAndInfinityAtZero) {
  const glm::mat4 projection = perspective_reverse_z(symmetric_field_of_view(1.0f, 1.0f), 0.1f);
  EXPECT_NEAR(project(projection, {0, 0, -0.1f}).z, 1.0f, 1e-6f);
  EXPECT_NEAR(project(projection, {0, 0, -1000.0f}).z, 1e-4f, 1e-6f);
  EXPECT_GT(project(projection, {0, 0, -1e9f}).z, 0.0f);
}

TEST(RenderView, FieldOfViewEdgesLandOnTheViewportEdges) {
  const FieldOfView fov{-0.7f, 0.9f, 0.8f, -0.6f};  // asymmetric, as a headset eye's
  const glm::mat4 projection = perspective_reverse_z(fov, 0.05f);
  EXPECT_NEAR(project(projection, {-0.7f, 0, -1}).x, -1.0f, 1e-5f);
  EXPECT_NEAR(project(projection, {0.9f, 0, -1}).x, 1.0f, 1e-5f);
  // Vulkan's y points down: up in the eye is −1 in clip space.
  EXPECT_NEAR(project(projection, {0, 0.8f, -1}).y, -1.0f, 1e-5f);
  EXPECT_NEAR(project(projection, {0, -0.6f, -1}).y, 1.0f, 1e-5f);
}

TEST(RenderView, SymmetricFieldOfViewFollowsTheAspectRatio) {
  const FieldOfView fov = symmetric_field_of_view(glm::radians(90.0f), 2.0f);
  EXPECT_NEAR(fov.tan_up, 1.0f, 1e-6f);
  EXPECT_NEAR(fov.tan_right, 2.0f, 1e-6f);
  EXPECT_NEAR(fov.tan_left, -2.0f, 1e-6f);
}

TEST(RenderView, LookAtAndPoseAgreeOnWhereTheEyeIs) {
  const View look = look_at_view({1, 2, 3}, {1, 2, 0}, symmetric_field_of_view(1.0f, 1.0f));
  EXPECT_NEAR(glm::distance(view_position(look), glm::vec3(1, 2, 3)), 0.0f, 1e-5f);
  const View pose = pose_view({1, 2, 3}, glm::quat(1, 0, 0, 0), symmetric_field_of_view(1.0f, 1.0f));
  EXPECT_NEAR(glm::distance(view_position(pose), glm::vec3(1, 2, 3)), 0.0f, 1e-5f);
  // An identity orientation looks down −Z, as does the look-at above.
  const glm::vec4 ahead_look = look.view * glm::vec4(1, 2, -5, 1);
  const glm::vec4 ahead_pose = pose.view * glm::vec4(1, 2, -5, 1);
  EXPECT_NEAR(glm::distance(ahead_look, ahead_pose), 0.0f, 1e-5f);
}

TEST(RenderView, LookingStraightDownStaysWellDefined) {
  const View view = look_at_view({0, 10, 0}, {0, 0, 0}, symmetric_field_of_view(1.0f, 1.0f));
  for (int column = 0; column < 4; ++column) {
    for (int row = 0; row < 4; ++row) EXPECT_TRUE(std::isfinite(view.view[column][row]));
  }
}

}  // namespace
}  // namespace pavilion::render
