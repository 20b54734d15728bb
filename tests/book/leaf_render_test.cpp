// A leaf mid-turn, drawn by the renderer (Renderer::show_turning_leaf) with its pages' pictures
// from deep zoom, on lavapipe with the validation layer on: a right-to-left thread-bound book's
// leaf of soft paper turned over by a button, the front showing the page being turned and the back
// the page that will appear, over the pages lying open (show_page). Golden frames at three moments
// of the turn and both eyes of a headset at the middle; the leaf hidden by what stands before it,
// and hiding the page it lies on; half-leaves of a picture of a whole leaf, each showing only its side of the fold.
#include "golden.h"
#include "gpu_test.h"
#include "marked_pages.h"
#include "pavilion/book/leaf_turn.h"
#include "pavilion/procedural/test_scenes.h"

#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <numbers>
#include <vector>

namespace pavilion::testing {
namespace {

using book::LeafSize;
using book::LeafTurn;
using book::ViewingDirection;

constexpr uint32_t width = 128;
constexpr uint32_t height = 96;
constexpr uint32_t columns = 24;
constexpr uint32_t rows = 16;
constexpr size_t grid_points = (columns + 1) * (rows + 1);
const LeafSize leaf{0.14f, 0.22f};
constexpr ViewingDirection direction = ViewingDirection::right_to_left;

// The opening being left and the next, each page marked with its own colour.
constexpr glm::u8vec3 red{200, 30, 30};      // the left page, the leaf's front: turned away
constexpr glm::u8vec3 blue{40, 70, 200};     // the leaf's back: the next opening's right page
constexpr glm::u8vec3 green{30, 160, 40};    // the right page, covered as the leaf lands
constexpr glm::u8vec3 amber{220, 150, 20};   // beneath the leaf: the next opening's left page
constexpr uint32_t turned_page = 0;
constexpr uint32_t coming_page = 1;
constexpr uint32_t right_page = 2;
constexpr uint32_t beneath_page = 3;

std::shared_ptr<const scene::PageTileSource> book_pages() {
  return std::make_shared<MarkedPages>(std::vector<MarkedPage>{{red, red}, {blue, blue}, {green, green}, {amber, amber}});
}

// The book lies on a table: its page plane is the world's floor, its spine runs away from the
// visitor (the book's y is the world's −z) and its pages face up.
const glm::mat4 book_to_world(glm::vec4(1, 0, 0, 0), glm::vec4(0, 0, -1, 0), glm::vec4(0, 1, 0, 0), glm::vec4(0, 0, 0, 1));

// A flat quad from `from` to `to` on the table (book frame x, y), at `lift` above it.
scene::MeshData flat_quad(const char* name, glm::vec2 from, glm::vec2 to, float lift) {
  scene::MeshData mesh;
  mesh.name = name;
  const glm::vec3 up(0, 1, 0);
  for (const glm::vec2 corner : {from, glm::vec2(to.x, from.y), glm::vec2(from.x, to.y), to}) {
    const glm::vec3 world(book_to_world * glm::vec4(corner, lift, 1.0f));
    mesh.vertices.push_back(scene::pack_vertex(world, up, glm::vec4(1, 0, 0, 1), glm::vec2(0.0f)));
  }
  mesh.indices = {0, 1, 2, 1, 3, 2};
  return mesh;
}

scene::MaterialData plain(const char* name, glm::vec4 colour) {
  scene::MaterialData material;
  material.name = name;
  material.base_color_factor = colour;
  material.metallic_factor = 0.0f;
  material.roughness_factor = 0.6f;
  return material;
}

// The table, and where asked a board standing upright between the visitor and the book's spine.
scene::RenderScene table_scene(bool with_board) {
  scene::RenderScene scene;
  scene.materials = {plain("table", {0.18f, 0.09f, 0.05f, 1.0f}), plain("board", {0.5f, 0.5f, 0.5f, 1.0f})};
  scene.meshes = {flat_quad("table", {-0.5f, -0.3f}, {0.5f, 0.5f}, -0.02f)};
  scene.instances = {{glm::mat4(1.0f), 0, 0}};
  if (with_board) {
    // Across the book's near half, from the table up past the leaf's top, facing the visitor.
    scene::MeshData board;
    board.name = "board";
    const glm::vec3 toward(0, 0, 1);
    for (const glm::vec3 corner : {glm::vec3(-0.3f, -0.02f, 0.02f), glm::vec3(0.3f, -0.02f, 0.02f),
                                   glm::vec3(-0.3f, 0.3f, 0.02f), glm::vec3(0.3f, 0.3f, 0.02f)}) {
      board.vertices.push_back(scene::pack_vertex(corner, toward, glm::vec4(1, 0, 0, 1), glm::vec2(0.0f)));
    }
    board.indices = {0, 1, 2, 1, 3, 2};
    scene.meshes.push_back(board);
    scene.instances.push_back({glm::mat4(1.0f), 1, 1});
  }
  scene.light.direction = glm::vec3(0.3f, -1.0f, -0.5f);
  return scene;
}

// A page lying open on side `side` (−1 left of the spine, +1 right), just below the leaf.
render::PagePlacement lying(float side) {
  render::PagePlacement placement;
  placement.transform = book_to_world * glm::translate(glm::mat4(1.0f), glm::vec3(side * 0.5f * leaf.width, 0.5f * leaf.height, -0.002f));
  placement.size = {leaf.width, leaf.height};
  return placement;
}

struct LeafGrid {
  std::vector<glm::vec3> positions = std::vector<glm::vec3>(grid_points);
  std::vector<glm::vec3> normals = std::vector<glm::vec3>(grid_points);
};

render::TurningLeaf turning_leaf(const book::LeafShape& shape, LeafGrid& grid) {
  EXPECT_TRUE(book::shape_leaf(shape, leaf, direction, columns, rows, grid.positions, grid.normals));
  render::TurningLeaf turning;
  const book::LeafPicture front = book::leaf_picture(direction, true);
  const book::LeafPicture back = book::leaf_picture(direction, false);
  turning.front = {turned_page, {}, front.origin, front.along_columns, front.along_rows};
  turning.back = {coming_page, {}, back.origin, back.along_columns, back.along_rows};
  turning.transform = book_to_world;
  turning.columns = columns;
  turning.rows = rows;
  turning.positions = grid.positions;
  turning.normals = grid.normals;
  return turning;
}

class LeafRender : public GpuTest {
 protected:
  // The opening as it lies while the leaf turns: the right page, and beneath the lifted leaf on the
  // left the next opening's left page; the leaf in `shape`.
  ImageRgba8 render_shape(const book::LeafShape& shape, std::span<const render::View> views, uint32_t layer = 0,
                          bool with_board = false) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    EXPECT_TRUE((*renderer)->load_scene(table_scene(with_board)).ok());
    const auto loaded = (*renderer)->load_pages(book_pages());
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    (*renderer)->show_page(right_page, lying(+1.0f));
    (*renderer)->show_page(beneath_page, lying(-1.0f));
    LeafGrid grid;
    (*renderer)->show_turning_leaf(turning_leaf(shape, grid));
    auto target = render::OffscreenTarget::create(context(), {width, height, static_cast<uint32_t>(views.size())});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    // Until every tile the views need is on the GPU, so each run draws the same picture.
    for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
      EXPECT_TRUE((*renderer)->render(**target, views).ok());
      (*renderer)->wait_for_page_reads();
    }
    return render_frame(**renderer, **target, views, layer);
  }
};

uint32_t count_mark(const ImageRgba8& image, glm::u8vec3 colour) {
  uint32_t count = 0;
  for (size_t pixel = 0; pixel < size_t{image.width} * image.height; ++pixel) {
    count += shows_mark(&image.pixels[pixel * 4], colour) ? 1 : 0;
  }
  return count;
}

// A visitor at the book's foot, left of its spine, looking down at it as a reader does; `side` moves the eye half the
// distance between a visitor's eyes to the left (−1) or the right (+1).
render::View eye_view(float side) {
  const glm::vec3 eye(-0.10f, 0.26f, 0.18f);
  const glm::vec3 target(0.0f, 0.0f, -0.11f);
  const glm::vec3 right = glm::normalize(glm::cross(target - eye, glm::vec3(0, 1, 0)));
  const procedural::CameraPlacement camera{
      .eye = eye + right * (side * 0.032f), .target = target + right * (side * 0.032f), .vertical_fov_degrees = 50.0f};
  return procedural::camera_view(camera, static_cast<float>(width) / height);
}

std::vector<book::LeafShape> three_moments() {
  LeafTurn turn(leaf, book::soft_paper, direction);
  turn.turn_over();
  std::vector<book::LeafShape> moments;
  for (int frame = 1; frame <= 90 && moments.size() < 3; ++frame) {
    turn.advance(1.0f / 90.0f);
    // A sixth of the way, half, five sixths.
    const float wanted = std::numbers::pi_v<float> * static_cast<float>(2 * moments.size() + 1) / 6.0f;
    if (turn.shape().hinge >= wanted) moments.push_back(turn.shape());
  }
  return moments;
}

// Three moments of a button's turn (rising with its edge leading, upright, falling with its edge
// trailing), then both eyes at upright. Rising, the visitor sees the front's page (red, shown
// nowhere else); upright and falling, the back's (blue, the page coming); beneath the lifted leaf
// the next page (amber). Each moment differs from the others where the leaf is; each eye matches
// a frame drawn from that eye alone.
TEST_F(LeafRender, ALeafMidTurnShowsItsPagesAtThreeMomentsAndInBothEyes) {
  const std::vector<book::LeafShape> moments = three_moments();
  ASSERT_EQ(moments.size(), 3u);
  EXPECT_GT(moments[0].bend, 0.2f) << "rising, the edge leads";
  EXPECT_LT(moments[2].bend, -0.2f) << "falling, the edge trails";

  ImageRgba8 strip(width * 5, height);
  const render::View mono = eye_view(0.0f);
  std::array<ImageRgba8, 3> frames;
  for (size_t index = 0; index < frames.size(); ++index) {
    frames[index] = render_shape(moments[index], {&mono, 1});
    paste(strip, frames[index], width * static_cast<uint32_t>(index));
  }
  EXPECT_GT(count_mark(frames[0], red), 30u) << "rising, the front shows the page turned";
  EXPECT_LT(count_mark(frames[0], blue), 5u);
  for (size_t index = 1; index < frames.size(); ++index) {
    EXPECT_GT(count_mark(frames[index], blue), 30u) << "moment " << index << ": the back shows the page coming";
    EXPECT_LT(count_mark(frames[index], red), 5u) << "moment " << index;
  }
  for (const ImageRgba8& frame : frames) EXPECT_GT(count_mark(frame, amber), 30u) << "the next page beneath the leaf";
  EXPECT_GT(compare_images(frames[0], frames[1], 24).differing_pixels, 300u);
  EXPECT_GT(compare_images(frames[1], frames[2], 24).differing_pixels, 300u);
  const std::array<render::View, 2> eyes{eye_view(-1.0f), eye_view(1.0f)};
  for (uint32_t eye = 0; eye < 2; ++eye) {
    const ImageRgba8 image = render_shape(moments[1], eyes, eye);
    paste(strip, image, width * (3 + eye));
    EXPECT_GT(count_mark(image, blue), 20u) << "eye " << eye << " sees the leaf's back";
    EXPECT_LT(compare_images(image, render_shape(moments[1], {&eyes[eye], 1}), 16).differing_pixels,
              width * height / 200)
        << "eye " << eye << " matches a frame drawn from that eye alone";
  }
  EXPECT_TRUE(matches_golden(strip, "book_leaf_turning"));
}

// The leaf is drawn in the scene, depth-tested: a board standing between the visitor and the book
// hides the leaf (and the pages) wherever it stands before them, and nothing of the leaf's
// pictures shows through it.
TEST_F(LeafRender, ALeafIsHiddenByWhatStandsBeforeIt) {
  const std::vector<book::LeafShape> moments = three_moments();
  ASSERT_EQ(moments.size(), 3u);
  const render::View mono = eye_view(0.0f);
  const ImageRgba8 open = render_shape(moments[1], {&mono, 1});
  const ImageRgba8 hidden = render_shape(moments[1], {&mono, 1}, 0, true);
  EXPECT_GT(count_mark(open, blue), 30u) << "without the board the leaf's back shows";
  for (const glm::u8vec3 colour : {red, blue, green, amber}) EXPECT_EQ(count_mark(hidden, colour), 0u);
  // The board fills the middle of the frame, where the leaf stood.
  const uint8_t* middle = &hidden.pixels[(size_t{height / 2} * width + width / 2) * 4];
  EXPECT_NEAR(middle[0], middle[2], 8) << "grey board";
}

// A leaf just taken, still lying on the page beneath it (the kiosk's: upright, facing a visitor
// 1.2 m away, pages 0.5 m high, the leaf a millimetre above them): the leaf's page shows, never
// the page beneath it through it.
TEST_F(LeafRender, ALeafLyingOnThePageBeneathHidesIt) {
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(table_scene(false)).ok());
  ASSERT_TRUE((*renderer)->load_pages(book_pages()).ok());
  const book::LeafSize size{0.36f, 0.5f};
  const glm::mat4 upright = glm::translate(glm::mat4(1.0f), glm::vec3(0.0f, 0.1f, -0.5f));
  render::PagePlacement beneath;
  beneath.transform = glm::translate(upright, glm::vec3(0.5f * size.width, 0.5f * size.height, 0.0f));
  beneath.size = {size.width, size.height};
  (*renderer)->show_page(beneath_page, beneath);
  LeafGrid grid;
  ASSERT_TRUE(book::shape_leaf({}, size, book::ViewingDirection::left_to_right, columns, rows, grid.positions,
                               grid.normals));
  render::TurningLeaf lying_leaf;
  lying_leaf.front.page = turned_page;
  lying_leaf.back.page = coming_page;
  lying_leaf.transform = glm::translate(upright, glm::vec3(0.0f, 0.0f, 0.001f));
  lying_leaf.columns = columns;
  lying_leaf.rows = rows;
  lying_leaf.positions = grid.positions;
  lying_leaf.normals = grid.normals;
  (*renderer)->show_turning_leaf(lying_leaf);
  const render::View view =
      render::look_at_view({0.18f, 0.35f, 0.7f}, {0.18f, 0.35f, -0.5f},
                           render::symmetric_field_of_view(glm::radians(40.0f), static_cast<float>(width) / height));
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
    ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
    (*renderer)->wait_for_page_reads();
  }
  const ImageRgba8 image = render_frame(**renderer, **target, {&view, 1});
  EXPECT_GT(count_mark(image, red), 200u) << "the leaf's own page";
  EXPECT_EQ(count_mark(image, amber), 0u) << "nothing of the page beneath";
  EXPECT_EQ(count_mark(image, blue), 0u) << "nor of the leaf's back";
}

// A thread-bound book imaged as whole leaves: a picture whose fold lies right of its middle (a
// spine offset of +0.1), green left of the fold and red right of it. Its two half-leaves, each
// cropped at the fold and as wide as its part, lie side by side facing the visitor: the left shows
// only green, the right only red.
TEST_F(LeafRender, HalfLeavesShowOnlyTheirSideOfTheFold) {
  constexpr float fold = 0.6f;
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(table_scene(false)).ok());
  ASSERT_TRUE((*renderer)->load_pages(std::make_shared<MarkedPages>(std::vector<MarkedPage>{{green, red, fold}})).ok());
  const float page_height = 0.3f;
  const float leaf_width = page_height * static_cast<float>(marked_page_width) / marked_page_height;
  // Upright, facing the visitor at +z, 2 cm apart, meeting near x = 0.
  const auto half = [&](float from, float to, float centre_x) {
    render::PagePlacement placement;
    placement.transform = glm::translate(glm::mat4(1.0f), glm::vec3(centre_x, 0.15f, -0.1f));
    placement.size = {leaf_width * (to - from), page_height};
    placement.crop = {{from, 0.0f}, {to, 1.0f}};
    return placement;
  };
  const render::PagePlacement left = half(0.0f, fold, -0.01f - 0.5f * leaf_width * fold);
  const render::PagePlacement right = half(fold, 1.0f, 0.01f + 0.5f * leaf_width * (1.0f - fold));
  const render::View view =
      render::look_at_view({0.0f, 0.15f, 0.35f}, {0.0f, 0.15f, -0.1f},
                           render::symmetric_field_of_view(glm::radians(50.0f), static_cast<float>(width) / height));
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok());
  (*renderer)->show_page(0, left);
  for (int frame = 0; frame < 8 && !(*renderer)->page_tile_stats().converged(); ++frame) {
    ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
    (*renderer)->wait_for_page_reads();
  }
  // The left half alone needs none of level 0's tiles right of the fold (x ≥ 254 of 384 pixels).
  const uint32_t left_tiles = (*renderer)->page_tile_stats().needed_tiles;
  (*renderer)->hide_page(0);
  (*renderer)->show_page(0, half(0.0f, 1.0f, 0.0f));
  ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
  EXPECT_LT(left_tiles, (*renderer)->page_tile_stats().needed_tiles) << "the crop's hidden part needs no tiles";

  // A page has one placement at a time: each half is drawn in frames of its own, and the two
  // pictures are put side by side for the golden image.
  ImageRgba8 both(width, height);
  for (const bool right_half : {false, true}) {
    (*renderer)->show_page(0, right_half ? right : left);
    for (int frame = 0; frame < 8; ++frame) {
      ASSERT_TRUE((*renderer)->render(**target, {&view, 1}).ok());
      (*renderer)->wait_for_page_reads();
    }
    const ImageRgba8 image = render_frame(**renderer, **target, {&view, 1});
    uint32_t wrong = 0;
    uint32_t own = 0;
    for (uint32_t y = 0; y < height; ++y) {
      for (uint32_t x = 0; x < width; ++x) {
        const uint8_t* pixel = &image.pixels[(size_t{y} * width + x) * 4];
        own += shows_mark(pixel, right_half ? red : green) ? 1 : 0;
        wrong += shows_mark(pixel, right_half ? green : red) ? 1 : 0;
        if ((x >= width / 2) == right_half) std::memcpy(&both.pixels[(size_t{y} * width + x) * 4], pixel, 4);
      }
    }
    EXPECT_GT(own, 100u) << (right_half ? "right" : "left") << " half shows its own side";
    EXPECT_EQ(wrong, 0u) << (right_half ? "right" : "left") << " half shows nothing of the other side";
  }
  EXPECT_TRUE(matches_golden(both, "book_half_leaves"));
}

}  // namespace
}  // namespace pavilion::testing
