// What the kiosk's turning leaf and the pages beneath it show (kiosk/src/exhibits/book/
// turning_leaf.h), without a screen: the pages on a leaf's faces and beneath it, turning forward
// and back, left to right and right to left; a thread-bound half-leaf's side of its fold.
#include "exhibits/book/turning_leaf.h"

#include "pavilion/scene/book_body.h"
#include "pavilion/scene/scene.h"

#include <glm/common.hpp>
#include <gtest/gtest.h>

#include <array>
#include <utility>

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

// A book of five landscape pages (3 : 2), paged, read in `direction`.
scene::Book five_landscape_pages(book::ViewingDirection direction) {
  scene::Book book;
  book.direction = direction;
  scene::BookPage landscape;
  landscape.width = 300;
  landscape.height = 200;
  book.pages.assign(5, landscape);
  return book;
}

// The rectangle [min, max] on the page plane that the leaf covers lying as `turn` shapes it.
std::pair<glm::vec2, glm::vec2> covered(const book::LeafTurn& turn) {
  std::array<glm::vec3, 9> positions;
  std::array<glm::vec3, 9> normals;
  EXPECT_TRUE(book::shape_leaf(turn.shape(), turn.size(), turn.direction(), 2, 2, positions, normals));
  glm::vec2 min(1e9f), max(-1e9f);
  for (const glm::vec3& point : positions) {
    min = glm::min(min, glm::vec2(point));
    max = glm::max(max, glm::vec2(point));
  }
  return {min, max};
}

void expect_near(glm::vec2 got, glm::vec2 wanted, const char* what) {
  EXPECT_NEAR(got.x, wanted.x, 1e-5f) << what;
  EXPECT_NEAR(got.y, wanted.y, 1e-5f) << what;
}

// A vertical book hangs from a horizontal spine (the book frame's x axis, as long as a page is
// wide): top to bottom, the earlier page of an opening lies above it and the later below, and the
// next leaf is the lower page, lying exactly where that page lies, turning up over the spine onto
// the next opening's upper page; bottom to top, the mirror image across the spine.
TEST(KioskTurningLeaf, AVerticalBookHangsFromAHorizontalSpineAndItsLeavesTurnOverIt) {
  constexpr float height = 0.2f;
  for (const book::ViewingDirection direction : {book::ViewingDirection::top_to_bottom, book::ViewingDirection::bottom_to_top}) {
    const bool downwards = direction == book::ViewingDirection::top_to_bottom;
    SCOPED_TRACE(downwards ? "top to bottom" : "bottom to top");
    const scene::Book book = five_landscape_pages(direction);
    ASSERT_TRUE(scene::book_hangs_from_spine(book));
    const book::Openings openings = book.openings();
    ASSERT_EQ(openings.sequence.size(), 3u);
    const book::Opening& second = openings.sequence[1];  // pages 1 and 2
    ASSERT_EQ(second.kind, book::Opening::Kind::leaves);
    const book::PagePart above = *second.left;
    const book::PagePart below = *second.right;
    EXPECT_EQ(above, page(downwards ? 1 : 2)) << "the earlier page above the spine top to bottom";
    EXPECT_EQ(below, page(downwards ? 2 : 1));
    expect_near(scene::book_opening_middle(book, height), {0.15f, 0.0f}, "the spine's middle");
    expect_near(lying_page_centre(book, above, PageSide::left, height), {0.15f, 0.1f}, "above the spine");
    expect_near(lying_page_centre(book, below, PageSide::right, height), {0.15f, -0.1f}, "below the spine");
    scene::Exhibit exhibit;
    exhibit.radius = 0.4f;
    EXPECT_NEAR(scene::book_page_height(book, exhibit), 0.22f, 1e-6f) << "two pages as high as a horizontal book's one";

    // The next leaf lies on the page read later, and lands on the side of the page read first.
    book::LeafTurn forward = leaf_to_turn(book, openings, 1, +1, height);
    EXPECT_EQ(forward.direction(), direction);
    EXPECT_NEAR(forward.size().width, height, 1e-6f) << "the spine to the fore-edge: the page's height";
    EXPECT_NEAR(forward.size().height, 0.3f, 1e-6f) << "along the spine: the page's width";
    const auto [lying_min, lying_max] = covered(forward);
    expect_near(lying_min, {0.0f, downwards ? -height : 0.0f}, "the leaf lies on the later page");
    expect_near(lying_max, {0.3f, downwards ? 0.0f : height}, "the leaf lies on the later page");
    const LeafPages pages = leaf_pages(openings, 1, +1);
    EXPECT_EQ(pages.lifted, downwards ? PageSide::right : PageSide::left);
    EXPECT_EQ(pages.front, page(2)) << "the later page lifts";
    EXPECT_EQ(pages.back, page(3)) << "it lies on the next opening's earlier page";
    forward.turn_over();
    forward.advance(3.0f);
    ASSERT_FALSE(forward.moving());
    const auto [turned_min, turned_max] = covered(forward);
    expect_near(turned_min, {0.0f, downwards ? 0.0f : -height}, "turned over the spine");
    expect_near(turned_max, {0.3f, downwards ? height : 0.0f}, "turned over the spine");
  }
}

// A horizontal book still stands on the x axis either side of a vertical spine.
TEST(KioskTurningLeaf, AHorizontalBookStandsEitherSideOfAVerticalSpine) {
  const scene::Book book = five_landscape_pages(book::ViewingDirection::left_to_right);
  EXPECT_FALSE(scene::book_hangs_from_spine(book));
  expect_near(scene::book_opening_middle(book, 0.2f), {0.0f, 0.1f}, "the spine's middle");
  expect_near(lying_page_centre(book, page(1), PageSide::left, 0.2f), {-0.15f, 0.1f}, "left of the spine");
  const auto [min, max] = covered(leaf_to_turn(book, book.openings(), 1, +1, 0.2f));
  expect_near(min, {0.0f, 0.0f}, "the right page");
  expect_near(max, {0.3f, 0.2f}, "the right page");
  scene::Book scroll = five_landscape_pages(book::ViewingDirection::top_to_bottom);
  scroll.layout = book::Layout::continuous;
  EXPECT_FALSE(scene::book_hangs_from_spine(scroll)) << "a hanging scroll unrolls; it has no spine";
}

}  // namespace
}  // namespace pavilion::kiosk
