// A package's show drawn as a headset shows it and analysed for flashes (content_tools/flash): the
// flash-safety check pavilion-pack's lint and build run on every show.
//
// The show is played as the kiosk plays it, through exhibits::ShowStage, against a frame clock
// (no sound: the show's cues follow the clock alone) from its start to its end, without looping
// and not in calm mode (the full show, the one that flashes most). Each frame is one eye's
// square image through a headset's field of view, looking where the show's camera looks, so the
// analyser measures flash areas in degrees of the visitor's view.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"
#include "pavilion/flash/flash.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace pavilion::pack {

// A headset's eye: 90 frames a second through 90° across and up and down (Quest 2 and Pico 4
// show about 90–100° an eye; the narrower field makes a flash the larger share of it).
inline constexpr double flash_check_frames_per_second = 90.0;
inline constexpr float flash_check_field_degrees = 90.0f;

struct ShowFlashes {
  flash::FlashVerdict verdict;
  // For each of verdict.failures, its worst frame with its 10° window outlined (empty when safe).
  std::vector<ImageRgba8> worst_frames;
  double seconds_drawing = 0;  // wall-clock time the check took
};

// Plays the show of the unsigned package at `path` (which must have one) at `size`×`size` pixels
// and analyses every frame. Fails when no Vulkan device can be had or the package cannot be read.
Result<ShowFlashes> analyse_show_flashes(const std::filesystem::path& path, uint32_t size);

}  // namespace pavilion::pack
