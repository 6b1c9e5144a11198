// Reports of optical engines for cpoctl: collected once from the HAL, rendered as JSON
// (docs/cpoctl-json.md) or as tables for people.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cpo/hal/device.h"

namespace cpo::cpoctl {

struct EngineReport {
  int index = 0;
  const platform::OpticalEngineConfig* config = nullptr;
  Status error;  // first read that failed; the fields below are then partial
  std::optional<hal::EngineIdentity> identity;
  std::optional<hal::ModuleMonitors> module;
  std::vector<hal::LaneMonitors> lanes;
};

// with_lanes: also read every lane's monitors (a page read per bank).
EngineReport CollectEngine(hal::OpticalEngine& engine, int index, bool with_lanes);

nlohmann::json EngineJson(const EngineReport& report);
std::string EngineSummaryTable(const std::vector<EngineReport>& reports);
std::string EngineDetailText(const EngineReport& report);

}  // namespace cpo::cpoctl
