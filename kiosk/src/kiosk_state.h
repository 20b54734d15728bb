// The kiosk's private state, shared by its frame loop (kiosk.cpp) and its screens (screens.cpp).
#pragma once

#include "pavilion/audio/device.h"
#include "pavilion/exhibits/hung_poems.h"
#include "pavilion/interaction/visit_log.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/kiosk/systemd_notify.h"
#include "pavilion/render/context.h"
#include "pavilion/render/offscreen_target.h"
#include "pavilion/render/renderer.h"
#include "pavilion/render/window_target.h"
#include "pavilion/ui/ui_layer.h"
#include "hub_link/event_delivery.h"
#include "poem_view.h"
#include "scene_sounds.h"

#include <glm/glm.hpp>

#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

namespace pavilion::kiosk {

// Everything on the GPU side; made again from nothing when the device is lost.
struct Display {
  std::unique_ptr<render::GpuContext> context;
  std::unique_ptr<render::Renderer> renderer;
  std::unique_ptr<render::WindowTarget> window;
  std::unique_ptr<render::OffscreenTarget> offscreen;
  std::unique_ptr<ui::UiLayer> ui;

  render::RenderTarget& target();
  VkExtent2D extent() const;
};

// A named touch target drawn this frame, for the scripted visitor and the target-size check.
struct Control {
  std::string name;
  float min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

// Where the scripted visitor is in its (possibly repeated) steps.
struct ScriptCursor {
  const std::vector<ScriptStep>* steps = nullptr;
  size_t next = 0;
  uint32_t rounds_left = 1;
};

struct Kiosk::State {
  KioskConfig config;
  KioskOptions options;
  Display display;
  ContentLibrary content;
  SystemdNotifier notifier;
  std::unique_ptr<EventDelivery> events;  // the interaction log's queue and its way to the hub
  KioskReport report;

  // --- clock: seconds since start, real or virtual ---
  std::chrono::sys_seconds start_utc{};
  double now = 0;
  std::chrono::steady_clock::time_point last_real_frame{};

  // --- what the visitor sees ---
  Screen screen = Screen::attract;
  VisitorSession session{90, 20};
  VisitorSettings settings;
  bool accessibility_open = false;
  std::vector<size_t> active;  // entries of the playlist shown today
  std::chrono::year_month_day active_date{};
  double closed_notice_until = -1;  // a touch while closed shows when it opens
  bool display_asleep = false;
  bool display_power_warned = false;
  uint32_t home_page = 0;
  std::string glyph_text;  // every string the interface may show, for the font atlas

  // --- scenes: the shown one, the one asked for, and the fade between ---
  std::optional<size_t> shown_entry;
  struct SceneRequest {
    size_t entry = 0;
    std::optional<uint32_t> exhibit;
    std::optional<std::chrono::steady_clock::time_point> touched_at;  // for touch-to-first-frame
  };
  std::optional<SceneRequest> requested;
  std::optional<SceneRequest> loading_request;
  struct LoadedScene {
    scene::Scene scene;
    SceneSounds sounds;
  };
  std::future<Result<LoadedScene>> loading;
  std::chrono::steady_clock::time_point loading_since{};
  std::optional<std::chrono::steady_clock::time_point> first_frame_pending;
  std::optional<std::chrono::steady_clock::time_point> load_frame_pending;
  float fade = 1.0f;  // 0: the scene shows; 1: black
  float fade_goal = 0.0f;

  // --- sound: the speakers, or a loopback device mixed frame by frame (a scripted visit hears
  // exactly the same each run; a kiosk without a sound card still keeps the poems' time) ---
  std::unique_ptr<audio::AudioDevice> audio_device;  // null only when no device at all could open
  bool audio_loopback = false;
  std::vector<float> audio_mix;  // the loopback's frames, sized once
  double audio_frames_owed = 0;
  SceneSounds scene_sounds;  // the shown scene's

  // --- the poem on screen, when the shown exhibit is one ---
  std::unique_ptr<PoemView> poem_view;
  struct PoemKey {
    size_t entry = 0;
    uint32_t exhibit = 0;
    friend bool operator==(const PoemKey&, const PoemKey&) = default;
  };
  std::optional<PoemKey> poem_failed;  // could not be opened: shown as an ordinary exhibit
  bool show_pinyin = false;
  bool show_translation = false;
  bool poem_autoplayed = false;  // audio-only mode started it once; it does not start again by itself

  // --- every poem of the shown package, hung as a scroll in the scene ---
  std::unique_ptr<exhibits::HungPoems> hung_poems;
  std::optional<size_t> hung_entry;
  std::span<const render::WorldOverlay> world_overlays;  // what the frame hangs in the scene

  // Overlay textures of the exhibits' thumbnails: [entry][exhibit], when the package has one.
  std::vector<std::vector<std::optional<render::OverlayTextureId>>> thumbnail_textures;

  // --- the visit as the interaction log keeps it ---
  interaction::VisitLog visit_log{nullptr};

  // --- camera ---
  size_t attract_position = 0;  // index into `active`
  double attract_time = 0;
  uint32_t shown_exhibit = 0;       // index into the shown entry's exhibits
  float orbit_yaw = 0;         // radians, dragged by the visitor
  glm::vec3 eye{0.0f, 1.6f, 3.0f};
  glm::vec3 look_at{0.0f, 1.0f, 0.0f};
  bool camera_placed = false;

  // --- input ---
  ui::Pointer pointer;
  bool pointer_was_down = false;
  float drag_last_x = 0;
  bool dragging_scene = false;

  // --- scripted visitor ---
  std::vector<ScriptCursor> script_stack;
  double script_wait_until = 0;
  enum class TapPhase { none, pressed, released } tap_phase = TapPhase::none;
  bool screenshot_wanted = false;
  std::string screenshot_name;
  bool lose_device_next_frame = false;

  // --- operator ---
  uint32_t corner_taps = 0;
  double corner_first_tap = 0;
  std::string pin_entry;
  uint32_t wrong_pins = 0;
  double pin_locked_until = 0;
  bool pin_rejected = false;
  double operator_last_touch = 0;
  std::deque<std::string> operator_log;  // the latest warnings and errors, newest first
  bool restart_requested = false;

  // --- this frame's touch targets ---
  std::vector<Control> controls;
  size_t control_count = 0;

  explicit State(const KioskConfig& kiosk_config, const KioskOptions& kiosk_options)
      : config(kiosk_config), options(kiosk_options) {}

  // kiosk.cpp
  Result<void> create_display();
  Result<void> recover_display(const Error& error);
  void collect_validation_messages();
  Result<void> open_content();
  Result<void> upload_thumbnails();
  void release_thumbnails();
  std::chrono::sys_seconds utc_now() const;
  LocalTime local_now() const;
  void refresh_schedule();
  void request_scene(size_t entry, std::optional<uint32_t> exhibit_index, bool by_touch);
  Result<void> advance_scene_loading();
  Result<void> show_loaded_scene(LoadedScene loaded);
  // The scene's sounds: how loud for what is on screen, where the listener is.
  void update_scene_sounds(double seconds);
  // `reason` names why the session ended, for the interaction log (EVENTS.md).
  void reset_for_next_visitor(std::string_view reason);
  // Exhibit `exhibit` of content entry `entry`, as the interaction log names it.
  interaction::ExhibitRef exhibit_ref(size_t entry, uint32_t exhibit) const;
  // An event about the open poem's exhibit.
  void log_poem_event(telemetry::EventType type, int64_t value = 0);
  void switch_language();
  void log_setting(std::string_view name, int64_t value);
  void go_home();
  void open_exhibit(size_t entry, uint32_t exhibit_index, bool by_touch);
  void note_for_operator(std::string line);
  void update_camera(double seconds);
  bool advance_script();
  const Control* find_control(std::string_view name) const;  // among the last frame's
  bool on_control(std::string_view name, float x, float y) const;
  Result<void> take_screenshot();
  void open_audio();
  void mix_audio(double seconds);
  std::optional<size_t> poem_of(size_t entry, uint32_t exhibit) const;
  Result<void> update_poem(double seconds);
  void play_poem();
  // Pauses a playing poem, resumes a paused one, plays one that is not underway.
  void toggle_poem();
  // Stops the poem's sound; a recitation cut short is logged as abandoned.
  void close_poem();
  void release_hung_poems();
  // Sets the shown package's poems as scrolls (once per package) and fills this frame's
  // world overlays with them, the one being recited lit.
  Result<void> hang_poems();
  Result<bool> frame(double seconds);

  // screens.cpp
  std::string interface_text() const;
  void draw_interface(double seconds);
  // A button that records itself as a touch target named `name`.
  bool button(const char* name, std::string_view label, float width, float height, bool accent = false);
  // A touch target with nothing drawn: a whole screen to touch, or the operator's corner.
  bool invisible_button(const char* name, float width, float height);
  void draw_attract();
  void draw_home();
  void draw_exhibit();
  void draw_exhibit_info(const scene::Exhibit& shown, float panel_width, float bar_height, bool poem);
  void draw_poem_scroll(float panel_width, float bar_height);
  void draw_poem_controls();
  void draw_audio_only_zones(float bar_height);
  // The previous (-1) or next (+1) poem of the shown package.
  void open_poem_beside(int step);
  void draw_accessibility();
  void draw_still_there();
  void draw_closed();
  void draw_operator_pin();
  void draw_operator_menu();
  void draw_test_pattern();
  void draw_fade_and_loading();
  float ui_scale() const;
};

}  // namespace pavilion::kiosk
