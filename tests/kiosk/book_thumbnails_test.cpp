// The book strip's thumbnails read off the frame thread (kiosk/src/exhibits/book/book_thumbnails):
// a thousand-page book's worker starts at once, reads the pages in view first, hands each page's
// picture shrunk to its cell (a page it cannot read without a picture, logged once), and its
// frame-thread side allocates nothing. No GPU: the frames' copies into the texture are the renderer's (renderer_tests,
// render_allocation_tests).
#include "counting_new.h"
#include "exhibits/book/book_thumbnails.h"
#include "pavilion/core/log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace pavilion::kiosk {
namespace {

// A thousand pages of 96 × 128 pixels in tiles of 62 (a coarsest level of one 24 × 32 tile), each
// page a solid grey of its number modulo 200 as RGBA8; pages 13 and 14's tiles cannot be read. Each read
// takes a little time, as a package's zstd blob would.
class ThousandGreyPages final : public scene::PageTileSource {
 public:
  static constexpr std::array<uint32_t, 2> unreadable{13, 14};
  uint32_t page_count() const override { return 1000; }
  scene::PageShape page_shape(uint32_t) const override { return {96, 128, 62, 1, scene::PageTileFormat::rgba8}; }
  Result<void> read_tile(const scene::PageTileKey& key, std::span<std::byte> destination) const override {
    if (std::ranges::count(unreadable, key.page) != 0) return Error(ErrorCode::io, "reading a tile", "the blob is damaged");
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    const auto grey = static_cast<std::byte>(key.page % 200);
    for (size_t texel = 0; texel + 4 <= destination.size(); texel += 4) {
      std::fill_n(destination.data() + texel, 3, grey);
      destination[texel + 3] = std::byte{255};
    }
    return {};
  }
};

TEST(BookThumbnails, AThousandPagesStartAtOnceAndThePagesInViewComeFirst) {
  const auto source = std::make_shared<ThousandGreyPages>();
  std::mutex mutex;
  std::vector<std::string> warnings;
  log::set_sink([&](log::Level level, std::string_view line) {
    std::lock_guard lock(mutex);
    if (level == log::Level::warn) warnings.emplace_back(line);
  });
  constexpr uint32_t ring = 8;
  const auto started = std::chrono::steady_clock::now();
  BookThumbnails thumbnails(source, 1000, 64, ring);
  const double start_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  // Reading 1 000 tiles takes 200 ms here; the frame that opens the book starts a thread only.
  EXPECT_LT(start_ms, 20.0);
  thumbnails.want(900, 910);

  std::vector<uint32_t> order;
  std::set<uint32_t> seen;
  std::vector<uint32_t> given_up;
  const ThumbnailSize expected = thumbnail_size(source->page_shape(0), 64);
  ASSERT_EQ(expected.width, 24);
  ASSERT_EQ(expected.height, 32);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    // Read before taking: a page counted done is in the ring by then.
    const bool all_done = thumbnails.pages_done() == 1000;
    const std::span<const BookThumbnails::Thumbnail> taken = thumbnails.take(4);
    for (const BookThumbnails::Thumbnail& thumbnail : taken) {
      EXPECT_TRUE(seen.insert(thumbnail.page).second) << "page " << thumbnail.page << " twice";
      if (thumbnail.rgba.empty()) {
        given_up.push_back(thumbnail.page);
        continue;
      }
      EXPECT_EQ(thumbnail.size.width, expected.width);
      EXPECT_EQ(thumbnail.size.height, expected.height);
      ASSERT_EQ(thumbnail.rgba.size(), size_t{expected.width} * expected.height * 4);
      EXPECT_EQ(thumbnail.rgba[0], thumbnail.page % 200) << "page " << thumbnail.page << "'s own picture";
      EXPECT_EQ(thumbnail.rgba[thumbnail.rgba.size() - 1], 255);
      order.push_back(thumbnail.page);
    }
    if (all_done && taken.empty()) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << order.size() << " pages read";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  log::set_sink(nullptr);
  EXPECT_EQ(order.size(), 998u) << "every page but the unreadable ones";
  std::ranges::sort(given_up);
  EXPECT_EQ(given_up, std::vector<uint32_t>(ThousandGreyPages::unreadable.begin(), ThousandGreyPages::unreadable.end()))
      << "the unreadable pages handed out without a picture, for the strip to draw as paper";
  ASSERT_EQ(warnings.size(), 1u) << "the unreadable pages logged once";
  EXPECT_NE(warnings[0].find("could not be read"), std::string::npos) << warnings[0];
  // Before want() the worker may have filled its ring (and begun one more) from the book's start;
  // then the ten in view.
  size_t last_in_view = 0;
  for (size_t index = 0; index < order.size(); ++index) {
    if (order[index] >= 900 && order[index] < 910) last_in_view = index;
  }
  EXPECT_LT(last_in_view, ring + 11) << "the pages in view among the first read";
  // Then outwards from them: the pages just beside the view before the book's far end.
  const size_t page_911 = std::find(order.begin(), order.end(), 911u) - order.begin();
  const size_t page_500 = std::find(order.begin(), order.end(), 500u) - order.begin();
  EXPECT_LT(page_911, page_500);
}

// Taking what the worker has read, and handing the cells back, allocates nothing on the frame
// thread, while the worker reads (and allocates) beside it.
TEST(BookThumbnails, TakingThumbnailsAllocatesNothing) {
  BookThumbnails thumbnails(std::make_shared<ThousandGreyPages>(), 1000, 64, 8);
  thumbnails.want(0, 10);
  size_t taken = 0;
  testing::reset_counted_allocations();
  testing::count_this_threads_allocations(true);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (taken < 200 && std::chrono::steady_clock::now() < deadline) {
    thumbnails.want(static_cast<uint32_t>(taken), static_cast<uint32_t>(taken + 10));
    taken += thumbnails.take(4).size();
    std::this_thread::yield();
  }
  testing::count_this_threads_allocations(false);
  EXPECT_GE(taken, 200u);
  EXPECT_EQ(testing::counted_allocations(), 0u) << "the frame thread allocated while taking thumbnails";
}

}  // namespace
}  // namespace pavilion::kiosk
