// IIIF Presentation 3: https://iiif.io/api/presentation/3.0/
#include "reader.h"

#include <fmt/format.h>

#include <unordered_map>

namespace pavilion::iiif::detail {
namespace {

using CanvasIndex = std::unordered_map<std::string, size_t>;

std::string without_fragment(std::string id) {
  if (const size_t hash = id.find('#'); hash != std::string::npos) id.resize(hash);
  return id;
}

bool is_time_based(const std::string& type) {
  return type == "Sound" || type == "Video" || type == "Audio";
}

class Presentation3 {
 public:
  explicit Presentation3(Reader& reader) : reader_(reader) {}

  std::optional<Document> read(const json& root);

 private:
  void describe(const json& root, Manifest& manifest);
  std::optional<Document> collection(const json& root);
  Canvas canvas(const json& item, const std::string& path);
  void painting_page(const json& page, const std::string& path, Canvas& canvas);
  void annotation_page(const json& page, const std::string& path, Canvas& canvas);
  std::optional<Image> image(const json& body, const std::string& path);
  void body(const json& body, const std::string& path, const std::string& motivation, std::optional<Region> target,
            Canvas& canvas, Painting* choice);
  std::optional<Region> target(const json& annotation, const std::string& path);
  std::vector<Image> thumbnails(const json& object, const std::string& path);
  std::optional<Range> range(const json& item, const std::string& path, int depth);
  std::optional<size_t> canvas_reference(const json& item, const std::string& path);

  Reader& reader_;
  CanvasIndex canvases_;
};

std::optional<Image> Presentation3::image(const json& body, const std::string& path) {
  Image image;
  image.id = reader_.string_field(body, path, "id", true);
  if (image.id.empty()) return std::nullopt;
  image.format = reader_.string_field(body, path, "format", false);
  image.width = reader_.size_field(body, path, "width", false);
  image.height = reader_.size_field(body, path, "height", false);
  image.label = reader_.language_map(body, path, "label");
  image.services = reader_.services(body, path);
  reader_.image_request(image, path);
  return image;
}

std::optional<Region> Presentation3::target(const json& annotation, const std::string& path) {
  const auto found = annotation.find("target");
  if (found == annotation.end()) return std::nullopt;
  const std::string where = Reader::join(path, "target");
  if (found->is_string()) return reader_.fragment_region(found->get<std::string>(), where);
  if (!found->is_object()) return std::nullopt;
  // A SpecificResource: the canvas as source, the region as a FragmentSelector "xywh=…".
  const auto selector = found->find("selector");
  if (selector != found->end() && selector->is_object()) {
    const auto value = selector->find("value");
    if (value != selector->end() && value->is_string()) {
      return reader_.fragment_region("#" + value->get<std::string>(), Reader::join(where, "selector.value"));
    }
  }
  return reader_.fragment_region(id_of(*found), where);
}

void Presentation3::body(const json& body, const std::string& path, const std::string& motivation,
                         std::optional<Region> region, Canvas& canvas, Painting* choice) {
  if (!body.is_object()) {
    reader_.error(path, "an annotation's body must be an object { … }", "注释的 body 必须是一个对象 { … }");
    return;
  }
  const std::string type = type_of(body);
  if (type == "TextualBody") {
    canvas.texts.push_back(text_annotation(motivation, reader_.string_field(body, path, "value", true),
                                           reader_.string_field(body, path, "language", false),
                                           reader_.string_field(body, path, "format", false), region));
    return;
  }
  if (motivation != "painting") return;  // a link's or tag's target: nothing drawn on the page
  if (is_time_based(type)) {
    reader_.time_based_seen = true;
    reader_.warning(path, fmt::format("a {} cannot be shown on a page of a book and is left out", type),
                    fmt::format("书页上无法显示 {}，已略去", type));
    return;
  }
  if (type == "Choice" && choice) {
    // Only one level of options makes sense on a page, and no recursion for a hostile manifest.
    reader_.warning(path, "a Choice among a Choice's options is left out", "选项中嵌套的 Choice 已略去");
    return;
  }
  if (type == "Choice") {
    const std::vector<const json*> items = reader_.list_field(body, path, "items");
    Painting painting;
    for (size_t index = 0; index < items.size(); ++index) {
      this->body(*items[index], Reader::at(Reader::join(path, "items"), index), motivation, region, canvas, &painting);
    }
    if (!painting.options.empty()) canvas.paintings.push_back(std::move(painting));
    return;
  }
  std::optional<Image> picture;
  if (type == "SpecificResource") {
    const auto source = body.find("source");
    if (source == body.end() || !source->is_object()) {
      reader_.error(Reader::join(path, "source"),
                    "a SpecificResource needs its source image { \"id\": …, \"type\": \"Image\" }",
                    "SpecificResource 需要其源图像 { \"id\": …, \"type\": \"Image\" }");
      return;
    }
    picture = image(*source, Reader::join(path, "source"));
    const std::vector<const json*> selectors = reader_.list_field(body, path, "selector");
    for (size_t index = 0; picture && index < selectors.size(); ++index) {
      const json& selector = *selectors[index];
      const std::string where = Reader::at(Reader::join(path, "selector"), index);
      if (!selector.is_object()) continue;
      const std::string selector_type = type_of(selector);
      if (selector_type == "FragmentSelector") {
        // A region of the image as a media fragment: "xywh=x,y,w,h".
        const std::string value = reader_.string_field(selector, where, "value", true);
        reader_.select(*picture, reader_.fragment_region("#" + value, Reader::join(where, "value")), 0, where);
        continue;
      }
      // With the prefix of the annex's JSON-LD context too, as the cookbook writes it.
      if (selector_type != "ImageApiSelector" && selector_type != "iiif:ImageApiSelector") continue;
      const auto selected =
          reader_.api_region(reader_.string_field(selector, where, "region", false), Reader::join(where, "region"));
      const double rotation = reader_.api_rotation(reader_.string_field(selector, where, "rotation", false),
                                                   Reader::join(where, "rotation"));
      reader_.select(*picture, selected, rotation, where);
    }
  } else if (type == "Image" || type.empty()) {
    if (type.empty()) {
      reader_.warning(Reader::join(path, "type"), "the body has no type; it is read as an Image",
                      "body 没有 type，按 Image 读取");
    }
    picture = image(body, path);
    // An image URI may name a part of the picture itself: "…/page.jpg#xywh=…" (a fragment the
    // server never sees, so its bytes are the whole picture).
    if (picture) reader_.select(*picture, reader_.fragment_region(picture->id, Reader::join(path, "id")), 0, path);
  } else {
    reader_.warning(Reader::join(path, "type"), fmt::format("a {} cannot be painted on a page and is left out", type),
                    fmt::format("{} 无法绘制在书页上，已略去", type));
    return;
  }
  if (!picture) return;
  picture->target = region;
  if (choice) {
    choice->options.push_back(std::move(*picture));
  } else {
    canvas.paintings.push_back({{std::move(*picture)}});
  }
}

void Presentation3::painting_page(const json& page, const std::string& path, Canvas& canvas) {
  if (!page.is_object()) {
    reader_.error(path, "must be an AnnotationPage { \"type\": \"AnnotationPage\", \"items\": [ … ] }",
                  "必须是 AnnotationPage { \"type\": \"AnnotationPage\", \"items\": [ … ] }");
    return;
  }
  const auto items = page.find("items");
  if (items == page.end()) {
    reader_.warning(path, "the images of this page are in another file, which is not fetched",
                    "此页的图像在另一个文件中，不会被获取");
    return;
  }
  if (!items->is_array()) {
    reader_.error(Reader::join(path, "items"), "must be a list of annotations [ … ]", "必须是注释列表 [ … ]");
    return;
  }
  for (size_t index = 0; index < items->size(); ++index) {
    const json& annotation = (*items)[index];
    const std::string where = Reader::at(Reader::join(path, "items"), index);
    if (!annotation.is_object()) {
      reader_.error(where, "an annotation must be an object { … }", "注释必须是一个对象 { … }");
      continue;
    }
    std::string motivation = reader_.string_field(annotation, where, "motivation", false);
    if (motivation.empty()) motivation = "painting";  // what a canvas's own items are for
    const std::optional<Region> region = target(annotation, where);
    const auto found = annotation.find("body");
    if (found == annotation.end()) {
      reader_.error(Reader::join(where, "body"), "an annotation needs a body: the image or text it puts on the page",
                    "注释需要 body：它放在页面上的图像或文本");
      continue;
    }
    if (found->is_array()) {
      for (size_t body_index = 0; body_index < found->size(); ++body_index) {
        body((*found)[body_index], Reader::at(Reader::join(where, "body"), body_index), motivation, region, canvas,
             nullptr);
      }
    } else {
      body(*found, Reader::join(where, "body"), motivation, region, canvas, nullptr);
    }
  }
}

void Presentation3::annotation_page(const json& page, const std::string& path, Canvas& canvas) {
  if (page.is_object() && !page.contains("items")) {
    reader_.note(path, fmt::format("the annotations at {} are in another file, which is not fetched", id_of(page)),
                 fmt::format("位于 {} 的注释在另一个文件中，不会被获取", id_of(page)));
    return;
  }
  // Annotations beside the page's own: their images are not the page's, their texts are kept.
  Canvas texts_only;
  painting_page(page, path, texts_only);
  for (TextAnnotation& text : texts_only.texts) canvas.texts.push_back(std::move(text));
}

std::vector<Image> Presentation3::thumbnails(const json& object, const std::string& path) {
  std::vector<Image> images;
  const std::vector<const json*> items = reader_.list_field(object, path, "thumbnail");
  for (size_t index = 0; index < items.size(); ++index) {
    if (!items[index]->is_object()) continue;
    if (auto picture = image(*items[index], Reader::at(Reader::join(path, "thumbnail"), index))) {
      images.push_back(std::move(*picture));
    }
  }
  return images;
}

Canvas Presentation3::canvas(const json& item, const std::string& path) {
  Canvas canvas;
  canvas.id = reader_.string_field(item, path, "id", true);
  canvas.label = reader_.language_map(item, path, "label");
  canvas.width = reader_.size_field(item, path, "width", false);
  canvas.height = reader_.size_field(item, path, "height", false);
  if (item.contains("duration")) reader_.time_based_seen = true;
  canvas.behavior = reader_.page_behavior(item, path, "behavior");
  canvas.metadata = reader_.metadata(item, path, "metadata");
  canvas.see_also = reader_.links(item, path, "seeAlso");
  canvas.thumbnails = thumbnails(item, path);
  const std::vector<const json*> pages = reader_.list_field(item, path, "items");
  for (size_t index = 0; index < pages.size(); ++index) {
    painting_page(*pages[index], Reader::at(Reader::join(path, "items"), index), canvas);
  }
  const std::vector<const json*> annotations = reader_.list_field(item, path, "annotations");
  for (size_t index = 0; index < annotations.size(); ++index) {
    annotation_page(*annotations[index], Reader::at(Reader::join(path, "annotations"), index), canvas);
  }
  if (canvas.placeholder()) reader_.placeholder(path, canvas);
  if (canvas.width == 0 || canvas.height == 0) {
    // The first image's size stands in for a canvas's missing one, as viewers do.
    const Image* first = canvas.paintings.empty() ? nullptr : &canvas.paintings.front().options.front();
    if (first && first->width > 0 && first->height > 0) {
      canvas.width = first->width;
      canvas.height = first->height;
    }
    reader_.warning(path, "this page gives no width and height; its image's size is used, if it has one",
                    "此页未给出宽度和高度；如果其图像有尺寸，则使用图像的尺寸");
  }
  return canvas;
}

std::optional<size_t> Presentation3::canvas_reference(const json& item, const std::string& path) {
  std::string id;
  if (item.is_string()) {
    id = item.get<std::string>();
  } else if (item.is_object()) {
    const auto source = item.find("source");
    if (type_of(item) == "SpecificResource" && source != item.end()) {
      id = source->is_string() ? source->get<std::string>() : id_of(*source);
    } else {
      id = id_of(item);
    }
  }
  const auto found = canvases_.find(without_fragment(id));
  if (found == canvases_.end()) {
    reader_.warning(path, fmt::format("no page of this manifest has the id '{}'; the reference is left out", id),
                    fmt::format("此清单中没有 id 为“{}”的页面；此引用已略去", id));
    return std::nullopt;
  }
  return found->second;
}

std::optional<Range> Presentation3::range(const json& item, const std::string& path, int depth) {
  if (!item.is_object()) {
    reader_.error(path, "a range must be an object { \"type\": \"Range\", … }",
                  "范围必须是一个对象 { \"type\": \"Range\", … }");
    return std::nullopt;
  }
  if (depth > max_range_depth) {
    reader_.warning(path, "the table of contents is cut here: it is nested too deeply", "目录在此处截断：嵌套太深");
    return std::nullopt;
  }
  Range range{id_of(item), reader_.language_map(item, path, "label"), {}, {}};
  const std::vector<const json*> items = reader_.list_field(item, path, "items");
  for (size_t index = 0; index < items.size(); ++index) {
    const std::string where = Reader::at(Reader::join(path, "items"), index);
    if (items[index]->is_object() && type_of(*items[index]) == "Range") {
      if (auto child = this->range(*items[index], where, depth + 1)) range.children.push_back(std::move(*child));
    } else if (auto canvas = canvas_reference(*items[index], where)) {
      range.canvases.push_back(*canvas);
    }
  }
  return range;
}

// What a manifest or a collection says of the work.
void Presentation3::describe(const json& root, Manifest& manifest) {
  manifest.presentation_version = 3;
  manifest.id = reader_.string_field(root, "", "id", false);
  manifest.label = reader_.language_map(root, "", "label");
  manifest.summary = reader_.language_map(root, "", "summary");
  manifest.metadata = reader_.metadata(root, "", "metadata");
  if (const auto statement = root.find("requiredStatement"); statement != root.end()) {
    manifest.required_statement = reader_.pair(*statement, "requiredStatement");
  }
  if (const std::string rights = reader_.string_field(root, "", "rights", false); !rights.empty()) {
    manifest.rights.push_back(rights);
  }
  const std::vector<const json*> providers = reader_.list_field(root, "", "provider");
  for (size_t index = 0; index < providers.size(); ++index) {
    if (!providers[index]->is_object()) continue;
    const std::string where = Reader::at("provider", index);
    manifest.provider.push_back({id_of(*providers[index]), reader_.language_map(*providers[index], where, "label"),
                                 reader_.links(*providers[index], where, "homepage")});
  }
}

std::optional<Document> Presentation3::collection(const json& root) {
  if (!reader_.multi_part(root, "type", "behavior")) return std::nullopt;
  Manifest described;
  describe(root, described);
  const std::optional<book::ViewingDirection> direction = reader_.viewing_direction(root, "");
  std::vector<Volume> volumes;
  const std::vector<const json*> items = reader_.list_field(root, "", "items");
  for (size_t index = 0; index < items.size(); ++index) {
    const std::string type = items[index]->is_object() ? type_of(*items[index]) : "";
    const Reader::Member kind = type == "Manifest"     ? Reader::Member::manifest
                                : type == "Collection" ? Reader::Member::collection
                                                       : Reader::Member::other;
    reader_.volume(*items[index], Reader::at("items", index), kind, volumes);
  }
  return reader_.collection(std::move(described), direction, std::move(volumes), "items");
}

std::optional<Document> Presentation3::read(const json& root) {
  const std::string type = type_of(root);
  if (type == "Collection") return collection(root);
  if (type != "Manifest") {
    reader_.error("type", "a manifest's type must be \"Manifest\"", "清单的 type 必须是 \"Manifest\"");
  }
  Manifest manifest;
  describe(root, manifest);
  if (manifest.label.empty()) {
    reader_.warning("label", "the book has no title (label); visitors will see none",
                    "此书没有标题（label），参观者将看不到标题");
  }
  const std::optional<book::ViewingDirection> direction = reader_.viewing_direction(root, "");
  manifest.viewing_direction = direction.value_or(book::ViewingDirection::left_to_right);
  manifest.viewing_direction_given = direction.has_value();
  reader_.book_behaviors(root, "", "behavior", manifest);
  manifest.see_also = reader_.links(root, "", "seeAlso");
  manifest.thumbnails = thumbnails(root, "");

  const auto items = root.find("items");
  if (items != root.end() && !items->is_array()) {
    reader_.error("items", "must be the list of the book's pages (canvases) [ … ]", "必须是书页（canvas）的列表 [ … ]");
  } else if (items != root.end()) {
    for (size_t index = 0; index < items->size(); ++index) {
      const json& item = (*items)[index];
      const std::string where = Reader::at("items", index);
      if (!item.is_object() || type_of(item) != "Canvas") {
        reader_.error(where, "a page must be a Canvas { \"type\": \"Canvas\", … }",
                      "书页必须是 Canvas { \"type\": \"Canvas\", … }");
        continue;
      }
      Canvas page = canvas(item, where);
      canvases_.emplace(page.id, manifest.canvases.size());
      manifest.canvases.push_back(std::move(page));
    }
  }
  if (const auto start = root.find("start"); start != root.end())
    manifest.start_canvas = canvas_reference(*start, "start");
  const std::vector<const json*> structures = reader_.list_field(root, "", "structures");
  for (size_t index = 0; index < structures.size(); ++index) {
    if (auto entry = range(*structures[index], Reader::at("structures", index), 0))
      manifest.ranges.push_back(std::move(*entry));
  }
  return manifest;
}

}  // namespace

std::optional<Document> read_presentation3(const json& root, Reader& reader) {
  return Presentation3(reader).read(root);
}

}  // namespace pavilion::iiif::detail
