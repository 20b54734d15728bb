#include "captions/captions_text.h"

#include "interface/text_table.h"
#include "touch/widgets.h"


namespace pavilion::kiosk {
namespace {

constexpr TextTable<CaptionsText> captions_table{{
    {"字幕（显示听到的声音）", "Captions (what is heard, shown)"},
    {"简明模式（大字、浅显的介绍）", "Simple mode (large, plain words)"},
    {"[音乐：{}]", "[music: {}]"},
    {"[声音：{}]", "[sound: {}]"},
}};

}  // namespace

std::string_view text(CaptionsText id, Language language) { return text_in(captions_table, id, language); }

std::string_view sound_caption_name(const scene::AudioSource& source, std::span<const scene::Exhibit> exhibits,
                                    Language language) {
  std::string_view name = pick(source.caption, language);
  if (name.empty() && source.exhibit < exhibits.size()) name = pick(exhibits[source.exhibit].metadata.title, language);
  if (name.empty()) name = source.name;
  return name;
}

std::string all_captions_text() {
  std::string all;
  append_texts(all, captions_table);
  return all;
}

}  // namespace pavilion::kiosk
