// pavilion-flashcheck: the flash-safety check on a folder of numbered PNG frames, so that the
// analyser can be run on any clip (and checked against independent tools).
//
//   pavilion-flashcheck <folder> --fps N [--fov-degrees D | --screen] [--csv out.csv]
//                       [--worst worst.png] [--language zh-CN|en]
//
// Exit status: 0 safe, 1 unsafe (a sentence per failure), 2 bad input or usage.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/flash/flash.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <iterator>
#include <system_error>
#include <variant>
#include <vector>

namespace {

using namespace pavilion;
namespace fs = std::filesystem;

constexpr int exit_safe = 0;
constexpr int exit_unsafe = 1;
constexpr int exit_bad_input = 2;

constexpr std::string_view usage = R"(Usage:
  pavilion-flashcheck <folder of numbered PNG frames> --fps N [--fov-degrees D | --screen]
                      [--csv out.csv] [--worst worst.png] [--language zh-CN|en]

--fov-degrees D  the frames are one eye of a headset whose horizontal field of view is D degrees
--screen         the frames are shown on a screen (the default)
--csv            one row per frame: frame, time_s, mean_luminance, red_saturation_share,
                 flash_area, general_transitions, red_transitions, verdict
--worst          the worst frame, its failing window outlined
Exits 0 when the frames are safe, 1 when they flash dangerously, 2 on bad input.
)";

struct Options {
  fs::path folder;
  flash::FlashViewing viewing;
  fs::path csv;
  fs::path worst;
  flash::Language language = flash::Language::en;
};

struct Frame {
  uint64_t number = 0;
  fs::path path;
};

struct Texts {
  std::string_view zh_cn, en;
};

// Sentences in the language the curator chose, each given as its zh-CN and en texts.
class Speaker {
 public:
  explicit Speaker(flash::Language language) : language_(language) {}
  template <class... Args>
  std::string say(const Texts& texts, const Args&... args) const {
    return fmt::format(fmt::runtime(language_ == flash::Language::zh_cn ? texts.zh_cn : texts.en), args...);
  }

 private:
  flash::Language language_;
};

int fail_usage(std::string_view problem) {
  fmt::print(stderr, "pavilion-flashcheck: {}\n\n{}", problem, usage);
  return exit_bad_input;
}

std::optional<double> parse_positive(std::string_view text) {
  double value = 0;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || problem != std::errc() || end != text.data() + text.size() || !(value > 0)) return std::nullopt;
  return value;
}

// The frame number is the last run of digits in the file's stem: frame_2 before frame_10.
std::optional<uint64_t> frame_number(const fs::path& path) {
  const std::string stem = path.stem().string();
  const size_t last_digit = stem.find_last_of("0123456789");
  if (last_digit == std::string::npos) return std::nullopt;
  size_t first_digit = last_digit;
  while (first_digit > 0 && stem[first_digit - 1] >= '0' && stem[first_digit - 1] <= '9') --first_digit;
  uint64_t number = 0;
  const auto [end, problem] = std::from_chars(stem.data() + first_digit, stem.data() + last_digit + 1, number);
  if (problem != std::errc()) return std::nullopt;
  return number;
}

bool is_png(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return extension == ".png";
}

// The frames in order, or the sentence saying why there are none to check.
std::variant<std::vector<Frame>, std::string> list_frames(const fs::path& folder, const Speaker& speaker) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    return speaker.say({"找不到帧文件夹 {}：请给出存放编号 PNG 帧的文件夹。",
                        "{} is not a folder: give the folder that holds the numbered PNG frames."},
                       folder.string());
  }
  std::vector<Frame> frames;
  for (fs::directory_iterator entry(folder, error), end; !error && entry != end; entry.increment(error)) {
    if (!entry->is_regular_file() || !is_png(entry->path())) continue;
    const auto number = frame_number(entry->path());
    if (!number) {
      return speaker.say({"{} 的文件名中没有帧号：请把帧命名为 frame_12.png 这样的形式。",
                          "{} has no frame number in its name: name frames like frame_12.png."},
                         entry->path().string());
    }
    frames.push_back({*number, entry->path()});
  }
  if (error) {
    return speaker.say({"无法读取文件夹 {}：{}。", "{} cannot be read: {}."}, folder.string(), error.message());
  }
  if (frames.empty()) {
    return speaker.say({"{} 中没有 PNG 帧（frame_1.png、frame_2.png……）。",
                        "{} holds no PNG frames (frame_1.png, frame_2.png, …)."},
                       folder.string());
  }
  std::sort(frames.begin(), frames.end(), [](const Frame& a, const Frame& b) { return a.number < b.number; });
  for (size_t index = 1; index < frames.size(); ++index) {
    if (frames[index].number == frames[index - 1].number) {
      return speaker.say({"{} 与 {} 的帧号相同（{}）：每个帧号只能有一个文件。",
                          "{} and {} have the same frame number ({}): keep one file per number."},
                         frames[index - 1].path.string(), frames[index].path.string(), frames[index].number);
    }
  }
  return frames;
}

int run(const Options& options) {
  const Speaker speaker(options.language);
  auto listed = list_frames(options.folder, speaker);
  if (auto* problem = std::get_if<std::string>(&listed)) {
    fmt::print(stderr, "pavilion-flashcheck: {}\n", *problem);
    return exit_bad_input;
  }
  const auto& frames = std::get<std::vector<Frame>>(listed);

  flash::FlashAnalyser analyser(options.viewing);
  std::string csv =
      "frame,time_s,mean_luminance,red_saturation_share,flash_area,general_transitions,red_transitions,verdict\n";
  fs::path first_path;
  uint32_t first_width = 0, first_height = 0;
  for (const Frame& frame : frames) {
    auto image = read_png(frame.path);
    if (!image) {
      fmt::print(stderr, "pavilion-flashcheck: {}\n",
                 speaker.say({"无法读取帧 {}：{}", "cannot read the frame {}: {}"}, frame.path.string(),
                             image.error().describe()));
      return exit_bad_input;
    }
    if (first_path.empty()) {
      first_path = frame.path;
      first_width = image->width;
      first_height = image->height;
    } else if (image->width != first_width || image->height != first_height) {
      fmt::print(stderr, "pavilion-flashcheck: {}\n",
                 speaker.say({"帧 {} 为 {}×{}，而第一帧 {} 为 {}×{}：所有帧必须大小相同。",
                              "the frame {} is {}×{} but the first frame {} is {}×{}: every frame must be the same size."},
                             frame.path.string(), image->width, image->height, first_path.string(), first_width,
                             first_height));
      return exit_bad_input;
    }
    auto report = analyser.add_frame(image->width, image->height, image->pixels);
    if (!report) {
      fmt::print(stderr, "pavilion-flashcheck: {}: {}\n", frame.path.string(), report.error().describe());
      return exit_bad_input;
    }
    fmt::format_to(std::back_inserter(csv), "{},{:.4f},{:.4f},{:.4f},{:.4f},{},{},{}\n", report->frame, report->time_s,
                   report->mean_luminance, report->red_saturation_share,
                   std::max(report->general_flash_area, report->red_flash_area), report->general_transitions,
                   report->red_transitions, report->verdict ? flash::verdict_name(*report->verdict) : "pass");
  }
  const flash::FlashVerdict verdict = analyser.finish();

  if (!options.csv.empty()) {
    if (auto written = write_file_atomic(options.csv, std::as_bytes(std::span(csv))); !written) {
      fmt::print(stderr, "pavilion-flashcheck: {}\n", written.error().describe());
      return exit_bad_input;
    }
  }
  if (!options.worst.empty()) {
    // The first failure is the one a curator reads first; a safe clip shows its most flashing frame.
    const size_t worst_frame = verdict.safe ? verdict.most_flashing_frame : verdict.failures.front().worst_frame;
    const flash::ViewRect window = verdict.safe ? verdict.most_flashing_window : verdict.failures.front().where;
    auto image = read_png(frames[worst_frame].path);
    if (image) flash::outline_window(*image, window);
    auto written = image ? write_png(options.worst, *image) : Result<void>(image.error());
    if (!written) {
      fmt::print(stderr, "pavilion-flashcheck: {}\n", written.error().describe());
      return exit_bad_input;
    }
  }

  for (const flash::Failure& failure : verdict.failures) {
    fmt::print("{} ({})\n", flash::describe(failure, options.language),
               frames[failure.worst_frame].path.filename().string());
  }
  const double seconds = static_cast<double>(frames.size()) / options.viewing.frames_per_second;
  if (verdict.safe) {
    fmt::print("{}\n", speaker.say({"{} 帧（{:.2f} 秒）：未发现危险闪烁或条纹。", "{} frames ({:.2f} s): no dangerous flashing or patterns."},
                                   frames.size(), seconds));
    return exit_safe;
  }
  fmt::print("{}\n", speaker.say({"{} 帧（{:.2f} 秒）：发现 {} 处可能诱发光敏性癫痫的问题。",
                                  verdict.failures.size() == 1
                                      ? "{} frames ({:.2f} s): {} problem that could provoke photosensitive seizures."
                                      : "{} frames ({:.2f} s): {} problems that could provoke photosensitive seizures."},
                                 frames.size(), seconds, verdict.failures.size()));
  return exit_unsafe;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const char* locale = std::getenv("LC_ALL") ? std::getenv("LC_ALL") : std::getenv("LANG");
  if (locale && std::string_view(locale).starts_with("zh")) options.language = flash::Language::zh_cn;
  std::optional<double> fps, fov;
  bool screen = false;
  std::vector<std::string_view> positional;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    if (argument == "--help" || argument == "-h") {
      fmt::print("{}", usage);
      return exit_safe;
    }
    if (argument == "--screen") {
      screen = true;
      continue;
    }
    if (!argument.starts_with("--")) {
      positional.push_back(argument);
      continue;
    }
    if (argument != "--fps" && argument != "--fov-degrees" && argument != "--csv" && argument != "--worst" &&
        argument != "--language") {
      return fail_usage(fmt::format("unknown option '{}'", argument));
    }
    if (index + 1 >= argc) return fail_usage(fmt::format("{} needs a value", argument));
    const std::string_view value = argv[++index];
    if (argument == "--fps") {
      fps = parse_positive(value);
      if (!fps) return fail_usage(fmt::format("--fps takes a number of frames a second, not '{}'", value));
    } else if (argument == "--fov-degrees") {
      fov = parse_positive(value);
      if (!fov || *fov >= 180) {
        return fail_usage(fmt::format("--fov-degrees takes an angle between 0 and 180, not '{}'", value));
      }
    } else if (argument == "--csv") {
      options.csv = value;
    } else if (argument == "--worst") {
      options.worst = value;
    } else {
      if (value != "zh-CN" && value != "en") return fail_usage("--language takes zh-CN or en");
      options.language = value == "zh-CN" ? flash::Language::zh_cn : flash::Language::en;
    }
  }
  if (positional.size() != 1) return fail_usage("give one folder of frames");
  if (!fps) return fail_usage("--fps is needed: the frame rate the frames are shown at");
  if (screen && fov) return fail_usage("--screen and --fov-degrees exclude each other");
  options.folder = positional[0];
  options.viewing = fov ? flash::FlashViewing::headset(*fps, *fov) : flash::FlashViewing::screen(*fps);
  return run(options);
}
