// The touch kiosk's state: the parts it is made of, each with its owner folder, and the frame's
// steps that make them work together. kiosk.cpp's frame() is the wiring: schedule, visit, scene
// loading, camera, exhibit players, sound, then the screens and the frame itself.
//
//   display/   the GPU side, made again when the device is lost
//   content/   the packages (ContentLibrary), the calendar, the scene shown and the fade
//   visit/     the visitor's session, settings, menu page and interaction log
//   touch/     the touch screens, their controls and the camera
//   exhibits/  one exhibit player a kind: model/ (the info panel), poem/
//   operator/  the corner gesture, the PIN and the operator's screens
//   script/    the scripted visitor
//   sound/     the sound device and the scene's sounds
//   show/      the shown scene's festival show: its sounds, captions, titles and moments
//   hub_link/  where the interaction events go
//   updates/   the packages the hub publishes: fetched, staged, switched to between visitors
//   headset/   the headset mode (run_on_headset), which shares content, exhibits and hub_link
#pragma once

#include "access/access.h"
#include "content/scene_stage.h"
#include "content/schedule.h"
#include "display/display.h"
#include "exhibits/exhibit_player.h"
#include "hub_link/event_delivery.h"
#include "captions/caption_feed.h"
#include "operator/operator_desk.h"
#include "pavilion/exhibits/show_stage.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/kiosk/content.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/kiosk/strings.h"
#include "pavilion/kiosk/systemd_notify.h"
#include "script/scripted_visitor.h"
#include "show/show_playback.h"
#include "sound/sound_mix.h"
#include "touch/camera.h"
#include "touch/controls.h"
#include "updates/updater.h"
#include "visit/visit.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace pavilion::kiosk {

struct Kiosk::State {
  KioskConfig config;
  KioskOptions options;
  KioskReport report;
  SystemdNotifier notifier;

  // --- clock: seconds since start, real or virtual ---
  std::chrono::sys_seconds start_utc{};
  double now = 0;
  std::chrono::steady_clock::time_point last_real_frame{};
  // utc_now() as of the last frame, for the updater's thread in a scripted visit (whose virtual
  // clock only the frame thread moves).
  std::atomic<int64_t> utc_seconds{0};

  // --- the parts ---
  Display display;
  ContentLibrary content;
  Schedule schedule;
  SceneStage stage;
  Screen screen = Screen::attract;
  Visit visit;
  Camera camera;
  TouchControls touch;
  std::vector<std::unique_ptr<ExhibitPlayer>> players;  // make_exhibit_players(): one a kind
  std::vector<render::WorldOverlay> world_overlays;    // what the players hang in the scene this frame
  SoundMix sound;
  // The shown scene's show (none: no show), declared after the sound device its voices play on.
  ShowPlayback show;
  const scene::ShowFrame* show_frame = nullptr;  // this frame's, null without a show playing
  // What of the shown scene the show acts on in the renderer (its exhibits, node tree, light and
  // show; none of its meshes or textures, which are on the GPU), and the stage that does it.
  std::unique_ptr<scene::Scene> show_scene;
  std::optional<exhibits::ShowStage> show_stage;
  // What is heard, shown (captions/): the narrator's lines, a recitation's line, the scene's
  // sounds named; on for every visitor, drawn unless the visitor turns them off.
  interaction::Captions captions;
  CaptionFeed caption_feed;
  Access access;
  OperatorDesk desk;
  ScriptedVisitor scripted;
  std::unique_ptr<EventDelivery> events;  // the interaction log's queue and its way to the hub
  std::unique_ptr<Updater> updater;       // with kiosk.json's "updates"; polls on its own thread
  std::string glyph_text;  // every string the interface may show, for the font atlas

  explicit State(const KioskConfig& kiosk_config, const KioskOptions& kiosk_options)
      : config(kiosk_config), options(kiosk_options) {}

  Result<bool> frame(double seconds);

  // display/display.cpp
  Result<void> create_display();
  Result<void> recover_display(const Error& error);
  void collect_validation_messages();
  Result<void> upload_thumbnails();
  void release_thumbnails();

  // content/schedule.cpp
  Result<void> open_content();
  std::chrono::sys_seconds utc_now() const;
  LocalTime local_now() const;
  void refresh_schedule();
  // updates/: the updater's notes for the operator, and its switch in the attract loop
  void start_updater();
  Result<void> apply_updates();

  // content/scene_stage.cpp
  void request_scene(size_t entry, std::optional<uint32_t> exhibit_index, bool by_touch);
  Result<void> advance_scene_loading();
  Result<void> show_loaded_scene(SceneStage::Loaded loaded);

  // visit/visit.cpp
  // Exhibit `exhibit` of content entry `entry`, as the interaction log names it.
  interaction::ExhibitRef exhibit_ref(size_t entry, uint32_t exhibit) const;
  // `reason` names why the session ended, for the interaction log (EVENTS.md).
  void reset_for_next_visitor(std::string_view reason);
  void switch_language();
  void log_setting(std::string_view name, int64_t value);
  // The visitor's time choice (the "more time" control), logged.
  void choose_time(TimeChoice time);
  // Audio-only mode or the keypad came into use: timeouts ten times as long at once, unless
  // the visitor already chose otherwise.
  void extend_time_for_access();
  void go_home();
  void open_exhibit(size_t entry, uint32_t exhibit_index, bool by_touch);

  // touch/camera.cpp
  void update_camera(double seconds);

  // touch/controls.cpp
  // A button that records itself as a touch target named `name`.
  // `spoken`: the words the spoken interface says for it, with its state ("High contrast, on");
  // empty: its label.
  bool button(const char* name, std::string_view label, float width, float height, bool accent = false,
              std::string_view spoken = {});
  // A touch target with nothing drawn: a whole screen to touch, or the operator's corner (which,
  // given no words, is left out of the keypad's focus order).
  bool invisible_button(const char* name, float width, float height, std::string_view spoken = {});

  // touch/interface.cpp, touch/*_screen.cpp, touch/accessibility_panel.cpp
  float ui_scale() const;
  std::string interface_text() const;
  void draw_interface(double seconds);
  void draw_attract();
  void draw_home();
  void draw_exhibit();
  void draw_accessibility();
  void draw_still_there();
  void draw_closed();
  void draw_fade_and_loading();

  // exhibits/: the player of an exhibit's kind; every player's update, world overlays, closing
  // and releasing, each frame or when the visitor, the device or the content goes
  ExhibitPlayer& player_for(const scene::Exhibit& exhibit) const;
  Result<void> update_players(double seconds);
  Result<void> hang_players_in_scene();
  bool players_speaking() const;
  CameraCloser players_camera_closer() const;
  void close_players();
  void release_players();
  // exhibits/model/info_panel.cpp: what every exhibit is, in Dublin Core's terms, with the rows
  // and last lines `player` (null: none) adds
  void draw_exhibit_info(const scene::Exhibit& shown, float panel_width, float bar_height, ExhibitPlayer* player);
  void draw_panel_row(Text name, const std::string& value);
  // The info panel's words, drawn (wrapped by our rules; a heading muted) and added to the
  // report's panel_text, so that what a visitor can read there is what a test reads.
  void draw_panel_text(std::string_view words);
  void draw_panel_heading(std::string_view words);
  // Inside the info panel's window: the panel scrolled by a finger dragging it (to its top for a
  // new exhibit), and the bar that shows how much more there is.
  void scroll_panel(const scene::Exhibit& shown);
  void draw_panel_scroll_bar();
  const scene::Exhibit* panel_scrolled_for = nullptr;

  // sound/sound_mix.cpp
  void open_audio();
  // How loud the room's sounds and the show's are now (0 silent, 1 the curator's volume): softer
  // in the attract loop, silent while closed, loading, at the operator's screens or under a poem.
  float room_level() const;
  // The scene's sounds: how loud for what is on screen, where the listener is.
  void update_scene_sounds(double seconds);
  void mix_audio(double seconds);

  // access/spoken_interface.cpp: the keypad, the focus, touch exploration and what is said
  // (kiosk/ACCESSIBILITY.md). Whether the interface speaks beyond the attract loop's invitation
  // and "still there?": once the keypad is used or audio-only mode is on.
  bool speech_on() const;
  // The exhibit the stage shows, checked against the content (null: none, or out of range).
  const scene::Exhibit* shown_exhibit() const;
  // Says `words` in `language` through the narrator (nothing without one); `interrupt` cuts off
  // what is being said and what waits.
  void speak(std::string_view words, Language language, bool interrupt);
  // The exhibit's audio description (its alt text) in the visitor's language, or that it has none.
  void speak_description(const scene::Exhibit& exhibit, bool interrupt);
  // A keypad key for the next frame, from the window or the scripted visitor.
  void press_key(KeypadKey key);
  // At the frame's start, on the last frame's controls: the keys pressed, and a select's tap.
  void answer_keys();
  // In audio-only mode, a touch on a control not focused speaks and focuses it instead of acting.
  void explore_by_touch(bool touched);
  // Once the screens are drawn: announcements, the focus kept and drawn.
  void update_spoken_interface();

  // show/kiosk_show.cpp: the shown scene's show moved on by its music's clock (before the camera,
  // which follows a show's camera move), loops in the attract loop and plays once in a visit,
  // calm with calm mode; its moments started by touch and logged; its titles drawn over the scene.
  void update_show(double seconds);
  void trigger_show(size_t entry, uint32_t exhibit);
  void draw_show_titles(const glm::mat4& view_projection);

  // captions/kiosk_captions.cpp: after the frame's sound is mixed, what was heard into the
  // captions; the band that shows them, drawn after the screen and under its panels.
  void update_captions();
  void draw_captions();
  // visit/easy_reading.cpp: simple mode's description (the easy one, else the description) drawn
  // in the info panel and reported, its larger touch targets (a factor on their height) and text.
  void draw_description(const scene::Exhibit& exhibit);
  float target_scale() const;
  float text_size() const;

  // operator/operator_screens.cpp
  void note_for_operator(std::string line);
  void draw_operator_pin();
  void draw_operator_menu();
  void draw_test_pattern();

  // script/scripted_visitor.cpp
  bool advance_script();
  Result<void> take_screenshot();
};

}  // namespace pavilion::kiosk
