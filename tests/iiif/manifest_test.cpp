// IIIF Presentation 3 (content_tools/iiif): every cookbook fixture imports with the right values.
#include "pavilion/iiif/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::iiif {
namespace {

const std::filesystem::path fixtures = PAVILION_IIIF_FIXTURES;

Manifest read(const std::string& name) {
  Result<Manifest> manifest = read_manifest(fixtures / name);
  if (!manifest) ADD_FAILURE() << manifest.error().describe();
  return manifest ? std::move(*manifest) : Manifest{};
}

std::string first(const LanguageMap& map, std::string_view language) {
  const auto* values = map.find(language);
  return values && !values->empty() ? values->front() : "(absent)";
}

TEST(Iiif, EveryCookbookFixtureImports) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures)) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    const Result<Manifest> manifest = read_manifest(entry.path());
    ASSERT_TRUE(manifest) << manifest.error().describe();
    EXPECT_EQ(manifest->presentation_version, 3) << entry.path();
    EXPECT_FALSE(manifest->canvases.empty()) << entry.path();
    EXPECT_FALSE(manifest->label.empty()) << entry.path();
  }
  EXPECT_EQ(count, 17u);
}

TEST(Iiif, LanguageMapsKeepEveryLanguage) {
  const Manifest manifest = read("0006-text-language--manifest.json");
  EXPECT_EQ(first(manifest.label, "en"), "Whistler's Mother");
  EXPECT_EQ(first(manifest.label, "fr"), "La Mère de Whistler");
  EXPECT_EQ(first(manifest.summary, "fr").substr(0, 28), "Arrangement en gris et noir ");
  ASSERT_EQ(manifest.metadata.size(), 2u);
  EXPECT_EQ(first(manifest.metadata[0].label, "fr"), "Auteur");
  EXPECT_EQ(first(manifest.metadata[0].value, "none"), "Whistler, James Abbott McNeill");
  ASSERT_TRUE(manifest.required_statement);
  EXPECT_EQ(first(manifest.required_statement->label, "fr"), "Détenu par");
  EXPECT_EQ(first(manifest.required_statement->value, "none"), "Musée d'Orsay, Paris, France");
  // A reader of a language the map lacks gets "none" first; of French, French.
  EXPECT_EQ(manifest.metadata[0].value.best("zh-CN"), "Whistler, James Abbott McNeill");
  EXPECT_EQ(manifest.label.best("fr-CA"), "La Mère de Whistler");
}

TEST(Iiif, MultipleValuesAndStringFormatsAreKept) {
  const Manifest multivalue = read("0118-multivalue--manifest.json");
  ASSERT_EQ(multivalue.metadata.size(), 1u);
  ASSERT_NE(multivalue.metadata[0].value.find("fr"), nullptr);
  EXPECT_EQ(multivalue.metadata[0].value.find("en")->size(), 2u);
  EXPECT_EQ(multivalue.metadata[0].value.find("fr")->at(1), "La Mère de Whistler");
  // The cookbook's HTML values, read as the text they show: a kiosk has no link to follow.
  const Manifest formats = read("0007-string-formats--manifest.json");
  EXPECT_EQ(first(formats.summary, "en"), "Picture taken by the IIIF Technical Coordinator");
  ASSERT_EQ(formats.metadata.size(), 1u);
  EXPECT_EQ(first(formats.metadata[0].value, "none"), "Glen Robson");
  ASSERT_TRUE(formats.required_statement);
  EXPECT_EQ(first(formats.required_statement->value, "en"), "Glen Robson, IIIF Technical Coordinator. CC BY-SA 3.0");
}

// HTML in a value (Presentation 3 §4.4: it begins with '<' and ends with '>') or a TextualBody of
// format text/html is its text: paragraphs and <br> break lines, white space runs are one space,
// entities are their characters, a script's or style's code and comments are gone; text that
// only contains a '<' is left as it is.
TEST(Iiif, HtmlInValuesAndTextualBodiesIsReadAsItsText) {
  constexpr std::string_view manifest_json = R"({
    "@context": "http://iiif.io/api/presentation/3/context.json",
    "id": "https://example.org/m", "type": "Manifest",
    "label": {"en": ["<b>Analects</b> &amp; <i>Commentary</i>"], "zh": ["a < b"]},
    "summary": {"en": ["<p>First   paragraph,\n spread</p><p>Second<br/>line &#x5B78; &#23416; &lt;&nbsp;&gt;</p><script>alert(1)</script><!-- note -->"]},
    "items": [{
      "id": "https://example.org/c1", "type": "Canvas", "width": 100, "height": 100,
      "items": [{"id": "https://example.org/p1", "type": "AnnotationPage", "items": [
        {"id": "https://example.org/a1", "type": "Annotation", "motivation": "painting",
         "body": {"type": "TextualBody", "format": "text/html", "value": "Zhu Xi <span style='color:red'>says</span> &quot;so&quot;"},
         "target": "https://example.org/c1"},
        {"id": "https://example.org/a2", "type": "Annotation", "motivation": "commenting",
         "body": {"type": "TextualBody", "value": "x < y and y > z"},
         "target": "https://example.org/c1#xywh=1,2,3,4"}]}]
    }, {
      "id": "https://example.org/c2", "type": "Canvas", "width": 100, "height": 100,
      "items": [{"id": "https://example.org/p2", "type": "AnnotationPage", "items": [
        {"id": "https://example.org/a3", "type": "Annotation", "motivation": "painting",
         "body": {"id": "https://example.org/p2.jpg", "type": "Image", "format": "image/jpeg", "width": 100, "height": 100},
         "target": "https://example.org/c2"}]}]
    }]})";
  std::vector<checking::Finding> findings;
  const std::optional<Manifest> manifest = parse_manifest(manifest_json, "html.json", findings);
  ASSERT_TRUE(manifest) << (findings.empty() ? std::string() : findings.back().describe());
  EXPECT_EQ(first(manifest->label, "en"), "Analects & Commentary");
  EXPECT_EQ(first(manifest->label, "zh"), "a < b");
  EXPECT_EQ(first(manifest->summary, "en"), "First paragraph, spread\nSecond\nline 學 學 <\u00A0>");
  ASSERT_EQ(manifest->canvases.size(), 2u);
  ASSERT_EQ(manifest->canvases[0].texts.size(), 2u);
  EXPECT_EQ(manifest->canvases[0].texts[0].value, "Zhu Xi says \"so\"");
  EXPECT_EQ(manifest->canvases[0].texts[0].format, "text/plain") << "what it now is";
  EXPECT_EQ(manifest->canvases[0].texts[1].value, "x < y and y > z");
  // The first canvas is text painted without an image: a page of text, noted, not a missing scan.
  ASSERT_EQ(manifest->warnings.size(), 1u);
  EXPECT_EQ(manifest->warnings[0].severity, checking::Finding::Severity::note);
  EXPECT_EQ(manifest->warnings[0].location, "items[0]");
  EXPECT_EQ(manifest->warnings[0].message, "this page is text without an image; its text is shown on a blank page");
}

TEST(Iiif, RightsRequiredStatementAndProvider) {
  const Manifest rights = read("0008-rights--manifest.json");
  EXPECT_EQ(rights.rights, std::vector<std::string>{"http://creativecommons.org/licenses/by-sa/3.0/"});
  ASSERT_TRUE(rights.required_statement);
  EXPECT_EQ(first(rights.required_statement->label, "en"), "Attribution");
  const Manifest provider = read("0234-provider--manifest.json");
  ASSERT_EQ(provider.provider.size(), 1u);
  EXPECT_EQ(provider.provider[0].id, "https://id.loc.gov/authorities/n79055331");
  EXPECT_EQ(provider.provider[0].label.best("en"), "UCLA Library");
  ASSERT_EQ(provider.provider[0].homepage.size(), 1u);
  EXPECT_EQ(provider.provider[0].homepage[0].id, "https://digital.library.ucla.edu/");
}

TEST(Iiif, ImageServiceAndCanvasSize) {
  const Manifest manifest = read("0005-image-service--manifest.json");
  ASSERT_EQ(manifest.canvases.size(), 1u);
  const Canvas& canvas = manifest.canvases[0];
  EXPECT_EQ(canvas.width, 4032);
  EXPECT_EQ(canvas.height, 3024);
  ASSERT_EQ(canvas.paintings.size(), 1u);
  const Image& image = canvas.paintings[0].options.at(0);
  EXPECT_EQ(image.format, "image/jpeg");
  ASSERT_EQ(image.services.size(), 1u);
  EXPECT_EQ(image.services[0].id,
            "https://iiif.io/api/image/3.0/example/reference/918ecd18c2592080851777620de9bcb5-gottingen");
  EXPECT_EQ(image.services[0].api_version, 3);
  EXPECT_EQ(image.services[0].level, 1);
  EXPECT_FALSE(image.target);
  EXPECT_TRUE(manifest.warnings.empty());

  const Manifest plain = read("0001-mvm-image--manifest.json");
  EXPECT_TRUE(plain.canvases.at(0).paintings.at(0).options.at(0).services.empty());
}

TEST(Iiif, BooksDirectionsAndBehaviors) {
  const Manifest paged = read("0009-book-1--manifest.json");
  EXPECT_EQ(paged.layout, book::Layout::paged);
  EXPECT_EQ(paged.viewing_direction, book::ViewingDirection::left_to_right);
  ASSERT_EQ(paged.canvases.size(), 5u);
  EXPECT_EQ(first(paged.canvases[1].label, "en"), "Frontispiece");
  EXPECT_EQ(book::compute_openings(paged.page_sequence()).sequence.size(), 3u);

  const Manifest rtl = read("0010-book-2-viewing-direction--manifest-rtl.json");
  EXPECT_EQ(rtl.viewing_direction, book::ViewingDirection::right_to_left);
  ASSERT_EQ(rtl.canvases.size(), 5u);
  EXPECT_EQ(first(rtl.canvases[4].label, "en"), "back cover");
  const Manifest ttb = read("0010-book-2-viewing-direction--manifest-ttb.json");
  EXPECT_EQ(ttb.viewing_direction, book::ViewingDirection::top_to_bottom);
  EXPECT_EQ(ttb.canvases.size(), 4u);
  EXPECT_EQ(book::compute_openings(ttb.page_sequence()).sequence.size(), 4u);

  EXPECT_EQ(read("0011-book-3-behavior--manifest-continuous.json").layout, book::Layout::continuous);
  EXPECT_EQ(read("0011-book-3-behavior--manifest-individuals.json").layout, book::Layout::individuals);
}

TEST(Iiif, StartCanvas) {
  const Manifest manifest = read("0202-start-canvas--manifest.json");
  EXPECT_EQ(manifest.start_canvas, size_t{1});
  EXPECT_FALSE(read("0009-book-1--manifest.json").start_canvas);
}

TEST(Iiif, ThumbnailAndMetadataOnACanvas) {
  const Manifest thumbnail = read("0117-add-image-thumbnail--manifest.json");
  ASSERT_EQ(thumbnail.thumbnails.size(), 1u);
  EXPECT_EQ(thumbnail.thumbnails[0].width, 3497);
  ASSERT_EQ(thumbnail.thumbnails[0].services.size(), 1u);
  EXPECT_EQ(thumbnail.thumbnails[0].services[0].level, 1);
  const Manifest anywhere = read("0029-metadata-anywhere--manifest.json");
  EXPECT_EQ(anywhere.metadata.size(), 4u);
  EXPECT_FALSE(anywhere.canvases.at(0).metadata.empty());
}

TEST(Iiif, TextAnnotationWithItsLanguageAndRegion) {
  const Manifest manifest = read("0022-linking-with-a-hotspot--manifest.json");
  ASSERT_EQ(manifest.canvases.size(), 2u);
  ASSERT_EQ(manifest.canvases[0].texts.size(), 1u);
  const TextAnnotation& text = manifest.canvases[0].texts[0];
  EXPECT_EQ(text.motivation, "linking");
  EXPECT_EQ(text.language, "de");
  EXPECT_EQ(text.value, "A link to a close up of Gänseliesel-Brunnen fountain.");
  ASSERT_TRUE(text.target);
  EXPECT_EQ(*text.target, (Region{265, 661, 1260, 1239}));
  // The link's target page is not painted onto this one.
  EXPECT_EQ(manifest.canvases[0].paintings.size(), 1u);
}

}  // namespace
}  // namespace pavilion::iiif
