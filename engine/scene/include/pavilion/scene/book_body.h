// The bodies of a scene's books (#17 item 4): a codex with hard covers on a felt cradle, a
// thread-bound (线装) book in soft indigo covers with its silk stitching on a low cloth-covered
// board, a hand scroll's rollers and rolls on a table board. load_scene appends their meshes,
// materials and instances to Scene::render for every book exhibit, so the kiosk, the headset and
// pavilion-snapshot all draw them; the parts' sizes and how they lie for an opening are
// engine/book's (book/book_body.h). The kiosk moves each part with
// Renderer::set_instance_transform(instances[part], book_to_world × BookBodyPose::parts[part]).
#pragma once

#include "pavilion/book/book_body.h"

#include <glm/mat4x4.hpp>

#include <array>
#include <cstdint>
#include <vector>

namespace pavilion::scene {

struct Scene;
struct Exhibit;
struct Viewpoint;
struct Book;

inline constexpr uint32_t no_body_instance = UINT32_MAX;

struct BookBody {
  uint32_t book = 0;  // index into Scene::books
  book::BookBodyMeasures measures;
  // Each part's instance in Scene::render.instances (book::BookBodyPart's order), or
  // no_body_instance for a part the book's form has not.
  std::array<uint32_t, book::book_body_part_count> instances{};
  uint32_t instance(book::BookBodyPart part) const { return instances[static_cast<size_t>(part)]; }
};

// Whether a book hangs from a horizontal spine, its pages above and below it: a vertical book
// laid out paged (book/openings.h).
bool book_hangs_from_spine(const Book& book);

// How high a page of `book` stands on its exhibit, in metres: an open book fills its place (a
// hanging book's two pages together as high as a horizontal book's one).
float book_page_height(const Book& book, const Exhibit& exhibit);

// How wide a hand scroll's paper is across its length (a `continuous` book's, its pages `height`
// metres high): the pages' height read sideways; a hanging scroll half of it, tall and narrow.
// Its rollers are as long.
float book_scroll_width(const Book& book, float height);

// The middle of an opening in the book's frame (book/leaf_turn.h), its pages `height` metres
// high: a horizontal book's spine's middle; a hanging book's spine runs from x = 0 as far as its
// first page is wide, and a hanging scroll's rollers from x = 0 as far as it is wide. The frame is
// centred there on the exhibit, and a page alone or a strip too.
glm::vec2 book_opening_middle(const Book& book, float height);

// The book's frame (book/leaf_turn.h) where its exhibit lies: its pages facing the eye that frames
// it from the first viewpoint at `eye_height` (frame_exhibit), its opening's middle on the exhibit
// (a horizontal book's spine's middle; a hanging book's spine runs from x = 0 as far as its first
// page is wide).
glm::mat4 book_to_world(const Book& book, const Exhibit& exhibit, const std::vector<Viewpoint>& viewpoints,
                        float eye_height);

// The form of a book's body: a hand scroll for a continuous book, else thread-bound or a codex.
book::BookForm book_form(const Book& book);

// Appends each book's body to `scene.render` (its meshes, its materials, one instance per part,
// each hanging from a node of its own named "<exhibit id>/<part>") lying for the book's start
// opening in its frame from standing eye height, and lists them in `scene.book_bodies`.
void add_book_bodies(Scene& scene);

}  // namespace pavilion::scene
