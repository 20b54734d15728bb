#include "pavilion/iiif/image_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <nlohmann/json.hpp>

namespace pavilion::iiif {
namespace {

using json = nlohmann::json;

int version_of(const json& info) {
  const auto context = info.find("@context");
  if (context == info.end()) return 0;
  int version = 0;
  const auto look = [&](const json& value) {
    if (!value.is_string()) return;
    const std::string& uri = value.get_ref<const std::string&>();
    if (uri.find("iiif.io/api/image/3") != std::string::npos) version = 3;
    if (uri.find("iiif.io/api/image/2") != std::string::npos && version == 0) version = 2;
  };
  if (context->is_array()) {
    for (const json& value : *context) look(value);
  } else {
    look(*context);
  }
  return version;
}

int level_of(std::string_view profile) {
  for (int level = 2; level >= 0; --level) {
    if (profile.find(fmt::format("level{}", level)) != std::string_view::npos) return level;
  }
  return 0;
}

int whole(const json& object, std::string_view key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number_integer() || found->get<int64_t>() <= 0 ||
      found->get<int64_t>() > INT_MAX) {
    return 0;
  }
  return found->get<int>();
}

void add_formats(const json& object, std::string_view key, std::vector<std::string>& formats) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return;
  for (const json& format : *found) {
    if (format.is_string()) formats.push_back(format.get<std::string>());
  }
}

int ceil_div(int a, int b) { return static_cast<int>((int64_t{a} + b - 1) / b); }

// A tile set asked for with more requests than this is not used: an info.json that claims tiles
// of one pixel over a huge image must not make a plan of billions of pieces.
constexpr int64_t max_tiles = 16384;

int64_t tile_count(const ImageInfo& info, const ImageInfo::Tiles& tiles, int scale) {
  const int64_t region_width = int64_t{tiles.width} * scale, region_height = int64_t{tiles.height} * scale;
  return ((info.width + region_width - 1) / region_width) * ((info.height + region_height - 1) / region_height);
}

}  // namespace

Result<ImageInfo> parse_image_info(std::string_view text, std::string_view url) {
  const std::string what = fmt::format("reading the Image API information at {}", url);
  const json root = json::parse(text, nullptr, false);
  if (!root.is_object()) return Error(ErrorCode::invalid_input, what, "it is not a JSON object");
  ImageInfo info;
  info.api_version = version_of(root);
  if (info.api_version == 0) {
    return Error(ErrorCode::unsupported, what, "its @context names neither Image API 2 nor 3");
  }
  const auto id = root.find(info.api_version == 3 ? "id" : "@id");
  if (id == root.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    return Error(ErrorCode::invalid_input, what, info.api_version == 3 ? "it has no \"id\"" : "it has no \"@id\"");
  }
  info.id = id->get<std::string>();
  while (info.id.ends_with('/')) info.id.pop_back();
  info.width = whole(root, "width");
  info.height = whole(root, "height");
  if (info.width == 0 || info.height == 0) {
    return Error(ErrorCode::invalid_input, what, "its width and height must be whole numbers above zero");
  }
  const auto profile = root.find("profile");
  if (profile != root.end()) {
    if (profile->is_string()) info.level = level_of(profile->get_ref<const std::string&>());
    if (profile->is_array()) {
      // 2.1: the level's URI, then objects with the formats and limits beyond it.
      for (const json& part : *profile) {
        if (part.is_string()) info.level = level_of(part.get_ref<const std::string&>());
        if (!part.is_object()) continue;
        add_formats(part, "formats", info.formats);
        if (const int width = whole(part, "maxWidth")) info.max_width = width;
        if (const int height = whole(part, "maxHeight")) info.max_height = height;
      }
    }
  }
  add_formats(root, "preferredFormats", info.formats);
  add_formats(root, "extraFormats", info.formats);
  if (const int width = whole(root, "maxWidth")) info.max_width = width;
  if (const int height = whole(root, "maxHeight")) info.max_height = height;
  if (info.max_width != 0 && info.max_height == 0) info.max_height = info.max_width;  // as the specs say
  if (const auto sizes = root.find("sizes"); sizes != root.end() && sizes->is_array()) {
    for (const json& size : *sizes) {
      if (!size.is_object() || whole(size, "width") == 0 || whole(size, "height") == 0) continue;
      info.sizes.push_back({whole(size, "width"), whole(size, "height")});
    }
  }
  if (const auto tiles = root.find("tiles"); tiles != root.end() && tiles->is_array()) {
    for (const json& tile : *tiles) {
      if (!tile.is_object() || whole(tile, "width") == 0) continue;
      ImageInfo::Tiles set{whole(tile, "width"), whole(tile, "height"), {}};
      if (set.height == 0) set.height = set.width;
      if (const auto factors = tile.find("scaleFactors"); factors != tile.end() && factors->is_array()) {
        for (const json& factor : *factors) {
          if (factor.is_number_integer() && factor.get<int64_t>() > 0 && factor.get<int64_t>() < 1 << 16) {
            set.scale_factors.push_back(factor.get<int>());
          }
        }
      }
      std::sort(set.scale_factors.begin(), set.scale_factors.end());
      if (!set.scale_factors.empty()) info.tiles.push_back(std::move(set));
    }
  }
  return info;
}

ImageRequest plan_full_image(const ImageInfo& info, int max_width, int max_height) {
  int bound_width = max_width > 0 ? max_width : INT_MAX;
  int bound_height = max_height > 0 ? max_height : INT_MAX;
  if (info.max_width > 0) bound_width = std::min(bound_width, info.max_width);
  if (info.max_height > 0) bound_height = std::min(bound_height, info.max_height);
  const auto fits = [&](int width, int height) { return width <= bound_width && height <= bound_height; };

  ImageRequest request;
  request.format = "jpg";
  for (const std::string& format : info.formats) {
    if (format == "jpg" || format == "png") {
      request.format = format;
      break;
    }
  }
  const bool v3 = info.api_version == 3;
  const auto whole_size = [&](int width, int height) {
    if (width == info.width && height == info.height) return std::string(v3 ? "max" : "full");
    return v3 ? fmt::format("{},{}", width, height) : fmt::format("{},", width);
  };
  const auto single = [&](int width, int height) {
    request.width = width;
    request.height = height;
    request.pieces.push_back(
        {fmt::format("{}/full/{}/0/default.{}", info.id, whole_size(width, height), request.format), 0, 0, width,
         height});
    return request;
  };

  if (info.level >= 1) {
    if (fits(info.width, info.height)) return single(info.width, info.height);
    const double scale =
        std::min(static_cast<double>(bound_width) / info.width, static_cast<double>(bound_height) / info.height);
    return single(std::max(1, static_cast<int>(std::floor(info.width * scale))),
                  std::max(1, static_cast<int>(std::floor(info.height * scale))));
  }

  // Level 0: the largest of what is listed that fits; when nothing fits, the smallest.
  struct Candidate {
    int width = 0, height = 0;
    const ImageInfo::Tiles* tiles = nullptr;
    int scale = 1;
  };
  std::vector<Candidate> candidates;
  for (const ImageInfo::Size& size : info.sizes) candidates.push_back({size.width, size.height, nullptr, 1});
  for (const ImageInfo::Tiles& tiles : info.tiles) {
    for (const int scale : tiles.scale_factors) {
      if (tile_count(info, tiles, scale) > max_tiles) continue;
      candidates.push_back({ceil_div(info.width, scale), ceil_div(info.height, scale), &tiles, scale});
    }
  }
  if (candidates.empty()) return single(info.width, info.height);
  const auto area = [](const Candidate& c) { return int64_t{c.width} * c.height; };
  const Candidate* best = nullptr;
  for (const Candidate& candidate : candidates) {
    // A listed size comes first among those of equal area: one request instead of many.
    if (fits(candidate.width, candidate.height) && (!best || area(candidate) > area(*best))) best = &candidate;
  }
  if (!best) {
    best = &*std::min_element(candidates.begin(), candidates.end(),
                              [&](const Candidate& a, const Candidate& b) { return area(a) < area(b); });
  }
  if (!best->tiles) return single(best->width, best->height);

  request.width = best->width;
  request.height = best->height;
  const int scale = best->scale;
  // In 64 bits: a tile's region at a large scale factor may pass the image, and an int.
  const int64_t region_width = int64_t{best->tiles->width} * scale;
  const int64_t region_height = int64_t{best->tiles->height} * scale;
  for (int64_t y = 0; y < info.height; y += region_height) {
    for (int64_t x = 0; x < info.width; x += region_width) {
      const int width = static_cast<int>(std::min(region_width, info.width - x));
      const int height = static_cast<int>(std::min(region_height, info.height - y));
      const int scaled_width = ceil_div(width, scale);
      const int scaled_height = ceil_div(height, scale);
      // One tile holding the whole image is asked for by its canonical region, "full".
      const std::string region = width == info.width && height == info.height
                                     ? std::string("full")
                                     : fmt::format("{},{},{},{}", x, y, width, height);
      const std::string size =
          v3 ? fmt::format("{},{}", scaled_width, scaled_height) : fmt::format("{},", scaled_width);
      request.pieces.push_back({fmt::format("{}/{}/{}/0/default.{}", info.id, region, size, request.format),
                                static_cast<int>(x / scale), static_cast<int>(y / scale), scaled_width,
                                scaled_height});
    }
  }
  return request;
}

}  // namespace pavilion::iiif
