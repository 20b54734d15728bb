// Poems drawn from distance-field atlases through the renderer's overlay, on lavapipe with the
// validation layer on: golden images of a vertical and a horizontal poem, and checks that every
// character lands in its cell and the recited one is lit.
#include "../text/fonts.h"
#include "golden.h"
#include "gpu_test.h"
#include "pavilion/core/utf8.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/ui/text_overlay.h"
#include "pavilion/ui/ui_layer.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace pavilion::ui {
namespace {

constexpr uint32_t paper = 0xFFD8E6EE;      // warm rice paper (sRGB, R in the lowest byte)
constexpr uint32_t ink = 0xFF1E1E26;        // pine-soot ink
constexpr uint32_t vermilion = 0xFF2430C8;  // the recited character
constexpr uint32_t gold_glow = 0xB040C8F0;

struct Canvas {
  uint32_t width = 0;
  uint32_t height = 0;
};

class TextOverlayTest : public testing::GpuTest {
 protected:
  void SetUp() override {
    GpuTest::SetUp();
    auto created = render::Renderer::create(context(), {.shadow_map_size = 256, .msaa_samples = 1});
    ASSERT_TRUE(created.ok()) << created.error().describe();
    renderer = std::move(*created);
    ASSERT_TRUE(renderer->load_scene(scene::RenderScene{}).ok());
    ImageRgba8 white(1, 1);
    std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
    auto texture = renderer->add_overlay_texture(white);
    ASSERT_TRUE(texture.ok()) << texture.error().describe();
    white_texture = *texture;
  }

  // Bakes the glyphs of `layout` and adds them to the renderer as one distance field.
  render::OverlayTextureId add_atlas(const text::TextLayout& layout, std::span<const text::Font* const> fonts) {
    auto built = text::build_atlas(fonts, text::glyphs_used(layout), {.em_pixels = 48, .spread_pixels = 6});
    EXPECT_TRUE(built.ok()) << built.error().describe();
    atlas = std::move(*built);
    auto texture = renderer->add_overlay_distance_field(atlas.width, atlas.height, atlas.distances);
    EXPECT_TRUE(texture.ok()) << texture.error().describe();
    return texture.ok() ? *texture : 0;
  }

  // A paper panel filling the canvas, then the text over it.
  ImageRgba8 draw(const Canvas& canvas, const text::TextLayout& layout, render::OverlayTextureId atlas_texture,
                  const TextPaint& paint) {
    buffers.clear();
    buffers.vertices = {{0, 0, 0, 0, paper},
                        {float(canvas.width), 0, 1, 0, paper},
                        {float(canvas.width), float(canvas.height), 1, 1, paper},
                        {0, float(canvas.height), 0, 1, paper}};
    buffers.indices = {0, 1, 2, 0, 2, 3};
    buffers.draws.push_back({0, 6, 0, white_texture, 0, 0, float(canvas.width), float(canvas.height)});
    append_text(layout, atlas, atlas_texture, paint, buffers);
    auto target = render::OffscreenTarget::create(context(), {canvas.width, canvas.height});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    const render::View view;
    const render::Overlay overlay = buffers.view();
    const auto outcome = renderer->render(**target, {&view, 1}, &overlay);
    EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
    EXPECT_TRUE(renderer->wait_idle().ok());
    return (*target)->read_pixels(0);
  }

  std::unique_ptr<render::Renderer> renderer;
  render::OverlayTextureId white_texture = 0;
  text::GlyphAtlas atlas;
  OverlayBuffers buffers;
};

struct Count {
  size_t ink = 0;
  size_t lit = 0;
  size_t glow = 0;
};

// What is drawn inside a cell, `pixels` per layout unit from the paint's corner.
Count inside(const ImageRgba8& image, const text::CharacterCell& cell, const TextPaint& paint) {
  Count count;
  const auto to_pixel = [&](float unit, float corner) { return static_cast<uint32_t>(corner + unit * paint.pixels_per_unit); };
  for (uint32_t y = to_pixel(cell.top, paint.top); y < to_pixel(cell.bottom, paint.top) && y < image.height; ++y) {
    for (uint32_t x = to_pixel(cell.left, paint.left); x < to_pixel(cell.right, paint.left) && x < image.width; ++x) {
      const uint8_t* pixel = image.at(x, y);
      if (pixel[0] < 90 && pixel[1] < 90 && pixel[2] < 90) ++count.ink;
      if (pixel[0] > 150 && pixel[1] < 90 && pixel[2] < 90) ++count.lit;
      if (pixel[0] > 225 && pixel[1] > 190 && pixel[2] < 150) ++count.glow;
    }
  }
  return count;
}

TEST_F(TextOverlayTest, AVerticalPoemWithPinyinAndItsRecitedCharacterLit) {
  const auto kai = testing::kai_font();
  ASSERT_NE(kai, nullptr);
  // 静夜思 (Li Bai): title and poet, then the poem's four lines, columns right to left.
  const std::string poem = "静夜思\n　李白\n床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。";
  const std::array<text::Ruby, 3> pinyin{{{0, 1, "jìng"}, {1, 1, "yè"}, {2, 1, "sī"}}};
  auto layout = text::lay_out(poem, pinyin, *kai, *kai, {.size = 1, .line_spacing = 1.55f, .ruby_size = 0.4f});
  ASSERT_TRUE(layout.ok()) << layout.error().describe();
  const std::array<const text::Font*, 2> fonts{kai.get(), kai.get()};  // the text's, the ruby's
  const render::OverlayTextureId texture = add_atlas(*layout, fonts);
  const Canvas canvas{320, 240};
  const float scale = 32;
  const TextPaint paint{.left = (320 - layout->width * scale) / 2, .top = 40, .pixels_per_unit = scale, .ink = ink,
                        .ruby_ink = 0xFF505A6E, .lit_first = 10, .lit_end = 11, .lit_ink = vermilion,
                        .glow = gold_glow};
  const ImageRgba8 image = draw(canvas, *layout, texture, paint);
  EXPECT_TRUE(testing::matches_golden(image, "poem_vertical"));

  for (const text::CharacterCell& cell : layout->cells) {
    const Count count = inside(image, cell, paint);
    SCOPED_TRACE("character " + std::to_string(cell.character));
    if (cell.character == 10) {  // 明, being recited
      EXPECT_GT(count.lit, 20u);
      EXPECT_GT(count.glow, 5u);
      EXPECT_EQ(count.ink, 0u);
    } else {
      EXPECT_GT(count.ink, 4u) << "a character is missing from its cell";
      EXPECT_EQ(count.lit, 0u);
      EXPECT_EQ(count.glow, 0u);
    }
  }
}

TEST_F(TextOverlayTest, AHorizontalPoemWithItsTranslation) {
  const auto song = testing::song_font();
  ASSERT_NE(song, nullptr);
  const std::string poem =
      "春晓　孟浩然\n春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。\n"
      "Spring sleep, unaware of dawn; birds sing everywhere. Wind and rain in the night: how many blossoms fell?";
  auto layout = text::lay_out(poem, {}, *song, *song,
                              {.orientation = text::Orientation::horizontal, .size = 1, .extent = 16,
                               .line_spacing = 1.5f, .alignment = text::Alignment::start});
  ASSERT_TRUE(layout.ok()) << layout.error().describe();
  const std::array<const text::Font*, 1> fonts{song.get()};
  const render::OverlayTextureId texture = add_atlas(*layout, fonts);
  const float scale = 14;
  const TextPaint paint{.left = 16, .top = 14, .pixels_per_unit = scale, .ink = ink};
  const ImageRgba8 image = draw({256, 192}, *layout, texture, paint);
  EXPECT_TRUE(testing::matches_golden(image, "poem_horizontal"));
  // Every character shows in its cell; small punctuation at 14 pixels may be too light to count.
  const std::u32string characters = decode_utf8(poem).value();
  for (const text::CharacterCell& cell : layout->cells) {
    if (std::u32string_view(U"，。,.;:?").find(characters[cell.character]) != std::u32string_view::npos) continue;
    EXPECT_GT(inside(image, cell, paint).ink, 0u) << "character " << cell.character << " is missing";
  }
}

// Text drawn inside an ImGui window keeps the window's place in the drawing order: a window
// opened after it (a dialog) covers it, as ImGui's own text would be covered.
TEST_F(TextOverlayTest, TextInAWindowIsCoveredByALaterWindow) {
  const auto song = testing::song_font();
  ASSERT_NE(song, nullptr);
  auto layout = text::lay_out("静夜思", {}, *song, *song, {.orientation = text::Orientation::horizontal, .size = 1});
  ASSERT_TRUE(layout.ok()) << layout.error().describe();
  const std::array<const text::Font*, 1> fonts{song.get()};
  const render::OverlayTextureId texture = add_atlas(*layout, fonts);
  auto created = UiLayer::create(*renderer);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  UiLayer& layer = **created;
  ASSERT_TRUE(layer.set_fonts("", {}).ok());

  const TextPaint paint{.left = 10, .top = 20, .pixels_per_unit = 60, .ink = ink};
  layer.begin_frame(200, 100, 1.0f / 60.0f, {});
  const auto window = [](const char* name, float x, float width, uint32_t rgba) {
    ImGui::SetNextWindowPos(ImVec2(x, 0));
    ImGui::SetNextWindowSize(ImVec2(width, 100));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(rgba));
    ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleColor();
  };
  window("paper", 0, 200, paper);
  layer.draw_text(*ImGui::GetWindowDrawList(), *layout, atlas, texture, paint);
  ImGui::End();
  window("dialog", 130, 70, 0xFF808080);
  ImGui::End();
  const render::Overlay& overlay = layer.end_frame();

  auto target = render::OffscreenTarget::create(context(), {200, 100});
  ASSERT_TRUE(target.ok()) << target.error().describe();
  const render::View view;
  ASSERT_TRUE(renderer->render(**target, {&view, 1}, &overlay).ok());
  ASSERT_TRUE(renderer->wait_idle().ok());
  const ImageRgba8 image = (*target)->read_pixels(0);
  ASSERT_EQ(layout->cells.size(), 3u);
  EXPECT_GT(inside(image, layout->cells[0], paint).ink, 20u) << "静 shows on the paper";
  EXPECT_EQ(inside(image, layout->cells[2], paint).ink, 0u) << "思 is under the dialog";
}

// A poem hung in the scene (as on a scroll in a headset): turned away from the camera it still
// reads sharply, the vase in front of it hides what lies behind the vase, and each eye of a
// stereo pair sees it from its own side.
TEST_F(TextOverlayTest, APoemHungInTheSceneIsHiddenByWhatStandsBeforeIt) {
  const auto kai = testing::kai_font();
  ASSERT_NE(kai, nullptr);
  auto layout = text::lay_out("床前明月光\n疑是地上霜", {}, *kai, *kai,
                              {.orientation = text::Orientation::horizontal, .size = 1, .line_spacing = 1.3f});
  ASSERT_TRUE(layout.ok()) << layout.error().describe();
  const std::array<const text::Font*, 1> fonts{kai.get()};
  const render::OverlayTextureId texture = add_atlas(*layout, fonts);
  const auto test_scene = procedural::textured_object();
  ASSERT_TRUE(renderer->load_scene(test_scene.scene).ok());

  // Through the vase's centre, turned 35° away, 0.35 m to a character; the text's middle on the
  // camera's line of sight.
  const procedural::CameraPlacement camera = test_scene.camera;
  const float em = 0.35f;
  const glm::vec3 toward_camera = glm::normalize(camera.eye - camera.target);
  const glm::mat4 turn = glm::rotate(glm::mat4(1.0f), glm::radians(35.0f), glm::vec3(0, 1, 0));
  const glm::vec3 normal = glm::vec3(turn * glm::vec4(toward_camera, 0.0f));
  const glm::vec3 right = glm::normalize(glm::cross(glm::vec3(0, 1, 0), normal));
  const glm::vec3 up = glm::cross(normal, right);
  const glm::vec3 corner = camera.target - right * (layout->width * em * 0.5f) + up * (layout->height * em * 0.5f);
  const glm::mat4 plane_to_world(glm::vec4(right, 0), glm::vec4(up, 0), glm::vec4(normal, 0), glm::vec4(corner, 1));
  buffers.clear();
  append_text(*layout, atlas, texture, {.left = 0, .top = 0, .pixels_per_unit = em, .ink = vermilion}, buffers);
  const std::array<render::WorldOverlay, 1> hung{{{plane_to_world, buffers.view()}}};

  constexpr uint32_t size = 160;
  const auto draw = [&](std::span<const render::View> views, std::span<const render::WorldOverlay> world, uint32_t layer) {
    auto target = render::OffscreenTarget::create(context(), {size, size, static_cast<uint32_t>(views.size())});
    EXPECT_TRUE(target.ok()) << target.error().describe();
    EXPECT_TRUE(renderer->render(**target, views, nullptr, world).ok());
    EXPECT_TRUE(renderer->wait_idle().ok());
    return (*target)->read_pixels(layer);
  };
  const render::View view = procedural::camera_view(camera, 1.0f);
  const ImageRgba8 bare = draw({&view, 1}, {}, 0);
  const ImageRgba8 with_poem = draw({&view, 1}, hung, 0);
  EXPECT_TRUE(testing::matches_golden(with_poem, "poem_in_scene"));

  const auto red_pixels = [](const ImageRgba8& image) {
    size_t count = 0;
    double x_sum = 0;
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const uint8_t* pixel = image.at(x, y);
        if (pixel[0] > 120 && pixel[1] < 70 && pixel[2] < 70) {
          ++count;
          x_sum += x;
        }
      }
    }
    return std::pair{count, count > 0 ? x_sum / static_cast<double>(count) : -1.0};
  };
  EXPECT_EQ(red_pixels(bare).first, 0u);
  EXPECT_GT(red_pixels(with_poem).first, 300u) << "the poem shows where nothing stands before it";
  // The middle of the image is the vase's near side, in front of the plane through its centre.
  const uint8_t* middle_bare = bare.at(size / 2, size / 2);
  const uint8_t* middle = with_poem.at(size / 2, size / 2);
  EXPECT_TRUE(std::equal(middle, middle + 4, middle_bare)) << "the vase hides the text behind it";

  // Stereo: both eyes see it, the left eye further right (it is farther away than nothing here,
  // so the shift is small but there).
  const glm::vec3 eye_right = glm::normalize(glm::cross(camera.target - camera.eye, glm::vec3(0, 1, 0)));
  const auto eye_view = [&](float side) {
    procedural::CameraPlacement eye = camera;
    eye.eye += eye_right * (side * 0.2f);
    eye.target += eye_right * (side * 0.2f);
    return procedural::camera_view(eye, 1.0f);
  };
  const std::array<render::View, 2> eyes{eye_view(-1.0f), eye_view(1.0f)};
  const auto [left_count, left_x] = red_pixels(draw(eyes, hung, 0));
  const auto [right_count, right_x] = red_pixels(draw(eyes, hung, 1));
  EXPECT_GT(left_count, 300u);
  EXPECT_GT(right_count, 300u);
  EXPECT_GT(left_x - right_x, 1.0) << "the text sits further right in the left eye's image";
}

}  // namespace
}  // namespace pavilion::ui
