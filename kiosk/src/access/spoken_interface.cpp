// The spoken interface (kiosk/ACCESSIBILITY.md): the keypad's keys answered, the focus moved and
// spoken, a select tapping the focused control, touch exploration in audio-only mode, screens
// announced, settings confirmed aloud, help, and the focus drawn by shape.
#include "access/spoken_text.h"

#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/strings.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace pavilion::kiosk {
namespace {

// The attract loop says how to start when it begins and again after this long, not constantly.
constexpr double invitation_every_seconds = 60;
constexpr float volume_step = 0.1f;
constexpr float min_volume = 0.1f;  // never silent: a visitor who turned it all the way down would be lost

bool visitor_screen(Screen screen) { return screen == Screen::attract || screen == Screen::home || screen == Screen::exhibit; }

void speak_help(Kiosk::State& kiosk);

void answer_key(Kiosk::State& kiosk, KeypadKey key) {
  const Language language = kiosk.visit.settings.language;
  if (kiosk.screen == Screen::closed) {
    kiosk.schedule.closed_notice_until = kiosk.now + 15;
    kiosk.speak(spoken(Spoken::help_closed, language), language, true);
    return;
  }
  if (visitor_screen(kiosk.screen)) {
    // A key is a touch: it starts a session, keeps it going, and answers "still there?".
    const bool asked = kiosk.visit.session.phase() == VisitorSession::Phase::still_there;
    if (kiosk.visit.session.touch(kiosk.now) == VisitorSession::Change::started) {
      log::info("kiosk", "visitor session {} started by the keypad", kiosk.visit.session.sessions_started());
      kiosk.report.sessions = kiosk.visit.session.sessions_started();
      kiosk.visit.log.start_session(interaction::InputMethod::keypad, kiosk.now, language_tag(language));
    }
    if (!kiosk.access.keypad_used) {
      kiosk.access.keypad_used = true;
      kiosk.extend_time_for_access();
    }
    if (asked) return;
    if (kiosk.screen == Screen::attract) {
      kiosk.go_home();
      return;
    }
  } else {
    kiosk.desk.last_touch = kiosk.now;
    kiosk.access.keypad_used = true;  // the focus shows on the operator's screens too
  }
  const std::span<const Control> order = kiosk.touch.focus_order();
  switch (key) {
    case KeypadKey::up:
    case KeypadKey::down: {
      const FocusRing::Move moved = kiosk.access.ring.move(order, key == KeypadKey::down ? 1 : -1);
      const Control* focused = kiosk.access.ring.focused(order);
      if (moved == FocusRing::Move::none || focused == nullptr) return;
      kiosk.access.focused_words = focused->spoken;
      std::array<char, 1024> words;
      if (moved == FocusRing::Move::moved) {
        kiosk.speak(focused->spoken, language, true);
      } else {
        const Spoken end = moved == FocusRing::Move::wrapped_to_first ? Spoken::top_of_list : Spoken::bottom_of_list;
        kiosk.speak(label(words, fmt::runtime(spoken(end, language)), focused->spoken), language, true);
      }
      return;
    }
    case KeypadKey::select: {
      const Control* focused = kiosk.access.ring.focused(order);
      if (focused == nullptr || kiosk.access.tap_phase != Access::TapPhase::none) return;
      kiosk.access.tap_x = (focused->min_x + focused->max_x) * 0.5f;
      kiosk.access.tap_y = (focused->min_y + focused->max_y) * 0.5f;
      kiosk.touch.pointer = {kiosk.access.tap_x, kiosk.access.tap_y, true, true};
      kiosk.access.tap_phase = Access::TapPhase::pressed;
      return;
    }
    case KeypadKey::back:
      if (kiosk.visit.accessibility_open) {
        kiosk.visit.accessibility_open = false;
      } else if (kiosk.screen == Screen::exhibit) {
        kiosk.go_home();
      } else if (kiosk.screen == Screen::operator_pin || kiosk.screen == Screen::operator_menu) {
        kiosk.screen = Screen::attract;
      } else if (kiosk.screen == Screen::test_pattern) {
        kiosk.screen = Screen::operator_menu;
      } else {
        // Home is the first screen: nothing to go back to, so it says where the visitor is.
        kiosk.speak(spoken(Spoken::home_screen, language), language, true);
      }
      return;
    case KeypadKey::help: speak_help(kiosk); return;
    case KeypadKey::volume_up:
    case KeypadKey::volume_down: {
      if (!kiosk.sound.narrator) return;
      const float step = key == KeypadKey::volume_up ? volume_step : -volume_step;
      kiosk.sound.narrator->set_volume(std::clamp(kiosk.sound.narrator->volume() + step, min_volume, 1.0f));
      std::array<char, 256> words;
      kiosk.speak(label(words, fmt::runtime(spoken(Spoken::volume, language)), std::lround(kiosk.sound.narrator->volume() * 100.0f)),
                  language, true);
      return;
    }
  }
}

void speak_help(Kiosk::State& kiosk) {
  const Language language = kiosk.visit.settings.language;
  std::array<char, 1024> words;
  std::string_view help = spoken(Spoken::help_attract, language);
  if (kiosk.visit.session.phase() == VisitorSession::Phase::still_there) {
    help = label(words, fmt::runtime(spoken(Spoken::still_there, language)),
                 static_cast<int>(std::ceil(kiosk.visit.session.seconds_left(kiosk.now, kiosk.visit.settings.time))));
  } else if (kiosk.visit.accessibility_open) {
    help = spoken(Spoken::help_accessibility, language);
  } else if (kiosk.screen == Screen::home) {
    help = spoken(Spoken::help_home, language);
  } else if (const scene::Exhibit* shown = kiosk.screen == Screen::exhibit ? kiosk.shown_exhibit() : nullptr) {
    // The exhibit's player says its own help where its screen is its own (a poem's touch zones).
    const std::string_view own = kiosk.player_for(*shown).help(language);
    help = !own.empty() ? own
                        : label(words, fmt::runtime(spoken(Spoken::help_exhibit, language)), pick(shown->metadata.title, language));
  } else if (kiosk.screen == Screen::operator_pin || kiosk.screen == Screen::operator_menu || kiosk.screen == Screen::test_pattern) {
    help = spoken(Spoken::help_operator, language);
  }
  kiosk.speak(help, language, true);
}

}  // namespace

const scene::Exhibit* Kiosk::State::shown_exhibit() const {
  if (!stage.shown_entry || *stage.shown_entry >= content.entries().size()) return nullptr;
  const std::vector<scene::Exhibit>& exhibits = content.entries()[*stage.shown_entry].exhibits;
  return stage.shown_exhibit < exhibits.size() ? &exhibits[stage.shown_exhibit] : nullptr;
}

bool Kiosk::State::speech_on() const { return access.keypad_used || visit.settings.audio_only; }

void Kiosk::State::speak(std::string_view words, Language language, bool interrupt) {
  if (sound.narrator && !words.empty()) sound.narrator->say(words, language_tag(language), interrupt, now);
}

void Kiosk::State::press_key(KeypadKey key) {
  if (access.key_count < access.keys.size()) access.keys[access.key_count++] = key;
}

void Kiosk::State::speak_description(const scene::Exhibit& exhibit, bool interrupt) {
  const Language language = visit.settings.language;
  // Simple mode reads the plain-language description where the exhibit has one.
  const bool easy = visit.settings.simple && !pick(exhibit.description_easy, language).empty();
  const std::string& description = pick(easy ? exhibit.description_easy : exhibit.alt_text, language);
  speak(description.empty() ? spoken(Spoken::no_description, language) : std::string_view(description), language, interrupt);
}

void Kiosk::State::answer_keys() {
  // A select's tap: lifted on the next frame, then a frame for what it opened to settle.
  if (access.tap_phase == Access::TapPhase::pressed) {
    touch.pointer = {access.tap_x, access.tap_y, false, true};
    access.tap_phase = Access::TapPhase::released;
  } else if (access.tap_phase == Access::TapPhase::released) {
    touch.pointer.present = false;
    access.tap_phase = Access::TapPhase::none;
  }
  const uint32_t count = access.key_count;
  access.key_count = 0;
  for (uint32_t index = 0; index < count; ++index) answer_key(*this, access.keys[index]);
}

void Kiosk::State::explore_by_touch(bool touched) {
  if (access.touch_held_back) {
    // The finger that explored is still down: the screens must not see it until it lifts.
    if (touch.pointer.down) {
      touch.pointer.down = false;
    } else {
      access.touch_held_back = false;
    }
    return;
  }
  if (!touched || !visitor_screen(screen) || access.tap_phase != Access::TapPhase::none) return;
  const Language language = visit.settings.language;
  const std::span<const Control> order = touch.focus_order();
  // The last drawn is on top.
  const auto under = std::find_if(order.rbegin(), order.rend(), [&](const Control& control) {
    return focusable(control) && touch.pointer.x >= control.min_x && touch.pointer.x < control.max_x &&
           touch.pointer.y >= control.min_y && touch.pointer.y < control.max_y;
  });
  if (!visit.settings.audio_only) {
    // Touch acts at once; the focus follows it, so the keypad goes on from the control touched.
    if (under != order.rend()) {
      access.ring.focus(order, under->name);
      access.focused_words = under->spoken;
    }
    return;
  }
  if (under == order.rend()) {
    speak(spoken(Spoken::nothing_here, language), language, true);
    return;
  }
  if (under->name == access.ring.name()) return;  // the second tap: it acts
  access.ring.focus(order, under->name);
  access.focused_words = under->spoken;
  speak(under->spoken, language, true);
  touch.pointer.down = false;
  access.touch_held_back = true;
}

namespace {

// The screen's name, said when it opens (into `words` where it is made up).
std::string_view screen_name(const Kiosk::State& kiosk, const Access::Context& context, std::array<char, 1024>& words) {
  const Language language = context.language;
  if (context.still_there) {
    return label(words, fmt::runtime(spoken(Spoken::still_there, language)),
                 static_cast<int>(std::ceil(kiosk.visit.session.seconds_left(kiosk.now, kiosk.visit.settings.time))));
  }
  if (context.panel) return spoken(Spoken::accessibility_screen, language);
  switch (context.screen) {
    case Screen::exhibit: {
      const scene::Exhibit* shown = kiosk.shown_exhibit();
      if (shown == nullptr) return {};
      std::array<char, 512> card;
      return label(words, fmt::runtime(spoken(Spoken::exhibit_screen, language)), card_words(card, *shown, language));
    }
    case Screen::home: return spoken(Spoken::home_screen, language);
    case Screen::closed: return spoken(Spoken::help_closed, language);
    case Screen::operator_pin: return spoken(Spoken::operator_pin_screen, language);
    case Screen::operator_menu: return spoken(Spoken::operator_menu_screen, language);
    case Screen::test_pattern: return spoken(Spoken::test_pattern_screen, language);
    case Screen::attract: return spoken(Spoken::invitation, language);
  }
  return {};
}

void say_invitation(Kiosk::State& kiosk, bool interrupt) {
  kiosk.speak(spoken(Spoken::invitation, Language::zh_cn), Language::zh_cn, interrupt);
  kiosk.speak(spoken(Spoken::invitation, Language::en), Language::en, false);
  kiosk.access.invitation_at = kiosk.now;
}

// Another screen, panel, exhibit or language: the focus goes to its first control (or back to
// where it was before a panel opened), and the screen's name and the focused control are said.
void announce(Kiosk::State& kiosk, const Access::Context& context) {
  Access& access = kiosk.access;
  if (context.screen == Screen::attract) {
    // The next visitor starts afresh: no focus shown, the narrator at its usual volume.
    access.keypad_used = false;
    access.ring.clear();
    if (kiosk.sound.narrator) kiosk.sound.narrator->set_volume(1.0f);
    say_invitation(kiosk, true);
    access.announced = context;
    return;
  }
  const std::span<const Control> order = kiosk.touch.focus_order();
  // A screen whose controls or scene are not there yet (a scene loading) is announced once they are.
  if (order.empty() && context.screen != Screen::closed) return;
  if (context.screen == Screen::exhibit && !kiosk.stage.settled()) return;
  const std::optional<Access::Context> before = access.announced;
  access.announced = context;
  Access::Context same_in_old_language = context;
  if (before) same_in_old_language.language = before->language;
  const bool language_only = before && *before == same_in_old_language;
  const bool modal = context.panel || context.still_there;
  const bool was_modal = before && (before->panel || before->still_there);
  if (modal && !was_modal) access.focus_before_panel = access.ring.name();
  if (!language_only) {
    access.ring.clear();
    if (!modal && was_modal) access.ring.focus(order, access.focus_before_panel);
  }
  access.ring.sync(order);
  const Control* focused = access.ring.focused(order);
  access.focused_words = focused ? std::string_view(focused->spoken) : std::string_view();
  // A sighted visitor touching the screen hears nothing but the question that ends their visit,
  // and their touch ends the attract loop's invitation.
  if (!kiosk.speech_on() && !context.still_there) {
    if (before && before->screen == Screen::attract && kiosk.sound.narrator) kiosk.sound.narrator->silence(kiosk.now);
    return;
  }
  // A poem that announces and recites itself as it opens (audio-only mode) is not talked over.
  if (context.screen == Screen::exhibit && !modal && kiosk.players_speaking()) return;
  const Language language = context.language;
  std::array<char, 1024> words;
  kiosk.speak(language_only ? spoken(Spoken::language_now, language) : screen_name(kiosk, context, words), language, true);
  if (focused) kiosk.speak(focused->spoken, language, false);
  const bool exhibit_opened = context.screen == Screen::exhibit && context.entry != SIZE_MAX && !modal &&
                              !(before && before->screen == Screen::exhibit && before->entry == context.entry &&
                                before->exhibit == context.exhibit);
  const scene::Exhibit* shown = kiosk.shown_exhibit();
  if (exhibit_opened && shown && kiosk.visit.settings.audio_descriptions) kiosk.speak_description(*shown, false);
}

// The same screen: the focused control gone (one that shows only sometimes) or its words changed
// (a setting switched, the text size stepped) is said, so every change is heard.
void follow_focus(Kiosk::State& kiosk, const Access::Context& context) {
  Access& access = kiosk.access;
  if (context.screen == Screen::attract && kiosk.now - access.invitation_at >= invitation_every_seconds) {
    say_invitation(kiosk, false);
  }
  const std::span<const Control> order = kiosk.touch.focus_order();
  const bool moved = access.ring.sync(order);
  const Control* focused = access.ring.focused(order);
  if (focused == nullptr || (!moved && focused->spoken == access.focused_words)) return;
  access.focused_words = focused->spoken;
  if (kiosk.speech_on()) kiosk.speak(focused->spoken, context.language, true);
}

// Shape, not colour alone: a thick outline, dark around light so it shows on any background,
// with a solid triangle in its top-left corner.
void draw_focus(const Kiosk::State& kiosk) {
  if (!kiosk.access.keypad_used && !kiosk.visit.settings.audio_only) return;
  const Control* focused = kiosk.access.ring.focused(kiosk.touch.focus_order());
  if (focused == nullptr) return;
  const float scale = kiosk.ui_scale();
  const float thickness = 6 * scale;
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  const ImVec2 min(std::max(focused->min_x, thickness), std::max(focused->min_y, thickness));
  const ImVec2 max(std::min(focused->max_x, size.x - thickness), std::min(focused->max_y, size.y - thickness));
  ImDrawList& draw = *ImGui::GetForegroundDrawList();
  draw.AddRect(min, max, color(0x000000), 0.0f, 0, thickness * 2);
  draw.AddRect(min, max, color(0xffd400), 0.0f, 0, thickness);
  const float mark = 28 * scale;
  draw.AddTriangleFilled(ImVec2(min.x - thickness, min.y - thickness), ImVec2(min.x + mark, min.y - thickness),
                         ImVec2(min.x - thickness, min.y + mark), color(0xffd400));
}

}  // namespace

void Kiosk::State::update_spoken_interface() {
  Access::Context context{screen, visit.accessibility_open && visitor_screen(screen),
                          visitor_screen(screen) && visit.session.phase() == VisitorSession::Phase::still_there,
                          visit.settings.language};
  if (screen == Screen::exhibit && shown_exhibit()) {
    context.entry = *stage.shown_entry;
    context.exhibit = stage.shown_exhibit;
  }
  if (!access.announced || *access.announced != context) {
    if (access.changed_to == context) {
      announce(*this, context);
    } else {
      access.changed_to = context;
    }
  } else {
    follow_focus(*this, context);
  }
  draw_focus(*this);
  report.focused_control = access.ring.name();
}

}  // namespace pavilion::kiosk
