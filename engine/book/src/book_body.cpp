#include "pavilion/book/book_body.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

namespace pavilion::book {
namespace {

constexpr float millimetre = 0.001f;

// A codex's leaf of rag or machine paper, and a thread-bound leaf: thin hand-made paper folded
// double at the fore-edge.
constexpr float codex_leaf = 0.1f * millimetre;
constexpr float folded_leaf = 0.12f * millimetre;

size_t part_index(BookBodyPart part) { return static_cast<size_t>(part); }

// From the body's own frame (spine on the y axis) into the book's: a vertical book's body is a
// horizontal one turned a quarter clockwise, its left side above the spine (openings.h).
glm::mat4 body_to_book(const BookBodyMeasures& measures) {
  if (!measures.spine_along_x) return glm::mat4(1.0f);
  return glm::mat4(glm::vec4(0, -1, 0, 0), glm::vec4(1, 0, 0, 0), glm::vec4(0, 0, 1, 0), glm::vec4(0, 0, 0, 1));
}

}  // namespace

std::string_view to_string(BookBodyPart part) {
  switch (part) {
    case BookBodyPart::cradle: return "cradle";
    case BookBodyPart::cover_left: return "cover_left";
    case BookBodyPart::cover_right: return "cover_right";
    case BookBodyPart::block_left: return "block_left";
    case BookBodyPart::block_right: return "block_right";
    case BookBodyPart::binding: return "binding";
    case BookBodyPart::roller_left: return "roller_left";
    case BookBodyPart::roller_right: return "roller_right";
    case BookBodyPart::rolled_left: return "rolled_left";
    case BookBodyPart::rolled_right: return "rolled_right";
    case BookBodyPart::wedge_left: return "wedge_left";
    case BookBodyPart::wedge_right: return "wedge_right";
  }
  return "?";
}

bool has_part(BookForm form, BookBodyPart part) {
  const bool scroll_part = part == BookBodyPart::roller_left || part == BookBodyPart::roller_right ||
                           part == BookBodyPart::rolled_left || part == BookBodyPart::rolled_right;
  if (part == BookBodyPart::cradle) return true;
  return (form == BookForm::hand_scroll) == scroll_part;
}

BookBodyMeasures measure_book_body(BookForm form, ViewingDirection direction, LeafSize page, uint32_t leaves) {
  BookBodyMeasures measures;
  measures.form = form;
  measures.spine_along_x = direction == ViewingDirection::top_to_bottom || direction == ViewingDirection::bottom_to_top;
  measures.page = page;
  const float count = static_cast<float>(std::max(leaves, 1u));
  // A bigger book has a heavier cover and a wider cradle; a thin one still reads as a book, so the
  // block is never thinner than a few millimetres (a facsimile's blank leaves, were it so few).
  const float size = std::max(page.width, page.height);
  switch (form) {
    case BookForm::codex:
      measures.block = std::clamp(count * codex_leaf, 6.0f * millimetre, 0.08f);
      measures.board = std::clamp(0.01f * size, 2.0f * millimetre, 4.0f * millimetre);
      measures.square = std::clamp(0.012f * size, 2.0f * millimetre, 5.0f * millimetre);
      measures.spine_sag = 0.25f * (measures.block + 2.0f * measures.board);
      measures.cradle = 0.025f;
      break;
    case BookForm::thread_bound:
      // Soft covers flush with the block; thin paper, so a thin block.
      measures.block = std::clamp(count * folded_leaf, 4.0f * millimetre, 0.04f);
      measures.board = 0.6f * millimetre;
      measures.square = 0.0f;
      measures.spine_sag = 0.0f;
      measures.cradle = 0.012f;
      measures.stitch_from_spine = std::clamp(0.06f * page.width, 8.0f * millimetre, 15.0f * millimetre);
      break;
    case BookForm::hand_scroll:
      measures.block = 0.0f;
      measures.least_side = 0.0f;
      measures.board = 0.0f;
      measures.square = 0.0f;
      measures.spine_sag = 0.0f;
      measures.cradle = 0.02f;
      measures.roller = std::clamp(0.03f * page.height, 6.0f * millimetre, 12.0f * millimetre);
      measures.knob = 1.4f * measures.roller;
      measures.knob_length = 2.0f * measures.roller;
      break;
  }
  return measures;
}

BookBodyState leaves_either_side(const Openings& openings, size_t opening) {
  BookBodyState state;
  const float turns = static_cast<float>(openings.sequence.size() > 1 ? openings.sequence.size() - 1 : 1);
  const float turned = std::min(static_cast<float>(opening), turns);
  // Turned leaves lie on the side the book reads from: the left of a left-to-right book and of a
  // top-to-bottom one (its left is above the spine), the right of the other two.
  const bool from_left = openings.direction == ViewingDirection::left_to_right ||
                         openings.direction == ViewingDirection::top_to_bottom;
  state.leaves_left = from_left ? turned : turns - turned;
  state.leaves_right = turns - state.leaves_left;
  return state;
}

float rolled_radius(float core, float paper, float rolled) {
  return std::sqrt(core * core + paper * std::max(rolled, 0.0f) / std::numbers::pi_v<float>);
}

BookBodyPose pose_book_body(const BookBodyMeasures& measures, const BookBodyState& state) {
  BookBodyPose pose;
  const glm::mat4 to_book = body_to_book(measures);
  pose.parts.fill(to_book);
  if (measures.form == BookForm::hand_scroll) {
    const float left = rolled_radius(measures.roller, measures.paper, state.rolled_left);
    const float right = rolled_radius(measures.roller, measures.paper, state.rolled_right);
    // Each roll lies on the cradle beside the unrolled paper, which leaves it from underneath.
    const glm::vec3 left_axis(state.unrolled_from - left, 0.0f, left);
    const glm::vec3 right_axis(state.unrolled_to + right, 0.0f, right);
    pose.parts[part_index(BookBodyPart::roller_left)] = glm::translate(to_book, left_axis);
    pose.parts[part_index(BookBodyPart::roller_right)] = glm::translate(to_book, right_axis);
    pose.parts[part_index(BookBodyPart::rolled_left)] = glm::scale(glm::translate(to_book, left_axis), {left, 1.0f, left});
    pose.parts[part_index(BookBodyPart::rolled_right)] = glm::scale(glm::translate(to_book, right_axis), {right, 1.0f, right});
    const float from = left_axis.x - measures.knob - measures.cradle_margin;
    const float to = right_axis.x + measures.knob + measures.cradle_margin;
    pose.parts[part_index(BookBodyPart::cradle)] =
        glm::scale(glm::translate(to_book, {0.5f * (from + to), 0.0f, -measures.page_seat}), {to - from, 1.0f, 1.0f});
    return pose;
  }
  // The block's thickness shared out as the leaves lie, each side never thinner than its endpaper.
  const float leaves = std::max(state.leaves_left + state.leaves_right, 1e-3f);
  const float shared = std::max(measures.block - 2.0f * measures.least_side, 0.0f);
  pose.left_block = measures.least_side + shared * std::clamp(state.leaves_left / leaves, 0.0f, 1.0f);
  pose.right_block = measures.least_side + shared * std::clamp(state.leaves_right / leaves, 0.0f, 1.0f);
  // Under the level pages: the block, its cover, and the wedge down to the cradle's base.
  const float base = -(measures.page_seat + measures.block + measures.board + measures.least_wedge);
  for (const auto& [block, cover, wedge, thickness] :
       {std::tuple{BookBodyPart::block_left, BookBodyPart::cover_left, BookBodyPart::wedge_left, pose.left_block},
        std::tuple{BookBodyPart::block_right, BookBodyPart::cover_right, BookBodyPart::wedge_right, pose.right_block}}) {
    const float bottom = -measures.page_seat - thickness;
    pose.parts[part_index(block)] = glm::scale(glm::translate(to_book, {0.0f, 0.0f, bottom}), {1.0f, 1.0f, thickness});
    pose.parts[part_index(cover)] = glm::translate(to_book, {0.0f, 0.0f, bottom});
    const float under_cover = bottom - measures.board;
    pose.parts[part_index(wedge)] = glm::scale(glm::translate(to_book, {0.0f, 0.0f, base}), {1.0f, 1.0f, under_cover - base});
  }
  // A codex's rounded spine hangs between its covers, whose depths add up to the block's: at their
  // mean it stays put. The stitching crosses the gutter at the pages, which stay level.
  if (measures.form == BookForm::codex) {
    pose.parts[part_index(BookBodyPart::binding)] = glm::translate(to_book, {0.0f, 0.0f, -measures.page_seat - 0.5f * measures.block});
  }
  return pose;
}

}  // namespace pavilion::book
