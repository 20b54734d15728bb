#include "pavilion/kiosk/kiosk.h"

#include "kiosk_state.h"
#include "pavilion/core/file.h"
#include "pavilion/core/log.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/strings.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/thumbnail.h"

#include <fmt/format.h>
#include <glm/gtc/constants.hpp>

#include <cctype>
#include <cmath>
#include <thread>

namespace pavilion::kiosk {
namespace {

using Clock = std::chrono::steady_clock;

constexpr float fade_seconds = 0.35f;
constexpr double operator_timeout_seconds = 120;
constexpr size_t operator_log_lines = 12;

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
                                                                                  .fullscreen = options.fullscreen}));
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
  visit_log.event(telemetry::EventType::error, "device_lost");
  collect_validation_messages();
  // Everything made from the old device goes first, newest first.
  // Its atlas was on the old device; it opens again on the next frame. Not the visitor's doing:
  // no poem_abort.
  poem_view.reset();
  release_hung_poems();
  display.ui.reset();
  display.window.reset();
  display.offscreen.reset();
  display.renderer.reset();
  display.context.reset();
  thumbnail_textures.clear();  // they went with the old device
  PV_TRY(create_display().add_context("recovering from a lost GPU device"));
  PV_TRY(upload_thumbnails());
  ++report.device_recoveries;
  if (shown_entry) {
    PV_TRY_ASSIGN(scene::Scene reloaded, content.load(*shown_entry));
    PV_TRY(display.renderer->load_scene(reloaded.render));
  }
  return {};
}

void Kiosk::State::release_thumbnails() {
  for (const auto& entry : thumbnail_textures) {
    for (const auto& texture : entry) {
      if (texture) static_cast<void>(display.renderer->remove_overlay_texture(*texture));
    }
  }
  thumbnail_textures.clear();
}

Result<void> Kiosk::State::upload_thumbnails() {
  thumbnail_textures.assign(content.entries().size(), {});
  for (size_t entry_index = 0; entry_index < content.entries().size(); ++entry_index) {
    const ContentEntry& entry = content.entries()[entry_index];
    auto& textures = thumbnail_textures[entry_index];
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

Result<void> Kiosk::State::open_content() {
  close_poem();
  release_hung_poems();
  poem_failed.reset();
  release_thumbnails();
  const scene::LoadOptions load_options{.bc_textures_supported = display.context->capabilities().bc_texture_compression};
  content = ContentLibrary::open(config, load_options);
  for (const ContentProblem& problem : content.problems()) {
    note_for_operator(problem.summary.en);
    visit_log.event(telemetry::EventType::error, "package_skipped");
  }
  glyph_text = interface_text();
  PV_TRY(upload_thumbnails());
  shown_entry.reset();
  active.clear();
  active_date = {};
  refresh_schedule();
  return {};
}

std::chrono::sys_seconds Kiosk::State::utc_now() const {
  return start_utc + std::chrono::seconds(static_cast<int64_t>(now));
}

LocalTime Kiosk::State::local_now() const { return to_local(utc_now(), config.utc_offset); }

void Kiosk::State::note_for_operator(std::string line) {
  const LocalTime time = local_now();
  operator_log.push_front(fmt::format("{:02}:{:02} {}", time.minute_of_day / 60, time.minute_of_day % 60, line));
  if (operator_log.size() > operator_log_lines) operator_log.pop_back();
}

// Applies the calendar: which packages are in season today, and whether the library is open.
void Kiosk::State::refresh_schedule() {
  const LocalTime time = local_now();
  if (time.date != active_date) {
    active_date = time.date;
    std::vector<size_t> today = content.active_on(time.date);
    if (today != active) {
      active = std::move(today);
      log::info("kiosk", "{} of {} packages are in season today", active.size(), content.entries().size());
      attract_position = 0;
      attract_time = 0;
      const bool shown_in_season =
          shown_entry && std::find(active.begin(), active.end(), *shown_entry) != active.end();
      if (!shown_in_season) {
        // A campaign ended (or began): whoever is here goes back to the start with the new programme.
        if (screen == Screen::home || screen == Screen::exhibit) reset_for_next_visitor("campaign");
        if (!active.empty()) request_scene(active.front(), std::nullopt, false);
      }
    }
  }
  const bool open = config.opening_hours.is_open(time);
  const bool operator_screen =
      screen == Screen::operator_pin || screen == Screen::operator_menu || screen == Screen::test_pattern;
  if (!open && screen != Screen::closed && !operator_screen) {
    reset_for_next_visitor("closed");
    screen = Screen::closed;
    notifier.status("closed (outside opening hours)");
  } else if (open && screen == Screen::closed) {
    screen = Screen::attract;
    notifier.status("attract loop");
  }
}

void Kiosk::State::request_scene(size_t entry, std::optional<uint32_t> exhibit_index, bool by_touch) {
  SceneRequest request{entry, exhibit_index, std::nullopt};
  if (by_touch) request.touched_at = Clock::now();
  if (shown_entry == entry && !loading.valid()) {
    // Already shown: no fade, just the camera move.
    if (exhibit_index) shown_exhibit = *exhibit_index;
    if (request.touched_at) first_frame_pending = request.touched_at;
    return;
  }
  requested = request;
  fade_goal = 1.0f;
  scene_sounds.fade_to(0.0f, fade_seconds);  // out with the picture
}

Result<void> Kiosk::State::show_loaded_scene(LoadedScene loaded) {
  PV_TRY(display.renderer->load_scene(loaded.scene.render));
  scene_sounds = std::move(loaded.sounds);
  if (audio_device) {
    if (auto started = scene_sounds.start(*audio_device, 0.0f, 0.0); !started) {
      note_for_operator(fmt::format("the scene's sounds cannot play: {}", started.error().why()));
      scene_sounds.stop();
    }
  }
  const ContentEntry& entry = content.entries()[loading_request->entry];
  visit_log.enter_scene({entry.id, entry.version}, now);
  shown_entry = loading_request->entry;
  shown_exhibit = loading_request->exhibit.value_or(0);
  orbit_yaw = 0;
  camera_placed = false;
  attract_time = 0;
  if (loading_request->touched_at) {
    first_frame_pending = loading_request->touched_at;
    load_frame_pending = loading_since;
  }
  fade_goal = 0.0f;
  return {};
}

Result<void> Kiosk::State::advance_scene_loading() {
  if (requested && !loading.valid() && (fade >= 1.0f || settings.calm)) {
    loading_request = requested;
    requested.reset();
    loading_since = Clock::now();
    loading = std::async(std::launch::async, [this, entry = loading_request->entry]() -> Result<LoadedScene> {
      PV_TRY_ASSIGN(scene::Scene scene, content.load(entry));
      PV_TRY_ASSIGN(SceneSounds sounds, SceneSounds::read(*content.entries()[entry].reader, scene));
      return LoadedScene{std::move(scene), std::move(sounds)};
    });
  }
  if (!loading.valid()) return {};
  // A scripted visitor runs on virtual time: waiting here keeps its runs identical.
  if (options.script) loading.wait();
  if (loading.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return {};
  Result<LoadedScene> loaded = loading.get();
  if (!loaded) {
    const ContentEntry& entry = content.entries()[loading_request->entry];
    log::error("kiosk", "cannot show {}: {}", entry.file.string(), loaded.error().describe());
    note_for_operator(fmt::format("{} could not be shown: {}", entry.file.filename().string(), loaded.error().why()));
    visit_log.event(telemetry::EventType::error, "scene_failed");
    fade_goal = 0.0f;  // the previous scene stays
    return {};
  }
  auto shown = show_loaded_scene(std::move(*loaded));
  if (!shown) {
    if (shown.error().code() == ErrorCode::device_lost) return shown;
    note_for_operator(fmt::format("a scene could not be uploaded: {}", shown.error().why()));
    fade_goal = 0.0f;
  }
  return {};
}

interaction::ExhibitRef Kiosk::State::exhibit_ref(size_t entry, uint32_t exhibit) const {
  const ContentEntry& owner = content.entries()[entry];
  return {{owner.id, owner.version}, owner.exhibits[exhibit].id};
}

void Kiosk::State::log_poem_event(telemetry::EventType type, int64_t value) {
  visit_log.exhibit_event(type, exhibit_ref(poem_view->entry(), poem_view->poem().exhibit), value);
}

void Kiosk::State::switch_language() {
  settings.language = settings.language == Language::zh_cn ? Language::en : Language::zh_cn;
  visit_log.event(telemetry::EventType::language_change, settings.language == Language::zh_cn ? "zh-CN" : "en");
}

void Kiosk::State::log_setting(std::string_view name, int64_t value) {
  visit_log.event(telemetry::EventType::accessibility_change, name, value);
}

void Kiosk::State::reset_for_next_visitor(std::string_view reason) {
  close_poem();
  visit_log.end_session(reason, now);
  session.end();
  settings = VisitorSettings{};
  accessibility_open = false;
  home_page = 0;
  screen = Screen::attract;
  orbit_yaw = 0;
  attract_time = 0;
  notifier.status("attract loop");
}

void Kiosk::State::go_home() {
  visit_log.close_exhibit(now);
  screen = Screen::home;
  accessibility_open = false;
}

void Kiosk::State::open_exhibit(size_t entry, uint32_t exhibit_index, bool by_touch) {
  visit_log.open_exhibit(exhibit_ref(entry, exhibit_index), now);
  screen = Screen::exhibit;
  orbit_yaw = 0;
  request_scene(entry, exhibit_index, by_touch);
  if (shown_entry == entry) shown_exhibit = exhibit_index;
}

void Kiosk::State::update_camera(double seconds) {
  glm::vec3 wanted_eye = eye;
  glm::vec3 wanted_target = look_at;
  if (!shown_entry) return;
  const ContentEntry& entry = content.entries()[*shown_entry];
  if (screen == Screen::exhibit && shown_exhibit < entry.exhibits.size()) {
    const float eye_height = settings.seated ? scene::seated_eye_height : scene::standing_eye_height;
    const scene::ExhibitFraming framing =
        scene::frame_exhibit(entry.exhibits[shown_exhibit], entry.viewpoints, orbit_yaw, eye_height);
    // Look a little to the right of the exhibit, so it stands clear of the info panel on the right.
    const glm::vec3 aside = framing.right * (framing.distance * 0.22f);
    wanted_target = framing.target + aside;
    wanted_eye = framing.eye + aside;
  } else if (entry.attract_path.keys.size() >= 2) {
    // Calm mode moves at half speed.
    attract_time += settings.calm ? seconds * 0.5 : seconds;
    const float duration = entry.attract_path.duration();
    const scene::CameraKey key = scene::sample(entry.attract_path, static_cast<float>(std::fmod(attract_time, duration)));
    wanted_eye = key.position;
    wanted_target = key.target;
    if (screen == Screen::attract && active.size() > 1 && attract_time >= duration && !requested && !loading.valid()) {
      attract_position = (attract_position + 1) % active.size();
      request_scene(active[attract_position], std::nullopt, false);
    }
  } else if (!entry.viewpoints.empty()) {
    wanted_eye = entry.viewpoints[0].position;
    wanted_target = entry.viewpoints[0].target;
  }
  if (!camera_placed) {
    eye = wanted_eye;
    look_at = wanted_target;
    camera_placed = true;
    return;
  }
  // Exponential smoothing: quick but never a jump; calm mode glides more slowly.
  const float rate = settings.calm ? 1.5f : 4.0f;
  const float blend = 1.0f - std::exp(-rate * static_cast<float>(seconds));
  eye += (wanted_eye - eye) * blend;
  look_at += (wanted_target - look_at) * blend;
}

const Control* Kiosk::State::find_control(std::string_view name) const {
  const auto end = controls.begin() + static_cast<ptrdiff_t>(control_count);
  const auto found = std::find_if(controls.begin(), end, [&](const Control& control) { return control.name == name; });
  return found == end ? nullptr : &*found;
}

bool Kiosk::State::on_control(std::string_view name, float x, float y) const {
  const Control* control = find_control(name);
  return control != nullptr && x >= control->min_x && x < control->max_x && y >= control->min_y && y < control->max_y;
}

// Plays the script up to the next thing that needs a frame. Returns false when it has ended.
bool Kiosk::State::advance_script() {
  if (tap_phase == TapPhase::pressed) {
    pointer.down = false;
    tap_phase = TapPhase::released;
    return true;
  }
  if (tap_phase == TapPhase::released) {
    // One frame with the finger lifted lets what the tap opened settle into place (ImGui sizes
    // a new window on its first frame) before the next step looks for its controls.
    pointer.present = false;
    tap_phase = TapPhase::none;
    return true;
  }
  if (now < script_wait_until) return true;
  while (!script_stack.empty()) {
    ScriptCursor& cursor = script_stack.back();
    if (cursor.next >= cursor.steps->size()) {
      if (--cursor.rounds_left > 0) {
        cursor.next = 0;
      } else {
        script_stack.pop_back();
      }
      continue;
    }
    const ScriptStep& step = (*cursor.steps)[cursor.next++];
    if (const auto* wait = std::get_if<WaitStep>(&step)) {
      script_wait_until = now + wait->seconds;
      return true;
    }
    if (const auto* tap = std::get_if<TapStep>(&step)) {
      float x = tap->x;
      float y = tap->y;
      if (!tap->control.empty()) {
        const Control* found = find_control(tap->control);
        if (found == nullptr) {
          report.script_failures.push_back(fmt::format("at {:.1f} s there is no control '{}' on the {} screen", now,
                                                       tap->control, to_string(screen)));
          continue;
        }
        x = (found->min_x + found->max_x) * 0.5f;
        y = (found->min_y + found->max_y) * 0.5f;
      }
      pointer = {x, y, true, true};
      tap_phase = TapPhase::pressed;
      return true;
    }
    if (const auto* shot = std::get_if<ScreenshotStep>(&step)) {
      screenshot_wanted = true;
      screenshot_name = shot->file.string();
      return true;
    }
    if (const auto* expect = std::get_if<ExpectStep>(&step)) {
      const std::string_view shown = session.phase() == VisitorSession::Phase::still_there ? "still-there" : to_string(screen);
      if (expect->screen != shown) {
        report.script_failures.push_back(
            fmt::format("at {:.1f} s the kiosk shows the {} screen, not {}", now, shown, expect->screen));
      }
      continue;
    }
    if (std::holds_alternative<LoseDeviceStep>(step)) {
      lose_device_next_frame = true;
      continue;
    }
    if (const auto* repeat = std::get_if<RepeatStep>(&step)) {
      if (!repeat->steps.empty()) script_stack.push_back({&repeat->steps, 0, repeat->times});
      continue;
    }
  }
  return false;
}

Result<void> Kiosk::State::take_screenshot() {
  PV_TRY(display.renderer->wait_idle());
  std::optional<ImageRgba8> image;
  if (display.window) {
    image = display.window->take_screenshot();
  } else {
    image = display.offscreen->read_pixels();
  }
  if (!image) return Error(ErrorCode::internal, "taking a screenshot", "the window had no frame to copy");
  const std::filesystem::path file = options.screenshot_folder / screenshot_name;
  PV_TRY(write_png(file, *image));
  report.screenshots.push_back(file.string());
  log::info("kiosk", "screenshot {}", file.string());
  return {};
}

void Kiosk::State::open_audio() {
  // A scripted visit mixes into memory on its own clock, so every run hears (and lights) the same.
  if (!options.script) {
    auto speakers = audio::AudioDevice::open({});
    if (speakers) {
      audio_device = std::move(*speakers);
      log::info("kiosk", "sound through {}{}", audio_device->name(), audio_device->hrtf() ? " (HRTF)" : "");
      return;
    }
    log::warn("kiosk", "no sound output: {}", speakers.error().describe());
    note_for_operator(fmt::format("no sound output ({}); poems light up in time but cannot be heard", speakers.error().why()));
  }
  auto loopback = audio::AudioDevice::open_loopback({});
  if (!loopback) {
    log::error("kiosk", "no sound device at all: {}", loopback.error().describe());
    note_for_operator(fmt::format("no sound device ({}); poems are timed by the clock alone", loopback.error().why()));
    return;
  }
  audio_device = std::move(*loopback);
  audio_loopback = true;
  audio_mix.resize(size_t{audio_device->sample_rate()} / 4 * 2);  // stereo; a quarter second, the longest frame
}

void Kiosk::State::update_scene_sounds(double seconds) {
  if (!audio_device) return;
  // Full in a visit, softer in the attract loop (it plays to an empty room), silent while closed,
  // loading or with a poem speaking.
  float level = screen == Screen::attract ? 0.5f : 1.0f;
  if (screen == Screen::closed || requested || loading.valid() || (poem_view && poem_view->playing())) level = 0.0f;
  if (screen == Screen::operator_pin || screen == Screen::operator_menu || screen == Screen::test_pattern) level = 0.0f;
  scene_sounds.fade_to(level, 1.0);
  if (auto updated = scene_sounds.update(seconds); !updated) {
    note_for_operator(fmt::format("the scene's sounds stopped: {}", updated.error().why()));
    scene_sounds.stop();
  }
  if (glm::distance(look_at, eye) < 1e-4f) return;
  const glm::vec3 forward = glm::normalize(look_at - eye);
  if (auto placed = audio_device->set_listener(eye, forward, glm::vec3(0, 1, 0)); !placed) {
    log::warn("kiosk", "{}", placed.error().describe());
  }
}

void Kiosk::State::mix_audio(double seconds) {
  if (!audio_loopback) return;
  audio_frames_owed += seconds * audio_device->sample_rate();
  double squares = 0;
  size_t samples = 0;
  while (audio_frames_owed >= 1.0) {
    const size_t frames = std::min(audio_mix.size() / 2, static_cast<size_t>(audio_frames_owed));
    const std::span<float> block(audio_mix.data(), frames * 2);
    audio_device->render(block);
    for (const float sample : block) squares += double{sample} * sample;
    samples += block.size();
    audio_frames_owed -= static_cast<double>(frames);
  }
  report.sound_level = samples == 0 ? 0.0 : std::sqrt(squares / static_cast<double>(samples));
}

std::optional<size_t> Kiosk::State::poem_of(size_t entry, uint32_t exhibit) const {
  const std::vector<scene::Poem>& poems = content.entries()[entry].poems;
  for (size_t index = 0; index < poems.size(); ++index) {
    if (poems[index].exhibit == exhibit) return index;
  }
  return std::nullopt;
}

Result<void> Kiosk::State::update_poem(double seconds) {
  std::optional<PoemKey> wanted;
  if (screen == Screen::exhibit && shown_entry && !loading.valid() && !requested) wanted = PoemKey{*shown_entry, shown_exhibit};
  const std::optional<size_t> poem = wanted ? poem_of(wanted->entry, wanted->exhibit) : std::nullopt;
  if (poem_view && (!poem || poem_view->entry() != wanted->entry || poem_view->poem_index() != *poem)) close_poem();
  if (poem && !poem_view && poem_failed != wanted) {
    const ContentEntry& entry = content.entries()[wanted->entry];
    auto opened = PoemView::open(entry, wanted->entry, *poem, *display.renderer, audio_device.get());
    if (!opened) {
      if (opened.error().code() == ErrorCode::device_lost) return std::move(opened).error();
      // The exhibit still shows, as an ordinary one; the operator learns why.
      log::error("kiosk", "{}", opened.error().describe());
      note_for_operator(fmt::format("a poem could not be shown: {}", opened.error().why()));
      visit_log.event(telemetry::EventType::error, "poem_failed");
      poem_failed = wanted;
      return {};
    }
    poem_view = std::move(*opened);
    show_pinyin = false;
    show_translation = false;
    poem_autoplayed = false;
  }
  if (!poem_view) return {};
  // Audio-only mode reads a poem as soon as it opens, or as soon as the mode is chosen.
  if (settings.audio_only && !poem_autoplayed) {
    poem_autoplayed = true;
    play_poem();
  }
  auto progress = poem_view->update(seconds);
  if (!progress) {
    note_for_operator(fmt::format("a poem's sound stopped: {}", progress.error().why()));
    close_poem();
  } else if (*progress == PoemView::Progress::completed) {
    log_poem_event(telemetry::EventType::poem_complete, static_cast<int64_t>(poem_view->listened_seconds() * 1000.0));
  }
  return {};
}

void Kiosk::State::release_hung_poems() {
  world_overlays = {};
  hung_poems.reset();
  hung_entry.reset();
}

Result<void> Kiosk::State::hang_poems() {
  world_overlays = {};
  if (!shown_entry) return {};
  if (hung_entry != shown_entry) {
    release_hung_poems();
    hung_entry = shown_entry;
    const ContentEntry& entry = content.entries()[*shown_entry];
    PV_TRY_ASSIGN(hung_poems, exhibits::HungPoems::open(*entry.reader, entry.file.filename().string(), entry.poems,
                                                         entry.exhibits, entry.viewpoints, *display.renderer));
    for (const Error& problem : hung_poems->problems()) {
      note_for_operator(fmt::format("a poem cannot hang in the scene: {}", problem.why()));
    }
  }
  if (!hung_poems) return {};  // opening them failed once for this package; not tried again
  std::optional<exhibits::LitPoem> lit;
  if (poem_view && poem_view->entry() == *shown_entry) lit = exhibits::LitPoem{poem_view->poem_index(), poem_view->lit()};
  world_overlays = hung_poems->overlays(settings.high_contrast ? exhibits::scroll_colors_high_contrast : exhibits::scroll_colors,
                                        settings.calm, lit);
  return {};
}

void Kiosk::State::play_poem() {
  if (poem_view->underway()) {
    log_poem_event(telemetry::EventType::poem_abort, static_cast<int64_t>(poem_view->listened_seconds() * 1000.0));
  }
  if (auto played = poem_view->play(settings.audio_only, settings.language); !played) {
    note_for_operator(fmt::format("a poem could not be played: {}", played.error().why()));
    poem_view->stop();
    return;
  }
  if (poem_view->underway()) log_poem_event(telemetry::EventType::poem_play);  // a poem without sounds plays nothing
}

void Kiosk::State::toggle_poem() {
  if (!poem_view->underway()) {
    play_poem();
    return;
  }
  if (auto toggled = poem_view->playing() ? poem_view->pause() : poem_view->resume(); !toggled) {
    note_for_operator(fmt::format("a poem could not be paused or resumed: {}", toggled.error().why()));
    poem_view->stop();
  }
}

void Kiosk::State::close_poem() {
  if (!poem_view) return;
  if (poem_view->underway()) {
    log_poem_event(telemetry::EventType::poem_abort, static_cast<int64_t>(poem_view->listened_seconds() * 1000.0));
  }
  poem_view.reset();
}

// One frame: input, calendar, session, scene loading, camera, interface, drawing.
// Returns false when the kiosk should stop.
Result<bool> Kiosk::State::frame(double seconds) {
  now += seconds;
  if (options.script) {
    if (!advance_script()) return false;
  } else if (display.window) {
    display.window->poll_events();
    if (display.window->close_requested()) return false;
    const render::WindowInput& input = display.window->input();
    pointer = {static_cast<float>(input.cursor_x), static_cast<float>(input.cursor_y), input.primary_button, true};
  }
  const bool touched = pointer.present && pointer.down && !pointer_was_down;
  pointer_was_down = pointer.present && pointer.down;

  refresh_schedule();
  const bool operator_screen =
      screen == Screen::operator_pin || screen == Screen::operator_menu || screen == Screen::test_pattern;
  if (operator_screen && touched) operator_last_touch = now;
  if (operator_screen && now - operator_last_touch > operator_timeout_seconds) {
    // An operator who walked away must not leave the menu open to the next visitor.
    note_for_operator("operator menu closed after two minutes without a touch");
    screen = Screen::attract;
  }
  if (touched) {
    if (screen == Screen::closed) {
      closed_notice_until = now + 15;
    } else if (!operator_screen && !on_control("operator-corner", pointer.x, pointer.y)) {
      if (session.touch(now) == VisitorSession::Change::started) {
        log::info("kiosk", "visitor session {} started", session.sessions_started());
        report.sessions = session.sessions_started();
        visit_log.start_session(interaction::InputMethod::touch, now);
      }
    }
  }
  // A visitor listening to a poem (perhaps one who cannot see the screen) is still there.
  if (poem_view && poem_view->playing() && session.active()) session.touch(now);
  switch (session.update(now)) {
    case VisitorSession::Change::ended_by_timeout:
      log::info("kiosk", "visitor session ended after {} s without a touch",
                config.idle_timeout_seconds + config.still_there_seconds);
      reset_for_next_visitor("timeout");
      break;
    case VisitorSession::Change::countdown_started: log::info("kiosk", "asking whether the visitor is still there"); break;
    default: break;
  }

  if (auto advanced = advance_scene_loading(); !advanced) {
    if (advanced.error().code() != ErrorCode::device_lost) return std::move(advanced).error();
    loading_request.reset();
    fade_goal = 0.0f;
    PV_TRY(recover_display(advanced.error()));
    return true;
  }
  const float fade_step = settings.calm ? 1.0f : static_cast<float>(seconds) / fade_seconds;
  fade = fade_goal > fade ? std::min(fade_goal, fade + fade_step) : std::max(fade_goal, fade - fade_step);
  update_camera(seconds);
  if (auto poem = update_poem(seconds); !poem) {
    PV_TRY(recover_display(poem.error()));
    return true;
  }
  update_scene_sounds(seconds);
  mix_audio(seconds);
  if (auto hung = hang_poems(); !hung) {
    if (hung.error().code() == ErrorCode::device_lost) {
      PV_TRY(recover_display(hung.error()));
      return true;
    }
    // The scene goes on without its scrolls (the attempt is not repeated for this package).
    note_for_operator(fmt::format("the poems cannot hang in the scene: {}", hung.error().why()));
  }

  // Outside opening hours the monitor itself sleeps (where the display server allows), waking
  // while a touch shows when the library opens.
  const bool want_asleep = screen == Screen::closed && now >= closed_notice_until;
  if (display.window && want_asleep != display_asleep) {
    display_asleep = want_asleep;
    if (auto powered = display.window->set_display_power(!want_asleep); !powered && !display_power_warned) {
      log::warn("kiosk", "{}", powered.error().describe());
      display_power_warned = true;
    }
  }

  const VkExtent2D extent = display.extent();
  PV_TRY(display.ui->set_fonts(glyph_text, {28.0f * ui_scale() * settings.text_scale,
                                                  44.0f * ui_scale() * settings.text_scale}));
  display.ui->begin_frame(static_cast<float>(extent.width), static_cast<float>(extent.height), static_cast<float>(seconds),
                          pointer);
  control_count = 0;
  draw_interface(seconds);
  const render::Overlay& overlay = display.ui->end_frame();

  const float aspect = static_cast<float>(extent.width) / static_cast<float>(std::max(1u, extent.height));
  const float fov = shown_entry && !content.entries()[*shown_entry].viewpoints.empty()
                        ? content.entries()[*shown_entry].viewpoints[0].vertical_fov_degrees
                        : 60.0f;
  const std::array<render::View, 1> views{
      render::look_at_view(eye, look_at, render::symmetric_field_of_view(glm::radians(fov), aspect))};
  if (screenshot_wanted && display.window) display.window->request_screenshot();
  Result<render::FrameOutcome> drawn = display.renderer->render(display.target(), views, &overlay, world_overlays);
  if (lose_device_next_frame) {
    lose_device_next_frame = false;
    drawn = Error(ErrorCode::device_lost, "vkQueueSubmit2", "VK_ERROR_DEVICE_LOST (simulated by the visit script)");
  }
  if (!drawn) {
    if (drawn.error().code() != ErrorCode::device_lost) return std::move(drawn).error().add_context("drawing a frame");
    PV_TRY(recover_display(drawn.error()));
    return true;
  }
  ++report.frames;
  if (*drawn == render::FrameOutcome::drawn && first_frame_pending) {
    const auto drawn_at = Clock::now();
    report.last_touch_to_frame_ms = seconds_between(*first_frame_pending, drawn_at) * 1000.0;
    report.last_load_to_frame_ms = load_frame_pending ? seconds_between(*load_frame_pending, drawn_at) * 1000.0 : 0.0;
    log::info("kiosk", "touch to first frame of the new scene: {:.0f} ms (loading {:.0f} ms)", report.last_touch_to_frame_ms,
              report.last_load_to_frame_ms);
    first_frame_pending.reset();
    load_frame_pending.reset();
  }
  if (screenshot_wanted) {
    screenshot_wanted = false;
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
  if (state_->loading.valid()) state_->loading.wait();
  // The visit and the scene on screen end with the kiosk; then, in this order: recorded events
  // into the queue, the queue to the hub, and the hub stops.
  state_->reset_for_next_visitor("shutdown");
  state_->visit_log.exit_scene(state_->now);
  state_->notifier.stopping();
  state_->events.reset();
}

Result<std::unique_ptr<Kiosk>> Kiosk::create(const KioskConfig& config, const KioskOptions& options) {
  auto state = std::make_unique<State>(config, options);
  state->session = VisitorSession(config.idle_timeout_seconds, config.still_there_seconds);
  state->start_utc = options.script ? options.script->start
                                    : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (options.script) state->script_stack.push_back({&state->options.script->steps, 0, 1});
  state->events = EventDelivery::start(config, [&state = *state](std::string line) { state.note_for_operator(std::move(line)); });
  state->visit_log = interaction::VisitLog(state->events->telemetry());
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
    if (state.restart_requested) return RunEnd::restart_requested;
  }
  PV_TRY(state.display.renderer->wait_idle());
  state.report.screen = state.screen;
  state.report.shown_package =
      state.shown_entry ? state.content.entries()[*state.shown_entry].file.filename().string() : std::string();
  state.report.skipped_packages.clear();
  for (const ContentProblem& problem : state.content.problems()) {
    state.report.skipped_packages.push_back(fmt::format("{}: {}", problem.package, problem.summary.en));
  }
  state.collect_validation_messages();
  if (!state.report.script_failures.empty()) return RunEnd::script_failed;
  return RunEnd::closed;
}

const KioskReport& Kiosk::report() const { return state_->report; }

}  // namespace pavilion::kiosk
