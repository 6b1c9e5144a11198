// Device: logical ports (breakouts), their path state stage by stage, and port bring-up.
#include "ports/port_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "ports/bringup_progress.h"
#include "ports/port_recovery.h"

namespace cpo::hal {
namespace {

// The engine application whose host lane count is the port's lane count.
Result<int> AppSelFor(OpticalEngine& engine, int lanes) {
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, engine.Advertising());
  for (const Application& app : advertising.applications) {
    if (app.host_lanes == lanes) return app.app_sel;
  }
  return Status(StatusCode::kNotSupported,
                fmt::format("{} advertises no application on {} host lanes", engine.name(), lanes));
}

// The laser lanes lighting `port`'s engine lanes, each once.
std::vector<platform::LaserLane> LasersOf(const platform::Topology& topology,
                                          const platform::SubPort& port) {
  std::vector<platform::LaserLane> lasers;
  auto map = topology.MapOfPort(port.port);
  if (!map.ok()) return lasers;
  for (const auto& lane : map->lanes) {
    const bool ours = std::find(port.engine_lanes.begin(), port.engine_lanes.end(),
                                lane.engine_lane.lane) != port.engine_lanes.end();
    if (ours && lane.laser &&
        std::find(lasers.begin(), lasers.end(), *lane.laser) == lasers.end()) {
      lasers.push_back(*lane.laser);
    }
  }
  return lasers;
}

}  // namespace

PortService::PortService(const platform::Platform& platform, Clock& clock, SerdesBackend* serdes,
                         ProcessRole role, RecoveryOptions recovery, std::recursive_mutex& changes,
                         PortServiceDeps deps)
    : platform_(platform),
      clock_(&clock),
      serdes_(serdes),
      role_(role),
      changes_mutex_(changes),
      deps_(std::move(deps)),
      recovery_(std::make_unique<PortRecovery>(recovery)),
      progress_(std::make_unique<BringUpTracker>()) {}

PortService::~PortService() = default;

PortsProgress PortService::Progress() const { return progress_->Now(); }

Result<OpticalEngine*> PortService::FindOpticalEngine(std::string_view name) const {
  return deps_.find_engine(name);
}

Result<LaserSource*> PortService::FindLaserSource(std::string_view name) const {
  return deps_.find_laser(name);
}

Status PortService::EnableLasers(const std::vector<platform::LaserLane>& lanes) {
  return deps_.enable_lasers(lanes);
}

BringUpReport PortService::BringUpDataPaths(const std::vector<DataPathRequest>& requests,
                                            const BringUpOptions& options) {
  return deps_.bring_up_data_paths(requests, options);
}

BusCounters PortService::TotalBusCounters() const { return deps_.bus_counters(); }

std::vector<platform::LaserLane> PortService::ServingLasers(
    const std::vector<platform::LaserLane>& lasers) const {
  std::vector<platform::LaserLane> serving;
  serving.reserve(lasers.size());
  for (const auto& laser : lasers) {
    platform::LaserLane lane = laser;
    auto source = FindLaserSource(laser.source);
    auto reports = source.ok() ? (*source)->Lanes() : Status(StatusCode::kNotFound, "");
    if (reports.ok()) {
      for (const auto& report : *reports) {
        if (report.spare_for == laser.lane) lane.lane = report.status.lane;
      }
    }
    serving.push_back(lane);
  }
  return serving;
}

std::string_view PortStageName(PortStage stage) {
  switch (stage) {
    case PortStage::kLasers:
      return "lasers";
    case PortStage::kDataPath:
      return "datapath";
    case PortStage::kSerdes:
      return "serdes";
  }
  return "unknown";
}

int PortService::SerdesBlockOf(const platform::PortConfig& port) const {
  if (!serdes_) return -1;
  const int per_block = serdes_->lanes_per_port();
  const auto lanes = static_cast<int>(port.host_lanes.size());
  if (lanes != per_block || port.host_lanes.front() % per_block != 0) return -1;
  for (int i = 1; i < lanes; ++i) {
    if (port.host_lanes[static_cast<size_t>(i)] != port.host_lanes.front() + i) return -1;
  }
  return port.host_lanes.front() / per_block;
}

platform::BreakoutMode PortService::BreakoutOf(const platform::PortConfig& port) const {
  const int lanes = static_cast<int>(port.engine_lanes.size());
  if (const int block = SerdesBlockOf(port); block >= 0) {
    std::lock_guard lock(serdes_mutex_);
    auto sub_ports = serdes_->ReadBreakout(block);
    if (sub_ports.ok() && *sub_ports > 0 && lanes % *sub_ports == 0) {
      return {*sub_ports, lanes / *sub_ports * 100};
    }
  }
  if (auto found = breakouts_.find(port.name); found != breakouts_.end()) return found->second;
  if (!port.breakout.empty()) {
    auto parsed = platform::ParseBreakoutMode(port.breakout, lanes);
    if (parsed.ok()) return *parsed;
  }
  return {1, lanes * 100};
}

std::vector<platform::SubPort> PortService::Ports() const {
  std::vector<platform::SubPort> ports;
  for (const auto& port : platform_.ports) {
    auto subs = platform::SubPortsOf(port, BreakoutOf(port));
    if (!subs.ok()) continue;
    for (auto& sub : *subs) ports.push_back(std::move(sub));
  }
  return ports;
}

Result<std::vector<platform::SubPort>> PortService::SelectPorts(std::string_view name) const {
  std::vector<platform::SubPort> selected;
  for (auto& port : Ports()) {
    if (name == "all" || port.name == name || port.port == name) selected.push_back(port);
  }
  if (selected.empty()) {
    return Status(StatusCode::kNotFound,
                  fmt::format("no port '{}' in platform {} (ports are named like '{}'; 'all' "
                              "selects every port)",
                              name, platform_.name,
                              platform_.ports.empty() ? "eth0" : platform_.ports.front().name));
  }
  return selected;
}

PortStageState PortService::LaserStage(
    const std::vector<platform::LaserLane>& lasers_of_port,
    std::map<std::string, std::vector<LaserLaneReport>>& laser_reports, bool fresh) {
  PortStageState lasers{PortStage::kLasers, true, ""};
  int operating = 0;
  std::string not_operating;
  for (const auto& laser : lasers_of_port) {
    auto source = FindLaserSource(laser.source);
    if (!source.ok()) continue;
    if (!laser_reports.contains(laser.source)) {
      // Fresh from the modules for a status query; the core's own view (no bus access) right
      // after it ran the lanes' checks.
      auto reports = fresh ? (*source)->Lanes() : (*source)->Reports();
      laser_reports[laser.source] = reports.ok() ? *reports : std::vector<LaserLaneReport>{};
    }
    const auto& reports = laser_reports[laser.source];
    const auto index = static_cast<size_t>(laser.lane - 1);
    // Operating as the safety core has it and as the module reports it now: a process that
    // only observes (cpoctl beside the NOS) sees a lane's fault before any supervisor acts.
    auto serving = [](const LaserLaneReport& report) {
      return report.phase == LaserLanePhase::kOperating && !report.status.fault;
    };
    // A failed lane whose fibre a spare took over is served by the spare.
    const bool spared =
        std::any_of(reports.begin(), reports.end(), [&](const LaserLaneReport& report) {
          return report.spare_for == laser.lane && serving(report);
        });
    if (spared || (index < reports.size() && serving(reports[index]))) {
      ++operating;
    } else if (not_operating.empty() && index < reports.size() &&
               reports[index].phase == LaserLanePhase::kOperating) {
      const LaserLaneStatus& lane = reports[index].status;
      not_operating = fmt::format(
          "{} lane {} reports a fault (code {}): {:.2f} of {:.2f} mW at {:.1f} mA", laser.source,
          laser.lane, lane.fault_code, lane.power_mw, lane.power_setpoint_mw, lane.bias_ma);
    } else if (not_operating.empty()) {
      not_operating = fmt::format(
          "{} lane {} {}{}", laser.source, laser.lane,
          index < reports.size() ? LaserLanePhaseName(reports[index].phase) : "unreadable",
          index < reports.size() && !reports[index].reason.empty() ? ": " + reports[index].reason
                                                                   : "");
    }
  }
  lasers.up = operating == static_cast<int>(lasers_of_port.size());
  lasers.detail = lasers.up
                      ? fmt::format("{} of {} lasers operating", operating, lasers_of_port.size())
                      : not_operating;
  return lasers;
}

std::vector<PortStatus> PortService::PortStates(const std::vector<platform::SubPort>& ports) {
  const platform::Topology topology(platform_);
  std::map<std::string, std::vector<LaserLaneReport>> laser_reports;  // read once per source
  std::vector<PortStatus> states;
  for (const auto& port : ports) {
    PortStatus status;
    status.port = port;
    const platform::PortConfig* config = platform_.FindPort(port.port);
    status.engine = config != nullptr ? config->engine : "";
    status.lasers = LasersOf(topology, port);

    const PortStageState lasers = LaserStage(status.lasers, laser_reports, /*fresh=*/true);

    PortStageState data_path{PortStage::kDataPath, false, ""};
    auto engine = FindOpticalEngine(status.engine);
    if (!engine.ok()) {
      data_path.detail = engine.status().message();
    } else {
      auto app = AppSelFor(**engine, static_cast<int>(port.engine_lanes.size()));
      auto paths = (*engine)->DataPathsOf(port.engine_lanes);
      if (!app.ok() || !paths.ok()) {
        data_path.detail = !app.ok() ? app.status().message() : paths.status().message();
      } else {
        data_path.up = true;
        for (const auto& lane : *paths) {
          if (lane.state != DataPathState::kActivated || lane.app_sel != *app) {
            data_path.up = false;
            data_path.detail =
                fmt::format("{} lane {} {} (AppSel {}, wanted {})", status.engine, lane.lane,
                            DataPathStateName(lane.state), lane.app_sel, *app);
            break;
          }
        }
        if (data_path.up) {
          data_path.detail =
              fmt::format("{} lanes Activated (AppSel {})", port.engine_lanes.size(), *app);
        }
      }
    }
    PortStageState serdes = SerdesStage(port, status);
    status.stages = {lasers, data_path, serdes};
    status.oper_up = lasers.up && data_path.up && serdes.up;
    for (const auto& stage : status.stages) {
      if (!stage.up) {
        status.reason = fmt::format("{}: {}", PortStageName(stage.stage), stage.detail);
        break;
      }
    }
    states.push_back(std::move(status));
  }
  return states;
}

namespace {

// Bring-up outcomes to the operator's log (component "hal"; silent unless configured).
void LogOutcomes(const char* what, const PortBringUpReport& report) {
  auto logger = spdlog::get("cpo.hal");
  if (!logger) return;
  size_t ok = 0;
  for (const auto& outcome : report.outcomes) {
    if (outcome.status.ok()) {
      ++ok;
    } else {
      logger->warn("port {}: not {}: {}", outcome.port, what, outcome.status.message());
    }
  }
  logger->info(
      "{} of {} port(s) {} in {} ms of device time", ok, report.outcomes.size(), what,
      std::chrono::duration_cast<std::chrono::milliseconds>(report.finished - report.started)
          .count());
}

}  // namespace

PortBringUpReport PortService::BringUpPorts(const std::vector<platform::SubPort>& ports,
                                            const BringUpOptions& options) {
  std::lock_guard changes(changes_mutex_);
  {
    std::lock_guard lock(recovery_mutex_);
    for (const auto& port : ports) recovery_->AdminUp(port.name);
  }
  PortBringUpReport report;
  const BusCounters before = TotalBusCounters();
  report.started = clock_->Now();
  progress_->Start("port.up", static_cast<int>(ports.size()), report.started);
  progress_->Stage("lasers", report.started);
  const platform::Topology topology(platform_);
  // Stage 1: every laser lane of every port, all sources at once.
  std::vector<platform::LaserLane> lasers;
  for (const auto& port : ports) {
    for (const auto& laser : LasersOf(topology, port)) {
      if (std::find(lasers.begin(), lasers.end(), laser) == lasers.end()) lasers.push_back(laser);
    }
  }
  const Status lit = lasers.empty() ? Status::Ok() : EnableLasers(lasers);
  report.lasers_done = clock_->Now();
  // Which ports have light, as the safety core has just found it (no further bus reads).
  std::map<std::string, std::vector<LaserLaneReport>> laser_reports;
  std::vector<PortStageState> laser_stages;
  laser_stages.reserve(ports.size());
  for (const auto& port : ports) {
    laser_stages.push_back(LaserStage(LasersOf(topology, port), laser_reports, /*fresh=*/false));
  }
  // Stage 2: the data paths of the ports whose lasers are all operating, all engines at once.
  std::vector<DataPathRequest> requests;
  std::vector<size_t> request_port;
  report.outcomes.resize(ports.size());
  for (size_t i = 0; i < ports.size(); ++i) {
    report.outcomes[i].port = ports[i].name;
    if (!laser_stages[i].up) {
      // Only what went wrong with this port's own lanes, and unreachable when they did not
      // answer at all.
      std::string own;
      for (const auto& laser : LasersOf(topology, ports[i])) {
        const std::string lane = fmt::format("{} lane {} ", laser.source, laser.lane);
        for (size_t at = lit.message().find(lane); at != std::string::npos;
             at = lit.message().find(lane, at + 1)) {
          if (at != 0 && lit.message().compare(at - 2, 2, "; ") != 0) continue;
          const size_t end = lit.message().find("; ", at);
          own += (own.empty() ? "" : "; ") + lit.message().substr(at, end - at);
        }
      }
      report.outcomes[i].status = Status(
          lit.code() == StatusCode::kUnavailable ? StatusCode::kUnavailable
                                                 : StatusCode::kFailedPrecondition,
          fmt::format("lasers: {}{}", laser_stages[i].detail, own.empty() ? "" : " (" + own + ")"));
      continue;
    }
    const platform::PortConfig* config = platform_.FindPort(ports[i].port);
    const std::string engine_name = config != nullptr ? config->engine : "";
    auto engine = FindOpticalEngine(engine_name);
    if (!engine.ok()) {
      report.outcomes[i].status = engine.status();
      continue;
    }
    auto app = AppSelFor(**engine, static_cast<int>(ports[i].engine_lanes.size()));
    if (!app.ok()) {
      report.outcomes[i].status = app.status().WithContext("datapath");
      continue;
    }
    requests.push_back({engine_name, ports[i].engine_lanes.front(), *app});
    request_port.push_back(i);
  }
  // Stage 2: host Tx ready — the SerDes transmitters of those ports on at their lane rate, in
  // traffic mode, before the engines start their data paths.
  progress_->Stage("serdes", clock_->Now());
  std::vector<platform::SubPort> ready;
  ready.reserve(request_port.size());
  for (size_t i : request_port) ready.push_back(ports[i]);
  for (size_t r = 0; serdes_ && r < ready.size(); ++r) {
    auto rate = SerdesLaneRateOf(ready[r]);
    const Status status = rate.ok() ? UpdateSerdesLanes({ready[r]},
                                                        [&](SerdesLaneConfig& lane) {
                                                          lane.tx_enabled = true;
                                                          lane.rate = *rate;
                                                          lane.loopback = PortLoopback::kNone;
                                                          lane.generator = lane.checker = false;
                                                        })
                                    : rate.status();
    if (!status.ok()) {
      report.outcomes[request_port[r]].status = status.WithContext("serdes");
    }
  }
  // Stage 3: the data paths, all engines at once.
  progress_->Stage("datapath", clock_->Now());
  progress_->DataPaths(static_cast<int>(requests.size()), 0);
  if (!requests.empty()) {
    BringUpOptions tracked = options;
    tracked.on_progress = [this, &options](const BringUpProgress& step) {
      progress_->DataPaths(static_cast<int>(step.total),
                           static_cast<int>(step.activated + step.failed));
      if (options.on_progress) options.on_progress(step);
    };
    const BringUpReport data_paths = BringUpDataPaths(requests, tracked);
    for (size_t r = 0; r < data_paths.outcomes.size(); ++r) {
      const Status& status = data_paths.outcomes[r].status;
      if (!status.ok()) {
        report.outcomes[request_port[r]].status =
            Status(status.code(), fmt::format("datapath: {}", status.message()));
      }
    }
  }
  // Stage 4: the links — every lane of every port PCS locked, up to the link timeout.
  progress_->Stage("link", clock_->Now());
  std::vector<platform::SubPort> linking;
  std::vector<size_t> linking_port;
  for (size_t i = 0; i < ports.size(); ++i) {
    if (report.outcomes[i].status.ok()) {
      linking.push_back(ports[i]);
      linking_port.push_back(i);
    }
  }
  for (size_t k : WaitForLinks(linking, options)) {
    PortStatus status;
    const PortStageState stage = SerdesStage(linking[k], status);
    // The operation failed (exit 1 in cpoctl), not the device: the path does not carry a link.
    report.outcomes[linking_port[k]].status = Status(
        StatusCode::kFailedPrecondition,
        fmt::format(
            "link not up after {} ms: serdes: {}",
            std::chrono::duration_cast<std::chrono::milliseconds>(options.link_timeout).count(),
            stage.detail));
  }
  report.finished = clock_->Now();
  report.cost = TotalBusCounters() - before;
  LogOutcomes("up", report);
  progress_->Finish(report, report.finished);
  return report;
}

PortBringUpReport PortService::BringDownPorts(const std::vector<platform::SubPort>& ports) {
  std::lock_guard changes(changes_mutex_);
  // An operator's admin down: never brought back by the owner.
  {
    std::lock_guard lock(recovery_mutex_);
    for (const auto& port : ports) recovery_->AdminDown(port.name);
  }
  PortBringUpReport report;
  const BusCounters before = TotalBusCounters();
  report.started = clock_->Now();
  progress_->Start("port.down", static_cast<int>(ports.size()), report.started);
  progress_->Stage("datapath", report.started);
  report.outcomes.resize(ports.size());
  // Data paths first (the engine stops using the light), per engine.
  std::map<std::string, std::vector<int>> lanes_of_engine;
  std::map<std::string, std::vector<size_t>> ports_of_engine;
  for (size_t i = 0; i < ports.size(); ++i) {
    report.outcomes[i].port = ports[i].name;
    const platform::PortConfig* config = platform_.FindPort(ports[i].port);
    if (config == nullptr) continue;
    auto& lanes = lanes_of_engine[config->engine];
    lanes.insert(lanes.end(), ports[i].engine_lanes.begin(), ports[i].engine_lanes.end());
    ports_of_engine[config->engine].push_back(i);
  }
  for (const auto& [engine_name, lanes] : lanes_of_engine) {
    auto engine = FindOpticalEngine(engine_name);
    Status status = engine.status();
    if (status.ok()) status = (*engine)->SetTxDisabled(lanes, true);
    if (status.ok()) status = (*engine)->SetDataPathsDeinit(lanes, true);
    if (status.ok()) {
      status = (*engine)->WaitForDataPaths(lanes, DataPathState::kDeactivated).status();
    }
    if (!status.ok()) {
      for (size_t i : ports_of_engine[engine_name]) {
        report.outcomes[i].status = status.WithContext("datapath");
      }
    }
  }
  // Then the SerDes transmitters (their engine lanes no longer listen).
  progress_->Stage("serdes", clock_->Now());
  if (serdes_) {
    const Status host_tx =
        UpdateSerdesLanes(ports, [](SerdesLaneConfig& lane) { lane.tx_enabled = false; });
    for (size_t i = 0; i < ports.size() && !host_tx.ok(); ++i) {
      if (report.outcomes[i].status.ok()) {
        report.outcomes[i].status = host_tx.WithContext("serdes");
      }
    }
  }
  // Then the lasers no remaining port needs.
  progress_->Stage("lasers", clock_->Now());
  const platform::Topology topology(platform_);
  std::set<std::pair<std::string, int>> going_dark;
  for (const auto& port : ports) {
    for (const auto& laser : ServingLasers(LasersOf(topology, port))) {
      going_dark.insert({laser.source, laser.lane});
    }
  }
  for (const auto& other : Ports()) {
    if (std::any_of(ports.begin(), ports.end(),
                    [&](const platform::SubPort& p) { return p.name == other.name; })) {
      continue;
    }
    // Only a port lit by a lane about to go dark can keep it lit (no bus read for the rest).
    const auto others_lasers = ServingLasers(LasersOf(topology, other));
    if (std::none_of(others_lasers.begin(), others_lasers.end(),
                     [&](const platform::LaserLane& laser) {
                       return going_dark.contains({laser.source, laser.lane});
                     })) {
      continue;
    }
    const platform::PortConfig* config = platform_.FindPort(other.port);
    auto engine =
        config != nullptr ? FindOpticalEngine(config->engine) : Status(StatusCode::kNotFound, "");
    if (!engine.ok()) continue;
    auto paths = (*engine)->DataPathsOf(other.engine_lanes, /*states_only=*/true);
    const bool in_use =
        paths.ok() && std::any_of(paths->begin(), paths->end(), [](const LaneDataPath& lane) {
          return lane.state != DataPathState::kDeactivated;
        });
    if (!in_use) continue;
    for (const auto& laser : others_lasers) going_dark.erase({laser.source, laser.lane});
  }
  std::map<std::string, std::vector<int>> dark_lanes;
  for (const auto& [source, lane] : going_dark) dark_lanes[source].push_back(lane);
  for (const auto& [source_name, lanes] : dark_lanes) {
    auto source = FindLaserSource(source_name);
    Status status = source.ok() ? (*source)->Disable(lanes) : source.status();
    if (status.ok()) continue;
    for (size_t i = 0; i < ports.size(); ++i) {
      if (report.outcomes[i].status.ok()) {
        report.outcomes[i].status = status.WithContext("lasers");
      }
    }
  }
  report.lasers_done = report.finished = clock_->Now();
  report.cost = TotalBusCounters() - before;
  LogOutcomes("down", report);
  progress_->Finish(report, report.finished);
  return report;
}

}  // namespace cpo::hal
