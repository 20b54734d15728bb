// The curator's sentences for failures, in both languages.
#include "pavilion/flash/flash.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::flash {
namespace {

struct Words {
  std::string_view zh_cn;
  std::string_view en;
  std::string_view in(Language language) const { return language == Language::zh_cn ? zh_cn : en; }
};

// The seconds are counted from 1, as a person watching says "in the first second".
std::string when(const Failure& failure, Language language) {
  const auto first = static_cast<long>(std::floor(failure.start_s)) + 1;
  const auto last = std::max(first, static_cast<long>(std::ceil(failure.end_s - 1e-9)));
  if (language == Language::zh_cn) {
    if (first == last) return fmt::format("第{}秒（{:.2f}–{:.2f}秒）", first, failure.start_s, failure.end_s);
    return fmt::format("第{}–{}秒（{:.2f}–{:.2f}秒）", first, last, failure.start_s, failure.end_s);
  }
  if (first == last) return fmt::format("In second {} ({:.2f}–{:.2f} s)", first, failure.start_s, failure.end_s);
  return fmt::format("In seconds {}–{} ({:.2f}–{:.2f} s)", first, last, failure.start_s, failure.end_s);
}

// A headset's part of the view in degrees from its centre; a screen's as one of nine parts.
std::string where(const Failure& failure, Language language) {
  if (failure.right_degrees && failure.up_degrees) {
    const double right = *failure.right_degrees, up = *failure.up_degrees;
    if (std::fabs(right) < 0.5 && std::fabs(up) < 0.5) {
      return std::string(Words{"视野中心", "the centre of the view"}.in(language));
    }
    if (language == Language::zh_cn) {
      return fmt::format("视野中心{}{:.0f}°、{}{:.0f}°处", right < 0 ? "左" : "右", std::fabs(right), up < 0 ? "下" : "上",
                         std::fabs(up));
    }
    return fmt::format("the part of the view {:.0f}° {} and {:.0f}° {} its centre", std::fabs(right),
                       right < 0 ? "left" : "right", std::fabs(up), up < 0 ? "below" : "above");
  }
  static constexpr std::array<Words, 9> parts{{
      {"画面左上方", "the upper left of the screen"},
      {"画面上方", "the top of the screen"},
      {"画面右上方", "the upper right of the screen"},
      {"画面左侧", "the left of the screen"},
      {"画面中央", "the centre of the screen"},
      {"画面右侧", "the right of the screen"},
      {"画面左下方", "the lower left of the screen"},
      {"画面下方", "the bottom of the screen"},
      {"画面右下方", "the lower right of the screen"},
  }};
  auto third = [](double share) { return std::min<size_t>(2, static_cast<size_t>(std::max(0.0, share) * 3)); };
  return std::string(parts[third(failure.centre_x) + 3 * third(failure.centre_y)].in(language));
}

}  // namespace

std::string_view verdict_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::general_flash: return "general";
    case FailureKind::red_flash: return "red";
    case FailureKind::extended_flashing: return "extended";
    case FailureKind::extended_red_flashing: return "extended-red";
    case FailureKind::harmful_pattern: return "pattern";
  }
  return "unknown";
}

std::string describe(const Failure& failure, Language language) {
  const std::string time = when(failure, language);
  const std::string place = where(failure, language);
  const double percent = failure.worst_area * 100;
  const double flashes = failure.most_transitions_in_a_second / 2.0;
  const double seconds = failure.end_s - failure.start_s;
  const bool zh = language == Language::zh_cn;
  switch (failure.kind) {
    case FailureKind::general_flash:
      return zh ? fmt::format("{}，{}一秒内闪烁{:g}次，占10°视野的{:.0f}%（任何一秒内闪烁超过三次即不符合 WCAG 2.3.1 与 ITU-R BT.1702）；最严重的是第{}帧。",
                              time, place, flashes, percent, failure.worst_frame)
                : fmt::format("{}, {} flashes {:g} times in one second over {:.0f}% of a 10° field (more than three "
                              "flashes in any second fail WCAG 2.3.1 and ITU-R BT.1702); worst at frame {}.",
                              time, place, flashes, percent, failure.worst_frame);
    case FailureKind::red_flash:
      return zh ? fmt::format("{}，{}一秒内饱和红色闪烁{:g}次，占10°视野的{:.0f}%（任何一秒内红色闪烁超过三次即不符合 WCAG 2.3.1）；最严重的是第{}帧。",
                              time, place, flashes, percent, failure.worst_frame)
                : fmt::format("{}, {} flashes saturated red {:g} times in one second over {:.0f}% of a 10° field "
                              "(more than three red flashes in any second fail WCAG 2.3.1); worst at frame {}.",
                              time, place, flashes, percent, failure.worst_frame);
    case FailureKind::extended_flashing:
    case FailureKind::extended_red_flashing: {
      const bool red = failure.kind == FailureKind::extended_red_flashing;
      return zh ? fmt::format("{}，{}以每秒两到三次的频率{}闪烁了{:.1f}秒（Ofcom 规定这样的闪烁不得超过五秒）；最严重的是第{}帧。",
                              time, place, red ? "红色" : "", seconds, failure.worst_frame)
                : fmt::format("{}, {} flashes{} two to three times a second for {:.1f} s (Ofcom allows such flashing "
                              "for five seconds at most); worst at frame {}.",
                              time, place, red ? " saturated red" : "", seconds, failure.worst_frame);
    }
    case FailureKind::harmful_pattern:
      return zh ? fmt::format("{}，{}出现{}对明暗相间的规则条纹，覆盖画面的{:.0f}%（Ofcom：覆盖超过四分之一画面、运动或反转时超过五对、静止时超过八对的条纹可能诱发癫痫）；最严重的是第{}帧。",
                              time, place, failure.pattern_pairs, percent, failure.worst_frame)
                : fmt::format("{}, {} shows a regular pattern of {} light-dark stripe pairs over {:.0f}% of the view "
                              "(Ofcom: more than five pairs if it moves or reverses, more than eight if still, over a "
                              "quarter of the screen, may provoke seizures); worst at frame {}.",
                              time, place, failure.pattern_pairs, percent, failure.worst_frame);
  }
  return {};
}

}  // namespace pavilion::flash
