// A telemetry snapshot: every monitor and flag of every engine, read in one sweep.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cpo/hal/backend/bus_statistics.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/status.h"

namespace cpo::hal {

struct EngineTelemetry {
  std::string name;
  Status error;  // the read that failed; module and lanes are then partial
  ModuleMonitors module;
  std::vector<LaneMonitors> lanes;
};

struct TelemetrySnapshot {
  std::chrono::nanoseconds started{0};   // device time at the start of the sweep
  std::chrono::nanoseconds finished{0};  // and at its end
  std::vector<EngineTelemetry> engines;
  BusCounters cost;  // what the sweep put on the management buses
};

}  // namespace cpo::hal
