// The part of a page scan a book shows, turned as it is shown: a IIIF painting annotation may
// select a region of its image (an ImageApiSelector's region, `#xywh=`) and turn it by quarter
// turns (its rotation 90, 180, 270), and the page is that region, turned, before it is tiled.
//
// The result is a ScanReader like any other and takes ownership of the scan it reads. Cutting
// streams: rows above the region are read and dropped, rows below are never read, so memory stays
// a band's. A turn needs the region's last row before its first row out (180°) or its first column
// as a row (90°, 270°), so a turned view holds the region's pixels, width × height × 4 bytes,
// decoded at its first read: a 6 000 × 8 000 page takes 192 MB while it is tiled.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/pyramid/scan.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace pavilion::pyramid {

struct ScanRegion {
  uint32_t x = 0, y = 0, width = 0, height = 0;
  friend bool operator==(const ScanRegion&, const ScanRegion&) = default;
};

// `region` in the scan's pixels (empty: the whole scan); `clockwise_quarter_turns` 0 to 3. A
// region that reaches past the scan is cut to it; one that lies wholly outside it fails with a
// sentence naming the scan, the region and the scan's size. With no region and no turn, `scan` is
// handed back as it is.
Result<std::unique_ptr<ScanReader>> view_scan(std::unique_ptr<ScanReader> scan, std::optional<ScanRegion> region,
                                              int clockwise_quarter_turns);

}  // namespace pavilion::pyramid
