// Views: where an eye is and what it sees. The renderer takes an array of them, one per layer of
// the target: one for a screen, two for a headset's eyes (rendered in one multiview pass).
//
// Conventions: right-handed world with +Y up; cameras look down their local −Z; projections are
// Vulkan-style (Y down in clip space) with reverse-Z depth and an infinite far plane, which
// keeps depth precise across a room-sized scene and far into the sky.
#pragma once

#include <glm/glm.hpp>
#include <glm/gtc/quaternion.hpp>

namespace pavilion::render {

struct View {
  glm::mat4 view{1.0f};        // world → eye
  glm::mat4 projection{1.0f};  // eye → clip
};

// Tangents of the four half-angles of a possibly asymmetric field of view (OpenXR's XrFovf holds
// the angles; left and down are negative).
struct FieldOfView {
  float tan_left = -1.0f;
  float tan_right = 1.0f;
  float tan_up = 1.0f;
  float tan_down = -1.0f;
};

// Five centimetres: nothing a visitor looks at comes closer, and depth keeps its precision.
inline constexpr float default_near_plane = 0.05f;

FieldOfView symmetric_field_of_view(float vertical_fov_radians, float aspect_ratio);
glm::mat4 perspective_reverse_z(const FieldOfView& fov, float near_plane);

View look_at_view(const glm::vec3& eye, const glm::vec3& target, const FieldOfView& fov, float near_plane = default_near_plane);
View pose_view(const glm::vec3& position, const glm::quat& orientation, const FieldOfView& fov,
               float near_plane = default_near_plane);

glm::vec3 view_position(const View& view);

}  // namespace pavilion::render
