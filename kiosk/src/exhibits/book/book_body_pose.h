// The open book's body posed for its opening, where the book lies: the touch kiosk's book player
// and the headset's book (#17 item 4) move the parts load_scene appended (scene/book_body.h) with
// one function, whenever the opening is laid out or the book is carried.
#pragma once

#include "pavilion/book/openings.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/book_body.h"

#include <glm/mat4x4.hpp>

#include <cstddef>

namespace pavilion::kiosk {

// Moves each part of `body` (its instances numbered as the renderer loaded them) to where it lies
// for `opening` of `openings` in the book's frame at `book_to_world`: each side's block as thick
// as the leaves lying there (book::pose_book_body). A hand scroll's rollers follow its unrolling
// (book_scroll.h), not an opening of leaves: they are left as they are. Allocates nothing.
void pose_book_body(render::Renderer& renderer, const scene::BookBody& body, const book::Openings& openings,
                    size_t opening, const glm::mat4& book_to_world);
// Moves each part of `body` to where it lies for `state` (a hand scroll's: ScrollLayout::body_state)
// in the book's frame at `book_to_world`. Allocates nothing.
void pose_book_body(render::Renderer& renderer, const scene::BookBody& body, const book::BookBodyState& state,
                    const glm::mat4& book_to_world);

}  // namespace pavilion::kiosk
