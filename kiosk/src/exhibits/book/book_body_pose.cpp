#include "exhibits/book/book_body_pose.h"

namespace pavilion::kiosk {

void pose_book_body(render::Renderer& renderer, const scene::BookBody& body, const book::Openings& openings,
                    size_t opening, const glm::mat4& book_to_world) {
  if (body.measures.form == book::BookForm::hand_scroll) return;
  pose_book_body(renderer, body, book::leaves_either_side(openings, opening), book_to_world);
}

void pose_book_body(render::Renderer& renderer, const scene::BookBody& body, const book::BookBodyState& state,
                    const glm::mat4& book_to_world) {
  const book::BookBodyPose pose = book::pose_book_body(body.measures, state);
  for (size_t part = 0; part < pose.parts.size(); ++part) {
    if (body.instances[part] == scene::no_body_instance) continue;
    renderer.set_instance_transform(body.instances[part], book_to_world * pose.parts[part]);
  }
}

}  // namespace pavilion::kiosk
