#include "exhibits/exhibit_player.h"

#include "exhibits/book/book_player.h"
#include "exhibits/model/model_player.h"

#include "exhibits/poem/poem_player.h"
#include "kiosk_state.h"

namespace pavilion::kiosk {

std::vector<std::unique_ptr<ExhibitPlayer>> make_exhibit_players(Kiosk::State& kiosk) {
  std::vector<std::unique_ptr<ExhibitPlayer>> players;
  players.push_back(std::make_unique<PoemPlayer>(kiosk));
  players.push_back(std::make_unique<BookPlayer>(kiosk));
  players.push_back(std::make_unique<ModelPlayer>(kiosk));  // last: whatever the others do not play
  return players;
}

ExhibitPlayer& Kiosk::State::player_for(const scene::Exhibit& exhibit) const {
  for (const auto& player : players) {
    if (player->plays(exhibit)) return *player;
  }
  return *players.back();  // the model player plays anything
}

Result<void> Kiosk::State::update_players(double seconds) {
  for (const auto& player : players) PV_TRY(player->update(seconds));
  return {};
}

Result<void> Kiosk::State::hang_players_in_scene() {
  world_overlays.clear();  // keeps its capacity: nothing is allocated once it has grown
  for (const auto& player : players) {
    PV_TRY_ASSIGN(const std::span<const render::WorldOverlay> hung, player->hang_in_scene());
    world_overlays.insert(world_overlays.end(), hung.begin(), hung.end());
  }
  return {};
}

bool Kiosk::State::players_speaking() const {
  return std::ranges::any_of(players, [](const auto& player) { return player->speaking(); });
}

CameraCloser Kiosk::State::players_camera_closer() const {
  // Only the player of the exhibit shown moves the camera; the others leave it.
  for (const auto& player : players) {
    if (const CameraCloser closer = player->camera_closer(); closer.times != 1.0f) return closer;
  }
  return {};
}

void Kiosk::State::close_players() {
  for (const auto& player : players) player->close();
}

void Kiosk::State::release_players() {
  world_overlays.clear();
  for (const auto& player : players) player->release();
}

}  // namespace pavilion::kiosk
