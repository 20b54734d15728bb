#include "pavilion/interaction/book_reading.h"

#include "pavilion/telemetry/book_events.h"

#include <cmath>

namespace pavilion::interaction {
namespace {

int64_t milliseconds(double seconds) { return static_cast<int64_t>(std::llround(std::max(0.0, seconds) * 1000.0)); }

}  // namespace

BookReading::BookReading(VisitLog& log, const ExhibitRef& book, uint32_t opening, double now)
    : log_(log), opening_(opening), since_(now) {
  package_id_.assign(book.package.id);
  package_version_.assign(book.package.version);
  exhibit_id_.assign(book.exhibit_id);
  if (opening < seen_.size()) seen_.set(opening);
}

void BookReading::turn_to(uint32_t opening, double now) {
  if (closed_ || opening == opening_) return;
  leave_opening(now);
  record(telemetry::EventType::page_turn, opening_, opening);
  opening_ = opening;
  since_ = now;
  zoom_level_ = 0;
  if (opening < seen_.size()) seen_.set(opening);
}

void BookReading::zoom(float magnification, float scan_scale) {
  if (closed_) return;
  if (magnification > 1.0f && scan_scale > deepest_scan_scale_) deepest_scan_scale_ = scan_scale;
  if (!(magnification >= 2.0f)) return;
  // Levels 1 (2×) to 30; a magnification beyond 2^30 is not a book's. Clamped before the
  // conversion: an infinite one (a pinch of zero width) has no int.
  const int level = static_cast<int>(std::min(30.0f, std::floor(std::log2(magnification))));
  if (level <= zoom_level_) return;
  zoom_level_ = level;
  record(telemetry::EventType::zoom, opening_, int64_t{100} << level);
}

void BookReading::close(double now) {
  if (closed_) return;
  leave_opening(now);
  record(telemetry::EventType::book_close, opening_, static_cast<int64_t>(seen_.count()));
  closed_ = true;
}

void BookReading::leave_opening(double now) {
  if (deepest_scan_scale_ > 0) {
    record(telemetry::EventType::zoom_reached, opening_, std::llround(static_cast<double>(deepest_scan_scale_) * 1000.0));
  }
  deepest_scan_scale_ = 0;
  record(telemetry::EventType::opening_dwell, opening_, milliseconds(now - since_));
}

void BookReading::record(telemetry::EventType type, uint32_t opening, int64_t value) {
  const telemetry::FixedText<64> subject = telemetry::book_subject(exhibit_id_.view(), opening);
  log_.exhibit_event(type, {{package_id_.view(), package_version_.view()}, subject.view()}, value);
}

}  // namespace pavilion::interaction
