// 金鸡, the golden rooster: a proud upright body with a red comb and wattles, a mane of gold
// hackles, folded wings that open to flap, arched tail sickles edged in gold, and yellow legs.
#include "bird_parts.h"
#include "pavilion/procedural/festival_birds.h"

#include <cmath>

namespace pavilion::procedural {

namespace {

using namespace birds;

enum RoosterJoint : uint16_t {
  root, body, neck_1, neck_2, head, wing_l, wing_tip_l, wing_r, wing_tip_r,
  tail_1, tail_2, tail_3, thigh_l, shin_l, thigh_r, shin_r, joint_count
};

std::vector<Joint> rooster_joints() {
  struct Placed { const char* name; int32_t parent; glm::vec3 world; };
  const Placed placed[joint_count] = {
      {"root", -1, {0.0f, 0.0f, 0.0f}},          {"body", root, {0.0f, 0.42f, 0.0f}},
      {"neck_1", body, {0.0f, 0.52f, 0.14f}},    {"neck_2", neck_1, {0.0f, 0.62f, 0.17f}},
      {"head", neck_2, {0.0f, 0.71f, 0.19f}},    {"wing.L", body, {0.11f, 0.49f, 0.07f}},
      {"wing_tip.L", wing_l, {0.125f, 0.45f, -0.10f}}, {"wing.R", body, {-0.11f, 0.49f, 0.07f}},
      {"wing_tip.R", wing_r, {-0.125f, 0.45f, -0.10f}}, {"tail_1", body, {0.0f, 0.50f, -0.17f}},
      {"tail_2", tail_1, {0.0f, 0.64f, -0.27f}}, {"tail_3", tail_2, {0.0f, 0.68f, -0.43f}},
      {"thigh.L", body, {0.07f, 0.36f, 0.0f}},   {"shin.L", thigh_l, {0.075f, 0.24f, -0.01f}},
      {"thigh.R", body, {-0.07f, 0.36f, 0.0f}},  {"shin.R", thigh_r, {-0.075f, 0.24f, -0.01f}}};
  std::vector<Joint> joints;
  for (const Placed& joint : placed) {
    const glm::vec3 parent = joint.parent >= 0 ? placed[joint.parent].world : glm::vec3(0.0f);
    joints.push_back({joint.name, joint.parent, joint.world - parent});
  }
  return joints;
}

constexpr uint32_t texture_size = 256;

struct RoosterRegions {
  TextureRegion body, comb, eye, leg, hackle, flight, covert, sickle;
};

RoosterRegions rooster_regions() {
  RoosterRegions regions;
  regions.body = {0, 48, [](float u, float v) {
    const glm::vec3 back = ramp(u, {{0.0f, rgb(0x6e1a10)}, {0.2f, rgb(0xb3361a)}, {0.42f, rgb(0xd9561e)}, {0.55f, rgb(0xf2a634)},
                                    {0.66f, rgb(0xf7c04a)}, {0.7f, rgb(0xd9301e)}, {0.86f, rgb(0xd9301e)}, {0.88f, rgb(0xf0c75e)},
                                    {1.0f, rgb(0xf8dd8a)}});
    const glm::vec3 breast = ramp(u, {{0.0f, rgb(0x5a1410)}, {0.3f, rgb(0x8e2a14)}, {0.45f, rgb(0xa8401a)}, {0.6f, rgb(0xe89a2e)},
                                      {0.68f, rgb(0xf2b134)}, {0.72f, rgb(0xd9301e)}, {0.86f, rgb(0xd9301e)}, {0.88f, rgb(0xf0c75e)},
                                      {1.0f, rgb(0xf8dd8a)}});
    const glm::vec3 colour = glm::mix(back, breast, smooth_step(0.35f, 0.8f, v));
    const float scallop = 0.5f + 0.5f * std::sin(u * 2.0f * pi * 26.0f) * std::sin(v * pi * 8.0f);
    return colour * (1.0f - 0.14f * (1.0f - scallop) * (1.0f - smooth_step(0.66f, 0.7f, u)));
  }};
  regions.comb = {48, 16, [](float u, float) { return ramp(u, {{0.0f, rgb(0xa8121e)}, {0.6f, rgb(0xdc1f2c)}, {1.0f, rgb(0xf0413c)}}); }};
  regions.eye = {64, 16, [](float u, float) {
    return ramp(u, {{0.0f, rgb(0xd9301e)}, {0.5f, rgb(0xd9301e)}, {0.56f, rgb(0xf29a1f)}, {0.72f, rgb(0xf2a634)}, {0.76f, rgb(0x120806)},
                    {1.0f, rgb(0x120806)}});
  }};
  regions.leg = {80, 16, [](float u, float) {
    const float scales = 0.85f + 0.15f * smooth_step(0.3f, 0.5f, std::abs(std::fmod(u * 20.0f, 1.0f) - 0.5f));
    return rgb(0xe8b84a) * scales;
  }};
  regions.hackle = {96, 32, [](float u, float v) {
    const glm::vec3 colour = ramp(u, {{0.0f, rgb(0xf7c04a)}, {0.6f, rgb(0xffcf5a)}, {1.0f, rgb(0xf28a1f)}});
    // Hackles carry a dark stripe along the shaft.
    return glm::mix(rgb(0x7a2a10), vane(colour, rgb(0xffe08a), u, v), smooth_step(0.05f, 0.12f, std::abs(v - 0.5f)) * 0.7f + 0.3f);
  }};
  regions.flight = {128, 32, [](float u, float v) {
    const glm::vec3 colour = ramp(u, {{0.0f, rgb(0xe8a53a)}, {0.35f, rgb(0xb8461c)}, {0.8f, rgb(0x7a2410)}, {1.0f, rgb(0x4a1608)}});
    return vane(colour, rgb(0xf0c75e), u, v);
  }};
  regions.covert = {160, 32, [](float u, float v) {
    const glm::vec3 colour = ramp(u, {{0.0f, rgb(0xc2401a)}, {0.6f, rgb(0xe07a22)}, {1.0f, rgb(0xf2a634)}});
    return vane(colour, rgb(0xf7c04a), u, v);
  }};
  regions.sickle = {192, 64, [](float u, float v) {
    glm::vec3 colour = ramp(u, {{0.0f, rgb(0xe06a1e)}, {0.3f, rgb(0xb0241a)}, {0.75f, rgb(0x5a1020)}, {1.0f, rgb(0x2e0a16)}});
    colour = vane(colour, rgb(0xf2b134), u, v);
    return glm::mix(colour, rgb(0xf2b134), 0.75f * smooth_step(0.36f, 0.44f, std::abs(v - 0.5f)));
  }};
  return regions;
}

void add_body(BirdBuilder& builder, const RoosterRegions& regions) {
  const std::vector<LoftKey> keys = {
      {{0.0f, 0.53f, -0.25f}, 0.03f, 0.03f, 0.0f, 0.3f},      {{0.0f, 0.50f, -0.18f}, 0.09f, 0.08f, 0.08f, 0.8f},
      {{0.0f, 0.44f, -0.07f}, 0.14f, 0.13f, 0.2f, 1.4f},      {{0.0f, 0.42f, 0.05f}, 0.14f, 0.14f, 0.3f, 1.6f},
      {{0.0f, 0.47f, 0.14f}, 0.115f, 0.12f, 0.4f, 1.9f},      {{0.0f, 0.55f, 0.175f}, 0.075f, 0.08f, 0.5f, 2.4f},
      {{0.0f, 0.63f, 0.185f}, 0.06f, 0.065f, 0.6f, 3.0f},     {{0.0f, 0.70f, 0.19f}, 0.052f, 0.056f, 0.67f, 3.8f},
      {{0.0f, 0.735f, 0.205f}, 0.046f, 0.046f, 0.74f, 4.5f},  {{0.0f, 0.73f, 0.24f}, 0.032f, 0.034f, 0.82f, 4.6f},
      {{0.0f, 0.716f, 0.262f}, 0.016f, 0.017f, 0.88f, 4.6f},  {{0.0f, 0.70f, 0.288f}, 0.002f, 0.002f, 1.0f, 4.6f}};
  builder.loft(keys, regions.body, [](float along) { return chain_influences({tail_1, body, neck_1, neck_2, head}, along); },
               {1.0f, 0.0f, 0.0f}, 56, 24);
  for (const float side : {1.0f, -1.0f}) {
    builder.ellipsoid({side * 0.036f, 0.745f, 0.215f}, {side, 0.0f, 0.0f}, 0.028f, 0.012f, 0.012f, regions.eye, {0.0f, 1.0f},
                      rigid(head), {0.0f, 1.0f, 0.0f});
    builder.ellipsoid({side * 0.012f, 0.672f, 0.238f}, {0.0f, -1.0f, 0.15f}, 0.075f, 0.009f, 0.02f, regions.comb, {1.0f, 0.3f},
                      rigid(head));
  }
  // The comb: five lobes standing in an arc along the crown, the middle ones tallest.
  for (int index = 0; index < 5; ++index) {
    const float k = static_cast<float>(index - 2);
    const float length = 0.075f - 0.011f * std::abs(k);
    const glm::vec3 axis(0.0f, 1.0f, -0.28f * k);
    const glm::vec3 base(0.0f, 0.765f, 0.215f - 0.022f * k);
    builder.ellipsoid(base + glm::normalize(axis) * (0.35f * length), axis, length, 0.008f, 0.019f, regions.comb, {0.0f, 1.0f},
                      rigid(head));
  }
}

void add_hackles(BirdBuilder& builder, const RoosterRegions& regions) {
  // Two rings of lance-shaped gold feathers falling from the neck over the shoulders.
  for (int ring = 0; ring < 2; ++ring) {
    const glm::vec3 centre = ring == 0 ? glm::vec3(0.0f, 0.68f, 0.185f) : glm::vec3(0.0f, 0.60f, 0.18f);
    const float radius = ring == 0 ? 0.05f : 0.062f;
    const int count = ring == 0 ? 14 : 18;
    for (int index = 0; index < count; ++index) {
      const float angle = glm::radians(-150.0f + 300.0f * static_cast<float>(index) / static_cast<float>(count - 1));
      const glm::vec3 outward(std::sin(angle), 0.0f, -std::cos(angle));
      const glm::vec3 root_point = centre + outward * radius;
      // Longest down the back, shorter toward the throat.
      const float length = (ring == 0 ? 0.15f : 0.2f) * (0.85f + 0.15f * std::cos(angle));
      const glm::vec3 direction = glm::normalize(glm::vec3(0.0f, -1.0f, -0.25f) + outward * 0.55f);
      FeatherShape shape;
      shape.spine = [=](float t) { return root_point + direction * (length * t) + outward * (0.04f * length * t * t); };
      shape.across = [=](float) { return glm::normalize(glm::cross(direction, outward)); };
      shape.width = [](float t) { return 0.034f * std::sin(pi * std::min(1.0f, 0.15f + 0.85f * t)) + 0.004f; };
      shape.segments = 8;
      const float root_along = ring == 0 ? 3.3f : 2.8f;
      builder.feather(shape, regions.hackle, [=](float t) { return chain_influences({body, neck_1, neck_2, head}, root_along - 0.9f * t); });
    }
  }
  // Saddle feathers flow over the back toward the tail.
  for (int index = 0; index < 9; ++index) {
    const float k = static_cast<float>(index - 4);
    const glm::vec3 root_point(0.018f * k, 0.56f - 0.006f * std::abs(k), -0.02f);
    const glm::vec3 direction = glm::normalize(glm::vec3(0.14f * k, -0.35f, -1.0f));
    FeatherShape shape;
    shape.spine = [=](float t) { return root_point + direction * (0.24f * t) + glm::vec3(0.0f, -0.05f * t * t, 0.0f); };
    shape.across = [=](float) { return rotate_about(glm::normalize(glm::cross(glm::vec3(0, 1, 0), direction)), direction, 10.0f * k); };
    shape.width = [](float t) { return 0.04f * std::sin(pi * std::min(1.0f, 0.15f + 0.85f * t)) + 0.004f; };
    shape.segments = 8;
    builder.feather(shape, regions.hackle, [](float t) { return chain_influences({body, tail_1}, 1.2f + 0.6f * t); });
  }
}

void add_wing(BirdBuilder& builder, const RoosterRegions& regions, float side) {
  const uint16_t wing = side > 0.0f ? wing_l : wing_r;
  const uint16_t tip = side > 0.0f ? wing_tip_l : wing_tip_r;
  struct Row { int count; float length, growth, width, out; const TextureRegion* region; float top; };
  const Row rows[] = {{12, 0.2f, 0.012f, 0.06f, 0.0f, &regions.flight, 0.0f},
                      {10, 0.12f, 0.004f, 0.05f, 0.006f, &regions.covert, 0.025f},
                      {8, 0.07f, 0.0f, 0.04f, 0.012f, &regions.covert, 0.045f}};
  for (const Row& row : rows) {
    for (int index = 0; index < row.count; ++index) {
      const float f = static_cast<float>(index) / static_cast<float>(row.count - 1);
      // Folded against the body: the feathers lie back and a little down along the flank.
      const glm::vec3 root_point(side * (0.132f + row.out + 0.0015f * static_cast<float>(index)), 0.49f - 0.05f * f + row.top, 0.06f - 0.13f * f);
      const glm::vec3 direction = glm::normalize(glm::vec3(side * 0.04f, -0.5f + 0.35f * f, -1.0f));
      const glm::vec3 normal(side, 0.0f, 0.0f);
      const glm::vec3 across = rotate_about(glm::normalize(glm::cross(normal, direction)), direction, side * 8.0f);
      const float length = row.length + row.growth * static_cast<float>(index);
      FeatherShape shape;
      shape.spine = [=](float t) { return root_point + direction * (length * t) + glm::vec3(side * 0.01f, -0.02f, 0.0f) * (t * t); };
      shape.across = [=](float) { return across; };
      shape.width = [=](float t) { return feather_width(t, row.width); };
      shape.segments = 6;
      builder.feather(shape, *row.region, [=](float t) { return chain_influences({wing, tip}, 0.5f + 0.6f * f + 0.4f * t); });
    }
  }
}

float tail_along(float t) { return 0.3f + 2.6f * t; }

void add_tail(BirdBuilder& builder, const RoosterRegions& regions) {
  // Sickles: long arched feathers rising from the tail and falling behind in a fan.
  for (int index = 0; index < 7; ++index) {
    const float k = static_cast<float>(index - 3);
    const float height = 0.34f - 0.025f * std::abs(k);
    const float reach = 0.5f + 0.04f * (3.0f - std::abs(k));
    const glm::vec3 root_point(0.012f * k, 0.52f, -0.22f);
    FeatherShape shape;
    shape.spine = [=](float t) {
      return root_point + glm::vec3(0.05f * k * t, height * std::sin(pi * 0.9f * t) - 0.16f * t * t, -reach * t);
    };
    shape.across = [=](float t) {
      const glm::vec3 direction = glm::normalize(shape.spine(std::min(t + 0.01f, 1.0f)) - shape.spine(std::max(t - 0.01f, 0.0f)));
      return rotate_about(glm::normalize(glm::cross(glm::vec3(1, 0, 0), direction)), direction, 6.0f * k);
    };
    shape.width = [](float t) { return 0.052f * (0.5f + 0.5f * smooth_step(0.0f, 0.2f, t)) * (1.0f - 0.85f * smooth_step(0.55f, 1.0f, t)); };
    shape.segments = 24;
    builder.feather(shape, regions.sickle, [](float t) { return chain_influences({tail_1, tail_2, tail_3}, tail_along(t)); });
  }
  // The tail proper: a fan of straighter feathers behind the sickles.
  for (int index = 0; index < 8; ++index) {
    const float k = static_cast<float>(index) - 3.5f;
    const glm::vec3 root_point(0.01f * k, 0.51f, -0.2f);
    const glm::vec3 direction = glm::normalize(glm::vec3(0.12f * k, 1.0f, -0.9f));
    FeatherShape shape;
    shape.spine = [=](float t) { return root_point + direction * (0.3f * t) + glm::vec3(0.0f, -0.05f, -0.04f) * (t * t); };
    shape.across = [=](float) { return rotate_about(glm::normalize(glm::cross(glm::vec3(1, 0, 0), direction)), direction, 8.0f * k); };
    shape.width = [](float t) { return feather_width(t, 0.07f); };
    shape.segments = 8;
    builder.feather(shape, regions.flight, [](float t) { return chain_influences({tail_1, tail_2}, 0.4f + 1.2f * t); });
  }
}

void add_legs(BirdBuilder& builder, const RoosterRegions& regions) {
  for (const float side : {1.0f, -1.0f}) {
    const uint16_t thigh = side > 0.0f ? thigh_l : thigh_r;
    const uint16_t shin = side > 0.0f ? shin_l : shin_r;
    builder.ellipsoid({side * 0.072f, 0.31f, 0.0f}, {0.0f, -1.0f, -0.1f}, 0.16f, 0.045f, 0.05f, regions.body, {0.18f, 0.22f}, rigid(thigh));
    const glm::vec3 ankle(side * 0.078f, 0.04f, 0.015f);
    builder.loft({{{side * 0.075f, 0.25f, -0.01f}, 0.022f, 0.022f, 0.0f, 0.0f},
                  {{side * 0.077f, 0.14f, 0.0f}, 0.016f, 0.016f, 0.5f, 0.0f},
                  {ankle, 0.014f, 0.014f, 1.0f, 0.0f}},
                 regions.leg, [=](float) { return rigid(shin); }, {1.0f, 0.0f, 0.0f}, 12, 10);
    for (const float toe : {-30.0f, 0.0f, 30.0f, 180.0f}) {
      const float length = toe == 180.0f ? 0.045f : 0.085f;
      const glm::vec3 direction = rotate_about(glm::vec3(0.0f, -0.4f, 1.0f), {0, 1, 0}, toe + side * 6.0f);
      builder.loft({{ankle, 0.013f, 0.011f, 0.2f, 0.0f},
                    {ankle + direction * (length * 0.6f), 0.009f, 0.008f, 0.6f, 0.0f},
                    {ankle + direction * length + glm::vec3(0.0f, -0.01f, 0.0f), 0.002f, 0.002f, 1.0f, 0.0f}},
                   regions.leg, [=](float) { return rigid(shin); }, {0.0f, 1.0f, 0.0f}, 8, 8);
    }
  }
}

constexpr float key_rate = 30.0f;

// The legs keep the feet planted while the body pitches: the thighs turn against it.
void add_planted_legs(std::vector<JointMotion>& motions, const std::function<float(float t)>& body_pitch) {
  for (const uint16_t thigh : {thigh_l, thigh_r}) {
    motions.push_back({thigh, [=](float t) { return euler_degrees(-body_pitch(t), 0.0f, 0.0f); }, {}});
  }
}

void add_wings(std::vector<JointMotion>& motions, const std::function<float(float t)>& open, const std::function<float(float t)>& tip) {
  motions.push_back({wing_l, [=](float t) { return euler_degrees(0.0f, -0.3f * open(t), open(t)); }, {}});
  motions.push_back({wing_tip_l, [=](float t) { return euler_degrees(0.0f, 0.0f, tip(t)); }, {}});
  motions.push_back({wing_r, [=](float t) { return mirror_x(euler_degrees(0.0f, -0.3f * open(t), open(t))); }, {}});
  motions.push_back({wing_tip_r, [=](float t) { return mirror_x(euler_degrees(0.0f, 0.0f, tip(t))); }, {}});
}

std::vector<Clip> rooster_clips() {
  std::vector<Clip> clips;
  const glm::vec3 neck_2_rest(0.0f, 0.10f, 0.03f);
  const glm::vec3 head_rest(0.0f, 0.09f, 0.02f);
  {
    constexpr float duration = 2.4f;
    const float omega = 2.0f * pi / duration;
    std::vector<JointMotion> motions;
    const auto pitch = [=](float t) { return 1.2f * std::sin(omega * t); };
    motions.push_back({body, [=](float t) { return euler_degrees(pitch(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_1, [=](float t) { return euler_degrees(3.0f * std::sin(omega * t + 0.5f), 0.0f, 0.0f); }, {}});
    // A rooster looks about in quick turns and holds each look.
    motions.push_back({head, [=](float t) {
      const float look = std::tanh(4.0f * std::sin(omega * t)) / std::tanh(4.0f);
      return euler_degrees(4.0f * std::sin(2.0f * omega * t), 28.0f * look, 5.0f * look);
    }, {}});
    motions.push_back({tail_1, [=](float t) { return euler_degrees(2.0f * std::sin(omega * t - 0.6f), 2.0f * std::sin(omega * t), 0.0f); }, {}});
    add_wings(motions, [=](float t) { return 2.0f + 1.5f * std::sin(omega * t); }, [](float) { return 0.0f; });
    add_planted_legs(motions, pitch);
    clips.push_back(sample_clip("idle", duration, true, key_rate, motions));
  }
  {
    // Flaps to rise, stretches the neck high with the beak up, holds the call, settles.
    constexpr float duration = 2.6f;
    const auto call = [](float t) { return smooth_step(0.45f, 0.8f, t) * (1.0f - smooth_step(2.0f, 2.5f, t)); };
    const auto flaps = [](float t) {
      const float beating = (1.0f - smooth_step(0.5f, 0.7f, t)) + smooth_step(1.9f, 2.0f, t) * (1.0f - smooth_step(2.2f, 2.35f, t));
      return beating * std::abs(std::sin(2.0f * pi * t / 0.3f));
    };
    const auto pitch = [=](float t) { return -14.0f * call(t) - 6.0f * flaps(t); };
    std::vector<JointMotion> motions;
    motions.push_back({body, [=](float t) { return euler_degrees(pitch(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_1, [=](float t) { return euler_degrees(-12.0f * call(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_2, [=](float t) { return euler_degrees(-8.0f * call(t), 0.0f, 0.0f); },
                       [=](float t) { return neck_2_rest * (1.0f + 0.3f * call(t)); }});
    motions.push_back({head, [=](float t) {
      // The call shakes the head a little as it rings out.
      const float tremble = 2.0f * std::sin(2.0f * pi * 9.0f * t) * smooth_step(0.8f, 1.0f, t) * (1.0f - smooth_step(1.8f, 2.0f, t));
      return euler_degrees(-38.0f * call(t) + tremble, 0.0f, 0.0f);
    }, [=](float t) { return head_rest * (1.0f + 0.25f * call(t)); }});
    motions.push_back({tail_1, [=](float t) { return euler_degrees(-10.0f * call(t), 0.0f, 0.0f); }, {}});
    add_wings(motions, [=](float t) { return 2.0f + 85.0f * flaps(t); }, [=](float t) { return 35.0f * flaps(t); });
    add_planted_legs(motions, pitch);
    clips.push_back(sample_clip("crow", duration, false, key_rate, motions));
  }
  {
    // Leans down and pecks twice at the ground.
    constexpr float duration = 1.2f;
    const auto lean = [](float t) { return smooth_step(0.0f, 0.3f, t) * (1.0f - smooth_step(0.9f, 1.2f, t)); };
    const auto strike = [](float t) {
      return std::exp(-std::pow((t - 0.45f) / 0.05f, 2.0f)) + std::exp(-std::pow((t - 0.72f) / 0.05f, 2.0f));
    };
    const auto pitch = [=](float t) { return 28.0f * lean(t); };
    std::vector<JointMotion> motions;
    motions.push_back({body, [=](float t) { return euler_degrees(pitch(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_1, [=](float t) { return euler_degrees(52.0f * lean(t) + 14.0f * strike(t), 0.0f, 0.0f); }, {}});
    motions.push_back({neck_2, [=](float t) { return euler_degrees(38.0f * lean(t) + 16.0f * strike(t), 0.0f, 0.0f); }, {}});
    motions.push_back({head, [=](float t) { return euler_degrees(-20.0f * lean(t) + 10.0f * strike(t), 8.0f * lean(t), 0.0f); }, {}});
    motions.push_back({tail_1, [=](float t) { return euler_degrees(-8.0f * lean(t), 0.0f, 0.0f); }, {}});
    add_wings(motions, [=](float t) { return 2.0f + 6.0f * strike(t); }, [](float) { return 0.0f; });
    add_planted_legs(motions, pitch);
    clips.push_back(sample_clip("peck", duration, false, key_rate, motions));
  }
  return clips;
}

}  // namespace

RiggedModel make_rooster() {
  const RoosterRegions regions = rooster_regions();
  BirdBuilder builder(texture_size);
  add_body(builder, regions);
  add_hackles(builder, regions);
  add_wing(builder, regions, 1.0f);
  add_wing(builder, regions, -1.0f);
  add_tail(builder, regions);
  add_legs(builder, regions);
  ImageRgba8 color = paint_texture({regions.body, regions.comb, regions.eye, regions.leg, regions.hackle, regions.flight, regions.covert,
                                    regions.sickle},
                                   texture_size);
  RiggedModel model = std::move(builder).finish("rooster", rooster_joints(), std::move(color), rooster_clips());
  model.roughness = 0.5f;
  return model;
}

}  // namespace pavilion::procedural
