// Encodes tiles on worker threads while the calling thread goes on decoding and halving, and hands
// them to the sink on the calling thread in the order they were submitted, so the output is the
// same whatever the thread count. At most `max_pending` tiles wait at once: past that, submit()
// encodes queued tiles on the calling thread (or waits) until the oldest are out.
#pragma once

#include "pavilion/pyramid/pyramid.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace pavilion::pyramid {

class TileEncoder {
 public:
  // `options` and `sink` must outlive the encoder.
  TileEncoder(const PyramidOptions& options, size_t max_pending, const TileSink& sink);
  ~TileEncoder();  // stops and joins the workers; tiles not yet handed out are dropped
  TileEncoder(const TileEncoder&) = delete;
  TileEncoder& operator=(const TileEncoder&) = delete;

  // `tile` without bytes, and its pixels. Fails with the first error of an encoder or the sink.
  Result<void> submit(EncodedTile tile, ImageRgba8 pixels);
  // Waits for every tile and hands out the rest.
  Result<void> finish();

 private:
  struct Slot {
    EncodedTile tile;
    ImageRgba8 pixels;
    std::optional<Error> error;
    bool done = false;
  };

  void work();
  void encode(Slot& slot);
  // Hands out finished tiles from the front, in order; `lock` is held on entry and exit.
  Result<void> drain(std::unique_lock<std::mutex>& lock);

  const PyramidOptions& options_;
  const TileSink& sink_;
  const size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Slot>> pending_;  // submission order, until handed out
  std::deque<std::shared_ptr<Slot>> queue_;    // not yet taken by an encoder
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace pavilion::pyramid
