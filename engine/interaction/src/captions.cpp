#include "pavilion/interaction/captions.h"

#include <algorithm>
#include <limits>

namespace pavilion::interaction {
namespace {

constexpr size_t text_room = 160;   // bytes: a long line of a poem, a spoken label
constexpr size_t pending_room = 32;  // lines showing or still to come

}  // namespace

Captions::Captions() {
  lines_.reserve(pending_room);
  history_.reserve(history_limit);
  spare_.resize(history_limit + pending_room);
  for (std::string& text : spare_) text.reserve(text_room);
}

std::string Captions::take_text(std::string_view text) {
  if (spare_.empty()) return std::string(text);
  std::string taken = std::move(spare_.back());
  spare_.pop_back();
  taken.assign(text);
  return taken;
}

void Captions::drop_ended(double now) {
  auto kept = lines_.begin();
  for (auto line = lines_.begin(); line != lines_.end(); ++line) {
    if (line->end <= std::max(now, line->start)) {
      if (spare_.size() < spare_.capacity()) spare_.push_back(std::move(line->text));
      continue;
    }
    if (kept != line) *kept = std::move(*line);
    ++kept;
  }
  lines_.erase(kept, lines_.end());
}

void Captions::show(CaptionKind kind, std::string_view text, std::string_view language, double start, double end) {
  // A line of the same kind gives way where the new one starts; the history keeps where it ended.
  Captions::end(kind, start);
  if (history_.size() == history_limit) {
    // The oldest line's slot, moved to the back, takes the new one in the room it has.
    std::rotate(history_.begin(), history_.begin() + 1, history_.end());
    Caption& slot = history_.back();
    slot.kind = kind;
    slot.text.assign(text);
    slot.language.assign(language);
    slot.start = start;
    slot.end = end;
  } else {
    history_.push_back({kind, take_text(text), std::string(language), start, end});
  }
  // Kept in order of start, so the lines showing at any time are a run at the front.
  const auto after = std::upper_bound(lines_.begin(), lines_.end(), start,
                                      [](double at, const Caption& other) { return at < other.start; });
  lines_.insert(after, Caption{kind, take_text(text), std::string(language), start, end});
}

void Captions::end(CaptionKind kind, double now) {
  for (Caption& line : lines_) {
    if (line.kind != kind || line.end <= now) continue;
    line.end = std::max(line.start, now);
    // The same line in the history (the newest of its kind and start) ends there too.
    for (auto kept = history_.rbegin(); kept != history_.rend(); ++kept) {
      if (kept->kind == kind && kept->start == line.start && kept->text == line.text) {
        kept->end = line.end;
        break;
      }
    }
  }
  // Lines that ended before they started will never show.
  drop_ended(-std::numeric_limits<double>::infinity());
}

void Captions::clear(double now) {
  for (const CaptionKind kind : {CaptionKind::speech, CaptionKind::description, CaptionKind::recitation,
                                 CaptionKind::music, CaptionKind::effect}) {
    end(kind, now);
  }
  drop_ended(std::numeric_limits<double>::infinity());
}

std::span<const Caption> Captions::showing(double now) {
  drop_ended(now);
  const auto begun = std::upper_bound(lines_.begin(), lines_.end(), now,
                                      [](double at, const Caption& line) { return at < line.start; });
  const std::span<const Caption> started(lines_.data(), static_cast<size_t>(begun - lines_.begin()));
  return started.last(std::min(started.size(), max_lines));
}

}  // namespace pavilion::interaction
