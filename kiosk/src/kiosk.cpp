// The touch kiosk's frame loop: each frame asks the parts (kiosk_state.h) in turn, then draws.
#include "kiosk_state.h"
#include "access/keypad_keys.h"
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

constexpr double operator_timeout_seconds = 120;

double seconds_between(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double>(end - start).count();
}

}  // namespace

std::string_view to_string(Screen screen) {
  switch (screen) {
    case Screen::attract: return "attract";
    case Screen::home: return "home";
    case Screen::exhibit: return "exhibit";
    case Screen::closed: return "closed";
    case Screen::operator_pin: return "operator-pin";
    case Screen::operator_menu: return "operator";
    case Screen::test_pattern: return "test-pattern";
  }
  return "unknown";
}

// One frame: input, calendar, session, scene loading, camera, interface, drawing.
// Returns false when the kiosk should stop.
Result<bool> Kiosk::State::frame(double seconds) {
  const auto frame_start = Clock::now();
  now += seconds;
  utc_seconds = utc_now().time_since_epoch().count();
  if (options.script) {
    if (!advance_script()) return false;
  } else if (display.window) {
    display.window->poll_events();
    if (display.window->close_requested()) return false;
    const render::WindowInput& input = display.window->input();
    touch.read_window(input);
    for (uint32_t index = 0; index < input.key_count; ++index) {
      if (const std::optional<KeypadKey> key = keypad_key_for(input.keys[index])) press_key(*key);
    }
  }
  answer_keys();
  const bool touched = touch.pointer.present && touch.pointer.down && !touch.pointer_was_down;
  touch.pointer_was_down = touch.pointer.present && touch.pointer.down;

  refresh_schedule();
  PV_TRY(apply_updates());
  const bool operator_screen =
      screen == Screen::operator_pin || screen == Screen::operator_menu || screen == Screen::test_pattern;
  if (operator_screen && touched) desk.last_touch = now;
  if (operator_screen && now - desk.last_touch > operator_timeout_seconds) {
    // An operator who walked away must not leave the menu open to the next visitor.
    note_for_operator("operator menu closed after two minutes without a touch");
    screen = Screen::attract;
  }
  if (touched) {
    if (screen == Screen::closed) {
      schedule.closed_notice_until = now + 15;
    } else if (!operator_screen && !touch.hit("operator-corner", touch.pointer.x, touch.pointer.y)) {
      if (visit.session.touch(now) == VisitorSession::Change::started) {
        log::info("kiosk", "visitor session {} started", visit.session.sessions_started());
        report.sessions = visit.session.sessions_started();
        visit.log.start_session(interaction::InputMethod::touch, now, language_tag(visit.settings.language));
      }
    }
  }
  explore_by_touch(touched);
  // A visitor listening to a poem (perhaps one who cannot see the screen) is still there.
  if (players_speaking() && visit.session.active()) visit.session.touch(now);
  switch (visit.session.update(now, visit.settings.time)) {
    case VisitorSession::Change::ended_by_timeout:
      log::info("kiosk", "visitor session ended after {} s without a touch",
                visit.session.idle_timeout(visit.settings.time) + visit.session.still_there(visit.settings.time));
      reset_for_next_visitor("timeout");
      break;
    case VisitorSession::Change::countdown_started: log::info("kiosk", "asking whether the visitor is still there"); break;
    default: break;
  }

  if (auto advanced = advance_scene_loading(); !advanced) {
    if (advanced.error().code() != ErrorCode::device_lost) return std::move(advanced).error();
    stage.loading_request.reset();
    stage.fade_goal = 0.0f;
    PV_TRY(recover_display(advanced.error()));
    return true;
  }
  const float fade_step = visit.settings.calm ? 1.0f : static_cast<float>(seconds) / SceneStage::fade_seconds;
  stage.fade = stage.fade_goal > stage.fade ? std::min(stage.fade_goal, stage.fade + fade_step) : std::max(stage.fade_goal, stage.fade - fade_step);
  update_show(seconds);
  update_camera(seconds);
  if (auto played = update_players(seconds); !played) {
    PV_TRY(recover_display(played.error()));
    return true;
  }
  update_scene_sounds(seconds);
  mix_audio(seconds);
  update_captions();
  if (auto hung = hang_players_in_scene(); !hung) {
    PV_TRY(recover_display(hung.error()));
    return true;
  }

  // Outside opening hours the monitor itself sleeps (where the display server allows), waking
  // while a touch shows when the library opens.
  const bool want_asleep = screen == Screen::closed && now >= schedule.closed_notice_until;
  if (display.window && want_asleep != schedule.display_asleep) {
    schedule.display_asleep = want_asleep;
    if (auto powered = display.window->set_display_power(!want_asleep); !powered && !schedule.display_power_warned) {
      log::warn("kiosk", "{}", powered.error().describe());
      schedule.display_power_warned = true;
    }
  }

  const VkExtent2D extent = display.extent();
  const float aspect = static_cast<float>(extent.width) / static_cast<float>(std::max(1u, extent.height));
  const float fov = stage.shown_entry && !content.entries()[*stage.shown_entry].viewpoints.empty()
                        ? content.entries()[*stage.shown_entry].viewpoints[0].vertical_fov_degrees
                        : 60.0f;
  // While a show's camera move runs (outside the exhibit screen), its view, as previews draw it.
  report.show.camera_used = camera.show_pose && screen != Screen::exhibit;
  std::array<render::View, 1> views{
      report.show.camera_used
          ? exhibits::show_view(scene::CameraPose{camera.eye, camera.look_at, camera.show_pose->vertical_fov_degrees}, aspect)
          : render::look_at_view(camera.eye, camera.look_at, render::symmetric_field_of_view(glm::radians(fov), aspect))};
  PV_TRY(display.ui->set_fonts(glyph_text, {28.0f * ui_scale() * text_size(), 44.0f * ui_scale() * text_size()}));
  display.ui->begin_frame(static_cast<float>(extent.width), static_cast<float>(extent.height), static_cast<float>(seconds),
                          touch.pointer);
  touch.count = 0;
  touch.modal_first = 0;
  draw_show_titles(views[0].projection * views[0].view);
  draw_interface(seconds);
  update_spoken_interface();
  const render::Overlay& overlay = display.ui->end_frame();

  if (scripted.screenshot_wanted && display.window) display.window->request_screenshot();
  // kiosk.json's flash_limit, capped for this frame's length (a frame of 0 s is taken as 1/240 s).
  const ContentEntry* shown = stage.shown_entry ? &content.entries()[*stage.shown_entry] : nullptr;
  const bool limit_flashes = shown && limits_flashes(config.flash_limit, shown->has_show, shown->flash_checked);
  display.renderer->set_max_luminance_step(
      limit_flashes ? render::flash_safe_luminance_step(static_cast<float>(1.0 / std::max(seconds, 1.0 / 240))) : 0.0f);
  // A book zoomed on the exhibit screen is seen from a camera come nearer, as the fingers left the
  // zoom this frame.
  if (const CameraCloser closer = players_camera_closer(); screen == Screen::exhibit && closer.times != 1.0f) {
    views[0] = closer.view(camera.eye, camera.look_at, render::symmetric_field_of_view(glm::radians(fov), aspect));
  }
  const auto work_end = Clock::now();
  Result<render::FrameOutcome> drawn = display.renderer->render(display.target(), views, &overlay, world_overlays);
  if (scripted.lose_device_next_frame) {
    scripted.lose_device_next_frame = false;
    drawn = Error(ErrorCode::device_lost, "vkQueueSubmit2", "VK_ERROR_DEVICE_LOST (simulated by the visit script)");
  }
  if (!drawn) {
    if (drawn.error().code() != ErrorCode::device_lost) return std::move(drawn).error().add_context("drawing a frame");
    PV_TRY(recover_display(drawn.error()));
    return true;
  }
  ++report.frames;
  const render::FrameStats& frame_stats = display.renderer->last_frame_stats();
  report.frame_work_ms = seconds_between(frame_start, work_end) * 1000.0;
  report.render_cpu_ms = frame_stats.cpu_cull_ms + frame_stats.cpu_record_ms + frame_stats.cpu_submit_ms;
  report.gpu_ms = frame_stats.gpu_total_ms;
  // Copied over the last frame's (the same screen's names fit where they were: no allocation).
  report.controls.assign(touch.controls.begin(), touch.controls.begin() + static_cast<ptrdiff_t>(touch.count));
  report.camera_eye = {camera.eye.x, camera.eye.y, camera.eye.z};
  report.fade = stage.fade;
  if (*drawn == render::FrameOutcome::drawn && stage.first_frame_pending) {
    const auto drawn_at = Clock::now();
    report.last_touch_to_frame_ms = seconds_between(*stage.first_frame_pending, drawn_at) * 1000.0;
    report.last_load_to_frame_ms = stage.load_frame_pending ? seconds_between(*stage.load_frame_pending, drawn_at) * 1000.0 : 0.0;
    log::info("kiosk", "touch to first frame of the new scene: {:.0f} ms (loading {:.0f} ms)", report.last_touch_to_frame_ms,
              report.last_load_to_frame_ms);
    stage.first_frame_pending.reset();
    stage.load_frame_pending.reset();
  }
  if (scripted.screenshot_wanted) {
    scripted.screenshot_wanted = false;
    PV_TRY(take_screenshot());
  }
  if (options.after_frame) options.after_frame(report);
  if (report.frames == 1) {
    notifier.ready();
    notifier.status("attract loop");
  }
  notifier.frame_done();
  return true;
}

Kiosk::Kiosk(std::unique_ptr<State> state) : state_(std::move(state)) {}

Kiosk::~Kiosk() {
  if (state_->updater) state_->updater->stop();
  if (state_->stage.loading.valid()) state_->stage.loading.wait();
  // The visit and the scene on screen end with the kiosk; then, in this order: recorded events
  // into the queue, the queue to the hub, and the hub stops.
  state_->reset_for_next_visitor("shutdown");
  state_->visit.log.exit_scene(state_->now);
  state_->notifier.stopping();
  state_->events.reset();
}

Result<std::unique_ptr<Kiosk>> Kiosk::create(const KioskConfig& config, const KioskOptions& options) {
  auto state = std::make_unique<State>(config, options);
  state->visit.session = VisitorSession(config.idle_timeout_seconds, config.still_there_seconds);
  state->start_utc = options.script ? options.script->start
                                    : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (options.script) state->scripted.stack.push_back({&state->options.script->steps, 0, 1});
  state->events = EventDelivery::start(config, [&state = *state](std::string line) { state.note_for_operator(std::move(line)); });
  state->visit.log = interaction::VisitLog(state->events->telemetry());
  state->utc_seconds = state->start_utc.time_since_epoch().count();
  state->start_updater();
  state->players = make_exhibit_players(*state);
  // A frame's show events are copied into the report: room for a busy frame's, set aside once.
  state->report.show.events.reserve(64);
  state->open_audio();
  PV_TRY(state->create_display().add_context("starting the kiosk"));
  PV_TRY(state->open_content());
  return std::unique_ptr<Kiosk>(new Kiosk(std::move(state)));
}

Result<RunEnd> Kiosk::run() {
  State& state = *state_;
  state.last_real_frame = Clock::now();
  while (state.options.max_frames == 0 || state.report.frames < state.options.max_frames) {
    double seconds = 0;
    if (state.options.script) {
      seconds = state.options.script->frame_seconds;
    } else {
      const auto real_now = Clock::now();
      seconds = std::min(0.25, seconds_between(state.last_real_frame, real_now));
      state.last_real_frame = real_now;
      // Asleep outside opening hours: a frame or two a second keeps the watchdog fed.
      if (state.screen == Screen::closed) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    PV_TRY_ASSIGN(const bool go_on, state.frame(seconds));
    if (!go_on) break;
    if (state.desk.restart_requested) return RunEnd::restart_requested;
  }
  PV_TRY(state.display.renderer->wait_idle());
  state.report.screen = state.screen;
  state.report.shown_package =
      state.stage.shown_entry ? state.content.entries()[*state.stage.shown_entry].file.filename().string() : std::string();
  state.report.skipped_packages.clear();
  for (const ContentProblem& problem : state.content.problems()) {
    state.report.skipped_packages.push_back(fmt::format("{}: {}", problem.package, problem.summary.en));
  }
  state.collect_validation_messages();
  const std::span<const interaction::Caption> captions = state.captions.history();
  state.report.captions.assign(captions.begin(), captions.end());
  state.report.spoken.clear();
  if (state.sound.narrator) {
    for (const speech::SpokenLine& line : state.sound.narrator->history()) state.report.spoken.push_back(line);
  }
  if (!state.report.script_failures.empty()) return RunEnd::script_failed;
  return RunEnd::closed;
}

const KioskReport& Kiosk::report() const { return state_->report; }

}  // namespace pavilion::kiosk
