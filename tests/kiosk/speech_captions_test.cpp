// The narrator's lines captioned (kiosk/src/captions/speech_captions.h), as the kiosk and the
// headset both do: each line from its first sound to its end, a line cut short ended where it
// was cut, a line espeak-ng could not say passed over (and the next captioned), frame after frame
// from the last serial seen.
#include "captions/speech_captions.h"
#include "pavilion/audio/device.h"

#include <gtest/gtest.h>

#include <vector>

namespace pavilion::kiosk {
namespace {

using interaction::Caption;
using interaction::CaptionKind;

TEST(KioskSpeechCaptions, EachLineIsCaptionedFromItsFirstSoundToItsEndAndAFailedOneIsPassedOver) {
  auto device = audio::AudioDevice::open_loopback({.sample_rate = 48'000});
  ASSERT_TRUE(device.ok()) << device.error().describe();
  auto opened = speech::Narrator::open(**device, {.synchronous = true});
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  speech::Narrator& narrator = **opened;
  interaction::Captions captions;
  SpeechCaptionFeed feed;
  std::vector<float> block(800 * 2);
  double now = 0;
  const auto frames = [&](double seconds) {
    for (const double until = now + seconds - 1e-6; now < until; now += 1.0 / 60) {
      ASSERT_TRUE(narrator.update(now, 1.0 / 60).ok());
      (*device)->render(block);
      // The shown exhibit's description is captioned as one; other lines as speech.
      feed.update(narrator, captions, now, [](const speech::SpokenLine& line) {
        return line.text.starts_with("A green") ? CaptionKind::description : CaptionKind::speech;
      });
    }
  };

  narrator.say("Home", "en", false, now);
  narrator.say("Qapla'", "tlh", false, now);  // no such voice: failed
  narrator.say("A green porcelain vase", "en", false, now);
  frames(0.5);
  const double cut = now;
  narrator.say("首页", "zh-CN", true, cut);  // cuts the description short
  frames(3.0);

  const auto history = narrator.history();
  ASSERT_EQ(history.size(), 4u);
  ASSERT_TRUE(history[1].failed);
  const std::span<const Caption> shown = captions.history();
  ASSERT_EQ(shown.size(), 3u);
  const auto expect_caption = [&](const Caption& caption, const speech::SpokenLine& line, CaptionKind kind) {
    EXPECT_EQ(caption.text, line.text);
    EXPECT_EQ(caption.language, line.language);
    EXPECT_EQ(caption.kind, kind) << line.text;
    EXPECT_EQ(caption.start, line.started_at) << line.text;
    EXPECT_EQ(caption.end, line.ended_at) << line.text;
  };
  expect_caption(shown[0], history[0], CaptionKind::speech);
  expect_caption(shown[1], history[2], CaptionKind::description);
  EXPECT_EQ(shown[1].end, cut);
  expect_caption(shown[2], history[3], CaptionKind::speech);
  EXPECT_GT(history[3].ended_at, cut);
  EXPECT_TRUE(captions.showing(now).empty());
}

}  // namespace
}  // namespace pavilion::kiosk
