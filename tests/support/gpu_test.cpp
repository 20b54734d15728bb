#include "gpu_test.h"

#include "keep_loaded.h"

#include <fmt/format.h>

namespace pavilion::testing {

void GpuTest::SetUp() {
  keep_gpu_libraries_loaded();
  render::ContextConfig config;
  config.application_name = "pavilion-tests";
  config.validation = true;
  auto created = render::GpuContext::create(config);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  context_ = std::move(*created);
}

void GpuTest::TearDown() {
  if (!context_) return;
  static_cast<void>(context_->wait_idle());
  const auto report = context_->take_validation_report();
  std::string messages;
  for (const auto& message : report.messages) messages += "\n  " + message;
  EXPECT_EQ(report.errors + report.warnings, 0u)
      << fmt::format("the Vulkan validation layer reported {} errors and {} warnings:{}", report.errors,
                     report.warnings, messages);
}

ImageRgba8 GpuTest::render_frame(render::Renderer& renderer, render::OffscreenTarget& target,
                                 std::span<const render::View> views, uint32_t layer) {
  const auto outcome = renderer.render(target, views);
  EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
  const auto idle = renderer.wait_idle();
  EXPECT_TRUE(idle.ok()) << idle.error().describe();
  return target.read_pixels(layer);
}

ImageRgba8 GpuTest::render_test_scene(const procedural::TestScene& test_scene, uint32_t width, uint32_t height,
                                      const render::RendererConfig& config) {
  auto renderer = render::Renderer::create(context(), config);
  EXPECT_TRUE(renderer.ok()) << renderer.error().describe();
  if (!renderer.ok()) return {};
  const auto loaded = (*renderer)->load_scene(test_scene.scene);
  EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
  auto target = render::OffscreenTarget::create(context(), {width, height});
  EXPECT_TRUE(target.ok()) << target.error().describe();
  if (!target.ok()) return {};
  const render::View view =
      procedural::camera_view(test_scene.camera, static_cast<float>(width) / static_cast<float>(height));
  return render_frame(**renderer, **target, {&view, 1});
}

}  // namespace pavilion::testing
