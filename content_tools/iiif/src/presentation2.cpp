// IIIF Presentation 2.1: https://iiif.io/api/presentation/2.1/ — still what most libraries serve.
// Read into the same model as Presentation 3, as the IIIF upgrade notes map one to the other.
#include "reader.h"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

namespace pavilion::iiif::detail {
namespace {

std::string without_fragment(std::string id) {
  if (const size_t hash = id.find('#'); hash != std::string::npos) id.resize(hash);
  return id;
}

class Presentation2 {
 public:
  explicit Presentation2(Reader& reader) : reader_(reader) {}

  std::optional<Document> read(const json& root);

 private:
  void describe(const json& root, Manifest& manifest);
  std::optional<Document> collection(const json& root);
  Canvas canvas(const json& item, const std::string& path);
  void resource(const json& resource, const std::string& path, std::optional<Region> target, Canvas& canvas,
                Painting* choice);
  std::optional<Image> image(const json& resource, const std::string& path);
  std::vector<Image> thumbnails(const json& object, const std::string& path);
  void ranges(const json& root, Manifest& manifest);
  Range range(const std::string& id, int depth, std::unordered_set<std::string>& open);
  std::optional<size_t> canvas_reference(const std::string& id, const std::string& path);

  Reader& reader_;
  std::unordered_map<std::string, size_t> canvases_;
  std::unordered_map<std::string, std::pair<const json*, std::string>> ranges_;  // by id: the range and its path
  // Ranges may be named from many places; a manifest naming each twice at every level would
  // otherwise expand exponentially, so the tree holds at most a few times the ranges given.
  size_t ranges_expanded_ = 0;
  size_t ranges_expansion_limit_ = 0;
};

std::optional<Image> Presentation2::image(const json& resource, const std::string& path) {
  Image image;
  image.id = reader_.string_field(resource, path, "@id", true);
  if (image.id.empty()) return std::nullopt;
  image.format = reader_.string_field(resource, path, "format", false);
  image.width = reader_.size_field(resource, path, "width", false);
  image.height = reader_.size_field(resource, path, "height", false);
  image.label = reader_.language_map(resource, path, "label");
  image.services = reader_.services(resource, path);
  reader_.image_request(image, path);
  return image;
}

void Presentation2::resource(const json& resource, const std::string& path, std::optional<Region> target,
                             Canvas& canvas, Painting* choice) {
  if (!resource.is_object()) {
    reader_.error(path, "a resource must be an object { \"@id\": …, \"@type\": \"dctypes:Image\" }",
                  "resource 必须是一个对象 { \"@id\": …, \"@type\": \"dctypes:Image\" }");
    return;
  }
  const std::string type = type_of(resource);
  if (type == "oa:Choice" && choice) {
    // Only one level of options makes sense on a page, and no recursion for a hostile manifest.
    reader_.warning(path, "a Choice among a Choice's options is left out", "选项中嵌套的 Choice 已略去");
    return;
  }
  if (type == "oa:Choice") {
    Painting painting;
    // The default first, as Presentation 3 orders a Choice's options.
    if (const auto found = resource.find("default"); found != resource.end() && found->is_object()) {
      this->resource(*found, Reader::join(path, "default"), target, canvas, &painting);
    }
    const std::vector<const json*> items = reader_.list_field(resource, path, "item");
    for (size_t index = 0; index < items.size(); ++index) {
      this->resource(*items[index], Reader::at(Reader::join(path, "item"), index), target, canvas, &painting);
    }
    if (!painting.options.empty()) canvas.paintings.push_back(std::move(painting));
    return;
  }
  if (type == "cnt:ContentAsText") {
    const std::string chars = reader_.string_field(resource, path, "chars", true);
    canvas.texts.push_back(text_annotation("painting", chars, reader_.string_field(resource, path, "language", false),
                                           reader_.string_field(resource, path, "format", false), target));
    return;
  }
  if (type == "dctypes:Sound" || type == "dctypes:MovingImage") {
    reader_.time_based_seen = true;
    reader_.warning(path, "sound or video cannot be shown on a page of a book and is left out",
                    "书页上无法显示声音或视频，已略去");
    return;
  }
  std::optional<Image> picture;
  if (type == "oa:SpecificResource") {
    const auto full = resource.find("full");
    if (full == resource.end() || !full->is_object()) {
      reader_.error(Reader::join(path, "full"), "a SpecificResource needs its whole image in \"full\": { \"@id\": … }",
                    "SpecificResource 需要在 \"full\" 中给出整幅图像：{ \"@id\": … }");
      return;
    }
    picture = image(*full, Reader::join(path, "full"));
    const auto selector = resource.find("selector");
    if (picture && selector != resource.end() && selector->is_object()) {
      const std::string where = Reader::join(path, "selector");
      const auto selected =
          reader_.api_region(reader_.string_field(*selector, where, "region", false), Reader::join(where, "region"));
      const double rotation = reader_.api_rotation(reader_.string_field(*selector, where, "rotation", false),
                                                   Reader::join(where, "rotation"));
      reader_.select(*picture, selected, rotation, where);
    }
  } else {
    picture = image(resource, path);
  }
  if (!picture) return;
  picture->target = target;
  if (choice) {
    choice->options.push_back(std::move(*picture));
  } else {
    canvas.paintings.push_back({{std::move(*picture)}});
  }
}

std::vector<Image> Presentation2::thumbnails(const json& object, const std::string& path) {
  std::vector<Image> images;
  const std::vector<const json*> items = reader_.list_field(object, path, "thumbnail");
  for (size_t index = 0; index < items.size(); ++index) {
    if (items[index]->is_string()) {
      images.push_back({items[index]->get<std::string>(), "", 0, 0, {}, {}, std::nullopt, 0, std::nullopt, false});
    } else if (items[index]->is_object()) {
      if (auto picture = image(*items[index], Reader::at(Reader::join(path, "thumbnail"), index))) {
        images.push_back(std::move(*picture));
      }
    }
  }
  return images;
}

Canvas Presentation2::canvas(const json& item, const std::string& path) {
  Canvas canvas;
  canvas.id = reader_.string_field(item, path, "@id", true);
  canvas.label = reader_.language_map(item, path, "label");
  canvas.width = reader_.size_field(item, path, "width", false);
  canvas.height = reader_.size_field(item, path, "height", false);
  canvas.behavior = reader_.page_behavior(item, path, "viewingHint");
  canvas.metadata = reader_.metadata(item, path, "metadata");
  canvas.see_also = reader_.links(item, path, "seeAlso");
  canvas.thumbnails = thumbnails(item, path);
  const std::vector<const json*> images = reader_.list_field(item, path, "images");
  for (size_t index = 0; index < images.size(); ++index) {
    const json& annotation = *images[index];
    const std::string where = Reader::at(Reader::join(path, "images"), index);
    if (!annotation.is_object()) {
      reader_.error(where, "an image annotation must be an object { … }", "图像注释必须是一个对象 { … }");
      continue;
    }
    std::optional<Region> target;
    if (const auto on = annotation.find("on"); on != annotation.end() && on->is_string()) {
      target = reader_.fragment_region(on->get<std::string>(), Reader::join(where, "on"));
    }
    const auto found = annotation.find("resource");
    if (found == annotation.end()) {
      reader_.error(Reader::join(where, "resource"),
                    "an image annotation needs its resource: the image it puts on the page",
                    "图像注释需要 resource：它放在页面上的图像");
      continue;
    }
    resource(*found, Reader::join(where, "resource"), target, canvas, nullptr);
  }
  const std::vector<const json*> other = reader_.list_field(item, path, "otherContent");
  for (size_t index = 0; index < other.size(); ++index) {
    const std::string id = other[index]->is_string() ? other[index]->get<std::string>() : id_of(*other[index]);
    reader_.note(Reader::at(Reader::join(path, "otherContent"), index),
                 fmt::format("the annotations at {} are in another file, which is not fetched", id),
                 fmt::format("位于 {} 的注释在另一个文件中，不会被获取", id));
  }
  if (canvas.placeholder()) reader_.placeholder(path, canvas);
  if (canvas.width == 0 || canvas.height == 0) {
    reader_.warning(path, "this page gives no width and height; its image's size is used, if it has one",
                    "此页未给出宽度和高度；如果其图像有尺寸，则使用图像的尺寸");
    if (!canvas.paintings.empty()) {
      canvas.width = canvas.paintings.front().options.front().width;
      canvas.height = canvas.paintings.front().options.front().height;
    }
  }
  return canvas;
}

std::optional<size_t> Presentation2::canvas_reference(const std::string& id, const std::string& path) {
  const auto found = canvases_.find(without_fragment(id));
  if (found == canvases_.end()) {
    reader_.warning(path, fmt::format("no page of this manifest has the id '{}'; the reference is left out", id),
                    fmt::format("此清单中没有 id 为“{}”的页面；此引用已略去", id));
    return std::nullopt;
  }
  return found->second;
}

// Presentation 2 lists every range flat and links them by id ("ranges", "canvases", or mixed
// "members"); the tree is rebuilt from the ranges marked "top", or else from those no other
// range names. `open` holds the ranges being expanded, so a range naming its ancestor stops.
Range Presentation2::range(const std::string& id, int depth, std::unordered_set<std::string>& open) {
  const auto& [item, path] = ranges_.at(id);
  ++ranges_expanded_;
  Range range{id, reader_.language_map(*item, path, "label"), {}, {}};
  open.insert(id);
  const auto child = [&](const std::string& child_id, const std::string& where) {
    if (!ranges_.contains(child_id)) {
      reader_.warning(where, fmt::format("no range of this manifest has the id '{}'; it is left out", child_id),
                      fmt::format("此清单中没有 id 为“{}”的范围；已略去", child_id));
    } else if (open.contains(child_id) || depth >= max_range_depth || ranges_expanded_ >= ranges_expansion_limit_) {
      reader_.warning(
          where,
          "the table of contents is cut here: this range contains itself, is nested too deeply "
          "or is repeated too often",
          "目录在此处截断：此范围包含自身、嵌套太深或重复次数太多");
    } else {
      range.children.push_back(this->range(child_id, depth + 1, open));
    }
  };
  for (const char* key : {"canvases", "ranges", "members"}) {
    const std::vector<const json*> items = reader_.list_field(*item, path, key);
    for (size_t index = 0; index < items.size(); ++index) {
      const json& entry = *items[index];
      const std::string where = Reader::at(Reader::join(path, key), index);
      const std::string entry_id = entry.is_string() ? entry.get<std::string>() : id_of(entry);
      const bool is_range = std::string_view(key) == "ranges" || (entry.is_object() && type_of(entry) == "sc:Range");
      if (is_range) {
        child(entry_id, where);
      } else if (auto canvas = canvas_reference(entry_id, where)) {
        range.canvases.push_back(*canvas);
      }
    }
  }
  open.erase(id);
  return range;
}

void Presentation2::ranges(const json& root, Manifest& manifest) {
  const std::vector<const json*> items = reader_.list_field(root, "", "structures");
  std::vector<std::string> order;
  std::unordered_set<std::string> named;  // ranges some other range names
  bool any_top = false;
  for (size_t index = 0; index < items.size(); ++index) {
    const std::string where = Reader::at("structures", index);
    const json& item = *items[index];
    const std::string id = item.is_object() ? id_of(item) : "";
    if (id.empty()) {
      reader_.error(where, "a range must be an object with an \"@id\"", "范围必须是带有 \"@id\" 的对象");
      continue;
    }
    if (!ranges_.emplace(id, std::pair{&item, where}).second) continue;
    order.push_back(id);
    if (const auto hint = item.find("viewingHint"); hint != item.end() && *hint == "top") any_top = true;
    for (const char* key : {"ranges", "members"}) {
      if (const auto children = item.find(key); children != item.end() && children->is_array()) {
        for (const json& child : *children) named.insert(child.is_string() ? child.get<std::string>() : id_of(child));
      }
    }
  }
  ranges_expansion_limit_ = 4 * order.size() + 64;
  std::unordered_set<std::string> open;
  for (const std::string& id : order) {
    const json& item = *ranges_.at(id).first;
    const auto hint = item.find("viewingHint");
    const bool top = any_top ? hint != item.end() && *hint == "top" : !named.contains(id);
    if (top) manifest.ranges.push_back(range(id, 0, open));
  }
}

// What a manifest or a collection says of the work.
void Presentation2::describe(const json& root, Manifest& manifest) {
  manifest.presentation_version = 2;
  manifest.id = reader_.string_field(root, "", "@id", false);
  manifest.label = reader_.language_map(root, "", "label");
  manifest.summary = reader_.language_map(root, "", "description");
  manifest.metadata = reader_.metadata(root, "", "metadata");
  if (LanguageMap attribution = reader_.language_map(root, "", "attribution"); !attribution.empty()) {
    manifest.required_statement = MetadataPair{{{{"en", {"Attribution"}}}}, std::move(attribution)};
  }
  for (const json* license : reader_.list_field(root, "", "license")) {
    if (license->is_string()) manifest.rights.push_back(license->get<std::string>());
  }
}

// Presentation 2.1 lists a collection's manifests in `manifests` and its collections in
// `collections`, or both in order in `members`; a collection may write both forms, so a manifest
// met twice is one volume.
std::optional<Document> Presentation2::collection(const json& root) {
  if (!reader_.multi_part(root, "@type", "viewingHint")) return std::nullopt;
  Manifest described;
  describe(root, described);
  const std::optional<book::ViewingDirection> direction = reader_.viewing_direction(root, "");
  std::vector<Volume> volumes;
  std::unordered_set<std::string> seen;
  const auto read = [&](const char* key, Reader::Member unnamed) {
    const std::vector<const json*> items = reader_.list_field(root, "", key);
    for (size_t index = 0; index < items.size(); ++index) {
      const json& item = *items[index];
      const std::string type = item.is_object() ? type_of(item) : "";
      Reader::Member kind = Reader::Member::other;
      if (type == "sc:Manifest" || (type.empty() && unnamed == Reader::Member::manifest)) {
        kind = Reader::Member::manifest;
        if (const std::string id = id_of(item); !id.empty() && !seen.insert(id).second) continue;
      } else if (type == "sc:Collection" || (type.empty() && unnamed == Reader::Member::collection)) {
        kind = Reader::Member::collection;
      }
      reader_.volume(item, Reader::at(key, index), kind, volumes);
    }
  };
  read("manifests", Reader::Member::manifest);
  read("members", Reader::Member::other);
  read("collections", Reader::Member::collection);
  return reader_.collection(std::move(described), direction, std::move(volumes),
                            root.contains("members") && !root.contains("manifests") ? "members" : "manifests");
}

std::optional<Document> Presentation2::read(const json& root) {
  const std::string type = type_of(root);
  if (type == "sc:Collection") return collection(root);
  if (type != "sc:Manifest")
    reader_.error("@type", "a manifest's @type must be \"sc:Manifest\"", "清单的 @type 必须是 \"sc:Manifest\"");
  Manifest manifest;
  describe(root, manifest);
  if (manifest.label.empty()) {
    reader_.warning("label", "the book has no title (label); visitors will see none",
                    "此书没有标题（label），参观者将看不到标题");
  }
  manifest.see_also = reader_.links(root, "", "seeAlso");
  manifest.thumbnails = thumbnails(root, "");
  const std::optional<book::ViewingDirection> direction = reader_.viewing_direction(root, "");
  manifest.viewing_direction = direction.value_or(book::ViewingDirection::left_to_right);
  manifest.viewing_direction_given = direction.has_value();
  reader_.book_behaviors(root, "", "viewingHint", manifest);

  const auto sequences = root.find("sequences");
  if (sequences == root.end() || !sequences->is_array() || sequences->empty() || !(*sequences)[0].is_object()) {
    if (sequences != root.end()) {
      reader_.error("sequences", "must be a list holding one sequence { \"canvases\": [ … ] }",
                    "必须是包含一个序列 { \"canvases\": [ … ] } 的列表");
    }
    ranges(root, manifest);
    return manifest;
  }
  if (sequences->size() > 1) {
    reader_.warning("sequences", "only the first sequence is read: a book has one order of pages",
                    "只读取第一个序列：一本书只有一种页序");
  }
  const json& sequence = (*sequences)[0];
  // A sequence's direction and hint are where Presentation 2.0 manifests put them.
  if (const auto sequence_direction = reader_.viewing_direction(sequence, "sequences[0]")) {
    manifest.viewing_direction = *sequence_direction;
    manifest.viewing_direction_given = true;
  }
  reader_.book_behaviors(sequence, "sequences[0]", "viewingHint", manifest);
  const auto canvases = sequence.find("canvases");
  if (canvases != sequence.end() && !canvases->is_array()) {
    reader_.error("sequences[0].canvases", "must be the list of the book's pages [ … ]", "必须是书页的列表 [ … ]");
  } else if (canvases != sequence.end()) {
    for (size_t index = 0; index < canvases->size(); ++index) {
      const json& item = (*canvases)[index];
      const std::string where = Reader::at("sequences[0].canvases", index);
      if (!item.is_object()) {
        reader_.error(where, "a page must be a canvas { \"@type\": \"sc:Canvas\", … }",
                      "书页必须是 canvas { \"@type\": \"sc:Canvas\", … }");
        continue;
      }
      Canvas page = canvas(item, where);
      canvases_.emplace(page.id, manifest.canvases.size());
      manifest.canvases.push_back(std::move(page));
    }
  }
  for (const auto& [holder, path] :
       {std::pair{&root, std::string()}, std::pair{&sequence, std::string("sequences[0]")}}) {
    const auto start = holder->find("startCanvas");
    if (start == holder->end()) continue;
    const std::string id = start->is_string() ? start->get<std::string>() : id_of(*start);
    manifest.start_canvas = canvas_reference(id, Reader::join(path, "startCanvas"));
  }
  ranges(root, manifest);
  return manifest;
}

}  // namespace

std::optional<Document> read_presentation2(const json& root, Reader& reader) {
  return Presentation2(reader).read(root);
}

}  // namespace pavilion::iiif::detail
