#include "bird_parts.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>

namespace pavilion::procedural::birds {

Influences chain_influences(std::initializer_list<uint16_t> chain, float along) {
  const std::vector<uint16_t> joints(chain);
  // Each bone's own weight peaks at its middle and hands over to the next across the joint.
  const float x = along - 0.5f;
  if (x <= 0.0f) return {{joints.front(), 1.0f}};
  if (x >= static_cast<float>(joints.size() - 1)) return {{joints.back(), 1.0f}};
  const auto index = static_cast<size_t>(x);
  const float blend = smooth_step(0.0f, 1.0f, x - static_cast<float>(index));
  return {{joints[index], 1.0f - blend}, {joints[index + 1], blend}};
}

Influences rigid(uint16_t joint) { return {{joint, 1.0f}}; }

glm::vec2 region_uv(const TextureRegion& region, float u, float v, uint32_t texture_size) {
  const auto size = static_cast<float>(texture_size);
  const float x = 0.5f + std::clamp(u, 0.0f, 1.0f) * (size - 1.0f);
  // A texel of margin above and below keeps filtering from borrowing a neighbour's colours.
  const float y = static_cast<float>(region.first_row) + 1.5f + std::clamp(v, 0.0f, 1.0f) * static_cast<float>(region.rows - 3);
  return {x / size, y / size};
}

ImageRgba8 paint_texture(const std::vector<TextureRegion>& regions, uint32_t size) {
  ImageRgba8 image(size, size);
  for (const TextureRegion& region : regions) {
    for (uint32_t row = 0; row < region.rows; ++row) {
      const float v = (static_cast<float>(row) + 0.5f) / static_cast<float>(region.rows);
      for (uint32_t column = 0; column < size; ++column) {
        const float u = (static_cast<float>(column) + 0.5f) / static_cast<float>(size);
        const glm::vec3 colour = glm::clamp(region.paint(u, v), glm::vec3(0.0f), glm::vec3(1.0f));
        uint8_t* texel = image.at(column, region.first_row + row);
        for (int channel = 0; channel < 3; ++channel) texel[channel] = static_cast<uint8_t>(std::lround(colour[channel] * 255.0f));
        texel[3] = 255;
      }
    }
  }
  return image;
}

glm::vec3 ramp(float t, std::initializer_list<std::pair<float, glm::vec3>> stops) {
  const auto* stop = stops.begin();
  if (t <= stop->first) return stop->second;
  for (; stop + 1 != stops.end(); ++stop) {
    const auto& [start, from] = stop[0];
    const auto& [end, to] = stop[1];
    if (t <= end) return glm::mix(from, to, (t - start) / std::max(end - start, 1e-6f));
  }
  return stop->second;
}

glm::vec3 rgb(uint32_t hex) {
  return glm::vec3(static_cast<float>((hex >> 16) & 0xff), static_cast<float>((hex >> 8) & 0xff), static_cast<float>(hex & 0xff)) /
         255.0f;
}

float smooth_step(float edge0, float edge1, float x) {
  const float t = std::clamp((x - edge0) / (edge1 - edge0), 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

glm::vec3 rotate_about(glm::vec3 vector, glm::vec3 axis, float degrees) {
  return glm::angleAxis(glm::radians(degrees), glm::normalize(axis)) * vector;
}

float feather_width(float t, float full) {
  const float tip = std::max(0.0f, (t - 0.7f) / 0.3f);
  return full * (0.45f + 0.55f * smooth_step(0.0f, 0.3f, t)) * std::sqrt(std::max(0.0f, 1.0f - tip * tip));
}

glm::vec3 vane(glm::vec3 colour, glm::vec3 shaft, float u, float v) {
  const float off_shaft = std::abs(v - 0.5f);
  const float barbs = 0.94f + 0.06f * std::sin((u * 40.0f - off_shaft * 14.0f) * 2.0f * pi * 0.25f);
  const float edge = 1.0f - 0.35f * smooth_step(0.38f, 0.5f, off_shaft);
  return glm::mix(colour * barbs * edge, shaft, 1.0f - smooth_step(0.015f, 0.035f, off_shaft));
}

glm::quat mirror_x(const glm::quat& q) { return glm::quat(q.w, q.x, -q.y, -q.z); }

glm::quat euler_degrees(float pitch_x, float yaw_y, float roll_z) {
  return glm::angleAxis(glm::radians(yaw_y), glm::vec3(0, 1, 0)) * glm::angleAxis(glm::radians(pitch_x), glm::vec3(1, 0, 0)) *
         glm::angleAxis(glm::radians(roll_z), glm::vec3(0, 0, 1));
}

namespace {

float catmull_rom(float p0, float p1, float p2, float p3, float t) {
  const float t2 = t * t;
  const float t3 = t2 * t;
  return 0.5f * (2.0f * p1 + (p2 - p0) * t + (2.0f * p0 - 5.0f * p1 + 4.0f * p2 - p3) * t2 + (3.0f * p1 - p0 - 3.0f * p2 + p3) * t3);
}

LoftKey interpolate(const std::vector<LoftKey>& keys, float s) {
  const size_t last = keys.size() - 1;
  const size_t index = std::min(static_cast<size_t>(s), last - 1);
  const float t = s - static_cast<float>(index);
  const LoftKey& k0 = keys[index == 0 ? 0 : index - 1];
  const LoftKey& k1 = keys[index];
  const LoftKey& k2 = keys[index + 1];
  const LoftKey& k3 = keys[std::min(index + 2, last)];
  LoftKey out;
  for (int axis = 0; axis < 3; ++axis) out.centre[axis] = catmull_rom(k0.centre[axis], k1.centre[axis], k2.centre[axis], k3.centre[axis], t);
  out.half_width = std::max(0.0f, catmull_rom(k0.half_width, k1.half_width, k2.half_width, k3.half_width, t));
  out.half_height = std::max(0.0f, catmull_rom(k0.half_height, k1.half_height, k2.half_height, k3.half_height, t));
  // Texture and skin positions must not overshoot: they are read between keys only.
  out.u = glm::mix(k1.u, k2.u, t);
  out.along = glm::mix(k1.along, k2.along, t);
  return out;
}

}  // namespace

void BirdBuilder::loft(const std::vector<LoftKey>& keys, const TextureRegion& region,
                       const std::function<Influences(float along)>& influences, glm::vec3 side, int rings, int around) {
  std::vector<LoftKey> sections;
  for (int ring = 0; ring < rings; ++ring) {
    sections.push_back(interpolate(keys, static_cast<float>(ring) / static_cast<float>(rings - 1) * static_cast<float>(keys.size() - 1)));
  }
  std::vector<Vertex> vertices;
  std::vector<uint32_t> triangles;
  for (int ring = 0; ring < rings; ++ring) {
    const LoftKey& section = sections[static_cast<size_t>(ring)];
    const glm::vec3 tangent = glm::normalize(sections[static_cast<size_t>(std::min(ring + 1, rings - 1))].centre -
                                             sections[static_cast<size_t>(std::max(ring - 1, 0))].centre);
    const glm::vec3 up = glm::normalize(glm::cross(tangent, side));
    const glm::vec3 across = glm::normalize(glm::cross(up, tangent));
    for (int step = 0; step < around; ++step) {
      const float angle = 2.0f * pi * static_cast<float>(step) / static_cast<float>(around);
      const glm::vec3 position = section.centre + across * (section.half_width * std::sin(angle)) + up * (section.half_height * std::cos(angle));
      vertices.push_back({position, region_uv(region, section.u, 0.5f - 0.5f * std::cos(angle), texture_size_),
                          influences(section.along)});
    }
  }
  const auto at = [around](int ring, int step) { return static_cast<uint32_t>(ring * around + (step % around)); };
  for (int ring = 0; ring + 1 < rings; ++ring) {
    for (int step = 0; step < around; ++step) {
      triangles.insert(triangles.end(), {at(ring, step), at(ring + 1, step), at(ring, step + 1)});
      triangles.insert(triangles.end(), {at(ring, step + 1), at(ring + 1, step), at(ring + 1, step + 1)});
    }
  }
  for (const int end : {0, rings - 1}) {
    const LoftKey& section = sections[static_cast<size_t>(end)];
    const auto cap = static_cast<uint32_t>(vertices.size());
    vertices.push_back({section.centre, region_uv(region, section.u, 0.5f, texture_size_), influences(section.along)});
    for (int step = 0; step < around; ++step) {
      if (end == 0) triangles.insert(triangles.end(), {cap, at(end, step), at(end, step + 1)});
      else triangles.insert(triangles.end(), {cap, at(end, step + 1), at(end, step)});
    }
  }
  // The winding above faces outward or inward depending on the spine's direction against
  // `side`; a closed surface's signed volume says which.
  float volume = 0.0f;
  for (size_t index = 0; index < triangles.size(); index += 3) {
    volume += glm::dot(vertices[triangles[index]].position,
                       glm::cross(vertices[triangles[index + 1]].position, vertices[triangles[index + 2]].position));
  }
  add_part(vertices, triangles, volume < 0.0f ? -1.0f : 1.0f);
}

void BirdBuilder::ellipsoid(glm::vec3 centre, glm::vec3 axis, float length, float half_width, float half_height, const TextureRegion& region,
                            glm::vec2 u_range, const Influences& influences, glm::vec3 side) {
  const glm::vec3 direction = glm::normalize(axis) * (0.5f * length);
  std::vector<LoftKey> keys;
  constexpr int stations = 7;
  for (int index = 0; index < stations; ++index) {
    const float x = -1.0f + 2.0f * static_cast<float>(index) / (stations - 1);
    const float radius = std::sqrt(std::max(0.0f, 1.0f - x * x));
    keys.push_back({centre + direction * x, half_width * radius, half_height * radius, glm::mix(u_range.x, u_range.y, 0.5f + 0.5f * x), 0.0f});
  }
  loft(keys, region, [&](float) { return influences; }, side, 12, 14);
}

void BirdBuilder::feather(const FeatherShape& shape, const TextureRegion& region, const std::function<Influences(float t)>& influences) {
  for (const float face : {1.0f, -1.0f}) {
    std::vector<Vertex> vertices;
    std::vector<uint32_t> triangles;
    for (int segment = 0; segment <= shape.segments; ++segment) {
      const float t = static_cast<float>(segment) / static_cast<float>(shape.segments);
      const glm::vec3 centre = shape.spine(t);
      const glm::vec3 tangent = glm::normalize(shape.spine(std::min(t + 0.01f, 1.0f)) - shape.spine(std::max(t - 0.01f, 0.0f)));
      const glm::vec3 across = shape.across(t);
      const glm::vec3 normal = glm::normalize(glm::cross(across, tangent)) * face;
      const float half = 0.5f * shape.width(t);
      // The back face sits a hair behind the front so the two never fight for a pixel.
      const glm::vec3 base = centre - normal * 0.0008f;
      const Influences weights = influences(t);
      vertices.push_back({base - across * half, region_uv(region, t, 0.0f, texture_size_), weights});
      vertices.push_back({base + normal * shape.shaft_height, region_uv(region, t, 0.5f, texture_size_), weights});
      vertices.push_back({base + across * half, region_uv(region, t, 1.0f, texture_size_), weights});
    }
    for (int segment = 0; segment < shape.segments; ++segment) {
      const auto row = static_cast<uint32_t>(segment * 3);
      for (uint32_t column = 0; column < 2; ++column) {
        const uint32_t a = row + column;
        const uint32_t b = row + 3 + column;
        triangles.insert(triangles.end(), {a, a + 1, b});
        triangles.insert(triangles.end(), {a + 1, b + 1, b});
      }
    }
    // Face the side the normal points to: compare the first quad's winding with it.
    const glm::vec3 tangent = vertices[3].position - vertices[0].position;
    const glm::vec3 across = vertices[2].position - vertices[0].position;
    const glm::vec3 wound = glm::cross(vertices[1].position - vertices[0].position, vertices[3].position - vertices[0].position);
    const glm::vec3 wanted = glm::cross(across, tangent) * face;
    add_part(vertices, triangles, glm::dot(wound, wanted) < 0.0f ? -1.0f : 1.0f);
  }
}

void BirdBuilder::add_part(const std::vector<Vertex>& vertices, const std::vector<uint32_t>& triangles, float flip) {
  const auto first = static_cast<uint32_t>(vertices_.size());
  std::vector<glm::vec3> normals(vertices.size(), glm::vec3(0.0f));
  for (size_t index = 0; index < triangles.size(); index += 3) {
    uint32_t a = triangles[index];
    uint32_t b = triangles[index + 1];
    const uint32_t c = triangles[index + 2];
    if (flip < 0.0f) std::swap(a, b);
    const glm::vec3 face = glm::cross(vertices[b].position - vertices[a].position, vertices[c].position - vertices[a].position);
    for (const uint32_t corner : {a, b, c}) normals[corner] += face;
    indices_.insert(indices_.end(), {first + a, first + b, first + c});
  }
  for (size_t index = 0; index < vertices.size(); ++index) {
    SkinnedVertex out;
    out.position = vertices[index].position;
    out.normal = glm::length(normals[index]) > 1e-12f ? glm::normalize(normals[index]) : glm::vec3(0.0f, 1.0f, 0.0f);
    out.uv = vertices[index].uv;
    Influences influences = vertices[index].influences;
    std::stable_sort(influences.begin(), influences.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    float total = 0.0f;
    out.weights = glm::vec4(0.0f);
    for (size_t slot = 0; slot < std::min<size_t>(4, influences.size()); ++slot) total += influences[slot].second;
    for (size_t slot = 0; slot < std::min<size_t>(4, influences.size()); ++slot) {
      out.joints[slot] = influences[slot].first;
      out.weights[static_cast<glm::length_t>(slot)] = influences[slot].second / total;
    }
    vertices_.push_back(out);
  }
}

RiggedModel BirdBuilder::finish(std::string name, std::vector<Joint> joints, ImageRgba8 color, std::vector<Clip> clips) && {
  RiggedModel model;
  model.name = std::move(name);
  model.joints = std::move(joints);
  model.vertices = std::move(vertices_);
  model.indices = std::move(indices_);
  model.color = std::move(color);
  model.clips = std::move(clips);
  return model;
}

Clip sample_clip(std::string name, float duration, bool loops, float rate, const std::vector<JointMotion>& motions) {
  Clip clip;
  clip.name = std::move(name);
  clip.loops = loops;
  const int keys = std::max(2, static_cast<int>(std::lround(duration * rate)) + 1);
  std::vector<float> times;
  for (int key = 0; key < keys; ++key) times.push_back(duration * static_cast<float>(key) / static_cast<float>(keys - 1));
  for (const JointMotion& motion : motions) {
    if (motion.translation) {
      ClipChannel channel{motion.joint, ClipPath::translation, times, {}};
      for (const float time : times) channel.values.emplace_back(motion.translation(time), 0.0f);
      clip.channels.push_back(std::move(channel));
    }
    if (motion.rotation) {
      ClipChannel channel{motion.joint, ClipPath::rotation, times, {}};
      glm::quat previous(1.0f, 0.0f, 0.0f, 0.0f);
      for (const float time : times) {
        glm::quat q = glm::normalize(motion.rotation(time));
        if (glm::dot(q, previous) < 0.0f) q = -q;
        previous = q;
        channel.values.emplace_back(q.x, q.y, q.z, q.w);
      }
      clip.channels.push_back(std::move(channel));
    }
  }
  return clip;
}

}  // namespace pavilion::procedural::birds
