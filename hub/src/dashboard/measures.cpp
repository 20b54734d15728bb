#include "measures.h"

#include "pavilion/hub/config.h"

#include "visit_rollup.h"

namespace pavilion::hub {
namespace {

std::optional<int64_t> median_bucket(const Histogram& histogram) {
  int64_t total = 0;
  for (const auto& [bucket, amount] : histogram) total += amount;
  if (total <= 0) return std::nullopt;
  const int64_t rank = (total + 1) / 2;
  int64_t seen = 0;
  for (const auto& [bucket, amount] : histogram) {
    seen += amount;
    if (seen >= rank) return bucket;
  }
  return std::nullopt;
}

int64_t total_of(const Histogram& histogram) {
  int64_t total = 0;
  for (const auto& [bucket, amount] : histogram) total += amount;
  return total;
}

}  // namespace

std::optional<double> median_seconds(const Histogram& times) {
  const auto bucket = median_bucket(times);
  if (!bucket) return std::nullopt;
  return bucket_seconds(*bucket);
}

std::optional<double> median_value(const Histogram& values) {
  const auto bucket = median_bucket(values);
  if (!bucket) return std::nullopt;
  return static_cast<double>(*bucket);
}

int64_t ExhibitFigures::dwelt() const { return total_of(dwell); }
int64_t ExhibitFigures::paged() const { return total_of(depth); }

void add_scene_row(SceneFigures& scene, const RollupRow& row) {
  if (row.measure == "visitors") scene.visitors += row.amount;
  if (row.measure == "scene_ms") scene.time_ms += row.amount;
  if (row.measure == "length") scene.lengths[row.bucket] += row.amount;
  if (row.measure == "scene_opened") scene.opened[row.bucket] += row.amount;
}

void add_exhibit_row(ExhibitFigures& exhibit, const RollupRow& row) {
  if (row.measure == "exhibit") exhibit.visitors += row.amount;
  if (row.measure == "completed") exhibit.completed += row.amount;
  if (row.measure == "abandoned") exhibit.abandoned += row.amount;
  if (row.measure == "dwell") exhibit.dwell[row.bucket] += row.amount;
  if (row.measure == "depth") exhibit.depth[row.bucket] += row.amount;
  if (row.measure == "listening") exhibit.listening[row.bucket] += row.amount;
}

ExhibitMeasures exhibit_measures(const ExhibitFigures& exhibit, int64_t scene_visitors, const HubConfig& config) {
  ExhibitMeasures out;
  if (scene_visitors > 0) out.attraction_power = static_cast<double>(exhibit.visitors) / static_cast<double>(scene_visitors);
  out.median_dwell_seconds = median_seconds(exhibit.dwell);
  out.median_page_depth = median_value(exhibit.depth);
  if (exhibit.is_poem()) {
    // A poem needs its recitation: how long those who heard it to the end listened.
    out.needed_seconds = median_seconds(exhibit.listening);
    out.needed_base = exhibit.completed;
  } else if (!exhibit.depth.empty()) {
    // A book needs its pages: the highest page anyone reached.
    out.needed_seconds = static_cast<double>(exhibit.depth.rbegin()->first) * config.book_page_seconds;
    out.needed_base = exhibit.paged();
  } else {
    out.needed_seconds = static_cast<double>(config.exhibit_seconds);
    out.needed_base = exhibit.visitors;
  }
  if (out.median_dwell_seconds && out.needed_seconds && *out.needed_seconds > 0) {
    out.holding_power = *out.median_dwell_seconds / *out.needed_seconds;
  }
  return out;
}

std::optional<double> sweep_rate_index(const SceneFigures& scene) {
  if (scene.visitors <= 0 || scene.time_ms <= 0) return std::nullopt;
  const double mean_minutes = static_cast<double>(scene.time_ms) / static_cast<double>(scene.visitors) / 60'000.0;
  return static_cast<double>(scene.exhibits) / mean_minutes;
}

std::optional<double> diligent_share(const SceneFigures& scene) {
  if (scene.visitors <= 0) return std::nullopt;
  int64_t diligent = 0;
  for (const auto& [opened, visitors] : scene.opened) {
    if (2 * opened > scene.exhibits) diligent += visitors;
  }
  return static_cast<double>(diligent) / static_cast<double>(scene.visitors);
}

std::optional<double> mean_attraction_power(int64_t exhibit_visits, int64_t visitors, size_t exhibits) {
  if (visitors <= 0 || exhibits == 0) return std::nullopt;
  return static_cast<double>(exhibit_visits) / (static_cast<double>(visitors) * static_cast<double>(exhibits));
}

}  // namespace pavilion::hub
