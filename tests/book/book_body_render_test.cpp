// The book's body drawn in the scene (engine/scene/book_body.h, #17 item 4), on lavapipe with the
// validation layer on: an open codex (leather boards, a rounded spine, paper edges, a felt cradle
// with a wedge under each side) and an open thread-bound book (indigo paper covers, a thin block,
// silk four-hole stitching crossing the gutter, a low cloth-covered board), each opened part way
// through, its pages lying on its blocks. Golden frames of both, seen from above the head. And
// without drawing: a foldout (a non-paged page) or a spread imaged whole (a facing-pages page)
// does not make the body wider than the pages.
#include "golden.h"
#include "gpu_test.h"
#include "marked_pages.h"
#include "pavilion/scene/book_body.h"
#include "pavilion/scene/scene.h"
#include "pavilion/scene/thumbnail.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pavilion::testing {
namespace {

constexpr uint32_t body_image_width = 160;
constexpr uint32_t body_image_height = 120;
constexpr uint32_t body_page_count = 40;
constexpr size_t opened_at = 6;  // of the book's 21 openings: more leaves on one side than the other
constexpr glm::u8vec3 left_colour{200, 30, 30};
constexpr glm::u8vec3 right_colour{40, 70, 200};

// A scene of one book exhibit holding `book`, and its body added as load_scene adds it.
scene::Scene scene_of(scene::Book book, std::string id) {
  scene::Scene made;
  scene::Exhibit exhibit;
  exhibit.id = std::move(id);
  exhibit.kind = scene::ExhibitKind::book;
  exhibit.position = {0.0f, 1.0f, 0.0f};
  exhibit.radius = 0.25f;
  made.exhibits.push_back(exhibit);
  scene::Viewpoint viewpoint;
  viewpoint.position = {0.0f, 1.6f, 1.2f};
  viewpoint.target = exhibit.position;
  made.viewpoints.push_back(viewpoint);
  made.books.push_back(std::move(book));
  made.render.light.direction = glm::vec3(0.3f, -1.0f, -0.6f);
  scene::add_book_bodies(made);
  return made;
}

// `pages` pages of 3:4, read in `direction`.
scene::Book book_of(size_t pages, book::ViewingDirection direction) {
  scene::Book book;
  book.direction = direction;
  book.pages.resize(pages);
  for (scene::BookPage& page : book.pages) {
    page.width = 300;
    page.height = 400;
  }
  return book;
}

// A book of `body_page_count` pages of 3:4.
scene::Scene book_scene(bool thread_bound) {
  scene::Book book = book_of(body_page_count, thread_bound ? book::ViewingDirection::right_to_left : book::ViewingDirection::left_to_right);
  book.thread_bound = thread_bound;
  return scene_of(std::move(book), thread_bound ? "thread-bound" : "codex");
}

// How far the body of the scene's book reaches in its pages' plane, in the book's frame
// (book/leaf_turn.h: x along the pages' bottom edge, y up them): its lowest and highest corners.
std::pair<glm::vec2, glm::vec2> body_extent(const scene::Scene& shown) {
  const glm::mat4 to_book = glm::inverse(
      scene::book_to_world(shown.books[0], shown.exhibits[0], shown.viewpoints, scene::standing_eye_height));
  glm::vec2 low(std::numeric_limits<float>::max());
  glm::vec2 high(std::numeric_limits<float>::lowest());
  for (const uint32_t instance : shown.book_bodies.at(0).instances) {
    if (instance == scene::no_body_instance) continue;
    const scene::InstanceData& placed = shown.render.instances[instance];
    for (const scene::PackedVertex& vertex : shown.render.meshes[placed.mesh].vertices) {
      const glm::vec4 at = to_book * placed.transform * glm::vec4(vertex.position[0], vertex.position[1], vertex.position[2], 1.0f);
      low = glm::min(low, glm::vec2(at));
      high = glm::max(high, glm::vec2(at));
    }
  }
  return {low, high};
}

// Red pages on the left, blue on the right.
std::shared_ptr<const scene::PageTileSource> opening_pages() {
  return std::make_shared<MarkedPages>(std::vector<MarkedPage>{{left_colour, left_colour}, {right_colour, right_colour}});
}

uint32_t count_colour(const ImageRgba8& image, glm::u8vec3 colour) {
  uint32_t count = 0;
  for (size_t pixel = 0; pixel < size_t{image.width} * image.height; ++pixel) {
    count += shows_mark(&image.pixels[pixel * 4], colour) ? 1 : 0;
  }
  return count;
}

class BookBodyRender : public GpuTest {
 protected:
  // The book opened at `opened_at`: its body posed as the kiosk poses it, its two pages on the
  // page plane, seen from above its head and to the left.
  ImageRgba8 render_book(const scene::Scene& shown) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(shown.render).ok());
    const scene::Book& book = shown.books[0];
    const scene::Exhibit& exhibit = shown.exhibits[0];
    const scene::BookBody& body = shown.book_bodies.at(0);
    const glm::mat4 frame = scene::book_to_world(book, exhibit, shown.viewpoints, scene::standing_eye_height);
    const book::BookBodyPose pose = book::pose_book_body(body.measures, book::leaves_either_side(book.openings(), opened_at));
    for (size_t part = 0; part < pose.parts.size(); ++part) {
      if (body.instances[part] != scene::no_body_instance) (*renderer)->set_instance_transform(body.instances[part], frame * pose.parts[part]);
    }
    const auto loaded = (*renderer)->load_pages(opening_pages());
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    const float height = scene::book_page_height(book, exhibit);
    for (const float side : {-1.0f, 1.0f}) {
      render::PagePlacement placement;
      placement.transform = glm::translate(frame, glm::vec3(side * 0.375f * height, 0.5f * height, 0.0f));
      placement.size = {0.75f * height, height};
      (*renderer)->show_page(side < 0 ? 0 : 1, placement);
    }
    const glm::vec3 centre = glm::vec3(frame * glm::vec4(0.0f, 0.5f * height, 0.0f, 1.0f));
    const glm::vec3 out = glm::vec3(frame[2]);
    const glm::vec3 up = glm::vec3(frame[1]);
    const procedural::CameraPlacement camera{
        .eye = centre + 0.3f * out + 0.2f * up - 0.42f * glm::vec3(frame[0]), .target = centre, .vertical_fov_degrees = 50.0f};
    const std::array<render::View, 1> views{procedural::camera_view(camera, static_cast<float>(body_image_width) / body_image_height)};
    auto target = render::OffscreenTarget::create(context(), {body_image_width, body_image_height, 1});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    for (int frame_index = 0; frame_index < 8 && !(*renderer)->page_tile_stats().converged(); ++frame_index) {
      EXPECT_TRUE((*renderer)->render(**target, views).ok());
      (*renderer)->wait_for_page_reads();
    }
    return render_frame(**renderer, **target, views);
  }
};

// Both bodies hold every part of their form, and nothing of the other forms'.
TEST_F(BookBodyRender, AnOpenCodexAndAThreadBoundBookLieOnTheirCradles) {
  ImageRgba8 strip(body_image_width * 2, body_image_height);
  for (const bool thread_bound : {false, true}) {
    const scene::Scene shown = book_scene(thread_bound);
    ASSERT_EQ(shown.book_bodies.size(), 1u);
    const scene::BookBody& body = shown.book_bodies[0];
    EXPECT_EQ(body.measures.form, thread_bound ? book::BookForm::thread_bound : book::BookForm::codex);
    EXPECT_EQ(body.instance(book::BookBodyPart::roller_left), scene::no_body_instance);
    ASSERT_NE(body.instance(book::BookBodyPart::binding), scene::no_body_instance);
    EXPECT_EQ(shown.tree.instances.size(), shown.render.instances.size()) << "each part hangs from a node";
    ASSERT_TRUE(scene::validate(shown.render).ok());
    const ImageRgba8 image = render_book(shown);
    paste(strip, image, thread_bound ? body_image_width : 0);
    // The pages lie on the blocks, not inside them: both show.
    EXPECT_GT(count_colour(image, left_colour), 150u) << (thread_bound ? "thread-bound" : "codex");
    EXPECT_GT(count_colour(image, right_colour), 150u) << (thread_bound ? "thread-bound" : "codex");
  }
  EXPECT_TRUE(matches_golden(strip, "book_bodies"));
}

// A non-paged page (a map three pages wide, bound as a foldout) lies folded to its page's width
// and unfolds past it: the body is as wide as the paged pages, in a book read across and in one
// hanging from its spine, so no slab of paper stands out past the pages over the foldout's outer
// panels. Measured against the same book with a paged page of 3:4 in the map's place.
TEST(BookBody, AFoldoutOrASpreadDoesNotWidenTheBody) {
  for (const book::ViewingDirection direction : {book::ViewingDirection::left_to_right, book::ViewingDirection::top_to_bottom}) {
    const bool hangs = direction == book::ViewingDirection::top_to_bottom;
    scene::Book atlas = book_of(body_page_count + 1, direction);
    atlas.pages[3].width = 900;
    atlas.pages[3].behavior = book::PageBehavior::non_paged;
    const scene::Scene with_map = scene_of(atlas, "atlas");
    const scene::Scene without = scene_of(book_of(body_page_count + 1, direction), "atlas");
    ASSERT_EQ(with_map.book_bodies.size(), 1u);
    const float height = scene::book_page_height(with_map.books[0], with_map.exhibits[0]);
    const book::LeafSize page = with_map.book_bodies[0].measures.page;
    // A hanging book's page hangs by its top edge: its width runs along the spine.
    EXPECT_FLOAT_EQ(hangs ? page.height : page.width, 0.75f * height) << (hangs ? "hanging" : "across");
    const auto [low, high] = body_extent(with_map);
    const auto [plain_low, plain_high] = body_extent(without);
    for (int axis = 0; axis < 2; ++axis) {
      EXPECT_NEAR(low[axis], plain_low[axis], 1e-5f) << (hangs ? "hanging" : "across") << ", axis " << axis;
      EXPECT_NEAR(high[axis], plain_high[axis], 1e-5f) << (hangs ? "hanging" : "across") << ", axis " << axis;
    }
  }
  // A spread imaged as one picture (facing-pages, twice a page's width) lies across the spine:
  // each side is a page wide, and so is the body.
  scene::Book with_spread = book_of(body_page_count + 1, book::ViewingDirection::left_to_right);
  with_spread.pages[3].width = 600;
  with_spread.pages[3].behavior = book::PageBehavior::facing_pages;
  const scene::Scene spread = scene_of(with_spread, "spread");
  const scene::Scene plain = scene_of(book_of(body_page_count + 1, book::ViewingDirection::left_to_right), "spread");
  ASSERT_EQ(spread.book_bodies.size(), 1u);
  EXPECT_FLOAT_EQ(spread.book_bodies[0].measures.page.width, 0.75f * scene::book_page_height(spread.books[0], spread.exhibits[0]));
  EXPECT_NEAR(body_extent(spread).first.x, body_extent(plain).first.x, 1e-5f);
  EXPECT_NEAR(body_extent(spread).second.x, body_extent(plain).second.x, 1e-5f);
  // A book of foldouts alone still has a body, as wide as they are.
  scene::Book maps = book_of(2, book::ViewingDirection::left_to_right);
  for (scene::BookPage& map : maps.pages) {
    map.width = 900;
    map.behavior = book::PageBehavior::non_paged;
  }
  const scene::Scene only_maps = scene_of(maps, "maps");
  ASSERT_EQ(only_maps.book_bodies.size(), 1u);
  EXPECT_FLOAT_EQ(only_maps.book_bodies[0].measures.page.width,
                  2.25f * scene::book_page_height(only_maps.books[0], only_maps.exhibits[0]));
}

}  // namespace
}  // namespace pavilion::testing
