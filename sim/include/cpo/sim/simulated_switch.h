// SimulatedSwitch: the model and its plant set up as a platform file describes, with each engine
// strapped at its bus address and given an identity and default analog values. cpo-simd serves
// one; in-process tests and benchmarks build their own and hand MakeRegisterIo() to a Device.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "cpo/clock.h"
#include "cpo/platform/platform.h"
#include "cpo/sim/fiber_network.h"
#include "cpo/sim/link_network.h"
#include "cpo/sim/model.h"
#include "cpo/sim/model_scheduler.h"
#include "cpo/sim/plant.h"
#include "cpo/transport/register_io.h"

namespace cpo::sim {

class SimulatedSwitch {
 public:
  // Refuses platforms the model cannot represent (Linux I2C buses, too many engines on a bus...).
  static Result<std::unique_ptr<SimulatedSwitch>> Create(const platform::Platform& platform);

  Model& model() { return *model_; }
  Plant& plant() { return *plant_; }
  // Serializes every user of the model (register plane, plant, time).
  std::mutex& mutex() { return mutex_; }
  const platform::Platform& platform() const { return platform_; }

  // The model's register block, in process. Thread-safe through mutex().
  std::unique_ptr<transport::RegisterIo> MakeRegisterIo();
  // The model's simulated time as a Clock for a Device opened on MakeRegisterIo().
  std::shared_ptr<Clock> MakeClock();

  // Plant access by engine index in platform order; lane is 0-based. Takes mutex().
  Status SetEngineQuantity(int engine_index, Quantity quantity, int lane, double value);
  Result<double> GetEngineQuantity(int engine_index, Quantity quantity, int lane);
  Status SetEngineFault(int engine_index, ModuleFault cause);
  Status SetEngineBitErrorRate(int engine_index, DiagnosticSide side, int lane, double ber);

  // The model target an engine is strapped at (for plant faults by target).
  Result<int> EngineTarget(int engine_index) const;

  // Laser sources by index in platform order; lane is 0-based. Take mutex().
  Result<int> LaserSourceTarget(int source_index) const;
  Status SetLaserPhysics(int source_index, int lane, const LaserPhysics& physics);
  Result<double> LaserOutputMw(int source_index, int lane);
  static EngineIdentity DefaultLaserSourceIdentity(int source_index);
  // What a laser lane really does now (the model's truth, for tests that check the HAL).
  struct LaserLaneTruth {
    bool enabled = false;
    bool fiber_checked = false;
    int fiber = 0;
    double output_mw = 0;
  };
  Result<LaserLaneTruth> LaserLane(int source_index, int lane);
  // Fibre faults (fibre 1-based, as in the platform): a dirty connector adds loss; a cut fibre
  // carries nothing.
  Status SetFiberExtraLossDb(int source_index, int fiber, double extra_db);
  Status SetFiberCut(int source_index, int fiber, bool cut);
  // The light engine lane `lane` (1-based) receives now, dBm.
  Result<double> EngineInputDbm(int engine_index, int lane);
  // Pulls a laser source out (it stops answering, its lasers go dark) and plugs a fresh module
  // of the same kind back in (EEPROM defaults: lanes off, fibres unchecked, default fibre map,
  // healthy lasers).
  Status RemoveLaserSource(int source_index);
  Status InsertLaserSource(int source_index);
  // Bit errors on what switch SerDes lane `serdes_lane` (0-based) receives (0 stops them).
  Status SetSerdesBitErrorRate(int serdes_lane, double ber);
  // Pulls the cable or loopback plug out of a front-panel port (both ends lose signal), or
  // plugs it back in.
  Status SetPortUnplugged(const std::string& port, bool unplugged);
  // The SerDes lane whose signal reaches `serdes_lane`'s receiver through the plant now, or -1.
  int SerdesSourceOf(int serdes_lane);
  // How often the plant moves light along the fibres and data along the cables (simulated time).
  static constexpr uint64_t kLightUpdatePeriodNs = 500'000;

  // The defaults every engine starts with, so tests can predict them.
  static EngineIdentity DefaultIdentity(int engine_index);
  static double DefaultValue(int engine_index, Quantity quantity, int lane);

 private:
  SimulatedSwitch(platform::Platform platform, std::vector<int> engine_targets,
                  std::vector<int> laser_targets);
  Status CheckEngine(int engine_index) const;
  void AttachLaserSource(int source_index);
  // Joint mode: hands a laser source to its engine's MCU (nothing to do in separate mode).
  Status RelayThroughEngine(int source_index);
  // The plant's continuous processes: light along the fibres, then data along the cables.
  void PropagatePlant();

  platform::Platform platform_;
  std::vector<int> engine_targets_;  // model target index of each engine
  std::vector<int> laser_targets_;   // and of each laser source
  std::unique_ptr<Model> model_;
  std::unique_ptr<Plant> plant_;
  FiberNetwork fibers_;
  LinkNetwork links_;
  std::mutex mutex_;
  // Interleaves the HAL's concurrent per-bus work on the model (Clock::RunConcurrently).
  std::unique_ptr<ModelScheduler> scheduler_;
};

}  // namespace cpo::sim
