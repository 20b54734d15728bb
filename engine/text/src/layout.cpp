#include "pavilion/text/layout.h"

#include "characters.h"
#include "pavilion/core/utf8.h"
#include "pavilion/text/line_breaking.h"
#include "pavilion/text/shaping.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace pavilion::text {
namespace {

// A glyph relative to its unit's pen: `along` the line, `across` it (down for horizontal text,
// right for vertical), in layout units.
struct UnitGlyph {
  uint32_t glyph = 0;
  uint32_t font = 0;
  bool rotated = false;
  float along = 0;
  float across = 0;
  float size = 0;
};

// The smallest piece line breaking moves: one character, or the glyphs of a ligature.
struct Unit {
  uint32_t first = 0;  // code points of the text
  uint32_t count = 1;
  float advance = 0;   // along the line, with any room a long ruby asked for
  float lead = 0;      // that room's share before the glyphs
  size_t first_glyph = 0;
  size_t glyph_count = 0;
  int ruby = -1;       // the ruby this unit is part of the base of
  BreakClass kind;
};

struct RubyRun {
  size_t first_glyph = 0;  // into the ruby glyphs
  size_t glyph_count = 0;
  float length = 0;
  size_t first_unit = 0;
  size_t unit_count = 0;
};

struct Line {
  size_t first_unit = 0;
  size_t end_unit = 0;     // one past the last unit drawn (trailing spaces excluded)
  bool paragraph_end = false;
};

class Builder {
 public:
  Builder(const Font& font, const Font& ruby_font, const LayoutStyle& style, std::u32string text)
      : font_(font), ruby_font_(ruby_font), style_(style), text_(std::move(text)) {}

  Result<TextLayout> run(std::span<const Ruby> ruby);

 private:
  bool vertical() const { return style_.orientation == Orientation::vertical; }
  Result<void> add_run(size_t first, size_t count, bool rotated);
  Result<void> add_ruby(std::span<const Ruby> ruby);
  bool joined_before(size_t unit) const;
  bool spreads_before(size_t unit) const;
  void break_paragraph(size_t first_unit, size_t end_unit);
  TextLayout place() const;
  Error missing_glyph(const Font& font, std::u32string_view text, uint32_t cluster, std::string_view where) const;

  const Font& font_;
  const Font& ruby_font_;
  const LayoutStyle& style_;
  std::u32string text_;
  std::vector<Unit> units_;
  std::vector<UnitGlyph> glyphs_;
  std::vector<RubyRun> rubies_;
  std::vector<UnitGlyph> ruby_glyphs_;
  std::vector<Line> lines_;
};

Error Builder::missing_glyph(const Font& font, std::u32string_view text, uint32_t cluster,
                             std::string_view where) const {
  std::string character;
  append_utf8(character, text[cluster]);
  return Error(ErrorCode::unsupported, "laying out text",
               fmt::format("the font {} has no glyph for '{}' (U+{:04X}), character {} of {}; choose a font that "
                           "covers it, or replace the character",
                           font.name(), character, static_cast<uint32_t>(text[cluster]), cluster + 1, where));
}

// Shapes text_[first, first + count) as one run and cuts it into units, one per cluster.
Result<void> Builder::add_run(size_t first, size_t count, bool rotated) {
  const bool upright_vertical = vertical() && !rotated;
  const std::vector<ShapedGlyph> shaped = shape(font_, text_, first, count,
                                                upright_vertical ? Direction::vertical : Direction::horizontal,
                                                style_.language);
  const float size = style_.size;
  // A rotated run's em box is centred on the column: its baseline sits left of the centre line.
  const float rotated_baseline = -(font_.ascender() + font_.descender()) * 0.5f * size;
  for (size_t i = 0; i < shaped.size();) {
    const uint32_t cluster = shaped[i].cluster;
    Unit unit;
    unit.first = cluster;
    unit.first_glyph = glyphs_.size();
    float pen = 0;
    for (; i < shaped.size() && shaped[i].cluster == cluster; ++i) {
      const ShapedGlyph& glyph = shaped[i];
      if (glyph.glyph == 0 && !is_space(text_[cluster])) return missing_glyph(font_, text_, cluster, "the text");
      UnitGlyph placed{glyph.glyph, 0, rotated, pen, 0, size};
      if (upright_vertical) {
        placed.along += glyph.y_offset * size;
        placed.across = glyph.x_offset * size;
      } else {
        placed.along += glyph.x_offset * size;
        // Rotating clockwise turns the glyph's "down" to the column's left.
        placed.across = rotated ? rotated_baseline - glyph.y_offset * size : glyph.y_offset * size;
      }
      glyphs_.push_back(placed);
      pen += glyph.advance * size;
    }
    const uint32_t next_cluster = i < shaped.size() ? shaped[i].cluster : static_cast<uint32_t>(first + count);
    unit.count = next_cluster - cluster;
    unit.glyph_count = glyphs_.size() - unit.first_glyph;
    unit.advance = pen;
    unit.kind = break_class(text_[unit.first], text_[unit.first + unit.count - 1]);
    units_.push_back(unit);
  }
  return {};
}

Result<void> Builder::add_ruby(std::span<const Ruby> ruby) {
  const float size = style_.size * style_.ruby_size;
  const float gap = 0.08f * style_.size;
  for (size_t index = 0; index < ruby.size(); ++index) {
    const Ruby& annotation = ruby[index];
    const std::string where = fmt::format("ruby {} (\"{}\")", index + 1, annotation.text);
    if (annotation.count == 0 || annotation.first + annotation.count > text_.size()) {
      return Error(ErrorCode::invalid_input, "laying out text",
                   fmt::format("{} covers characters {} to {}, but the text has {}", where, annotation.first + 1,
                               annotation.first + annotation.count, text_.size()));
    }
    auto ruby_text = decode_utf8(annotation.text);
    if (!ruby_text) return Error(std::move(ruby_text).error()).add_context(fmt::format("reading {}", where));
    if (ruby_text->empty()) {
      return Error(ErrorCode::invalid_input, "laying out text", fmt::format("{} is empty", where));
    }
    // The units that make up the base; a base must be whole units of one paragraph.
    const auto begins_at = [&](size_t code_point) {
      return std::find_if(units_.begin(), units_.end(), [&](const Unit& unit) { return unit.first >= code_point; });
    };
    const auto first_unit = begins_at(annotation.first);
    const auto end_unit = begins_at(annotation.first + annotation.count);
    const bool whole = first_unit != end_unit && first_unit->first == annotation.first &&
                       std::prev(end_unit)->first + std::prev(end_unit)->count == annotation.first + annotation.count;
    const std::u32string_view base(text_.data() + annotation.first, annotation.count);
    if (!whole || base.find(U'\n') != std::u32string_view::npos) {
      return Error(ErrorCode::invalid_input, "laying out text",
                   fmt::format("{} over characters {} to {} crosses a line break or splits a character", where,
                               annotation.first + 1, annotation.first + annotation.count));
    }
    for (auto unit = first_unit; unit != end_unit; ++unit) {
      if (unit->ruby >= 0) {
        return Error(ErrorCode::invalid_input, "laying out text",
                     fmt::format("{} overlaps ruby {}; each character has at most one", where, unit->ruby + 1));
      }
      unit->ruby = static_cast<int>(rubies_.size());
    }

    RubyRun run;
    run.first_unit = static_cast<size_t>(first_unit - units_.begin());
    run.unit_count = static_cast<size_t>(end_unit - first_unit);
    run.first_glyph = ruby_glyphs_.size();
    // Beside a vertical column the ruby lies rotated, its em box starting just right of the
    // column's; above a horizontal line it sits just over the text's ascender.
    const float across = vertical() ? 0.5f * style_.size + gap - ruby_font_.descender() * size
                                    : -font_.ascender() * style_.size - gap + ruby_font_.descender() * size;
    for (const ShapedGlyph& glyph :
         shape(ruby_font_, *ruby_text, 0, ruby_text->size(), Direction::horizontal, style_.language)) {
      if (glyph.glyph == 0 && !is_space((*ruby_text)[glyph.cluster])) {
        return missing_glyph(ruby_font_, *ruby_text, glyph.cluster, where);
      }
      ruby_glyphs_.push_back({glyph.glyph, 1, vertical(), run.length + glyph.x_offset * size,
                              across + (vertical() ? -glyph.y_offset : glyph.y_offset) * size, size});
      run.length += glyph.advance * size;
    }
    run.glyph_count = ruby_glyphs_.size() - run.first_glyph;
    // A ruby longer than its base spreads the base evenly, half of each share on either side,
    // keeping a sixth of the ruby's em clear at each end so neighbouring rubies never run together.
    float base_length = 0;
    for (auto unit = first_unit; unit != end_unit; ++unit) base_length += unit->advance;
    const float needed = run.length + size / 3.0f;
    if (needed > base_length) {
      const float share = (needed - base_length) / static_cast<float>(run.unit_count);
      for (auto unit = first_unit; unit != end_unit; ++unit) {
        unit->advance += share;
        unit->lead = share * 0.5f;
      }
    }
    rubies_.push_back(run);
  }
  return {};
}

// A ruby's base is one piece: it never breaks or spreads inside.
bool Builder::joined_before(size_t unit) const {
  return units_[unit - 1].ruby >= 0 && units_[unit - 1].ruby == units_[unit].ruby;
}

// Where justification may add space: between characters, and at spaces between words.
bool Builder::spreads_before(size_t unit) const {
  return !joined_before(unit) && spreads_between(units_[unit - 1].kind, units_[unit].kind);
}

void Builder::break_paragraph(size_t first_unit, size_t end_unit) {
  std::vector<BreakUnit> units(end_unit - first_unit);
  for (size_t unit = first_unit; unit < end_unit; ++unit) {
    units[unit - first_unit] = {units_[unit].advance, units_[unit].kind, unit > first_unit && joined_before(unit)};
  }
  std::vector<LineSpan> spans;
  fill_lines(units, style_.extent, spans);
  for (const LineSpan& span : spans) {
    lines_.push_back({first_unit + span.first, first_unit + span.end, span.next == units.size()});
  }
}

TextLayout Builder::place() const {
  TextLayout layout;
  layout.lines = static_cast<uint32_t>(lines_.size());
  const float size = style_.size;
  const bool has_ruby = !rubies_.empty();
  const float ruby_size = size * style_.ruby_size;
  const float gap = 0.08f * size;
  // The ruby's lane beside each line, and the pitch that keeps it clear of the next line.
  const float ruby_lane = has_ruby ? gap + (ruby_font_.ascender() - ruby_font_.descender()) * ruby_size : 0;
  const float body = vertical() ? size : (font_.ascender() - font_.descender()) * size;
  const float pitch = std::max(style_.line_spacing * size, body + ruby_lane + gap);

  std::vector<float> lengths(lines_.size());
  float longest = 0;
  for (size_t index = 0; index < lines_.size(); ++index) {
    for (size_t unit = lines_[index].first_unit; unit < lines_[index].end_unit; ++unit) {
      lengths[index] += units_[unit].advance;
    }
    longest = std::max(longest, lengths[index]);
  }
  const float extent = style_.extent > 0 ? style_.extent : longest;
  const float across_total = lines_.empty() ? 0 : ruby_lane + body + pitch * static_cast<float>(lines_.size() - 1);
  layout.width = vertical() ? across_total : extent;
  layout.height = vertical() ? extent : across_total;

  std::vector<float> unit_start(units_.size(), 0);  // along the line, for placing the ruby
  for (size_t index = 0; index < lines_.size(); ++index) {
    const Line& line = lines_[index];
    const float free = std::max(0.0f, extent - lengths[index]);
    float pen = 0;
    float spread = 0;
    switch (style_.alignment) {
      case Alignment::start: break;
      case Alignment::center: pen = free * 0.5f; break;
      case Alignment::end: pen = free; break;
      case Alignment::justify: {
        size_t gaps = 0;
        for (size_t unit = line.first_unit + 1; unit < line.end_unit; ++unit) gaps += spreads_before(unit) ? 1 : 0;
        if (!line.paragraph_end && gaps > 0) spread = free / static_cast<float>(gaps);
        break;
      }
    }
    // The line's reference: a horizontal line's baseline, a vertical column's centre line.
    const float offset = pitch * static_cast<float>(index);
    const float reference = vertical() ? layout.width - ruby_lane - 0.5f * size - offset
                                       : ruby_lane + font_.ascender() * size + offset;
    const auto to_layout = [&](float along, float across, float& x, float& y) {
      x = vertical() ? reference + across : along;
      y = vertical() ? along : reference + across;
    };
    for (size_t unit_index = line.first_unit; unit_index < line.end_unit; ++unit_index) {
      const Unit& unit = units_[unit_index];
      if (unit_index > line.first_unit && spread > 0 && spreads_before(unit_index)) pen += spread;
      unit_start[unit_index] = pen;
      for (size_t g = unit.first_glyph; g < unit.first_glyph + unit.glyph_count; ++g) {
        const UnitGlyph& glyph = glyphs_[g];
        PlacedGlyph placed{glyph.glyph, 0, glyph.rotated, unit.first, static_cast<uint32_t>(index), 0, 0, glyph.size};
        to_layout(pen + unit.lead + glyph.along, glyph.across, placed.x, placed.y);
        layout.glyphs.push_back(placed);
      }
      if (!unit.kind.space) {
        CharacterCell cell{unit.first, unit.count, static_cast<uint32_t>(index)};
        const float cell_across_first = vertical() ? -0.5f * size : -font_.ascender() * size;
        const float cell_across_last = vertical() ? 0.5f * size : -font_.descender() * size;
        to_layout(pen, cell_across_first, cell.left, cell.top);
        to_layout(pen + unit.advance, cell_across_last, cell.right, cell.bottom);
        layout.cells.push_back(cell);
      }
      pen += unit.advance;
    }
    for (const RubyRun& run : rubies_) {
      if (run.first_unit < line.first_unit || run.first_unit >= line.end_unit) continue;
      const Unit& last = units_[run.first_unit + run.unit_count - 1];
      const float base_start = unit_start[run.first_unit];
      const float base_end = unit_start[run.first_unit + run.unit_count - 1] + last.advance;
      const float start = (base_start + base_end - run.length) * 0.5f;
      for (size_t g = run.first_glyph; g < run.first_glyph + run.glyph_count; ++g) {
        const UnitGlyph& glyph = ruby_glyphs_[g];
        PlacedGlyph placed{glyph.glyph, 1, glyph.rotated, units_[run.first_unit].first, static_cast<uint32_t>(index),
                           0, 0, glyph.size};
        to_layout(start + glyph.along, glyph.across, placed.x, placed.y);
        layout.glyphs.push_back(placed);
      }
    }
  }
  return layout;
}

Result<TextLayout> Builder::run(std::span<const Ruby> ruby) {
  // Runs: a paragraph at a time, cut where a vertical column turns from upright to rotated.
  std::vector<std::pair<size_t, size_t>> paragraphs;  // unit ranges
  size_t start = 0;
  // A final '\n' ends the last line; it does not open an empty one.
  while (start < text_.size()) {
    size_t end = text_.find(U'\n', start);
    if (end == std::u32string::npos) end = text_.size();
    const size_t first_unit = units_.size();
    for (size_t run = start; run < end;) {
      const bool rotated = vertical() && !upright_in_vertical(text_[run]) && !is_space(text_[run]);
      size_t run_end = run + 1;
      // Spaces go with the run they are in; the run changes at the next character of the other kind.
      while (run_end < end && (is_space(text_[run_end]) ||
                               (vertical() && !upright_in_vertical(text_[run_end])) == rotated)) {
        ++run_end;
      }
      if (auto added = add_run(run, run_end - run, rotated); !added) return std::move(added).error();
      run = run_end;
    }
    paragraphs.emplace_back(first_unit, units_.size());
    start = end + 1;
  }
  if (auto added = add_ruby(ruby); !added) return std::move(added).error();
  for (const auto& [first_unit, end_unit] : paragraphs) break_paragraph(first_unit, end_unit);
  return place();
}

}  // namespace

Result<TextLayout> lay_out(std::string_view text, std::span<const Ruby> ruby, const Font& font, const Font& ruby_font,
                           const LayoutStyle& style) {
  auto code_points = decode_utf8(text);
  if (!code_points) return Error(std::move(code_points).error()).add_context("laying out text");
  Builder builder(font, ruby_font, style, std::move(*code_points));
  return builder.run(ruby);
}

}  // namespace pavilion::text
