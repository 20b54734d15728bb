// Playing a show is safe every frame: after the player is made, updating (across loops, a jump,
// a stall), seeking, triggering moments and switching calm mode allocate nothing (counted by
// replacing the global operator new in this binary).
#include "counting_new.h"
#include "pavilion/scene/show.h"

#include <gtest/gtest.h>

namespace pavilion::scene {
namespace {

// A minute's show on six tracks, one of each kind of cue every few seconds, and two moments.
Show minute_show() {
  Show show;
  show.duration = 60.0f;
  for (uint32_t kind = 1; kind <= 6; ++kind) {
    ShowTrack track{"track", {}};
    for (int index = 0; index < 20; ++index) {
      ShowCue cue;
      cue.kind = static_cast<CueKind>(kind);
      cue.start = 3.0f * static_cast<float>(index) + 0.1f * static_cast<float>(kind);
      cue.duration = cue.kind == CueKind::burst || cue.kind == CueKind::sound ? 0.0f : 2.5f;
      cue.camera_keys = {{0.0f, {0, 1, 5}, {0, 1, 0}, 60.0f, Easing::linear},
                         {2.5f, {5, 1, 0}, {0, 1, 0}, 50.0f, Easing::ease_in_out}};
      cue.light_keys = {{0.0f, {1, 1, 1}, 1.0f, Easing::linear}, {2.5f, {1, 0.2f, 0.1f}, 3.0f, Easing::ease_out}};
      cue.emitter = 0;
      cue.fade_seconds = 0.5f;
      track.cues.push_back(cue);
    }
    show.tracks.push_back(track);
  }
  ShowCue title;
  title.kind = CueKind::title;
  title.duration = 2.0f;
  title.fade_seconds = 0.3f;
  show.moments.push_back({1, MomentTrigger::touch, "lantern_released", {title}});
  show.moments.push_back({2, MomentTrigger::point, "rooster_crowed", {title}});
  return show;
}

TEST(SceneShowAllocations, PlayingAllocatesNothingAfterSetUp) {
  const Show show = minute_show();
  ShowPlayer player(show);
  size_t events = 0;
  size_t titles = 0;

  testing::reset_counted_allocations();
  testing::count_allocations(true);
  double clock = 0.0;
  for (int frame = 0; frame < 90 * 150; ++frame) {
    if (frame == 1000) player.trigger(1, MomentTrigger::touch);
    if (frame == 2000) player.set_calm(true);
    if (frame == 3000) player.seek(41.0f);
    if (frame == 4000) clock += 70.0;  // a jump of more than a pass
    if (frame >= 5000 && frame < 5100) clock -= 1.0 / 90.0;  // a clock that steps back
    if (frame == 6000) player.trigger(2, MomentTrigger::point);
    clock += 1.0 / 90.0;
    const ShowFrame& result = player.update(clock);
    events += result.events.size();
    titles += result.titles.size();
  }
  testing::count_allocations(false);
  EXPECT_EQ(testing::counted_allocations(), 0u);
  // The frames did play something.
  EXPECT_GT(events, 500u);
  EXPECT_GT(titles, 1000u);
}

}  // namespace
}  // namespace pavilion::scene
