// Deep zoom into the open book on the touch screen (#17 item 4): two fingers pinch the opening
// larger or smaller about the point between them (and move it as they move), one finger pans a
// zoomed opening, a double tap zooms to the scan's own pixels at the point tapped (or back to the
// whole opening), and whole_opening() glides back.
//
// How: the camera comes m times nearer to a focus point P on the page plane, its near plane m
// times nearer too (reversed, infinite depth keeps its precision; ExhibitPlayer::camera_closer):
// the picture is the whole scene magnified m times about P, a point X drawn where the camera that
// did not move would draw P + m (X − P). The book's body and the room beside it are seen as they
// are from there, so nothing beside the book comes between the eye and the pages, and the
// renderer's deep zoom picks finer tiles for the nearer pages by itself. The pages lie where they
// are (place()); the fingers' and targets' arithmetic works with the camera that did not move and
// a page point X at shown_at(X).
// The part of the opening in view at m is the opening shrunk m times about P, so keeping P inside
// the opening keeps the view inside the pages: a pan never shows what lies beyond them.
//
// The book player's: one for the book open, on the frame loop's thread. Allocates nothing.
#pragma once

#include "pavilion/render/page_tiles.h"

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>

#include <cstdint>
#include <optional>
#include <utility>

namespace pavilion::kiosk {

struct TouchControls;

// The fingers on the screen this frame, in pixels: each present only while it touches.
struct BookFingers {
  std::optional<glm::vec2> first;
  std::optional<glm::vec2> second;
  // The fingers are free for the book: not on the panel, a button or the accessibility panel,
  // and no leaf held.
  bool on_book = false;
};

// The touch screen's fingers; `free`: as BookFingers::on_book.
BookFingers fingers_on_screen(const TouchControls& touch, bool free);
// Where point `point` of the page plane (the book's frame) is drawn on a screen `screen` pixels
// large; empty when it lies behind the eye.
std::optional<glm::vec2> book_point_on_screen(const glm::mat4& book_to_clip, glm::vec2 screen, glm::vec2 point);
// Appends this frame's touch target `name` over [low, high] (screen pixels), for scripted
// visitors; with no words, so the keypad passes it by (the panel's buttons serve the keypad).
void add_book_target(TouchControls& touch, const char* name, glm::vec2 low, glm::vec2 high);

class BookZoom {
 public:
  // The opening is laid out again (show_opening): forget its rectangle, then place() each page.
  void begin_layout();
  // A page of the opening (`centre` and `size` in metres, on the book's page plane, whose frame is
  // `book_to_world`), with `scan_pixels_per_metre` of its picture: added to the opening's
  // rectangle, and returned where it lies (scene_zoom() magnifies it with the rest of the world).
  render::PagePlacement place(const glm::mat4& book_to_world, glm::vec2 centre, glm::vec2 size, float scan_pixels_per_metre);
  // The focus P in the world: the camera comes magnification() times nearer to it.
  glm::vec3 focus_in_world(const glm::mat4& book_to_world) const;

  // Each frame, before the book is drawn: the fingers move the zoom. `book_to_clip` is the
  // camera's view-projection times the book's frame, `screen` the screen's size in pixels.
  void follow(const BookFingers& fingers, const glm::mat4& book_to_clip, glm::vec2 screen, double now);
  // Records the opening as it is drawn now as the touch target "book:opening" (for scripted
  // visitors; no words, so the keypad passes it by).
  void record_opening(TouchControls& touch, const glm::mat4& book_to_clip, glm::vec2 screen) const;
  // Glides towards the zoom a double tap or whole_opening() asked for; `calm` (reduced motion)
  // goes there at once.
  void advance(double seconds, bool calm);
  // Back to the whole opening, gliding.
  void whole_opening();
  // The whole opening at once (a new opening, a book opened).
  void reset();

  // Magnified (or gliding): corners do not turn leaves, one finger pans.
  bool zoomed() const { return magnification_ > 1.0f || goal_ > 1.0f; }
  // The fingers are the zoom's (a pinch, or a pan of a zoomed opening): they do not turn the scene.
  bool holds_pointer() const { return gesture_ != Gesture::none || zoomed(); }
  // 1 for the whole opening in view.
  float magnification() const { return magnification_; }
  // Screen pixels per scan pixel now (1: the scan's own pixels one to one); 0 before follow()
  // has seen the opening on screen.
  float scan_scale() const { return magnification_ * whole_scan_scale_; }
  // The magnification that shows the scan's pixels one to one, and the most a visitor may
  // reach: twice that, and at least 4.
  float one_to_one() const;
  float deepest() const;
  // Whether the zoom moved since this was last asked (the pages stay where they lie; the reading
  // logs how near the visitor came).
  bool take_moved() { return std::exchange(moved_, false); }
  // Where a point of the page plane (the book's frame, metres) is drawn now.
  glm::vec2 shown_at(glm::vec2 point) const { return focus_ + magnification_ * (point - focus_); }
  // Which point of the page plane is drawn at `shown` now (shown_at's inverse).
  glm::vec2 page_point(glm::vec2 shown) const { return focus_ + (shown - focus_) / magnification_; }

 private:
  enum class Gesture { none, pinch, pan };
  // Sets the magnification and the focus that keeps page point `anchor` drawn at `shown`.
  void hold(float magnification, glm::vec2 anchor, glm::vec2 shown);
  void set_focus(glm::vec2 focus);

  float magnification_ = 1.0f;
  float goal_ = 1.0f;      // what advance() glides to
  bool gliding_ = false;
  glm::vec2 focus_{0.0f};  // P, inside the opening
  bool moved_ = false;
  // The opening's rectangle on the page plane, and its scan's finest pixels per metre.
  glm::vec2 opening_min_{0.0f};
  glm::vec2 opening_max_{0.0f};
  uint32_t placed_pages_ = 0;  // since begin_layout
  float scan_pixels_per_metre_ = 0;
  float whole_scan_scale_ = 0;  // screen pixels per scan pixel at magnification 1
  // The gesture underway: where it began, and the page point it holds under the fingers.
  Gesture gesture_ = Gesture::none;
  float start_magnification_ = 1.0f;
  float start_spacing_ = 0;
  glm::vec2 anchor_{0.0f};
  // For double taps: the last finger put down alone on the book.
  bool finger_was_down_ = false;
  double last_tap_time_ = -1e9;
  glm::vec2 last_tap_{0.0f};
};

}  // namespace pavilion::kiosk
