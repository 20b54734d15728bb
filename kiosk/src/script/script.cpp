#include "pavilion/kiosk/script.h"

#include <fmt/format.h>

#include <regex>

namespace pavilion::kiosk {
namespace {

using checking::JsonChecker;
using nlohmann::json;

constexpr uint32_t max_repeat_depth = 4;

void parse_steps(JsonChecker& check, const json& steps, const std::string& path, uint32_t depth,
                 std::vector<ScriptStep>& out) {
  if (!steps.is_array()) {
    check.error(path, "must be a list of steps: [{\"wait\": 2}, {\"tap\": \"begin\"}, …]",
                "必须是步骤列表：[{\"wait\": 2}, {\"tap\": \"begin\"}, …]");
    return;
  }
  for (size_t index = 0; index < steps.size(); ++index) {
    const std::string step_path = fmt::format("{}[{}]", path, index);
    const json& step = steps[index];
    if (!step.is_object() || step.size() != 1) {
      check.error(step_path, "each step is an object with one action: wait, tap, drag, pinch, key, screenshot, expect, expect_focus, lose_device or repeat",
                  "每一步是只含一个动作的对象：wait、tap、drag、pinch、key、screenshot、expect、expect_focus、lose_device 或 repeat");
      continue;
    }
    const std::string& action = step.begin().key();
    if (action == "wait") {
      if (const auto seconds = check.number_field(step, step_path, "wait", 0, 7 * 24 * 3600)) {
        out.push_back(WaitStep{*seconds});
      }
    } else if (action == "tap") {
      const json& target = step["tap"];
      if (target.is_string()) {
        out.push_back(TapStep{target.get<std::string>()});
      } else if (const auto point = target.is_array() && target.size() == 2 && target[0].is_number() && target[1].is_number()
                                        ? std::optional(std::pair(target[0].get<float>(), target[1].get<float>()))
                                        : std::nullopt) {
        out.push_back(TapStep{"", point->first, point->second});
      } else {
        check.error(JsonChecker::join(step_path, "tap"), "name a control in quotes, or give a point [x, y] in pixels",
                    "请写带引号的控件名，或像素坐标 [x, y]");
      }
    } else if (action == "drag") {
      const json& drag = step["drag"];
      const std::string drag_path = JsonChecker::join(step_path, "drag");
      auto point = [](const json& value) {
        return value.is_array() && value.size() == 2 && value[0].is_number() && value[1].is_number()
                   ? std::optional(std::pair(value[0].get<float>(), value[1].get<float>()))
                   : std::nullopt;
      };
      if (!drag.is_object() || !drag.contains("from") || !point(drag.value("by", json()))) {
        check.error(drag_path, "must be {\"from\": a control's name or [x, y], \"by\": [dx, dy] in pixels, \"seconds\": s}",
                    "必须是 {\"from\": 控件名或 [x, y], \"by\": 像素位移 [dx, dy], \"seconds\": 秒数}");
        continue;
      }
      check.check_fields(drag, drag_path, {"from", "by", "seconds"});
      DragStep dragged;
      const auto by = point(drag["by"]);
      dragged.by_x = by->first;
      dragged.by_y = by->second;
      if (drag["from"].is_string()) {
        dragged.control = drag["from"].get<std::string>();
      } else if (const auto from = point(drag["from"])) {
        dragged.x = from->first;
        dragged.y = from->second;
      } else {
        check.error(JsonChecker::join(drag_path, "from"), "name a control in quotes, or give a point [x, y] in pixels",
                    "请写带引号的控件名，或像素坐标 [x, y]");
        continue;
      }
      if (drag.contains("seconds")) dragged.seconds = check.number_field(drag, drag_path, "seconds", 0.01, 60).value_or(0.5);
      out.push_back(std::move(dragged));
    } else if (action == "pinch") {
      const json& pinch = step["pinch"];
      const std::string pinch_path = JsonChecker::join(step_path, "pinch");
      const auto spacing = [&](const char* field) {
        return pinch.is_object() ? check.number_field(pinch, pinch_path, field, 1, 10000) : std::nullopt;
      };
      const std::optional<double> from = spacing("from");
      const std::optional<double> to = spacing("to");
      if (!pinch.is_object() || !pinch.contains("at") || !from || !to) {
        check.error(pinch_path, "must be {\"at\": a control's name or [x, y], \"from\": pixels apart, \"to\": pixels apart, \"seconds\": s}",
                    "必须是 {\"at\": 控件名或 [x, y], \"from\": 起始两指间距（像素）, \"to\": 结束两指间距（像素）, \"seconds\": 秒数}");
        continue;
      }
      check.check_fields(pinch, pinch_path, {"at", "from", "to", "seconds"});
      PinchStep pinched;
      pinched.from = static_cast<float>(*from);
      pinched.to = static_cast<float>(*to);
      const json& at = pinch["at"];
      if (at.is_string()) {
        pinched.control = at.get<std::string>();
      } else if (at.is_array() && at.size() == 2 && at[0].is_number() && at[1].is_number()) {
        pinched.x = at[0].get<float>();
        pinched.y = at[1].get<float>();
      } else {
        check.error(JsonChecker::join(pinch_path, "at"), "name a control in quotes, or give a point [x, y] in pixels",
                    "请写带引号的控件名，或像素坐标 [x, y]");
        continue;
      }
      if (pinch.contains("seconds")) pinched.seconds = check.number_field(pinch, pinch_path, "seconds", 0.01, 60).value_or(0.5);
      out.push_back(std::move(pinched));
    } else if (action == "screenshot") {
      if (const auto file = check.string_field(step, step_path, "screenshot", true)) out.push_back(ScreenshotStep{*file});
    } else if (action == "expect") {
      if (const auto screen = check.string_field(step, step_path, "expect", true)) out.push_back(ExpectStep{*screen});
    } else if (action == "key") {
      if (const auto name = check.string_field(step, step_path, "key", true)) {
        if (const auto key = keypad_key_named(*name)) {
          out.push_back(KeyStep{*key});
        } else {
          check.error(JsonChecker::join(step_path, "key"),
                      fmt::format("'{}' is not a key; use up, down, select, back, help, volume-up or volume-down", *name),
                      fmt::format("“{}”不是按键；请使用 up、down、select、back、help、volume-up 或 volume-down", *name));
        }
      }
    } else if (action == "expect_focus") {
      if (const auto control = check.string_field(step, step_path, "expect_focus", true)) {
        out.push_back(ExpectFocusStep{*control});
      }
    } else if (action == "lose_device") {
      out.push_back(LoseDeviceStep{});
    } else if (action == "repeat") {
      const json& repeat = step["repeat"];
      const std::string repeat_path = JsonChecker::join(step_path, "repeat");
      if (!repeat.is_object() || depth >= max_repeat_depth) {
        check.error(repeat_path, "must be {\"times\": N, \"steps\": […]}, nested at most 4 deep",
                    "必须是 {\"times\": N, \"steps\": […]}，最多嵌套 4 层");
        continue;
      }
      check.check_fields(repeat, repeat_path, {"times", "steps"});
      RepeatStep repeated;
      repeated.times = static_cast<uint32_t>(check.number_field(repeat, repeat_path, "times", 1, 1e6).value_or(1));
      if (const auto inner = repeat.find("steps"); inner != repeat.end()) {
        parse_steps(check, *inner, JsonChecker::join(repeat_path, "steps"), depth + 1, repeated.steps);
      } else {
        check.error(JsonChecker::join(repeat_path, "steps"), "this field is required", "此字段为必填项");
      }
      out.push_back(std::move(repeated));
    } else {
      check.error(JsonChecker::join(step_path, action),
                  fmt::format("'{}' is not an action; use wait, tap, drag, pinch, key, screenshot, expect, expect_focus, lose_device or repeat", action),
                  fmt::format("“{}”不是动作；请使用 wait、tap、drag、pinch、key、screenshot、expect、expect_focus、lose_device 或 repeat", action));
    }
  }
}

}  // namespace

std::optional<std::chrono::sys_seconds> parse_iso8601(std::string_view text) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|([+-])(\d{2}):(\d{2})))");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, pattern)) return std::nullopt;
  using namespace std::chrono;
  const auto number = [&](size_t group) { return std::stoi(match[group].str()); };
  const year_month_day date{year{number(1)}, month{static_cast<unsigned>(number(2))}, day{static_cast<unsigned>(number(3))}};
  if (!date.ok() || number(4) > 23 || number(5) > 59 || number(6) > 59) return std::nullopt;
  sys_seconds instant = sys_days{date} + hours{number(4)} + minutes{number(5)} + seconds{number(6)};
  if (match[7].str() != "Z") {
    const minutes offset = hours{number(9)} + minutes{number(10)};
    instant -= match[8].str() == "+" ? offset : -offset;
  }
  return instant;
}

std::optional<VisitScript> parse_visit_script(std::string_view text, const std::filesystem::path& file,
                                              std::vector<checking::Finding>& findings) {
  std::optional<json> parsed = checking::parse_json_object(text, file, findings, "a visit script holds one object {\"steps\": […]}",
                                                         "参观脚本必须包含一个对象 {\"steps\": […]}");
  if (!parsed) return std::nullopt;
  const json& root = *parsed;
  JsonChecker check(file, findings);
  check.check_fields(root, "", {"start", "frame_seconds", "steps"});
  VisitScript script;
  script.file = file;
  if (const auto start = check.string_field(root, "", "start", false)) {
    if (const auto instant = parse_iso8601(*start)) {
      script.start = *instant;
    } else {
      check.error("start", fmt::format("'{}' is not a time; write it as 2027-01-28T10:00:00+08:00", *start),
                  fmt::format("“{}”不是时间；请写成 2027-01-28T10:00:00+08:00", *start));
    }
  } else {
    script.start = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  script.frame_seconds = check.number_field(root, "", "frame_seconds", 0.001, 3600.0).value_or(script.frame_seconds);
  if (const auto steps = root.find("steps"); steps != root.end()) {
    parse_steps(check, *steps, "steps", 0, script.steps);
  } else {
    check.error("steps", "this field is required", "此字段为必填项");
  }
  if (check.has_errors()) return std::nullopt;
  return script;
}

Result<VisitScript> read_visit_script(const std::filesystem::path& file) {
  return checking::read_json_file(file, parse_visit_script);
}

}  // namespace pavilion::kiosk
