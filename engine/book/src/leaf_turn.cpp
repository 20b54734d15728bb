#include "pavilion/book/leaf_turn.h"

#include <glm/geometric.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::book {
namespace {

constexpr float pi = std::numbers::pi_v<float>;

// Below this difference of the radii over the height, the cone's apex lies kilometres away and its
// formulas lose their precision: the leaf is bent over a cylinder instead (the two differ by less
// than a tenth of a millimetre on a leaf).
constexpr double cylinder_below = 1e-4;
// The cone's half-angle is kept below asin(0.95): the taken edge at most this much tighter.
constexpr double steepest_cone = 0.95;

// How a leaf moves on its own (a critically damped swing about the spine): it lies down about
// half a second after being let go from upright, as a leaf does.
constexpr float swing_rate = 9.0f;     // radians a second: the spring's natural frequency
// The spring aims this far past the side the leaf goes to, so the leaf lands on the pages there
// (and stops) instead of creeping towards them.
constexpr float landing_overshoot = 0.15f;
// While a hand pulls the leaf over, its free edge leads, but never further than this part of
// the way to the pages on the other side (it would go through them).
constexpr float lead_room = 0.8f;
// The share of the leaf's width a bend spreads over, where its paper allows.
constexpr float bent_share = 0.7f;
constexpr float step_seconds = 1.0f / 360.0f;
constexpr float free_bend = 0.6f;      // of the material's most bend: air holds the edge back
constexpr float bend_settles = 0.06f;  // seconds for the bend to follow the swing
constexpr float tilt_settles = 0.4f;   // seconds for the cone to even out once let go
constexpr float flick_speed = 0.25f;   // metres a second: a hand moving faster decides the side
constexpr float most_spin = 12.0f;     // radians a second a flick gives at most
// The cone a hand makes by taking a leaf: half its height tighter at a corner, an even bend at
// the middle of an edge, and tighter still as the hand moves along the spine's direction.
constexpr float corner_tilt = 0.5f;
constexpr float drag_tilt = 0.5f;
constexpr float most_tilt = 0.9f;
// The bend a button gives its turn, as a hand taking the bottom corner would.
constexpr float button_tilt = 0.35f;

glm::vec3 to_book(ViewingDirection direction, glm::vec3 v) {
  switch (direction) {
    case ViewingDirection::left_to_right:
      return v;
    case ViewingDirection::right_to_left:
      return {-v.x, v.y, v.z};
    case ViewingDirection::top_to_bottom:
      return {v.y, -v.x, v.z};
    case ViewingDirection::bottom_to_top:
      return {v.y, v.x, v.z};
  }
  return v;
}

glm::vec2 to_leaf(ViewingDirection direction, glm::vec2 p) {
  switch (direction) {
    case ViewingDirection::left_to_right:
      return p;
    case ViewingDirection::right_to_left:
      return {-p.x, p.y};
    case ViewingDirection::top_to_bottom:
      return {-p.y, p.x};
    case ViewingDirection::bottom_to_top:
      return {p.y, p.x};
  }
  return p;
}

// The leaf bent but not yet turned about the spine, in its own frame. In double precision: a
// gentle cone's apex lies far down the spine's line, and its points are differences of long
// distances.
glm::dvec3 bent(const LeafShape& shape, double height, glm::dvec2 flat) {
  const double bend = std::abs(static_cast<double>(shape.bend));
  if (bend == 0.0) {
    return {flat, 0.0};
  }
  // Work with the tighter edge at the bottom; a tighter top is the mirror image along the spine.
  const bool top_tighter = shape.top_radius < shape.bottom_radius;
  const double tight = std::max(static_cast<double>(std::min(shape.bottom_radius, shape.top_radius)), 1e-4);
  const double loose = std::max(static_cast<double>(std::max(shape.bottom_radius, shape.top_radius)), tight);
  const double y = top_tighter ? height - flat.y : flat.y;
  const double slope = std::min((loose - tight) / height, steepest_cone);  // the cone's sin θ
  glm::dvec3 p;
  if (slope < cylinder_below) {
    const double arc = tight * bend;  // the bent part's width
    if (flat.x <= arc) {
      const double angle = flat.x / tight;
      p = {tight * std::sin(angle), y, tight * (1.0 - std::cos(angle))};
    } else {
      const double past = flat.x - arc;
      p = {tight * std::sin(bend) + past * std::cos(bend), y, tight * (1.0 - std::cos(bend)) + past * std::sin(bend)};
    }
  } else {
    // The cone's apex is on the spine's line below the leaf, where the radius would be zero; a
    // point at distance `reach` from it, at angle `angle` from the spine, wraps `angle / slope`
    // round the cone's axis, up to the bend; beyond, it lies on the plane tangent there.
    const double cosine = std::sqrt(1.0 - slope * slope);
    const double apex = -tight / slope;
    const double reach = std::hypot(flat.x, y - apex);
    const double angle = std::atan2(flat.x, y - apex);
    const double around = std::min(angle / slope, bend);
    const double past = std::max(angle - slope * bend, 0.0);
    const glm::dvec3 line{slope * std::sin(around), cosine * cosine + slope * slope * std::cos(around),
                          cosine * slope * (1.0 - std::cos(around))};
    const glm::dvec3 across{std::cos(around), -slope * std::sin(around), cosine * std::sin(around)};
    p = glm::dvec3(0.0, apex, 0.0) + reach * std::cos(past) * line + reach * std::sin(past) * across;
  }
  if (top_tighter) {
    p.y = height - p.y;
  }
  if (shape.bend < 0.0f) {
    p.z = -p.z;
  }
  return p;
}

glm::vec3 turned_about_spine(float hinge, glm::vec3 v) {
  const float c = std::cos(hinge);
  const float s = std::sin(hinge);
  return {v.x * c - v.z * s, v.y, v.x * s + v.z * c};
}

glm::vec3 normal_at(const LeafShape& shape, const LeafSize& size, ViewingDirection direction, glm::vec2 flat) {
  constexpr double step = 1e-4;  // metres
  const glm::dvec2 at(flat);
  const glm::dvec3 along_x = bent(shape, size.height, at + glm::dvec2(step, 0)) - bent(shape, size.height, at - glm::dvec2(step, 0));
  const glm::dvec3 along_y = bent(shape, size.height, at + glm::dvec2(0, step)) - bent(shape, size.height, at - glm::dvec2(0, step));
  const glm::vec3 normal(glm::normalize(glm::cross(along_x, along_y)));
  return to_book(direction, turned_about_spine(shape.hinge, normal));
}

}  // namespace

glm::vec3 leaf_point(const LeafShape& shape, const LeafSize& size, ViewingDirection direction, glm::vec2 flat) {
  return to_book(direction, turned_about_spine(shape.hinge, glm::vec3(bent(shape, size.height, flat))));
}

LeafPicture leaf_picture(ViewingDirection direction, bool front) {
  // The face lies upright in the book's frame: unturned where leaf_point puts the leaf at hinge 0,
  // turned mirrored over the spine.
  switch (direction) {
    case ViewingDirection::left_to_right:  // front at x > 0, spine on its left; back at x < 0
      return front ? LeafPicture{{0, 1}, {1, 0}, {0, -1}} : LeafPicture{{1, 1}, {-1, 0}, {0, -1}};
    case ViewingDirection::right_to_left:  // the mirror image
      return front ? LeafPicture{{1, 1}, {-1, 0}, {0, -1}} : LeafPicture{{0, 1}, {1, 0}, {0, -1}};
    case ViewingDirection::top_to_bottom:  // front below the spine, spine at its top; back above
      return front ? LeafPicture{{0, 0}, {0, 1}, {1, 0}} : LeafPicture{{0, 1}, {0, -1}, {1, 0}};
    case ViewingDirection::bottom_to_top:  // front above the spine, spine at its bottom; back below
      return front ? LeafPicture{{0, 1}, {0, -1}, {1, 0}} : LeafPicture{{0, 0}, {0, 1}, {1, 0}};
  }
  return {};
}

bool shape_leaf(const LeafShape& shape, const LeafSize& size, ViewingDirection direction, uint32_t columns,
                uint32_t rows, std::span<glm::vec3> positions, std::span<glm::vec3> normals) {
  const size_t count = size_t{columns + 1} * (rows + 1);
  if (columns == 0 || rows == 0 || positions.size() < count || normals.size() < count) {
    return false;
  }
  size_t index = 0;
  for (uint32_t row = 0; row <= rows; ++row) {
    for (uint32_t column = 0; column <= columns; ++column) {
      const glm::vec2 flat(size.width * static_cast<float>(column) / static_cast<float>(columns),
                           size.height * static_cast<float>(row) / static_cast<float>(rows));
      positions[index] = leaf_point(shape, size, direction, flat);
      normals[index] = normal_at(shape, size, direction, flat);
      ++index;
    }
  }
  return true;
}

LeafTurn::LeafTurn(LeafSize size, LeafMaterial material, ViewingDirection direction, bool turned)
    : size_(size), material_(material), direction_(direction), goal_(turned ? pi : 0.0f) {
  shape_.hinge = goal_;
  shape_.bottom_radius = material.tightest_radius;
  shape_.top_radius = material.tightest_radius;
}

void LeafTurn::take(glm::vec2 at) {
  const glm::vec2 local = to_leaf(direction_, at);
  const bool lies_turned = shape_.hinge > 0.5f * pi;
  // A turned leaf lies mirrored across the spine.
  taken_ = glm::clamp(glm::vec2(lies_turned ? -local.x : local.x, local.y), glm::vec2(0.0f),
                      glm::vec2(size_.width, size_.height));
  lead_ = lies_turned ? -1.0f : 1.0f;
  const float from_middle = 2.0f * taken_.y / size_.height - 1.0f;  // −1 the bottom edge, +1 the top
  tilt_ = corner_tilt * std::abs(from_middle) * taken_.x / size_.width;
  tilt_at_top_ = from_middle > 0.0f;
  spin_ = 0.0f;
  phase_ = Phase::held;
}

float LeafTurn::held_tilt(glm::vec2 local_at) const {
  return std::min(tilt_ + drag_tilt * std::abs(local_at.y - taken_.y) / size_.height, most_tilt);
}

// Paper bends over most of its width, not in a crease near the spine: the bend is spread over
// bent_share of the leaf, no tighter than the material takes, the taken edge's radius the
// tighter by `tilt` of the height.
void LeafTurn::bend_radii(LeafShape& shape, float tilt) const {
  const float spread = bent_share * size_.width / std::max(std::abs(shape.bend), 1e-3f);
  const float tight = std::max(material_.tightest_radius, spread);
  const float loose = tight + tilt * size_.height;
  shape.bottom_radius = tilt_at_top_ ? loose : tight;
  shape.top_radius = tilt_at_top_ ? tight : loose;
}

// A hand pulling the leaf over bends it most when upright, its edge leading the turn.
float LeafTurn::held_bend(float hinge) const {
  const float room = lead_room * (lead_ > 0.0f ? pi - hinge : hinge);
  return lead_ * std::min(material_.most_bend * std::sin(hinge), room);
}

// The leaf as a hand holding it at the point taken bends it, at `hinge`.
LeafShape LeafTurn::held_shape(float hinge, float tilt) const {
  LeafShape shape;
  shape.hinge = hinge;
  shape.bend = held_bend(hinge);
  bend_radii(shape, tilt);
  return shape;
}

// Where the point taken lies across the spine (the leaf's own x, turned) at `hinge`.
float LeafTurn::grabbed_x(float hinge, float tilt) const {
  const LeafShape shape = held_shape(hinge, tilt);
  return turned_about_spine(hinge, glm::vec3(bent(shape, size_.height, taken_))).x;
}

void LeafTurn::drag(glm::vec2 finger) {
  if (phase_ != Phase::held) {
    return;
  }
  const glm::vec2 local = to_leaf(direction_, finger);
  const float tilt = held_tilt(local);
  // The point taken moves from over itself (hinge 0) to its mirror image (π), always towards
  // the other side: halve the interval to the hinge that puts it under the finger.
  float low = 0.0f;
  float high = pi;
  if (local.x >= grabbed_x(low, tilt)) {
    high = low;
  } else if (local.x <= grabbed_x(high, tilt)) {
    low = high;
  } else {
    for (int halving = 0; halving < 32; ++halving) {
      const float middle = 0.5f * (low + high);
      (grabbed_x(middle, tilt) > local.x ? low : high) = middle;
    }
  }
  shape_ = held_shape(0.5f * (low + high), tilt);
}

void LeafTurn::release(glm::vec2 velocity) {
  if (phase_ != Phase::held) {
    return;
  }
  // The leaf turns towards π as the hand moves towards the leaf's −x.
  const float across = -to_leaf(direction_, velocity).x;
  if (across > flick_speed) {
    goal_ = pi;
  } else if (across < -flick_speed) {
    goal_ = 0.0f;
  } else {  // the side the point taken is over
    goal_ = turned_about_spine(shape_.hinge, glm::vec3(bent(shape_, size_.height, taken_))).x < 0.0f ? pi : 0.0f;
  }
  spin_ = std::clamp(across / std::max(taken_.x, 0.01f), -most_spin, most_spin);
  phase_ = Phase::free;
}

void LeafTurn::turn_over() {
  if (phase_ == Phase::held) {
    return;
  }
  goal_ = turned() ? 0.0f : pi;
  if (phase_ == Phase::resting) {
    tilt_ = button_tilt;
    tilt_at_top_ = false;
    spin_ = 0.0f;
  }
  phase_ = Phase::free;
}

void LeafTurn::advance(float seconds) {
  for (float left = seconds; phase_ == Phase::free && left > 0.0f; left -= step_seconds) {
    const float step = std::min(left, step_seconds);
    const float aim = goal_ > 0.0f ? goal_ + landing_overshoot : -landing_overshoot;
    const float pull = swing_rate * swing_rate * (aim - shape_.hinge) - 2.0f * swing_rate * spin_;
    spin_ += pull * step;
    shape_.hinge += spin_ * step;
    if (shape_.hinge <= 0.0f || shape_.hinge >= pi) {  // it lands on the pages beneath
      shape_.hinge = std::clamp(shape_.hinge, 0.0f, pi);
      spin_ = 0.0f;
    }
    // Air holds the free edge back: it leads while the leaf rises and trails as it falls over,
    // whichever way it turns (sin 2θ changes sign at upright).
    const float bend_goal = free_bend * material_.most_bend * std::sin(2.0f * shape_.hinge);
    shape_.bend += (bend_goal - shape_.bend) * (1.0f - std::exp(-step / bend_settles));
    tilt_ *= std::exp(-step / tilt_settles);
    bend_radii(shape_, tilt_);
    if (std::abs(goal_ - shape_.hinge) < 1e-3f && std::abs(spin_) < 0.05f) {
      shape_.hinge = goal_;
      shape_.bend = 0.0f;
      spin_ = 0.0f;
      phase_ = Phase::resting;
    }
  }
}

}  // namespace pavilion::book
