#include "pavilion/pack/scene_source.h"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST(PackSceneSource, CameraPathKeysMustRunForwardInTime) {
  std::string text(minimal);
  text.insert(text.find("\"exhibits\""), R"("camera_paths": [{"keys": [{"time": 0, "position": [0, 1, 5], "target": [0, 1, 0]},
    {"time": 0, "position": [1, 1, 5], "target": [0, 1, 0]}]}, {"keys": [{"time": 1, "position": [0, 1, 5], "target": [0, 1, 0]}]}], )");
  const auto lines = findings_of(text);
  EXPECT_TRUE(contains(lines, "camera_paths[0].keys[1].time: error: times must increase")) << join(lines);
  EXPECT_TRUE(contains(lines, "camera_paths[1].keys: error: a camera path needs two or more keys")) << join(lines);
}

TEST(PackSceneSource, NotAnObjectAtTheTopIsExplained) {
  const auto lines = findings_of("[1, 2, 3]");
  EXPECT_TRUE(contains(lines, "scene.json must hold one object")) << join(lines);
}

}  // namespace
}  // namespace pavilion::pack
