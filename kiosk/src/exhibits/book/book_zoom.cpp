// The open book's deep zoom: pinches, pans and double taps turned into a magnification and a
// focus on the page plane (book_zoom.h says why the pages grow rather than the camera moving).
#include "exhibits/book/book_zoom.h"

#include "touch/controls.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/matrix.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// A second tap this soon and this near the first is a double tap.
constexpr double double_tap_seconds = 0.4;
constexpr float double_tap_pixels = 48.0f;
// How quickly a double tap's or the whole-opening button's zoom glides (per second, exponential).
constexpr float glide_rate = 10.0f;
// Beyond the scan's own pixels a visitor may go this much further, and at least this deep.
constexpr float beyond_one_to_one = 2.0f;
constexpr float least_deepest = 4.0f;
constexpr float most_deepest = 256.0f;

// Where the ray through screen pixel `pixel` meets the page plane (z = 0 of the book's frame).
std::optional<glm::vec2> ray_on_page_plane(const glm::mat4& clip_to_book, glm::vec2 screen, glm::vec2 pixel) {
  const glm::vec2 ndc(2.0f * pixel.x / screen.x - 1.0f, 2.0f * pixel.y / screen.y - 1.0f);
  // Two points of the ray at finite depths (reversed depth: the far plane may be at infinity, 0).
  const glm::vec4 near_point = clip_to_book * glm::vec4(ndc, 1.0f, 1.0f);
  const glm::vec4 far_point = clip_to_book * glm::vec4(ndc, 0.5f, 1.0f);
  const glm::vec3 from = glm::vec3(near_point) / near_point.w;
  const glm::vec3 along = glm::vec3(far_point) / far_point.w - from;
  if (std::abs(along.z) < 1e-6f) return std::nullopt;
  const float t = -from.z / along.z;
  if (t < 0.0f) return std::nullopt;
  return glm::vec2(from + along * t);
}

}  // namespace

std::optional<glm::vec2> book_point_on_screen(const glm::mat4& book_to_clip, glm::vec2 screen, glm::vec2 point) {
  const glm::vec4 clip = book_to_clip * glm::vec4(point, 0.0f, 1.0f);
  if (clip.w <= 1e-4f) return std::nullopt;
  return glm::vec2((clip.x / clip.w + 1.0f) * 0.5f * screen.x, (clip.y / clip.w + 1.0f) * 0.5f * screen.y);
}

void add_book_target(TouchControls& touch, const char* name, glm::vec2 low, glm::vec2 high) {
  if (touch.count == touch.controls.size()) touch.controls.emplace_back();
  Control& control = touch.controls[touch.count++];
  control.name = name;
  control.min_x = low.x;
  control.min_y = low.y;
  control.max_x = high.x;
  control.max_y = high.y;
  control.spoken.clear();
}

BookFingers fingers_on_screen(const TouchControls& touch, bool free) {
  BookFingers fingers;
  const bool first_down = touch.pointer.present && touch.pointer.down;
  const bool second_down = touch.second_finger.present && touch.second_finger.down;
  if (first_down) fingers.first = glm::vec2(touch.pointer.x, touch.pointer.y);
  if (first_down && second_down) fingers.second = glm::vec2(touch.second_finger.x, touch.second_finger.y);
  // A real screen's pinch whose first finger lifted (TouchControls::read_window keeps each finger
  // in its place): the finger left pans, as it does when the second lifts.
  if (!first_down && second_down) fingers.first = glm::vec2(touch.second_finger.x, touch.second_finger.y);
  fingers.on_book = free;
  return fingers;
}

void BookZoom::record_opening(TouchControls& touch, const glm::mat4& book_to_clip, glm::vec2 screen) const {
  if (placed_pages_ == 0) return;
  glm::vec2 low(screen), high(0.0f);
  for (const glm::vec2 corner : {opening_min_, opening_max_, glm::vec2(opening_min_.x, opening_max_.y), glm::vec2(opening_max_.x, opening_min_.y)}) {
    const std::optional<glm::vec2> pixel = book_point_on_screen(book_to_clip, screen, shown_at(corner));
    if (!pixel) return;
    low = glm::min(low, *pixel);
    high = glm::max(high, *pixel);
  }
  add_book_target(touch, "book:opening", low, high);
}

void BookZoom::begin_layout() {
  placed_pages_ = 0;
  scan_pixels_per_metre_ = 0;
}

render::PagePlacement BookZoom::place(const glm::mat4& book_to_world, glm::vec2 centre, glm::vec2 size,
                                      float scan_pixels_per_metre) {
  const glm::vec2 low = centre - 0.5f * size;
  const glm::vec2 high = centre + 0.5f * size;
  opening_min_ = placed_pages_ == 0 ? low : glm::min(opening_min_, low);
  opening_max_ = placed_pages_ == 0 ? high : glm::max(opening_max_, high);
  ++placed_pages_;
  scan_pixels_per_metre_ = std::max(scan_pixels_per_metre_, scan_pixels_per_metre);
  render::PagePlacement placement;
  placement.transform = glm::translate(book_to_world, glm::vec3(centre, 0.0f));
  placement.size = size;
  return placement;
}

glm::vec3 BookZoom::focus_in_world(const glm::mat4& book_to_world) const {
  return glm::vec3(book_to_world * glm::vec4(focus_, 0.0f, 1.0f));
}

float BookZoom::one_to_one() const { return whole_scan_scale_ > 0 ? 1.0f / whole_scan_scale_ : 1.0f; }

float BookZoom::deepest() const { return std::clamp(beyond_one_to_one * one_to_one(), least_deepest, most_deepest); }

void BookZoom::set_focus(glm::vec2 focus) {
  focus_ = glm::clamp(focus, opening_min_, opening_max_);
  moved_ = true;
}

void BookZoom::hold(float magnification, glm::vec2 anchor, glm::vec2 shown) {
  magnification_ = magnification;
  goal_ = magnification;
  gliding_ = false;
  moved_ = true;
  // shown = P + m (anchor − P)  ⇒  P = (m anchor − shown) / (m − 1); at 1× any focus shows the same.
  if (magnification > 1.0001f) set_focus((magnification * anchor - shown) / (magnification - 1.0f));
}

void BookZoom::follow(const BookFingers& fingers, const glm::mat4& book_to_clip, glm::vec2 screen, double now) {
  // How fine the whole opening is on screen: its height in pixels against its scan's.
  const float middle = 0.5f * (opening_min_.x + opening_max_.x);
  const auto bottom = book_point_on_screen(book_to_clip, screen, {middle, opening_min_.y});
  const auto top = book_point_on_screen(book_to_clip, screen, {middle, opening_max_.y});
  const float scan_height = (opening_max_.y - opening_min_.y) * scan_pixels_per_metre_;
  if (bottom && top && scan_height > 0) whole_scan_scale_ = glm::distance(*bottom, *top) / scan_height;

  const glm::mat4 clip_to_book = glm::inverse(book_to_clip);
  if (fingers.first && fingers.second && (fingers.on_book || gesture_ == Gesture::pinch)) {
    finger_was_down_ = true;
    const glm::vec2 between = 0.5f * (*fingers.first + *fingers.second);
    const float spacing = std::max(1.0f, glm::distance(*fingers.first, *fingers.second));
    const std::optional<glm::vec2> shown = ray_on_page_plane(clip_to_book, screen, between);
    if (!shown) return;
    if (gesture_ != Gesture::pinch) {
      gesture_ = Gesture::pinch;
      start_magnification_ = magnification_;
      start_spacing_ = spacing;
      anchor_ = page_point(*shown);
    }
    hold(std::clamp(start_magnification_ * spacing / start_spacing_, 1.0f, deepest()), anchor_, *shown);
    return;
  }
  const bool down = fingers.first.has_value();
  const bool pressed = down && !finger_was_down_;
  finger_was_down_ = down;
  // A pinch that lost a finger ends; the finger left pans from where it is.
  if (!down || gesture_ == Gesture::pinch) gesture_ = Gesture::none;
  if (!down || (!fingers.on_book && gesture_ == Gesture::none)) return;
  const std::optional<glm::vec2> shown = ray_on_page_plane(clip_to_book, screen, *fingers.first);
  if (!shown) return;
  if (pressed) {
    const glm::vec2 point = page_point(*shown);
    const bool on_opening = glm::all(glm::greaterThanEqual(point, opening_min_)) && glm::all(glm::lessThanEqual(point, opening_max_));
    if (on_opening && now - last_tap_time_ < double_tap_seconds && glm::distance(*fingers.first, last_tap_) < double_tap_pixels) {
      // The second tap: zoom to the scan's own pixels about the point tapped, or back out.
      last_tap_time_ = -1e9;
      if (zoomed()) {
        goal_ = 1.0f;
      } else {
        set_focus(point);
        goal_ = std::clamp(one_to_one(), 2.0f, deepest());
      }
      gliding_ = true;
      gesture_ = Gesture::none;
      return;
    }
    last_tap_time_ = on_opening ? now : -1e9;
    last_tap_ = *fingers.first;
  }
  if (!zoomed()) return;
  if (gesture_ != Gesture::pan) {
    gesture_ = Gesture::pan;
    anchor_ = page_point(*shown);
    return;
  }
  hold(magnification_, anchor_, *shown);
}

void BookZoom::advance(double seconds, bool calm) {
  if (!gliding_ || gesture_ == Gesture::pinch) return;
  const float step = calm ? 1.0f : 1.0f - std::exp(-glide_rate * static_cast<float>(seconds));
  magnification_ += (goal_ - magnification_) * step;
  if (std::abs(goal_ - magnification_) < 0.01f * goal_) {
    magnification_ = goal_;
    gliding_ = false;
  }
  moved_ = true;
}

void BookZoom::whole_opening() {
  if (!zoomed()) return;
  goal_ = 1.0f;
  gliding_ = true;
}

void BookZoom::reset() {
  magnification_ = 1.0f;
  goal_ = 1.0f;
  gliding_ = false;
  gesture_ = Gesture::none;
  focus_ = glm::vec2(0.0f);
  moved_ = true;
}

}  // namespace pavilion::kiosk
