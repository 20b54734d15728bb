// A leaf being turned, as geometry: where every point of a bending leaf lies while a hand drags
// it over, lets go of it or a button turns it, for the book exhibit to draw at a headset's frame
// rate. Pure logic: positions and normals into the caller's memory, no allocation.
//
// The bend is a developable surface, so paper never stretches: the leaf turns about the spine
// (`hinge`) and bends over a cone whose apex lies on the spine's line (Hong, Lee and Lee, "Turning
// pages of 3D electronic books", 2006), a cylinder when it bends evenly. The spine is one of the
// cone's lines, so it stays straight and fixed; past the bent part the leaf goes on flat, tangent
// to it, as a leaf held near its fore-edge does. The bend spreads over most of the leaf's width. Lifting a corner bends that corner's edge more
// tightly than the other: the cone. How tightly and how far a leaf bends is its material's (soft
// hand-made paper curls, a board does not bend at all).
//
// Frames. The leaf's own: x from the spine towards the fore-edge, y from the bottom edge up along
// the spine, z out of the face that is up while the leaf lies unturned. The book's: the pages lie
// in z = 0 and the reader looks down −z. A left-to-right book's spine is the y axis, unturned
// leaves lie at x > 0 and turn over to x < 0; a right-to-left book is its mirror image (leaves
// turn from left to right, the way it is read). A top-to-bottom book's leaves hang from a spine
// along the x axis (y < 0) and turn upwards over it, as a wall calendar's; a bottom-to-top book's
// lie above it and turn downwards.
#pragma once

#include "pavilion/book/openings.h"

#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include <cstdint>
#include <numbers>
#include <span>

namespace pavilion::book {

// How stiff a leaf is.
struct LeafMaterial {
  float tightest_radius = 0.03f;  // metres: the smallest radius it bends to
  float most_bend = 1.0f;         // radians its bent part turns through at most; 0: it never bends
};
// The soft hand-made paper of a thread-bound book (宣纸, 竹纸): bends readily, its edge curling.
inline constexpr LeafMaterial soft_paper{0.018f, 1.9f};
// A codex's rag or machine paper.
inline constexpr LeafMaterial book_paper{0.04f, 1.1f};
// A hard cover or a mounted plate: turns without bending.
inline constexpr LeafMaterial board{0.04f, 0.0f};

struct LeafSize {
  float width = 0.15f;   // metres from the spine to the fore-edge
  float height = 0.25f;  // metres along the spine
};

// The shape of a leaf.
struct LeafShape {
  float hinge = 0.0f;  // radians about the spine: 0 lying unturned, π lying turned
  // Radians the bent part turns through, from the spine: > 0 bends the free edge towards the
  // leaf's own +z (ahead of it while it turns over), < 0 the other way; 0 flat.
  float bend = 0.0f;
  // The bend's radius at the bottom and the top edge (the cone's two ends; equal: a cylinder).
  // They differ by less than the leaf's height.
  float bottom_radius = 0.03f;
  float top_radius = 0.03f;
};

// Where the point `flat` of the leaf (its own x and y, in metres) lies in the book's frame.
glm::vec3 leaf_point(const LeafShape& shape, const LeafSize& size, ViewingDirection direction, glm::vec2 flat);

// The leaf as a grid of (columns + 1) × (rows + 1) points, row by row from the bottom edge, each
// row from the spine out: their places and the normals of the face that is up while the leaf lies
// unturned (its back's are their negation). A grid's cells wind counter-clockwise seen from that
// face in a left-to-right or top-to-bottom book, clockwise in the other two (mirror images). False, filling nothing, when `positions` or `normals`
// holds fewer points or the grid has no cells.
bool shape_leaf(const LeafShape& shape, const LeafSize& size, ViewingDirection direction, uint32_t columns,
                uint32_t rows, std::span<glm::vec3> positions, std::span<glm::vec3> normals);

// Where a face's picture lies on the leaf's grid (shape_leaf's), for drawing it: the picture's
// coordinates (0 to 1 rightwards and downwards, the picture upright as it lies in the book's frame)
// at the grid's first point (the spine's bottom end), and how far the grid's whole width (its
// columns, spine to fore-edge) and whole height (its rows) move them. `front`: the face that is
// up while the leaf lies unturned; else the other, which is up once it has turned.
struct LeafPicture {
  glm::vec2 origin{0.0f};
  glm::vec2 along_columns{0.0f};
  glm::vec2 along_rows{0.0f};
};
LeafPicture leaf_picture(ViewingDirection direction, bool front);

// One leaf turning over: followed by a hand or by a button, then on its own until it lies on one
// side or the other. Everything is in the book's frame; points on the page plane are (x, y).
class LeafTurn {
 public:
  LeafTurn(LeafSize size, LeafMaterial material, ViewingDirection direction, bool turned = false);

  // A hand takes the leaf at `at`, a point of it as it lies (a corner, an edge).
  void take(glm::vec2 at);
  // The hand is over `finger` on the page plane: the leaf turns so that the point taken is over
  // it, bending the more the further the hand has gone from where it took the leaf.
  void drag(glm::vec2 finger);
  // The hand lets go moving at `velocity` (metres a second on the page plane): the leaf finishes
  // turning over when the point taken is over the other side or flicked that way, else falls back.
  void release(glm::vec2 velocity);
  // A button: the leaf turns over to the other side by itself.
  void turn_over();
  // Moves the leaf on by `seconds` (any frame rate: it steps in small fixed steps).
  void advance(float seconds);

  const LeafShape& shape() const { return shape_; }
  const LeafSize& size() const { return size_; }
  ViewingDirection direction() const { return direction_; }
  bool held() const { return phase_ == Phase::held; }
  bool moving() const { return phase_ != Phase::resting; }
  // Lies (or is on its way to lie) on the turned side.
  bool turned() const { return goal_ > 0.5f * std::numbers::pi_v<float>; }

 private:
  enum class Phase { resting, held, free };
  float held_tilt(glm::vec2 local_at) const;
  void bend_radii(LeafShape& shape, float tilt) const;
  float held_bend(float hinge) const;
  LeafShape held_shape(float hinge, float tilt) const;
  float grabbed_x(float hinge, float tilt) const;

  LeafSize size_;
  LeafMaterial material_;
  ViewingDirection direction_;
  LeafShape shape_;
  Phase phase_ = Phase::resting;
  glm::vec2 taken_{0.0f};  // the point taken, on the flat leaf
  float goal_ = 0.0f;       // the hinge it rests at or is heading for
  float spin_ = 0.0f;       // the hinge's speed, radians a second
  float tilt_ = 0.0f;       // how much more tightly the taken edge bends: the radii's difference over the height
  bool tilt_at_top_ = false;  // the top edge bends more tightly
  float lead_ = 1.0f;       // while held: +1 the leaf is pulled towards π, −1 towards 0
};

}  // namespace pavilion::book
