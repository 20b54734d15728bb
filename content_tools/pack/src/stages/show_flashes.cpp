#include "pavilion/core/png.h"
#include "show_flashes.h"
#include "stages.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::pack::stages {
namespace {

struct ViewPartWords {
  std::string_view en;
  std::string_view zh;
};

// One of nine parts of the view, from a point's place as shares of the frame's width and height.
ViewPartWords part_of_view(double across, double down) {
  static constexpr std::array<ViewPartWords, 9> parts{{
      {"upper left", "左上方"},
      {"top", "上方"},
      {"upper right", "右上方"},
      {"left", "左侧"},
      {"centre", "中央"},
      {"right", "右侧"},
      {"lower left", "左下方"},
      {"bottom", "下方"},
      {"lower right", "右下方"},
  }};
  const auto third = [](double share) { return std::min<size_t>(2, static_cast<size_t>(std::max(0.0, share) * 3)); };
  return parts[third(across) + 3 * third(down)];
}

// Where the picture of a pass's failure `index`'s worst frame goes: beside the output, named after
// it and the pass ("hall.pvpkg" → "hall.flash.png", then "hall.flash-2.png"; moment 3's response
// "hall.moment-3.flash.png"), or for lint in the temporary folder.
std::filesystem::path picture_path(const BuildContext& context, std::string_view pass, size_t index) {
  const std::string suffix = index == 0 ? fmt::format("{}.flash.png", pass) : fmt::format("{}.flash-{}.png", pass, index + 1);
  if (!context.options.output.empty()) {
    std::filesystem::path path = context.options.output;
    return path.replace_extension(suffix);
  }
  // Named after this process too: two lints of one scene at once must not share a picture.
  return std::filesystem::temp_directory_path() / fmt::format("{}-{}{}", context.source().id, getpid(), suffix);
}

// What was played, said before "could provoke seizures on a headset" and at which JSON path.
struct PassWords {
  std::string path;  // "show", "show.moments[2]"
  std::string en;    // "", or the moment's response and how it was played, then ", "
  std::string zh;
  std::string picture_name;  // "", ".moment-2"
};

PassWords moment_words(size_t index, const MomentFlashes& moment) {
  const bool touch = moment.trigger == scene::MomentTrigger::touch;
  return {fmt::format("show.moments[{}]", index),
          fmt::format("the response to {} \"{}\" (event {}), played from the scene at rest with the visitor looking "
                      "at it and timed from one frame before the {}, ",
                      touch ? "touching" : "pointing at", moment.exhibit, moment.event, touch ? "touch" : "pointing"),
          fmt::format("{}“{}”的响应（事件 {}）从静止的场景播放、观众注视该展品、时间自{}前一帧起算时，", touch ? "触摸" : "指向",
                      moment.exhibit, moment.event, touch ? "触摸" : "指向"),
          fmt::format(".moment-{}", index)};
}

// One error for each of `pass`'s failures, its worst frame written where the error says.
void add_failures(const BuildContext& context, const FlashPass& pass, const PassWords& words,
                  std::vector<Finding>& findings) {
  for (size_t index = 0; index < pass.verdict.failures.size(); ++index) {
    const flash::Failure& failure = pass.verdict.failures[index];
    const std::filesystem::path picture = picture_path(context, words.picture_name, index);
    const ViewPartWords part = part_of_view(failure.centre_x, failure.centre_y);
    const double at = static_cast<double>(failure.worst_frame) / flash_check_frames_per_second;
    const auto written = write_png(picture, pass.worst_frames[index]);
    const std::string picture_en =
        written ? fmt::format("Its worst frame ({:.2f} s, the {} of the view) is drawn in {}, the flashing 10° field "
                              "outlined in magenta", at, part.en, picture.string())
                : fmt::format("Its worst frame ({:.2f} s, the {} of the view) could not be drawn ({})", at, part.en,
                              written.error().describe());
    const std::string picture_zh =
        written ? fmt::format("最严重的一帧（{:.2f} 秒，视野{}）见 {}，闪烁的 10° 视野以品红色框出", at, part.zh, picture.string())
                : fmt::format("最严重的一帧（{:.2f} 秒，视野{}）未能保存（{}）", at, part.zh, written.error().why());
    findings.push_back(
        {Finding::Severity::error, context.source().file, words.path,
         fmt::format("{}could provoke seizures on a headset: {} {}; slow the light changes and bursts there, make them "
                     "smaller in view, or soften them.",
                     words.en, flash::describe(failure, flash::Language::en), picture_en),
         fmt::format("{}在头显中可能诱发光敏性癫痫：{}{}；请放慢该处的灯光变化与烟花，缩小其在视野中的范围，或减弱其亮度变化。",
                     words.zh, flash::describe(failure, flash::Language::zh_cn), picture_zh)});
  }
}

}  // namespace

Result<void> check_show_flashes(BuildContext& context) {
  if (!context.options.check_show_flashes || !context.tables.show) return {};
  const SceneSource& source = context.source();
  context.stage("checking the show for flashes", 1);
  const std::filesystem::path draft =
      context.options.output.empty()
          ? std::filesystem::temp_directory_path() / fmt::format("pavilion-pack-{}-{}.flash-draft", source.id, getpid())
          : std::filesystem::path(context.options.output.string() + ".flash-draft");
  context.writer.set_manifest(context.manifest.dump(2));
  PV_TRY(context.writer.write(draft, nullptr).add_context("writing a draft to check the show for flashes"));
  auto checked = analyse_show_flashes(draft, context.options.flash_check_size);
  std::error_code ignored;
  std::filesystem::remove(draft, ignored);
  context.step("show");
  if (!checked) {
    context.report.notes.push_back(
        {Finding::Severity::warning, source.file, "show",
         fmt::format("the show was not checked for flashes that could provoke seizures ({}); do not publish it "
                     "until a build has checked it (one with a Vulkan device)", checked.error().describe()),
         fmt::format("未能检查演出中可能诱发光敏性癫痫的闪烁（{}）；在（有 Vulkan 设备的）构建完成此项检查之前，请勿发布",
                     checked.error().why())});
    return {};
  }
  const flash::FlashVerdict& verdict = checked->timeline.verdict;
  size_t moment_frames = 0, moments_covered = 0;
  for (const MomentFlashes& moment : checked->moments) {
    moment_frames += moment.played.verdict.frames;
    moments_covered += moment.covered_by.has_value();
  }
  const size_t moments_checked = checked->moments.size() - moments_covered;
  if (context.options.progress) {
    context.options.progress->note(
        fmt::format("show checked for flashes at {:g} fps, {}×{} pixels: {} frames of the show and {} of its {} "
                    "moments' responses ({} played, {} covered by one that draws the same) in {:.1f} s ({:.1f} s of "
                    "them the moments')",
                    flash_check_frames_per_second, context.options.flash_check_size,
                    context.options.flash_check_size, verdict.frames, moment_frames, checked->moments.size(),
                    moments_checked, moments_covered, checked->seconds_drawing, checked->seconds_drawing_moments));
  }
  if (checked->safe()) {
    // The kiosk reads this: a show checked here plays without its run-time flash limiter
    // (kiosk.json's flash_limit "unchecked").
    context.manifest["flash_check"] = {{"passed", true},
                                       {"frames", verdict.frames},
                                       {"moments", checked->moments.size()},
                                       // Moments whose responses draw the same bursts placed the
                                       // same from their exhibits are played once, nearest the eye.
                                       {"moments_checked", moments_checked},
                                       {"moments_covered", moments_covered},
                                       {"frames_per_second", flash_check_frames_per_second},
                                       {"frame_pixels", context.options.flash_check_size}};
    return {};
  }

  std::vector<Finding> findings;
  add_failures(context, checked->timeline, {"show", "", "", ""}, findings);
  for (size_t index = 0; index < checked->moments.size(); ++index) {
    add_failures(context, checked->moments[index].played, moment_words(index, checked->moments[index]), findings);
  }
  return checking::findings_error(fmt::format("building {}", source.directory), findings);
}

}  // namespace pavilion::pack::stages
