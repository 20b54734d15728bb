// Simple mode (easy reading, for children and for anyone who wants plain words): each exhibit's
// plain-language description in place of its description, larger touch targets, larger text.
#include "kiosk_state.h"
#include "touch/widgets.h"

#include <algorithm>

namespace pavilion::kiosk {
namespace {

constexpr float simple_target_scale = 1.25f;
constexpr float simple_text_scale = 1.25f;

}  // namespace

void Kiosk::State::draw_description(const scene::Exhibit& exhibit) {
  const Language language = visit.settings.language;
  const std::string& easy = pick(exhibit.description_easy, language);
  const std::string& shown = visit.settings.simple && !easy.empty() ? easy : pick(exhibit.metadata.description, language);
  draw_panel_text(shown);
  report.description_shown = shown;  // within the capacity of the frames before, once it has grown
}

float Kiosk::State::target_scale() const { return visit.settings.simple ? simple_target_scale : 1.0f; }

float Kiosk::State::text_size() const {
  return std::min(max_text_scale, visit.settings.text_scale * (visit.settings.simple ? simple_text_scale : 1.0f));
}

}  // namespace pavilion::kiosk
