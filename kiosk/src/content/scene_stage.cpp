// Scenes asked for, loaded on another thread behind a fade, and shown.
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
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

void Kiosk::State::request_scene(size_t entry, std::optional<uint32_t> exhibit_index, bool by_touch) {
  SceneStage::Request request{entry, exhibit_index, std::nullopt};
  if (by_touch) request.touched_at = Clock::now();
  if (stage.shown_entry == entry && !stage.loading.valid()) {
    // Already shown: no fade, just the camera move.
    if (exhibit_index) stage.shown_exhibit = *exhibit_index;
    if (request.touched_at) stage.first_frame_pending = request.touched_at;
    return;
  }
  stage.requested = request;
  stage.fade_goal = 1.0f;
  sound.scene_sounds.fade_to(0.0f, SceneStage::fade_seconds);  // out with the picture
  show.set_level(0.0f, SceneStage::fade_seconds);
}

Result<void> Kiosk::State::show_loaded_scene(SceneStage::Loaded loaded) {
  PV_TRY(display.renderer->load_scene(loaded.scene.render));
  stage.shown_books = std::move(loaded.books);
  sound.scene_sounds = std::move(loaded.sounds);
  if (sound.device) {
    if (auto started = sound.scene_sounds.start(*sound.device, 0.0f, 0.0); !started) {
      note_for_operator(fmt::format("the scene's sounds cannot play: {}", started.error().why()));
      sound.scene_sounds.stop();
    }
  }
  // A show plays from its start: over and over in the attract loop, once in a visit; its clips
  // and light through a ShowStage on what of the scene they need.
  show_stage.reset();
  show_scene.reset();
  if (loaded.scene.show) {
    show_scene = std::make_unique<scene::Scene>();
    show_scene->id = loaded.scene.id;
    show_scene->exhibits = loaded.scene.exhibits;
    show_scene->viewpoints = loaded.scene.viewpoints;
    show_scene->show = std::move(loaded.scene.show);
    show_scene->tree = std::move(loaded.scene.tree);
    show_scene->render.light = loaded.scene.render.light;
    show_scene->particles = std::move(loaded.scene.particles);
    if (auto created = exhibits::ShowStage::create(*show_scene)) {
      show_stage.emplace(std::move(*created));
      // The same seed each time: a show's bursts look the same at every showing.
      if (auto particles = show_stage->load_particles(*display.renderer, show_particle_seed); !particles) {
        if (particles.error().code() == ErrorCode::device_lost) return std::move(particles).error();
        note_for_operator(fmt::format("the show plays without its bursts: {}", particles.error().why()));
      }
    } else {
      note_for_operator(fmt::format("the show's clips and light cannot play: {}", created.error().why()));
    }
  }
  show = std::move(loaded.show);
  show_frame = nullptr;
  camera.show_move = nullptr;
  show.start(sound.device.get(), screen == Screen::attract && show.has_show() && show.show().loop_in_attract,
             visit.settings.calm);
  glyph_text = interface_text();  // its titles and captions
  const ContentEntry& entry = content.entries()[stage.loading_request->entry];
  visit.log.enter_scene({entry.id, entry.version}, now);
  stage.shown_entry = stage.loading_request->entry;
  report.shown_package = entry.file.filename().string();
  stage.shown_exhibit = stage.loading_request->exhibit.value_or(0);
  camera.orbit_yaw = 0;
  camera.placed = false;
  camera.attract_time = 0;
  if (stage.loading_request->touched_at) {
    stage.first_frame_pending = stage.loading_request->touched_at;
    stage.load_frame_pending = stage.loading_since;
  }
  stage.fade_goal = 0.0f;
  return {};
}

Result<void> Kiosk::State::advance_scene_loading() {
  if (stage.requested && !stage.loading.valid() && (stage.fade >= 1.0f || visit.settings.calm)) {
    stage.loading_request = stage.requested;
    stage.requested.reset();
    stage.loading_since = Clock::now();
    // A scene's books are made ready beside it, for what the renderer's page textures take.
    std::optional<render::PagePreparation> pages;
    if (!content.entries()[stage.loading_request->entry].books.empty()) {
      auto preparation = display.renderer->page_preparation();
      if (!preparation && preparation.error().code() == ErrorCode::device_lost) return std::move(preparation).error();
      if (preparation) pages = *preparation;  // else each book meets the error again as it opens
    }
    stage.loading = std::async(std::launch::async, [this, entry = stage.loading_request->entry, pages]() -> Result<SceneStage::Loaded> {
      PV_TRY_ASSIGN(scene::Scene scene, content.load(entry));
      PV_TRY_ASSIGN(SceneSounds sounds, SceneSounds::read(*content.entries()[entry].reader, scene));
      PV_TRY_ASSIGN(ShowPlayback playback, ShowPlayback::read(*content.entries()[entry].reader, scene));
      std::vector<PreparedBook> books;
      if (pages) books = prepare_books(content.entries()[entry], entry, *pages);
      return SceneStage::Loaded{std::move(scene), std::move(sounds), std::move(playback), std::move(books)};
    });
  }
  if (!stage.loading.valid()) return {};
  // A scripted visitor runs on virtual time: waiting here keeps its runs identical.
  if (options.script) stage.loading.wait();
  if (stage.loading.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return {};
  Result<SceneStage::Loaded> loaded = stage.loading.get();
  if (!loaded) {
    const ContentEntry& entry = content.entries()[stage.loading_request->entry];
    log::error("kiosk", "cannot show {}: {}", entry.file.string(), loaded.error().describe());
    note_for_operator(fmt::format("{} could not be shown: {}", entry.file.filename().string(), loaded.error().why()));
    visit.log.event(telemetry::EventType::error, "scene_failed");
    stage.fade_goal = 0.0f;  // the previous scene stays
    return {};
  }
  auto shown = show_loaded_scene(std::move(*loaded));
  if (!shown) {
    if (shown.error().code() == ErrorCode::device_lost) return shown;
    note_for_operator(fmt::format("a scene could not be uploaded: {}", shown.error().why()));
    stage.fade_goal = 0.0f;
  }
  return {};
}

}  // namespace pavilion::kiosk
