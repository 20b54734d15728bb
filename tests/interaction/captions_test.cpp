// Captions: what shows when, on the caller's clock.
#include "pavilion/interaction/captions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pavilion::interaction {
namespace {

std::vector<std::string> texts(std::span<const Caption> lines) {
  std::vector<std::string> out;
  for (const Caption& line : lines) out.push_back(line.text);
  return out;
}

TEST(InteractionCaptions, ALineShowsFromItsStartUntilItsEnd) {
  Captions captions;
  captions.show(CaptionKind::speech, "开始参观", "zh-CN", 1.0, 2.5);
  EXPECT_TRUE(captions.showing(0.9).empty());
  ASSERT_EQ(captions.showing(1.0).size(), 1u);
  EXPECT_EQ(captions.showing(1.0)[0].language, "zh-CN");
  EXPECT_EQ(texts(captions.showing(2.4)), std::vector<std::string>{"开始参观"});
  EXPECT_TRUE(captions.showing(2.5).empty());
  ASSERT_EQ(captions.history().size(), 1u);
  EXPECT_EQ(captions.history()[0].start, 1.0);
  EXPECT_EQ(captions.history()[0].end, 2.5);
}

TEST(InteractionCaptions, ALineOfTheSameKindReplacesTheOneShowingAndTheHistoryKeepsWhereItEnded) {
  Captions captions;
  captions.show(CaptionKind::recitation, "床前明月光，", "zh-CN", 0.0, 10.0);
  captions.show(CaptionKind::music, "[music: guqin]", "en", 0.5, 8.0);
  captions.show(CaptionKind::recitation, "疑是地上霜。", "zh-CN", 2.0, 10.0);
  EXPECT_EQ(texts(captions.showing(2.0)), (std::vector<std::string>{"[music: guqin]", "疑是地上霜。"}));
  ASSERT_EQ(captions.history().size(), 3u);
  EXPECT_EQ(captions.history()[0].end, 2.0);   // replaced there
  EXPECT_EQ(captions.history()[1].end, 8.0);   // another kind: untouched
  EXPECT_EQ(captions.history()[2].end, 10.0);
}

TEST(InteractionCaptions, AtMostMaxLinesShowTheNewestAtTheBottom) {
  Captions captions;
  captions.show(CaptionKind::music, "[music: guqin]", "en", 0.0, 9.0);
  captions.show(CaptionKind::speech, "Home", "en", 1.0, 9.0);
  captions.show(CaptionKind::description, "A celadon vase.", "en", 2.0, 9.0);
  const auto shown = captions.showing(3.0);
  ASSERT_EQ(shown.size(), Captions::max_lines);
  EXPECT_EQ(texts(shown), (std::vector<std::string>{"Home", "A celadon vase."}));
  // The oldest comes back once a newer one ends.
  captions.end(CaptionKind::description, 4.0);
  EXPECT_EQ(texts(captions.showing(4.0)), (std::vector<std::string>{"[music: guqin]", "Home"}));
}

TEST(InteractionCaptions, EndStopsOnlyItsKindAndALineNotYetStartedNeverShows) {
  Captions captions;
  captions.show(CaptionKind::speech, "Still there?", "en", 0.0, 5.0);
  captions.show(CaptionKind::music, "[music: guqin]", "en", 0.0, 5.0);
  captions.show(CaptionKind::recitation, "later", "zh-CN", 3.0, 5.0);
  captions.end(CaptionKind::speech, 1.0);
  captions.end(CaptionKind::recitation, 1.0);
  EXPECT_EQ(texts(captions.showing(1.0)), std::vector<std::string>{"[music: guqin]"});
  EXPECT_EQ(texts(captions.showing(3.5)), std::vector<std::string>{"[music: guqin]"});
  EXPECT_EQ(captions.history()[0].end, 1.0);
  captions.clear(2.0);
  EXPECT_TRUE(captions.showing(2.0).empty());
  EXPECT_EQ(captions.history()[1].end, 2.0);
}

TEST(InteractionCaptions, TheHistoryKeepsTheLast256Lines) {
  Captions captions;
  for (int line = 0; line < 300; ++line) {
    captions.show(CaptionKind::speech, std::to_string(line), "en", line, line + 1.0);
  }
  ASSERT_EQ(captions.history().size(), 256u);
  EXPECT_EQ(captions.history().front().text, "44");
  EXPECT_EQ(captions.history().back().text, "299");
  EXPECT_EQ(texts(captions.showing(299.5)), std::vector<std::string>{"299"});
}

}  // namespace
}  // namespace pavilion::interaction
