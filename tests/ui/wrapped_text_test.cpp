// Interface text wrapped by the poems' rules, in the kiosk's own faces at every size it uses (both
// screens, text at 100–200 %), measured and drawn by Dear ImGui without a GPU: the widths where
// ImGui's wrapping left a closing bracket alone on a line, English kept in whole words, and text
// drawn on the very pixels ImGui's own wrapping used wherever the two agree.
#include "pavilion/core/utf8.h"
#include "pavilion/text/font.h"
#include "pavilion/text/subset.h"
#include "pavilion/ui/fonts.h"
#include "pavilion/ui/wrapped_text.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <memory>
#include <string>
#include <vector>

namespace pavilion::ui {
namespace {

constexpr std::string_view vase_title = "龙泉窑青瓷开片瓶（仿制）";
// What an exhibit screen shows, in both languages.
constexpr std::array<std::string_view, 9> interface_texts{
    vase_title,
    "Longquan celadon vase with crackled glaze (replica)",
    "梅子青釉色，釉面布满细密开片。宋代风格（960–1279），高约七十五厘米。",
    "A plum-green glaze covered in a fine web of crackle; Song dynasty style (960–1279), about 75 cm tall.",
    "平静模式（减少动态）",
    "Calm mode (less motion)",
    "服务器拒绝了本机的令牌，请重新登记本机（pavilion-hub enrol）",
    "字体：霞鹜文楷（https://github.com/lxgw/LxgwWenKai）",
    "「静夜思」选自《唐诗三百首》，李白作。",
};
// The characters that may not begin a line, and those that may not end one, in these texts.
constexpr std::u32string_view closing = U"）。，、」』》：；";
constexpr std::u32string_view opening = U"（「『《";

// The kiosk's title and body sizes: 44 and 28 pixels on a 720-line screen, scaled to the screen
// (the tests' 270 lines, a kiosk's 720) and by the visitor's text size.
struct Size {
  float title_pixels;
  float body_pixels;
  float text_scale;
};
std::vector<Size> kiosk_sizes() {
  std::vector<Size> sizes;
  for (const float screen : {270.0f / 720.0f, 1.0f}) {
    for (const float text_scale : {1.0f, 1.25f, 1.5f, 1.75f, 2.0f}) {
      sizes.push_back({44.0f * screen * text_scale, 28.0f * screen * text_scale, text_scale});
    }
  }
  return sizes;
}

std::u32string code_points(std::string_view text) {
  auto decoded = decode_utf8(text);
  EXPECT_TRUE(decoded.ok()) << decoded.error().describe();
  return decoded.ok() ? *decoded : std::u32string();
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0;;) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == text.npos ? text.npos : end - start));
    if (end == text.npos) return lines;
    start = end + 1;
  }
}

// `face` holding only the glyphs of `characters`; empty when it cannot be read.
std::vector<std::byte> subset(const FontFace& face, std::string_view characters) {
  auto font = text::Font::open(face.file, static_cast<uint32_t>(face.collection_index));
  EXPECT_TRUE(font.ok()) << font.error().describe();
  if (!font.ok()) return {};
  auto subset = text::subset_font(**font, code_points(characters));
  EXPECT_TRUE(subset.ok()) << subset.error().describe();
  return subset.ok() ? std::move(*subset) : std::vector<std::byte>();
}

bool latin(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9'); }

// The interface's faces at every size the kiosk uses, in one atlas that the tests' ImGui
// contexts share.
class WrappedText : public ::testing::Test {
 protected:
  struct Fonts {
    Size size;
    ImFont* title = nullptr;
    ImFont* body = nullptr;
  };

  static void SetUpTestSuite() {
    atlas_ = new ImFontAtlas();
    ranges_ = new ImVector<ImWchar>();
    configure_atlas(*atlas_);
    std::string shown = "DateHome上一件";
    for (const std::string_view text : interface_texts) shown += text;
    ImFontGlyphRangesBuilder ranges;
    ranges.AddText(shown.data(), shown.data() + shown.size());
    ranges.BuildRanges(ranges_);
    // The faces cut down to the characters shown (ImGui would read 20 MB for each size): their
    // advances, all that wrapping measures, are the whole face's.
    subsets_ = new std::array<std::vector<std::byte>, 2>{subset(title_face(), shown), subset(body_face(), shown)};
    ASSERT_FALSE((*subsets_)[0].empty() || (*subsets_)[1].empty()) << "install fonts-noto-cjk and fonts-lxgw-wenkai";
    const auto add = [&](std::vector<std::byte>& bytes, float pixels) {
      ImFontConfig config = face_config({});  // the subset is a face of its own
      config.FontDataOwnedByAtlas = false;
      return atlas_->AddFontFromMemoryTTF(bytes.data(), static_cast<int>(bytes.size()), pixels, &config, ranges_->Data);
    };
    fonts_ = new std::vector<Fonts>();
    for (const Size& size : kiosk_sizes()) {
      fonts_->push_back({size, add((*subsets_)[0], size.title_pixels), add((*subsets_)[1], size.body_pixels)});
    }
    ASSERT_TRUE(atlas_->Build());
  }
  static void TearDownTestSuite() {
    delete fonts_;
    delete atlas_;
    delete ranges_;
    delete subsets_;
  }

  void SetUp() override {
    ASSERT_TRUE(fonts_ != nullptr && !fonts_->empty()) << "the interface's faces could not be read";
    context_ = ImGui::CreateContext(atlas_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 720);
    io.DeltaTime = 1.0f / 60.0f;
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  }
  void TearDown() override {
    if (context_ != nullptr) ImGui::DestroyContext(context_);
  }

  // The vertices `draw` adds inside a window `width` pixels wide, in `font`, as one frame.
  template <class Draw>
  std::vector<ImDrawVert> vertices_of(ImFont* font, float width, Draw draw) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10.5f, 7.25f));
    ImGui::SetNextWindowSize(ImVec2(width, 700));
    ImGui::Begin("panel", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::PushFont(font);
    ImDrawList& list = *ImGui::GetWindowDrawList();
    const int before = list.VtxBuffer.Size;
    draw();
    std::vector<ImDrawVert> added(list.VtxBuffer.Data + before, list.VtxBuffer.Data + list.VtxBuffer.Size);
    ImGui::PopFont();
    ImGui::End();
    ImGui::EndFrame();
    return added;
  }

  // Checks the lines `text` was wrapped into at `width`: each fits, none begins with closing or
  // ends with opening punctuation, no Latin word is split, and together they are the text less
  // the spaces it was broken at.
  static void expect_follows_the_rules(const ImFont& font, float size, std::string_view text, std::string_view wrapped,
                                       float width) {
    SCOPED_TRACE(::testing::Message() << "\"" << text << "\" in " << size << " px at " << width << " px:\n" << wrapped);
    std::u32string rejoined;
    for (const std::string_view line : split_lines(wrapped)) {
      EXPECT_LE(font.CalcTextSizeA(size, FLT_MAX, 0.0f, line.data(), line.data() + line.size()).x, width);
      const std::u32string characters = code_points(line);
      ASSERT_FALSE(characters.empty());
      EXPECT_EQ(closing.find(characters.front()), closing.npos) << "a line begins with closing punctuation";
      EXPECT_EQ(opening.find(characters.back()), opening.npos) << "a line ends with opening punctuation";
      if (!rejoined.empty()) {
        // The break took the space the text had there, or broke where it had none: not in a word.
        if (code_points(text).compare(rejoined.size(), 1, U" ") == 0) {
          rejoined += U' ';
        } else {
          EXPECT_FALSE(latin(rejoined.back()) && latin(characters.front())) << "a word was split";
        }
      }
      rejoined += characters;
    }
    EXPECT_EQ(rejoined, code_points(text));
  }

  static ImFontAtlas* atlas_;
  static ImVector<ImWchar>* ranges_;
  static std::array<std::vector<std::byte>, 2>* subsets_;  // the title's face, the body's
  static std::vector<Fonts>* fonts_;
  ImGuiContext* context_ = nullptr;
  TextWrapper wrapper_;
};

ImFontAtlas* WrappedText::atlas_ = nullptr;
ImVector<ImWchar>* WrappedText::ranges_ = nullptr;
std::array<std::vector<std::byte>, 2>* WrappedText::subsets_ = nullptr;
std::vector<WrappedText::Fonts>* WrappedText::fonts_ = nullptr;

// The bug as found: ImGui broke the vase's title before its closing bracket, which then stood
// alone on the second line. At the width where ImGui did so, at every size, the character before
// goes along with it.
TEST_F(WrappedText, TheVasesTitleNeverLeavesItsClosingBracketAloneAtAnyTextSize) {
  const std::string_view before_bracket = vase_title.substr(0, vase_title.size() - std::string_view("）").size());
  for (const Fonts& fonts : *fonts_) {
    for (const ImFont* font : {fonts.title, fonts.body}) {
      const float size = font->FontSize;
      SCOPED_TRACE(::testing::Message() << size << " px");
      const float width = font->CalcTextSizeA(size, FLT_MAX, 0.0f, before_bracket.data(), before_bracket.data() + before_bracket.size()).x +
                          font->GetCharAdvance(static_cast<ImWchar>(U'）')) * 0.5f;
      const char* imgui_break = font->CalcWordWrapPositionA(1.0f, vase_title.data(), vase_title.data() + vase_title.size(), width);
      ASSERT_EQ(std::string_view(imgui_break, vase_title.data() + vase_title.size() - imgui_break), "）")
          << "ImGui's own wrapping leaves the bracket alone here";
      EXPECT_EQ(wrapper_.wrap(*font, size, vase_title, width), "龙泉窑青瓷开片瓶（仿\n制）");
    }
  }
}

// The exhibit panel as the kiosk's tests see it at 480×270: 36 % of the width, less its padding.
TEST_F(WrappedText, TheExhibitPanelsTitleFollowsTheRulesAtEveryTextSize) {
  constexpr float screen = 270.0f / 720.0f;
  const float panel_text_width = 480.0f * 0.36f - 2 * 24.0f * screen;
  for (const Fonts& fonts : *fonts_) {
    if (fonts.size.title_pixels > 44.0f * screen * 2.0f + 0.01f) continue;  // the 720-line sizes
    const float size = fonts.title->FontSize;
    const std::string_view wrapped = wrapper_.wrap(*fonts.title, size, vase_title, panel_text_width);
    expect_follows_the_rules(*fonts.title, size, vase_title, wrapped, panel_text_width);
    EXPECT_GE(split_lines(wrapped).size(), 2u) << "the title no longer wraps here: the test lost its point";
  }
}

TEST_F(WrappedText, EveryInterfaceTextFollowsThePoemsRulesAtEveryWidthAndSize) {
  for (const Fonts& fonts : *fonts_) {
    for (const ImFont* font : {fonts.title, fonts.body}) {
      const float size = font->FontSize;
      // From the longest word of the texts to wider than any text, in steps of half an em.
      const std::string_view longest_word = "https://github.com/lxgw/LxgwWenKai";
      const float narrowest = font->CalcTextSizeA(size, FLT_MAX, 0.0f, longest_word.data(), longest_word.data() + longest_word.size()).x;
      for (float width = narrowest; width < narrowest * 3; width += size / 2) {
        for (const std::string_view text : interface_texts) {
          expect_follows_the_rules(*font, size, text, wrapper_.wrap(*font, size, text, width), width);
        }
      }
    }
  }
}

TEST_F(WrappedText, ChineseBreaksBetweenCharactersAndLatinWordsStayWhole) {
  const ImFont& font = *fonts_->front().body;
  const float em = font.FontSize;
  const float han = font.GetCharAdvance(static_cast<ImWchar>(U'龙'));
  EXPECT_EQ(wrapper_.wrap(font, em, "龙泉窑青瓷开片瓶", han * 3.5f), "龙泉窑\n青瓷开\n片瓶");
  const std::string_view english = "Longquan celadon vase";
  const float two_words = font.CalcTextSizeA(em, FLT_MAX, 0.0f, english.data(), english.data() + 16).x;
  EXPECT_EQ(wrapper_.wrap(font, em, english, two_words + 1), "Longquan celadon\nvase");
  EXPECT_EQ(wrapper_.wrap(font, em, english, two_words - 1), "Longquan\nceladon vase");
  // Lines the text ends itself stay; a text that fits is as it was.
  EXPECT_EQ(wrapper_.wrap(font, em, "龙泉窑\nLongquan", 1000), "龙泉窑\nLongquan");
  EXPECT_EQ(wrapper_.wrap(font, em, "", 100), "");
  // Malformed UTF-8, even cut off mid-character, is wrapped as ImGui draws it: not read past its end.
  const std::string cut = "龙泉\xE7\xAA";
  std::string wrapped(wrapper_.wrap(font, em, cut, han * 1.2f));
  EXPECT_EQ(wrapped.substr(0, wrapped.find('\n')), "龙");
  std::erase(wrapped, '\n');
  EXPECT_EQ(wrapped, cut);
}

// Where our breaks and ImGui's agree (English at spaces), the text lands on the same pixels as
// ImGui::TextWrapped put it: nothing moves on a screen whose wraps were right already.
TEST_F(WrappedText, WrappedTextIsDrawnWhereImGuiDrewItWhereverTheBreaksAgree) {
  const std::string english(interface_texts[1]);
  for (const Fonts& fonts : *fonts_) {
    const float width = fonts.body->FontSize * 14;
    const auto imgui = vertices_of(fonts.body, width, [&] {
      ImGui::TextUnformatted("Date");
      ImGui::SameLine();
      ImGui::TextWrapped("%s", english.c_str());
    });
    const auto ours = vertices_of(fonts.body, width, [&] {
      ImGui::TextUnformatted("Date");
      ImGui::SameLine();
      wrapper_.text(english);
    });
    ASSERT_EQ(ours.size(), imgui.size()) << fonts.body->FontSize << " px";
    for (size_t index = 0; index < ours.size(); ++index) {
      EXPECT_EQ(ours[index].pos.x, imgui[index].pos.x);
      EXPECT_EQ(ours[index].pos.y, imgui[index].pos.y);
      EXPECT_EQ(ours[index].uv.x, imgui[index].uv.x);
      EXPECT_EQ(ours[index].col, imgui[index].col);
    }
    EXPECT_GT(ours.back().pos.y - ours.front().pos.y, fonts.body->FontSize) << "the text should wrap here";
  }
}

TEST_F(WrappedText, AButtonWhoseLabelFitsLooksAsImGuiDrewIt) {
  for (const Fonts& fonts : *fonts_) {
    const ImVec2 size(fonts.body->FontSize * 12, fonts.body->FontSize * 2);
    for (const std::string_view label : {"Home", "上一件", "平静模式（减少动态）"}) {
      const std::string text(label);
      const auto imgui = vertices_of(fonts.body, 1000, [&] { ImGui::Button(text.c_str(), size); });
      const auto ours = vertices_of(fonts.body, 1000, [&] { wrapper_.button(label, size); });
      ASSERT_EQ(ours.size(), imgui.size()) << label;
      for (size_t index = 0; index < ours.size(); ++index) {
        EXPECT_EQ(ours[index].pos.x, imgui[index].pos.x) << label;
        EXPECT_EQ(ours[index].pos.y, imgui[index].pos.y) << label;
      }
    }
  }
}

// A label wider than its button: ImGui clipped it on one line; now it takes two, each centred,
// and the button grows to hold them.
TEST_F(WrappedText, AButtonLabelTooLongForOneLineBreaksByTheRulesEachLineCentred) {
  const ImFont& font = *fonts_->front().body;
  const float em = font.FontSize;
  const float padding = ImGuiStyle().FramePadding.x;
  const std::string_view label = "平静模式（减少动态）";
  const std::string_view six = "平静模式（减";
  const float inner = font.CalcTextSizeA(em, FLT_MAX, 0.0f, six.data(), six.data() + six.size()).x + em * 0.5f;
  const ImVec2 size(inner + 2 * padding, em);
  EXPECT_EQ(wrapper_.wrap(font, em, label, inner), "平静模式（减\n少动态）");
  ImVec2 frame;
  const auto vertices = vertices_of(fonts_->front().body, 1000, [&] {
    wrapper_.button(label, size);
    frame = ImGui::GetItemRectSize();
  });
  EXPECT_EQ(frame.x, size.x);
  EXPECT_EQ(frame.y, 2 * em + 2 * ImGuiStyle().FramePadding.y);
  // The frame's vertices come first; then 4 per glyph, the rows one after the other.
  const size_t glyphs = 10;
  ASSERT_GE(vertices.size(), glyphs * 4);
  const ImDrawVert* first = vertices.data() + vertices.size() - glyphs * 4;
  const auto row_span = [&](size_t first_glyph, size_t count) {
    float left = FLT_MAX;
    float right = -FLT_MAX;
    for (size_t vertex = first_glyph * 4; vertex < (first_glyph + count) * 4; ++vertex) {
      left = std::min(left, first[vertex].pos.x);
      right = std::max(right, first[vertex].pos.x);
    }
    return std::pair(left, right);
  };
  const auto [top_left, top_right] = row_span(0, 6);
  const auto [bottom_left, bottom_right] = row_span(6, 4);
  EXPECT_GT(first[6 * 4].pos.y, first[0].pos.y + em * 0.5f) << "the second line is below the first";
  // Both rows centred on the same axis, within the ink's side bearings (a closing bracket's ink
  // sits in the left of its cell); rows aligned left would be an em apart.
  EXPECT_NEAR((top_left + top_right) * 0.5f, (bottom_left + bottom_right) * 0.5f, em * 0.5f);
  EXPECT_LT(top_right - top_left, size.x);
}

}  // namespace
}  // namespace pavilion::ui
