// The dashboard's privacy, as pure functions over tables: no count from 1 to 10, no measure over
// 1 to 10 visitors, and no withheld count that subtraction from shown totals gives back; then the
// two ways a table leaves the hub (JSON for the page, CSV for an export).
#include "pavilion/hub/dashboard.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace pavilion::hub {
namespace {

using nlohmann::json;
using Position = std::pair<size_t, size_t>;

Cell text(std::string value) { return Cell{CellKind::text, std::move(value)}; }
Cell count(double value) { return Cell{CellKind::count, {}, value}; }
Cell measure(double value, uint64_t base) { return Cell{CellKind::measure, {}, value, base}; }
Cell machines(double value) { return Cell{CellKind::device_count, {}, value}; }

// A table of one text column and one count column, one row per value.
Table column_of(const std::vector<double>& values) {
  Table table{"exhibits", {{"exhibit", CellKind::text}, {"visitors", CellKind::count}}, {}, {}};
  for (size_t row = 0; row < values.size(); ++row) {
    table.rows.push_back({text("exhibit-" + std::to_string(row)), count(values[row])});
  }
  return table;
}

ViewData view_of(Table table) {
  ViewData data;
  data.view = View::what;
  data.tables.push_back(std::move(table));
  return data;
}

std::set<Position> withheld(const Table& table) {
  std::set<Position> out;
  for (size_t row = 0; row < table.rows.size(); ++row) {
    for (size_t column = 0; column < table.rows[row].size(); ++column) {
      if (table.rows[row][column].suppressed) out.emplace(row, column);
    }
  }
  return out;
}

TEST(DashboardPrivacy, ASingleSmallCountIsWithheldWithItsComplement) {
  ViewData data = view_of(column_of({120, 4, 35, 0}));
  suppress_small_counts(data);
  // 4 is small; the column adds up to the view's visitors, so the smallest other cell (the zero)
  // goes too, or 159 − 120 − 35 − 0 would give 4 back.
  EXPECT_EQ(withheld(data.tables[0]), (std::set<Position>{{1, 1}, {3, 1}}));
}

TEST(DashboardPrivacy, NothingIsWithheldWhenEveryCountIsElevenOrMore) {
  Table table = column_of({11, 0, 500});
  table.columns.push_back({"attraction_power", CellKind::measure});
  table.rows[0].push_back(measure(0.25, 11));
  table.rows[1].push_back(measure(0, 0));
  table.rows[1].back().missing = true;
  table.rows[2].push_back(measure(0.5, 500));
  ViewData data = view_of(table);
  suppress_small_counts(data);
  EXPECT_TRUE(withheld(data.tables[0]).empty());
}

TEST(DashboardPrivacy, AMeasureOverFewVisitorsIsWithheld) {
  Table table{"exhibits",
              {{"exhibit", CellKind::text}, {"visitors", CellKind::count}, {"median_dwell_seconds", CellKind::measure}},
              {},
              {}};
  table.rows.push_back({text("vase"), count(40), measure(62, 40)});
  table.rows.push_back({text("scroll"), count(12), measure(95, 7)});  // a median over 7 visits
  table.rows.push_back({text("bell"), count(30), measure(20, 30)});
  ViewData data = view_of(table);
  suppress_small_counts(data);
  EXPECT_EQ(withheld(data.tables[0]), (std::set<Position>{{1, 2}}));
}

TEST(DashboardPrivacy, DeviceCountsAreAboutMachinesAndAreNeverWithheld) {
  Table table{"devices", {{"device", CellKind::text}, {"received", CellKind::device_count}, {"missing", CellKind::device_count}},
              {}, {}};
  table.rows.push_back({text("kiosk-1"), machines(3), machines(1)});
  table.rows.push_back({text("kiosk-2"), machines(9000), machines(0)});
  table.partitions.push_back({{0, 1}, {1, 1}});
  ViewData data = view_of(table);
  suppress_small_counts(data);
  EXPECT_TRUE(withheld(data.tables[0]).empty());
}

// The attack: the column adds up to the view's visitors (shown in the overview). With one cell
// withheld, total − shown cells = that cell. Privacy must withhold a second one so that the
// difference is shared between two unknowns and no longer pins either down.
TEST(DashboardPrivacy, AWithheldCountCannotBeDerivedFromTheShownTotal) {
  const std::vector<double> truth{50, 7, 30, 12, 25};
  double total = 0;
  for (const double value : truth) total += value;
  ViewData data = view_of(column_of(truth));
  suppress_small_counts(data);
  const Table& table = data.tables[0];
  ASSERT_EQ(withheld(table), (std::set<Position>{{1, 1}, {3, 1}})) << "12 is the smallest cell left";

  // What an attacker knows: the total, the shown cells, and that a withheld cell is 0–10 if it
  // was withheld for being small, or anything if it was a complement (they cannot tell which).
  double shown = 0;
  for (const auto& row : table.rows) {
    if (!row[1].suppressed) shown += row[1].number;
  }
  const double hidden_sum = total - shown;
  EXPECT_EQ(hidden_sum, 19);
  std::set<std::pair<int, int>> consistent;
  for (int first = 0; first <= static_cast<int>(hidden_sum); ++first) consistent.emplace(first, hidden_sum - first);
  EXPECT_GT(consistent.size(), 10u) << "many pairs fit; the 7 is not singled out";
  EXPECT_TRUE(consistent.contains({7, 12}));
  EXPECT_TRUE(consistent.contains({10, 9}));
}

// A heatmap: each weekday's hours and each hour's weekdays add up to totals a reader can work
// out, so every row and column must have zero or at least two withheld cells. Withholding one
// complement can leave another group with a single withheld cell: the rule repeats until stable.
TEST(DashboardPrivacy, AHeatmapsRowsAndColumnsAreSuppressedUntilStable) {
  const std::vector<std::vector<double>> grid{{5, 20, 30}, {40, 50, 12}, {60, 70, 80}};
  Table table{"heatmap", {{"weekday", CellKind::text}, {"hour", CellKind::text}, {"visitors", CellKind::count}}, {}, {}};
  for (size_t day = 0; day < grid.size(); ++day) {
    for (size_t hour = 0; hour < grid[day].size(); ++hour) {
      table.rows.push_back({text(std::to_string(day + 1)), text(std::to_string(hour)), count(grid[day][hour])});
    }
  }
  for (size_t day = 0; day < 3; ++day) table.partitions.push_back({{day * 3, 2}, {day * 3 + 1, 2}, {day * 3 + 2, 2}});
  for (size_t hour = 0; hour < 3; ++hour) table.partitions.push_back({{hour, 2}, {hour + 3, 2}, {hour + 6, 2}});
  ViewData data = view_of(table);
  suppress_small_counts(data);
  const Table& out = data.tables[0];
  // 5 (small) → 20 (its weekday's smallest) → 40 (5's hour) and 50 (20's hour, cascaded); the
  // second weekday now holds two, and the grid is stable.
  EXPECT_EQ(withheld(out), (std::set<Position>{{0, 2}, {1, 2}, {3, 2}, {4, 2}}));
  for (const auto& partition : out.partitions) {
    size_t in_group = 0;
    for (const auto& [row, column] : partition) in_group += out.rows[row][column].suppressed ? 1 : 0;
    EXPECT_NE(in_group, 1u);
  }
}

TEST(DashboardPrivacy, ViewJsonWritesWithheldAndMissingCellsAsNullAndListsTheWithheld) {
  Table table{"exhibits",
              {{"exhibit", CellKind::text}, {"visitors", CellKind::count}, {"holding_power", CellKind::measure}},
              {},
              {}};
  table.rows.push_back({text("vase"), count(214), measure(0.75, 214)});
  table.rows.push_back({text("scroll"), count(3), measure(1.5, 3)});
  table.rows.push_back({text("bell"), count(0), measure(0, 0)});
  table.rows[2][2].missing = true;
  ViewData data = view_of(table);
  data.filter.package = "gallery";
  data.simulated = true;
  suppress_small_counts(data);
  const json answer = json::parse(view_json(data, "2026-11-01", "2026-11-28"));
  EXPECT_EQ(answer["view"], "what");
  EXPECT_EQ(answer["filter"], json::parse(R"({"from":"2026-11-01","to":"2026-11-28","branch":null,"package":"gallery"})"));
  EXPECT_EQ(answer["simulated"], true);
  const json& exhibits = answer["tables"]["exhibits"];
  EXPECT_EQ(exhibits["columns"], json::parse(R"(["exhibit","visitors","holding_power"])"));
  EXPECT_EQ(exhibits["rows"], json::parse(R"([["vase",214,0.75],["scroll",null,null],["bell",null,null]])"));
  // The 0 visitors of the bell is the 3's complement; its missing measure is not "withheld".
  EXPECT_EQ(exhibits["suppressed"], json::parse("[[1,1],[1,2],[2,1]]"));
}

TEST(DashboardPrivacy, TableCsvQuotesAsRfc4180AndWritesWithheldCellsAsLessThanEleven) {
  Table table{"exhibits",
              {{"exhibit", CellKind::text}, {"visitors", CellKind::count}, {"holding_power", CellKind::measure}},
              {},
              {}};
  table.rows.push_back({text("vase, \"celadon\""), count(214), measure(0.75, 214)});
  table.rows.push_back({text("two\nlines"), count(3), measure(1.5, 3)});
  table.rows.push_back({text("鐘"), count(40), measure(0, 0)});
  table.rows[2][2].missing = true;
  ViewData data = view_of(table);
  suppress_small_counts(data);
  EXPECT_EQ(table_csv(data.tables[0]),
            "exhibit,visitors,holding_power\r\n"
            "\"vase, \"\"celadon\"\"\",214,0.75\r\n"
            "\"two\nlines\",<11,<11\r\n"
            "鐘,<11,\r\n");
}

TEST(DashboardPrivacy, TableCsvWritesTextThatLooksLikeAFormulaAsText) {
  Table table{"exhibits", {{"exhibit", CellKind::text}, {"visitors", CellKind::count}}, {}, {}};
  for (const char* name : {"=HYPERLINK(\"http://example.com\")", "+1", "-1", "@SUM(A1)", "vase-1"}) {
    table.rows.push_back({text(name), count(20)});
  }
  EXPECT_EQ(table_csv(table),
            "exhibit,visitors\r\n"
            "\"'=HYPERLINK(\"\"http://example.com\"\")\",20\r\n"
            "'+1,20\r\n"
            "'-1,20\r\n"
            "'@SUM(A1),20\r\n"
            "vase-1,20\r\n");
}

}  // namespace
}  // namespace pavilion::hub
