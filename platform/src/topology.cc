#include "cpo/platform/topology.h"

#include <fmt/format.h>

#include <algorithm>

namespace cpo::platform {

Topology::Topology(const Platform& platform) : platform_(platform) {
  for (const auto& source : platform_.laser_sources) {
    for (int lane = 1; lane <= source.lanes; ++lane) {
      fiber_of_lane_[{source.name, lane}] = source.DefaultFiberOfLane(lane);
    }
  }
}

Status Topology::SetFiberOfLane(std::string_view source_name, int lane, int fiber) {
  const LaserSourceConfig* source = platform_.FindLaserSource(std::string(source_name));
  if (source == nullptr) {
    return {StatusCode::kNotFound, fmt::format("no laser source '{}'", source_name)};
  }
  if (lane < 1 || lane > source->lanes || fiber < 0 || fiber > source->fibers) {
    return {StatusCode::kOutOfRange,
            fmt::format("{}: lane {} or fibre {} is outside lanes 1..{} / fibres 0..{}",
                        source->name, lane, fiber, source->lanes, source->fibers)};
  }
  for (auto& [key, mapped] : fiber_of_lane_) {
    if (key.first == source->name && mapped == fiber && fiber != 0) mapped = 0;
  }
  fiber_of_lane_[{source->name, lane}] = fiber;
  return Status::Ok();
}

int Topology::FiberOfLane(const std::string& source, int lane) const {
  auto it = fiber_of_lane_.find({source, lane});
  return it == fiber_of_lane_.end() ? 0 : it->second;
}

const FiberConfig* Topology::FindFiber(const std::string& source, int fiber) const {
  for (const auto& f : platform_.fibers) {
    if (f.source == source && f.fiber == fiber) return &f;
  }
  return nullptr;
}

std::optional<LaserLane> Topology::LaserOfFiber(const std::string& source, int fiber) const {
  for (const auto& [key, mapped] : fiber_of_lane_) {
    if (key.first == source && mapped == fiber) return LaserLane{key.first, key.second};
  }
  return std::nullopt;
}

Result<LaserImpact> Topology::ImpactOfLaser(std::string_view source_name, int lane) const {
  const LaserSourceConfig* source = platform_.FindLaserSource(std::string(source_name));
  if (source == nullptr) {
    std::string known;
    for (const auto& s : platform_.laser_sources) known += (known.empty() ? "" : ", ") + s.name;
    return Status(StatusCode::kNotFound,
                  fmt::format("no laser source '{}' in platform {} (sources: {})", source_name,
                              platform_.name, known.empty() ? "none" : known));
  }
  if (lane < 1 || lane > source->lanes) {
    return Status(StatusCode::kOutOfRange, fmt::format("{}: lane {} is outside lanes 1..{}",
                                                       source->name, lane, source->lanes));
  }
  LaserImpact impact;
  impact.laser = {source->name, lane};
  impact.fiber = FiberOfLane(source->name, lane);
  const FiberConfig* fiber = impact.fiber ? FindFiber(source->name, impact.fiber) : nullptr;
  if (fiber == nullptr) return impact;
  for (int engine_lane : fiber->engine_lanes) {
    impact.engine_lanes.push_back({fiber->engine, engine_lane});
  }
  for (const auto& port : platform_.ports) {
    const bool hit = port.engine == fiber->engine &&
                     std::any_of(port.engine_lanes.begin(), port.engine_lanes.end(), [&](int l) {
                       return std::find(fiber->engine_lanes.begin(), fiber->engine_lanes.end(),
                                        l) != fiber->engine_lanes.end();
                     });
    if (hit) impact.ports.push_back(port.name);
  }
  for (const auto& name : impact.ports) {
    const CableConfig* cable = platform_.CableOf(name);
    if (cable == nullptr || cable->loopback()) continue;
    const std::string& peer = cable->port == name ? cable->to : cable->port;
    if (std::find(impact.ports.begin(), impact.ports.end(), peer) == impact.ports.end() &&
        std::find(impact.peer_ports.begin(), impact.peer_ports.end(), peer) ==
            impact.peer_ports.end()) {
      impact.peer_ports.push_back(peer);
    }
  }
  return impact;
}

Result<PortMap> Topology::MapOfPort(std::string_view port_name) const {
  const PortConfig* port = platform_.FindPort(std::string(port_name));
  if (port == nullptr) {
    return Status(StatusCode::kNotFound,
                  fmt::format("no port '{}' in platform {}", port_name, platform_.name));
  }
  PortMap map;
  map.port = port->name;
  map.fiber_loss_threshold_db = port->fiber_loss_threshold_db;
  if (const CableConfig* cable = platform_.CableOf(port->name)) {
    map.cable =
        cable->loopback() ? "loopback" : (cable->port == port->name ? cable->to : cable->port);
  }
  for (size_t i = 0; i < port->engine_lanes.size(); ++i) {
    PortLanePath path;
    path.host_lane = i < port->host_lanes.size() ? port->host_lanes[i] : -1;
    path.engine_lane = {port->engine, port->engine_lanes[i]};
    for (const auto& fiber : platform_.fibers) {
      const bool feeds = fiber.engine == port->engine &&
                         std::find(fiber.engine_lanes.begin(), fiber.engine_lanes.end(),
                                   port->engine_lanes[i]) != fiber.engine_lanes.end();
      if (!feeds) continue;
      path.fiber = fiber.fiber;
      path.loss_db = fiber.loss_db;
      path.laser = LaserOfFiber(fiber.source, fiber.fiber);
      if (path.laser &&
          std::find(map.lasers.begin(), map.lasers.end(), *path.laser) == map.lasers.end()) {
        map.lasers.push_back(*path.laser);
      }
      break;
    }
    map.lanes.push_back(std::move(path));
  }
  return map;
}

}  // namespace cpo::platform
