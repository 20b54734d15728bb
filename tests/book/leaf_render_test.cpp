// A leaf mid-turn, drawn: a right-to-left thread-bound book's leaf of soft paper turned over by a
// button, its front and back each a mesh of LeafTurn's grid, on lavapipe with the validation
// layer on. Golden frames at three moments of the turn and both eyes of a headset at the middle.
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/book/leaf_turn.h"
#include "pavilion/procedural/test_scenes.h"

#include <glm/geometric.hpp>
#include <gtest/gtest.h>

#include <array>
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
const LeafSize leaf{0.14f, 0.22f};
constexpr ViewingDirection direction = ViewingDirection::right_to_left;

// The book lies on a table: its page plane is the world's floor, its spine runs away from the
// visitor (the book's y is the world's −z) and its pages face up.
glm::vec3 in_world(const glm::vec3& book) { return {book.x, book.z, -book.y}; }

// A half-leaf of a woodblock print, as a texture: warm paper, a frame and column rules in ink,
// columns of "characters" (short strokes), and on the front a red seal.
scene::TextureData page_texture(bool front) {
  constexpr uint32_t size_x = 64;
  constexpr uint32_t size_y = 96;
  scene::TextureData texture;
  texture.name = front ? "front" : "back";
  texture.width = size_x;
  texture.height = size_y;
  texture.bytes.resize(size_t{size_x} * size_y * 4);
  for (uint32_t y = 0; y < size_y; ++y) {
    for (uint32_t x = 0; x < size_x; ++x) {
      const bool frame = x < 3 || x >= size_x - 3 || y < 4 || y >= size_y - 4;
      const bool rule = x % 10 == 4;
      const bool character = x % 10 >= 6 && x % 10 <= 8 && y > 8 && y < size_y - 8 && (y / 5 + x / 10 + (front ? 0 : 1)) % 3 != 0 &&
                             y % 5 != 0;
      const bool seal = front && x >= 8 && x < 20 && y >= 10 && y < 22 && !(x >= 10 && x < 18 && y >= 12 && y < 20 && (x + y) % 3);
      std::array<uint8_t, 3> colour{232, 216, 178};  // aged paper
      if (seal) {
        colour = {178, 34, 30};
      } else if (frame || rule || character) {
        colour = {44, 34, 28};
      }
      std::byte* texel = &texture.bytes[(size_t{y} * size_x + x) * 4];
      for (int c = 0; c < 3; ++c) texel[c] = std::byte{colour[c]};
      texel[3] = std::byte{255};
    }
  }
  return texture;
}

// The leaf's grid as a mesh: the front face as LeafTurn gives it, or the back (normals turned
// round, windings reversed, the picture mirrored as it is seen from behind).
scene::MeshData leaf_mesh(const book::LeafShape& shape, bool front) {
  std::vector<glm::vec3> positions((columns + 1) * (rows + 1));
  std::vector<glm::vec3> normals(positions.size());
  EXPECT_TRUE(book::shape_leaf(shape, leaf, direction, columns, rows, positions, normals));
  scene::MeshData mesh;
  mesh.name = front ? "leaf front" : "leaf back";
  for (uint32_t row = 0; row <= rows; ++row) {
    for (uint32_t column = 0; column <= columns; ++column) {
      const size_t index = row * (columns + 1) + column;
      const glm::vec3 normal = in_world(front ? normals[index] : -normals[index]);
      // A right-to-left book's front half-leaf is read with its spine on the right.
      const float across = static_cast<float>(column) / columns;
      const glm::vec2 uv(front ? 1.0f - across : across, 1.0f - static_cast<float>(row) / rows);
      mesh.vertices.push_back(scene::pack_vertex(in_world(positions[index]), normal, glm::vec4(1, 0, 0, 1), uv));
    }
  }
  // Right-to-left cells wind clockwise seen from the front (book/leaf_turn.h): the front reverses
  // them, the back keeps them.
  for (uint32_t row = 0; row < rows; ++row) {
    for (uint32_t column = 0; column < columns; ++column) {
      const uint32_t a = row * (columns + 1) + column;
      const uint32_t b = a + 1;
      const uint32_t c = a + columns + 1;
      const uint32_t d = c + 1;
      if (front) {
        mesh.indices.insert(mesh.indices.end(), {a, c, b, b, c, d});
      } else {
        mesh.indices.insert(mesh.indices.end(), {a, b, c, b, d, c});
      }
    }
  }
  return mesh;
}

// A flat quad from `from` to `to` on the table (book frame x, y), at `lift` above it.
scene::MeshData flat_quad(const char* name, glm::vec2 from, glm::vec2 to, float lift) {
  scene::MeshData mesh;
  mesh.name = name;
  const glm::vec3 up(0, 1, 0);
  for (const glm::vec2 corner : {from, glm::vec2(to.x, from.y), glm::vec2(from.x, to.y), to}) {
    const glm::vec2 uv((corner.x - from.x) / (to.x - from.x), 1.0f - (corner.y - from.y) / (to.y - from.y));
    mesh.vertices.push_back(scene::pack_vertex(in_world({corner, lift}), up, glm::vec4(1, 0, 0, 1), uv));
  }
  mesh.indices = {0, 1, 2, 1, 3, 2};
  return mesh;
}

scene::RenderScene book_scene(const book::LeafShape& shape) {
  scene::RenderScene scene;
  scene.textures = {page_texture(true), page_texture(false)};
  scene::MaterialData front;
  front.name = "front";
  front.metallic_factor = 0.0f;
  front.roughness_factor = 0.9f;
  front.base_color_texture = 0;
  scene::MaterialData back = front;
  back.name = "back";
  back.base_color_texture = 1;
  scene::MaterialData table;
  table.name = "table";
  table.base_color_factor = glm::vec4(0.18f, 0.09f, 0.05f, 1.0f);
  table.metallic_factor = 0.0f;
  table.roughness_factor = 0.6f;
  scene.materials = {front, back, table};
  scene.meshes = {leaf_mesh(shape, true), leaf_mesh(shape, false),
                  // The pages beneath: still to turn on the left, turned on the right.
                  flat_quad("pages to read", {-leaf.width, 0.0f}, {0.0f, leaf.height}, -0.002f),
                  flat_quad("pages read", {0.0f, 0.0f}, {leaf.width, leaf.height}, -0.002f),
                  flat_quad("table", {-0.5f, -0.3f}, {0.5f, 0.5f}, -0.02f)};
  scene.instances = {{glm::mat4(1.0f), 0, 0}, {glm::mat4(1.0f), 1, 1}, {glm::mat4(1.0f), 2, 0},
                     {glm::mat4(1.0f), 3, 1}, {glm::mat4(1.0f), 4, 2}};
  scene.light.direction = glm::vec3(0.3f, -1.0f, -0.5f);
  return scene;
}

class LeafRender : public GpuTest {
 protected:
  ImageRgba8 render_shape(const book::LeafShape& shape, std::span<const render::View> views, uint32_t layer = 0) {
    auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512, .msaa_samples = 1});
    EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
    const auto loaded = (*renderer)->load_scene(book_scene(shape));
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    auto target = render::OffscreenTarget::create(context(), {width, height, static_cast<uint32_t>(views.size())});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    return render_frame(**renderer, **target, views, layer);
  }
};

// A visitor above the book and to its right, looking down at it; `side` moves the eye half the
// distance between a visitor's eyes to the left (−1) or the right (+1).
render::View eye_view(float side) {
  const glm::vec3 eye(0.20f, 0.24f, 0.16f);
  const glm::vec3 target(0.0f, 0.02f, -0.11f);
  const glm::vec3 right = glm::normalize(glm::cross(target - eye, glm::vec3(0, 1, 0)));
  const procedural::CameraPlacement camera{
      .eye = eye + right * (side * 0.032f), .target = target + right * (side * 0.032f), .vertical_fov_degrees = 50.0f};
  return procedural::camera_view(camera, static_cast<float>(width) / height);
}

// Three moments of a button's turn (rising with its edge leading, upright, falling with its edge
// trailing), then both eyes at upright. Each moment differs from the others where the leaf is;
// each eye matches a frame drawn from that eye alone.
TEST_F(LeafRender, ALeafMidTurnAtThreeMomentsAndInBothEyes) {
  LeafTurn turn(leaf, book::soft_paper, direction);
  turn.turn_over();
  std::vector<book::LeafShape> moments;
  for (int frame = 1; frame <= 90 && moments.size() < 3; ++frame) {
    turn.advance(1.0f / 90.0f);
    const float hinge = turn.shape().hinge;
    const float wanted = 0.25f * std::numbers::pi_v<float> * static_cast<float>(moments.size() + 1);
    if (hinge >= wanted) {
      moments.push_back(turn.shape());
    }
  }
  ASSERT_EQ(moments.size(), 3u);
  EXPECT_GT(moments[0].bend, 0.2f) << "rising, the edge leads";
  EXPECT_LT(moments[2].bend, -0.2f) << "falling, the edge trails";

  ImageRgba8 strip(width * 5, height);
  const render::View mono = eye_view(0.0f);
  std::vector<ImageRgba8> frames;
  for (size_t index = 0; index < moments.size(); ++index) {
    frames.push_back(render_shape(moments[index], {&mono, 1}));
    paste(strip, frames.back(), width * static_cast<uint32_t>(index));
  }
  EXPECT_GT(compare_images(frames[0], frames[1], 24).differing_pixels, 300u);
  EXPECT_GT(compare_images(frames[1], frames[2], 24).differing_pixels, 300u);
  const std::array<render::View, 2> eyes{eye_view(-1.0f), eye_view(1.0f)};
  for (uint32_t eye = 0; eye < 2; ++eye) {
    const ImageRgba8 image = render_shape(moments[1], eyes, eye);
    paste(strip, image, width * (3 + eye));
    EXPECT_LT(compare_images(image, render_shape(moments[1], {&eyes[eye], 1}), 16).differing_pixels,
              width * height / 200)
        << "eye " << eye << " matches a frame drawn from that eye alone";
  }
  EXPECT_TRUE(matches_golden(strip, "book_leaf_turning"));
}

}  // namespace
}  // namespace pavilion::testing
