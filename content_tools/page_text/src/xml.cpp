#include "xml.h"

#include "pavilion/checking/json_checker.h"

#include <expat.h>
#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace pavilion::page_text::detail {
namespace {

// expat names an element of a namespace "uri|local" (the separator given at its creation); a
// prefixed name without a declared namespace stays "prefix:local".
std::string_view local_name(std::string_view name) {
  const size_t cut = name.find_last_of("|:");
  return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

struct Walk {
  XML_Parser parser = nullptr;
  XmlReader* reader = nullptr;
  const ReadLimits* limits = nullptr;
  std::vector<std::string> open;  // the elements around the current point, outermost first
  size_t elements = 0;
  size_t text_bytes = 0;
  std::optional<Fault> fault;

  uint64_t line() const { return XML_GetCurrentLineNumber(parser); }
  void stop(Fault found) {
    if (!fault) fault = std::move(found);
    XML_StopParser(parser, XML_FALSE);
  }
};

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& walk = *static_cast<Walk*>(data);
  if (walk.fault) return;
  const std::string_view local = local_name(name);
  if (walk.open.size() >= walk.limits->element_depth) {
    return walk.stop({walk.line(), std::string(local), "",
                      fmt::format("elements are nested more than {} deep, more than a page's text ever needs; the "
                                  "file is damaged or not page text",
                                  walk.limits->element_depth),
                      fmt::format("元素嵌套超过 {} 层，页面文字不会需要这么深；文件已损坏或不是页面文字",
                                  walk.limits->element_depth)});
  }
  if (++walk.elements > walk.limits->elements) {
    return walk.stop({walk.line(), std::string(local), "",
                      fmt::format("the file holds more than {} elements, more than one page's text; split it by page",
                                  walk.limits->elements),
                      fmt::format("文件中的元素超过 {} 个，多于一页的文字；请按页拆分", walk.limits->elements)});
  }
  walk.open.emplace_back(local);
  if (auto found = walk.reader->start(local, Attributes(attributes), walk.line())) walk.stop(std::move(*found));
}

void XMLCALL on_end(void* data, const XML_Char* name) {
  auto& walk = *static_cast<Walk*>(data);
  if (walk.fault) return;
  if (auto found = walk.reader->end(local_name(name), walk.line())) return walk.stop(std::move(*found));
  walk.open.pop_back();
}

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto& walk = *static_cast<Walk*>(data);
  if (walk.fault) return;
  walk.text_bytes += static_cast<size_t>(length);
  if (walk.text_bytes > walk.limits->text_bytes) {
    return walk.stop({walk.line(), walk.open.empty() ? "" : walk.open.back(), "",
                      fmt::format("the file holds more than {} MiB of text, more than one page's; split it by page",
                                  walk.limits->text_bytes >> 20),
                      fmt::format("文件中的文字超过 {} MiB，多于一页；请按页拆分", walk.limits->text_bytes >> 20)});
  }
  walk.reader->text(std::string_view(text, static_cast<size_t>(length)));
}

// Entities could make a small file expand without bound, or read other files: none is needed for
// page text, so a declaration of one ends the walk.
void XMLCALL on_entity_declaration(void* data, const XML_Char* name, int, const XML_Char*, int, const XML_Char*,
                                   const XML_Char*, const XML_Char*, const XML_Char*) {
  auto& walk = *static_cast<Walk*>(data);
  walk.stop({walk.line(), walk.open.empty() ? "" : walk.open.back(), "",
             fmt::format("the file declares the entity '{}'; page text needs no entities, and Pavilion reads none",
                         excerpt(name)),
             fmt::format("文件声明了实体“{}”；页面文字不需要实体，Pavilion 不读取实体", excerpt(name))});
}

}  // namespace

std::string excerpt(std::string_view value) {
  constexpr size_t longest = 40;
  if (value.size() <= longest) return std::string(value);
  size_t cut = longest;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return std::string(value.substr(0, cut)) + "…";
}

std::optional<std::string_view> Attributes::find(std::string_view name) const {
  for (const char** pair = pairs_; pair && *pair; pair += 2) {
    if (local_name(pair[0]) == name) return std::string_view(pair[1]);
  }
  return std::nullopt;
}

std::optional<Fault> walk_xml(std::string_view document, XmlReader& reader, const ReadLimits& limits) {
  const std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreateNS(nullptr, '|'),
                                                                            &XML_ParserFree);
  if (!parser) return Fault{0, "", "", "there was no memory to start reading it", "没有足够的内存开始读取"};
  Walk walk;
  walk.parser = parser.get();
  walk.reader = &reader;
  walk.limits = &limits;
  XML_SetUserData(parser.get(), &walk);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetEntityDeclHandler(parser.get(), on_entity_declaration);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  // expat takes at most INT_MAX bytes a call.
  constexpr size_t piece = size_t{1} << 20;
  size_t offset = 0;
  do {
    const size_t length = std::min(piece, document.size() - offset);
    const bool last = offset + length == document.size();
    if (XML_Parse(parser.get(), document.data() + offset, static_cast<int>(length), last) != XML_STATUS_OK) {
      if (walk.fault) return walk.fault;
      const XML_Error code = XML_GetErrorCode(parser.get());
      const std::string reason = XML_ErrorString(code);
      const uint64_t line = XML_GetCurrentLineNumber(parser.get());
      if (walk.open.empty()) {
        return Fault{line, "", "", fmt::format("it is not well-formed XML ({})", reason),
                     fmt::format("不是格式正确的 XML（{}）", reason)};
      }
      const std::string& inside = walk.open.back();
      if (last && (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
                   code == XML_ERROR_PARTIAL_CHAR || code == XML_ERROR_UNCLOSED_CDATA_SECTION)) {
        return Fault{
            line, inside, "",
            fmt::format("the file ends inside <{}> ({}): it was cut short; copy or export it again", inside, reason),
            fmt::format("文件在 <{}> 内部结束（{}）：文件不完整；请重新复制或导出", inside, reason)};
      }
      return Fault{line, inside, "", fmt::format("it is not well-formed XML inside <{}> ({})", inside, reason),
                   fmt::format("<{}> 内的 XML 格式不正确（{}）", inside, reason)};
    }
    offset += length;
  } while (offset < document.size());
  return walk.fault;
}

Error fault_error(const std::filesystem::path& file, std::string_view kind, const Fault& fault) {
  std::string where = fmt::format("line {}", fault.line);
  if (!fault.element.empty()) where += fmt::format(", <{}>", fault.element);
  if (!fault.attribute.empty()) where += fmt::format(" attribute {}", fault.attribute);
  checking::Finding finding;
  finding.file = file;
  finding.location = std::move(where);
  finding.message = fault.english;
  finding.message_zh = fault.chinese;
  return checking::findings_error(fmt::format("reading the {} page text {}", kind, file), {finding});
}

std::optional<Fault> number_attribute(const Attributes& attributes, std::string_view element, std::string_view name,
                                      uint64_t line, bool allow_negative, double& out) {
  const auto text = attributes.find(name);
  if (!text) {
    return Fault{line, std::string(element), std::string(name),
                 fmt::format("<{}> has no {}, which says where it is on the page; add it", element, name),
                 fmt::format("<{}> 缺少 {}，它说明元素在页面上的位置；请补上", element, name)};
  }
  constexpr double bound = 1e7;
  double value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || !std::isfinite(value) ||
      value < (allow_negative ? -bound : 0.0) || value > bound) {
    return Fault{
        line, std::string(element), std::string(name),
        fmt::format("{} is \"{}\", which is not a {}number of the page's units up to 10000000", name, excerpt(*text),
                    allow_negative ? "" : "non-negative "),
        fmt::format("{} 为“{}”，不是不超过 10000000 的{}数值", name, excerpt(*text), allow_negative ? "" : "非负")};
  }
  out = value;
  return std::nullopt;
}

}  // namespace pavilion::page_text::detail
