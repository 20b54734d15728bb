#include "exhibits/book/book_foldout.h"

#include "exhibits/book/book_zoom.h"
#include "exhibits/book/turning_leaf.h"

#include "pavilion/render/renderer.h"
#include "pavilion/scene/book_body.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/vector_relational.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace pavilion::kiosk {
namespace {

// The folded foldout lies this far above its page (as a turning leaf does), each panel rolled
// beneath it this much lower (thicker than paper: depth keeps them apart at a kiosk's distance;
// one rolled below the page plane is hidden by the page).
constexpr float foldout_lift = 0.001f;
constexpr float panel_thickness = 0.0005f;

float ease_crease(float x) { return x * x * (3.0f - 2.0f * x); }

}  // namespace

FoldoutFolding fold_foldout(float width, float page_width, bool leftwards) {
  FoldoutFolding folding;
  folding.width = width;
  if (width <= 0.0f || page_width <= 0.0f) return folding;
  const float panel = std::max(page_width, width / static_cast<float>(render::max_foldout_panels));
  // A hair's breadth over a whole number of pages is not another panel.
  const auto count = static_cast<uint32_t>(std::ceil(width / panel - 1e-3f));
  folding.count = std::clamp(count, 1u, render::max_foldout_panels);
  for (uint32_t index = 0; index < folding.count; ++index) {
    const float from = static_cast<float>(index) * panel;
    const float to = index + 1 == folding.count ? width : std::min(width, from + panel);
    FoldoutPanel& made = folding.panels[index];
    made.width = to - from;
    // Counted from the bound edge: the picture's left edge, or its right edge read leftwards.
    const float near = from / width;
    const float far = to / width;
    made.crop = leftwards ? render::PageCrop{{1.0f - far, 0.0f}, {1.0f - near, 1.0f}}
                          : render::PageCrop{{near, 0.0f}, {far, 1.0f}};
  }
  return folding;
}

float crease_openness(uint32_t crease, uint32_t creases, float openness) {
  if (creases == 0) return 1.0f;
  return ease_crease(std::clamp(openness * static_cast<float>(creases) - static_cast<float>(crease), 0.0f, 1.0f));
}

float lay_foldout(const FoldoutFolding& folding, float openness, bool leftwards, float height, float lift,
                  float thickness, std::span<FoldoutPanelPose> poses) {
  const float side = leftwards ? -1.0f : 1.0f;
  // Along the unfolding (outwards from the spine) and out of the page: where the next crease is,
  // and which way the panel from it runs. Each panel is rolled beneath the one before it, so it
  // swings out from behind that panel's outer edge, downwards and then up to lie flat.
  glm::vec2 at(0.0f);
  float angle = 0.0f;
  float reach = 0.0f;
  const uint32_t creases = folding.count == 0 ? 0 : folding.count - 1;
  for (uint32_t index = 0; index < folding.count; ++index) {
    const float width = folding.panels[index].width;
    const glm::vec2 along(std::cos(angle), std::sin(angle));
    const glm::vec2 centre = at + 0.5f * width * along;
    poses[index].centre = glm::vec3(side * centre.x, 0.5f * height, lift + centre.y - thickness * static_cast<float>(index));
    // The picture's rightwards runs outwards in a left-to-right book, towards the spine otherwise.
    poses[index].turn = -side * angle;
    at += width * along;
    reach = std::max(reach, at.x);
    if (index < creases) angle -= std::numbers::pi_v<float> * (1.0f - crease_openness(index, creases, openness));
  }
  return reach;
}

FoldoutFit fit_foldout(float low, float high, float height, float reach, bool leftwards) {
  FoldoutFit fit;
  const float wide_low = leftwards ? std::min(low, -reach) : low;
  const float wide_high = leftwards ? high : std::max(high, reach);
  if (high <= low || wide_high <= wide_low) return fit;
  fit.scale = (high - low) / (wide_high - wide_low);
  fit.from = glm::vec2(0.5f * (wide_low + wide_high), 0.5f * height);
  fit.to = glm::vec2(0.5f * (low + high), 0.5f * height);
  return fit;
}

std::optional<FoldedFoldout> foldout_at(const scene::Book& book, const book::Openings& openings, size_t opening,
                                        float height) {
  const book::Opening& shown = openings.sequence[opening];
  if (shown.kind != book::Opening::Kind::leaves) return std::nullopt;
  const auto bound = std::find(openings.foldout_bound_at.begin(), openings.foldout_bound_at.end(), opening);
  if (bound == openings.foldout_bound_at.end()) return std::nullopt;
  const book::PagePart part = openings.foldouts[static_cast<size_t>(bound - openings.foldout_bound_at.begin())].parts.front();
  // It lies on the page on the side the book reads towards, as wide as that page (or, where the
  // opening has none there, as the page on the other side).
  const bool leftwards = book::next_leaf_on_left(openings.direction);
  const std::optional<book::PagePart>& ahead = leftwards ? shown.left : shown.right;
  const std::optional<book::PagePart>& other = leftwards ? shown.right : shown.left;
  FoldedFoldout folded{static_cast<uint32_t>(part.page), ahead ? *ahead : *other, {}, 0.0f};
  // Folded as a horizontal book's (turned a quarter for a hanging one: leaf_size): across its
  // page's leaf from the spine, as long along the spine as that leaf; a hanging book's foldout is
  // as wide as its page and folds along its height.
  const book::LeafSize leaf = leaf_size(book, folded.under, height);
  folded.along_spine = leaf.height;
  const scene::BookPage& picture = book.pages[part.page];
  const float length = scene::book_hangs_from_spine(book)
                           ? leaf.height * static_cast<float>(picture.height) / static_cast<float>(std::max(1u, picture.width))
                           : page_part_width(book, part, height);
  folded.folding = fold_foldout(length, leaf.width, leftwards);
  if (!folded.folding.opens()) return std::nullopt;
  if (scene::book_hangs_from_spine(book)) {
    // Its panels are bands of the picture's height, from its top edge down (its bottom edge up).
    for (FoldoutPanel& panel : std::span(folded.folding.panels).first(folded.folding.count)) {
      panel.crop = {{panel.crop.min.y, panel.crop.min.x}, {panel.crop.max.y, panel.crop.max.x}};
    }
  }
  return folded;
}

size_t foldout_lying_at(const book::Openings& openings, size_t opening, int step) {
  return step > 0 && leaf_pages(openings, opening, step).lifted ? opening + 1 : opening;
}

void carry_folded_foldout(const scene::Book& book, const book::Openings& openings, size_t opening, int step,
                          render::TurningLeaf& leaf) {
  const LeafPages pages = leaf_pages(openings, opening, step);
  if (!pages.lifted || !pages.front) return;
  // The front is the page ahead of the opening the leaf turns from forward, or back to.
  const std::optional<FoldedFoldout> folded = foldout_at(book, openings, step > 0 ? opening : opening - 1, 1.0f);
  if (!folded || folded->under != *pages.front) return;
  leaf.front.page = folded->page;
  leaf.front.crop = folded->folding.panels[0].crop;
}

void BookFoldout::follow(const scene::Book& book, const book::Openings& openings, size_t opening, float height) {
  if (opening_ == opening && height_ == height) return;
  reset();
  opening_ = opening;
  height_ = height;
  const std::optional<FoldedFoldout> folded = foldout_at(book, openings, opening, height);
  if (!folded) return;
  leftwards_ = book::next_leaf_on_left(openings.direction);
  hangs_ = scene::book_hangs_from_spine(book);
  folding_ = folded->folding;
  along_spine_ = folded->along_spine;
  page_ = folded->page;
  covered_page_ = static_cast<uint32_t>(folded->under.page);
  const scene::BookPage& picture = book.pages[folded->page];
  scan_pixels_per_metre_ = static_cast<float>(hangs_ ? picture.width : picture.height) / along_spine_;
}

void BookFoldout::reset() {
  // shown_ stays: the next show() hides what the renderer still draws.
  page_.reset();
  opening_.reset();
  openness_ = goal_ = 0.0f;
  turn_after_ = 0;
  held_ = dragged_ = false;
  fit_ = {};
  screen_min_ = screen_max_ = glm::vec2(0.0f);
}

void BookFoldout::open() {
  if (!page_) return;
  goal_ = 1.0f;
  turn_after_ = 0;
}

void BookFoldout::fold(int step) {
  goal_ = 0.0f;
  turn_after_ = step;
}

int BookFoldout::take_turn() {
  if (!folded() || turn_after_ == 0) return 0;
  return std::exchange(turn_after_, 0);
}

bool BookFoldout::advance(double seconds, bool calm) {
  if (!page_ || held_ || openness_ == goal_) return false;
  const float step = calm ? 1.0f : static_cast<float>(seconds) / unfolding_seconds;
  openness_ = goal_ > openness_ ? std::min(goal_, openness_ + step) : std::max(goal_, openness_ - step);
  return true;
}

void BookFoldout::take(glm::vec2 pixel) {
  const glm::vec2 extent = screen_max_ - screen_min_;
  take_at(pixel, std::max(1.0f, hangs_ ? extent.y : extent.x));  // across its folds
}

void BookFoldout::take_on_page(glm::vec2 at) {
  take_at(at, std::max(1e-3f, folding_.panels[0].width));  // one panel's width: across its folds
}

void BookFoldout::take_at(glm::vec2 at, float width) {
  if (!page_) return;
  held_ = true;
  dragged_ = false;
  taken_at_ = at;
  taken_width_ = width;
  turn_after_ = 0;
}

void BookFoldout::drag(glm::vec2 pixel) {
  // Further than a finger wavers in a tap.
  constexpr float tap_pixels = 12.0f;
  drag_by(pixel - taken_at_, tap_pixels);
}

void BookFoldout::drag_on_page(glm::vec2 at) {
  // Further than a hand wavers pressing; the page plane's y runs up, the screen's down.
  constexpr float tap_metres = 0.02f;
  const glm::vec2 moved = at - taken_at_;
  drag_by({moved.x, -moved.y}, tap_metres);
}

void BookFoldout::drag_by(glm::vec2 moved, float tap) {
  if (!held_) return;
  dragged_ = dragged_ || glm::length(moved) > tap;
  if (!dragged_) return;
  // Outwards: rightwards or leftwards, a hanging book's downwards or upwards.
  const float outwards = (leftwards_ ? -1.0f : 1.0f) * (hangs_ ? moved.y : moved.x);
  openness_ = goal_ = std::clamp(outwards / (2.0f * taken_width_), 0.0f, 1.0f);
}

void BookFoldout::release() {
  if (!held_) return;
  held_ = false;
  if (!dragged_) {
    open();
    return;
  }
  goal_ = openness_ >= 0.5f ? 1.0f : 0.0f;
}

FoldoutFit BookFoldout::fit(const scene::Book& book, const book::Opening& opening) const {
  if (!page_ || openness_ == 0.0f) return {};
  // The opening lies from the spine: its left page left of it (a hanging book's above), its right
  // page right (below); fitted as a horizontal book's and turned into the book's frame.
  const float low = opening.left ? -leaf_size(book, *opening.left, height_).width : 0.0f;
  const float high = opening.right ? leaf_size(book, *opening.right, height_).width : 0.0f;
  std::array<FoldoutPanelPose, render::max_foldout_panels> poses;
  const float reach = lay_foldout(folding_, openness_, leftwards_, along_spine_, foldout_lift, panel_thickness, poses);
  FoldoutFit fit = fit_foldout(low, high, along_spine_, reach, leftwards_);
  fit.from = to_book(fit.from);
  fit.to = to_book(fit.to);
  return fit;
}

void BookFoldout::show(render::Renderer& renderer, BookZoom& zoom, const FoldoutFit& fit,
                       const glm::mat4& book_to_world) {
  if (!lay(fit)) {
    hide(renderer);
    return;
  }
  for (uint32_t index = 0; index < folding_.count; ++index) {
    // Its footprint on the page plane joins the opening's rectangle (the zoom pans within it).
    const glm::vec2 footprint(folding_.panels[index].width * std::abs(std::cos(poses_[index].turn)), along_spine_);
    static_cast<void>(zoom.place(book_to_world, fit.at(to_book(glm::vec2(poses_[index].centre))),
                                 fit.scale * glm::abs(to_book(footprint)), scan_pixels_per_metre_ / fit.scale));
  }
  hand_over(renderer, book_to_world);
}

void BookFoldout::show(render::Renderer& renderer, const FoldoutFit& fit, const glm::mat4& book_to_world) {
  if (!lay(fit)) {
    hide(renderer);
    return;
  }
  hand_over(renderer, book_to_world);
}

bool BookFoldout::lay(const FoldoutFit& fit) {
  fit_ = fit;
  if (!page_) return false;
  lay_foldout(folding_, openness_, leftwards_, along_spine_, foldout_lift, panel_thickness, poses_);
  return true;
}

void BookFoldout::hide(render::Renderer& renderer) {
  if (shown_) renderer.hide_foldout();
  shown_ = false;
}

void BookFoldout::hand_over(render::Renderer& renderer, const glm::mat4& book_to_world) {
  for (uint32_t index = 0; index < folding_.count; ++index) {
    const FoldoutPanelPose& pose = poses_[index];
    const FoldoutPanel& panel = folding_.panels[index];
    const glm::vec2 centre = fit_.at(to_book(glm::vec2(pose.centre)));
    // Handed over last panel first: a panel rolled beneath the one before it is drawn before it,
    // so where depth cannot part them the one above wins (later draws win ties).
    render::PagePlacement& placement = placements_[folding_.count - 1 - index];
    // Drawn at the opening's fit, tilted about its crease (a hanging book's lie along the x axis:
    // the horizontal layout turned a quarter clockwise, and the picture a quarter back, upright
    // again).
    const glm::mat4 at = glm::translate(book_to_world, glm::vec3(centre, fit_.scale * pose.centre.z));
    const glm::vec3 up(0.0f, 0.0f, 1.0f);
    const float quarter = hangs_ ? 0.5f * std::numbers::pi_v<float> : 0.0f;
    placement.transform = glm::rotate(glm::rotate(glm::rotate(at, -quarter, up), pose.turn, glm::vec3(0.0f, 1.0f, 0.0f)), quarter, up);
    placement.size = fit_.scale * glm::abs(to_book(glm::vec2(panel.width, along_spine_)));
    placement.crop = panel.crop;
  }
  renderer.show_foldout(*page_, std::span<const render::PagePlacement>(placements_.data(), folding_.count));
  shown_ = true;
}

std::array<glm::vec2, 2> BookFoldout::panel_corners(uint32_t panel) const {
  const FoldoutPanelPose& pose = poses_[panel];
  const glm::vec2 half(0.5f * folding_.panels[panel].width * std::cos(pose.turn), 0.5f * along_spine_);
  return {fit_.at(to_book(glm::vec2(pose.centre) - half)), fit_.at(to_book(glm::vec2(pose.centre) + half))};
}

bool BookFoldout::covers(glm::vec2 at, float margin) const {
  if (!page_ || !shown_) return false;
  for (uint32_t index = 0; index < folding_.count; ++index) {
    const auto [one, other] = panel_corners(index);
    if (glm::all(glm::greaterThanEqual(at, glm::min(one, other) - margin)) &&
        glm::all(glm::lessThanEqual(at, glm::max(one, other) + margin))) {
      return true;
    }
  }
  return false;
}

void BookFoldout::record_target(TouchControls& touch, const BookZoom& zoom, const glm::mat4& book_to_clip,
                                glm::vec2 screen) {
  screen_min_ = screen_max_ = glm::vec2(0.0f);
  if (!page_ || !shown_) return;
  glm::vec2 low(screen), high(0.0f);
  for (uint32_t index = 0; index < folding_.count; ++index) {
    for (const glm::vec2 corner : panel_corners(index)) {
      const std::optional<glm::vec2> pixel = book_point_on_screen(book_to_clip, screen, zoom.shown_at(corner));
      if (!pixel) return;
      low = glm::min(low, *pixel);
      high = glm::max(high, *pixel);
    }
  }
  screen_min_ = glm::max(low, glm::vec2(0.0f));
  screen_max_ = glm::min(high, screen);
  add_book_target(touch, "book:foldout", screen_min_, screen_max_);
}

bool BookFoldout::under(glm::vec2 pixel) const {
  return pixel.x >= screen_min_.x && pixel.x < screen_max_.x && pixel.y >= screen_min_.y && pixel.y < screen_max_.y;
}

std::span<const ShownPage> BookFoldout::with_panels(std::span<const ShownPage> pages) {
  layered_.clear();
  const bool lies = page_ && shown_;
  for (const ShownPage& page : pages) {
    if (!lies || page.page != covered_page_) layered_.push_back(page);
  }
  if (!lies) return layered_;
  const uint32_t creases = folding_.count - 1;
  for (uint32_t index = 0; index < folding_.count; ++index) {
    if (index > 0 && crease_openness(index - 1, creases, openness_) == 0.0f) break;
    layered_.push_back({*page_, placements_[folding_.count - 1 - index]});
  }
  return layered_;
}

}  // namespace pavilion::kiosk
