// Foldouts open out (#17 item 4): a `non-paged` page of a paged book (a map, a plate wider than
// the book) is bound at the opening engine/book names (Openings::foldout_bound_at) and lies there
// folded on the page on the side the book reads towards (the right in a left-to-right book, the
// left in a right-to-left one), its width folded into page-wide panels. A hanging book's (top to
// bottom, bottom to top: book/openings.h) lies below or above its horizontal spine, its height
// folded into page-high panels that unfold downwards or upwards: the same layout, turned a quarter
// into the book's frame. Its first panel, the part
// of the picture at the spine, lies on top face up; the others are rolled in beneath it, each
// under the one before. Opened (a tap on it, a drag of it outwards, or the panel's button), it
// unfolds panel by panel
// about its creases, each panel swinging out from beneath the one before it and past the page's
// outer edge (so a visitor in front of the book sees only panels' pictures, never their backs),
// until the whole foldout lies flat beyond the page; meanwhile the opening and the foldout are
// drawn smaller about the opening's centre, so the whole of it stays in view (the view widens).
// Folding is the same backwards; turning the page folds it first, and the leaf then turns with the
// folded foldout on its face (carry_folded_foldout). Its page's commentary and seals
// (book_layers.h) lie on its panels as on pages, under the same switches (with_panels).
//
// Panels are pages placed by the renderer (Renderer::show_foldout), each its own crop of the scan,
// tilted about the crease it turns on; the player's deep zoom (book_zoom.h) magnifies them as it
// does the pages. Pure layout maths here, and the state of one foldout for the book player and for
// the headset's book (book_hands.h), which opens and folds it by a hand on it in the page plane
// (covers()) rather than a finger on the screen, and shows it unzoomed and without the view
// widening (the visitor turns their head to the part beyond the page).
// Allocates nothing after construction.
#pragma once

#include "exhibits/book/book_layers.h"
#include "pavilion/book/openings.h"
#include "pavilion/render/page_tiles.h"
#include "pavilion/scene/book.h"

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pavilion::render {
class Renderer;
}

namespace pavilion::kiosk {

class BookZoom;
struct TouchControls;

// One panel of a folded foldout: the part of its scan it shows and its width in metres.
struct FoldoutPanel {
  render::PageCrop crop;
  float width = 0;
};

// How a foldout `width` metres wide folds onto a page `page_width` wide (both at the same height):
// into panels as wide as the page, counted from the edge bound at the spine, the last one what is
// left; a foldout wider than render::max_foldout_panels pages folds into that many equal panels.
// The bound edge is the picture's left edge in a book read left to right and its right edge in one
// read right to left (`leftwards`), where it unfolds to the left.
struct FoldoutFolding {
  std::array<FoldoutPanel, render::max_foldout_panels> panels{};
  uint32_t count = 0;
  float width = 0;
  // Wider than its page: there is something to open.
  bool opens() const { return count > 1; }
};
FoldoutFolding fold_foldout(float width, float page_width, bool leftwards);

// How far crease `crease` (between panels crease and crease + 1) has opened, 0 folded to 1 flat,
// when the whole foldout has opened `openness` (0 to 1): one crease after another, each easing.
float crease_openness(uint32_t crease, uint32_t creases, float openness);

// A panel as it lies, in the book's frame (engine/book/leaf_turn.h: x along the pages' bottom
// edge from the spine, y up the page, z out of it): its centre, and its turn about the y axis (the
// creases' direction) from lying flat.
struct FoldoutPanelPose {
  glm::vec3 centre{0.0f};
  float turn = 0;  // radians, right-handed about +y
};
// The panels of `folding`, `height` metres high, opened `openness`, bound at the spine (x = 0) and
// unfolding to the right (or left when `leftwards`), lying `lift` metres above the page with each
// panel rolled beneath the one before `thickness` lower. Returns how far from the spine the
// foldout reaches now, in metres. `poses` holds at least folding.count.
float lay_foldout(const FoldoutFolding& folding, float openness, bool leftwards, float height, float lift,
                  float thickness, std::span<FoldoutPanelPose> poses);

// The view widening: the opening as it lies unfolded drawn `scale` times smaller about its
// centre, so that what the open foldout adds fits where the opening was.
struct FoldoutFit {
  float scale = 1.0f;
  glm::vec2 from{0.0f};  // the centre of the opening with its foldout as open as it is now
  glm::vec2 to{0.0f};    // where that centre is drawn: the closed opening's centre
  glm::vec2 at(glm::vec2 point) const { return to + scale * (point - from); }
};
// For an opening spanning [low, high] across (metres from the spine) and `height` high, whose
// foldout reaches `reach` from the spine on the right (or on the left when `leftwards`).
FoldoutFit fit_foldout(float low, float high, float height, float reach, bool leftwards);

// A foldout as it lies folded at an opening of leaves: its page, the page it lies on (the one on
// the side the book reads towards, or where the opening has none there, the other) and how it folds
// onto that page's leaf (turning_leaf.h's leaf_size), its pages `height` metres high. A hanging
// book's (top to bottom, bottom to top) is as wide as its page and folds along its height into
// page-high panels, unfolding downwards or upwards: the panels' widths run across the spine and
// their crops are bands of the picture's height.
struct FoldedFoldout {
  uint32_t page = 0;
  book::PagePart under;
  FoldoutFolding folding;
  float along_spine = 0;  // metres: a horizontal book's pages' height, a hanging book's page's width
};
// The foldout bound at opening `opening` of `openings` (Openings::foldout_bound_at), if it has one
// wider than its page.
std::optional<FoldedFoldout> foldout_at(const scene::Book& book, const book::Openings& openings, size_t opening,
                                        float height);

// While a leaf turns `step` (+1 forward, −1 back; 0: none turning) from opening `opening`, the
// opening whose foldout lies in view: the one whose page ahead lies there meanwhile, the next
// opening's beneath a leaf turning forward between openings of leaves, else the opening's own (a
// leaf turning back lifts the other side). A foldout on the turning leaf's own page turns with it
// (carry_folded_foldout).
size_t foldout_lying_at(const book::Openings& openings, size_t opening, int step);

// A leaf turning `step` from opening `opening` whose front is the page a foldout lies on, folded,
// shows that foldout's first panel there instead (`leaf` as shape_turning_leaf made it): the folded
// foldout turns over with its page, as it does in a book, rather than vanishing for the turn.
void carry_folded_foldout(const scene::Book& book, const book::Openings& openings, size_t opening, int step,
                          render::TurningLeaf& leaf);

// The book player's foldout: the one bound at its opening, and how open it is.
class BookFoldout {
 public:
  // How long a foldout takes to open or fold, seconds.
  static constexpr float unfolding_seconds = 0.6f;

  // The opening shown now (show_opening calls it each time; while a leaf turns,
  // foldout_lying_at's): a different one than before lays its own foldout folded, or none; a
  // foldout too narrow to fold is none.
  void follow(const scene::Book& book, const book::Openings& openings, size_t opening, float height);
  // No book: nothing shown.
  void reset();

  bool present() const { return page_.has_value(); }
  // Lies folded, and is not opening.
  bool folded() const { return !page_ || (openness_ == 0.0f && goal_ == 0.0f); }
  bool opening_or_open() const { return page_ && goal_ > 0.0f; }
  float openness() const { return openness_; }
  void open();
  // Folds; a turn of `step` waits for it to lie folded (take_turn).
  void fold(int step = 0);
  // A turn asked for while it was open, now that it lies folded; 0 when none.
  int take_turn();
  // Each frame: towards open or folded; `calm` (reduced motion) at once; not while held. True
  // when it moved.
  bool advance(double seconds, bool calm);
  // A finger took it at screen pixel `pixel`: it follows drag() until release().
  void take(glm::vec2 pixel);
  // The finger at screen pixel `pixel`: the foldout opened as far as the finger moved outwards,
  // all of it for twice its folded width on the screen. (Its outer edge cannot simply follow the
  // finger: the view widening keeps that edge where the page's edge was.)
  void drag(glm::vec2 pixel);
  // A hand in the headset (book_hands.h) took it at `at` on the page plane (the book's frame) and
  // drags it there: as a finger on the screen, but in metres, opened all the way for twice its
  // folded width. release() as for a finger.
  void take_on_page(glm::vec2 at);
  void drag_on_page(glm::vec2 at);
  // Let go: a tap opens it; a drag goes on to open past halfway, else folds back.
  void release();
  bool held() const { return held_; }

  // The layout of the opening followed while its foldout is open: the fit that keeps all of it in
  // view (none while it lies folded, or where there is none).
  FoldoutFit fit(const scene::Book& book, const book::Opening& opening) const;
  // Its panels handed to the renderer as they lie now, through `fit`, in the book's frame
  // `book_to_world`, their footprint added to the zoom's opening; hidden where there is none.
  // Allocates nothing.
  void show(render::Renderer& renderer, BookZoom& zoom, const FoldoutFit& fit, const glm::mat4& book_to_world);
  // The same, unzoomed: the headset's (book_hands.h), whose visitor brings the book closer
  // instead.
  void show(render::Renderer& renderer, const FoldoutFit& fit, const glm::mat4& book_to_world);
  // Whether point `at` of the page plane (the book's frame) lies on the foldout as last shown,
  // or within `margin` metres of it: where a hand in the headset takes it.
  bool covers(glm::vec2 at, float margin) const;
  // The foldout as last shown, on the screen, as the touch target "book:foldout" (for scripted
  // visitors); that rectangle is also what a tap opens (under()).
  void record_target(TouchControls& touch, const BookZoom& zoom, const glm::mat4& book_to_clip, glm::vec2 screen);
  // Whether screen pixel `pixel` lies on the foldout as recorded last.
  bool under(glm::vec2 pixel) const;
  // The opening's shown `pages` as the layers (book_layers.h) draw over them with the foldout as
  // last shown: the page it lies on left out (its commentary and seals would show through the
  // panel on it), and each panel out from beneath the one before it added as a page of its own,
  // its crop and tilt (a panel still folded under another shows nothing). Just `pages` while none
  // is shown. Valid until the next call; allocates nothing once it has held as many.
  std::span<const ShownPage> with_panels(std::span<const ShownPage> pages);

 private:
  // Keeps `fit` and lays the panels as they lie now; false when nothing is to be shown.
  bool lay(const FoldoutFit& fit);
  void hide(render::Renderer& renderer);
  // The laid panels handed to the renderer, placed through fit_ (a zoom magnifies them with the
  // world: BookZoom::scene_zoom).
  void hand_over(render::Renderer& renderer, const glm::mat4& book_to_world);
  // take() and drag() wherever the hand is: taken at `at` with the foldout `width` across its
  // folds; moved by `moved` (x right, y down), a tap until further than `tap`.
  void take_at(glm::vec2 at, float width);
  void drag_by(glm::vec2 moved, float tap);
  // Two opposite corners of panel `panel` as last laid, through fit_, on the page plane.
  std::array<glm::vec2, 2> panel_corners(uint32_t panel) const;

  // A point of the horizontal layout (x across the spine, outwards on the right; y along it) in the
  // book's frame: a hanging book's is turned a quarter clockwise (book/openings.h).
  glm::vec2 to_book(glm::vec2 point) const { return hangs_ ? glm::vec2(point.y, -point.x) : point; }

  std::optional<uint32_t> page_;  // the foldout's page
  uint32_t covered_page_ = 0;     // the page it lies on
  std::optional<size_t> opening_;  // the opening it followed
  FoldoutFolding folding_;
  bool leftwards_ = false;  // unfolds to the left (a hanging book's: upwards)
  bool hangs_ = false;      // a hanging book's
  float height_ = 0;        // the book's pages' height, as followed
  float along_spine_ = 0;   // FoldedFoldout::along_spine
  float scan_pixels_per_metre_ = 0;
  float openness_ = 0;
  float goal_ = 0;
  int turn_after_ = 0;
  bool held_ = false;
  bool dragged_ = false;  // held and moved further than a tap
  glm::vec2 taken_at_{0.0f};
  float taken_width_ = 0;  // its width when taken (a hanging book's: height), screen pixels or metres
  bool shown_ = false;  // handed to the renderer
  FoldoutFit fit_;      // as last shown
  std::array<FoldoutPanelPose, render::max_foldout_panels> poses_{};
  std::array<render::PagePlacement, render::max_foldout_panels> placements_{};
  std::vector<ShownPage> layered_;  // with_panels' (capacity kept)
  glm::vec2 screen_min_{0.0f};
  glm::vec2 screen_max_{0.0f};
};

}  // namespace pavilion::kiosk
