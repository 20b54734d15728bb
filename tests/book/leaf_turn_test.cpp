// A turning leaf (engine/book/leaf_turn.h): paper that never stretches, a spine that stays put,
// bends no tighter than the paper allows, a leaf that follows the hand and then finishes or falls
// back, books that turn the way they are read.
#include "counting_new.h"
#include "pavilion/book/leaf_turn.h"

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace pavilion::book {
namespace {

constexpr float pi = std::numbers::pi_v<float>;
const LeafSize leaf{0.16f, 0.24f};
constexpr uint32_t columns = 24;
constexpr uint32_t rows = 12;
constexpr size_t grid_points = (columns + 1) * (rows + 1);

struct Grid {
  std::vector<glm::vec3> positions = std::vector<glm::vec3>(grid_points);
  std::vector<glm::vec3> normals = std::vector<glm::vec3>(grid_points);
  glm::vec3 at(uint32_t column, uint32_t row) const { return positions[row * (columns + 1) + column]; }
};

Grid shaped(const LeafShape& shape, ViewingDirection direction = ViewingDirection::left_to_right) {
  Grid grid;
  EXPECT_TRUE(shape_leaf(shape, leaf, direction, columns, rows, grid.positions, grid.normals));
  return grid;
}

// Shapes a turn passes through: bent evenly and as cones either way up, leading and trailing,
// the bent part ending inside the leaf or reaching past it.
std::vector<LeafShape> shapes_of_a_turn() {
  return {
      {.hinge = 0.4f, .bend = 1.2f, .bottom_radius = 0.03f, .top_radius = 0.03f},
      {.hinge = 0.9f, .bend = 1.9f, .bottom_radius = 0.018f, .top_radius = 0.14f},
      {.hinge = 1.3f, .bend = 0.6f, .bottom_radius = 0.2f, .top_radius = 0.05f},
      {.hinge = 2.2f, .bend = -0.8f, .bottom_radius = 0.02f, .top_radius = 0.08f},
      {.hinge = 2.9f, .bend = -0.3f, .bottom_radius = 0.3f, .top_radius = 0.3f},
      {.hinge = 1.0f, .bend = 3.0f, .bottom_radius = 0.02f, .top_radius = 0.2f},
  };
}

// Paper does not stretch: every distance between points a millimetre apart — along the leaf,
// along the spine and on the diagonal, which a shape that kept only the rows' lengths would
// change — is what it is on the flat leaf, all over the leaf.
TEST(LeafTurn, EveryBendKeepsEveryLengthOnTheLeaf) {
  constexpr float apart = 0.001f;
  const std::array<glm::vec2, 4> ways{glm::vec2(apart, 0), glm::vec2(0, apart), glm::vec2(apart, apart) / std::sqrt(2.0f),
                                      glm::vec2(apart, -apart) / std::sqrt(2.0f)};
  for (const LeafShape& shape : shapes_of_a_turn()) {
    SCOPED_TRACE(::testing::Message() << "hinge " << shape.hinge << " bend " << shape.bend << " radii "
                                      << shape.bottom_radius << "/" << shape.top_radius);
    double largest_strain = 0;
    for (float x = 0.0f; x < leaf.width - apart; x += leaf.width / 40.0f) {
      for (float y = apart; y < leaf.height - apart; y += leaf.height / 30.0f) {
        const glm::vec3 here = leaf_point(shape, leaf, ViewingDirection::left_to_right, {x, y});
        for (const glm::vec2 way : ways) {
          const glm::vec3 there = leaf_point(shape, leaf, ViewingDirection::left_to_right, glm::vec2(x, y) + way);
          largest_strain = std::max(largest_strain, std::abs(static_cast<double>(glm::distance(here, there)) / apart - 1.0));
        }
      }
    }
    // A millimetre's chord of the tightest bend (18 mm) is 0.01 % shorter than its arc, and float
    // positions a metre from the origin are good to about 0.01 µm; a stretched leaf is off by percents.
    EXPECT_LT(largest_strain, 5e-4);
  }
}

TEST(LeafTurn, TheSpineStaysWhereItIsWhateverTheShape) {
  for (const LeafShape& shape : shapes_of_a_turn()) {
    for (float y = 0.0f; y <= leaf.height; y += leaf.height / 8.0f) {
      const glm::vec3 point = leaf_point(shape, leaf, ViewingDirection::left_to_right, {0.0f, y});
      EXPECT_NEAR(point.x, 0.0f, 1e-5f);
      EXPECT_NEAR(point.y, y, 1e-5f);
      EXPECT_NEAR(point.z, 0.0f, 1e-5f);
    }
  }
}

TEST(LeafTurn, ALeafLiesFlatUnturnedAndMirroredTurned) {
  const Grid unturned = shaped({});
  const Grid turned = shaped({.hinge = pi});
  const Grid upright = shaped({.hinge = 0.5f * pi});
  for (size_t index = 0; index < grid_points; ++index) {
    const glm::vec3 flat = unturned.positions[index];
    EXPECT_NEAR(flat.z, 0.0f, 1e-6f);
    EXPECT_NEAR(glm::distance(turned.positions[index], glm::vec3(-flat.x, flat.y, 0.0f)), 0.0f, 1e-5f);
    EXPECT_NEAR(glm::distance(upright.positions[index], glm::vec3(0.0f, flat.y, flat.x)), 0.0f, 1e-5f);
    // The face that is up before the turn faces down after it.
    EXPECT_NEAR(glm::distance(unturned.normals[index], glm::vec3(0, 0, 1)), 0.0f, 1e-3f);
    EXPECT_NEAR(glm::distance(turned.normals[index], glm::vec3(0, 0, -1)), 0.0f, 1e-3f);
  }
}

// The normals are the face's: perpendicular to the leaf at each point (to the grid's cells) and
// on the side that faces up while the leaf lies unturned, for bends either way.
TEST(LeafTurn, NormalsAreTheUpperFacesOnEveryShape) {
  for (const LeafShape& shape : shapes_of_a_turn()) {
    const Grid grid = shaped(shape);
    for (uint32_t row = 0; row < rows; ++row) {
      for (uint32_t column = 0; column < columns; ++column) {
        const glm::vec3 across = grid.at(column + 1, row) - grid.at(column, row);
        const glm::vec3 along = grid.at(column, row + 1) - grid.at(column, row);
        const glm::vec3 cell = glm::normalize(glm::cross(across, along));
        const glm::vec3 normal = grid.normals[row * (columns + 1) + column];
        EXPECT_NEAR(glm::length(normal), 1.0f, 1e-4f);
        EXPECT_GT(glm::dot(cell, normal), 0.95f) << "cell " << column << "," << row << ", bend " << shape.bend;
      }
    }
  }
}

// Curvature from three points along a row: 2 sin(angle between the chords) / the span.
float tightest_radius_along_rows(const Grid& grid) {
  float tightest = 1e9f;
  for (uint32_t row = 0; row <= rows; ++row) {
    for (uint32_t column = 1; column < columns; ++column) {
      const glm::vec3 a = grid.at(column - 1, row);
      const glm::vec3 b = grid.at(column, row);
      const glm::vec3 c = grid.at(column + 1, row);
      const float sine = glm::length(glm::cross(glm::normalize(b - a), glm::normalize(c - b)));
      if (sine > 1e-5f) {
        tightest = std::min(tightest, glm::distance(a, c) / (2.0f * sine));
      }
    }
  }
  return tightest;
}

// Dragged by a corner to every place across the book, in each material: the leaf bends, never
// tighter than the paper's tightest radius, soft paper more tightly than book paper; a board does
// not bend at all.
TEST(LeafTurn, ALeafNeverBendsTighterThanItsPaperAndABoardNotAtAll) {
  std::vector<float> tightest_of;
  for (const LeafMaterial& material : {soft_paper, book_paper, board}) {
    LeafTurn turn(leaf, material, ViewingDirection::left_to_right);
    turn.take({leaf.width, 0.0f});
    float most_bend = 0.0f;
    float tightest = 1e9f;
    for (float x = leaf.width; x >= -leaf.width; x -= leaf.width / 10.0f) {
      turn.drag({x, 0.03f});
      most_bend = std::max(most_bend, std::abs(turn.shape().bend));
      tightest = std::min(tightest, tightest_radius_along_rows(shaped(turn.shape())));
    }
    tightest_of.push_back(tightest);
    if (material.most_bend == 0.0f) {
      EXPECT_EQ(most_bend, 0.0f);
      EXPECT_GT(tightest, 1e3f) << "flat all the way";
    } else {
      EXPECT_GT(most_bend, 0.5f * material.most_bend);
      // The grid samples the bend coarsely: allow its chords 10 %.
      EXPECT_GT(tightest, 0.9f * material.tightest_radius);
      EXPECT_LT(tightest, leaf.width) << "it does bend";
    }
  }
  EXPECT_LT(tightest_of[0], 0.8f * tightest_of[1]) << "soft paper curls more than book paper";
}

// The corner taken stays under the finger (seen from above: the same x) wherever the finger goes
// between the corner and its mirror image, and the leaf turns further the further it goes.
TEST(LeafTurn, TheCornerTakenFollowsTheFinger) {
  LeafTurn turn(leaf, soft_paper, ViewingDirection::left_to_right);
  const glm::vec2 corner{leaf.width, 0.0f};
  turn.take(corner);
  EXPECT_TRUE(turn.held());
  float last_hinge = 0.0f;
  for (float x = 0.9f * leaf.width; x > -leaf.width; x -= leaf.width / 20.0f) {
    turn.drag({x, 0.02f});
    const glm::vec3 held = leaf_point(turn.shape(), leaf, ViewingDirection::left_to_right, corner);
    EXPECT_NEAR(held.x, x, 1e-4f);
    EXPECT_GT(held.z, 0.0f) << "lifted off the page";
    EXPECT_GE(turn.shape().hinge, last_hinge);
    last_hinge = turn.shape().hinge;
  }
  EXPECT_GT(last_hinge, 0.6f * pi);
  turn.drag({-2.0f * leaf.width, 0.0f});
  EXPECT_FLOAT_EQ(turn.shape().hinge, pi) << "past its mirror image it lies turned";
}

// Let go with the corner over the other side it finishes; before, it falls back, unless flicked; a flick the other way
// brings it back even from past upright. Each lies down within a second at 90 frames a second,
// swinging one way only, and comes to rest flat.
TEST(LeafTurn, LetGoItFinishesOrFallsBack) {
  struct Case {
    float finger_x;
    float velocity_x;
    bool turned;
  };
  for (const Case& test : {Case{0.05f, 0.0f, false}, Case{-0.05f, 0.0f, true}, Case{0.08f, -0.6f, true},
                           Case{-0.08f, 0.6f, false}}) {
    SCOPED_TRACE(::testing::Message() << "let go over " << test.finger_x << " moving " << test.velocity_x);
    LeafTurn turn(leaf, book_paper, ViewingDirection::left_to_right);
    turn.take({leaf.width, leaf.height});
    turn.drag({test.finger_x, leaf.height});
    turn.release({test.velocity_x, 0.0f});
    EXPECT_EQ(turn.turned(), test.turned);
    float last = turn.shape().hinge;
    int frames = 0;
    for (; turn.moving() && frames < 200; ++frames) {
      turn.advance(1.0f / 90.0f);
      if (frames > 0 && std::abs(test.velocity_x) == 0.0f) {
        // From rest in the hand, the swing never goes back on itself.
        EXPECT_TRUE(test.turned ? turn.shape().hinge >= last - 1e-5f : turn.shape().hinge <= last + 1e-5f);
      }
      last = turn.shape().hinge;
    }
    EXPECT_LE(frames, 90);
    EXPECT_GT(frames, 10) << "it swings over, it does not jump";
    EXPECT_FALSE(turn.moving());
    EXPECT_FLOAT_EQ(turn.shape().hinge, test.turned ? pi : 0.0f);
    EXPECT_EQ(turn.shape().bend, 0.0f);
  }
}

// A button turns the leaf over by itself: the edge leads while the leaf rises and trails as it
// falls, and it lies turned within a second; pressed again, it comes back.
TEST(LeafTurn, AButtonTurnsTheLeafOverAndBack) {
  LeafTurn turn(leaf, soft_paper, ViewingDirection::left_to_right);
  turn.turn_over();
  bool led = false;
  bool trailed = false;
  for (int frame = 0; frame < 90 && turn.moving(); ++frame) {
    turn.advance(1.0f / 90.0f);
    led = led || (turn.shape().hinge < 0.4f * pi && turn.shape().bend > 0.2f);
    trailed = trailed || (turn.shape().hinge > 0.6f * pi && turn.shape().bend < -0.2f);
  }
  EXPECT_TRUE(led);
  EXPECT_TRUE(trailed);
  EXPECT_FALSE(turn.moving());
  EXPECT_TRUE(turn.turned());
  turn.turn_over();
  turn.advance(1.0f);
  EXPECT_FALSE(turn.turned());
  EXPECT_FLOAT_EQ(turn.shape().hinge, 0.0f);
}

// Books turn the way they are read: a right-to-left book's leaves lie on the left and go over to
// the right; a top-to-bottom book's hang below the spine and go up over it; a bottom-to-top
// book's lie above it and go down. A hand takes and drags them in the book's own frame.
TEST(LeafTurn, BooksTurnTheWayTheyAreRead) {
  struct Case {
    ViewingDirection direction;
    glm::vec2 corner;  // the fore-edge's corner, unturned, on the page plane
    glm::vec2 over;    // past the spine, where it lies turned
  };
  const float w = leaf.width;
  for (const Case& test : {Case{ViewingDirection::left_to_right, {w, 0.0f}, {-w, 0.0f}},
                           Case{ViewingDirection::right_to_left, {-w, 0.0f}, {w, 0.0f}},
                           Case{ViewingDirection::top_to_bottom, {0.0f, -w}, {0.0f, w}},
                           Case{ViewingDirection::bottom_to_top, {0.0f, w}, {0.0f, -w}}}) {
    SCOPED_TRACE(static_cast<int>(test.direction));
    const glm::vec3 unturned = leaf_point({}, leaf, test.direction, {w, 0.0f});
    EXPECT_NEAR(glm::distance(glm::vec2(unturned), test.corner), 0.0f, 1e-5f);
    EXPECT_NEAR(glm::distance(glm::vec2(leaf_point({.hinge = pi}, leaf, test.direction, {w, 0.0f})), test.over), 0.0f,
                1e-5f);
    EXPECT_GT(leaf_point({.hinge = 1.0f}, leaf, test.direction, {w, 0.0f}).z, 0.0f) << "it turns up, off the page";
    LeafTurn turn(leaf, soft_paper, test.direction);
    turn.take(test.corner);
    turn.drag(0.5f * test.corner);
    EXPECT_GT(turn.shape().hinge, 0.3f);
    turn.drag(test.over);
    EXPECT_FLOAT_EQ(turn.shape().hinge, pi);
    turn.release({});
    turn.advance(0.1f);
    EXPECT_TRUE(turn.turned());
    // Taken again on the turned side, it comes back.
    turn.take(test.over);
    turn.drag(test.corner);
    EXPECT_FLOAT_EQ(turn.shape().hinge, 0.0f);
  }
}

// At a headset's frame rate a turning leaf is reshaped every frame: that costs no allocation.
TEST(LeafTurn, TurningAndShapingAllocateNothing) {
  Grid grid;
  LeafTurn turn(leaf, soft_paper, ViewingDirection::right_to_left);
  testing::reset_counted_allocations();
  testing::count_allocations(true);
  turn.take({-leaf.width, 0.0f});
  for (int frame = 0; frame < 30; ++frame) {
    turn.drag({-leaf.width + 0.01f * static_cast<float>(frame), 0.01f});
    shape_leaf(turn.shape(), leaf, ViewingDirection::right_to_left, columns, rows, grid.positions, grid.normals);
  }
  turn.release({0.5f, 0.0f});
  while (turn.moving()) {
    turn.advance(1.0f / 90.0f);
    shape_leaf(turn.shape(), leaf, ViewingDirection::right_to_left, columns, rows, grid.positions, grid.normals);
  }
  testing::count_allocations(false);
  EXPECT_EQ(testing::counted_allocations(), 0u);
  EXPECT_TRUE(turn.turned());
}

TEST(LeafTurn, AGridThatDoesNotFitIsRefused) {
  std::vector<glm::vec3> small(4);
  EXPECT_FALSE(shape_leaf({}, leaf, ViewingDirection::left_to_right, 2, 2, small, small));
  EXPECT_FALSE(shape_leaf({}, leaf, ViewingDirection::left_to_right, 0, 2, small, small));
}

// A face's picture lies upright where the leaf lies: unturned for the front, turned for the back.
// Each grid point's picture coordinates (leaf_picture's) are where the point lies in the leaf's
// rectangle on the page plane, read rightwards and downwards, in every reading direction.
TEST(LeafTurn, AFacesPictureLiesUprightWhereTheLeafLies) {
  for (const ViewingDirection direction : {ViewingDirection::left_to_right, ViewingDirection::right_to_left,
                                           ViewingDirection::top_to_bottom, ViewingDirection::bottom_to_top}) {
    for (const bool front : {true, false}) {
      const Grid grid = shaped({.hinge = front ? 0.0f : pi}, direction);
      glm::vec2 low(1e9f), high(-1e9f);
      for (const glm::vec3& point : grid.positions) {
        low = glm::min(low, glm::vec2(point));
        high = glm::max(high, glm::vec2(point));
      }
      const LeafPicture picture = leaf_picture(direction, front);
      for (uint32_t row = 0; row <= rows; row += 3) {
        for (uint32_t column = 0; column <= columns; column += 4) {
          const glm::vec3 point = grid.at(column, row);
          const glm::vec2 upright((point.x - low.x) / (high.x - low.x), (high.y - point.y) / (high.y - low.y));
          const glm::vec2 mapped = picture.origin + picture.along_columns * (static_cast<float>(column) / columns) +
                                   picture.along_rows * (static_cast<float>(row) / rows);
          EXPECT_NEAR(mapped.x, upright.x, 1e-4f) << static_cast<int>(direction) << (front ? " front" : " back");
          EXPECT_NEAR(mapped.y, upright.y, 1e-4f) << static_cast<int>(direction) << (front ? " front" : " back");
        }
      }
    }
  }
}

}  // namespace
}  // namespace pavilion::book
