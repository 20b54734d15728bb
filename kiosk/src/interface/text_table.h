// The kiosk's tables of interface text: one entry per id of an enum, in both of its languages.
// Each kind of text (the interface's, the spoken interface's, captions', time and reach's) keeps
// its enum and table beside the code that uses it; this is what their lookups share.
#pragma once

#include "pavilion/kiosk/visitor_session.h"

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace pavilion::kiosk {

using TextPair = std::pair<std::string_view, std::string_view>;  // zh-CN, en

// One text per id of `Id`, an enum whose last enumerator is `count`, in the enum's order.
template <typename Id>
using TextTable = std::array<TextPair, static_cast<size_t>(Id::count)>;

constexpr std::string_view in_language(const TextPair& pair, Language language) {
  return language == Language::zh_cn ? pair.first : pair.second;
}

template <typename Id>
constexpr std::string_view text_in(const TextTable<Id>& table, Id id, Language language) {
  return in_language(table[static_cast<size_t>(id)], language);
}

// Appends every text of `table` in both languages: the characters the fonts must hold.
inline void append_texts(std::string& all, std::span<const TextPair> table) {
  for (const TextPair& pair : table) (all += pair.first) += pair.second;
}

}  // namespace pavilion::kiosk
