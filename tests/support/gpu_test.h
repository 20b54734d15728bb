// A test fixture with a Vulkan context that has the Khronos validation layer on: any validation
// message during a test fails it.
#pragma once

#include "pavilion/core/image.h"
#include "pavilion/procedural/test_scenes.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"

#include <gtest/gtest.h>

#include <memory>

namespace pavilion::testing {

class GpuTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  render::GpuContext& context() { return *context_; }
  // What the validation layer said since the last call (the fixture checks the rest at the end).
  render::ValidationReport take_validation_report() { return context_->take_validation_report(); }

  // Renders `test_scene` from its own camera into a new width×height offscreen target.
  ImageRgba8 render_test_scene(const procedural::TestScene& test_scene, uint32_t width, uint32_t height,
                               const render::RendererConfig& config = {});
  // Renders one frame of `views` into `target` with `renderer` and reads back layer `layer`.
  ImageRgba8 render_frame(render::Renderer& renderer, render::OffscreenTarget& target,
                          std::span<const render::View> views, uint32_t layer = 0);

  std::unique_ptr<render::GpuContext> context_;
};

}  // namespace pavilion::testing
