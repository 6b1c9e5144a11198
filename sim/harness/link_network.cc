#include "cpo/sim/link_network.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace cpo::sim {

LinkNetwork::LinkNetwork(const platform::Platform& platform, std::vector<int> engine_targets)
    : engine_targets_(std::move(engine_targets)),
      seen_changes_(engine_targets_.size(), -1),
      activated_(engine_targets_.size(), std::vector<uint16_t>(Model::kBanks * 8 / 16, 0)),
      source_(Model::kSerdesLanes, -2) {
  std::map<std::string, int> engine_index;
  for (size_t i = 0; i < platform.optical_engines.size(); ++i) {
    engine_index[platform.optical_engines[i].name] = static_cast<int>(i);
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

void LinkNetwork::Propagate(Model& model, const FiberNetwork& fibers) {
  for (size_t e = 0; e < engine_targets_.size(); ++e) {
    const int changes = model.EngineActivatedChanges(engine_targets_[e]);
    if (changes == seen_changes_[e]) continue;
    seen_changes_[e] = changes;
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
