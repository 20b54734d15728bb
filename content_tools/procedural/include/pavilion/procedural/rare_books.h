// The sample rare books of scenes/rare_books (#17), made at build time: a thread-bound (线装)
// Chinese book printed as from a Ming woodblock, and the pages of a Western codex for one of the
// IIIF cookbook's book manifests. Every run writes the same bytes (seeded noise, no time stamps).
#pragma once

#include "pavilion/core/error.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pavilion::procedural {

struct ThreadBoundBookOptions {
  // Each leaf is imaged whole (both half-leaves around the fold) at this height; its width is
  // 1.36 times that.
  uint32_t height = 5000;
  uint32_t leaves = 4;
  int jpeg_quality = 88;
};

// Where the fold of every leaf lies, as a fraction of the picture's width right of its middle
// (scene::BookPage::spine_offset): the block was printed a little right of the sheet's middle,
// as real leaves are, so a viewer that split them blindly at the middle would cut the 版心 unevenly.
inline constexpr float thread_bound_spine_offset = 0.008f;

// 《論語集註》 卷一 (學而第一 and the start of 為政第二): vertical Song-style (宋體) characters
// set by engine/text on aged bamboo paper, column rules (界欄), a doubled frame (四周雙邊), the
// block heart (版心) with its black fish tail (單魚尾), title and leaf number at each fold, a
// reader's red sentence circles and notes between the columns (朱批, from Zhu Xi's commentary),
// and two collectors' seals. Writes leaf01.jpg …, beside each its main text's columns as they were
// set (leaf01.alto.xml …, ALTO v4 in the leaf's pixels, one vertical line per column in reading
// order) and book.json (scenes/schema/book.schema.json: right-to-left, paged, leaves imaged
// whole, each leaf naming its text) into `folder`, returning the files written.
Result<std::vector<std::filesystem::path>> make_thread_bound_book(const std::filesystem::path& folder,
                                                                   const ThreadBoundBookOptions& options);

struct CodexOptions {
  float scale = 1;  // of each canvas's size in the manifest
  int jpeg_quality = 88;
};

// The pages of a IIIF book manifest's canvases (the cookbook's 0009 "Simple Manifest - Book":
// blank leaves, a first page of Latin text with a decorated initial, a title page, a bookplate),
// each named by the last segment of its image service's id (what content_tools/iiif's
// page images find by name), with `manifest` copied beside them.
Result<std::vector<std::filesystem::path>> make_western_codex(const std::filesystem::path& manifest, const std::filesystem::path& folder,
                                                               const CodexOptions& options);

}  // namespace pavilion::procedural
