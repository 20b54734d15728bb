#include "pavilion/flash/flash.h"

#include "pavilion/core/image.h"
#include "transitions.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace pavilion::flash {
namespace {

// WCAG 2.2, "general flash and red flash thresholds": a flash counts when the flashing covers
// more than 25 % of any 10° visual field; more than three flashes in any one second fail.
constexpr double area_threshold = 0.25;
constexpr uint32_t max_transitions_per_second = 6;  // three flashes, each two opposing changes
// Ofcom, Guidance Note section 2.1: two to three flashes a second (four to six transitions) are
// allowed only briefly; flashing at that rate for more than five seconds fails.
constexpr uint32_t extended_transitions_per_second = 4;
constexpr double extended_seconds = 5;
// Ofcom, section 2.4 (regular patterns): potentially harmful over more than a quarter of the
// screen with more than five light-dark pairs of stripes if the pattern moves, flashes or
// reverses, more than eight if it is still.
constexpr uint32_t moving_pattern_pairs = 5;
constexpr uint32_t still_pattern_pairs = 8;
constexpr double pattern_area_threshold = 0.25;
// A pattern is taken to move while more than this share of its lines' pixels changed by a flash
// threshold between two frames within the last second.
constexpr double pattern_motion_share = 0.01;

constexpr size_t failure_kinds = 5;
constexpr size_t reserved_failures = 64;

// The luminance of each 8-bit sRGB level, linearised (IEC 61966-2-1, as WCAG's relative
// luminance prescribes) and weighted by each primary's share of luminance (BT.709 / sRGB).
struct LuminanceTable {
  std::array<float, 256> red{}, green{}, blue{};
  LuminanceTable() {
    for (int level = 0; level < 256; ++level) {
      const float linear = srgb_to_linear(static_cast<uint8_t>(level));
      red[level] = 0.2126f * linear;
      green[level] = 0.7152f * linear;
      blue[level] = 0.0722f * linear;
    }
  }
};
const LuminanceTable& luminance_table() {
  static const LuminanceTable table;
  return table;
}

struct PixelState {
  Extremes general;
  Extremes red;
  bool red_high_saturated = false;
};

// One frame of the last second, as the one-second window counts it.
struct RecentFrame {
  size_t frame = 0;
  bool general = false;
  bool red = false;
  double general_area = 0;
  double red_area = 0;
  ViewRect general_window;
  ViewRect red_window;
};

// Two to three flashes a second, since `start` (the first transition of the run).
struct ExtendedRun {
  bool active = false;
  size_t start = 0;
};

struct WindowMaximum {
  uint32_t count = 0;
  ViewRect window;
};

}  // namespace

struct FlashAnalyser::State {
  FlashViewing viewing;
  uint32_t frames_in_a_second = 1;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t window_width = 0;
  uint32_t window_height = 0;
  double field_area = 1;
  size_t frames = 0;

  std::vector<PixelState> pixels;
  std::vector<float> previous_luminance;
  std::vector<uint8_t> general_mask;
  std::vector<uint8_t> red_mask;
  std::vector<uint32_t> summed_area;
  std::vector<StripeScan> column_scans;
  std::vector<StripeScan> row_scans;
  std::vector<uint32_t> changed_in_row;
  std::vector<uint32_t> changed_in_column;

  std::vector<RecentFrame> recent;  // a ring of frames_in_a_second entries
  uint32_t general_count = 0;
  uint32_t red_count = 0;
  // The way the last counted transition went (+1 lighter or redder, −1 darker or less red, 0
  // none yet or both ways at once): a flash is a pair of opposing changes, so the next one counted must go the other way.
  int8_t general_direction = 0;
  int8_t red_direction = 0;
  ExtendedRun general_run;
  ExtendedRun red_run;
  uint32_t frames_since_pattern_motion = UINT32_MAX;

  std::array<std::optional<Failure>, failure_kinds> open;
  std::vector<Failure> closed;

  size_t most_flashing_frame = 0;
  double most_flashing_area = 0;
  ViewRect most_flashing_window;

  void start(uint32_t frame_width, uint32_t frame_height);
  WindowMaximum largest_window_count(const std::vector<uint8_t>& mask);
  int8_t direction_in(const std::vector<uint8_t>& mask, const ViewRect& window, bool red) const;
  void find_pattern(FrameReport& report, ViewRect& bounds);
  void record(FailureKind kind, size_t first_frame, size_t frame, size_t worst_frame, double area,
              const ViewRect& where, uint32_t transitions, uint32_t pairs);
  const RecentFrame& worst_recent(bool red) const;
  size_t oldest_recent_transition(bool red) const;
};

std::pair<double, double> FlashAnalyser::field_pixels(const FlashViewing& viewing, uint32_t width) {
  if (!viewing.headset_horizontal_fov_degrees) {
    // WCAG 2.2's note to the flash thresholds: a 341×256 rectangle of a 1024×768 picture
    // approximates a 10° field at usual screen sizes and distances. Scaling by width assumes the
    // screen's width subtends the same angle whatever its pixel count.
    const double scale = width / 1024.0;
    return {341.0 * scale, 256.0 * scale};
  }
  // A headset's eye image is a rectilinear projection: x = f·tan(θ), f = (width/2) / tan(fov/2).
  // 10° straddling the view's centre spans 2·f·tan(5°) pixels. Off centre, the same 10° spans more
  // pixels (the tangent steepens), so the centre's window is the smallest a 10° field ever is:
  // using it everywhere can only make a flash's share larger, never hide one.
  const double half_fov = *viewing.headset_horizontal_fov_degrees / 2 * std::numbers::pi / 180;
  const double side = width * std::tan(5 * std::numbers::pi / 180) / std::tan(half_fov);
  return {side, side};
}

FlashAnalyser::FlashAnalyser(const FlashViewing& viewing) : state_(std::make_unique<State>()) {
  expects(viewing.frames_per_second > 0, "FlashViewing::frames_per_second must be positive");
  expects(!viewing.headset_horizontal_fov_degrees ||
              (*viewing.headset_horizontal_fov_degrees > 0 && *viewing.headset_horizontal_fov_degrees < 180),
          "FlashViewing::headset_horizontal_fov_degrees must be within (0, 180)");
  state_->viewing = viewing;
  state_->frames_in_a_second = std::max(1u, static_cast<uint32_t>(std::lround(viewing.frames_per_second)));
}
FlashAnalyser::~FlashAnalyser() = default;
FlashAnalyser::FlashAnalyser(FlashAnalyser&&) noexcept = default;
FlashAnalyser& FlashAnalyser::operator=(FlashAnalyser&&) noexcept = default;

void FlashAnalyser::State::start(uint32_t frame_width, uint32_t frame_height) {
  width = frame_width;
  height = frame_height;
  const auto [field_width, field_height] = field_pixels(viewing, width);
  const double rounded_width = std::max(1.0, std::round(field_width));
  const double rounded_height = std::max(1.0, std::round(field_height));
  field_area = rounded_width * rounded_height;
  window_width = std::min(width, static_cast<uint32_t>(rounded_width));
  window_height = std::min(height, static_cast<uint32_t>(rounded_height));
  const size_t count = size_t{width} * height;
  pixels.resize(count);
  previous_luminance.resize(count);
  general_mask.resize(count);
  red_mask.resize(count);
  summed_area.assign(size_t{width + 1} * (height + 1), 0);
  column_scans.resize(width);
  row_scans.resize(height);
  changed_in_row.resize(height);
  changed_in_column.resize(width);
  recent.resize(frames_in_a_second);
  closed.reserve(reserved_failures);
}

// The largest number of marked pixels in any window_width×window_height window, from a
// summed-area table: every window's sum is four look-ups.
WindowMaximum FlashAnalyser::State::largest_window_count(const std::vector<uint8_t>& mask) {
  const size_t stride = size_t{width} + 1;
  uint64_t all_x = 0, all_y = 0;
  for (uint32_t y = 0; y < height; ++y) {
    uint32_t row_sum = 0;
    const uint8_t* marks = &mask[size_t{y} * width];
    uint32_t* above = &summed_area[size_t{y} * stride];
    uint32_t* here = &summed_area[size_t{y + 1} * stride];
    for (uint32_t x = 0; x < width; ++x) {
      row_sum += marks[x];
      here[x + 1] = above[x + 1] + row_sum;
      all_x += marks[x] * uint64_t{x};
    }
    all_y += row_sum * uint64_t{y};
  }
  auto window_sum = [&](uint32_t x, uint32_t y) {
    const uint32_t* top = &summed_area[size_t{y} * stride];
    const uint32_t* bottom = &summed_area[size_t{y + window_height} * stride];
    return bottom[x + window_width] - bottom[x] - top[x + window_width] + top[x];
  };
  auto centred = [](uint64_t sum, uint64_t count, uint32_t side, uint32_t limit) {
    const int64_t start = std::llround(static_cast<double>(sum) / static_cast<double>(count) - side / 2.0);
    return static_cast<uint32_t>(std::clamp<int64_t>(start, 0, limit - side));
  };
  WindowMaximum best;
  for (uint32_t y = 0; y + window_height <= height; ++y) {
    for (uint32_t x = 0; x + window_width <= width; ++x) {
      const uint32_t sum = window_sum(x, y);
      if (sum > best.count) best = {sum, {x, y, window_width, window_height}};
    }
  }
  if (best.count == 0) return best;
  // Many windows tie when the flashing is smaller or larger than the window, and the first one
  // found sits at a corner of it. The window centred on all the flashing pixels names their
  // place when it holds as many; otherwise the best window moves onto its own flashing pixels.
  const uint64_t all = summed_area[size_t{height} * stride + width];
  const uint32_t centre_x = centred(all_x, all, window_width, width);
  const uint32_t centre_y = centred(all_y, all, window_height, height);
  if (window_sum(centre_x, centre_y) == best.count) {
    best.window.x = centre_x;
    best.window.y = centre_y;
  } else {
    uint64_t sum_x = 0, sum_y = 0;
    for (uint32_t y = best.window.y; y < best.window.y + window_height; ++y) {
      for (uint32_t x = best.window.x; x < best.window.x + window_width; ++x) {
        const uint8_t mark = mask[size_t{y} * width + x];
        sum_x += mark * uint64_t{x};
        sum_y += mark * uint64_t{y};
      }
    }
    best.window.x = centred(sum_x, best.count, window_width, width);
    best.window.y = centred(sum_y, best.count, window_height, height);
  }
  return best;
}

// Which way the changes marked in `mask` inside `window` went: +1 lighter (or redder), −1 darker
// (or less red), 0 both at once — when as many went each way, or when the changes each way alone
// cover more than the flash area (two halves of the field strobing in opposite phase, a large
// checkerboard inverting): each region's changes still alternate, so each such frame is a transition.
int8_t FlashAnalyser::State::direction_in(const std::vector<uint8_t>& mask, const ViewRect& window, bool red) const {
  uint32_t rises = 0, falls = 0;
  for (uint32_t y = window.y; y < window.y + window.height; ++y) {
    for (uint32_t x = window.x; x < window.x + window.width; ++x) {
      const size_t index = size_t{y} * width + x;
      if (!mask[index]) continue;
      const int8_t direction = red ? pixels[index].red.direction : pixels[index].general.direction;
      rises += direction > 0;
      falls += direction < 0;
    }
  }
  const double flash_pixels = area_threshold * field_area;
  if (rises == falls || std::min(rises, falls) > flash_pixels) return 0;
  return rises > falls ? 1 : -1;
}

// Regular stripes along rows (vertical stripes) and columns (horizontal stripes): each line's
// longest run of evenly spaced light-dark crossings (StripeScan), kept where it has more pairs
// than the limit; the pattern's area is the sum of those runs' lengths over the view's area.
// Diagonal stripes cross both rows and columns, so they are found too.
void FlashAnalyser::State::find_pattern(FrameReport& report, ViewRect& bounds) {
  auto changed_share = [](const std::vector<StripeScan>& lines, const std::vector<uint32_t>& changed,
                          uint32_t length) {
    uint64_t changed_pixels = 0, pixels_seen = 0;
    for (size_t line = 0; line < lines.size(); ++line) {
      if (lines[line].pairs() <= moving_pattern_pairs) continue;
      changed_pixels += changed[line];
      pixels_seen += length;
    }
    return pixels_seen == 0 ? 0.0 : static_cast<double>(changed_pixels) / static_cast<double>(pixels_seen);
  };
  const bool moving_now = changed_share(row_scans, changed_in_row, width) > pattern_motion_share ||
                          changed_share(column_scans, changed_in_column, height) > pattern_motion_share;
  if (moving_now) {
    frames_since_pattern_motion = 0;
  } else if (frames_since_pattern_motion < UINT32_MAX) {
    ++frames_since_pattern_motion;
  }
  const uint32_t limit = frames_since_pattern_motion < frames_in_a_second ? moving_pattern_pairs : still_pattern_pairs;

  struct Striped {
    double area = 0;
    uint32_t pairs = 0;
    ViewRect bounds;
  };
  auto striped = [&](const std::vector<StripeScan>& lines, uint32_t length, bool along_rows) {
    Striped found;
    uint64_t covered = 0;
    uint32_t first_line = UINT32_MAX, last_line = 0, run_start = UINT32_MAX, run_end = 0;
    for (uint32_t line = 0; line < lines.size(); ++line) {
      const StripeScan& scan = lines[line];
      if (scan.pairs() <= limit) continue;
      const auto [start, end] = scan.span(length);
      covered += end - start;
      found.pairs = std::max(found.pairs, scan.pairs());
      first_line = std::min(first_line, line);
      last_line = line;
      run_start = std::min(run_start, start);
      run_end = std::max(run_end, end);
    }
    if (covered == 0) return found;
    found.area = static_cast<double>(covered) / (static_cast<double>(width) * height);
    found.bounds = along_rows ? ViewRect{run_start, first_line, run_end - run_start, last_line - first_line + 1}
                              : ViewRect{first_line, run_start, last_line - first_line + 1, run_end - run_start};
    return found;
  };
  const Striped rows = striped(row_scans, width, true);
  const Striped columns = striped(column_scans, height, false);
  const Striped& larger = rows.area >= columns.area ? rows : columns;
  report.pattern_pairs = larger.pairs;
  report.pattern_area = larger.area;
  bounds = larger.bounds;
}

const RecentFrame& FlashAnalyser::State::worst_recent(bool red) const {
  const RecentFrame* worst = &recent[0];
  for (const RecentFrame& entry : recent) {
    if ((red ? entry.red_area : entry.general_area) > (red ? worst->red_area : worst->general_area)) worst = &entry;
  }
  return *worst;
}

size_t FlashAnalyser::State::oldest_recent_transition(bool red) const {
  size_t oldest = SIZE_MAX;
  for (const RecentFrame& entry : recent) {
    if ((red ? entry.red : entry.general) && entry.frame + frames_in_a_second > frames - 1) {
      oldest = std::min(oldest, entry.frame);
    }
  }
  return oldest == SIZE_MAX ? frames - 1 : oldest;
}

// Joins a failing frame to the open stretch of its kind when the stretches touch, otherwise
// closes that stretch and opens another.
void FlashAnalyser::State::record(FailureKind kind, size_t first_frame, size_t frame, size_t worst_frame,
                                  double area, const ViewRect& where, uint32_t transitions, uint32_t pairs) {
  std::optional<Failure>& stretch = open[static_cast<size_t>(kind)];
  if (stretch && first_frame > stretch->last_frame + 1) {
    closed.push_back(*stretch);
    stretch.reset();
  }
  if (!stretch) {
    stretch = Failure{.kind = kind, .first_frame = first_frame, .last_frame = frame, .worst_frame = frame,
                      .worst_area = -1};
  }
  stretch->last_frame = frame;
  stretch->most_transitions_in_a_second = std::max(stretch->most_transitions_in_a_second, transitions);
  if (area > stretch->worst_area) {
    stretch->worst_area = area;
    stretch->worst_frame = worst_frame;
    stretch->where = where;
    stretch->pattern_pairs = pairs;
  }
}

Result<FrameReport> FlashAnalyser::add_frame(uint32_t width, uint32_t height, std::span<const uint8_t> rgba8_srgb) {
  expects(width > 0 && height > 0, "FlashAnalyser::add_frame: a frame has at least one pixel");
  expects(rgba8_srgb.size() == size_t{width} * height * 4,
          "FlashAnalyser::add_frame: the span holds width×height RGBA pixels");
  State& s = *state_;
  const bool first = s.frames == 0;
  if (first) {
    s.start(width, height);
  } else if (width != s.width || height != s.height) {
    return Error(ErrorCode::invalid_input, fmt::format("analysing frame {} for flashes", s.frames),
                 fmt::format("it is {}×{} but the first frame was {}×{}; every frame must be the same size", width,
                             height, s.width, s.height));
  }
  const size_t frame = s.frames++;
  FrameReport report{.frame = frame, .time_s = static_cast<double>(frame) / s.viewing.frames_per_second};

  const LuminanceTable& table = luminance_table();
  std::fill(s.changed_in_column.begin(), s.changed_in_column.end(), 0u);
  // The loop's arrays as local pointers: the masks' byte stores may alias anything, so through
  // the vectors the compiler would reload their data pointers at every pixel.
  PixelState* const pixels = s.pixels.data();
  float* const previous_luminance = s.previous_luminance.data();
  uint8_t* const general_mask = s.general_mask.data();
  uint8_t* const red_mask = s.red_mask.data();
  StripeScan* const column_scans = s.column_scans.data();
  uint32_t* const changed_in_column = s.changed_in_column.data();
  double luminance_sum = 0;
  size_t saturated_pixels = 0, general_pixels = 0, red_pixels = 0;
  for (uint32_t y = 0; y < height; ++y) {
    const uint8_t* source = &rgba8_srgb[size_t{y} * width * 4];
    StripeScan row_scan;
    uint32_t changed = 0;
    float row_luminance = 0;  // summed per row in float, then in double: no long dependency chain of doubles
    for (uint32_t x = 0; x < width; ++x) {
      const size_t index = size_t{y} * width + x;
      const int r = source[x * 4], g = source[x * 4 + 1], b = source[x * 4 + 2];
      const float luminance = table.red[r] + table.green[g] + table.blue[b];
      // WCAG 2.2's red flash: "saturated red" is R/(R+G+B) >= 0.8, i.e. R >= 4(G+B), on the
      // sRGB-encoded components; its size is (R−G−B)×320 with R, G, B in 0..1, negatives 0.
      const bool saturated = r > 0 && r >= 4 * (g + b);
      const float redness = static_cast<float>(std::max(0, r - g - b)) * (320.0f / 255.0f);
      row_luminance += luminance;
      saturated_pixels += saturated;

      PixelState& pixel = pixels[index];
      if (first) {
        pixel.general.start(luminance);
        pixel.red.start(redness);
        pixel.red_high_saturated = saturated;
        previous_luminance[index] = luminance;
      }
      const bool general = general_transition(pixel.general, luminance);
      // Most pixels of most frames hold no red at all and never did: nothing to track.
      const bool red = (redness > 0 || pixel.red.high > 0) &&
                       red_transition(pixel.red, pixel.red_high_saturated, redness, saturated);
      general_mask[index] = general;
      red_mask[index] = red;
      general_pixels += general;
      red_pixels += red;

      const bool moved = std::fabs(luminance - previous_luminance[index]) >= general_threshold;
      previous_luminance[index] = luminance;
      changed += moved;
      changed_in_column[x] += moved;

      if (x == 0) {
        row_scan.start(luminance);
      } else {
        row_scan.step(luminance, x);
      }
      if (y == 0) {
        column_scans[x].start(luminance);
      } else {
        column_scans[x].step(luminance, y);
      }
    }
    s.row_scans[y] = row_scan;
    s.changed_in_row[y] = changed;
    luminance_sum += row_luminance;
  }
  const double pixel_count = static_cast<double>(width) * height;
  report.mean_luminance = luminance_sum / pixel_count;
  report.red_saturation_share = static_cast<double>(saturated_pixels) / pixel_count;

  RecentFrame& entry = s.recent[frame % s.frames_in_a_second];
  if (frame >= s.frames_in_a_second) {  // the entry leaves the one-second window
    s.general_count -= entry.general;
    s.red_count -= entry.red;
  }
  entry = RecentFrame{.frame = frame};
  if (general_pixels > 0) {
    const WindowMaximum most = s.largest_window_count(s.general_mask);
    entry.general_area = most.count / s.field_area;
    entry.general_window = most.window;
  }
  if (red_pixels > 0) {
    const WindowMaximum most = s.largest_window_count(s.red_mask);
    entry.red_area = most.count / s.field_area;
    entry.red_window = most.window;
  }
  // A frame counts a transition only when the changes in its flashing window go the other way from
  // the last transition counted: a ramp crossing regions of different brightness one frame after
  // another changes each pixel once, and is one change, not a flash per frame. Changes both ways
  // at once oppose any last change, and leave either way next to oppose them.
  const auto opposing = [](int8_t& last, int8_t direction) {
    if (direction != 0 && direction == last) return false;
    last = direction;
    return true;
  };
  entry.general = entry.general_area > area_threshold &&
                  opposing(s.general_direction, s.direction_in(s.general_mask, entry.general_window, false));
  entry.red = entry.red_area > area_threshold &&
              opposing(s.red_direction, s.direction_in(s.red_mask, entry.red_window, true));
  s.general_count += entry.general;
  s.red_count += entry.red;
  report.general_flash_area = entry.general_area;
  report.red_flash_area = entry.red_area;
  report.general_transitions = s.general_count;
  report.red_transitions = s.red_count;
  if (std::max(entry.general_area, entry.red_area) > s.most_flashing_area) {
    s.most_flashing_area = std::max(entry.general_area, entry.red_area);
    s.most_flashing_frame = frame;
    s.most_flashing_window = entry.general_area >= entry.red_area ? entry.general_window : entry.red_window;
  }

  auto fail = [&](FailureKind kind) {
    if (!report.verdict) report.verdict = kind;
  };
  for (const bool red : {false, true}) {
    const uint32_t count = red ? s.red_count : s.general_count;
    const FailureKind kind = red ? FailureKind::red_flash : FailureKind::general_flash;
    const bool too_many = count > max_transitions_per_second;
    if (too_many) {
      // A stretch opens with the worst frame of its first second, and grows frame by frame.
      const size_t first_transition = s.oldest_recent_transition(red);
      const std::optional<Failure>& stretch = s.open[static_cast<size_t>(kind)];
      const bool opening = !stretch || first_transition > stretch->last_frame + 1;
      const RecentFrame& worst = opening ? s.worst_recent(red) : entry;
      // The stretch starts at the first transition of the second that holds too many.
      s.record(kind, first_transition, frame, worst.frame, red ? worst.red_area : worst.general_area,
               red ? worst.red_window : worst.general_window, count, 0);
      fail(kind);
    }
    ExtendedRun& run = red ? s.red_run : s.general_run;
    if (count < extended_transitions_per_second) {
      run.active = false;
    } else if ((red ? entry.red : entry.general)) {
      if (!run.active) run = {true, s.oldest_recent_transition(red)};
      const double sustained_s = static_cast<double>(frame - run.start) / s.viewing.frames_per_second;
      // Faster flashing already fails above; the extended rule is for the rates below it.
      if (sustained_s > extended_seconds && !too_many) {
        const FailureKind extended = red ? FailureKind::extended_red_flashing : FailureKind::extended_flashing;
        s.record(extended, run.start, frame, frame, red ? entry.red_area : entry.general_area,
                 red ? entry.red_window : entry.general_window, count, 0);
        fail(extended);
      }
    }
  }

  ViewRect pattern_bounds;
  s.find_pattern(report, pattern_bounds);
  if (report.pattern_area > pattern_area_threshold) {
    s.record(FailureKind::harmful_pattern, frame, frame, frame, report.pattern_area, pattern_bounds, 0,
             report.pattern_pairs);
    fail(FailureKind::harmful_pattern);
  }
  return report;
}

FlashVerdict FlashAnalyser::finish() const {
  const State& s = *state_;
  FlashVerdict verdict;
  verdict.frames = s.frames;
  verdict.failures = s.closed;
  for (const auto& stretch : s.open) {
    if (stretch) verdict.failures.push_back(*stretch);
  }
  std::stable_sort(verdict.failures.begin(), verdict.failures.end(),
                   [](const Failure& a, const Failure& b) { return a.first_frame < b.first_frame; });
  const double fps = s.viewing.frames_per_second;
  for (Failure& failure : verdict.failures) {
    failure.start_s = static_cast<double>(failure.first_frame) / fps;
    failure.end_s = static_cast<double>(failure.last_frame + 1) / fps;
    failure.centre_x = (failure.where.x + failure.where.width / 2.0) / s.width;
    failure.centre_y = (failure.where.y + failure.where.height / 2.0) / s.height;
    if (s.viewing.headset_horizontal_fov_degrees) {
      const double half_fov = *s.viewing.headset_horizontal_fov_degrees / 2 * std::numbers::pi / 180;
      const double focal = s.width / 2.0 / std::tan(half_fov);
      const double centre_x = failure.where.x + failure.where.width / 2.0 - s.width / 2.0;
      const double centre_y = s.height / 2.0 - (failure.where.y + failure.where.height / 2.0);
      failure.right_degrees = std::atan(centre_x / focal) * 180 / std::numbers::pi;
      failure.up_degrees = std::atan(centre_y / focal) * 180 / std::numbers::pi;
    }
  }
  verdict.safe = verdict.failures.empty();
  verdict.most_flashing_frame = s.most_flashing_frame;
  verdict.most_flashing_area = s.most_flashing_area;
  verdict.most_flashing_window = s.most_flashing_window;
  return verdict;
}

}  // namespace pavilion::flash
