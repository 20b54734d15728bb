// The month partitions of PostgreSQL's raw events (schema.h, step 4): a month's partition is made
// before its first event is stored — for each new month a batch brings, and ahead of time by
// expire — and retention drops a month whole once every event in it is past retention_days.
#pragma once

#include "pavilion/core/error.h"
#include "pavilion/hub/store.h"

#include <libpq-fe.h>

#include <cstdint>
#include <mutex>
#include <set>
#include <span>

namespace pavilion::hub {

// The first millisecond (UTC) of the month a UUIDv7's text was made in; nullopt for text that does
// not begin like one.
std::optional<int64_t> id_month_ms(std::string_view id);

// What one store knows of its partitions; thread-safe. Another hub process may make or drop
// partitions too: making one twice is harmless (the database's function checks), and an event
// of a month whose partition another process dropped lands in the default partition, which
// retention empties row by row.
class EventPartitions {
 public:
  // Makes the partitions of the months the events' ids name, from 2020 up to the month after
  // `now_ms`'s; events of other months (a kiosk's clock far off) go to the default partition.
  // Costs nothing for a month made before by this process.
  Result<void> prepare(PGconn* connection, std::span<const StoredEvent> events, int64_t now_ms);
  // This month's partition and the next two months', so that a month is ready before it begins.
  Result<void> make_ahead(PGconn* connection, int64_t now_ms);
  // Drops each month's partition whose events were all received before `before_ms` (locking it
  // first, so that no batch adds to it meanwhile); returns how many events went with them.
  Result<uint64_t> drop_expired(PGconn* connection, int64_t before_ms);

 private:
  Result<void> make(PGconn* connection, int64_t month_ms);

  std::mutex mutex_;        // held while a month is made
  std::set<int64_t> made_;  // months' first milliseconds
};

}  // namespace pavilion::hub
