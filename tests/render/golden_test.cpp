// The three built-in scenes, rendered small on every run and compared with approved images.
#include "golden.h"
#include "gpu_test.h"

namespace pavilion::testing {
namespace {

constexpr uint32_t width = 240;
constexpr uint32_t height = 180;
// Goldens cover the multisampled path on every device, software rasterizers included.
constexpr render::RendererConfig config{.shadow_map_size = 2048, .msaa_samples = 4};

class RenderGolden : public GpuTest {};

TEST_F(RenderGolden, MaterialGrid) {
  EXPECT_TRUE(matches_golden(render_test_scene(procedural::material_grid(), width, height, config), "material_grid"));
}

TEST_F(RenderGolden, TexturedObjectWithNormalMapsAndShadows) {
  EXPECT_TRUE(matches_golden(render_test_scene(procedural::textured_object(), width, height, config), "textured_object"));
}

TEST_F(RenderGolden, InstanceFieldOfTenThousand) {
  EXPECT_TRUE(matches_golden(render_test_scene(procedural::instance_field(10'000), width, height, config), "instance_field"));
}

}  // namespace
}  // namespace pavilion::testing
