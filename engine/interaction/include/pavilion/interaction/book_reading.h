// One visitor's reading of a book exhibit as the interaction log records it (EVENTS.md, "Books"):
// the book player says where the book opened, each turn, how far the visitor has zoomed and when
// the book is closed; this turns that into page_turn (from → to), zoom (each new depth reached on
// an opening), zoom_reached (the deepest on an opening left, against the scan's own pixels),
// opening_dwell (the time on each opening left) and book_close.
//
// Openings are numbered from 1 in the book's reading order (engine/book's Openings::sequence,
// index + 1). The render thread only, like VisitLog; nothing is allocated.
#pragma once

#include "pavilion/interaction/visit_log.h"

#include <bitset>
#include <cstdint>

namespace pavilion::interaction {

class BookReading {
 public:
  // The book opened at `opening`. `log` must outlive this object; `book`'s texts are copied.
  BookReading(VisitLog& log, const ExhibitRef& book, uint32_t opening, double now);

  // The visitor went to another opening (a turn, a thumbnail, the table of contents):
  // opening_dwell for the one left, then page_turn. Staying where one is records nothing.
  void turn_to(uint32_t opening, double now);
  // The current magnification, 1 for the whole opening in view, as often as it changes: zoom
  // is recorded each time a power of two (2×, 4×, 8×, …) is first passed on this opening, with
  // that power × 100. `scan_scale` is the same view against the scan: screen pixels per scan
  // pixel (1: one to one). The deepest scan_scale of an opening zoomed into (magnification over
  // 1) is recorded as zoom_reached, in thousandths, when the visitor leaves it.
  void zoom(float magnification, float scan_scale);
  // The visitor closed the book or left it: opening_dwell for the last opening, then book_close
  // with the number of different openings seen. Later calls record nothing.
  void close(double now);

  uint32_t opening() const { return opening_; }
  bool closed() const { return closed_; }

 private:
  void record(telemetry::EventType type, uint32_t opening, int64_t value);
  // Leaving the opening: its zoom_reached (if it was zoomed into), then its opening_dwell.
  void leave_opening(double now);

  VisitLog& log_;
  telemetry::FixedText<48> package_id_;
  telemetry::FixedText<24> package_version_;
  telemetry::FixedText<64> exhibit_id_;
  uint32_t opening_;
  double since_;
  int zoom_level_ = 0;  // the highest power of two recorded on this opening
  float deepest_scan_scale_ = 0;  // on this opening, while magnified; 0: not zoomed into
  // Openings seen, counted up to the first 8 192 (a thousand-page book has about 500).
  std::bitset<8192> seen_;
  bool closed_ = false;
};

}  // namespace pavilion::interaction
