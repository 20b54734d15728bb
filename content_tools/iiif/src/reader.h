// What the Presentation 3 and Presentation 2 readers share: the findings, and the forms both
// versions write the same way or nearly (language maps, services, links, regions in URIs).
#pragma once

#include "pavilion/iiif/manifest.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pavilion::iiif::detail {

using json = nlohmann::json;

// Nested ranges deeper than this are cut with a warning: no table of contents goes so deep, and
// a manifest that does must not exhaust the stack.
inline constexpr int max_range_depth = 32;

class Reader {
 public:
  Reader(const std::filesystem::path& file, std::vector<checking::Finding>& findings)
      : file_(file), findings_(findings), check_(file, findings) {}

  void error(const std::string& path, std::string english, std::string chinese) {
    check_.error(path, std::move(english), std::move(chinese));
  }
  void warning(const std::string& path, std::string english, std::string chinese) {
    check_.warning(path, std::move(english), std::move(chinese));
  }
  void note(const std::string& path, std::string english, std::string chinese);

  static std::string join(const std::string& path, std::string_view key) {
    return checking::JsonChecker::join(path, key);
  }
  static std::string at(const std::string& path, size_t index);

  // A field that may hold one item or a list of them, as a list (empty when absent); a field of
  // any other kind is an error.
  std::vector<const json*> list_field(const json& object, const std::string& path, std::string_view key);
  // A text field; a field that is not text is an error.
  std::string string_field(const json& object, const std::string& path, std::string_view key, bool required);
  // A size in pixels: a whole number above zero; 0 when absent (or an error when required).
  int size_field(const json& object, const std::string& path, std::string_view key, bool required);

  // Presentation 3: {"en": ["…"], "none": ["…"]}. Presentation 2: "…", {"@value": "…",
  // "@language": "…"}, or a list of either; text without a language goes under "none".
  LanguageMap language_map(const json& object, const std::string& path, std::string_view key);
  std::vector<MetadataPair> metadata(const json& object, const std::string& path, std::string_view key);
  std::optional<MetadataPair> pair(const json& value, const std::string& path);

  // Image API services of either version ("id"/"@id", "type"/"@type"/"@context", "profile" as a
  // name, a URI or a list whose first item is one).
  std::vector<ImageService> services(const json& object, const std::string& path);
  std::vector<Link> links(const json& object, const std::string& path, std::string_view key);
  // "…#xywh=10,20,300,400" → that region; empty when the URI names no region (the whole thing).
  std::optional<Region> fragment_region(std::string_view uri, const std::string& path);
  // An Image API region "x,y,w,h" ("full" is the whole image: empty).
  std::optional<Region> api_region(std::string_view region, const std::string& path);
  // An Image API rotation: "90", "!90" (mirrored first: read as its rotation, with a warning;
  // one that is not a quarter turn is shown at the nearest, with a warning).
  double api_rotation(std::string_view rotation, const std::string& path);
  // An image whose id is an Image API request under one of its services
  // ("{service}/{region}/{size}/{rotation}/{quality}.{format}") shows that region, turned: both
  // are set, and `cut_in_id` when they cut or turn. An id that is no such request is left alone.
  void image_request(Image& image, const std::string& path);
  // A selector's region and rotation on `image`, over any its id asked for (they are applied to
  // the full image, with a warning when the id cut or turned it too); empty and 0 change nothing.
  void select(Image& image, std::optional<Region> region, double rotation_degrees, const std::string& path);

  // "viewingDirection"; empty when absent or wrong (an error).
  std::optional<book::ViewingDirection> viewing_direction(const json& object, const std::string& path);
  // A manifest's behavior (Presentation 2: viewingHint): its layout; others ignored with a note.
  void book_behaviors(const json& object, const std::string& path, std::string_view key, Manifest& manifest);
  // A canvas's behavior: facing-pages, non-paged or paged; others ignored with a note.
  book::PageBehavior page_behavior(const json& object, const std::string& path, std::string_view key);
  // The warning for a page without an image (a note for one painted with text alone).
  void placeholder(const std::string& path, const Canvas& canvas);

  // A Collection's behavior (Presentation 2: viewingHint) names "multi-part": one work in several
  // volumes. Any other Collection is refused here with a sentence at `type_path`: it is a shelf
  // of separate works, not one book.
  bool multi_part(const json& root, std::string_view type_path, std::string_view key);
  // What a multi-part collection names at `path`: a manifest becomes a volume; a collection is
  // left out with a warning (volumes are manifests; nested parts would be another book's
  // structure); anything else is left out with a warning, or an error when it is not an object.
  enum class Member { manifest, collection, other };
  void volume(const json& item, const std::string& path, Member kind, std::vector<Volume>& volumes);
  // The collection with what `described` read of the work (label, summary, metadata, statement,
  // rights, provider); a collection of no volumes is an error at `items_path`.
  MultiPartCollection collection(Manifest described, std::optional<book::ViewingDirection> direction,
                                 std::vector<Volume> volumes, std::string_view items_path);

  bool has_errors() const { return check_.has_errors(); }

  bool time_based_seen = false;  // a Sound or Video was met: a refusal then names it

 private:
  std::vector<std::string> behaviors(const json& object, const std::string& path, std::string_view key);

  std::filesystem::path file_;
  std::vector<checking::Finding>& findings_;
  checking::JsonChecker check_;
};

// A manifest, or a Collection (a multi-part one read, any other refused).
std::optional<Document> read_presentation3(const json& root, Reader& reader);
std::optional<Document> read_presentation2(const json& root, Reader& reader);

// A text value as a kiosk shows it. IIIF lets a value be HTML (Presentation 3 §4.4: a string
// that begins with '<' and ends with '>', or a TextualBody of format text/html; Presentation 2
// allows the same subset): a, b, br, i, img, p, small, span, sub, sup. A kiosk has no links to
// follow and sets its text itself, so such a value is read as the text it shows: tags dropped
// (with what a script or style element holds), a line break at <br> and between paragraphs,
// runs of white space one space, entities decoded. Other text is returned as it is.
std::string shown_text(std::string text, std::string_view format = {});
// The TextAnnotation of a text on a canvas, its value as shown_text gives it (HTML read as its
// text is then "text/plain").
TextAnnotation text_annotation(std::string motivation, std::string value, std::string language, std::string format,
                               std::optional<Region> target);

// An `id` of either version: "id", else "@id"; "" when neither is text.
std::string id_of(const json& object);
// A `type` of either version: "type", else "@type"; "" when neither is text.
std::string type_of(const json& object);

}  // namespace pavilion::iiif::detail
