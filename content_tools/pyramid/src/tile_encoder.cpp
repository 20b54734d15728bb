#include "tile_encoder.h"

#include "pavilion/core/parallel.h"

namespace pavilion::pyramid {

TileEncoder::TileEncoder(const PyramidOptions& options, size_t max_pending, const TileSink& sink)
    : options_(options), sink_(sink), max_pending_(max_pending) {
  const uint32_t threads = options.threads == 0 ? processor_count() : options.threads;
  for (uint32_t index = 0; index < threads; ++index) workers_.emplace_back([this] { work(); });
}

TileEncoder::~TileEncoder() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
    // Torn down before finishing (the build failed): a tile a worker is still encoding is not
    // handed to the sink, which would store tiles of a page that failed.
    pending_.clear();
  }
  changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void TileEncoder::encode(Slot& slot) {
  auto bytes = encode_tile(slot.pixels, options_.encoding, options_.quality);
  slot.pixels = ImageRgba8();  // freed now, not when the tile is handed out
  if (bytes) {
    slot.tile.bytes = std::move(bytes).value();
  } else {
    slot.error = std::move(bytes).error();
  }
}

void TileEncoder::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::shared_ptr<Slot> slot = queue_.front();
    queue_.pop_front();
    lock.unlock();
    encode(*slot);
    lock.lock();
    slot->done = true;
    drain(lock);
    changed_.notify_all();
  }
}

void TileEncoder::drain(std::unique_lock<std::mutex>& lock) {
  if (draining_) return;
  draining_ = true;
  while (!failure_ && !pending_.empty() && pending_.front()->done) {
    const std::shared_ptr<Slot> slot = pending_.front();
    pending_.pop_front();
    if (slot->error) {
      failure_ = std::move(*slot->error);
      break;
    }
    lock.unlock();
    auto handed = sink_(std::move(slot->tile));
    lock.lock();
    if (!handed) failure_ = std::move(handed).error();
  }
  draining_ = false;
  changed_.notify_all();
}

Result<void> TileEncoder::submit(EncodedTile tile, ImageRgba8 pixels) {
  auto slot = std::make_shared<Slot>();
  slot->tile = std::move(tile);
  slot->pixels = std::move(pixels);
  std::unique_lock lock(mutex_);
  if (failure_) return *failure_;
  pending_.push_back(slot);
  queue_.push_back(std::move(slot));
  changed_.notify_one();
  while (!failure_ && pending_.size() > max_pending_) {
    if (!queue_.empty()) {
      // Too far ahead: this thread encodes too instead of waiting.
      const std::shared_ptr<Slot> own = queue_.front();
      queue_.pop_front();
      lock.unlock();
      encode(*own);
      lock.lock();
      own->done = true;
    } else {
      changed_.wait(lock, [this] { return pending_.size() <= max_pending_ || can_drain(); });
    }
    drain(lock);
  }
  if (failure_) return *failure_;
  return {};
}

Result<void> TileEncoder::finish() {
  std::unique_lock lock(mutex_);
  while (!failure_ && (!pending_.empty() || draining_)) {
    changed_.wait(lock, [this] { return (pending_.empty() && !draining_) || can_drain(); });
    drain(lock);
  }
  if (failure_) return *failure_;
  return {};
}

}  // namespace pavilion::pyramid
