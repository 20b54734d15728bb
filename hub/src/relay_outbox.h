// What both stores share for branch hubs (store.h, "Branch hubs").
#pragma once

#include "pavilion/hub/store.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::hub {

// The token hash kept for a device a relay brought: a device enrolled only through its branch has
// no token at this hub, and no token hashes to this (hash_token gives hex digits alone), so the
// device's row stays unique and opens nothing.
inline std::string relayed_token_hash(std::string_view device_id) { return "relayed:" + std::string(device_id); }

// The batch of `device_id` among `batches`, added at the end when it is new: the outbox's events
// are read in arrival order and grouped by device in the order devices first appear.
inline ForwardBatch& batch_for(std::vector<ForwardBatch>& batches, std::string_view device_id) {
  const auto found = std::ranges::find(batches, device_id, [](const ForwardBatch& batch) -> const std::string& { return batch.device.device_id; });
  if (found != batches.end()) return *found;
  ForwardBatch& added = batches.emplace_back();
  added.device.device_id = std::string(device_id);
  return added;
}

}  // namespace pavilion::hub
