// Privacy, applied to a view's tables before any of them leaves the hub (hub/DASHBOARD.md,
// "Privacy"). Primary suppression withholds what could single out a visitor; complementary
// suppression then withholds, in every group of cells whose sum a reader knows or can work out,
// a second cell wherever exactly one is withheld, so that subtraction gives back a sum of two
// unknowns and never one value.
#include "pavilion/hub/dashboard.h"

namespace pavilion::hub {
namespace {

using Position = std::pair<size_t, size_t>;
using Group = std::vector<Position>;

// Counts are whole numbers: 1 to 10 people could be recognised.
bool is_small(double people) { return people >= 1 && people < 11; }

bool withheld_by_itself(const Cell& cell) {
  if (cell.missing) return false;
  if (cell.kind == CellKind::count) return is_small(cell.number);
  if (cell.kind == CellKind::measure) return is_small(static_cast<double>(cell.base));
  return false;  // text, and device counts: about machines, not people
}

// A cell that may be withheld to protect another: a number about people that is shown now.
bool can_complement(const Cell& cell) {
  return (cell.kind == CellKind::count || cell.kind == CellKind::measure) && !cell.missing && !cell.suppressed;
}

// The builder's partitions first, then every count column as a group of its count cells (a
// column adds up to the view's total) unless the builder says they add up to nothing.
std::vector<Group> groups_of(const Table& table) {
  std::vector<Group> groups = table.partitions;
  if (!table.count_columns_are_groups) return groups;
  for (size_t column = 0; column < table.columns.size(); ++column) {
    if (table.columns[column].kind != CellKind::count) continue;
    Group group;
    for (size_t row = 0; row < table.rows.size(); ++row) {
      if (column < table.rows[row].size() && table.rows[row][column].kind == CellKind::count) group.emplace_back(row, column);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

// Withholds a second cell in `group` when exactly one is withheld; true if it did.
bool complement(Table& table, const Group& group) {
  size_t withheld = 0;
  Cell* smallest = nullptr;
  for (const auto& [row, column] : group) {
    Cell& cell = table.rows[row][column];
    if (cell.suppressed) ++withheld;
    // The smallest cell costs the reader the least; the first of equals keeps it deterministic.
    if (can_complement(cell) && (smallest == nullptr || cell.number < smallest->number)) smallest = &cell;
  }
  if (withheld != 1 || smallest == nullptr) return false;
  smallest->suppressed = true;
  return true;
}

void suppress_table(Table& table) {
  for (auto& row : table.rows) {
    for (Cell& cell : row) {
      if (withheld_by_itself(cell)) cell.suppressed = true;
    }
  }
  const std::vector<Group> groups = groups_of(table);
  // Each pass withholds at least one more cell or ends, so this stops after at most as many
  // passes as the table has cells.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Group& group : groups) changed = complement(table, group) || changed;
  }
}

}  // namespace

void suppress_small_counts(ViewData& data) {
  for (Table& table : data.tables) suppress_table(table);
}

}  // namespace pavilion::hub
