// The book in the headset (#17 items 4 and 8; kiosk/src/exhibits/book/book_hands.h): a scripted
// visitor in the simulated headset squeezes the grip on the lower corner of a small codex's next
// leaf (or pinches it with a tracked hand) and carries it across the spine (the opening turns,
// page_turn is logged); lets go of it early (it falls back, nothing is logged); points at the
// corner from where they stand and turns it with the trigger; brings the book closer (zoom); and
// holds a leaf mid-turn, seen in both eyes (a golden frame pair, the eyes differing by parallax
// only). A hand pulls a handscroll's paper along (the next canvas read, page_turn logged), its
// panel's buttons glide it a section on and back, and a hand opens an atlas's foldout and, taking
// the corner, folds it before the leaf turns, or draws it part way open (past halfway it opens the
// rest of the way, else folds back); the leaf the folded map lies on carries it on its face as it
// turns; the magnifier held over the opened map magnifies it. The annals' panel lists its table
// of contents: a range pressed turns the book to its first opening, ▼ and ▲ page the list; below
// the panel, a picture pressed in the strip of openings goes to its opening, ▶ and ◀ page the strip,
// and the right-to-left sutra's red plate is seen in it.
// pavilion-kiosk --xr's headset mode through the real OpenXR loader and its core validation
// layer, on lavapipe with the Vulkan validation layer.
#include "exhibits/book/prepared_book.h"
#include "headset/surroundings.h"
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/kiosk/headset_mode.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/scene/thumbnail.h"
#include "golden.h"
#include "headset_visit.h"
#include "book_package.h"
#include "annals_manifest.h"
#include "book_scans.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/vec2.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::kiosk {
namespace {

namespace fs = std::filesystem;
using testing::TemporaryFolder;

// The codex stands at the exhibit's place, the visitor starts at the viewpoint before it.
const glm::vec3 book_place(0.0f, 1.2f, 0.0f);
constexpr float book_radius = 0.5f;  // a book exhibit's (scene.json gives markers theirs)
const glm::vec3 viewpoint(0.0f, 1.6f, 1.2f);
// The stage's floor lies under the viewpoint, eyes at standing height above it (headset_mode.cpp).
const glm::vec3 stage_origin = viewpoint - glm::vec3(0.0f, scene::standing_eye_height, 0.0f);

using testing::page_scan;
using testing::write_text;

constexpr float page_height = book_radius * 1.1f;
constexpr float page_width = page_height * 0.75f;  // 300 × 400 scans
// The almanac, read top to bottom, hangs from a horizontal spine through the exhibit's place: its
// two pages stacked as high as the codex's one (turning_leaf.h).
constexpr float almanac_page_height = 0.5f * page_height;
constexpr float almanac_page_width = almanac_page_height * 0.75f;

// Where a point of a book's frame (z out of the page) lies in the world, as the headset lays the
// book (book_hands.cpp), the frame's origin `origin` across and up from the exhibit's place.
glm::vec3 in_book_frame(glm::vec2 origin, const glm::vec3& point) {
  return glm::vec3(testing::book_frame(book_place, book_radius, viewpoint) * glm::vec4(point + glm::vec3(origin, 0.0f), 1.0f));
}
// The codex's frame: x across from the spine, y up from the pages' bottom edge.
glm::vec3 on_book(const glm::vec3& point) { return in_book_frame({0.0f, -0.5f * page_height}, point); }
// The almanac's: x along the spine from its left end, y up from it.
glm::vec3 on_almanac(const glm::vec3& point) { return in_book_frame({-0.5f * almanac_page_width, 0.0f}, point); }

// A position on the stage, as the timeline wants it, of a point in the world.
std::string stage(const glm::vec3& world) { return testing::stage_position(world, stage_origin); }
using testing::aim_at;

// How the atlas's map lay when a hand drew it outwards (HeadsetBookVisit::draw_foldout): its red
// pixels in the left eye folded (frame 4), held (28) and come to rest (110), and how many frames
// it lay out of its folds.
struct FoldoutDrawn {
  size_t folded = 0, held = 0, rested = 0;
  uint32_t unfolded_frames = 0;
};

// A page painted red, as neither the room nor the pages are: which, and its size in pixels.
struct RedPlate {
  uint32_t page = 0;  // none
  uint32_t width = 0, height = 0;
};

class HeadsetBookVisit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    // The codex, read left to right, in content/; the almanac, read top to bottom, in almanac/;
    // a right-to-left handscroll of eight canvases in scroll/; in atlas/, a codex opened at its
    // second page, whose third is a map three pages wide bound there as a foldout; in sutra/, a
    // codex read right to left whose first page is a red plate; in calendar/, a book read top to
    // bottom opened at its second page, whose third is a red plate three pages high bound there as
    // a foldout.
    pack("codex", "content", R"("viewingDirection": "left-to-right")", 5);
    pack("almanac", "almanac", R"("viewingDirection": "top-to-bottom")", 5);
    pack("river", "scroll", R"("viewingDirection": "right-to-left", "behavior": "continuous")", 8);
    pack("atlas", "atlas",
         R"("viewingDirection": "left-to-right", "start": "p2.png", "pages": {"p3.png": {"behavior": "non-paged"}})", 5,
         {3, 900, 400});
    pack("sutra", "sutra", R"("viewingDirection": "right-to-left")", 5, {1, 300, 400});
    pack("calendar", "calendar",
         R"("viewingDirection": "top-to-bottom", "start": "p2.png", "pages": {"p3.png": {"behavior": "non-paged"}})", 5,
         {3, 300, 1200});
    // In annals/, the annals with their table of contents.
    const fs::path annals = *folder_ / "source" / "annals";
    write_scene(annals, "annals", R"("manifest": "annals/manifest.json", "folder": "annals")");
    write_text(annals / "annals" / "manifest.json", testing::annals_manifest());
    for (uint32_t page = 1; page <= 10; ++page) {
      ASSERT_TRUE(write_png(annals / "annals" / fmt::format("p{}.png", page), page_scan(page)).ok());
    }
    ASSERT_TRUE(testing::pack_book_scene(annals, *folder_ / "annals" / "books.pvpkg", folder_->path()));
  }
  // The scene.json in `source` of one book exhibit `book` at the book's place, its book from
  // `book_source` (the scene's "book" object's members).
  static void write_scene(const fs::path& source, const char* book, std::string_view book_source) {
    write_text(source / "scene.json", fmt::format(R"({{
  "id": "books", "version": "1", "title": {{"zh-CN": "善本", "en": "Rare books"}},
  "viewpoints": [{{"position": [{}, {}, {}], "target": [{}, {}, {}]}}],
  "exhibits": [
    {{"id": "{}", "kind": "book", "position": [{}, {}, {}],
     "metadata": {{"title": {{"zh-CN": "书", "en": "A book"}}}},
     "alt_text": {{"zh-CN": "一部书。", "en": "A book."}}, "book": {{{}}}}}]
}})",
                                                  viewpoint.x, viewpoint.y, viewpoint.z, book_place.x, book_place.y,
                                                  book_place.z, book, book_place.x, book_place.y, book_place.z, book_source));
  }
  // A package in `content` of one book exhibit `book` at the book's place, its book.json saying
  // `description` besides its title, its `pages` scans p1.png …, one of them `plate`.
  static void pack(const char* book, const char* content, std::string_view description, uint32_t pages, RedPlate plate = {}) {
    const fs::path source = *folder_ / "source" / book;
    write_scene(source, book, fmt::format(R"("folder": "{}")", book));
    write_text(source / book / "book.json", fmt::format(R"({{"title": {{"zh-CN": "书", "en": "A book"}}, {}}})", description));
    for (uint32_t page = 1; page <= pages; ++page) {
      ImageRgba8 scan = page_scan(page);
      if (page == plate.page) {
        scan = ImageRgba8(plate.width, plate.height);
        for (size_t pixel = 0; pixel < scan.pixels.size(); ++pixel) {
          static constexpr std::array<uint8_t, 4> red{210, 40, 40, 255};
          scan.pixels[pixel] = red[pixel % 4];
        }
      }
      ASSERT_TRUE(write_png(source / book / fmt::format("p{}.png", page), scan).ok());
    }
    ASSERT_TRUE(testing::pack_book_scene(source, *folder_ / content / "books.pvpkg", folder_->path()));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  struct Run {
    HeadsetRunReport report;
    std::vector<std::string> turns;  // page_turn as "SUBJECT>TO"
    std::vector<std::string> closes;  // book_close as "SUBJECT:OPENINGS SEEN"
    std::vector<std::string> zooms;   // zoom as "SUBJECT:POWER × 100"
    std::vector<int64_t> zooms_reached;  // zoom_reached: the eye's pixels per scan pixel, in thousandths
  };

  // The codex (or the book packed in `content`) on the simulated headset following `timeline`,
  // both eyes captured at `frames`.
  Run visit(const std::string& timeline, const char* frames = "", const char* content = "content") {
    HeadsetRunOptions options;
    options.config.file = "test kiosk.json";
    options.config.content = *folder_ / content;
    options.config.trusted_keys = {testing::book_package_key(folder_->path())};
    options.config.operator_pin = "2468";
    options.config.telemetry_queue = capture_ / "events.sqlite";
    options.package = "books.pvpkg";
    options.validation = true;
    testing::HeadsetVisit visited = testing::visit_headset(options, timeline, capture_.path(), frames, "160x120");
    Run out;
    out.report = std::move(visited.report);
    for (const telemetry::Event& event : visited.events) {
      if (event.type == telemetry::EventType::page_turn) out.turns.push_back(fmt::format("{}>{}", event.subject.view(), event.value));
      if (event.type == telemetry::EventType::book_close) out.closes.push_back(fmt::format("{}:{}", event.subject.view(), event.value));
      if (event.type == telemetry::EventType::zoom) out.zooms.push_back(fmt::format("{}:{}", event.subject.view(), event.value));
      if (event.type == telemetry::EventType::zoom_reached) out.zooms_reached.push_back(event.value);
    }
    return out;
  }

  ImageRgba8 eye(int frame, const char* side) {
    auto image = read_png(capture_ / fmt::format("frame-{}-{}.png", frame, side));
    EXPECT_TRUE(image.ok()) << image.error().describe();
    return image.ok() ? std::move(*image) : ImageRgba8(1, 1);
  }
  // Both eyes' frames side by side, the left eye's on the left (a golden pair).
  static ImageRgba8 side_by_side(const ImageRgba8& left, const ImageRgba8& right) {
    ImageRgba8 pair(left.width + right.width, std::max(left.height, right.height));
    testing::paste(pair, left, 0);
    testing::paste(pair, right, left.width);
    return pair;
  }

  // A visitor who stepped up to the book (eyes 60 cm from it) takes the next leaf's corner with
  // the right hand's grip at frame 6, carries it to `to` (in the book's frame) by frame 20, holds
  // it there and lets go at frame 30.
  // `pinch`: a tracked hand (the hand-interaction profile) pinches it instead.
  // The right controller at `hand` aims at `from` on the page, holds the trigger (frame 6), swings
  // its ray to `to` by frame 20 and lets go at frame 30: a visitor who cannot reach, from afar.
  static std::string ray_drag(const glm::vec3& hand, const glm::vec3& from, const glm::vec3& to) {
    return fmt::format(
        R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 90,
            "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"position": {hand}, {from}}}}},
                          {{"frame": 6, "right": {{"trigger": 1, "position": {hand}, {from}}}}},
                          {{"frame": 20, "right": {{"position": {hand}, {to}}}}},
                          {{"frame": 30, "right": {{"trigger": 0, "position": {hand}, {to}}}}}]}})",
        fmt::arg("hand", stage(hand)), fmt::arg("from", aim_at(hand, from)), fmt::arg("to", aim_at(hand, to)));
  }
  static std::string grab_and_carry(const glm::vec3& to, bool pinch = false) {
    return carry_from(on_book({0.0f, 0.5f * page_height, 0.6f}), on_book({page_width - 0.01f, 0.01f, 0.03f}), on_book(to), pinch);
  }
  // The same, the eyes at `head`, the corner at `corner` and carried to `to`, in the world.
  static std::string carry_from(const glm::vec3& head, const glm::vec3& corner, const glm::vec3& to, bool pinch = false) {
    return fmt::format(
        R"({{"interaction_profile": "{profile}", "end_session_at_frame": 90,
            "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, "yaw": 0, "pitch": -20}},
                            "right": {{"position": {corner}, "yaw": 0, "pitch": -60}}}},
                          {{"frame": 6, "right": {{"{button}": 1, "position": {corner}}}}},
                          {{"frame": 20, "right": {{"position": {to}}}}},
                          {{"frame": 30, "right": {{"{button}": 0, "position": {to}}}}}]}})",
        fmt::arg("profile", pinch ? "/interaction_profiles/microsoft/hand_interaction" : "/interaction_profiles/oculus/touch_controller"),
        fmt::arg("button", pinch ? "trigger" : "squeeze"), fmt::arg("head", stage(head)), fmt::arg("corner", stage(corner)),
        fmt::arg("to", stage(to)));
  }

  // The atlas's map taken folded by the right hand's grip at frame 6 and drawn `outwards` metres
  // rightwards by frame 20, let go at frame 30; the eyes seeing the map opened out.
  FoldoutDrawn draw_foldout(float outwards) {
    const glm::vec3 head = on_book({0.8f, 0.5f * page_height, 0.8f});
    const glm::vec3 look = on_book({0.8f, 0.5f * page_height, 0.0f});
    const glm::vec3 on_foldout = on_book({0.4f * page_width, 0.7f * page_height, 0.03f});
    const glm::vec3 drawn_to = on_book({0.4f * page_width + outwards, 0.7f * page_height, 0.03f});
    const std::string timeline = fmt::format(
        R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 120,
            "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, {look}}},
                            "right": {{"position": {foldout}, "yaw": 0, "pitch": -60}}}},
                          {{"frame": 6, "right": {{"squeeze": 1, "position": {foldout}}}}},
                          {{"frame": 20, "right": {{"position": {to}}}}},
                          {{"frame": 30, "right": {{"squeeze": 0, "position": {to}}}}},
                          {{"frame": 34, "right": {{"tracked": false}}}}]}})",
        fmt::arg("head", stage(head)), fmt::arg("look", aim_at(head, look)), fmt::arg("foldout", stage(on_foldout)),
        fmt::arg("to", stage(drawn_to)));
    const Run run = visit(timeline, "4,28,110", "atlas");
    EXPECT_EQ(run.report.grabs, 0u) << "the hand on the map lifted nothing";
    EXPECT_TRUE(run.turns.empty()) << "no leaf turned";
    return {red_pixels(eye(4, "left")), red_pixels(eye(28, "left")), red_pixels(eye(110, "left")), run.report.foldout_frames};
  }
  // The map (or plate) is the only red in the eye (the pages are paper with dark ink): its pixels
  // in columns [from.x, to.x) and rows [from.y, to.y), the whole eye unless told.
  static size_t red_pixels(const ImageRgba8& image, glm::uvec2 from = glm::uvec2(0u), glm::uvec2 to = glm::uvec2(~0u)) {
    size_t count = 0;
    for (uint32_t y = from.y; y < std::min(to.y, image.height); ++y) {
      for (uint32_t x = from.x; x < std::min(to.x, image.width); ++x) {
        const uint8_t* pixel = image.at(x, y);
        if (pixel[0] > pixel[1] + 80 && pixel[0] > pixel[2] + 80) ++count;
      }
    }
    return count;
  }

  static inline TemporaryFolder* folder_ = nullptr;
  TemporaryFolder capture_;
};

// An AR headset draws the scene without the exhibits around the visitor (a room's walls and
// floor): the renderer loads fewer instances, numbered anew, and the book's body, appended after
// every exhibit's, is asked for by its loaded numbers. Each part of the renumbered body is the
// same mesh and material as the scene's; a carried exhibit's instances begin where it was loaded.
TEST(HeadsetSurroundings, TheBooksBodyKeepsItsInstancesWhenTheRoomAroundTheVisitorIsDropped) {
  scene::Scene made;
  made.render.meshes.resize(1);
  made.render.materials.resize(1);
  // The room: three instances about the visitor's eyes, before the book's exhibit.
  scene::Exhibit room;
  room.id = "room";
  room.kind = scene::ExhibitKind::model;
  room.position = viewpoint;
  room.radius = 3.0f;
  room.first_instance = 0;
  room.instance_count = 3;
  made.exhibits.push_back(room);
  made.render.instances.resize(3);
  scene::Exhibit shelf = room;  // far off: kept, after the room
  shelf.id = "shelf";
  shelf.position = viewpoint + glm::vec3(0.0f, 0.0f, -10.0f);
  shelf.radius = 0.5f;
  shelf.first_instance = 3;
  shelf.instance_count = 1;
  made.exhibits.push_back(shelf);
  made.render.instances.resize(4);
  scene::Exhibit codex;
  codex.id = "codex";
  codex.kind = scene::ExhibitKind::book;
  codex.position = book_place + glm::vec3(0.0f, 0.0f, -5.0f);
  codex.radius = book_radius;
  made.exhibits.push_back(codex);
  scene::Viewpoint from;
  from.position = viewpoint;
  from.target = codex.position;
  made.viewpoints.push_back(from);
  scene::Book book;
  book.exhibit = 2;
  book.pages.resize(5);
  for (scene::BookPage& page : book.pages) {
    page.width = 300;
    page.height = 400;
  }
  made.books.push_back(book);
  scene::add_book_bodies(made);
  ASSERT_EQ(made.book_bodies.size(), 1u);
  const glm::mat4 stage = glm::translate(glm::mat4(1.0f), stage_origin);
  const SceneWithoutSurroundings kept = without_surroundings(made, stage);
  ASSERT_EQ(kept.render.instances.size(), made.render.instances.size() - 3) << "the room is dropped";
  ASSERT_EQ(kept.book_bodies.size(), 1u);
  size_t parts = 0;
  for (size_t part = 0; part < book::book_body_part_count; ++part) {
    const uint32_t in_scene = made.book_bodies[0].instances[part];
    const uint32_t loaded = kept.book_bodies[0].instances[part];
    if (in_scene == scene::no_body_instance) {
      EXPECT_EQ(loaded, scene::no_body_instance);
      continue;
    }
    ++parts;
    ASSERT_LT(loaded, kept.render.instances.size()) << book::to_string(static_cast<book::BookBodyPart>(part));
    EXPECT_EQ(kept.render.instances[loaded].mesh, made.render.instances[in_scene].mesh);
    EXPECT_EQ(kept.render.instances[loaded].material, made.render.instances[in_scene].material);
    EXPECT_EQ(kept.render.instances[loaded].transform, made.render.instances[in_scene].transform);
  }
  EXPECT_GT(parts, 4u);
  EXPECT_FALSE(kept.first_loaded(made.exhibits[0]).has_value());
  EXPECT_EQ(kept.first_loaded(made.exhibits[1]), std::optional<uint32_t>(0u));
}

// Carried over the spine to the left page's middle, the leaf lands turned: opening 1 → 2; the
// grip on the leaf picked up nothing. Leaving, the book closes at opening 2, two seen.
TEST_F(HeadsetBookVisit, AGripOnTheCornerCarriedAcrossTheSpineTurnsTheLeaf) {
  const Run run = visit(grab_and_carry({-0.6f * page_width, 0.3f * page_height, 0.05f}));
  EXPECT_EQ(run.report.page_turns, 1u);
  EXPECT_EQ(run.turns, std::vector<std::string>{"codex#1>2"});
  EXPECT_EQ(run.closes, std::vector<std::string>{"codex#2:2"});
  EXPECT_EQ(run.report.grabs, 0u) << "the hand on the leaf did not lift the book";
  EXPECT_GT(run.report.leaf_frames, 10u);
}

// A tracked hand pinches the corner and carries it over: the same turn.
TEST_F(HeadsetBookVisit, ATrackedHandPinchingTheCornerTurnsTheLeaf) {
  const Run run = visit(grab_and_carry({-0.6f * page_width, 0.3f * page_height, 0.05f}, true));
  EXPECT_EQ(run.report.interaction_profile, "/interaction_profiles/microsoft/hand_interaction");
  EXPECT_EQ(run.turns, std::vector<std::string>{"codex#1>2"});
  EXPECT_TRUE(run.report.selected_exhibits.empty()) << "the pinch on the leaf selected nothing";
}

// Let go a few centimetres from where it was taken, the leaf falls back: nothing turns.
TEST_F(HeadsetBookVisit, ALeafLetGoEarlyFallsBack) {
  const Run run = visit(grab_and_carry({0.8f * page_width, 0.1f * page_height, 0.08f}));
  EXPECT_EQ(run.report.page_turns, 0u);
  EXPECT_TRUE(run.turns.empty());
  EXPECT_EQ(run.closes, std::vector<std::string>{"codex#1:1"});
  EXPECT_GT(run.report.leaf_frames, 10u) << "the leaf was lifted, and fell back";
}

// A visitor who cannot reach points at the corner from where they stand and holds the trigger;
// the ray's point on the page carries the leaf over.
TEST_F(HeadsetBookVisit, ARayOnTheCornerFromAfarTurnsTheLeaf) {
  const glm::vec3 hand = stage_origin + glm::vec3(0.2f, 1.2f, -0.2f);
  const glm::vec3 corner = on_book({page_width - 0.02f, 0.02f, 0.0f});
  const glm::vec3 over = on_book({-0.6f * page_width, 0.3f * page_height, 0.0f});
  const Run run = visit(ray_drag(hand, corner, over));
  EXPECT_EQ(run.turns, std::vector<std::string>{"codex#1>2"});
}

// The sutra, read right to left, opens at its first page, a recto, alone on the left of the spine
// (the red plate lies left of the spine in the eye, nothing of it right). Its next leaf lies on the
// left: a tracked hand pinches the left page's lower outer corner and carries it across the spine
// to the right, and the book goes forward, opening 1 → 2 (the plate turned face down). Then it
// pinches the right page's corner and carries it to the left, and the book goes back, 2 → 1, the
// plate on the left again. Read as a left-to-right book, the left page's corner would turn nothing
// (no leaf lies before the first page) and the plate would lie on the right.
TEST_F(HeadsetBookVisit, ARightToLeftBookTurnsForwardFromItsLeftPageAndBackFromItsRight) {
  const glm::vec3 head = on_book({0.0f, 0.5f * page_height, 0.6f});
  const glm::vec3 left_corner = on_book({0.01f - page_width, 0.01f, 0.03f});
  const glm::vec3 right_corner = on_book({page_width - 0.01f, 0.01f, 0.03f});
  const glm::vec3 over_right = on_book({0.6f * page_width, 0.3f * page_height, 0.05f});
  const glm::vec3 over_left = on_book({-0.6f * page_width, 0.3f * page_height, 0.05f});
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/microsoft/hand_interaction", "end_session_at_frame": 150,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, "yaw": 0, "pitch": -20}},
                          "right": {{"position": {left_corner}, "yaw": 0, "pitch": -60}}}},
                        {{"frame": 6, "right": {{"trigger": 1, "position": {left_corner}}}}},
                        {{"frame": 20, "right": {{"position": {over_right}}}}},
                        {{"frame": 30, "right": {{"trigger": 0, "position": {over_right}}}}},
                        {{"frame": 70, "right": {{"position": {right_corner}}}}},
                        {{"frame": 74, "right": {{"trigger": 1, "position": {right_corner}}}}},
                        {{"frame": 88, "right": {{"position": {over_left}}}}},
                        {{"frame": 98, "right": {{"trigger": 0, "position": {over_left}}}}}]}})",
      fmt::arg("head", stage(head)), fmt::arg("left_corner", stage(left_corner)), fmt::arg("right_corner", stage(right_corner)),
      fmt::arg("over_right", stage(over_right)), fmt::arg("over_left", stage(over_left)));
  const Run run = visit(timeline, "4,66,146", "sutra");
  EXPECT_EQ(run.turns, (std::vector<std::string>{"sutra#1>2", "sutra#2>1"}));
  EXPECT_EQ(run.closes, std::vector<std::string>{"sutra#1:2"});
  EXPECT_EQ(run.report.grabs, 0u) << "the hand on the leaves lifted nothing";
  EXPECT_TRUE(run.report.selected_exhibits.empty()) << "the pinch on the leaves selected nothing";
  // The head is over the spine: the left eye, 3 cm left of it, sees the spine a few columns right
  // of its middle (at 160 × 120, about 10), so the left page lies left of column 80 and the right
  // page right of column 96; the pages above row 80, the strip of pictures below the panel (which
  // shows the plate's picture whatever the opening) from row 81.
  const ImageRgba8 first = eye(4, "left");
  const ImageRgba8 turned = eye(66, "left");
  const ImageRgba8 back = eye(146, "left");
  const glm::uvec2 pages_to(first.width, 80u);
  const glm::uvec2 left_page_to(first.width / 2, pages_to.y);
  const glm::uvec2 right_page_from(first.width / 2 + 16, 0u);
  const size_t plate = red_pixels(first, glm::uvec2(0u), pages_to);
  EXPECT_GT(plate, size_t{first.width} * first.height / 20) << "the first page lies in view";
  EXPECT_GT(red_pixels(first, glm::uvec2(0u), left_page_to), plate / 2) << "the first page lies left of the spine";
  EXPECT_LT(red_pixels(first, right_page_from, pages_to), plate / 50) << "nothing of it lies right of the spine";
  EXPECT_LT(red_pixels(turned, glm::uvec2(0u), pages_to), plate / 50) << "turned forward, the first page lies face down";
  EXPECT_GT(red_pixels(turned, glm::uvec2(0u, pages_to.y)), 20u) << "the plate's picture in the strip";
  EXPECT_NEAR(static_cast<double>(red_pixels(back, glm::uvec2(0u), pages_to)), static_cast<double>(plate),
              0.05 * static_cast<double>(plate))
      << "turned back, the first page lies as it did";
  EXPECT_GT(red_pixels(back, glm::uvec2(0u), left_page_to), plate / 2) << "on the left";
}

// Deep zoom in the headset is bringing the book closer: the grip with the ray on the page (not on
// a corner) lifts the book, and carried to a hand's breadth under the eyes its pages come with
// it, larger in the eye: zoom 2× is logged, and on leaving the opening how deep it went against
// the scan's pixels.
TEST_F(HeadsetBookVisit, TheBookBroughtCloserZoomsIn) {
  const glm::vec3 hand = stage_origin + glm::vec3(0.2f, 1.2f, -0.2f);
  const glm::vec3 page = on_book({0.5f * page_width, 0.6f * page_height, 0.0f});
  const glm::vec3 closer = hand + glm::vec3(0.0f, 0.25f, 0.8f);
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 50,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"position": {hand}, {page}}}}},
                        {{"frame": 6, "right": {{"squeeze": 1}}}},
                        {{"frame": 8, "right": {{"position": {hand}}}}},
                        {{"frame": 30, "right": {{"position": {closer}}}}}]}})",
      fmt::arg("hand", stage(hand)), fmt::arg("page", aim_at(hand, page)), fmt::arg("closer", stage(closer)));
  const Run run = visit(timeline, "4,36");
  EXPECT_EQ(run.report.grabs, 1u);
  EXPECT_EQ(run.report.page_turns, 0u);
  ASSERT_FALSE(run.zooms.empty());
  EXPECT_EQ(run.zooms.front(), "codex#1:200");
  ASSERT_EQ(run.zooms_reached.size(), 1u);
  EXPECT_GT(run.zooms_reached.front(), 0);
  // The page fills more of the eye: more of the picture changed than a leaf's worth.
  const ImageRgba8 before = eye(4, "left");
  const ImageRgba8 after = eye(36, "left");
  EXPECT_GT(testing::compare_images(after, before, 24).differing_pixels, before.width * before.height / 5);
}

// The book carried away takes its body along: its cradle, covers and blocks no longer lie where it
// rested. The eyes look at the book on its cradle; the hand lifts it up and away to the right. Of
// the resting book's pixels (those unlike their row's sky or floor at the frame's left edge) above
// the ring's buttons, hardly any look as they did: the sky and the floor show through.
TEST_F(HeadsetBookVisit, TheBooksBodyGoesWhereTheBookIsCarried) {
  const glm::vec3 hand = stage_origin + glm::vec3(0.2f, 1.2f, -0.2f);
  const glm::vec3 page = on_book({0.5f * page_width, 0.6f * page_height, 0.0f});
  const glm::vec3 away = hand + glm::vec3(3.0f, 3.0f, 3.0f);
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 40,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, {look}}},
                          "right": {{"position": {hand}, {page}}}}},
                        {{"frame": 6, "right": {{"squeeze": 1}}}},
                        {{"frame": 8, "right": {{"position": {hand}}}}},
                        {{"frame": 24, "right": {{"position": {away}}}}}]}})",
      fmt::arg("head", stage(viewpoint)), fmt::arg("look", aim_at(viewpoint, book_place)), fmt::arg("hand", stage(hand)),
      fmt::arg("page", aim_at(hand, page)), fmt::arg("away", stage(away)));
  const Run run = visit(timeline, "4,34");
  EXPECT_EQ(run.report.grabs, 1u);
  const ImageRgba8 resting = eye(4, "left");
  const ImageRgba8 carried = eye(34, "left");
  ASSERT_EQ(carried.width, resting.width);
  const auto unlike = [](const uint8_t* a, const uint8_t* b, int by) {
    for (size_t channel = 0; channel < 3; ++channel) {
      if (std::abs(int{a[channel]} - int{b[channel]}) > by) return true;
    }
    return false;
  };
  uint32_t book = 0;
  uint32_t left_behind = 0;
  for (uint32_t y = 0; y < resting.height * 55 / 100; ++y) {
    const uint8_t* background = &resting.pixels[size_t{y} * resting.width * 4];
    for (uint32_t x = 0; x < resting.width; ++x) {
      const size_t at = (size_t{y} * resting.width + x) * 4;
      if (!unlike(&resting.pixels[at], background, 24)) continue;
      ++book;
      if (!unlike(&carried.pixels[at], &resting.pixels[at], 8)) ++left_behind;
    }
  }
  EXPECT_GT(book, resting.width * resting.height / 20) << "the book lies in view";
  EXPECT_LT(left_behind, book / 10) << "the book's body stayed on its cradle";
}

// The leaf held upright over the spine, in both eyes: a golden pair. What changed from the frame
// before it was taken is the leaf; it stands at the same height in both eyes and apart across
// them (parallax), as one leaf seen by two eyes does.
TEST_F(HeadsetBookVisit, ALeafMidTurnIsSeenInBothEyes) {
  const Run run = visit(grab_and_carry({0.05f * page_width, 0.3f * page_height, 0.2f}), "4,24");
  EXPECT_EQ(run.report.page_turns, 0u);
  const ImageRgba8 before_left = eye(4, "left");
  const ImageRgba8 before_right = eye(4, "right");
  const ImageRgba8 left = eye(24, "left");
  const ImageRgba8 right = eye(24, "right");
  ASSERT_EQ(left.width, 160u);
  EXPECT_TRUE(testing::matches_golden(side_by_side(left, right), "headset_book_leaf_mid_turn"));

  // Where the leaf rises against the sky (the rows above the page's top edge), what changed in
  // each eye is the leaf alone: it covers the same rows in both eyes, its near edge further right
  // in the left eye on every row (a near thing's parallax; the eyes see its slant differently).
  constexpr uint32_t sky_rows = 22;
  const auto leaf_edge = [](const ImageRgba8& after, const ImageRgba8& before, uint32_t y) -> std::optional<uint32_t> {
    for (uint32_t x = 0; x < after.width; ++x) {
      int difference = 0;
      for (int channel = 0; channel < 3; ++channel) difference += std::abs(after.at(x, y)[channel] - before.at(x, y)[channel]);
      if (difference >= 24) return x;
    }
    return std::nullopt;
  };
  uint32_t rows = 0;
  for (uint32_t y = 0; y < sky_rows; ++y) {
    const std::optional<uint32_t> in_left = leaf_edge(left, before_left, y);
    const std::optional<uint32_t> in_right = leaf_edge(right, before_right, y);
    ASSERT_EQ(in_left.has_value(), in_right.has_value()) << "row " << y;
    if (!in_left) continue;
    ++rows;
    EXPECT_GE(*in_left, *in_right + 1) << "row " << y;
    EXPECT_LE(*in_left, *in_right + 48) << "row " << y;
  }
  EXPECT_GT(rows, sky_rows / 2) << "the lifted leaf rises over the page";
}

// The almanac, read top to bottom, hangs from a horizontal spine through its place: the grip on
// its next leaf's corner (the lower page's lower left) carried up over the spine turns the leaf,
// opening 1 → 2, and picks up nothing.
TEST_F(HeadsetBookVisit, AVerticalBooksLowerLeafCarriedUpOverItsSpineTurns) {
  const glm::vec3 head = on_almanac({0.5f * almanac_page_width, 0.0f, 0.6f});
  const glm::vec3 corner = on_almanac({0.01f, 0.01f - almanac_page_height, 0.03f});
  const glm::vec3 over = on_almanac({0.3f * almanac_page_width, 0.6f * almanac_page_height, 0.05f});
  const Run run = visit(carry_from(head, corner, over), "", "almanac");
  EXPECT_EQ(run.turns, std::vector<std::string>{"almanac#1>2"});
  EXPECT_EQ(run.report.grabs, 0u) << "the hand on the leaf did not lift the book";
}

// The almanac's leaf held out over its spine, in both eyes: a golden pair (the lower page's leaf
// lifting towards the visitor, page 1's picture on its back coming into view above).
TEST_F(HeadsetBookVisit, AVerticalBooksLeafMidTurnIsSeenInBothEyes) {
  const glm::vec3 head = on_almanac({0.5f * almanac_page_width, 0.16f, 0.45f});
  const glm::vec3 corner = on_almanac({0.01f, 0.01f - almanac_page_height, 0.03f});
  const glm::vec3 held = on_almanac({0.3f * almanac_page_width, -0.5f * almanac_page_height, 0.2f});
  const Run run = visit(carry_from(head, corner, held), "4,24", "almanac");
  EXPECT_EQ(run.report.page_turns, 0u);
  const ImageRgba8 left = eye(24, "left");
  const ImageRgba8 right = eye(24, "right");
  ASSERT_EQ(left.width, 160u);
  EXPECT_TRUE(testing::matches_golden(side_by_side(left, right), "headset_book_vertical_mid_turn"));
  EXPECT_GT(testing::compare_images(left, eye(4, "left"), 24).differing_pixels, left.width * left.height / 50)
      << "the leaf lifted";
}

// The handscroll, read right to left, lies as the touch kiosk lays it: a section of its strip
// (1.8 page heights) unrolled on the page plane about the exhibit's place, canvas 2 in its middle.
// The grip closes on the paper left of the middle and pulls it 40 cm to the right: the strip
// follows the hand (a right-to-left scroll rolls up what was read on the right), canvas 3 comes to
// the middle and is read — page_turn 2 → 3 — and it may drift on a canvas further once let go,
// never back. The hand on the paper lifted nothing. Were the grip ignored, nothing would turn.
TEST_F(HeadsetBookVisit, AGripOnAHandScrollsPaperPullsItAlongAndTheNextCanvasIsRead) {
  const glm::vec3 head = on_book({0.0f, 0.5f * page_height, 0.6f});
  const glm::vec3 taken = on_book({-0.2f, 0.5f * page_height, 0.03f});
  const glm::vec3 pulled = on_book({0.2f, 0.5f * page_height, 0.03f});
  const Run run = visit(carry_from(head, taken, pulled), "", "scroll");
  ASSERT_FALSE(run.turns.empty()) << "the pulled scroll brought another canvas to the middle";
  EXPECT_EQ(run.turns.front(), "river#2>3");
  for (size_t turn = 1; turn < run.turns.size(); ++turn) {
    EXPECT_EQ(run.turns[turn], fmt::format("river#{}>{}", turn + 2, turn + 3)) << "on the way it was pulled, a canvas at a time";
  }
  EXPECT_LE(run.turns.size(), 2u) << "let go, it drifts a little and stops";
  EXPECT_EQ(run.report.page_turns, run.turns.size());
  EXPECT_GT(run.report.scroll_held_frames, 10u);
  EXPECT_EQ(run.report.grabs, 0u) << "the hand on the paper did not lift the scroll";
  EXPECT_EQ(run.report.leaf_frames, 0u) << "a scroll has no leaves to turn";
}

// From where they stand, a visitor points at the paper and holds the trigger: the ray's point on
// the page plane pulls it along, as a finger would on the touch screen.
TEST_F(HeadsetBookVisit, ARayAndTheTriggerFromAfarPullAHandScrollAlong) {
  const glm::vec3 hand = stage_origin + glm::vec3(0.2f, 1.2f, -0.2f);
  const glm::vec3 taken = on_book({-0.2f, 0.5f * page_height, 0.0f});
  const glm::vec3 pulled = on_book({0.25f, 0.5f * page_height, 0.0f});
  const Run run = visit(ray_drag(hand, taken, pulled), "", "scroll");
  ASSERT_FALSE(run.turns.empty());
  EXPECT_EQ(run.turns.front(), "river#2>3");
  EXPECT_TRUE(run.report.selected_exhibits.empty()) << "the trigger on the paper selected nothing";
}

// The right controller 25 cm in front of point `at` of the page plane (the codex's frame) presses
// it with the trigger at `frame` and lets go two frames later: keyframes for a timeline.
std::string press_on_book(glm::vec2 at, int frame) {
  const glm::vec3 button = on_book({at, 0.0f});
  const glm::vec3 hand = button + glm::vec3(0.0f, -0.05f, 0.25f);
  return fmt::format(R"({{"frame": {}, "right": {{"tracked": true, "trigger": 1, "position": {}, {}}}}},
                        {{"frame": {}, "right": {{"trigger": 0}}}})",
                     frame, stage(hand), aim_at(hand, button), frame + 2);
}
// The handscroll's panel under its section, as the touch kiosk's: 向前展开 Unroll on the left (the
// side a right-to-left scroll reads towards), 往回卷 Roll back, then the magnifier; buttons 15 cm
// wide, 1.5 cm apart, centred under the section, from 3 cm to 8.5 cm below it (book_hands.cpp).
// Button `index` pressed so.
std::string press_scroll_button(int index, int frame) {
  return press_on_book({(static_cast<float>(index) - 1.0f) * 0.165f, -0.0575f}, frame);
}

// Unroll glides the scroll a section (2.4 canvases) on, as the kiosk's button does: the canvases
// passing the middle are read on the way, 2 → 3 → 4; Roll back glides it back, 4 → 3 → 2. The
// trigger on the panel pulled no paper and selected nothing.
TEST_F(HeadsetBookVisit, AHandScrollsPanelButtonsGlideItASectionOnAndBack) {
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 260,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"tracked": false}}}},
                        {unroll}, {roll_back}]}})",
      fmt::arg("unroll", press_scroll_button(0, 10)), fmt::arg("roll_back", press_scroll_button(1, 130)));
  const Run run = visit(timeline, "", "scroll");
  EXPECT_EQ(run.turns, (std::vector<std::string>{"river#2>3", "river#3>4", "river#4>3", "river#3>2"}));
  EXPECT_EQ(run.report.scroll_held_frames, 0u) << "the trigger on the panel took no paper";
  EXPECT_TRUE(run.report.selected_exhibits.empty()) << "pressing the panel selected nothing";
  EXPECT_EQ(run.report.grabs, 0u);
}

// While the map lies folded, a grip on the leaf's corner takes the leaf, not the map (as a finger
// does on the touch kiosk): carried over the spine it turns, 2 → 3, and the map never opened.
TEST_F(HeadsetBookVisit, WhileTheFoldoutLiesFoldedTheCornerTakesTheLeaf) {
  const Run run = visit(grab_and_carry({-0.6f * page_width, 0.3f * page_height, 0.05f}), "", "atlas");
  EXPECT_EQ(run.turns, std::vector<std::string>{"atlas#2>3"});
  EXPECT_EQ(run.report.foldout_frames, 0u) << "the grip on the corner opened the map";
}

// The map lies folded on the right page, whose leaf is the next to turn. Taken by its corner and
// held half lifted, the leaf carries the folded map on its face, as on the touch kiosk
// (carry_folded_foldout): the map's red is still in the eye mid-turn (were the foldout hidden for
// the turn, there would be none). Let go there, the leaf falls back and the map lies folded on
// its page as before; taken again and carried over the spine, the leaf turns, 2 → 3, and the map
// lies face down beneath it, where the touch kiosk lays it (foldout_lying_at): no red in the eye.
TEST_F(HeadsetBookVisit, ALeafTurningCarriesTheFoldedFoldoutOnItsFace) {
  const glm::vec3 head = on_book({0.0f, 0.5f * page_height, 0.6f});
  const glm::vec3 corner = on_book({page_width - 0.01f, 0.01f, 0.03f});
  const glm::vec3 half_lifted = on_book({0.5f * page_width, 0.3f * page_height, 0.15f});
  const glm::vec3 over = on_book({-0.6f * page_width, 0.3f * page_height, 0.05f});
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 170,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, "yaw": 0, "pitch": -20}},
                          "right": {{"position": {corner}, "yaw": 0, "pitch": -60}}}},
                        {{"frame": 6, "right": {{"squeeze": 1, "position": {corner}}}}},
                        {{"frame": 20, "right": {{"position": {half_lifted}}}}},
                        {{"frame": 30, "right": {{"squeeze": 0, "position": {half_lifted}}}}},
                        {{"frame": 70, "right": {{"position": {corner}}}}},
                        {{"frame": 74, "right": {{"squeeze": 1, "position": {corner}}}}},
                        {{"frame": 88, "right": {{"position": {over}}}}},
                        {{"frame": 98, "right": {{"squeeze": 0, "position": {over}}}}}]}})",
      fmt::arg("head", stage(head)), fmt::arg("corner", stage(corner)), fmt::arg("half_lifted", stage(half_lifted)),
      fmt::arg("over", stage(over)));
  const Run run = visit(timeline, "4,26,66,160", "atlas");
  EXPECT_EQ(run.turns, std::vector<std::string>{"atlas#2>3"});
  EXPECT_EQ(run.report.foldout_frames, 0u) << "the hands on the corner never opened the map";
  const size_t folded = red_pixels(eye(4, "left"));
  const size_t turning = red_pixels(eye(26, "left"));
  const size_t fallen_back = red_pixels(eye(66, "left"));
  const size_t turned = red_pixels(eye(160, "left"));
  EXPECT_GT(folded, 0u) << "the folded map lies on its page";
  EXPECT_GT(turning, folded / 4) << "the map turns with its leaf";
  EXPECT_NEAR(static_cast<double>(fallen_back), static_cast<double>(folded), 0.05 * static_cast<double>(folded))
      << "fallen back, the leaf lays the map folded on its page again";
  EXPECT_LT(turned, folded / 50) << "turned over, the map lies face down beneath its leaf";
}

// The eyes at `head` looking at `look`; the right hand squeezes on the foldout at `on_foldout`
// (frames 6 to 10), waits there while it opens, then squeezes the leaf's corner (frames 68 to 72).
std::string grip_foldout_then_corner(const glm::vec3& head, const glm::vec3& look, const glm::vec3& on_foldout,
                                     const glm::vec3& corner) {
  return fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 300,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, {look}}},
                          "right": {{"position": {foldout}, "yaw": 0, "pitch": -60}}}},
                        {{"frame": 6, "right": {{"squeeze": 1, "position": {foldout}}}}},
                        {{"frame": 10, "right": {{"squeeze": 0, "position": {foldout}}}}},
                        {{"frame": 62, "right": {{"position": {foldout}}}}},
                        {{"frame": 66, "right": {{"position": {corner}}}}},
                        {{"frame": 68, "right": {{"squeeze": 1, "position": {corner}}}}},
                        {{"frame": 72, "right": {{"squeeze": 0, "position": {corner}}}}}]}})",
      fmt::arg("head", stage(head)), fmt::arg("look", aim_at(head, look)), fmt::arg("foldout", stage(on_foldout)),
      fmt::arg("corner", stage(corner)));
}

// The atlas opens at its second opening, the map (three pages wide) lying folded on the right
// page. The grip closed on it away from the leaf's corner opens it out beyond the page: in the
// eye, where beside the book there was the room, the red map lies. Then the grip on the next
// leaf's corner folds it first, and once it lies folded the leaf turns over by itself: page_turn
// 2 → 3. Were the grip on the foldout ignored, it would never open.
TEST_F(HeadsetBookVisit, AGripOnAFoldoutOpensItOutAndTakingTheCornerFoldsItBeforeTheLeafTurns) {
  const glm::vec3 head = on_book({0.8f, 0.5f * page_height, 0.8f});
  const glm::vec3 look = on_book({0.8f, 0.5f * page_height, 0.0f});
  const glm::vec3 on_foldout = on_book({0.4f * page_width, 0.7f * page_height, 0.03f});
  const glm::vec3 corner = on_book({page_width - 0.01f, 0.01f, 0.03f});
  const std::string timeline = grip_foldout_then_corner(head, look, on_foldout, corner);
  const Run run = visit(timeline, "4,62", "atlas");
  // Pressed without moving, unfolding once let go at frame 10 over 0.6 s (54 frames at 90 Hz), open
  // until the corner is taken at frame 68, folding 54 frames more.
  EXPECT_GT(run.report.foldout_frames, 90u);
  EXPECT_LT(run.report.foldout_frames, 150u) << "it folded again";
  EXPECT_EQ(run.turns, std::vector<std::string>{"atlas#2>3"}) << "the leaf turned once the foldout lay folded";
  EXPECT_EQ(run.report.grabs, 0u) << "the hands on the foldout and the corner lifted nothing";
  // In the eye the map is the only red (the pages are paper with dark ink): folded it shows one
  // panel on its page, open its three panels, beyond the page.
  const size_t folded = red_pixels(eye(4, "left"));
  const size_t open = red_pixels(eye(62, "left"));
  EXPECT_GT(folded, 0u) << "the folded map lies on its page";
  EXPECT_GT(open, 2 * folded) << "the foldout opened out beyond its page";
}

// Drawn 35 cm, less than its folded width (openness 0.42), the map comes out of its folds with
// the hand (its second panel swinging out from beneath the first, below the page's plane, where
// the book's body hides it from these eyes), and let go short of halfway it folds back: it lay
// unfolded only while held and folding, and comes to rest as it lay.
TEST_F(HeadsetBookVisit, AFoldoutDrawnPartWayOpensWithTheHandAndShortOfHalfwayFoldsBack) {
  const FoldoutDrawn drawn = draw_foldout(0.35f);
  EXPECT_GT(drawn.unfolded_frames, 15u) << "the hand drew it out of its folds";
  EXPECT_LT(drawn.unfolded_frames, 60u) << "let go short of halfway, it folded back";
  EXPECT_LT(drawn.rested, drawn.folded + drawn.folded / 20) << "it lies folded again";
}

// Drawn 55 cm (openness 0.67), the map lies part open in the hand, its second panel flat beyond
// the page (more of its red than folded, less than all of it), and let go past halfway it goes on
// to open all the way and stays open.
TEST_F(HeadsetBookVisit, AFoldoutDrawnPastHalfwayGoesOnToOpen) {
  const FoldoutDrawn drawn = draw_foldout(0.55f);
  EXPECT_GT(drawn.held, drawn.folded + drawn.folded / 2) << "it opened as far as the hand went";
  EXPECT_GT(drawn.rested, drawn.held + drawn.folded / 2) << "let go past halfway, it opened the rest of the way";
  EXPECT_GT(drawn.unfolded_frames, 100u) << "it stayed open";
}

// The map opened out by a grip on it, the magnifier taken from the book's panel (its one button,
// under the opening's middle) and held over the map's second panel, beyond the page: the lens
// magnifies the panel, though no page lies beneath it (over the panel on the page, it is the
// panel's picture, not the page's, that the lens shows). Were the lens to look at the pages alone,
// it would show nothing there.
TEST_F(HeadsetBookVisit, TheMagnifierOverAnOpenFoldoutShowsItsPanels) {
  const glm::vec3 head = on_book({0.8f, 0.5f * page_height, 0.8f});
  const glm::vec3 look = on_book({0.8f, 0.5f * page_height, 0.0f});
  const glm::vec3 on_foldout = on_book({0.4f * page_width, 0.7f * page_height, 0.03f});
  const glm::vec3 button = on_book({0.0f, -0.0575f, 0.0f});
  const glm::vec3 before_button = on_book({0.0f, -0.1075f, 0.25f});
  const glm::vec3 over_panel = on_book({1.5f * page_width, 0.5f * page_height, 0.05f});
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 120,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, {look}}},
                          "right": {{"position": {foldout}, "yaw": 0, "pitch": -60}}}},
                        {{"frame": 6, "right": {{"squeeze": 1, "position": {foldout}}}}},
                        {{"frame": 10, "right": {{"squeeze": 0, "position": {foldout}}}}},
                        {{"frame": 62, "right": {{"position": {before_button}, {at_button}}}}},
                        {{"frame": 64, "right": {{"trigger": 1}}}},
                        {{"frame": 66, "right": {{"trigger": 0}}}},
                        {{"frame": 76, "right": {{"position": {over}}}}},
                        {{"frame": 120, "right": {{"position": {over}}}}}]}})",
      fmt::arg("head", stage(head)), fmt::arg("look", aim_at(head, look)), fmt::arg("foldout", stage(on_foldout)),
      fmt::arg("before_button", stage(before_button)), fmt::arg("at_button", aim_at(before_button, button)),
      fmt::arg("over", stage(over_panel)));
  const Run run = visit(timeline, "", "atlas");
  EXPECT_GT(run.report.foldout_frames, 100u) << "the map lay open";
  // 51 frames; over the pages alone, 4 (on its way over the right page).
  EXPECT_GT(run.report.magnifier_frames, 35u) << "the lens showed the panel beyond the page";
  EXPECT_EQ(run.report.grabs, 0u);
}

// The calendar, read top to bottom, hangs from its horizontal spine at its second opening, the
// plate (three pages high) lying folded on the lower page, whose leaf is the next to turn: a
// hanging book's foldout, folded along its height. The grip closed on it away from the leaf's
// corner opens it out downwards, beyond the lower page's bottom edge: in the eye, below the rows
// the folded plate covered, where beneath the book there was the room, the red plate lies, and
// none of it above the spine.
// Then the grip on the lower leaf's corner folds it first, and once it lies folded the leaf turns
// up over the spine by itself: page_turn 2 → 3. Were the plate unfolded sideways (as a horizontal
// book's), or upwards, its red would lie beside the page or above the spine.
TEST_F(HeadsetBookVisit, AGripOnAHangingBooksFoldoutOpensItOutDownwardsAndTheCornerFoldsItBeforeTheLeafTurns) {
  // The eyes 70 cm before the middle of the plate as it lies open (three pages high below the
  // spine), the spine near the eye's top edge.
  const glm::vec3 head = on_almanac({0.5f * almanac_page_width, -1.5f * almanac_page_height, 0.7f});
  const glm::vec3 look = on_almanac({0.5f * almanac_page_width, -1.5f * almanac_page_height, 0.0f});
  const glm::vec3 on_foldout = on_almanac({0.7f * almanac_page_width, -0.3f * almanac_page_height, 0.03f});
  const glm::vec3 corner = on_almanac({0.01f, 0.01f - almanac_page_height, 0.03f});
  const std::string timeline = grip_foldout_then_corner(head, look, on_foldout, corner);
  const Run run = visit(timeline, "4,62,290", "calendar");
  // Pressed without moving, unfolding once let go at frame 10 over 0.6 s (54 frames at 90 Hz), open
  // until the corner is taken at frame 68, folding 54 frames more.
  EXPECT_GT(run.report.foldout_frames, 90u);
  EXPECT_LT(run.report.foldout_frames, 150u) << "it folded again";
  EXPECT_EQ(run.turns, std::vector<std::string>{"calendar#2>3"}) << "the leaf turned once the foldout lay folded";
  EXPECT_EQ(run.report.grabs, 0u) << "the hands on the foldout and the corner lifted nothing";
  const ImageRgba8 folded = eye(4, "left");
  const ImageRgba8 open = eye(62, "left");
  const size_t folded_red = red_pixels(folded);
  ASSERT_GT(folded_red, size_t{folded.width} * folded.height / 100) << "the folded plate lies on the lower page";
  // The rows the plate covers: the first run of red rows from the top (the panel's button below
  // the plate's reach, edged in cinnabar, is not the plate).
  const auto plate_rows = [](const ImageRgba8& image) {
    glm::uvec2 rows(image.height, 0);  // first, one past the last
    for (uint32_t y = 0; y < image.height; ++y) {
      if (red_pixels(image, {0u, y}, {image.width, y + 1}) > image.width / 40) {
        rows = {std::min(rows.x, y), y + 1};
      } else if (rows.y > 0) {
        break;
      }
    }
    return rows;
  };
  // Folded: the lower page's, from the spine down to its bottom edge.
  const glm::uvec2 folded_rows = plate_rows(folded);
  const uint32_t top = folded_rows.x, bottom = folded_rows.y;
  EXPECT_GT(red_pixels(open), 2 * folded_red) << "the foldout opened out beyond its page";
  // Its two more panels, less what the headset's ring covers.
  EXPECT_GT(red_pixels(open, glm::uvec2(0u, bottom)), folded_red) << "downwards, below the lower page";
  EXPECT_LT(red_pixels(open, glm::uvec2(0u), {open.width, top}), folded_red / 50) << "none of it above the spine";
  EXPECT_LT(red_pixels(eye(290, "left"), glm::uvec2(0u), {open.width, plate_rows(open).y}), folded_red / 50)
      << "turned up over the spine, the plate lies face down";
}

// The book's panel of buttons lies below where the calendar's plate reaches open (three pages
// below the spine), not a page below it: a ray and trigger on the open plate where the
// magnifier's button would lie just under the lower page take no magnifier (held over the upper
// page afterwards, no lens shows), while the same press on the button below the plate's reach
// takes it, and held over the upper page its lens shows there.
TEST_F(HeadsetBookVisit, AHangingBooksPanelLiesBelowItsFoldoutOpenSoAPressOnThePlateIsNoButton) {
  const glm::vec3 head = on_almanac({0.5f * almanac_page_width, -1.5f * almanac_page_height, 0.9f});
  const glm::vec3 look = on_almanac({0.5f * almanac_page_width, -1.5f * almanac_page_height, 0.0f});
  const glm::vec3 on_foldout = on_almanac({0.7f * almanac_page_width, -0.3f * almanac_page_height, 0.03f});
  const glm::vec3 upper_page = on_almanac({0.5f * almanac_page_width, 0.5f * almanac_page_height, 0.05f});
  // The plate opened (as above), then a ray and the trigger from 25 cm before a point `below` the
  // spine in the middle of the book, then the hand held 5 cm over the upper page.
  const auto pressing = [&](float below) {
    const glm::vec3 target = on_almanac({0.5f * almanac_page_width, -below, 0.0f});
    const glm::vec3 hand = on_almanac({0.5f * almanac_page_width, -below, 0.25f});
    return fmt::format(
        R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 150,
            "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, {look}}},
                            "right": {{"position": {foldout}, "yaw": 0, "pitch": -60}}}},
                          {{"frame": 6, "right": {{"squeeze": 1, "position": {foldout}}}}},
                          {{"frame": 10, "right": {{"squeeze": 0, "position": {foldout}}}}},
                          {{"frame": 70, "right": {{"position": {hand}, {at}}}}},
                          {{"frame": 72, "right": {{"trigger": 1}}}},
                          {{"frame": 74, "right": {{"trigger": 0}}}},
                          {{"frame": 80, "right": {{"position": {upper}}}}},
                          {{"frame": 140, "right": {{"position": {upper}}}}}]}})",
        fmt::arg("head", stage(head)), fmt::arg("look", aim_at(head, look)), fmt::arg("foldout", stage(on_foldout)),
        fmt::arg("hand", stage(hand)), fmt::arg("at", aim_at(hand, target)), fmt::arg("upper", stage(upper_page)));
  };
  // The middle of the panel's single button (the calendar has no layers): 3 cm below the panel's
  // place and 5.5 cm high.
  const float button_middle = 0.03f + 0.5f * 0.055f;
  const Run on_plate = visit(pressing(almanac_page_height + button_middle), "", "calendar");
  EXPECT_EQ(on_plate.report.magnifier_frames, 0u) << "just under the lower page, on the open plate: no button there";
  const Run below_plate = visit(pressing(3.0f * almanac_page_height + button_middle), "", "calendar");
  EXPECT_GT(below_plate.report.magnifier_frames, 30u) << "below the plate's reach the button took the magnifier";
  EXPECT_EQ(below_plate.report.grabs, 0u);
}

// The annals' panel under the opening: 放大镜 Magnifier, then 目录 Contents, centred under the
// spine as the scroll's are (book_hands.cpp). Pressed at `frame`.
std::string press_contents(int frame) { return press_on_book({0.0825f, -0.0575f}, frame); }
// The contents' list right of the panel, 1.5 cm from it, from the panel's top (3 cm below the
// pages) down: rows 4 cm high, 0.6 cm apart, 40 cm wide; with ten ranges, ▲ in row 0, eight
// ranges in rows 1 to 8, ▼ in row 9. Row `row` pressed at `frame`.
std::string press_contents_row(int row, int frame) {
  return press_on_book({0.1725f + 0.2f, -0.03f - static_cast<float>(row) * 0.046f - 0.02f}, frame);
}

// Where the fourth range will be listed, pressed while the list is put away: nothing. Contents
// pressed, then 正文 Main text (row 4, a child of Volume two): the book turns to its own first
// page's opening (canvas 6: the fourth), not its parent's, and the list goes; Contents again, and
// 卷二 Volume two (row 2), with no canvas of its own, goes to its first child's (canvas 4: the
// third opening). Contents pressed twice puts the list away: a press on its first range's row
// turns nothing. Each turn logged as page_turn from → to, as a leaf turned by hand.
TEST_F(HeadsetBookVisit, ContentsListsTheRangesAndARangePressedTurnsTheBookToItsFirstOpening) {
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 100,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"tracked": false}}}},
                        {}, {}, {}, {}, {}, {}, {}, {}]}})",
      press_contents_row(4, 10), press_contents(20), press_contents_row(4, 30), press_contents(40), press_contents_row(2, 50),
      press_contents(60), press_contents(70), press_contents_row(1, 80));
  const Run run = visit(timeline, "", "annals");
  EXPECT_EQ(run.turns, (std::vector<std::string>{"annals#1>4", "annals#4>3"}));
  EXPECT_EQ(run.report.page_turns, 2u);
  EXPECT_EQ(run.closes, std::vector<std::string>{"annals#3:3"});
  EXPECT_EQ(run.report.leaf_frames, 0u) << "the book went to the opening; no leaf turned";
  EXPECT_EQ(run.report.grabs, 0u);
}

// The list is seen: the eyes 60 cm before where it hangs, the hand held still before 目录 Contents
// and pressing it at frame 10 and again at 40. Listed (frame 30), much of the eye differs from
// before (frame 8); put away (frame 60), next to nothing does.
TEST_F(HeadsetBookVisit, TheContentsListIsSeenBesideThePanelUntilPutAway) {
  const glm::vec3 head = on_book({0.35f, -0.25f, 0.6f});
  const glm::vec3 look = on_book({0.35f, -0.25f, 0.0f});
  const glm::vec3 button = on_book({0.0825f, -0.0575f, 0.0f});
  const glm::vec3 hand = button + glm::vec3(0.0f, -0.05f, 0.25f);
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 70,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "head": {{"position": {head}, {look}}},
                          "right": {{"position": {hand}, {at}}}}},
                        {{"frame": 10, "right": {{"trigger": 1}}}}, {{"frame": 12, "right": {{"trigger": 0}}}},
                        {{"frame": 40, "right": {{"trigger": 1}}}}, {{"frame": 42, "right": {{"trigger": 0}}}}]}})",
      fmt::arg("head", stage(head)), fmt::arg("look", aim_at(head, look)), fmt::arg("hand", stage(hand)),
      fmt::arg("at", aim_at(hand, button)));
  const Run run = visit(timeline, "8,30,60", "annals");
  EXPECT_TRUE(run.turns.empty());
  const ImageRgba8 before = eye(8, "left");
  const size_t listed = testing::compare_images(eye(30, "left"), before, 24).differing_pixels;
  const size_t put_away = testing::compare_images(eye(60, "left"), before, 24).differing_pixels;
  EXPECT_GT(listed, size_t{before.width} * before.height / 20) << "the list lies in view";
  EXPECT_LT(put_away, listed / 50) << "put away, it is gone";
}

// Ten ranges, eight listed: ▼ (row 9) shows the last eight, and the last row is 图六 Plate six
// (canvas 10: the sixth opening); listed again (the same page), ▲ (row 0) shows the first eight,
// and the last row is 图四 Plate four (canvas 2: the second opening).
TEST_F(HeadsetBookVisit, MoreRangesThanTheListHoldsArePagedWithTheArrows) {
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 80,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"tracked": false}}}},
                        {}, {}, {}, {}, {}, {}]}})",
      press_contents(10), press_contents_row(9, 20), press_contents_row(8, 30), press_contents(40), press_contents_row(0, 50),
      press_contents_row(8, 60));
  const Run run = visit(timeline, "", "annals");
  EXPECT_EQ(run.turns, (std::vector<std::string>{"annals#1>6", "annals#6>2"}));
  EXPECT_EQ(run.report.grabs, 0u);
}

// The strip of the annals' openings below the panel (book_hands.cpp): 5 of its 6 openings, its right
// end at the panel's (15.75 cm right of the spine), from 10 cm to 17.5 cm below the pages; ◀ 5 cm
// wide, then pictures 12 cm wide, then ▶, 1.5 cm apart. Place `slot` (−1: ◀, 5: ▶) pressed at `frame`.
std::string press_strip(int slot, int frame) {
  const float x = slot < 0 ? -0.6075f : slot > 4 ? 0.1325f : -0.5075f + static_cast<float>(slot) * 0.135f;
  return press_on_book({x, -0.1375f}, frame);
}

// A picture pressed goes to its opening, logged as page_turn from → to as a leaf turned by hand:
// the fourth (1 → 4), then the first (4 → 1); ▶ pages the strip to show openings 2 to 6, and its
// last picture is the sixth (1 → 6); ◀ pages it back to 1 to 5 (the strip does not follow the
// opening read until it changes), and its last picture is the fifth (6 → 5).
TEST_F(HeadsetBookVisit, APicturePressedInTheStripGoesToItsOpeningAndTheArrowsPageTheStrip) {
  const std::string timeline = fmt::format(
      R"({{"interaction_profile": "/interaction_profiles/oculus/touch_controller", "end_session_at_frame": 80,
          "keyframes": [{{"frame": 1, "left": {{"tracked": false}}, "right": {{"tracked": false}}}},
                        {}, {}, {}, {}, {}, {}]}})",
      press_strip(3, 10), press_strip(0, 20), press_strip(5, 30), press_strip(4, 40), press_strip(-1, 50), press_strip(4, 60));
  const Run run = visit(timeline, "", "annals");
  EXPECT_EQ(run.turns, (std::vector<std::string>{"annals#1>4", "annals#4>1", "annals#1>6", "annals#6>5"}));
  EXPECT_EQ(run.report.page_turns, 4u);
  EXPECT_EQ(run.report.leaf_frames, 0u) << "the book went to the opening; no leaf turned";
  EXPECT_EQ(run.report.grabs, 0u);
  EXPECT_TRUE(run.report.selected_exhibits.empty()) << "pressing the strip selected nothing";
}

// Both players open their books through load_book (prepared_book.h), the headset's with the books
// prepare_books made ready before its first frame. A book prepared for its entry is loaded from
// that preparation: its tile source and openings are the prepared ones, not made again. One
// prepared for another entry, or not at all, is made ready as it opens, into the same pages.
TEST_F(HeadsetBookVisit, ABookMadeReadyBeforeItOpensIsLoadedFromThatPreparation) {
  auto context = render::GpuContext::create({.validation = true});
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = render::Renderer::create(**context, {.shadow_map_size = 256});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  KioskConfig config;
  config.file = "test kiosk.json";
  config.content = *folder_ / "annals";
  config.trusted_keys = {testing::book_package_key(folder_->path())};
  config.playlist = {{"books.pvpkg", std::nullopt, std::nullopt}};
  const ContentLibrary content = ContentLibrary::open(config, {});
  ASSERT_EQ(content.entries().size(), 1u);
  const ContentEntry& entry = content.entries().front();
  ASSERT_EQ(entry.books.size(), 1u);
  const auto preparation = (*renderer)->page_preparation();
  ASSERT_TRUE(preparation.ok()) << preparation.error().describe();
  const std::vector<PreparedBook> prepared = prepare_books(entry, 0, *preparation);
  ASSERT_EQ(prepared.size(), 1u);
  EXPECT_EQ(prepared[0].exhibit, entry.books[0].exhibit);

  const auto from_preparation = load_book(**renderer, prepared, entry, 0, entry.books[0]);
  ASSERT_TRUE(from_preparation.ok()) << from_preparation.error().describe();
  EXPECT_EQ(from_preparation->tiles, prepared[0].tiles);
  EXPECT_EQ(from_preparation->openings, prepared[0].openings);
  const render::PageTileStats prepared_stats = (*renderer)->page_tile_stats();
  EXPECT_GT(prepared_stats.uploads, 0u) << "the prepared first tiles staged for the next frame";

  for (const size_t entry_index : {size_t{1}, size_t{0}}) {
    const std::span<const PreparedBook> offered = entry_index == 0 ? std::span<const PreparedBook>() : prepared;
    const auto made_now = load_book(**renderer, offered, entry, entry_index, entry.books[0]);
    ASSERT_TRUE(made_now.ok()) << made_now.error().describe();
    EXPECT_NE(made_now->tiles, prepared[0].tiles) << "entry " << entry_index;
    EXPECT_NE(made_now->openings, prepared[0].openings) << "entry " << entry_index;
    EXPECT_EQ(made_now->tiles->page_count(), prepared[0].tiles->page_count());
    EXPECT_EQ(made_now->openings->sequence.size(), prepared[0].openings->sequence.size());
    EXPECT_EQ((*renderer)->page_tile_stats().uploads, prepared_stats.uploads) << "the same first tiles, entry " << entry_index;
  }
  EXPECT_TRUE((*renderer)->wait_idle().ok());
}

}  // namespace
}  // namespace pavilion::kiosk
