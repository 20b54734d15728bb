#include "exhibits/book/turning_leaf.h"

#include "pavilion/scene/book_body.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <numbers>

namespace pavilion::kiosk {
namespace {

std::optional<book::PagePart> page_on_side(const book::Opening& opening, PageSide side) {
  return side == PageSide::left ? opening.left : opening.right;
}

PageSide opposite_side(PageSide side) { return side == PageSide::left ? PageSide::right : PageSide::left; }

// The side the book reads towards, where the next leaf lies unturned.
PageSide ahead_side(book::ViewingDirection direction) {
  return book::next_leaf_on_left(direction) ? PageSide::left : PageSide::right;
}

render::LeafFace leaf_face(const scene::Book& book, const std::optional<book::PagePart>& part,
                      book::ViewingDirection direction, bool front) {
  const book::LeafPicture picture = book::leaf_picture(direction, front);
  render::LeafFace made;
  if (part) {
    made.page = static_cast<uint32_t>(part->page);
    made.crop = page_crop(book, *part);
  }
  made.origin = picture.origin;
  made.along_columns = picture.along_columns;
  made.along_rows = picture.along_rows;
  return made;
}

}  // namespace

render::PageCrop page_crop(const scene::Book& book, const book::PagePart& part) {
  if (part.part == book::PagePart::Part::whole) return {};
  // A little of each side stays, whatever the offset says.
  const float fold = std::clamp(0.5f + book.pages[part.page].spine_offset, 0.05f, 0.95f);
  const bool right_first = book.direction == book::ViewingDirection::right_to_left;
  const bool right_half = (part.part == book::PagePart::Part::front_half) == right_first;
  return right_half ? render::PageCrop{{fold, 0.0f}, {1.0f, 1.0f}} : render::PageCrop{{0.0f, 0.0f}, {fold, 1.0f}};
}

float page_part_width(const scene::Book& book, const book::PagePart& part, float height) {
  const scene::BookPage& page = book.pages[part.page];
  const float aspect = page.height > 0 ? static_cast<float>(page.width) / static_cast<float>(page.height) : 0.75f;
  const render::PageCrop crop = page_crop(book, part);
  return height * aspect * (crop.max.x - crop.min.x);
}

book::LeafSize leaf_size(const scene::Book& book, const book::PagePart& part, float height) {
  const float width = page_part_width(book, part, height);
  return scene::book_hangs_from_spine(book) ? book::LeafSize{height, width} : book::LeafSize{width, height};
}

glm::vec2 lying_page_centre(const scene::Book& book, const book::PagePart& part, PageSide side, float height) {
  // Where its leaf's middle lies: unturned on the side ahead, turned over on the other.
  const book::LeafSize size = leaf_size(book, part, height);
  book::LeafShape lying;
  lying.hinge = side == ahead_side(book.direction) ? 0.0f : std::numbers::pi_v<float>;
  return glm::vec2(book::leaf_point(lying, size, book.direction, 0.5f * glm::vec2(size.width, size.height)));
}

book::LeafTurn leaf_to_turn(const scene::Book& book, const book::Openings& openings, size_t opening, int step,
                            float height) {
  const book::Opening& from = openings.sequence[opening];
  const PageSide ahead = ahead_side(openings.direction);
  const std::optional<book::PagePart> side = page_on_side(from, step > 0 ? ahead : opposite_side(ahead));
  const book::PagePart part = side ? *side : from.parts.front();
  return book::LeafTurn(leaf_size(book, part, height), book.thread_bound ? book::soft_paper : book::book_paper,
                        openings.direction, step < 0);
}

LeafPages leaf_pages(const book::Openings& openings, size_t opening, int step) {
  const book::Opening& from = openings.sequence[opening];
  const PageSide ahead = ahead_side(openings.direction);
  LeafPages pages;
  const size_t to_index = step > 0 ? opening + 1 : opening - 1;
  const bool between_leaves = from.kind == book::Opening::Kind::leaves && to_index < openings.sequence.size() &&
                              openings.sequence[to_index].kind == book::Opening::Kind::leaves;
  if (!between_leaves) {
    // A page alone or a strip turns its first page over blank paper.
    pages.front = from.parts.front();
    return pages;
  }
  const book::Opening& to = openings.sequence[to_index];
  const PageSide lifted = step > 0 ? ahead : opposite_side(ahead);
  // The face up while the leaf lies on the side ahead is its front.
  pages.front = step > 0 ? page_on_side(from, lifted) : page_on_side(to, ahead);
  pages.back = step > 0 ? page_on_side(to, opposite_side(lifted)) : page_on_side(from, lifted);
  pages.lifted = lifted;
  pages.beneath = page_on_side(to, lifted);
  return pages;
}

bool shape_turning_leaf(const scene::Book& book, const LeafPages& pages, const book::LeafTurn& turn,
                        const glm::mat4& book_to_world, float lift, uint32_t columns, uint32_t rows,
                        std::span<glm::vec3> positions, std::span<glm::vec3> normals, render::TurningLeaf& leaf) {
  if (!book::shape_leaf(turn.shape(), turn.size(), turn.direction(), columns, rows, positions, normals)) return false;
  leaf.front = leaf_face(book, pages.front, turn.direction(), true);
  leaf.back = leaf_face(book, pages.back, turn.direction(), false);
  leaf.transform = glm::translate(book_to_world, glm::vec3(0.0f, 0.0f, lift));
  leaf.columns = columns;
  leaf.rows = rows;
  leaf.positions = positions;
  leaf.normals = normals;
  return true;
}

}  // namespace pavilion::kiosk
