// The optical path as a platform wires it: laser lane -> fibre -> engine lanes -> ports, and
// from a port back to the laser lanes that light it. The lane -> fibre map starts as the
// platform's default and follows sparing (SetFiberOfLane).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::platform {

struct LaserLane {
  std::string source;
  int lane = 0;  // 1-based
  bool operator==(const LaserLane&) const = default;
};

struct EngineLane {
  std::string engine;
  int lane = 0;  // 1-based
  bool operator==(const EngineLane&) const = default;
};

// What one laser lane lights.
struct LaserImpact {
  LaserLane laser;
  int fiber = 0;  // 0: the lane feeds no fibre (a spare, or a fibre left unused)
  std::vector<EngineLane> engine_lanes;
  std::vector<std::string> ports;  // every port with at least one of those engine lanes
  // Their cable peers (not already in `ports`): their receivers lose the signal, so their links
  // go down too.
  std::vector<std::string> peer_ports;
};

// One lane of a port along the whole path.
struct PortLanePath {
  int host_lane = 0;
  EngineLane engine_lane;
  std::optional<LaserLane> laser;  // none when the platform has no laser for it
  int fiber = 0;
  double loss_db = 0;
};

struct PortMap {
  std::string port;
  double fiber_loss_threshold_db = 0;
  // What the port's media side plugs into: the peer port, "loopback", or "" (nothing).
  std::string cable;
  std::vector<PortLanePath> lanes;
  std::vector<LaserLane> lasers;  // each laser lane once, in lane order of first use
};

class Topology {
 public:
  // platform must outlive the topology.
  explicit Topology(const Platform& platform);

  // Sparing: `lane` of `source` now feeds `fiber` (and the lane that fed it, nothing).
  Status SetFiberOfLane(std::string_view source, int lane, int fiber);
  // The fibre a lane feeds now (0: none).
  int FiberOfLane(const std::string& source, int lane) const;

  Result<LaserImpact> ImpactOfLaser(std::string_view source, int lane) const;
  Result<PortMap> MapOfPort(std::string_view port) const;

 private:
  const FiberConfig* FindFiber(const std::string& source, int fiber) const;
  std::optional<LaserLane> LaserOfFiber(const std::string& source, int fiber) const;

  const Platform& platform_;
  std::map<std::pair<std::string, int>, int> fiber_of_lane_;  // (source, lane) -> fibre
};

}  // namespace cpo::platform
