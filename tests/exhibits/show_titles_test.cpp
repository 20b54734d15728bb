// A show's titles drawn over the scene through a UiLayer frame (engine/exhibits show_titles.h), as
// the kiosk's screen and pavilion-snapshot --show-at draw them: in gold above their exhibit while
// the title shows, nothing once it is over.
#include "gpu_test.h"
#include "pavilion/exhibits/show_stage.h"
#include "pavilion/exhibits/show_titles.h"
#include "pavilion/ui/ui_layer.h"
#include "show_stage_scene.h"

#include <imgui.h>

#include <cstdlib>

namespace pavilion::testing {
namespace {

constexpr uint32_t width = 160;
constexpr uint32_t height = 120;

// The test show with a calligraphic title over the box from 0.5 s to 2 s.
scene::Scene titled_scene() {
  scene::Scene out = show_stage_scene();
  scene::ShowCue title;
  title.kind = scene::CueKind::title;
  title.start = 0.5f;
  title.duration = 1.5f;
  title.fade_seconds = 0.2f;
  title.exhibit = 0;
  title.text = {"金鸡报晓", "The rooster crows"};
  out.show->tracks.push_back({"title", {title}});
  return out;
}

// Pixels of the title's gold where the frame without titles has something else.
struct Gold {
  size_t pixels = 0;
  double mean_x = 0;
  double mean_y = 0;
};
Gold gold_over(const ImageRgba8& titled, const ImageRgba8& plain) {
  Gold gold;
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      const uint8_t* pixel = titled.at(x, y);
      const uint8_t* under = plain.at(x, y);
      const bool golden = pixel[0] > 200 && pixel[1] > 180 && pixel[2] > 120 && pixel[2] + 20 < pixel[0];
      if (!golden || std::abs(pixel[1] - under[1]) < 40) continue;
      ++gold.pixels;
      gold.mean_x += x;
      gold.mean_y += y;
    }
  }
  if (gold.pixels > 0) {
    gold.mean_x /= static_cast<double>(gold.pixels);
    gold.mean_y /= static_cast<double>(gold.pixels);
  }
  return gold;
}

class ShowTitlesTest : public GpuTest {};

TEST_F(ShowTitlesTest, ATitleIsDrawnInGoldAboveItsExhibitWhileItShows) {
  const scene::Scene scene = titled_scene();
  EXPECT_EQ(exhibits::show_title_text(*scene.show), "金鸡报晓The rooster crows");
  auto renderer = render::Renderer::create(context(), {.shadow_map_size = 512});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  ASSERT_TRUE((*renderer)->load_scene(scene.render).ok());
  auto target = render::OffscreenTarget::create(context(), {width, height});
  ASSERT_TRUE(target.ok()) << target.error().describe();
  auto stage = exhibits::ShowStage::create(scene);
  ASSERT_TRUE(stage.ok()) << stage.error().describe();
  auto titles = ui::UiLayer::create(**renderer);
  ASSERT_TRUE(titles.ok()) << titles.error().describe();
  ASSERT_TRUE((*titles)->set_fonts(exhibits::show_title_text(*scene.show), {16.0f, 24.0f}).ok());
  scene::ShowPlayer player(*scene.show, {.loop = false});

  for (const int frame : {30, 75}) {  // 1 s: the title showing; 2.5 s: over
    SCOPED_TRACE(frame);
    const scene::ShowFrame* played = nullptr;
    for (int step = frame == 30 ? 0 : 31; step <= frame; ++step) {
      played = &player.update(step * static_cast<double>(show_frame_seconds));
      stage->apply(*played, step == 0 ? 0.0f : show_frame_seconds, **renderer);
    }
    const render::View view = exhibits::show_view(exhibits::show_camera(*played, scene), static_cast<float>(width) / height);
    (*titles)->begin_frame(width, height, show_frame_seconds, {.present = false});
    const exhibits::ShowTitlesDrawn drawn = exhibits::draw_show_titles(
        *ImGui::GetBackgroundDrawList(), ImGui::GetIO().DisplaySize, *scene.show, played->titles, scene.exhibits,
        view.projection * view.view, true, 1.0f, {(*titles)->title_font(), (*titles)->body_font()});
    const render::Overlay& overlay = (*titles)->end_frame();
    ASSERT_TRUE((*renderer)->render(**target, {&view, 1}, &overlay).ok());
    ASSERT_TRUE((*renderer)->wait_idle().ok());
    const ImageRgba8 titled = (*target)->read_pixels();
    const ImageRgba8 plain = render_frame(**renderer, **target, {&view, 1});
    const Gold gold = gold_over(titled, plain);
    if (frame == 75) {
      EXPECT_EQ(drawn.count, 0u);
      EXPECT_EQ(gold.pixels, 0u);
      continue;
    }
    ASSERT_EQ(drawn.count, 1u);
    EXPECT_FLOAT_EQ(drawn.first_alpha, 1.0f);
    EXPECT_GT(gold.pixels, 40u) << "four characters of 38 pixels in gold";
    // Centred over the top of the exhibit (its position raised by its radius), and above it.
    const glm::vec4 clip = view.projection * view.view * glm::vec4(scene.exhibits[0].position + glm::vec3(0, scene.exhibits[0].radius, 0), 1.0f);
    const glm::vec2 top = (glm::vec2(clip) / clip.w + 1.0f) * 0.5f * glm::vec2(width, height);
    EXPECT_NEAR(gold.mean_x, top.x, 8.0);
    EXPECT_LT(gold.mean_y, top.y);
    EXPECT_GT(gold.mean_y, top.y - 40.0);
  }
}

}  // namespace
}  // namespace pavilion::testing
