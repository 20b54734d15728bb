// pavilion-rare-books: writes the sample rare books of scenes/rare_books (#17) into a folder. The
// build runs it; the same program always writes the same bytes.
//
//   pavilion-rare-books OUT_DIR CODEX_MANIFEST [--height PIXELS] [--leaves N]
#include "pavilion/core/log.h"
#include "pavilion/procedural/rare_books.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string_view>

namespace {

using namespace pavilion;

constexpr std::string_view usage = R"(Usage: pavilion-rare-books OUT_DIR CODEX_MANIFEST [--height PIXELS] [--leaves N]

Writes OUT_DIR/thread_bound: a thread-bound Chinese book (leaf01.jpg ..., each leaf imaged whole
around its fold, and book.json), and OUT_DIR/codex: page images for the canvases of
CODEX_MANIFEST (the IIIF cookbook's 0009 book), named by their image services, and the manifest.

  --height PIXELS   each leaf's height (default 5000; the width is 1.36 times it)
  --leaves N        how many leaves (default 4)
)";

bool parse(std::string_view text, uint32_t& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out > 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fputs(usage.data(), stderr);
    return 2;
  }
  procedural::ThreadBoundBookOptions book;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (!((flag == "--height" && parse(argv[i + 1], book.height)) || (flag == "--leaves" && parse(argv[i + 1], book.leaves)))) {
      std::fputs(usage.data(), stderr);
      return 2;
    }
  }
  const std::filesystem::path out = argv[1];
  const auto started = std::chrono::steady_clock::now();
  const auto leaves = procedural::make_thread_bound_book(out / "thread_bound", book);
  if (!leaves) {
    log::error("rare-books", "{}", leaves.error().describe());
    return 1;
  }
  const auto book_done = std::chrono::steady_clock::now();
  const auto pages = procedural::make_western_codex(argv[2], out / "codex", {});
  if (!pages) {
    log::error("rare-books", "{}", pages.error().describe());
    return 1;
  }
  const auto seconds = [](auto from, auto to) { return std::chrono::duration<double>(to - from).count(); };
  fmt::print("pavilion-rare-books: {} files of the thread-bound book in {:.1f} s, {} of the codex in {:.1f} s\n", leaves->size(),
             seconds(started, book_done), pages->size(), seconds(book_done, std::chrono::steady_clock::now()));
  return 0;
}
