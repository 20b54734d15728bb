// Reading the JSON files people write (a curator's scene.json, an operator's kiosk.json, a
// scripted visit): every problem becomes a finding with its file, its place (a JSON path such as
// "exhibits[2].metadata.title.en", or a line and column) and a sentence in English and Chinese
// that says what to change. Reading goes on after a problem, so one pass reports them all.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/core/file.h"
#include "pavilion/core/localized_text.h"

#include <fmt/format.h>
#include <fmt/std.h>

#include <glm/glm.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pavilion::checking {

struct Finding {
  enum class Severity { error, warning, note };  // a note is for information and needs no change
  Severity severity = Severity::error;
  std::filesystem::path file;
  std::string location;    // "exhibits[2].metadata.title.en", or "line 4, column 9"
  std::string message;     // a sentence a person can act on, in English
  std::string message_zh;  // the same sentence in Chinese
  std::string describe(bool chinese = false) const;
};

bool has_errors(const std::vector<Finding>& findings);

// As parse_json, and the document must be one object { … }; `expectation` says what it holds, in
// English and Chinese ("kiosk.json must hold one object { … }").
std::optional<nlohmann::json> parse_json_object(std::string_view text, const std::filesystem::path& file,
                                                std::vector<Finding>& findings, std::string_view expectation,
                                                std::string_view expectation_zh);

// One error for a file that could not be used: "N problems to fix:" and each error finding on
// its own line, in English and then in Chinese.
Error findings_error(std::string what, const std::vector<Finding>& findings);

// Reads `file` and parses it with `parse` (text, file, findings → optional result); fails with
// every error found.
template <class Parse>
auto read_json_file(const std::filesystem::path& file, Parse parse)
    -> Result<typename std::invoke_result_t<Parse, std::string_view, const std::filesystem::path&,
                                            std::vector<Finding>&>::value_type>;

// Parses `text`; on malformed JSON records an error at its line and column and returns nothing.
std::optional<nlohmann::json> parse_json(std::string_view text, const std::filesystem::path& file,
                                         std::vector<Finding>& findings);

// Walks a parsed document, recording findings with their JSON paths. Each *_field reads
// object[key] at `path`; an absent optional field gives nothing and no finding.
class JsonChecker {
 public:
  using json = nlohmann::json;

  JsonChecker(std::filesystem::path file, std::vector<Finding>& findings);

  void error(const std::string& path, std::string english, std::string chinese);
  void warning(const std::string& path, std::string english, std::string chinese);
  bool has_errors() const;

  // Fields a person may have misspelt: anything not in `known` is reported with a suggestion.
  void check_fields(const json& object, const std::string& path, std::initializer_list<std::string_view> known);
  static std::string join(const std::string& path, std::string_view key);

  std::optional<std::string> string_field(const json& object, const std::string& path, std::string_view key,
                                          bool required);
  std::optional<double> number_field(const json& object, const std::string& path, std::string_view key, double low,
                                     double high);
  std::optional<bool> bool_field(const json& object, const std::string& path, std::string_view key);
  std::optional<glm::vec3> vector_field(const json& object, const std::string& path, std::string_view key,
                                        bool required);
  // "#rrggbb" (sRGB, as colour pickers give it) or [r, g, b] in linear light.
  std::optional<glm::vec3> color_field(const json& object, const std::string& path, std::string_view key);
  // {"zh-CN": "…", "en": "…"}: a missing language is a warning, a missing text an error when required.
  // Where `plain` allows it, a plain string stands for every language (a date such as
  // "1127–1279"); one that holds words is a warning, since a visitor would read it untranslated.
  enum class PlainText { refused, allowed_when_language_neutral };
  LocalizedText text_field(const json& object, const std::string& path, std::string_view key, bool required,
                                  PlainText plain = PlainText::refused);
  // A file named relative to `directory`, which must exist.
  std::filesystem::path file_field(const json& object, const std::string& path, std::string_view key,
                                   const std::filesystem::path& directory);

 private:
  static size_t edit_distance(std::string_view a, std::string_view b);

  std::filesystem::path file_;
  std::vector<Finding>& findings_;
};

template <class Parse>
auto read_json_file(const std::filesystem::path& file, Parse parse)
    -> Result<typename std::invoke_result_t<Parse, std::string_view, const std::filesystem::path&,
                                            std::vector<Finding>&>::value_type> {
  PV_TRY_ASSIGN(const auto bytes, read_file(file));
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::vector<Finding> findings;
  auto parsed = parse(text, file, findings);
  if (!parsed) return findings_error(fmt::format("reading {}", file), findings);
  return std::move(*parsed);
}

}  // namespace pavilion::checking
