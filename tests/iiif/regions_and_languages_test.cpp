// What a page shows of its image (regions, quarter turns, an Image API request as the image's id)
// and which language a visitor reads, from IIIF manifests (content_tools/iiif).
#include "pavilion/iiif/manifest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace pavilion::iiif {
namespace {

const std::filesystem::path manifests = std::filesystem::path(PAVILION_IIIF_FIXTURES).parent_path() / "manifests";

const Image& first_image(const Manifest& manifest, size_t canvas) {
  return manifest.canvases.at(canvas).paintings.at(0).options.at(0);
}

TEST(IiifRegions, Presentation3SelectorsAndRequestsInTheId) {
  const Result<Manifest> manifest = read_manifest(manifests / "regions-and-rotation-p3.json");
  ASSERT_TRUE(manifest) << manifest.error().describe();
  // The cookbook's rotation recipe: iiif:ImageApiSelector (the annex's prefix) turning a portrait scan.
  const Image& turned = first_image(*manifest, 0);
  EXPECT_EQ(turned.rotation_degrees, 90);
  EXPECT_EQ(turned.quarter_turns(), 1);
  EXPECT_FALSE(turned.region);
  EXPECT_FALSE(turned.cut_in_id);  // its id asks for the full image, unturned
  // A region written as a media fragment inside an ImageApiSelector, as the region recipe does.
  const Image& detail = first_image(*manifest, 1);
  EXPECT_EQ(detail.region, (Region{1000, 500, 1000, 1000}));
  EXPECT_EQ(detail.quarter_turns(), 0);
  // The id itself an Image API request: region and rotation from it, its bytes already cut.
  const Image& in_id = first_image(*manifest, 2);
  EXPECT_EQ(in_id.region, (Region{50, 60, 1250, 1850}));
  EXPECT_EQ(in_id.quarter_turns(), 3);
  EXPECT_TRUE(in_id.cut_in_id);
  // 100° is shown at the nearest quarter turn, with a warning at the selector's rotation.
  const Image& askew = first_image(*manifest, 3);
  EXPECT_EQ(askew.quarter_turns(), 1);
  const auto warned = std::find_if(manifest->warnings.begin(), manifest->warnings.end(), [](const checking::Finding& f) {
    return f.location == "items[3].items[0].items[0].body.selector[0].rotation";
  });
  ASSERT_NE(warned, manifest->warnings.end());
  EXPECT_NE(warned->message.find("90°"), std::string::npos) << warned->message;
  EXPECT_FALSE(warned->message_zh.empty());
}

TEST(IiifRegions, Presentation2RequestInTheResourceId) {
  constexpr std::string_view text = R"({
    "@context": "http://iiif.io/api/presentation/2/context.json",
    "@id": "https://example.org/p2/manifest", "@type": "sc:Manifest", "label": "P2",
    "sequences": [{"@type": "sc:Sequence", "canvases": [
      {"@id": "https://example.org/p2/c0", "@type": "sc:Canvas", "label": "f. 1r", "width": 1000, "height": 1400,
       "images": [{"@type": "oa:Annotation", "motivation": "sc:painting", "on": "https://example.org/p2/c0",
         "resource": {"@id": "https://example.org/iiif/2/f1/100,150,1000,1400/full/180/default.jpg",
                      "@type": "dctypes:Image", "width": 2000, "height": 3000,
                      "service": {"@context": "http://iiif.io/api/image/2/context.json",
                                  "@id": "https://example.org/iiif/2/f1", "profile": "http://iiif.io/api/image/2/level2.json"}}}]},
      {"@id": "https://example.org/p2/c1", "@type": "sc:Canvas", "label": "f. 1v", "width": 2000, "height": 3000,
       "images": [{"@type": "oa:Annotation", "motivation": "sc:painting", "on": "https://example.org/p2/c1",
         "resource": {"@id": "https://example.org/iiif/2/f2/full/full/0/default.jpg",
                      "@type": "dctypes:Image", "width": 2000, "height": 3000,
                      "service": {"@context": "http://iiif.io/api/image/2/context.json",
                                  "@id": "https://example.org/iiif/2/f2", "profile": "http://iiif.io/api/image/2/level2.json"}}}]},
      {"@id": "https://example.org/p2/c2", "@type": "sc:Canvas", "label": "f. 2r", "width": 2000, "height": 3000,
       "images": [{"@type": "oa:Annotation", "motivation": "sc:painting", "on": "https://example.org/p2/c2",
         "resource": {"@id": "https://example.org/scans/f3/1/2/3/4.jpg", "@type": "dctypes:Image"}}]}]}]
  })";
  std::vector<checking::Finding> findings;
  const std::optional<Manifest> manifest = parse_manifest(text, "p2.json", findings);
  ASSERT_TRUE(manifest) << (findings.empty() ? "" : findings[0].describe());
  const Image& cut = first_image(*manifest, 0);
  EXPECT_EQ(cut.region, (Region{100, 150, 1000, 1400}));
  EXPECT_EQ(cut.quarter_turns(), 2);
  EXPECT_TRUE(cut.cut_in_id);
  const Image& whole = first_image(*manifest, 1);
  EXPECT_FALSE(whole.region);
  EXPECT_EQ(whole.quarter_turns(), 0);
  EXPECT_FALSE(whole.cut_in_id);
  // Four segments without a service above them are a path, not a request.
  const Image& plain = first_image(*manifest, 2);
  EXPECT_FALSE(plain.region);
  EXPECT_FALSE(plain.cut_in_id);
}

TEST(IiifRegions, ASelectorOverARequestInTheIdIsAppliedToTheFullImage) {
  constexpr std::string_view text = R"({
    "@context": "http://iiif.io/api/presentation/3/context.json",
    "id": "https://example.org/m", "type": "Manifest", "label": {"none": ["m"]},
    "items": [{"id": "https://example.org/c", "type": "Canvas", "width": 100, "height": 100,
      "items": [{"id": "https://example.org/p", "type": "AnnotationPage", "items": [
        {"id": "https://example.org/a", "type": "Annotation", "motivation": "painting", "target": "https://example.org/c",
         "body": {"type": "SpecificResource",
                  "source": {"id": "https://example.org/iiif/x/0,0,50,50/max/0/default.jpg", "type": "Image",
                             "service": [{"id": "https://example.org/iiif/x", "type": "ImageService3", "profile": "level2"}]},
                  "selector": {"type": "ImageApiSelector", "region": "10,10,80,80", "rotation": "180"}}}]}]}]
  })";
  std::vector<checking::Finding> findings;
  const std::optional<Manifest> manifest = parse_manifest(text, "both.json", findings);
  ASSERT_TRUE(manifest);
  const Image& image = first_image(*manifest, 0);
  EXPECT_EQ(image.region, (Region{10, 10, 80, 80}));
  EXPECT_EQ(image.quarter_turns(), 2);
  EXPECT_FALSE(image.cut_in_id);
  EXPECT_TRUE(std::any_of(manifest->warnings.begin(), manifest->warnings.end(), [](const checking::Finding& f) {
    return f.location == "items[0].items[0].items[0].body.selector[0]" && f.message.find("full image") != std::string::npos;
  }));
}

LanguageMap map_of(std::initializer_list<std::pair<const char*, const char*>> entries) {
  LanguageMap map;
  for (const auto& [language, value] : entries) map.entries.push_back({language, {value}});
  return map;
}

TEST(IiifLanguages, ReadingOrderForAVisitor) {
  EXPECT_EQ(LanguageMap::reading_order("zh-CN"), (std::vector<std::string>{"zh-CN", "zh-Hans", "zh", "*", "none", "en"}));
  EXPECT_EQ(LanguageMap::reading_order("zh-TW"), (std::vector<std::string>{"zh-TW", "zh-Hant", "zh", "*", "none", "en"}));
  EXPECT_EQ(LanguageMap::reading_order("en"), (std::vector<std::string>{"en", "*", "none"}));
  EXPECT_EQ(LanguageMap::reading_order("fr-CA"), (std::vector<std::string>{"fr-CA", "fr", "*", "none", "en"}));
}

TEST(IiifLanguages, EachStepOfTheFallbackForAChineseVisitor) {
  // Each map lacks the step before: the visitor of zh-CN gets the first language left in the order.
  EXPECT_EQ(map_of({{"en", "Title"}, {"zh-Hans", "简体"}, {"zh-CN", "大陆"}}).best("zh-CN"), "大陆");
  EXPECT_EQ(map_of({{"en", "Title"}, {"zh", "中文"}, {"zh-Hans", "简体"}}).best("zh-CN"), "简体");
  EXPECT_EQ(map_of({{"en", "Title"}, {"zh-Hant", "繁體"}, {"zh", "中文"}}).best("zh-CN"), "中文");
  EXPECT_EQ(map_of({{"en", "Title"}, {"none", "MS 12"}, {"zh-Hant", "繁體"}}).best("zh-CN"), "繁體");
  EXPECT_EQ(map_of({{"fr", "Titre"}, {"en", "Title"}, {"none", "MS 12"}}).best("zh-CN"), "MS 12");
  EXPECT_EQ(map_of({{"fr", "Titre"}, {"en", "Title"}}).best("zh-CN"), "Title");
  EXPECT_EQ(map_of({{"fr", "Titre"}, {"de", "Titel"}}).best("zh-CN"), "Titre");
  EXPECT_EQ(LanguageMap{}.best("zh-CN"), "");
  // Tags compare without case, as BCP 47 says; a language with no value is passed over.
  EXPECT_EQ(map_of({{"ZH-hans", "简体"}}).best("zh-cn"), "简体");
  LanguageMap empty_english = map_of({{"none", "MS 12"}});
  empty_english.entries.insert(empty_english.entries.begin(), {"en", {}});
  EXPECT_EQ(empty_english.best("en"), "MS 12");
}

TEST(IiifLanguages, EveryLanguageOfAManifestIsKept) {
  const Result<Manifest> manifest = read_manifest(manifests / "regions-and-rotation-p3.json");
  ASSERT_TRUE(manifest) << manifest.error().describe();
  ASSERT_EQ(manifest->label.entries.size(), 3u);
  ASSERT_NE(manifest->label.find("fr"), nullptr);
  EXPECT_EQ(manifest->label.find("fr")->front(), "Régions et rotation");
  EXPECT_EQ(manifest->label.best("fr-FR"), "Régions et rotation");
  EXPECT_EQ(manifest->label.best("zh-CN"), "裁切与旋转");
  EXPECT_EQ(manifest->label.best("ja"), "Regions and rotation");
  EXPECT_EQ(manifest->label.best("en-GB"), "Regions and rotation");
}

}  // namespace
}  // namespace pavilion::iiif
