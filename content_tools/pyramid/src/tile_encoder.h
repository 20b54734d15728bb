// Encodes tiles on worker threads while the calling thread goes on decoding and halving, and hands
// them to the sink one at a time in the order they were submitted, so the output is the same
// whatever the thread count. Whichever thread finds the oldest tiles encoded hands them out, so a
// slow sink (writing files) runs beside the decoding instead of holding it up. At most
// `max_pending` tiles wait at once: past that, submit() encodes queued tiles on the calling thread
// (or waits) until the oldest are out.
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
  // Hands out finished tiles from the front, in order, unless another thread is doing so; `lock`
  // is held on entry and exit. A failure is kept in failure_.
  void drain(std::unique_lock<std::mutex>& lock);
  // Whether the calling thread can stop waiting: a failure, or finished tiles no one is handing out.
  bool can_drain() const { return failure_ || (!pending_.empty() && pending_.front()->done && !draining_); }

  const PyramidOptions& options_;
  const TileSink& sink_;
  const size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Slot>> pending_;  // submission order, until handed out
  std::deque<std::shared_ptr<Slot>> queue_;    // not yet taken by an encoder
  bool stopping_ = false;
  bool draining_ = false;
  std::optional<Error> failure_;
  std::vector<std::thread> workers_;
};

}  // namespace pavilion::pyramid
