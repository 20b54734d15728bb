// 丹凤, the vermilion phoenix: a lofted body and neck, a crest of eyed plumes, wings of three
// rows of overlapping feathers, seven long eyed tail plumes with gold streamers, and gold legs.
#include "bird_parts.h"
#include "pavilion/procedural/festival_birds.h"

#include <cmath>

namespace pavilion::procedural {

namespace {

using namespace birds;

enum PhoenixJoint : uint16_t {
  root, body, neck_1, neck_2, head,
  wing_upper_l, wing_fore_l, wing_hand_l, wing_upper_r, wing_fore_r, wing_hand_r,
  tail_1, tail_2, tail_3, tail_4, leg_l, leg_r, joint_count
};

std::vector<Joint> phoenix_joints() {
  struct Placed { const char* name; int32_t parent; glm::vec3 world; };
  const Placed placed[joint_count] = {
      {"root", -1, {0.0f, 0.0f, 0.0f}},           {"body", root, {0.0f, 0.62f, 0.0f}},
      {"neck_1", body, {0.0f, 0.70f, 0.24f}},     {"neck_2", neck_1, {0.0f, 0.86f, 0.33f}},
      {"head", neck_2, {0.0f, 1.0f, 0.40f}},      {"wing_upper.L", body, {0.10f, 0.70f, 0.08f}},
      {"wing_fore.L", wing_upper_l, {0.42f, 0.71f, 0.06f}}, {"wing_hand.L", wing_fore_l, {0.76f, 0.73f, 0.04f}},
      {"wing_upper.R", body, {-0.10f, 0.70f, 0.08f}}, {"wing_fore.R", wing_upper_r, {-0.42f, 0.71f, 0.06f}},
      {"wing_hand.R", wing_fore_r, {-0.76f, 0.73f, 0.04f}}, {"tail_1", body, {0.0f, 0.60f, -0.34f}},
      {"tail_2", tail_1, {0.0f, 0.50f, -0.70f}},  {"tail_3", tail_2, {0.0f, 0.36f, -1.10f}},
      {"tail_4", tail_3, {0.0f, 0.36f, -1.55f}},  {"leg.L", body, {0.08f, 0.55f, 0.02f}},
      {"leg.R", body, {-0.08f, 0.55f, 0.02f}}};
  std::vector<Joint> joints;
  for (const Placed& joint : placed) {
    const glm::vec3 parent = joint.parent >= 0 ? placed[joint.parent].world : glm::vec3(0.0f);
    joints.push_back({joint.name, joint.parent, joint.world - parent});
  }
  return joints;
}

constexpr uint32_t texture_size = 256;

struct PhoenixRegions {
  TextureRegion body, eye, leg, streamer, plume, flight, covert;
};

PhoenixRegions phoenix_regions() {
  PhoenixRegions regions;
  regions.body = {0, 48, [](float u, float v) {
    const glm::vec3 back = ramp(u, {{0.0f, rgb(0x8e1420)}, {0.25f, rgb(0xd8321f)}, {0.55f, rgb(0xef4a23)}, {0.72f, rgb(0xf7931e)},
                                    {0.84f, rgb(0xf9b233)}, {0.86f, rgb(0xffd34d)}, {1.0f, rgb(0xfff0b0)}});
    const glm::vec3 breast = ramp(u, {{0.0f, rgb(0xa81c1c)}, {0.3f, rgb(0xf6b73c)}, {0.6f, rgb(0xffc94a)}, {0.75f, rgb(0xf7931e)},
                                      {0.84f, rgb(0xf9b233)}, {0.86f, rgb(0xffd34d)}, {1.0f, rgb(0xfff0b0)}});
    glm::vec3 colour = glm::mix(back, breast, smooth_step(0.3f, 0.8f, v));
    // Small scalloped body feathers, fading out before the beak.
    const float scallop = 0.5f + 0.5f * std::sin(u * 2.0f * pi * 28.0f) * std::sin(v * pi * 9.0f);
    return colour * (1.0f - (0.12f * (1.0f - scallop)) * (1.0f - smooth_step(0.78f, 0.84f, u)));
  }};
  regions.eye = {48, 16, [](float u, float) {
    return ramp(u, {{0.0f, rgb(0x9e1b1b)}, {0.5f, rgb(0xc43a1a)}, {0.56f, rgb(0xffc83d)}, {0.72f, rgb(0xffc83d)}, {0.76f, rgb(0x140808)},
                    {1.0f, rgb(0x140808)}});
  }};
  regions.leg = {64, 16, [](float u, float) {
    const float scales = 0.85f + 0.15f * smooth_step(0.3f, 0.5f, std::abs(std::fmod(u * 24.0f, 1.0f) - 0.5f));
    return rgb(0xd09a2c) * scales;
  }};
  regions.streamer = {80, 32, [](float u, float v) {
    const glm::vec3 gold = ramp(u, {{0.0f, rgb(0xffd46a)}, {0.7f, rgb(0xf6b02c)}, {1.0f, rgb(0xe0641c)}});
    return vane(gold, rgb(0xd8321f), u, v);
  }};
  regions.plume = {112, 80, [](float u, float v) {
    glm::vec3 colour = ramp(u, {{0.0f, rgb(0xffd27a)}, {0.14f, rgb(0xf28a2a)}, {0.3f, rgb(0xe34234)}, {0.7f, rgb(0xc8202a)}, {1.0f, rgb(0xf6b02c)}});
    colour = vane(colour, rgb(0xffe08a), u, v);
    // The eye near the tip: dark heart, crimson, a gold ring and an orange halo.
    const float d = glm::length(glm::vec2((u - 0.84f) * 5.0f, (v - 0.5f) * 2.0f));
    const glm::vec3 eye = ramp(d, {{0.0f, rgb(0x2b1030)}, {0.22f, rgb(0x3a1238)}, {0.27f, rgb(0xb0102a)}, {0.45f, rgb(0xc8142c)},
                                   {0.5f, rgb(0xffc83d)}, {0.66f, rgb(0xffd966)}, {0.72f, rgb(0xf28a2a)}});
    return glm::mix(eye, colour, smooth_step(0.7f, 0.8f, d));
  }};
  regions.flight = {192, 32, [](float u, float v) {
    const glm::vec3 colour = ramp(u, {{0.0f, rgb(0xf6b73c)}, {0.3f, rgb(0xf07a22)}, {0.6f, rgb(0xe34234)}, {0.92f, rgb(0xa0141e)},
                                      {1.0f, rgb(0x701018)}});
    return vane(colour, rgb(0xffe08a), u, v);
  }};
  regions.covert = {224, 32, [](float u, float v) {
    glm::vec3 colour = ramp(u, {{0.0f, rgb(0xffd35a)}, {0.7f, rgb(0xffc13d)}, {1.0f, rgb(0xf29a1f)}});
    colour = glm::mix(colour, rgb(0xe34234), smooth_step(0.3f, 0.45f, std::abs(v - 0.5f)) * smooth_step(0.45f, 0.8f, u));
    return vane(colour, rgb(0xfff0b0), u, v);
  }};
  return regions;
}

void add_body(BirdBuilder& builder, const PhoenixRegions& regions) {
  const std::vector<LoftKey> keys = {
      {{0.0f, 0.60f, -0.42f}, 0.03f, 0.03f, 0.0f, 0.3f},     {{0.0f, 0.615f, -0.30f}, 0.09f, 0.08f, 0.08f, 0.9f},
      {{0.0f, 0.63f, -0.13f}, 0.16f, 0.15f, 0.2f, 1.4f},     {{0.0f, 0.65f, 0.04f}, 0.18f, 0.175f, 0.32f, 1.6f},
      {{0.0f, 0.69f, 0.17f}, 0.15f, 0.16f, 0.42f, 1.9f},     {{0.0f, 0.76f, 0.26f}, 0.09f, 0.10f, 0.5f, 2.4f},
      {{0.0f, 0.85f, 0.32f}, 0.065f, 0.07f, 0.58f, 2.9f},    {{0.0f, 0.94f, 0.37f}, 0.06f, 0.062f, 0.66f, 3.5f},
      {{0.0f, 1.01f, 0.41f}, 0.075f, 0.072f, 0.74f, 4.3f},   {{0.0f, 1.035f, 0.47f}, 0.06f, 0.056f, 0.8f, 4.6f},
      {{0.0f, 1.025f, 0.52f}, 0.03f, 0.028f, 0.86f, 4.6f},   {{0.0f, 1.01f, 0.57f}, 0.013f, 0.012f, 0.93f, 4.6f},
      {{0.0f, 0.997f, 0.61f}, 0.002f, 0.002f, 1.0f, 4.6f}};
  builder.loft(keys, regions.body, [](float along) { return chain_influences({tail_1, body, neck_1, neck_2, head}, along); },
               {1.0f, 0.0f, 0.0f}, 64, 24);
  for (const float side : {1.0f, -1.0f}) {
    builder.ellipsoid({side * 0.052f, 1.035f, 0.46f}, {side, 0.0f, 0.0f}, 0.032f, 0.017f, 0.017f, regions.eye, {0.0f, 1.0f},
                      rigid(head), {0.0f, 1.0f, 0.0f});
  }
}

void add_crest(BirdBuilder& builder, const PhoenixRegions& regions) {
  for (int index = 0; index < 5; ++index) {
    const float fan = -24.0f + 12.0f * static_cast<float>(index);
    const float length = 0.30f - 0.035f * std::abs(static_cast<float>(index - 2));
    const float rise = glm::radians(55.0f - 6.0f * std::abs(static_cast<float>(index - 2)));
    const glm::vec3 root_point(0.012f * static_cast<float>(index - 2), 1.075f, 0.42f);
    const glm::vec3 direction = rotate_about(glm::vec3(0.0f, std::sin(rise), -std::cos(rise)), {0, 1, 0}, fan);
    FeatherShape shape;
    shape.spine = [=](float t) { return root_point + direction * (length * t) + glm::vec3(0.0f, -0.12f, -0.05f) * (length * t * t); };
    shape.across = [=](float) { return glm::normalize(glm::cross(direction, glm::vec3(0, 1, 0))); };
    shape.width = [](float t) { return 0.012f + 0.05f * std::exp(-std::pow((t - 0.84f) / 0.1f, 2.0f)) * (1.0f - smooth_step(0.93f, 1.0f, t)); };
    shape.segments = 16;
    builder.feather(shape, regions.plume, [](float) { return rigid(head); });
  }
  // Two long streamers flow from the back of the head, as in the old paintings.
  for (const float side : {1.0f, -1.0f}) {
    const glm::vec3 root_point(side * 0.04f, 1.04f, 0.37f);
    FeatherShape shape;
    shape.spine = [=](float t) {
      return root_point + glm::vec3(side * 0.10f * t, -0.30f * t + 0.12f * t * t, -0.42f * t) +
             glm::vec3(0.0f, 0.03f * std::sin(2.0f * pi * t), 0.0f);
    };
    shape.across = [=](float) { return glm::normalize(glm::vec3(side * 0.3f, 1.0f, 0.0f)); };
    shape.width = [](float t) { return 0.03f * (1.0f - 0.7f * t); };
    shape.segments = 20;
    builder.feather(shape, regions.streamer, [](float t) { return chain_influences({head, neck_2}, 0.5f + t); });
  }
}

void add_wing(BirdBuilder& builder, const PhoenixRegions& regions, float side) {
  const uint16_t upper = side > 0.0f ? wing_upper_l : wing_upper_r;
  const uint16_t fore = side > 0.0f ? wing_fore_l : wing_fore_r;
  const uint16_t hand = side > 0.0f ? wing_hand_l : wing_hand_r;
  // Along the arm: shoulder 0.10, elbow 0.42, wrist 0.76, tip 1.15 (distance out from the body).
  const auto along = [](float x) {
    if (x < 0.42f) return (x - 0.10f) / 0.32f;
    if (x < 0.76f) return 1.0f + (x - 0.42f) / 0.34f;
    return 2.0f + (x - 0.76f) / 0.39f;
  };
  const auto influences_at = [=](float x) { return chain_influences({upper, fore, hand}, along(x)); };
  const auto leading_edge = [=](float x) {
    const float out = (x - 0.10f) / 1.05f;
    return glm::vec3(side * x, 0.70f + 0.10f * out * out, 0.085f - 0.06f * out);
  };
  std::vector<LoftKey> arm;
  for (const float x : {0.05f, 0.25f, 0.42f, 0.6f, 0.76f, 0.95f, 1.12f}) {
    const float out = (x - 0.05f) / 1.07f;
    arm.push_back({leading_edge(x) + glm::vec3(0.0f, 0.0f, -0.015f), 0.045f * (1.0f - 0.8f * out), 0.035f * (1.0f - 0.8f * out),
                   0.36f, along(x)});
  }
  builder.loft(arm, regions.body, [=](float a) { return chain_influences({upper, fore, hand}, a); }, {0.0f, 0.0f, 1.0f}, 28, 12);

  struct Row {
    int count;
    float first_x, last_x;
    float lift, inset;
    const TextureRegion* region;
    float width;
  };
  const Row rows[] = {{28, 0.12f, 1.13f, 0.0f, 0.02f, &regions.flight, 0.085f},
                      {20, 0.12f, 1.0f, 0.014f, 0.01f, &regions.covert, 0.07f},
                      {14, 0.12f, 0.9f, 0.026f, 0.0f, &regions.covert, 0.05f}};
  for (size_t row_index = 0; row_index < 3; ++row_index) {
    const Row& row = rows[row_index];
    for (int index = 0; index < row.count; ++index) {
      const float f = static_cast<float>(index) / static_cast<float>(row.count - 1);
      const float x = glm::mix(row.first_x, row.last_x, f);
      // Flight feathers sweep from straight back at the body to straight out at the tip.
      const float hand_part = smooth_step(0.7f, 1.13f, x);
      const float sweep = 4.0f + 10.0f * f + 62.0f * hand_part * hand_part;
      float length = 0.0f;
      if (row_index == 0) length = 0.40f + 0.12f * smooth_step(0.1f, 0.76f, x) + 0.26f * smooth_step(0.7f, 1.05f, x) - 0.1f * smooth_step(1.05f, 1.13f, x);
      else if (row_index == 1) length = 0.22f + 0.06f * f;
      else length = 0.12f + 0.02f * f;
      const float lift = row.lift + 0.0015f * static_cast<float>(index);
      const glm::vec3 root_point = leading_edge(x) + glm::vec3(0.0f, lift, -row.inset);
      const glm::vec3 direction = glm::normalize(glm::vec3(side * std::sin(glm::radians(sweep)), -0.04f, -std::cos(glm::radians(sweep))));
      // Each vane tilts about its shaft so neighbours overlap like roof tiles.
      const glm::vec3 across = rotate_about(glm::normalize(glm::cross(glm::vec3(0, 1, 0), direction)), direction, side * 9.0f);
      const glm::vec3 droop = glm::vec3(0.0f, -0.05f, 0.0f) + glm::vec3(side * 0.04f, 0.0f, 0.0f) * hand_part;
      FeatherShape shape;
      shape.spine = [=](float t) { return root_point + direction * (length * t) + droop * (length * t * t); };
      shape.across = [=](float) { return across; };
      shape.width = [=](float t) { return feather_width(t, row.width); };
      shape.segments = row_index == 0 ? 10 : 6;
      builder.feather(shape, *row.region, [=](float) { return influences_at(x); });
    }
  }
}

// Maps a point of the tail to its place along the tail's chain of joints.
float tail_along(glm::vec3 point) {
  const float z = -point.z;
  if (z < 0.34f) return 0.0f;
  if (z < 0.70f) return (z - 0.34f) / 0.36f;
  if (z < 1.10f) return 1.0f + (z - 0.70f) / 0.40f;
  if (z < 1.55f) return 2.0f + (z - 1.10f) / 0.45f;
  return std::min(3.0f + (z - 1.55f) / 0.45f, 4.0f);
}

Influences tail_influences(glm::vec3 point) {
  const float along = tail_along(point);
  if (along <= 0.0f) return chain_influences({body, tail_1}, 1.3f);
  return chain_influences({tail_1, tail_2, tail_3, tail_4}, along);
}

void add_tail(BirdBuilder& builder, const PhoenixRegions& regions) {
  const glm::vec3 base(0.0f, 0.61f, -0.36f);
  const float fans[] = {0.0f, 9.0f, -9.0f, 18.0f, -18.0f, 27.0f, -27.0f};
  const float lengths[] = {1.95f, 1.8f, 1.8f, 1.62f, 1.62f, 1.4f, 1.4f};
  for (int index = 0; index < 7; ++index) {
    const float fan = glm::radians(fans[index]);
    const float length = lengths[index];
    const float sign = fans[index] >= 0.0f ? 1.0f : -1.0f;
    FeatherShape shape;
    shape.spine = [=](float t) {
      const float reach = length * t;
      const float wave = 0.06f * std::sin(2.0f * pi * t) * sign;
      return base + glm::vec3(std::sin(fan) * reach * (1.0f + 0.25f * t) + wave, -0.36f * std::sin(0.9f * pi * t) * (length / 1.95f) + 0.12f * t * t * t,
                              -std::cos(fan) * reach) +
             glm::vec3(0.0f, 0.004f * static_cast<float>(index), 0.0f);
    };
    // Plumes open like a folding fan: each vane turned a little more toward the viewer's side.
    const float tilt = 30.0f + 7.0f * static_cast<float>(index);
    shape.across = [=](float t) {
      const glm::vec3 direction = glm::normalize(shape.spine(std::min(t + 0.01f, 1.0f)) - shape.spine(std::max(t - 0.01f, 0.0f)));
      const glm::vec3 flat = glm::normalize(glm::cross(glm::vec3(0, 1, 0), direction));
      return rotate_about(flat, direction, sign * (tilt + 25.0f * std::sin(pi * t)));
    };
    shape.width = [](float t) {
      return (0.016f + 0.026f * smooth_step(0.0f, 0.25f, t) + 0.095f * std::exp(-std::pow((t - 0.84f) / 0.085f, 2.0f))) *
             (1.0f - 0.92f * smooth_step(0.93f, 1.0f, t));
    };
    shape.segments = 48;
    builder.feather(shape, regions.plume, [=](float t) { return tail_influences(shape.spine(t)); });
  }
  // Gold streamers curling out beyond the plumes.
  for (int index = 0; index < 4; ++index) {
    const float sign = index % 2 == 0 ? 1.0f : -1.0f;
    const float spread = index < 2 ? 0.10f : 0.22f;
    const float length = index < 2 ? 2.1f : 1.75f;
    FeatherShape shape;
    shape.spine = [=](float t) {
      const float reach = length * t;
      return base + glm::vec3(sign * (spread * reach + 0.08f * std::sin(3.0f * pi * t)), -0.30f * std::sin(0.85f * pi * t) + 0.1f * std::sin(2.5f * pi * t) * t,
                              -reach * 0.97f);
    };
    shape.across = [=](float t) { return glm::normalize(glm::vec3(0.3f * sign, 1.0f, 0.15f * std::sin(4.0f * t))); };
    shape.width = [](float t) { return 0.024f * (1.0f - 0.75f * t) + 0.02f * std::exp(-std::pow((t - 0.95f) / 0.04f, 2.0f)); };
    shape.segments = 48;
    builder.feather(shape, regions.streamer, [=](float t) { return tail_influences(shape.spine(t)); });
  }
  // Tail coverts hide where the plumes begin.
  for (int index = 0; index < 9; ++index) {
    const float fan = glm::radians(-32.0f + 8.0f * static_cast<float>(index));
    const glm::vec3 direction = glm::normalize(glm::vec3(std::sin(fan), -0.25f, -std::cos(fan)));
    const glm::vec3 root_point = base + glm::vec3(0.0f, 0.05f + 0.003f * static_cast<float>(index % 3), 0.12f);
    FeatherShape shape;
    shape.spine = [=](float t) { return root_point + direction * (0.42f * t) + glm::vec3(0.0f, -0.06f * t * t, 0.0f); };
    shape.across = [=](float) { return rotate_about(glm::normalize(glm::cross(glm::vec3(0, 1, 0), direction)), direction, 12.0f); };
    shape.width = [](float t) { return feather_width(t, 0.085f); };
    shape.segments = 8;
    builder.feather(shape, regions.covert, [=](float t) { return tail_influences(shape.spine(t)); });
  }
}

void add_legs(BirdBuilder& builder, const PhoenixRegions& regions) {
  for (const float side : {1.0f, -1.0f}) {
    const uint16_t leg = side > 0.0f ? leg_l : leg_r;
    const glm::vec3 ankle(side * 0.085f, 0.05f, 0.04f);
    builder.loft({{{side * 0.08f, 0.56f, 0.02f}, 0.035f, 0.035f, 0.0f, 0.0f},
                  {{side * 0.085f, 0.32f, -0.03f}, 0.02f, 0.02f, 0.5f, 0.0f},
                  {ankle, 0.015f, 0.015f, 1.0f, 0.0f}},
                 regions.leg, [=](float) { return rigid(leg); }, {1.0f, 0.0f, 0.0f}, 12, 10);
    for (const float toe : {-28.0f, 0.0f, 28.0f, 180.0f}) {
      const float length = toe == 180.0f ? 0.06f : 0.1f;
      const glm::vec3 direction = rotate_about(glm::vec3(0.0f, -0.35f, 1.0f), {0, 1, 0}, toe + side * 6.0f);
      builder.loft({{ankle, 0.014f, 0.012f, 0.2f, 0.0f},
                    {ankle + direction * (length * 0.6f), 0.01f, 0.009f, 0.6f, 0.0f},
                    {ankle + direction * length + glm::vec3(0.0f, -0.01f, 0.0f), 0.002f, 0.002f, 1.0f, 0.0f}},
                   regions.leg, [=](float) { return rigid(leg); }, {0.0f, 1.0f, 0.0f}, 8, 8);
    }
  }
}

// Wing poses, authored for the left wing and mirrored for the right.
struct WingPose {
  glm::quat upper, fore, hand;
};

WingPose beat_pose(float phase, float amplitude) {
  // The hand lags the arm: a whip that reads as a soft, strong beat.
  return {euler_degrees(6.0f * std::sin(phase), 0.0f, amplitude * std::cos(phase)),
          euler_degrees(0.0f, 0.0f, 0.5f * amplitude * std::cos(phase - 0.6f)),
          euler_degrees(-4.0f * std::sin(phase), 0.0f, 0.65f * amplitude * std::cos(phase - 1.2f))};
}

WingPose folded_pose() {
  // Swept back along the flanks and turned up, the flight feathers rise behind the back like a
  // held fan: the phoenix of the old paintings, and clear of the ground.
  return {euler_degrees(0.0f, 62.0f, 0.0f) * euler_degrees(58.0f, 0.0f, 8.0f), euler_degrees(0.0f, 14.0f, 0.0f),
          euler_degrees(0.0f, 30.0f, 0.0f)};
}

WingPose blend(const WingPose& a, const WingPose& b, float t) {
  return {glm::slerp(a.upper, b.upper, t), glm::slerp(a.fore, b.fore, t), glm::slerp(a.hand, b.hand, t)};
}

void add_wing_motions(std::vector<JointMotion>& motions, const std::function<WingPose(float t)>& pose) {
  motions.push_back({wing_upper_l, [=](float t) { return pose(t).upper; }, {}});
  motions.push_back({wing_fore_l, [=](float t) { return pose(t).fore; }, {}});
  motions.push_back({wing_hand_l, [=](float t) { return pose(t).hand; }, {}});
  motions.push_back({wing_upper_r, [=](float t) { return mirror_x(pose(t).upper); }, {}});
  motions.push_back({wing_fore_r, [=](float t) { return mirror_x(pose(t).fore); }, {}});
  motions.push_back({wing_hand_r, [=](float t) { return mirror_x(pose(t).hand); }, {}});
}

void add_tail_motions(std::vector<JointMotion>& motions, const std::function<glm::quat(int bone, float t)>& pose) {
  const uint16_t bones[] = {tail_1, tail_2, tail_3, tail_4};
  for (int index = 0; index < 4; ++index) motions.push_back({bones[index], [=](float t) { return pose(index, t); }, {}});
}

constexpr float key_rate = 30.0f;
constexpr float fly_period = 1.2f;
constexpr float fly_tail_lift = 14.0f;
constexpr float fly_leg_tuck = 75.0f;
constexpr float flight_height = 1.2f;

std::vector<Clip> phoenix_clips() {
  std::vector<Clip> clips;
  {
    const float omega = 2.0f * pi / fly_period;
    std::vector<JointMotion> motions;
    // Flies at the height alight starts from, bobbing against the beat.
    motions.push_back({root, {}, [=](float t) { return glm::vec3(0.0f, flight_height - 0.05f * std::sin(omega * t), 0.0f); }});
    motions.push_back({body, [=](float t) { return euler_degrees(-2.0f * std::sin(omega * t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_1, [=](float t) { return euler_degrees(18.0f + 2.5f * std::sin(omega * t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_2, [=](float t) { return euler_degrees(6.0f + 1.5f * std::sin(omega * t - 0.4f), 0.0f, 0.0f); }, {}});
    motions.push_back({head, [=](float t) { return euler_degrees(-22.0f - 3.0f * std::sin(omega * t - 0.8f), 0.0f, 0.0f); }, {}});
    add_wing_motions(motions, [=](float t) { return beat_pose(omega * t, 34.0f); });
    add_tail_motions(motions, [=](int bone, float t) {
      const float k = static_cast<float>(bone);
      return euler_degrees((bone == 0 ? fly_tail_lift : 0.0f) + (5.0f + 2.5f * k) * std::sin(omega * t - 0.9f * k),
                           (2.0f + 1.5f * k) * std::sin(omega * t - 0.7f * k + 1.0f), 0.0f);
    });
    motions.push_back({leg_l, [](float) { return euler_degrees(fly_leg_tuck, 0.0f, 0.0f); }, {}});
    motions.push_back({leg_r, [](float) { return euler_degrees(fly_leg_tuck, 0.0f, 0.0f); }, {}});
    clips.push_back(sample_clip("fly", fly_period, true, key_rate, motions));
  }
  {
    // Glides in from behind and above with slowing beats, flares (body up, wings wide, legs
    // forward), touches down at 1.7 s and folds its wings.
    constexpr float duration = 2.4f;
    constexpr float touchdown = 1.7f;
    std::vector<JointMotion> motions;
    motions.push_back({root, {}, [=](float t) {
      const float e = smooth_step(0.0f, touchdown, t);
      return glm::vec3(0.0f, flight_height * (1.0f - e) * (1.0f - e), -1.4f * (1.0f - e));
    }});
    const auto flare = [=](float t) { return smooth_step(0.9f, 1.4f, t) * (1.0f - smooth_step(1.6f, 2.1f, t)); };
    const auto settle = [=](float t) { return smooth_step(1.6f, 2.3f, t); };
    motions.push_back({body, [=](float t) { return euler_degrees(-12.0f * flare(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_1, [=](float t) { return euler_degrees(18.0f * (1.0f - settle(t)) - 10.0f * flare(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_2, [=](float t) { return euler_degrees(6.0f * (1.0f - settle(t)), 0.0f, 0.0f); }, {}});
    motions.push_back({head, [=](float t) { return euler_degrees(-22.0f * (1.0f - settle(t)) + 14.0f * flare(t), 0.0f, 0.0f); }, {}});
    add_wing_motions(motions, [=](float t) {
      // Beats slow from the flight's pace as it glides down, then the wings spread to brake.
      const float phase = 2.0f * pi * (t / fly_period - 0.18f * t * t);
      const WingPose beating = beat_pose(phase, 34.0f * (1.0f - 0.5f * smooth_step(0.0f, 0.9f, t)));
      const WingPose braking = {euler_degrees(-18.0f, -8.0f, 30.0f), euler_degrees(0.0f, 0.0f, 8.0f), euler_degrees(0.0f, -6.0f, 6.0f)};
      return blend(blend(beating, braking, smooth_step(0.8f, 1.3f, t)), folded_pose(), settle(t));
    });
    add_tail_motions(motions, [=](int bone, float t) {
      const float k = static_cast<float>(bone);
      const float flight = 1.0f - smooth_step(0.6f, 1.2f, t);
      const float fly_part = (bone == 0 ? fly_tail_lift : 0.0f) + (5.0f + 2.5f * k) * std::sin(2.0f * pi * t / fly_period - 0.9f * k);
      // The tail lifts as an air brake (and clear of the ground), then swings once as the bird settles.
      const float brake = (bone == 0 ? 22.0f : 4.0f) * flare(t);
      const float swing = 5.0f * std::sin(2.0f * pi * (t - 1.7f) / 0.9f - 0.8f * k) * smooth_step(1.6f, 1.8f, t) * (1.0f - smooth_step(1.9f, 2.4f, t));
      return euler_degrees(fly_part * flight + brake + swing, 0.0f, 0.0f);
    });
    const auto legs = [=](float t) {
      const float forward = smooth_step(0.6f, 1.3f, t) * (1.0f - smooth_step(1.5f, touchdown, t));
      const float tucked = 1.0f - smooth_step(0.5f, 1.1f, t);
      return euler_degrees(fly_leg_tuck * tucked - 35.0f * forward, 0.0f, 0.0f);
    };
    motions.push_back({leg_l, legs, {}});
    motions.push_back({leg_r, legs, {}});
    clips.push_back(sample_clip("alight", duration, false, key_rate, motions));
  }
  {
    constexpr float duration = 3.0f;
    const float omega = 2.0f * pi / duration;
    std::vector<JointMotion> motions;
    motions.push_back({body, [=](float t) { return euler_degrees(1.5f * std::sin(omega * t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_1, [=](float t) { return euler_degrees(2.0f * std::sin(omega * t + 0.3f), 6.0f * std::sin(omega * t), 0.0f); }, {}});
    motions.push_back({neck_2, [=](float t) { return euler_degrees(0.0f, 4.0f * std::sin(omega * t - 0.4f), 0.0f); }, {}});
    motions.push_back({head, [=](float t) {
      return euler_degrees(4.0f * std::sin(2.0f * omega * t), -10.0f * std::sin(omega * t + 0.5f), 3.0f * std::sin(omega * t));
    }, {}});
    add_wing_motions(motions, [=](float t) {
      // Breathing stirs the folded wings.
      const WingPose folded = folded_pose();
      return WingPose{folded.upper * euler_degrees(0.0f, 0.0f, 1.5f * std::sin(omega * t)), folded.fore, folded.hand};
    });
    add_tail_motions(motions, [=](int bone, float t) {
      const float k = static_cast<float>(bone);
      return euler_degrees(2.0f * std::sin(omega * t - 0.8f * k), (2.5f + k) * std::sin(omega * t - 0.7f * k), 0.0f);
    });
    clips.push_back(sample_clip("idle", duration, true, key_rate, motions));
  }
  return clips;
}

}  // namespace

RiggedModel make_phoenix() {
  const PhoenixRegions regions = phoenix_regions();
  BirdBuilder builder(texture_size);
  add_body(builder, regions);
  add_crest(builder, regions);
  add_wing(builder, regions, 1.0f);
  add_wing(builder, regions, -1.0f);
  add_tail(builder, regions);
  add_legs(builder, regions);
  ImageRgba8 color = paint_texture({regions.body, regions.eye, regions.leg, regions.streamer, regions.plume, regions.flight, regions.covert},
                                   texture_size);
  RiggedModel model = std::move(builder).finish("phoenix", phoenix_joints(), std::move(color), phoenix_clips());
  model.roughness = 0.45f;
  return model;
}

}  // namespace pavilion::procedural
