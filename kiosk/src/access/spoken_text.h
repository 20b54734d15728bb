// What the spoken interface says beyond the controls' own labels, in Chinese and English: the
// screens' names and help, words for controls whose face is a symbol or a picture, settings
// confirmed, the attract loop's invitation. An exhibit kind's own words are its player's. Kept apart from interface/strings.cpp (what the
// screens show) so both tables can grow without pairing the wrong texts.
#pragma once

#include "pavilion/kiosk/visitor_session.h"
#include "pavilion/scene/scene.h"

#include <array>

#include <string>
#include <string_view>

namespace pavilion::kiosk {

enum class Spoken {
  invitation,        // the attract loop, said in each language in turn
  start_visit,       // the attract loop's whole-screen control
  home_screen,
  exhibit_screen,    // "{title}" (and creator: see card)
  card,              // "{title}, {creator}"
  accessibility_screen,
  operator_pin_screen,
  operator_menu_screen,
  test_pattern_screen,
  help_attract,
  help_home,
  help_exhibit,
  help_accessibility,
  help_operator,
  help_closed,
  still_there,       // "{seconds}"
  switch_language,   // the language button, in the visitor's language
  language_now,      // said in the language just chosen
  state_on,          // "{label}, on"
  state_off,
  text_smaller,      // "{percent}"
  text_larger,
  previous_page,     // "{page} {pages}"
  next_page,
  hear_description,
  no_description,
  test_pattern_back,
  volume,            // "{percent}"
  top_of_list,       // "{control}": down wrapped around to the first control
  bottom_of_list,    // "{control}": up wrapped around to the last
  nothing_here,      // a touch in audio-only mode that found no control
  count,
};

std::string_view spoken(Spoken id, Language language);

// What an exhibit's card says (its face is a picture), on home and as the exhibit screen's name:
// its title and creator, into `words`.
std::string_view card_words(std::array<char, 512>& words, const scene::Exhibit& exhibit, Language language);

// Every sentence above in both languages, for the font atlas (captions show what is said).
std::string all_spoken_text();

}  // namespace pavilion::kiosk
