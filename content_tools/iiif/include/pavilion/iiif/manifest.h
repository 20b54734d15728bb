// A IIIF manifest read as a book: Presentation 3 and Presentation 2 (told apart by @context) into
// one model, with every language of every text kept, the reading direction and behaviours, the
// page images with their Image API services, text on the pages, and the ranges as a table of
// contents. What is read, what is refused and why: README.md beside this folder's CMakeLists.
//
// Reading is done in one pass that reports every problem: malformed parts are errors at their
// JSON path ("items[3].items[0].items[0].body.id"), in English and Chinese, through
// engine/checking as scene.json's are; what is read but not as a book would want it (a page
// without an image, a feature ignored) is a warning kept in the model. A manifest that is not a
// book (sound or video only, no pages) is refused with a sentence saying so.
#pragma once

#include "pavilion/book/openings.h"
#include "pavilion/checking/json_checker.h"
#include "pavilion/core/error.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pavilion::iiif {

// A IIIF language map: each language the manifest gives, in its order, with all its values.
// "none" holds text in no language (a name, a shelfmark); Presentation 2's plain strings land there.
struct LanguageMap {
  struct Entry {
    std::string language;  // as written: "en", "zh-Hant", "none"
    std::vector<std::string> values;
  };
  std::vector<Entry> entries;

  bool empty() const { return entries.empty(); }
  // The values in exactly `language`, or nullptr.
  const std::vector<std::string>* find(std::string_view language) const;
  // The first value for a reader of `language` (a BCP 47 tag, compared without case), the first
  // language of reading_order(language) the map holds, else its first language; "" when empty.
  std::string best(std::string_view language) const;
  // The languages tried for a reader of `language`, best first: the tag itself; the same language
  // in the script the tag names or implies (zh-CN and zh-SG read zh-Hans, zh-TW, zh-HK and zh-MO
  // zh-Hant); the language alone; "*", any other form of it (zh-Hant, zh-TW: still Chinese to a
  // reader of zh-CN); "none", text in no language; "en". For "zh-CN": zh-CN, zh-Hans, zh, *, none,
  // en; for "en-GB": en-GB, en, *, none.
  static std::vector<std::string> reading_order(std::string_view language);
};

struct MetadataPair {
  LanguageMap label;
  LanguageMap value;
};

// A rectangle in pixels (of the canvas, or of the image for a region of it).
struct Region {
  double x = 0, y = 0, width = 0, height = 0;
  friend bool operator==(const Region&, const Region&) = default;
};

struct ImageService {
  std::string id;
  int api_version = 0;  // 2 or 3 (Image API), 0 when the service does not say
  int level = -1;       // compliance level 0, 1 or 2; -1 when the profile names none
  std::string profile;  // as written
};

struct Image {
  std::string id;
  std::string format;         // "image/jpeg"; "" when not given
  int width = 0, height = 0;  // 0 when not given
  LanguageMap label;          // an option of a Choice is usually labelled ("natural light")
  std::vector<ImageService> services;
  // The part of the full image shown, in its pixels (width × height when given), and how it is
  // turned: from an ImageApiSelector, a FragmentSelector, `#xywh=` in the id, or an id that is
  // itself an Image API request ("…/100,150,2000,3000/max/90/default.jpg").
  std::optional<Region> region;
  double rotation_degrees = 0;   // clockwise
  std::optional<Region> target;  // where on the canvas it is painted; empty: the whole canvas
  // The id is an Image API request for that region and rotation: its own bytes are already cut
  // and turned (the full image, from the service or a local file, is not).
  bool cut_in_id = false;

  // The rotation as clockwise quarter turns, 0 to 3: the nearest (the reader warns of any other).
  int quarter_turns() const;
};

// What is painted in one place: one image, or a Choice's options (the first is shown by default).
struct Painting {
  std::vector<Image> options;
};

// Text on a page: a commentary, a transcription, a note.
struct TextAnnotation {
  std::string motivation;  // "commenting", "painting", "supplementing", …
  std::string value;
  std::string language;          // "" when not given
  std::string format;            // "text/plain", "text/html"
  std::optional<Region> target;  // empty: the whole canvas
};

struct Link {
  enum class Text { none, alto, hocr };  // a page's text as ALTO or hOCR, told by profile or format
  std::string id;
  std::string type;
  std::string format;
  std::string profile;
  LanguageMap label;
  Text text = Text::none;
};

struct Canvas {
  std::string id;
  LanguageMap label;
  int width = 0, height = 0;
  book::PageBehavior behavior = book::PageBehavior::paged;
  std::vector<Painting> paintings;  // empty: a placeholder page, with a warning in the manifest
  std::vector<TextAnnotation> texts;
  std::vector<Link> see_also;
  std::vector<Image> thumbnails;
  std::vector<MetadataPair> metadata;

  bool placeholder() const { return paintings.empty(); }
};

// An entry of the table of contents: the pages it holds (indices into Manifest::canvases, in
// order) and the entries below it. A range that only groups others has no pages of its own.
struct Range {
  std::string id;
  LanguageMap label;
  std::vector<size_t> canvases;
  std::vector<Range> children;
};

struct Agent {
  std::string id;
  LanguageMap label;
  std::vector<Link> homepage;
};

struct Manifest {
  int presentation_version = 3;  // 2 or 3
  std::string id;
  LanguageMap label;
  LanguageMap summary;  // Presentation 2's description
  std::vector<MetadataPair> metadata;
  // Presentation 2's attribution becomes a statement labelled "Attribution".
  std::optional<MetadataPair> required_statement;
  std::vector<std::string> rights;  // Presentation 3's rights, Presentation 2's license (one or more)
  std::vector<Agent> provider;
  book::ViewingDirection viewing_direction = book::ViewingDirection::left_to_right;
  bool viewing_direction_given = false;  // written in the manifest, not the default
  book::Layout layout = book::Layout::individuals;  // paged only when the manifest says so
  std::optional<size_t> start_canvas;               // index into canvases
  std::vector<Canvas> canvases;
  std::vector<Range> ranges;  // the table of contents' top entries
  std::vector<Link> see_also;
  std::vector<Image> thumbnails;
  std::vector<checking::Finding> warnings;  // warnings and notes, with their paths, both languages

  // The pages as engine/book reads them, for the openings a visitor sees.
  book::PageSequence page_sequence() const;
};

// A volume of a multi-part collection, as the collection names it: the volume's own manifest is
// read from `id` (or a file beside the collection: pack's read_book_source).
struct Volume {
  std::string id;
  LanguageMap label;  // the collection's label for it; the volume's own label is preferred
  std::string path;   // where the collection names it: "items[1]", "manifests[0]", "members[2]"
};

// A multi-part collection (Presentation 3's Collection with behavior "multi-part", 2's
// sc:Collection with viewingHint "multi-part"): one work in several volumes, each a manifest.
// What it says of the work wins over what its volumes say when they are joined.
struct MultiPartCollection {
  int presentation_version = 3;
  std::string id;
  LanguageMap label;
  LanguageMap summary;
  std::vector<MetadataPair> metadata;
  std::optional<MetadataPair> required_statement;
  std::vector<std::string> rights;
  std::vector<Agent> provider;
  std::optional<book::ViewingDirection> viewing_direction;  // empty: the first volume's
  std::vector<Volume> volumes;                              // never empty: a collection of none is refused
  std::vector<checking::Finding> warnings;
};

// What a IIIF document turns out to be: a manifest, or a multi-part collection whose volumes the
// caller reads and joins (join_volumes).
using Document = std::variant<Manifest, MultiPartCollection>;

// Reads `text` (the contents of `file`, named in findings); every problem is added to
// `findings`, and on any error nothing is returned. Warnings are also kept in the manifest.
// A multi-part collection is refused, with a sentence naming parse_document: its pages are in
// other files, so a caller that reads only manifests must not be handed an empty book.
std::optional<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& file,
                                       std::vector<checking::Finding>& findings);

// Reads a manifest file; fails with every error, each in English and Chinese.
Result<Manifest> read_manifest(const std::filesystem::path& file);

// As parse_manifest, but a multi-part collection is read too. A collection that is not multi-part
// (a library's shelf of separate works) is refused: it is not one book. Volumes that are
// collections themselves are left out with a warning at their path.
std::optional<Document> parse_document(std::string_view text, const std::filesystem::path& file,
                                       std::vector<checking::Finding>& findings);

// The volumes of `collection`, read as manifests in its order (volumes[i] is collection.volumes[i];
// at least one), joined into one book: their pages in order; one top range per volume, labelled by
// the volume's own label (else the collection's for it), holding the volume's ranges with their
// pages renumbered, or its pages where it has none; the collection's label, summary, metadata,
// statement, rights and provider, each falling back to the first volume's; the collection's
// direction, else the first volume's, with a warning for each volume that reads another way; the
// first volume's layout and start page. Each volume's warnings are kept with their location
// prefixed "volumes[1] (its id): "; the join's own warnings are at `file`, the collection's.
Manifest join_volumes(const MultiPartCollection& collection, std::vector<Manifest> volumes,
                      const std::filesystem::path& file);

}  // namespace pavilion::iiif
