// The show timeline's player against the audio clock: cues land within one frame at 60 and 90
// frames a second (and under jitter), loops, seeks, stalls and jumps report each cue once, camera
// easing matches values worked by hand, calm mode tones the show down, and a visitor's moment
// fires its event once.
#include "pavilion/scene/show.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace pavilion::scene {
namespace {

ShowCue sound_at(float start, uint32_t sound = 0) {
  ShowCue cue;
  cue.kind = CueKind::sound;
  cue.start = start;
  cue.sound = sound;
  return cue;
}

ShowCue title_at(float start, float duration, float fade) {
  ShowCue cue;
  cue.kind = CueKind::title;
  cue.start = start;
  cue.duration = duration;
  cue.fade_seconds = fade;
  cue.text = {"金鸡报晓", "The golden rooster crows"};
  return cue;
}

ShowCue camera_move(float start, float duration, Easing easing) {
  ShowCue cue;
  cue.kind = CueKind::camera;
  cue.start = start;
  cue.duration = duration;
  cue.camera_keys = {{0.0f, {0, 0, 0}, {0, 0, -1}, 60.0f, Easing::linear},
                     {duration, {10, 0, 0}, {10, 0, -1}, 40.0f, easing}};
  return cue;
}

// Sounds at uneven times over a 10-second show: none on a frame boundary of either rate.
Show uneven_show() {
  Show show;
  show.duration = 10.0f;
  ShowTrack track{"gongs", {}};
  for (int index = 0; index < 37; ++index) track.cues.push_back(sound_at(0.2713f * static_cast<float>(index) + 0.0031f));
  show.tracks.push_back(track);
  return show;
}

using Key = std::pair<uint32_t, uint32_t>;  // track, cue

// Feeds a clock of `fps` frames a second, with a deterministic jitter of up to ±`jitter` seconds
// (some steps go backwards), for `seconds`; checks each start lands within one frame plus the
// jitter of the cue's time, and returns how often each cue started.
std::map<Key, int> play_against_clock(const Show& show, double fps, double jitter, double seconds) {
  ShowPlayer player(show);
  std::map<Key, int> starts;
  uint32_t state = 12345;
  const double frame = 1.0 / fps;
  double latest = 0.0;
  for (int index = 0; index * frame <= seconds; ++index) {
    state = state * 1664525u + 1013904223u;
    const double noise = (static_cast<double>(state >> 8) / double(1u << 24) * 2.0 - 1.0) * jitter;
    const double clock = index * frame + (index == 0 ? 0.0 : noise);
    const ShowFrame& result = player.update(clock);
    latest = std::max(latest, clock);
    for (const ShowEvent& event : result.events) {
      if (event.kind != ShowEventKind::cue_start) continue;
      const ShowCue& cue = show.tracks[event.track].cues[event.cue];
      const double due = event.play_seconds;
      EXPECT_NEAR(std::fmod(due, show.duration), cue.start, 1e-4);
      EXPECT_GE(latest, due - 1e-9) << "reported before it was due";
      EXPECT_LE(latest - due, frame + 2.0 * jitter + 1e-9) << "cue " << event.cue << " landed late";
      EXPECT_NEAR(event.late, latest - due, 1e-4);
      ++starts[{event.track, event.cue}];
    }
  }
  return starts;
}

TEST(SceneShow, CuesLandOnTheAudioClockWithinOneFrame) {
  const Show show = uneven_show();
  for (const double fps : {60.0, 90.0}) {
    for (const double jitter : {0.0, 0.004}) {
      SCOPED_TRACE(testing::Message() << fps << " fps, jitter " << jitter);
      const auto starts = play_against_clock(show, fps, jitter, 9.99);
      ASSERT_EQ(starts.size(), show.tracks[0].cues.size());
      for (const auto& [key, count] : starts) EXPECT_EQ(count, 1) << "cue " << key.second;
    }
  }
}

TEST(SceneShow, LoopingPlaysEachCueOncePerPass) {
  const Show show = uneven_show();
  const auto starts = play_against_clock(show, 90.0, 0.004, 29.99);  // three passes
  ASSERT_EQ(starts.size(), show.tracks[0].cues.size());
  for (const auto& [key, count] : starts) EXPECT_EQ(count, 3) << "cue " << key.second;
}

// The show's music loops with it, and its clock (audio::Voice::playback_seconds) wraps at the
// music's end: ten passes at 90 fps with jitter, every cue once a pass and never late by more than
// a frame, however long it plays (no time lost at the wraps).
TEST(SceneShow, ALoopingMusicClockWrapsWithoutLosingTime) {
  const Show show = uneven_show();
  ShowPlayer player(show, {.clock_period = show.duration});
  const double frame = 1.0 / 90.0;
  const double jitter = 0.004;
  uint32_t state = 99;
  std::map<uint32_t, int> starts;
  double worst = 0.0;
  for (int index = 0; index * frame < 10 * show.duration - 0.05; ++index) {
    state = state * 1664525u + 1013904223u;
    const double noise = (static_cast<double>(state >> 8) / double(1u << 24) * 2.0 - 1.0) * jitter;
    const double heard = index * frame;
    const double clock = std::fmod(std::max(0.0, heard + (index == 0 ? 0.0 : noise)), show.duration);
    for (const ShowEvent& event : player.update(clock).events) {
      if (event.kind != ShowEventKind::cue_start) continue;
      ++starts[event.cue];
      const double due = std::floor(event.play_seconds / show.duration) * show.duration +
                         show.tracks[0].cues[event.cue].start;
      EXPECT_NEAR(event.play_seconds, due, 1e-6) << "pass " << std::floor(heard / show.duration);
      worst = std::max(worst, heard - due);
    }
  }
  EXPECT_LE(worst, frame + 2.0 * jitter);
  ASSERT_EQ(starts.size(), show.tracks[0].cues.size());
  for (const auto& [cue, count] : starts) EXPECT_EQ(count, 10) << "cue " << cue;
}

TEST(SceneShow, TheLoopBoundaryEndsThePassBeforeTheNextBegins) {
  Show show;
  show.duration = 4.0f;
  show.tracks.push_back({"titles", {title_at(0.0f, 1.0f, 0.0f), title_at(3.5f, 2.0f, 0.0f)}});
  ShowPlayer player(show);
  ASSERT_EQ(player.update(0.0).events.size(), 1u);  // the first title, at 0
  (void)player.update(3.6);                          // the second title starts
  const ShowFrame& frame = player.update(4.01);
  ASSERT_EQ(frame.events.size(), 2u);
  // The second title is cut at the show's end, then the first starts the next pass.
  EXPECT_EQ(frame.events[0].kind, ShowEventKind::cue_end);
  EXPECT_EQ(frame.events[0].cue, 1u);
  EXPECT_DOUBLE_EQ(frame.events[0].play_seconds, 4.0);
  EXPECT_EQ(frame.events[1].kind, ShowEventKind::cue_start);
  EXPECT_EQ(frame.events[1].cue, 0u);
  EXPECT_NEAR(frame.events[1].late, 0.01f, 1e-5f);
  EXPECT_EQ(frame.pass, 1u);
  EXPECT_NEAR(frame.show_seconds, 0.01f, 1e-5f);
}

TEST(SceneShow, WithoutLoopingTheShowFinishesAndEndsWhatPlays) {
  Show show;
  show.duration = 4.0f;
  show.tracks.push_back({"titles", {title_at(3.0f, 5.0f, 0.0f)}});
  ShowPlayer player(show, {.loop = false});
  (void)player.update(0.0);
  EXPECT_EQ(player.update(3.5).events.size(), 1u);
  const ShowFrame& end = player.update(4.5);
  ASSERT_EQ(end.events.size(), 1u);
  EXPECT_EQ(end.events[0].kind, ShowEventKind::cue_end);
  EXPECT_TRUE(end.finished);
  EXPECT_FLOAT_EQ(end.show_seconds, 4.0f);
  EXPECT_TRUE(player.update(9.0).events.empty());
  // Seeked back in, it plays again, and seeked to its end it is over at once.
  player.seek(3.5f);
  EXPECT_EQ(player.update(9.1).events.size(), 1u);
  EXPECT_FALSE(player.update(9.2).finished);
  player.seek(4.0f);
  const ShowFrame& over = player.update(9.3);
  EXPECT_EQ(over.events.size(), 1u);  // the title ends
  EXPECT_TRUE(player.update(9.4).finished);
}

TEST(SceneShow, SeekStartsWhatPlaysThereAndReportsNothingBetween) {
  Show show;
  show.duration = 10.0f;
  show.tracks.push_back({"titles", {title_at(0.0f, 1.5f, 0.0f), sound_at(1.0f), title_at(2.0f, 2.0f, 0.0f),
                                    camera_move(0.5f, 1.0f, Easing::linear), sound_at(3.0f)}});
  ShowPlayer player(show);
  (void)player.update(0.0);
  (void)player.update(0.1);
  player.seek(2.5f);
  const ShowFrame& frame = player.update(0.2);
  std::vector<std::pair<ShowEventKind, uint32_t>> seen;
  for (const ShowEvent& event : frame.events) seen.emplace_back(event.kind, event.cue);
  // The first title ends; the third starts 0.5 s in; the sound at 1 s and the finished move are not
  // reported, though the camera holds where the move ended.
  const std::vector<std::pair<ShowEventKind, uint32_t>> expected{{ShowEventKind::cue_end, 0},
                                                                 {ShowEventKind::cue_start, 2}};
  EXPECT_EQ(seen, expected);
  EXPECT_NEAR(frame.events[1].late, 0.5f, 1e-5f);
  EXPECT_NEAR(frame.show_seconds, 2.5f, 1e-5f);
  ASSERT_TRUE(frame.has_camera);
  EXPECT_FLOAT_EQ(frame.camera.position.x, 10.0f);
  // From there the show goes on: the sound at 3 s arrives half a second of clock later.
  const ShowFrame& later = player.update(0.71);
  ASSERT_EQ(later.events.size(), 1u);
  EXPECT_EQ(later.events[0].cue, 4u);
}

// The kiosk seeks the music with the show: the clock jumps there too, forward or back, and the
// cues go on landing where the music is.
TEST(SceneShow, SeekingTheShowAndItsSoundTogether) {
  const Show show = uneven_show();
  for (const double from : {1.0, 8.0}) {
    ShowPlayer player(show);
    (void)player.update(0.0);
    (void)player.update(from);
    player.seek(5.0f);
    EXPECT_TRUE(player.update(5.0).events.empty());  // the sounds are instants: none plays at 5 s
    std::vector<uint32_t> started;
    for (double clock = 5.0; clock < 6.0; clock += 0.01) {
      const ShowFrame& frame = player.update(clock);
      EXPECT_NEAR(frame.show_seconds, clock, 1e-6);
      for (const ShowEvent& event : frame.events) started.push_back(event.cue);
    }
    const std::vector<uint32_t> expected{19, 20, 21, 22};  // 5.157, 5.428, 5.699, 5.970 s
    EXPECT_EQ(started, expected) << "seeked from " << from;
  }
}

TEST(SceneShow, AStalledOrSteppingBackClockFiresNothingTwice) {
  const Show show = uneven_show();
  ShowPlayer player(show);
  std::map<uint32_t, int> starts;
  const auto feed = [&](double clock) {
    for (const ShowEvent& event : player.update(clock).events) {
      if (event.kind == ShowEventKind::cue_start) ++starts[event.cue];
    }
  };
  feed(0.0);
  feed(1.0);
  const size_t at_one_second = starts.size();
  for (int frame = 0; frame < 20; ++frame) feed(1.0);  // stalled
  feed(0.8);  // back, by less than restart_seconds: jitter, waited for (a gong at 0.817 s is not repeated)
  EXPECT_EQ(starts.size(), at_one_second);
  feed(1.05);
  feed(-30.0);  // the device restarted its clock: the show goes on from 1.05 s
  feed(-30.0 + 0.5);
  feed(-30.0 + 4.0);  // a jump forward: every cue passed over, once
  feed(-30.0 + 8.9);
  for (const auto& [cue, count] : starts) EXPECT_EQ(count, 1) << "cue " << cue;
  // 8.9 s of clock went by after the restart, on top of the 1.05 s before it.
  size_t due = 0;
  for (const ShowCue& cue : show.tracks[0].cues) due += cue.start <= 9.95f ? 1 : 0;
  EXPECT_EQ(starts.size(), due);
}

TEST(SceneShow, AJumpOfManyPassesReportsTheLastPassOnly) {
  const Show show = uneven_show();
  ShowPlayer player(show);
  (void)player.update(0.0);
  const ShowFrame& frame = player.update(35.0);
  std::map<uint32_t, int> starts;
  for (const ShowEvent& event : frame.events) {
    if (event.kind == ShowEventKind::cue_start) ++starts[event.cue];
  }
  EXPECT_EQ(starts.size(), show.tracks[0].cues.size());
  for (const auto& [cue, count] : starts) EXPECT_EQ(count, 1) << "cue " << cue;
  EXPECT_EQ(frame.pass, 3u);
  for (size_t index = 1; index < frame.events.size(); ++index) {
    EXPECT_LE(frame.events[index - 1].play_seconds, frame.events[index].play_seconds);
  }
}

TEST(SceneShow, EasingMatchesValuesWorkedByHand) {
  EXPECT_FLOAT_EQ(ease(Easing::linear, 0.25f), 0.25f);
  EXPECT_FLOAT_EQ(ease(Easing::ease_in, 0.5f), 0.25f);
  EXPECT_FLOAT_EQ(ease(Easing::ease_out, 0.5f), 0.75f);
  EXPECT_FLOAT_EQ(ease(Easing::ease_in_out, 0.25f), 0.15625f);  // 3(1/16) − 2(1/64)
  EXPECT_FLOAT_EQ(ease(Easing::step, 0.99f), 0.0f);
  EXPECT_FLOAT_EQ(ease(Easing::step, 1.0f), 1.0f);

  Show show;
  show.duration = 10.0f;
  show.tracks.push_back({"camera", {camera_move(1.0f, 2.0f, Easing::ease_in_out)}});
  ShowPlayer player(show);
  EXPECT_FALSE(player.update(0.0).has_camera);
  const ShowFrame& frame = player.update(1.5);  // 0.5 s into a 2 s move: t = 0.25
  ASSERT_TRUE(frame.has_camera);
  EXPECT_FLOAT_EQ(frame.camera.position.x, 1.5625f);
  EXPECT_FLOAT_EQ(frame.camera.target.x, 1.5625f);
  EXPECT_FLOAT_EQ(frame.camera.vertical_fov_degrees, 60.0f - 20.0f * 0.15625f);
  EXPECT_FLOAT_EQ(player.update(2.0).camera.position.x, 5.0f);  // halfway, symmetric
  EXPECT_FLOAT_EQ(player.update(7.0).camera.position.x, 10.0f);  // held after it ends

  // Three keys: a linear leg, then an eased one.
  const std::vector<CameraMoveKey> keys{{0.0f, {0, 0, 0}, {}, 60.0f, Easing::linear},
                                        {1.0f, {2, 0, 0}, {}, 50.0f, Easing::linear},
                                        {3.0f, {2, 4, 0}, {}, 30.0f, Easing::ease_out}};
  EXPECT_FLOAT_EQ(sample_camera(keys, 0.5f).position.x, 1.0f);
  EXPECT_FLOAT_EQ(sample_camera(keys, 2.0f).position.y, 3.0f);  // 4 × (1 − 0.5²)
  EXPECT_FLOAT_EQ(sample_camera(keys, 2.0f).vertical_fov_degrees, 35.0f);
  EXPECT_FLOAT_EQ(sample_camera(keys, -1.0f).vertical_fov_degrees, 60.0f);
}

TEST(SceneShow, TitlesFadeInAndOut) {
  Show show;
  show.duration = 10.0f;
  show.tracks.push_back({"titles", {title_at(1.0f, 4.0f, 0.5f)}});
  ShowPlayer player(show);
  EXPECT_TRUE(player.update(0.0).titles.empty());
  ASSERT_EQ(player.update(1.25).titles.size(), 1u);
  EXPECT_FLOAT_EQ(player.update(1.25).titles[0].alpha, 0.5f);
  EXPECT_FLOAT_EQ(player.update(3.0).titles[0].alpha, 1.0f);
  EXPECT_NEAR(player.update(4.9).titles[0].alpha, 0.2f, 1e-4f);
  EXPECT_TRUE(player.update(5.1).titles.empty());
}

Show festival_show() {
  Show show;
  show.duration = 20.0f;
  ShowCue burst;
  burst.kind = CueKind::burst;
  burst.start = 1.0f;
  burst.emitter = 0;
  ShowCue gong = sound_at(1.0f);
  gong.gain_db = -3.0f;
  ShowCue clip;
  clip.kind = CueKind::clip;
  clip.start = 1.0f;
  clip.duration = 4.0f;
  clip.exhibit = 0;
  clip.animation = 0;
  clip.speed = 1.5f;
  ShowCue light;
  light.kind = CueKind::light;
  light.start = 0.0f;
  light.duration = 2.0f;
  light.light_keys = {{0.0f, {1, 1, 1}, 1.0f, Easing::linear}, {2.0f, {1, 0, 0}, 5.0f, Easing::linear}};
  ShowCue skipped = sound_at(1.0f, 1);
  skipped.calm = CalmRule::skip;
  ShowCue kept = burst;
  kept.calm = CalmRule::keep;
  show.tracks.push_back({"climax", {burst, gong, clip, light, skipped, kept, camera_move(0.0f, 2.0f, Easing::linear)}});
  return show;
}

TEST(SceneShow, CalmModeTonesTheShowDown) {
  const Show show = festival_show();
  for (const bool calm : {false, true}) {
    SCOPED_TRACE(calm ? "calm" : "full");
    ShowPlayer player(show, {.calm = calm});
    (void)player.update(0.0);
    const ShowFrame& frame = player.update(1.0);
    std::map<uint32_t, ShowEvent> started;
    for (const ShowEvent& event : frame.events) started[event.cue] = event;
    EXPECT_EQ(started.count(0), calm ? 0u : 1u);  // the burst of light
    EXPECT_EQ(started.count(4), calm ? 0u : 1u);  // calm: skip
    EXPECT_EQ(started.count(5), 1u);              // calm: keep
    ASSERT_EQ(started.count(1), 1u);
    EXPECT_FLOAT_EQ(started[1].gain_db, calm ? -9.0f : -3.0f);
    ASSERT_EQ(started.count(2), 1u);
    EXPECT_FLOAT_EQ(started[2].speed, calm ? 0.75f : 1.5f);
    // The move and the ramp run at half speed; the ramp swings half as far.
    EXPECT_FLOAT_EQ(frame.camera.position.x, calm ? 2.5f : 5.0f);
    EXPECT_FLOAT_EQ(frame.light.intensity, calm ? 1.0f + 0.5f * 1.0f : 3.0f);
    const ShowFrame& later = player.update(3.9);
    EXPECT_FLOAT_EQ(later.light.intensity, calm ? 1.0f + 0.5f * 3.9f : 5.0f);
    EXPECT_FLOAT_EQ(later.light.color.g, calm ? 1.0f - 0.5f * 0.975f : 0.0f);
    // The clip lasts twice as long when calm.
    bool clip_ended = false;
    for (const ShowEvent& event : player.update(6.0).events) {
      clip_ended = clip_ended || (event.kind == ShowEventKind::cue_end && event.cue == 2);
    }
    EXPECT_EQ(clip_ended, !calm);
  }
}

TEST(SceneShow, AVisitorsMomentFiresItsEventOnce) {
  Show show;
  show.duration = 30.0f;
  InteractiveMoment lantern;
  lantern.exhibit = 3;
  lantern.trigger = MomentTrigger::touch;
  lantern.event = "lantern_released";
  lantern.response = {sound_at(0.0f), title_at(0.5f, 1.0f, 0.0f)};
  InteractiveMoment rooster;
  rooster.exhibit = 4;
  rooster.trigger = MomentTrigger::point;
  rooster.event = "rooster_crowed";
  rooster.response = {sound_at(0.0f, 2)};
  show.moments = {lantern, rooster};
  ShowPlayer player(show);
  (void)player.update(0.0);
  (void)player.update(2.0);

  EXPECT_EQ(player.trigger(3, MomentTrigger::point), 0u);  // the lantern answers a touch
  EXPECT_EQ(player.trigger(3, MomentTrigger::touch), 1u);
  EXPECT_EQ(player.trigger(3, MomentTrigger::touch), 0u);  // a second touch while it plays
  const ShowFrame& frame = player.update(2.011);
  ASSERT_EQ(frame.events.size(), 2u);
  EXPECT_EQ(frame.events[0].kind, ShowEventKind::moment);
  EXPECT_EQ(frame.events[0].moment, 0u);
  EXPECT_EQ(show.moments[frame.events[0].moment].event, "lantern_released");
  EXPECT_EQ(frame.events[1].kind, ShowEventKind::cue_start);
  EXPECT_EQ(frame.events[1].moment, 0u);
  EXPECT_EQ(frame.events[1].cue, 0u);

  int moments = 0;
  int titles = 0;
  for (double clock = 2.02; clock < 4.0; clock += 1.0 / 90.0) {
    if (clock < 3.49) {
      EXPECT_EQ(player.trigger(3, MomentTrigger::touch), 0u) << "still playing at " << clock;
    }
    for (const ShowEvent& event : player.update(clock).events) {
      moments += event.kind == ShowEventKind::moment ? 1 : 0;
      titles += event.kind == ShowEventKind::cue_start && event.cue == 1 ? 1 : 0;
    }
  }
  EXPECT_EQ(moments, 0);
  EXPECT_EQ(titles, 1);
  // Once its response is over, the lantern can be released again.
  EXPECT_EQ(player.trigger(3, MomentTrigger::touch), 1u);
  EXPECT_EQ(player.trigger(4, MomentTrigger::point), 1u);
  int events = 0;
  for (const ShowEvent& event : player.update(4.1).events) events += event.kind == ShowEventKind::moment ? 1 : 0;
  EXPECT_EQ(events, 2);
}

}  // namespace
}  // namespace pavilion::scene
