// A book's openings (engine/book): pairing and reading order for each direction and behaviour.
#include "pavilion/book/openings.h"

#include <gtest/gtest.h>

#include <string>

namespace pavilion::book {
namespace {

using B = PageBehavior;

std::string name(const PagePart& part) {
  std::string text = std::to_string(part.page);
  if (part.part == PagePart::Part::front_half) text += 'a';
  if (part.part == PagePart::Part::back_half) text += 'b';
  return text;
}

// "[left|right]" for a paged opening ("_" for an empty side), "(page)" for a page alone,
// "{0,1,2}" for a strip; openings separated by spaces.
std::string describe(const std::vector<Opening>& openings) {
  std::string text;
  for (const Opening& opening : openings) {
    if (!text.empty()) text += ' ';
    switch (opening.kind) {
      case Opening::Kind::leaves:
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on a chain of + here.
        text += '[';
        text += opening.left ? name(*opening.left) : "_";
        text += '|';
        text += opening.right ? name(*opening.right) : "_";
        text += ']';
        break;
      case Opening::Kind::single:
        text += '(';
        text += name(opening.parts.at(0));
        text += ')';
        break;
      case Opening::Kind::strip: {
        text += "{";
        for (size_t index = 0; index < opening.parts.size(); ++index) {
          if (index > 0) text += ',';
          text += name(opening.parts[index]);
        }
        text += "}";
        break;
      }
    }
  }
  return text;
}

PageSequence paged(std::vector<PageBehavior> pages, ViewingDirection direction) {
  return {std::move(pages), direction, Layout::paged, false};
}

TEST(Book, LeftToRightFirstPageAloneOnTheRightAndPairsVersoRecto) {
  const Openings openings =
      compute_openings(paged({B::paged, B::paged, B::paged, B::paged, B::paged}, ViewingDirection::left_to_right));
  EXPECT_EQ(describe(openings.sequence), "[_|0] [1|2] [3|4]");
  EXPECT_TRUE(openings.foldouts.empty());
}

TEST(Book, LeftToRightEvenCountEndsWithTheLastPageAloneOnTheLeft) {
  const Openings openings =
      compute_openings(paged({B::paged, B::paged, B::paged, B::paged}, ViewingDirection::left_to_right));
  EXPECT_EQ(describe(openings.sequence), "[_|0] [1|2] [3|_]");
}

TEST(Book, RightToLeftFirstPageAloneOnTheLeft) {
  const Openings openings = compute_openings(paged({B::paged, B::paged, B::paged}, ViewingDirection::right_to_left));
  EXPECT_EQ(describe(openings.sequence), "[0|_] [2|1]");
  // Reading order within an opening: the verso (on the right) first.
  EXPECT_EQ(openings.sequence[1].parts,
            (std::vector<PagePart>{{1, PagePart::Part::whole}, {2, PagePart::Part::whole}}));
  EXPECT_EQ(openings.direction, ViewingDirection::right_to_left);
}

TEST(Book, RightToLeftOddAndEvenCountsNeverShiftThePairs) {
  EXPECT_EQ(describe(compute_openings(paged(std::vector<B>(7, B::paged), ViewingDirection::right_to_left)).sequence),
            "[0|_] [2|1] [4|3] [6|5]");
  EXPECT_EQ(describe(compute_openings(paged(std::vector<B>(6, B::paged), ViewingDirection::right_to_left)).sequence),
            "[0|_] [2|1] [4|3] [_|5]");
}

TEST(Book, NonPagedFoldoutIsSkippedAndReachableFromWhereItIsBound) {
  const Openings openings =
      compute_openings(paged({B::paged, B::paged, B::non_paged, B::paged, B::paged}, ViewingDirection::left_to_right));
  // The pairs are those of the four paged pages: the foldout does not shift them.
  EXPECT_EQ(describe(openings.sequence), "[_|0] [1|3] [4|_]");
  EXPECT_EQ(describe(openings.foldouts), "(2)");
  EXPECT_EQ(openings.foldout_bound_at, std::vector<size_t>{1});
  EXPECT_EQ(openings.foldout_for_page(2), size_t{0});
  EXPECT_EQ(openings.opening_for_page(2), size_t{1});
  EXPECT_EQ(openings.foldout_for_page(3), std::nullopt);
}

// A hanging book binds its foldouts by the same rule: the foldout after page 1 of a top-to-bottom
// book is bound at the opening [1 above | 3 below], where it lies on page 3 below the spine; in
// a bottom-to-top one the same opening has page 3 above, where it lies.
TEST(Book, AHangingBooksFoldoutIsBoundWhereAHorizontalOnesIs) {
  const std::vector<B> pages{B::paged, B::paged, B::non_paged, B::paged, B::paged};
  const Openings down = compute_openings(paged(pages, ViewingDirection::top_to_bottom));
  EXPECT_EQ(describe(down.sequence), "[_|0] [1|3] [4|_]");
  EXPECT_EQ(describe(down.foldouts), "(2)");
  EXPECT_EQ(down.foldout_bound_at, std::vector<size_t>{1});
  const Openings up = compute_openings(paged(pages, ViewingDirection::bottom_to_top));
  EXPECT_EQ(describe(up.sequence), "[0|_] [3|1] [_|4]");
  EXPECT_EQ(up.foldout_bound_at, std::vector<size_t>{1});
  EXPECT_EQ(up.opening_for_page(2), size_t{1});
}

// A spread shown alone fills its opening: a foldout after it is bound at the next opening of
// leaves, where it has a page to lie on, or where none follows, at the last one before.
TEST(Book, AFoldoutAfterASpreadIsBoundWhereLeavesLie) {
  const Openings after = compute_openings(
      paged({B::paged, B::paged, B::facing_pages, B::non_paged, B::paged, B::paged}, ViewingDirection::left_to_right));
  EXPECT_EQ(describe(after.sequence), "[_|0] [1|_] (2) [4|5]");
  EXPECT_EQ(after.foldout_bound_at, std::vector<size_t>{3});
  EXPECT_EQ(after.opening_for_page(3), size_t{3});
  const Openings last = compute_openings(
      paged({B::paged, B::paged, B::paged, B::facing_pages, B::non_paged}, ViewingDirection::left_to_right));
  EXPECT_EQ(describe(last.sequence), "[_|0] [1|2] (3)");
  EXPECT_EQ(last.foldout_bound_at, std::vector<size_t>{1});
  // Before every page, at the first opening, unless that is a spread.
  const Openings first = compute_openings(paged({B::non_paged, B::facing_pages, B::paged, B::paged}, ViewingDirection::left_to_right));
  EXPECT_EQ(describe(first.sequence), "(1) [2|3]");
  EXPECT_EQ(first.foldout_bound_at, std::vector<size_t>{1});
}

TEST(Book, FacingPagesShownAloneAsASpreadWithTheWaitingVersoBeforeIt) {
  const Openings openings = compute_openings(
      paged({B::paged, B::paged, B::facing_pages, B::paged, B::paged}, ViewingDirection::left_to_right));
  EXPECT_EQ(describe(openings.sequence), "[_|0] [1|_] (2) [3|4]");
  EXPECT_EQ(openings.sequence[2].kind, Opening::Kind::single);
  // A book photographed as spreads only: each alone.
  EXPECT_EQ(
      describe(compute_openings(paged({B::facing_pages, B::facing_pages}, ViewingDirection::right_to_left)).sequence),
      "(0) (1)");
}

TEST(Book, IndividualsOnePagePerOpening) {
  const Openings openings = compute_openings(
      {{B::paged, B::non_paged, B::paged}, ViewingDirection::left_to_right, Layout::individuals, false});
  EXPECT_EQ(describe(openings.sequence), "(0) (1) (2)");
}

TEST(Book, ContinuousOneStrip) {
  const Openings openings = compute_openings(
      {{B::paged, B::paged, B::paged, B::paged}, ViewingDirection::left_to_right, Layout::continuous, false});
  EXPECT_EQ(describe(openings.sequence), "{0,1,2,3}");
  EXPECT_EQ(openings.opening_for_page(3), size_t{0});
}

// A vertical book hangs from a horizontal spine: its `left` page lies above the spine, its
// `right` below. Top to bottom, the earlier page of a pair is above and the next leaf lies below
// (a wall calendar); bottom to top, the earlier is below and the next leaf above.
TEST(Book, VerticalBooksPairPagesAboveAndBelowAHorizontalSpine) {
  const Openings down = compute_openings(paged(std::vector<B>(6, B::paged), ViewingDirection::top_to_bottom));
  EXPECT_EQ(describe(down.sequence), "[_|0] [1|2] [3|4] [5|_]") << "above|below";
  EXPECT_EQ(down.direction, ViewingDirection::top_to_bottom);
  EXPECT_EQ(down.opening_for_page(2), size_t{1});
  const Openings up = compute_openings(paged(std::vector<B>(6, B::paged), ViewingDirection::bottom_to_top));
  EXPECT_EQ(describe(up.sequence), "[0|_] [2|1] [4|3] [_|5]") << "above|below";
  EXPECT_EQ(up.opening_for_page(2), size_t{1});
  for (const ViewingDirection direction : {ViewingDirection::top_to_bottom, ViewingDirection::bottom_to_top}) {
    EXPECT_TRUE(reads_vertically(direction));
    // One page an opening when the curator lays the pages out one by one.
    PageSequence individuals = paged({B::paged, B::paged, B::paged}, direction);
    individuals.layout = Layout::individuals;
    EXPECT_EQ(describe(compute_openings(individuals).sequence), "(0) (1) (2)");
  }
  EXPECT_FALSE(next_leaf_on_left(ViewingDirection::top_to_bottom)) << "the next leaf hangs below the spine";
  EXPECT_TRUE(next_leaf_on_left(ViewingDirection::bottom_to_top)) << "the next leaf stands above the spine";
  EXPECT_FALSE(reads_vertically(ViewingDirection::left_to_right) || reads_vertically(ViewingDirection::right_to_left));
}

TEST(Book, OpeningForAPage) {
  const Openings openings = compute_openings(paged(std::vector<B>(5, B::paged), ViewingDirection::right_to_left));
  EXPECT_EQ(openings.opening_for_page(0), size_t{0});
  EXPECT_EQ(openings.opening_for_page(1), size_t{1});
  EXPECT_EQ(openings.opening_for_page(2), size_t{1});
  EXPECT_EQ(openings.opening_for_page(3), size_t{2});
  EXPECT_EQ(openings.opening_for_page(5), std::nullopt);
}

TEST(Book, ThreadBoundWholeLeavesShowTheBackHalfOfOneLeafBesideTheFrontHalfOfTheNext) {
  const Openings openings =
      compute_openings({{B::paged, B::paged, B::paged}, ViewingDirection::right_to_left, Layout::paged, true});
  EXPECT_EQ(describe(openings.sequence), "[0a|_] [1a|0b] [2a|1b] [_|2b]");
  EXPECT_EQ(openings.opening_for_page(1), size_t{1});  // the first opening holding a half of leaf 1
}

// Long books with foldouts and spreads in scattered places: every page is shown exactly once
// (each half once for whole leaves), in increasing order, and the look-ups agree with a scan.
TEST(Book, EveryPageOnceInOrderAndFoundWhereItIs) {
  for (const bool leaves_whole : {false, true}) {
    for (const ViewingDirection direction : {ViewingDirection::left_to_right, ViewingDirection::right_to_left}) {
      PageSequence book{{}, direction, Layout::paged, leaves_whole};
      for (size_t page = 0; page < 301; ++page) {
        book.pages.push_back(page % 17 == 5 ? B::non_paged : page % 23 == 7 ? B::facing_pages : B::paged);
      }
      const Openings openings = compute_openings(book);
      std::vector<PagePart> shown;
      for (const Opening& opening : openings.sequence)
        shown.insert(shown.end(), opening.parts.begin(), opening.parts.end());
      std::vector<PagePart> expected;
      for (size_t page = 0; page < book.pages.size(); ++page) {
        if (book.pages[page] == B::non_paged) continue;
        if (leaves_whole && book.pages[page] == B::paged) {
          expected.push_back({page, PagePart::Part::front_half});
          expected.push_back({page, PagePart::Part::back_half});
        } else {
          expected.push_back({page, PagePart::Part::whole});
        }
      }
      EXPECT_EQ(shown, expected);
      for (size_t page = 0; page < book.pages.size(); ++page) {
        std::optional<size_t> scanned;
        for (size_t index = 0; index < openings.sequence.size(); ++index) {
          for (const PagePart& part : openings.sequence[index].parts) {
            if (book.pages[page] == B::non_paged ? part.page < page : part.page == page && !scanned) scanned = index;
          }
        }
        if (book.pages[page] == B::non_paged) {
          // A foldout bound at a spread lies at the next opening of leaves (or the last before).
          size_t at = scanned.value_or(0);
          const auto leaves = [&](size_t index) { return openings.sequence[index].kind == Opening::Kind::leaves; };
          size_t next = at;
          while (next < openings.sequence.size() && !leaves(next)) ++next;
          if (next == openings.sequence.size()) {
            while (at > 0 && !leaves(at)) --at;
            next = at;
          }
          scanned = next;
        }
        EXPECT_EQ(openings.opening_for_page(page), scanned) << "page " << page;
        EXPECT_EQ(openings.foldout_for_page(page).has_value(), book.pages[page] == B::non_paged) << "page " << page;
      }
      EXPECT_EQ(openings.opening_for_page(book.pages.size()), std::nullopt);
    }
  }
}

TEST(Book, EmptyBookHasNoOpenings) {
  EXPECT_TRUE(compute_openings(paged({}, ViewingDirection::left_to_right)).sequence.empty());
  EXPECT_TRUE(compute_openings({{}, ViewingDirection::left_to_right, Layout::continuous, false}).sequence.empty());
}

}  // namespace
}  // namespace pavilion::book
