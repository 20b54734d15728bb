#include "pavilion/exhibits/poem_text.h"

#include "pavilion/core/utf8.h"

#include <fmt/format.h>

namespace pavilion::exhibits {
namespace {

// A column holds at most this many characters (a long ci's line breaks by the rules instead).
constexpr float column_ems = 14;
// A horizontal poem's line.
constexpr float line_ems = 18;

Result<std::vector<std::byte>> read_blob(const package::PackageReader& package, const ContentHash& hash,
                                         std::string_view what) {
  const std::optional<uint32_t> index = package.find(hash);
  if (!index) return Error(ErrorCode::invalid_input, "reading the poem", fmt::format("its {} is missing from the package", what));
  return package.read_blob(*index);
}

uint32_t code_points(std::string_view text) {
  uint32_t count = 0;
  for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

PoemText::~PoemText() {
  if (atlas_uploaded_) static_cast<void>(renderer_.remove_overlay_texture(atlas_texture_));
}

Result<std::unique_ptr<PoemText>> PoemText::open(const package::PackageReader& package, std::string_view package_name,
                                                 const scene::Poem& poem, const scene::Exhibit& exhibit,
                                                 render::Renderer& renderer) {
  const std::string step = fmt::format("opening the poem {} of {}", exhibit.id, package_name);
  std::unique_ptr<PoemText> set(new PoemText(renderer, poem));

  PV_TRY_ASSIGN(std::vector<std::byte> font_bytes, read_blob(package, poem.font, "font").add_context(step));
  PV_TRY_ASSIGN(set->font_, text::Font::from_bytes(std::move(font_bytes), 0, exhibit.id).add_context(step));
  PV_TRY_ASSIGN(const std::vector<std::byte> atlas_bytes, read_blob(package, poem.atlas, "glyph atlas").add_context(step));
  PV_TRY_ASSIGN(set->atlas_, text::decode_atlas(atlas_bytes).add_context(step));

  // Title, then poet under their dynasty, then the poem: a book's opening of a poem.
  const scene::DublinCore& dc = exhibit.metadata;
  // 〔唐〕李白 where the font has the brackets (fonts packed before version 5 may not), 唐　李白
  // otherwise.
  const bool brackets = set->font_->glyph_for(U'〔') != 0 && set->font_->glyph_for(U'〕') != 0;
  const std::string dynasty = poem.dynasty.zh_cn.empty() ? std::string()
                              : brackets                  ? fmt::format("〔{}〕", poem.dynasty.zh_cn)
                                                          : poem.dynasty.zh_cn + "　";
  const std::string heading =
      fmt::format("{}\n{}{}{}\n", dc.title.zh_cn, poem.vertical ? "　　" : "", dynasty, dc.creator.zh_cn);
  const std::string shown = heading + poem.text;
  set->text_offset_ = code_points(heading);
  PV_TRY_ASSIGN(const std::u32string poem_text, decode_utf8(poem.text).add_context(step));
  const std::vector<text::TextSpan> spoken = text::spoken_characters(poem_text);
  std::vector<text::Ruby> pinyin;
  for (size_t index = 0; index < spoken.size() && index < poem.pinyin.size(); ++index) {
    pinyin.push_back({set->text_offset_ + spoken[index].first, spoken[index].end - spoken[index].first, poem.pinyin[index]});
  }
  text::LayoutStyle style{.orientation = poem.vertical ? text::Orientation::vertical : text::Orientation::horizontal,
                          .size = 1,
                          .extent = 0,
                          .line_spacing = poem.vertical ? 1.5f : 1.7f,
                          .alignment = poem.vertical ? text::Alignment::start : text::Alignment::center,
                          .ruby_size = 0.45f};
  // Each line of the poem its own column (or line) where it fits; a longer one (a ci's) breaks.
  const auto lay_out = [&](std::span<const text::Ruby> ruby) -> Result<text::TextLayout> {
    style.extent = 0;
    PV_TRY_ASSIGN(text::TextLayout layout, text::lay_out(shown, ruby, *set->font_, *set->font_, style));
    if ((poem.vertical ? layout.height : layout.width) <= (poem.vertical ? column_ems : line_ems)) return layout;
    style.extent = poem.vertical ? column_ems : line_ems;
    return text::lay_out(shown, ruby, *set->font_, *set->font_, style);
  };
  PV_TRY_ASSIGN(set->plain_, lay_out({}).add_context(step));
  PV_TRY_ASSIGN(set->with_pinyin_, lay_out(pinyin).add_context(step));
  PV_TRY_ASSIGN(set->atlas_texture_,
                renderer.add_overlay_distance_field(set->atlas_.width, set->atlas_.height, set->atlas_.distances)
                    .add_context(step));
  set->atlas_uploaded_ = true;
  set->units_ = poem.cues_by_line ? text::spoken_lines(poem_text) : spoken;
  return set;
}

text::TextSpan PoemText::unit(size_t unit) const {
  if (unit >= units_.size()) return {};
  return {text_offset_ + units_[unit].first, text_offset_ + units_[unit].end};
}

}  // namespace pavilion::exhibits
