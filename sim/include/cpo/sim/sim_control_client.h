// SimControlClient: the side channel into cpo-simd for tests, benchmarks and `cpoctl sim`:
// plant values (fault injection) and simulated time. Never used by drivers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cpo/sim/quantity.h"
#include "cpo/status.h"

namespace cpo::sim {

// A laser lane as the simulated module really is (not as its registers are read over the bus).
struct LaserLaneSample {
  bool enabled = false;
  bool fiber_checked = false;
  int fiber = 0;
  double output_mw = 0;
};

struct SimInfo {
  uint64_t register_space_bytes = 0;
  uint64_t sim_time_ns = 0;
  double time_scale = 0;
};

class SimControlClient {
 public:
  static Result<std::unique_ptr<SimControlClient>> Connect(const std::string& socket_path);
  ~SimControlClient();

  Result<SimInfo> Info();
  // engine: index in the platform file; lane: 1-based CMIS lane, 0 for module quantities.
  Status SetPlant(int engine, Quantity quantity, int lane, double value);
  // Puts the engine's module into Fault with a CMIS fault cause (1..6); 0 removes the cause (the
  // module leaves Fault on its next software reset).
  Status SetModuleFault(int engine, uint8_t cause);
  // Laser source `source` (index in the platform file), lane from 1: a laser's physics (death:
  // slope 0; aging: a lower slope; bias runaway: a rising threshold).
  Status SetLaserPhysics(int source, int lane, double threshold_ma, double slope_mw_per_ma);
  // Fibre `fiber` (from 1) of laser source `source`: cut (carries nothing) and extra loss (a
  // dirty connector, dB).
  Status SetFiberFault(int source, int fiber, bool cut, double extra_loss_db);
  // Pulls the laser source out (false) or plugs a fresh one in (true).
  Status SetLaserSourcePresent(int source, bool present);
  // Switch side: bit errors on what SerDes lane `serdes_lane` (0-based) receives; a front-panel
  // port's cable or plug pulled out (port by index in the platform file).
  Status SetSerdesBitErrorRate(int serdes_lane, double ber);
  Status SetPortUnplugged(int port_index, bool unplugged);
  // Every lane of laser source `source` (index in the platform file), lane 1 first, read from the
  // plant beside the bus: a test samples it while the HAL runs, and changes nothing.
  Result<std::vector<LaserLaneSample>> LaserLanes(int source);
  // Advances simulated time by ns now; returns the new simulated time.
  Result<uint64_t> StepTime(uint64_t ns);
  // Simulated ns per wall ns while the daemon runs; 0 freezes time between requests.
  Status SetTimeScale(double scale);

 private:
  explicit SimControlClient(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace cpo::sim
