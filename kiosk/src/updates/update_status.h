// What a kiosk's updater says about itself: each package's state, the metadata versions it
// trusts, its disk and its last check. The operator screen shows it and the kiosk reports it to
// its hub (the fleet report), so it is plain data, copied out under the updater's lock. The
// types live with their wire format in engine/telemetry (device_status.h), which the hub reads
// too; here they keep the kiosk's names.
#pragma once

#include "pavilion/telemetry/device_status.h"

namespace pavilion::kiosk {

using PackageStatus = telemetry::PackageStatus;
using UpdateStatus = telemetry::UpdateStatus;

}  // namespace pavilion::kiosk
