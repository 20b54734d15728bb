// The visitor-studies measures of hub/DASHBOARD.md ("Measures"), from rollup figures: medians read
// from histograms, attraction and holding power, sweep rate index, diligent visitors. Pure
// functions, so each is checked against hand-computed figures.
#pragma once

#include "pavilion/hub/store.h"

#include <cstdint>
#include <map>
#include <optional>

namespace pavilion::hub {

struct HubConfig;

// bucket → visitors (or recitations).
using Histogram = std::map<int64_t, int64_t>;

// The lower median (the value at rank ⌈n/2⌉) of a histogram of time buckets, in seconds
// (visit_rollup.h's resolution); nullopt when it is empty.
std::optional<double> median_seconds(const Histogram& times);
// The lower median of a histogram whose buckets are the values themselves (pages).
std::optional<double> median_value(const Histogram& values);

// A scene's rows summed over the period.
struct SceneFigures {
  int64_t visitors = 0;
  int64_t time_ms = 0;     // the visitors' time in the scene, summed
  Histogram lengths;       // time in the scene
  Histogram opened;        // exhibits opened per visit → visitors
  int64_t exhibits = 0;    // exhibits anyone opened in the period
};

// An exhibit's rows summed over the period.
struct ExhibitFigures {
  int64_t visitors = 0;   // visits that opened it
  int64_t completed = 0;  // poem_complete events
  int64_t abandoned = 0;  // poem_abort events
  Histogram dwell;        // per visit, the sum of its exhibit_close dwells
  Histogram depth;        // per visit, the highest page reached
  Histogram listening;    // completed recitations' listening times
  bool is_poem() const { return completed + abandoned > 0; }
  int64_t dwelt() const;  // visits with a dwell
  int64_t paged() const;  // visits that turned a page
};

void add_scene_row(SceneFigures& scene, const RollupRow& row);
void add_exhibit_row(ExhibitFigures& exhibit, const RollupRow& row);

struct ExhibitMeasures {
  std::optional<double> attraction_power;
  std::optional<double> median_dwell_seconds;
  std::optional<double> needed_seconds;
  int64_t needed_base = 0;  // the visitors (or recitations) the needed time is read from
  std::optional<double> holding_power;
  std::optional<double> median_page_depth;
};

// `scene_visitors`: the visitors of the exhibit's scene in the period.
ExhibitMeasures exhibit_measures(const ExhibitFigures& exhibit, int64_t scene_visitors, const HubConfig& config);
// Exhibits per minute of the mean time in the scene.
std::optional<double> sweep_rate_index(const SceneFigures& scene);
// The share of the scene's visitors who opened more than half of its exhibits.
std::optional<double> diligent_share(const SceneFigures& scene);
// The mean of the exhibits' attraction powers: exhibit visits / (visitors × exhibits).
std::optional<double> mean_attraction_power(int64_t exhibit_visits, int64_t visitors, size_t exhibits);

}  // namespace pavilion::hub
