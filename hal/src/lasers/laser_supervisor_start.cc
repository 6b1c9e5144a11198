// The laser-safety core meeting a module: at open (adopt what runs, or darken it), when a
// module answers again after removal, and, for an observer, each time it looks. The module holds
// what must outlive any one process: lane enables, fibre-checked flags and the lane -> fibre map
// (so sparing survives a restart of the owner).
#include <fmt/format.h>

#include <map>

#include "lasers/lane_banks.h"
#include "lasers/laser_supervisor.h"

namespace cpo::hal {

bool LaserSupervisor::AdoptModuleFiberMap(int source_index) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  const platform::LaserSourceConfig& config = *source.config;
  // A whole map only: every fibre of the source fed by exactly one lane, no unknown fibre.
  std::map<int, int> lane_of_fiber;
  for (int lane = 1; lane <= config.lanes; ++lane) {
    const int fiber = source.lanes[static_cast<size_t>(lane - 1)].status.fiber;
    if (fiber == 0) continue;
    if (fiber > config.fibers || lane_of_fiber.contains(fiber)) return false;
    lane_of_fiber[fiber] = lane;
  }
  for (const auto& fiber : platform_.fibers) {
    if (fiber.source == config.name && !lane_of_fiber.contains(fiber.fiber)) return false;
  }
  const platform::Topology defaults(platform_);
  for (int lane = 1; lane <= config.lanes; ++lane) {
    (void)topology_.SetFiberOfLane(config.name, lane,
                                   source.lanes[static_cast<size_t>(lane - 1)].status.fiber);
  }
  // A lane whose fibre another lane now lights was retired by an owner that spared it.
  for (int lane = 1; lane <= config.lanes; ++lane) {
    Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    const int home = defaults.FiberOfLane(config.name, lane);
    auto spare = lane_of_fiber.find(home);
    if (home == 0 || state.status.fiber != 0 || spare == lane_of_fiber.end()) continue;
    state.phase = LaserLanePhase::kRetired;
    state.requested = false;
    state.reason =
        fmt::format("its fibre {} is lit by spare lane {} (the module's lane-to-fibre map)", home,
                    spare->second);
    source.lanes[static_cast<size_t>(spare->second - 1)].spare_for = lane;
  }
  return true;
}

void LaserSupervisor::ObservePhases(int source_index) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  (void)AdoptModuleFiberMap(source_index);
  for (Lane& lane : source.lanes) {
    if (lane.phase == LaserLanePhase::kRetired) continue;
    const LaserLaneStatus& status = lane.status;
    if (!status.enabled) {
      lane.phase = LaserLanePhase::kOff;
    } else if (!status.fiber_checked) {
      lane.phase = LaserLanePhase::kChecking;
    } else {
      lane.phase = status.state == LaserLaneState::kOn ? LaserLanePhase::kOperating
                                                       : LaserLanePhase::kVerifying;
    }
    lane.requested = status.enabled;
    lane.operating_mw = status.enabled ? status.power_setpoint_mw : lane.operating_mw;
  }
}

Status LaserSupervisor::Initialize(int source_index, LaserStartPolicy policy) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  source.identity.reset();
  auto caps = source.backend->ReadCapabilities();
  if (!caps.ok()) return caps.status();
  source.caps = *caps;
  source.ready_seen = false;
  const int banks = (source.config->lanes + kLanesPerBank - 1) / kLanesPerBank;
  const auto now = clock_.Now();
  for (int bank = 0; bank < banks; ++bank) {
    CPO_ASSIGN_OR_RETURN(auto read, source.backend->ReadLanes(bank));
    for (const LaserLaneStatus& status : read) {
      source.lanes[static_cast<size_t>(status.lane - 1)].status = status;
    }
  }
  // Sparing lives in the module's map: a process that starts takes it (a re-inserted module
  // gets this process's map written instead, below).
  const bool map_adopted = policy != LaserStartPolicy::kAllOff && AdoptModuleFiberMap(source_index);
  if (policy == LaserStartPolicy::kObserve) {
    ObservePhases(source_index);
    return Status::Ok();
  }
  source.input_cache.clear();
  source.vdm_live.clear();
  for (int index = 1; index <= source.config->lanes; ++index) {
    Lane& lane = source.lanes[static_cast<size_t>(index - 1)];
    const LaserLaneStatus& status = lane.status;
    // A dark lane's setpoint register holds its operating power (the core puts it back after
    // every check); a value at or below the check setpoint is a check interrupted mid-way, so
    // the middle of the source's warning window stands in.
    const bool setpoint_is_operating = status.power_setpoint_mw > caps->fiber_check_setpoint_mw;
    if (lane.operating_mw <= 0) {
      lane.operating_mw = setpoint_is_operating
                              ? status.power_setpoint_mw
                              : (caps->power_mw.low_warning + caps->power_mw.high_warning) / 2;
    }
    lane.power_written_mw = status.power_setpoint_mw;
    lane.bias_setpoint_ma = status.bias_setpoint_ma;
    const int fiber = topology_.FiberOfLane(source.config->name, index);
    const bool lit_and_checked = status.enabled && status.fiber_checked &&
                                 status.state == LaserLaneState::kOn && fiber != 0 &&
                                 status.fiber == fiber && setpoint_is_operating;
    bool adopt = false;
    if (policy == LaserStartPolicy::kAdoptChecked && lit_and_checked) {
      // Kept only if its engines receive its light within the fibre's loss budget now.
      FiberCheckResult check = Measure(source_index, index, status.power_mw);
      adopt = check.passed;
      if (!adopt) lane.reason = "found lit at start but not verified (" + check.detail + ")";
      lane.last_check = std::move(check);
    }
    lane.enable_written = adopt;
    lane.checked_written = adopt;
    if (adopt) {
      lane.phase = LaserLanePhase::kOperating;
      lane.requested = true;
      lane.operating_mw = status.power_setpoint_mw;
      lane.last_healthy = now;
    } else if (lane.phase != LaserLanePhase::kRetired) {
      lane.phase = LaserLanePhase::kOff;
      // Something lit that this process cannot vouch for goes dark and is checked again.
      if (policy == LaserStartPolicy::kAdoptChecked && status.enabled && fiber != 0) {
        lane.requested = true;
      }
    }
  }
  // Dark first (enables, then fibre-checked flags), then the map and the check setpoints. An
  // adopted lane is written as it already is.
  for (int bank = 0; bank < banks; ++bank) CPO_RETURN_IF_ERROR(WriteEnables(source, bank));
  for (int bank = 0; bank < banks; ++bank) CPO_RETURN_IF_ERROR(WriteChecked(source, bank));
  if (!map_adopted) {
    for (int bank = 0; bank < banks; ++bank) CPO_RETURN_IF_ERROR(WriteFiberMap(source, bank));
  }
  // Dark lanes keep their operating setpoints: the check setpoint goes in only while a check
  // runs (StartChecks), always before the enable.
  return source.backend->SetLowPower(false);
}

}  // namespace cpo::hal
