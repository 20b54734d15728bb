// The hand scroll: its strip laid out in reading order, the unrolled section's canvases cropped at
// the rolls, and the position as a hand moves it (book_scroll.h).
#include "exhibits/book/book_scroll.h"

#include "exhibits/book/turning_leaf.h"
#include "pavilion/scene/book_body.h"

#include <glm/common.hpp>
#include <glm/geometric.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// A section is about an arm's span of a scroll read sideways: a handscroll some 30 cm high is
// unrolled 50–60 cm at a time. A hanging scroll (scene::book_scroll_width wide) shows as much of
// itself as the pages would.
constexpr float scroll_section_per_height = 1.8f;
// Let go, the strip drifts on and slows by this much a second (exponential); below the least
// speed it stops.
constexpr float scroll_drift_friction = 5.0f;
constexpr float scroll_least_drift = 0.005f;  // metres a second
// A button's glide, per second (exponential), and how near its goal it stops.
constexpr float scroll_glide_rate = 8.0f;
constexpr float scroll_glide_done = 1e-4f;  // metres

bool scroll_read_sideways(book::ViewingDirection direction) {
  return direction == book::ViewingDirection::left_to_right || direction == book::ViewingDirection::right_to_left;
}

glm::vec2 scroll_along_of(book::ViewingDirection direction) {
  switch (direction) {
    case book::ViewingDirection::left_to_right: return {1.0f, 0.0f};
    case book::ViewingDirection::right_to_left: return {-1.0f, 0.0f};
    case book::ViewingDirection::top_to_bottom: return {0.0f, -1.0f};
    case book::ViewingDirection::bottom_to_top: return {0.0f, 1.0f};
  }
  return {1.0f, 0.0f};
}

}  // namespace

ScrollLayout::ScrollLayout(const scene::Book& book, const book::Opening& strip, float page_height)
    : direction_(book.direction),
      along_(scroll_along_of(book.direction)),
      // Where the body's rollers lie (scene/book_body.h): a hanging scroll's from x = 0.
      middle_(scene::book_opening_middle(book, page_height)),
      across_(scene::book_scroll_width(book, page_height)) {
  const bool sideways = scroll_read_sideways(direction_);
  section_ = sideways ? scroll_section_per_height * page_height : page_height;
  canvases_.reserve(strip.parts.size());
  float from = 0;
  for (const book::PagePart& part : strip.parts) {
    // The canvas's width over its height, true to its crop (page_part_width at a height of 1).
    const float aspect = std::max(page_part_width(book, part, 1.0f), 0.01f);
    const scene::BookPage& page = book.pages[part.page];
    const float length = sideways ? across_ * aspect : across_ / aspect;
    const float height = sideways ? across_ : length;
    canvases_.push_back({part.page, from, from + length, static_cast<float>(page.height) / height});
    from += length;
  }
}

float ScrollLayout::most_rolled() const { return std::max(0.0f, length() - section_); }

float ScrollLayout::clamp(float position) const { return std::clamp(position, 0.0f, most_rolled()); }

float ScrollLayout::rolled_after(float position) const { return std::max(0.0f, length() - clamp(position) - section_); }

book::BookBodyState ScrollLayout::body_state(float position) const {
  const glm::vec2 low = section_min();
  const glm::vec2 high = section_max();
  // What was read winds on the roller it moved towards: the one at the start's end of the section.
  const float before = rolled_before(position);
  const float after = rolled_after(position);
  book::BookBodyState state;
  if (scroll_read_sideways(direction_)) {
    const bool read_on_left = along_.x > 0.0f;
    state.unrolled_from = low.x;
    state.unrolled_to = high.x;
    state.rolled_left = read_on_left ? before : after;
    state.rolled_right = read_on_left ? after : before;
  } else {
    // The body turned a quarter clockwise: its x runs down the page plane, its left roller on top.
    const bool read_on_top = along_.y < 0.0f;
    state.unrolled_from = -high.y;
    state.unrolled_to = -low.y;
    state.rolled_left = read_on_top ? before : after;
    state.rolled_right = read_on_top ? after : before;
  }
  return state;
}

glm::vec2 ScrollLayout::section_min() const {
  const float shown = std::min(section_, length());
  const glm::vec2 size = scroll_read_sideways(direction_) ? glm::vec2(shown, across_) : glm::vec2(across_, shown);
  return middle_ - 0.5f * size;
}

glm::vec2 ScrollLayout::section_max() const { return 2.0f * middle_ - section_min(); }

glm::vec2 ScrollLayout::on_plane(float along_strip, float position) const {
  // The strip point at the section's middle: a scroll shorter than a section lies whole, centred.
  const float middle = length() < section_ ? 0.5f * length() : clamp(position) + 0.5f * section_;
  return middle_ + along_ * (along_strip - middle);
}

std::pair<size_t, size_t> ScrollLayout::visible(float position) const {
  const float low = clamp(position);
  const float high = low + section_;
  const auto first = std::partition_point(canvases_.begin(), canvases_.end(), [low](const Canvas& canvas) { return canvas.to <= low; });
  const auto last = std::partition_point(first, canvases_.end(), [high](const Canvas& canvas) { return canvas.from < high; });
  return {static_cast<size_t>(first - canvases_.begin()), static_cast<size_t>(last - canvases_.begin())};
}

ScrollPart ScrollLayout::part(size_t canvas, float position) const {
  const Canvas& shown = canvases_[canvas];
  const float low = clamp(position);
  const float from = std::max(shown.from, low);
  const float to = std::min(shown.to, low + section_);
  const float length = std::max(shown.to - shown.from, 1e-6f);
  // The fractions of the canvas shown, from its start in reading order; its picture's start is its
  // left edge (left to right), right edge (right to left), top or bottom.
  const float start = (from - shown.from) / length;
  const float end = (to - shown.from) / length;
  ScrollPart out;
  out.page = shown.page;
  out.centre = on_plane(0.5f * (from + to), position);
  out.scan_pixels_per_metre = shown.scan_pixels_per_metre;
  switch (direction_) {
    case book::ViewingDirection::left_to_right: out.crop = {{start, 0.0f}, {end, 1.0f}}; break;
    case book::ViewingDirection::right_to_left: out.crop = {{1.0f - end, 0.0f}, {1.0f - start, 1.0f}}; break;
    case book::ViewingDirection::top_to_bottom: out.crop = {{0.0f, start}, {1.0f, end}}; break;
    case book::ViewingDirection::bottom_to_top: out.crop = {{0.0f, 1.0f - end}, {1.0f, 1.0f - start}}; break;
  }
  out.size = scroll_read_sideways(direction_) ? glm::vec2(to - from, across_) : glm::vec2(across_, to - from);
  return out;
}

size_t ScrollLayout::canvas_in_middle(float position) const {
  const float middle = length() < section_ ? 0.5f * length() : clamp(position) + 0.5f * section_;
  const auto found =
      std::partition_point(canvases_.begin(), canvases_.end(), [middle](const Canvas& canvas) { return canvas.to <= middle; });
  return std::min(static_cast<size_t>(found - canvases_.begin()), canvases_.size() - 1);
}

float ScrollLayout::position_of_page(size_t page) const {
  const auto found = std::ranges::find(canvases_, page, &Canvas::page);
  return found == canvases_.end() ? 0.0f : clamp(found->from);
}

void ScrollUnrolling::reset(const ScrollLayout& layout, float position) {
  along_ = layout.along();
  section_ = layout.section();
  most_rolled_ = layout.most_rolled();
  position_ = clamp(position);
  reported_ = position_;
  held_ = false;
  speed_ = 0;
  gliding_ = false;
}

float ScrollUnrolling::clamp(float position) const { return std::clamp(position, 0.0f, most_rolled_); }

void ScrollUnrolling::take(glm::vec2 at, double now) {
  held_ = true;
  gliding_ = false;
  speed_ = 0;
  taken_position_ = position_;
  taken_at_ = at;
  last_position_ = position_;
  last_time_ = now;
}

void ScrollUnrolling::drag(glm::vec2 at, double now) {
  // The strip moves with the hand: moving it the way the scroll reads rolls up what was read.
  position_ = clamp(taken_position_ - glm::dot(at - taken_at_, along_));
  if (now > last_time_) {
    speed_ = (position_ - last_position_) / static_cast<float>(now - last_time_);
    last_position_ = position_;
    last_time_ = now;
  }
}

void ScrollUnrolling::release() { held_ = false; }

bool ScrollUnrolling::can_step(int sections) const {
  const float from = gliding_ ? goal_ : position_;
  return sections > 0 ? from < most_rolled_ - scroll_glide_done : from > scroll_glide_done;
}

void ScrollUnrolling::step(int sections) {
  if (held_) return;
  goal_ = clamp((gliding_ ? goal_ : position_) + static_cast<float>(sections) * section_);
  gliding_ = true;
  speed_ = 0;
}

bool ScrollUnrolling::advance(float seconds, bool calm) {
  if (!held_ && gliding_) {
    position_ += (goal_ - position_) * (calm ? 1.0f : 1.0f - std::exp(-scroll_glide_rate * seconds));
    if (std::abs(goal_ - position_) < scroll_glide_done) {
      position_ = goal_;
      gliding_ = false;
    }
  } else if (!held_ && speed_ != 0.0f) {
    const float drifted = clamp(position_ + speed_ * seconds);
    // Stopped by an end, by slowing down, or at once for a visitor who asked for calm.
    speed_ = calm || drifted != position_ + speed_ * seconds ? 0.0f : speed_ * std::exp(-scroll_drift_friction * seconds);
    if (std::abs(speed_) < scroll_least_drift) speed_ = 0;
    if (!calm) position_ = drifted;
  }
  const bool changed = position_ != reported_;
  reported_ = position_;
  return changed;
}

}  // namespace pavilion::kiosk
