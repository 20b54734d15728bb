// A scene.json field that takes one of a few words (a blend mode, an easing), for pack's readers
// of the scene's parts.
#pragma once

#include "pavilion/checking/json_checker.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace pavilion::pack {

// object[key]: one of `names` (the first when absent and not required); an error at the field
// lists them otherwise.
template <class Enum, size_t N>
Enum choice(checking::JsonChecker& check, const nlohmann::json& object, const std::string& path, std::string_view key,
            const std::array<std::pair<std::string_view, Enum>, N>& names, bool required = false) {
  const auto value = check.string_field(object, path, key, required);
  if (!value) return names[0].second;
  std::string listed;
  for (const auto& [name, option] : names) {
    if (*value == name) return option;
    listed += listed.empty() ? std::string(name) : fmt::format(", {}", name);
  }
  check.error(checking::JsonChecker::join(path, key), fmt::format("'{}' is not one of: {}", *value, listed),
              fmt::format("“{}”不在可选值之中：{}", *value, listed));
  return names[0].second;
}

}  // namespace pavilion::pack
