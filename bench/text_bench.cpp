// text_bench: what the poetry exhibit's text costs to bake and to lay out.
//
//   Subsetting Noto Serif CJK SC and LXGW WenKai to five poems (title, poet, text, pinyin) and
//   baking their glyphs into one signed-distance atlas (64 texels per em, spread 8): time, the
//   atlas's size and its memory at run time. The reference, in the same run, is FreeType's
//   ordinary anti-aliased rendering of the same glyphs at the same size.
//   Laying out a 1 000-character passage in vertical columns: time per layout, against shaping
//   the same passage in one HarfBuzz call (the part of layout no engine can skip).
//
//   text_bench [--runs N]
#include "pavilion/core/utf8.h"
#include "pavilion/text/atlas.h"
#include "pavilion/text/faces.h"
#include "pavilion/text/layout.h"
#include "pavilion/text/shaping.h"
#include "pavilion/text/subset.h"

#include <fmt/format.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <string_view>
#include <vector>

namespace {

using namespace pavilion;
using Clock = std::chrono::steady_clock;

constexpr std::array<std::string_view, 5> poems{
    "静夜思\n李白\n床前明月光，疑是地上霜。\n举头望明月，低头思故乡。",
    "春晓\n孟浩然\n春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。",
    "登鹳雀楼\n王之涣\n白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。",
    "江雪\n柳宗元\n千山鸟飞绝，万径人踪灭。\n孤舟蓑笠翁，独钓寒江雪。",
    "水调歌头\n苏轼\n明月几时有？把酒问青天。不知天上宫阙，今夕是何年。我欲乘风归去，又恐琼楼玉宇，高处不胜寒。"
    "起舞弄清影，何似在人间。\n转朱阁，低绮户，照无眠。不应有恨，何事长向别时圆？人有悲欢离合，月有阴晴圆缺，"
    "此事古难全。但愿人长久，千里共婵娟。",
};
// The pinyin a ruby would carry: every letter a poem's annotation can use.
constexpr std::string_view pinyin_letters = "abcdefghijklmnopqrstuvwxyzāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ";

template <class Work>
double median_ms(int runs, Work&& work) {
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::unique_ptr<text::Font> open_or_exit(const text::FaceFile& face) {
  auto font = text::Font::open(face.file, face.index);
  if (!font) {
    fmt::print(stderr, "{}\n", font.error().describe());
    std::exit(1);
  }
  return std::move(*font);
}

std::unique_ptr<text::Font> subset_or_exit(const text::Font& font, std::u32string_view characters) {
  auto bytes = subset_font(font, characters);
  auto subset = bytes ? text::Font::from_bytes(std::move(*bytes), 0, font.name() + " (subset)")
                      : Result<std::unique_ptr<text::Font>>(bytes.error());
  if (!subset) {
    fmt::print(stderr, "{}\n", subset.error().describe());
    std::exit(1);
  }
  return std::move(*subset);
}

// FreeType's plain 8-bit coverage rendering of the same glyphs: the reference for baking.
double plain_render_ms(const text::Font& font, const std::vector<text::GlyphKey>& keys, uint32_t em_pixels) {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  FT_Init_FreeType(&library);
  FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(font.bytes().data()),
                     static_cast<FT_Long>(font.bytes().size()), 0, &face);
  FT_Set_Pixel_Sizes(face, 0, em_pixels);
  const auto start = Clock::now();
  for (const text::GlyphKey& key : keys) {
    if (key.font != 0) continue;
    FT_Load_Glyph(face, key.glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
    FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL);
  }
  const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  FT_Done_Face(face);
  FT_Done_FreeType(library);
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 20;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string_view value = argv[index + 1];
    if (std::string_view(argv[index]) == "--runs") std::from_chars(value.data(), value.data() + value.size(), runs);
  }
  const auto song = open_or_exit(text::song_face());
  const auto kai = open_or_exit(text::kai_face());

  std::string all_poems;
  for (const std::string_view poem : poems) all_poems.append(poem).append("\n");
  const std::u32string poem_characters = decode_utf8(all_poems).value();
  const std::u32string ruby_characters = decode_utf8(pinyin_letters).value();

  std::unique_ptr<text::Font> song_subset;
  std::unique_ptr<text::Font> kai_subset;
  const double subset_ms = median_ms(runs, [&] {
    song_subset = subset_or_exit(*song, poem_characters);
    kai_subset = subset_or_exit(*kai, ruby_characters);
  });

  std::vector<text::GlyphKey> keys;
  for (const std::string_view poem : poems) {
    const std::array<text::Ruby, 1> ruby{{{0, 2, std::string(pinyin_letters)}}};
    auto layout = text::lay_out(poem, ruby, *song_subset, *kai_subset, {.extent = 12});
    if (!layout) {
      fmt::print(stderr, "{}\n", layout.error().describe());
      return 1;
    }
    const std::vector<text::GlyphKey> used = text::glyphs_used(*layout);
    keys.insert(keys.end(), used.begin(), used.end());
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  const std::array<const text::Font*, 2> fonts{song_subset.get(), kai_subset.get()};
  text::GlyphAtlas atlas;
  const double atlas_ms = median_ms(runs, [&] { atlas = text::build_atlas(fonts, keys, {}).value(); });
  const size_t text_glyphs = static_cast<size_t>(std::count_if(keys.begin(), keys.end(),
                                                               [](const text::GlyphKey& key) { return key.font == 0; }));
  const double reference_ms = median_ms(runs, [&] { plain_render_ms(*song_subset, keys, 64); });
  double song_only_ms = 0;
  {
    std::vector<text::GlyphKey> song_keys;
    for (const text::GlyphKey& key : keys) {
      if (key.font == 0) song_keys.push_back(key);
    }
    song_only_ms = median_ms(runs, [&] { static_cast<void>(text::build_atlas(fonts, song_keys, {}).value()); });
  }

  fmt::print("fonts: Noto Serif CJK SC {:.1f} MB collection → subset {:.1f} KB; LXGW WenKai {:.1f} MB → pinyin subset "
             "{:.1f} KB; subsetting both {:.1f} ms\n",
             static_cast<double>(song->bytes().size()) / 1e6, static_cast<double>(song_subset->bytes().size()) / 1e3,
             static_cast<double>(kai->bytes().size()) / 1e6, static_cast<double>(kai_subset->bytes().size()) / 1e3,
             subset_ms);
  fmt::print("atlas: {} glyphs ({} of the poems, {} of pinyin) in {}×{} texels = {:.1f} KB at run time (R8), "
             "baked in {:.1f} ms\n",
             keys.size(), text_glyphs, keys.size() - text_glyphs, atlas.width, atlas.height,
             static_cast<double>(atlas.distances.size() + atlas.glyphs.size() * sizeof(text::AtlasGlyph)) / 1e3,
             atlas_ms);
  fmt::print("  the poems' {} glyphs: distance field {:.2f} ms, plain anti-aliased rendering {:.2f} ms (ratio {:.1f})\n",
             text_glyphs, song_only_ms, reference_ms, song_only_ms / reference_ms);

  // A 1 000-character passage: the poems again and again, set in columns of 20.
  std::u32string passage;
  while (passage.size() < 1000) passage += poem_characters;
  passage.resize(1000);
  std::string passage_utf8;
  for (const char32_t c : passage) append_utf8(passage_utf8, c);
  const double layout_ms = median_ms(runs, [&] {
    static_cast<void>(text::lay_out(passage_utf8, {}, *song, *song, {.extent = 20}).value());
  });
  const double shaping_ms = median_ms(runs, [&] {
    static_cast<void>(text::shape(*song, passage, 0, passage.size(), text::Direction::vertical, "zh-Hans"));
  });
  fmt::print("layout: 1 000 characters in vertical columns {:.3f} ms; shaping them in one HarfBuzz call {:.3f} ms "
             "(ratio {:.2f})\n",
             layout_ms, shaping_ms, layout_ms / shaping_ms);
  return 0;
}
