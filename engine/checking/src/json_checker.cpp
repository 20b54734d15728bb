#include "pavilion/checking/json_checker.h"

#include "pavilion/core/image.h"
#include "pavilion/core/utf8.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <regex>

namespace pavilion::checking {
namespace {

std::string line_and_column(std::string_view text, size_t byte) {
  size_t line = 1;
  size_t column = 1;
  for (size_t index = 0; index < std::min(byte, text.size()); ++index) {
    if (text[index] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[index]) & 0xc0) != 0x80) {
      ++column;  // count characters, not the continuation bytes of UTF-8
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

}  // namespace

std::string Finding::describe(bool chinese) const {
  const char* level = severity == Severity::error     ? (chinese ? "错误" : "error")
                      : severity == Severity::warning ? (chinese ? "警告" : "warning")
                                                      : (chinese ? "提示" : "note");
  return fmt::format("{}: {}: {}: {}", file.string(), location, level, chinese ? message_zh : message);
}

bool has_errors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& finding) { return finding.severity == Finding::Severity::error; });
}

Error findings_error(std::string what, const std::vector<Finding>& findings) {
  std::string why;
  size_t errors = 0;
  for (const Finding& finding : findings) {
    if (finding.severity != Finding::Severity::error) continue;
    // Both languages: the error travels as one value, and its reader may read either.
    why += "\n  " + finding.describe() + "\n  " + finding.describe(true);
    ++errors;
  }
  return Error(ErrorCode::invalid_input, std::move(what),
               fmt::format("{} problem{} to fix:{}", errors, errors == 1 ? "" : "s", why));
}

std::optional<nlohmann::json> parse_json(std::string_view text, const std::filesystem::path& file,
                                         std::vector<Finding>& findings) {

  JsonChecker check(file, findings);
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    std::string what = error.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line 3, column 7: …";
    // the location is given separately, so keep only the reason.
    if (const size_t colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    check.error(line_and_column(text, error.byte == 0 ? 0 : error.byte - 1),
                fmt::format("this is not valid JSON ({}); look for a missing comma, quote or bracket just before", what),
                "这不是有效的 JSON；请检查此处之前是否缺少逗号、引号或括号");
    return std::nullopt;
  } catch (const nlohmann::json::out_of_range& error) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e999'": the number is the place.
    const std::string what = error.what();
    const size_t open = what.find('\'');
    const std::string number = open == std::string::npos ? "" : what.substr(open + 1, what.rfind('\'') - open - 1);
    const size_t at = number.empty() ? std::string_view::npos : text.find(number);
    check.error(line_and_column(text, at == std::string_view::npos ? 0 : at),
                fmt::format("the number {} is too large; write it in metres, degrees or seconds as a plain decimal", number),
                fmt::format("数字 {} 太大；请以米、度或秒为单位写成普通小数", number));
    return std::nullopt;
  }
  return root;
}

std::optional<nlohmann::json> parse_json_object(std::string_view text, const std::filesystem::path& file,
                                                std::vector<Finding>& findings, std::string_view expectation,
                                                std::string_view expectation_zh) {
  std::optional<nlohmann::json> parsed = parse_json(text, file, findings);
  if (parsed && !parsed->is_object()) {
    findings.push_back({Finding::Severity::error, file, "(top)", std::string(expectation), std::string(expectation_zh)});
    return std::nullopt;
  }
  return parsed;
}

JsonChecker::JsonChecker(std::filesystem::path file, std::vector<Finding>& findings)
    : file_(std::move(file)), findings_(findings) {}

void JsonChecker::error(const std::string& path, std::string english, std::string chinese) {
  findings_.push_back({Finding::Severity::error, file_, path, std::move(english), std::move(chinese)});
}

void JsonChecker::warning(const std::string& path, std::string english, std::string chinese) {
  findings_.push_back({Finding::Severity::warning, file_, path, std::move(english), std::move(chinese)});
}

bool JsonChecker::has_errors() const { return checking::has_errors(findings_); }

void JsonChecker::check_fields(const json& object, const std::string& path, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    if (key == "$schema" || key == "comment") continue;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string_view closest;
    size_t best = SIZE_MAX;
    for (std::string_view candidate : known) {
      const size_t distance = edit_distance(key, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    const std::string field = join(path, key);
    if (best <= 2) {
      warning(field, fmt::format("'{}' is not a field here and is ignored; did you mean '{}'?", key, closest),
              fmt::format("“{}”不是此处的字段，已被忽略；是否想写“{}”？", key, closest));
    } else {
      warning(field, fmt::format("'{}' is not a field here and is ignored", key),
              fmt::format("“{}”不是此处的字段，已被忽略", key));
    }
  }
}

std::string JsonChecker::join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::optional<std::string> JsonChecker::string_field(const json& object, const std::string& path, std::string_view key,
                                        bool required) {
  const std::string field = join(path, key);
  const auto found = object.find(key);
  if (found == object.end()) {
    if (required) error(field, "this field is required", "此字段为必填项");
    return std::nullopt;
  }
  if (!found->is_string()) {
    error(field, "must be text in quotes", "必须是带引号的文本");
    return std::nullopt;
  }
  return found->get<std::string>();
}

std::optional<double> JsonChecker::number_field(const json& object, const std::string& path, std::string_view key, double low,
                                   double high) {
  const std::string field = join(path, key);
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (!found->is_number()) {
    error(field, "must be a number", "必须是数字");
    return std::nullopt;
  }
  const double value = found->get<double>();
  if (!std::isfinite(value) || value < low || value > high) {
    error(field, fmt::format("must lie between {} and {}; it is {}", low, high, value),
          fmt::format("必须在 {} 与 {} 之间；当前为 {}", low, high, value));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> JsonChecker::bool_field(const json& object, const std::string& path, std::string_view key) {
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (!found->is_boolean()) {
    error(join(path, key), "must be true or false", "必须是 true 或 false");
    return std::nullopt;
  }
  return found->get<bool>();
}

std::optional<glm::vec3> JsonChecker::vector_field(const json& object, const std::string& path, std::string_view key,
                                      bool required) {
  const std::string field = join(path, key);
  const auto found = object.find(key);
  if (found == object.end()) {
    if (required) error(field, "this field is required: three numbers [x, y, z] in metres", "此字段为必填项：三个数字 [x, y, z]，单位为米");
    return std::nullopt;
  }
  if (!found->is_array() || found->size() != 3 ||
      !std::all_of(found->begin(), found->end(), [](const json& value) { return value.is_number(); })) {
    error(field, "must be three numbers [x, y, z]", "必须是三个数字 [x, y, z]");
    return std::nullopt;
  }
  glm::vec3 vector;
  for (int axis = 0; axis < 3; ++axis) vector[axis] = (*found)[static_cast<size_t>(axis)].get<float>();
  if (!std::isfinite(vector.x) || !std::isfinite(vector.y) || !std::isfinite(vector.z) ||
      glm::length(vector) > 1e5f) {
    error(field, "must be three numbers within 100 km of the origin", "必须是距原点 100 公里以内的三个数字");
    return std::nullopt;
  }
  return vector;
}

std::optional<glm::vec3> JsonChecker::color_field(const json& object, const std::string& path, std::string_view key) {
  const std::string field = join(path, key);
  const auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (found->is_string()) {
    const std::string text = found->get<std::string>();
    static const std::regex hex("#[0-9a-fA-F]{6}");
    if (!std::regex_match(text, hex)) {
      error(field, "must be a colour like \"#e8d8b0\"", "必须是形如 \"#e8d8b0\" 的颜色");
      return std::nullopt;
    }
    glm::vec3 color;
    for (int channel = 0; channel < 3; ++channel) {
      const auto value = static_cast<uint8_t>(std::stoi(text.substr(1 + 2 * static_cast<size_t>(channel), 2), nullptr, 16));
      color[channel] = srgb_to_linear(value);
    }
    return color;
  }
  return vector_field(object, path, key, false);
}

namespace {

// Letters of a language (Latin, Greek, Cyrillic, kana, hangul, CJK ideographs), as opposed to
// digits, punctuation, dashes and spaces, which read the same to every visitor.
bool holds_words(std::string_view text) {
  const auto code_points = decode_utf8(text);
  if (!code_points) return true;  // not known to be neutral
  return std::ranges::any_of(*code_points, [](char32_t c) {
    return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || (c >= 0xC0 && c <= 0x52F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000;
  });
}

}  // namespace

LocalizedText JsonChecker::text_field(const json& object, const std::string& path, std::string_view key, bool required,
                                             PlainText plain) {
  const std::string field = join(path, key);
  LocalizedText text;
  const auto found = object.find(key);
  if (found == object.end()) {
    if (required) {
      error(field, "this text is required, in Chinese and English: {\"zh-CN\": \"…\", \"en\": \"…\"}",
            "此文本为必填项，需中英文：{\"zh-CN\": \"…\", \"en\": \"…\"}");
    }
    return text;
  }
  if (found->is_string() && plain == PlainText::allowed_when_language_neutral) {
    text.en = string_field(object, path, key, false).value_or("");
    text.zh_cn = text.en;
    if (holds_words(text.en)) {
      warning(field,
              fmt::format("'{}' is shown as it is in every language; give it in Chinese and English: "
                          "{{\"zh-CN\": \"…\", \"en\": \"…\"}}", text.en),
              fmt::format("“{}”在所有语言中都按原样显示；请给出中英文：{{\"zh-CN\": \"…\", \"en\": \"…\"}}", text.en));
    }
    return text;
  }
  if (!found->is_object()) {
    error(field, "must give the text in Chinese and English: {\"zh-CN\": \"…\", \"en\": \"…\"}",
          "必须给出中英文文本：{\"zh-CN\": \"…\", \"en\": \"…\"}");
    return text;
  }
  check_fields(*found, field, {"zh-CN", "en"});
  text.zh_cn = string_field(*found, field, "zh-CN", false).value_or("");
  text.en = string_field(*found, field, "en", false).value_or("");
  if (text.zh_cn.empty()) warning(join(field, "zh-CN"), "the Chinese text is missing", "缺少中文文本");
  if (text.en.empty()) warning(join(field, "en"), "the English text is missing", "缺少英文文本");
  return text;
}

std::filesystem::path JsonChecker::file_field(const json& object, const std::string& path, std::string_view key,
                                  const std::filesystem::path& directory) {
  const auto name = string_field(object, path, key, true);
  if (!name) return {};
  const std::filesystem::path asset = directory / *name;
  std::error_code error_code;
  if (!std::filesystem::is_regular_file(asset, error_code)) {
    error(join(path, key), fmt::format("the file '{}' does not exist (paths are relative to the scene's folder)", *name),
          fmt::format("文件“{}”不存在（路径相对于场景文件夹）", *name));
    return {};
  }
  return asset;
}

size_t JsonChecker::edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace pavilion::checking
