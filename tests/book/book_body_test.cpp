// The book's body as it lies open (engine/book/book_body.h): the text blocks' thickness follows
// the opening, the opening's pages lie on the blocks' tops, a hand scroll's rolls grow as paper
// winds on them, and a vertical book's body is turned so its spine runs along x.
#include "pavilion/book/book_body.h"

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <tuple>
#include <vector>

namespace pavilion::book {
namespace {

// The openings of `pages` paged pages read in `direction`.
Openings openings_of(uint32_t pages, ViewingDirection direction) {
  PageSequence sequence;
  sequence.pages.assign(pages, PageBehavior::paged);
  sequence.direction = direction;
  return compute_openings(sequence);
}

glm::vec3 moved(const BookBodyPose& pose, BookBodyPart part, glm::vec3 point) {
  return glm::vec3(pose.parts[static_cast<size_t>(part)] * glm::vec4(point, 1.0f));
}

const LeafSize page{0.15f, 0.22f};

TEST(BookBody, TheBlocksThicknessFollowsTheOpeningLeftToRight) {
  const Openings openings = openings_of(40, ViewingDirection::left_to_right);
  const BookBodyMeasures measures = measure_book_body(BookForm::codex, ViewingDirection::left_to_right, page, 20);
  float last_left = -1.0f;
  for (size_t opening = 0; opening < openings.sequence.size(); ++opening) {
    const BookBodyPose pose = pose_book_body(measures, leaves_either_side(openings, opening));
    EXPECT_GT(pose.left_block, last_left) << "turned leaves pile up on the left, opening " << opening;
    EXPECT_NEAR(pose.left_block + pose.right_block, measures.block, 1e-6f) << "the block is all there";
    EXPECT_GE(pose.left_block, measures.least_side);
    EXPECT_GE(pose.right_block, measures.least_side);
    last_left = pose.left_block;
  }
  const BookBodyPose first = pose_book_body(measures, leaves_either_side(openings, 0));
  EXPECT_NEAR(first.left_block, measures.least_side, 1e-6f) << "opened at its start: only the endpaper on the left";
  EXPECT_NEAR(first.right_block, measures.block - measures.least_side, 1e-6f);
  const BookBodyPose middle = pose_book_body(measures, leaves_either_side(openings, openings.sequence.size() / 2));
  EXPECT_NEAR(middle.left_block, middle.right_block, 0.1f * measures.block) << "open at its middle, the halves alike";
}

TEST(BookBody, ARightToLeftBookPilesItsTurnedLeavesOnTheRight) {
  const Openings openings = openings_of(30, ViewingDirection::right_to_left);
  const BookBodyMeasures measures = measure_book_body(BookForm::thread_bound, ViewingDirection::right_to_left, page, 15);
  const BookBodyPose start = pose_book_body(measures, leaves_either_side(openings, 0));
  const BookBodyPose late = pose_book_body(measures, leaves_either_side(openings, openings.sequence.size() - 2));
  EXPECT_GT(start.left_block, start.right_block);
  EXPECT_GT(late.right_block, late.left_block);
  EXPECT_GT(late.right_block, start.right_block);
}

// Posed, each side's stack lies under the level pages without a gap: the block's top (its mesh is
// one metre thick) at the page plane on either side, its cover under it, the wedge under the cover
// reaching down to the cradle's base, which does not move from opening to opening.
TEST(BookBody, ThePagesLieOnTheBlocksTops) {
  const Openings openings = openings_of(24, ViewingDirection::left_to_right);
  const BookBodyMeasures measures = measure_book_body(BookForm::codex, ViewingDirection::left_to_right, page, 120);
  EXPECT_GT(measures.block, 0.011f) << "120 leaves of 0.1 mm";
  EXPECT_LT(measures.page_seat, 0.001f) << "a leaf's thickness";
  const float base = -(measures.page_seat + measures.block + measures.board + measures.least_wedge);
  for (const size_t opening : {size_t{0}, size_t{3}, openings.sequence.size() - 1}) {
    const BookBodyPose pose = pose_book_body(measures, leaves_either_side(openings, opening));
    for (const auto& [side, block, cover, wedge, thickness] :
         {std::tuple{-1.0f, BookBodyPart::block_left, BookBodyPart::cover_left, BookBodyPart::wedge_left, pose.left_block},
          std::tuple{1.0f, BookBodyPart::block_right, BookBodyPart::cover_right, BookBodyPart::wedge_right, pose.right_block}}) {
      for (const glm::vec2 at : {glm::vec2(0.02f, 0.01f), glm::vec2(0.14f, 0.2f)}) {
        const glm::vec3 on_page(side * at.x, at.y, 0.0f);
        const float top = -measures.page_seat;
        EXPECT_NEAR(moved(pose, block, on_page + glm::vec3(0, 0, 1)).z, top, 1e-6f) << "the page lies on the block";
        EXPECT_NEAR(moved(pose, block, on_page).z, top - thickness, 1e-6f);
        EXPECT_NEAR(moved(pose, cover, on_page).z, top - thickness, 1e-6f) << "the cover under the block";
        EXPECT_NEAR(moved(pose, wedge, on_page + glm::vec3(0, 0, 1)).z, top - thickness - measures.board, 1e-6f)
            << "the wedge under the cover";
        EXPECT_NEAR(moved(pose, wedge, on_page).z, base, 1e-6f) << "on the cradle's base";
        EXPECT_NEAR(moved(pose, block, on_page).x, on_page.x, 1e-6f);
      }
    }
    EXPECT_EQ(moved(pose, BookBodyPart::cradle, {0.1f, 0.1f, base}), glm::vec3(0.1f, 0.1f, base));
  }
}

TEST(BookBody, AScrollsRollsGrowWithThePaperWoundOnThem) {
  const BookBodyMeasures measures = measure_book_body(BookForm::hand_scroll, ViewingDirection::right_to_left, page, 1);
  BookBodyState state;
  state.unrolled_from = -0.3f;
  state.unrolled_to = 0.25f;
  state.rolled_left = 4.0f;
  state.rolled_right = 0.0f;
  const BookBodyPose pose = pose_book_body(measures, state);
  const float expected = std::sqrt(measures.roller * measures.roller + measures.paper * 4.0f / std::numbers::pi_v<float>);
  EXPECT_NEAR(rolled_radius(measures.roller, measures.paper, 4.0f), expected, 1e-7f);
  EXPECT_GT(expected, 1.5f * measures.roller) << "four metres wound make a visibly fatter roll";
  // The roll's mesh has radius one about the y axis: posed, its axis lies beside the unrolled
  // paper and its underside on the page plane, where the paper leaves it.
  const glm::vec3 axis = moved(pose, BookBodyPart::rolled_left, {0.0f, 0.0f, 0.0f});
  EXPECT_NEAR(axis.x, -0.3f - expected, 1e-6f);
  EXPECT_NEAR(axis.z, expected, 1e-6f);
  EXPECT_NEAR(moved(pose, BookBodyPart::rolled_left, {0.0f, 0.1f, -1.0f}).z, 0.0f, 1e-6f);
  EXPECT_EQ(moved(pose, BookBodyPart::roller_left, {0.0f, 0.0f, 0.0f}), axis) << "the roller inside its roll";
  const glm::vec3 right_axis = moved(pose, BookBodyPart::rolled_right, {0.0f, 0.0f, 0.0f});
  EXPECT_NEAR(right_axis.x, 0.25f + measures.roller, 1e-6f) << "a bare roller on the right";
  // The table reaches under both rolls and their knobs.
  EXPECT_LT(moved(pose, BookBodyPart::cradle, {-0.5f, 0.0f, 0.0f}).x, axis.x - measures.knob);
  EXPECT_GT(moved(pose, BookBodyPart::cradle, {0.5f, 0.0f, 0.0f}).x, right_axis.x + measures.knob);
  EXPECT_FALSE(has_part(BookForm::hand_scroll, BookBodyPart::cover_left));
  EXPECT_TRUE(has_part(BookForm::hand_scroll, BookBodyPart::roller_right));
  EXPECT_FALSE(has_part(BookForm::codex, BookBodyPart::rolled_left));
  EXPECT_TRUE(has_part(BookForm::thread_bound, BookBodyPart::binding));
}

// A top-to-bottom book's body is a left-to-right one turned a quarter clockwise: its left block
// (the turned leaves) lies above the spine, which runs along x from 0.
TEST(BookBody, AVerticalBooksSpineRunsAlongX) {
  const Openings openings = openings_of(20, ViewingDirection::top_to_bottom);
  const BookBodyMeasures measures = measure_book_body(BookForm::codex, ViewingDirection::top_to_bottom, page, 10);
  ASSERT_TRUE(measures.spine_along_x);
  const BookBodyPose pose = pose_book_body(measures, leaves_either_side(openings, 4));
  const glm::vec3 left = moved(pose, BookBodyPart::block_left, {-0.05f, 0.1f, 1.0f});
  EXPECT_NEAR(left.x, 0.1f, 1e-6f) << "along the spine";
  EXPECT_NEAR(left.y, 0.05f, 1e-6f) << "above it";
  EXPECT_NEAR(left.z, -measures.page_seat, 1e-6f) << "under the pages' plane";
}

}  // namespace
}  // namespace pavilion::book
