// PortService: the switch's logical ports, the HAL core's port service behind Device's port calls.
// It owns the port block's state (breakouts it cannot store, each port's last link, the owner's
// recovery of admin-up ports, bring-up progress) and sequences a port's path: lasers (through the
// laser-safety core), host SerDes, engine data paths (the optics sequencer), links. What it uses
// of the rest of the HAL comes in through PortServiceDeps, so it can be driven by fakes.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cpo/clock.h"
#include "cpo/hal/backend/serdes_backend.h"
#include "cpo/hal/data_path_bringup.h"
#include "cpo/hal/events.h"
#include "cpo/hal/laser_source.h"
#include "cpo/hal/optical_engine.h"
#include "cpo/hal/owner/role.h"
#include "cpo/hal/port.h"
#include "cpo/platform/platform.h"

namespace cpo::hal {

class BringUpTracker;
class PortRecovery;

// The rest of the HAL, as the port service calls it.
struct PortServiceDeps {
  std::function<Result<OpticalEngine*>(std::string_view)> find_engine;
  std::function<Result<LaserSource*>(std::string_view)> find_laser;
  // Lights and fibre-checks lanes of many sources at once (Device::EnableLasers).
  std::function<Status(const std::vector<platform::LaserLane>&)> enable_lasers;
  // The optics sequencer (Device::BringUpDataPaths).
  std::function<BringUpReport(const std::vector<DataPathRequest>&, const BringUpOptions&)>
      bring_up_data_paths;
  std::function<BusCounters()> bus_counters;
};

class PortService {
 public:
  // Everything referenced outlives the service (the Device owns it all). serdes may be null (a
  // platform without a port block: ports stop at the optics). changes serializes what changes
  // ports and lasers, shared with the Device's laser calls.
  PortService(const platform::Platform& platform, Clock& clock, SerdesBackend* serdes,
              ProcessRole role, RecoveryOptions recovery, std::recursive_mutex& changes,
              PortServiceDeps deps);
  ~PortService();
  PortService(const PortService&) = delete;
  PortService& operator=(const PortService&) = delete;

  // Device's port calls (device.h says what each does).
  std::vector<platform::SubPort> Ports() const;
  Result<std::vector<platform::SubPort>> SelectPorts(std::string_view name) const;
  std::vector<PortStatus> PortStates(const std::vector<platform::SubPort>& ports);
  Status SetPortBreakout(std::string_view front_panel_port, std::string_view mode);
  Status SetPortPrbs(const std::vector<platform::SubPort>& ports, PortPrbsMode mode,
                     PrbsPattern pattern);
  Status SetPortLoopback(const std::vector<platform::SubPort>& ports, PortLoopback loopback);
  Result<std::vector<PortPrbsResult>> PortPrbsResults(const std::vector<platform::SubPort>& ports);
  Status ClearPortCounters(const std::vector<platform::SubPort>& ports);
  PortBringUpReport BringUpPorts(const std::vector<platform::SubPort>& ports,
                                 const BringUpOptions& options);
  PortBringUpReport BringDownPorts(const std::vector<platform::SubPort>& ports);
  PortsProgress Progress() const;

  // Ports whose link (every lane PCS locked) changed since the last poll; the first poll only
  // records where each port stands. Feeds the owner's recovery (an admin-up port that lost its
  // own path).
  std::vector<Event> PortLinkEvents();
  // The owner's recovery attempts that are due; their events (none for an observer).
  std::vector<Event> RecoverPorts();

 private:
  // The rest of the HAL (PortServiceDeps), under the names the Device gives them.
  Result<OpticalEngine*> FindOpticalEngine(std::string_view name) const;
  Result<LaserSource*> FindLaserSource(std::string_view name) const;
  Status EnableLasers(const std::vector<platform::LaserLane>& lanes);
  BringUpReport BringUpDataPaths(const std::vector<DataPathRequest>& requests,
                                 const BringUpOptions& options);
  BusCounters TotalBusCounters() const;

  // The SerDes port block holding a front-panel port's breakout (-1: none), the breakout in
  // force, the SerDes stage of a port's path (fills status.lanes), and writes of lane
  // configurations (each lane's config changed by `change`).
  int SerdesBlockOf(const platform::PortConfig& port) const;
  // The lanes lighting the fibres of `lasers` now: a spare that took over a failed lane's fibre
  // stands in for it.
  std::vector<platform::LaserLane> ServingLasers(
      const std::vector<platform::LaserLane>& lasers) const;
  platform::BreakoutMode BreakoutOf(const platform::PortConfig& port) const;
  PortStageState SerdesStage(const platform::SubPort& port, PortStatus& status);
  // The laser stage of a port lit by `lasers_of_port`: every lane (or the spare standing in for
  // it) operating and its module reporting no fault. `laser_reports` caches each source's lanes:
  // read from the modules when `fresh`, else the safety core's current view.
  PortStageState LaserStage(const std::vector<platform::LaserLane>& lasers_of_port,
                            std::map<std::string, std::vector<LaserLaneReport>>& laser_reports,
                            bool fresh);
  Status UpdateSerdesLanes(const std::vector<platform::SubPort>& ports,
                           const std::function<void(SerdesLaneConfig&)>& change);
  // Waits until every port's lanes are PCS locked or `timeout` passes; the ports still down.
  std::vector<size_t> WaitForLinks(const std::vector<platform::SubPort>& ports,
                                   const BringUpOptions& options);

  const platform::Platform& platform_;
  Clock* clock_;
  SerdesBackend* serdes_;
  ProcessRole role_;
  std::recursive_mutex& changes_mutex_;
  PortServiceDeps deps_;
  // Breakouts of front-panel ports the SerDes block cannot store (no block, or lanes not one
  // whole port block): front-panel port -> its mode.
  std::map<std::string, platform::BreakoutMode> breakouts_;
  std::map<std::string, bool> link_up_;  // logical port -> its link as last polled
  mutable std::mutex serdes_mutex_;
  std::mutex recovery_mutex_;
  std::unique_ptr<PortRecovery> recovery_;
  std::unique_ptr<BringUpTracker> progress_;
};

}  // namespace cpo::hal
