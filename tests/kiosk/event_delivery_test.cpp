// The kiosk's way to its hub for the updater's status (hub_link/event_delivery.h): started beside
// the event uploader with the same hub and token, the status read at most every few seconds
// however often the frame loop offers it, and the hub's fleet report showing what the kiosk
// said.
#include "hub_link/event_delivery.h"
#include "updates/update_status.h"
#include "temporary_folder.h"

#include "pavilion/hub/server.h"
#include "pavilion/hub/store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace pavilion::kiosk {
namespace {

using pavilion::testing::TemporaryFolder;

TEST(KioskStatusReport, TheUpdatersStatusReachesTheHubReadAtMostEveryFewSeconds) {
  TemporaryFolder folder;
  auto store = hub::open_store((folder / "hub.sqlite").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  hub::HubConfig hub_config;
  hub_config.port = 0;
  hub_config.retention_days = 0;
  auto server = hub::HubServer::start(hub_config, std::move(store).value());
  ASSERT_TRUE(server.ok()) << server.error().describe();
  auto token = hub::enrol_device((*server)->store(), "kiosk-1", {"branch-12", false});
  ASSERT_TRUE(token.ok());
  std::ofstream(folder / "token") << *token << "\n";

  KioskConfig config;
  config.telemetry_queue = folder / "queue.sqlite";
  config.hub = HubLink{.device_id = "kiosk-1", .url = (*server)->url(), .token_file = folder / "token"};
  std::vector<std::string> notes;
  auto delivery = EventDelivery::start(config, [&](std::string line) { notes.push_back(std::move(line)); });
  ASSERT_NE(delivery->status_reporter(), nullptr) << (notes.empty() ? "" : notes.front());

  UpdateStatus status;
  status.packages = {{"lantern", "1", "showing", ""}, {"festival", "1", "staged", "switches 2027-01-28T08:00"}};
  status.targets_version = 3;
  status.last_result = "ok";
  int reads = 0;
  delivery->report_status([&] {
    ++reads;
    return status;
  });
  for (int frame = 0; frame < 100; ++frame) {
    delivery->report_status([&] {
      ++reads;
      return UpdateStatus{};
    });
  }
  EXPECT_EQ(reads, 1) << "read every frame";

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::vector<hub::FleetKiosk> fleet;
  while (std::chrono::steady_clock::now() < deadline) {
    auto read = (*server)->store().fleet();
    ASSERT_TRUE(read.ok()) << read.error().describe();
    fleet = std::move(read).value();
    if (fleet.size() == 1 && fleet[0].reported_ms != 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0].device_id, "kiosk-1");
  EXPECT_EQ(fleet[0].branch, "branch-12");
  EXPECT_EQ(fleet[0].status, status) << delivery->status_reporter()->stats().last_error;
}

}  // namespace
}  // namespace pavilion::kiosk
