// The flash analyser against synthetic clips whose answers are known from the rules themselves
// (WCAG 2.3.1, ITU-R BT.1702, Ofcom's guidance; content_tools/flash/README.md).
#include "clips.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace pavilion::flash {
namespace {

using test::analyse;
using test::fill;

constexpr uint32_t width = 160;
constexpr uint32_t height = 120;

TEST(FlashAnalyser, WholeViewFlashingFiveTimesASecondFailsInItsFirstSecond) {
  for (const double fps : {30.0, 90.0}) {
    SCOPED_TRACE(fps);
    const auto clip = analyse(FlashViewing::screen(fps), width, height, static_cast<size_t>(2 * fps),
                              test::whole_view_flash(5, fps));
    ASSERT_FALSE(clip.verdict.safe);
    const Failure* general = clip.first(FailureKind::general_flash);
    ASSERT_NE(general, nullptr);
    EXPECT_LT(general->start_s, 1.0);
    EXPECT_LT(static_cast<double>(general->last_frame + 1) / fps, 2.01);
    // The first frame whose second holds a seventh transition is the first to fail.
    const size_t seventh_transition = static_cast<size_t>(std::lround(7 * fps / 10));
    EXPECT_EQ(clip.frames[seventh_transition].verdict, FailureKind::general_flash);
    EXPECT_FALSE(clip.frames[seventh_transition - 1].verdict.has_value());
    EXPECT_EQ(general->most_transitions_in_a_second, 10u);
    EXPECT_DOUBLE_EQ(clip.frames[seventh_transition].general_flash_area, 1.0);
    EXPECT_FALSE(clip.fails_as(FailureKind::red_flash));
    EXPECT_NE(describe(*general, Language::en).find("In second"), std::string::npos) << describe(*general, Language::en);
  }
}

TEST(FlashAnalyser, ThreeFlashesASecondAreAllowedAndAFractionMoreIsNot) {
  for (const double fps : {30.0, 90.0}) {
    SCOPED_TRACE(fps);
    // Three a second is six transitions in every second: the limit, not over it.
    const auto three = analyse(FlashViewing::screen(fps), width, height, static_cast<size_t>(4 * fps),
                               test::whole_view_flash(3, fps));
    EXPECT_TRUE(three.verdict.safe) << describe(three.verdict.failures.front(), Language::en);
    uint32_t most = 0;
    for (const FrameReport& frame : three.frames) most = std::max(most, frame.general_transitions);
    EXPECT_EQ(most, 6u);
  }
  const auto below = analyse(FlashViewing::screen(90), width, height, 4 * 90, test::whole_view_flash(2.9, 90));
  EXPECT_TRUE(below.verdict.safe);
  const auto above = analyse(FlashViewing::screen(90), width, height, 4 * 90, test::whole_view_flash(3.1, 90));
  EXPECT_TRUE(above.fails_as(FailureKind::general_flash));
}

uint32_t most_transitions(const test::Analysed& clip) {
  uint32_t most = 0;
  for (const FrameReport& frame : clip.frames) most = std::max(most, frame.general_transitions);
  return most;
}

// Rises only, each of 12 % of full luminance (over the 10 % threshold): a flash is a pair of
// opposing changes, so however many steps the stair has it is one transition and no flash.
TEST(FlashAnalyser, AStaircaseOfRisingStepsIsOneTransitionNotAFlash) {
  // The whole view one step brighter every third frame: eight steps in 24 frames, 0 to 0.96.
  const auto whole = analyse(FlashViewing::screen(30), width, height, 30, [](size_t frame, ImageRgba8& image) {
    const uint8_t level = test::grey_of(0.12f * static_cast<float>(std::min<size_t>(frame / 3, 8)));
    fill(image, level, level, level);
  });
  EXPECT_TRUE(whole.verdict.safe);
  EXPECT_EQ(most_transitions(whole), 1u);
  EXPECT_GT(whole.verdict.most_flashing_area, 0.25) << "the first step is a transition, of the whole field";

  // Eight upright bands (20 of 160 pixels, each over a quarter of the 53×40 field), band b
  // starting its climb at frame b and stepping up every frame after: every one of frames 0 to 7
  // holds a band's first rise (its pixels' only transition), and frames 1 to 8 the further steps
  // of the bands before it. Each of those frames' changing pixels all rise, as the last counted
  // transition did: eight rises in eight frames are still one change, not four flashes.
  const auto stepped = analyse(FlashViewing::screen(30), width, height, 30, [](size_t frame, ImageRgba8& image) {
    for (uint32_t band = 0; band < 8; ++band) {
      const size_t steps = frame >= band ? std::min<size_t>(frame - band + 1, 8) : 0;
      const uint8_t level = test::grey_of(0.12f * static_cast<float>(steps));
      fill(image, level, level, level, band * 20, 0, 20, height);
    }
  });
  EXPECT_TRUE(stepped.verdict.safe) << describe(stepped.verdict.failures.front(), Language::en);
  EXPECT_EQ(most_transitions(stepped), 1u);
  for (size_t frame = 1; frame < 8; ++frame) {
    EXPECT_GT(stepped.frames[frame].general_flash_area, 0.25) << "frame " << frame << " holds a band's first rise";
  }
}

// `hertz` flashes of the whole view, each rising and falling in two steps three frames apart: the
// left half first, then the right. Each half's pixels change once each way per flash, so only
// the counting of opposing changes tells the second step of a rise (or fall) from a flash.
test::Painter flash_in_two_steps(double hertz, double frames_per_second) {
  return [=](size_t frame, ImageRgba8& image) {
    const bool left = test::light_at(frame, hertz, frames_per_second);
    const bool right = frame >= 3 && test::light_at(frame - 3, hertz, frames_per_second);
    fill(image, left ? 255 : 0, left ? 255 : 0, left ? 255 : 0, 0, 0, width / 2, height);
    fill(image, right ? 255 : 0, right ? 255 : 0, right ? 255 : 0, width / 2, 0, width / 2, height);
  };
}

TEST(FlashAnalyser, RisesAndFallsInStepsCountOncePerChangeOfDirection) {
  // 2.9 flashes a second are 5.8 transitions in a second, under the limit of six; counting each
  // half's step would make 11.6.
  const auto below = analyse(FlashViewing::screen(90), width, height, 4 * 90, flash_in_two_steps(2.9, 90));
  EXPECT_TRUE(below.verdict.safe) << describe(below.verdict.failures.front(), Language::en);
  EXPECT_EQ(most_transitions(below), 6u);
  // 3.1 flashes a second: seven transitions in some second, over the limit.
  const auto above = analyse(FlashViewing::screen(90), width, height, 4 * 90, flash_in_two_steps(3.1, 90));
  ASSERT_TRUE(above.fails_as(FailureKind::general_flash));
  EXPECT_EQ(most_transitions(above), 7u);
  EXPECT_EQ(above.first(FailureKind::general_flash)->most_transitions_in_a_second, 7u);
}

// Equal areas changing the opposite way in the same frame: each region still flashes five times a
// second (WCAG 2.3.1: a flash is a pair of opposing changes in a region), though the frame as a
// whole neither rises nor falls more than it does the other way.
TEST(FlashAnalyser, RegionsFlashingInOppositePhaseFail) {
  const auto halves = analyse(FlashViewing::screen(30), width, height, 60, [](size_t frame, ImageRgba8& image) {
    const uint8_t left = test::light_at(frame, 5, 30) ? 255 : 0;
    fill(image, left, left, left, 0, 0, width / 2);
    fill(image, 255 - left, 255 - left, 255 - left, width / 2, 0);
  });
  ASSERT_TRUE(halves.fails_as(FailureKind::general_flash));
  EXPECT_EQ(most_transitions(halves), 10u);

  // A checkerboard of 40-pixel squares (larger than a quarter of the 53×40 field, two pairs: no
  // harmful pattern) inverting five times a second.
  const auto checkerboard = analyse(FlashViewing::screen(30), width, height, 60, [](size_t frame, ImageRgba8& image) {
    const bool light = test::light_at(frame, 5, 30);
    for (uint32_t y = 0; y < height; y += 40) {
      for (uint32_t x = 0; x < width; x += 40) {
        const uint8_t level = (((x + y) / 40) % 2 == 0) == light ? 255 : 0;
        fill(image, level, level, level, x, y, 40, 40);
      }
    }
  });
  ASSERT_TRUE(checkerboard.fails_as(FailureKind::general_flash));
  EXPECT_FALSE(checkerboard.fails_as(FailureKind::harmful_pattern));
  EXPECT_EQ(most_transitions(checkerboard), 10u);

  const auto whole = analyse(FlashViewing::screen(30), width, height, 60, test::whole_view_flash(5, 30));
  EXPECT_TRUE(whole.fails_as(FailureKind::general_flash));
  EXPECT_EQ(most_transitions(whole), 10u);
}

TEST(FlashAnalyser, TwoAndAHalfFlashesASecondFailOnlyWhenSustainedBeyondFiveSeconds) {
  const auto six_seconds = analyse(FlashViewing::screen(30), width, height, 6 * 30, test::whole_view_flash(2.5, 30));
  ASSERT_FALSE(six_seconds.verdict.safe);
  for (const Failure& failure : six_seconds.verdict.failures) EXPECT_EQ(failure.kind, FailureKind::extended_flashing);
  const Failure* extended = six_seconds.first(FailureKind::extended_flashing);
  ASSERT_NE(extended, nullptr);
  EXPECT_GT(extended->end_s - extended->start_s, 5.0);
  EXPECT_NE(describe(*extended, Language::en).find("two to three times a second"), std::string::npos);

  const auto four_seconds = analyse(FlashViewing::screen(30), width, height, 4 * 30, test::whole_view_flash(2.5, 30));
  EXPECT_TRUE(four_seconds.verdict.safe);
}

TEST(FlashAnalyser, TwoToThreeFlashesASecondForSixSecondsAreExtendedFlashingAndSlowerIsNot) {
  // Two a second are four transitions in each second, three a second six: each the rule's bounds.
  for (const double hertz : {2.0, 3.0}) {
    SCOPED_TRACE(hertz);
    const auto clip = analyse(FlashViewing::screen(30), width, height, 6 * 30, test::whole_view_flash(hertz, 30));
    ASSERT_FALSE(clip.verdict.safe);
    for (const Failure& failure : clip.verdict.failures) EXPECT_EQ(failure.kind, FailureKind::extended_flashing);
  }
  // One and a half a second are three transitions in a second: under the rule, however long.
  const auto slower = analyse(FlashViewing::screen(30), width, height, 8 * 30, test::whole_view_flash(1.5, 30));
  EXPECT_TRUE(slower.verdict.safe) << describe(slower.verdict.failures.front(), Language::en);

  // The same in saturated red below the luminance threshold: extended red flashing alone.
  const auto red = analyse(FlashViewing::screen(30), width, height, 6 * 30, [](size_t frame, ImageRgba8& image) {
    fill(image, test::light_at(frame, 2.5, 30) ? 255 : 200, 0, 0);
  });
  ASSERT_FALSE(red.verdict.safe);
  for (const Failure& failure : red.verdict.failures) EXPECT_EQ(failure.kind, FailureKind::extended_red_flashing);
}

// A patch flashing five times a second, centred at `centre_x` and halfway down the view.
test::Analysed patch_flash(const FlashViewing& viewing, uint32_t frame_width, uint32_t frame_height,
                           uint32_t patch_width, uint32_t patch_height, uint32_t centre_x) {
  const uint32_t x0 = centre_x - patch_width / 2, y0 = (frame_height - patch_height) / 2;
  return analyse(viewing, frame_width, frame_height, static_cast<size_t>(2 * viewing.frames_per_second),
                 [=](size_t frame, ImageRgba8& image) {
                   fill(image, 0, 0, 0);
                   if (test::light_at(frame, 5, viewing.frames_per_second)) {
                     fill(image, 255, 255, 255, x0, y0, patch_width, patch_height);
                   }
                 });
}

TEST(FlashAnalyser, AFlashCountsOnlyOverAQuarterOfATenDegreeField) {
  const FlashViewing screen = FlashViewing::screen(30);
  // WCAG's 341×256 of 1024×768, at 160 pixels wide: 53×40.
  const auto [field_width, field_height] = FlashAnalyser::field_pixels(screen, width);
  const double field = std::round(field_width) * std::round(field_height);
  ASSERT_EQ(field, 53.0 * 40.0);

  const auto fifth = patch_flash(screen, width, height, 20, 21, width / 2);  // 19.8 %
  EXPECT_TRUE(fifth.verdict.safe);
  EXPECT_NEAR(fifth.verdict.most_flashing_area, 20.0 * 21 / field, 1e-9);

  const auto third = patch_flash(screen, width, height, 24, 27, width / 2);  // 30.6 %
  ASSERT_TRUE(third.fails_as(FailureKind::general_flash));
  EXPECT_NEAR(third.first(FailureKind::general_flash)->worst_area, 24.0 * 27 / field, 1e-9);
  EXPECT_NE(describe(*third.first(FailureKind::general_flash), Language::en).find("the centre of the screen"),
            std::string::npos);
}

TEST(FlashAnalyser, AFailureOnAScreenNamesItsPart) {
  const auto clip = analyse(FlashViewing::screen(30), width, height, 60, [](size_t frame, ImageRgba8& image) {
    fill(image, 0, 0, 0);
    if (test::light_at(frame, 5, 30)) fill(image, 255, 255, 255, 5, 5, 30, 30);
  });
  ASSERT_EQ(clip.verdict.failures.size(), 1u);
  const Failure& failure = clip.verdict.failures.front();
  EXPECT_EQ(failure.where.x, 0u);
  EXPECT_EQ(failure.where.y, 0u);
  EXPECT_NE(describe(failure, Language::en).find("the upper left of the screen flashes"), std::string::npos)
      << describe(failure, Language::en);
  EXPECT_NE(describe(failure, Language::zh_cn).find("画面左上方一秒内闪烁"), std::string::npos)
      << describe(failure, Language::zh_cn);
}

TEST(FlashAnalyser, AHeadsetsTenDegreesAreMeasuredInDegreesOfTheView) {
  // 2000 pixels across 100°: 10° at the centre is 2000·tan 5° / tan 50° = 147 pixels, so an
  // 81×81 patch is 30 % of it and fails. The same pixels in a 40° view are 2.8 % of its
  // 10° (481 pixels across) and pass, as they would on a screen of that width.
  constexpr uint32_t wide = 2000, tall = 200, patch = 81;
  const FlashViewing hundred = FlashViewing::headset(30, 100);
  EXPECT_NEAR(FlashAnalyser::field_pixels(hundred, wide).first, 146.8, 0.1);
  // The patch's centre is 400 pixels right of the view's: atan(400 / (1000 / tan 50°)) = 25.5°.
  const auto in_hundred = patch_flash(hundred, wide, tall, patch, patch, wide / 2 + 400);
  const Failure* failure = in_hundred.first(FailureKind::general_flash);
  ASSERT_NE(failure, nullptr);
  EXPECT_NEAR(failure->worst_area, patch * patch / (147.0 * 147.0), 1e-9);
  ASSERT_TRUE(failure->right_degrees && failure->up_degrees);
  EXPECT_NEAR(*failure->right_degrees, 25.5, 1.0);
  EXPECT_NEAR(*failure->up_degrees, 0.0, 1.0);
  EXPECT_NE(describe(*failure, Language::en).find("26° right and 0° above its centre"), std::string::npos)
      << describe(*failure, Language::en);

  const auto in_forty = patch_flash(FlashViewing::headset(30, 40), wide, tall, patch, patch, wide / 2 + 400);
  EXPECT_TRUE(in_forty.verdict.safe);
  EXPECT_LT(in_forty.verdict.most_flashing_area, 0.03);
}

TEST(FlashAnalyser, SaturatedRedFlashingBelowTheLuminanceThresholdFailsAsRedOnly) {
  // (255, 0, 0) has luminance 0.213 and (200, 0, 0) 0.123: a change of 0.09, under 0.1; their
  // (R−G−B)×320 are 320 and 251, a change of 69, over 20.
  const auto clip = analyse(FlashViewing::screen(30), width, height, 60, [](size_t frame, ImageRgba8& image) {
    const uint8_t red = test::light_at(frame, 5, 30) ? 255 : 200;
    fill(image, red, 0, 0);
  });
  ASSERT_FALSE(clip.verdict.safe);
  for (const Failure& failure : clip.verdict.failures) EXPECT_EQ(failure.kind, FailureKind::red_flash);
  EXPECT_DOUBLE_EQ(clip.frames.back().red_saturation_share, 1.0);
  EXPECT_EQ(clip.frames.back().general_transitions, 0u);
  EXPECT_GT(clip.frames.back().red_transitions, 6u);
  EXPECT_NE(describe(clip.verdict.failures.front(), Language::zh_cn).find("红色闪烁"), std::string::npos);
}

TEST(FlashAnalyser, SlowFadesAreNotFlashes) {
  // Black to white over two seconds, then back to black at once, three times: one rise and one
  // fall every two seconds.
  const auto clip = analyse(FlashViewing::screen(30), width, height, 6 * 30, [](size_t frame, ImageRgba8& image) {
    const uint8_t level = test::grey_of(static_cast<float>(frame % 60) / 59.0f);
    fill(image, level, level, level);
  });
  EXPECT_TRUE(clip.verdict.safe);
  uint32_t most = 0;
  for (const FrameReport& frame : clip.frames) most = std::max(most, frame.general_transitions);
  EXPECT_LE(most, 2u);
  EXPECT_GE(most, 1u);  // the ramp does count, once
}

TEST(FlashAnalyser, NoiseBelowTheThresholdIsNotAFlash) {
  std::mt19937 random(18);
  std::uniform_real_distribution<float> noise(-0.03f, 0.03f);
  const auto clip = analyse(FlashViewing::screen(30), width, height, 60, [&](size_t, ImageRgba8& image) {
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const uint8_t level = test::grey_of(0.5f + noise(random));
        fill(image, level, level, level, x, y, 1, 1);
      }
    }
  });
  EXPECT_TRUE(clip.verdict.safe);
  EXPECT_EQ(clip.verdict.most_flashing_area, 0.0);
}

// `pairs` light-dark pairs of vertical stripes across the view (or horizontal ones down it),
// swapping light and dark every `reverse_every` frames (0: still).
test::Painter stripes(uint32_t pairs, size_t reverse_every, bool horizontal = false) {
  return [=](size_t frame, ImageRgba8& image) {
    const bool reversed = reverse_every > 0 && (frame / reverse_every) % 2 == 1;
    for (uint32_t y = 0; y < image.height; ++y) {
      for (uint32_t x = 0; x < image.width; ++x) {
        const uint32_t stripe = horizontal ? y * pairs * 2 / image.height : x * pairs * 2 / image.width;
        const uint8_t level = (stripe % 2 == 1) != reversed ? 255 : 0;
        fill(image, level, level, level, x, y, 1, 1);
      }
    }
  };
}

TEST(FlashAnalyser, RegularStripesAreHarmfulPatternsAfterOfcom) {
  const FlashViewing screen = FlashViewing::screen(30);
  const auto ten_still = analyse(screen, width, height, 30, stripes(10, 0));
  ASSERT_TRUE(ten_still.fails_as(FailureKind::harmful_pattern));
  EXPECT_EQ(ten_still.frames.front().pattern_pairs, 10u);
  EXPECT_DOUBLE_EQ(ten_still.frames.front().pattern_area, 1.0);
  EXPECT_EQ(ten_still.verdict.failures.size(), 1u);
  EXPECT_NE(describe(ten_still.verdict.failures.front(), Language::en).find("10 light-dark stripe pairs"),
            std::string::npos);

  const auto ten_still_across = analyse(screen, width, height, 30, stripes(10, 0, true));
  EXPECT_TRUE(ten_still_across.fails_as(FailureKind::harmful_pattern));

  const auto six_still = analyse(screen, width, height, 30, stripes(6, 0));
  EXPECT_TRUE(six_still.verdict.safe);

  // Reversing once a second is two transitions a second: no flash, but a pattern that moves.
  const auto six_reversing = analyse(screen, width, height, 60, stripes(6, 15));
  ASSERT_FALSE(six_reversing.verdict.safe);
  for (const Failure& failure : six_reversing.verdict.failures) EXPECT_EQ(failure.kind, FailureKind::harmful_pattern);
  EXPECT_EQ(six_reversing.first(FailureKind::harmful_pattern)->first_frame, 15u);
}

TEST(FlashAnalyser, AFrameOfAnotherSizeIsRefusedAndChangesNothing) {
  FlashAnalyser analyser(FlashViewing::screen(30));
  ImageRgba8 first(16, 12), other(12, 16);
  ASSERT_TRUE(analyser.add_frame(16, 12, first.pixels));
  const auto refused = analyser.add_frame(12, 16, other.pixels);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().describe().find("12×16 but the first frame was 16×12"), std::string::npos);
  EXPECT_EQ(analyser.finish().frames, 1u);
}

}  // namespace
}  // namespace pavilion::flash
