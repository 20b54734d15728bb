// How a view's tables leave the hub: JSON for the page, CSV for an export. Both write a withheld
// cell the same way everywhere (null and listed in "suppressed"; "<11" in CSV), so no path shows
// what privacy withheld.
#include "../json_text.h"
#include "pavilion/hub/dashboard.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace pavilion::hub {
namespace {

using nlohmann::ordered_json;

ordered_json cell_json(const Cell& cell) {
  if (cell.suppressed || cell.missing) return nullptr;
  if (cell.kind == CellKind::text) return cell.text;
  // Whole numbers as integers (counts, days of seconds), so the page shows "214", not "214.0".
  if (std::trunc(cell.number) == cell.number && std::abs(cell.number) < 9e15) return static_cast<int64_t>(cell.number);
  return cell.number;
}

ordered_json optional_json(const std::optional<std::string>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char character : field) {
    if (character == '"') out.push_back('"');
    out.push_back(character);
  }
  out.push_back('"');
}

std::string cell_csv(const Cell& cell) {
  if (cell.suppressed) return "<11";
  if (cell.missing) return {};
  if (cell.kind == CellKind::text) {
    // Exhibit ids and branch names come from kiosks and hub.json, not from the hub's own code; a
    // spreadsheet would run one starting like a formula (OWASP's "CSV injection"), so it is
    // written as text with a leading apostrophe.
    if (!cell.text.empty() && std::string_view("=+-@\t\r").find(cell.text.front()) != std::string_view::npos) {
      return "'" + cell.text;
    }
    return cell.text;
  }
  return fmt::format("{}", cell.number);  // the shortest text that reads back as the same number
}

}  // namespace

std::string view_json(const ViewData& data, std::string_view first_day, std::string_view last_day) {
  ordered_json tables = ordered_json::object();
  for (const Table& table : data.tables) {
    ordered_json columns = ordered_json::array();
    for (const Column& column : table.columns) columns.push_back(column.id);
    ordered_json rows = ordered_json::array();
    ordered_json suppressed = ordered_json::array();
    for (size_t row = 0; row < table.rows.size(); ++row) {
      ordered_json cells = ordered_json::array();
      for (size_t column = 0; column < table.rows[row].size(); ++column) {
        const Cell& cell = table.rows[row][column];
        cells.push_back(cell_json(cell));
        if (cell.suppressed) suppressed.push_back({row, column});
      }
      rows.push_back(std::move(cells));
    }
    tables[table.id] = {{"columns", std::move(columns)}, {"rows", std::move(rows)}, {"suppressed", std::move(suppressed)}};
  }
  const ordered_json answer{{"view", view_name(data.view)},
                            {"filter",
                             {{"from", first_day},
                              {"to", last_day},
                              {"branch", optional_json(data.filter.branch)},
                              {"package", optional_json(data.filter.package)}}},
                            {"simulated", data.simulated},
                            {"tables", std::move(tables)}};
  return json_text(answer);
}

std::string table_csv(const Table& table) {
  std::string out;
  for (size_t column = 0; column < table.columns.size(); ++column) {
    if (column > 0) out.push_back(',');
    append_csv_field(out, table.columns[column].id);
  }
  out.append("\r\n");
  for (const auto& row : table.rows) {
    for (size_t column = 0; column < row.size(); ++column) {
      if (column > 0) out.push_back(',');
      append_csv_field(out, cell_csv(row[column]));
    }
    out.append("\r\n");
  }
  return out;
}

}  // namespace pavilion::hub
