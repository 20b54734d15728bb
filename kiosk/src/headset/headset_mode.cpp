#include "pavilion/kiosk/headset_mode.h"

#include "exhibits/book/book_hands.h"
#include "headset/headset_captions.h"
#include "headset/headset_label.h"
#include "headset/headset_pointers.h"
#include "headset/headset_sound.h"
#include "headset/headset_visit.h"
#include "headset/surroundings.h"
#include "pavilion/core/log.h"
#include "pavilion/exhibits/hung_poems.h"
#include "pavilion/exhibits/show_stage.h"
#include "pavilion/interaction/headset.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/render/renderer.h"
#include "pavilion/scene/loader.h"
#include "pavilion/scene/thumbnail.h"
#include "pavilion/xr/headset.h"

#include <fmt/format.h>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <span>
#include <thread>
#include <vector>
#include <optional>

namespace pavilion::kiosk {
namespace {

// The stage (the visitor's floor) under the scene's first viewpoint, turned so that looking
// ahead in the headset looks where the viewpoint looks.
glm::mat4 stage_for(const scene::Scene& shown) {
  if (shown.viewpoints.empty()) return glm::mat4(1.0f);
  const scene::Viewpoint& viewpoint = shown.viewpoints.front();
  const glm::vec3 ahead = viewpoint.target - viewpoint.position;
  const float yaw = std::atan2(-ahead.x, -ahead.z);  // 0 looks down −Z, as a headset's stage does
  const glm::vec3 floor(viewpoint.position.x, viewpoint.position.y - scene::standing_eye_height, viewpoint.position.z);
  return glm::rotate(glm::translate(glm::mat4(1.0f), floor), yaw, glm::vec3(0, 1, 0));
}

// The exhibit a hand's ray ends on: the one whose reach (its radius) holds the ray's tip, the
// nearest of them.
std::optional<uint32_t> pointed_exhibit(const interaction::Pointer& pointer, std::span<const scene::Exhibit> exhibits) {
  if (!pointer.shown || !pointer.on_exhibit) return std::nullopt;
  std::optional<uint32_t> nearest;
  float nearest_distance = 0.0f;
  for (uint32_t index = 0; index < exhibits.size(); ++index) {
    const float distance = glm::distance(exhibits[index].position, pointer.to);
    if (distance > exhibits[index].radius * 1.05f || (nearest && distance >= nearest_distance)) continue;
    nearest = index;
    nearest_distance = distance;
  }
  return nearest;
}

// After the headset drops out, a new session is tried this often, this many times (a minute):
// a visitor reseating a cable or a headset waking from sleep comes back well within it.
constexpr auto session_retry_interval = std::chrono::seconds(1);
constexpr uint32_t session_attempts = 60;
constexpr auto idle_poll_interval = std::chrono::milliseconds(10);

}  // namespace

Result<HeadsetRunReport> run_on_headset(const HeadsetRunOptions& options) {
  PV_TRY_ASSIGN(auto headset, xr::Headset::open({.application_name = "pavilion-kiosk"}));
  render::ContextConfig config;
  config.application_name = "pavilion-kiosk";
  config.validation = options.validation;
  config.hooks = headset.get();
  PV_TRY_ASSIGN(auto context, render::GpuContext::create(config).add_context("starting the GPU for the headset"));
  const bool augmented = headset->blend_mode() != xr::BlendMode::opaque;
  PV_TRY_ASSIGN(auto renderer, render::Renderer::create(*context, {.transparent_background = augmented}));

  // The kiosk's content, as a touch kiosk reads it: only the package asked for.
  KioskConfig content_config = options.config;
  content_config.playlist = {{options.package, std::nullopt, std::nullopt}};
  const ContentLibrary content =
      ContentLibrary::open(content_config, {.bc_textures_supported = context->capabilities().bc_texture_compression});
  if (content.entries().empty()) {
    return Error(ErrorCode::not_found, "showing a package on the headset",
                 content.problems().empty() ? fmt::format("{} is not in {}", options.package, options.config.content.string())
                                            : content.problems().front().summary.en);
  }
  const ContentEntry& entry = content.entries().front();
  PV_TRY_ASSIGN(const scene::Scene shown, content.load(0));
  const glm::mat4 start = stage_for(shown);
  // An AR headset's renderer holds the scene without its surroundings, its instances numbered anew.
  std::optional<SceneWithoutSurroundings> kept;
  if (augmented) kept.emplace(without_surroundings(shown, start));
  PV_TRY(renderer->load_scene(kept ? kept->render : shown.render));
  const std::span<const scene::BookBody> book_bodies = kept ? kept->book_bodies : shown.book_bodies;
  // Where an exhibit's instances begin in the renderer; none for one dropped with the surroundings.
  const auto first_loaded = [&](const scene::Exhibit& exhibit) -> std::optional<uint32_t> {
    return kept ? kept->first_loaded(exhibit) : std::optional<uint32_t>(exhibit.first_instance);
  };
  const bool limit_flashes = limits_flashes(options.config.flash_limit, entry.has_show, entry.flash_checked);
  log::info("kiosk", "{} on {}: {}", shown.id, headset->system_name(), headset->runtime_name());
  ImageRgba8 white(1, 1);
  std::fill(white.pixels.begin(), white.pixels.end(), uint8_t{255});
  PV_TRY_ASSIGN(const render::OverlayTextureId white_texture, renderer->add_overlay_texture(white));
  interaction::HeadsetInteraction interaction(
      shown.exhibits, start, {.dwell_seconds = options.dwell_seconds, .reduced_motion = options.reduced_motion});
  // The scene's sounds, and their captions; without a sound device the headset runs silent.
  std::unique_ptr<HeadsetSound> sound;
  if (auto started = HeadsetSound::start(*entry.reader, shown, options.language, options.reduced_motion)) {
    sound = std::move(*started);
  } else {
    log::warn("kiosk", "the headset runs silent: {}", started.error().describe());
  }
  interaction::Captions captions;
  // The scene's show acts on the renderer through a stage (its clips and light); not in an AR
  // headset, whose renderer holds the scene without its surroundings (other instances).
  std::optional<exhibits::ShowStage> show_stage;
  if (shown.show && !augmented) {
    if (auto created = exhibits::ShowStage::create(shown)) {
      show_stage.emplace(std::move(*created));
      if (auto particles = show_stage->load_particles(*renderer, show_particle_seed); !particles) {
        log::warn("kiosk", "the show plays without its bursts: {}", particles.error().describe());
      }
    } else {
      log::warn("kiosk", "the show's clips and light cannot play: {}", created.error().describe());
    }
  }
  // What the caption panel shows: a show's title showing (in the visitor's language) above the
  // lines heard; its strings keep their room from frame to frame.
  std::vector<interaction::Caption> panel_lines;
  HeadsetPointers pointers(white_texture);
  PV_TRY_ASSIGN(const auto hung_poems, exhibits::HungPoems::open(*entry.reader, options.package, shown.poems,
                                                                 shown.exhibits, shown.viewpoints, *renderer));
  for (const Error& problem : hung_poems->problems()) log::warn("kiosk", "a poem cannot hang in the scene: {}", problem.why());
  std::vector<render::WorldOverlay> world;  // the scrolls and the pointers, refilled each frame
  size_t ring_pointed = interaction::ring_buttons;  // the ring's button pointed at last frame (none)
  std::array<std::optional<uint32_t>, 2> hand_on;   // the exhibit each hand's ray rested on last frame
  bool label_was_shown = true;

  std::unique_ptr<xr::HeadsetSession> session;
  std::unique_ptr<HeadsetLabel> label;
  std::unique_ptr<HeadsetCaptions> caption_panel;
  // A session and the label and caption panels that live in it. After the headset drops out,
  // again for as long as it takes it to come back within the patience below; at the start, once
  // (a runtime that cannot start one says why at once).
  const auto start_session = [&](uint32_t attempts) -> Result<void> {
    label.reset();  // the panels go before their session
    caption_panel.reset();
    session.reset();
    Result<std::unique_ptr<xr::HeadsetSession>> created = xr::HeadsetSession::create(*headset, *context, {.seated = options.seated});
    for (uint32_t attempt = 1; !created && attempt < attempts; ++attempt) {
      std::this_thread::sleep_for(session_retry_interval);
      created = xr::HeadsetSession::create(*headset, *context, {.seated = options.seated});
    }
    if (!created && attempts == 1) return created.error();
    if (!created) {
      log::error("kiosk", "{}", created.error().describe());
      return Error(ErrorCode::device_lost, "showing the scene on the headset",
                   "The headset was disconnected and has not come back; connect it again and restart.");
    }
    session = std::move(*created);
    PV_TRY_ASSIGN(label, HeadsetLabel::create(*renderer, *session, shown.exhibits, shown.books, options.text_scale));
    PV_TRY_ASSIGN(caption_panel, HeadsetCaptions::create(*renderer, *session, sound ? sound->caption_glyphs() : "",
                                                         options.text_scale));
    return {};
  };
  PV_TRY(start_session(1));

  // Each visitor's visit, from putting the headset on to taking it off, in the interaction log.
  std::optional<HeadsetVisits> visits(std::in_place, options.config, entry);
  // The scene's book, opened on its cradle, its leaves turned by the visitor's hands.
  // Its pages are laid out and their first tiles read before the first frame, as the touch kiosk
  // does on its loading thread: the frame that opens it only hands them to the renderer.
  std::unique_ptr<HeadsetBook> book;
  if (!shown.books.empty()) {
    PV_TRY_ASSIGN(const render::PagePreparation preparation, renderer->page_preparation());
    book = std::make_unique<HeadsetBook>(entry, shown, book_bodies, *renderer, visits->log(), white_texture,
                                         options.language, options.reduced_motion, prepare_books(entry, 0, preparation));
  }
  HeadsetRunReport report;
  bool exit_asked = false;
  double last_display_time = 0;
  for (;;) {
    PV_TRY_ASSIGN(const xr::SessionPhase phase, session->poll_events());
    visits->phase(phase);
    if (phase == xr::SessionPhase::exiting) break;
    if (phase == xr::SessionPhase::lost) {
      ++report.sessions_lost;
      log::warn("kiosk", "the headset dropped out; starting a new session");
      PV_TRY(start_session(session_attempts));
      continue;
    }
    if (phase != xr::SessionPhase::running) {
      // Not worn, or the runtime's menu is up: nothing to draw until it says so.
      std::this_thread::sleep_for(idle_poll_interval);
      continue;
    }
    if (options.max_frames > 0 && report.frames_drawn >= options.max_frames) {
      if (!exit_asked) PV_TRY(session->request_exit());
      exit_asked = true;
      continue;
    }
    PV_TRY_ASSIGN(const auto views, session->begin_frame(interaction.stage_to_world()));
    if (!views) {
      PV_TRY(session->skip_frame());
      continue;
    }
    PV_TRY_ASSIGN(const xr::HeadsetInput* input, session->read_input());
    const double now = session->display_time_seconds();
    const float elapsed = last_display_time > 0 ? static_cast<float>(now - last_display_time) : 0.0f;
    last_display_time = now;
    const std::optional<uint32_t> before = interaction.selected();
    const uint32_t returns_before = interaction.counters().returns_to_start;
    const glm::mat4 place_before = interaction.stage_to_world();
    // A hand holding a book's leaf is the book's: its grip and trigger pick up or select nothing.
    xr::HeadsetInput not_on_leaves = *input;
    if (book) {
      // A hand whose ray was on one of the ring's buttons (hanging before the book's panel when
      // the eyes look down) presses that button, not the book behind it.
      xr::HeadsetInput for_book = *input;
      for (size_t hand = 0; hand < for_book.hands.size(); ++hand) {
        if (interaction.hand_pointers()[hand].on_button) for_book.hands[hand].select_pressed = false;
      }
      PV_TRY_ASSIGN(const HandsTaken taken, book->take_hands(for_book, interaction.selected(), now));
      for (size_t hand = 0; hand < taken.size(); ++hand) {
        if (!taken[hand]) continue;
        xr::HandInput& on_leaf = not_on_leaves.hands[hand];
        on_leaf.grab = on_leaf.grab_pressed = on_leaf.select = on_leaf.select_pressed = false;
      }
    }
    interaction.update(not_on_leaves, elapsed);
    if (interaction.stage_to_world() != place_before) ++report.place_changes;
    // Back to the start: the scene's entrance comes to wherever the visitor stands, facing them.
    if (interaction.counters().returns_to_start != returns_before) PV_TRY(session->recenter());
    // The exhibit in the visitor's hand follows it; one let go returns to its place.
    if (const auto& held = interaction.held()) {
      const scene::Exhibit& exhibit = shown.exhibits[held->exhibit];
      if (const auto first = first_loaded(exhibit)) renderer->move_instances(*first, exhibit.instance_count, held->transform);
    }
    if (const auto put_back = interaction.put_back()) {
      const scene::Exhibit& exhibit = shown.exhibits[*put_back];
      if (const auto first = first_loaded(exhibit)) renderer->move_instances(*first, exhibit.instance_count, glm::mat4(1.0f));
    }
    if (book) {
      // An eye's pixels per radian near the middle of its view, from its projection's vertical scale.
      const float eye_pixels_per_radian = 0.5f * static_cast<float>(headset->eye_extent().height) * (*views)[0].projection[1][1];
      book->update(interaction.held(), input->head_position, std::abs(eye_pixels_per_radian), elapsed, now);
    }
    visits->frame(*input, session->interaction_profile(), interaction, before);
    if (interaction.selected() && interaction.selected() != before) {
      if (sound) sound->say_exhibit(shown.exhibits[*interaction.selected()], interaction.text_shown(), now);
      report.selected_exhibits.push_back(shown.exhibits[*interaction.selected()].id);
      log::info("kiosk", "selected {}", report.selected_exhibits.back());
    }
    // The ring's button a hand or the eyes came to is said, and so is the label's new state when
    // it is pressed (its words then change under the same pointer).
    const auto& ring = interaction.ring();
    const auto pointed_now = static_cast<size_t>(std::ranges::find_if(ring, [](const interaction::RingButton& button) {
                                                   return button.pointed_at;
                                                 }) - ring.begin());
    if (pointed_now < ring.size() && sound && (pointed_now != ring_pointed || interaction.text_shown() != label_was_shown)) {
      sound->say_ring_button(ring[pointed_now].action, interaction.text_shown(), now);
    }
    // The label shown again: its words are heard too.
    if (sound && interaction.text_shown() && !label_was_shown && interaction.selected()) {
      sound->say_description(shown.exhibits[*interaction.selected()], now);
    }
    ring_pointed = pointed_now;
    // A hand's ray coming to rest on an exhibit starts the show's moments for pointing at it.
    for (size_t hand = 0; hand < 2; ++hand) {
      const std::optional<uint32_t> on = pointed_exhibit(interaction.hand_pointers()[hand], shown.exhibits);
      if (on && on != hand_on[hand] && sound) sound->show().trigger(*on, scene::MomentTrigger::point);
      hand_on[hand] = on;
    }
    label_was_shown = interaction.text_shown();
    for (size_t hand = 0; hand < 2; ++hand) {
      if (!interaction.pulses()[hand]) continue;
      PV_TRY(session->pulse(static_cast<xr::Hand>(hand), interaction.settings().pulse_seconds,
                            interaction.settings().pulse_amplitude));
      ++report.haptic_pulses;
    }
    const std::optional<uint32_t> labelled = interaction.text_shown() ? interaction.selected() : std::nullopt;
    PV_TRY(label->show(labelled, input->head_position, elapsed));
    if (sound) {
      if (auto heard = sound->update(input->head_position, input->head_forward, now, elapsed, captions); !heard) {
        log::warn("kiosk", "the headset's sounds stopped: {}", heard.error().describe());
        sound.reset();
        captions.clear(now);
      }
    }
    if (const scene::ShowFrame* show_frame = sound ? sound->show_frame() : nullptr) {
      for (const scene::ShowEvent& event : show_frame->events) {
        if (event.kind != scene::ShowEventKind::moment) continue;
        const scene::InteractiveMoment& moment = sound->show().show().moments[event.moment];
        if (moment.exhibit >= shown.exhibits.size()) continue;
        report.show_moments.push_back(fmt::format("{}@{}", moment.event, shown.exhibits[moment.exhibit].id));
        visits->show_moment(report.show_moments.back(), static_cast<int64_t>(moment.trigger));
        log::info("kiosk", "show moment {}", report.show_moments.back());
      }
    }
    const std::span<const interaction::Caption> heard = captions.showing(now);
    size_t panel_count = 0;
    const auto add_line = [&](interaction::CaptionKind kind, std::string_view text) {
      if (panel_lines.size() <= panel_count) panel_lines.emplace_back();
      panel_lines[panel_count].kind = kind;
      panel_lines[panel_count++].text.assign(text);
    };
    bool titled = false;
    if (const scene::ShowFrame* show_frame = sound ? sound->show_frame() : nullptr) {
      if (show_stage) show_stage->apply(*show_frame, elapsed, *renderer);
      for (const scene::TitleState& title : show_frame->titles) {
        // A panel does not fade: the title shows while it is more than half faded in.
        if (title.alpha < 0.5f || titled) continue;
        const scene::ShowCue& cue = sound->show().cue(title.track, title.moment, title.cue);
        add_line(interaction::CaptionKind::effect, options.language == Language::zh_cn ? cue.text.zh_cn : cue.text.en);
        titled = true;
      }
    }
    for (const interaction::Caption& line : heard) add_line(line.kind, line.text);
    PV_TRY(caption_panel->show(std::span(panel_lines.data(), panel_count), interaction.follow_to_world(), elapsed));
    const auto scrolls = hung_poems->overlays(exhibits::scroll_colors, false);
    const auto pointing = pointers.build(interaction, shown.exhibits, input->head_position, input->head_forward);
    world.assign(scrolls.begin(), scrolls.end());
    world.insert(world.end(), pointing.begin(), pointing.end());
    if (book) {
      const auto on_book = book->overlays();  // the layers on its pages, its panel, the magnifier's rim
      world.insert(world.end(), on_book.begin(), on_book.end());
    }
    // kiosk.json's flash_limit, capped for this frame's length (the first, of 0 s, is taken as 1/240 s).
    if (limit_flashes) {
      renderer->set_max_luminance_step(render::flash_safe_luminance_step(1.0f / std::max(elapsed, 1.0f / 240)));
    }
    PV_TRY_ASSIGN(const render::FrameOutcome outcome, renderer->render(*session, *views, nullptr, world));
    if (outcome == render::FrameOutcome::drawn) {
      ++report.frames_drawn;
      report.vignette_frames += interaction.vignette() > 0.0f;
      report.label_frames += labelled.has_value();
      report.caption_frames += caption_panel->shown();
      report.show_title_frames += titled;
      report.leaf_frames += book && book->leaf_turning();
      report.scroll_held_frames += book && book->scroll_held();
      report.foldout_frames += book && book->foldout_unfolded();
      if (book && book->magnifying()) {
        ++report.magnifier_frames;
        const render::PageTileStats tiles = renderer->page_tile_stats();
        report.magnified_level = tiles.finest_magnified_level;
        report.page_level = tiles.finest_page_level;
      }
      report.layer_frames += book && (book->layers().commentary || book->layers().seals);
    }
  }
  if (book) {
    book->close(last_display_time);  // book_close, before the visit's log goes
    report.page_turns = book->turns();
  }
  report.visits = visits->visits();
  visits.reset();  // the last visit ends and the events are delivered before the run reports
  report.interaction_profile = session->interaction_profile();
  report.grabs = interaction.counters().grabs;
  report.turns = interaction.counters().turns;
  report.teleports = interaction.counters().teleports;
  report.returns_to_start = interaction.counters().returns_to_start;
  report.ring_presses = interaction.counters().ring_presses;
  report.label_width_pixels = label->pixels().width;
  report.label_height_pixels = label->pixels().height;
  report.label_width_metres = label->width_metres();
  report.label_text = label->shown_words();
  report.caption_width_pixels = caption_panel->pixels().width;
  report.caption_height_pixels = caption_panel->pixels().height;
  report.caption_width_metres = caption_panel->width_metres();
  for (const interaction::Caption& line : captions.history()) report.captions.push_back(line.text);
  if (sound && sound->narrator()) {
    for (const speech::SpokenLine& line : sound->narrator()->history()) report.spoken.push_back({line.text, line.language});
  }
  PV_TRY(renderer->wait_idle());
  if (context->validation_enabled()) {
    const render::ValidationReport validation = context->take_validation_report();
    report.validation_messages = validation.errors + validation.warnings;
    for (const std::string& message : validation.messages) log::error("kiosk", "validation: {}", message);
  }
  return report;
}

}  // namespace pavilion::kiosk
