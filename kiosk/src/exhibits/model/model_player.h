// Models, panels, hotspots and any exhibit no other player takes: the exhibit itself stands in
// the scene, framed by the camera, and the info panel beside it says what it is.
#pragma once

#include "exhibits/exhibit_player.h"

namespace pavilion::kiosk {

class ModelPlayer final : public ExhibitPlayer {
 public:
  explicit ModelPlayer(Kiosk::State& kiosk) : kiosk_(kiosk) {}

  bool plays(const scene::Exhibit&) const override { return true; }
  Result<void> update(double) override { return {}; }
  void draw(const scene::Exhibit& shown, float panel_width, float bar_height) override;

 private:
  Kiosk::State& kiosk_;
};

}  // namespace pavilion::kiosk
