// The scene on the touch kiosk's screen, the one asked for, and the fade between: a new scene
// loads on another thread behind a fade to black, so the frame loop never waits for it.
#pragma once

#include "exhibits/book/prepared_book.h"
#include "pavilion/scene/scene.h"
#include "show/show_playback.h"
#include "sound/scene_sounds.h"

#include <chrono>
#include <cstdint>
#include <future>
#include <optional>

namespace pavilion::kiosk {

struct SceneStage {
  static constexpr float fade_seconds = 0.35f;
  struct Request {
    size_t entry = 0;
    std::optional<uint32_t> exhibit;
    std::optional<std::chrono::steady_clock::time_point> touched_at;  // for touch-to-first-frame
  };
  struct Loaded {
    scene::Scene scene;
    SceneSounds sounds;
    ShowPlayback show;
    std::vector<PreparedBook> books;
  };

  std::optional<size_t> shown_entry;
  uint32_t shown_exhibit = 0;  // index into the shown entry's exhibits
  std::vector<PreparedBook> shown_books;  // the shown entry's books, made ready as it loaded
  std::optional<Request> requested;
  std::optional<Request> loading_request;
  std::future<Result<Loaded>> loading;
  std::chrono::steady_clock::time_point loading_since{};
  std::optional<std::chrono::steady_clock::time_point> first_frame_pending;
  std::optional<std::chrono::steady_clock::time_point> load_frame_pending;
  float fade = 1.0f;  // 0: the scene shows; 1: black
  float fade_goal = 0.0f;

  // Neither asked for nor loading: the scene shown is the one wanted.
  bool settled() const { return !requested && !loading.valid(); }
};

}  // namespace pavilion::kiosk
