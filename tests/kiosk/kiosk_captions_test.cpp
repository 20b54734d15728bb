// Captions and easy reading on the touch kiosk (kiosk/ACCESSIBILITY.md): what is heard is shown
// while it is heard — a poem's line from its first character, the narrator's lines from their
// first sound to their end, the scene's music named — on a band that never covers a control;
// simple mode shows and reads each exhibit's plain-language description with larger targets.
// Scripted visits on a virtual clock, drawn offscreen with the validation layer on.
#include "pavilion/core/file.h"
#include "pavilion/core/png.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/pack/builder.h"
#include "pavilion/package/reader.h"
#include "pavilion/package/signing.h"
#include "pavilion/scene/loader.h"
#include "temporary_folder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace pavilion::kiosk {
namespace {

using interaction::Caption;
using interaction::CaptionKind;
using testing::TemporaryFolder;

constexpr uint32_t test_width = 480;
constexpr uint32_t test_height = 270;
constexpr double frame_seconds = 0.05;

// A poem recited by espeak-ng (two lines, five characters each), and a guqin note heard once as
// the scene appears; both with plain-language descriptions, the note with its caption.
constexpr std::string_view scene_json = R"({
  "id": "captioned", "version": "1", "title": {"zh-CN": "字幕", "en": "Captions"},
  "viewpoints": [{"name": {"zh-CN": "正面", "en": "Front"}, "position": [0, 1.6, 4], "target": [0, 1.4, 0]}],
  "exhibits": [
    {"id": "quiet-night", "kind": "poem", "position": [0, 1.5, 0],
     "metadata": {"title": {"zh-CN": "静夜思", "en": "Quiet Night Thought"}, "creator": {"zh-CN": "李白", "en": "Li Bai"},
                  "description": {"zh-CN": "唐代李白的作品。", "en": "By Li Bai, Tang dynasty."},
                  "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "李白的《静夜思》。", "en": "Li Bai's Quiet Night Thought."},
     "description_easy": {"zh-CN": "这首诗写月光，也写想家。", "en": "This poem is about moonlight and missing home."},
     "poem": {"dynasty": {"zh-CN": "唐", "en": "Tang"}, "text": "床前明月光，\n疑是地上霜。",
              "translation": "Before my bed, the bright moonlight; I take it for frost upon the ground.",
              "recitation": {"voice": "cmn", "words_per_minute": 140}}},
    {"id": "guqin", "kind": "audio", "sound": "guqin_note.wav", "position": [1, 1.2, 0], "volume": 0.8,
     "metadata": {"title": {"zh-CN": "古琴", "en": "Guqin"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
     "alt_text": {"zh-CN": "一声琴音。", "en": "A plucked note."},
     "description_easy": {"zh-CN": "这是古琴的声音。", "en": "This is the sound of a guqin."},
     "caption": {"zh-CN": "古琴一声", "en": "a guqin note"}}
  ]
})";

class KioskCaptions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new TemporaryFolder();
    key_ = package::generate_key_pair();
    ASSERT_TRUE(package::write_key_files(key_, *folder_ / "curator.key", *folder_ / "curator.pub").ok());
    const std::filesystem::path source = *folder_ / "source";
    std::filesystem::create_directories(source);
    std::filesystem::create_directories(*folder_ / "content");
    ASSERT_TRUE(write_file_atomic(source / "scene.json", std::as_bytes(std::span(scene_json))).ok());
    std::filesystem::copy_file(PAVILION_SCENES_DIR "/gallery/assets/guqin_note.wav", source / "guqin_note.wav");
    pack::BuildOptions options;
    options.scene_directory = source;
    options.output = package();
    options.key = &key_;
    const auto built = pack::build_package(options);
    ASSERT_TRUE(built.ok()) << built.error().describe();
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }

  static std::filesystem::path package() { return *folder_ / "content" / "captioned.pvpkg"; }

  static scene::Scene load() {
    auto reader = package::PackageReader::open(package(), {{key_.public_key}, false, false});
    EXPECT_TRUE(reader.ok()) << reader.error().describe();
    if (!reader.ok()) return {};
    auto loaded = scene::load_scene(**reader, {});
    EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
    return loaded.ok() ? std::move(*loaded) : scene::Scene{};
  }

  KioskConfig config() const {
    KioskConfig out;
    out.file = "test kiosk.json";
    out.content = *folder_ / "content";
    out.trusted_keys = {*folder_ / "curator.pub"};
    out.operator_pin = "2468";
    out.utc_offset = std::chrono::minutes(480);
    out.pixels_per_mm = 3.8 * test_height / 720.0;
    return out;
  }

  KioskReport run(const KioskConfig& kiosk_config, std::string_view steps,
                  std::function<void(const KioskReport&)> after_frame = {}) {
    const std::string visit =
        fmt::format(R"({{"start": "2027-02-08T08:20:00+08:00", "frame_seconds": {}, "steps": [{}]}})", frame_seconds, steps);
    std::vector<checking::Finding> findings;
    auto script = parse_visit_script(visit, "test visit.json", findings);
    EXPECT_TRUE(script) << (findings.empty() ? "" : findings[0].describe());
    KioskOptions options;
    options.after_frame = std::move(after_frame);
    options.headless = true;
    options.width = test_width;
    options.height = test_height;
    options.validation = true;
    options.script = script.value_or(VisitScript{});
    options.screenshot_folder = shots_.path();
    auto kiosk = Kiosk::create(kiosk_config, options);
    EXPECT_TRUE(kiosk.ok()) << kiosk.error().describe();
    if (!kiosk.ok()) return {};
    const auto ended = (*kiosk)->run();
    EXPECT_TRUE(ended.ok()) << ended.error().describe();
    KioskReport report = (*kiosk)->report();
    for (const std::string& failure : report.script_failures) ADD_FAILURE() << failure;
    for (const std::string& message : report.validation_messages) ADD_FAILURE() << "validation: " << message;
    return report;
  }

  static std::vector<Caption> of_kind(const KioskReport& report, CaptionKind kind) {
    std::vector<Caption> out;
    for (const Caption& caption : report.captions) {
      if (caption.kind == kind) out.push_back(caption);
    }
    return out;
  }

  static inline TemporaryFolder* folder_ = nullptr;
  static inline package::KeyPair key_;
  TemporaryFolder shots_;
};

TEST_F(KioskCaptions, DescriptionEasyAndSoundCaptionsGoThroughThePackage) {
  const scene::Scene scene = load();
  ASSERT_EQ(scene.exhibits.size(), 2u);
  EXPECT_EQ(scene.exhibits[0].description_easy, (LocalizedText{"这首诗写月光，也写想家。", "This poem is about moonlight and missing home."}));
  EXPECT_EQ(scene.exhibits[1].description_easy, (LocalizedText{"这是古琴的声音。", "This is the sound of a guqin."}));
  const auto note = std::find_if(scene.audio.begin(), scene.audio.end(),
                                 [](const scene::AudioSource& audio) { return audio.exhibit == 1; });
  ASSERT_NE(note, scene.audio.end());
  EXPECT_EQ(note->caption, (LocalizedText{"古琴一声", "a guqin note"}));
  for (const scene::AudioSource& audio : scene.audio) {
    if (audio.exhibit == 0) {
      EXPECT_EQ(audio.caption, LocalizedText{}) << audio.name << ": the poem's sounds have none";
    }
  }
}

// A visitor opens the poem and plays it: the music caption while the note is heard, then each
// line captioned from the frame its first character is heard, by the recitation's own clock.
TEST_F(KioskCaptions, ARecitationIsCaptionedLineByLineInTime) {
  const KioskConfig kiosk = config();
  std::vector<double> levels;  // each frame's sound, frame n at n × frame_seconds
  const KioskReport report = run(kiosk, R"(
      {"wait": 4}, {"tap": "begin"}, {"wait": 0.5}, {"tap": "exhibit:captioned/quiet-night"}, {"wait": 1},
      {"expect": "exhibit"}, {"tap": "poem:play"}, {"wait": 8})",
      [&](const KioskReport& frame) { levels.push_back(frame.sound_level); });
  const scene::Scene scene = load();
  ASSERT_EQ(scene.poems.size(), 1u);
  const std::vector<scene::PoemCue>& cues = scene.poems[0].cues;
  ASSERT_EQ(cues.size(), 10u) << "a cue a character";

  // The note, named in the visitor's language (Chinese until they choose), while it is heard.
  const std::vector<Caption> music = of_kind(report, CaptionKind::music);
  ASSERT_EQ(music.size(), 1u);
  EXPECT_EQ(music[0].text, "[音乐：古琴一声]");
  EXPECT_EQ(music[0].language, "zh-CN");
  EXPECT_NEAR(music[0].end - music[0].start, 2.5, 2 * frame_seconds) << "the note lasts 2.5 s";
  for (double at = music[0].start + frame_seconds; at < music[0].end - 0.5; at += frame_seconds) {
    const auto frame = static_cast<size_t>(std::lround(at / frame_seconds)) - 1;
    ASSERT_LT(frame, levels.size());
    EXPECT_GT(levels[frame], 0.0) << "the caption shows at " << at << " s while nothing is heard";
  }

  // When the recitation was first heard: the first sound after the note and the attract loop's
  // invitation (silenced by the first touch), by the loopback device that mixes what is heard.
  size_t onset = static_cast<size_t>(4.5 / frame_seconds);
  while (onset < levels.size() && levels[onset] < 1e-4) ++onset;
  ASSERT_LT(onset, levels.size()) << "the recitation was never heard";
  const double played_at = static_cast<double>(onset + 1) * frame_seconds - cues[0].start;

  const std::vector<Caption> lines = of_kind(report, CaptionKind::recitation);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "床前明月光，");
  EXPECT_EQ(lines[1].text, "疑是地上霜。");
  for (size_t line = 0; line < 2; ++line) {
    EXPECT_EQ(lines[line].language, "zh-CN");
    const double heard = played_at + cues[line * 5].start;  // the line's first character
    EXPECT_NEAR(lines[line].start, heard, frame_seconds + 0.0015) << "line " << line << " is not captioned as it is heard";
  }
  EXPECT_EQ(lines[0].end, lines[1].start) << "the second line replaces the first";
  const double recited_end = played_at + cues.back().end;
  EXPECT_GE(lines[1].end, recited_end - 0.0015);
  EXPECT_LE(lines[1].end, recited_end + 1.0) << "the last line ends with the recitation's sound";
}

// Audio-only mode in English (a touch explores, a second one acts): the poem's announcement, its lines and its translation read after
// are each captioned in turn, in the language they are heard in.
TEST_F(KioskCaptions, AudioOnlyModesWholeProgrammeIsCaptioned) {
  const KioskReport report = run(config(), R"(
      {"wait": 0.2}, {"tap": "begin"}, {"tap": "language"}, {"tap": "accessibility"}, {"tap": "audio-only"},
      {"tap": "accessibility-done"}, {"tap": "accessibility-done"},
      {"tap": "exhibit:captioned/quiet-night"}, {"tap": "exhibit:captioned/quiet-night"}, {"wait": 15})");
  std::vector<std::pair<std::string, std::string>> heard;  // text, language, in order
  for (const Caption& caption : report.captions) {
    if (caption.kind == CaptionKind::recitation ||
        (caption.kind == CaptionKind::speech && caption.text.find("by Li Bai") != std::string::npos)) {
      heard.emplace_back(caption.text, caption.language);
    }
  }
  const std::vector<std::pair<std::string, std::string>> expected{
      {"Quiet Night Thought, by Li Bai (Tang)", "en"},
      {"床前明月光，", "zh-CN"},
      {"疑是地上霜。", "zh-CN"},
      {"Before my bed, the bright moonlight; I take it for frost upon the ground.", "en"}};
  EXPECT_EQ(heard, expected);
}

// The room hushes while a poem is recited: the note's caption ends as the recitation starts
// (the note itself would have gone on), and comes back in the visitor's new language.
TEST_F(KioskCaptions, AHushedSoundIsNotCaptioned) {
  const KioskReport report = run(config(), R"(
      {"wait": 0.2}, {"tap": "begin"}, {"tap": "exhibit:captioned/quiet-night"}, {"wait": 0.3},
      {"tap": "poem:play"}, {"wait": 2})");
  const std::vector<Caption> music = of_kind(report, CaptionKind::music);
  const std::vector<Caption> lines = of_kind(report, CaptionKind::recitation);
  ASSERT_EQ(music.size(), 1u);
  ASSERT_FALSE(lines.empty());
  EXPECT_LT(music[0].end - music[0].start, 2.0) << "the note lasts 2.5 s, but the room hushed";
  EXPECT_LE(music[0].end, lines[0].start) << "the note named while the poem is heard";
}

TEST_F(KioskCaptions, ASoundIsNamedAgainInTheLanguageChosen) {
  const KioskReport report = run(config(), R"({"wait": 0.2}, {"tap": "begin"}, {"tap": "language"}, {"wait": 0.3})");
  const std::vector<Caption> music = of_kind(report, CaptionKind::music);
  ASSERT_EQ(music.size(), 2u);
  EXPECT_EQ(music[0].text, "[音乐：古琴一声]");
  EXPECT_EQ(music[1].text, "[music: a guqin note]");
  EXPECT_EQ(music[1].language, "en");
  EXPECT_EQ(music[0].end, music[1].start);
}

// A keypad visitor hears the interface: each line the narrator says is captioned from its first
// sound, by the loopback device that mixes what is heard, until it ends or the next cuts it short.
TEST_F(KioskCaptions, TheNarratorsLinesAreCaptionedFromTheirFirstSoundToTheirEnd) {
  std::vector<double> levels;  // each frame's sound, frame n at (n + 1) × frame_seconds
  // Help asked for once the note and the lines before have ended: its line starts in silence (the
  // attract loop's first line starts with the note).
  const KioskReport report = run(config(), R"(
      {"wait": 1}, {"key": "select"}, {"wait": 1}, {"key": "down"}, {"wait": 4}, {"key": "help"}, {"wait": 6})",
      [&](const KioskReport& frame) { levels.push_back(frame.sound_level); });
  std::vector<Caption> said = of_kind(report, CaptionKind::speech);
  for (const Caption& caption : of_kind(report, CaptionKind::description)) said.push_back(caption);
  ASSERT_GE(report.spoken.size(), 2u);
  size_t heard = 0;
  size_t after_silence = 0;  // lines whose caption starts at the loopback's sound onset
  for (const SpokenLine& line : report.spoken) {
    if (line.started_at < 0) continue;
    ++heard;
    const auto caption = std::find_if(said.begin(), said.end(), [&](const Caption& shown) {
      return shown.text == line.text && shown.start == line.started_at;
    });
    ASSERT_NE(caption, said.end()) << "no caption for \"" << line.text << "\"";
    EXPECT_EQ(caption->language, line.language);
    // Heard from the caption's first frame; where silence came before, that frame is the onset.
    const auto frame = static_cast<size_t>(std::lround(caption->start / frame_seconds)) - 1;
    ASSERT_LT(frame, levels.size()) << line.text;
    EXPECT_GT(levels[frame], 1e-4) << "\"" << line.text << "\" captioned at " << caption->start << " s before it is heard";
    if (frame > 0 && levels[frame - 1] < 1e-5) ++after_silence;
    // Until its sound ends (or the run does, for a line still heard then).
    EXPECT_EQ(caption->end, line.ended_at >= 0 ? line.ended_at : std::numeric_limits<double>::infinity()) << line.text;
    EXPECT_GT(caption->end, caption->start) << line.text;
  }
  EXPECT_GE(heard, 2u);
  EXPECT_GE(after_silence, 1u) << "help starts in silence, and is captioned from that frame";
  // One after another, never two of the narrator's lines at once.
  std::sort(said.begin(), said.end(), [](const Caption& a, const Caption& b) { return a.start < b.start; });
  for (size_t index = 1; index < said.size(); ++index) {
    EXPECT_LE(said[index - 1].end, said[index].start) << said[index - 1].text << " / " << said[index].text;
  }
}

// The band is drawn (the screenshot differs where it stands from one with captions off) and
// covers no control; the visitor's "captions" toggle turns it off.
TEST_F(KioskCaptions, TheBandIsDrawnOverNoControlAndTheToggleTurnsItOff) {
  const auto visit = [&](bool captions_on, const char* shot) {
    // Off and on again, or only off: the same taps but one.
    const std::string toggles = captions_on ? R"({"tap": "captions"}, {"tap": "captions"})" : R"({"tap": "captions"})";
    return run(config(), fmt::format(R"(
        {{"wait": 0.2}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {}, {{"tap": "accessibility-done"}},
        {{"tap": "exhibit:captioned/quiet-night"}}, {{"wait": 0.5}},
        {{"screenshot": "{}"}})", toggles, shot));
  };
  const KioskReport on = visit(true, "captions_on.png");
  const KioskReport off = visit(false, "captions_off.png");
  const std::array<float, 4> band = on.caption_band;
  ASSERT_GT(band[2] - band[0], 10.0f) << "no band drawn";
  EXPECT_EQ(off.caption_band, (std::array<float, 4>{})) << "a band drawn with captions off";
  for (const Control& control : on.controls) {
    const bool covered = control.min_x < band[2] && control.max_x > band[0] && control.min_y < band[3] && control.max_y > band[1];
    EXPECT_FALSE(covered && control.max_y - control.min_y < 0.5f * test_height) << "the band covers " << control.name;
  }
  auto with = read_png(shots_ / "captions_on.png");
  auto without = read_png(shots_ / "captions_off.png");
  ASSERT_TRUE(with.ok() && without.ok());
  size_t differing = 0;
  size_t inside = 0;
  for (auto y = static_cast<uint32_t>(band[1]); y < static_cast<uint32_t>(band[3]); ++y) {
    for (auto x = static_cast<uint32_t>(band[0]); x < static_cast<uint32_t>(band[2]); ++x) {
      ++inside;
      const uint8_t* a = with->at(x, y);
      const uint8_t* b = without->at(x, y);
      if (std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]) > 24) ++differing;
    }
  }
  EXPECT_GT(differing, inside / 2) << "the band's dark ground and text are drawn";
  const std::vector<Caption> music = of_kind(on, CaptionKind::music);
  ASSERT_FALSE(music.empty());
  EXPECT_EQ(music.back().text, "[音乐：古琴一声]");
}

// Simple mode: the info panel shows and the narrator reads the easy description of the exhibit
// opened (a keypad visitor hears it); every visitor screen's targets are a quarter taller (the
// panel's, home's, the exhibit bar's, the poem's, "still there?"'s).
TEST_F(KioskCaptions, SimpleModeReadsTheEasyDescriptionWithLargerTargets) {
  struct Seen {
    KioskReport report;
    std::map<std::string, float> heights;  // each control's height, as last drawn
    std::string description;               // what the info panel showed, as last drawn
  };
  const auto visit = [&](bool simple) {
    Seen seen;
    // The panel settles into its larger text in a frame or two before "done" is tapped.
    const std::string chosen = simple ? R"({"tap": "audio-descriptions"}, {"tap": "simple"}, {"wait": 0.2},)"
                                      : R"({"tap": "audio-descriptions"}, {"wait": 0.2},)";
    const auto record = [&](const KioskReport& frame) {
      for (const Control& control : frame.controls) seen.heights[control.name] = control.max_y - control.min_y;
      if (!frame.description_shown.empty()) seen.description = frame.description_shown;
    };
    seen.report = run(config(), fmt::format(R"(
        {{"wait": 0.2}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {} {{"tap": "accessibility-done"}}, {{"wait": 0.2}},
        {{"key": "down"}}, {{"tap": "exhibit:captioned/quiet-night"}}, {{"wait": 1}}, {{"screenshot": "{}"}}, {{"wait": 5}})",
        chosen, simple ? "simple.png" : "plain.png"), record);
    // "Still there?" in a visit without the keypad (which gives ten times the time).
    KioskConfig quick = config();
    quick.idle_timeout_seconds = 1;
    quick.still_there_seconds = 10;
    run(quick, fmt::format(R"(
        {{"wait": 0.2}}, {{"tap": "begin"}}, {{"tap": "accessibility"}}, {} {{"tap": "accessibility-done"}}, {{"wait": 1.5}},
        {{"expect": "still-there"}})", simple ? R"({"tap": "simple"},)" : ""), record);
    return seen;
  };
  const Seen simple = visit(true);
  const Seen plain = visit(false);
  const auto said = [](const KioskReport& report, std::string_view text) {
    return std::any_of(report.spoken.begin(), report.spoken.end(), [&](const SpokenLine& line) {
      return line.text == text && line.language == "zh-CN";
    });
  };
  EXPECT_TRUE(said(simple.report, "这首诗写月光，也写想家。")) << "simple mode reads the easy description";
  EXPECT_FALSE(said(plain.report, "这首诗写月光，也写想家。"));
  EXPECT_TRUE(said(plain.report, "李白的《静夜思》。")) << "otherwise the audio description";
  const std::vector<Caption> described = of_kind(simple.report, CaptionKind::description);
  ASSERT_FALSE(described.empty());
  EXPECT_EQ(described.back().text, "这首诗写月光，也写想家。");
  EXPECT_EQ(simple.description, "这首诗写月光，也写想家。") << "the info panel shows the easy description";
  EXPECT_EQ(plain.description, "唐代李白的作品。");

  for (const std::string_view name : {"high-contrast", "accessibility-done", "accessibility", "end-visit", "home", "describe",
                                      "poem:play", "poem:translation", "keep-exploring"}) {
    const auto plain_height = plain.heights.find(std::string(name));
    const auto simple_height = simple.heights.find(std::string(name));
    ASSERT_TRUE(plain_height != plain.heights.end() && simple_height != simple.heights.end()) << name;
    EXPECT_GE(simple_height->second / plain_height->second, 1.24f) << name << ": a quarter taller";
  }
}

// A deaf visitor's whole visit: the note as the scene appears, a poem opened and its description
// read on request, the poem recited, home again. Every frame the loopback device hears shows a
// caption of the kind of what is heard (the narrator's line itself, else the music or the
// recitation); none shows in silence.
TEST_F(KioskCaptions, ADeafVisitorSeesACaptionWheneverSomethingIsHeard) {
  std::vector<double> levels;  // each frame's sound, frame n at (n + 1) × frame_seconds
  const KioskReport report = run(config(), R"(
      {"wait": 4}, {"tap": "begin"}, {"wait": 3}, {"tap": "exhibit:captioned/quiet-night"}, {"wait": 1},
      {"tap": "describe"}, {"wait": 4}, {"tap": "poem:play"}, {"wait": 8}, {"tap": "home"}, {"wait": 3})",
      [&](const KioskReport& frame) { levels.push_back(frame.sound_level); });
  // A frame's time as the kiosk's clock counts it (summed frame by frame: a hair off n × 0.05).
  const auto shown_at = [&](double at, auto&& fits) {
    return std::any_of(report.captions.begin(), report.captions.end(), [&](const Caption& caption) {
      return caption.start <= at + 1e-6 && at + 1e-6 < caption.end && fits(caption);
    });
  };
  const auto any = [](const Caption&) { return true; };
  size_t loud = 0, silent = 0;
  std::map<CaptionKind, size_t> kinds;  // loud frames by the kinds captioned
  size_t quiet_frames = 0;              // frames in a row without any sound, up to this one
  for (size_t frame = 0; frame < levels.size(); ++frame) {
    const double at = static_cast<double>(frame + 1) * frame_seconds;
    quiet_frames = levels[frame] == 0.0 ? quiet_frames + 1 : 0;
    if (levels[frame] > 1e-3) {
      ++loud;
      const auto speaking = std::find_if(report.spoken.begin(), report.spoken.end(), [&](const SpokenLine& line) {
        return line.started_at >= 0 && line.started_at <= at + 1e-6 && (line.ended_at < 0 || at + 1e-6 < line.ended_at);
      });
      if (speaking != report.spoken.end()) {
        const bool captioned = shown_at(at, [&](const Caption& caption) {
          return caption.text == speaking->text && (caption.kind == CaptionKind::speech || caption.kind == CaptionKind::description);
        });
        EXPECT_TRUE(captioned) << "\"" << speaking->text << "\" heard uncaptioned at " << at << " s";
      } else {
        const bool captioned = shown_at(at, [](const Caption& caption) {
          return caption.kind == CaptionKind::music || caption.kind == CaptionKind::recitation;
        });
        EXPECT_TRUE(captioned) << "a sound heard uncaptioned at " << at << " s";
      }
      for (const CaptionKind kind : {CaptionKind::music, CaptionKind::speech, CaptionKind::description, CaptionKind::recitation}) {
        if (shown_at(at, [&](const Caption& caption) { return caption.kind == kind; })) ++kinds[kind];
      }
    } else if (quiet_frames >= 10) {
      // Half a second without sound: longer than the pauses within a line or between a poem's
      // lines (whose captions rightly stay), so nothing is being heard.
      ++silent;
      EXPECT_FALSE(shown_at(at, any)) << "a caption shown in silence at " << at << " s";
    }
  }
  EXPECT_GT(loud, 100u);
  EXPECT_GT(silent, 10u);
  for (const CaptionKind kind : {CaptionKind::music, CaptionKind::speech, CaptionKind::description, CaptionKind::recitation}) {
    EXPECT_GT(kinds[kind], 5u) << "heard and captioned: kind " << static_cast<int>(kind);
  }
}

}  // namespace
}  // namespace pavilion::kiosk
