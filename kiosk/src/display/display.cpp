// The GPU side: made at start, and made again from nothing when the device is lost.
#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {

render::RenderTarget& Display::target() {
  if (window) return *window;
  return *offscreen;
}

VkExtent2D Display::extent() const {
  if (window) return window->framebuffer_extent();
  return {offscreen->config().width, offscreen->config().height};
}

Result<void> Kiosk::State::create_display() {
  render::ContextConfig context_config;
  context_config.application_name = "pavilion-kiosk";
  context_config.validation = options.validation;
  if (!options.headless) {
    PV_TRY_ASSIGN(context_config.instance_extensions, render::window_instance_extensions());
    context_config.presentation = true;
  }
  PV_TRY_ASSIGN(display.context, render::GpuContext::create(context_config));
  PV_TRY_ASSIGN(display.renderer, render::Renderer::create(*display.context));
  if (options.headless) {
    PV_TRY_ASSIGN(display.offscreen,
                  render::OffscreenTarget::create(*display.context, {.width = options.width, .height = options.height}));
  } else {
    PV_TRY_ASSIGN(display.window, render::WindowTarget::create(*display.context, {.title = "Pavilion",
                                                                                  .width = options.width,
                                                                                  .height = options.height,
                                                                                  .fullscreen = options.fullscreen,
                                                                                  .touch = true}));
  }
  PV_TRY_ASSIGN(display.ui, ui::UiLayer::create(*display.renderer));
  return {};
}

void Kiosk::State::collect_validation_messages() {
  if (!display.context || !display.context->validation_enabled()) return;
  render::ValidationReport validation = display.context->take_validation_report();
  for (std::string& message : validation.messages) report.validation_messages.push_back(std::move(message));
}

Result<void> Kiosk::State::recover_display(const Error& error) {
  log::error("kiosk", "the GPU device was lost ({}); starting it again", error.describe());
  note_for_operator(fmt::format("GPU device lost and recreated: {}", error.why()));
  visit.log.event(telemetry::EventType::error, "device_lost");
  collect_validation_messages();
  // Everything made from the old device goes first, newest first. What the exhibit players
  // showed opens again on the next frame; not the visitor's doing, so nothing is logged as cut short.
  release_players();
  // Frames in flight may still use the window's or the offscreen target's images, which go
  // before the renderer: let them finish (a device truly lost answers at once, with an error).
  if (display.renderer) static_cast<void>(display.renderer->wait_idle());
  display.ui.reset();
  display.window.reset();
  display.offscreen.reset();
  display.renderer.reset();
  display.context.reset();
  display.thumbnails.clear();  // they went with the old device
  PV_TRY(create_display().add_context("recovering from a lost GPU device"));
  PV_TRY(upload_thumbnails());
  ++report.device_recoveries;
  if (stage.shown_entry) {
    PV_TRY_ASSIGN(scene::Scene reloaded, content.load(*stage.shown_entry));
    PV_TRY(display.renderer->load_scene(reloaded.render));
    if (show_stage) {
      // Its clips, light and particle systems set again on the new renderer.
      show_stage->reset();
      if (auto particles = show_stage->load_particles(*display.renderer, show_particle_seed); !particles) {
        if (particles.error().code() == ErrorCode::device_lost) return std::move(particles).error();
        note_for_operator(fmt::format("the show plays without its bursts: {}", particles.error().why()));
      }
    }
  }
  return {};
}

void Kiosk::State::release_thumbnails() {
  for (const auto& entry : display.thumbnails) {
    for (const auto& texture : entry) {
      if (texture) static_cast<void>(display.renderer->remove_overlay_texture(*texture));
    }
  }
  display.thumbnails.clear();
}

Result<void> Kiosk::State::upload_thumbnails() {
  display.thumbnails.assign(content.entries().size(), {});
  for (size_t entry_index = 0; entry_index < content.entries().size(); ++entry_index) {
    const ContentEntry& entry = content.entries()[entry_index];
    auto& textures = display.thumbnails[entry_index];
    textures.assign(entry.exhibits.size(), std::nullopt);
    for (const scene::Thumbnail& thumbnail : entry.thumbnails) {
      const auto exhibit = std::find_if(entry.exhibits.begin(), entry.exhibits.end(),
                                        [&](const scene::Exhibit& candidate) { return candidate.id == thumbnail.exhibit_id; });
      if (exhibit == entry.exhibits.end()) continue;
      PV_TRY_ASSIGN(textures[static_cast<size_t>(exhibit - entry.exhibits.begin())],
                    display.renderer->add_overlay_texture(thumbnail.image));
    }
  }
  return {};
}

}  // namespace pavilion::kiosk
