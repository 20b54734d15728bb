// The operator's screens: the PIN, the status menu and the test pattern, and the warnings they
// show.
#include "kiosk_state.h"
#include "access/spoken_text.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {
namespace {

constexpr size_t operator_log_lines = 12;
constexpr uint32_t pin_tries_before_lockout = 5;
constexpr double pin_lockout_seconds = 300;

}  // namespace

void OperatorDesk::note(std::string line, const LocalTime& time) {
  log.push_front(fmt::format("{:02}:{:02} {}", time.minute_of_day / 60, time.minute_of_day % 60, line));
  if (log.size() > operator_log_lines) log.pop_back();
}

void Kiosk::State::note_for_operator(std::string line) { desk.note(std::move(line), local_now()); }

void Kiosk::State::draw_operator_pin() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  begin_fullscreen("operator-pin", true);
  std::array<char, 256> buffer;
  const float key = 96 * scale;
  const float pad_width = 3 * key + 2 * ImGui::GetStyle().ItemSpacing.x;
  const float left = (size.x - pad_width) * 0.5f;
  ImGui::SetCursorPos(ImVec2(left, 40 * scale));
  ImGui::TextUnformatted(label(buffer, "{} · {}", text(Text::enter_pin, Language::zh_cn), text(Text::enter_pin, Language::en)));
  ImGui::SetCursorPosX(left);
  const bool locked = now < desk.pin_locked_until;
  if (locked) {
    ImGui::TextUnformatted(label(buffer, "{} · {}", text(Text::locked_out, Language::zh_cn), text(Text::locked_out, Language::en)));
  } else if (desk.pin_rejected) {
    ImGui::TextUnformatted(label(buffer, "{} · {}", text(Text::wrong_pin, Language::zh_cn), text(Text::wrong_pin, Language::en)));
  } else {
    std::array<char, 32> dots{};
    size_t length = 0;
    for (size_t digit = 0; digit < desk.pin_entry.size() && length + 4 < dots.size(); ++digit) {
      for (const char byte : std::string_view("● ")) dots[length++] = byte;
    }
    ImGui::TextUnformatted(dots.data());
  }
  constexpr std::array<std::string_view, 12> keys{"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "cancel"};
  for (size_t index = 0; index < keys.size(); ++index) {
    if (index % 3 == 0) ImGui::SetCursorPosX(left);
    const std::string_view name = keys[index];
    const std::string_view shown = name == "clear"    ? text(Text::clear, visit.settings.language)
                                   : name == "cancel" ? text(Text::cancel, visit.settings.language)
                                                      : name;
    std::array<char, 256> control;
    if (button(label(control, "pin:{}", name), shown, key, key * 0.8f)) {
      if (name == "cancel") {
        screen = Screen::attract;
      } else if (name == "clear") {
        desk.pin_entry.clear();
      } else if (!locked && desk.pin_entry.size() < 8) {
        desk.pin_rejected = false;
        desk.pin_entry += name;
        if (desk.pin_entry.size() == config.operator_pin.size()) {
          if (desk.pin_entry == config.operator_pin) {
            desk.wrong_pins = 0;
            screen = Screen::operator_menu;
            note_for_operator("operator menu opened");
          } else {
            desk.pin_rejected = true;
            if (++desk.wrong_pins >= pin_tries_before_lockout) {
              desk.pin_locked_until = now + pin_lockout_seconds;
              desk.wrong_pins = 0;
              note_for_operator("operator PIN locked for 5 minutes after 5 wrong tries");
            }
          }
          desk.pin_entry.clear();
        }
      }
    }
    if (index % 3 != 2) ImGui::SameLine();
  }
  ImGui::End();
}

void Kiosk::State::draw_operator_menu() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const float scale = ui_scale();
  const Language language = visit.settings.language;
  begin_fullscreen("operator-menu", true);
  ImGui::PushFont(display.ui->title_font());
  ImGui::TextUnformatted(text(Text::operator_title, language).data());
  ImGui::PopFont();
  std::array<char, 256> buffer;
  // Something for the operator to look into, marked; a sentence that may run long.
  std::array<char, 1024> problem_text;
  const auto problem = [&](std::string_view message) { display.ui->wrapper().text(label(problem_text, "  ! {}", message)); };
  ImGui::TextUnformatted(label(buffer, "Pavilion {} · {} ({})", PAVILION_VERSION, display.context->device_choice().name,
                               display.context->device_choice().type));
  std::error_code error;
  const auto space = std::filesystem::space(config.content, error);
  if (!error) {
    ImGui::TextUnformatted(label(buffer, fmt::runtime(text(Text::disk_free, language)),
                                 static_cast<double>(space.available) / 1e9, static_cast<double>(space.capacity) / 1e9));
  }
  if (const telemetry::Uploader* uploader = events->uploader()) {
    const telemetry::UploaderStats upload = uploader->stats();
    std::array<char, 256> state_text;
    if (upload.token_refused) {
      label(state_text, "{}", text(Text::upload_token_refused, language));
    } else if (upload.consecutive_failures > 0) {
      label(state_text, fmt::runtime(text(Text::upload_failing, language)), upload.consecutive_failures, upload.queued);
    } else if (upload.last_success_ms == 0) {
      label(state_text, fmt::runtime(text(Text::upload_never, language)), upload.queued);
    } else {
      const int64_t minutes = std::max<int64_t>(0, (telemetry::system_clock_ms() - upload.last_success_ms) / 60'000);
      label(state_text, fmt::runtime(text(Text::upload_ago, language)), minutes, upload.queued);
    }
    ImGui::TextUnformatted(label(buffer, "{}: {}", text(Text::last_upload, language), state_text.data()));
    if (!upload.last_error.empty()) problem(upload.last_error);
    if (upload.quarantined > 0) {
      problem(label(buffer, fmt::runtime(text(Text::upload_quarantined, language)), upload.quarantined,
                    config.telemetry_queue.filename().string()));
    }
  } else {
    ImGui::TextUnformatted(label(buffer, "{}: {}", text(Text::last_upload, language), text(Text::no_hub, language)));
  }
  if (const telemetry::Telemetry* telemetry = events->telemetry()) {
    const telemetry::TelemetryStats stats = telemetry->stats();
    ImGui::TextUnformatted(label(buffer, fmt::runtime(text(Text::interaction_log, language)), stats.recorded,
                                 stats.written, stats.dropped_ring_full));
    if (!stats.last_error.empty()) problem(stats.last_error);
  } else {
    ImGui::TextUnformatted(text(Text::interaction_log_off, language).data());
  }
  ImGui::TextUnformatted(label(buffer, fmt::runtime(text(Text::packages, language)), content.entries().size(),
                               content.problems().size()));
  ImGui::PushTextWrapPos(size.x - 420 * scale);
  for (const ContentEntry& entry : content.entries()) {
    const bool in_season = std::find(schedule.active.begin(), schedule.active.end(),
                                     static_cast<size_t>(&entry - content.entries().data())) != schedule.active.end();
    ImGui::TextUnformatted(label(buffer, "  {} — {} {} ({})", entry.file.filename().string(), entry.id, entry.version,
                                 text(in_season ? Text::in_season : Text::out_of_season, language)));
  }
  for (const ContentProblem& content_problem : content.problems()) problem(pick(content_problem.summary, language));
  if (updater) {
    for (const LocalizedText& line : updater->operator_lines()) {
      display.ui->wrapper().text(pick(line, language));
    }
  }
  ImGui::Spacing();
  for (const std::string& line : desk.log) display.ui->wrapper().text(line);
  ImGui::PopTextWrapPos();

  const float width = 360 * scale;
  const float height = 80 * scale;
  float y = 110 * scale;
  auto action = [&](const char* name, Text words, bool accent = false) {
    ImGui::SetCursorPos(ImVec2(size.x - width - 30 * scale, y));
    y += height + 16 * scale;
    return button(name, label(buffer, "{} {}", text(words, Language::zh_cn), text(words, Language::en)), width, height, accent,
                  text(words, language));
  };
  if (action("operator:reload", Text::reload_content)) {
    note_for_operator("content reloaded by the operator");
    if (auto reloaded = open_content(); !reloaded) note_for_operator("reloading failed: " + reloaded.error().why());
  }
  if (action("operator:test-pattern", Text::test_pattern)) screen = Screen::test_pattern;
  if (action("operator:restart", Text::restart)) desk.restart_requested = true;
  if (action("operator:close", Text::close, true)) screen = Screen::attract;
  ImGui::End();
}

void Kiosk::State::draw_test_pattern() {
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  ImDrawList& draw = *ImGui::GetBackgroundDrawList();
  // SMPTE-like bars, a grid every 10 % and a centred circle: colour, geometry and focus at a glance.
  constexpr std::array<uint32_t, 8> bars{0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000};
  const float bar_width = size.x / static_cast<float>(bars.size());
  for (size_t index = 0; index < bars.size(); ++index) {
    draw.AddRectFilled(ImVec2(bar_width * static_cast<float>(index), 0), ImVec2(bar_width * static_cast<float>(index + 1), size.y),
                       color(bars[index]));
  }
  for (int step = 1; step < 10; ++step) {
    const float fraction = static_cast<float>(step) / 10.0f;
    draw.AddLine(ImVec2(size.x * fraction, 0), ImVec2(size.x * fraction, size.y), color(0x808080), 1.0f);
    draw.AddLine(ImVec2(0, size.y * fraction), ImVec2(size.x, size.y * fraction), color(0x808080), 1.0f);
  }
  draw.AddCircle(ImVec2(size.x * 0.5f, size.y * 0.5f), size.y * 0.4f, color(0xffffff), 96, 3.0f);
  draw.AddRectFilled(ImVec2(size.x * 0.5f - 260, size.y * 0.5f - 24), ImVec2(size.x * 0.5f + 260, size.y * 0.5f + 24),
                     color(0x000000));
  centered_text(draw, display.ui->body_font(), size.y * 0.5f - 18, "测试图案 Test pattern", color(0xffffff));
  begin_fullscreen("test-pattern", false);
  ImGui::SetCursorPos(ImVec2(0, 0));
  if (invisible_button("test-pattern:back", size.x, size.y, spoken(Spoken::test_pattern_back, visit.settings.language))) {
    screen = Screen::operator_menu;
  }
  ImGui::End();
}

}  // namespace pavilion::kiosk
