// The book in the headset: opened on its cradle, its leaves taken by a hand near a corner or by a
// ray on it, carried closer to read, and the reading logged.
#include "exhibits/book/book_hands.h"

#include "exhibits/book/turning_leaf.h"

#include "pavilion/core/log.h"
#include "pavilion/scene/book_pages.h"
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
constexpr float leaf_lift = 0.002f;

}  // namespace

HeadsetBook::HeadsetBook(const ContentEntry& entry, const scene::Scene& shown, render::Renderer& renderer,
                         interaction::VisitLog& log)
    : entry_(entry), shown_(shown), renderer_(renderer), log_(log) {}

HeadsetBook::~HeadsetBook() {
  // The renderer reads tiles on its threads through the scene and the package, which go first.
  if (!book_) return;
  renderer_.hide_turning_leaf();
  for (const uint32_t page : shown_pages_) renderer_.hide_page(page);
  static_cast<void>(renderer_.load_pages(nullptr));
}

Result<void> HeadsetBook::open(uint32_t book_index, double now) {
  if (reading_) reading_->close(now);
  reading_.reset();
  turn_.reset();
  if (book_) renderer_.hide_turning_leaf();
  for (const uint32_t page : shown_pages_) renderer_.hide_page(page);
  shown_pages_.clear();
  book_.reset();
  const scene::Book& book = shown_.books[book_index];
  const scene::Exhibit& exhibit = shown_.exhibits.at(book.exhibit);
  openings_ = book.openings();
  if (openings_.sequence.empty()) {
    return Error(ErrorCode::invalid_input, "opening a book in the headset",
                 fmt::format("the book of exhibit '{}' has no pages to show", exhibit.id));
  }
  PV_TRY(renderer_.load_pages(std::make_shared<scene::PackageBookPages>(*entry_.reader, shown_, book_index)));
  book_ = book_index;
  opening_ = openings_.opening_for_page(book.start_page).value_or(0);
  // Where the touch kiosk frames it, seen from standing eye height (a seated visitor's headset
  // shows the scene from there too): its pages face the visitor coming from the first viewpoint.
  const scene::ExhibitFraming framing = scene::frame_exhibit(exhibit, shown_.viewpoints, 0.0f, scene::standing_eye_height);
  const glm::vec3 out_of_page = glm::normalize(framing.eye - exhibit.position);
  const glm::vec3 up = glm::normalize(glm::cross(out_of_page, framing.right));
  const glm::vec3 across = glm::cross(up, out_of_page);
  page_height_ = book_page_height(book, exhibit.radius);
  const glm::vec2 middle = opening_middle(book, page_height_);
  resting_to_world_ = glm::mat4(glm::vec4(across, 0.0f), glm::vec4(up, 0.0f), glm::vec4(out_of_page, 0.0f),
                                glm::vec4(exhibit.position - across * middle.x - up * middle.y, 1.0f));
  book_to_world_ = resting_to_world_;
  shown_pages_.reserve(book.pages.size());
  const interaction::ExhibitRef ref{{entry_.id, entry_.version}, exhibit.id};
  reading_.emplace(log_, ref, static_cast<uint32_t>(opening_ + 1), now);
  show_opening();
  return {};
}

void HeadsetBook::show_opening() {
  for (const uint32_t page : shown_pages_) renderer_.hide_page(page);
  shown_pages_.clear();
  place_pages();
}

void HeadsetBook::place_pages() {
  const scene::Book& book = shown_.books[*book_];
  const book::Opening& opening = openings_.sequence[opening_];
  const float height = page_height_;
  const bool record = shown_pages_.empty();
  const auto place = [&](const book::PagePart& part, glm::vec2 centre) {
    render::PagePlacement placement;
    placement.transform = glm::translate(book_to_world_, glm::vec3(centre, 0.0f));
    placement.size = {page_part_width(book, part, height), height};
    placement.crop = page_crop(book, part);
    renderer_.show_page(static_cast<uint32_t>(part.page), placement);
    if (record) shown_pages_.push_back(static_cast<uint32_t>(part.page));
  };
  if (opening.kind == book::Opening::Kind::leaves) {
    // Each side's page lies from the spine outwards; where a turning leaf lifted from, the page it
    // uncovers (turning_leaf.h).
    const LeafPages turning = turn_ ? leaf_pages(openings_, opening_, turn_step_) : LeafPages{};
    const std::optional<book::PagePart> left = turning.lifted == PageSide::left ? turning.beneath : opening.left;
    const std::optional<book::PagePart> right = turning.lifted == PageSide::right ? turning.beneath : opening.right;
    if (left) place(*left, lying_page_centre(book, *left, PageSide::left, height));
    if (right) place(*right, lying_page_centre(book, *right, PageSide::right, height));
    return;
  }
  // One page alone, or a strip: side by side in reading order, centred on the opening's middle.
  const glm::vec2 middle = opening_middle(book, height);
  float total = 0;
  for (const book::PagePart& part : opening.parts) total += page_part_width(book, part, height);
  const bool leftwards = openings_.direction == book::ViewingDirection::right_to_left;
  float from = -0.5f * total;
  for (const book::PagePart& part : opening.parts) {
    const float width = page_part_width(book, part, height);
    place(part, middle + glm::vec2(leftwards ? -(from + 0.5f * width) : from + 0.5f * width, 0.0f));
    from += width;
  }
}

bool HeadsetBook::can_turn(int step) const {
  if (!book_ || turn_) return false;
  return step > 0 ? opening_ + 1 < openings_.sequence.size() : opening_ > 0;
}

book::LeafTurn HeadsetBook::leaf_for(int step) const {
  return leaf_to_turn(shown_.books[*book_], openings_, opening_, step, page_height_);
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

  if (turn_ && turn_->held()) {
    const xr::HandInput& hand = input.hands[turning_hand_];
    const bool holding = hand.tracked && (by_grip_ ? hand.grab : hand.select);
    const std::optional<glm::vec2> at =
        !hand.tracked ? std::nullopt
        : by_ray_     ? ray_on_page(hand)
                      : std::optional<glm::vec2>(in_book(by_grip_ ? glm::vec3(hand.grip_to_world[3]) : hand.ray_origin));
    if (!holding) {
      turn_->release(velocity_);
      return taken;
    }
    taken[turning_hand_] = true;
    if (at) {
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
    if (!hand.tracked || (!hand.grab_pressed && !hand.select_pressed)) continue;
    // Within reach: the grip closes on the corner, or the fingers pinch it (a controller's
    // trigger, a tracked hand's pinch at the aim pose's origin).
    const glm::vec3 near = in_book(hand.grab_pressed ? glm::vec3(hand.grip_to_world[3]) : hand.ray_origin);
    std::optional<Corner> found;
    glm::vec2 at(near);
    bool by_ray = false;
    if (std::abs(near.z) <= hand_reach_off_page) found = corner_at(at, hand_margin);
    if (!found && hand.select_pressed) {
      // From afar: the ray's point on the corner, held with the trigger or pinch.
      if (const std::optional<glm::vec2> pointed = ray_on_page(hand)) {
        at = *pointed;
        found = corner_at(at, 0.0f);
        by_ray = true;
      }
    }
    if (!found) continue;
    turn_.emplace(leaf_for(found->step));
    turn_step_ = found->step;
    turning_hand_ = index;
    by_ray_ = by_ray;
    by_grip_ = !by_ray && hand.grab_pressed;
    at = glm::clamp(at, found->min, found->max);  // a point of the leaf, though the hand is beside it
    turn_->take(at);
    last_at_ = at;
    last_time_ = now;
    velocity_ = glm::vec2(0.0f);
    taken[index] = true;
    show_opening();  // what the leaf uncovers
    return taken;
  }
  return taken;
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
  const glm::vec3 middle(opening_middle(shown_.books[*book_], page_height_), 0.0f);
  const float resting = glm::distance(head, glm::vec3(resting_to_world_ * glm::vec4(middle, 1.0f)));
  const float now_at = glm::distance(head, glm::vec3(book_to_world_ * glm::vec4(middle, 1.0f)));
  if (now_at > 1e-3f) {
    // Against the scan: the eye's pixels over the scan's across a page's height, at this distance.
    const scene::BookPage& page = shown_.books[*book_].pages[openings_.sequence[opening_].parts.front().page];
    const float scan_scale = page.height > 0 ? eye_pixels_per_radian * page_height_ / now_at / static_cast<float>(page.height) : 0.0f;
    reading_->zoom(std::max(1.0f, resting / now_at), scan_scale);
  }

  if (!turn_) return;
  turn_->advance(seconds);
  if (turn_->moving()) {
    show_leaf();
    return;
  }
  // Landed: over the other side it has turned the opening; back where it lay nothing changed.
  const bool started_turned = turn_step_ < 0;
  if (turn_->turned() != started_turned) {
    opening_ = turn_step_ > 0 ? opening_ + 1 : opening_ - 1;
    reading_->turn_to(static_cast<uint32_t>(opening_ + 1), now);
    ++turns_;
  }
  turn_.reset();
  renderer_.hide_turning_leaf();
  show_opening();
}

void HeadsetBook::show_leaf() {
  render::TurningLeaf leaf;
  if (!shape_turning_leaf(shown_.books[*book_], leaf_pages(openings_, opening_, turn_step_), *turn_, book_to_world_,
                          leaf_lift, leaf_columns, leaf_rows, leaf_positions_, leaf_normals_, leaf)) {
    return;
  }
  renderer_.show_turning_leaf(leaf);
}

void HeadsetBook::close(double now) {
  if (reading_) reading_->close(now);
}

}  // namespace pavilion::kiosk
