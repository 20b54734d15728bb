// A `continuous` book as a hand scroll (手卷, #17 item 4): its canvases joined into one strip in
// reading order, of which about an arm's span lies unrolled between two rolls, as a reader of a
// handscroll unrolls it on a table one section at a time. A Chinese handscroll (right to left)
// unrolls from the right: what has been read rolls up on the right, what is to come waits rolled
// on the left; a left-to-right scroll is the mirror, and a top-to-bottom one hangs and unrolls
// downwards (bottom-to-top upwards).
//
// The strip is measured in metres from its start, the scroll `across` metres wide (the pages'
// height for a scroll read sideways); the *position* is how much of it lies rolled up before the
// section, from 0 to length − section (a scroll shorter than a section lies whole, centred). The
// section lies on the book's page plane (the frame of engine/book's leaf_turn.h: x across, y up
// from the pages' bottom edge), centred on scene::book_opening_middle: x = 0 at half the pages'
// height, a hanging scroll's half its width from x = 0, between its body's rollers (a hanging
// scroll is scene::book_scroll_width wide, its rollers as long). A canvas partly in the
// section is drawn cropped at the roll (render::PageCrop), so deep zoom reads only its visible
// tiles.
//
// A finger (or a hand in the headset) takes the section and the strip follows it along the scroll;
// let go, it drifts on a little and stops, never past either end. The panel's buttons unroll by a
// section, gliding. The canvas at the section's middle is the one being read (the reading's
// "opening": page_turn, opening_dwell). The rollers are the book's body's (body_state).
//
// The book player's and the headset book's: one for the book open, on the frame loop's thread.
// Only open() allocates.
#pragma once

#include "pavilion/book/book_body.h"
#include "pavilion/book/openings.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/scene/book.h"

#include <glm/vec2.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace pavilion::kiosk {

// One canvas's visible part at a position: its page, where it lies on the page plane and how
// large (metres), the part of its scan shown, and its scan's pixels per metre as it lies.
struct ScrollPart {
  size_t page = 0;
  glm::vec2 centre{0.0f};
  glm::vec2 size{0.0f};
  render::PageCrop crop;
  float scan_pixels_per_metre = 0;
};

class ScrollLayout {
 public:
  ScrollLayout() = default;
  // The strip opening `strip` of `book` (engine/book's Opening::Kind::strip), its pages
  // `page_height` metres high as a paged book's would be.
  ScrollLayout(const scene::Book& book, const book::Opening& strip, float page_height);

  bool empty() const { return canvases_.empty(); }
  float length() const { return canvases_.empty() ? 0.0f : canvases_.back().to; }
  float section() const { return section_; }
  float across() const { return across_; }
  // The strip's direction on the page plane: where its later canvases lie.
  glm::vec2 along() const { return along_; }
  float most_rolled() const;
  float clamp(float position) const;
  // The section's rectangle on the page plane (where a finger takes it).
  glm::vec2 section_min() const;
  glm::vec2 section_max() const;

  // The canvases (indices into the strip) partly or wholly in the section at `position`:
  // [first, last).
  std::pair<size_t, size_t> visible(float position) const;
  ScrollPart part(size_t canvas, float position) const;
  // The canvas at the section's middle at `position`; the page it shows is page_of(canvas).
  size_t canvas_in_middle(float position) const;
  size_t page_of(size_t canvas) const { return canvases_[canvas].page; }
  size_t canvas_count() const { return canvases_.size(); }
  // The position that brings `page` to the section's start (clamped), the first canvas if the
  // page is not in the strip.
  float position_of_page(size_t page) const;
  // How much of the strip lies rolled up before and after the section at `position`: the rolls'
  // lengths, from which their thickness follows.
  float rolled_before(float position) const { return clamp(position); }
  float rolled_after(float position) const;
  // The scroll's body at `position` (engine/book's book_body.h, whose pose_book_body puts the
  // rollers beside the section, each roll as thick as the paper wound on it): the unrolled paper's
  // ends and the length on each roller, in the body's frame (a hanging scroll's is turned a
  // quarter, its left roller at the top).
  book::BookBodyState body_state(float position) const;

 private:
  struct Canvas {
    size_t page = 0;
    float from = 0;  // metres along the strip
    float to = 0;
    float scan_pixels_per_metre = 0;
  };
  // Where strip point `along_strip` lies on the page plane at `position`.
  glm::vec2 on_plane(float along_strip, float position) const;

  std::vector<Canvas> canvases_;
  book::ViewingDirection direction_ = book::ViewingDirection::left_to_right;
  glm::vec2 along_{1.0f, 0.0f};
  glm::vec2 middle_{0.0f};  // the section's centre on the page plane
  float across_ = 0;
  float section_ = 0;
};

// The scroll as a hand or a finger moves it: the position, followed while held, drifting a
// little when let go, gliding a section for a button.
class ScrollUnrolling {
 public:
  void reset(const ScrollLayout& layout, float position);

  // Takes the section at `at` (on the page plane); drag() moves the strip so that the point
  // taken stays under `at`, along the scroll; release() lets it drift at the hand's last speed.
  void take(glm::vec2 at, double now);
  void drag(glm::vec2 at, double now);
  void release();
  // A section further (+1, the way it reads) or back (−1), gliding.
  void step(int sections);
  bool can_step(int sections) const;
  // Moves on by `seconds` (drift or glide; `calm`, reduced motion: a glide at once, no drift).
  // Returns whether the position changed since the last call to advance().
  bool advance(float seconds, bool calm);

  float position() const { return position_; }
  bool held() const { return held_; }
  bool moving() const { return held_ || gliding_ || speed_ != 0.0f; }

 private:
  float clamp(float position) const;

  // The layout's, copied by reset().
  glm::vec2 along_{1.0f, 0.0f};
  float section_ = 0;
  float most_rolled_ = 0;
  float position_ = 0;
  float reported_ = 0;  // the position advance() last reported
  bool held_ = false;
  float taken_position_ = 0;
  glm::vec2 taken_at_{0.0f};
  float last_position_ = 0;
  double last_time_ = 0;
  float speed_ = 0;  // metres a second along the strip, drifting after a release
  bool gliding_ = false;
  float goal_ = 0;
};

}  // namespace pavilion::kiosk
