// An exhibit kind as the touch kiosk plays it: what it opens when one of its exhibits is shown,
// what it draws on the exhibit screen and hangs in the scene, what it says aloud, and what it
// records. The model player (exhibits/model/) draws what every exhibit has, the info panel; the
// other kinds add to it (exhibits/poem/: the scroll, the recitation, audio-only mode).
//
// Adding a kind (a book, a festival show): a folder exhibits/<kind>/ with a class implementing
// this, and one line in exhibits/exhibit_players.cpp (kiosk/README.md says more).
//
// A player belongs to the kiosk's state, which it is given at construction and which outlives it;
// it runs on the frame loop's thread only.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/interaction/captions.h"
#include "pavilion/kiosk/kiosk.h"
#include "pavilion/render/overlay.h"
#include "pavilion/render/view.h"
#include "pavilion/scene/scene.h"

#include <glm/vec3.hpp>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pavilion::kiosk {

// The exhibit screen's camera brought `times` times nearer to the point `towards` of the world
// (a book's deep zoom), its near plane as much nearer: the picture of the scene magnified `times`
// about `towards`, seen as it is from there.
struct CameraCloser {
  glm::vec3 towards{0.0f};
  float times = 1.0f;

  // The view from `eye` looking at `target`, the camera brought nearer.
  render::View view(const glm::vec3& eye, const glm::vec3& target, const render::FieldOfView& fov) const {
    const auto nearer = [&](const glm::vec3& point) { return towards + (point - towards) / times; };
    return render::look_at_view(nearer(eye), nearer(target), fov, render::default_near_plane / times);
  }
};

class ExhibitPlayer {
 public:
  virtual ~ExhibitPlayer() = default;

  // Whether `exhibit` is this player's to show on the exhibit screen.
  virtual bool plays(const scene::Exhibit& exhibit) const = 0;
  // Each frame, before the screens: opens what the exhibit shown needs (or closes it when another
  // is shown) and moves on what plays. Fails only when the GPU device is lost.
  virtual Result<void> update(double seconds) = 0;
  // Then, once the frame's sound is mixed (so what is lit is what was heard): what it hangs in
  // the scene this frame, valid until the next call. Fails only when the GPU device is lost.
  virtual Result<std::span<const render::WorldOverlay>> hang_in_scene() { return std::span<const render::WorldOverlay>(); }
  // Draws the exhibit screen for `shown` (one it plays), all but the bar along the bottom.
  virtual void draw(const scene::Exhibit& shown, float panel_width, float bar_height) = 0;
  // Its rows in the info panel, after the exhibit's date, and its last lines there.
  virtual void draw_panel_rows() {}
  virtual void draw_panel_footer() {}
  // In the lower layout, its controls, which draw_panel_rows() then leaves out: drawn at the foot
  // of the info panel, in a seated visitor's reach.
  virtual void draw_panel_controls() {}
  // How near it brings the exhibit screen's camera this frame (a book zoomed): 1 time when it
  // leaves the camera where it is.
  virtual CameraCloser camera_closer() const { return {}; }
  // It holds the finger (a book's leaf taken by its corner): dragging does not turn the scene.
  virtual bool holds_pointer() const { return false; }
  // Something of it speaks (a recitation): the visitor is there, and the room's sounds hush.
  virtual bool speaking() const { return false; }
  // Once the frame's sound is mixed: what of it is heard now, shown in `captions` (a recitation's
  // line from when its first character is heard). `now`: the kiosk's clock.
  virtual void update_captions(interaction::Captions& captions, double now) {
    static_cast<void>(captions);
    static_cast<void>(now);
  }
  // What the help key says on the exhibit screen for one it plays, in `language`, where its
  // screen is its own (a poem's touch zones); empty: the exhibit screen's usual help.
  virtual std::string_view help(Language language) const {
    static_cast<void>(language);
    return {};
  }
  // The visitor leaves (or the operator comes): it stops, recording what was cut short.
  virtual void close() {}
  // The GPU device or the content goes away: it drops all it made from them, recording nothing.
  virtual void release() {}
  // Every character it may draw with the interface's fonts, for their atlas.
  virtual void add_glyphs(std::string& text) const { static_cast<void>(text); }
};

// One player a kind, the model player last (it plays any exhibit the others do not).
std::vector<std::unique_ptr<ExhibitPlayer>> make_exhibit_players(Kiosk::State& kiosk);

}  // namespace pavilion::kiosk
