// One simulated visitor's session at a kiosk or headset, as the kiosk's VisitLog would record
// it (engine/telemetry/EVENTS.md): how it starts, the scenes and exhibits chosen, how long each
// holds the visitor, poems heard to the end or left, a book's openings read, a language or
// accessibility setting changed on the way, and how it ends.
#pragma once

#include "random.h"

#include "pavilion/telemetry/event.h"

#include <string_view>
#include <vector>

namespace pavilion::hub::simulation {

struct VisitSettings {
  bool headset = false;
  bool campaign = false;       // the Spring Festival campaign is on: its scene, the poetry garden, promoted
  double poetry_taste = 1.0;   // the branch's readers' liking for poems (campaigns differ by branch)
};

// Appends the visit's events, starting at `start_ms` (UTC), with everything but their ids and
// sequence numbers (the device's to give). Returns when its last event happened.
int64_t simulate_visit(Random& random, const VisitSettings& settings, int64_t start_ms,
                       std::vector<telemetry::Event>& out);

// A UUID of `version` 7 (its first 48 bits `unix_ms`) or 4 (all random) from the simulation's
// generator, so that ids too follow from the seed.
telemetry::Uuid simulated_uuid(Random& random, int version, int64_t unix_ms = 0);

}  // namespace pavilion::hub::simulation
