// Device: the switch SerDes side of ports — the SerDes stage of a port's path, link wait,
// breakout changes, and host-side PRBS and loopback.
#include <fmt/format.h>

#include <algorithm>

#include "ports/port_service.h"

namespace cpo::hal {
namespace {

// What feeds host lane `i` (position in the front-panel port) of `config` from the far end.
std::string FarEndOf(const platform::Platform& platform, const platform::PortConfig& config,
                     size_t i) {
  const platform::CableConfig* cable = platform.CableOf(config.name);
  if (cable == nullptr) return "";
  if (cable->loopback()) return "loopback plug";
  const std::string& peer_name = cable->port == config.name ? cable->to : cable->port;
  const platform::PortConfig* peer = platform.FindPort(peer_name);
  if (peer == nullptr || i >= peer->host_lanes.size()) return peer_name;
  return fmt::format("{} lane {}", peer_name, peer->host_lanes[i]);
}

// Below this a receiver has no light at all (the monitor's resolution is 0.1 uW).
constexpr double kNoLightMw = 1e-4;

// Why a lane does not carry the link, or "" when it does.
std::string LaneDownReason(const PortLaneState& lane) {
  const SerdesLaneConfig& config = lane.serdes;
  const SerdesLaneStatus& rx = lane.receiver;
  if (!config.tx_enabled) {
    return fmt::format("lane {} transmitter off (admin down)", lane.host_lane);
  }
  if (config.loopback != PortLoopback::kNone) {
    return fmt::format("lane {} in {} loopback", lane.host_lane, PortLoopbackName(config.loopback));
  }
  if (config.generator || config.checker) {
    return fmt::format("lane {} running PRBS (test mode)", lane.host_lane);
  }
  if (!rx.signal_detect) {
    return lane.far_end.empty()
               ? fmt::format("lane {}: no signal (nothing plugged into the port)", lane.host_lane)
               : fmt::format("lane {}: no signal from {}", lane.host_lane, lane.far_end);
  }
  if (!rx.cdr_lock) {
    return fmt::format("lane {}: signal but no CDR lock (far end at another lane rate?)",
                       lane.host_lane);
  }
  if (!rx.pcs_lock) {
    return fmt::format(
        "lane {}: CDR locked but no PCS lock (polarity swapped, or the far end sends a test "
        "pattern)",
        lane.host_lane);
  }
  return "";
}

// What the engine lane that feeds a silent SerDes receiver gets from the fibre, or "" when its
// light looks normal: the engine sees the far end's light (or its absence) before the SerDes does.
// Reads the lane's live monitors only (an observer leaves the latched flags to the owner).
std::string ReceivedLightNote(OpticalEngine& engine, int engine_lane) {
  auto lane = engine.Lane(engine_lane);
  if (!lane.ok()) return "";
  const std::string& name = engine.config().name;
  if (lane->rx_los) {
    return fmt::format("{} lane {} reports Rx LOS (no light arrives)", name, engine_lane);
  }
  if (lane->rx_power_supported && lane->rx_power_mw < kNoLightMw) {
    return fmt::format("{} lane {} receives no light", name, engine_lane);
  }
  if (lane->flags_read && lane->rx_power_flags.low_alarm) {
    return fmt::format(
        "{} lane {} receives too little light ({:.4f} mW, below its Rx power low "
        "alarm: a dirty connector or a dim far end?)",
        name, engine_lane, lane->rx_power_mw);
  }
  return "";
}

}  // namespace

Result<SerdesLaneRate> SerdesLaneRateOf(const platform::SubPort& port) {
  const auto lanes = static_cast<int>(port.host_lanes.size());
  if (lanes == 0) return Status(StatusCode::kInvalidArgument, port.name + " has no host lanes");
  return SerdesLaneRateForGbps(port.speed_gbps / lanes);
}

PortStageState PortService::SerdesStage(const platform::SubPort& port, PortStatus& status) {
  PortStageState stage{PortStage::kSerdes, false, ""};
  const platform::PortConfig* config = platform_.FindPort(port.port);
  const platform::Topology topology(platform_);
  auto map = topology.MapOfPort(port.port);
  status.lanes.clear();
  for (size_t k = 0; k < port.host_lanes.size(); ++k) {
    PortLaneState lane;
    lane.host_lane = port.host_lanes[k];
    lane.engine_lane = k < port.engine_lanes.size() ? port.engine_lanes[k] : 0;
    if (config != nullptr) {
      const auto at =
          std::find(config->host_lanes.begin(), config->host_lanes.end(), lane.host_lane);
      lane.far_end =
          FarEndOf(platform_, *config, static_cast<size_t>(at - config->host_lanes.begin()));
    }
    if (map.ok()) {
      for (const auto& path : map->lanes) {
        if (path.host_lane == lane.host_lane) lane.laser = path.laser;
      }
    }
    status.lanes.push_back(std::move(lane));
  }
  if (!serdes_) {
    stage.detail = "the platform has no switch SerDes block";
    return stage;
  }
  {
    std::lock_guard lock(serdes_mutex_);
    for (auto& lane : status.lanes) {
      auto config_read = serdes_->ReadLaneConfig(lane.host_lane);
      auto status_read = serdes_->ReadLaneStatus(lane.host_lane);
      if (!config_read.ok() || !status_read.ok()) {
        stage.detail = (!config_read.ok() ? config_read.status() : status_read.status()).message();
        return stage;
      }
      lane.serdes = *config_read;
      lane.receiver = *status_read;
    }
  }
  status.admin_up = std::all_of(status.lanes.begin(), status.lanes.end(),
                                [](const PortLaneState& lane) { return lane.serdes.tx_enabled; });
  for (const auto& lane : status.lanes) {
    stage.detail = LaneDownReason(lane);
    if (stage.detail.empty()) continue;
    const bool no_signal = lane.serdes.tx_enabled && lane.serdes.loopback == PortLoopback::kNone &&
                           !lane.serdes.generator && !lane.serdes.checker &&
                           !lane.receiver.signal_detect;
    if (no_signal && lane.engine_lane > 0) {
      auto engine = FindOpticalEngine(status.engine);
      const std::string light =
          engine.ok() ? ReceivedLightNote(**engine, lane.engine_lane) : std::string();
      if (!light.empty()) stage.detail += "; " + light;
    }
    return stage;
  }
  stage.up = true;
  stage.detail =
      fmt::format("{} lanes PCS locked at {}G{}", status.lanes.size(),
                  status.lanes.empty() ? 0 : SerdesLaneRateGbps(status.lanes.front().serdes.rate),
                  status.lanes.empty() || status.lanes.front().far_end.empty()
                      ? ""
                      : " from " + status.lanes.front().far_end);
  return stage;
}

Status PortService::UpdateSerdesLanes(const std::vector<platform::SubPort>& ports,
                                      const std::function<void(SerdesLaneConfig&)>& change) {
  if (!serdes_) {
    return {StatusCode::kNotSupported,
            fmt::format("platform {} has no switch SerDes block", platform_.name)};
  }
  std::lock_guard lock(serdes_mutex_);
  for (const auto& port : ports) {
    const platform::PortConfig* board = platform_.FindPort(port.port);
    for (int lane : port.host_lanes) {
      CPO_ASSIGN_OR_RETURN(SerdesLaneConfig config, serdes_->ReadLaneConfig(lane));
      const SerdesLaneConfig before = config;
      change(config);
      // Polarity is the board's: every write undoes the P/N swaps its traces have. A near-end
      // loopback never leaves the chip, so no trace swaps what the receiver gets: it takes its
      // own transmitter's polarity.
      if (board != nullptr) {
        config.tx_invert =
            std::find(board->tx_polarity_swaps.begin(), board->tx_polarity_swaps.end(), lane) !=
            board->tx_polarity_swaps.end();
        config.rx_invert =
            config.loopback == PortLoopback::kNearEnd
                ? config.tx_invert
                : std::find(board->rx_polarity_swaps.begin(), board->rx_polarity_swaps.end(),
                            lane) != board->rx_polarity_swaps.end();
      }
      if (config == before) continue;
      CPO_RETURN_IF_ERROR(serdes_->WriteLaneConfig(lane, config).WithContext(port.name));
    }
  }
  return Status::Ok();
}

std::vector<size_t> PortService::WaitForLinks(const std::vector<platform::SubPort>& ports,
                                              const BringUpOptions& options) {
  std::vector<size_t> pending(ports.size());
  for (size_t i = 0; i < ports.size(); ++i) pending[i] = i;
  if (!serdes_) return pending;
  WaitBound until(*clock_, options.link_timeout);
  while (true) {
    std::vector<size_t> still;
    {
      std::lock_guard lock(serdes_mutex_);
      for (size_t i : pending) {
        const bool up =
            std::all_of(ports[i].host_lanes.begin(), ports[i].host_lanes.end(), [&](int lane) {
              auto status = serdes_->ReadLaneStatus(lane);
              return status.ok() && status->pcs_lock;
            });
        if (!up) still.push_back(i);
      }
    }
    pending = std::move(still);
    if (pending.empty() || until.Expired()) return pending;
    clock_->SleepFor(options.link_poll);
  }
}

Status PortService::SetPortBreakout(std::string_view front_panel_port, std::string_view mode_name) {
  std::lock_guard changes(changes_mutex_);
  const platform::PortConfig* config = platform_.FindPort(std::string(front_panel_port));
  if (config == nullptr) {
    return {StatusCode::kNotFound,
            fmt::format("no front-panel port '{}' in platform {} (a breakout applies to a whole "
                        "port such as '{}', not to one of its logical ports)",
                        front_panel_port, platform_.name,
                        platform_.ports.empty() ? "eth0" : platform_.ports.front().name)};
  }
  const auto lanes = static_cast<int>(config->engine_lanes.size());
  CPO_ASSIGN_OR_RETURN(const platform::BreakoutMode mode,
                       platform::ParseBreakoutMode(mode_name, lanes));
  if (!config->breakout_modes.empty() &&
      std::find(config->breakout_modes.begin(), config->breakout_modes.end(), mode.name()) ==
          config->breakout_modes.end()) {
    return {StatusCode::kInvalidArgument,
            fmt::format("{} does not allow breakout {} (its platform entry allows: {})",
                        config->name, mode.name(), fmt::join(config->breakout_modes, ", "))};
  }
  const platform::BreakoutMode current = BreakoutOf(*config);
  if (current == mode) return Status::Ok();
  CPO_ASSIGN_OR_RETURN(std::vector<platform::SubPort> old_ports,
                       platform::SubPortsOf(*config, current));
  // The old logical ports stop first; lasers and engines other ports use stay on.
  const PortBringUpReport down = BringDownPorts(old_ports);
  for (const auto& outcome : down.outcomes) {
    CPO_RETURN_IF_ERROR(outcome.status.WithContext(
        fmt::format("changing {} to {}: taking {} down", config->name, mode.name(), outcome.port)));
  }
  if (serdes_) {
    CPO_RETURN_IF_ERROR(UpdateSerdesLanes(old_ports, [](SerdesLaneConfig& lane) {
      lane = SerdesLaneConfig{.tx_invert = lane.tx_invert, .rx_invert = lane.rx_invert};
    }));
  }
  if (const int block = SerdesBlockOf(*config); block >= 0) {
    std::lock_guard lock(serdes_mutex_);
    return serdes_->WriteBreakout(block, mode.ports);
  }
  std::lock_guard lock(serdes_mutex_);
  breakouts_[config->name] = mode;
  return Status::Ok();
}

Status PortService::SetPortPrbs(const std::vector<platform::SubPort>& ports, PortPrbsMode mode,
                                PrbsPattern pattern) {
  if (pattern == PrbsPattern::kSsprq) {
    return {StatusCode::kNotSupported, "the SerDes PRBS generators do not produce SSPRQ"};
  }
  for (const auto& port : ports) {
    CPO_ASSIGN_OR_RETURN(const SerdesLaneRate rate, SerdesLaneRateOf(port));
    CPO_RETURN_IF_ERROR(UpdateSerdesLanes({port}, [&](SerdesLaneConfig& lane) {
      lane.generator = mode == PortPrbsMode::kTxRx || mode == PortPrbsMode::kTx;
      lane.checker = mode == PortPrbsMode::kTxRx || mode == PortPrbsMode::kRx;
      lane.generator_pattern = lane.checker_pattern = pattern;
      if (lane.rate == SerdesLaneRate::kOff) lane.rate = rate;
      if (lane.generator) lane.tx_enabled = true;
    }));
  }
  return Status::Ok();
}

Status PortService::SetPortLoopback(const std::vector<platform::SubPort>& ports,
                                    PortLoopback loopback) {
  for (const auto& port : ports) {
    CPO_ASSIGN_OR_RETURN(const SerdesLaneRate rate, SerdesLaneRateOf(port));
    CPO_RETURN_IF_ERROR(UpdateSerdesLanes({port}, [&](SerdesLaneConfig& lane) {
      lane.loopback = loopback;
      if (lane.rate == SerdesLaneRate::kOff) lane.rate = rate;
    }));
  }
  return Status::Ok();
}

Result<std::vector<PortPrbsResult>> PortService::PortPrbsResults(
    const std::vector<platform::SubPort>& ports) {
  if (!serdes_) {
    return Status(StatusCode::kNotSupported,
                  fmt::format("platform {} has no switch SerDes block", platform_.name));
  }
  std::vector<PortPrbsResult> results;
  std::lock_guard lock(serdes_mutex_);
  for (const auto& port : ports) {
    PortPrbsResult result{port.name, {}};
    for (int lane : port.host_lanes) {
      CPO_ASSIGN_OR_RETURN(const SerdesLaneConfig config, serdes_->ReadLaneConfig(lane));
      CPO_ASSIGN_OR_RETURN(const SerdesLaneStatus status, serdes_->ReadLaneStatus(lane));
      result.lanes.push_back({lane, config.checker, config.checker_pattern, status.prbs_lock,
                              status.prbs_bits, status.prbs_errors});
    }
    results.push_back(std::move(result));
  }
  return results;
}

Status PortService::ClearPortCounters(const std::vector<platform::SubPort>& ports) {
  if (!serdes_) {
    return {StatusCode::kNotSupported,
            fmt::format("platform {} has no switch SerDes block", platform_.name)};
  }
  std::lock_guard lock(serdes_mutex_);
  for (const auto& port : ports) {
    for (int lane : port.host_lanes) CPO_RETURN_IF_ERROR(serdes_->ClearCounters(lane));
  }
  return Status::Ok();
}

}  // namespace cpo::hal
