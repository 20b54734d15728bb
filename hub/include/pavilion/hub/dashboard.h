// The dashboard's data. Every view is a set of named tables of cells; the same tables feed the
// charts, their table alternatives and the CSV exports, so what a chart shows, what a screen
// reader reads and what a librarian exports can never disagree, and privacy is applied once, to
// the tables, before any of them leaves the hub. hub/DASHBOARD.md defines every view, column and
// measure.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/hub/store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pavilion::hub {

struct HubConfig;

enum class View { overview, when, what, how, campaigns, health };
std::optional<View> parse_view(std::string_view name);
std::string_view view_name(View view);

// What a view is asked for. Days are the hub's local days (HubConfig::time_zone).
struct ViewFilter {
  int64_t from_ms = 0;  // the first day's local midnight, as Unix milliseconds
  int64_t to_ms = 0;    // exclusive: the local midnight after the last day
  std::optional<std::string> branch;   // one branch, or every branch the caller may see
  std::optional<std::string> package;  // one scene package, or all
};

// A number about people (visitors, sessions, openings) is a `count` and is never shown from 1 to
// 10. A `measure` (a ratio, a median, a share) is computed from `base` visitors and is withheld
// when its base is from 1 to 10. A `device_count` is about machines (events received, gaps),
// not people, and is shown as it is.
enum class CellKind { text, count, measure, device_count };

struct Cell {
  CellKind kind = CellKind::text;
  std::string text;            // kind text
  double number = 0;           // every other kind
  uint64_t base = 0;           // kind measure: the visitors it is computed from
  bool missing = false;        // no data (a measure over no visitors); shown as "–"
  bool suppressed = false;     // withheld for privacy; shown as "<11" and exported the same way
};

struct Column {
  std::string id;  // stable, lower_snake_case; the web page and CSV headers translate it
  CellKind kind = CellKind::text;
};

struct Table {
  std::string id;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  // Groups of cells, as (row, column), whose sum is shown elsewhere or can be worked out (a
  // table's column adding up to the view's total; a heatmap's weekday row): privacy withholds a
  // second cell in any group where exactly one is withheld, so no withheld count can be derived
  // by subtraction. Every count column is one group by default (unless the builder says its
  // columns add up to nothing, as a funnel's nested steps); builders add the others.
  std::vector<std::vector<std::pair<size_t, size_t>>> partitions;
  bool count_columns_are_groups = true;
};

struct ViewData {
  View view = View::overview;
  ViewFilter filter;
  // Some of the visits the view reads were sent by `pavilion-hub simulate`'s devices (health: a
  // simulated device is listed).
  bool simulated = false;
  std::vector<Table> tables;
};

// Reads the aggregates for `view` under `filter` (a caller's permissions already applied to
// the filter). Nothing here is withheld yet: suppress_small_counts does that.
Result<ViewData> build_view(Store& store, const HubConfig& config, View view, const ViewFilter& filter);

// GET /api/filters (DASHBOARD.md): the branches with their display names (all of them, or only
// `only_branch`), the packages with visitors, the first and last day with data, the time zone
// and whether any device is simulated.
Result<std::string> filters_json(Store& store, const HubConfig& config, const std::optional<std::string>& only_branch);

// Withholds every count from 1 to 10, every measure whose base is from 1 to 10, and then, until
// nothing changes, a second cell in any partition with exactly one withheld cell (the smallest
// remaining one, zeros included).
void suppress_small_counts(ViewData& data);

// {"view":…,"filter":{…},"simulated":…,"tables":{"id":{"columns":[…],"rows":[[…]],
//  "suppressed":[[row,col],…]}}}: withheld and missing cells are null. The filter's first and
// last day are given as the caller read them (2026-11-01): only the hub's time zone turns
// from_ms and to_ms back into days, and this function does not need it.
std::string view_json(const ViewData& data, std::string_view first_day, std::string_view last_day);
// RFC 4180, a header row of column ids, withheld cells as "<11", missing ones empty.
std::string table_csv(const Table& table);

}  // namespace pavilion::hub
