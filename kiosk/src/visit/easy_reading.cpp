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

const std::string& Kiosk::State::shown_description(const scene::Exhibit& exhibit) const {
  const Language language = visit.settings.language;
  if (visit.settings.simple && !pick(exhibit.description_easy, language).empty()) return pick(exhibit.description_easy, language);
  return pick(exhibit.metadata.description, language);
}

float Kiosk::State::target_scale() const { return visit.settings.simple ? simple_target_scale : 1.0f; }

float Kiosk::State::text_size() const {
  return std::min(max_text_scale, visit.settings.text_scale * (visit.settings.simple ? simple_text_scale : 1.0f));
}

}  // namespace pavilion::kiosk
