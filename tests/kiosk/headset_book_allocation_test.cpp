// No heap allocation per frame in the headset's book (kiosk/src/exhibits/book/book_hands.h) while
// a hand pulls a hand scroll along, and while a foldout opens out and folds again: HeadsetBook
// driven frame by frame on this thread as the headset mode drives it (hands taken, the book
// updated, its overlays hung, the frame drawn offscreen), each gesture made once to grow the
// buffers and load the tiles, then again counted. Also while the table of contents is listed,
// paged and a range pressed, and while the strip of pictures is paged and a picture pressed (the
// pictures landing in their texture meanwhile). Counted by replacing the global operator new in
// this binary (its own process).
#include "exhibits/book/book_hands.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/view.h"
#include "annals_manifest.h"
#include "book_package.h"
#include "book_scans.h"
#include "counting_new.h"
#include "headset_visit.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

// As the headset book tests lay their books (headset_book_test.cpp).
const glm::vec3 book_place(0.0f, 1.2f, 0.0f);
constexpr float book_radius = 0.5f;
const glm::vec3 viewpoint(0.0f, 1.6f, 1.2f);
constexpr float page_height = book_radius * 1.1f;
constexpr float page_width = page_height * 0.75f;  // 300 × 400 scans
// The book's frame (x across from the spine, y up from the pages' bottom edge, z out of the page)
// in the world; made once (framing allocates).
const glm::mat4 book_to_world =
    glm::translate(testing::book_frame(book_place, book_radius, viewpoint), glm::vec3(0.0f, -0.5f * page_height, 0.0f));
glm::vec3 on_book(const glm::vec3& point) { return glm::vec3(book_to_world * glm::vec4(point, 1.0f)); }

class HeadsetBookAllocations : public ::testing::Test {
 protected:
  // A right-to-left handscroll of eight canvases in scroll/; in atlas/, a codex opened at its
  // second page, whose third is a map three pages wide bound there as a foldout; in annals/, a
  // codex of ten pages with a table of contents of ten ranges (annals_manifest.h).
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    pack("river", "scroll", R"("viewingDirection": "right-to-left", "behavior": "continuous")", 8, 300);
    pack("atlas", "atlas",
         R"("viewingDirection": "left-to-right", "start": "p2.png", "pages": {"p3.png": {"behavior": "non-paged"}})", 5, 3);
    pack("annals", "annals", "", 10, 0, testing::annals_manifest());
  }
  // A package in `content` of one book exhibit `book`, its book.json saying `description` (or its
  // IIIF `manifest`, when given), its `pages` scans p1.png …, page `wide` three pages wide.
  static void pack(const char* book, const char* content, std::string_view description, uint32_t pages, uint32_t wide,
                   const std::string& manifest = {}) {
    const fs::path source = *folder_ / "source" / book;
    testing::write_text(source / "scene.json", fmt::format(R"({{
  "id": "books", "version": "1", "title": {{"zh-CN": "善本", "en": "Rare books"}},
  "viewpoints": [{{"position": [{}, {}, {}], "target": [{}, {}, {}]}}],
  "exhibits": [
    {{"id": "{}", "kind": "book", "position": [{}, {}, {}],
     "metadata": {{"title": {{"zh-CN": "书", "en": "A book"}}}},
     "alt_text": {{"zh-CN": "一部书。", "en": "A book."}}, "book": {{{}"folder": "{}"}}}}]
}})",
                                                           viewpoint.x, viewpoint.y, viewpoint.z, book_place.x, book_place.y,
                                                           book_place.z, book, book_place.x, book_place.y, book_place.z,
                                                           manifest.empty() ? "" : fmt::format(R"("manifest": "{}/manifest.json", )", book),
                                                           book));
    if (manifest.empty()) {
      testing::write_text(source / book / "book.json",
                          fmt::format(R"({{"title": {{"zh-CN": "书", "en": "A book"}}, {}}})", description));
    } else {
      testing::write_text(source / book / "manifest.json", manifest);
    }
    for (uint32_t page = 1; page <= pages; ++page) {
      ImageRgba8 scan = testing::page_scan(page);
      if (page == wide) {
        ImageRgba8 map(3 * scan.width, scan.height);
        for (uint32_t y = 0; y < map.height; ++y) {
          for (uint32_t x = 0; x < map.width; ++x) std::copy_n(scan.at(x / 3, y), 4, map.at(x, y));
        }
        scan = std::move(map);
      }
      ASSERT_TRUE(write_png(source / book / fmt::format("p{}.png", page), scan).ok());
    }
    ASSERT_TRUE(testing::pack_book_scene(source, *folder_ / content / "books.pvpkg", folder_->path()));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  // The renderer with the book packed in `content` loaded, and a HeadsetBook on it.
  void open(const char* content) {
    // Without the validation layer, whose own bookkeeping allocates per call.
    auto context = render::GpuContext::create({});
    ASSERT_TRUE(context.ok()) << context.error().describe();
    context_ = std::move(*context);
    auto renderer = render::Renderer::create(*context_, {.shadow_map_size = 256});
    ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
    renderer_ = std::move(*renderer);
    KioskConfig config;
    config.file = "test kiosk.json";
    config.content = *folder_ / content;
    config.trusted_keys = {testing::book_package_key(folder_->path())};
    config.playlist = {{"books.pvpkg", std::nullopt, std::nullopt}};
    content_.emplace(ContentLibrary::open(config, {}));
    ASSERT_EQ(content_->entries().size(), 1u);
    auto shown = content_->load(0);
    ASSERT_TRUE(shown.ok()) << shown.error().describe();
    shown_.emplace(std::move(*shown));
    ASSERT_TRUE(renderer_->load_scene(shown_->render).ok());
    ImageRgba8 white(1, 1);
    std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
    auto white_texture = renderer_->add_overlay_texture(white);
    ASSERT_TRUE(white_texture.ok());
    // Its books made ready before the first frame, as the headset mode does.
    const auto preparation = renderer_->page_preparation();
    ASSERT_TRUE(preparation.ok()) << preparation.error().describe();
    book_.emplace(content_->entries().front(), *shown_, shown_->book_bodies, *renderer_, log_, *white_texture, Language::en,
                  /*calm=*/false, prepare_books(content_->entries().front(), 0, *preparation));
    auto target = render::OffscreenTarget::create(*context_, {160, 120});
    ASSERT_TRUE(target.ok());
    target_ = std::move(*target);
    input_.head_position = head_;
    input_.hands[1].tracked = true;
  }
  void TearDown() override {
    if (renderer_) {
      EXPECT_TRUE(renderer_->wait_idle().ok());
    }
    if (book_) book_->close(now_);
  }

  // One frame, the right hand's fingers at `at` (the book's frame), pinching (the trigger) if
  // `pinch`, the pinch begun this frame if `pressed`.
  void frame(const glm::vec3& at, bool pinch, bool pressed) {
    now_ += 1.0 / 60.0;
    xr::HandInput& hand = input_.hands[1];
    hand.ray_origin = on_book(at);
    hand.select = pinch;
    hand.select_pressed = pressed;
    const auto taken = book_->take_hands(input_, std::nullopt, now_);
    book_->update(std::nullopt, head_, 500.0f, 1.0f / 60.0f, now_);
    const std::span<const render::WorldOverlay> world = book_->overlays();
    failed_ = failed_ || !taken.ok() || !renderer_->render(*target_, {&view_, 1}, nullptr, world).ok();
    renderer_->wait_for_page_reads();
  }
  // The operator new calls on this thread while `gesture` runs.
  static size_t allocations_in(const std::function<void()>& gesture) {
    testing::reset_counted_allocations();
    testing::count_this_threads_allocations(true);
    gesture();
    testing::count_this_threads_allocations(false);
    return testing::counted_allocations();
  }

  static inline TemporaryFolder* folder_ = nullptr;
  // The eyes 60 cm before the book's middle, the pages and the room in view.
  const glm::vec3 head_ = on_book({0.0f, 0.5f * page_height, 0.6f});
  const render::View view_ = render::look_at_view(head_, on_book({0.0f, 0.5f * page_height, 0.0f}),
                                                  render::symmetric_field_of_view(glm::radians(90.0f), 160.0f / 120.0f));
  std::unique_ptr<render::GpuContext> context_;
  std::unique_ptr<render::Renderer> renderer_;
  std::optional<ContentLibrary> content_;
  std::optional<scene::Scene> shown_;
  interaction::VisitLog log_{nullptr};
  std::optional<HeadsetBook> book_;
  std::unique_ptr<render::OffscreenTarget> target_;
  xr::HeadsetInput input_;
  double now_ = 0;
  bool failed_ = false;
};

// The fingers pinch the scroll's paper left of the middle and pull it 40 cm to the right and
// back, over 80 frames: the strip laid anew each frame (its canvases cropped at the rolls, its
// rollers posed), a canvas read as it reaches the middle. Made once to load the canvases' tiles,
// the second time allocates nothing.
TEST_F(HeadsetBookAllocations, AHandPullingAScrollAllocatesNothing) {
  ASSERT_NO_FATAL_FAILURE(open("scroll"));
  const auto pull = [&] {
    const uint32_t turns = book_->turns();
    frame({-0.2f, 0.5f * page_height, 0.03f}, true, true);
    EXPECT_TRUE(book_->scroll_held());
    for (int step = 1; step <= 80; ++step) {
      const float across = 0.4f * (step <= 40 ? step : 80 - step) / 40.0f;
      frame({-0.2f + across, 0.5f * page_height, 0.03f}, true, false);
    }
    frame({-0.2f, 0.5f * page_height, 0.03f}, false, false);  // let go
    EXPECT_GE(book_->turns(), turns + 2) << "the pull brought canvases to the middle and back";
  };
  for (int warm = 0; warm < 3; ++warm) frame({0.0f, -0.3f, 0.2f}, false, false);  // the pipelines built
  pull();
  EXPECT_EQ(allocations_in(pull), 0u) << "operator new was called while a hand pulled the scroll";
  EXPECT_FALSE(failed_);
}

// The fingers pinching the folded map draw it outwards past halfway, and let go it opens the rest
// of the way (0.6 s at most); a pinch on it again folds it: the panels laid each frame and drawn by
// the renderer. The second time allocates nothing.
TEST_F(HeadsetBookAllocations, AFoldoutOpeningAndFoldingAllocatesNothing) {
  ASSERT_NO_FATAL_FAILURE(open("atlas"));
  const glm::vec3 on_map(0.4f * page_width, 0.7f * page_height, 0.03f);
  const glm::vec3 away(0.0f, -0.3f, 0.2f);
  const auto open_and_fold = [&] {
    // Drawn outwards 55 cm over 30 frames (past halfway), let go: it opens the rest of the way.
    frame(on_map, true, true);
    for (int step = 1; step <= 30; ++step) frame(on_map + glm::vec3(0.55f * step / 30.0f, 0.0f, 0.0f), true, false);
    for (int step = 0; step < 60; ++step) frame(away, false, false);
    const bool opened = book_->foldout_unfolded();
    // Pressed again, it folds.
    frame(on_map, true, true);
    for (int step = 0; step < 60; ++step) frame(away, false, false);
    EXPECT_TRUE(opened);
    EXPECT_FALSE(book_->foldout_unfolded()) << "folded";
  };
  for (int warm = 0; warm < 3; ++warm) frame(away, false, false);
  open_and_fold();
  EXPECT_EQ(allocations_in(open_and_fold), 0u) << "operator new was called while the foldout opened and folded";
  EXPECT_FALSE(failed_);
}

// The map lies folded on the right page, whose leaf is the next to turn: the fingers pinch that
// leaf's corner, carry it over the spine (30 frames) and let go, and it lands turned (opening 2 → 3
// of the atlas, counted from 1); then they pinch the left page's corner and carry it back, and it
// lands where it was. The leaf the map lies on carries it folded on its face both ways
// (carry_folded_foldout: the leaf shaped anew each frame, the map's first panel on its front).
// Made once to load the pages' tiles, the second time allocates nothing.
TEST_F(HeadsetBookAllocations, ALeafTurningWithTheFoldedFoldoutOnItsFaceAllocatesNothing) {
  ASSERT_NO_FATAL_FAILURE(open("atlas"));
  const glm::vec3 right_corner(page_width - 0.01f, 0.01f, 0.03f);
  const glm::vec3 left_corner(0.01f - page_width, 0.01f, 0.03f);
  const glm::vec3 over_left(-0.6f * page_width, 0.3f * page_height, 0.05f);
  const glm::vec3 over_right(0.6f * page_width, 0.3f * page_height, 0.05f);
  const glm::vec3 away(0.0f, -0.3f, 0.2f);
  // Taken at `from`, carried to `to` over 30 frames, let go and left to land.
  const auto carry = [&](const glm::vec3& from, const glm::vec3& to) {
    frame(from, true, true);
    const bool taken = book_->leaf_held();
    for (int step = 1; step <= 30; ++step) frame(from + (to - from) * (static_cast<float>(step) / 30.0f), true, false);
    frame(to, false, false);  // let go
    for (int step = 0; step < 60; ++step) frame(away, false, false);
    EXPECT_TRUE(taken) << "the corner took the leaf";
    EXPECT_FALSE(book_->leaf_turning()) << "it landed";
  };
  const auto turn_and_back = [&] {
    const uint32_t turns = book_->turns();
    carry(right_corner, over_left);
    EXPECT_EQ(book_->opening(), 2u) << "turned forward";
    carry(left_corner, over_right);
    EXPECT_EQ(book_->opening(), 1u) << "turned back";
    EXPECT_EQ(book_->turns(), turns + 2);
    EXPECT_FALSE(book_->foldout_unfolded()) << "the hands on the corners never opened the map";
  };
  for (int warm = 0; warm < 3; ++warm) frame(away, false, false);
  ASSERT_EQ(book_->opening(), 1u) << "the atlas opens at its second page";
  turn_and_back();
  EXPECT_EQ(allocations_in(turn_and_back), 0u) << "operator new was called while a leaf carried the folded foldout";
  EXPECT_FALSE(failed_);
}

// The fingers press 目录 Contents on the book's panel (right of the magnifier's), ▼ and ▲ at the
// list's ends, 正文 Main text (the fourth opening), Contents again and 卷一 Volume one (back to the
// first): the list laid out and drawn with each range's label, the pages shown anew at each range.
// Positions as headset_book_test.cpp's press_contents and press_contents_row. The second time
// allocates nothing.
TEST_F(HeadsetBookAllocations, TheContentsListedPagedAndARangePressedAllocateNothing) {
  ASSERT_NO_FATAL_FAILURE(open("annals"));
  const glm::vec3 away(0.0f, -0.3f, 0.2f);
  const auto press = [&](glm::vec2 at) {
    frame({at, 0.03f}, true, true);
    for (int step = 0; step < 5; ++step) frame(away, false, false);
  };
  const glm::vec2 contents(0.0825f, -0.0575f);
  const auto row = [](int index) { return glm::vec2(0.1725f + 0.2f, -0.03f - static_cast<float>(index) * 0.046f - 0.02f); };
  const auto go_about = [&] {
    const uint32_t turns = book_->turns();
    press(contents);
    const bool listed = book_->contents_shown();
    press(row(9));  // ▼
    press(row(0));  // ▲
    press(row(4));  // Main text
    EXPECT_EQ(book_->opening(), 3u);
    press(contents);
    press(row(1));  // Volume one
    EXPECT_TRUE(listed);
    EXPECT_FALSE(book_->contents_shown()) << "a range pressed puts the list away";
    EXPECT_EQ(book_->opening(), 0u);
    EXPECT_EQ(book_->turns(), turns + 2);
  };
  for (int warm = 0; warm < 3; ++warm) frame(away, false, false);
  go_about();
  EXPECT_EQ(allocations_in(go_about), 0u) << "operator new was called while the contents were listed and gone to";
  EXPECT_FALSE(failed_);
}

// The fingers press ▶ at the right end of the strip of pictures below the panel, its last picture
// (the sixth opening), ◀, and its first picture (back to the first): the strip laid out anew and
// drawn, the pictures landing as they are read. Positions as headset_book_test.cpp's press_strip.
// The second time allocates nothing.
TEST_F(HeadsetBookAllocations, TheStripPagedAndAPicturePressedAllocateNothing) {
  ASSERT_NO_FATAL_FAILURE(open("annals"));
  const glm::vec3 away(0.0f, -0.3f, 0.2f);
  const auto press = [&](float x) {
    frame({x, -0.1375f, 0.03f}, true, true);
    for (int step = 0; step < 5; ++step) frame(away, false, false);
  };
  const auto go_about = [&] {
    const uint32_t turns = book_->turns();
    press(0.1325f);  // ▶
    press(-0.5075f + 4.0f * 0.135f);
    EXPECT_EQ(book_->opening(), 5u);
    press(-0.6075f);  // ◀
    press(-0.5075f);
    EXPECT_EQ(book_->opening(), 0u);
    EXPECT_EQ(book_->turns(), turns + 2);
  };
  for (int warm = 0; warm < 3; ++warm) frame(away, false, false);
  go_about();
  EXPECT_EQ(allocations_in(go_about), 0u) << "operator new was called while the strip was paged and gone to";
  EXPECT_FALSE(failed_);
}

}  // namespace
}  // namespace pavilion::kiosk
