#include "reader.h"

#include <fmt/format.h>

#include "pavilion/core/utf8.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace pavilion::iiif::detail {
namespace {

std::optional<double> number(std::string_view text) {
  double value = 0;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (failure != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<Region> four_numbers(std::string_view text) {
  double values[4];
  for (int index = 0; index < 4; ++index) {
    const size_t comma = index < 3 ? text.find(',') : text.size();
    if (comma == std::string_view::npos) return std::nullopt;
    const auto value = number(text.substr(0, comma));
    if (!value || *value < 0) return std::nullopt;
    values[index] = *value;
    text.remove_prefix(index < 3 ? comma + 1 : comma);
  }
  if (values[2] <= 0 || values[3] <= 0) return std::nullopt;
  return Region{values[0], values[1], values[2], values[3]};
}

void add_text(LanguageMap& map, std::string language, std::string raw) {
  std::string text = shown_text(std::move(raw));
  for (LanguageMap::Entry& entry : map.entries) {
    if (entry.language == language) {
      entry.values.push_back(std::move(text));
      return;
    }
  }
  map.entries.push_back({std::move(language), {std::move(text)}});
}

bool is_html(std::string_view text, std::string_view format) {
  if (format == "text/html") return true;
  const size_t first = text.find_first_not_of(" \t\r\n");
  const size_t last = text.find_last_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '<' && text[last] == '>';
}

char lower(char letter) { return letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a') : letter; }

// The character an entity at `text` ("&amp;", "&#x5B78;") stands for, appended to `out`; the
// entity's length, or 0 when it is none (the '&' is then text).
size_t decode_entity(std::string_view text, std::string& out) {
  const size_t end = text.find(';');
  if (end == std::string_view::npos || end > 10 || end < 2) return 0;
  const std::string_view name = text.substr(1, end - 1);
  static constexpr std::pair<std::string_view, char32_t> named[] = {
      {"amp", U'&'}, {"lt", U'<'}, {"gt", U'>'}, {"quot", U'"'}, {"apos", U'\''}, {"nbsp", U'\u00A0'}};
  for (const auto& [entity, code_point] : named) {
    if (name == entity) {
      append_utf8(out, code_point);
      return end + 1;
    }
  }
  if (name[0] != '#') return 0;
  const bool hex = name.size() > 1 && lower(name[1]) == 'x';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  uint32_t code_point = 0;
  const auto [stop, failure] = std::from_chars(digits.data(), digits.data() + digits.size(), code_point, hex ? 16 : 10);
  if (failure != std::errc() || stop != digits.data() + digits.size()) return 0;
  const bool valid = code_point != 0 && code_point <= 0x10FFFF && (code_point < 0xD800 || code_point > 0xDFFF);
  append_utf8(out, valid ? static_cast<char32_t>(code_point) : U'\uFFFD');
  return end + 1;
}

std::string html_as_text(std::string_view html) {
  std::string out;
  bool space = false;  // white space met since the last character written
  const auto line_break = [&] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (!out.empty() && out.back() != '\n') out += '\n';
    space = false;
  };
  size_t at = 0;
  while (at < html.size()) {
    const char character = html[at];
    if (character == '<') {
      if (html.substr(at, 4) == "<!--") {
        const size_t end = html.find("-->", at);
        at = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const size_t end = html.find('>', at);
      if (end == std::string_view::npos) break;  // an unclosed tag: what follows is not text
      std::string_view tag = html.substr(at + 1, end - at - 1);
      const bool closing = !tag.empty() && tag.front() == '/';
      if (closing) tag.remove_prefix(1);
      std::string name;
      for (const char letter : tag) {
        if (!std::isalnum(static_cast<unsigned char>(letter))) break;
        name += lower(letter);
      }
      at = end + 1;
      if (name == "br" || name == "p" || name == "div" || name == "li") line_break();
      if (!closing && (name == "script" || name == "style")) {
        // Its content is code, not text: skipped to its closing tag.
        std::string rest(html.substr(at));
        std::ranges::transform(rest, rest.begin(), lower);
        const size_t close = rest.find("</" + name);
        at = close == std::string::npos ? html.size() : at + close;
      }
      continue;
    }
    if (character == ' ' || character == '\t' || character == '\r' || character == '\n') {
      space = !out.empty() && out.back() != '\n';
      ++at;
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (character == '&') {
      if (const size_t length = decode_entity(html.substr(at), out)) {
        at += length;
        continue;
      }
    }
    out += character;
    ++at;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace

std::string id_of(const json& object) {
  for (const char* key : {"id", "@id"}) {
    if (const auto found = object.find(key); found != object.end() && found->is_string())
      return found->get<std::string>();
  }
  return {};
}

std::string type_of(const json& object) {
  for (const char* key : {"type", "@type"}) {
    if (const auto found = object.find(key); found != object.end() && found->is_string())
      return found->get<std::string>();
  }
  return {};
}

void Reader::note(const std::string& path, std::string english, std::string chinese) {
  findings_.push_back({checking::Finding::Severity::note, file_, path, std::move(english), std::move(chinese)});
}

std::string Reader::at(const std::string& path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

std::vector<const json*> Reader::list_field(const json& object, const std::string& path, std::string_view key) {
  std::vector<const json*> items;
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return items;
  if (found->is_array()) {
    for (const json& item : *found) items.push_back(&item);
  } else if (found->is_object() || found->is_string()) {
    items.push_back(&*found);
  } else {
    error(join(path, key), "must be a list [ … ] or one object { … }", "必须是列表 [ … ] 或一个对象 { … }");
  }
  return items;
}

std::string Reader::string_field(const json& object, const std::string& path, std::string_view key, bool required) {
  const auto found = object.find(key);
  if (found == object.end()) {
    if (required) error(join(path, key), "this field is required", "此字段为必填项");
    return {};
  }
  if (!found->is_string()) {
    error(join(path, key), "must be text in quotes", "必须是带引号的文本");
    return {};
  }
  return found->get<std::string>();
}

int Reader::size_field(const json& object, const std::string& path, std::string_view key, bool required) {
  const auto found = object.find(key);
  if (found == object.end()) {
    if (required) error(join(path, key), "this size in pixels is required", "此像素尺寸为必填项");
    return 0;
  }
  // Some servers write sizes as floats ("width": 2000.0); a whole number is what was meant.
  if (!found->is_number() || found->get<double>() < 1 || found->get<double>() > 1e7 ||
      found->get<double>() != std::floor(found->get<double>())) {
    error(join(path, key), "must be a whole number of pixels above zero", "必须是大于零的整数像素值");
    return 0;
  }
  return static_cast<int>(found->get<double>());
}

std::string shown_text(std::string text, std::string_view format) {
  return is_html(text, format) ? html_as_text(text) : text;
}

TextAnnotation text_annotation(std::string motivation, std::string value, std::string language, std::string format,
                               std::optional<Region> target) {
  if (is_html(value, format)) {
    value = html_as_text(value);
    format = "text/plain";
  }
  return {std::move(motivation), std::move(value), std::move(language), std::move(format), target};
}

LanguageMap Reader::language_map(const json& object, const std::string& path, std::string_view key) {
  LanguageMap map;
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return map;
  const std::string field = join(path, key);
  const auto refuse = [&](const std::string& where) {
    error(
        where,
        "must be text: a language map {\"en\": [\"…\"]}, or in Presentation 2 \"…\" "
        "or {\"@value\": \"…\", \"@language\": \"…\"}",
        "必须是文本：语言映射 {\"en\": [\"…\"]}，或 Presentation 2 的 \"…\" 或 {\"@value\": \"…\", \"@language\": \"…\"}");
  };
  const auto add_value = [&](const json& value, const std::string& where) {
    if (value.is_string()) {
      add_text(map, "none", value.get<std::string>());
    } else if (value.is_number()) {
      add_text(map, "none", value.dump());
    } else if (value.is_object() && value.contains("@value") && value["@value"].is_string()) {
      const auto language = value.find("@language");
      add_text(map, language != value.end() && language->is_string() ? language->get<std::string>() : "none",
               value["@value"].get<std::string>());
    } else {
      refuse(where);
    }
  };
  if (found->is_object() && !found->contains("@value")) {
    for (const auto& [language, values] : found->items()) {
      const std::string where = join(field, language);
      if (values.is_string()) {
        add_text(map, language, values.get<std::string>());  // a single string where a list belongs
      } else if (values.is_array()) {
        for (size_t index = 0; index < values.size(); ++index) {
          if (values[index].is_string()) {
            add_text(map, language, values[index].get<std::string>());
          } else {
            refuse(at(where, index));
          }
        }
      } else {
        refuse(where);
      }
    }
  } else if (found->is_array()) {
    for (size_t index = 0; index < found->size(); ++index) add_value((*found)[index], at(field, index));
  } else {
    add_value(*found, field);
  }
  return map;
}

std::optional<MetadataPair> Reader::pair(const json& value, const std::string& path) {
  if (!value.is_object()) {
    error(path, "must be an object {\"label\": …, \"value\": …}", "必须是对象 {\"label\": …, \"value\": …}");
    return std::nullopt;
  }
  MetadataPair pair{language_map(value, path, "label"), language_map(value, path, "value")};
  if (pair.value.empty()) {
    warning(path, "this entry has no value and is left out", "此条目没有值，已略去");
    return std::nullopt;
  }
  return pair;
}

std::vector<MetadataPair> Reader::metadata(const json& object, const std::string& path, std::string_view key) {
  std::vector<MetadataPair> pairs;
  const auto found = object.find(key);
  if (found == object.end()) return pairs;
  if (!found->is_array()) {
    error(join(path, key), "must be a list of {\"label\": …, \"value\": …}",
          "必须是 {\"label\": …, \"value\": …} 的列表");
    return pairs;
  }
  for (size_t index = 0; index < found->size(); ++index) {
    if (auto entry = pair((*found)[index], at(join(path, key), index))) pairs.push_back(std::move(*entry));
  }
  return pairs;
}

std::vector<ImageService> Reader::services(const json& object, const std::string& path) {
  std::vector<ImageService> services;
  const std::vector<const json*> items = list_field(object, path, "service");
  for (size_t index = 0; index < items.size(); ++index) {
    const json& item = *items[index];
    const std::string where =
        object.find("service")->is_array() ? at(join(path, "service"), index) : join(path, "service");
    if (!item.is_object()) continue;  // a bare URI names a service without saying what it is
    ImageService service{id_of(item), 0, -1, ""};
    const std::string type = type_of(item);
    std::string context;
    if (const auto found = item.find("@context"); found != item.end() && found->is_string()) context = *found;
    if (type == "ImageService3" || contains(context, "/image/3")) {
      service.api_version = 3;
    } else if (type == "ImageService2" || contains(context, "/image/2")) {
      service.api_version = 2;
    } else if (!contains(type, "ImageService") && !contains(context, "/image/")) {
      continue;  // a search, authentication or other service: not the pictures'
    }
    if (service.id.empty()) {
      error(join(where, "id"), "an image service needs its id (the URL before /full/…)",
            "图像服务需要 id（/full/… 之前的网址）");
      continue;
    }
    const auto profile = item.find("profile");
    if (profile != item.end()) {
      // Presentation 2 may write [ "…/level2.json", { "formats": … } ]: the first item names it.
      const json& name = profile->is_array() && !profile->empty() ? (*profile)[0] : *profile;
      if (name.is_string()) service.profile = name.get<std::string>();
    }
    for (int level = 0; level <= 2; ++level) {
      if (contains(service.profile, fmt::format("level{}", level))) service.level = level;
    }
    services.push_back(std::move(service));
  }
  return services;
}

std::vector<Link> Reader::links(const json& object, const std::string& path, std::string_view key) {
  std::vector<Link> links;
  const std::vector<const json*> items = list_field(object, path, key);
  for (size_t index = 0; index < items.size(); ++index) {
    const json& item = *items[index];
    const std::string where = at(join(path, key), index);
    Link link;
    if (item.is_string()) {
      link.id = item.get<std::string>();
    } else if (item.is_object()) {
      link.id = id_of(item);
      link.type = type_of(item);
      link.format = string_field(item, where, "format", false);
      if (const auto profile = item.find("profile"); profile != item.end() && profile->is_string())
        link.profile = *profile;
      link.label = language_map(item, where, "label");
    }
    if (link.id.empty()) {
      warning(where, "this link has no id and is left out", "此链接没有 id，已略去");
      continue;
    }
    const auto names = [&](std::string_view what) {
      return contains(link.profile, what) || contains(link.format, what);
    };
    if (names("alto")) {
      link.text = Link::Text::alto;
    } else if (names("hocr") || names("hOCR")) {
      link.text = Link::Text::hocr;
    }
    links.push_back(std::move(link));
  }
  return links;
}

std::optional<Region> Reader::fragment_region(std::string_view uri, const std::string& path) {
  const size_t hash = uri.find("#xywh=");
  if (hash == std::string_view::npos) return std::nullopt;
  std::string_view value = uri.substr(hash + 6);
  if (value.substr(0, 6) == "pixel:") value.remove_prefix(6);
  if (value.substr(0, 8) == "percent:") {
    warning(path, "a region in percent is not read; the annotation covers the whole page",
            "以百分比表示的区域无法读取；此注释覆盖整页");
    return std::nullopt;
  }
  if (const size_t end = value.find('&'); end != std::string_view::npos) value = value.substr(0, end);
  auto region = four_numbers(value);
  if (!region) {
    error(path, "the region after #xywh= must be four numbers x,y,w,h with a width and height above zero",
          "#xywh= 之后的区域必须是四个数 x,y,w,h，宽和高大于零");
  }
  return region;
}

std::optional<Region> Reader::api_region(std::string_view region, const std::string& path) {
  // "xywh=…" is a media fragment's form, not the Image API's, but manifests write it (the
  // cookbook's region recipe among them) and it can mean only one thing.
  if (region.substr(0, 5) == "xywh=") region.remove_prefix(5);
  if (region.empty() || region == "full") return std::nullopt;
  if (region.substr(0, 4) == "pct:" || region == "square") {
    warning(path, "this region is not read in pixels; the whole image is shown",
            "此区域不是以像素表示的，无法读取；显示整幅图像");
    return std::nullopt;
  }
  auto parsed = four_numbers(region);
  if (!parsed) {
    error(path, "an image region must be \"full\" or four numbers x,y,w,h with a width and height above zero",
          "图像区域必须是 \"full\" 或四个数 x,y,w,h，宽和高大于零");
  }
  return parsed;
}

double Reader::api_rotation(std::string_view rotation, const std::string& path) {
  if (rotation.empty()) return 0;
  if (rotation.front() == '!') {
    warning(path, "a mirrored image is shown unmirrored", "镜像图像将以未镜像方式显示");
    rotation.remove_prefix(1);
  }
  const auto degrees = number(rotation);
  if (!degrees || *degrees < 0 || *degrees > 360) {
    error(path, "a rotation must be a number of degrees from 0 to 360", "旋转角度必须是 0 到 360 之间的度数");
    return 0;
  }
  // A page turned by 37° would show its corners cut or blank ones; scans are turned by quarters.
  if (std::fmod(*degrees, 90.0) != 0) {
    const double nearest = std::fmod(std::round(*degrees / 90.0) * 90.0, 360.0);
    warning(path, fmt::format("a rotation of {}° is shown as {}°, the nearest quarter turn", *degrees, nearest),
            fmt::format("{}° 的旋转按最接近的直角 {}° 显示", *degrees, nearest));
  }
  return *degrees;
}

void Reader::image_request(Image& image, const std::string& path) {
  for (const ImageService& service : image.services) {
    if (service.id.empty() || !image.id.starts_with(service.id + "/")) continue;
    std::string_view rest = std::string_view(image.id).substr(service.id.size() + 1);
    rest = rest.substr(0, rest.find_first_of("?#"));
    std::string_view parts[4];
    for (int index = 0; index < 4; ++index) {
      const size_t slash = index < 3 ? rest.find('/') : rest.size();
      if (slash == std::string_view::npos) return;
      parts[index] = rest.substr(0, slash);
      rest.remove_prefix(index < 3 ? slash + 1 : slash);
    }
    const std::string_view region = parts[0], rotation = parts[2], quality = parts[3];
    if (quality.find('.') == std::string_view::npos || region.empty() || rotation.empty()) return;
    // Only what the request's grammar allows: an id that merely has four segments is left alone.
    const bool pixels = region == "full" || region == "square" || region.substr(0, 4) == "pct:" || four_numbers(region);
    const auto degrees = number(rotation.front() == '!' ? rotation.substr(1) : rotation);
    if (!pixels || !degrees) return;
    image.region = api_region(region, join(path, "id"));
    image.rotation_degrees = api_rotation(rotation, join(path, "id"));
    image.cut_in_id = image.region.has_value() || image.quarter_turns() != 0;
    return;
  }
}

void Reader::select(Image& image, std::optional<Region> region, double rotation_degrees, const std::string& path) {
  if (!region && rotation_degrees == 0) return;  // the whole source, as its id gives it
  if (image.cut_in_id) {
    warning(path,
            "both the image's id and this selector cut or turn the image; the selector's region and rotation are "
            "applied to the full image",
            "图像的 id 与此选择器都对图像作了裁切或旋转；选择器的区域与旋转将应用于整幅图像");
  }
  image.region = region;
  image.rotation_degrees = rotation_degrees;
  image.cut_in_id = false;
}

std::optional<book::ViewingDirection> Reader::viewing_direction(const json& object, const std::string& path) {
  const std::string value = string_field(object, path, "viewingDirection", false);
  if (value.empty()) return std::nullopt;
  if (value == "left-to-right") return book::ViewingDirection::left_to_right;
  if (value == "right-to-left") return book::ViewingDirection::right_to_left;
  if (value == "top-to-bottom") return book::ViewingDirection::top_to_bottom;
  if (value == "bottom-to-top") return book::ViewingDirection::bottom_to_top;
  error(
      join(path, "viewingDirection"),
      fmt::format("'{}' is not a reading direction; write left-to-right, right-to-left, top-to-bottom or bottom-to-top",
                  value),
      fmt::format("“{}”不是阅读方向；请写 left-to-right、right-to-left、top-to-bottom 或 bottom-to-top", value));
  return std::nullopt;
}

std::vector<std::string> Reader::behaviors(const json& object, const std::string& path, std::string_view key) {
  std::vector<std::string> values;
  const std::vector<const json*> items = list_field(object, path, key);
  for (size_t index = 0; index < items.size(); ++index) {
    if (items[index]->is_string()) {
      values.push_back(items[index]->get<std::string>());
    } else {
      error(at(join(path, key), index), "a behavior must be a word such as \"paged\"",
            "行为必须是一个词，例如 \"paged\"");
    }
  }
  return values;
}

void Reader::book_behaviors(const json& object, const std::string& path, std::string_view key, Manifest& manifest) {
  for (const std::string& behavior : behaviors(object, path, key)) {
    if (behavior == "paged") {
      manifest.layout = book::Layout::paged;
    } else if (behavior == "individuals") {
      manifest.layout = book::Layout::individuals;
    } else if (behavior == "continuous") {
      manifest.layout = book::Layout::continuous;
    } else if (behavior != "top" && behavior != "unordered") {
      note(join(path, key), fmt::format("the behavior '{}' means nothing for a book and is ignored", behavior),
           fmt::format("行为“{}”对书籍没有意义，已忽略", behavior));
    }
  }
}

book::PageBehavior Reader::page_behavior(const json& object, const std::string& path, std::string_view key) {
  book::PageBehavior page = book::PageBehavior::paged;
  for (const std::string& behavior : behaviors(object, path, key)) {
    if (behavior == "facing-pages") {
      page = book::PageBehavior::facing_pages;
    } else if (behavior == "non-paged") {
      page = book::PageBehavior::non_paged;
    } else if (behavior != "paged") {
      note(join(path, key), fmt::format("the behavior '{}' means nothing for a page and is ignored", behavior),
           fmt::format("行为“{}”对书页没有意义，已忽略", behavior));
    }
  }
  return page;
}

void Reader::placeholder(const std::string& path, const Canvas& canvas) {
  // A canvas painted with text alone (a transcription, a title page set in type) is a page of
  // text, not a missing scan: the kiosk sets its text on the blank leaf.
  if (std::ranges::any_of(canvas.texts, [](const TextAnnotation& text) { return text.motivation == "painting" && !text.value.empty(); })) {
    note(path, "this page is text without an image; its text is shown on a blank page", "此页只有文字、没有图像；其文字显示在空白页上");
    return;
  }
  warning(path, "this page has no image; it is shown as a blank placeholder page so that none goes missing",
          "此页没有图像；将显示为空白占位页，以免缺页");
}

bool Reader::multi_part(const json& root, std::string_view type_path, std::string_view key) {
  const std::vector<std::string> values = behaviors(root, "", key);
  if (std::ranges::find(values, "multi-part") != values.end()) return true;
  error(std::string(type_path), "this is a collection of manifests, not one book; name one of its manifests instead",
        "这是清单的集合，而不是一本书；请改为指定其中的一个清单");
  return false;
}

void Reader::volume(const json& item, const std::string& path, Member kind, std::vector<Volume>& volumes) {
  if (!item.is_object()) {
    error(path, "a volume must be a manifest { \"id\": …, \"type\": \"Manifest\" }",
          "分册必须是清单 { \"id\": …, \"type\": \"Manifest\" }");
    return;
  }
  if (kind == Member::collection) {
    warning(path,
            fmt::format("the collection {} within this multi-part collection is left out: only manifests are read as "
                        "its volumes; name that collection itself to read it",
                        id_of(item)),
            fmt::format("此多部分集合中的集合 {} 已略去：只有清单才作为分册读取；如需读取，请直接指定该集合", id_of(item)));
    return;
  }
  if (kind == Member::other) {
    warning(path, fmt::format("a '{}' is not a volume (a manifest) and is left out", type_of(item)),
            fmt::format("“{}”不是分册（清单），已略去", type_of(item)));
    return;
  }
  Volume volume{id_of(item), language_map(item, path, "label"), path};
  if (volume.id.empty()) {
    error(join(path, "id"), "a volume needs the id of its manifest: where it is read from",
          "分册需要其清单的 id：从那里读取它");
    return;
  }
  volumes.push_back(std::move(volume));
}

MultiPartCollection Reader::collection(Manifest described, std::optional<book::ViewingDirection> direction,
                                       std::vector<Volume> volumes, std::string_view items_path) {
  if (volumes.empty()) {
    error(std::string(items_path), "this multi-part collection names no manifests; a book needs at least one volume",
          "此多部分集合没有列出任何清单；一本书至少需要一个分册");
  }
  MultiPartCollection collection;
  collection.presentation_version = described.presentation_version;
  collection.id = std::move(described.id);
  collection.label = std::move(described.label);
  collection.summary = std::move(described.summary);
  collection.metadata = std::move(described.metadata);
  collection.required_statement = std::move(described.required_statement);
  collection.rights = std::move(described.rights);
  collection.provider = std::move(described.provider);
  collection.viewing_direction = direction;
  collection.volumes = std::move(volumes);
  return collection;
}

}  // namespace pavilion::iiif::detail
