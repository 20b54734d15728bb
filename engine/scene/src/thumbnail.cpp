#include "pavilion/scene/thumbnail.h"

#include "pavilion/core/bytes.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>

namespace pavilion::scene {
namespace {

constexpr uint32_t thumbnail_magic = 0x48545650;  // "PVTH"
constexpr uint32_t max_thumbnail_side = 2048;

}  // namespace

std::vector<std::byte> encode_thumbnail(const Thumbnail& thumbnail) {
  ByteWriter out;
  out.write(thumbnail_magic);
  out.write_string(thumbnail.exhibit_id);
  out.write(thumbnail.image.width);
  out.write(thumbnail.image.height);
  out.write_bytes(std::as_bytes(std::span(thumbnail.image.pixels)));
  return out.take();
}

Result<Thumbnail> decode_thumbnail(std::span<const std::byte> bytes) {
  ByteReader in(bytes, "a thumbnail");
  PV_TRY_ASSIGN(const uint32_t magic, in.read<uint32_t>("its magic number"));
  if (magic != thumbnail_magic) {
    return Error(ErrorCode::invalid_input, "reading a thumbnail", "it does not start with PVTH");
  }
  Thumbnail thumbnail;
  PV_TRY_ASSIGN(thumbnail.exhibit_id, in.read_string("its exhibit id", 256));
  PV_TRY_ASSIGN(const uint32_t width, in.read<uint32_t>("its width"));
  PV_TRY_ASSIGN(const uint32_t height, in.read<uint32_t>("its height"));
  if (width == 0 || height == 0 || width > max_thumbnail_side || height > max_thumbnail_side) {
    return Error(ErrorCode::invalid_input, "reading a thumbnail", fmt::format("{}×{} pixels is not a thumbnail's size", width, height));
  }
  PV_TRY_ASSIGN(const auto pixels, in.read_bytes(size_t{width} * height * 4, "its pixels"));
  if (in.remaining() != 0) {
    return Error(ErrorCode::invalid_input, "reading a thumbnail", fmt::format("{} bytes follow its pixels", in.remaining()));
  }
  thumbnail.image = ImageRgba8(width, height);
  std::memcpy(thumbnail.image.pixels.data(), pixels.data(), pixels.size());
  return thumbnail;
}

Result<std::vector<Thumbnail>> read_thumbnails(const package::PackageReader& package) {
  std::vector<Thumbnail> thumbnails;
  const auto index = package.index();
  for (uint32_t blob = 0; blob < index.size(); ++blob) {
    if (index[blob].kind != package::BlobKind::thumbnail) continue;
    PV_TRY_ASSIGN(const auto bytes, package.read_blob(blob));
    PV_TRY_ASSIGN(Thumbnail thumbnail, decode_thumbnail(bytes).add_context(fmt::format("reading blob {}", blob)));
    thumbnails.push_back(std::move(thumbnail));
  }
  return thumbnails;
}

ExhibitFraming frame_exhibit(const Exhibit& exhibit, const std::vector<Viewpoint>& viewpoints, float yaw,
                             float eye_height) {
  const glm::vec3 from = viewpoints.empty() ? exhibit.position + glm::vec3(0, 0, 3) : viewpoints[0].position;
  glm::vec3 away = from - exhibit.position;
  away.y = 0;
  if (glm::length(away) < 1e-3f) away = glm::vec3(0, 0, 1);
  const float angle = std::atan2(away.x, away.z) + yaw;
  const glm::vec3 toward_eye(std::sin(angle), 0.0f, std::cos(angle));
  ExhibitFraming framing;
  framing.distance = std::max(1.4f, exhibit.radius * 3.2f);
  framing.target = exhibit.position;
  framing.eye = exhibit.position + framing.distance * toward_eye;
  framing.eye.y = std::max(eye_height, exhibit.position.y + 0.1f);
  framing.right = glm::normalize(glm::cross(-toward_eye, glm::vec3(0, 1, 0)));
  return framing;
}

}  // namespace pavilion::scene
