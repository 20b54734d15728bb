// Flash safety: whether a sequence of frames could trigger a photosensitive seizure, after
// WCAG 2.2's success criterion 2.3.1 and its definitions of general and red flash thresholds,
// ITU-R BT.1702 and Ofcom's Guidance Note on flashing images and regular patterns (section 2).
// README.md beside this header names every threshold and where it comes from.
//
// A FlashAnalyser is fed a show's frames in order, one by one, and answers each with a row of
// figures (FrameReport); finish() closes the analysis and says what failed, when and where
// (FlashVerdict). It owns all of its memory: the first frame sizes every buffer, and later frames
// of that size allocate nothing (the verdict's failure list reserves room for 64 failures; a
// show with more grows it). One analyser is used from one thread at a time.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/image.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pavilion::flash {

// How the frames are seen: at what rate, and how many degrees of the visitor's sight they fill.
struct FlashViewing {
  double frames_per_second = 60;
  // A headset's horizontal field of view of one eye, in degrees, for frames that are one eye's
  // rectilinear (perspective) image. Empty: a screen seen as WCAG assumes, where a 341×256
  // window of a 1024×768 picture is a 10° field, scaled with the frame's width.
  std::optional<double> headset_horizontal_fov_degrees;

  static FlashViewing screen(double frames_per_second) { return {frames_per_second, std::nullopt}; }
  static FlashViewing headset(double frames_per_second, double horizontal_fov_degrees) {
    return {frames_per_second, horizontal_fov_degrees};
  }
};

// A rectangle of the frame, in pixels, top row first.
struct ViewRect {
  uint32_t x = 0;
  uint32_t y = 0;
  uint32_t width = 0;
  uint32_t height = 0;
};

enum class FailureKind {
  general_flash,          // more than three general flashes in one second (WCAG 2.3.1)
  red_flash,              // more than three red flashes in one second (WCAG 2.3.1)
  extended_flashing,      // two to three general flashes a second for more than five seconds (Ofcom)
  extended_red_flashing,  // the same, in saturated red
  harmful_pattern,        // regular stripes over more than a quarter of the view (Ofcom)
};

// One frame's figures. A transition is half a flash: a change from light to dark or back that is
// large enough to count; a frame counts one when its transitioning pixels cover more than a
// quarter of some 10° field.
struct FrameReport {
  size_t frame = 0;
  double time_s = 0;
  double mean_luminance = 0;           // relative luminance, 0 (black) to 1 (white)
  double red_saturation_share = 0;     // share of the frame's pixels in saturated red
  double general_flash_area = 0;       // largest share of a 10° field transitioning in luminance
  double red_flash_area = 0;           // largest share of a 10° field in a red transition
  uint32_t general_transitions = 0;    // frames of the last second counting a general transition
  uint32_t red_transitions = 0;        // frames of the last second counting a red transition
  uint32_t pattern_pairs = 0;          // light-dark stripe pairs of the largest regular pattern
  double pattern_area = 0;             // share of the view that pattern covers
  std::optional<FailureKind> verdict;  // the first rule this frame breaks; empty when it breaks none
};

// A stretch of frames breaking one rule.
struct Failure {
  FailureKind kind = FailureKind::general_flash;
  // Flashes: the first transition of the first second holding too many; extended flashing: the
  // first transition of the sustained run; patterns: the first frame showing one.
  size_t first_frame = 0;
  size_t last_frame = 0;
  double start_s = 0;
  double end_s = 0;        // the end of last_frame
  size_t worst_frame = 0;  // the frame with the largest flashing (or striped) area in the stretch
  double worst_area = 0;   // that area: a share of a 10° field, or of the view for patterns
  ViewRect where;          // the 10° window (or the pattern's bounds) in the worst frame
  // The centre of `where` as shares of the frame's width and height (0: left or top edge).
  double centre_x = 0.5;
  double centre_y = 0.5;
  // Where the window's centre is, in degrees right of and above the view's centre (headsets only;
  // along the rectilinear projection, so these are true angles).
  std::optional<double> right_degrees;
  std::optional<double> up_degrees;
  uint32_t most_transitions_in_a_second = 0;  // flash kinds: twice the flashes of the worst second
  uint32_t pattern_pairs = 0;                 // harmful_pattern: stripe pairs in the worst frame
};

struct FlashVerdict {
  bool safe = true;
  size_t frames = 0;
  std::vector<Failure> failures;  // in order of first_frame
  // The frame whose 10° window flashed most (general or red), whether or not it failed.
  size_t most_flashing_frame = 0;
  double most_flashing_area = 0;
  ViewRect most_flashing_window;
};

class FlashAnalyser {
 public:
  // frames_per_second must be positive, the field of view (when given) within (0°, 180°).
  explicit FlashAnalyser(const FlashViewing& viewing);
  ~FlashAnalyser();
  FlashAnalyser(FlashAnalyser&&) noexcept;
  FlashAnalyser& operator=(FlashAnalyser&&) noexcept;

  // `rgba8_srgb`: width×height pixels, row-major, top row first, R G B A bytes in sRGB (alpha is
  // ignored: frames are what the visitor sees). A frame whose size differs from the first one's
  // is an invalid_input error and changes nothing. Precondition: the span holds exactly
  // width×height×4 bytes and neither size is 0.
  Result<FrameReport> add_frame(uint32_t width, uint32_t height, std::span<const uint8_t> rgba8_srgb);

  // The failures of all frames so far. The analyser may be fed on afterwards, and finished again.
  FlashVerdict finish() const;

  // The 10° field in pixels for frames `width` wide: WCAG's 341×256 of 1024 scaled for screens,
  // a square for headsets (README.md says how its side is measured). The analyser's window is
  // this, rounded and clipped to the frame; flash areas are shares of the unclipped field.
  static std::pair<double, double> field_pixels(const FlashViewing& viewing, uint32_t width);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

enum class Language { zh_cn, en };

// One sentence a curator can act on: when, where in the view, what flashed, how often or how
// much, the limit and its source, and the worst frame's index.
std::string describe(const Failure& failure, Language language);

// "general", "red", "extended", "extended-red", "pattern": the CSV's verdict column.
std::string_view verdict_name(FailureKind kind);

// Outlines `window` (a failure's `where`, or a verdict's most flashing window) on `image`, the
// frame it was found in, so it shows on light and dark frames alike: magenta outside, black inside.
void outline_window(ImageRgba8& image, const ViewRect& window);

}  // namespace pavilion::flash
