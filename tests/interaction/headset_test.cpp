// What a headset visitor's hands and eyes do, without a headset: selection by ray and by gaze,
// snap turns, teleports and the way back to the start.
#include "pavilion/interaction/headset.h"
#include "pavilion/scene/picking.h"

#include <glm/gtc/matrix_transform.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace pavilion::interaction {
namespace {

// A room-sized exhibit the visitor stands in, a vase ahead and a bowl to the right.
std::vector<scene::Exhibit> exhibits() {
  std::vector<scene::Exhibit> out(3);
  out[0].id = "room";
  out[0].radius = 10.0f;
  out[1].id = "vase";
  out[1].position = {0.0f, 1.2f, -3.0f};
  out[1].radius = 0.4f;
  out[2].id = "bowl";
  out[2].position = {3.0f, 1.2f, 0.0f};
  out[2].radius = 0.4f;
  return out;
}

xr::HeadsetInput standing() {
  xr::HeadsetInput input;
  input.head_position = {0.0f, 1.6f, 0.0f};
  input.head_forward = {0.0f, 0.0f, -1.0f};
  return input;
}

xr::HandInput pointing(const glm::vec3& at) {
  xr::HandInput hand;
  hand.tracked = true;
  hand.ray_origin = {0.2f, 1.2f, -0.2f};
  hand.ray_direction = glm::normalize(at - hand.ray_origin);
  return hand;
}

TEST(ExhibitPicking, TheNearestExhibitAheadIsHitAndTheOneAroundTheVisitorIsNot) {
  const auto all = exhibits();
  const auto hit = scene::first_exhibit_hit(all, {0, 1.2f, 0}, {0, 0, -1}, 8.0f);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->exhibit, 1u);
  EXPECT_NEAR(hit->distance, 2.6f, 1e-4f);
  EXPECT_FALSE(scene::first_exhibit_hit(all, {0, 1.2f, 0}, {0, 0, -1}, 2.0f)) << "out of reach";
  EXPECT_FALSE(scene::first_exhibit_hit(all, {0, 1.2f, 0}, {0, 0, 1}, 8.0f)) << "behind";
}

TEST(HeadsetInteraction, PullingTheTriggerOnAnExhibitSelectsItAndBuzzesThatHand) {
  const auto all = exhibits();
  HeadsetInteraction interaction(all, glm::mat4(1.0f));
  xr::HeadsetInput input = standing();
  input.hands[1] = pointing(all[1].position);
  interaction.update(input, 0.011f);
  EXPECT_TRUE(interaction.hand_pointers()[1].on_exhibit);
  EXPECT_FALSE(interaction.hand_pointers()[0].shown);
  EXPECT_FALSE(interaction.selected());
  EXPECT_NEAR(interaction.hand_pointers()[1].to.z, -2.6f, 0.1f) << "the ray stops at the vase";

  input.hands[1].select = input.hands[1].select_pressed = true;
  interaction.update(input, 0.011f);
  EXPECT_EQ(interaction.selected(), 1u);
  EXPECT_FALSE(interaction.selected_by_gaze());
  EXPECT_EQ(interaction.pulses(), (std::array{false, true}));
  input.hands[1].select_pressed = false;  // held: nothing more happens
  interaction.update(input, 0.011f);
  EXPECT_EQ(interaction.pulses(), (std::array{false, false}));
  EXPECT_EQ(interaction.counters().selections, 1u);

  input.hands[1] = pointing({-3.0f, 1.2f, 0.0f});  // at the empty wall
  input.hands[1].select = input.hands[1].select_pressed = true;
  interaction.update(input, 0.011f);
  EXPECT_FALSE(interaction.selected()) << "pressing at nothing puts the selection down";
  EXPECT_EQ(interaction.pulses(), (std::array{false, false}));
}

TEST(HeadsetInteraction, WithoutControllersLookingAtAnExhibitLongEnoughSelectsIt) {
  const auto all = exhibits();
  HeadsetInteraction interaction(all, glm::mat4(1.0f), {.dwell_seconds = 1.0f});
  xr::HeadsetInput input = standing();
  input.head_forward = glm::normalize(all[1].position - input.head_position);
  interaction.update(input, 0.5f);
  EXPECT_TRUE(interaction.gaze().shown && interaction.gaze().on_exhibit);
  EXPECT_FLOAT_EQ(interaction.dwell_progress(), 0.5f);
  input.head_forward = glm::normalize(all[2].position - input.head_position);  // glances at the bowl
  interaction.update(input, 0.5f);
  EXPECT_FALSE(interaction.selected());
  EXPECT_FLOAT_EQ(interaction.dwell_progress(), 0.5f) << "the dwell starts again on the bowl";
  interaction.update(input, 0.6f);
  EXPECT_EQ(interaction.selected(), 2u);
  EXPECT_TRUE(interaction.selected_by_gaze()) << "the visit log records it as a gaze dwell";
  EXPECT_FLOAT_EQ(interaction.dwell_progress(), 0.0f);
  input.hands[0] = pointing(all[1].position);  // a controller wakes up: the gaze steps aside
  interaction.update(input, 0.5f);
  EXPECT_FALSE(interaction.gaze().shown);
}

TEST(HeadsetInteraction, TheThumbstickTurnsInSnapsAndTeleportsAlongTheFloor) {
  const auto all = exhibits();
  const glm::mat4 start = glm::translate(glm::mat4(1.0f), glm::vec3(0, 0, 2));
  HeadsetInteraction interaction(all, start);
  xr::HeadsetInput input = standing();
  input.hands[1] = pointing({1.0f, 0.0f, -2.0f});
  input.hands[1].thumbstick = {0.9f, 0.0f};
  interaction.update(input, 0.011f);
  interaction.update(input, 0.011f);  // still pushed: one flick, one turn
  EXPECT_EQ(interaction.counters().turns, 1u);
  // A right turn of 30° about the head: the stage's −Z now points right of where it did.
  const glm::vec3 ahead = glm::vec3(interaction.stage_to_world() * glm::vec4(0, 0, -1, 0));
  EXPECT_NEAR(ahead.x, 0.5f, 1e-4f);
  const glm::vec3 head_after = glm::vec3(interaction.stage_to_world() * glm::inverse(start) * glm::vec4(0, 1.6f, 0, 1));
  EXPECT_NEAR(head_after.x, 0.0f, 1e-4f) << "the visitor turns on the spot";
  input.hands[1].thumbstick = {0.0f, 0.0f};
  interaction.update(input, 0.011f);
  input.hands[1].thumbstick = {-0.9f, 0.0f};
  interaction.update(input, 0.011f);
  EXPECT_EQ(interaction.counters().turns, 2u);
  EXPECT_NEAR(glm::vec3(interaction.stage_to_world()[2]).x, 0.0f, 1e-4f) << "and back";

  // Forward aims at the floor 2 m ahead and to the right; letting go lands there.
  input.hands[1].thumbstick = {0.0f, 0.9f};
  interaction.update(input, 0.011f);
  EXPECT_TRUE(interaction.hand_pointers()[1].aiming_teleport);
  EXPECT_TRUE(interaction.hand_pointers()[1].teleport_possible);
  EXPECT_NEAR(interaction.hand_pointers()[1].to.y, 0.0f, 1e-4f);
  input.hands[1].thumbstick = {0.0f, 0.0f};
  interaction.update(input, 0.011f);
  EXPECT_EQ(interaction.counters().teleports, 1u);
  const glm::vec3 moved = glm::vec3(interaction.stage_to_world()[3]) - glm::vec3(start[3]);
  EXPECT_NEAR(moved.x, 1.0f, 1e-3f);
  EXPECT_NEAR(moved.z, -2.0f, 1e-3f);
  EXPECT_NEAR(moved.y, 0.0f, 1e-5f) << "the floor stays the floor";

  // Too far: the landing is refused and nothing moves.
  input.hands[1] = pointing({0.0f, 0.0f, -20.0f});
  input.hands[1].thumbstick = {0.0f, 0.9f};
  interaction.update(input, 0.011f);
  EXPECT_FALSE(interaction.hand_pointers()[1].teleport_possible);
  input.hands[1].thumbstick = {0.0f, 0.0f};
  interaction.update(input, 0.011f);
  EXPECT_EQ(interaction.counters().teleports, 1u);

  input.hands[1].menu_pressed = true;  // back to the entrance
  interaction.update(input, 0.011f);
  EXPECT_EQ(interaction.stage_to_world(), start);
  EXPECT_EQ(interaction.counters().returns_to_start, 1u);
}

TEST(HeadsetInteraction, SqueezingTheGripOnAnExhibitPicksItUpAndLettingGoPutsItBack) {
  const auto all = exhibits();
  HeadsetInteraction interaction(all, glm::mat4(1.0f));
  xr::HeadsetInput input = standing();
  input.hands[1] = pointing(all[1].position);
  input.hands[1].grip_to_world = glm::translate(glm::mat4(1.0f), input.hands[1].ray_origin);
  input.hands[1].grab = input.hands[1].grab_pressed = true;
  interaction.update(input, 0.011f);
  ASSERT_TRUE(interaction.held());
  EXPECT_EQ(interaction.held()->exhibit, 1u);
  EXPECT_EQ(interaction.selected(), 1u) << "what is picked up is selected";
  EXPECT_EQ(interaction.pulses(), (std::array{false, true}));
  EXPECT_EQ(interaction.counters().grabs, 1u);

  // The hand rises 30 cm and turns a quarter left: the vase goes with it.
  input.hands[1].grab_pressed = false;
  input.hands[1].grip_to_world = glm::translate(glm::mat4(1.0f), input.hands[1].ray_origin + glm::vec3(0, 0.3f, 0)) *
                                 glm::rotate(glm::mat4(1.0f), glm::radians(90.0f), glm::vec3(0, 1, 0));
  interaction.update(input, 0.011f);
  ASSERT_TRUE(interaction.held());
  const glm::vec3 vase_now = glm::vec3(interaction.held()->transform * glm::vec4(all[1].position, 1.0f));
  const glm::vec3 about_hand = all[1].position - input.hands[1].ray_origin;
  // A quarter turn left about +Y takes (x, y, z) to (z, y, −x).
  const glm::vec3 expected =
      input.hands[1].ray_origin + glm::vec3(0, 0.3f, 0) + glm::vec3(about_hand.z, about_hand.y, -about_hand.x);
  EXPECT_NEAR(glm::distance(vase_now, expected), 0.0f, 1e-3f)
      << vase_now.x << " " << vase_now.y << " " << vase_now.z;
  EXPECT_FALSE(interaction.put_back());

  input.hands[1].grab = false;  // let go
  interaction.update(input, 0.011f);
  EXPECT_FALSE(interaction.held());
  EXPECT_EQ(interaction.put_back(), 1u);
  interaction.update(input, 0.011f);
  EXPECT_FALSE(interaction.put_back()) << "put back once";

  // The room the visitor stands in is not something to pick up; nor is what is out of reach.
  input.hands[1] = pointing({-3.0f, 1.2f, 0.0f});
  input.hands[1].grab = input.hands[1].grab_pressed = true;
  interaction.update(input, 0.011f);
  EXPECT_FALSE(interaction.held());
}

// One hand alone, either one, reaches every action through the ring below the line of sight: its
// trigger on a button turns, steps through the exhibits, hides the label and goes back.
TEST(HeadsetInteraction, EitherHandAloneReachesEveryActionThroughTheRing) {
  const auto all = exhibits();
  for (const size_t hand : {size_t{0}, size_t{1}}) {
    HeadsetInteraction interaction(all, glm::mat4(1.0f));
    xr::HeadsetInput input = standing();
    interaction.update(input, 0.011f);  // the ring is placed
    // Looking ahead, a ray through the ring passes on: it hangs where rays to low exhibits pass.
    input.hands[hand] = pointing(interaction.ring()[4].centre);
    input.hands[hand].select = input.hands[hand].select_pressed = true;
    interaction.update(input, 0.011f);
    EXPECT_FALSE(interaction.hand_pointers()[hand].on_button);
    EXPECT_EQ(interaction.counters().ring_presses, 0u);
    input.hands[hand] = {};
    // Looking down at it (between two buttons), the hand presses its buttons.
    input.head_forward = glm::normalize((interaction.ring()[2].centre + interaction.ring()[3].centre) * 0.5f - input.head_position);
    interaction.update(input, 0.011f);
    const auto press = [&](RingAction action) {
      const auto& ring = interaction.ring();
      const auto button = std::ranges::find(ring, action, &RingButton::action);
      input.hands[hand] = pointing(button->centre);
      input.hands[hand].select = input.hands[hand].select_pressed = true;
      interaction.update(input, 0.011f);
      EXPECT_TRUE(interaction.hand_pointers()[hand].on_button);
      EXPECT_TRUE(std::ranges::find(interaction.ring(), action, &RingButton::action)->pointed_at);
      EXPECT_EQ(interaction.pulses()[hand], true) << "the pressing hand buzzes";
      input.hands[hand].select = input.hands[hand].select_pressed = false;
      interaction.update(input, 0.011f);
    };
    // Left to right as the visitor sees them: the first button lies left of the last.
    EXPECT_LT(interaction.ring().front().centre.x, interaction.ring().back().centre.x);
    EXPECT_LT(interaction.ring().front().centre.y, input.head_position.y - 0.2f) << "below the line of sight";

    press(RingAction::next_exhibit);
    EXPECT_EQ(interaction.selected(), 1u) << "the room the visitor stands in is skipped";
    press(RingAction::next_exhibit);
    EXPECT_EQ(interaction.selected(), 2u);
    press(RingAction::previous_exhibit);
    EXPECT_EQ(interaction.selected(), 1u);
    EXPECT_FALSE(interaction.selected_by_gaze());
    EXPECT_TRUE(interaction.text_shown());
    press(RingAction::toggle_text);
    EXPECT_FALSE(interaction.text_shown());
    press(RingAction::toggle_text);
    EXPECT_TRUE(interaction.text_shown());
    press(RingAction::turn_left);
    EXPECT_NEAR(glm::vec3(interaction.stage_to_world() * glm::vec4(0, 0, -1, 0)).x, -0.5f, 1e-4f) << "30° left";
    press(RingAction::turn_right);
    press(RingAction::turn_right);
    EXPECT_EQ(interaction.counters().turns, 3u);
    EXPECT_NEAR(glm::vec3(interaction.stage_to_world() * glm::vec4(0, 0, -1, 0)).x, 0.5f, 1e-4f) << "30° right";
    press(RingAction::back_to_start);
    EXPECT_EQ(interaction.stage_to_world(), glm::mat4(1.0f));
    EXPECT_EQ(interaction.counters().returns_to_start, 1u);
    // The vase is selected: going to it lands 0.8 m from its edge, on the side the visitor stood.
    press(RingAction::go_to_exhibit);
    EXPECT_EQ(interaction.counters().teleports, 1u);
    const glm::vec3 moved = glm::vec3(interaction.stage_to_world()[3]);
    EXPECT_NEAR(moved.z, -3.0f + 0.4f + 0.8f, 1e-4f);
    EXPECT_NEAR(moved.x, 0.0f, 1e-4f);
    EXPECT_NEAR(moved.y, 0.0f, 1e-6f) << "the floor stays the floor";
    EXPECT_EQ(interaction.counters().ring_presses, 10u);
    EXPECT_EQ(interaction.counters().vignettes, 0u) << "no vignette without reduced motion";

    // Looking at the button the hand points at, as one does, presses it once: by the hand.
    const auto turn_right = std::ranges::find(interaction.ring(), RingAction::turn_right, &RingButton::action);
    input.head_forward = glm::normalize(turn_right->centre - input.head_position);
    input.hands[hand] = pointing(turn_right->centre);
    for (int frame = 0; frame < 200; ++frame) interaction.update(input, 0.011f);
    EXPECT_EQ(interaction.counters().turns, 3u) << "the eyes do not press what the hand is on";
  }
}

// Each hand's menu button goes back to the start, the left's as the right's.
TEST(HeadsetInteraction, EitherHandsMenuGoesBackToTheStart) {
  const auto all = exhibits();
  const glm::mat4 start = glm::translate(glm::mat4(1.0f), glm::vec3(0, 0, 2));
  for (const size_t hand : {size_t{0}, size_t{1}}) {
    HeadsetInteraction interaction(all, start);
    xr::HeadsetInput input = standing();
    input.hands[hand] = pointing(all[1].position);
    input.hands[hand].thumbstick = {-0.9f, 0.0f};
    interaction.update(input, 0.011f);
    ASSERT_NE(interaction.stage_to_world(), start);
    input.hands[hand].thumbstick = {};
    input.hands[hand].menu_pressed = true;
    interaction.update(input, 0.011f);
    EXPECT_EQ(interaction.stage_to_world(), start);
  }
}

// With no controller at all, resting the eyes on a button presses it once; it presses again only
// after the eyes have left it. The ring stays put while the head looks along it.
TEST(HeadsetInteraction, TheEyesAlonePressTheRingsButtons) {
  const auto all = exhibits();
  HeadsetInteraction interaction(all, glm::mat4(1.0f), {.dwell_seconds = 1.0f});
  xr::HeadsetInput input = standing();
  // The head keeps its direction on the stage: a turn turns it in the world, as a headset's would.
  glm::vec3 looking{0.0f, 0.0f, -1.0f};
  const auto step = [&](float seconds) {
    input.head_forward = glm::vec3(interaction.stage_to_world() * glm::vec4(looking, 0.0f));
    interaction.update(input, seconds);
  };
  const auto look_at = [&](RingAction action) {
    step(0.0f);  // where the ring hangs since the last press
    const auto button = std::ranges::find(interaction.ring(), action, &RingButton::action);
    looking = glm::vec3(glm::inverse(interaction.stage_to_world()) *
                        glm::vec4(glm::normalize(button->centre - input.head_position), 0.0f));
  };
  step(0.011f);
  const RingButton placed = interaction.ring().back();
  look_at(RingAction::turn_right);
  step(0.6f);
  EXPECT_NEAR(interaction.ring().back().dwell_progress, 0.6f, 1e-5f);
  EXPECT_TRUE(interaction.ring().back().pointed_at);
  EXPECT_TRUE(interaction.gaze().shown && interaction.gaze().on_button);
  EXPECT_NEAR(glm::distance(interaction.ring().back().centre, placed.centre), 0.0f, 1e-5f)
      << "looking at the outermost button does not move the ring";
  EXPECT_EQ(interaction.counters().turns, 0u);
  step(0.5f);
  EXPECT_EQ(interaction.counters().turns, 1u);
  step(1.5f);
  EXPECT_EQ(interaction.counters().turns, 1u) << "once per look";
  EXPECT_TRUE(interaction.ring().back().pointed_at) << "the ring turned with the view";
  look_at(RingAction::next_exhibit);
  step(1.1f);
  EXPECT_EQ(interaction.selected(), 1u);
  EXPECT_TRUE(interaction.selected_by_gaze());
  look_at(RingAction::toggle_text);
  step(1.1f);
  EXPECT_FALSE(interaction.text_shown());
  look_at(RingAction::go_to_exhibit);
  step(1.1f);
  EXPECT_EQ(interaction.counters().teleports, 1u) << "a teleport by looking";
  look_at(RingAction::back_to_start);
  step(1.1f);
  EXPECT_EQ(interaction.counters().returns_to_start, 1u);
  EXPECT_EQ(interaction.counters().ring_presses, 5u);
  EXPECT_EQ(interaction.stage_to_world(), glm::mat4(1.0f));
}

// The ring follows the head lazily: a small turn leaves it, a large one brings it along, gliding
// or, with reduced motion, at once.
TEST(HeadsetInteraction, TheRingFollowsTheHeadLazilyAndJumpsWithReducedMotion) {
  const auto all = exhibits();
  for (const bool reduced : {false, true}) {
    HeadsetInteraction interaction(all, glm::mat4(1.0f), {.reduced_motion = reduced});
    xr::HeadsetInput input = standing();
    interaction.update(input, 0.011f);
    const glm::vec3 ahead = glm::vec3(interaction.follow_to_world()[2]);
    input.head_forward = glm::vec3(-std::sin(glm::radians(20.0f)), 0.0f, -std::cos(glm::radians(20.0f)));
    interaction.update(input, 0.011f);
    EXPECT_NEAR(glm::distance(glm::vec3(interaction.follow_to_world()[2]), ahead), 0.0f, 1e-5f) << "20°: stays";
    input.head_forward = {-1.0f, 0.0f, 0.0f};  // a quarter turn left
    interaction.update(input, 0.011f);
    const float yaw = glm::degrees(std::atan2(interaction.follow_to_world()[2].x, interaction.follow_to_world()[2].z));
    if (reduced) {
      EXPECT_NEAR(yaw, 90.0f, 0.01f) << "jumps";
    } else {
      EXPECT_GT(yaw, 0.1f) << "glides";
      EXPECT_LT(yaw, 10.0f);
      for (int frame = 0; frame < 200; ++frame) interaction.update(input, 0.011f);
      EXPECT_NEAR(glm::degrees(std::atan2(interaction.follow_to_world()[2].x, interaction.follow_to_world()[2].z)), 90.0f,
                  2.1f);
    }
  }
}

// Reduced motion: every snap turn and teleport darkens the view's edge for a moment.
TEST(HeadsetInteraction, ReducedMotionDarkensTheEdgeOfTheViewAtEachTurn) {
  const auto all = exhibits();
  HeadsetInteraction interaction(all, glm::mat4(1.0f), {.reduced_motion = true, .vignette_seconds = 0.3f});
  xr::HeadsetInput input = standing();
  input.hands[0] = pointing({1.0f, 0.0f, -2.0f});
  interaction.update(input, 0.1f);
  EXPECT_EQ(interaction.vignette(), 0.0f);
  input.hands[0].thumbstick = {0.9f, 0.0f};
  interaction.update(input, 0.1f);
  EXPECT_EQ(interaction.vignette(), 1.0f);
  input.hands[0].thumbstick = {};
  interaction.update(input, 0.1f);
  EXPECT_EQ(interaction.vignette(), 1.0f) << "fully dark over the cut";
  interaction.update(input, 0.1f);
  EXPECT_NEAR(interaction.vignette(), 2.0f / 3.0f, 1e-5f) << "then opening";
  interaction.update(input, 0.15f);
  EXPECT_EQ(interaction.vignette(), 0.0f);
  input.hands[0].thumbstick = {0.0f, 0.9f};
  interaction.update(input, 0.1f);
  input.hands[0].thumbstick = {};
  interaction.update(input, 0.1f);
  EXPECT_EQ(interaction.counters().teleports, 1u);
  EXPECT_EQ(interaction.counters().vignettes, 2u);
  EXPECT_EQ(interaction.vignette(), 1.0f);
}

}  // namespace
}  // namespace pavilion::interaction
