#include "captions/captions_text.h"

#include "touch/widgets.h"

#include <array>
#include <utility>

namespace pavilion::kiosk {
namespace {

using Pair = std::pair<std::string_view, std::string_view>;  // zh-CN, en

constexpr std::array<Pair, static_cast<size_t>(CaptionsText::count)> table{{
    {"字幕（显示听到的声音）", "Captions (what is heard, shown)"},
    {"简明模式（大字、浅显的介绍）", "Simple mode (large, plain words)"},
    {"[音乐：{}]", "[music: {}]"},
}};

}  // namespace

std::string_view text(CaptionsText id, Language language) {
  const Pair& pair = table[static_cast<size_t>(id)];
  return language == Language::zh_cn ? pair.first : pair.second;
}

std::string_view sound_caption_name(const scene::AudioSource& source, std::span<const scene::Exhibit> exhibits,
                                    Language language) {
  std::string_view name = pick(source.caption, language);
  if (name.empty() && source.exhibit < exhibits.size()) name = pick(exhibits[source.exhibit].metadata.title, language);
  if (name.empty()) name = source.name;
  return name;
}

std::string all_captions_text() {
  std::string all;
  for (const Pair& pair : table) (all += pair.first) += pair.second;
  return all;
}

}  // namespace pavilion::kiosk
