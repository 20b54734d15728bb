// `pavilion-kiosk --xr PACKAGE`: one package's scene on a headset, through whatever OpenXR
// runtime is active (a real headset's, or the simulated one for previews and tests). The visitor
// stands at the scene's first viewpoint and points at exhibits to select them (squeezing the grip
// picks one up to look at it closely; letting go puts it back), turns and teleports
// with the thumbstick, and goes back to the start with the menu button (B on the right hand of
// a Touch controller); every action is also on a ring of buttons below the line of sight that
// either hand's ray presses, and that the eyes press by resting on one
// (engine/interaction/headset.h); without controllers, looking at an exhibit for a moment selects
// it. The scene's sounds play around the visitor and each selected exhibit's title is said; both
// are captioned on a panel hung below their line of sight (kiosk/ACCESSIBILITY.md, "The headset"). The run ends when the runtime ends the session (the visitor quits from the headset's menu)
// or after `max_frames`.
//
// The scene's book lies open on its cradle: a hand takes a leaf by its corner (the grip, a
// trigger or a tracked hand's pinch near it, or a ray on it from afar) and turns it; carried
// closer, the book's pages show finer detail; a panel under its pages hands the visitor a
// magnifier and shows or hides the commentary and seals (kiosk/src/exhibits/book/book_hands.h).
//
// The package is read from the kiosk's content like a touch kiosk's, and each visitor's visit —
// from putting the headset on to taking it off — is kept in the interaction log and sent to the
// hub as kiosk.json says (engine/interaction/visit_log.h).
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/kiosk/config.h"
#include "pavilion/kiosk/visitor_session.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace pavilion::kiosk {

struct HeadsetRunOptions {
  // Its content folder, trusted keys, interaction log and hub; the playlist is not consulted.
  KioskConfig config;
  std::string package;          // a file name in config.content
  bool validation = false;      // the Khronos Vulkan validation layer
  uint64_t max_frames = 0;      // 0: until the session ends
  bool seated = false;          // the visitor sits: the scene is seen from standing height
  // The visitor's calm setting: teleports and snap turns only, each with a comfort vignette,
  // and nothing in view gliding.
  bool reduced_motion = false;
  float text_scale = 1.0f;      // 1–2: the label's and the captions' text, their panels growing with it
  float dwell_seconds = 1.5f;   // how long the eyes rest on an exhibit or a button to press it
  Language language = Language::zh_cn;  // the captions'
};

struct HeadsetRunReport {
  uint64_t frames_drawn = 0;
  uint32_t validation_messages = 0;
  std::string interaction_profile;             // the controllers the runtime bound, or empty
  std::vector<std::string> selected_exhibits;  // ids, in the order the visitor selected them
  uint32_t haptic_pulses = 0;
  uint32_t grabs = 0;  // exhibits picked up
  uint32_t turns = 0;
  uint32_t teleports = 0;
  uint32_t sessions_lost = 0;  // the headset dropped out and a new session took over
  uint32_t visits = 0;         // visitors' sessions in the interaction log
  uint32_t returns_to_start = 0;
  uint32_t ring_presses = 0;   // the ring's buttons pressed, by a hand or by the eyes
  // Frames on which the visitor's place in the scene changed: each a cut (a turn, a teleport, a
  // return), never a glide; and frames drawn with the comfort vignette.
  uint32_t place_changes = 0;
  uint32_t vignette_frames = 0;
  uint32_t label_frames = 0;    // frames that showed the selected exhibit's label
  uint32_t caption_frames = 0;  // frames that showed the captions panel
  uint32_t label_width_pixels = 0;  // the label panel's size
  uint32_t label_height_pixels = 0;
  float label_width_metres = 0;
  std::string label_text;  // the words of the last label shown, each row on a line of its own
  uint32_t caption_width_pixels = 0;  // the captions panel's size
  uint32_t caption_height_pixels = 0;
  float caption_width_metres = 0;
  std::vector<std::string> captions;  // every caption shown, in order
  std::vector<std::pair<std::string, std::string>> spoken;  // every line said: text and language tag
  // Every show moment a visitor started by pointing ("rooster_crowed@rooster"), as logged, and
  // the frames whose caption panel showed one of the show's titles.
  std::vector<std::string> show_moments;
  uint32_t show_title_frames = 0;
  // Leaves of the scene's book turned over by the visitor's hands, or jumped over from its contents
  // list (each changed the opening; a
  // hand scroll's: each canvas pulled to the section's middle), and
  // frames drawn with a leaf turning (held, or finishing or falling back).
  uint32_t page_turns = 0;
  uint32_t leaf_frames = 0;
  // Frames drawn with a hand holding a hand scroll's paper, and with a foldout out of its folds
  // (opening, open or folding).
  uint32_t scroll_held_frames = 0;
  uint32_t foldout_frames = 0;
  // Frames drawn with the magnifier's lens over a page, and on the last of them the finest tile
  // level (0: the scan's own pixels) the lens drew and the pages around it drew; frames drawn with
  // the book's commentary or seals shown.
  uint32_t magnifier_frames = 0;
  uint32_t magnified_level = 0;
  uint32_t page_level = 0;
  uint32_t layer_frames = 0;
};

// Fails with one sentence when there is no OpenXR runtime or no headset, when the package cannot
// be shown, or when a headset that dropped out has not come back within a minute.
Result<HeadsetRunReport> run_on_headset(const HeadsetRunOptions& options);

}  // namespace pavilion::kiosk
