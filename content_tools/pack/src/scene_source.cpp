#include "pavilion/pack/scene_source.h"

#include "pavilion/config/json_checker.h"
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
using Checker = config::JsonChecker;

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
      case scene::ExhibitKind::model: out.model = check.file_field(exhibit, path, "model", directory); break;
      case scene::ExhibitKind::panel: {
        out.image = check.file_field(exhibit, path, "image", directory);
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
        out.sound = check.file_field(exhibit, path, "sound", directory);
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

scene::NodeTransform Placement::node_transform() const {
  const glm::quat yaw = glm::angleAxis(glm::radians(rotation_degrees.y), glm::vec3(0, 1, 0));
  const glm::quat pitch = glm::angleAxis(glm::radians(rotation_degrees.x), glm::vec3(1, 0, 0));
  const glm::quat roll = glm::angleAxis(glm::radians(rotation_degrees.z), glm::vec3(0, 0, 1));
  return {position, yaw * pitch * roll, glm::vec3(scale)};
}

std::optional<SceneSource> parse_scene_source(std::string_view text, const std::filesystem::path& file,
                                              std::vector<Finding>& findings) {
  Checker check(file, findings);
  std::optional<json> parsed =
      config::parse_json_object(text, file, findings, "scene.json must hold one object { … }", "scene.json 必须包含一个对象 { … }");
  if (!parsed) return std::nullopt;
  const json& root = *parsed;
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
  return config::read_json_file(directory / "scene.json", parse_scene_source);
}

}  // namespace pavilion::pack
