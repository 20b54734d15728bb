#include "pavilion/page_text/page_text.h"

#include <fmt/format.h>

namespace pavilion::page_text {
namespace {

// Text as an XML attribute's value.
std::string attribute(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\n': escaped += "&#10;"; break;
      case '\t': escaped += "&#9;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string box(const Region& region) {
  return fmt::format(R"(HPOS="{}" VPOS="{}" WIDTH="{}" HEIGHT="{}")", region.x, region.y, region.width, region.height);
}

std::string language(std::string_view bcp47) {
  return bcp47.empty() ? std::string() : fmt::format(R"( LANG="{}")", attribute(bcp47));
}

}  // namespace

std::string write_alto(const PageText& page) {
  std::string xml = fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Layout>
    <Page ID="page" WIDTH="{}" HEIGHT="{}" PHYSICAL_IMG_NR="1">
      <PrintSpace>
)",
                                page.size.width, page.size.height);
  size_t blocks = 0;
  for (size_t index = 0; index < page.lines.size(); ++index) {
    const Line& line = page.lines[index];
    // A block holds lines of one direction: read_alto settles a block's direction by its lines.
    const bool opens_block = index == 0 || page.lines[index - 1].direction != line.direction;
    if (opens_block) {
      if (index > 0) xml += "        </TextBlock>\n";
      xml += fmt::format("        <TextBlock ID=\"block{}\">\n", ++blocks);
    }
    xml += fmt::format("          <TextLine ID=\"line{}\" {}{}>\n", index + 1, box(line.region), language(line.language));
    if (line.words.empty()) {
      xml += fmt::format("            <String CONTENT=\"{}\" {}/>\n", attribute(line.text), box(line.region));
    }
    for (size_t at = 0; at < line.words.size(); ++at) {
      const Word& word = line.words[at];
      if (at > 0) xml += "            <SP/>\n";
      const std::string confidence = word.confidence ? fmt::format(R"( WC="{:.3f}")", *word.confidence) : std::string();
      xml += fmt::format("            <String CONTENT=\"{}\" {}{}/>\n", attribute(word.text), box(word.region), confidence);
    }
    xml += "          </TextLine>\n";
  }
  if (blocks > 0) xml += "        </TextBlock>\n";
  xml += "      </PrintSpace>\n    </Page>\n  </Layout>\n</alto>\n";
  return xml;
}

}  // namespace pavilion::page_text
