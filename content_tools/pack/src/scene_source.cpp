#include "pavilion/pack/scene_source.h"

#include "pavilion/core/file.h"
#include "pavilion/core/image.h"

#include <fmt/format.h>
#include <fmt/std.h>
#include <glm/gtc/matrix_transform.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <regex>
#include <set>

namespace pavilion::pack {
namespace {

using nlohmann::json;

// Walks a parsed scene.json, recording findings with their JSON paths.
class Checker {
 public:
  Checker(std::filesystem::path file, std::vector<Finding>& findings) : file_(std::move(file)), findings_(findings) {}

  void error(const std::string& path, std::string english, std::string chinese) {
    findings_.push_back({Finding::Severity::error, file_, path, std::move(english), std::move(chinese)});
  }
  void warning(const std::string& path, std::string english, std::string chinese) {
    findings_.push_back({Finding::Severity::warning, file_, path, std::move(english), std::move(chinese)});
  }
  bool has_errors() const {
    return std::any_of(findings_.begin(), findings_.end(),
                       [](const Finding& finding) { return finding.severity == Finding::Severity::error; });
  }

  // Fields a curator may have misspelt: anything not in `known` is reported with a suggestion.
  void check_fields(const json& object, const std::string& path, std::initializer_list<std::string_view> known) {
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

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  std::optional<std::string> string_field(const json& object, const std::string& path, std::string_view key,
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

  std::optional<double> number_field(const json& object, const std::string& path, std::string_view key, double low,
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

  std::optional<bool> bool_field(const json& object, const std::string& path, std::string_view key) {
    const auto found = object.find(key);
    if (found == object.end()) return std::nullopt;
    if (!found->is_boolean()) {
      error(join(path, key), "must be true or false", "必须是 true 或 false");
      return std::nullopt;
    }
    return found->get<bool>();
  }

  std::optional<glm::vec3> vector_field(const json& object, const std::string& path, std::string_view key,
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

  // "#rrggbb" (sRGB, as colour pickers give it) or [r, g, b] in linear light.
  std::optional<glm::vec3> color_field(const json& object, const std::string& path, std::string_view key) {
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

  // {"zh-CN": "…", "en": "…"}; a missing language is a warning (lint), a missing text an error
  // when required.
  scene::LocalizedText text_field(const json& object, const std::string& path, std::string_view key, bool required) {
    const std::string field = join(path, key);
    scene::LocalizedText text;
    const auto found = object.find(key);
    if (found == object.end()) {
      if (required) {
        error(field, "this text is required, in Chinese and English: {\"zh-CN\": \"…\", \"en\": \"…\"}",
              "此文本为必填项，需中英文：{\"zh-CN\": \"…\", \"en\": \"…\"}");
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

  std::filesystem::path asset_field(const json& object, const std::string& path, std::string_view key,
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

 private:
  static size_t edit_distance(std::string_view a, std::string_view b) {
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

  std::filesystem::path file_;
  std::vector<Finding>& findings_;
};

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

scene::ExhibitKind parse_kind(Checker& check, const json& exhibit, const std::string& path, bool& known) {
  static constexpr std::array<std::pair<std::string_view, scene::ExhibitKind>, 6> kinds{{
      {"model", scene::ExhibitKind::model},
      {"panel", scene::ExhibitKind::panel},
      {"hotspot", scene::ExhibitKind::hotspot},
      {"audio", scene::ExhibitKind::audio},
      {"book", scene::ExhibitKind::book},
      {"poem", scene::ExhibitKind::poem},
  }};
  known = false;
  const auto kind = check.string_field(exhibit, path, "kind", true);
  if (!kind) return scene::ExhibitKind::model;
  for (const auto& [name, value] : kinds) {
    if (*kind == name) {
      known = true;
      if (value == scene::ExhibitKind::book || value == scene::ExhibitKind::poem) {
        check.error(Checker::join(path, "kind"),
                    fmt::format("'{}' exhibits are not supported by this version of pavilion-pack yet", *kind),
                    fmt::format("此版本的 pavilion-pack 尚不支持“{}”类展品", *kind));
      }
      return value;
    }
  }
  check.error(Checker::join(path, "kind"),
              fmt::format("'{}' is not a kind of exhibit; use model, panel, hotspot or audio", *kind),
              fmt::format("“{}”不是展品类型；请使用 model、panel、hotspot 或 audio", *kind));
  return scene::ExhibitKind::model;
}

void parse_exhibit(Checker& check, const json& exhibit, const std::string& path, const std::filesystem::path& directory,
                   std::set<std::string>& ids, SceneSource& source) {
  if (!exhibit.is_object()) {
    check.error(path, "each exhibit must be an object { … }", "每个展品必须是一个对象 { … }");
    return;
  }
  check.check_fields(exhibit, path,
                     {"id", "kind", "position", "rotation", "scale", "metadata", "alt_text", "model", "image", "size",
                      "text", "radius", "sound", "loop", "volume"});
  ExhibitSource out;
  out.json_path = path;
  out.id = check.string_field(exhibit, path, "id", true).value_or("");
  static const std::regex id_pattern("[a-z0-9][a-z0-9_-]{0,63}");
  if (!out.id.empty() && !std::regex_match(out.id, id_pattern)) {
    check.error(Checker::join(path, "id"), "must be lowercase letters, digits, '-' or '_', at most 64",
                "只能由小写字母、数字、“-”或“_”组成，最多 64 个");
  } else if (!out.id.empty() && !ids.insert(out.id).second) {
    check.error(Checker::join(path, "id"), fmt::format("another exhibit already has the id '{}'", out.id),
                fmt::format("已有展品使用标识“{}”", out.id));
  }
  bool known_kind = false;
  out.kind = parse_kind(check, exhibit, path, known_kind);
  out.placement.position = check.vector_field(exhibit, path, "position", true).value_or(glm::vec3(0.0f));
  out.placement.rotation_degrees = check.vector_field(exhibit, path, "rotation", false).value_or(glm::vec3(0.0f));
  out.placement.scale = static_cast<float>(check.number_field(exhibit, path, "scale", 1e-4, 1e4).value_or(1.0));

  const std::string metadata_path = Checker::join(path, "metadata");
  if (const auto metadata = exhibit.find("metadata"); metadata == exhibit.end() || !metadata->is_object()) {
    check.error(metadata_path, "every exhibit needs its Dublin Core metadata: at least a title in Chinese and English",
                "每个展品都需要都柏林核心元数据：至少包括中英文标题");
  } else {
    check.check_fields(*metadata, metadata_path,
                       {"title", "creator", "date", "description", "rights", "identifier", "language"});
    scene::DublinCore& dc = out.metadata;
    dc.title = check.text_field(*metadata, metadata_path, "title", true);
    dc.creator = check.text_field(*metadata, metadata_path, "creator", false);
    dc.description = check.text_field(*metadata, metadata_path, "description", false);
    dc.rights = check.text_field(*metadata, metadata_path, "rights", false);
    dc.date = check.string_field(*metadata, metadata_path, "date", false).value_or("");
    dc.identifier = check.string_field(*metadata, metadata_path, "identifier", false).value_or("");
    dc.language = check.string_field(*metadata, metadata_path, "language", false).value_or("");
    if (dc.rights.zh_cn.empty() && dc.rights.en.empty()) {
      check.warning(Checker::join(metadata_path, "rights"),
                    "no rights statement: say who holds the rights, or that the work is in the public domain",
                    "缺少权利声明：请注明权利所有者，或说明作品属于公有领域");
    }
  }
  out.alt_text = check.text_field(exhibit, path, "alt_text", false);
  if (out.alt_text.zh_cn.empty() && out.alt_text.en.empty()) {
    check.warning(Checker::join(path, "alt_text"),
                  "no alt text: blind and low-vision visitors will hear nothing about this exhibit",
                  "缺少替代文本：盲人和低视力观众将听不到关于此展品的任何介绍");
  }

  if (known_kind) {
    switch (out.kind) {
      case scene::ExhibitKind::model: out.model = check.asset_field(exhibit, path, "model", directory); break;
      case scene::ExhibitKind::panel: {
        out.image = check.asset_field(exhibit, path, "image", directory);
        out.panel_text = check.text_field(exhibit, path, "text", false);
        const auto size = exhibit.find("size");
        if (size == exhibit.end() || !size->is_array() || size->size() != 2 || !(*size)[0].is_number() ||
            !(*size)[1].is_number() || (*size)[0].get<double>() <= 0 || (*size)[1].get<double>() <= 0 ||
            (*size)[0].get<double>() > 100 || (*size)[1].get<double>() > 100) {
          check.error(Checker::join(path, "size"), "a panel needs its size: [width, height] in metres, up to 100",
                      "展板需要尺寸：[宽, 高]，单位为米，最大 100");
        } else {
          out.panel_size = glm::vec2((*size)[0].get<float>(), (*size)[1].get<float>());
        }
        break;
      }
      case scene::ExhibitKind::hotspot:
        out.radius = static_cast<float>(check.number_field(exhibit, path, "radius", 0.01, 100.0).value_or(0.5));
        break;
      case scene::ExhibitKind::audio:
        out.sound = check.asset_field(exhibit, path, "sound", directory);
        out.loop = check.bool_field(exhibit, path, "loop").value_or(false);
        out.volume = static_cast<float>(check.number_field(exhibit, path, "volume", 0.0, 1.0).value_or(1.0));
        break;
      case scene::ExhibitKind::book:
      case scene::ExhibitKind::poem: break;
    }
  }
  source.exhibits.push_back(std::move(out));
}

}  // namespace

std::string Finding::describe(bool chinese) const {
  const char* level = severity == Severity::error     ? (chinese ? "错误" : "error")
                      : severity == Severity::warning ? (chinese ? "警告" : "warning")
                                                      : (chinese ? "提示" : "note");
  return fmt::format("{}: {}: {}: {}", file.string(), location, level, chinese ? message_zh : message);
}

scene::NodeTransform Placement::node_transform() const {
  const glm::quat yaw = glm::angleAxis(glm::radians(rotation_degrees.y), glm::vec3(0, 1, 0));
  const glm::quat pitch = glm::angleAxis(glm::radians(rotation_degrees.x), glm::vec3(1, 0, 0));
  const glm::quat roll = glm::angleAxis(glm::radians(rotation_degrees.z), glm::vec3(0, 0, 1));
  return {position, yaw * pitch * roll, glm::vec3(scale)};
}

std::optional<SceneSource> parse_scene_source(std::string_view text, const std::filesystem::path& file,
                                              std::vector<Finding>& findings) {
  Checker check(file, findings);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& error) {
    std::string what = error.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line 3, column 7: …";
    // the location is given separately, so keep only the reason.
    if (const size_t colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    check.error(line_and_column(text, error.byte == 0 ? 0 : error.byte - 1),
                fmt::format("this is not valid JSON ({}); look for a missing comma, quote or bracket just before", what),
                "这不是有效的 JSON；请检查此处之前是否缺少逗号、引号或括号");
    return std::nullopt;
  } catch (const json::out_of_range& error) {
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
  if (!root.is_object()) {
    check.error("(top)", "scene.json must hold one object { … }", "scene.json 必须包含一个对象 { … }");
    return std::nullopt;
  }
  SceneSource source;
  source.file = file;
  source.directory = file.parent_path();
  check.check_fields(root, "", {"id", "version", "title", "environment", "viewpoints", "camera_paths", "exhibits"});
  source.id = check.string_field(root, "", "id", true).value_or("");
  static const std::regex id_pattern("[a-z0-9][a-z0-9_-]{0,63}");
  if (!source.id.empty() && !std::regex_match(source.id, id_pattern)) {
    check.error("id", "must be lowercase letters, digits, '-' or '_', at most 64", "只能由小写字母、数字、“-”或“_”组成，最多 64 个");
  }
  source.version = check.string_field(root, "", "version", true).value_or("");
  source.title = check.text_field(root, "", "title", true);

  if (const auto environment = root.find("environment"); environment != root.end()) {
    if (!environment->is_object()) {
      check.error("environment", "must be an object { … }", "必须是一个对象 { … }");
    } else {
      check.check_fields(*environment, "environment", {"sky", "sun", "ambient", "exposure"});
      scene::Environment& env = source.environment;
      env.ambient_intensity = static_cast<float>(
          check.number_field(*environment, "environment", "ambient", 0.0, 10.0).value_or(env.ambient_intensity));
      env.exposure = static_cast<float>(
          check.number_field(*environment, "environment", "exposure", 0.01, 100.0).value_or(env.exposure));
      if (const auto sky = environment->find("sky"); sky != environment->end() && sky->is_object()) {
        check.check_fields(*sky, "environment.sky", {"zenith", "horizon", "ground"});
        env.sky_zenith = check.color_field(*sky, "environment.sky", "zenith").value_or(env.sky_zenith);
        env.sky_horizon = check.color_field(*sky, "environment.sky", "horizon").value_or(env.sky_horizon);
        env.ground = check.color_field(*sky, "environment.sky", "ground").value_or(env.ground);
      }
      if (const auto sun = environment->find("sun"); sun != environment->end() && sun->is_object()) {
        check.check_fields(*sun, "environment.sun", {"direction", "color", "intensity", "shadows"});
        scene::DirectionalLight& light = source.light;
        light.direction = check.vector_field(*sun, "environment.sun", "direction", false).value_or(light.direction);
        if (glm::length(light.direction) < 1e-3f) {
          check.error("environment.sun.direction", "must not be [0, 0, 0]: it is the way the sunlight travels",
                      "不能为 [0, 0, 0]：它表示阳光照射的方向");
        }
        light.color = check.color_field(*sun, "environment.sun", "color").value_or(light.color);
        light.intensity = static_cast<float>(
            check.number_field(*sun, "environment.sun", "intensity", 0.0, 100.0).value_or(light.intensity));
        light.casts_shadows = check.bool_field(*sun, "environment.sun", "shadows").value_or(light.casts_shadows);
      }
    }
  }

  const auto viewpoints = root.find("viewpoints");
  if (viewpoints == root.end() || !viewpoints->is_array() || viewpoints->empty()) {
    check.error("viewpoints", "at least one viewpoint is needed: where the visitor's view starts",
                "至少需要一个视点：观众视角的起点");
  } else {
    for (size_t index = 0; index < viewpoints->size(); ++index) {
      const json& viewpoint = (*viewpoints)[index];
      const std::string path = fmt::format("viewpoints[{}]", index);
      if (!viewpoint.is_object()) {
        check.error(path, "each viewpoint must be an object { … }", "每个视点必须是一个对象 { … }");
        continue;
      }
      check.check_fields(viewpoint, path, {"name", "position", "target", "fov"});
      scene::Viewpoint out;
      out.name = check.text_field(viewpoint, path, "name", false);
      out.position = check.vector_field(viewpoint, path, "position", true).value_or(out.position);
      out.target = check.vector_field(viewpoint, path, "target", true).value_or(out.target);
      out.vertical_fov_degrees =
          static_cast<float>(check.number_field(viewpoint, path, "fov", 10.0, 120.0).value_or(out.vertical_fov_degrees));
      if (glm::distance(out.position, out.target) < 1e-3f) {
        check.error(Checker::join(path, "target"), "must differ from the position: it is the point looked at",
                    "必须与位置不同：它是视线所指的点");
      }
      source.viewpoints.push_back(out);
    }
  }

  if (const auto paths = root.find("camera_paths"); paths != root.end()) {
    if (!paths->is_array()) {
      check.error("camera_paths", "must be a list [ … ] of camera paths", "必须是镜头路径列表 [ … ]");
    } else {
      for (size_t index = 0; index < paths->size(); ++index) {
        const json& path = (*paths)[index];
        const std::string at = fmt::format("camera_paths[{}]", index);
        if (!path.is_object()) {
          check.error(at, "each camera path must be an object { … }", "每条镜头路径必须是一个对象 { … }");
          continue;
        }
        check.check_fields(path, at, {"name", "loop", "keys"});
        scene::CameraPath out;
        out.name = check.text_field(path, at, "name", false);
        out.loop = check.bool_field(path, at, "loop").value_or(true);
        const auto keys = path.find("keys");
        if (keys == path.end() || !keys->is_array() || keys->size() < 2) {
          check.error(Checker::join(at, "keys"), "a camera path needs two or more keys: {\"time\": …, \"position\": […], \"target\": […]}",
                      "镜头路径至少需要两个关键帧：{\"time\": …, \"position\": […], \"target\": […]}");
          continue;
        }
        for (size_t key = 0; key < keys->size(); ++key) {
          const std::string key_at = fmt::format("{}.keys[{}]", at, key);
          const json& value = (*keys)[key];
          if (!value.is_object()) {
            check.error(key_at, "each key must be an object { … }", "每个关键帧必须是一个对象 { … }");
            continue;
          }
          check.check_fields(value, key_at, {"time", "position", "target"});
          scene::CameraKey out_key;
          const auto time = check.number_field(value, key_at, "time", 0.0, 86'400.0);
          if (!time) check.error(Checker::join(key_at, "time"), "each key needs its time in seconds", "每个关键帧都需要以秒计的时间");
          out_key.time = static_cast<float>(time.value_or(0.0));
          out_key.position = check.vector_field(value, key_at, "position", true).value_or(glm::vec3(0.0f));
          out_key.target = check.vector_field(value, key_at, "target", true).value_or(glm::vec3(0.0f));
          const bool first = out.keys.empty();
          if (first && out_key.time != 0.0f) {
            check.error(Checker::join(key_at, "time"), "the first key's time must be 0", "第一个关键帧的时间必须为 0");
          } else if (!first && out_key.time <= out.keys.back().time) {
            check.error(Checker::join(key_at, "time"), "times must increase from one key to the next", "关键帧的时间必须逐个递增");
          }
          out.keys.push_back(out_key);
        }
        source.camera_paths.push_back(std::move(out));
      }
    }
  }

  const auto exhibits = root.find("exhibits");
  if (exhibits != root.end() && !exhibits->is_array()) {
    check.error("exhibits", "must be a list [ … ] of exhibits", "必须是展品列表 [ … ]");
  } else if (exhibits != root.end()) {
    std::set<std::string> ids;
    for (size_t index = 0; index < exhibits->size(); ++index) {
      parse_exhibit(check, (*exhibits)[index], fmt::format("exhibits[{}]", index), source.directory, ids, source);
    }
  }
  if (check.has_errors()) return std::nullopt;
  for (const Finding& finding : findings) {
    if (finding.severity == Finding::Severity::warning) source.warnings.push_back(finding);
  }
  return source;
}

Result<SceneSource> read_scene_source(const std::filesystem::path& directory) {
  const std::filesystem::path file = directory / "scene.json";
  PV_TRY_ASSIGN(const auto bytes, read_file(file).add_context("reading the scene source"));
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::vector<Finding> findings;
  auto source = parse_scene_source(text, file, findings);
  if (source) return std::move(*source);
  std::string why;
  size_t errors = 0;
  for (const Finding& finding : findings) {
    if (finding.severity != Finding::Severity::error) continue;
    why += "\n  " + finding.describe();
    ++errors;
  }
  return Error(ErrorCode::invalid_input, fmt::format("reading {}", file),
               fmt::format("{} problem{} to fix:{}", errors, errors == 1 ? "" : "s", why));
}

}  // namespace pavilion::pack
