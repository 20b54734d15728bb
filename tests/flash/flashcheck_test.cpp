// pavilion-flashcheck as a curator runs it: a folder of numbered PNG frames in, a CSV, a worst
// frame, sentences and an exit status out.
#include "clips.h"

#include "pavilion/core/file.h"
#include "pavilion/core/png.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace pavilion::flash {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_status = -1;
  std::string out;
  std::string err;
};

std::string read_text(const fs::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size());
}

class Flashcheck : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::path(FLASH_TEST_OUTPUT_DIR) / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(folder_);
    fs::create_directories(folder_ / "frames");
  }

  // Frames named frame_1.png … frame_N.png, unpadded, so that sorting by name alone would put
  // frame_10 before frame_2.
  void write_frames(size_t count, const test::Painter& paint, uint32_t width = 32, uint32_t height = 24) {
    ImageRgba8 image(width, height);
    for (size_t frame = 0; frame < count; ++frame) {
      paint(frame, image);
      ASSERT_TRUE(write_png(frames() / fmt::format("frame_{}.png", frame + 1), image));
    }
  }

  Outcome check(const std::string& arguments) {
    const fs::path out = folder_ / "stdout.txt", err = folder_ / "stderr.txt";
    const std::string command =
        fmt::format("'{}' {} >'{}' 2>'{}'", PAVILION_FLASHCHECK_PROGRAM, arguments, out.string(), err.string());
    const int status = std::system(command.c_str());
    Outcome outcome;
    outcome.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    outcome.out = read_text(out);
    outcome.err = read_text(err);
    return outcome;
  }

  fs::path frames() const { return folder_ / "frames"; }
  fs::path folder_;
};

// One second of black, then a second of flashing five times a second.
void black_then_flashing(size_t frame, ImageRgba8& image) {
  const uint8_t level = frame >= 30 && test::light_at(frame, 5, 30) ? 255 : 0;
  test::fill(image, level, level, level);
}

TEST_F(Flashcheck, FlashingFramesFailNamingTheSecondAndWriteOneCsvRowEach) {
  write_frames(60, black_then_flashing);
  const fs::path csv = folder_ / "frames.csv";
  const Outcome outcome = check(fmt::format("'{}' --fps 30 --csv '{}' --language en", frames().string(), csv.string()));
  EXPECT_EQ(outcome.exit_status, 1) << outcome.err;
  // Frames in number order: the flashing starts at the 31st frame (1.00 s), its first transition
  // at 1.10 s; nine transitions fit in the second before the clip ends.
  EXPECT_NE(outcome.out.find("In second 2 (1.10–2.00 s), the centre of the screen flashes 4.5 times in one second"),
            std::string::npos)
      << outcome.out;
  EXPECT_NE(outcome.out.find("frame_"), std::string::npos);

  const std::string rows = read_text(csv);
  EXPECT_EQ(std::count(rows.begin(), rows.end(), '\n'), 61);
  EXPECT_TRUE(rows.starts_with(
      "frame,time_s,mean_luminance,red_saturation_share,flash_area,general_transitions,red_transitions,verdict\n"));
  EXPECT_NE(rows.find("\n0,0.0000,0.0000,0.0000,0.0000,0,0,pass\n"), std::string::npos) << rows;
  EXPECT_NE(rows.find(",general\n"), std::string::npos);
}

TEST_F(Flashcheck, SpeaksChineseWhenAsked) {
  write_frames(60, black_then_flashing);
  const Outcome outcome = check(fmt::format("'{}' --fps 30 --language zh-CN", frames().string()));
  EXPECT_EQ(outcome.exit_status, 1);
  EXPECT_NE(outcome.out.find("第2秒（1.10–2.00秒），画面中央一秒内闪烁4.5次"), std::string::npos) << outcome.out;
}

TEST_F(Flashcheck, SafeFramesExitZero) {
  write_frames(40, [](size_t frame, ImageRgba8& image) {
    const uint8_t level = test::grey_of(static_cast<float>(frame) / 39.0f);
    test::fill(image, level, level, level);
  });
  const Outcome outcome = check(fmt::format("'{}' --fps 30 --fov-degrees 100 --language en", frames().string()));
  EXPECT_EQ(outcome.exit_status, 0) << outcome.out << outcome.err;
  EXPECT_NE(outcome.out.find("40 frames (1.33 s): no dangerous flashing"), std::string::npos) << outcome.out;
}

TEST_F(Flashcheck, WorstFrameIsWrittenWithItsWindowOutlined) {
  write_frames(60, black_then_flashing, 160, 120);
  const fs::path worst = folder_ / "worst.png";
  const Outcome outcome = check(fmt::format("'{}' --fps 30 --worst '{}'", frames().string(), worst.string()));
  EXPECT_EQ(outcome.exit_status, 1) << outcome.err;
  auto image = read_png(worst);
  ASSERT_TRUE(image) << image.error().describe();
  EXPECT_EQ(image->width, 160u);
  size_t magenta = 0;
  for (uint32_t y = 0; y < image->height; ++y) {
    for (uint32_t x = 0; x < image->width; ++x) {
      const uint8_t* pixel = image->at(x, y);
      magenta += pixel[0] == 255 && pixel[1] == 0 && pixel[2] == 255;
    }
  }
  // Two lines around the 53×40 window, clipped to nothing: 2 × 2 × (53 + 40) − 8 corners shared.
  EXPECT_GT(magenta, 300u);
}

TEST_F(Flashcheck, BadInputExitsTwoNamingWhatIsWrong) {
  const Outcome missing = check(fmt::format("'{}' --fps 30 --language en", (folder_ / "nowhere").string()));
  EXPECT_EQ(missing.exit_status, 2);
  EXPECT_NE(missing.err.find("nowhere is not a folder"), std::string::npos) << missing.err;

  const Outcome empty = check(fmt::format("'{}' --fps 30 --language en", frames().string()));
  EXPECT_EQ(empty.exit_status, 2);
  EXPECT_NE(empty.err.find("holds no PNG frames"), std::string::npos) << empty.err;

  const Outcome no_rate = check(fmt::format("'{}'", frames().string()));
  EXPECT_EQ(no_rate.exit_status, 2);

  write_frames(6, [](size_t, ImageRgba8& image) { test::fill(image, 0, 0, 0); });
  const std::string broken = "\x89PNG\r\n\x1a\nnot really";
  ASSERT_TRUE(write_file_atomic(frames() / "frame_5.png", std::as_bytes(std::span(broken))));
  const Outcome unreadable = check(fmt::format("'{}' --fps 30 --language en", frames().string()));
  EXPECT_EQ(unreadable.exit_status, 2);
  EXPECT_NE(unreadable.err.find("frame_5.png"), std::string::npos) << unreadable.err;

  ASSERT_TRUE(write_png(frames() / "frame_5.png", ImageRgba8(24, 32)));
  const Outcome other_size = check(fmt::format("'{}' --fps 30 --language zh-CN", frames().string()));
  EXPECT_EQ(other_size.exit_status, 2);
  EXPECT_NE(other_size.err.find("frame_5.png 为 24×32"), std::string::npos) << other_size.err;
}

}  // namespace
}  // namespace pavilion::flash
