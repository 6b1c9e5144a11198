// FiberNetwork: the light path of the plant. Each laser lane's output goes into the output fibre
// its source's lane -> fibre map (1Ah:224-231, as the RTL holds it now) names; a fibre carries it,
// through the in-package splitter, to its engine lanes with the platform's expected loss plus any
// injected extra loss (a dirty connector) or none at all (a cut fibre). Each engine lane then
// reports that light as its VDM type 84 ELS input power; LinkNetwork turns it into the lane's Tx
// power (after the modulator, while its data path is Activated).
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "cpo/platform/platform.h"
#include "cpo/sim/plant.h"
#include "cpo/status.h"

namespace cpo::sim {

class FiberNetwork {
 public:
  // What an engine lane shows with no light at all (detector floor).
  static constexpr double kDarkInputDbm = -40.0;
  // Modulator insertion loss: Tx power = ELS input power - this (see LinkNetwork).
  static constexpr double kModulatorLossDb = 10.0;

  // engine_targets / laser_targets: the model target of each platform engine / laser source.
  FiberNetwork(const platform::Platform& platform, std::vector<int> engine_targets,
               std::vector<int> laser_targets);

  // Reads every laser lane's output and fibre from the model and updates the engine lanes whose
  // light changed. Cheap when nothing changed (no side-channel writes).
  void Propagate(Model& model, Plant& plant);

  // Faults on fibre `fiber` (1-based) of laser source `source_index`.
  Status SetExtraLossDb(int source_index, int fiber, double extra_db);
  Status SetCut(int source_index, int fiber, bool cut);

  // The light an engine lane receives now (dBm), as last propagated.
  Result<double> EngineInputDbm(int engine_index, int lane) const;

 private:
  struct Fiber {
    int engine_index = 0;
    std::vector<int> engine_lanes;  // 1-based
    double loss_db = 0;
    double extra_db = 0;
    bool cut = false;
  };
  Result<Fiber*> FindFiber(int source_index, int fiber);

  std::vector<int> engine_targets_;
  std::vector<int> laser_targets_;
  std::vector<int> laser_lanes_;
  // Per source: the scan count last seen and what each lane launched into which fibre then.
  std::vector<int> seen_scan_;
  std::vector<std::vector<std::pair<int, double>>> launched_;  // lane -> (fibre, mW)
  std::map<std::pair<int, int>, Fiber> fibers_;                // (source index, fibre) -> fibre
  // Last input power written per (engine index, lane), in 0.01 dBm codes.
  std::map<std::pair<int, int>, int64_t> written_;
  std::map<std::pair<int, int>, double> input_dbm_;
};

}  // namespace cpo::sim
