#include "cpo/sim/link_network.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "cpo/sim/simulated_switch.h"

namespace cpo::sim {

LinkNetwork::LinkNetwork(const platform::Platform& platform, std::vector<int> engine_targets)
    : engine_targets_(std::move(engine_targets)),
      seen_changes_(engine_targets_.size(), -1),
      activated_(engine_targets_.size(), std::vector<uint16_t>(Model::kBanks * 8 / 16, 0)),
      source_(Model::kSerdesLanes, -2) {
  std::map<std::string, int> engine_index;
  for (size_t i = 0; i < platform.optical_engines.size(); ++i) {
    engine_index[platform.optical_engines[i].name] = static_cast<int>(i);
    engine_lanes_.push_back(platform.optical_engines[i].lanes);
  }
  for (const auto& port : platform.ports) {
    const platform::CableConfig* cable = platform.CableOf(port.name);
    if (cable == nullptr) continue;
    const std::string& peer_name =
        cable->loopback() ? port.name : (cable->port == port.name ? cable->to : cable->port);
    const platform::PortConfig* peer = platform.FindPort(peer_name);
    if (peer == nullptr) continue;
    auto swapped = [](const std::vector<int>& swaps, int lane) {
      return std::find(swaps.begin(), swaps.end(), lane) != swaps.end();
    };
    for (size_t i = 0; i < port.host_lanes.size() && i < peer->host_lanes.size(); ++i) {
      paths_.push_back(Path{port.host_lanes[i], engine_index.at(port.engine), port.engine_lanes[i],
                            peer->host_lanes[i], engine_index.at(peer->engine),
                            peer->engine_lanes[i], port.name, peer->name,
                            swapped(peer->tx_polarity_swaps, peer->host_lanes[i]) !=
                                swapped(port.rx_polarity_swaps, port.host_lanes[i])});
    }
  }
}

bool LinkNetwork::Activated(int engine, int lane) const {
  const int bit = lane - 1;
  return ((activated_[static_cast<size_t>(engine)][static_cast<size_t>(bit / 16)] >> (bit % 16)) &
          1) != 0;
}

LinkNetwork::Received LinkNetwork::ReceivedAt(int engine_index, int lane, double rx_mw) {
  if (rx_mw <= 0) return {0.0, 0.0, 0.5, 0.5, 0.5, 0.5};
  auto baseline = [&](Quantity q) { return SimulatedSwitch::DefaultValue(engine_index, q, lane); };
  const double lost_db = std::max(0.0, -10 * std::log10(rx_mw / kFullSnrRxMw));
  const double esnr = std::max(0.0, baseline(Quantity::kEsnrDb) - lost_db);
  const double scale = std::pow(10.0, kBerDecadesPerDb * lost_db);
  auto ber = [&](Quantity q) { return std::min(0.5, baseline(q) * scale); };
  return {rx_mw,
          esnr,
          ber(Quantity::kPreFecBerMin),
          ber(Quantity::kPreFecBerMax),
          ber(Quantity::kPreFecBerAverage),
          ber(Quantity::kPreFecBerCurrent)};
}

double LinkNetwork::TransmittedMw(int engine, int lane, const FiberNetwork& fibers) const {
  if (!Activated(engine, lane)) return 0.0;
  const Result<double> light = fibers.EngineInputDbm(engine, lane);
  if (!light.ok() || *light < kMinLaserInputDbm) return 0.0;
  return std::pow(10.0, (*light - FiberNetwork::kModulatorLossDb) / 10.0);
}

void LinkNetwork::WriteLight(Plant& plant, const FiberNetwork& fibers, bool activated_changed) {
  // Tx power: the lane's laser light less the modulator loss, while its output is on.
  for (size_t e = 0; e < engine_lanes_.size(); ++e) {
    for (int lane = 1; lane <= engine_lanes_[e]; ++lane) {
      const double tx_mw = std::min(TransmittedMw(static_cast<int>(e), lane, fibers), 6.5);
      const int64_t code = std::llround(tx_mw * 1e4);
      auto [at, fresh] = tx_written_.try_emplace({static_cast<int>(e), lane}, code);
      if (!fresh && at->second == code) continue;
      at->second = code;
      (void)plant.Set(engine_targets_[e], Quantity::kTxPowerMw, lane - 1, tx_mw);
    }
  }
  if (activated_changed) {
    for (size_t e = 0; e < engine_lanes_.size(); ++e) {
      const int target = engine_targets_[e];
      for (int lane = 1; lane <= engine_lanes_[e]; ++lane) {
        const bool biased = Activated(static_cast<int>(e), lane);
        auto [at, fresh] = bias_written_.try_emplace({static_cast<int>(e), lane}, !biased);
        if (!fresh && at->second == biased) continue;
        at->second = biased;
        const double bias_ma = biased ? SimulatedSwitch::DefaultValue(static_cast<int>(e),
                                                                      Quantity::kTxBiasMa, lane - 1)
                                      : 0.0;
        (void)plant.Set(target, Quantity::kTxBiasMa, lane - 1, bias_ma);
      }
    }
  }
  for (const Path& path : paths_) {
    const bool connected = !unplugged_.contains(path.rx_port) && !unplugged_.contains(path.tx_port);
    const double rx_mw = connected ? TransmittedMw(path.tx_engine, path.tx_engine_lane, fibers) *
                                         std::pow(10.0, -kCableLossDb / 10.0)
                                   : 0.0;
    const int64_t code = std::llround(rx_mw * 1e4);  // the monitor's 0.1 uW steps
    auto [at, fresh] = rx_written_.try_emplace({path.rx_engine, path.rx_engine_lane}, code);
    if (!fresh && at->second == code) continue;
    at->second = code;
    const int target = engine_targets_[static_cast<size_t>(path.rx_engine)];
    const int lane0 = path.rx_engine_lane - 1;
    const Received r = ReceivedAt(path.rx_engine, lane0, rx_mw);
    (void)plant.Set(target, Quantity::kRxPowerMw, lane0, r.rx_power_mw);
    (void)plant.Set(target, Quantity::kEsnrDb, lane0, r.esnr_db);
    (void)plant.Set(target, Quantity::kPreFecBerMin, lane0, r.ber_min);
    (void)plant.Set(target, Quantity::kPreFecBerMax, lane0, r.ber_max);
    (void)plant.Set(target, Quantity::kPreFecBerAverage, lane0, r.ber_average);
    (void)plant.Set(target, Quantity::kPreFecBerCurrent, lane0, r.ber_current);
  }
}

void LinkNetwork::Propagate(Model& model, Plant& plant, const FiberNetwork& fibers) {
  bool activated_changed = false;
  for (size_t e = 0; e < engine_targets_.size(); ++e) {
    const int changes = model.EngineActivatedChanges(engine_targets_[e]);
    if (changes == seen_changes_[e]) continue;
    seen_changes_[e] = changes;
    activated_changed = true;
    for (size_t g = 0; g < activated_[e].size(); ++g) {
      activated_[e][g] = model.EngineActivatedLanes(engine_targets_[e], static_cast<int>(g));
    }
  }
  for (const Path& path : paths_) {
    const Result<double> light = fibers.EngineInputDbm(path.tx_engine, path.tx_engine_lane);
    const bool carries = !unplugged_.contains(path.rx_port) && !unplugged_.contains(path.tx_port) &&
                         Activated(path.rx_engine, path.rx_engine_lane) &&
                         Activated(path.tx_engine, path.tx_engine_lane) && light.ok() &&
                         *light >= kMinLaserInputDbm;
    const int source = carries ? path.tx_serdes : -1;
    int& written = source_[static_cast<size_t>(path.rx_serdes)];
    if (written == source) continue;
    written = source;
    constexpr uint16_t kPresent = 1u << 15;
    constexpr uint16_t kInverted = 1u << 14;
    model.PlantWrite(
        PlantKind::kSerdesSource, 0, static_cast<uint16_t>(path.rx_serdes),
        carries ? static_cast<uint16_t>(kPresent | (path.inverted ? kInverted : 0) | path.tx_serdes)
                : 0);
  }
  WriteLight(plant, fibers, activated_changed);
}

Status LinkNetwork::SetUnplugged(const std::string& port, bool unplugged) {
  bool known = false;
  for (const Path& path : paths_) known = known || path.rx_port == port;
  if (!known) {
    return {StatusCode::kNotFound,
            fmt::format("port '{}' has no cable or plug in the platform's cables", port)};
  }
  if (unplugged) {
    unplugged_.insert(port);
  } else {
    unplugged_.erase(port);
  }
  return Status::Ok();
}

int LinkNetwork::SourceOf(int serdes_lane) const {
  if (serdes_lane < 0 || serdes_lane >= static_cast<int>(source_.size())) return -1;
  return std::max(-1, source_[static_cast<size_t>(serdes_lane)]);
}

}  // namespace cpo::sim
