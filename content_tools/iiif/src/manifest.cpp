#include "pavilion/iiif/manifest.h"

#include "reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace pavilion::iiif {
namespace {

// Presentation 3 or 2 by the @context (a URI, or a list holding one among others); 0 for neither.
int presentation_version(const nlohmann::json& root) {
  const auto context = root.find("@context");
  if (context == root.end()) return 0;
  int version = 0;
  const auto look = [&](const nlohmann::json& value) {
    if (!value.is_string()) return;
    const std::string& uri = value.get_ref<const std::string&>();
    if (uri.find("iiif.io/api/presentation/3") != std::string::npos) version = 3;
    if (uri.find("iiif.io/api/presentation/2") != std::string::npos && version == 0) version = 2;
  };
  if (context->is_array()) {
    for (const auto& value : *context) look(value);
  } else {
    look(*context);
  }
  return version;
}

// A book needs page images: a manifest with no pages, or whose pages hold only sound, video or
// nothing, is refused whole rather than shown as a book of blank placeholders.
void refuse_if_not_a_book(const Manifest& manifest, detail::Reader& reader) {
  const std::string items = manifest.presentation_version == 2 ? "sequences[0].canvases" : "items";
  if (manifest.canvases.empty()) {
    reader.error(items, "this manifest has no pages (canvases); a book needs page images",
                 "此清单没有书页（canvas）；一本书需要书页图像");
    return;
  }
  const bool any_image = std::any_of(manifest.canvases.begin(), manifest.canvases.end(),
                                     [](const Canvas& canvas) { return !canvas.placeholder(); });
  if (any_image) return;
  if (reader.time_based_seen) {
    reader.error(
        items,
        "this manifest holds sound or video, not pictures; a book needs page images, so it cannot be shown as one",
        "此清单包含的是声音或视频，而不是图片；一本书需要书页图像，因此无法作为书展示");
  } else {
    reader.error(items, "none of this manifest's pages has an image; a book needs page images",
                 "此清单的书页都没有图像；一本书需要书页图像");
  }
}

bool same_tag(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// "zh" of "zh-Hans-CN".
std::string_view primary_language(std::string_view tag) { return tag.substr(0, tag.find('-')); }

// The script a tag names or implies, for the languages written in more than one: "zh-CN" and
// "zh-SG" are read in simplified characters, "zh-TW", "zh-HK" and "zh-MO" in traditional ones
// (CLDR's likely subtags); "" when the tag says nothing of it.
std::string_view likely_script(std::string_view tag) {
  if (!same_tag(primary_language(tag), "zh")) return {};
  for (size_t start = 3; start < tag.size();) {
    const size_t end = std::min(tag.find('-', start), tag.size());
    const std::string_view subtag = tag.substr(start, end - start);
    if (same_tag(subtag, "Hans") || same_tag(subtag, "CN") || same_tag(subtag, "SG") || same_tag(subtag, "MY")) {
      return "Hans";
    }
    if (same_tag(subtag, "Hant") || same_tag(subtag, "TW") || same_tag(subtag, "HK") || same_tag(subtag, "MO")) {
      return "Hant";
    }
    start = end + 1;
  }
  return {};
}

}  // namespace

const std::vector<std::string>* LanguageMap::find(std::string_view language) const {
  for (const Entry& entry : entries) {
    if (entry.language == language) return &entry.values;
  }
  return nullptr;
}

std::string LanguageMap::best(std::string_view language) const {
  for (const std::string& tag : reading_order(language)) {
    for (const Entry& entry : entries) {
      if (same_tag(entry.language, tag) && !entry.values.empty()) return entry.values.front();
    }
    if (tag == "*") {  // any other form of the reader's language: another region or script of it
      for (const Entry& entry : entries) {
        if (same_tag(primary_language(entry.language), primary_language(language)) && !entry.values.empty()) {
          return entry.values.front();
        }
      }
    }
  }
  for (const Entry& entry : entries) {
    if (!entry.values.empty()) return entry.values.front();
  }
  return {};
}

std::vector<std::string> LanguageMap::reading_order(std::string_view language) {
  std::vector<std::string> order;
  const auto add = [&](std::string tag) {
    if (tag.empty()) return;
    for (const std::string& known : order) {
      if (same_tag(known, tag)) return;
    }
    order.push_back(std::move(tag));
  };
  add(std::string(language));
  const std::string_view primary = primary_language(language);
  if (const std::string_view script = likely_script(language); !script.empty()) {
    add(fmt::format("{}-{}", primary, script));
  }
  add(std::string(primary));
  if (!primary.empty()) add("*");
  add("none");
  add("en");
  return order;
}

int Image::quarter_turns() const {
  const long quarters = std::lround(rotation_degrees / 90.0);
  return static_cast<int>(((quarters % 4) + 4) % 4);
}

book::PageSequence Manifest::page_sequence() const {
  book::PageSequence sequence;
  sequence.direction = viewing_direction;
  sequence.layout = layout;
  for (const Canvas& canvas : canvases) sequence.pages.push_back(canvas.behavior);
  return sequence;
}

namespace {

// A manifest or a collection, with the findings after `first_finding` kept in its warnings.
std::optional<Document> read_document(std::string_view text, const std::filesystem::path& file,
                                      std::vector<checking::Finding>& findings) {
  const size_t first_finding = findings.size();
  const std::optional<nlohmann::json> root = checking::parse_json_object(
      text, file, findings, "a IIIF manifest must hold one object { … }", "IIIF 清单必须包含一个对象 { … }");
  if (!root) return std::nullopt;
  detail::Reader reader(file, findings);
  std::optional<Document> document;
  switch (presentation_version(*root)) {
    case 3:
      document = detail::read_presentation3(*root, reader);
      break;
    case 2:
      document = detail::read_presentation2(*root, reader);
      break;
    default:
      reader.error("@context",
                   "this is not a IIIF Presentation 2 or 3 manifest: its @context must name "
                   "http://iiif.io/api/presentation/3/context.json or http://iiif.io/api/presentation/2/context.json",
                   "这不是 IIIF Presentation 2 或 3 清单：其 @context 必须是 "
                   "http://iiif.io/api/presentation/3/context.json 或 http://iiif.io/api/presentation/2/context.json");
      return std::nullopt;
  }
  if (!document) return std::nullopt;
  if (const Manifest* manifest = std::get_if<Manifest>(&*document)) refuse_if_not_a_book(*manifest, reader);
  if (reader.has_errors()) return std::nullopt;
  std::visit(
      [&](auto& read) {
        for (size_t index = first_finding; index < findings.size(); ++index) read.warnings.push_back(findings[index]);
      },
      *document);
  return document;
}

}  // namespace

std::optional<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& file,
                                       std::vector<checking::Finding>& findings) {
  std::optional<Document> document = read_document(text, file, findings);
  if (!document) return std::nullopt;
  if (Manifest* manifest = std::get_if<Manifest>(&*document)) return std::move(*manifest);
  const bool version3 = std::get<MultiPartCollection>(*document).presentation_version == 3;
  findings.push_back({checking::Finding::Severity::error, file, version3 ? "type" : "@type",
                      "this is a multi-part collection: one work whose volumes are manifests in other files; read it "
                      "with iiif::parse_document and join its volumes with iiif::join_volumes (pavilion-pack does)",
                      "这是多部分集合：一部作品，其各分册是其他文件中的清单；请用 iiif::parse_document 读取，并用 "
                      "iiif::join_volumes 合并其分册（pavilion-pack 即如此）"});
  return std::nullopt;
}

std::optional<Document> parse_document(std::string_view text, const std::filesystem::path& file,
                                       std::vector<checking::Finding>& findings) {
  return read_document(text, file, findings);
}

Result<Manifest> read_manifest(const std::filesystem::path& file) {
  return checking::read_json_file(file, parse_manifest);
}

}  // namespace pavilion::iiif
