#include "pavilion/pack/builder.h"
#include "pavilion/pack/scene_source.h"
#include "pavilion/core/file.h"
#include "pavilion/core/utf8.h"
#include "pavilion/package/reader.h"
#include "pavilion/scene/loader.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/layout.h"
#include "pavilion/text/recitation.h"
#include "temporary_folder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace pavilion::pack {
namespace {

// Parses `text` and returns every finding as one line of "location: message".
std::vector<std::string> findings_of(std::string_view text, bool* parsed = nullptr) {
  std::vector<Finding> findings;
  const auto source = parse_scene_source(text, "scenes/hall/scene.json", findings);
  if (parsed) *parsed = source.has_value();
  std::vector<std::string> lines;
  for (const auto& finding : findings) {
    lines.push_back(finding.location + ": " + (finding.severity == Finding::Severity::error ? "error: " : "warning: ") +
                    finding.message);
  }
  return lines;
}

bool contains(const std::vector<std::string>& lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += "\n  " + line;
  return text;
}

constexpr std::string_view minimal = R"({
  "id": "hall", "version": "1",
  "title": {"zh-CN": "大厅", "en": "Hall"},
  "viewpoints": [{"position": [0, 1.6, 3], "target": [0, 1, 0]}],
  "exhibits": [{"id": "spot", "kind": "hotspot", "position": [0, 1, 0], "radius": 0.4,
                "metadata": {"title": {"zh-CN": "看这里", "en": "Look here"}, "rights": {"zh-CN": "公有领域", "en": "Public domain"}},
                "alt_text": {"zh-CN": "一个观察点", "en": "A point of interest"}}]
})";

TEST(PackSceneSource, AMinimalSceneParsesWithoutFindings) {
  bool parsed = false;
  const auto lines = findings_of(minimal, &parsed);
  EXPECT_TRUE(parsed);
  EXPECT_TRUE(lines.empty()) << join(lines);
}

TEST(PackSceneSource, ASyntaxErrorNamesItsLineAndColumn) {
  const std::string broken = R"({
  "id": "hall",
  "version": "1"
  "title": {}
})";
  bool parsed = true;
  const auto lines = findings_of(broken, &parsed);
  EXPECT_FALSE(parsed);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(contains(lines, "line 4, column ")) << join(lines);
  EXPECT_TRUE(contains(lines, "missing comma")) << join(lines);
}

// Found by the scene.json fuzzer: the JSON parser threw on a number beyond a double's range.
TEST(PackSceneSource, ANumberTooLargeIsNamedWithItsLine) {
  std::string huge(minimal);
  huge.replace(huge.find("1.6"), 3, "0.2e2222222222");
  bool parsed = true;
  const auto lines = findings_of(huge, &parsed);
  EXPECT_FALSE(parsed);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(contains(lines, "line 4, column ")) << join(lines);
  EXPECT_TRUE(contains(lines, "the number 0.2e2222222222 is too large")) << join(lines);
}

TEST(PackSceneSource, EveryProblemIsReportedAtItsJsonPathAtOnce) {
  const std::string text = R"({
  "id": "Hall Of Fame", "version": "1",
  "title": {"en": "Hall"},
  "viewpoints": [],
  "exhibits": [
    {"id": "a", "kind": "statue", "position": [0, 1, 0], "metadata": {"title": {"en": "A"}}},
    {"id": "a", "kind": "hotspot", "position": [0, 1], "radius": -2, "metadata": {"titel": {"en": "B"}}},
    {"id": "c", "kind": "model", "model": "assets/missing.glb", "position": [0, 0, 0], "metadata": {"title": {"zh-CN": "丙", "en": "C"}}}
  ]
})";
  bool parsed = true;
  const auto lines = findings_of(text, &parsed);
  EXPECT_FALSE(parsed);
  for (std::string_view expected : {
           "id: error: must be lowercase letters",
           "title.zh-CN: warning: the Chinese text is missing",
           "viewpoints: error: at least one viewpoint is needed",
           "exhibits[0].kind: error: 'statue' is not a kind of exhibit",
           "exhibits[1].id: error: another exhibit already has the id 'a'",
           "exhibits[1].position: error: must be three numbers",
           "exhibits[1].radius: error: must lie between",
           "exhibits[1].metadata.titel: warning: 'titel' is not a field here and is ignored; did you mean 'title'?",
           "exhibits[1].metadata.title: error: this text is required",
           "exhibits[2].model: error: the file 'assets/missing.glb' does not exist",
           "exhibits[2].alt_text: warning: no alt text",
       }) {
    EXPECT_TRUE(contains(lines, expected)) << "missing \"" << expected << "\" among:" << join(lines);
  }
}

TEST(PackSceneSource, EveryFindingHasAChineseSentenceToo) {
  std::vector<Finding> findings;
  parse_scene_source(R"({"id": "x", "viewpoints": 3})", "scene.json", findings);
  ASSERT_FALSE(findings.empty());
  for (const auto& finding : findings) {
    EXPECT_FALSE(finding.message_zh.empty()) << finding.message;
    EXPECT_NE(finding.describe(true).find("错误"), std::string::npos);
  }
}

TEST(PackSceneSource, ColoursMayBeHexInSrgbOrLinearNumbers) {
  std::string text(minimal);
  text.insert(text.find("\"viewpoints\""), R"("environment": {"sky": {"zenith": "#ff0000", "ground": [0.5, 0.25, 0]},
    "sun": {"direction": [0, -1, 0], "intensity": 2}}, )");
  std::vector<Finding> findings;
  const auto source = parse_scene_source(text, "scene.json", findings);
  ASSERT_TRUE(source.has_value()) << (findings.empty() ? "" : findings[0].message);
  EXPECT_FLOAT_EQ(source->environment.sky_zenith.r, 1.0f);
  EXPECT_FLOAT_EQ(source->environment.sky_zenith.g, 0.0f);
  EXPECT_FLOAT_EQ(source->environment.ground.g, 0.25f);
  EXPECT_FLOAT_EQ(source->light.intensity, 2.0f);
}

// A visitor reading Chinese sees the date in Chinese: dates are texts in both languages, and a
// plain string is kept for a date that reads the same in both.
TEST(PackSceneSource, ADateIsGivenPerLanguageOrOnceWhenItIsLanguageNeutral) {
  const auto parse_date = [](std::string_view date, std::vector<std::string>& lines) {
    std::string text(minimal);
    text.insert(text.find("\"rights\""), fmt::format(R"("date": {}, )", date));
    std::vector<Finding> findings;
    auto source = parse_scene_source(text, "scene.json", findings);
    for (const auto& finding : findings) lines.push_back(finding.location + ": " + finding.message);
    return source ? source->exhibits.at(0).metadata.date : LocalizedText{"(refused)", "(refused)"};
  };
  std::vector<std::string> lines;
  EXPECT_EQ(parse_date(R"({"zh-CN": "南宋", "en": "Southern Song"})", lines), (LocalizedText{"南宋", "Southern Song"}));
  EXPECT_TRUE(lines.empty()) << join(lines);
  EXPECT_EQ(parse_date(R"("1127–1279")", lines), (LocalizedText{"1127–1279", "1127–1279"}));
  EXPECT_TRUE(lines.empty()) << "digits and a dash read the same in every language" << join(lines);

  // Words in one language only: kept for both, and lint says which field to translate.
  EXPECT_EQ(parse_date(R"x("Song dynasty style (960–1279)")x", lines).zh_cn, "Song dynasty style (960–1279)");
  ASSERT_EQ(lines.size(), 1u) << join(lines);
  EXPECT_TRUE(contains(lines, "exhibits[0].metadata.date: 'Song dynasty style (960–1279)' is shown as it is in every language"))
      << join(lines);
  lines.clear();
  parse_date(R"("宋代")", lines);
  EXPECT_EQ(lines.size(), 1u) << join(lines);
  lines.clear();
  parse_date(R"({"zh-CN": "宋代"})", lines);
  EXPECT_TRUE(contains(lines, "exhibits[0].metadata.date.en: the English text is missing")) << join(lines);
}

TEST(PackSceneSource, CameraPathKeysMustRunForwardInTime) {
  std::string text(minimal);
  text.insert(text.find("\"exhibits\""), R"("camera_paths": [{"keys": [{"time": 0, "position": [0, 1, 5], "target": [0, 1, 0]},
    {"time": 0, "position": [1, 1, 5], "target": [0, 1, 0]}]}, {"keys": [{"time": 1, "position": [0, 1, 5], "target": [0, 1, 0]}]}], )");
  const auto lines = findings_of(text);
  EXPECT_TRUE(contains(lines, "camera_paths[0].keys[1].time: error: times must increase")) << join(lines);
  EXPECT_TRUE(contains(lines, "camera_paths[1].keys: error: a camera path needs two or more keys")) << join(lines);
}

// A book's events are counted under `id#opening` in at most 63 bytes: a book exhibit's id of 56
// characters leaves room for '#' and six digits and passes, one of 57 is refused at the id in both
// languages; other kinds keep the 64 of every id, and the JSON Schema says the same.
TEST(PackSceneSource, ABookIdLeavesRoomForItsOpeningInTheEventsSubject) {
  auto findings_for = [](std::string_view kind, size_t id_length) {
    std::vector<Finding> findings;
    parse_scene_source(fmt::format(R"({{
  "id": "hall", "version": "1", "title": {{"zh-CN": "大厅", "en": "Hall"}},
  "viewpoints": [{{"position": [0, 1.6, 3], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "{}", "kind": "{}", "position": [0, 1, 0], "radius": 0.4, "book": {{"folder": "scans"}},
                "metadata": {{"title": {{"zh-CN": "书", "en": "Book"}}}}}}]
}})",
                                   std::string(id_length, 'b'), kind),
                       "scenes/hall/scene.json", findings);
    std::vector<Finding> about_the_id;
    for (const Finding& finding : findings) {
      if (finding.location == "exhibits[0].id") about_the_id.push_back(finding);
    }
    return about_the_id;
  };
  EXPECT_TRUE(findings_for("book", 56).empty());
  const std::vector<Finding> too_long = findings_for("book", 57);
  ASSERT_EQ(too_long.size(), 1u);
  EXPECT_EQ(too_long[0].severity, Finding::Severity::error);
  EXPECT_NE(too_long[0].message.find("a book's id is at most 56 characters, this one has 57"), std::string::npos)
      << too_long[0].message;
  EXPECT_NE(too_long[0].message_zh.find("书籍展品的标识最多 56 个字符"), std::string::npos) << too_long[0].message_zh;
  EXPECT_TRUE(findings_for("hotspot", 64).empty());

  const auto schema_bytes = read_file(std::filesystem::path(PAVILION_SCENES_DIR) / "schema" / "scene.schema.json");
  ASSERT_TRUE(schema_bytes.ok()) << schema_bytes.error().describe();
  const std::string schema(reinterpret_cast<const char*>(schema_bytes->data()), schema_bytes->size());
  const size_t book_rule = schema.find(R"("const": "book")");
  ASSERT_NE(book_rule, std::string::npos);
  EXPECT_NE(schema.find(R"("maxLength": 56)", book_rule), std::string::npos) << "the schema's book exhibit id";
}

TEST(PackSceneSource, NotAnObjectAtTheTopIsExplained) {
  const auto lines = findings_of("[1, 2, 3]");
  EXPECT_TRUE(contains(lines, "scene.json must hold one object")) << join(lines);
}

}  // namespace
}  // namespace pavilion::pack

namespace pavilion::pack {
namespace {

// 静夜思 by Li Bai, its recitation timed line by line; `poem_fields` replaces the poem's own part.
std::string poem_scene(std::string_view poem_fields) {
  return fmt::format(R"({{
  "id": "poetry", "version": "1",
  "title": {{"zh-CN": "诗园", "en": "Poetry garden"}},
  "viewpoints": [{{"position": [0, 1.6, 3], "target": [0, 1, 0]}}],
  "exhibits": [{{"id": "quiet-night", "kind": "poem", "position": [0, 1.5, 0],
                "metadata": {{"title": {{"zh-CN": "静夜思", "en": "Quiet Night Thought"}},
                             "creator": {{"zh-CN": "李白", "en": "Li Bai"}},
                             "rights": {{"zh-CN": "公有领域", "en": "Public domain"}}}},
                "alt_text": {{"zh-CN": "李白《静夜思》，竖排书写", "en": "Li Bai's Quiet Night Thought, in vertical columns"}},
                "poem": {{{}}}}}]
}})",
                     poem_fields);
}

constexpr std::string_view good_poem = R"(
  "dynasty": {"zh-CN": "唐", "en": "Tang"},
  "text": "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。",
  "pinyin": "chuáng qián míng yuè guāng, yí shì dì shàng shuāng. jǔ tóu wàng míng yuè, dī tóu sī gù xiāng.",
  "translation": "Before my bed the moonlight glows, like frost upon the ground. I raise my head to the bright moon, and lower it, thinking of home.",
  "font": "kai",
  "recitation": "jingyesi.wav",
  "timings": {"unit": "line", "cues": [[0.2, 2.0], [2.2, 4.0], [4.3, 6.1], [6.3, 8.2]]})";

class PackPoemSource : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(folder / "jingyesi.wav") << "RIFF"; }

  std::vector<Finding> parse(std::string_view text, std::optional<SceneSource>& source) {
    std::vector<Finding> findings;
    source = parse_scene_source(text, folder / "scene.json", findings);
    return findings;
  }

  testing::TemporaryFolder folder;
};

TEST_F(PackPoemSource, APoemWithPinyinTranslationAndTimedRecitationIsRead) {
  std::optional<SceneSource> source;
  const std::vector<Finding> findings = parse(poem_scene(good_poem), source);
  for (const Finding& finding : findings) ADD_FAILURE() << finding.describe();
  ASSERT_TRUE(source.has_value());
  const PoemSource& poem = source->exhibits.at(0).poem;
  EXPECT_EQ(poem.dynasty.en, "Tang");
  EXPECT_EQ(poem.pinyin.size(), 20u);
  EXPECT_EQ(poem.pinyin[0], "chuáng");
  EXPECT_EQ(poem.pinyin[19], "xiāng");
  EXPECT_EQ(poem.unit, PoemSource::TimingUnit::line);
  EXPECT_EQ(poem.cues.size(), 4u);
  EXPECT_EQ(poem.layout, PoemSource::Layout::vertical);
  EXPECT_EQ(poem.face, PoemSource::Face::kai);
  EXPECT_EQ(poem.recitation, folder / "jingyesi.wav");
}

TEST_F(PackPoemSource, AMalformedPoemIsRefusedSayingWhatIsWrongAndWhere) {
  const struct {
    std::string from;
    std::string to;
    std::string expected;
  } cases[] = {
      {"gù xiāng", "gù", "exhibits[0].poem.pinyin: 19 syllables for the poem's 20 spoken characters"},
      {"yuè guāng", "yuè guang9", "'guang9' (syllable 5) is not pinyin"},
      {"[4.3, 6.1]", "[3.9, 6.1]",
       "exhibits[0].poem.timings.cues[2]: starts at 3.900 s, before the cue before it ends (4.000 s)"},
      {", [6.3, 8.2]", "", "exhibits[0].poem.timings.cues: there are 3 cues for the poem's 4 spoken lines"},
      {"\"line\"", "\"character\"", "there are 4 cues for the poem's 20 spoken characters"},
      {"[0.2, 2.0]", "[2.0, 0.2]", "exhibits[0].poem.timings.cues[0]: runs from 2.000 s to 0.200 s"},
      {"[0.2, 2.0]", "[0.2]", "exhibits[0].poem.timings.cues[0]: each cue must be [start, end] in seconds"},
      {"\"font\": \"kai\"", "\"font\": \"li\"", "exhibits[0].poem.font: 'li' is not one of: kai, song"},
      {"\"recitation\": \"jingyesi.wav\",", "", "timings without a recitation"},
      {"jingyesi.wav", "missing.wav", "exhibits[0].poem.recitation"},
      {"床前明月光，\\n疑是地上霜。\\n举头望明月，\\n低头思故乡。", "，。", "only punctuation or spaces"},
  };
  for (const auto& [from, to, expected] : cases) {
    std::string poem(good_poem);
    const size_t at = poem.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    poem.replace(at, from.size(), to);
    std::optional<SceneSource> source;
    const std::vector<Finding> findings = parse(poem_scene(poem), source);
    EXPECT_FALSE(source.has_value()) << expected;
    const bool found = std::any_of(findings.begin(), findings.end(), [&](const Finding& finding) {
      return finding.severity == Finding::Severity::error &&
             (finding.location + ": " + finding.message).find(expected) != std::string::npos &&
             !finding.message_zh.empty();
    });
    std::string said;
    for (const Finding& finding : findings) said += "\n  " + finding.describe();
    EXPECT_TRUE(found) << "expected \"" << expected << "\"; got:" << said;
  }
}

TEST_F(PackPoemSource, APoemWithoutItsPoemOrTranslationIsNamed) {
  std::optional<SceneSource> source;
  std::string scene = poem_scene(good_poem);
  const std::string translation_line = scene.substr(scene.find("\"translation\""));
  scene.erase(scene.find("\"translation\""), translation_line.find('\n') + 1);
  std::vector<Finding> findings = parse(scene, source);
  ASSERT_TRUE(source.has_value());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].location, "exhibits[0].poem.translation");
  EXPECT_EQ(findings[0].severity, Finding::Severity::warning);
  std::string no_poem = poem_scene("");
  const size_t poem_at = no_poem.find("\"poem\": {}");
  const size_t comma = no_poem.rfind(',', poem_at);
  no_poem.erase(comma, poem_at + std::string_view("\"poem\": {}").size() - comma);
  findings = parse(no_poem, source);
  EXPECT_FALSE(source.has_value());
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(),
                          [](const Finding& finding) { return finding.location == "exhibits[0].poem"; }));
}

// A 16-bit mono WAV of `seconds` of a quiet tone: a stand-in recitation.
void write_recitation(const std::filesystem::path& path, double seconds) {
  constexpr uint32_t rate = 22'050;
  const auto frames = static_cast<uint32_t>(seconds * rate);
  std::ofstream out(path, std::ios::binary);
  const auto put = [&](auto value) { out.write(reinterpret_cast<const char*>(&value), sizeof(value)); };
  out << "RIFF";
  put(uint32_t{36 + frames * 2});
  out << "WAVEfmt ";
  put(uint32_t{16});
  put(uint16_t{1});  // PCM
  put(uint16_t{1});  // mono
  put(rate);
  put(uint32_t{rate * 2});
  put(uint16_t{2});
  put(uint16_t{16});
  out << "data";
  put(uint32_t{frames * 2});
  for (uint32_t frame = 0; frame < frames; ++frame) {
    put(static_cast<int16_t>(3000 * std::sin(static_cast<double>(frame) * 0.12)));
  }
}

TEST_F(PackPoemSource, APoemIsPackedWithItsRecitationAndAFontAndAtlasOfWhatItShows) {
  write_recitation(folder / "jingyesi.wav", 9.0);
  std::ofstream(folder / "scene.json") << poem_scene(good_poem);
  const std::filesystem::path output = folder / "poetry.pvpkg";
  auto built = build_package({.scene_directory = folder.path(), .output = output, .thumbnails = false});
  ASSERT_TRUE(built.ok()) << built.error().describe();

  auto loaded = scene::load_scene_file(output, {.developer_mode = true});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  ASSERT_EQ(loaded->poems.size(), 1u);
  const scene::Poem& poem = loaded->poems[0];
  EXPECT_EQ(loaded->exhibits.at(poem.exhibit).id, "quiet-night");
  ASSERT_LT(poem.recitation, loaded->audio.size());
  EXPECT_EQ(loaded->audio[poem.recitation].exhibit, poem.exhibit);
  EXPECT_FALSE(loaded->audio[poem.recitation].loop);
  EXPECT_TRUE(poem.cues_by_line);
  ASSERT_EQ(poem.cues.size(), 4u);
  EXPECT_FLOAT_EQ(poem.cues[3].end, 8.2f);
  EXPECT_EQ(poem.pinyin.size(), 20u);
  EXPECT_EQ(poem.font_credit.family, "LXGW WenKai");
  EXPECT_NE(poem.font_credit.licence.find("SIL Open Font License"), std::string::npos);

  // The kiosk's side: the font sets the poem with its pinyin, and the atlas has every glyph.
  auto reader = package::PackageReader::open(output, {.developer_mode = true});
  ASSERT_TRUE(reader.ok()) << reader.error().describe();
  const auto blob = [&](const ContentHash& hash) {
    const std::optional<uint32_t> index = (*reader)->find(hash);
    EXPECT_TRUE(index.has_value());
    return index ? (*reader)->read_blob(*index).value() : std::vector<std::byte>{};
  };
  const std::vector<std::byte> font_bytes = blob(poem.font);
  EXPECT_LT(font_bytes.size(), 100u * 1024) << "the font should be a subset of kilobytes";
  auto font = text::Font::from_bytes(font_bytes, 0, "the poem's font");
  ASSERT_TRUE(font.ok()) << font.error().describe();
  auto atlas = text::decode_atlas(blob(poem.atlas));
  ASSERT_TRUE(atlas.ok()) << atlas.error().describe();
  std::vector<text::Ruby> ruby;
  const std::u32string characters = decode_utf8(poem.text).value();
  const std::vector<text::TextSpan> spoken = text::spoken_characters(characters);
  for (size_t index = 0; index < spoken.size(); ++index) ruby.push_back({spoken[index].first, 1, poem.pinyin[index]});
  for (const text::Orientation orientation : {text::Orientation::vertical, text::Orientation::horizontal}) {
    auto layout = text::lay_out(poem.text, ruby, **font, **font, {.orientation = orientation});
    ASSERT_TRUE(layout.ok()) << layout.error().describe();
    for (const text::PlacedGlyph& glyph : layout->glyphs) {
      EXPECT_NE(atlas->find({0, glyph.glyph}), nullptr) << "glyph " << glyph.glyph << " is not in the atlas";
    }
  }
}

TEST_F(PackPoemSource, ASynthesisedRecitationIsTimedByItsSynthesiserCharacterByCharacter) {
  std::string poem(good_poem);
  const size_t recitation = poem.find("\"recitation\"");
  poem.replace(recitation, poem.size() - recitation, "\"recitation\": {\"voice\": \"cmn\"}");
  std::ofstream(folder / "scene.json") << poem_scene(poem);
  const std::filesystem::path output = folder / "poetry.pvpkg";
  auto built = build_package({.scene_directory = folder.path(), .output = output, .thumbnails = false});
  ASSERT_TRUE(built.ok()) << built.error().describe();
  auto loaded = scene::load_scene_file(output, {.developer_mode = true});
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  const scene::Poem& packed = loaded->poems.at(0);
  EXPECT_FALSE(packed.cues_by_line);
  ASSERT_EQ(packed.cues.size(), 20u);
  const scene::AudioSource& sound = loaded->audio.at(packed.recitation);
  EXPECT_LE(packed.cues.back().end, static_cast<float>(sound.frames) / static_cast<float>(sound.sample_rate));

  // Timings are the synthesiser's to give.
  std::optional<SceneSource> source;
  const std::vector<Finding> findings =
      parse(poem_scene(poem + ", \"timings\": {\"unit\": \"line\", \"cues\": []}"), source);
  EXPECT_FALSE(source.has_value());
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const Finding& finding) {
    return finding.location == "exhibits[0].poem.timings" && finding.message.find("synthesised") != std::string::npos;
  }));
}

TEST_F(PackPoemSource, TimingsPastTheEndOfTheRecitationAreRefused) {
  write_recitation(folder / "jingyesi.wav", 7.5);
  std::ofstream(folder / "scene.json") << poem_scene(good_poem);
  auto built = build_package({.scene_directory = folder.path(), .thumbnails = false});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().describe().find("exhibits[0].poem.timings.cues[3]: error: ends at 8.200 s, after the "
                                          "recitation ends (7.500 s)"),
            std::string::npos)
      << built.error().describe();
}

}  // namespace
}  // namespace pavilion::pack
