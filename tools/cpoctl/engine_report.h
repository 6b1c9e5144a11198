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
  std::optional<hal::EngineAdvertising> advertising;  // what the module says it supports
  std::optional<hal::ModuleMonitors> module;
  std::vector<hal::LaneMonitors> lanes;
  std::optional<hal::EngineThresholds> thresholds;
  std::vector<hal::FlagRecord> flags;  // every flag these reads returned
};

// Which parts of an engine to read and show.
struct EngineSections {
  bool lanes = true;
  bool flags = false;
  bool thresholds = false;
};

EngineReport CollectEngine(hal::OpticalEngine& engine, int index, const EngineSections& sections);

nlohmann::json EngineJson(const EngineReport& report);
std::string EngineSummaryTable(const std::vector<EngineReport>& reports);
std::string EngineDetailText(const EngineReport& report, const EngineSections& sections);

}  // namespace cpo::cpoctl
