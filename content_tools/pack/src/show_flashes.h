// A package's show drawn as a headset shows it and analysed for flashes (content_tools/flash): the
// flash-safety check pavilion-pack's lint and build run on every show.
//
// The show is played as the kiosk plays it, through exhibits::ShowStage, against a frame clock
// (no sound: the show's cues follow the clock alone) from its start to its end, without looping
// and not in calm mode (the full show, the one that flashes most). Each frame is one eye's
// square image through a headset's field of view, looking where the show's camera looks, so the
// analyser measures flash areas in degrees of the visitor's view.
//
// Each interactive moment's response is played too, on its own: a visitor may trigger it at any
// time, so it is checked from the scene at rest (the scene's own light, no track playing), the
// moment triggered one frame in, the eye looking at the moment's exhibit (the visitor touched or
// pointed at it) unless the response moves the camera, until its last cue and the particles its
// bursts release have ended. Moments whose responses are the same bursts (and sounds) placed the
// same from their exhibits are played once, on the exhibit nearest the eye, where the response
// looks largest: the others are recorded as covered by it.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"
#include "pavilion/flash/flash.h"
#include "pavilion/scene/show.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pavilion::pack {

// A headset's eye: 90 frames a second through 90° across and up and down (Quest 2 and Pico 4
// show about 90–100° an eye; the narrower field makes a flash the larger share of it).
inline constexpr double flash_check_frames_per_second = 90.0;
inline constexpr float flash_check_field_degrees = 90.0f;

// What one played stretch of frames (the timeline, or a moment's response) showed.
struct FlashPass {
  flash::FlashVerdict verdict;
  // For each of verdict.failures, its worst frame with its 10° window outlined (empty when safe).
  std::vector<ImageRgba8> worst_frames;
};

// A moment's response, played from the scene at rest: frame 0 is the scene before the trigger,
// so the times of its failures are seconds from one frame before the visitor's touch.
struct MomentFlashes {
  std::string exhibit;  // the exhibit's id
  scene::MomentTrigger trigger = scene::MomentTrigger::touch;
  std::string event;
  // The moment whose check stands for this one's: its response draws the same on its exhibit,
  // nearer the eye (analyse_show_flashes). Empty when this one was played; `played` is then its.
  std::optional<size_t> covered_by;
  FlashPass played;
};

struct ShowFlashes {
  FlashPass timeline;
  std::vector<MomentFlashes> moments;  // one per moment of the show, in its order
  double seconds_drawing = 0;          // wall-clock time the check took, all of it
  double seconds_drawing_moments = 0;  // of which the moments' responses

  bool safe() const;
};

// Plays the show of the unsigned package at `path` (which must have one) and each of its moments'
// responses at `size`×`size` pixels and analyses every frame. Fails when no Vulkan device can be
// had or the package cannot be read.
Result<ShowFlashes> analyse_show_flashes(const std::filesystem::path& path, uint32_t size);

}  // namespace pavilion::pack
