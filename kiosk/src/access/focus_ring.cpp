#include "access/focus_ring.h"

#include <optional>

namespace pavilion::kiosk {
namespace {

std::optional<size_t> index_of(std::span<const Control> controls, std::string_view name) {
  if (name.empty()) return std::nullopt;
  for (size_t index = 0; index < controls.size(); ++index) {
    if (controls[index].name == name && focusable(controls[index])) return index;
  }
  return std::nullopt;
}

std::optional<size_t> first_from(std::span<const Control> controls, size_t start, int step) {
  const auto count = static_cast<ptrdiff_t>(controls.size());
  for (auto index = static_cast<ptrdiff_t>(start); index >= 0 && index < count; index += step) {
    if (focusable(controls[static_cast<size_t>(index)])) return static_cast<size_t>(index);
  }
  return std::nullopt;
}

}  // namespace

bool FocusRing::sync(std::span<const Control> controls) {
  if (index_of(controls, name_)) return false;
  const std::optional<size_t> first = first_from(controls, 0, 1);
  if (!first) {
    const bool had = !name_.empty();
    name_.clear();
    return had;
  }
  name_ = controls[*first].name;
  return true;
}

FocusRing::Move FocusRing::move(std::span<const Control> controls, int step) {
  if (controls.empty() || step == 0) return Move::none;
  const std::optional<size_t> current = index_of(controls, name_);
  const size_t last = controls.size() - 1;
  std::optional<size_t> next;
  Move how = Move::moved;
  if (!current) {
    next = step > 0 ? first_from(controls, 0, 1) : first_from(controls, last, -1);
  } else {
    const bool at_end = step > 0 ? *current == last : *current == 0;
    if (!at_end) next = first_from(controls, step > 0 ? *current + 1 : *current - 1, step > 0 ? 1 : -1);
    if (!next) {
      // Past the end: round to the other end, and say so (the visitor cannot see the list wrap).
      next = step > 0 ? first_from(controls, 0, 1) : first_from(controls, last, -1);
      how = step > 0 ? Move::wrapped_to_first : Move::wrapped_to_last;
    }
  }
  if (!next) return Move::none;
  if (current && *next == *current) return Move::none;  // the only control: nowhere to go
  name_ = controls[*next].name;
  return how;
}

bool FocusRing::focus(std::span<const Control> controls, std::string_view name) {
  if (!index_of(controls, name)) return false;
  name_ = name;
  return true;
}

const Control* FocusRing::focused(std::span<const Control> controls) const {
  const std::optional<size_t> index = index_of(controls, name_);
  return index ? &controls[*index] : nullptr;
}

}  // namespace pavilion::kiosk
