// Proves the fixture's promise: a validation message does reach the test.
#include "gpu_test.h"
#include "keep_loaded.h"

#include <array>
#include <tuple>

namespace pavilion::testing {
namespace {

class RenderValidation : public GpuTest {};

TEST_F(RenderValidation, AMisuseOfVulkanIsReportedToTheTest) {
  // A semaphore create info with the wrong structure type: the layer must object.
  VkSemaphoreCreateInfo info{};
  info.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  vkCreateSemaphore(context().device(), &info, nullptr, &semaphore);
  if (semaphore != VK_NULL_HANDLE) vkDestroySemaphore(context().device(), semaphore, nullptr);

  const auto report = take_validation_report();  // taken, so the fixture's own check stays clean
  EXPECT_GE(report.errors, 1u);
  ASSERT_FALSE(report.messages.empty());
  EXPECT_NE(report.messages.front().find("sType"), std::string::npos) << report.messages.front();
}

TEST_F(RenderValidation, TheLayerIsOnInRenderingTests) { EXPECT_TRUE(context().validation_enabled()); }

}  // namespace
}  // namespace pavilion::testing

namespace pavilion::testing {
namespace {

// The layer's synchronization checks over consecutive frames in flight, a scene change, a resize
// and a stereo target: every hazard between passes and between frames would be reported.
TEST(RenderSynchronization, FramesInFlightHaveNoHazards) {
  keep_gpu_libraries_loaded();
  render::ContextConfig config;
  config.synchronization_validation = true;
  auto context = render::GpuContext::create(config);
  ASSERT_TRUE(context.ok()) << context.error().describe();
  auto renderer = render::Renderer::create(**context, {.shadow_map_size = 256, .msaa_samples = 4});
  ASSERT_TRUE(renderer.ok()) << renderer.error().describe();
  const auto grid = procedural::material_grid();
  ASSERT_TRUE((*renderer)->load_scene(grid.scene).ok());
  for (const auto& [width, height, layers] : {std::tuple{64u, 48u, 1u}, {48u, 64u, 1u}, {64u, 64u, 2u}}) {
    auto target = render::OffscreenTarget::create(**context, {width, height, layers});
    ASSERT_TRUE(target.ok());
    const render::View view = procedural::camera_view(grid.camera, float(width) / float(height));
    const std::array<render::View, 2> views{view, view};
    for (int frame = 0; frame < 4; ++frame) {
      ASSERT_TRUE((*renderer)->render(**target, {views.data(), layers}).ok());
    }
    ASSERT_TRUE((*renderer)->load_scene(procedural::textured_object().scene).ok());
  }
  ASSERT_TRUE((*renderer)->wait_idle().ok());
  const auto report = (*context)->take_validation_report();
  EXPECT_EQ(report.errors + report.warnings, 0u) << (report.messages.empty() ? "" : report.messages.front());
}

}  // namespace
}  // namespace pavilion::testing
