// IIIF multi-part collections (content_tools/iiif, #17): one work in several volumes, read from
// Presentation 3 and 2, refused where it is not one work or names no volume, and its volumes
// joined into one book (pages in order, a table of contents per volume, the collection's
// description first, a volume bound the other way and each volume's warnings named).
#include "pavilion/iiif/manifest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace pavilion::iiif {
namespace {

std::string first(const LanguageMap& map, std::string_view language) {
  const auto* values = map.find(language);
  return values && !values->empty() ? values->front() : "(absent)";
}

const checking::Finding* find_at(const std::vector<checking::Finding>& findings, std::string_view location,
                                 checking::Finding::Severity severity) {
  const auto found = std::ranges::find_if(findings, [&](const checking::Finding& finding) {
    return finding.location == location && finding.severity == severity;
  });
  return found == findings.end() ? nullptr : &*found;
}

constexpr std::string_view presentation3_collection = R"({
  "@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://lib.example/iiif/mengxi/collection.json", "type": "Collection",
  "label": {"zh-Hant": ["夢溪筆談"], "en": ["Brush Talks from Dream Brook"]},
  "summary": {"en": ["Twenty-six juan in two volumes."]},
  "requiredStatement": {"label": {"en": ["Attribution"]}, "value": {"en": ["Held by the Library"]}},
  "rights": "http://rightsstatements.org/vocab/NoC-NC/1.0/",
  "provider": [{"id": "https://lib.example", "type": "Agent", "label": {"en": ["The Library"]}}],
  "viewingDirection": "right-to-left",
  "behavior": ["multi-part"],
  "items": [
    {"id": "https://lib.example/iiif/v1/manifest.json", "type": "Manifest", "label": {"en": ["Volume 1"]}},
    {"id": "https://lib.example/iiif/other/collection.json", "type": "Collection", "label": {"en": ["Other"]}},
    {"id": "https://lib.example/iiif/v2/manifest.json", "type": "Manifest", "label": {"zh-Hant": ["卷二"], "en": ["Volume 2"]}}
  ]
})";

// A volume of `pages` canvases (page `blank`, 1-based, has no image); with ranges when asked.
std::string volume_json(std::string_view volume, size_t pages, std::string_view extra, size_t blank = 0) {
  std::string canvases;
  for (size_t page = 1; page <= pages; ++page) {
    const std::string id = fmt::format("https://lib.example/iiif/{}/c{}", volume, page);
    const std::string painting =
        page == blank ? ""
                      : fmt::format(R"({{"id": "{0}/p", "type": "AnnotationPage", "items": [{{"id": "{0}/a",
          "type": "Annotation", "motivation": "painting", "target": "{0}",
          "body": {{"id": "https://lib.example/scans/{1}-{2}.jpg", "type": "Image", "width": 600, "height": 800}}}}]}})",
                                    id, volume, page);
    canvases += fmt::format(R"({}{{"id": "{}", "type": "Canvas", "width": 600, "height": 800,
      "label": {{"en": ["{} page {}"]}}, "items": [{}]}})",
                            page == 1 ? "" : ",", id, volume, page, painting);
  }
  return fmt::format(R"({{
  "@context": "http://iiif.io/api/presentation/3/context.json",
  "id": "https://lib.example/iiif/{}/manifest.json", "type": "Manifest", {}
  "items": [{}]
}})",
                     volume, extra, canvases);
}

TEST(IiifMultiPart, APresentation3CollectionIsReadWithItsVolumesInOrder) {
  std::vector<checking::Finding> findings;
  const std::optional<Document> document = parse_document(presentation3_collection, "collection.json", findings);
  ASSERT_TRUE(document) << (findings.empty() ? "" : findings[0].describe());
  const auto* collection = std::get_if<MultiPartCollection>(&*document);
  ASSERT_NE(collection, nullptr);
  EXPECT_EQ(collection->presentation_version, 3);
  EXPECT_EQ(collection->id, "https://lib.example/iiif/mengxi/collection.json");
  EXPECT_EQ(first(collection->label, "zh-Hant"), "夢溪筆談");
  EXPECT_EQ(first(collection->summary, "en"), "Twenty-six juan in two volumes.");
  ASSERT_TRUE(collection->required_statement);
  EXPECT_EQ(first(collection->required_statement->value, "en"), "Held by the Library");
  EXPECT_EQ(collection->rights, std::vector<std::string>{"http://rightsstatements.org/vocab/NoC-NC/1.0/"});
  ASSERT_EQ(collection->provider.size(), 1u);
  EXPECT_EQ(collection->viewing_direction, book::ViewingDirection::right_to_left);
  ASSERT_EQ(collection->volumes.size(), 2u);
  EXPECT_EQ(collection->volumes[0].id, "https://lib.example/iiif/v1/manifest.json");
  EXPECT_EQ(collection->volumes[0].path, "items[0]");
  EXPECT_EQ(first(collection->volumes[0].label, "en"), "Volume 1");
  EXPECT_EQ(collection->volumes[1].id, "https://lib.example/iiif/v2/manifest.json");
  EXPECT_EQ(collection->volumes[1].path, "items[2]");
  // The nested collection is left out, said where.
  const checking::Finding* nested = find_at(collection->warnings, "items[1]", checking::Finding::Severity::warning);
  ASSERT_NE(nested, nullptr);
  EXPECT_NE(nested->message.find("https://lib.example/iiif/other/collection.json"), std::string::npos);
  EXPECT_FALSE(nested->message_zh.empty());
}

TEST(IiifMultiPart, APresentation2CollectionReadsManifestsAndMembers) {
  // `manifests` and `members` both name volume 2: one volume. A member collection is left out.
  constexpr std::string_view text = R"({
    "@context": "http://iiif.io/api/presentation/2/context.json",
    "@id": "https://lib.example/iiif/c", "@type": "sc:Collection", "viewingHint": "multi-part",
    "label": "Mengxi bitan", "description": "Two volumes.", "attribution": "Held by the Library",
    "license": "http://rightsstatements.org/vocab/NoC-NC/1.0/",
    "manifests": [{"@id": "https://lib.example/iiif/v1", "@type": "sc:Manifest", "label": "Volume 1"},
                  {"@id": "https://lib.example/iiif/v2", "label": "Volume 2"}],
    "members": [{"@id": "https://lib.example/iiif/v2", "@type": "sc:Manifest", "label": "Volume 2"},
                {"@id": "https://lib.example/iiif/sub", "@type": "sc:Collection", "label": "Other"},
                {"@id": "https://lib.example/iiif/v3", "@type": "sc:Manifest", "label": "Volume 3"}]
  })";
  std::vector<checking::Finding> findings;
  const std::optional<Document> document = parse_document(text, "collection.json", findings);
  ASSERT_TRUE(document) << (findings.empty() ? "" : findings[0].describe());
  const auto* collection = std::get_if<MultiPartCollection>(&*document);
  ASSERT_NE(collection, nullptr);
  EXPECT_EQ(collection->presentation_version, 2);
  EXPECT_EQ(first(collection->label, "none"), "Mengxi bitan");
  EXPECT_EQ(first(collection->summary, "none"), "Two volumes.");
  ASSERT_TRUE(collection->required_statement);
  EXPECT_EQ(first(collection->required_statement->value, "none"), "Held by the Library");
  EXPECT_FALSE(collection->viewing_direction);
  ASSERT_EQ(collection->volumes.size(), 3u);
  EXPECT_EQ(collection->volumes[0].path, "manifests[0]");
  EXPECT_EQ(collection->volumes[1].id, "https://lib.example/iiif/v2");
  EXPECT_EQ(collection->volumes[1].path, "manifests[1]");
  EXPECT_EQ(collection->volumes[2].id, "https://lib.example/iiif/v3");
  EXPECT_EQ(collection->volumes[2].path, "members[2]");
  EXPECT_NE(find_at(collection->warnings, "members[1]", checking::Finding::Severity::warning), nullptr);
}

TEST(IiifMultiPart, ParseManifestRefusesAMultiPartCollectionNamingTheFunctionThatReadsIt) {
  std::vector<checking::Finding> findings;
  EXPECT_FALSE(parse_manifest(presentation3_collection, "collection.json", findings));
  const checking::Finding* refusal = find_at(findings, "type", checking::Finding::Severity::error);
  ASSERT_NE(refusal, nullptr);
  EXPECT_NE(refusal->message.find("multi-part collection"), std::string::npos);
  EXPECT_NE(refusal->message.find("parse_document"), std::string::npos);
  EXPECT_NE(refusal->message_zh.find("parse_document"), std::string::npos);
}

TEST(IiifMultiPart, ACollectionOfSeparateWorksIsStillRefused) {
  for (const auto& [text, type_path] : {
           std::pair<std::string_view, std::string_view>{
               R"({"@context": "http://iiif.io/api/presentation/3/context.json", "type": "Collection",
                   "items": [{"id": "https://lib.example/a", "type": "Manifest"}]})",
               "type"},
           {R"({"@context": "http://iiif.io/api/presentation/2/context.json", "@type": "sc:Collection",
                "viewingHint": "individuals", "manifests": [{"@id": "https://lib.example/a", "@type": "sc:Manifest"}]})",
            "@type"}}) {
    std::vector<checking::Finding> findings;
    EXPECT_FALSE(parse_document(text, "shelf.json", findings));
    const checking::Finding* refusal = find_at(findings, type_path, checking::Finding::Severity::error);
    ASSERT_NE(refusal, nullptr) << type_path;
    EXPECT_EQ(refusal->message, "this is a collection of manifests, not one book; name one of its manifests instead");
    EXPECT_FALSE(refusal->message_zh.empty());
  }
}

TEST(IiifMultiPart, AMultiPartCollectionWithoutManifestsIsRefused) {
  // Its only item is a collection: left out with a warning, so no volume is left.
  std::vector<checking::Finding> findings;
  EXPECT_FALSE(parse_document(R"({"@context": "http://iiif.io/api/presentation/3/context.json",
      "type": "Collection", "behavior": ["multi-part"],
      "items": [{"id": "https://lib.example/c", "type": "Collection"}]})",
                              "empty.json", findings));
  EXPECT_NE(find_at(findings, "items[0]", checking::Finding::Severity::warning), nullptr);
  const checking::Finding* refusal = find_at(findings, "items", checking::Finding::Severity::error);
  ASSERT_NE(refusal, nullptr);
  EXPECT_NE(refusal->message.find("names no manifests"), std::string::npos);
  EXPECT_FALSE(refusal->message_zh.empty());

  findings.clear();
  EXPECT_FALSE(parse_document(R"({"@context": "http://iiif.io/api/presentation/2/context.json",
      "@type": "sc:Collection", "viewingHint": ["multi-part"]})",
                              "empty.json", findings));
  EXPECT_NE(find_at(findings, "manifests", checking::Finding::Severity::error), nullptr);
}

class IiifJoinedVolumes : public testing::Test {
 protected:
  void SetUp() override {
    std::vector<checking::Finding> findings;
    const std::optional<Document> document = parse_document(presentation3_collection, "collection.json", findings);
    ASSERT_TRUE(document);
    collection = std::get<MultiPartCollection>(*document);
    // Volume 1: two pages in two chapters, paged, starting at its page 2, metadata of its own.
    // Volume 2: three pages, no table of contents, no label, page 2 without an image, bound left to right.
    volumes.push_back(read(volume_json("v1", 2, R"(
      "label": {"en": ["Mengxi bitan, volume one"]}, "behavior": ["paged"],
      "metadata": [{"label": {"en": ["Date"]}, "value": {"none": ["1166"]}}],
      "start": {"id": "https://lib.example/iiif/v1/c2", "type": "Canvas"},
      "structures": [
        {"id": "https://lib.example/iiif/v1/r1", "type": "Range", "label": {"en": ["Juan 1"]},
         "items": [{"id": "https://lib.example/iiif/v1/c1", "type": "Canvas"}]},
        {"id": "https://lib.example/iiif/v1/r2", "type": "Range", "label": {"en": ["Juan 2"]},
         "items": [{"id": "https://lib.example/iiif/v1/r2a", "type": "Range", "label": {"en": ["Part"]},
                    "items": [{"id": "https://lib.example/iiif/v1/c2", "type": "Canvas"}]}]}],)")));
    volumes.push_back(read(volume_json("v2", 3, R"("viewingDirection": "left-to-right",)", 2)));
  }

  static Manifest read(const std::string& text) {
    std::vector<checking::Finding> findings;
    std::optional<Manifest> manifest = parse_manifest(text, "volume.json", findings);
    if (!manifest) ADD_FAILURE() << (findings.empty() ? "" : findings[0].describe());
    return manifest ? std::move(*manifest) : Manifest{};
  }

  MultiPartCollection collection;
  std::vector<Manifest> volumes;
};

TEST_F(IiifJoinedVolumes, PagesInOrderAndATableOfContentsPerVolume) {
  const Manifest book = join_volumes(collection, volumes, "collection.json");
  ASSERT_EQ(book.canvases.size(), 5u);
  EXPECT_EQ(book.canvases[0].id, "https://lib.example/iiif/v1/c1");
  EXPECT_EQ(book.canvases[2].id, "https://lib.example/iiif/v2/c1");
  EXPECT_EQ(book.canvases[4].id, "https://lib.example/iiif/v2/c3");
  EXPECT_TRUE(book.canvases[3].placeholder());
  ASSERT_EQ(book.ranges.size(), 2u);
  // Volume 1 by its own label, its chapters below, their pages where they were.
  EXPECT_EQ(first(book.ranges[0].label, "en"), "Mengxi bitan, volume one");
  EXPECT_EQ(book.ranges[0].id, "https://lib.example/iiif/v1/manifest.json");
  ASSERT_EQ(book.ranges[0].children.size(), 2u);
  EXPECT_EQ(book.ranges[0].children[0].canvases, std::vector<size_t>{0});
  ASSERT_EQ(book.ranges[0].children[1].children.size(), 1u);
  EXPECT_EQ(book.ranges[0].children[1].children[0].canvases, std::vector<size_t>{1});
  // Volume 2 has no label of its own: the collection's for it; its pages directly, renumbered.
  EXPECT_EQ(first(book.ranges[1].label, "zh-Hant"), "卷二");
  EXPECT_TRUE(book.ranges[1].children.empty());
  EXPECT_EQ(book.ranges[1].canvases, (std::vector<size_t>{2, 3, 4}));
  EXPECT_EQ(book.start_canvas, std::optional<size_t>{1});
  EXPECT_EQ(book.layout, book::Layout::paged);
  EXPECT_EQ(book.page_sequence().pages.size(), 5u);
}

TEST_F(IiifJoinedVolumes, TheCollectionDescribesTheWorkAndTheFirstVolumeFillsWhatItLeaves) {
  const Manifest book = join_volumes(collection, volumes, "collection.json");
  EXPECT_EQ(book.id, "https://lib.example/iiif/mengxi/collection.json");
  EXPECT_EQ(first(book.label, "en"), "Brush Talks from Dream Brook");
  EXPECT_EQ(first(book.summary, "en"), "Twenty-six juan in two volumes.");
  ASSERT_TRUE(book.required_statement);
  EXPECT_EQ(first(book.required_statement->value, "en"), "Held by the Library");
  ASSERT_EQ(book.provider.size(), 1u);
  // The collection gives no metadata: the first volume's.
  ASSERT_EQ(book.metadata.size(), 1u);
  EXPECT_EQ(first(book.metadata[0].value, "none"), "1166");

  collection.label = {};
  collection.metadata = {{{{{"en", {"Volumes"}}}}, {{{"none", {"2"}}}}}};
  const Manifest unlabelled = join_volumes(collection, volumes, "collection.json");
  EXPECT_EQ(first(unlabelled.label, "en"), "Mengxi bitan, volume one");
  ASSERT_EQ(unlabelled.metadata.size(), 1u);
  EXPECT_EQ(first(unlabelled.metadata[0].label, "en"), "Volumes");
}

TEST_F(IiifJoinedVolumes, AVolumeBoundTheOtherWayIsWarnedOfAndEachVolumesWarningsNamed) {
  const Manifest book = join_volumes(collection, volumes, "collection.json");
  EXPECT_EQ(book.viewing_direction, book::ViewingDirection::right_to_left);
  const std::string prefix = "volumes[1] (https://lib.example/iiif/v2/manifest.json)";
  const checking::Finding* direction = find_at(book.warnings, prefix, checking::Finding::Severity::warning);
  ASSERT_NE(direction, nullptr);
  EXPECT_EQ(direction->file, "collection.json");
  EXPECT_NE(direction->message.find("left-to-right"), std::string::npos);
  EXPECT_NE(direction->message.find("right-to-left"), std::string::npos);
  EXPECT_FALSE(direction->message_zh.empty());
  // Volume 2's page without an image, under the volume's name; the collection's own warning kept.
  const checking::Finding* blank = find_at(book.warnings, prefix + ": items[1]", checking::Finding::Severity::warning);
  ASSERT_NE(blank, nullptr);
  EXPECT_EQ(blank->file, "volume.json");
  EXPECT_NE(find_at(book.warnings, "items[1]", checking::Finding::Severity::warning), nullptr);
  // Volume 1 says no direction: no warning for it.
  EXPECT_EQ(find_at(book.warnings, "volumes[0] (https://lib.example/iiif/v1/manifest.json)",
                    checking::Finding::Severity::warning),
            nullptr);

  // Without the collection's direction, the first volume's (left to right by default): volume 2 agrees.
  collection.viewing_direction.reset();
  const Manifest undirected = join_volumes(collection, volumes, "collection.json");
  EXPECT_EQ(undirected.viewing_direction, book::ViewingDirection::left_to_right);
  EXPECT_EQ(find_at(undirected.warnings, prefix, checking::Finding::Severity::warning), nullptr);
}

}  // namespace
}  // namespace pavilion::iiif
