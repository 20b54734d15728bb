// The kiosk's spoken interface, focus and keypad (kiosk/ACCESSIBILITY.md): the focus ring's rules
// without a screen, then scripted visitors who cannot see it, headless, heard through the
// loopback device on the virtual clock.
#include "access/focus_ring.h"
#include "access/keypad_keys.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "sample_packages.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pavilion::kiosk {
namespace {

using testing::TemporaryFolder;

Control control(std::string name, std::string words = "words") {
  Control made;
  made.name = std::move(name);
  made.spoken = std::move(words);
  return made;
}

TEST(KioskFocusRing, MovesInDrawingOrderAndSaysWhereItWrapped) {
  const std::vector<Control> controls{control("language"), control("accessibility"), control("end-visit")};
  FocusRing ring;
  EXPECT_EQ(ring.move(controls, 1), FocusRing::Move::moved);
  EXPECT_EQ(ring.name(), "language");
  EXPECT_EQ(ring.move(controls, 1), FocusRing::Move::moved);
  EXPECT_EQ(ring.name(), "accessibility");
  EXPECT_EQ(ring.move(controls, 1), FocusRing::Move::moved);
  EXPECT_EQ(ring.move(controls, 1), FocusRing::Move::wrapped_to_first);
  EXPECT_EQ(ring.name(), "language");
  EXPECT_EQ(ring.move(controls, -1), FocusRing::Move::wrapped_to_last);
  EXPECT_EQ(ring.name(), "end-visit");
  EXPECT_EQ(ring.move(controls, -1), FocusRing::Move::moved);
  EXPECT_EQ(ring.name(), "accessibility");
}

TEST(KioskFocusRing, UpFromNothingGoesToTheLastAndAControlAloneStays) {
  const std::vector<Control> controls{control("a"), control("b"), control("c")};
  FocusRing ring;
  EXPECT_EQ(ring.move(controls, -1), FocusRing::Move::moved);
  EXPECT_EQ(ring.name(), "c");
  const std::vector<Control> alone{control("keep-exploring")};
  FocusRing single;
  EXPECT_EQ(single.move(alone, 1), FocusRing::Move::moved);
  EXPECT_EQ(single.move(alone, 1), FocusRing::Move::none);
  EXPECT_EQ(single.move(alone, -1), FocusRing::Move::none);
  EXPECT_EQ(single.name(), "keep-exploring");
  EXPECT_EQ(FocusRing().move(std::vector<Control>{}, 1), FocusRing::Move::none);
}

TEST(KioskFocusRing, AControlWithoutWordsIsNeverFocused) {
  const std::vector<Control> controls{control("operator-corner", ""), control("begin"), control("corner-2", "")};
  FocusRing ring;
  EXPECT_TRUE(ring.sync(controls));
  EXPECT_EQ(ring.name(), "begin");
  EXPECT_EQ(ring.move(controls, 1), FocusRing::Move::none);
  EXPECT_EQ(ring.move(controls, -1), FocusRing::Move::none);
  EXPECT_FALSE(ring.focus(controls, "operator-corner"));
  EXPECT_EQ(ring.name(), "begin");
  EXPECT_EQ(ring.focused(controls), &controls[1]);
}

TEST(KioskFocusRing, FocusIsKeptByNameAcrossFramesAndFallsToTheFirstWhenItsControlGoes) {
  FocusRing ring;
  std::vector<Control> frame{control("a"), control("b"), control("c")};
  ASSERT_TRUE(ring.focus(frame, "b"));
  // The next frame draws the same controls elsewhere, with other words, and one more before.
  std::vector<Control> next{control("new"), control("a"), control("b", "other words"), control("c")};
  next[2].min_x = 100;
  EXPECT_FALSE(ring.sync(next));
  EXPECT_EQ(ring.name(), "b");
  EXPECT_EQ(ring.focused(next)->min_x, 100);
  EXPECT_EQ(ring.move(next, 1), FocusRing::Move::moved);
  EXPECT_EQ(ring.name(), "c");
  const std::vector<Control> gone{control("x"), control("y")};
  EXPECT_TRUE(ring.sync(gone));
  EXPECT_EQ(ring.name(), "x");
  EXPECT_TRUE(ring.sync(std::vector<Control>{}));
  EXPECT_EQ(ring.name(), "");
  EXPECT_EQ(ring.focused(gone), nullptr);
}

// The keys ACCESSIBILITY.md's table lists, each sending its keypad key; visit scripts name them.
TEST(KioskKeypad, KeyboardKeysSendTheKeypadsKeysAndScriptsNameThem) {
  using render::Key;
  const std::vector<std::pair<Key, KeypadKey>> table{
      {Key::up, KeypadKey::up},          {Key::left, KeypadKey::up},          {Key::keypad_8, KeypadKey::up},
      {Key::down, KeypadKey::down},      {Key::right, KeypadKey::down},       {Key::keypad_2, KeypadKey::down},
      {Key::enter, KeypadKey::select},   {Key::keypad_enter, KeypadKey::select}, {Key::space, KeypadKey::select},
      {Key::keypad_5, KeypadKey::select}, {Key::backspace, KeypadKey::back},  {Key::escape, KeypadKey::back},
      {Key::keypad_0, KeypadKey::back},  {Key::h, KeypadKey::help},           {Key::f1, KeypadKey::help},
      {Key::slash, KeypadKey::help},     {Key::keypad_multiply, KeypadKey::help}, {Key::equals, KeypadKey::volume_up},
      {Key::keypad_add, KeypadKey::volume_up}, {Key::minus, KeypadKey::volume_down},
      {Key::keypad_subtract, KeypadKey::volume_down}};
  for (const auto& [key, sent] : table) {
    EXPECT_EQ(keypad_key_for(key), sent) << static_cast<int>(key);
    EXPECT_EQ(keypad_key_named(to_string(sent)), sent);
  }
  EXPECT_EQ(to_string(KeypadKey::volume_up), "volume-up");
  EXPECT_FALSE(keypad_key_named("sideways"));

  std::vector<checking::Finding> findings;
  const auto script = parse_visit_script(R"({"steps": [{"key": "volume-down"}, {"expect_focus": "begin"}]})", "v.json", findings);
  ASSERT_TRUE(script);
  ASSERT_EQ(script->steps.size(), 2u);
  EXPECT_EQ(std::get<KeyStep>(script->steps[0]).key, KeypadKey::volume_down);
  EXPECT_EQ(std::get<ExpectFocusStep>(script->steps[1]).control, "begin");
  EXPECT_FALSE(parse_visit_script(R"({"steps": [{"key": "sideways"}]})", "v.json", findings));
  ASSERT_FALSE(findings.empty());
  EXPECT_NE(findings.back().describe().find("'sideways' is not a key"), std::string::npos) << findings.back().describe();
}

// Small screens keep the software rasterizer quick; the density is scaled to match.
constexpr uint32_t test_width = 320;
constexpr uint32_t test_height = 180;
constexpr double frame_seconds = 0.1;

class KioskAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    std::filesystem::create_directories(shots_folder());
  }
  // The poems alone, and the poems with the gallery.
  void SetUp() override {
    ASSERT_TRUE(testing::link_sample_package(*folder_ / "poems", "poetry_garden.pvpkg"));
    for (const char* file : {"poetry_garden.pvpkg", "gallery.pvpkg"}) {
      ASSERT_TRUE(testing::link_sample_package(*folder_ / "both", file));
    }
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  static std::filesystem::path shots_folder() { return *folder_ / "shots"; }

  static KioskConfig config(const char* content) {
    KioskConfig out;
    out.file = "test kiosk.json";
    out.content = *folder_ / content;
    out.trusted_keys = {testing::sample_packages_key};
    out.operator_pin = "2468";
    out.idle_timeout_seconds = 30;
    out.still_there_seconds = 10;
    out.utc_offset = std::chrono::minutes(480);
    out.pixels_per_mm = 3.8 * test_height / 720.0;
    return out;
  }

  // What each frame showed and heard, frame by frame.
  struct Frame {
    double time = 0;
    double sound_level = 0;
    std::string focused;
    std::set<std::string> drawn;  // the names of the controls drawn with words
    Control focused_control;      // its rectangle, when one has the focus
    std::vector<Control> controls;  // every control drawn, in drawing order
  };
  struct Run {
    KioskReport report;
    std::vector<Frame> frames;
  };

  static Run run(const KioskConfig& kiosk, std::string_view steps) {
    std::vector<checking::Finding> findings;
    KioskOptions options;
    options.headless = true;
    options.width = test_width;
    options.height = test_height;
    options.screenshot_folder = shots_folder();
    options.script = parse_visit_script(
        fmt::format(R"({{"start": "2027-02-10T10:00:00+08:00", "frame_seconds": {}, "steps": [{}]}})", frame_seconds, steps),
        "test visit.json", findings);
    EXPECT_TRUE(options.script) << (findings.empty() ? "" : findings[0].describe());
    Run out;
    options.after_frame = [&](const KioskReport& report) {
      Frame frame{static_cast<double>(report.frames) * frame_seconds, report.sound_level, report.focused_control, {}, {},
                  report.controls};
      for (const Control& drawn : report.controls) {
        if (!drawn.spoken.empty()) frame.drawn.insert(drawn.name);
        if (drawn.name == report.focused_control) frame.focused_control = drawn;
      }
      out.frames.push_back(std::move(frame));
    };
    auto created = Kiosk::create(kiosk, options);
    EXPECT_TRUE(created.ok()) << created.error().describe();
    if (!created.ok()) return out;
    const auto ended = (*created)->run();
    EXPECT_TRUE(ended.ok()) << ended.error().describe();
    out.report = (*created)->report();
    for (const std::string& failure : out.report.script_failures) ADD_FAILURE() << failure;
    return out;
  }

  // Whether the loopback heard something in the half second after `time`.
  static bool heard_after(const Run& run, double time) { return heard_within(run, time, time + 0.5); }
  // Whether the loopback heard something in a frame from `from` to `to`.
  static bool heard_within(const Run& run, double from, double to) {
    return std::any_of(run.frames.begin(), run.frames.end(), [&](const Frame& frame) {
      return frame.time >= from && frame.time <= to && frame.sound_level > 1e-3;
    });
  }

  static TemporaryFolder* folder_;
};

TemporaryFolder* KioskAccess::folder_ = nullptr;

struct Said {
  std::string text;
  std::string language;
  friend bool operator==(const Said&, const Said&) = default;
};

void PrintTo(const Said& said, std::ostream* out) { *out << "[" << said.language << "] " << said.text; }

// A blind visitor with headphones, the keypad only: starts, switches to English, opens the
// celadon vase (a model exhibit), hears its description, goes back home, opens a poem and has it
// recited, makes the text larger and ends the visit. Every line the kiosk says on the way is
// checked, in order and none besides, and each was heard while it was being said.
TEST_F(KioskAccess, ABlindVisitorCompletesAVisitWithTheKeypadOnly) {
  const std::string_view steps = R"(
      {"wait": 1}, {"expect": "attract"},
      {"key": "down"}, {"wait": 5}, {"expect": "home"}, {"expect_focus": "language"},
      {"key": "select"}, {"wait": 3}, {"expect_focus": "language"},
      {"key": "down"}, {"wait": 1.5}, {"key": "down"}, {"wait": 1.5}, {"key": "down"}, {"wait": 1.5}, {"key": "down"}, {"wait": 2.5},
      {"expect_focus": "exhibit:gallery/celadon-vase"},
      {"key": "select"}, {"wait": 8}, {"expect": "exhibit"}, {"expect_focus": "home"},
      {"key": "down"}, {"wait": 1.5}, {"key": "down"}, {"wait": 1.5}, {"key": "down"}, {"wait": 2.5},
      {"expect_focus": "describe"}, {"key": "select"}, {"wait": 9},
      {"key": "back"}, {"wait": 4}, {"expect": "home"}, {"expect_focus": "language"},
      {"key": "up"}, {"wait": 3}, {"expect_focus": "next-page"}, {"key": "select"}, {"wait": 3},
      {"key": "up"}, {"wait": 2.5}, {"key": "up"}, {"wait": 2.5}, {"key": "up"}, {"wait": 2.5},
      {"expect_focus": "exhibit:poetry-garden/quiet-night"},
      {"key": "select"}, {"wait": 5}, {"expect": "exhibit"}, {"expect_focus": "poem:play"},
      {"key": "select"}, {"wait": 16},
      {"key": "up"}, {"wait": 2.5}, {"expect_focus": "accessibility"},
      {"key": "select"}, {"wait": 5}, {"expect_focus": "text-smaller"},
      {"key": "down"}, {"wait": 2.5}, {"expect_focus": "text-larger"}, {"key": "select"}, {"wait": 3},
      {"key": "back"}, {"wait": 5}, {"expect": "exhibit"}, {"expect_focus": "accessibility"},
      {"key": "back"}, {"wait": 5}, {"expect": "home"},
      {"key": "down"}, {"wait": 1.5}, {"key": "down"}, {"wait": 1.5}, {"expect_focus": "end-visit"},
      {"key": "select"}, {"wait": 2}, {"expect": "attract"})";
  const Run visit = run(config("both"), steps);
  const KioskReport& report = visit.report;
  EXPECT_EQ(report.sessions, 1u);
  // The invitation (its English cut off by the first key), home, the language switched, down
  // to the vase past the room's card, its screen and buttons, its description, home again, on to
  // the next page and back up to the poem, its recitation (the button says "Pause" while it
  // plays and "Recite" once it ends), the panel's text size, back out, and the end.
  const std::vector<Said> expected{
      {"欢迎参观。触摸屏幕，或按键盘上任意一个键，开始参观。上下键选择，确认键打开，帮助键听说明。", "zh-CN"},
      {"Welcome. To begin, touch the screen or press any key. Up and down move between items, select opens one, "
       "help tells you what you can do.", "en"},
      {"首页，请选择展品", "zh-CN"},
      {"语言：切换到英文", "zh-CN"},
      {"English now", "en"},
      {"Language: switch to Chinese", "en"},
      {"Accessibility", "en"},
      {"End visit", "en"},
      {"The gallery room, Pavilion sample", "en"},
      {"Longquan celadon vase with crackled glaze (replica), In the Longquan style, made procedurally", "en"},
      {"Exhibit: "
       "Longquan celadon vase with crackled glaze (replica), In the Longquan style, made procedurally", "en"},
      {"Home", "en"},
      {"Previous", "en"},
      {"Next", "en"},
      {"Hear the audio description", "en"},
      {"A green porcelain vase about 75 cm tall, with a round body, a slender neck and a glaze of fine cracks.", "en"},
      {"Home: choose an exhibit", "en"},
      {"Language: switch to Chinese", "en"},
      {"At the bottom: Next page, page 1 of 3", "en"},
      {"Next page, page 2 of 3", "en"},
      {"Previous page, page 2 of 3", "en"},
      {"Spring Dawn, Meng Haoran", "en"},
      {"Quiet Night Thought, Li Bai", "en"},
      {"Exhibit: Quiet Night Thought, Li Bai", "en"},
      {"Recite", "en"},
      {"Pause", "en"},
      {"Recite", "en"},
      {"At the bottom: Accessibility", "en"},
      {"Accessibility settings", "en"},
      {"Smaller text, now 100 percent", "en"},
      {"Larger text, now 100 percent", "en"},
      {"Larger text, now 125 percent", "en"},
      {"Exhibit: Quiet Night Thought, Li Bai", "en"},
      {"Accessibility", "en"},
      {"Home: choose an exhibit", "en"},
      {"Language: switch to Chinese", "en"},
      {"Accessibility", "en"},
      {"End visit", "en"},
      {"欢迎参观。触摸屏幕，或按键盘上任意一个键，开始参观。上下键选择，确认键打开，帮助键听说明。", "zh-CN"},
      {"Welcome. To begin, touch the screen or press any key. Up and down move between items, select opens one, "
       "help tells you what you can do.", "en"},
  };
  std::string lines;
  for (const SpokenLine& line : report.spoken) {
    lines += fmt::format("\n  {:.1f} {:.1f} {:.1f} [{}] {}", line.asked_at, line.started_at, line.ended_at, line.language, line.text);
  }
  SCOPED_TRACE(lines);
  std::vector<Said> said;
  for (const SpokenLine& line : report.spoken) said.push_back({line.text, line.language});
  EXPECT_EQ(said, expected);
  // Each line was heard on the loopback between its start and its end (the end of the run for
  // the last, still being said), but those cut short by the next before they began.
  const double end = visit.frames.back().time;
  for (const SpokenLine& line : report.spoken) {
    if (line.started_at < 0) {
      // Dropped as a key cut in (the invitation's second language), or the last, still waiting
      // as the run ended.
      EXPECT_TRUE(line.ended_at >= line.asked_at || &line == &report.spoken.back()) << line.text << " was never started";
      continue;
    }
    EXPECT_GE(line.started_at, line.asked_at) << line.text;
    const double ended = line.ended_at < 0 ? end : line.ended_at;
    EXPECT_TRUE(heard_within(visit, line.started_at, ended)) << line.text << " was not heard while it was said";
  }
  // The recitation was heard too: sound in the seconds after "Pause" was said, while the narrator
  // said nothing.
  const auto pause = std::find_if(report.spoken.begin(), report.spoken.end(),
                                  [](const SpokenLine& line) { return line.text == "Pause"; });
  ASSERT_NE(pause, report.spoken.end()) << lines;
  const double quiet_from = pause->ended_at + 1;
  const double quiet_until = quiet_from + 7;
  for (const SpokenLine& line : report.spoken) {
    EXPECT_FALSE(line.ended_at > quiet_from && line.started_at < quiet_until) << line.text;
  }
  size_t frames = 0;
  size_t heard = 0;
  for (const Frame& frame : visit.frames) {
    if (frame.time < quiet_from || frame.time >= quiet_until) continue;
    ++frames;
    if (frame.sound_level > 1e-3) ++heard;
  }
  EXPECT_GT(frames, 60u);
  EXPECT_GT(heard, frames * 7 / 10) << "the recitation was not heard (its pauses between lines aside)";
}

// Which screen a frame showed, by the controls it drew ("" while one loads or changes).
std::string screen_of(const std::set<std::string>& drawn) {
  if (drawn.contains("keep-exploring")) return "still-there";
  if (drawn.contains("accessibility-done")) return drawn.contains("high-contrast") ? "panel" : "panel-next";
  if (drawn.contains("end-visit")) {
    if (drawn.contains("exhibit:gallery/celadon-vase")) return "home";
    return drawn.contains("exhibit:poetry-garden/quiet-night") ? "home-next" : "";
  }
  if (drawn.contains("poem:pause-resume")) return "audio-only poem";
  if (drawn.contains("poem:play")) return "poem";
  if (drawn.contains("describe")) return "model";
  if (drawn.contains("pin:2")) return "operator PIN";
  if (drawn.contains("operator:test-pattern")) return "operator menu";
  if (drawn.contains("test-pattern:back")) return "test pattern";
  return "";
}

// Each screen walked with the down key: the focus visited every control it drew with words (but
// those of the screen under the accessibility panel, which holds the focus while it shows).
// "Still there?" has one control, focused as it opens: a key would answer it.
TEST_F(KioskAccess, EveryControlOfEveryScreenIsReachedInFocusOrder) {
  std::string walk;
  for (int press = 0; press < 18; ++press) walk += R"({"key": "down"}, {"wait": 0.2}, )";
  const std::string steps = fmt::format(
      R"({{"wait": 0.5}}, {{"tap": "begin"}}, {{"wait": 31}}, {{"expect": "still-there"}}, {{"wait": 1}},
      {{"tap": "keep-exploring"}}, {{"wait": 1}}, {{"expect": "home"}}, {0}
      {{"tap": "next-page"}}, {{"wait": 0.5}}, {0} {{"tap": "previous-page"}}, {{"wait": 0.5}},
      {{"tap": "accessibility"}}, {{"wait": 1}}, {0} {{"key": "back"}}, {{"wait": 0.5}},
      {{"tap": "exhibit:gallery/celadon-vase"}}, {{"wait": 3}}, {0}
      {{"key": "back"}}, {{"wait": 0.5}}, {{"tap": "next-page"}}, {{"tap": "exhibit:poetry-garden/quiet-night"}}, {{"wait": 3}}, {0}
      {{"tap": "accessibility"}}, {{"tap": "audio-only"}}, {{"tap": "accessibility-done"}}, {{"tap": "accessibility-done"}},
      {{"wait": 1}}, {0} {{"key": "back"}}, {{"wait": 1}}, {{"tap": "end-visit"}}, {{"tap": "end-visit"}}, {{"wait": 1}},
      {{"expect": "attract"}},
      {{"tap": "operator-corner"}}, {{"tap": "operator-corner"}}, {{"tap": "operator-corner"}}, {{"wait": 0.5}},
      {{"expect": "operator-pin"}}, {0}
      {{"tap": "pin:2"}}, {{"tap": "pin:4"}}, {{"tap": "pin:6"}}, {{"tap": "pin:8"}}, {{"wait": 0.5}}, {{"expect": "operator"}}, {0}
      {{"tap": "operator:test-pattern"}}, {{"wait": 0.5}}, {{"expect": "test-pattern"}}, {0} {{"wait": 0.5}})",
      walk);
  const Run visit = run(config("both"), steps);
  // A focus counts once it has stood for two frames on the same screen (not in the frame that
  // changed it); a screen's controls are all it drew with words while shown.
  std::map<std::string, std::set<std::string>> focused_on;
  std::map<std::string, std::set<std::string>> drawn_on;
  for (size_t index = 1; index < visit.frames.size(); ++index) {
    const Frame& frame = visit.frames[index];
    const Frame& before = visit.frames[index - 1];
    const std::string screen = screen_of(frame.drawn);
    if (screen.empty() || screen != screen_of(before.drawn)) continue;
    drawn_on[screen].insert(frame.drawn.begin(), frame.drawn.end());
    if (frame.focused == before.focused && frame.drawn.contains(frame.focused)) focused_on[screen].insert(frame.focused);
  }
  // The panel and "still there?" stand over a screen (home, an exhibit): its controls are not theirs.
  for (const char* over : {"panel", "still-there"}) {
    for (const char* under : {"home", "model", "poem", "audio-only poem"}) {
      for (const std::string& name : drawn_on[under]) drawn_on[over].erase(name);
    }
  }
  const std::vector<std::string> screens{"home",  "home-next",       "panel",       "model",         "poem",
                                         "audio-only poem", "still-there", "operator PIN", "operator menu", "test pattern"};
  for (const std::string& screen : screens) {
    ASSERT_TRUE(drawn_on.contains(screen)) << screen << " was never shown";
    EXPECT_EQ(focused_on[screen], drawn_on[screen]) << screen;
  }
  EXPECT_EQ(drawn_on["still-there"], (std::set<std::string>{"keep-exploring"}));
  EXPECT_GE(drawn_on["operator PIN"].size(), 10u);
  // Every control drawn has words (a control without them would drop out of the walk unseen), but
  // the operator's corner, which only staff know of and the focus never reaches.
  std::set<std::string> wordless;
  for (const Frame& frame : visit.frames) {
    EXPECT_FALSE(frame.drawn.contains("operator-corner"));
    for (const Control& control : frame.controls) {
      if (control.spoken.empty() && control.name != "operator-corner") wordless.insert(control.name);
    }
  }
  EXPECT_TRUE(wordless.empty()) << "drawn without words: " << fmt::format("{}", fmt::join(wordless, ", "));
}

// Any key answers "still there?", which is spoken with the seconds left; the attract loop says how
// to start, in both languages, when it starts and again a minute later.
TEST_F(KioskAccess, AnyKeyAnswersStillThereAndTheAttractLoopSaysHowToStart) {
  const Run visit = run(config("poems"), R"({"wait": 1}, {"tap": "begin"}, {"wait": 31}, {"expect": "still-there"},
      {"key": "help"}, {"wait": 0.5}, {"expect": "home"}, {"tap": "end-visit"}, {"wait": 62})");
  const KioskReport& report = visit.report;
  std::vector<std::pair<std::string, double>> said;
  for (const SpokenLine& line : report.spoken) said.emplace_back(line.text, line.asked_at);
  const auto count = [&](std::string_view text) {
    return std::count_if(said.begin(), said.end(), [&](const auto& line) { return line.first == text; });
  };
  // A sighted visitor touching the screen hears nothing but the question.
  ASSERT_GE(said.size(), 2u);
  const auto question = std::find_if(said.begin(), said.end(),
                                     [](const auto& line) { return line.first.starts_with("您还在吗？"); });
  ASSERT_NE(question, said.end());
  EXPECT_EQ(question->first, "您还在吗？10 秒后返回首页。按任意键或触摸屏幕继续参观。");
  EXPECT_NEAR(question->second, 31.1, 0.3);
  EXPECT_EQ(count("继续参观"), 1);  // the focused button, said after it
  // Then the attract loop: at its start, and again a minute later, in both languages.
  EXPECT_EQ(count("欢迎参观。触摸屏幕，或按键盘上任意一个键，开始参观。上下键选择，确认键打开，帮助键听说明。"), 3);
  EXPECT_EQ(count("Welcome. To begin, touch the screen or press any key. Up and down move between items, select opens one, "
                  "help tells you what you can do."),
            3);
  EXPECT_EQ(report.sessions, 1u);
}

// In audio-only mode a touch speaks a control and focuses it; only a second tap on it acts. The
// operator's corner does not count taps then, so exploring never lands in the PIN.
TEST_F(KioskAccess, ExplorationSpeaksBeforeActingAndNeverOpensTheOperatorPin) {
  const Run visit = run(config("poems"), R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "accessibility"}, {"tap": "audio-only"},
      {"tap": "text-larger"}, {"wait": 1}, {"expect_focus": "text-larger"}, {"tap": "text-larger"}, {"wait": 1},
      {"tap": "accessibility-done"}, {"wait": 1}, {"expect_focus": "accessibility-done"}, {"tap": "accessibility-done"},
      {"wait": 1}, {"expect_focus": "accessibility"},
      {"tap": [2, 2]}, {"tap": [2, 2]}, {"tap": [2, 2]}, {"tap": [2, 2]}, {"wait": 1}, {"expect": "home"})");
  const KioskReport& report = visit.report;
  std::vector<std::string> said;
  for (const SpokenLine& line : report.spoken) said.push_back(line.text);
  const auto index_of = [&](std::string_view text) {
    return std::find(said.begin(), said.end(), text) - said.begin();
  };
  // The first touch said the control; the second made the text larger, which was said.
  ASSERT_LT(index_of("文字放大，现在 100%"), static_cast<ptrdiff_t>(said.size()));
  EXPECT_LT(index_of("文字放大，现在 100%"), index_of("文字放大，现在 125%"));
  EXPECT_LT(index_of("完成"), index_of("首页，请选择展品"));
  // The corner's taps found nothing there, said so, and opened nothing.
  EXPECT_LT(index_of("这里没有按钮"), static_cast<ptrdiff_t>(said.size()));
  EXPECT_TRUE(std::find(said.begin(), said.end(), "管理员密码") == said.end());
}

// In audio-only mode a poem announces and recites itself as it opens: the narrator does not talk
// over it (the exhibit's name is not said), and the poem is heard; help then says its zones.
TEST_F(KioskAccess, APoemThatSpeaksForItselfIsNotTalkedOver) {
  const Run visit = run(config("poems"), R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "accessibility"}, {"tap": "audio-only"},
      {"tap": "accessibility-done"}, {"tap": "accessibility-done"}, {"wait": 2},
      {"tap": "exhibit:poetry-garden/quiet-night"}, {"tap": "exhibit:poetry-garden/quiet-night"}, {"wait": 4},
      {"expect": "exhibit"}, {"expect_focus": "poem:previous-poem"}, {"key": "help"}, {"wait": 1})");
  std::vector<std::string> said;
  for (const SpokenLine& line : visit.report.spoken) said.push_back(line.text);
  EXPECT_NE(std::find(said.begin(), said.end(), "静夜思，李白"), said.end());  // the card, explored
  EXPECT_EQ(std::find(said.begin(), said.end(), "展品：静夜思，李白"), said.end());
  // Help on the poem's zones is the poem player's own.
  ASSERT_FALSE(said.empty());
  EXPECT_EQ(said.back(), "诗词画面：触摸中间暂停或继续，左侧上一首，右侧下一首；返回键回到首页。");
  EXPECT_TRUE(heard_after(visit, visit.frames.back().time - 1.0));
}

// Help says the screen and what can be done on it; the volume keys change the narrator's volume
// and say it; back on home says where the visitor is.
TEST_F(KioskAccess, HelpVolumeAndBackAreSpoken) {
  const Run visit = run(config("poems"), R"({"wait": 0.5}, {"key": "help"}, {"wait": 3}, {"key": "help"}, {"wait": 8},
      {"key": "volume-down"}, {"wait": 1.5}, {"key": "volume-down"}, {"wait": 1.5}, {"key": "volume-up"}, {"wait": 1.5},
      {"key": "back"}, {"wait": 2}, {"expect": "home"})");
  std::vector<std::pair<std::string, std::string>> said;
  for (const SpokenLine& line : visit.report.spoken) {
    if (line.asked_at > 3) said.emplace_back(line.text, line.language);
  }
  const std::vector<std::pair<std::string, std::string>> expected{
      {"首页，展品一览。上下键逐个听展品名称，确认键打开展品；还可以切换语言、打开无障碍设置或结束参观。帮助键随时听说明。", "zh-CN"},
      {"音量 90%", "zh-CN"},
      {"音量 80%", "zh-CN"},
      {"音量 90%", "zh-CN"},
      {"首页，请选择展品", "zh-CN"}};
  EXPECT_EQ(said, expected);
}

// Help on an exhibit's screen names the exhibit and its keys; on the operator's screens it says
// they are for staff; each in the visitor's language.
TEST_F(KioskAccess, HelpOnAnExhibitAndOnTheOperatorsScreens) {
  const Run visit = run(config("both"), R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "exhibit:gallery/celadon-vase"}, {"wait": 3},
      {"expect": "exhibit"}, {"key": "help"}, {"wait": 1}, {"tap": "language"}, {"wait": 1}, {"key": "help"}, {"wait": 1},
      {"tap": "home"}, {"tap": "end-visit"}, {"wait": 1}, {"expect": "attract"},
      {"tap": "operator-corner"}, {"tap": "operator-corner"}, {"tap": "operator-corner"}, {"wait": 0.5},
      {"expect": "operator-pin"}, {"key": "help"}, {"wait": 1})");
  std::vector<std::pair<std::string, std::string>> helps;
  for (const SpokenLine& line : visit.report.spoken) {
    if (line.text.starts_with("展品画面") || line.text.starts_with("Exhibit: Longquan") || line.text.starts_with("管理员画面") ||
        line.text.starts_with("An operator screen")) {
      helps.emplace_back(line.text, line.language);
    }
  }
  const std::vector<std::pair<std::string, std::string>> expected{
      {"展品画面：龙泉窑青瓷开片瓶（仿制）。上下键选择按钮，确认键使用，返回键回到首页。", "zh-CN"},
      {"Exhibit: Longquan celadon vase with crackled glaze (replica). Up and down move between its buttons, select uses "
       "one, back returns home.",
       "en"},
      {"管理员画面，供图书馆工作人员使用。返回键离开。", "zh-CN"}};
  EXPECT_EQ(helps, expected);
}

// Help on the accessibility panel names every setting the panel holds, in each language: the
// words before a setting's state or its explanation in brackets.
TEST_F(KioskAccess, HelpOnThePanelNamesEverySetting) {
  const Run visit = run(config("poems"), R"({"wait": 0.5}, {"tap": "begin"}, {"tap": "accessibility"}, {"wait": 0.5},
      {"key": "help"}, {"wait": 1}, {"tap": "accessibility-done"}, {"tap": "language"}, {"tap": "accessibility"}, {"wait": 0.5},
      {"key": "help"}, {"wait": 1})");
  const std::vector<std::string> settings{"high-contrast", "audio-descriptions", "calm",   "seated", "audio-only",
                                          "lower-layout",  "captions",           "simple", "more-time"};
  const auto lower = [](std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
  };
  for (const auto& [language, opening] : {std::pair<std::string, std::string>{"zh-CN", "无障碍设置："}, {"en", "Accessibility settings:"}}) {
    SCOPED_TRACE(language);
    const auto help = std::find_if(visit.report.spoken.begin(), visit.report.spoken.end(), [&](const SpokenLine& line) {
      return line.language == language && line.text.starts_with(opening);
    });
    ASSERT_NE(help, visit.report.spoken.end());
    for (const std::string& setting : settings) {
      // Its words as the panel drew it in that language (before help was asked in it).
      std::string words;
      for (const Frame& frame : visit.frames) {
        if (frame.time > help->asked_at) break;
        for (const Control& control : frame.controls) {
          if (control.name == setting) words = control.spoken;
        }
      }
      ASSERT_FALSE(words.empty()) << setting << " was not drawn";
      size_t end = words.size();
      for (const std::string_view mark : {"（", " (", "：", ":", "，", ", "}) end = std::min(end, words.find(mark));
      const std::string name = lower(words.substr(0, end));
      EXPECT_NE(lower(help->text).find(name), std::string::npos) << "help leaves out " << name << ": " << help->text;
    }
  }
}

// A wheelchair user's whole visit in the lower layout, by touch: opens the vase, the
// accessibility panel from it, a poem, and ends the visit. A tap lands on its control's centre as
// last drawn: every control of every frame from the lower layout's first frame to the visit's end
// stands below the reach line, and each control tapped was drawn there.
TEST_F(KioskAccess, AWheelchairUsersWholeVisitInTheLowerLayoutIsInReach) {
  // The standard layout's accessibility button stands at the top: the lower layout is turned on
  // with the keypad (down to "accessibility", select; down to "lower layout", select; back).
  std::string to_lower_layout = R"({"key": "down"}, {"wait": 0.3}, {"key": "select"}, {"wait": 1}, )";
  for (int press = 0; press < 7; ++press) to_lower_layout += R"({"key": "down"}, {"wait": 0.3}, )";
  to_lower_layout += R"({"expect_focus": "lower-layout"}, {"key": "select"}, {"wait": 1}, {"key": "back"}, {"wait": 1}, )";
  const std::vector<std::string> tapped{"exhibit:gallery/celadon-vase", "describe",  "accessibility",
                                        "text-larger",                  "accessibility-done", "home", "next-page",
                                        "exhibit:poetry-garden/quiet-night", "poem:play", "home", "end-visit"};
  std::string taps;
  for (const std::string& name : tapped) taps += fmt::format(R"({{"tap": "{}"}}, {{"wait": 1.5}}, )", name);
  const Run visit = run(config("both"), fmt::format(R"({{"wait": 0.5}}, {{"tap": "begin"}}, {{"wait": 1}}, {}{}{{"expect": "attract"}})",
                                                    to_lower_layout, taps));
  const float reach_line = 0.45f * static_cast<float>(test_height);
  size_t first = visit.frames.size();
  for (size_t index = 0; index < visit.frames.size() && first == visit.frames.size(); ++index) {
    for (const Control& control : visit.frames[index].controls) {
      if (control.name == "lower-layout" && (control.spoken.ends_with("已打开") || control.spoken.ends_with(", on"))) first = index;
    }
  }
  ASSERT_LT(first, visit.frames.size()) << "the lower layout was never turned on";
  // A frame whose controls or their words changed is a layout's first: ImGui sizes the
  // auto-resizing panels from the frame before, so it is left out; no tap lands on one (each
  // waits 1.5 s after the one before).
  const auto changed = [](const Frame& frame, const Frame& before) {
    return !std::equal(frame.controls.begin(), frame.controls.end(), before.controls.begin(), before.controls.end(),
                       [](const Control& a, const Control& b) { return a.name == b.name && a.spoken == b.spoken; });
  };
  std::set<std::string> seen;
  size_t checked = 0;
  size_t first_frames = 0;
  // Until the attract loop's whole-screen control shows again: the visit is over.
  for (size_t index = first + 1; index < visit.frames.size() && !visit.frames[index].drawn.contains("begin"); ++index) {
    if (changed(visit.frames[index], visit.frames[index - 1])) {
      ++first_frames;
      continue;
    }
    ++checked;
    for (const Control& control : visit.frames[index].controls) {
      if (control.name == "operator-corner") continue;  // no visitor's control
      seen.insert(control.name);
      EXPECT_GE(control.min_y, reach_line) << control.name << " at " << visit.frames[index].time << " s";
      EXPECT_LE(control.max_y, static_cast<float>(test_height)) << control.name;
    }
  }
  EXPECT_LT(first_frames, checked / 10);
  EXPECT_GT(checked, 100u);
  for (const std::string& name : tapped) EXPECT_TRUE(seen.contains(name)) << name << " was not drawn in the lower layout";
  EXPECT_EQ(visit.report.sessions, 1u);
}

// The focus is drawn once the keypad is used, as a thick outline with a mark in its corner around
// the focused control: none before, and where the control is after.
TEST_F(KioskAccess, TheFocusIsDrawnByShapeOnceTheKeypadIsUsed) {
  const Run visit = run(config("poems"), R"({"wait": 0.5}, {"tap": "begin"}, {"wait": 0.5}, {"screenshot": "touched.png"},
      {"key": "down"}, {"wait": 0.5}, {"screenshot": "keyed.png"}, {"expect_focus": "accessibility"})");
  // The outline's yellow, and where it is.
  struct Found {
    size_t pixels = 0;
    uint32_t min_x = UINT32_MAX, min_y = UINT32_MAX, max_x = 0, max_y = 0;
  };
  const auto outline = [](const char* name) {
    auto image = read_png(shots_folder() / name);
    EXPECT_TRUE(image.ok()) << image.error().describe();
    Found found;
    if (!image.ok()) return found;
    for (uint32_t y = 0; y < image->height; ++y) {
      for (uint32_t x = 0; x < image->width; ++x) {
        const uint8_t* pixel = &image->pixels[(size_t{y} * image->width + x) * 4];
        if (pixel[0] > 230 && pixel[1] > 190 && pixel[1] < 230 && pixel[2] < 40) {
          ++found.pixels;
          found.min_x = std::min(found.min_x, x);
          found.min_y = std::min(found.min_y, y);
          found.max_x = std::max(found.max_x, x);
          found.max_y = std::max(found.max_y, y);
        }
      }
    }
    return found;
  };
  EXPECT_EQ(outline("touched.png").pixels, 0u);
  const Found keyed = outline("keyed.png");
  EXPECT_GT(keyed.pixels, 100u);
  const Control& focused = visit.frames.back().focused_control;
  ASSERT_EQ(focused.name, "accessibility");
  // The outline runs along the control's edges (within its thickness), the mark at the top left.
  EXPECT_NEAR(keyed.max_x, focused.max_x, 4);
  EXPECT_NEAR(keyed.max_y, focused.max_y, 4);
  EXPECT_NEAR(keyed.min_y, focused.min_y - 2, 4);
  EXPECT_NEAR(keyed.min_x, focused.min_x - 2, 4);
}

}  // namespace
}  // namespace pavilion::kiosk
