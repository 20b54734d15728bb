// Every sentence the kiosk itself shows, in Chinese and English. Curators' text (titles,
// descriptions) comes from the packages; this is the rest.
#pragma once

#include "pavilion/kiosk/visitor_session.h"

#include <string>
#include <string_view>

namespace pavilion::kiosk {

enum class Text {
  touch_to_begin,
  welcome,
  choose_exhibit,
  home,
  end_visit,
  previous_exhibit,
  next_exhibit,
  other_language,  // the button that switches to the other language, named in that language
  accessibility,
  text_size,
  high_contrast,
  audio_descriptions,
  calm_mode,
  seated_mode,
  done,
  audio_description_heading,
  creator,
  date,
  rights,
  identifier,
  loading,
  still_there,
  returning_in,  // "{} seconds"
  keep_exploring,
  closed_now,
  opens_at,      // "{weekday} {time}"
  enter_pin,
  wrong_pin,
  locked_out,
  cancel,
  clear,
  operator_title,
  reload_content,
  test_pattern,
  restart,
  close,
  no_content,
  disk_free,      // "{:.1f} GB of {:.1f} GB"
  last_upload,
  no_hub,
  upload_never,         // "not yet, {} waiting"
  upload_ago,           // "{} min ago, {} waiting"
  upload_failing,       // "failing, {} attempts in a row; {} waiting"
  upload_token_refused,
  upload_quarantined,   // "{} events refused by the hub, kept aside in {}"
  packages,       // "{} shown, {} skipped"
  in_season,
  out_of_season,
  interaction_log,      // "{} recorded, {} written, {} dropped"
  interaction_log_off,
  audio_only,
  recite,
  pause,
  resume,
  replay,
  pinyin,
  translation,
  dynasty,
  font_credit,          // "{family} ({licence URL})"
  audio_only_hint,
  count,
};

std::string_view text(Text id, Language language);
std::string_view weekday_name(unsigned weekday, Language language);  // 0 = Sunday

// Every string above in both languages, for building the font atlas.
std::string all_interface_text();

}  // namespace pavilion::kiosk
