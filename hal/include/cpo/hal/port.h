// Ports as a NOS sees them: the logical ports a front-panel port's breakout makes, each with the
// stages of its path (laser lanes lit and fibre-checked, engine data paths Activated, switch
// SerDes) and a bring-up that drives every stage for many ports at once.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cpo/hal/backend/bus_statistics.h"
#include "cpo/hal/serdes_types.h"
#include "cpo/platform/breakout.h"
#include "cpo/platform/topology.h"
#include "cpo/status.h"

namespace cpo::hal {

// How far a port's path is up, stage by stage, in bring-up order.
enum class PortStage : uint8_t { kLasers, kDataPath, kSerdes };
std::string_view PortStageName(PortStage stage);  // "lasers", "datapath", "serdes"

struct PortStageState {
  PortStage stage = PortStage::kLasers;
  bool up = false;
  std::string detail;  // "2 of 2 lasers operating", "8 lanes Activated (AppSel 1)", ...
};

// The electrical lane rate a logical port's speed needs (speed / lanes).
Result<SerdesLaneRate> SerdesLaneRateOf(const platform::SubPort& port);

// One lane of a port's path, switch to fibre: the lane path query.
struct PortLaneState {
  int host_lane = 0;                         // switch SerDes lane (0-based)
  int engine_lane = 0;                       // engine lane (1-based)
  std::optional<platform::LaserLane> laser;  // the laser lane lighting it
  std::string far_end;  // "eth32 lane 256" over the cable, "loopback plug", or "" (nothing)
  SerdesLaneConfig serdes;
  SerdesLaneStatus receiver;
};

struct PortStatus {
  platform::SubPort port;  // name, front-panel port, speed, host and engine lanes
  std::string engine;
  std::vector<platform::LaserLane> lasers;  // the laser lanes lighting its engine lanes
  std::vector<PortStageState> stages;       // one per PortStage, in order
  std::vector<PortLaneState> lanes;         // per lane, in the port's lane order
  bool admin_up = false;                    // every SerDes lane's transmitter enabled
  // Oper state: up only when every stage is. The reason names the first stage that is not.
  bool oper_up = false;
  std::string reason;
};

// How the owner brings back admin-up ports that lost their link (an engine reset or fault, a
// laser module pulled and re-inserted, a fibre cut and repaired, a peer port returning): the
// first attempt at the next poll that sees the link down, then after first_delay, doubling up
// to max_delay, at most max_attempts in all (a port-recovery event each; the last keeps the
// reason). Only ports whose SerDes transmitters are on (admin up) are tried.
struct RecoveryOptions {
  bool enabled = true;
  int max_attempts = 20;
  std::chrono::nanoseconds first_delay = std::chrono::milliseconds(500);
  std::chrono::nanoseconds max_delay = std::chrono::seconds(4);
};

struct PortOutcome {
  std::string port;
  Status status;  // the stage that failed and why ("datapath: ..."); the port is `port`
};

struct PortBringUpReport {
  std::chrono::nanoseconds started{0};  // device time
  std::chrono::nanoseconds lasers_done{0};
  std::chrono::nanoseconds finished{0};
  std::vector<PortOutcome> outcomes;  // in request order
  BusCounters cost;
  bool ok() const {
    for (const auto& outcome : outcomes) {
      if (!outcome.status.ok()) return false;
    }
    return true;
  }
};

// Where the owner's port bring-up or bring-down stands (Device::Progress), for observers and
// operators waiting on it: the one running now, else the last one finished.
struct PortsProgress {
  bool running = false;
  std::string operation;  // "port.up", "port.down"
  int ports = 0;
  // "lasers", "serdes", "datapath", "link" while running; "done" after.
  std::string stage;
  std::chrono::nanoseconds started{0};        // device time
  std::chrono::nanoseconds stage_started{0};  // device time
  std::chrono::nanoseconds finished{0};       // 0 while running
  // The data paths of the "datapath" stage of a bring-up: how many, and how many are done
  // (Activated or failed).
  int data_paths = 0;
  int data_paths_done = 0;
  int ports_ok = 0;  // of the finished operation
  int ports_failed = 0;
};

// Host-side PRBS results of one port lane (SAI_PORT_ATTR_PRBS_RX_STATE and its error count).
struct PortPrbsLane {
  int host_lane = 0;
  bool checking = false;
  PrbsPattern pattern = PrbsPattern::kPrbs31Q;
  bool locked = false;
  uint64_t bits = 0;
  uint64_t errors = 0;
  double ber() const {
    return bits == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(bits);
  }
};

struct PortPrbsResult {
  std::string port;
  std::vector<PortPrbsLane> lanes;
};

}  // namespace cpo::hal
