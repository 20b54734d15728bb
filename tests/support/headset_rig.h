// The engine's headset path made ready for a test: the simulated headset opened through the real
// OpenXR loader, the GPU context it chose (Vulkan validation on), a renderer with a scene loaded,
// and a session.
#pragma once

#include "pavilion/render/renderer.h"
#include "pavilion/xr/headset.h"

#include <gtest/gtest.h>

#include <memory>

namespace pavilion::testing {

struct HeadsetRig {
  std::unique_ptr<xr::Headset> headset;
  std::unique_ptr<render::GpuContext> context;
  std::unique_ptr<render::Renderer> renderer;
  std::unique_ptr<xr::HeadsetSession> session;

  // The Vulkan validation layer's findings so far, as a test failure if there are any.
  ::testing::AssertionResult validation_clean() {
    if (auto idle = renderer->wait_idle(); !idle) return ::testing::AssertionFailure() << idle.error().describe();
    const render::ValidationReport report = context->take_validation_report();
    if (report.errors + report.warnings == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << (report.messages.empty() ? "validation messages" : report.messages.front());
  }
};

inline ::testing::AssertionResult start_headset(HeadsetRig& rig, const scene::RenderScene& scene,
                                                render::RendererConfig renderer_config = {.shadow_map_size = 512,
                                                                                          .msaa_samples = 1},
                                                const xr::SessionOptions& session_options = {}) {
  auto headset = xr::Headset::open({.application_name = "pavilion tests"});
  if (!headset) return ::testing::AssertionFailure() << headset.error().describe();
  rig.headset = std::move(*headset);
  render::ContextConfig config;
  config.application_name = "pavilion tests";
  config.validation = true;
  config.hooks = rig.headset.get();
  auto context = render::GpuContext::create(config);
  if (!context) return ::testing::AssertionFailure() << context.error().describe();
  rig.context = std::move(*context);
  auto renderer = render::Renderer::create(*rig.context, renderer_config);
  if (!renderer) return ::testing::AssertionFailure() << renderer.error().describe();
  rig.renderer = std::move(*renderer);
  if (auto loaded = rig.renderer->load_scene(scene); !loaded) return ::testing::AssertionFailure() << loaded.error().describe();
  auto session = xr::HeadsetSession::create(*rig.headset, *rig.context, session_options);
  if (!session) return ::testing::AssertionFailure() << session.error().describe();
  rig.session = std::move(*session);
  return ::testing::AssertionSuccess();
}

}  // namespace pavilion::testing
