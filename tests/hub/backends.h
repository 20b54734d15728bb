// The hub's tests run against both storage backends: an SQLite file in a test folder, and a new
// database on the tests' PostgreSQL server.
#pragma once

#include "postgres_server.h"
#include "temporary_folder.h"

#include "pavilion/hub/store.h"
#include "pavilion/telemetry/event.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace pavilion::testing {

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// The database string for a backend: "sqlite" or "postgresql".
inline std::string test_database(const std::string& backend, const TemporaryFolder& folder) {
  if (backend == "sqlite") return (folder / "hub.sqlite").string();
  auto uri = create_test_database();
  EXPECT_TRUE(uri.ok()) << uri.error().describe();
  return uri.ok() ? *uri : std::string();
}

inline std::unique_ptr<hub::Store> open_test_store(const std::string& database) {
  auto store = hub::open_store(database);
  EXPECT_TRUE(store.ok()) << store.error().describe();
  return store.ok() ? std::move(store).value() : nullptr;
}

// An event as a kiosk records it, made `created_ms` by the kiosk's clock.
inline telemetry::Event kiosk_event(uint64_t sequence, int64_t created_ms, std::string_view subject = "vase",
                                    telemetry::EventType type = telemetry::EventType::exhibit_open) {
  telemetry::Event event;
  event.id = telemetry::make_uuid_v7(created_ms);
  event.sequence = sequence;
  event.created_ms = created_ms;
  event.type = type;
  event.package_id.assign("gallery");
  event.package_version.assign("1.0.0");
  event.subject.assign(subject);
  return event;
}

// A valid stored event for `sequence`, created `age_ms` before `now_ms`.
inline hub::StoredEvent stored_event(uint64_t sequence, int64_t now_ms, std::string type = "exhibit_open",
                                     std::string subject = "vase") {
  hub::StoredEvent event;
  std::array<char, 37> id{};
  telemetry::Uuid uuid = telemetry::make_uuid_v7(now_ms);
  // make_uuid_v7 never goes back in time within a thread (ids sort as made), so after a test
  // that made ids months ahead its ids would name that month; the tests' events carry their own.
  for (int byte = 0; byte < 6; ++byte) uuid.bytes[static_cast<size_t>(byte)] = static_cast<uint8_t>(now_ms >> (40 - 8 * byte));
  telemetry::format_uuid(uuid, id);
  event.id = id.data();
  event.sequence = sequence;
  event.created_ms = now_ms;
  event.corrected_ms = now_ms;
  event.type = std::move(type);
  event.session = "00000000-0000-0000-0000-000000000000";
  event.package_id = "gallery";
  event.package_version = "1.0.0";
  event.subject = std::move(subject);
  event.exhibit = hub::is_exhibit_event(event.type) ? event.subject : std::string();
  return event;
}

// A self-signed certificate for "localhost", made with the openssl command.
struct Certificate {
  std::filesystem::path certificate;
  std::filesystem::path key;
};
inline Certificate make_certificate(const std::filesystem::path& folder) {
  Certificate made{folder / "hub.crt", folder / "hub.key"};
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost -keyout " + made.key.string() + " -out " + made.certificate.string() +
      " 2>/dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return made;
}

}  // namespace pavilion::testing
