// The book in the headset: opened on its cradle, its leaves taken by a hand near a corner or by a
// ray on it, carried closer to read, and the reading logged.
#include "exhibits/book/book_hands.h"

#include "exhibits/book/book_body_pose.h"
#include "exhibits/book/book_words.h"
#include "exhibits/book/turning_leaf.h"
#include "touch/widgets.h"

#include "pavilion/core/log.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/scene/thumbnail.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/matrix.hpp>
#include <glm/vector_relational.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

namespace pavilion::kiosk {
namespace {

// As the touch kiosk lays the book (book_player.cpp, turning_leaf.h): a leaf taken by its outer
// corner, the outer 30 % of its width and height.
constexpr float corner_share = 0.3f;
// A hand takes a corner within this much of it on the page plane and this far off the plane: the
// size of a hand reaching for it, not a fingertip's precision.
constexpr float hand_margin = 0.05f;
constexpr float hand_reach_off_page = 0.12f;
constexpr float ray_reach = 8.0f;  // metres, as far as the interaction's rays reach
// The turning leaf hangs this far above the page plane, so the page beneath never shows through.
constexpr float held_leaf_lift = 0.002f;

// The book's panel under its pages (book frame, metres): buttons this wide and high, this far
// apart, their top this far below the pages' bottom edge; their words this high.
constexpr float button_width = 0.15f;
constexpr float button_height = 0.055f;
constexpr float button_gap = 0.015f;
constexpr float panel_below = 0.03f;
constexpr float panel_em = 0.022f;
constexpr float panel_lift = 0.001f;  // above the page plane, as the layers lie
constexpr BookWords magnifier_words{"放大镜", "Magnifier"};
// The table of contents' list beside the panel: this wide, its rows this high and this far apart
// (smaller than the panel's buttons: ten of them hang below it, 46 cm), a child indented this much
// a level, four levels at most.
constexpr float contents_width = 0.4f;
constexpr float contents_row = 0.04f;
constexpr float contents_gap = 0.006f;
constexpr float contents_indent = 0.02f;
constexpr uint32_t deepest_indent = 4;
// The strip of openings' pictures this far below the panel: each picture's button this wide and
// high (an opening's two pages of a 30 cm leaf, a tenth as large), its arrows this wide.
constexpr float strip_below = 0.015f;
constexpr float strip_picture_width = 0.12f;
constexpr float strip_picture_height = 0.075f;
constexpr float strip_arrow_width = 0.05f;
constexpr float strip_picture_margin = 0.006f;  // the picture within its button
// Paper where a page past what the pictures' texture holds lies: RGBA, R lowest.
constexpr uint32_t strip_paper = uint32_t{thumbnail_paper[0]} | uint32_t{thumbnail_paper[1]} << 8 |
                                 uint32_t{thumbnail_paper[2]} << 16 | uint32_t{thumbnail_paper[3]} << 24;

// The magnifier: a lens 6 cm across, 3.5 times, held at least this far above the page and shown
// over it up to this far off it; its rim from the lens's edge past its square picture's corners.
constexpr float lens_radius = 0.03f;
constexpr float lens_magnification = 3.5f;
constexpr float lens_lift = 0.005f;
constexpr float lens_reach = 0.3f;
constexpr float rim_outer = lens_radius * 1.46f;  // more than √2 · radius: the square picture's corners
constexpr float bevel = 0.0015f;                  // a bright edge inside the dark rim, seen on ink too
constexpr float rim_lift = 0.002f;                // above the lens, and its layers (BookOverlay lifts them 1 mm)
constexpr uint32_t rim_segments = 48;
constexpr uint32_t rim_color = 0xFF1A1C22u;    // RGBA, R lowest: near black
constexpr uint32_t bevel_color = 0xFF5AAAC8u;  // brass

// `from`'s quads (every overlay the layers build is made of quads, four vertices each, axis-aligned
// on its plane) appended to `out` cut to the rectangle from `min` to `max` on that plane, their
// texture coordinates cut with them; a quad wholly outside shrinks to nothing. The world overlay
// ignores clip rectangles. Allocates nothing once `out` has grown.
void append_clipped(const render::Overlay& from, glm::vec2 min, glm::vec2 max, ui::OverlayBuffers& out) {
  const auto vertex_base = static_cast<int32_t>(out.vertices.size());
  const auto index_base = static_cast<uint32_t>(out.indices.size());
  for (size_t quad = 0; quad + 4 <= from.vertices.size(); quad += 4) {
    const render::OverlayVertex& top_left = from.vertices[quad];
    const render::OverlayVertex& bottom_right = from.vertices[quad + 2];
    const auto cut = [](float at, float low, float high, float from_at, float to_at, float from_uv, float to_uv, float& uv) {
      const float inside = std::clamp(at, low, high);
      if (to_at != from_at) uv = from_uv + (inside - from_at) / (to_at - from_at) * (to_uv - from_uv);
      return inside;
    };
    for (size_t corner = quad; corner < quad + 4; ++corner) {
      render::OverlayVertex vertex = from.vertices[corner];
      vertex.x = cut(vertex.x, min.x, max.x, top_left.x, bottom_right.x, top_left.u, bottom_right.u, vertex.u);
      vertex.y = cut(vertex.y, min.y, max.y, top_left.y, bottom_right.y, top_left.v, bottom_right.v, vertex.v);
      out.vertices.push_back(vertex);
    }
  }
  out.indices.insert(out.indices.end(), from.indices.begin(), from.indices.end());
  for (render::OverlayDraw draw : from.draws) {
    draw.vertex_offset += vertex_base;
    draw.first_index += index_base;
    out.draws.push_back(draw);
  }
}

}  // namespace

HeadsetBook::HeadsetBook(const ContentEntry& entry, const scene::Scene& shown, std::span<const scene::BookBody> bodies,
                         render::Renderer& renderer, interaction::VisitLog& log, render::OverlayTextureId white,
                         Language language, bool calm, std::vector<PreparedBook> prepared)
    : entry_(entry),
      shown_(shown),
      bodies_(bodies),
      renderer_(renderer),
      log_(log),
      white_(white),
      language_(language),
      calm_(calm),
      prepared_(std::move(prepared)) {
  overlays_.reserve(16);
}

HeadsetBook::~HeadsetBook() {
  // The renderer reads tiles on its threads through the scene and the package, which go first.
  if (!book_) return;
  renderer_.hide_turning_leaf();
  renderer_.hide_magnified();
  renderer_.hide_foldout();
  for (const ShownPage& page : shown_pages_) renderer_.hide_page(page.page);
  static_cast<void>(renderer_.load_pages(nullptr));
  strip_atlas_.close(renderer_);
}

Result<void> HeadsetBook::open(uint32_t book_index, double now) {
  if (reading_) reading_->close(now);
  reading_.reset();
  turn_.reset();
  if (book_) {
    renderer_.hide_turning_leaf();
    renderer_.hide_magnified();
    renderer_.hide_foldout();
  }
  foldout_.reset();
  for (const ShownPage& page : shown_pages_) renderer_.hide_page(page.page);
  shown_pages_.clear();
  book_.reset();
  layers_ = {};  // the scan as it is comes first, as on the touch kiosk
  magnifier_hand_.reset();
  strip_atlas_.close(renderer_);
  const scene::Book& book = shown_.books[book_index];
  const scene::Exhibit& exhibit = shown_.exhibits.at(book.exhibit);
  // The font of the panel's words and of the book's commentary.
  std::string glyphs;
  for (const BookWords& words : {magnifier_words, roll_back, unroll_on, contents_words}) (glyphs += words.zh_cn) += words.en;
  glyphs += "▲▼◀▶";
  for (const scene::BookRange& range : book.ranges) (glyphs += range.label.zh_cn) += range.label.en;
  append_layer_glyphs(book, glyphs);
  if (!fonts_) {
    PV_TRY_ASSIGN(fonts_, ui::UiLayer::create(renderer_));
  }
  PV_TRY(fonts_->set_fonts(glyphs, {.body_pixels = 40.0f, .title_pixels = 40.0f}));
  // The headset shows its package's one scene: entry 0 of the content it opened.
  PV_TRY_ASSIGN(OpenedBook loaded, load_book(renderer_, prepared_, entry_, 0, book));
  openings_ = std::move(loaded.openings);
  if (openings_->sequence.empty()) {
    return Error(ErrorCode::invalid_input, "opening a book in the headset",
                 fmt::format("the book of exhibit '{}' has no pages to show", exhibit.id));
  }
  book_ = book_index;
  body_ = nullptr;
  for (const scene::BookBody& body : bodies_) {
    if (body.book == book_index) body_ = &body;
  }
  opening_ = openings_->opening_for_page(book.start_page).value_or(0);
  // Where the touch kiosk frames it, seen from standing eye height (a seated visitor's headset
  // shows the scene from there too): its pages face the visitor coming from the first viewpoint.
  page_height_ = scene::book_page_height(book, exhibit);
  resting_to_world_ = scene::book_to_world(book, exhibit, shown_.viewpoints, scene::standing_eye_height);
  book_to_world_ = resting_to_world_;
  shown_pages_.reserve(book.pages.size());
  // A continuous book is a hand scroll, unrolled at its start page; its reading counts canvases,
  // as the touch kiosk's does.
  scroll_layout_ = {};
  scroll_ = {};
  if (openings_->sequence[opening_].kind == book::Opening::Kind::strip) {
    scroll_layout_ = ScrollLayout(book, openings_->sequence[opening_], page_height_);
    scroll_.reset(scroll_layout_, scroll_layout_.position_of_page(book.start_page));
    canvas_ = scroll_layout_.canvas_in_middle(scroll_.position());
  }
  // A scroll's ranges all lie on its one strip: no contents to go about it by.
  contents_ = scroll_layout_.empty() ? book_contents(book, *openings_) : std::vector<ContentsEntry>{};
  contents_shown_ = false;
  contents_first_ = 0;
  strip_first_ = 0;
  if (scroll_layout_.empty() && openings_->sequence.size() > 1) {
    PV_TRY(strip_atlas_.open(renderer_, std::move(loaded.tiles), "the headset book's strip of pictures"));
  }
  const interaction::ExhibitRef ref{{entry_.id, entry_.version}, exhibit.id};
  reading_.emplace(log_, ref, static_cast<uint32_t>((scroll_layout_.empty() ? opening_ : canvas_) + 1), now);
  lay_out_panel();
  show_opening();
  return {};
}

void HeadsetBook::land_thumbnails() {
  if (!strip_atlas_.reading() || strip_shown_ == 0) return;
  // The pages of the openings in the strip (a range: openings follow the pages' order).
  size_t first_page = strip_atlas_.pages(), end_page = 0;
  for (size_t opening = strip_first_; opening < strip_first_ + strip_shown_; ++opening) {
    for (const book::PagePart& part : openings_->sequence[opening].parts) {
      first_page = std::min(first_page, part.page);
      end_page = std::max(end_page, part.page + 1);
    }
  }
  static_cast<void>(strip_atlas_.land(renderer_, static_cast<uint32_t>(first_page), static_cast<uint32_t>(end_page)));
}

void HeadsetBook::lay_out_panel() {
  const scene::Book& book = shown_.books[*book_];
  button_count_ = 0;
  if (!scroll_layout_.empty()) {
    // As on the touch kiosk, the button that unrolls on the side the scroll reads towards.
    const bool reads_leftwards = openings_->direction == book::ViewingDirection::right_to_left;
    buttons_[button_count_++].what = reads_leftwards ? Control::scroll_on : Control::scroll_back;
    buttons_[button_count_++].what = reads_leftwards ? Control::scroll_back : Control::scroll_on;
  }
  buttons_[button_count_++].what = Control::magnifier;
  if (book_has_layer(book, AnnotationLayer::commentary)) buttons_[button_count_++].what = Control::commentary;
  if (book_has_layer(book, AnnotationLayer::seal)) buttons_[button_count_++].what = Control::seals;
  if (!contents_.empty()) buttons_[button_count_++].what = Control::contents;
  // Centred under the opening: below the pages' bottom edge (a vertical book's lower pages hang
  // a page's height below its spine), and below where any of a top-to-bottom book's foldouts
  // reaches lying open (it unfolds downwards from its spine: a button under it would take a hand
  // meant for the plate, and be drawn over it).
  const float middle = scene::book_opening_middle(book, page_height_).x;
  float lowest = scene::book_hangs_from_spine(book) ? -page_height_ : 0.0f;
  if (openings_->direction == book::ViewingDirection::top_to_bottom) {
    for (size_t opening = 0; opening < openings_->sequence.size(); ++opening) {
      if (const std::optional<FoldedFoldout> foldout = foldout_at(book, *openings_, opening, page_height_)) {
        lowest = std::min(lowest, -foldout->folding.width);
      }
    }
  }
  const float top = (scroll_layout_.empty() ? lowest : scroll_layout_.section_min().y) - panel_below;
  const float total = static_cast<float>(button_count_) * (button_width + button_gap) - button_gap;
  for (size_t index = 0; index < button_count_; ++index) {
    const float left = middle - 0.5f * total + static_cast<float>(index) * (button_width + button_gap);
    buttons_[index].min = {left, top - button_height};
    buttons_[index].max = {left + button_width, top};
  }
  // The strip below the panel, centred under the opening too unless that would take it further
  // right than the panel, where the contents' list hangs.
  strip_shown_ = strip_atlas_.texture() ? std::min(strip_slots, openings_->sequence.size()) : 0;
  strip_button_ = button_count_;
  if (strip_shown_ > 0) {
    const float strip_top = top - button_height - strip_below;
    const float width = 2.0f * strip_arrow_width + static_cast<float>(strip_shown_) * strip_picture_width +
                        static_cast<float>(strip_shown_ + 1) * button_gap;
    float left = std::min(middle - 0.5f * width, middle + 0.5f * total - width);
    const auto add = [&](Control what, float button_width_here) {
      buttons_[button_count_++] = {what, {left, strip_top - strip_picture_height}, {left + button_width_here, strip_top}, 0};
      left += button_width_here + button_gap;
    };
    add(Control::strip_left, strip_arrow_width);
    for (size_t slot = 0; slot < strip_shown_; ++slot) add(Control::thumbnail, strip_picture_width);
    add(Control::strip_right, strip_arrow_width);
    lay_out_strip();
  }
  // The list hangs right of the panel from its top: below where the pages and the foldouts reach,
  // as the panel is, and off its buttons.
  panel_count_ = button_count_;
  contents_corner_ = {middle + 0.5f * total + button_gap, top};
  lay_out_contents();
}

void HeadsetBook::lay_out_contents() {
  button_count_ = panel_count_;
  if (!contents_shown_) return;
  contents_first_ = contents_first_kept(contents_first_, contents_.size());
  size_t row = 0;
  const auto add = [&](Control what, size_t entry, float indent) {
    const float top = contents_corner_.y - static_cast<float>(row++) * (contents_row + contents_gap);
    buttons_[button_count_++] = {what, {contents_corner_.x + indent, top - contents_row}, {contents_corner_.x + contents_width, top}, entry};
  };
  const bool paged = contents_.size() > contents_rows;
  if (paged) add(Control::contents_up, 0, 0.0f);
  for (size_t index = contents_first_; index < std::min(contents_.size(), contents_first_ + contents_rows); ++index) {
    add(Control::range, index, static_cast<float>(std::min(contents_[index].depth, deepest_indent)) * contents_indent);
  }
  if (paged) add(Control::contents_down, 0, 0.0f);
}

void HeadsetBook::lay_out_strip() {
  if (strip_shown_ == 0) return;
  strip_first_ = std::min(strip_first_, openings_->sequence.size() - strip_shown_);
  // In a right-to-left book the first opening is on the right, as its pages are.
  const bool leftwards = openings_->direction == book::ViewingDirection::right_to_left;
  for (size_t slot = 0; slot < strip_shown_; ++slot) {
    const size_t place = leftwards ? strip_shown_ - 1 - slot : slot;
    buttons_[strip_button_ + 1 + place].entry = strip_first_ + slot;
  }
}

void HeadsetBook::show_opening() {
  for (const ShownPage& page : shown_pages_) renderer_.hide_page(page.page);
  shown_pages_.clear();
  // While a leaf turns, the foldout lying in view meanwhile (one on the turning leaf's page turns
  // with it: show_leaf), as on the touch kiosk.
  foldout_.follow(shown_.books[*book_], *openings_, foldout_lying_at(*openings_, opening_, turn_ ? turn_step_ : 0),
                  page_height_);
  place_pages();
}

void HeadsetBook::place_pages() {
  const scene::Book& book = shown_.books[*book_];
  const book::Opening& opening = openings_->sequence[opening_];
  const float height = page_height_;
  // Its body lies under the opening (a scroll's rollers at its section's ends), wherever the book
  // is carried.
  if (body_ && !scroll_layout_.empty()) {
    pose_book_body(renderer_, *body_, scroll_layout_.body_state(scroll_.position()), book_to_world_);
  } else if (body_) {
    pose_book_body(renderer_, *body_, *openings_, opening_, book_to_world_);
  }
  show_foldout();
  // The same pages moved (the book carried) keep their entries, placed anew.
  const bool record = shown_pages_.empty();
  size_t placed = 0;
  const auto show = [&](size_t page, glm::vec2 centre, glm::vec2 size, const render::PageCrop& crop) {
    render::PagePlacement placement;
    placement.transform = glm::translate(book_to_world_, glm::vec3(centre, 0.0f));
    placement.size = size;
    placement.crop = crop;
    renderer_.show_page(static_cast<uint32_t>(page), placement);
    if (record) {
      shown_pages_.push_back({static_cast<uint32_t>(page), placement});
    } else if (placed < shown_pages_.size()) {
      shown_pages_[placed].placement = placement;
    }
    ++placed;
  };
  const auto place = [&](const book::PagePart& part, glm::vec2 centre) {
    show(part.page, centre, {page_part_width(book, part, height), height}, page_crop(book, part));
  };
  if (!scroll_layout_.empty()) {
    // The section unrolled, its canvases cropped at the rolls.
    const auto [first, last] = scroll_layout_.visible(scroll_.position());
    for (size_t canvas = first; canvas < last; ++canvas) {
      const ScrollPart part = scroll_layout_.part(canvas, scroll_.position());
      show(part.page, part.centre, part.size, part.crop);
    }
    return;
  }
  if (opening.kind == book::Opening::Kind::leaves) {
    // Each side's page lies from the spine outwards; where a turning leaf lifted from, the page it
    // uncovers (turning_leaf.h).
    const LeafPages turning = turn_ ? leaf_pages(*openings_, opening_, turn_step_) : LeafPages{};
    const std::optional<book::PagePart> left = turning.lifted == PageSide::left ? turning.beneath : opening.left;
    const std::optional<book::PagePart> right = turning.lifted == PageSide::right ? turning.beneath : opening.right;
    if (left) place(*left, lying_page_centre(book, *left, PageSide::left, height));
    if (right) place(*right, lying_page_centre(book, *right, PageSide::right, height));
    return;
  }
  // One page alone, or a strip: side by side in reading order, centred on the opening's middle.
  const glm::vec2 middle = scene::book_opening_middle(book, height);
  float total = 0;
  for (const book::PagePart& part : opening.parts) total += page_part_width(book, part, height);
  const bool leftwards = openings_->direction == book::ViewingDirection::right_to_left;
  float from = -0.5f * total;
  for (const book::PagePart& part : opening.parts) {
    const float width = page_part_width(book, part, height);
    place(part, middle + glm::vec2(leftwards ? -(from + 0.5f * width) : from + 0.5f * width, 0.0f));
    from += width;
  }
}

void HeadsetBook::show_foldout() {
  // Unzoomed (deep zoom is bringing the book closer) and in its place: the opening is not drawn
  // smaller while it is open (FoldoutFit{}), the visitor turns their head instead.
  foldout_.show(renderer_, FoldoutFit{}, book_to_world_);
}

bool HeadsetBook::can_turn(int step) const {
  if (!book_ || turn_) return false;
  return step > 0 ? opening_ + 1 < openings_->sequence.size() : opening_ > 0;
}

book::LeafTurn HeadsetBook::leaf_for(int step) const {
  return leaf_to_turn(shown_.books[*book_], *openings_, opening_, step, page_height_);
}

std::optional<HeadsetBook::Corner> HeadsetBook::corner(int step) const {
  if (!can_turn(step)) return std::nullopt;
  const book::LeafTurn leaf = leaf_for(step);
  book::LeafShape lying;
  lying.hinge = step > 0 ? 0.0f : std::numbers::pi_v<float>;
  const glm::vec2 size(leaf.size().width, leaf.size().height);
  Corner out{step, glm::vec2(1e9f), glm::vec2(-1e9f)};
  for (const glm::vec2 flat : {glm::vec2(1.0f - corner_share, 0.0f), glm::vec2(1.0f, corner_share), glm::vec2(1.0f, 0.0f)}) {
    const glm::vec3 point = book::leaf_point(lying, leaf.size(), leaf.direction(), flat * size);
    out.min = glm::min(out.min, glm::vec2(point));
    out.max = glm::max(out.max, glm::vec2(point));
  }
  return out;
}

std::optional<HeadsetBook::Corner> HeadsetBook::corner_at(glm::vec2 at, float margin) const {
  for (const int step : {+1, -1}) {
    const std::optional<Corner> found = corner(step);
    if (found && glm::all(glm::greaterThanEqual(at, found->min - margin)) && glm::all(glm::lessThanEqual(at, found->max + margin))) {
      return found;
    }
  }
  return std::nullopt;
}

glm::vec3 HeadsetBook::in_book(const glm::vec3& world) const {
  return glm::vec3(glm::inverse(book_to_world_) * glm::vec4(world, 1.0f));
}

std::optional<glm::vec2> HeadsetBook::ray_on_page(const xr::HandInput& hand) const {
  const glm::mat4 to_book = glm::inverse(book_to_world_);
  const glm::vec3 from = glm::vec3(to_book * glm::vec4(hand.ray_origin, 1.0f));
  const glm::vec3 along = glm::vec3(to_book * glm::vec4(hand.ray_direction, 0.0f));
  if (std::abs(along.z) < 1e-6f) return std::nullopt;
  const float distance = -from.z / along.z;
  if (distance < 0.0f || distance > ray_reach) return std::nullopt;
  return glm::vec2(from + along * distance);
}

Result<HandsTaken> HeadsetBook::take_hands(const xr::HeadsetInput& input, std::optional<uint32_t> selected, double now) {
  HandsTaken taken{};
  // The selected exhibit's book, else the one open, else the scene's first.
  std::optional<uint32_t> wanted = book_;
  for (uint32_t index = 0; index < shown_.books.size(); ++index) {
    if (selected && shown_.books[index].exhibit == *selected) wanted = index;
  }
  if (!wanted && !shown_.books.empty()) wanted = 0;
  if (wanted && wanted != book_ && wanted != failed_) {
    if (auto opened = open(*wanted, now); !opened) {
      if (opened.error().code() == ErrorCode::device_lost) return std::move(opened).error();
      // The exhibit still stands in the scene; the operator learns why its pages do not show.
      log::error("kiosk", "{}", opened.error().describe());
      failed_ = wanted;
    }
  }
  if (!book_) return taken;

  // The hand holding the magnifier is its own; either hand presses the panel's buttons.
  if (magnifier_hand_) {
    const xr::HandInput& hand = input.hands[*magnifier_hand_];
    magnifier_tracked_ = hand.tracked;
    magnifier_at_ = hand.ray_origin;
    taken[*magnifier_hand_] = true;
  }
  for (size_t index = 0; index < input.hands.size(); ++index) {
    if (const std::optional<size_t> button = pressed_button(input.hands[index])) {
      press(*button, index, now);
      taken[index] = true;
    }
  }

  if (!scroll_layout_.empty()) {
    take_scroll(input, now, taken);
    return taken;
  }

  if (foldout_.held()) {
    const xr::HandInput& hand = input.hands[turning_hand_];
    if (!still_holding(hand, hold_)) {
      foldout_.release();  // on to open past halfway, else back folded; pressed alone, it opens
      return taken;
    }
    taken[turning_hand_] = true;
    if (const std::optional<glm::vec2> at = held_at(hand, hold_)) foldout_.drag_on_page(*at);
    return taken;
  }
  if (turn_ && turn_->held()) {
    const xr::HandInput& hand = input.hands[turning_hand_];
    if (!still_holding(hand, hold_)) {
      turn_->release(velocity_);
      return taken;
    }
    taken[turning_hand_] = true;
    if (const std::optional<glm::vec2> at = held_at(hand, hold_)) {
      if (now > last_time_) velocity_ = (*at - last_at_) / static_cast<float>(now - last_time_);
      last_at_ = *at;
      last_time_ = now;
      turn_->drag(*at);
    }
    return taken;
  }
  if (turn_) return taken;  // a leaf let go is still on its way down

  for (size_t index = 0; index < input.hands.size(); ++index) {
    const xr::HandInput& hand = input.hands[index];
    if (taken[index]) continue;
    // A leaf's corner, or the foldout lying over its page.
    const std::optional<HandHold> hold = hold_on(
        hand, [&](glm::vec2 at, float margin) { return corner_at(at, margin).has_value() || foldout_.covers(at, margin); });
    if (!hold) continue;
    taken[index] = true;
    const std::optional<Corner> found = corner_at(hold->at, hold->by_ray ? 0.0f : hand_margin);
    if (!foldout_.folded()) {
      // Open, the foldout folds first; a leaf taken by its corner turns once it lies folded (update).
      foldout_.fold(found ? found->step : 0);
      return taken;
    }
    if (!found) {
      // Drawn outwards it opens as far as the hand goes, as a finger opens it on the touch kiosk.
      foldout_.take_on_page(hold->at);
      turning_hand_ = index;
      hold_ = *hold;
      return taken;
    }
    turn_.emplace(leaf_for(found->step));
    turn_step_ = found->step;
    turning_hand_ = index;
    hold_ = *hold;
    const glm::vec2 at = glm::clamp(hold->at, found->min, found->max);  // a point of the leaf, though the hand is beside it
    turn_->take(at);
    last_at_ = at;
    last_time_ = now;
    velocity_ = glm::vec2(0.0f);
    show_opening();  // what the leaf uncovers
    return taken;
  }
  return taken;
}

template <class On>
std::optional<HeadsetBook::HandHold> HeadsetBook::hold_on(const xr::HandInput& hand, const On& on) const {
  if (!hand.tracked || (!hand.grab_pressed && !hand.select_pressed)) return std::nullopt;
  // Within reach: the grip closes on it, or the fingers pinch it (a controller's trigger, a
  // tracked hand's pinch at the aim pose's origin).
  const glm::vec3 near = in_book(hand.grab_pressed ? glm::vec3(hand.grip_to_world[3]) : hand.ray_origin);
  if (std::abs(near.z) <= hand_reach_off_page && on(glm::vec2(near), hand_margin)) {
    return HandHold{glm::vec2(near), false, hand.grab_pressed};
  }
  if (!hand.select_pressed) return std::nullopt;
  // From afar: the ray's point on it, held with the trigger or pinch (a squeeze from afar lifts the book).
  const std::optional<glm::vec2> pointed = ray_on_page(hand);
  if (!pointed || !on(*pointed, 0.0f)) return std::nullopt;
  return HandHold{*pointed, true, false};
}

bool HeadsetBook::still_holding(const xr::HandInput& hand, const HandHold& hold) {
  return hand.tracked && (hold.by_grip ? hand.grab : hand.select);
}

std::optional<glm::vec2> HeadsetBook::held_at(const xr::HandInput& hand, const HandHold& hold) const {
  if (!hand.tracked) return std::nullopt;
  if (hold.by_ray) return ray_on_page(hand);
  return glm::vec2(in_book(hold.by_grip ? glm::vec3(hand.grip_to_world[3]) : hand.ray_origin));
}

void HeadsetBook::take_scroll(const xr::HeadsetInput& input, double now, HandsTaken& taken) {
  if (scroll_.held()) {
    const xr::HandInput& hand = input.hands[turning_hand_];
    if (!still_holding(hand, hold_)) {
      scroll_.release();  // it drifts on at the hand's last speed
      return;
    }
    taken[turning_hand_] = true;
    if (const std::optional<glm::vec2> at = held_at(hand, hold_)) scroll_.drag(*at, now);
    return;
  }
  // The paper taken anywhere on the unrolled section, as a finger takes it on the touch kiosk.
  const auto on_section = [&](glm::vec2 at, float margin) {
    return glm::all(glm::greaterThanEqual(at, scroll_layout_.section_min() - margin)) &&
           glm::all(glm::lessThanEqual(at, scroll_layout_.section_max() + margin));
  };
  for (size_t index = 0; index < input.hands.size(); ++index) {
    if (taken[index]) continue;
    const std::optional<HandHold> hold = hold_on(input.hands[index], on_section);
    if (!hold) continue;
    turning_hand_ = index;
    hold_ = *hold;
    scroll_.take(hold->at, now);
    taken[index] = true;
    return;
  }
}

void HeadsetBook::update(const std::optional<interaction::HeldExhibit>& held, const glm::vec3& head,
                         float eye_pixels_per_radian, float seconds, double now) {
  if (!book_) return;
  // Carried: the pages go with the hand, and how much closer to the eyes the book came than it
  // lies on its cradle is how far the visitor has zoomed in.
  const uint32_t exhibit = shown_.books[*book_].exhibit;
  const glm::mat4 carried = held && held->exhibit == exhibit ? held->transform * resting_to_world_ : resting_to_world_;
  if (carried != book_to_world_) {
    book_to_world_ = carried;
    place_pages();
  }
  const glm::vec3 middle(scene::book_opening_middle(shown_.books[*book_], page_height_), 0.0f);
  const float resting = glm::distance(head, glm::vec3(resting_to_world_ * glm::vec4(middle, 1.0f)));
  const float now_at = glm::distance(head, glm::vec3(book_to_world_ * glm::vec4(middle, 1.0f)));
  if (now_at > 1e-3f) {
    // Against the scan: the eye's pixels over the scan's across a page's height, at this distance.
    const scene::BookPage& page = shown_.books[*book_].pages[openings_->sequence[opening_].parts.front().page];
    const float scan_scale = page.height > 0 ? eye_pixels_per_radian * page_height_ / now_at / static_cast<float>(page.height) : 0.0f;
    reading_->zoom(std::max(1.0f, resting / now_at), scan_scale);
  }

  // A scroll pulled (or drifting): its section laid anew, and the canvas come to its middle read.
  if (!scroll_layout_.empty() && scroll_.advance(seconds, calm_)) {
    show_opening();
    if (const size_t canvas = scroll_layout_.canvas_in_middle(scroll_.position()); canvas != canvas_) {
      canvas_ = canvas;
      reading_->turn_to(static_cast<uint32_t>(canvas + 1), now);
      ++turns_;
    }
  }
  if (foldout_.advance(seconds, calm_) || foldout_.held()) show_foldout();
  // Folded at last for a leaf taken while it lay open: the leaf turns over by itself.
  if (const int step = foldout_.take_turn(); step != 0 && can_turn(step)) {
    turn_.emplace(leaf_for(step));
    turn_step_ = step;
    show_opening();  // the page beneath the leaf
    turn_->turn_over();
  }
  // Over the pages as they now lie.
  place_lens();
  land_thumbnails();

  if (!turn_) return;
  turn_->advance(seconds);
  if (turn_->moving()) {
    show_leaf();
    return;
  }
  // Landed: over the other side it has turned the opening; back where it lay nothing changed.
  const bool started_turned = turn_step_ < 0;
  if (turn_->turned() != started_turned) read_opening(turn_step_ > 0 ? opening_ + 1 : opening_ - 1, now);
  turn_.reset();
  renderer_.hide_turning_leaf();
  show_opening();
}

void HeadsetBook::read_opening(size_t opening, double now) {
  opening_ = opening;
  reading_->turn_to(static_cast<uint32_t>(opening_ + 1), now);
  ++turns_;
  // The strip follows the opening read into view, as the touch kiosk's does.
  if (strip_shown_ > 0 && (opening_ < strip_first_ || opening_ >= strip_first_ + strip_shown_)) {
    strip_first_ = opening_ > strip_shown_ / 2 ? opening_ - strip_shown_ / 2 : 0;
    lay_out_strip();
  }
}

void HeadsetBook::show_leaf() {
  render::TurningLeaf leaf;
  if (!shape_turning_leaf(shown_.books[*book_], leaf_pages(*openings_, opening_, turn_step_), *turn_, book_to_world_,
                          held_leaf_lift, leaf_columns, leaf_rows, leaf_positions_, leaf_normals_, leaf)) {
    return;
  }
  carry_folded_foldout(shown_.books[*book_], *openings_, opening_, turn_step_, leaf);
  renderer_.show_turning_leaf(leaf);
}

std::optional<size_t> HeadsetBook::pressed_button(const xr::HandInput& hand) const {
  if (!hand.tracked || (!hand.select_pressed && !hand.grab_pressed)) return std::nullopt;
  const auto button_at = [&](glm::vec2 at) -> std::optional<size_t> {
    for (size_t index = 0; index < button_count_; ++index) {
      const Button& button = buttons_[index];
      if (glm::all(glm::greaterThanEqual(at, button.min)) && glm::all(glm::lessThanEqual(at, button.max))) return index;
    }
    return std::nullopt;
  };
  // Within reach, the fingers (or the controller's tip) on the button; from afar, the ray and the
  // trigger (a squeeze from afar lifts the book).
  const glm::vec3 near = in_book(hand.ray_origin);
  if (std::abs(near.z) <= hand_reach_off_page) {
    if (const std::optional<size_t> found = button_at(glm::vec2(near))) return found;
  }
  if (!hand.select_pressed) return std::nullopt;
  const std::optional<glm::vec2> pointed = ray_on_page(hand);
  return pointed ? button_at(*pointed) : std::nullopt;
}

void HeadsetBook::press(size_t button, size_t hand, double now) {
  switch (buttons_[button].what) {
    case Control::scroll_on:
    case Control::scroll_back: {
      // The touch kiosk's buttons' way (BookPlayer::turn_by_button): the canvases met on the way
      // are read as it glides (update).
      const int sections = buttons_[button].what == Control::scroll_on ? +1 : -1;
      if (scroll_.can_step(sections)) scroll_.step(sections);
      break;
    }
    case Control::magnifier:
      if (magnifier_hand_) {
        magnifier_hand_.reset();  // put back
      } else {
        magnifier_hand_ = hand;
        magnifier_tracked_ = false;  // until the next frame reads where the hand is
      }
      break;
    case Control::commentary: layers_.commentary = !layers_.commentary; break;
    case Control::seals: layers_.seals = !layers_.seals; break;
    case Control::contents:
      contents_shown_ = !contents_shown_;
      lay_out_contents();
      break;
    case Control::strip_left:
    case Control::strip_right: {
      // The left arrow shows the openings to the left: earlier ones, later ones in a right-to-left
      // book. By the strip's width, as the touch kiosk's.
      const bool leftwards = openings_->direction == book::ViewingDirection::right_to_left;
      const bool earlier = (buttons_[button].what == Control::strip_left) != leftwards;
      strip_first_ = earlier ? strip_first_ - std::min(strip_first_, strip_shown_) : strip_first_ + strip_shown_;
      lay_out_strip();
      break;
    }
    case Control::thumbnail:
      // As a range is gone to: not while a leaf turns.
      if (const size_t opening = buttons_[button].entry; !turn_ && opening != opening_) {
        read_opening(opening, now);
        show_opening();
      }
      break;
    case Control::contents_up:
      contents_first_ = contents_earlier(contents_first_);
      lay_out_contents();
      break;
    case Control::contents_down:
      contents_first_ = contents_later(contents_first_, contents_.size());
      lay_out_contents();
      break;
    case Control::range: {
      // As the touch kiosk goes to it (BookPlayer::jump_to): not while a leaf turns.
      if (turn_) break;
      if (const size_t opening = contents_[buttons_[button].entry].opening; opening != opening_) {
        read_opening(opening, now);
        show_opening();
      }
      contents_shown_ = false;
      lay_out_contents();
      break;
    }
  }
}

void HeadsetBook::place_lens() {
  magnifying_ = false;
  if (magnifier_hand_ && magnifier_tracked_) {
    lens_centre_ = in_book(magnifier_at_);
    lens_centre_.z = std::max(lens_centre_.z, lens_lift);
  }
  // Over a foldout, its panels rather than the page they lie on.
  for (const ShownPage& shown : foldout_.with_panels(shown_pages_)) {
    if (!magnifier_hand_ || !magnifier_tracked_ || lens_centre_.z > lens_reach) break;
    // Where the lens's centre lies over this page, in fractions of it from its top-left corner.
    const glm::vec3 on_page(glm::inverse(shown.placement.transform) * book_to_world_ *
                            glm::vec4(lens_centre_.x, lens_centre_.y, 0.0f, 1.0f));
    const glm::vec2 size = shown.placement.size;
    const glm::vec2 at(on_page.x / size.x + 0.5f, 0.5f - on_page.y / size.y);
    if (glm::any(glm::lessThan(at, glm::vec2(0.0f))) || glm::any(glm::greaterThan(at, glm::vec2(1.0f)))) continue;
    // The part beneath, 1/magnification of the lens's size, kept wholly on the page near its edges.
    const glm::vec2 half = glm::min(glm::vec2(lens_radius / lens_magnification) / size, glm::vec2(0.5f));
    const glm::vec2 centre = glm::clamp(at, half, glm::vec2(1.0f) - half);
    const render::PageCrop& crop = shown.placement.crop;
    const glm::vec2 extent = crop.max - crop.min;
    render::PagePlacement lens;
    lens.transform = glm::translate(book_to_world_, lens_centre_);
    lens.size = glm::vec2(2.0f * lens_radius);
    lens.crop = {crop.min + (centre - half) * extent, crop.min + (centre + half) * extent};
    renderer_.show_magnified(shown.page, lens);
    // The whole page as large as the lens shows it, the point beneath at the lens's centre.
    const glm::vec2 magnified = glm::vec2(lens_radius) / half;
    lens_page_ = {shown.page, {glm::translate(book_to_world_, lens_centre_ + glm::vec3((0.5f - centre.x) * magnified.x,
                                                                                        (centre.y - 0.5f) * magnified.y, 0.0f)),
                               magnified, crop}};
    lens_on_layers_ = centre * magnified;
    magnifying_ = true;
    break;
  }
  if (!magnifying_) renderer_.hide_magnified();
}

std::span<const render::WorldOverlay> HeadsetBook::overlays() {
  overlays_.clear();
  if (!book_) return overlays_;
  const scene::Book& book = shown_.books[*book_];
  const std::span<const ShownPage> pages = foldout_.with_panels(shown_pages_);
  if (layers_.commentary || layers_.seals || shows_painted_text(book, pages)) {
    const std::span<const render::WorldOverlay> layers =
        layer_overlay_.build(book, pages, layers_, std::nullopt, layer_colors, white_, fonts_->body_font());
    overlays_.insert(overlays_.end(), layers.begin(), layers.end());
  }
  add_panel(own_buffers_[0]);
  overlays_.push_back({glm::translate(book_to_world_, glm::vec3(0.0f, 0.0f, panel_lift)), own_buffers_[0].view()});
  if (magnifying_ && (layers_.commentary || layers_.seals || shows_painted_text(book, {&lens_page_, 1}))) {
    const std::span<const render::WorldOverlay> magnified =
        lens_layer_overlay_.build(book, {&lens_page_, 1}, layers_, std::nullopt, layer_colors, white_, fonts_->body_font());
    if (!magnified.empty()) {
      own_buffers_[2].clear();
      append_clipped(magnified.front().overlay, lens_on_layers_ - lens_radius, lens_on_layers_ + lens_radius, own_buffers_[2]);
      overlays_.push_back({magnified.front().plane_to_world, own_buffers_[2].view()});
    }
  }
  if (magnifier_hand_ && magnifier_tracked_) {
    add_rim(own_buffers_[1]);
    overlays_.push_back(
        {glm::translate(book_to_world_, lens_centre_ + glm::vec3(0.0f, 0.0f, rim_lift)), own_buffers_[1].view()});
  }
  return overlays_;
}

void HeadsetBook::add_panel(ui::OverlayBuffers& out) {
  out.clear();
  std::array<char, 64> words;
  // The range the visitor is in, edged as a switch that is on.
  const size_t here = contents_shown_ ? contents_entry_at(contents_, opening_) : contents_.size();
  for (size_t index = 0; index < button_count_; ++index) {
    const Button& button = buttons_[index];
    // A switch is marked; a scroll's step, the list's arrows and its ranges are pressed, not switched.
    const bool switched = button.what == Control::magnifier || button.what == Control::commentary ||
                          button.what == Control::seals || button.what == Control::contents;
    const bool on = button.what == Control::magnifier    ? magnifier_hand_.has_value()
                    : button.what == Control::commentary ? layers_.commentary
                    : button.what == Control::seals      ? layers_.seals
                    : button.what == Control::contents   ? contents_shown_
                    : button.what == Control::range      ? button.entry == here
                    : button.what == Control::thumbnail  ? button.entry == opening_
                                                         : false;
    // The overlay's y runs down its plane: the book's y upside down.
    const float left = button.min.x, right = button.max.x, top = -button.max.y, bottom = -button.min.y;
    // On: a thick edge as well as the mark, so that it is not told by one sign alone.
    const float edge = on ? 0.004f : 0.0015f;
    ui::begin_flat_quads(white_, out);
    ui::append_flat_quad(left - edge, top - edge, right + edge, bottom + edge, layer_colors.box_edge, out);
    ui::append_flat_quad(left, top, right, bottom, layer_colors.box, out);
    if (button.what == Control::thumbnail) {
      add_opening_picture(button.entry, {left + strip_picture_margin, top + strip_picture_margin},
                          {right - strip_picture_margin, bottom - strip_picture_margin}, out);
      continue;
    }
    std::string_view name;
    switch (button.what) {
      case Control::scroll_on: name = unroll_on.in(language_); break;
      case Control::scroll_back: name = roll_back.in(language_); break;
      case Control::magnifier: name = magnifier_words.in(language_); break;
      case Control::commentary: name = layer_words(AnnotationLayer::commentary, language_); break;
      case Control::seals: name = layer_words(AnnotationLayer::seal, language_); break;
      case Control::contents: name = contents_words.in(language_); break;
      case Control::strip_left: name = "◀"; break;
      case Control::strip_right: name = "▶"; break;
      case Control::thumbnail: break;
      case Control::contents_up: name = "▲"; break;
      case Control::contents_down: name = "▼"; break;
      case Control::range: name = pick(shown_.books[*book_].ranges[contents_[button.entry].range].label, language_); break;
    }
    // A range's label whole (the words' buffer would cut a long one, perhaps within a character).
    append_caption(out, switched ? std::string_view(label(words, "{}{}", on ? "● " : "○ ", name)) : name,
                   {left + 0.01f, top + 0.5f * (bottom - top - panel_em * 1.4f)}, panel_em, layer_colors.box,
                   layer_colors.commentary_ink, white_, *fonts_->body_font());
  }
}

void HeadsetBook::add_opening_picture(size_t opening_index, glm::vec2 min, glm::vec2 max, ui::OverlayBuffers& out) const {
  const scene::Book& book = shown_.books[*book_];
  const book::Opening& opening = openings_->sequence[opening_index];
  // Each part at its shape on the page (page_part_width at a height of 1), from its page's cell.
  const auto picture = [&](const book::PagePart& part, glm::vec2 from, glm::vec2 to) {
    if (!strip_atlas_.holds(static_cast<uint32_t>(part.page))) {
      // Past what the texture holds: paper, in a draw of its own.
      ui::begin_flat_quads(white_, out);
      ui::append_flat_quad(from.x, from.y, to.x, to.y, strip_paper, out);
      ui::begin_flat_quads(*strip_atlas_.texture(), out);
      return;
    }
    const render::PageCrop crop = page_crop(book, part);
    const glm::vec2 uv_from = strip_atlas_.uv(static_cast<uint32_t>(part.page), crop.min);
    const glm::vec2 uv_to = strip_atlas_.uv(static_cast<uint32_t>(part.page), crop.max);
    render::OverlayDraw& draw = out.draws.back();
    const auto first = static_cast<uint16_t>(out.vertices.size() - static_cast<size_t>(draw.vertex_offset));
    out.vertices.push_back({from.x, from.y, uv_from.x, uv_from.y, 0xFFFFFFFFu});
    out.vertices.push_back({to.x, from.y, uv_to.x, uv_from.y, 0xFFFFFFFFu});
    out.vertices.push_back({to.x, to.y, uv_to.x, uv_to.y, 0xFFFFFFFFu});
    out.vertices.push_back({from.x, to.y, uv_from.x, uv_to.y, 0xFFFFFFFFu});
    for (const uint16_t corner : {0, 1, 2, 0, 2, 3}) out.indices.push_back(static_cast<uint16_t>(first + corner));
    draw.index_count += 6;
  };
  ui::begin_flat_quads(*strip_atlas_.texture(), out);
  const glm::vec2 room = max - min;
  const glm::vec2 middle = 0.5f * (min + max);
  if (opening.kind == book::Opening::Kind::leaves) {
    const float left = opening.left ? page_part_width(book, *opening.left, 1.0f) : 0.0f;
    const float right = opening.right ? page_part_width(book, *opening.right, 1.0f) : 0.0f;
    if (book::reads_vertically(openings_->direction)) {
      // A vertical book's pages hang above and below its spine (`left` above), as it shows them.
      const float height = std::min(0.5f * room.y, room.x / std::max({left, right, 1e-3f}));
      if (opening.left) picture(*opening.left, {middle.x - 0.5f * left * height, middle.y - height}, {middle.x + 0.5f * left * height, middle.y});
      if (opening.right) picture(*opening.right, {middle.x - 0.5f * right * height, middle.y}, {middle.x + 0.5f * right * height, middle.y + height});
      return;
    }
    // Each side's page from the spine outwards.
    const float height = std::min(room.y, 0.5f * room.x / std::max({left, right, 1e-3f}));
    const float top = middle.y - 0.5f * height;
    if (opening.left) picture(*opening.left, {middle.x - left * height, top}, {middle.x, top + height});
    if (opening.right) picture(*opening.right, {middle.x, top}, {middle.x + right * height, top + height});
    return;
  }
  // One page alone, or a strip: side by side in reading order.
  float total = 0;
  for (const book::PagePart& part : opening.parts) total += page_part_width(book, part, 1.0f);
  const float height = std::min(room.y, room.x / std::max(total, 1e-3f));
  const bool leftwards = openings_->direction == book::ViewingDirection::right_to_left;
  float x = middle.x + (leftwards ? 0.5f : -0.5f) * total * height;
  for (const book::PagePart& part : opening.parts) {
    const float width = page_part_width(book, part, 1.0f) * height;
    if (leftwards) x -= width;
    picture(part, {x, middle.y - 0.5f * height}, {x + width, middle.y + 0.5f * height});
    if (!leftwards) x += width;
  }
}

void HeadsetBook::add_rim(ui::OverlayBuffers& out) const {
  out.clear();
  ui::begin_flat_quads(white_, out);
  render::OverlayDraw& draw = out.draws.back();
  const auto ring = [&](float inner, float outer, uint32_t color) {
    for (uint32_t segment = 0; segment < rim_segments; ++segment) {
      const float from = 2.0f * std::numbers::pi_v<float> * static_cast<float>(segment) / rim_segments;
      const float to = 2.0f * std::numbers::pi_v<float> * static_cast<float>(segment + 1) / rim_segments;
      const auto first = static_cast<uint16_t>(out.vertices.size() - static_cast<size_t>(draw.vertex_offset));
      for (const auto& [radius, angle] : {std::pair{inner, from}, {outer, from}, {outer, to}, {inner, to}}) {
        out.vertices.push_back({radius * std::cos(angle), radius * std::sin(angle), 0.5f, 0.5f, color});
      }
      for (const uint16_t corner : {0, 1, 2, 0, 2, 3}) out.indices.push_back(static_cast<uint16_t>(first + corner));
      draw.index_count += 6;
    }
  };
  ring(lens_radius, rim_outer, rim_color);
  ring(lens_radius, lens_radius + bevel, bevel_color);
}

void HeadsetBook::close(double now) {
  if (reading_) reading_->close(now);
}

}  // namespace pavilion::kiosk
