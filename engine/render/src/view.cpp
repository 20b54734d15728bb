#include "pavilion/render/view.h"

#include "pavilion/core/error.h"

#include <glm/gtc/matrix_transform.hpp>

#include <cmath>

namespace pavilion::render {

FieldOfView symmetric_field_of_view(float vertical_fov_radians, float aspect_ratio) {
  const float tan_half = std::tan(vertical_fov_radians * 0.5f);
  return FieldOfView{-tan_half * aspect_ratio, tan_half * aspect_ratio, tan_half, -tan_half};
}

glm::mat4 perspective_reverse_z(const FieldOfView& fov, float near_plane) {
  expects(fov.tan_right > fov.tan_left && fov.tan_up > fov.tan_down, "field of view is not empty");
  expects(near_plane > 0.0f, "near plane is in front of the eye");
  const float width = fov.tan_right - fov.tan_left;
  const float height = fov.tan_up - fov.tan_down;
  // Eye space looks down −Z; clip w = −z. x_ndc spans [tan_left, tan_right] of x/−z; y_ndc is
  // flipped for Vulkan (down is +); depth = near / −z: 1 at the near plane, 0 at infinity.
  glm::mat4 projection(0.0f);
  projection[0][0] = 2.0f / width;
  projection[1][1] = -2.0f / height;
  projection[2][0] = (fov.tan_right + fov.tan_left) / width;
  projection[2][1] = -(fov.tan_up + fov.tan_down) / height;
  projection[2][3] = -1.0f;
  projection[3][2] = near_plane;
  return projection;
}

View look_at_view(const glm::vec3& eye, const glm::vec3& target, const FieldOfView& fov, float near_plane) {
  glm::vec3 up(0.0f, 1.0f, 0.0f);
  // Looking straight up or down: any horizontal "up" keeps the basis well defined.
  if (std::abs(glm::dot(glm::normalize(target - eye), up)) > 0.999f) up = glm::vec3(0.0f, 0.0f, -1.0f);
  return View{glm::lookAtRH(eye, target, up), perspective_reverse_z(fov, near_plane)};
}

View pose_view(const glm::vec3& position, const glm::quat& orientation, const FieldOfView& fov, float near_plane) {
  const glm::mat4 eye_to_world = glm::translate(glm::mat4(1.0f), position) * glm::mat4_cast(orientation);
  return View{glm::inverse(eye_to_world), perspective_reverse_z(fov, near_plane)};
}

glm::vec3 view_position(const View& view) { return glm::vec3(glm::inverse(view.view)[3]); }

}  // namespace pavilion::render
