// The open book's thumbnail strip, table of contents and zoom row (book_navigation.h).
#include "exhibits/book/book_navigation.h"

#include "exhibits/book/book_words.h"
#include "kiosk_state.h"
#include "touch/widgets.h"
#include "interface/style.h"
#include "pavilion/core/log.h"
#include "pavilion/kiosk/palette.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>

namespace pavilion::kiosk {
namespace {

constexpr BookWords opening_number{"第 {} 开", "Opening {}"};
constexpr BookWords earlier_openings{"前面的各开", "Earlier openings"};
constexpr BookWords later_openings{"后面的各开", "Later openings"};
constexpr BookWords earlier_entries{"目录中前面的条目", "Earlier entries of the contents"};
constexpr BookWords later_entries{"目录中后面的条目", "Later entries of the contents"};
constexpr BookWords whole_opening{"看整开", "Whole opening"};
constexpr BookWords zoom_hint{"两指张开或轻点两下可放大", "Spread two fingers or double-tap to zoom in"};
constexpr BookWords pan_hint{"一指拖动可移动", "Drag one finger to look around"};

// The part of a page's picture a page part shows, as [from, to] of its width.
std::pair<float, float> part_span(const scene::Book& book, const book::PagePart& part) {
  if (part.part == book::PagePart::Part::whole) return {0.0f, 1.0f};
  const float fold = std::clamp(0.5f + book.pages[part.page].spine_offset, 0.0f, 1.0f);
  // The front half is read first: the right half of the picture in a right-to-left book.
  const bool right = (part.part == book::PagePart::Part::front_half) == (book.direction == book::ViewingDirection::right_to_left);
  return right ? std::pair(fold, 1.0f) : std::pair(0.0f, fold);
}

float part_aspect(const scene::Book& book, const book::PagePart& part) {
  const scene::BookPage& page = book.pages[part.page];
  const float aspect = page.height > 0 ? static_cast<float>(page.width) / static_cast<float>(page.height) : 0.75f;
  const auto [from, to] = part_span(book, part);
  return aspect * (to - from);
}

}  // namespace

Result<void> BookNavigation::open(std::shared_ptr<const scene::PageTileSource> tiles, const scene::Book& book,
                                  const book::Openings& openings) {
  book_ = &book;
  openings_ = &openings;
  strip_first_ = 0;
  strip_centred_on_.reset();
  contents_first_ = 0;

  contents_ = book_contents(book, openings);

  opened_at_ = std::chrono::steady_clock::now();
  PV_TRY(atlas_.open(*kiosk_.display.renderer, std::move(tiles), "the book's thumbnails"));
  landed_.assign(atlas_.pages(), Landed::not_yet);
  landed_count_ = 0;
  strip_ready_ms_.reset();
  all_landed_ms_.reset();
  return {};
}

void BookNavigation::close() {
  if (strip_ready_ms_) {
    log::info("kiosk", "the strip's page thumbnails in view landed {:.0f} ms after the book opened; {}", *strip_ready_ms_,
              all_landed_ms_ ? fmt::format("{} of {} page thumbnails landed {:.0f} ms after", landed_count_, atlas_.pages(), *all_landed_ms_)
                             : fmt::format("{} of {} page thumbnails landed before it closed", landed_count_, atlas_.pages()));
  }
  if (kiosk_.display.renderer) atlas_.close(*kiosk_.display.renderer);
  release();
}

void BookNavigation::release() {
  atlas_.release();
  book_ = nullptr;
  openings_ = nullptr;
  contents_.clear();
}

float BookNavigation::strip_height() const { return 104 * kiosk_.ui_scale() * kiosk_.target_scale(); }

void BookNavigation::draw_opening_picture(size_t opening_index, float min_x, float min_y, float max_x, float max_y) const {
  const book::Opening& opening = openings_->sequence[opening_index];
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const float height = max_y - min_y;
  const float middle = 0.5f * (min_x + max_x);
  // Vertically centred in the cell unless `top` is given.
  const auto picture = [&](const book::PagePart& part, float x, float width, float picture_height,
                           std::optional<float> top = std::nullopt) {
    const float y = top.value_or(min_y + 0.5f * (height - picture_height));
    const ImVec2 from(x, y), to(x + width, y + picture_height);
    // A page whose thumbnail has not landed is drawn from its cell too, blank paper until then: a
    // landing changes no texture the strip draws with, so no draw list grows (allocates) in the
    // frame, at whatever moment of the worker's, that it lands in.
    if (!atlas_.holds(static_cast<uint32_t>(part.page))) {
      draw.AddRectFilled(from, to, IM_COL32(thumbnail_paper[0], thumbnail_paper[1], thumbnail_paper[2], 255));
      return;
    }
    const auto [span_from, span_to] = part_span(*book_, part);
    const glm::vec2 uv_from = atlas_.uv(static_cast<uint32_t>(part.page), {span_from, 0.0f});
    const glm::vec2 uv_to = atlas_.uv(static_cast<uint32_t>(part.page), {span_to, 1.0f});
    draw.AddImage(ui::UiLayer::texture_id(*atlas_.texture()), from, to, ImVec2(uv_from.x, uv_from.y), ImVec2(uv_to.x, uv_to.y));
  };
  if (opening.kind == book::Opening::Kind::leaves) {
    // Each side's page from the spine outwards, both at the cell's height unless too wide.
    const float left = opening.left ? part_aspect(*book_, *opening.left) : 0.0f;
    const float right = opening.right ? part_aspect(*book_, *opening.right) : 0.0f;
    if (book::reads_vertically(openings_->direction)) {
      // A vertical book's pages hang above and below its spine (`left` above): stacked so, as the
      // book shows them, rather than side by side, where a bottom-to-top pair would read backwards.
      const float spine_y = 0.5f * (min_y + max_y);
      const float picture_height = std::min(0.5f * height, (max_x - min_x) / std::max({left, right, 1e-3f}));
      if (opening.left) {
        picture(*opening.left, middle - 0.5f * left * picture_height, left * picture_height, picture_height,
                spine_y - picture_height);
      }
      if (opening.right) picture(*opening.right, middle - 0.5f * right * picture_height, right * picture_height, picture_height, spine_y);
      return;
    }
    const float half_width = 0.5f * (max_x - min_x);
    const float picture_height = std::min(height, half_width / std::max({left, right, 1e-3f}));
    if (opening.left) picture(*opening.left, middle - left * picture_height, left * picture_height, picture_height);
    if (opening.right) picture(*opening.right, middle, right * picture_height, picture_height);
    return;
  }
  float total = 0;
  for (const book::PagePart& part : opening.parts) total += part_aspect(*book_, part);
  const float picture_height = std::min(height, (max_x - min_x) / std::max(total, 1e-3f));
  const bool leftwards = openings_->direction == book::ViewingDirection::right_to_left;
  float x = middle + (leftwards ? 0.5f : -0.5f) * total * picture_height;
  for (const book::PagePart& part : opening.parts) {
    const float width = part_aspect(*book_, part) * picture_height;
    if (leftwards) x -= width;
    picture(part, x, width, picture_height);
    if (!leftwards) x += width;
  }
}

std::optional<size_t> BookNavigation::draw_strip(size_t current, float panel_width, float bar_height) {
  if (!openings_ || openings_->sequence.empty()) return std::nullopt;
  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  const Language language = kiosk_.visit.settings.language;
  const float scale = kiosk_.ui_scale();
  const float height = strip_height();
  const float strip_width = screen.x - panel_width;
  ImGui::SetNextWindowPos(ImVec2(0, screen.y - bar_height - height));
  ImGui::SetNextWindowSize(ImVec2(strip_width, height));
  ImGui::Begin("book-strip", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float inner_height = height - 2 * style.WindowPadding.y;
  const float arrow_width = 64 * scale * kiosk_.target_scale();
  const float cell_width = inner_height * 1.4f;
  const float room = strip_width - 2 * style.WindowPadding.x - 2 * (arrow_width + style.ItemSpacing.x);
  const size_t count = openings_->sequence.size();
  const size_t visible = std::clamp(static_cast<size_t>(room / (cell_width + style.ItemSpacing.x)), size_t{1}, count);
  // The strip follows the visitor's opening into view; the arrows page it by a strip's width.
  if (strip_centred_on_ != current) {
    strip_centred_on_ = current;
    if (current < strip_first_ || current >= strip_first_ + visible) strip_first_ = current > visible / 2 ? current - visible / 2 : 0;
  }
  const bool leftwards = openings_->direction == book::ViewingDirection::right_to_left;
  std::optional<size_t> chosen;
  const auto page_strip = [&](const char* name, bool towards_left) {
    // The left arrow shows the openings to the left: earlier ones, later ones in a right-to-left book.
    const bool earlier = towards_left != leftwards;
    if (kiosk_.button(name, towards_left ? "◀" : "▶", arrow_width, inner_height, false,
                      (earlier ? earlier_openings : later_openings).in(language))) {
      strip_first_ = earlier ? (strip_first_ > visible ? strip_first_ - visible : 0) : strip_first_ + visible;
    }
  };
  page_strip("book:strip-left", true);
  strip_first_ = std::min(strip_first_, count - visible);
  land_thumbnails(strip_first_, strip_first_ + visible);
  const float cells_left = style.WindowPadding.x + arrow_width + style.ItemSpacing.x +
                           0.5f * (room - static_cast<float>(visible) * (cell_width + style.ItemSpacing.x));
  std::array<char, 32> name;
  std::array<char, 64> spoken;
  for (size_t slot = 0; slot < visible; ++slot) {
    const size_t opening = strip_first_ + slot;
    // In a right-to-left book the first opening is on the right, as its pages are.
    const size_t place = leftwards ? visible - 1 - slot : slot;
    ImGui::SetCursorPos(ImVec2(cells_left + static_cast<float>(place) * (cell_width + style.ItemSpacing.x), style.WindowPadding.y));
    if (kiosk_.button(label(name, "book:opening:{}", opening + 1), "", cell_width, inner_height, opening == current,
                      label(spoken, fmt::runtime(opening_number.in(language)), opening + 1))) {
      chosen = opening;
    }
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    const float margin = 6 * scale;
    draw_opening_picture(opening, min.x + margin, min.y + margin, max.x - margin, max.y - margin);
  }
  ImGui::SetCursorPos(ImVec2(strip_width - style.WindowPadding.x - arrow_width, style.WindowPadding.y));
  page_strip("book:strip-right", false);
  strip_first_ = std::min(strip_first_, count - visible);
  ImGui::End();
  return chosen;
}

void BookNavigation::land_thumbnails(size_t first, size_t end) {
  if (!atlas_.reading() || !kiosk_.display.renderer) return;
  // The pages of the openings in view (a range: openings follow the pages' order).
  size_t first_page = book_->pages.size(), end_page = 0;
  for (size_t opening = first; opening < end; ++opening) {
    for (const book::PagePart& part : openings_->sequence[opening].parts) {
      first_page = std::min(first_page, part.page);
      end_page = std::max(end_page, part.page + 1);
    }
  }
  for (const BookThumbnails::Thumbnail& thumbnail :
       atlas_.land(*kiosk_.display.renderer, static_cast<uint32_t>(first_page), static_cast<uint32_t>(end_page))) {
    ++landed_count_;
    landed_[thumbnail.page] = thumbnail.rgba.empty() ? Landed::paper : Landed::picture;
  }
  bool in_view = true;
  for (size_t page = first_page; page < end_page && in_view; ++page) {
    in_view = page >= atlas_.pages() || landed_[page] != Landed::not_yet;
  }
  // Noted here and logged when the book closes: a log line allocates, a frame must not.
  const auto since_open = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - opened_at_).count(); };
  if (in_view && !strip_ready_ms_) strip_ready_ms_ = since_open();
  if (!atlas_.reading()) all_landed_ms_ = since_open();  // every page read (or given up on) and landed
}

std::optional<size_t> BookNavigation::draw_contents(size_t current) {
  if (!book_ || contents_.empty()) return std::nullopt;
  const Language language = kiosk_.visit.settings.language;
  const float scale = kiosk_.ui_scale();
  const float height = 56 * scale * kiosk_.target_scale();
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::Spacing();
  ImGui::TextColored(color4(palette(kiosk_.visit.settings.high_contrast).muted_text), "%s", contents_words.in(language));
  std::optional<size_t> chosen;
  const bool paged = contents_.size() > contents_rows;
  if (paged && kiosk_.button("book:contents-up", "▲", width, height, false, earlier_entries.in(language))) {
    contents_first_ = contents_earlier(contents_first_);
  }
  contents_first_ = contents_first_kept(contents_first_, contents_.size());
  const size_t here = contents_entry_at(contents_, current);
  std::array<char, 32> name;
  for (size_t index = contents_first_; index < std::min(contents_.size(), contents_first_ + contents_rows); ++index) {
    const ContentsEntry& entry = contents_[index];
    const float indent = static_cast<float>(std::min(entry.depth, 4u)) * 24 * scale;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent);
    if (kiosk_.button(label(name, "book:contents:{}", entry.range + 1), pick(book_->ranges[entry.range].label, language),
                      width - indent, height, index == here)) {
      chosen = entry.opening;
    }
  }
  if (paged && kiosk_.button("book:contents-down", "▼", width, height, false, later_entries.in(language))) {
    contents_first_ = contents_later(contents_first_, contents_.size());
  }
  return chosen;
}

bool BookNavigation::draw_zoom_row(bool zoomed, float width, float height) {
  const Language language = kiosk_.visit.settings.language;
  const ImVec4 muted = color4(palette(kiosk_.visit.settings.high_contrast).muted_text);
  if (!zoomed) {
    ImGui::TextColored(muted, "%s", zoom_hint.in(language));
    return false;
  }
  ImGui::TextColored(muted, "%s", pan_hint.in(language));
  return kiosk_.button("book:whole-opening", whole_opening.in(language), width, height, true);
}

void BookNavigation::add_glyphs(const scene::Book& book, std::string& text) {
  for (const BookWords& words : {contents_words, opening_number, earlier_openings, later_openings, earlier_entries, later_entries,
                             whole_opening, zoom_hint, pan_hint}) {
    (text += words.zh_cn) += words.en;
  }
  text += "◀▶▲▼0123456789";
  for (const scene::BookRange& range : book.ranges) (text += range.label.zh_cn) += range.label.en;
}

}  // namespace pavilion::kiosk
