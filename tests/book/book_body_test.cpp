// The book's body as it lies open (engine/book/book_body.h): the text blocks' thickness follows
// the opening, the opening's pages lie on the blocks' tops, a hand scroll's rolls grow as paper
// winds on them, and a vertical book's body is turned so its spine runs along x.
#include "pavilion/book/book_body.h"

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
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
    EXPECT_GT(pose.left_top, last_left) << "turned leaves pile up on the left, opening " << opening;
    EXPECT_NEAR(pose.left_top + pose.right_top, measures.block, 1e-6f) << "the block is all there";
    EXPECT_GE(pose.left_top, measures.least_side);
    EXPECT_GE(pose.right_top, measures.least_side);
    last_left = pose.left_top;
  }
  const BookBodyPose first = pose_book_body(measures, leaves_either_side(openings, 0));
  EXPECT_NEAR(first.left_top, measures.least_side, 1e-6f) << "opened at its start: only the endpaper on the left";
  EXPECT_NEAR(first.right_top, measures.block - measures.least_side, 1e-6f);
  const BookBodyPose middle = pose_book_body(measures, leaves_either_side(openings, openings.sequence.size() / 2));
  EXPECT_NEAR(middle.left_top, middle.right_top, 0.1f * measures.block) << "open at its middle, the halves alike";
}

TEST(BookBody, ARightToLeftBookPilesItsTurnedLeavesOnTheRight) {
  const Openings openings = openings_of(30, ViewingDirection::right_to_left);
  const BookBodyMeasures measures = measure_book_body(BookForm::thread_bound, ViewingDirection::right_to_left, page, 15);
  const BookBodyPose start = pose_book_body(measures, leaves_either_side(openings, 0));
  const BookBodyPose late = pose_book_body(measures, leaves_either_side(openings, openings.sequence.size() - 2));
  EXPECT_GT(start.left_top, start.right_top);
  EXPECT_GT(late.right_top, late.left_top);
  EXPECT_GT(late.right_top, start.right_top);
}

// The blocks' meshes are one metre thick (z from 0 to 1): posed, their tops lie where the pages
// are laid, on each side, across the page; the covers lie under them and stay put.
TEST(BookBody, ThePagesLieOnTheBlocksTops) {
  const Openings openings = openings_of(24, ViewingDirection::left_to_right);
  const BookBodyMeasures measures = measure_book_body(BookForm::codex, ViewingDirection::left_to_right, page, 120);
  EXPECT_GT(measures.block, 0.011f) << "120 leaves of 0.1 mm";
  const BookBodyPose pose = pose_book_body(measures, leaves_either_side(openings, 3));
  for (const glm::vec2 at : {glm::vec2(0.02f, 0.01f), glm::vec2(0.14f, 0.2f)}) {
    EXPECT_NEAR(moved(pose, BookBodyPart::block_left, {-at.x, at.y, 1.0f}).z, pose.left_top, 1e-6f);
    EXPECT_NEAR(moved(pose, BookBodyPart::block_right, {at.x, at.y, 1.0f}).z, pose.right_top, 1e-6f);
    EXPECT_NEAR(moved(pose, BookBodyPart::block_right, {at.x, at.y, 0.0f}).z, 0.0f, 1e-6f) << "on the cover's inner face";
    EXPECT_EQ(moved(pose, BookBodyPart::cover_left, {-at.x, at.y, 0.0f}), glm::vec3(-at.x, at.y, 0.0f));
  }
  EXPECT_EQ(pose.top(), std::max(pose.left_top, pose.right_top));
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
  EXPECT_NEAR(left.z, pose.left_top, 1e-6f);
}

}  // namespace
}  // namespace pavilion::book
