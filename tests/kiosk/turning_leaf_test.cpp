// What the kiosk's turning leaf and the pages beneath it show (kiosk/src/exhibits/book/
// turning_leaf.h), without a screen: the pages on a leaf's faces and beneath it, turning forward
// and back, left to right and right to left; a thread-bound half-leaf's side of its fold.
#include "exhibits/book/turning_leaf.h"

#include <gtest/gtest.h>

namespace pavilion::kiosk {
namespace {

using Part = book::PagePart::Part;

book::PagePart page(size_t index, Part part = Part::whole) { return {index, part}; }

// Five pages, paged: [ | 0], [1 | 2], [3 | 4] left to right; mirrored right to left.
book::Openings five_pages(book::ViewingDirection direction) {
  book::PageSequence sequence;
  sequence.pages.assign(5, book::PageBehavior::paged);
  sequence.direction = direction;
  return book::compute_openings(sequence);
}

TEST(KioskTurningLeaf, ALeafTurningForwardShowsThePageLiftedAndThePageComingWithTheNextBeneath) {
  const book::Openings openings = five_pages(book::ViewingDirection::left_to_right);
  ASSERT_EQ(openings.sequence.size(), 3u);
  const LeafPages forward = leaf_pages(openings, 1, +1);
  EXPECT_EQ(forward.front, page(2));
  EXPECT_EQ(forward.back, page(3));
  EXPECT_EQ(forward.lifted, PageSide::right);
  EXPECT_EQ(forward.beneath, page(4));
  // Back from [1 | 2] to [ | 0]: the left leaf lifts, showing page 1 on its back and 0 on its
  // front; nothing lies beneath it (the first page stands alone).
  const LeafPages back = leaf_pages(openings, 1, -1);
  EXPECT_EQ(back.front, page(0));
  EXPECT_EQ(back.back, page(1));
  EXPECT_EQ(back.lifted, PageSide::left);
  EXPECT_FALSE(back.beneath.has_value());
}

TEST(KioskTurningLeaf, ARightToLeftBookLiftsItsLeftLeafForward) {
  const book::Openings openings = five_pages(book::ViewingDirection::right_to_left);
  const LeafPages forward = leaf_pages(openings, 1, +1);
  EXPECT_EQ(forward.lifted, PageSide::left);
  EXPECT_EQ(forward.front, openings.sequence[1].left);
  EXPECT_EQ(forward.back, openings.sequence[2].right);
  EXPECT_EQ(forward.beneath, openings.sequence[2].left);
}

// A right-to-left thread-bound book imaged as whole leaves, its fold 0.1 of the picture right of
// the middle: the front half (read first) is the right side, 0.4 of the picture wide; the back
// half the left, 0.6.
TEST(KioskTurningLeaf, AHalfLeafIsItsSideOfTheFold) {
  scene::Book book;
  book.direction = book::ViewingDirection::right_to_left;
  book.thread_bound = true;
  book.leaves_imaged_whole = true;
  scene::BookPage leaf;
  leaf.width = 2000;
  leaf.height = 1000;
  leaf.spine_offset = 0.1f;
  book.pages = {leaf};
  const render::PageCrop front = page_crop(book, page(0, Part::front_half));
  const render::PageCrop back = page_crop(book, page(0, Part::back_half));
  EXPECT_FLOAT_EQ(front.min.x, 0.6f);
  EXPECT_FLOAT_EQ(front.max.x, 1.0f);
  EXPECT_FLOAT_EQ(back.min.x, 0.0f);
  EXPECT_FLOAT_EQ(back.max.x, 0.6f);
  EXPECT_FLOAT_EQ(front.min.y, 0.0f);
  EXPECT_FLOAT_EQ(front.max.y, 1.0f);
  EXPECT_NEAR(page_part_width(book, page(0, Part::front_half), 0.3f), 0.3f * 2.0f * 0.4f, 1e-6f);
  EXPECT_NEAR(page_part_width(book, page(0, Part::back_half), 0.3f), 0.3f * 2.0f * 0.6f, 1e-6f);
  EXPECT_NEAR(page_part_width(book, page(0), 0.3f), 0.6f, 1e-6f);
  book.direction = book::ViewingDirection::left_to_right;
  EXPECT_FLOAT_EQ(page_crop(book, page(0, Part::front_half)).max.x, 0.6f) << "left to right: the left half first";
}

}  // namespace
}  // namespace pavilion::kiosk
