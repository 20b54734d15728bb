// IIIF manifests that cannot be read as a book (content_tools/iiif): each problem at its JSON
// path, in English and Chinese; manifests that are not books refused with a sentence.
#include "pavilion/iiif/manifest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace pavilion::iiif {
namespace {

const std::filesystem::path malformed = std::filesystem::path(PAVILION_IIIF_FIXTURES).parent_path() / "malformed";

// The error findings of reading `name` (which must fail).
std::vector<checking::Finding> errors_of(const std::string& name) {
  const Result<Manifest> manifest = read_manifest(malformed / name);
  EXPECT_FALSE(manifest) << name;
  if (!manifest) {
    // The error value carries every finding in both languages.
    EXPECT_NE(manifest.error().why().find("error:"), std::string::npos);
    EXPECT_NE(manifest.error().why().find("错误:"), std::string::npos);
  }
  std::vector<checking::Finding> findings;
  const auto bytes = read_file(malformed / name);
  EXPECT_TRUE(bytes);
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  EXPECT_FALSE(parse_manifest(text, malformed / name, findings));
  std::erase_if(findings, [](const checking::Finding& finding) {
    return finding.severity != checking::Finding::Severity::error;
  });
  for (const checking::Finding& finding : findings) {
    EXPECT_FALSE(finding.message.empty());
    EXPECT_FALSE(finding.message_zh.empty());
    EXPECT_EQ(finding.file, malformed / name);
  }
  return findings;
}

std::string locations(const std::vector<checking::Finding>& findings) {
  std::string text;
  for (const checking::Finding& finding : findings) text += finding.location + ";";
  return text;
}

TEST(Iiif, MalformedBodyIsReportedAtItsPathInBothLanguages) {
  const auto findings = errors_of("body-without-id.json");
  ASSERT_EQ(findings.size(), 1u) << locations(findings);
  EXPECT_EQ(findings[0].location, "items[1].items[0].items[0].body.id");
  EXPECT_EQ(findings[0].message, "this field is required");
  EXPECT_EQ(findings[0].message_zh, "此字段为必填项");
  const Result<Manifest> manifest = read_manifest(malformed / "body-without-id.json");
  ASSERT_FALSE(manifest);
  EXPECT_NE(manifest.error().why().find("items[1].items[0].items[0].body.id: error: this field is required"),
            std::string::npos);
  EXPECT_NE(manifest.error().why().find("items[1].items[0].items[0].body.id: 错误: 此字段为必填项"), std::string::npos);
}

TEST(Iiif, SyntaxErrorsContextsDirectionsAndSizes) {
  EXPECT_EQ(errors_of("truncated.json").at(0).location.substr(0, 5), "line ");
  EXPECT_EQ(locations(errors_of("unknown-context.json")), "@context;");
  const auto direction = errors_of("unknown-direction.json");
  EXPECT_EQ(locations(direction), "viewingDirection;");
  EXPECT_NE(direction[0].message.find("'sideways'"), std::string::npos);
  EXPECT_EQ(locations(errors_of("negative-width.json")), "items[0].width;");
}

TEST(Iiif, ManifestsThatAreNotBooksAreRefusedWithASentence) {
  const auto empty = errors_of("no-canvases.json");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].location, "items");
  EXPECT_NE(empty[0].message.find("a book needs page images"), std::string::npos);
  EXPECT_NE(empty[0].message_zh.find("一本书需要书页图像"), std::string::npos);
  const auto audio = errors_of("audio-only.json");
  ASSERT_EQ(audio.size(), 1u);
  EXPECT_NE(audio[0].message.find("sound or video"), std::string::npos);
  EXPECT_NE(audio[0].message.find("a book needs page images"), std::string::npos);

  std::vector<checking::Finding> findings;
  EXPECT_FALSE(parse_manifest(R"({"@context": "http://iiif.io/api/presentation/3/context.json", "type": "Collection",
                                   "items": []})",
                              "collection.json", findings));
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].location, "type");
  EXPECT_NE(findings[0].message.find("collection"), std::string::npos);
}

// A Presentation 3 book written here: a SpecificResource with an ImageApiSelector, a Choice, a
// page without an image, a commentary on a region, nested ranges and a range naming an unknown page.
constexpr std::string_view presentation3_book = R"({
  "@context": ["http://www.w3.org/ns/anno.jsonld", "http://iiif.io/api/presentation/3/context.json"],
  "id": "https://example.org/m", "type": "Manifest",
  "label": {"zh-CN": ["宋本"], "en": ["A Song edition"]},
  "behavior": ["paged", "auto-advance"],
  "items": [
    {"id": "https://example.org/c0", "type": "Canvas", "width": 1000, "height": 1500,
     "items": [{"id": "https://example.org/c0/p", "type": "AnnotationPage", "items": [
       {"id": "https://example.org/c0/a", "type": "Annotation", "motivation": "painting",
        "target": "https://example.org/c0",
        "body": {"type": "SpecificResource",
                 "source": {"id": "https://example.org/i0.jpg", "type": "Image", "width": 1500, "height": 1000,
                            "service": [{"@id": "https://example.org/iiif/i0", "@type": "ImageService2",
                                         "profile": "http://iiif.io/api/image/2/level2.json"}]},
                 "selector": {"type": "ImageApiSelector", "region": "0,0,1500,1000", "rotation": "270"}}}]}],
     "annotations": [{"id": "https://example.org/c0/notes", "type": "AnnotationPage", "items": [
       {"id": "https://example.org/c0/n", "type": "Annotation", "motivation": "commenting",
        "body": {"type": "TextualBody", "value": "朱批", "language": "zh-CN", "format": "text/plain"},
        "target": {"type": "SpecificResource", "source": "https://example.org/c0",
                   "selector": {"type": "FragmentSelector", "value": "xywh=10,20,30,40"}}}]}]},
    {"id": "https://example.org/c1", "type": "Canvas", "width": 1000, "height": 1500, "behavior": ["facing-pages"],
     "items": [{"id": "https://example.org/c1/p", "type": "AnnotationPage", "items": [
       {"id": "https://example.org/c1/a", "type": "Annotation", "motivation": "painting",
        "target": "https://example.org/c1",
        "body": {"type": "Choice", "items": [
          {"id": "https://example.org/i1-colour.jpg", "type": "Image", "label": {"en": ["colour"]}},
          {"id": "https://example.org/i1-infrared.jpg", "type": "Image", "label": {"en": ["infrared"]}}]}}]}]},
    {"id": "https://example.org/c2", "type": "Canvas", "width": 1000, "height": 1500, "items": []},
    {"id": "https://example.org/c3", "type": "Canvas", "width": 500, "height": 750,
     "items": [{"id": "https://example.org/c3/p", "type": "AnnotationPage", "items": [
       {"id": "https://example.org/c3/a", "type": "Annotation", "motivation": "painting",
        "target": "https://example.org/c3",
        "body": {"type": "SpecificResource", "source": {"id": "https://example.org/spread.jpg", "type": "Image"},
                 "selector": {"type": "FragmentSelector", "value": "xywh=500,0,500,750"}}},
       {"id": "https://example.org/c3/b", "type": "Annotation", "motivation": "painting",
        "target": "https://example.org/c3#xywh=0,0,250,750",
        "body": {"id": "https://example.org/seal.jpg#xywh=1,2,3,4", "type": "Image"}}]}]}
  ],
  "structures": [
    {"id": "https://example.org/r0", "type": "Range", "label": {"en": ["Preface"]}, "items": [
      {"id": "https://example.org/c0", "type": "Canvas"},
      {"id": "https://example.org/r1", "type": "Range", "label": {"zh-CN": ["序"]}, "items": [
        {"id": "https://example.org/c2#xywh=0,0,10,10", "type": "Canvas"},
        {"id": "https://example.org/c9", "type": "Canvas"}]}]}
  ]
})";

TEST(Iiif, Presentation3SelectorsChoicesCommentaryAndRanges) {
  std::vector<checking::Finding> findings;
  const std::optional<Manifest> manifest = parse_manifest(presentation3_book, "song.json", findings);
  ASSERT_TRUE(manifest) << (findings.empty() ? "" : findings[0].describe());
  EXPECT_EQ(manifest->label.best("zh-CN"), "宋本");
  EXPECT_EQ(manifest->layout, book::Layout::paged);
  const Image& rotated = manifest->canvases.at(0).paintings.at(0).options.at(0);
  EXPECT_EQ(rotated.id, "https://example.org/i0.jpg");
  EXPECT_EQ(rotated.rotation_degrees, 270);
  EXPECT_EQ(rotated.region, (Region{0, 0, 1500, 1000}));
  ASSERT_EQ(rotated.services.size(), 1u);
  EXPECT_EQ(rotated.services[0].api_version, 2);
  EXPECT_EQ(rotated.services[0].level, 2);
  EXPECT_EQ(rotated.services[0].id, "https://example.org/iiif/i0");
  ASSERT_EQ(manifest->canvases[0].texts.size(), 1u);
  EXPECT_EQ(manifest->canvases[0].texts[0].motivation, "commenting");
  EXPECT_EQ(manifest->canvases[0].texts[0].value, "朱批");
  EXPECT_EQ(manifest->canvases[0].texts[0].language, "zh-CN");
  EXPECT_EQ(manifest->canvases[0].texts[0].target, (Region{10, 20, 30, 40}));
  EXPECT_EQ(manifest->canvases[1].behavior, book::PageBehavior::facing_pages);
  ASSERT_EQ(manifest->canvases[1].paintings.at(0).options.size(), 2u);
  EXPECT_EQ(manifest->canvases[1].paintings[0].options[1].label.best("en"), "infrared");
  EXPECT_TRUE(manifest->canvases[2].placeholder());
  // Regions of a picture by a FragmentSelector, or in the image's own URI; where it is painted.
  ASSERT_EQ(manifest->canvases.at(3).paintings.size(), 2u);
  EXPECT_EQ(manifest->canvases[3].paintings[0].options.at(0).region, (Region{500, 0, 500, 750}));
  EXPECT_FALSE(manifest->canvases[3].paintings[0].options[0].target);
  EXPECT_EQ(manifest->canvases[3].paintings[1].options.at(0).region, (Region{1, 2, 3, 4}));
  EXPECT_EQ(manifest->canvases[3].paintings[1].options[0].target, (Region{0, 0, 250, 750}));
  ASSERT_EQ(manifest->ranges.size(), 1u);
  EXPECT_EQ(manifest->ranges[0].canvases, std::vector<size_t>{0});
  ASSERT_EQ(manifest->ranges[0].children.size(), 1u);
  EXPECT_EQ(manifest->ranges[0].children[0].canvases, std::vector<size_t>{2});
  // Warnings with their paths: the placeholder, the unknown page; auto-advance in a note.
  const auto at = [&](std::string_view location, checking::Finding::Severity severity) {
    return std::any_of(manifest->warnings.begin(), manifest->warnings.end(), [&](const checking::Finding& finding) {
      return finding.location == location && finding.severity == severity && !finding.message_zh.empty();
    });
  };
  EXPECT_TRUE(at("items[2]", checking::Finding::Severity::warning));
  EXPECT_TRUE(at("structures[0].items[1].items[1]", checking::Finding::Severity::warning));
  EXPECT_TRUE(at("behavior", checking::Finding::Severity::note));
}

TEST(Iiif, Presentation2RangesThatContainThemselvesStop) {
  std::vector<checking::Finding> findings;
  const std::optional<Manifest> manifest = parse_manifest(R"({
    "@context": "http://iiif.io/api/presentation/2/context.json", "@id": "m", "@type": "sc:Manifest", "label": "loop",
    "sequences": [{"canvases": [{"@id": "c0", "@type": "sc:Canvas", "width": 10, "height": 10,
      "images": [{"resource": {"@id": "i0.jpg", "@type": "dctypes:Image"}}]}]}],
    "structures": [
      {"@id": "r0", "@type": "sc:Range", "viewingHint": "top", "label": "a", "ranges": ["r1"]},
      {"@id": "r1", "@type": "sc:Range", "label": "b", "ranges": ["r0"], "canvases": ["c0"]}]})",
                                                          "loop.json", findings);
  ASSERT_TRUE(manifest);
  ASSERT_EQ(manifest->ranges.size(), 1u);
  ASSERT_EQ(manifest->ranges[0].children.size(), 1u);
  EXPECT_TRUE(manifest->ranges[0].children[0].children.empty());
  EXPECT_EQ(manifest->ranges[0].children[0].canvases, std::vector<size_t>{0});
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const checking::Finding& finding) {
    return finding.location == "structures[1].ranges[0]";
  }));
}

}  // namespace
}  // namespace pavilion::iiif
