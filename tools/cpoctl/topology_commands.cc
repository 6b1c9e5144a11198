#include "topology_commands.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cpo/platform/loader.h"
#include "cpo/platform/topology.h"
#include "exit_codes.h"
#include "table.h"

namespace cpo::cpoctl {

using nlohmann::json;

int RunImpactLaser(const GlobalOptions& options, const std::string& source, int lane) {
  auto platform = platform::LoadPlatformFile(ResolvePlatformPath(options));
  if (!platform.ok()) return Fail(platform.status());
  platform::Topology topology(*platform);
  auto impact = topology.ImpactOfLaser(source, lane);
  if (!impact.ok()) return Fail(impact.status());
  if (options.json) {
    json lanes = json::array();
    for (const auto& l : impact->engine_lanes) {
      lanes.push_back({{"engine", l.engine}, {"lane", l.lane}});
    }
    Print(json{{"device", platform->name},
               {"laser", {{"source", impact->laser.source}, {"lane", impact->laser.lane}}},
               {"fiber", impact->fiber},
               {"engine_lanes", lanes},
               {"ports", impact->ports},
               {"peer_ports", impact->peer_ports}}
              .dump(2) +
          "\n");
    return kExitOk;
  }
  if (impact->fiber == 0) {
    Print(fmt::format("{} lane {} feeds no fibre (a spare): no engine lane or port depends on it\n",
                      source, lane));
    return kExitOk;
  }
  std::string lanes;
  for (const auto& l : impact->engine_lanes) {
    lanes += fmt::format("{}{}:{}", lanes.empty() ? "" : " ", l.engine, l.lane);
  }
  Print(fmt::format(
      "{} lane {} -> fibre {} -> {} engine lanes ({})\nports: {}\nlink peers (lose their "
      "signal): {}\n",
      source, lane, impact->fiber, impact->engine_lanes.size(), lanes,
      impact->ports.empty() ? "none" : fmt::format("{}", fmt::join(impact->ports, " ")),
      impact->peer_ports.empty() ? "none" : fmt::format("{}", fmt::join(impact->peer_ports, " "))));
  return kExitOk;
}

int RunShowMap(const GlobalOptions& options, const std::string& port) {
  auto platform = platform::LoadPlatformFile(ResolvePlatformPath(options));
  if (!platform.ok()) return Fail(platform.status());
  platform::Topology topology(*platform);
  auto map = topology.MapOfPort(port);
  if (!map.ok()) return Fail(map.status());
  if (options.json) {
    json lanes = json::array();
    for (const auto& l : map->lanes) {
      json laser =
          l.laser ? json{{"source", l.laser->source}, {"lane", l.laser->lane}} : json(nullptr);
      lanes.push_back({{"host_lane", l.host_lane},
                       {"engine", l.engine_lane.engine},
                       {"engine_lane", l.engine_lane.lane},
                       {"fiber", l.fiber},
                       {"laser", laser},
                       {"loss_db", l.loss_db}});
    }
    Print(json{{"device", platform->name},
               {"port", map->port},
               {"fiber_loss_threshold_db", map->fiber_loss_threshold_db},
               {"cable", map->cable},
               {"lanes", lanes}}
              .dump(2) +
          "\n");
    return kExitOk;
  }
  Table table({"HOST_LANE", "ENGINE", "ENGINE_LANE", "FIBER", "LASER", "LOSS_DB"});
  for (const auto& l : map->lanes) {
    table.AddRow({std::to_string(l.host_lane), l.engine_lane.engine,
                  std::to_string(l.engine_lane.lane), l.fiber ? std::to_string(l.fiber) : "-",
                  l.laser ? fmt::format("{}:{}", l.laser->source, l.laser->lane) : "-",
                  fmt::format("{:.1f}", l.loss_db)});
  }
  const std::string cable = map->cable.empty()         ? "nothing plugged in"
                            : map->cable == "loopback" ? "a loopback plug"
                                                       : "a cable to " + map->cable;
  Print(fmt::format("port {} (fibre check accepts up to {:.1f} dB; media side: {})\n{}", map->port,
                    map->fiber_loss_threshold_db, cable, table.Render()));
  return kExitOk;
}

}  // namespace cpo::cpoctl
