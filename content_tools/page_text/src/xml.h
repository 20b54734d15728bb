// The one place expat is used: a bounded walk over an XML document that hands each element to a
// reader (ALTO, hOCR) with its line, and turns a fault anywhere into one error sentence.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/page_text/page_text.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pavilion::page_text::detail {

// What is wrong, and where: the line, the element and (when one is at fault) its attribute.
struct Fault {
  uint64_t line = 0;
  std::string element;    // the local name: "String", "span"
  std::string attribute;  // "HPOS", "title bbox"; empty when the element itself is at fault
  std::string english;    // a sentence a curator can act on
  std::string chinese;
};

// An element's attributes, by local name (a namespace prefix is dropped). Valid during start().
class Attributes {
 public:
  explicit Attributes(const char** pairs) : pairs_(pairs) {}
  std::optional<std::string_view> find(std::string_view name) const;

 private:
  const char** pairs_;
};

class XmlReader {
 public:
  virtual ~XmlReader() = default;
  // A fault returned stops the walk. `name` is the local name, without its namespace.
  virtual std::optional<Fault> start(std::string_view name, const Attributes& attributes, uint64_t line) = 0;
  virtual std::optional<Fault> end(std::string_view name, uint64_t line) = 0;
  // Character data, possibly in several pieces for one run of text.
  virtual void text(std::string_view piece) = 0;
};

// Walks `document`, refusing one nested deeper, with more elements or more text than `limits`
// allow, or that declares entities (nothing outside the file is ever read).
std::optional<Fault> walk_xml(std::string_view document, XmlReader& reader, const ReadLimits& limits);

// The error for a fault in `file`, a `kind` ("ALTO", "hOCR") file, in English and Chinese.
Error fault_error(const std::filesystem::path& file, std::string_view kind, const Fault& fault);

// The start of a value quoted in a sentence (40 bytes, cut at a whole UTF-8 character).
std::string excerpt(std::string_view value);

// A number attribute that must be there: a fault naming the element and attribute when it is
// absent or not a finite number within 0 … 10^7 (±10^7 with `allow_negative`).
std::optional<Fault> number_attribute(const Attributes& attributes, std::string_view element, std::string_view name,
                                      uint64_t line, bool allow_negative, double& out);

}  // namespace pavilion::page_text::detail
