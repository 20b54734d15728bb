#include "pavilion/interaction/captions.h"

#include <algorithm>

namespace pavilion::interaction {
namespace {

constexpr size_t history_limit = 256;

}  // namespace

std::string_view to_string(CaptionKind kind) {
  switch (kind) {
    case CaptionKind::speech: return "speech";
    case CaptionKind::description: return "description";
    case CaptionKind::recitation: return "recitation";
    case CaptionKind::music: return "music";
    case CaptionKind::effect: return "effect";
  }
  return "unknown";
}

void Captions::show(CaptionKind kind, std::string_view text, std::string_view language, double start, double end) {
  // A line of the same kind gives way where the new one starts; the history keeps where it ended.
  Captions::end(kind, start);
  Caption line{kind, std::string(text), std::string(language), start, end};
  if (history_.size() == history_limit) history_.erase(history_.begin());
  history_.push_back(line);
  // Kept in order of start, so the lines showing at any time are a run at the front.
  const auto after = std::upper_bound(lines_.begin(), lines_.end(), start,
                                      [](double at, const Caption& other) { return at < other.start; });
  lines_.insert(after, std::move(line));
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
  std::erase_if(lines_, [](const Caption& line) { return line.end <= line.start; });
}

void Captions::clear(double now) {
  for (const CaptionKind kind : {CaptionKind::speech, CaptionKind::description, CaptionKind::recitation,
                                 CaptionKind::music, CaptionKind::effect}) {
    end(kind, now);
  }
  lines_.clear();
}

std::span<const Caption> Captions::showing(double now) {
  // Erasing moves the strings that stay; nothing is copied or allocated.
  std::erase_if(lines_, [now](const Caption& line) { return line.end <= now; });
  const auto begun = std::upper_bound(lines_.begin(), lines_.end(), now,
                                      [](double at, const Caption& line) { return at < line.start; });
  const std::span<const Caption> started(lines_.data(), static_cast<size_t>(begun - lines_.begin()));
  return started.last(std::min(started.size(), max_lines));
}

}  // namespace pavilion::interaction
