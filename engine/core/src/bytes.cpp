#include "pavilion/core/bytes.h"

#include <fmt/format.h>

namespace pavilion {

Result<void> ByteReader::need(size_t count, std::string_view what) const {
  if (count <= bytes_.size() - offset_) return {};
  return Error(ErrorCode::invalid_input, fmt::format("reading {}", source_),
               fmt::format("{} at byte {} needs {} bytes, but only {} remain (the data is truncated or damaged)", what,
                           offset_, count, bytes_.size() - offset_));
}

Error ByteReader::too_many(std::string_view what, uint32_t count, uint32_t max_count) const {
  return Error(ErrorCode::invalid_input, fmt::format("reading {}", source_),
               fmt::format("{} at byte {} claims {} entries; at most {} are allowed", what, offset_, count, max_count));
}

}  // namespace pavilion
